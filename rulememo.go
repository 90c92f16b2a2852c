package captchaify

import (
	"net/http"
	"strings"
	"sync/atomic"
	"time"
)

// A verified visitor's repeat requests take the pass cache (fastpath.go),
// where route maps and rules would still run on every request. Their
// outcome depends only on the request's method, host, URL and the headers
// the rules name, plus the client, which is fixed for a cached pass (its
// key holds the cookie, the user agent and the connection address). So the
// outcome is remembered by the pass key and those request values. This
// holds only while every field the rules read is such a value or the
// client's address or user agent (ruleSet.memo): a rule on a looked-up
// field (geo, ASN, third parties, DNS) is evaluated every time, on
// Middleware.ServeHTTP's path.

// ruleMemoMaxKey bounds the request values remembered (the key after the
// pass key): longer ones are evaluated every time.
const ruleMemoMaxKey = 256

// rulesRoute is the middleware where route maps or rules apply and their
// outcome may be remembered (rulesRouteApplies). Its ServeHTTP is the
// verified fast path with the remembered outcome looked up in the same
// body, the pass with it (one lookup on a hit): under Yaegi each call of an
// interpreted function allocates its frame, so the key is built here.
type rulesRoute struct {
	m *Middleware
}

func rulesRouteApplies(m *Middleware) bool {
	return m.passes != nil && !m.passes.plain && (!m.cfg.rules.active() || m.cfg.rules.memo)
}

func (h *rulesRoute) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	m := h.m
	c := m.passes
	if r.URL.RawQuery != "" && c.ownArgs.MatchString(r.URL.RawQuery) {
		serveFull(m, rw, r) // token arguments and answers take the full path
		return
	}
	ck, err := r.Cookie(c.cookieName)
	if err != nil {
		serveFull(m, rw, r)
		return
	}
	k := ck.Value + "\n" + r.Header.Get("User-Agent") + "\n" + r.RemoteAddr // passKey
	// The outcome's key: the pass key, and every request value route maps
	// and rules may read, NUL-separated; rememberOutcome stores only values
	// that hold no NUL of their own, so a key found is never ambiguous.
	u := r.URL
	vals := strings.Join([]string{r.Method, r.Host, u.Scheme, u.Opaque, u.Path, u.RawPath, u.RawQuery, ""}, "\x00")
	if u.ForceQuery { // "/a?": url reads it
		vals += "?"
	}
	if r.TLS != nil {
		vals += "s"
	}
	for _, name := range c.memoHeaders { // X-Forwarded-Proto first: the scheme
		vals += "\x00"
		if hv := r.Header[name]; len(hv) > 0 {
			vals += hv[0]
		}
	}
	ov, _ := c.decided.Load(memoKey{pass: k, values: vals})
	o, _ := ov.(*memoOutcome)
	if o == nil {
		o = rememberOutcome(m, r, k, vals) // nil without a checked pass
	}
	if o == nil || o.refuse || time.Until(o.pass.expires) <= 0 || strings.HasPrefix(r.URL.Path, c.routePrefix) ||
		c.hints && r.Method == http.MethodGet && len(r.Header["Accept"]) > 0 && strings.Contains(r.Header["Accept"][0], "text/html") && hintsStale(m, r) {
		serveFull(m, rw, r) // as in Middleware.ServeHTTP; and where the outcome refuses the pass
		return
	}
	if o.limited && fastRateLimited(m, rw, r, o.pass.clientKey, o.prefs) {
		return
	}
	atomic.AddUint64(c.passes, 1) // countDecision, inline
	m.next.ServeHTTP(rw, r)
}

// memoKey is what an outcome is remembered by: the pass key and the
// request values, kept apart (no long concatenation per request).
type memoKey struct {
	pass, values string
}

// memoOutcome is what route maps and rules decided for a checked pass and
// request values, with the checks the fast path needs worked out: refuse
// when the pass is too easy or the action blocks (the full pipeline then
// decides), limited when a rate limit applies.
type memoOutcome struct {
	pass    *passEntry
	prefs   *prefs
	refuse  bool
	limited bool
}

// rememberOutcome evaluates route maps and rules for a request with a
// checked pass (nil when it has none) and remembers the outcome, unless the
// values are long or one of them holds a NUL (two requests could then look
// alike).
func rememberOutcome(m *Middleware, r *http.Request, pass, values string) *memoOutcome {
	c := m.passes
	v, _ := c.entries.Load(pass)
	e, _ := v.(*passEntry)
	if e == nil {
		return nil
	}
	p := routeAndRulePrefs(m, r, &e.client, time.Now())
	o := &memoOutcome{pass: e, prefs: p,
		refuse:  e.hardness < p.hardness || p.action == actionBlock,
		limited: p.rateLimit > 0 || p.maxRateLimit > 0}
	if len(values) <= ruleMemoMaxKey && strings.Count(values, "\x00") == c.memoSeps {
		putBounded(c, c.decided, &c.decidedCount, memoKey{pass: pass, values: values}, o)
	}
	return o
}
