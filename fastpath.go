package captchaify

import (
	"encoding/binary"
	"net/http"
	"regexp"
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
// next requests cost one lookup and a few comparisons.
//
// What costs under Yaegi v0.16.1 (interp/run.go, call): each call of an
// interpreted function allocates a frame and one value for every
// expression of its body, taken branch or not; each call of a compiled
// function copies its arguments and results through reflect. So the
// common case is written out in ServeHTTP, one variant per configuration
// (plain, limited, with rules) is chosen by flags set in New, and rare
// branches live in functions of their own.
//
// The fast path only runs where it decides exactly as the full pipeline
// would: the connection address is the client (default ipStrategy) and no
// asRoute; rules are applied here as there (ruleeval.go). Anything unusual
// (an answer, a token argument, the plugin's own routes, a block route, a
// pass too easy for the route, a page whose crawler hints are stale) falls
// back to the full pipeline.

// passEntry is a checked pass. It is found by passKey: the cookie, the
// user agent and the connection address it was checked against, so a hit
// needs no further comparison.
type passEntry struct {
	client    clientAddr // what rules read about the client
	clientKey string     // the rate limiter's key for the client
	hardness  int
	expires   time.Time // the token's issue time plus verificationAge
	expiresNs int64     // the same in unix nanoseconds
	// credit is how many more requests this connection may make without
	// counting them in the rate window it was granted for: they were
	// counted ahead (creditAhead, state.go). Atomic: the window's index
	// times creditScale, plus the requests left; below that, count the next.
	credit int64
}

// passCache belongs to one middleware instance: a reload (maybe a new
// secret or verificationAge) starts with an empty one. Lookups go through a
// sync.Map: one compiled call, where a mutex and a map index are three
// interpreted steps. The fields the fast path reads are copied flat here:
// under Yaegi each selector in a chain is a value of its own.
type passCache struct {
	entries *sync.Map // passKey → *passEntry
	mu      *sync.Mutex
	count   int // entries stored, guarded by mu (eviction)
	limit   int

	cookieName  string
	routePrefix string
	ownArgs     *regexp.Regexp // ownArgsPattern
	passes      *uint64        // the metric of passed requests (countDecision)
	// plain is true when neither route maps nor rules change the defaults:
	// a cached pass (only one enough for the defaults is cached) then needs
	// nothing but its expiry, the path and the crawler hints checked, and
	// the rate limit counted when limited is true. Otherwise route maps and
	// rules decide.
	plain   bool
	limited bool
	hints   bool // crawlerHints: a page whose hints are stale takes the full path

	// The outcomes of route maps and rules, remembered by pass and request
	// values (rulesRoute, rulememo.go); bounded as entries.
	decided     map[memoKey]*memoOutcome // guarded by decidedMu
	decidedMu   *sync.RWMutex
	memoHeaders []string
}

func newPassCache(m *Middleware) *passCache {
	s := m.cfg
	c := &passCache{
		entries: &sync.Map{}, mu: &sync.Mutex{}, limit: s.maxTracked,
		cookieName: s.cookieName, routePrefix: s.routePrefix, ownArgs: ownArgsPattern(s),
		passes: &m.metrics.requests[decisionPass],
		plain:  len(s.routes.tables) == 0 && len(s.rules.patches) == 0,
	}
	c.limited = c.plain && (s.defaults.rateLimit > 0 || s.defaults.maxRateLimit > 0)
	c.decided = map[memoKey]*memoOutcome{}
	c.decidedMu = &sync.RWMutex{}
	c.memoHeaders = s.rules.memoHeaders
	c.hints = m.hints != nil
	return c
}

// passKey binds a cached pass to exactly what was checked. RemoteAddr keeps
// its port: a new connection is checked once in full, which keeps the key
// one concatenation (interpreted string work is what costs under Yaegi).
// ServeHTTP writes the same concatenation out.
func passKey(token string, r *http.Request) string {
	return token + "\n" + r.Header.Get("User-Agent") + "\n" + r.RemoteAddr
}

func putPass(c *passCache, key string, e *passEntry) {
	putBounded(c, c.entries, &c.count, key, e)
}

// putBounded stores v in the passes' map, whose size count holds (guarded
// by c.mu), evicting an entry when it is full.
func putBounded(c *passCache, entries *sync.Map, count *int, key, v any) {
	c.mu.Lock()
	if _, known := entries.Load(key); !known {
		if *count >= c.limit {
			entries.Range(func(k, _ any) bool { // a cheap eviction: the first one met
				entries.Delete(k)
				return false
			})
		} else {
			*count++
		}
	}
	entries.Store(key, v)
	c.mu.Unlock()
}

// ServeHTTP runs the pipeline (serveFull), or serves a verified visitor's
// repeat request from the pass cache. The fast path is written out here,
// not called: under Yaegi each interpreted call allocates a frame with a
// value for every expression of its body, and each compiled call copies
// its arguments, so the common case is one body with few expressions and
// the library calls it cannot do without; everything rarer lives in
// functions of its own.
func (m *Middleware) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	c := m.passes
	if c == nil || r.URL.RawQuery != "" && c.ownArgs.MatchString(r.URL.RawQuery) {
		serveFull(m, rw, r) // token arguments and answers take the full path
		return
	}
	ck, err := r.Cookie(c.cookieName)
	if err != nil {
		serveFull(m, rw, r)
		return
	}
	v, _ := c.entries.Load(ck.Value + "\n" + r.Header.Get("User-Agent") + "\n" + r.RemoteAddr) // passKey
	e, _ := v.(*passEntry)
	if e == nil {
		serveFull(m, rw, r)
		return
	}
	left := time.Until(e.expires)
	if left <= 0 || strings.HasPrefix(r.URL.Path, c.routePrefix) ||
		c.hints && r.Method == http.MethodGet && len(r.Header["Accept"]) > 0 && strings.Contains(r.Header["Accept"][0], "text/html") && hintsStale(m, r) {
		// The full pipeline reads stale crawler hints. Accept is indexed,
		// not Get: a request without one then costs no library call.
		serveFull(m, rw, r)
		return
	}
	// Credit is good in the rate window it was granted in (passEntry.credit);
	// the clock is the expiry less what is left of it, without a call.
	if c.limited && atomic.AddInt64(&e.credit, -1) < (e.expiresNs-int64(left))/int64(rateWindow)*creditScale {
		fastLimited(m, rw, r, e, nil) // no credit left in this window: count this request
		return
	}
	if !c.plain {
		fastRules(m, rw, r, e)
		return
	}
	atomic.AddUint64(c.passes, 1) // countDecision, inline
	m.next.ServeHTTP(rw, r)
}

