package captchaify

import (
	"net/http"
	"strings"
	"sync"
	"time"
)

// A verified visitor's repeat requests take the pass cache (fastpath.go),
// where route maps and rules still run on every request. Their outcome
// depends only on the request's method, host, URL and the headers the rules
// name, plus the client, which is fixed for a cached pass (its key holds
// the cookie, the user agent and the connection address). So each cached
// pass remembers the preferences it got for the last few of those request
// values. This holds only while every field the rules read is such a
// value or the client's address or user agent (ruleSet.memo): a rule on a
// looked-up field (geo, ASN, third parties, DNS) is evaluated every time.

// ruleMemo is one cached pass's remembered outcomes.
type ruleMemo struct {
	mu    *sync.Mutex
	items map[string]*prefs // shared, never changed once stored
}

const (
	ruleMemoItems  = 4   // outcomes per pass: a random one makes room
	ruleMemoMaxKey = 256 // longer request values are evaluated, not remembered
)

// newRuleMemo returns a memo for a new cached pass, or nil when the rules
// read something that may change for the same pass.
func newRuleMemo(rs *ruleSet) *ruleMemo {
	if !rs.active() || !rs.memo {
		return nil
	}
	return &ruleMemo{mu: &sync.Mutex{}, items: make(map[string]*prefs, ruleMemoItems)}
}

// rememberedPrefs is routeAndRulePrefs for a pass with a memo: the preferences
// remembered for this request's values, or evaluated and remembered. The
// key is the values the route maps and rules may read, a fixed number of
// them joined by NULs; a request whose values hold a NUL (two requests
// could then look alike) or are long is evaluated, not remembered. One
// function with few expressions: under Yaegi each call and each value of a
// body costs allocations on every request.
func rememberedPrefs(m *Middleware, r *http.Request, e *passEntry) *prefs {
	rs := &m.cfg.rules
	u := r.URL
	key := strings.Join([]string{r.Method, r.Host, u.Scheme, u.Opaque, u.Path, u.RawPath, u.RawQuery, ""}, "\x00")
	if u.ForceQuery { // "/a?": url reads it
		key += "?"
	}
	if r.TLS != nil {
		key += "s"
	}
	for _, name := range rs.memoHeaders { // X-Forwarded-Proto first: the scheme
		key += "\x00"
		if v := r.Header[name]; len(v) > 0 {
			key += v[0]
		}
	}
	mm := e.memo
	if len(key) > ruleMemoMaxKey || strings.Count(key, "\x00") != rs.memoSeps {
		return routeAndRulePrefs(m, r, &e.client, time.Now())
	}
	mm.mu.Lock()
	p := mm.items[key]
	mm.mu.Unlock()
	if p == nil {
		p = routeAndRulePrefs(m, r, &e.client, time.Now())
		memoPut(mm, key, p)
	}
	return p
}

func memoPut(mm *ruleMemo, key string, p *prefs) {
	mm.mu.Lock()
	if len(mm.items) >= ruleMemoItems {
		for k := range mm.items { // Go's random map order: a cheap random eviction
			delete(mm.items, k)
			break
		}
	}
	mm.items[key] = p
	mm.mu.Unlock()
}
