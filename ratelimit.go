package captchaify

import (
	"strconv"
	"time"
)

// rateWindow is the seed's: limits are requests per minute.
const rateWindow = 60 * time.Second

// rateDecision is what the rate limiter says of one request.
type rateDecision struct {
	clientCount int
	limit       int
	limited     bool // over the per-client limit: answer 429
	underAttack bool // over the global limit: challenge all unverified clients
	soft        bool // over softRateLimit percent: suspicious
	retryAfter  int  // seconds, when limited
}

// rateLimiter counts each client once per request; the route decides the
// thresholds, so one counter serves routes with different limits.
type rateLimiter struct {
	store       stateStore
	softPercent int
	// The store's windows, for the fast path's counting without the
	// interface (one of them is set).
	mem  *memoryStore
	sync *rateSync
}

func newRateLimiter(store stateStore, softPercent int) rateLimiter {
	l := rateLimiter{store: store, softPercent: softPercent}
	switch s := store.(type) {
	case *memoryStore:
		l.mem = s
	case *redisStore:
		l.sync = s.sync
	}
	return l
}

// overLimit is the decision for a fast-path request already counted, whose
// client total is over p.rateLimit: it reads the window, it does not count.
func (l *rateLimiter) overLimit(clientKey string, p *prefs, now time.Time) rateDecision {
	var c windowCount
	if l.sync != nil {
		c = peekSynced(l.sync, clientKey, now)
	} else if l.mem != nil {
		c = l.mem.peek(clientKey, now)
	}
	total := c.total()
	return rateDecision{clientCount: total, limit: p.rateLimit, limited: true, retryAfter: c.retryAfter(p.rateLimit),
		soft: l.softPercent > 0 && total*100 > p.rateLimit*l.softPercent}
}

func (l *rateLimiter) check(clientKey string, p *prefs, now time.Time) rateDecision {
	d := rateDecision{limit: p.rateLimit}
	if p.rateLimit <= 0 && p.maxRateLimit <= 0 {
		return d
	}
	// One counter per client, whatever the route's limit.
	c, g := l.store.countRequest(clientKey, p.maxRateLimit > 0, now, rateWindow)
	if p.rateLimit > 0 {
		d.clientCount = c.total()
		if d.clientCount > p.rateLimit {
			d.limited = true
			d.retryAfter = c.retryAfter(p.rateLimit)
		}
		d.soft = l.softPercent > 0 && d.clientCount*100 > p.rateLimit*l.softPercent
	}
	if p.maxRateLimit > 0 {
		d.underAttack = g.total() > p.maxRateLimit
	}
	return d
}

// setHeaders adds the RateLimit-Limit/-Remaining headers (and Retry-After
// when limited) that clients and the built-in limiter's users expect.
func (d *rateDecision) setHeaders(h map[string][]string) {
	if d.limit <= 0 {
		return
	}
	remaining := d.limit - d.clientCount
	if remaining < 0 {
		remaining = 0
	}
	h["Ratelimit-Limit"] = []string{strconv.Itoa(d.limit)}
	h["Ratelimit-Remaining"] = []string{strconv.Itoa(remaining)}
	if d.limited {
		h["Retry-After"] = []string{strconv.Itoa(d.retryAfter)}
	}
}
