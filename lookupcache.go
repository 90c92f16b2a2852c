package captchaify

import (
	"fmt"
	"sort"
	"sync"
	"time"
)

// lookupCache holds the answers of one third-party service per key (an IP
// address): bounded, with an expiry, and with one lookup in flight per key
// however many requests ask for it at once. A lookup runs in its own
// goroutine, so a request waits for it only until its own deadline; the
// answer still lands in the cache for the next request.
type lookupCache struct {
	mu      sync.Mutex
	limit   int
	ttl     time.Duration // for answers
	failTTL time.Duration // for failures, so a broken service is not asked per request
	entries map[string]*lookupEntry
}

// lookupEntry is one lookup, in flight or finished. Waiters do not select on
// done: under Yaegi v0.16.1 a select statement keeps one table of cases for
// all goroutines running it, so requests waiting at once would wait on each
// other's channels. Each waiter instead has its own channel, which the
// lookup (answer) and its timer (timeout) both send into.
type lookupEntry struct {
	done chan struct{} // closed when the lookup has finished; receive with a plain <-, never in a select

	mu       sync.Mutex
	finished bool
	waiters  []chan bool // true: finished; false: the waiter's deadline passed
	value    interface{}
	err      error // the lookup failed (fail open: unknown)
	expires  int64 // unix nanoseconds; set when finished
}

func newLookupCache(limit int, ttl, failTTL time.Duration) *lookupCache {
	return &lookupCache{limit: limit, ttl: ttl, failTTL: failTTL, entries: make(map[string]*lookupEntry)}
}

// start returns the entry for key, starting fetch in the background when
// there is no fresh one. fetch must end on its own (it has a timeout).
func (c *lookupCache) start(key string, now time.Time, fetch func() (interface{}, error), failed func(error)) *lookupEntry {
	c.mu.Lock()
	e := c.entries[key]
	if e != nil {
		finished, expires := e.state()
		if !finished || now.UnixNano() < expires {
			c.mu.Unlock()
			return e // in flight (share it), or fresh
		}
	}
	if e == nil && len(c.entries) >= c.limit {
		c.evictLocked(now)
	}
	e = &lookupEntry{done: make(chan struct{})}
	c.entries[key] = e
	c.mu.Unlock()
	go c.run(e, fetch, failed)
	return e
}

func (c *lookupCache) run(e *lookupEntry, fetch func() (interface{}, error), failed func(error)) {
	var value interface{}
	err := fmt.Errorf("lookup did not finish")
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("lookup panicked: %v", p)
		}
		ttl := c.ttl
		if err != nil {
			ttl = c.failTTL
			value = nil
			if failed != nil {
				failed(err)
			}
		}
		e.finish(value, err, ttl)
	}()
	value, err = fetch()
}

// finish stores the outcome and wakes the waiters.
func (e *lookupEntry) finish(value interface{}, err error, ttl time.Duration) {
	e.mu.Lock()
	// two statements: under Yaegi v0.16.1 the parallel assignment of a
	// captured interface{} panics (reflect.Set … interp.valueInterface)
	// and, in this goroutine, takes Traefik down
	e.value = value
	e.err = err
	e.expires = time.Now().Add(ttl).UnixNano()
	e.finished = true
	waiters := e.waiters
	e.waiters = nil
	e.mu.Unlock()
	close(e.done)
	for i := 0; i < len(waiters); i++ { // see dropWaiter: no range here
		waiters[i] <- true // buffered for two: never blocks
	}
}

// wait returns the entry's answer, or ok false when it failed or did not
// come by deadline.
func (e *lookupEntry) wait(deadline time.Time) (interface{}, bool) {
	v, result := e.waitResult(deadline)
	return v, result == "cached" || result == "ok"
}

// waitResult is wait that also says how it went, for the metrics: "cached"
// (there already), "ok", "timeout", "limited" or "error".
func (e *lookupEntry) waitResult(deadline time.Time) (interface{}, string) {
	e.mu.Lock()
	if e.finished {
		e.mu.Unlock()
		return e.result("cached")
	}
	d := time.Until(deadline)
	if d <= 0 {
		e.mu.Unlock()
		return nil, "timeout"
	}
	w := make(chan bool, 2) // the answer and the timeout may both come
	e.waiters = append(e.waiters, w)
	e.mu.Unlock()
	t := time.AfterFunc(d, func() { w <- false })
	finished := <-w
	t.Stop()
	if !finished {
		e.dropWaiter(w)
		return nil, "timeout"
	}
	return e.result("ok")
}

