package e2e

import (
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/captchaify/captchaify/tools/redistest"
	"github.com/captchaify/captchaify/tools/traefiktest"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// Two real Traefik processes with the same secret and one real
// redis-server: what a visitor earns, spends, counts or loses on one
// replica holds on the other, and killing Redis keeps both serving.

const replicaRedisTimeoutMs = 100

// Rate-limit counts are shared every syncInterval: each replica sees the
// other's within about one interval. settle waits for that, with room
// for a busy machine.
const replicaSyncIntervalMs = 100

func settle() { time.Sleep(5*replicaSyncIntervalMs*time.Millisecond + 300*time.Millisecond) }

func replicaConfig(redisAddr string) traefiktest.Config {
	redis := map[string]any{"address": redisAddr, "timeout": replicaRedisTimeoutMs,
		"syncInterval": replicaSyncIntervalMs, "keyPrefix": fmt.Sprintf("e2e-%d:", os.Getpid())}
	return traefiktest.Config{Routes: []traefiktest.Route{
		{Name: "site", Rule: "PathPrefix(`/`)", Plugin: pluginConfig(map[string]any{
			"redis": redis, "defaultRateLimit": 1000, "metricsPath": "/_captchaify/metrics"})},
		{Name: "rl", Rule: "PathPrefix(`/rl/`)", Plugin: pluginConfig(map[string]any{
			"redis": redis, "defaultAction": "allow", "defaultRateLimit": 4})},
		{Name: "global", Rule: "PathPrefix(`/global/`)", Plugin: pluginConfig(map[string]any{
			"redis": redis, "defaultAction": "captcha", "defaultRateLimit": 100, "defaultMaxRateLimit": 6})},
	}}
}

func startReplicas(t *testing.T) (*redistest.Server, *traefiktest.Instance, *traefiktest.Instance) {
	t.Helper()
	if os.Getenv("CAPTCHAIFY_SKIP_TRAEFIK") == "1" {
		t.Skip("CAPTCHAIFY_SKIP_TRAEFIK=1: real-Traefik end-to-end tests skipped")
	}
	srv := redistest.Start(t, redistest.Options{})
	opts := traefiktest.Options{Config: replicaConfig(srv.Addr), TrustForwardedHeaders: viaXFF, LogLevel: "INFO"}
	a := traefiktest.Start(t, opts)
	b := traefiktest.Start(t, opts)
	return srv, a, b
}

// on is the same visitor (address, browser) talking to another replica.
func (v *visitor) on(inst *traefiktest.Instance) *visitor {
	w := *v
	w.inst = inst
	return &w
}

func TestReplicasShareStateThroughRedis(t *testing.T) {
	srv, a, b := startReplicas(t)

	t.Run("pass earned on one is accepted on the other", func(t *testing.T) {
		va := newVisitor(t, a, 201)
		_, r := va.solve("/r/pass")
		token := r.cookie["captcha"]
		mustBackend(t, "replica b with a's cookie", va.on(b).get("/r/pass", cookie(token)), "/r/pass")
	})

	t.Run("ct spent on one is refused on the other", func(t *testing.T) {
		va := newVisitor(t, a, 202)
		c, _ := va.solve("/r/spent")
		r := va.on(b).post(c.action, url.Values{"ct": {c.ct}, "tc": {answer(t, c.ct)}})
		mustRefused(t, "the ct spent on a, posted to b", r)
		if !strings.Contains(r.body, "already used") {
			t.Errorf("b did not say the challenge was used: %.300s", r.body)
		}
	})

	t.Run("per-client limit counted across both", func(t *testing.T) {
		va := newVisitor(t, a, 203)
		vb := va.on(b)
		for i := 0; i < 2; i++ {
			mustBackend(t, "a", va.get("/rl/x"), "/rl/x")
			mustBackend(t, "b", vb.get("/rl/x"), "/rl/x")
		}
		settle() // each replica alone has seen 2: the limit holds only if they share
		mustRateLimited(t, "5th request of the client (limit 4), on a", va.get("/rl/x"))
		mustRateLimited(t, "6th, on b", vb.get("/rl/x"))
	})

	t.Run("global limit counted across both", func(t *testing.T) {
		for i := 0; i < 3; i++ {
			mustBackend(t, "a", newVisitor(t, a, 210+i).get("/global/x"), "/global/x")
			mustBackend(t, "b", newVisitor(t, b, 213+i).get("/global/x"), "/global/x")
		}
		settle() // each replica alone has seen 3
		// 7th request of all clients together (limit 6): under attack on both.
		mustChallenge(t, "7th request, on a", newVisitor(t, a, 216).get("/global/x"))
		mustChallenge(t, "8th request, on b", newVisitor(t, b, 217).get("/global/x"))
	})

	t.Run("locked out on one is locked out on both", func(t *testing.T) {
		va := newVisitor(t, a, 204)
		vb := va.on(b)
		wrong := func(v *visitor) response {
			c := mustChallenge(t, "GET /r/lock", v.get("/r/lock"))
			return v.post(c.action, url.Values{"ct": {c.ct}, "tc": {"WRONG" + answer(t, c.ct)}})
		}
		mustChallenge(t, "1st wrong answer (a)", wrong(va))
		mustChallenge(t, "2nd wrong answer (b)", wrong(vb))
		if r := wrong(va); r.status != http.StatusForbidden {
			t.Fatalf("3rd wrong answer (a): want the lockout 403, got %s", r)
		}
		if r := vb.get("/r/lock"); r.status != http.StatusForbidden || !strings.Contains(r.body, "Too many wrong answers") {
			t.Errorf("b after the lockout on a: want 403, got %s", r)
		}
	})

	keys, err := srv.Keys(fmt.Sprintf("e2e-%d:*", os.Getpid()))
	if err != nil || len(keys) == 0 {
		t.Errorf("no keys in Redis: %v %v", keys, err)
	}
	a.AssertNoPluginErrors(t)
	b.AssertNoPluginErrors(t)
}

// maxLatency sends n requests and returns the slowest.
func maxLatency(t *testing.T, n int, fn func(i int)) time.Duration {
	t.Helper()
	var slowest time.Duration
	for i := 0; i < n; i++ {
		start := time.Now()
		fn(i)
		if d := time.Since(start); d > slowest {
			slowest = d
		}
	}
	return slowest
}

func TestReplicasServeWhenRedisIsKilled(t *testing.T) {
	srv, a, b := startReplicas(t)
	va := newVisitor(t, a, 220)
	_, r := va.solve("/k/page")
	token := r.cookie["captcha"]
	vb := va.on(b)
	mustBackend(t, "b before the kill", vb.get("/k/page", cookie(token)), "/k/page")

	srv.Kill()
	timeout := replicaRedisTimeoutMs * time.Millisecond
	// The first request on each replica may wait for the timeout; after
	// that the breaker is open and nothing waits for Redis.
	for _, v := range []*visitor{va, vb} {
		v := v
		slowest := maxLatency(t, 30, func(int) {
			mustBackend(t, "verified visitor, Redis killed", v.get("/k/page", cookie(token)), "/k/page")
		})
		if slowest > timeout+300*time.Millisecond {
			t.Errorf("%s: slowest of 30 requests with Redis killed took %v (timeout %v)", v.inst.BaseURL, slowest, timeout)
		}
		t.Logf("%s: slowest of 30 requests with Redis killed: %v", v.inst.BaseURL, slowest.Round(time.Millisecond))
	}
	// Challenges, answers and limits go on from each replica's own state.
	w := newVisitor(t, b, 221)
	w.solve("/k/other")
	vr := newVisitor(t, a, 222)
	for i := 0; i < 4; i++ {
		mustBackend(t, "rl on a", vr.get("/rl/k"), "/rl/k")
	}
	mustRateLimited(t, "5th on a, from a's own counter", vr.get("/rl/k"))

	for _, inst := range []*traefiktest.Instance{a, b} {
		fams := scrapeMetrics(t, inst)
		if v := sampleValue(fams, "captchaify_redis_breaker_open", "middleware", "site-captchaify@file"); v != 1 {
			t.Errorf("%s: captchaify_redis_breaker_open = %v, want 1", inst.BaseURL, v)
		}
		// One log line for the outage, however many requests.
		if n := strings.Count(inst.Log(), "unavailable"); n < 1 || n > 3 {
			t.Errorf("%s: %d 'unavailable' log lines, want one per pool", inst.BaseURL, n)
		}
	}

	srv.Restart(t)
	deadline := time.Now().Add(15 * time.Second)
	for {
		vb.get("/k/page", cookie(token))
		va.get("/k/page", cookie(token))
		ka, _ := srv.Keys("*:rc:" + va.ip + ":*")
		if len(ka) > 0 {
			fa := sampleValue(scrapeMetrics(t, a), "captchaify_redis_breaker_open", "middleware", "site-captchaify@file")
			fb := sampleValue(scrapeMetrics(t, b), "captchaify_redis_breaker_open", "middleware", "site-captchaify@file")
			if fa == 0 && fb == 0 {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("the replicas did not return to Redis within 15 s of its restart")
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func scrapeMetrics(t *testing.T, inst *traefiktest.Instance) map[string]*dto.MetricFamily {
	t.Helper()
	resp, err := traefiktest.Client("127.0.0.1").Get(inst.URL("/_captchaify/metrics"))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("metrics: status %d", resp.StatusCode)
	}
	p := expfmt.NewTextParser(model.LegacyValidation)
	fams, err := p.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("metrics do not parse: %v", err)
	}
	return fams
}

// sampleValue returns the value of the family's sample with label=value, or -1.
func sampleValue(fams map[string]*dto.MetricFamily, family, label, value string) float64 {
	for _, m := range fams[family].GetMetric() {
		for _, l := range m.GetLabel() {
			if l.GetName() == label && l.GetValue() == value {
				if m.Gauge != nil {
					return m.GetGauge().GetValue()
				}
				return m.GetCounter().GetValue()
			}
		}
	}
	return -1
}
