// Package e2e runs the plugin inside a real Traefik (v3.6.12, built once by
// scripts/build-traefik.sh) and drives it over HTTP like a visitor would.
//
//	cd tools && go test ./e2e/ -v
//
// One Traefik serves every test: each captchaify configuration sits on its own path
// prefix, and each test acts from its own loopback address (127.0.N.1), so rate
// limits and lockouts of one test do not leak into another. Set
// CAPTCHAIFY_SKIP_TRAEFIK=1 to skip these tests, CAPTCHAIFY_E2E_WORKDIR=dir to keep
// Traefik's working directory and log there.
package e2e

import (
	"encoding/base64"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/captchaify/captchaify"
	"github.com/captchaify/captchaify/tools/traefiktest"
)

const (
	secret    = "e2e-secret-0123456789abcdefghijklmnopqrstuvwxyz"
	userAgent = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0 captchaify-e2e"
	// shortAge is the verificationAge of the /short/ route, in seconds.
	shortAge = 2
	// rateLimit is the per-IP limit (per minute) of the /rl/ route.
	rateLimit = 5
)

// pluginConfig is the base configuration of every captchaify middleware here.
func pluginConfig(extra map[string]any) map[string]any {
	c := map[string]any{
		"secret":             secret,
		"defaultAction":      "fight",
		"defaultCaptchaType": "text",
		// No internet here: the Tor list, ip-api and StopForumSpam are
		// tested against loopback stand-ins in geo_test.go.
		"thirdParties": "none",
		// Search-engine user agents must not make the tests query the
		// machine's resolver; rules_test.go verifies crawlers against its
		// own DNS server.
		"allowVerifiedCrawlers": false,
	}
	if viaXFF {
		c["ipStrategy"] = map[string]any{"depth": 1}
	}
	for k, v := range extra {
		c[k] = v
	}
	return c
}

func baseConfig() traefiktest.Config {
	return traefiktest.Config{Routes: []traefiktest.Route{
		{Name: "site", Rule: "PathPrefix(`/`)", Plugin: pluginConfig(nil)},
		{Name: "short", Rule: "PathPrefix(`/short/`)", Plugin: pluginConfig(map[string]any{"verificationAge": shortAge})},
		{Name: "rl", Rule: "PathPrefix(`/rl/`)", Plugin: pluginConfig(map[string]any{"defaultRateLimit": rateLimit})},
		{Name: "nocookie", Rule: "PathPrefix(`/nocookie/`)", Plugin: pluginConfig(map[string]any{"withoutCookies": true})},
		{Name: "captcha", Rule: "PathPrefix(`/captcha/`)", Plugin: pluginConfig(map[string]any{"defaultAction": "captcha"})},
		// Every value a string, as Docker labels deliver them.
		{Name: "labels", Rule: "PathPrefix(`/labels/`)", Plugin: map[string]any{
			"secret":                secret,
			"thirdParties":          "none",
			"allowVerifiedCrawlers": "false",
			"defaultAction":         "fight",
			"defaultCaptchaType":    "text",
			"defaultHardness":       "1",
			"verificationAge":       "600",
			"withoutCookies":        "true",
			"blockCrawler":          "true",
			"defaultRateLimit":      "100",
			"rateLimits":            map[string]any{"/labels/slow*": "3,100"},
			"ipStrategy":            map[string]any{"depth": map[bool]string{true: "1", false: "0"}[viaXFF]},
		}},
		{Name: "bare", Rule: "PathPrefix(`/bare/`)"},
	}}
}

var (
	shared     *traefiktest.Instance
	sharedErr  error
	sharedOnce sync.Once
	// viaXFF: where connections can't come from 127.0.N.1 (macOS without lo0
	// aliases), or when CAPTCHAIFY_E2E_XFF=1, each visitor's address travels in
	// X-Forwarded-For instead: the entrypoint keeps it and the plugin reads it with
	// ipStrategy.depth 1.
	viaXFF = os.Getenv("CAPTCHAIFY_E2E_XFF") == "1" || !traefiktest.LoopbackAliasesWork()
)

