package captchaify

import (
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The end-to-end behaviour (challenge, solve, pass, limits, bad input) is
// tested in tools/behaviour against the compiled plugin and under Yaegi.
// These are the unit tests of the pieces.

func TestRoutePatternMatching(t *testing.T) {
	cases := []struct {
		key, host, path string
		want            bool
	}{
		{"/login", "", "/login", true},
		{"/login", "", "/login/2fa", false},
		{"/login*", "", "/login/2fa", true},
		{"*/register", "", "/game/register", true},
		{"*/register", "", "/register/x", false},
		{"*/dev/*", "", "/account/dev/settings", true},
		{"*/dev/*", "", "/dev/portal", true},
		{"*/dev/*", "", "/devices", false},
		{"/a*b*c", "", "/axxbyyc", true},
		{"/a*b*c", "", "/ac", false},
		{"/ab*b", "", "/ab", false},
		{"*", "", "/anything", true},
		{"api.example.com/*", "api.example.com", "/v1", true},
		{"api.example.com/*", "www.example.com", "/v1", false},
		{"API.example.com/*", "api.example.com", "/v1", true},
	}
	for _, c := range cases {
		p, err := compileRoutePattern("test", c.key)
		if err != nil {
			t.Fatalf("%q: %v", c.key, err)
		}
		if got := p.matches(c.host, c.path); got != c.want {
			t.Errorf("%q matches %q%q = %v, want %v", c.key, c.host, c.path, got, c.want)
		}
	}
	if _, err := compileRoutePattern("actions", "example.com"); err == nil {
		t.Errorf("a host without a path must be refused")
	}
}

func TestSlidingWindowCount(t *testing.T) {
	w := windowCount{current: 10, previous: 60, elapsed: 15 * time.Second, window: time.Minute}
	if got := w.total(); got != 55 { // 10 + 60 × 45/60
		t.Errorf("total = %d, want 55", got)
	}
	limited := windowCount{current: 100, previous: 0, elapsed: 30 * time.Second, window: time.Minute}
	// 30 s until the bucket rolls, then 100×(1−f) < 50 needs f > 0.5: 30 s more.
	if got := limited.retryAfter(50); got != 60 {
		t.Errorf("retryAfter = %d, want 60", got)
	}
}

func TestMemoryStoreIsBounded(t *testing.T) {
	s := newMemoryStore(100)
	now := time.Now()
	for i := 0; i < 5000; i++ {
		s.countRequest("10.0."+strconv.Itoa(i/256)+"."+strconv.Itoa(i%256), false, now, rateWindow)
	}
	if n := s.trackedClients(); n > 100 {
		t.Errorf("tracked %d clients, limit 100", n)
	}
	for i := 0; i < 5000; i++ {
		s.addFailure("c"+strconv.Itoa(i), now, failureWindow)
	}
	if len(s.failLogs) > 100 {
		t.Errorf("tracked %d failure logs, limit 100", len(s.failLogs))
	}
}

func TestCountsSlideAcrossBuckets(t *testing.T) {
	s := newMemoryStore(100)
	start := time.Unix(6000, 0) // a bucket boundary for a 60 s window
	for i := 0; i < 30; i++ {
		s.countRequest("k", false, start.Add(time.Duration(i)*time.Second), rateWindow)
	}
	c, _ := s.countRequest("k", false, start.Add(90*time.Second), rateWindow)
	// 30 in the previous bucket, half of it still inside the window, plus 1.
	if got := c.total(); got != 16 {
		t.Errorf("total = %d, want 16", got)
	}
	c, _ = s.countRequest("k", false, start.Add(200*time.Second), rateWindow)
	if got := c.total(); got != 1 {
		t.Errorf("after a quiet window: total = %d, want 1", got)
	}
}

func TestFailuresAgeOut(t *testing.T) {
	s := newMemoryStore(100)
	now := time.Now()
	s.addFailure("k", now.Add(-5*time.Hour), failureWindow)
	s.addFailure("k", now.Add(-time.Hour), failureWindow)
	if n := s.failures("k", now, failureWindow); n != 1 {
		t.Errorf("failures = %d, want 1 (one aged out)", n)
	}
}

func TestSpentSet(t *testing.T) {
	s := &spentSet{limit: 10, ids: make(map[string]int64)}
	exp := time.Now().Add(time.Minute)
	if !s.spend("a", exp) || s.spend("a", exp) {
		t.Fatalf("an id must be spendable exactly once")
	}
	for i := 0; i < 100; i++ {
		s.spend(strconv.Itoa(i), exp)
	}
	if len(s.ids) > 10 {
		t.Errorf("spent set holds %d, limit 10", len(s.ids))
	}
}

func TestClearanceToken(t *testing.T) {
	k, err := newKeyring("unit-test-secret-0123456789abcdef0123")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	tok := k.issueClearance(now, 2, "198.51.100.0/24", "UA")
	if h, ok := k.checkClearance(tok, now, time.Hour, "198.51.100.0/24", "UA"); !ok || h != 2 {
		t.Fatalf("valid token refused: %v %d", ok, h)
	}
	refusals := map[string]func() bool{
		"other client": func() bool { _, ok := k.checkClearance(tok, now, time.Hour, "203.0.113.0/24", "UA"); return ok },
		"other agent":  func() bool { _, ok := k.checkClearance(tok, now, time.Hour, "198.51.100.0/24", "UA2"); return ok },
		"expired": func() bool {
			_, ok := k.checkClearance(tok, now.Add(2*time.Hour), time.Hour, "198.51.100.0/24", "UA")
			return ok
		},
		"truncated": func() bool { _, ok := k.checkClearance(tok[:20], now, time.Hour, "198.51.100.0/24", "UA"); return ok },
		"as challenge": func() bool {
			_, err := k.openChallenge(tok)
			return err == nil
		},
	}
	for name, check := range refusals {
		if check() {
			t.Errorf("%s: accepted", name)
		}
	}
	for i := 0; i < len(tok); i++ {
		b := []byte(tok)
		if b[i] == 'A' {
			b[i] = 'B'
		} else {
			b[i] = 'A'
		}
		if _, ok := k.checkClearance(string(b), now, time.Hour, "198.51.100.0/24", "UA"); ok {
			t.Errorf("token with byte %d changed accepted", i)
		}
	}
}

func TestChallengeTokenRoundTrip(t *testing.T) {
	secret := "unit-test-secret-0123456789abcdef0123"
	k, _ := newKeyring(secret)
	c := &challenge{id: newChallengeID(), kind: typeText, hardness: 3, issued: time.Unix(1700000000, 0),
		path: shortHash("/p"), client: shortHash("c"), agent: shortHash("a"), answer: "ABC234", audio: "123"}
	tok := k.sealChallenge(c)
	got, err := k.openChallenge(tok)
	if err != nil {
		t.Fatal(err)
	}
	if got.answer != "ABC234" || got.audio != "123" || got.hardness != 3 || got.kind != typeText || got.id != c.id || !got.issued.Equal(c.issued) {
		t.Errorf("round trip: %+v", got)
	}
	info, err := OpenChallengeToken(secret, tok)
	if err != nil || info.Answer != "ABC234" || info.Hardness != 3 {
		t.Errorf("OpenChallengeToken: %+v %v", info, err)
	}
	if _, err := OpenChallengeToken("another-secret-0123456789abcdef0123", tok); err == nil {
		t.Errorf("opened with the wrong secret")
	}
}

func TestIssueClearanceTokenChecks(t *testing.T) {
	secret := "unit-test-secret-0123456789abcdef0123"
	if _, err := IssueClearanceToken("short", "1.2.3.4", "ua", 2, ""); err == nil {
		t.Errorf("short secret accepted")
	}
	if _, err := IssueClearanceToken(secret, "nope", "ua", 2, ""); err == nil {
		t.Errorf("bad ip accepted")
	}
	if _, err := IssueClearanceToken(secret, "1.2.3.4", "ua", 4, ""); err == nil {
		t.Errorf("hardness 4 accepted")
	}
	if _, err := IssueClearanceToken(secret, "1.2.3.4", "ua", 2, "cookie"); err == nil {
		t.Errorf("unknown binding accepted")
	}
}

func TestClientAddress(t *testing.T) {
	cases := []struct {
		strategy  IPStrategy
		remote    string
		xff       string
		wantRaw   string
		wantKey   string
		wantValid bool
	}{
		{IPStrategy{}, "198.51.100.1:1234", "1.1.1.1", "198.51.100.1", "198.51.100.1", true},
		{IPStrategy{Depth: 1}, "10.0.0.1:1", "1.1.1.1, 2.2.2.2", "2.2.2.2", "2.2.2.2", true},
		{IPStrategy{Depth: 2}, "10.0.0.1:1", "1.1.1.1, 2.2.2.2", "1.1.1.1", "1.1.1.1", true},
		{IPStrategy{Depth: 3}, "10.0.0.1:1", "1.1.1.1, 2.2.2.2", "10.0.0.1", "10.0.0.1", true},
		{IPStrategy{ExcludedIPs: []string{"10.0.0.0/8"}}, "10.0.0.1:1", "1.1.1.1, 10.2.2.2", "1.1.1.1", "1.1.1.1", true},
		{IPStrategy{Depth: 1}, "10.0.0.1:1", "garbage", "garbage", "garbage", false},
		{IPStrategy{IPv6Subnet: 64}, "[2001:db8:1:2:3:4:5:6]:1", "", "2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64", true},
		{IPStrategy{}, "[::ffff:198.51.100.2]:1", "", "::ffff:198.51.100.2", "198.51.100.2", true},
		{IPStrategy{}, "not-an-address", "", "not-an-address", "not-an-address", false},
	}
	for i, c := range cases {
		r, err := newIPResolver(c.strategy)
		if err != nil {
			t.Fatal(err)
		}
		req := httptest.NewRequest("GET", "/", nil)
		req.RemoteAddr = c.remote
		if c.xff != "" {
			req.Header.Set("X-Forwarded-For", c.xff)
		}
		got := r.resolve(req)
		if got.raw != c.wantRaw || got.key != c.wantKey || got.valid != c.wantValid {
			t.Errorf("case %d: got raw=%q key=%q valid=%v", i, got.raw, got.key, got.valid)
		}
	}
	long := ipResolver{}
	req := httptest.NewRequest("GET", "/", nil)
	req.RemoteAddr = strings.Repeat("x", 1000)
	if got := long.resolve(req); len(got.raw) > maxRawIPLength {
		t.Errorf("raw address not bounded: %d", len(got.raw))
	}
}

func TestBindingPrefix(t *testing.T) {
	r := ipResolver{}
	req := httptest.NewRequest("GET", "/", nil)
	req.RemoteAddr = "198.51.100.77:1"
	c := r.resolve(req)
	if got := bindingPrefix(c, bindSubnet); got != "198.51.100.0/24" {
		t.Errorf("subnet = %q", got)
	}
	if got := bindingPrefix(c, bindIP); got != "198.51.100.77" {
		t.Errorf("ip = %q", got)
	}
	if got := bindingPrefix(c, bindNone); got != "" {
		t.Errorf("none = %q", got)
	}
	req.RemoteAddr = "[2001:db8:aa:bb:1:2:3:4]:1"
	if got := bindingPrefix(r.resolve(req), bindSubnet); got != "2001:db8:aa:bb::/64" {
		t.Errorf("v6 subnet = %q", got)
	}
}

func TestRedirectTargets(t *testing.T) {
	cases := map[string]string{
		"/a/b?x=1&y=2":   "/a/b?x=1&y=2",
		"/":              "/",
		"//evil.example": "/evil.example",
		"/%2F/evil":      "/%2F/evil",
		"/a%20b?q=%22":   "/a%20b?q=%22",
	}
	for in, want := range cases {
		req := httptest.NewRequest("GET", "/", nil)
		req.URL.Path, req.URL.RawPath, req.URL.RawQuery = "", "", ""
		u := req.URL
		parsed := httptest.NewRequest("GET", "http://h"+in, nil).URL
		u.Path, u.RawPath, u.RawQuery = parsed.Path, parsed.RawPath, parsed.RawQuery
		if got := sameSiteTarget(req); got != want {
			t.Errorf("sameSiteTarget(%q) = %q, want %q", in, got, want)
		}
	}
	if got := withQueryArg("/p?a=1&captcha=old&b=2", "captcha", "new"); got != "/p?a=1&b=2&captcha=new" {
		t.Errorf("withQueryArg = %q", got)
	}
	if got := withQueryArg("/p", "captcha", "t"); got != "/p?captcha=t" {
		t.Errorf("withQueryArg = %q", got)
	}
}

func TestTextAnswers(t *testing.T) {
	seen := map[string]bool{}
	for h := 1; h <= 3; h++ {
		lo, hi := textLengthBase[h]+1, textLengthBase[h]+3
		for i := 0; i < 200; i++ {
			a := newTextAnswer(h)
			if len(a) < lo || len(a) > hi {
				t.Fatalf("hardness %d: length %d outside %d–%d", h, len(a), lo, hi)
			}
			if strings.Trim(a, textAlphabet) != "" {
				t.Fatalf("answer %q uses characters outside the alphabet", a)
			}
			seen[a] = true
		}
	}
	if len(seen) < 590 {
		t.Errorf("answers repeat: %d distinct of 600", len(seen))
	}
	if strings.ContainsAny(textAlphabet, "01OIl") {
		t.Errorf("the alphabet has look-alike characters")
	}
	if normalizeAnswer(" ab c\tD ") != "ABCD" {
		t.Errorf("normalizeAnswer ignores neither case nor spaces")
	}
}

func TestGlobalCountSurvivesAFlood(t *testing.T) {
	s := newMemoryStore(100)
	now := time.Now()
	for i := 0; i < 50; i++ {
		s.countRequest("", true, now, rateWindow)
	}
	for i := 0; i < 1000; i++ {
		s.countRequest("flood-"+strconv.Itoa(i), false, now, rateWindow)
	}
	if _, g := s.countRequest("", true, now, rateWindow); g.current != 51 {
		t.Errorf("global count = %d after a flood of new clients, want 51", g.current)
	}
}
