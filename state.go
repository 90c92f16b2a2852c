package captchaify

import (
	"fmt"
	"log"
	"sync"
	"time"
)

// stateStore is the state that must outlive one middleware instance and be
// shared by all of them: request counters, spent challenge ids and failed
// attempts. The in-memory store keeps it for this process; a shared store
// (Redis) can take its place behind the same methods.
type stateStore interface {
	// countRequest adds one request to the client's sliding window (when
	// client is not "") and to the global one (when global), and returns
	// both counts including it. One call, so a shared store can answer in
	// one round trip.
	countRequest(client string, global bool, now time.Time, window time.Duration) (clientCount, globalCount windowCount)
	// spendChallenge marks a challenge id used until expires; it returns
	// false when the id was spent already.
	spendChallenge(id string, expires time.Time) bool
	// addFailure records a failed answer and returns the failures of key
	// within window, including this one.
	addFailure(key string, now time.Time, window time.Duration) int
	// failures returns the failures of key within window.
	failures(key string, now time.Time, window time.Duration) int
	// trackedClients is how many clients the store holds counters for.
	trackedClients() int
}

// windowCount is a sliding-window estimate: the current fixed bucket plus
// the previous one weighted by how much of it still lies inside the window.
type windowCount struct {
	current  int           // requests in the current bucket
	previous int           // requests in the previous bucket
	elapsed  time.Duration // how far into the current bucket we are
	window   time.Duration
}

// total is the number of requests within the last window.
func (w windowCount) total() int {
	if w.window <= 0 {
		return w.current
	}
	weight := float64(w.window-w.elapsed) / float64(w.window)
	return w.current + int(float64(w.previous)*weight+0.999999)
}

// rateWindowMs is rateWindow in milliseconds.
const rateWindowMs = int64(rateWindow / time.Millisecond)

// retryAfter is how long until the count falls below limit if the client
// stops sending, in whole seconds (at least 1).
func (w windowCount) retryAfter(limit int) int {
	wait := w.window - w.elapsed // the current bucket becomes the previous one
	if w.current > 0 && limit < w.current {
		// then its weight must fall from 1 to limit/current
		wait += time.Duration(float64(w.window) * (1 - float64(limit)/float64(w.current)))
	}
	s := int((wait + time.Second - 1) / time.Second)
	if s < 1 {
		s = 1
	}
	return s
}

// memoryStore keeps one middleware's counters in this process, bounded.
type memoryStore struct {
	mu       sync.Mutex
	limit    int
	global   slidingWindow // all clients together; never evicted, so a flood cannot reset it
	windows  map[string]*slidingWindow
	failLogs map[string]*failureLog
}

type slidingWindow struct {
	bucket   int64 // index of the current bucket: unix nanos / window
	current  int
	previous int
}

// maxFailuresKept bounds the failure log per client: thresholds are lower.
const maxFailuresKept = 8

type failureLog struct {
	times []int64 // unix seconds, oldest first
}

func newMemoryStore(limit int) *memoryStore {
	return &memoryStore{
		limit:    limit,
		windows:  make(map[string]*slidingWindow),
		failLogs: make(map[string]*failureLog),
	}
}

func (m *memoryStore) setLimit(limit int) {
	m.mu.Lock()
	m.limit = limit
	m.mu.Unlock()
}

func (m *memoryStore) countRequest(client string, global bool, now time.Time, window time.Duration) (windowCount, windowCount) {
	var c, g windowCount
	m.mu.Lock()
	if client != "" {
		w := m.windows[client]
		if w == nil {
			m.makeRoomLocked(len(m.windows), now, window)
			w = &slidingWindow{}
			m.windows[client] = w
		}
		c = w.add(now, window)
	}
	if global {
		g = m.global.add(now, window)
	}
	m.mu.Unlock()
	return c, g
}

// memQuick is countRequest for the verified visitor's fast path (see
// syncQuick): it counts a request and reports whether the client is now
// over p.rateLimit, the common case in one function. With reserve, and
// not over, it also counts ahead the credit it returns (creditAhead).
func memQuick(m *memoryStore, client string, n int64, p *prefs, reserve bool) (bool, int) {
	global := p.maxRateLimit > 0
	m.mu.Lock()
	w := m.windows[client]
	if w == nil || w.bucket != n/int64(rateWindow) || global && m.global.bucket != w.bucket {
		m.mu.Unlock()
		return memCountOver(m, client, global, n, p.rateLimit), 0
	}
	w.current++
	if global {
		m.global.current++
	}
	over := p.rateLimit > 0 && w.current+w.previous > p.rateLimit && quickTotal(w.current, w.previous, n) > p.rateLimit
	credit := 0
	// creditAhead is 0 unless both windows are well under their limits:
	// checked first, without its calls.
	if reserve && !over && (p.rateLimit <= 0 || w.current <= p.rateLimit-creditShareClient) &&
		(!global || m.global.current <= p.maxRateLimit-creditShareGlobal) {
		credit = creditAhead(w.current, w.previous, m.global.current, m.global.previous, n, p)
		w.current += credit
		if global {
			m.global.current += credit
		}
	}
	m.mu.Unlock()
	return over, credit
}