func TestMain(m *testing.M) {
	code := m.Run()
	if shared != nil && code != 0 {
		shared.KeepWorkDir()
		fmt.Fprintf(os.Stderr, "e2e: Traefik's working directory (traefik.log, traefik.out, dynamic.yml) is kept at %s\n", shared.WorkDir)
	}
	if shared != nil {
		if err := shared.Close(); err != nil {
			fmt.Fprintln(os.Stderr, "e2e: stopping Traefik:", err)
		}
	}
	os.Exit(code)
}

// instance returns the Traefik shared by all tests, starting it on first use.
func instance(t *testing.T) *traefiktest.Instance {
	t.Helper()
	if os.Getenv("CAPTCHAIFY_SKIP_TRAEFIK") == "1" {
		t.Skip("CAPTCHAIFY_SKIP_TRAEFIK=1: real-Traefik end-to-end tests skipped")
	}
	sharedOnce.Do(func() {
		start := time.Now()
		shared, sharedErr = traefiktest.Launch(traefiktest.Options{
			Config:                baseConfig(),
			Progress:              os.Stderr,
			TrustForwardedHeaders: viaXFF,
			WorkDir:               os.Getenv("CAPTCHAIFY_E2E_WORKDIR"), // set it to keep Traefik's log
		})
		if sharedErr == nil && viaXFF {
			t.Logf("visitors' addresses travel in X-Forwarded-For (ipStrategy.depth 1)")
		}
		if sharedErr == nil {
			t.Logf("Traefik serves the plugin after %v (work dir %s)", time.Since(start).Round(time.Millisecond), shared.WorkDir)
		}
	})
	if sharedErr != nil {
		t.Fatalf("starting Traefik: %v", sharedErr)
	}
	return shared
}

// visitor is one browser: a loopback address of its own and a User-Agent.
type visitor struct {
	t    *testing.T
	inst *traefiktest.Instance
	ip   string
	ua   string
	hc   *http.Client
}

// newVisitor acts from 127.0.n.1 (or claims it in X-Forwarded-For, see viaXFF).
func newVisitor(t *testing.T, inst *traefiktest.Instance, n int) *visitor {
	ip := fmt.Sprintf("127.0.%d.1", n)
	if viaXFF {
		return &visitor{t: t, inst: inst, ip: ip, ua: userAgent, hc: traefiktest.Client("")}
	}
	return &visitor{t: t, inst: inst, ip: ip, ua: userAgent, hc: traefiktest.Client(ip)}
}

type response struct {
	status int
	header http.Header
	body   string
	cookie map[string]string
}

func (r response) String() string {
	return fmt.Sprintf("%d %v\n%.600s", r.status, r.header, r.body)
}

