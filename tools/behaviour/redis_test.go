package behaviour

import (
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/captchaify/captchaify/tools/pluginload"
	"github.com/captchaify/captchaify/tools/redistest"
)

// Shared state in a real redis-server. Two middlewares with the same name
// but separate package state (the compiled plugin and the plugin under
// Yaegi, like two Traefik processes) must see each other's counters, spent
// challenge ids and failures through Redis; and a Redis that is down,
// killed, slow or answering garbage must never stop or slow the site
// beyond redis.timeout.

const redisTimeoutMs = 200

// tripTimeouts is the plugin's: timeouts in a row that open the breaker.
const tripTimeouts = 3

// Rate-limit counts are shared in the background every syncInterval: a
// replica sees the others' counts within about one interval (README,
// "Running several replicas"). The tests wait syncSettle for that.
const syncIntervalMs = 100

// syncSettle is long enough for both replicas to send their counts and read
// the other's back: a few intervals, plus room for a busy machine.
func syncSettle() { time.Sleep(5*syncIntervalMs*time.Millisecond + 200*time.Millisecond) }

var redisSeq int64

// withRedis adds a redis option with a key prefix of its own to cfg.
func withRedis(addr string, cfg map[string]any) map[string]any {
	cfg["redis"] = map[string]any{
		"address":      addr,
		"timeout":      redisTimeoutMs,
		"syncInterval": syncIntervalMs,
		"keyPrefix":    fmt.Sprintf("bt%d-%d:", os.Getpid(), atomic.AddInt64(&redisSeq, 1)),
	}
	return cfg
}

// copyCfg copies cfg, with the text challenge these tests answer.
func copyCfg(cfg map[string]any) map[string]any {
	out := map[string]any{"defaultCaptchaType": "text"}
	for k, v := range cfg {
		out[k] = v
	}
	return out
}

