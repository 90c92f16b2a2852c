package captchaify

import (
	"context"
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
)

func memoRules(t *testing.T, rules ...string) *ruleSet {
	t.Helper()
	var entries []RuleConfig
	for _, r := range rules {
		entries = append(entries, RuleConfig{Rule: r, Change: map[string]interface{}{"action": "block"}})
	}
	rs, err := compileRules(entries, 0)
	if err != nil {
		t.Fatal(err)
	}
	return &rs
}

// Only rules whose fields are request values or fixed for a cached pass
// are remembered.
func TestRuleMemoOnlyForFixedFields(t *testing.T) {
	cases := map[string]bool{
		"path starts with /admin":                         true,
		"ip is in 10.0.0.0/8 and user_agent contains bot": true,
		"crawler is true":                                 true,
		"header.X-Api-Key == k or url contains x":         true,
		"invalid_ip is true and scheme == https":          true,
		"path starts with /a and country_code == SE":      false,
		"tor is true":              false,
		"verified_crawler is true": false,
		"as_code == 15169":         false,
		"path starts with /a or forum_spammer is true":     false,
		"domain == example.com and netloc contains :8443":  true,
		"query contains debug and method is in PUT,DELETE": true,
	}
	for rule, want := range cases {
		if got := memoRules(t, rule).memo; got != want {
			t.Errorf("%q: memo %v, want %v", rule, got, want)
		}
	}
}

// memoRoute is a middleware with the rules (or route maps) whose outcome
// is remembered, and a request with a cached pass (cookie "tok").
func memoRoute(t *testing.T, cfg *Config) (*rulesRoute, func() *http.Request) {
	t.Helper()
	cfg.Secret = strings.Repeat("k", 32)
	cfg.DefaultAction = actionFight
	cfg.DefaultHardness = 1
	cfg.DefaultRateLimit, cfg.DefaultMaxRateLimit = 0, 0
	cfg.ThirdParties = []string{"none"}
	cfg.LogLevel = "error"
	h, err := New(context.Background(), http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}), cfg, t.Name())
	if err != nil {
		t.Fatal(err)
	}
	route, ok := h.(*rulesRoute)
	if !ok {
		t.Fatalf("New returned %T, want *rulesRoute", h)
	}
	base := func() *http.Request {
		r := httptest.NewRequest(http.MethodGet, "http://shop.example.com/a/b?q=1", nil)
		r.RemoteAddr = "198.51.100.9:4000"
		r.Header.Set("User-Agent", "test")
		r.Header.Set("Cookie", cfg.CookieName+"=tok")
		r.Header.Set("X-Api-Key", "k")
		r.Header.Set("X-Other", "o")
		return r
	}
	expires := time.Now().Add(time.Hour)
	putPass(route.m.passes, passKey("tok", base()), &passEntry{hardness: 3, expires: expires, expiresNs: expires.UnixNano()})
	return route, base
}

func remembered(c *passCache) int {
	c.decidedMu.RLock()
	defer c.decidedMu.RUnlock()
	return len(c.decided)
}

func forget(c *passCache) {
	c.decidedMu.Lock()
	c.decided = map[memoKey]*memoOutcome{}
	c.decidedMu.Unlock()
}

func rulesConfig(rules ...string) *Config {
	cfg := CreateConfig()
	for _, r := range rules {
		cfg.Rules = append(cfg.Rules, RuleConfig{Rule: r, Change: map[string]interface{}{"action": "block"}})
	}
	return cfg
}