func (v *visitor) do(method, target string, form url.Values, cookies ...*http.Cookie) response {
	v.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	if strings.HasPrefix(target, "/") {
		target = v.inst.URL(target)
	}
	req, err := http.NewRequest(method, target, body)
	if err != nil {
		v.t.Fatal(err)
	}
	req.Header.Set("User-Agent", v.ua)
	if viaXFF {
		req.Header.Set("X-Forwarded-For", v.ip)
	}
	req.Header.Set("Accept", "text/html,*/*")
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for _, c := range cookies {
		req.AddCookie(c)
	}
	resp, err := v.hc.Do(req)
	if err != nil {
		v.t.Fatalf("%s %s: %v", method, target, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		v.t.Fatalf("%s %s: reading body: %v", method, target, err)
	}
	r := response{status: resp.StatusCode, header: resp.Header, body: string(data), cookie: map[string]string{}}
	for _, c := range resp.Cookies() {
		r.cookie[c.Name] = c.Value
	}
	return r
}

func (v *visitor) get(path string, cookies ...*http.Cookie) response {
	v.t.Helper()
	return v.do(http.MethodGet, path, nil, cookies...)
}

func (v *visitor) post(path string, form url.Values) response {
	v.t.Helper()
	return v.do(http.MethodPost, path, form)
}

var (
	formRe  = regexp.MustCompile(`(?is)<form\b[^>]*>`)
	inputRe = regexp.MustCompile(`(?is)<input\b[^>]*>`)
	imgRe   = regexp.MustCompile(`(?is)<img\b[^>]*>`)
)

func attr(tag, name string) (string, bool) {
	m := regexp.MustCompile(`(?is)\s` + name + `\s*=\s*"([^"]*)"`).FindStringSubmatch(tag)
	if m == nil {
		return "", false
	}
	return html.UnescapeString(m[1]), true
}

// hasPNG reports whether the page shows an <img> whose src is a data URL of a PNG.
func hasPNG(body string) bool {
	for _, img := range imgRe.FindAllString(body, -1) {
		src, _ := attr(img, "src")
		const prefix = "data:image/png;base64,"
		if !strings.HasPrefix(src, prefix) {
			continue
		}
		data, err := base64.StdEncoding.DecodeString(src[len(prefix):])
		if err == nil && len(data) > 100 && strings.HasPrefix(string(data), "\x89PNG\r\n\x1a\n") {
			return true
		}
	}
	return false
}

// challenge is what a challenge page asks the visitor to post.
type challenge struct {
	action string // form action, unescaped
	ct     string
}

// isChallenge reports whether r is a challenge page (any status).
func isChallenge(r response) bool {
	_, ok := parseChallenge(r)
	return ok
}

func parseChallenge(r response) (challenge, bool) {
	var c challenge
	form := formRe.FindString(r.body)
	if form == "" {
		return c, false
	}
	if m, _ := attr(form, "method"); !strings.EqualFold(m, "post") {
		return c, false
	}
	c.action, _ = attr(form, "action")
	hasTC := false
	for _, in := range inputRe.FindAllString(r.body, -1) {
		switch name, _ := attr(in, "name"); name {
		case "ct":
			c.ct, _ = attr(in, "value")
		case "tc":
			hasTC = true
		}
	}
	return c, c.ct != "" && hasTC
}

// mustChallenge asserts that r is a proper challenge page and returns its form.
func mustChallenge(t *testing.T, what string, r response) challenge {
	t.Helper()
	c, ok := parseChallenge(r)
	if !ok {
		t.Fatalf("%s: want a challenge page with ct and tc fields, got %s", what, r)
	}
	if r.status != http.StatusOK {
		t.Errorf("%s: challenge status %d, want 200", what, r.status)
	}
	if cc := r.header.Get("Cache-Control"); !strings.Contains(cc, "no-store") {
		t.Errorf("%s: challenge Cache-Control %q, want no-store", what, cc)
	}
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Errorf("%s: challenge Content-Type %q", what, ct)
	}
	if !hasPNG(r.body) {
		t.Errorf("%s: challenge page has no PNG data image: %.300s", what, imgRe.FindString(r.body))
	}
	if r.header.Get(traefiktest.BackendHeader) != "" {
		t.Errorf("%s: challenge page came from the backend", what)
	}
	return c
}

// mustRefused asserts that r did not let the visitor through: a challenge page, not
// a redirect and not the backend.
func mustRefused(t *testing.T, what string, r response) {
	t.Helper()
	if r.status == http.StatusSeeOther || r.header.Get(traefiktest.BackendHeader) != "" ||
		strings.HasPrefix(r.body, traefiktest.BackendBodyPrefix) {
		t.Fatalf("%s: want refused (challenge page), got %s", what, r)
	}
	mustChallenge(t, what, r)
}

