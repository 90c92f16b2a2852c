package captchaify

import (
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"
)

// A verified visitor's repeat requests take the pass cache (fastpath.go),
// where route maps and rules would still run on every request. Their
// outcome depends only on the request's method, host, URL and the headers
// the rules name, plus the client, which is fixed for a cached pass (its
// key holds the cookie, the user agent and the connection address). So the
// outcome is remembered by those values, the pass's among them. This holds
// only while every field the rules read is such a value or the client's
// address or user agent (ruleSet.memo): a rule on a looked-up field (geo,
// ASN, third parties, DNS) is evaluated every time, on
// Middleware.ServeHTTP's path.
//
// The key holds the Cookie header as sent, not the pass cookie parsed out
// of it: a hit then needs no parsing (r.Cookie is the dearest call of the
// fast path under Yaegi). The same single Cookie line always yields the
// same pass cookie, so this is exact; a request with several Cookie lines
// or a long one is remembered by the parsed cookie instead (memoParsedKey).

// memoMaxHeaders is the room for headers in the key (ruleSet.memoHeaders):
// rules reading more are evaluated every time. 7 fills the key's size class.
const memoMaxHeaders = 7

// ruleMemoMaxKey bounds the request values remembered (memoValuesLen):
// longer ones are evaluated every time.
const ruleMemoMaxKey = 256

// memoMaxCookieLine is the longest Cookie header kept in a key as sent.
const memoMaxCookieLine = 1024

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
	// The key holds the values themselves, not a concatenation: under
	// Yaegi each + and each compiled call (Header.Get, r.Cookie) allocates,
	// a struct field read hardly does, and the one loop reads every header,
	// the user agent and the cookies first.
	key := memoKey{remote: r.RemoteAddr, method: r.Method, host: r.Host, url: *r.URL, tls: r.TLS != nil}
	for i, name := range c.memoHeaders {
		if hv := r.Header[name]; len(hv) > 0 {
			key.headers[i] = hv[0]
		}
	}
	// A map under a read lock, not a sync.Map: Load(any) would copy the
	// 320-byte key into an interface on every request (measured under
	// Yaegi: 820 bytes and 6 allocations more per request).
	c.decidedMu.RLock()
	o := c.decided[key]
	c.decidedMu.RUnlock()
	if o == nil {
		o = rememberOutcome(m, r, key) // nil without a checked pass
	}
	if o == nil || o.refuse || time.Until(o.pass.expires) <= 0 ||
		c.hints && r.Method == http.MethodGet && len(r.Header["Accept"]) > 0 && strings.Contains(r.Header["Accept"][0], "text/html") && hintsStale(m, r) {
		serveFull(m, rw, r) // as in Middleware.ServeHTTP; and where the outcome refuses the pass
		return
	}
	// The connection's credit (counted ahead, Middleware.ServeHTTP) serves
	// outcomes whose limits are the defaults'.
	if o.limited && (!o.credited || atomic.AddInt64(&o.pass.credit, -1) < int64(time.Since(unixEpoch))/int64(rateWindow)*creditScale) {
		outcomeLimited(m, rw, r, o)
		return
	}
	atomic.AddUint64(c.passes, 1) // countDecision, inline
	m.next.ServeHTTP(rw, r)
}

// memoKey is what an outcome is remembered by: the pass's values
// (connection address, user agent in headers[0], Cookie line in
// headers[1]) and the request values route maps and rules may read. The
// whole URL is in it (a field more only makes the key stricter; a URL with
// a user is never found again, its pointer differs), and the first value
// of each header in memoHeaders, which is what rules read. No methods:
// under Yaegi v0.16.1 a map key of an interpreted struct type with methods
// is never found again.
type memoKey struct {
	remote, method, host string
	url                  url.URL
	tls                  bool
	headers              [memoMaxHeaders]string
}

// memoCookie is the index of the Cookie line in memoKey.headers.
const memoCookie = 1