func memCountOver(m *memoryStore, client string, global bool, n int64, limit int) bool {
	c, _ := m.countRequest(client, global, time.Unix(0, n), rateWindow)
	return limit > 0 && c.total() > limit
}

// A verified visitor's connection may count requests ahead: the fast path
// then passes the next ones with one atomic decrement (passEntry.credit)
// instead of a locked count. The credit is counted in the windows when it
// is granted, so the store never sees fewer requests than were let
// through; credit left unused when the connection goes quiet counts as
// requests made (at most creditMax, and a small part of what is left under
// each limit). Far from the limit only: within 32 requests of the client
// limit, or 1,024 of the global one, every request is counted on its own.
const (
	creditMax         = 64
	creditShareClient = 32   // a grant is at most 1/32 of what is left under the client limit
	creditShareGlobal = 1024 // and 1/1024 of what is left under the global limit
)

// creditAhead is the credit a connection may take now, from the client's
// and the global window (current and previous counts, this request in).
func creditAhead(cur, prev, gcur, gprev int, n int64, p *prefs) int {
	k := creditMax
	if p.rateLimit > 0 {
		if c := (p.rateLimit - quickTotal(cur, prev, n)) / creditShareClient; c < k {
			k = c
		}
	}
	if p.maxRateLimit > 0 {
		if g := (p.maxRateLimit - quickTotal(gcur, gprev, n)) / creditShareGlobal; g < k {
			k = g
		}
	}
	if k < 0 {
		return 0
	}
	return k
}

// quickTotal is windowCount.total at n (unix nanoseconds) in integers: the
// previous bucket weighs what is left of it, to the millisecond, rounded
// up. current+previous bounds it, so the fast path calls it only when that
// bound is over the limit.
func quickTotal(current, previous int, n int64) int {
	elapsedMs := n % int64(rateWindow) / int64(time.Millisecond)
	return current + int((int64(previous)*(rateWindowMs-elapsedMs)+rateWindowMs-1)/rateWindowMs)
}

// peek returns the client's window at now without counting.
func (m *memoryStore) peek(client string, now time.Time) windowCount {
	bucket := int64(-1) // none: an empty window
	current := 0
	previous := 0
	m.mu.Lock()
	if w := m.windows[client]; w != nil {
		bucket = w.bucket
		current = w.current
		previous = w.previous
	}
	m.mu.Unlock()
	return windowSeen(now.UnixNano(), bucket, current, previous)
}

// windowSeen is, at n (unix nanoseconds), the window of a counter last
// counted in bucket: empty once that bucket is over (peek, peekSynced).
func windowSeen(n, bucket int64, current, previous int) windowCount {
	b := n / int64(rateWindow)
	c := windowCount{elapsed: time.Duration(n - b*int64(rateWindow)), window: rateWindow}
	if bucket == b {
		c.current = current
		c.previous = previous
	}
	return c
}

// add counts one request at now and returns the window's state.
func (w *slidingWindow) add(now time.Time, window time.Duration) windowCount {
	n := now.UnixNano()
	bucket := n / int64(window)
	switch {
	case bucket == w.bucket+1:
		w.previous, w.current, w.bucket = w.current, 0, bucket
	case bucket > w.bucket+1:
		w.previous, w.current, w.bucket = 0, 0, bucket
	}
	w.current++
	return windowCount{current: w.current, previous: w.previous,
		elapsed: time.Duration(n - bucket*int64(window)), window: window}
}

// makeRoomLocked evicts one entry when the store is full: an idle one if a
// few random probes find it, otherwise any. Go's random map order makes
// this a cheap sample, so a flood of new addresses costs bounded memory.
func (m *memoryStore) makeRoomLocked(size int, now time.Time, window time.Duration) {
	if size < m.limit {
		return
	}
	stale := now.UnixNano()/int64(window) - 1
	probes := 0
	victim := ""
	for k, w := range m.windows {
		if victim == "" {
			victim = k
		}
		if w.bucket < stale {
			victim = k
			break
		}
		probes++
		if probes >= 8 {
			break
		}
	}
	delete(m.windows, victim)
}