// mustBackend asserts that r is the backend's answer for requestURI.
func mustBackend(t *testing.T, what string, r response, requestURI string) {
	t.Helper()
	want := traefiktest.BackendBodyPrefix + requestURI
	if r.status != http.StatusOK || r.header.Get(traefiktest.BackendHeader) != "1" || strings.TrimSpace(r.body) != want {
		t.Fatalf("%s: want the backend's %q, got %s", what, want, r)
	}
}

func answer(t *testing.T, ct string) string {
	t.Helper()
	info, err := captchaify.OpenChallengeToken(secret, ct)
	if err != nil {
		t.Fatalf("OpenChallengeToken: %v", err)
	}
	if info.Answer == "" {
		t.Fatalf("OpenChallengeToken: empty answer in %+v", info)
	}
	return info.Answer
}

// solve gets a challenge for path, posts the right answer, and returns the 303.
func (v *visitor) solve(path string) (challenge, response) {
	v.t.Helper()
	c := mustChallenge(v.t, "GET "+path, v.get(path))
	target := c.action
	if target == "" {
		target = path
	}
	r := v.post(target, url.Values{"ct": {c.ct}, "tc": {answer(v.t, c.ct)}})
	if r.status != http.StatusSeeOther {
		v.t.Fatalf("POST right answer to %s: want 303, got %s", target, r)
	}
	return c, r
}

// locationPath returns a Location header as path?query, checking it stays on site.
func locationPath(t *testing.T, r response) string {
	t.Helper()
	loc := r.header.Get("Location")
	u, err := url.Parse(loc)
	if err != nil || loc == "" {
		t.Fatalf("bad Location %q: %v", loc, err)
	}
	if u.Host != "" && u.Host != strings.TrimPrefix(shared.BaseURL, "http://") {
		t.Fatalf("Location %q leaves the site", loc)
	}
	return u.RequestURI()
}

func flip(s string) string {
	i := len(s) / 2
	b := []byte(s)
	if b[i] == 'A' {
		b[i] = 'B'
	} else {
		b[i] = 'A'
	}
	return string(b)
}

func cookie(v string) *http.Cookie { return &http.Cookie{Name: "captcha", Value: v} }

// (a) challenge → answer → 303 with the query intact and a cookie → backend.
func TestChallengeFlow(t *testing.T) {
	inst := instance(t)
	v := newVisitor(t, inst, 1)

	mustChallenge(t, "GET /", v.get("/"))

	const page = "/page?a=1&b=two"
	c, r := v.solve(page)
	// The answer is posted in place: the same path and query, plus the
	// marker that tells an answer from the site's own POSTs.
	if !strings.HasPrefix(c.action, page+"&") {
		t.Errorf("form action = %q, want %q plus the answer marker", c.action, page)
	}
	if got := locationPath(t, r); got != page {
		t.Errorf("303 Location = %q, want %q", r.header.Get("Location"), page)
	}
	token := r.cookie["captcha"]
	if token == "" {
		t.Fatalf("no captcha cookie on the 303: %v", r.header["Set-Cookie"])
	}
	sc := strings.Join(r.header["Set-Cookie"], "\n")
	for _, want := range []string{"Path=/", "HttpOnly", "SameSite=Lax", "Max-Age=3600"} {
		if !strings.Contains(sc, want) {
			t.Errorf("Set-Cookie %q lacks %s", sc, want)
		}
	}
	mustBackend(t, "GET with the cookie", v.get(page, cookie(token)), page)
	if r := v.get("/docs/other.html", cookie(token)); r.status != http.StatusOK || r.header.Get(traefiktest.BackendHeader) != "1" ||
		!strings.Contains(r.body, "hello from backend /docs/other.html") {
		t.Errorf("another page with the cookie: want the backend's HTML page, got %s", r)
	}
	// Without the cookie the visitor is challenged again.
	mustRefused(t, "GET without the cookie", v.get(page))
}