// otherProcess is the plugin with package state apart from f's: the
// compiled plugin for Yaegi, the shared Yaegi interpreter for compiled.
func otherProcess(t *testing.T, f pluginload.Factory) pluginload.Factory {
	t.Helper()
	if _, ok := f.(*pluginload.YaegiPlugin); ok {
		return pluginload.Compiled()
	}
	if raceDetector {
		// The other process would be the Yaegi interpreter, whose own lazy
		// method wrappers race when two interpreted goroutines build the
		// same one (interp.(*itype).refType): a report about Yaegi, not the
		// plugin. The pass without -race runs this subtest with it.
		t.Skip("compiled + Yaegi replicas run in the pass without -race")
	}
	root, err := pluginload.PluginRoot()
	if err != nil {
		t.Fatal(err)
	}
	p, err := pluginload.Shared(root)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// replicas builds the same middleware (same name, same options) in two
// "processes".
func replicas(t *testing.T, f pluginload.Factory, cfg map[string]any) (*site, *site) {
	t.Helper()
	name := uniqueName()
	return mustBuild(t, f, copyCfg(cfg), name), mustBuild(t, otherProcess(t, f), copyCfg(cfg), name)
}

func wrongAnswer(t *testing.T, s *site, v *visitor) response {
	t.Helper()
	return wrongAnswerAt(t, s, v, "/")
}

func wrongAnswerAt(t *testing.T, s *site, v *visitor, path string) response {
	t.Helper()
	page := s.get(t, v, path)
	ct := mustChallenge(t, page)
	return s.answer(t, v, page, url.Values{"ct": {ct}, "tc": {"WRONG" + answer(t, ct)}})
}

func TestRedisStateCrossesProcesses(t *testing.T) {
	srv := redistest.Start(t, redistest.Options{})
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		a, b := replicas(t, f, withRedis(srv.Addr, map[string]any{"defaultAction": "fight", "defaultRateLimit": 8}))

		// A pass earned on a is good on b.
		v := browser("198.51.100.80")
		a.solve(t, v, "/")
		mustReach(t, b.get(t, v, "/"), "backend /?")

		// A challenge answered on a is spent on b.
		w := browser("198.51.100.81")
		page := a.get(t, w, "/")
		ct := mustChallenge(t, page)
		form := url.Values{"ct": {ct}, "tc": {answer(t, ct)}}
		if res := a.answer(t, w, page, form); res.status != http.StatusSeeOther {
			t.Fatalf("answer on a: %d", res.status)
		}
		res := b.answer(t, &visitor{ip: w.ip, ua: w.ua}, page, form)
		mustChallenge(t, res)
		if !strings.Contains(res.body, "already used") {
			t.Errorf("ct spent on a was not refused as used on b")
		}

		// One rate-limit counter: 4 requests on each, and once the counts
		// are shared (one interval) the 9th is refused on either.
		x := browser("198.51.100.82")
		tok := pass(t, x)
		for i := 0; i < 4; i++ {
			mustReach(t, a.get(t, tok, "/"), "backend /?")
			mustReach(t, b.get(t, tok, "/"), "backend /?")
		}
		syncSettle()
		if res := a.get(t, tok, "/"); res.status != http.StatusTooManyRequests {
			t.Errorf("9th request (4 on a, 4 on b, limit 8): got %d, want 429", res.status)
		}
		if res := b.get(t, tok, "/"); res.status != http.StatusTooManyRequests {
			t.Errorf("10th request on b: got %d, want 429", res.status)
		}

		// Failures add up: fight locks out after the 3rd, spread over a and b.
		y := browser("198.51.100.83")
		mustChallenge(t, wrongAnswer(t, a, y))
		mustChallenge(t, wrongAnswer(t, b, y))
		if res := wrongAnswer(t, a, y); res.status != http.StatusForbidden {
			t.Fatalf("3rd wrong answer (2nd on a): got %d, want the lockout", res.status)
		}
		if res := b.get(t, y, "/"); res.status != http.StatusForbidden || !strings.Contains(res.body, "Too many wrong answers") {
			t.Errorf("locked out on a, but b answers %d", res.status)
		}

		keys, err := srv.Keys("bt*")
		if err != nil || len(keys) == 0 {
			t.Errorf("no keys in Redis: %v %v", keys, err)
		}
	})
}

// The same crossings without Redis fail: the test above can fail.
func TestWithoutRedisProcessesDoNotShare(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		a, b := replicas(t, f, map[string]any{"defaultAction": "fight", "defaultRateLimit": 3})
		w := browser("198.51.100.84")
		page := a.get(t, w, "/")
		ct := mustChallenge(t, page)
		form := url.Values{"ct": {ct}, "tc": {answer(t, ct)}}
		a.answer(t, w, page, form)
		if res := b.answer(t, &visitor{ip: w.ip, ua: w.ua}, page, form); res.status != http.StatusSeeOther {
			t.Errorf("without Redis the other process should accept the ct (got %d): the crossing test proves nothing", res.status)
		}
		tok := pass(t, browser("198.51.100.85"))
		for i := 0; i < 3; i++ {
			mustReach(t, a.get(t, tok, "/"), "backend /?")
		}
		mustReach(t, b.get(t, tok, "/"), "backend /?")
	})
}

func TestGlobalLimitAcrossProcesses(t *testing.T) {
	srv := redistest.Start(t, redistest.Options{})
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		a, b := replicas(t, f, withRedis(srv.Addr, map[string]any{"defaultMaxRateLimit": 4}))
		for i := 0; i < 2; i++ {
			mustReach(t, a.get(t, browser(fmt.Sprintf("198.51.100.%d", 90+i)), "/"), "backend /?")
			mustReach(t, b.get(t, browser(fmt.Sprintf("198.51.100.%d", 92+i)), "/"), "backend /?")
		}
		// Each saw 2 of its own: 3 more each would pass without sharing.
		syncSettle()
		// 5th request of all clients together: under attack on either.
		mustChallenge(t, a.get(t, browser("198.51.100.95"), "/"))
		mustChallenge(t, b.get(t, browser("198.51.100.96"), "/"))
	})
}