// Every request value a rule may read is in the key: a request that
// differs in one of them is evaluated and remembered apart. Values that
// would make two requests look alike are not remembered.
func TestRuleMemoKey(t *testing.T) {
	route, base := memoRoute(t, rulesConfig("header.X-Api-Key == k", "header.x-other == o", "url contains /private/"))
	c := route.m.passes
	serve := func(r *http.Request) { route.ServeHTTP(httptest.NewRecorder(), r) }
	variants := map[string]func(r *http.Request){
		"method":   func(r *http.Request) { r.Method = http.MethodPost },
		"host":     func(r *http.Request) { r.Host = "shop.example.com:8443" },
		"path":     func(r *http.Request) { r.URL.Path = "/a/c" },
		"rawpath":  func(r *http.Request) { r.URL.RawPath = "/a%2Fb" },
		"query":    func(r *http.Request) { r.URL.RawQuery = "q=2" },
		"opaque":   func(r *http.Request) { r.URL.Opaque = "x" },
		"scheme":   func(r *http.Request) { r.URL.Scheme = "https" },
		"tls":      func(r *http.Request) { r.TLS = &tls.ConnectionState{} },
		"proto":    func(r *http.Request) { r.Header.Set("X-Forwarded-Proto", "https") },
		"header":   func(r *http.Request) { r.Header.Set("X-Api-Key", "k2") },
		"header2":  func(r *http.Request) { r.Header.Set("X-Other", "o2") },
		"noheader": func(r *http.Request) { r.Header.Del("X-Other") },
		"cookies":  func(r *http.Request) { r.Header.Set("Cookie", r.Header.Get("Cookie")+"; theme=dark") },
	}
	serve(base())
	serve(base())
	if n := remembered(c); n != 1 {
		t.Fatalf("%d outcomes remembered after the same request twice, want 1", n)
	}
	for name, change := range variants {
		forget(c)
		r := base()
		change(r)
		serve(base())
		serve(r)
		if n := remembered(c); n != 2 {
			t.Errorf("%s: %d outcomes remembered, want 2: the base request and this one", name, n)
		}
	}
	// "/a/b?" and "/a/b" differ in url.
	forget(c)
	for _, force := range []bool{false, true} {
		r := base()
		r.URL.RawQuery = ""
		r.URL.ForceQuery = force
		serve(r)
	}
	if n := remembered(c); n != 2 {
		t.Errorf("a trailing ? made %d outcomes, want 2", n)
	}
	// Headers no rule reads are not in the key.
	forget(c)
	serve(base())
	r := base()
	r.Header.Set("Accept", "image/png")
	r.Header.Set("Referer", "http://shop.example.com/")
	serve(r)
	if n := remembered(c); n != 1 {
		t.Errorf("unread headers made %d outcomes, want 1", n)
	}
	// Values are kept apart in the key: a NUL in one is a value like any other.
	forget(c)
	for _, vals := range [][2]string{{"k\x00", "o"}, {"k", "\x00o"}} {
		r := base()
		r.Header.Set("X-Api-Key", vals[0])
		r.Header.Set("X-Other", vals[1])
		serve(r)
	}
	if n := remembered(c); n != 2 {
		t.Errorf("values differing in where a NUL is made %d outcomes, want 2", n)
	}
	forget(c)
	r = base()
	r.URL.RawQuery = strings.Repeat("q", ruleMemoMaxKey)
	serve(r)
	if n := remembered(c); n != 0 {
		t.Errorf("a very long query was remembered")
	}
}

// The outcome is found only with the pass it was decided for: another user
// agent (part of the pass key, read in the same loop as the rules'
// headers) takes the full path.
func TestRuleMemoBindsThePass(t *testing.T) {
	route, base := memoRoute(t, rulesConfig("header.User-Agent == evil", "header.X-Api-Key == k2"))
	if got := route.m.passes.memoHeaders; strings.Join(got, ",") != "User-Agent,Cookie,X-Api-Key" {
		t.Errorf("memoHeaders %q: the user agent first, once", got)
	}
	rec := httptest.NewRecorder()
	route.ServeHTTP(rec, base())
	if rec.Body.Len() != 0 {
		t.Fatalf("the cached pass was not let through: %d %q", rec.Code, rec.Body.String())
	}
	r := base()
	r.Header.Set("User-Agent", "other")
	rec = httptest.NewRecorder()
	route.ServeHTTP(rec, r)
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "<form") {
		t.Errorf("another user agent: %d, want the challenge page", rec.Code)
	}
}

// Rules reading more headers than the key holds are evaluated every time.
func TestRuleMemoHeaderRoom(t *testing.T) {
	var rules []string
	for i := 0; i < memoMaxHeaders-2; i++ {
		rules = append(rules, "header.X-H"+strconv.Itoa(i)+" == v")
	}
	if !memoRules(t, rules...).memo {
		t.Errorf("%d headers: not remembered, want remembered", len(rules))
	}
	rules = append(rules, "header.X-One-More == v")
	if memoRules(t, rules...).memo {
		t.Errorf("%d headers: remembered, the key holds %d with the user agent and the cookies", len(rules), memoMaxHeaders)
	}
}

// Route maps alone are remembered too; rules on looked-up fields are not
// (Middleware.ServeHTTP evaluates them every time).
func TestRuleMemoApplies(t *testing.T) {
	cfg := CreateConfig()
	cfg.Actions = map[string]string{"/admin*": actionBlock}
	route, base := memoRoute(t, cfg)
	route.ServeHTTP(httptest.NewRecorder(), base())
	if n := remembered(route.m.passes); n != 1 {
		t.Errorf("route maps: %d outcomes remembered, want 1", n)
	}
	cfg = rulesConfig("country_code == SE")
	cfg.Secret = strings.Repeat("k", 32)
	h, err := New(context.Background(), http.NotFoundHandler(), cfg, t.Name()+"-geo")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := h.(*Middleware); !ok {
		t.Errorf("rules on a looked-up field: New returned %T, want *Middleware", h)
	}
}