// (b) a challenge token is good for one answer only.
func TestSpentChallengeRefused(t *testing.T) {
	inst := instance(t)
	v := newVisitor(t, inst, 2)
	const page = "/spent?x=1"
	c, _ := v.solve(page)
	r := v.post(c.action, url.Values{"ct": {c.ct}, "tc": {answer(t, c.ct)}})
	mustRefused(t, "the same ct and answer posted again", r)
}

// (c) tampered, expired and foreign tokens are refused.
func TestRefusedTokens(t *testing.T) {
	inst := instance(t)

	t.Run("tampered challenge token", func(t *testing.T) {
		v := newVisitor(t, inst, 3)
		const page = "/tamper?y=2"
		c := mustChallenge(t, "GET", v.get(page))
		r := v.post(c.action, url.Values{"ct": {flip(c.ct)}, "tc": {answer(t, c.ct)}})
		mustRefused(t, "tampered ct with the right answer", r)
	})

	t.Run("tampered clearance cookie", func(t *testing.T) {
		v := newVisitor(t, inst, 4)
		const page = "/tamper-cookie"
		_, r := v.solve(page)
		token := r.cookie["captcha"]
		mustBackend(t, "untampered cookie", v.get(page, cookie(token)), page)
		mustRefused(t, "tampered cookie", v.get(page, cookie(flip(token))))
		mustRefused(t, "truncated cookie", v.get(page, cookie(token[:len(token)-4])))
		mustRefused(t, "garbage cookie", v.get(page, cookie("not-a-token")))
	})

	t.Run("expired clearance token", func(t *testing.T) {
		v := newVisitor(t, inst, 5)
		token, err := captchaify.IssueClearanceToken(secret, v.ip, v.ua, 2, "subnet")
		if err != nil {
			t.Fatal(err)
		}
		const page = "/short/expiring?z=3"
		mustBackend(t, "fresh token", v.get(page, cookie(token)), page)
		time.Sleep(time.Duration(shortAge)*time.Second + 1500*time.Millisecond)
		mustRefused(t, fmt.Sprintf("token older than verificationAge %d s", shortAge), v.get(page, cookie(token)))
	})

	t.Run("clearance token for another IP", func(t *testing.T) {
		v := newVisitor(t, inst, 6)
		const page = "/ip-bound"
		own, err := captchaify.IssueClearanceToken(secret, v.ip, v.ua, 2, "subnet")
		if err != nil {
			t.Fatal(err)
		}
		mustBackend(t, "token for the visitor's own IP", v.get(page, cookie(own)), page)
		other, err := captchaify.IssueClearanceToken(secret, "203.0.113.9", v.ua, 2, "subnet")
		if err != nil {
			t.Fatal(err)
		}
		mustRefused(t, "token for 203.0.113.9", v.get(page, cookie(other)))
	})

	t.Run("clearance token for another user agent", func(t *testing.T) {
		v := newVisitor(t, inst, 7)
		const page = "/ua-bound"
		other, err := captchaify.IssueClearanceToken(secret, v.ip, "curl/8.5.0", 2, "subnet")
		if err != nil {
			t.Fatal(err)
		}
		mustRefused(t, "token for another User-Agent", v.get(page, cookie(other)))
		// And a cookie earned by solving is refused when the User-Agent changes.
		_, r := v.solve(page)
		v.ua = "Mozilla/5.0 (Windows NT 10.0) other-browser"
		mustRefused(t, "solved cookie with another User-Agent", v.get(page, cookie(r.cookie["captcha"])))
	})

	t.Run("clearance token with another secret", func(t *testing.T) {
		v := newVisitor(t, inst, 8)
		forged, err := captchaify.IssueClearanceToken(strings.Repeat("x", 40), v.ip, v.ua, 2, "subnet")
		if err != nil {
			t.Fatal(err)
		}
		mustRefused(t, "token sealed with another secret", v.get("/forged", cookie(forged)))
	})
}