// A verified visitor's repeat requests take the fast path: they count in
// the client's window and the global one like any other, with Redis and
// without, and the 429 says when to come back.
func TestVerifiedVisitorCountsOnTheFastPath(t *testing.T) {
	srv := redistest.Start(t, redistest.Options{})
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		for _, shared := range []bool{false, true} {
			cfg := map[string]any{"defaultAction": "fight", "defaultRateLimit": 5}
			if shared {
				cfg = withRedis(srv.Addr, cfg)
			}
			s := newSite(t, f, cfg)
			v := pass(t, browser("198.51.100.170"))
			for i := 0; i < 5; i++ {
				mustReach(t, s.get(t, v, "/"), "backend /?")
			}
			res := s.get(t, v, "/")
			if res.status != http.StatusTooManyRequests {
				t.Fatalf("redis %v: 6th request, limit 5: got %d", shared, res.status)
			}
			ra, err := strconv.Atoi(res.header.Get("Retry-After"))
			if err != nil || ra < 1 || ra > 120 {
				t.Errorf("redis %v: Retry-After = %q", shared, res.header.Get("Retry-After"))
			}
			if res.header.Get("Ratelimit-Limit") != "5" || res.header.Get("Ratelimit-Remaining") != "0" {
				t.Errorf("redis %v: RateLimit headers %q %q", shared, res.header.Get("Ratelimit-Limit"), res.header.Get("Ratelimit-Remaining"))
			}
		}

		// The global window: one request on b (a replica reads the global
		// count while it has traffic), 3 of a verified visitor on a (the
		// last two on the fast path), then a new visitor on b is the 5th
		// of all (limit 4).
		a, b := replicas(t, f, withRedis(srv.Addr, map[string]any{"defaultAction": "captcha", "defaultMaxRateLimit": 4}))
		mustReach(t, b.get(t, pass(t, browser("198.51.100.173")), "/"), "backend /?")
		x := pass(t, browser("198.51.100.171"))
		for i := 0; i < 3; i++ {
			mustReach(t, a.get(t, x, "/"), "backend /?")
		}
		syncSettle()
		mustChallenge(t, b.get(t, browser("198.51.100.172"), "/"))
	})
}

// A flood of new addresses, far more than maxTrackedClients: the process
// keeps a bounded number of client windows (evicted ones are not shared),
// but the global window counts every request, in Redis too.
func TestRedisFloodOfAddresses(t *testing.T) {
	srv := redistest.Start(t, redistest.Options{})
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		name := uniqueName()
		cfg := withRedis(srv.Addr, map[string]any{"defaultAction": "allow", "defaultRateLimit": 1000,
			"defaultMaxRateLimit": 1000000, "maxTrackedClients": 100})
		s := mustBuild(t, f, copyCfg(cfg), name)
		const n = 600
		for i := 0; i < n; i++ {
			v := browser(fmt.Sprintf("10.9.%d.%d", i/250, i%250+1))
			if code := httptestGet(s, v, "/"); code != http.StatusOK {
				t.Fatalf("request %d: %d", i, code)
			}
		}
		sum := func(pattern string) (int64, int) {
			keys, _ := srv.Keys(pattern)
			total := int64(0)
			for _, k := range keys {
				v, _ := srv.Do("GET", k)
				x, _ := strconv.ParseInt(fmt.Sprint(v), 10, 64)
				total += x
			}
			return total, len(keys)
		}
		deadline := time.Now().Add(10 * time.Second)
		for {
			if g, _ := sum("*" + name + ":rg:*"); g == n || time.Now().After(deadline) {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
		if g, _ := sum("*" + name + ":rg:*"); g != n {
			t.Errorf("Redis's global count: %d, want all %d requests", g, n)
		}
		if c, keys := sum("*" + name + ":rc:*"); c > n || keys > n {
			t.Errorf("client counts: %d in %d keys for %d requests", c, keys, n)
		}
	})
}