// memoParsedKey marks a key whose Cookie slot holds the parsed pass cookie
// rather than the line as sent, which never holds a NUL (net/http refuses
// the request).
const memoParsedKey = "\x00"

// memoValuesLen is the length of the request values in k, the pass's
// apart (those are bounded with the passes, the Cookie line by
// memoMaxCookieLine).
func memoValuesLen(k *memoKey) int {
	u := &k.url
	n := len(k.method) + len(k.host) + len(u.Scheme) + len(u.Opaque) + len(u.Host) + len(u.Path) + len(u.RawPath) +
		len(u.RawQuery) + len(u.Fragment) + len(u.RawFragment)
	for _, h := range k.headers[memoCookie+1:] {
		n += len(h)
	}
	return n
}

// memoOutcome is what route maps and rules decided for a checked pass and
// request values, with the checks the fast path needs worked out: refuse
// when the pass is too easy or the action blocks (the full pipeline then
// decides), limited when a rate limit applies, credited when its limits
// are the defaults' so the connection's credit may count it.
type memoOutcome struct {
	pass     *passEntry
	prefs    *prefs
	refuse   bool
	limited  bool
	credited bool
}

// outcomeLimited counts a request whose outcome sets a rate limit and
// serves it (or 429): with new credit where the limits are the defaults',
// one by one where the rules set their own (a credit granted under other
// limits would skip their check).
func outcomeLimited(m *Middleware, rw http.ResponseWriter, r *http.Request, o *memoOutcome) {
	if o.credited {
		fastLimited(m, rw, r, o.pass, o.prefs)
		return
	}
	if !fastRateLimited(m, rw, r, o.pass.clientKey, o.prefs) {
		atomic.AddUint64(m.passes.passes, 1) // countDecision, inline
		m.next.ServeHTTP(rw, r)
	}
}

// rememberOutcome evaluates route maps and rules for a request with a
// checked pass (nil when it has none) and remembers the outcome, unless the
// request values are long. A Cookie header the key cannot hold as sent
// (several lines, or a long one) is replaced by the parsed pass cookie,
// under which the outcome may already be remembered.
func rememberOutcome(m *Middleware, r *http.Request, key memoKey) *memoOutcome {
	c := m.passes
	ck, err := r.Cookie(c.cookieName)
	if err != nil {
		return nil
	}
	if len(r.Header["Cookie"]) != 1 || len(key.headers[memoCookie]) > memoMaxCookieLine {
		key.headers[memoCookie] = memoParsedKey + ck.Value
		c.decidedMu.RLock()
		o := c.decided[key]
		c.decidedMu.RUnlock()
		if o != nil {
			return o
		}
	}
	v, _ := c.entries.Load(ck.Value + "\n" + key.headers[0] + "\n" + key.remote) // passKey
	e, _ := v.(*passEntry)
	if e == nil {
		return nil
	}
	p := routeAndRulePrefs(m, r, &e.client, time.Now())
	o := &memoOutcome{pass: e, prefs: p,
		refuse: e.hardness < p.hardness || p.action == actionBlock ||
			strings.HasPrefix(r.URL.Path, c.routePrefix), // the plugin's own routes: the key holds the path
		limited: p.rateLimit > 0 || p.maxRateLimit > 0}
	d := &m.cfg.defaults
	o.credited = o.limited && p.rateLimit == d.rateLimit && p.maxRateLimit == d.maxRateLimit
	if memoValuesLen(&key) <= ruleMemoMaxKey {
		putOutcome(c, key, o)
	}
	return o
}

// putOutcome remembers an outcome, bounded like the passes: when full, an
// arbitrary one (Go's map order) makes room.
func putOutcome(c *passCache, key memoKey, o *memoOutcome) {
	c.decidedMu.Lock()
	if _, known := c.decided[key]; !known && len(c.decided) >= c.limit {
		for k := range c.decided {
			delete(c.decided, k)
			break
		}
	}
	c.decided[key] = o
	c.decidedMu.Unlock()
}