// exhaust sends requests to path until the plugin answers 429 and returns that answer.
func exhaust(t *testing.T, v *visitor, path string) response {
	t.Helper()
	for i := 1; i <= rateLimit+5; i++ {
		r := v.get(path)
		if r.status == http.StatusTooManyRequests {
			if i <= rateLimit {
				t.Errorf("429 after only %d requests; the limit is %d per minute", i, rateLimit)
			}
			return r
		}
	}
	t.Fatalf("no 429 after %d requests with defaultRateLimit %d", rateLimit+5, rateLimit)
	return response{}
}

func mustRateLimited(t *testing.T, what string, r response) {
	t.Helper()
	if r.status != http.StatusTooManyRequests {
		t.Fatalf("%s: want 429, got %s", what, r)
	}
	ra := r.header.Get("Retry-After")
	// The limiter counts in a sliding window of 60 s: the wait is at most two windows.
	if n, err := strconv.Atoi(ra); err != nil || n <= 0 || n > 120 {
		t.Errorf("%s: Retry-After %q, want 1..120 seconds", what, ra)
	}
	if r.header.Get(traefiktest.BackendHeader) != "" {
		t.Errorf("%s: the 429 came from the backend", what)
	}
}

// (d) a client over the per-IP rate limit gets 429 with Retry-After.
func TestRateLimit(t *testing.T) {
	inst := instance(t)
	v := newVisitor(t, inst, 9)
	r := exhaust(t, v, "/rl/hit")
	mustRateLimited(t, "over the limit", r)
	if got := r.header.Get("RateLimit-Limit"); got != "" && got != strconv.Itoa(rateLimit) && !strings.HasPrefix(got, strconv.Itoa(rateLimit)+",") && !strings.HasPrefix(got, strconv.Itoa(rateLimit)+";") {
		t.Errorf("RateLimit-Limit = %q, want %d", got, rateLimit)
	}
	// Another client is not affected.
	if r := newVisitor(t, inst, 10).get("/rl/hit"); r.status == http.StatusTooManyRequests {
		t.Errorf("another client was rate limited too: %s", r)
	}
}

// (f) withoutCookies: the pass travels in the URL.
func TestWithoutCookies(t *testing.T) {
	inst := instance(t)
	v := newVisitor(t, inst, 11)
	const page = "/nocookie/page?k=v"
	_, r := v.solve(page)
	if len(r.cookie) != 0 || len(r.header["Set-Cookie"]) != 0 {
		t.Errorf("withoutCookies: the 303 sets cookies: %v", r.header["Set-Cookie"])
	}
	loc := locationPath(t, r)
	u, _ := url.Parse(loc)
	if u.Path != "/nocookie/page" || u.Query().Get("k") != "v" || u.Query().Get("captcha") == "" {
		t.Fatalf("withoutCookies: Location %q, want /nocookie/page?k=v&captcha=…", loc)
	}
	r = v.get(loc)
	if r.status != http.StatusOK || r.header.Get(traefiktest.BackendHeader) != "1" ||
		!strings.HasPrefix(r.body, traefiktest.BackendBodyPrefix+"/nocookie/page?") {
		t.Fatalf("withoutCookies: GET %s: want the backend, got %s", loc, r)
	}
	// The URL pass is bound like the cookie: another User-Agent is refused.
	v.ua = "Mozilla/5.0 other"
	mustRefused(t, "URL pass with another User-Agent", v.get(loc))
}

