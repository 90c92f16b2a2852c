package captchaify

import (
	"bytes"
	"net"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestMetricsText(t *testing.T) {
	s := metricsFor("unit-metrics\"x\\y")
	s.setStore(newMemoryStore(100))
	countDecision(s, decisionPass)
	countDecision(s, decisionPass)
	s.issuedChallenge(typeText, 2)
	s.answered(&answerResult{solved: true, hardness: 2}, &prefs{captchaType: typeText, hardness: 2})
	s.answered(&answerResult{counts: true, message: msgWrong}, &prefs{captchaType: typeText, hardness: 3})
	s.block("crawler user agent")
	(&Middleware{metrics: s}).metricLookup("ip-api", "Time out")
	var b bytes.Buffer
	writeMetrics(&b)
	out := b.String()
	labels := `middleware="unit-metrics\"x\\y"`
	for _, want := range []string{
		"# TYPE captchaify_requests_total counter\n",
		"captchaify_requests_total{" + labels + `,decision="pass"} 2` + "\n",
		"captchaify_requests_total{" + labels + `,decision="rate_limited"} 0` + "\n",
		"captchaify_challenges_issued_total{" + labels + `,type="text",hardness="2"} 1` + "\n",
		"captchaify_challenges_solved_total{" + labels + `,type="text",hardness="2"} 1` + "\n",
		"captchaify_challenges_failed_total{" + labels + `,type="text",hardness="3",reason="wrong"} 1` + "\n",
		"captchaify_blocks_total{" + labels + `,reason="crawler_user_agent"} 1` + "\n",
		"captchaify_lookups_total{" + labels + `,source="ip_api",result="time_out"} 1` + "\n",
		"# TYPE captchaify_tracked_clients gauge\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
	if strings.Contains(out, "captchaify_redis_errors_total{"+labels) {
		t.Errorf("Redis metrics for a middleware without Redis")
	}
}

func TestMetricsLabelValuesBounded(t *testing.T) {
	s := metricsFor("unit-bounded")
	for i := 0; i < 1000; i++ {
		s.block("reason " + strings.Repeat("x", i%200) + string(rune('a'+i%26)))
	}
	if n := len(s.blocks); n > maxLabelValues+1 {
		t.Errorf("%d block reasons kept, bound %d", n, maxLabelValues)
	}
	if v := labelValue("  Über  Proxy!! "); v != "ber_proxy" {
		t.Errorf("labelValue = %q", v)
	}
}

func TestParseMetricsOptions(t *testing.T) {
	s, err := parseMetrics("", nil)
	if err != nil || s.path != "" || len(s.allowed) != 2 {
		t.Fatalf("defaults: %+v %v", s, err)
	}
	for _, ip := range []string{"127.0.0.1", "::1"} {
		if !s.allows(clientAddrOf(ip)) {
			t.Errorf("default refuses %s", ip)
		}
	}
	if s.allows(clientAddrOf("192.0.2.1")) || s.allows(clientAddr{raw: "junk"}) {
		t.Errorf("default allows others")
	}
	s, err = parseMetrics("/metrics", []string{"10.0.0.0/8", " ", "192.0.2.7"})
	if err != nil || !s.allows(clientAddrOf("10.1.2.3")) || !s.allows(clientAddrOf("192.0.2.7")) || s.allows(clientAddrOf("127.0.0.1")) {
		t.Errorf("custom list: %+v %v", s, err)
	}
	for _, bad := range []string{"metrics", "/", "//x", "/a b", "/m?x"} {
		if _, err := parseMetrics(bad, nil); err == nil || !strings.Contains(err.Error(), "metricsPath") {
			t.Errorf("metricsPath %q: %v", bad, err)
		}
	}
	if _, err := parseMetrics("/m", []string{"10.0.0.0/8", "nonsense"}); err == nil || !strings.Contains(err.Error(), "metricsAllowedIPs[1]") {
		t.Errorf("bad IP: %v", err)
	}
}

func clientAddrOf(ip string) clientAddr {
	var r ipResolver
	req := httptest.NewRequest("GET", "/", nil)
	req.RemoteAddr = net.JoinHostPort(ip, "1")
	return r.resolve(req)
}

func TestPreviousSecrets(t *testing.T) {
	old := strings.Repeat("o", 32)
	cur := strings.Repeat("n", 32)
	oldKeys, _ := newKeyring(old)
	now := time.Now()
	tok := oldKeys.issueClearance(now, 2, "198.51.100.0/24", "ua")
	ct := oldKeys.sealChallenge(&challenge{id: newChallengeID(), kind: typeText, hardness: 2, issued: now, answer: "ABC"})

	plain, _ := newKeyring(cur)
	if _, ok := plain.checkClearance(tok, now, time.Hour, "198.51.100.0/24", "ua"); ok {
		t.Fatalf("a token of another secret opened")
	}
	prev, err := parsePreviousSecrets([]string{old, "", cur}, cur, false)
	if err != nil || len(prev) != 1 {
		t.Fatalf("parsePreviousSecrets = %q, %v", prev, err)
	}
	rot, _ := newKeyring(cur)
	if rot, err = withPreviousSecrets(rot, prev); err != nil {
		t.Fatal(err)
	}
	if h, ok := rot.checkClearance(tok, now, time.Hour, "198.51.100.0/24", "ua"); !ok || h != 2 {
		t.Errorf("old pass refused during rotation")
	}
	if c, err := rot.openChallenge(ct); err != nil || c.answer != "ABC" {
		t.Errorf("old challenge refused during rotation: %v", err)
	}
	// New tokens use the current secret only.
	fresh := rot.issueClearance(now, 1, "x", "ua")
	if _, ok := oldKeys.checkClearance(fresh, now, time.Hour, "x", "ua"); ok {
		t.Errorf("a new token was sealed with the old secret")
	}
	if _, ok := plain.checkClearance(fresh, now, time.Hour, "x", "ua"); !ok {
		t.Errorf("a new token does not open with the current secret")
	}
	if _, err := parsePreviousSecrets([]string{"short"}, cur, false); err == nil || !strings.Contains(err.Error(), "previousSecrets[0]") {
		t.Errorf("short previous secret: %v", err)
	}
	if _, err := parsePreviousSecrets([]string{old}, "", true); err == nil || !strings.Contains(err.Error(), "previousSecrets") {
		t.Errorf("previous secrets without a secret: %v", err)
	}
}