// isFinished reports whether the lookup has finished (answer or failure).
func (e *lookupEntry) isFinished() bool {
	finished, _ := e.state()
	return finished
}

func (e *lookupEntry) state() (bool, int64) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.finished, e.expires
}

// dropWaiter forgets a waiter that gave up, so that many timed-out requests
// do not pile up on a lookup that hangs until its own timeout.
func (e *lookupEntry) dropWaiter(w chan bool) {
	e.mu.Lock()
	e.waiters = withoutWaiter(e.waiters, w)
	e.mu.Unlock()
}

// withoutWaiter removes w from a list of waiter channels (order does not
// matter). An index loop: under Yaegi v0.16.1 "range" over this slice of
// channels panicked (reflect.Value.Len on an int Value).
func withoutWaiter(ws []chan bool, w chan bool) []chan bool {
	for i := 0; i < len(ws); i++ {
		if ws[i] == w {
			last := len(ws) - 1
			ws[i] = ws[last]
			ws[last] = nil
			return ws[:last]
		}
	}
	return ws
}

func (e *lookupEntry) result(good string) (interface{}, string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.err != nil {
		if _, limited := e.err.(errLimited); limited {
			return nil, "limited"
		}
		return nil, "error"
	}
	return e.value, good
}

// evictLocked makes room: expired entries first, else a random sample of
// finished ones (Go's map order is random). Entries in flight stay.
func (c *lookupCache) evictLocked(now time.Time) {
	n := now.UnixNano()
	freed, probes := 0, 0
	want := len(c.entries)/16 + 1
	for k, e := range c.entries {
		finished, expires := e.state()
		if !finished {
			continue
		}
		if expires <= n || probes >= 64 {
			delete(c.entries, k)
			freed++
			if freed >= want {
				return
			}
		}
		probes++
	}
}

// windowLimiter allows at most n calls in any window (a provider's free
// tier). It keeps the times of the last n calls in a ring.
type windowLimiter struct {
	mu     sync.Mutex
	window time.Duration
	times  []int64
	next   int
	paused int64 // unix nanoseconds: the provider asked us to wait until then
}

func newWindowLimiter(n int, window time.Duration) *windowLimiter {
	return &windowLimiter{window: window, times: make([]int64, n)}
}

// allow reports whether one more call fits, and counts it when it does.
func (l *windowLimiter) allow(now time.Time) bool {
	n := now.UnixNano()
	l.mu.Lock()
	defer l.mu.Unlock()
	if n < l.paused {
		return false
	}
	if oldest := l.times[l.next]; oldest != 0 && n-oldest < int64(l.window) {
		return false
	}
	l.times[l.next] = n
	l.next = (l.next + 1) % len(l.times)
	return true
}

// pause stops calls until now+d (a 429, or a provider's "no requests left").
func (l *windowLimiter) pause(now time.Time, d time.Duration) {
	l.mu.Lock()
	if until := now.Add(d).UnixNano(); until > l.paused {
		l.paused = until
	}
	l.mu.Unlock()
}

// serviceHealth logs a service's failures once when they start and once
// when the service answers again, not per request.
type serviceHealth struct {
	mu      sync.Mutex
	failing bool
}

func (h *serviceHealth) failed(log logger, what string, err error) {
	h.mu.Lock()
	first := !h.failing
	h.failing = true
	h.mu.Unlock()
	if first {
		log.logf(levelWarn, "%s lookups fail (%v): their fields are unknown until it answers again", what, err)
	}
}

func (h *serviceHealth) succeeded(log logger, what string) {
	h.mu.Lock()
	was := h.failing
	h.failing = false
	h.mu.Unlock()
	if was {
		log.logf(levelInfo, "%s answers again", what)
	}
}

// errLimited marks a lookup refused by a provider's free-tier limit: not
// the service's fault, so it is not logged as a failure.
type errLimited struct{}

func (errLimited) Error() string { return "free-tier request limit reached" }

// Process-wide lookup counters by source and result, for lookups made
// outside a request's middleware (Middleware.metricLookup counts per
// middleware). lookupCounters returns them with sorted keys.
var (
	lookupCountsMu sync.Mutex
	lookupCounts   = make(map[string]int64)
)

func countLookup(source, result string) {
	lookupCountsMu.Lock()
	lookupCounts[source+" "+result]++
	lookupCountsMu.Unlock()
}

func lookupCounters() ([]string, map[string]int64) {
	lookupCountsMu.Lock()
	defer lookupCountsMu.Unlock()
	out := make(map[string]int64, len(lookupCounts))
	keys := make([]string, 0, len(lookupCounts))
	for k, v := range lookupCounts {
		out[k] = v
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys, out
}
