package behaviour

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/captchaify/captchaify"
	"github.com/captchaify/captchaify/tools/pluginload"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

const metricsPath = "/_captchaify/metrics"

func issuePass(ip string) (string, error) {
	return captchaify.IssueClearanceToken(secret, ip, browserUA, 3, "")
}

// scrape fetches the metrics from 127.0.0.1 (allowed by default).
func scrape(t *testing.T, s *site) string {
	t.Helper()
	res := s.get(t, browser("127.0.0.1"), metricsPath)
	if res.status != http.StatusOK {
		t.Fatalf("metrics from 127.0.0.1: %d %.200s", res.status, res.body)
	}
	if ct := res.header.Get("Content-Type"); ct != "text/plain; version=0.0.4; charset=utf-8" {
		t.Errorf("metrics Content-Type = %q", ct)
	}
	return res.body
}

// parseProm parses the text with Prometheus's own parser.
func parseProm(t *testing.T, text string) map[string]*dto.MetricFamily {
	t.Helper()
	p := expfmt.NewTextParser(model.LegacyValidation)
	fams, err := p.TextToMetricFamilies(strings.NewReader(text))
	if err != nil {
		t.Fatalf("the Prometheus text parser refuses the metrics: %v\n%s", err, text)
	}
	return fams
}

// metricValue is the value of the sample of family with exactly labels.
func metricValue(t *testing.T, fams map[string]*dto.MetricFamily, family string, labels map[string]string) float64 {
	t.Helper()
	f := fams[family]
	if f == nil {
		t.Fatalf("no metric family %s", family)
	}
	for _, m := range f.GetMetric() {
		if len(m.GetLabel()) != len(labels) {
			continue
		}
		match := true
		for _, l := range m.GetLabel() {
			if labels[l.GetName()] != l.GetValue() {
				match = false
			}
		}
		if !match {
			continue
		}
		switch {
		case m.Counter != nil:
			return m.GetCounter().GetValue()
		case m.Gauge != nil:
			return m.GetGauge().GetValue()
		}
	}
	t.Fatalf("no sample %s%v", family, labels)
	return 0
}

func TestMetrics(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		name := uniqueName()
		s := mustBuild(t, f, map[string]any{
			"defaultCaptchaType": "text",
			"defaultAction":      "captcha",
			"defaultRateLimit":   5,
			"actions":            map[string]any{"/login": "fight", "/admin": "block"},
			"metricsPath":        metricsPath,
		}, name)
		mw := map[string]string{"middleware": name}
		with := func(k, v string, more ...string) map[string]string {
			out := map[string]string{"middleware": name, k: v}
			for i := 0; i+1 < len(more); i += 2 {
				out[more[i]] = more[i+1]
			}
			return out
		}

		mustReach(t, s.get(t, browser("198.51.100.160"), "/"), "backend /?") // pass
		s.solve(t, browser("198.51.100.161"), "/login")                      // challenge, solved
		wrongAnswerAt(t, s, browser("198.51.100.162"), "/login")             // challenge, wrong, challenge
		s.get(t, &visitor{ip: "198.51.100.163", ua: "curl/8.0"}, "/admin")   // blocked crawler
		s.get(t, browser("198.51.100.164"), "/_captchaify/nothing")          // own route
		limited := browser("198.51.100.165")
		for i := 0; i < 6; i++ {
			s.get(t, limited, "/") // 2 passes, 3 challenges (over the soft limit), one 429
		}

		fams := parseProm(t, scrape(t, s))
		for _, fam := range []string{"captchaify_requests_total", "captchaify_challenges_issued_total",
			"captchaify_challenges_solved_total", "captchaify_challenges_failed_total", "captchaify_blocks_total",
			"captchaify_tracked_clients"} {
			if fams[fam] == nil {
				t.Errorf("family %s missing", fam)
			}
		}
		if got := fams["captchaify_requests_total"].GetType(); got != dto.MetricType_COUNTER {
			t.Errorf("requests_total type %v", got)
		}
		if got := fams["captchaify_tracked_clients"].GetType(); got != dto.MetricType_GAUGE {
			t.Errorf("tracked_clients type %v", got)
		}
		want := map[string]float64{"solved": 1, "block": 1, "own_route": 1, "rate_limited": 1}
		for d, n := range want {
			if got := metricValue(t, fams, "captchaify_requests_total", with("decision", d)); got != n {
				t.Errorf("requests_total{decision=%q} = %v, want %v", d, got, n)
			}
		}
		if got := metricValue(t, fams, "captchaify_requests_total", with("decision", "pass")); got != 3 {
			t.Errorf("requests_total{decision=pass} = %v, want 3", got)
		}
		if got := metricValue(t, fams, "captchaify_requests_total", with("decision", "challenge")); got != 6 {
			t.Errorf("requests_total{decision=challenge} = %v, want 6", got)
		}
		if got := metricValue(t, fams, "captchaify_challenges_solved_total", with("type", "text", "hardness", "2")); got != 1 {
			t.Errorf("solved = %v, want 1", got)
		}
		if got := metricValue(t, fams, "captchaify_challenges_failed_total", with("type", "text", "hardness", "2", "reason", "wrong")); got != 1 {
			t.Errorf("failed{reason=wrong} = %v, want 1", got)
		}
		if got := metricValue(t, fams, "captchaify_challenges_issued_total", with("type", "text", "hardness", "2")); got != 6 {
			t.Errorf("issued = %v, want 6", got)
		}
		if got := metricValue(t, fams, "captchaify_blocks_total", with("reason", "crawler_user_agent")); got != 1 {
			t.Errorf("blocks{crawler_user_agent} = %v, want 1", got)
		}
		if got := metricValue(t, fams, "captchaify_tracked_clients", mw); got < 6 {
			t.Errorf("tracked_clients = %v, want ≥ 6", got)
		}
		// A metrics scrape is not a request of the site.
		before := metricValue(t, fams, "captchaify_requests_total", with("decision", "own_route"))
		fams = parseProm(t, scrape(t, s))
		if after := metricValue(t, fams, "captchaify_requests_total", with("decision", "own_route")); after != before {
			t.Errorf("a scrape counted as a request")
		}
	})
}

