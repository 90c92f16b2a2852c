package captchaify

import (
	"encoding/binary"
	"net/http"
	"strings"
	"sync"
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

// passEntry is a checked pass.
type passEntry struct {
	host      string // the connection's address as RemoteAddr spells it
	agent     string
	clientKey string     // the rate limiter's key for the client
	client    clientAddr // what rules read about the client
	hardness  int
	expires   int64 // unix seconds
}

// passCache belongs to one middleware instance: a reload (maybe a new
// secret or verificationAge) starts with an empty one.
type passCache struct {
	mu      sync.Mutex
	limit   int
	entries map[string]passEntry
}

func newPassCache(limit int) *passCache {
	return &passCache{limit: limit, entries: make(map[string]passEntry)}
}

func (c *passCache) get(token string) (passEntry, bool) {
	c.mu.Lock()
	e, ok := c.entries[token]
	c.mu.Unlock()
	return e, ok
}

func (c *passCache) put(token string, e passEntry) {
	c.mu.Lock()
	if len(c.entries) >= c.limit {
		for k := range c.entries { // Go's random map order: a cheap random eviction
			delete(c.entries, k)
			break
		}
	}
	c.entries[token] = e
	c.mu.Unlock()
}

// remoteHost is RemoteAddr without its port, as cheap as it gets.
func remoteHost(remoteAddr string) string {
	if i := strings.LastIndexByte(remoteAddr, ':'); i >= 0 {
		return remoteAddr[:i]
	}
	return remoteAddr
}

// fastPass serves a verified visitor's request and returns true, or
// returns false when the full pipeline must decide. It is a function, not
// a method: interpreted method calls are several times dearer under Yaegi.
func fastPass(m *Middleware, rw http.ResponseWriter, r *http.Request) bool {
	if r.Method == http.MethodPost && strings.Contains(r.URL.RawQuery, answerMarker) ||
		strings.Contains(r.URL.RawQuery, m.cfg.cookieName+"=") {
		return false
	}
	c, err := r.Cookie(m.cfg.cookieName)
	if err != nil {
		return false
	}
	e, ok := m.passes.get(c.Value)
	if !ok || e.agent != r.Header.Get("User-Agent") || e.host != remoteHost(r.RemoteAddr) {
		return false
	}
	now := time.Now()
	if now.Unix() >= e.expires || strings.HasPrefix(r.URL.Path, m.cfg.routePrefix) {
		return false
	}
	p := m.cfg.defaults
	if len(m.cfg.routes.tables) > 0 {
		m.cfg.routes.apply(&p, requestHost(r), r.URL.Path)
	}
	if m.cfg.rules.active() {
		applyRules(&m.cfg.rules, &p, newClientFacts(m, r, e.client, now))
	}
	if e.hardness < p.hardness || p.action == actionBlock {
		return false
	}
	if m.hints != nil && r.Method == http.MethodGet && strings.Contains(r.Header.Get("Accept"), "text/html") &&
		!m.hints.fresh(hintKey(r), now.Unix()) {
		return false // let the full pipeline read this page's hints
	}
	if p.rateLimit > 0 || p.maxRateLimit > 0 {
		rate := m.limiter.check(e.clientKey, &p, now)
		if rate.limited {
			countDecision(m.metrics, decisionRateLimited)
			m.serveRateLimited(rw, r, &rate)
			return true
		}
	}
	countDecision(m.metrics, decisionPass)
	m.next.ServeHTTP(rw, r)
	return true
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
	m.passes.put(token, passEntry{
		host:      remoteHost(r.RemoteAddr),
		agent:     r.Header.Get("User-Agent"),
		clientKey: client.key,
		client:    client,
		hardness:  hardness,
		expires:   issued + int64(m.cfg.verificationAge/time.Second),
	})
}

// fastPathApplies reports whether the fast path decides exactly as the
// full pipeline would for this configuration.
func fastPathApplies(s *settings) bool {
	return s.ips.depth == 0 && len(s.ips.excluded) == 0 &&
		!s.asRoute && !s.withoutCookies
}