// pass returns a visitor holding a valid pass.
func pass(t *testing.T, v *visitor) *visitor {
	t.Helper()
	tok, err := issuePass(v.ip)
	if err != nil {
		t.Fatal(err)
	}
	v.cookie = "captcha=" + tok
	return v
}

// timed runs fn and fails when it took longer than limit.
func timed(t *testing.T, what string, limit time.Duration, fn func()) time.Duration {
	t.Helper()
	start := time.Now()
	fn()
	d := time.Since(start)
	if d > limit {
		t.Errorf("%s took %v, more than %v", what, d.Round(time.Millisecond), limit)
	}
	return d
}

// slack covers the request itself on a busy machine (tests run beside
// others, with the race detector).
const slack = 400 * time.Millisecond

// serveWithoutRedis checks a site whose Redis is unusable: no request
// waits for Redis to be counted (the background flusher meets the failure
// and opens the breaker: at once, or at the third timeout in a row), then
// no request waits at all, the limits keep working from local state, and
// the metrics say so.
func serveWithoutRedis(t *testing.T, s *site, name string, ipBase int) {
	t.Helper()
	timeout := redisTimeoutMs * time.Millisecond
	v := pass(t, browser(fmt.Sprintf("198.51.100.%d", ipBase)))
	deadline := time.Now().Add(10 * time.Second)
	for redisMetric(t, s, name, "captchaify_redis_breaker_open", "") != 1 {
		if time.Now().After(deadline) {
			t.Fatalf("the breaker did not open within 10 s")
		}
		timed(t, "a request while Redis fails", slack, func() { mustReach(t, s.get(t, v, "/"), "backend /?") })
		time.Sleep(20 * time.Millisecond)
	}
	// With the breaker open nothing waits for Redis: the fallback counter
	// proves each request was decided locally, the clock that none waited
	// a timeout (20 of them would take 4 s). The flusher passes the
	// breaker's state to the request path and their count to the metric,
	// each within an interval.
	syncSettle()
	before := redisMetric(t, s, name, "captchaify_redis_fallbacks_total", "")
	timed(t, "20 requests with the breaker open", 10*timeout, func() {
		for i := 0; i < 20; i++ {
			s.get(t, v, "/")
		}
	})
	syncSettle()
	if after := redisMetric(t, s, name, "captchaify_redis_fallbacks_total", ""); after-before < 20 {
		t.Errorf("only %v of 20 requests were decided locally", after-before)
	}
	// Local limiting: limit 30.
	l := pass(t, browser(fmt.Sprintf("198.51.100.%d", ipBase+2)))
	for i := 0; i < 30; i++ {
		mustReach(t, s.get(t, l, "/"), "backend /?")
	}
	if res := s.get(t, l, "/"); res.status != http.StatusTooManyRequests {
		t.Errorf("31st request: got %d, want 429 from local state", res.status)
	}
	// The challenge flow works; a replay is refused from local state.
	w := browser(fmt.Sprintf("198.51.100.%d", ipBase+1))
	page := s.get(t, w, "/login")
	ct := mustChallenge(t, page)
	form := url.Values{"ct": {ct}, "tc": {answer(t, ct)}}
	if res := s.answer(t, w, page, form); res.status != http.StatusSeeOther {
		t.Fatalf("solving without Redis: %d", res.status)
	}
	mustChallenge(t, s.answer(t, &visitor{ip: w.ip, ua: w.ua}, page, form))
	if v := redisMetric(t, s, name, "captchaify_redis_breaker_open", ""); v != 1 {
		t.Errorf("captchaify_redis_breaker_open = %v, want 1", v)
	}
}