// fastLimited finishes the fast path where a rate limit applies (p: a
// remembered outcome's prefs with the defaults' limits; nil: the defaults,
// a constant argument that costs the callers' frames nothing), for a
// connection without credit: it counts the request and passes it on with a
// new credit, or answers 429.
func fastLimited(m *Middleware, rw http.ResponseWriter, r *http.Request, e *passEntry, p *prefs) {
	if p == nil {
		p = &m.cfg.defaults
	}
	n := int64(time.Since(unixEpoch))
	over := false
	credit := 0
	if m.limiter.sync != nil {
		over, credit = syncQuick(m.limiter.sync, e.clientKey, n, p, true)
	} else {
		over, credit = memQuick(m.limiter.mem, e.clientKey, n, p, true)
	}
	if over {
		serveFastLimited(m, rw, r, e.clientKey, p)
		return
	}
	atomic.StoreInt64(&e.credit, n/int64(rateWindow)*creditScale+int64(credit))
	atomic.AddUint64(m.passes.passes, 1) // countDecision, inline
	m.next.ServeHTTP(rw, r)
}

// fastRules finishes the fast path where route maps or rules apply and
// their outcome is not remembered (rules on looked-up fields; see
// rulesRoute otherwise): they are evaluated for every request.
func fastRules(m *Middleware, rw http.ResponseWriter, r *http.Request, e *passEntry) {
	p := routeAndRulePrefs(m, r, &e.client, time.Now())
	if e.hardness < p.hardness || p.action == actionBlock {
		serveFull(m, rw, r) // the full pipeline decides
		return
	}
	if (p.rateLimit > 0 || p.maxRateLimit > 0) && fastRateLimited(m, rw, r, e.clientKey, p) {
		return
	}
	atomic.AddUint64(m.passes.passes, 1) // countDecision, inline
	m.next.ServeHTTP(rw, r)
}

// fastRateLimited counts the request and answers 429 when it is over the
// limit the route maps and rules set.
func fastRateLimited(m *Middleware, rw http.ResponseWriter, r *http.Request, clientKey string, p *prefs) bool {
	over := false
	if m.limiter.sync != nil {
		over, _ = syncQuick(m.limiter.sync, clientKey, int64(time.Since(unixEpoch)), p, false)
	} else {
		over, _ = memQuick(m.limiter.mem, clientKey, int64(time.Since(unixEpoch)), p, false)
	}
	if over {
		serveFastLimited(m, rw, r, clientKey, p)
	}
	return over
}

// creditScale separates a credit's rate window from the requests left in
// it (passEntry.credit): more than creditMax.
const creditScale = 1 << 20

// unixEpoch has no monotonic reading: time.Since(unixEpoch) is the wall
// clock's UnixNano in one call, which replicas sharing Redis agree on.
var unixEpoch = time.Unix(0, 0)

// ownArgsPattern matches a query that may hold the plugin's own arguments:
// a token (stripped on the full path), an answer marker (only a POST is an
// answer; a GET with it merely takes the full path) or the audio switch.
// One compiled call, where three Contains in a function cost a frame too.
func ownArgsPattern(s *settings) *regexp.Regexp {
	return regexp.MustCompile(regexp.QuoteMeta(s.tokenArg) + "|" + regexp.QuoteMeta(answerMarker) + "|" + regexp.QuoteMeta(challengeArg))
}

// routeAndRulePrefs applies route maps and rules exactly as the full
// pipeline does.
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

// hintsStale reports whether this page's crawler hints should be read now.
func hintsStale(m *Middleware, r *http.Request) bool {
	return !hintsFresh(m.hints, hintKey(r), time.Now().Unix())
}

// serveFastLimited answers 429 for a request the fast path counted over
// the limit; a function of its own, so that requests under the limit do
// not pay for its values.
func serveFastLimited(m *Middleware, rw http.ResponseWriter, r *http.Request, clientKey string, p *prefs) {
	rate := m.limiter.overLimit(clientKey, p, time.Now())
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
	d := &m.cfg.defaults
	if m.passes.plain && (hardness < d.hardness || d.action == actionBlock) {
		return // the defaults decide every request, and this pass is not enough
	}
	expires := time.Unix(int64(binary.BigEndian.Uint64(p[0:8])), 0).Add(m.cfg.verificationAge)
	putPass(m.passes, passKey(token, r), &passEntry{
		client:    client,
		clientKey: client.key,
		hardness:  hardness,
		expires:   expires,
		expiresNs: expires.UnixNano(),
	})
}

// fastPathApplies reports whether the fast path decides exactly as the
// full pipeline would for this configuration.
func fastPathApplies(s *settings) bool {
	return s.ips.depth == 0 && len(s.ips.excluded) == 0 &&
		!s.asRoute && !s.withoutCookies
}
