package captchaify

import (
	"encoding/binary"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// The verified visitor's repeat request is the hot path, and under Yaegi
// every interpreted call costs: the full pipeline (address parsing, token
// decryption, two SHA-256, a dozen calls) took about 100 µs. A pass that
// has been checked once is remembered with exactly what it was checked
// against (the connection address, the user agent, its expiry), so the
// next requests cost a map lookup and a few string comparisons.
//
// The fast path only runs where it decides exactly as the full pipeline
// would: the connection address is the client (default ipStrategy) and no
// asRoute; rules are applied here as there (ruleeval.go). Anything unusual (an answer, a token argument, the
// plugin's own routes, a block route, a pass too easy for the route, a page
// whose crawler hints are stale) falls back to the full pipeline.

// passEntry is a checked pass. It is found by passKey: the cookie, the
// user agent and the connection address it was checked against, so a hit
// needs no further comparison.
type passEntry struct {
	client    clientAddr // what rules read about the client
	clientKey string     // the rate limiter's key for the client
	hardness  int
	expires   int64     // unix seconds
	memo      *ruleMemo // outcomes of route maps and rules; nil when they may change (rulememo.go)
}

// passCache belongs to one middleware instance: a reload (maybe a new
// secret or verificationAge) starts with an empty one.
type passCache struct {
	mu      *sync.Mutex
	limit   int
	entries map[string]*passEntry
	// plain is true when neither route maps nor rules change the defaults:
	// the fast path then needs no preferences of its own.
	plain bool
}

func newPassCache(limit int) *passCache {
	return &passCache{mu: &sync.Mutex{}, limit: limit, entries: make(map[string]*passEntry)}
}

// passKey binds a cached pass to exactly what was checked. RemoteAddr keeps
// its port: a new connection is checked once in full, which keeps the key
// one concatenation (interpreted string work is what costs under Yaegi).
func passKey(token string, r *http.Request) string {
	return token + "\n" + r.Header.Get("User-Agent") + "\n" + r.RemoteAddr
}

func getPass(c *passCache, key string) *passEntry {
	c.mu.Lock()
	e := c.entries[key]
	c.mu.Unlock()
	return e
}

func putPass(c *passCache, key string, e *passEntry) {
	c.mu.Lock()
	if len(c.entries) >= c.limit {
		for k := range c.entries { // Go's random map order: a cheap random eviction
			delete(c.entries, k)
			break
		}
	}
	c.entries[key] = e
	c.mu.Unlock()
}

// fastPass serves a verified visitor's request and returns true, or
// returns false when the full pipeline must decide. It is a function, not
// a method, and rare branches live in functions of their own: under Yaegi
// a method call costs several plain calls, and every value of a body is
// allocated on each call, taken branch or not.
func fastPass(m *Middleware, rw http.ResponseWriter, r *http.Request) bool {
	if r.URL.RawQuery != "" && hasTokenOrAnswer(m, r) {
		return false // token arguments and answers take the full path
	}
	c, err := r.Cookie(m.cfg.cookieName)
	if err != nil {
		return false
	}
	e := getPass(m.passes, passKey(c.Value, r))
	if e == nil {
		return false
	}
	now := time.Now()
	if now.Unix() >= e.expires || strings.HasPrefix(r.URL.Path, m.cfg.routePrefix) {
		return false
	}
	p := &m.cfg.defaults
	if !m.passes.plain {
		p = fastPrefs(m, r, e, now)
	}
	if e.hardness < p.hardness || p.action == actionBlock {
		return false
	}
	if m.hints != nil && r.Method == http.MethodGet && hintsWanted(m, r, now) {
		return false // let the full pipeline read this page's hints
	}
	if (p.rateLimit > 0 || p.maxRateLimit > 0) && fastRateLimited(m, rw, r, e.clientKey, p, now) {
		return true
	}
	atomic.AddUint64(&m.metrics.requests[decisionPass], 1) // countDecision, inline
	m.next.ServeHTTP(rw, r)
	return true
}

func hasTokenOrAnswer(m *Middleware, r *http.Request) bool {
	return strings.Contains(r.URL.RawQuery, m.cfg.tokenArg) ||
		r.Method == http.MethodPost && strings.Contains(r.URL.RawQuery, answerMarker) ||
		strings.Contains(r.URL.RawQuery, challengeArg) // stripped on the full path
}

// fastPrefs applies route maps and rules exactly as the full pipeline does,
// or gives their outcome remembered for the same request values
// (rememberedPrefs, rulememo.go).
func fastPrefs(m *Middleware, r *http.Request, e *passEntry, now time.Time) *prefs {
	if e.memo != nil {
		return rememberedPrefs(m, r, e, now)
	}
	return routeAndRulePrefs(m, r, &e.client, now)
}

func routeAndRulePrefs(m *Middleware, r *http.Request, client *clientAddr, now time.Time) *prefs {
	p := m.cfg.defaults
	if len(m.cfg.routes.tables) > 0 {
		m.cfg.routes.apply(&p, requestHost(r), r.URL.Path)
	}
	if len(m.cfg.rules.patches) > 0 {
		applyRules(&m.cfg.rules, &p, m, r, client, now)
	}
	return &p
}

// hintsWanted reports whether this page's crawler hints should be read now.
func hintsWanted(m *Middleware, r *http.Request, now time.Time) bool {
	return r.Method == http.MethodGet && strings.Contains(r.Header.Get("Accept"), "text/html") &&
		!hintsFresh(m.hints, hintKey(r), now.Unix())
}

// fastRateLimited counts the request and answers 429 when it is over the limit.
// The common case is counted by one plain function of the store's
// (syncQuick, memQuick): a verified visitor needs only the client's total.
func fastRateLimited(m *Middleware, rw http.ResponseWriter, r *http.Request, clientKey string, p *prefs, now time.Time) bool {
	total := 0
	if m.limiter.sync != nil {
		total = syncQuick(m.limiter.sync, clientKey, p.maxRateLimit > 0, now.UnixNano())
	} else if m.limiter.mem != nil {
		total = memQuick(m.limiter.mem, clientKey, p.maxRateLimit > 0, now.UnixNano())
	} else {
		total = m.limiter.check(clientKey, p, now).clientCount
	}
	if p.rateLimit <= 0 || total <= p.rateLimit {
		return false
	}
	serveFastLimited(m, rw, r, clientKey, p, now, total)
	return true
}

// serveFastLimited answers 429; a function of its own, so that requests
// under the limit do not pay for its values.
func serveFastLimited(m *Middleware, rw http.ResponseWriter, r *http.Request, clientKey string, p *prefs, now time.Time, total int) {
	rate := m.limiter.overLimit(clientKey, p, now, total)
	m.metrics.count(decisionRateLimited)
	m.serveRateLimited(rw, r, p, &rate)
}

// rememberPass caches a pass the full pipeline just found valid in the
// cookie, for the fast path.
func rememberPass(m *Middleware, r *http.Request, client clientAddr, token string, hardness int) {
	if m.passes == nil {
		return
	}
	p, err := unsealAny(m.keys, kindClearance, token)
	if err != nil || len(p) != clearanceSize {
		return
	}
	issued := int64(binary.BigEndian.Uint64(p[0:8]))
	putPass(m.passes, passKey(token, r), &passEntry{
		client:    client,
		clientKey: client.key,
		hardness:  hardness,
		expires:   issued + int64(m.cfg.verificationAge/time.Second),
		memo:      newRuleMemo(&m.cfg.rules),
	})
}

// fastPathApplies reports whether the fast path decides exactly as the
// full pipeline would for this configuration.
func fastPathApplies(s *settings) bool {
	return s.ips.depth == 0 && len(s.ips.excluded) == 0 &&
		!s.asRoute && !s.withoutCookies
}