// redisMetric reads one of the middleware's Redis metrics (kind: the
// errors' kind label, or "").
func redisMetric(t *testing.T, s *site, name, family, kind string) float64 {
	t.Helper()
	labels := map[string]string{"middleware": name}
	if kind != "" {
		labels["kind"] = kind
	}
	return metricValue(t, parseProm(t, scrape(t, s)), family, labels)
}

func redisSiteCfg(addr string) map[string]any {
	return withRedis(addr, map[string]any{
		"defaultCaptchaType": "text",
		"defaultAction":      "allow",
		"defaultRateLimit":   30,
		"actions":            map[string]any{"/login": "fight"},
		"metricsPath":        "/_captchaify/metrics",
		"metricsAllowedIPs":  "127.0.0.1",
	})
}

func TestRedisDownAtStart(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		ln.Close() // a port where nothing listens
		name := uniqueName()
		s := mustBuild(t, f, redisSiteCfg(addr), name)
		serveWithoutRedis(t, s, name, 100)
		if v := redisMetric(t, s, name, "captchaify_redis_errors_total", "connect"); v < 1 {
			t.Errorf("connect errors = %v", v)
		}
	})
}

func TestRedisAnswersGarbage(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		fake := redistest.Garbage(t)
		name := uniqueName()
		s := mustBuild(t, f, redisSiteCfg(fake.Addr), name)
		serveWithoutRedis(t, s, name, 110)
		if v := redisMetric(t, s, name, "captchaify_redis_errors_total", "protocol"); v < 1 {
			t.Errorf("protocol errors = %v", v)
		}
	})
}

func TestRedisNeverAnswers(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		fake := redistest.Silent(t)
		name := uniqueName()
		s := mustBuild(t, f, redisSiteCfg(fake.Addr), name)
		serveWithoutRedis(t, s, name, 120)
		if v := redisMetric(t, s, name, "captchaify_redis_errors_total", "timeout"); v < 1 {
			t.Errorf("timeouts = %v", v)
		}
	})
}

// waitBreakerClosed sends requests until Redis holds the client's counter
// again (the breaker closed), up to 10 s.
func waitBreakerClosed(t *testing.T, s *site, name string, srv *redistest.Server, v *visitor) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		s.get(t, v, "/")
		if keys, _ := srv.Keys("*" + name + ":rc:" + v.ip + ":*"); len(keys) > 0 {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("Redis did not get the counters back within 10 s")
}

func TestRedisKilledMidRunAndBack(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		srv := redistest.Start(t, redistest.Options{})
		name := uniqueName()
		s := mustBuild(t, f, redisSiteCfg(srv.Addr), name)
		v := pass(t, browser("198.51.100.130"))
		mustReach(t, s.get(t, v, "/"), "backend /?")
		syncSettle()
		if keys, _ := srv.Keys("*:rc:198.51.100.130:*"); len(keys) != 1 {
			t.Fatalf("counter keys in Redis: %v", keys)
		}
		srv.Kill()
		serveWithoutRedis(t, s, name, 131)

		srv.Restart(t)
		w := pass(t, browser("198.51.100.135"))
		waitBreakerClosed(t, s, name, srv, w)
		if v := redisMetric(t, s, name, "captchaify_redis_breaker_open", ""); v != 0 {
			t.Errorf("captchaify_redis_breaker_open = %v after recovery, want 0", v)
		}
	})
}