// Anyone not in metricsAllowedIPs gets what any unknown path of the plugin
// gets: nothing tells that metrics exist.
func TestMetricsHiddenFromOthers(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		s := newSite(t, f, map[string]any{"defaultAction": "allow", "metricsPath": metricsPath,
			"metricsAllowedIPs": "10.0.0.0/8,192.0.2.7"})
		outsider := browser("198.51.100.170")
		hidden := s.get(t, outsider, metricsPath)
		unknown := s.get(t, outsider, "/_captchaify/metricz")
		if hidden.status != http.StatusNotFound || hidden.body != unknown.body || hidden.header.Get("Content-Type") != unknown.header.Get("Content-Type") {
			t.Errorf("outsider: %d %q, unknown own path: %d %q", hidden.status, hidden.body, unknown.status, unknown.body)
		}
		if res := s.get(t, browser("127.0.0.1"), metricsPath); res.status != http.StatusNotFound {
			t.Errorf("loopback not in the list: got %d", res.status)
		}
		if res := s.get(t, browser("10.9.8.7"), metricsPath); res.status != http.StatusOK || !strings.Contains(res.body, "# TYPE captchaify_requests_total counter") {
			t.Errorf("allowed 10.9.8.7: %d", res.status)
		}
		if res := s.get(t, browser("192.0.2.7"), metricsPath+"?x=1"); res.status != http.StatusOK {
			t.Errorf("allowed 192.0.2.7: %d", res.status)
		}
		// A path outside routePrefix works the same way and hides the site's own path.
		s2 := newSite(t, f, map[string]any{"defaultAction": "allow", "metricsPath": "/metrics"})
		if res := s2.get(t, browser("127.0.0.1"), "/metrics"); res.status != http.StatusOK {
			t.Errorf("/metrics from loopback: %d", res.status)
		}
		if res := s2.get(t, outsider, "/metrics"); res.status != http.StatusNotFound {
			t.Errorf("/metrics from outside: %d", res.status)
		}
		// Off by default: the path belongs to the site.
		s3 := newSite(t, f, map[string]any{"defaultAction": "allow"})
		mustReach(t, s3.get(t, browser("127.0.0.1"), "/metrics"), "backend /metrics?")
		if res := s3.get(t, browser("127.0.0.1"), metricsPath); res.status != http.StatusNotFound {
			t.Errorf("metrics served while off: %d", res.status)
		}
	})
}

func TestMetricsOptionErrors(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		for option, cfg := range map[string]map[string]any{
			"metricsPath":          {"metricsPath": "metrics"},
			"metricsAllowedIPs[1]": {"metricsPath": "/m", "metricsAllowedIPs": "10.0.0.0/8,ten"},
			"redis.address":        {"redis": map[string]any{"address": "nohost"}},
			"redis.timeout":        {"redis": map[string]any{"address": "redis:6379", "timeout": "0"}},
			"redis.db":             {"redis": map[string]any{"address": "redis:6379", "db": -2}},
			"redis.username":       {"redis": map[string]any{"address": "redis:6379", "username": "u"}},
			"redis.adress":         {"redis": map[string]any{"adress": "redis:6379"}},
			"previousSecrets[0]":   {"previousSecrets": "too-short"},
		} {
			if _, err := build(f, cfg, uniqueName()); err == nil || !strings.Contains(err.Error(), option) {
				t.Errorf("%v: error %v, want one naming %s", cfg, err, option)
			}
		}
	})
}

// Secret rotation: a pass and a shown challenge made with the old secret
// still work once the middleware has a new secret and lists the old one.
func TestPreviousSecrets(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		name := uniqueName()
		newSecret := "the-new-secret-0123456789-abcdefghijkl"
		old := mustBuild(t, f, map[string]any{"defaultAction": "fight", "defaultCaptchaType": "text"}, name)
		v := browser("198.51.100.175")
		old.solve(t, v, "/")
		w := browser("198.51.100.176")
		page := old.get(t, w, "/")
		ct := mustChallenge(t, page)

		rotated := mustBuild(t, f, map[string]any{"defaultAction": "fight", "defaultCaptchaType": "text", "secret": newSecret, "previousSecrets": []any{secret}}, name)
		mustReach(t, rotated.get(t, v, "/"), "backend /?")
		if res := rotated.answer(t, w, page, url.Values{"ct": {ct}, "tc": {answer(t, ct)}}); res.status != http.StatusSeeOther {
			t.Errorf("challenge shown before the rotation: %d", res.status)
		}
		// Without previousSecrets the old pass is refused.
		bare := mustBuild(t, f, map[string]any{"defaultAction": "fight", "defaultCaptchaType": "text", "secret": newSecret}, uniqueName())
		mustChallenge(t, bare.get(t, v, "/"))
	})
}