func (m *memoryStore) addFailure(key string, now time.Time, window time.Duration) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	f := m.failLogs[key]
	if f == nil {
		if len(m.failLogs) >= m.limit {
			for k := range m.failLogs {
				delete(m.failLogs, k)
				break
			}
		}
		f = &failureLog{}
		m.failLogs[key] = f
	}
	f.prune(now, window)
	if len(f.times) >= maxFailuresKept {
		f.times = f.times[1:]
	}
	f.times = append(f.times, now.Unix())
	return len(f.times)
}

func (m *memoryStore) failures(key string, now time.Time, window time.Duration) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	f := m.failLogs[key]
	if f == nil {
		return 0
	}
	f.prune(now, window)
	return len(f.times)
}

func (f *failureLog) prune(now time.Time, window time.Duration) {
	cutoff := now.Add(-window).Unix()
	i := 0
	for i < len(f.times) && f.times[i] <= cutoff {
		i++
	}
	if i > 0 {
		f.times = append(f.times[:0], f.times[i:]...)
	}
}

func (m *memoryStore) spendChallenge(id string, expires time.Time) bool {
	return spentChallenges.spend(id, expires)
}

func (m *memoryStore) trackedClients() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.windows)
}

// sweep drops what can no longer matter: windows idle for two buckets and
// failures older than their window.
func (m *memoryStore) sweep(now time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for k, w := range m.windows {
		if now.UnixNano()/int64(rateWindow)-w.bucket >= 2 {
			delete(m.windows, k)
		}
	}
	for k, f := range m.failLogs {
		f.prune(now, failureWindow)
		if len(f.times) == 0 {
			delete(m.failLogs, k)
		}
	}
}

// spentSet remembers challenge ids until they expire. Ids are random, so
// one set serves every middleware of the process.
type spentSet struct {
	mu    sync.Mutex
	limit int
	ids   map[string]int64 // id → expiry, unix seconds
}

// spentLimit bounds the set; a challenge token is only spendable until it
// expires, so when full the oldest entries are the least valuable.
const spentLimit = 1000000

var spentChallenges = &spentSet{limit: spentLimit, ids: make(map[string]int64)}

func (s *spentSet) spend(id string, expires time.Time) bool {
	now := time.Now().Unix()
	s.mu.Lock()
	defer s.mu.Unlock()
	if exp, ok := s.ids[id]; ok && exp >= now {
		return false
	}
	if len(s.ids) >= s.limit {
		s.evictLocked(now)
	}
	s.ids[id] = expires.Unix()
	return true
}

func (s *spentSet) evictLocked(now int64) {
	victim, oldest := "", int64(0)
	probes := 0
	for k, exp := range s.ids {
		if exp < now {
			delete(s.ids, k)
			return
		}
		if victim == "" || exp < oldest {
			victim, oldest = k, exp
		}
		probes++
		if probes >= 8 {
			break
		}
	}
	delete(s.ids, victim)
}

func (s *spentSet) sweep(now time.Time) {
	n := now.Unix()
	s.mu.Lock()
	defer s.mu.Unlock()
	for k, exp := range s.ids {
		if exp < n {
			delete(s.ids, k)
		}
	}
}

// stores holds one memoryStore per middleware name: Traefik calls New per
// router and on every reload, and all of them must see the same counters.
var (
	storesMu sync.Mutex
	stores   = make(map[string]*memoryStore)
)

func storeFor(name string, limit int) *memoryStore {
	startJanitor()
	storesMu.Lock()
	defer storesMu.Unlock()
	s := stores[name]
	if s == nil {
		s = newMemoryStore(limit)
		stores[name] = s
	} else {
		s.setLimit(limit)
	}
	return s
}

// One janitor per process sweeps every store.
var janitorOnce sync.Once

const janitorInterval = 30 * time.Second

func startJanitor() {
	janitorOnce.Do(func() {
		go runJanitor()
	})
}

func runJanitor() {
	defer func() {
		// A panic in a goroutine would take Traefik down with it.
		if r := recover(); r != nil {
			log.Println(fmt.Sprintf("captchaify: janitor stopped: %v", r))
		}
	}()
	t := time.NewTicker(janitorInterval)
	defer t.Stop()
	for now := range t.C {
		sweepAll(now)
	}
}

func sweepAll(now time.Time) {
	storesMu.Lock()
	list := make([]*memoryStore, 0, len(stores))
	for _, s := range stores {
		list = append(list, s)
	}
	storesMu.Unlock()
	for _, s := range list {
		s.sweep(now)
	}
	spentChallenges.sweep(now)
}