func TestRedisSlowThenBack(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		srv := redistest.Start(t, redistest.Options{})
		name := uniqueName()
		s := mustBuild(t, f, redisSiteCfg(srv.Addr), name)
		v := pass(t, browser("198.51.100.140"))
		mustReach(t, s.get(t, v, "/"), "backend /?")
		// DEBUG SLEEP blocks the whole server for 4 s. Requests do not
		// wait for it; the flusher (deadline 500 ms) times out three times
		// in a row and opens the breaker.
		slept := make(chan error, 1)
		go func() { _, err := srv.Do("DEBUG", "SLEEP", "4"); slept <- err }()
		time.Sleep(100 * time.Millisecond)
		start := time.Now()
		for time.Since(start) < 3*time.Second {
			timed(t, "request while Redis sleeps", slack, func() { mustReach(t, s.get(t, v, "/"), "backend /?") })
			time.Sleep(150 * time.Millisecond) // under the limit of 30 a minute
		}
		if v := redisMetric(t, s, name, "captchaify_redis_breaker_open", ""); v != 1 {
			t.Errorf("breaker not open while Redis sleeps: %v", v)
		}
		if v := redisMetric(t, s, name, "captchaify_redis_errors_total", "timeout"); v < tripTimeouts {
			t.Errorf("timeouts counted: %v, want at least %d", v, tripTimeouts)
		}
		if err := <-slept; err != nil {
			t.Fatalf("DEBUG SLEEP: %v", err)
		}
		w := pass(t, browser("198.51.100.141"))
		waitBreakerClosed(t, s, name, srv, w)
	})
}

// Requests at once while Redis holds every command back: none waits for
// Redis (counting is local, the flusher waits), and once Redis answers
// every request is in its counter exactly once.
func TestRedisPausedRequestsDoNotWait(t *testing.T) {
	srv := redistest.Start(t, redistest.Options{})
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		name := uniqueName()
		cfg := redisSiteCfg(srv.Addr)
		cfg["defaultRateLimit"] = 1000
		cfg["redis"].(map[string]any)["timeout"] = 8000
		s := mustBuild(t, f, cfg, name)
		v := pass(t, browser("198.51.100.160"))
		mustReach(t, s.get(t, v, "/"), "backend /?")
		syncSettle()
		if _, err := srv.Do("CLIENT", "PAUSE", "4000", "ALL"); err != nil {
			t.Fatal(err)
		}
		const n = 100
		done := make(chan int, n)
		start := time.Now()
		for i := 0; i < n; i++ {
			go func() { done <- httptestGet(s, v, "/") }()
		}
		for i := 0; i < n; i++ {
			if code := <-done; code != http.StatusOK {
				t.Errorf("request while Redis is paused: %d", code)
			}
		}
		if d := time.Since(start); d > 3*time.Second {
			t.Errorf("%d requests during a 4 s pause took %v: they waited for Redis", n, d)
		}
		count := func() int64 {
			keys, _ := srv.Keys("*" + name + ":rc:198.51.100.160:*")
			total := int64(0)
			for _, k := range keys {
				v, _ := srv.Do("GET", k)
				n, _ := strconv.ParseInt(fmt.Sprint(v), 10, 64)
				total += n
			}
			return total
		}
		deadline := time.Now().Add(15 * time.Second)
		for count() != n+1 && time.Now().Before(deadline) {
			time.Sleep(100 * time.Millisecond)
		}
		if total := count(); total != n+1 {
			t.Errorf("Redis counted %d requests, want %d", total, n+1)
		}
		if v := redisMetric(t, s, name, "captchaify_redis_breaker_open", ""); v != 0 {
			t.Errorf("breaker opened: %v", v)
		}

		// Held back longer than the timeout: the flusher gives up at its
		// deadline (500 ms; three times in a row open the breaker), the
		// requests never notice.
		name2 := uniqueName()
		cfg2 := redisSiteCfg(srv.Addr)
		cfg2["defaultRateLimit"] = 1000
		s2 := mustBuild(t, f, cfg2, name2)
		mustReach(t, s2.get(t, v, "/"), "backend /?")
		syncSettle()
		if _, err := srv.Do("CLIENT", "PAUSE", "5000", "ALL"); err != nil {
			t.Fatal(err)
		}
		start = time.Now()
		for time.Since(start) < 3*time.Second {
			for i := 0; i < 10; i++ {
				go func() { done <- httptestGet(s2, v, "/") }()
			}
			for i := 0; i < 10; i++ {
				if code := <-done; code != http.StatusOK {
					t.Errorf("request while Redis is paused: %d", code)
				}
			}
			time.Sleep(50 * time.Millisecond)
		}
		if v := redisMetric(t, s2, name2, "captchaify_redis_breaker_open", ""); v != 1 {
			t.Errorf("breaker not open during the pause: %v", v)
		}
		waitBreakerClosed(t, s2, name2, srv, browser("198.51.100.161"))
	})
}