// (e) state survives a configuration reload: rate-limit counters and spent challenges.
func TestReloadKeepsState(t *testing.T) {
	inst := instance(t)
	limited := newVisitor(t, inst, 12)
	mustRateLimited(t, "before reload", exhaust(t, limited, "/rl/reload"))

	spender := newVisitor(t, inst, 13)
	const page = "/reload?r=1"
	c, r := spender.solve(page)
	token := r.cookie["captcha"]

	cfg := baseConfig()
	cfg.Routes = append(cfg.Routes, traefiktest.Route{Name: "extra", Rule: "PathPrefix(`/extra/`)"})
	cfg.Routes[0].Plugin["logLevel"] = "debug" // a harmless change to the plugin's own options
	start := time.Now()
	if err := inst.Reload(cfg); err != nil {
		t.Fatal(err)
	}
	t.Logf("reload applied after %v", time.Since(start).Round(time.Millisecond))
	if r := limited.get("/extra/x"); r.header.Get(traefiktest.BackendHeader) != "1" {
		t.Fatalf("the new router does not answer: %s", r)
	}

	mustRateLimited(t, "right after reload", limited.get("/rl/reload"))
	mustRefused(t, "ct spent before the reload, posted after it",
		spender.post(c.action, url.Values{"ct": {c.ct}, "tc": {answer(t, c.ct)}}))
	mustBackend(t, "cookie earned before the reload", spender.get(page, cookie(token)), page)
}

// Too many wrong answers lock a client out (more than 2 under fight).
func TestLockout(t *testing.T) {
	inst := instance(t)
	v := newVisitor(t, inst, 14)
	const page = "/lockout"
	r := v.get(page)
	for i := 1; i <= 3; i++ {
		c := mustChallenge(t, fmt.Sprintf("before wrong answer %d", i), r)
		r = v.post(c.action, url.Values{"ct": {c.ct}, "tc": {"WRONG1"}})
		if i < 3 && r.status != http.StatusOK {
			t.Fatalf("wrong answer %d: want 200 and a new challenge, got %s", i, r)
		}
	}
	if r.status != http.StatusForbidden {
		t.Fatalf("third wrong answer under fight: want 403, got %s", r)
	}
	if r := v.get(page); r.status != http.StatusForbidden {
		t.Errorf("GET after the lockout: want 403, got %s", r)
	}
	// Another client is not locked out.
	mustChallenge(t, "another client", newVisitor(t, inst, 15).get(page))
}

// captcha mode: people pass, crawlers get a challenge.
func TestCaptchaModeChallengesCrawlers(t *testing.T) {
	inst := instance(t)
	v := newVisitor(t, inst, 16)
	mustBackend(t, "browser on a captcha route", v.get("/captcha/home?q=1"), "/captcha/home?q=1")
	v.ua = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
	mustRefused(t, "Googlebot on a captcha route", v.get("/captcha/home?q=1"))
}

// Options given as strings (Docker labels) are decoded by Traefik and honoured.
func TestStringOptions(t *testing.T) {
	inst := instance(t)
	v := newVisitor(t, inst, 17)
	c, r := v.solve("/labels/page")
	if n := len(answer(t, c.ct)); n < 6 || n > 8 {
		t.Errorf("defaultHardness \"1\": answer of %d characters, want 6–8", n)
	}
	if loc := locationPath(t, r); !strings.Contains(loc, "captcha=") {
		t.Errorf("withoutCookies \"true\": Location %q has no captcha=", loc)
	}
	w := newVisitor(t, inst, 18)
	for i := 1; i <= 3; i++ {
		if r := w.get("/labels/slow"); r.status == http.StatusTooManyRequests {
			t.Fatalf("rateLimits \"3,100\": 429 on request %d", i)
		}
	}
	mustRateLimited(t, "rateLimits \"3,100\": request 4", w.get("/labels/slow"))
}

// (g) Traefik's log has no plugin error. Runs last.
func TestTraefikLogHasNoPluginErrors(t *testing.T) {
	inst := instance(t)
	inst.AssertNoPluginErrors(t)
	if log := inst.Log(); !strings.Contains(log, "Plugins loaded.") {
		t.Errorf("Traefik's log lacks \"Plugins loaded.\"; is the log captured?\n%.3000s", log)
	}
}
