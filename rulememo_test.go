package captchaify

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
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
		if got := newRuleMemo(memoRules(t, rule)) != nil; got != want {
			t.Errorf("%q: memo %v, want %v", rule, got, want)
		}
	}
	if newRuleMemo(&ruleSet{}) != nil {
		t.Error("a memo without rules")
	}
}

// memoMiddleware is a middleware with just the rules, and a cached pass
// with a memo, for rememberedPrefs.
func memoMiddleware(t *testing.T, rules ...string) (*Middleware, *passEntry) {
	t.Helper()
	rs := memoRules(t, rules...)
	m := &Middleware{cfg: &settings{rules: *rs}}
	m.cfg.defaults = prefs{action: actionAllow, hardness: 1}
	e := &passEntry{memo: newRuleMemo(rs)}
	if e.memo == nil {
		t.Fatal("no memo")
	}
	return m, e
}

// Every request value a rule may read is in the key: a request that
// differs in one of them is evaluated and remembered apart. Values that
// would make two requests look alike are not remembered.
func TestRuleMemoKey(t *testing.T) {
	m, e := memoMiddleware(t, "header.X-Api-Key == k", "header.x-other == o")
	base := func() *http.Request {
		r := httptest.NewRequest(http.MethodGet, "http://shop.example.com/a/b?q=1", nil)
		r.Header.Set("X-Api-Key", "k")
		r.Header.Set("X-Other", "o")
		return r
	}
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
	}
	rememberedPrefs(m, base(), e)
	if len(e.memo.items) != 1 {
		t.Fatalf("%d items after one request", len(e.memo.items))
	}
	for name, change := range variants {
		r := base()
		change(r)
		e.memo.items = map[string]*prefs{} // room for every variant
		rememberedPrefs(m, base(), e)
		rememberedPrefs(m, r, e)
		if len(e.memo.items) != 2 {
			t.Errorf("%s: %d items, want 2: the base request and this one", name, len(e.memo.items))
		}
	}
	// "/a/b?" and "/a/b" differ in url.
	e.memo.items = map[string]*prefs{}
	for _, force := range []bool{false, true} {
		r := base()
		r.URL.RawQuery = ""
		r.URL.ForceQuery = force
		rememberedPrefs(m, r, e)
	}
	if len(e.memo.items) != 2 {
		t.Errorf("a trailing ? made %d items, want 2", len(e.memo.items))
	}
	// Unread headers, the user agent and the client are not in the key.
	e.memo.items = map[string]*prefs{}
	rememberedPrefs(m, base(), e)
	r := base()
	r.Header.Set("Accept", "text/html")
	r.Header.Set("User-Agent", "other")
	r.RemoteAddr = "10.0.0.1:1"
	rememberedPrefs(m, r, e)
	if len(e.memo.items) != 1 {
		t.Errorf("unread values made %d items, want 1", len(e.memo.items))
	}
	for name, change := range map[string]func(r *http.Request){
		"NUL in the path":   func(r *http.Request) { r.URL.Path = "/a\x00/b" },
		"NUL in a header":   func(r *http.Request) { r.Header.Set("X-Api-Key", "k\x00") },
		"NUL in the host":   func(r *http.Request) { r.Host = "a\x00" },
		"a very long query": func(r *http.Request) { r.URL.RawQuery = strings.Repeat("q", ruleMemoMaxKey) },
	} {
		e.memo.items = map[string]*prefs{}
		r := base()
		change(r)
		rememberedPrefs(m, r, e)
		if len(e.memo.items) != 0 {
			t.Errorf("%s: remembered", name)
		}
	}
}

// The remembered outcome is the evaluated one, for each request values.
func TestRuleMemoOutcome(t *testing.T) {
	m, e := memoMiddleware(t, "path starts with /admin", "query contains debug and method == GET")
	cases := map[string]string{
		"/admin/x": actionBlock, "/x": actionAllow, "/x?debug=1": actionBlock, "/admin": actionBlock, "/y?debug": actionBlock, "/y": actionAllow,
	}
	for round := 0; round < 3; round++ {
		for target, want := range cases {
			r := httptest.NewRequest(http.MethodGet, target, nil)
			if got := rememberedPrefs(m, r, e).action; got != want {
				t.Errorf("round %d, %s: %s, want %s", round, target, got, want)
			}
			r = httptest.NewRequest(http.MethodPost, target, nil)
			want := want
			if strings.Contains(target, "debug") {
				want = actionAllow // the rule asks for GET
			}
			if got := rememberedPrefs(m, r, e).action; got != want {
				t.Errorf("round %d, POST %s: %s, want %s", round, target, got, want)
			}
		}
	}
	if len(e.memo.items) > ruleMemoItems {
		t.Errorf("%d items, at most %d", len(e.memo.items), ruleMemoItems)
	}
}

func TestRuleMemoBounded(t *testing.T) {
	mm := newRuleMemo(memoRules(t, "path starts with /a"))
	for i := 0; i < 100; i++ {
		p := &prefs{hardness: i}
		key := strings.Repeat("k", i+1)
		memoPut(mm, key, p)
		if got := mm.items[key]; got != p {
			t.Fatalf("item %d not found right after it was stored", i)
		}
		if len(mm.items) > ruleMemoItems {
			t.Fatalf("%d items, at most %d", len(mm.items), ruleMemoItems)
		}
	}
}