// httptestGet is site.get for other goroutines: it reports the status
// instead of failing the test.
func httptestGet(s *site, v *visitor, target string) int {
	r := httptest.NewRequest(http.MethodGet, target, nil)
	r.RemoteAddr = v.ip + ":40000"
	r.Header.Set("User-Agent", v.ua)
	r.Header.Set("Cookie", v.cookie)
	rec := httptest.NewRecorder()
	s.handler.ServeHTTP(rec, r)
	return rec.Code
}

// TestRedisAuthDBAndTLS runs in a child process: Go reads the system roots
// once per process, and the child trusts the test server's certificate
// through SSL_CERT_FILE.
func TestRedisAuthDBAndTLS(t *testing.T) {
	if os.Getenv(redistest.SkipEnv) == "1" {
		t.Skip(redistest.SkipEnv + "=1")
	}
	cert := os.Getenv("CAPTCHAIFY_TEST_REDIS_CERT")
	if cert == "" {
		dir := t.TempDir()
		c, k, err := redistest.SelfSignedCert(dir)
		if err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(os.Args[0], "-test.run=^TestRedisAuthDBAndTLS$", "-test.v")
		cmd.Env = append(os.Environ(), "SSL_CERT_FILE="+c, "CAPTCHAIFY_TEST_REDIS_CERT="+c, "CAPTCHAIFY_TEST_REDIS_KEY="+k)
		out, err := cmd.CombinedOutput()
		if err != nil || !strings.Contains(string(out), "--- PASS: TestRedisAuthDBAndTLS") {
			t.Fatalf("child test: %v\n%s", err, out)
		}
		t.Logf("child test passed:\n%s", grepLines(string(out), "--- "))
		return
	}
	srv := redistest.Start(t, redistest.Options{Username: "app", Password: "s3cret-pw",
		TLSCert: cert, TLSKey: os.Getenv("CAPTCHAIFY_TEST_REDIS_KEY")})
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		cfg := map[string]any{"defaultAction": "allow", "defaultRateLimit": 50,
			"redis": map[string]any{"address": srv.Addr, "username": "app", "password": "s3cret-pw",
				"db": 3, "tls": true, "timeout": 1000, "keyPrefix": "tls:"}}
		s := newSite(t, f, cfg)
		v := pass(t, browser("198.51.100.150"))
		mustReach(t, s.get(t, v, "/"), "backend /?")
		syncSettle()                    // the count goes to Redis within an interval
		n, err := srv.Do("SELECT", "3") // on its own connection: checks the reply only
		if err != nil || n != "OK" {
			t.Fatalf("SELECT: %v %v", n, err)
		}
		keys, err := keysInDB(srv, 3, "tls:*")
		if err != nil || len(keys) == 0 {
			t.Errorf("no keys in database 3 over TLS with ACL user: %v %v", keys, err)
		}
		if keys0, _ := srv.Keys("tls:*"); len(keys0) != 0 {
			t.Errorf("keys landed in database 0: %v", keys0)
		}
	})
}

// keysInDB lists keys of another database with one Lua call (each Do is
// its own connection, so SELECT does not carry over).
func keysInDB(srv *redistest.Server, db int, pattern string) ([]string, error) {
	v, err := srv.Do("EVAL", "redis.call('SELECT', ARGV[1]) return redis.call('KEYS', ARGV[2])", "0", fmt.Sprint(db), pattern)
	if err != nil {
		return nil, err
	}
	list, _ := v.([]any)
	var keys []string
	for _, k := range list {
		keys = append(keys, fmt.Sprint(k))
	}
	return keys, nil
}

func grepLines(text, sub string) string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
