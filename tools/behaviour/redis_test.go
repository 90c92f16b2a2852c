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

var redisSeq int64

// withRedis adds a redis option with a key prefix of its own to cfg.
func withRedis(addr string, cfg map[string]any) map[string]any {
	cfg["redis"] = map[string]any{
		"address":   addr,
		"timeout":   redisTimeoutMs,
		"keyPrefix": fmt.Sprintf("bt%d-%d:", os.Getpid(), atomic.AddInt64(&redisSeq, 1)),
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

		// One rate-limit counter: 4 requests on each, the 9th is refused on either.
		x := browser("198.51.100.82")
		tok := pass(t, x)
		for i := 0; i < 4; i++ {
			mustReach(t, a.get(t, tok, "/"), "backend /?")
			mustReach(t, b.get(t, tok, "/"), "backend /?")
		}
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
		// 5th request of all clients together: under attack on either.
		mustChallenge(t, a.get(t, browser("198.51.100.95"), "/"))
		mustChallenge(t, b.get(t, browser("198.51.100.96"), "/"))
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

// serveWithoutRedis checks a site whose Redis is unusable: the first
// requests cost at most the timeout each (the breaker opens at the first
// failure, or the third timeout in a row), then no request waits at all,
// the limits keep working from local state, and the metrics say so.
func serveWithoutRedis(t *testing.T, s *site, name string, ipBase int) {
	t.Helper()
	timeout := redisTimeoutMs * time.Millisecond
	v := pass(t, browser(fmt.Sprintf("198.51.100.%d", ipBase)))
	for i := 0; i < 3; i++ {
		timed(t, "one of the first requests", timeout+slack, func() { mustReach(t, s.get(t, v, "/"), "backend /?") })
	}
	// With the breaker open nothing waits for Redis: the fallback counter
	// proves each request was answered locally, the clock that none waited
	// a timeout (20 of them would take 4 s).
	before := redisMetric(t, s, name, "captchaify_redis_fallbacks_total", "")
	timed(t, "20 requests with the breaker open", 10*timeout, func() {
		for i := 0; i < 20; i++ {
			s.get(t, v, "/")
		}
	})
	if after := redisMetric(t, s, name, "captchaify_redis_fallbacks_total", ""); after-before < 20 {
		t.Errorf("only %v of 20 requests were answered locally", after-before)
	}
	// Local limiting: 23 requests so far, limit 30.
	for i := 0; i < 7; i++ {
		mustReach(t, s.get(t, v, "/"), "backend /?")
	}
	if res := s.get(t, v, "/"); res.status != http.StatusTooManyRequests {
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
		if keys, _ := srv.Keys("*:rc:198.51.100.130:*"); len(keys) != 1 {
			t.Fatalf("counter keys in Redis: %v", keys)
		}
		srv.Kill()
		serveWithoutRedis(t, s, name, 131)

		srv.Restart(t)
		w := pass(t, browser("198.51.100.133"))
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
		// DEBUG SLEEP blocks the whole server for 2 s.
		slept := make(chan error, 1)
		go func() { _, err := srv.Do("DEBUG", "SLEEP", "2"); slept <- err }()
		time.Sleep(100 * time.Millisecond)
		timeout := redisTimeoutMs * time.Millisecond
		for i := 0; i < 3; i++ { // three timeouts in a row open the breaker
			timed(t, "request while Redis sleeps", timeout+slack, func() { mustReach(t, s.get(t, v, "/"), "backend /?") })
		}
		timed(t, "20 more requests", 10*timeout, func() {
			for i := 0; i < 20; i++ {
				mustReach(t, s.get(t, v, "/"), "backend /?")
			}
		})
		if err := <-slept; err != nil {
			t.Fatalf("DEBUG SLEEP: %v", err)
		}
		w := pass(t, browser("198.51.100.141"))
		waitBreakerClosed(t, s, name, srv, w)
	})
}

// More requests at once than the pool has connections, while Redis holds
// every command back: the extra ones wait for a connection to come free
// (never beyond redis.timeout) and every request is counted once.
func TestRedisPoolUnderLoad(t *testing.T) {
	srv := redistest.Start(t, redistest.Options{})
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		name := uniqueName()
		cfg := redisSiteCfg(srv.Addr)
		cfg["defaultRateLimit"] = 1000
		cfg["redis"].(map[string]any)["timeout"] = 3000
		s := mustBuild(t, f, cfg, name)
		v := pass(t, browser("198.51.100.160"))
		mustReach(t, s.get(t, v, "/"), "backend /?")
		if _, err := srv.Do("CLIENT", "PAUSE", "500", "ALL"); err != nil {
			t.Fatal(err)
		}
		const n = 100 // the pool holds 64 connections
		done := make(chan int, n)
		start := time.Now()
		for i := 0; i < n; i++ {
			go func() {
				r := httptestGet(s, v, "/")
				done <- r
			}()
		}
		for i := 0; i < n; i++ {
			if code := <-done; code != http.StatusOK {
				t.Errorf("request under load: %d", code)
			}
		}
		d := time.Since(start)
		if d < 400*time.Millisecond || d > 5*time.Second {
			t.Errorf("%d requests behind a 500 ms pause took %v", n, d)
		}
		if v := redisMetric(t, s, name, "captchaify_redis_breaker_open", ""); v != 0 {
			t.Errorf("breaker opened under load: %v", v)
		}
		keys, _ := srv.Keys("*" + name + ":rc:198.51.100.160:*")
		total := int64(0)
		for _, k := range keys {
			v, _ := srv.Do("GET", k)
			n, _ := strconv.ParseInt(fmt.Sprint(v), 10, 64)
			total += n
		}
		if total != n+1 {
			t.Errorf("Redis counted %d requests, want %d", total, n+1)
		}

		// Held back longer than the timeout: the requests holding a
		// connection give up at their read deadline, the waiting ones when
		// their timer fires, all within the timeout, and the breaker opens.
		name2 := uniqueName()
		cfg2 := redisSiteCfg(srv.Addr)
		cfg2["defaultRateLimit"] = 1000
		s2 := mustBuild(t, f, cfg2, name2)
		mustReach(t, s2.get(t, v, "/"), "backend /?")
		if _, err := srv.Do("CLIENT", "PAUSE", "1500", "ALL"); err != nil {
			t.Fatal(err)
		}
		start = time.Now()
		for i := 0; i < n; i++ {
			go func() { done <- httptestGet(s2, v, "/") }()
		}
		for i := 0; i < n; i++ {
			if code := <-done; code != http.StatusOK {
				t.Errorf("request while Redis is paused: %d", code)
			}
		}
		if d := time.Since(start); d > redisTimeoutMs*time.Millisecond+2*time.Second {
			t.Errorf("%d requests with Redis paused took %v (timeout %d ms)", n, d, redisTimeoutMs)
		}
		if v := redisMetric(t, s2, name2, "captchaify_redis_breaker_open", ""); v != 1 {
			t.Errorf("breaker not open after the pause: %v", v)
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