// The remembered outcomes are bounded like the passes (maxTrackedClients).
func TestRuleMemoBounded(t *testing.T) {
	cfg := rulesConfig("path starts with /admin")
	cfg.MaxTrackedClients = 100
	route, base := memoRoute(t, cfg)
	for i := 0; i < 300; i++ {
		r := base()
		r.URL.Path = "/p" + strconv.Itoa(i)
		route.ServeHTTP(httptest.NewRecorder(), r)
		if n := remembered(route.m.passes); n > 100 {
			t.Fatalf("%d outcomes remembered, at most 100", n)
		}
	}
	if n := remembered(route.m.passes); n != 100 {
		t.Errorf("%d outcomes remembered after 300 distinct requests, want 100", n)
	}
}

// The Cookie line is in the key as sent; several lines, or a long one, are
// remembered by the parsed pass cookie instead, and found again that way.
func TestRuleMemoCookieLines(t *testing.T) {
	route, base := memoRoute(t, rulesConfig("path starts with /admin"))
	c := route.m.passes
	serve := func(r *http.Request) int {
		rec := httptest.NewRecorder()
		route.ServeHTTP(rec, r)
		return rec.Body.Len()
	}
	for name, change := range map[string]func(r *http.Request){
		"two lines": func(r *http.Request) { r.Header.Add("Cookie", "theme=dark") },
		"long line": func(r *http.Request) {
			r.Header.Set("Cookie", "big="+strings.Repeat("x", memoMaxCookieLine)+"; "+r.Header.Get("Cookie"))
		},
	} {
		forget(c)
		for i := 0; i < 3; i++ {
			r := base()
			change(r)
			if n := serve(r); n != 0 {
				t.Fatalf("%s: the pass was not let through (%d bytes of a page)", name, n)
			}
		}
		var keys []memoKey
		for k := range c.decided {
			keys = append(keys, k)
		}
		if len(keys) != 1 || keys[0].headers[memoCookie] != memoParsedKey+"tok" {
			t.Errorf("%s: remembered %d outcomes, want 1 under the parsed cookie", name, len(keys))
		}
	}
	// The pass cookie on a second line is found (the key holds it parsed).
	forget(c)
	serve(base())
	r := base()
	r.Header.Set("Cookie", "theme=dark")
	r.Header.Add("Cookie", route.m.cfg.cookieName+"=tok")
	if n := serve(r); n != 0 || remembered(c) != 2 {
		t.Errorf("the pass cookie on a second line: %d bytes of a page, %d outcomes remembered, want 0 and 2", n, remembered(c))
	}
	r = base()
	r.Header.Del("Cookie")
	if n := serve(r); n == 0 {
		t.Errorf("no cookie at all was let through")
	}
}

// X-Forwarded-Proto is in the key only where the rules read the scheme.
func TestRuleMemoForwardedProto(t *testing.T) {
	for rule, want := range map[string]string{
		"path starts with /a":   "User-Agent,Cookie",
		"url contains /a":       "User-Agent,Cookie,X-Forwarded-Proto",
		"scheme == https":       "User-Agent,Cookie,X-Forwarded-Proto",
		"header.X-A == 1":       "User-Agent,Cookie,X-A",
		"user_agent contains b": "User-Agent,Cookie",
	} {
		if got := strings.Join(memoRules(t, rule).memoHeaders, ","); got != want {
			t.Errorf("%q: key headers %s, want %s", rule, got, want)
		}
	}
}

// The plugin's own paths (routePrefix) are never passed on from a
// remembered outcome: the outcome refuses them, the first time and after.
func TestRuleMemoOwnRoutes(t *testing.T) {
	route, base := memoRoute(t, rulesConfig("path starts with /admin"))
	for i := 0; i < 2; i++ {
		r := base()
		r.URL.Path = route.m.cfg.routePrefix + "nothing-here"
		rec := httptest.NewRecorder()
		route.ServeHTTP(rec, r)
		if rec.Code == http.StatusOK && rec.Body.Len() == 0 {
			t.Fatalf("request %d under routePrefix reached the site", i+1)
		}
	}
	if n := remembered(route.m.passes); n != 1 {
		t.Errorf("%d outcomes remembered, want 1 (refusing)", n)
	}
}
