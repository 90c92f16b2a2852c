package captchaify

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// With Redis, rate-limit windows are counted in this process and shared
// in the background: a request never waits for Redis to be counted. Every
// syncInterval one goroutine per middleware sends what this process
// counted since the last time (INCRBY per window, one Lua call per chunk
// of windows, all chunks in one pipelined round trip) and reads back the
// totals of all replicas. A request is decided on (shared total last read
// + the requests counted here since): limits hold across replicas within
// about one interval.

// syncWindow is one sliding window (a client's, or the global one) as this
// process sees it.
type syncWindow struct {
	key      string // the client's key; "" for the global window
	bucket   int64  // index of the current bucket: unix nanos / rateWindow
	current  int    // requests in bucket: shared total last read + counted here since
	previous int    // requests in bucket-1, as last read
	pending  int    // requests counted here in bucket, not sent yet
	late     int    // requests counted here in bucket-1, not sent yet (crossed a bucket edge)
	watch    int    // flushes left that send and read this window; > 0 while queued
	gone     bool   // evicted: its queue entry is skipped
}

const (
	// syncWatchFlushes is how many flushes read a client's window back
	// after its last request here: what other replicas counted meanwhile
	// becomes visible here, without reading every client every time.
	syncWatchFlushes = 4
	// maxSyncWindows bounds one flush: under a flood of new addresses the
	// rest wait for the next flush (the global window is always sent).
	maxSyncWindows = 600
	// syncChunk windows per script call keep its one-line answer (two
	// numbers a window) within the connection's 4 KB read buffer.
	syncChunk = 150
	// minSyncTimeout is the flush's deadline when redis.timeout is
	// shorter: no request waits for a flush, and on a CPU-starved host a
	// late answer to it should not open the breaker for everyone.
	minSyncTimeout = 500 * time.Millisecond
	// syncIdleStop ends the flusher when nothing was counted for that long
	// (a configuration no longer in use); the next request starts it again.
	syncIdleStop = 2 * rateWindow
)

// rateSync holds the windows of one middleware name and Redis.
type rateSync struct {
	mu       sync.Mutex
	limit    int
	windows  map[string]*syncWindow
	global   syncWindow
	queue    []*syncWindow // windows to send and read back, each at most once
	usedAt   int64         // unix nanos of the last count
	running  bool          // the flusher runs
	interval time.Duration
	store    *redisStore
	// globalWatch: the global window is read back every flush for one
	// window after the last request (it is about everyone's requests).
	globalWatch int
	// degraded mirrors the breaker for the request path (set by the
	// flusher): requests counted meanwhile are decided on this process's
	// counts alone; unshared counts them for the fallback metric.
	degraded bool
	unshared int
}

var (
	rateSyncsMu sync.Mutex
	rateSyncs   = make(map[string]*rateSync)
)

// rateSyncFor returns the process's windows for this middleware and Redis:
// a reload keeps its counts, as the memory store does.
func rateSyncFor(st *redisStore, s *redisSettings, limit int) *rateSync {
	interval := s.interval
	if interval <= 0 {
		interval = defaultSyncInterval * time.Millisecond
	}
	key := st.pool.key + "\x00" + st.prefix + "\x00" + interval.String()
	rateSyncsMu.Lock()
	rs := rateSyncs[key]
	if rs == nil {
		rs = &rateSync{limit: limit, windows: make(map[string]*syncWindow), interval: interval,
			globalWatch: int(rateWindow/interval) + 1}
		rateSyncs[key] = rs
	}
	rateSyncsMu.Unlock()
	rs.mu.Lock()
	rs.limit = limit
	rs.store = st // the newest configuration's logger and timeout
	rs.usedAt = time.Now().UnixNano()
	if !rs.running {
		rs.running = true
		go runRateSync(rs)
	}
	rs.mu.Unlock()
	return rs
}

// countSynced counts one request (client when not "", global when set) and
// returns both windows, without any I/O.
func countSynced(rs *rateSync, client string, global bool, now time.Time) (windowCount, windowCount) {
	n := now.UnixNano()
	bucket := n / int64(rateWindow)
	elapsed := time.Duration(n - bucket*int64(rateWindow))
	var c, g windowCount
	rs.mu.Lock()
	rs.usedAt = n
	if rs.degraded {
		rs.unshared++
	}
	if client != "" {
		w := rs.windows[client]
		if w == nil {
			w = newSyncWindowLocked(rs, client, bucket)
		}
		addSynced(rs, w, bucket, syncWatchFlushes)
		c = windowCount{current: w.current, previous: w.previous, elapsed: elapsed, window: rateWindow}
	}
	if global {
		// Read back every flush while the site is busy: the global limit
		// is about everyone else's requests.
		addSynced(rs, &rs.global, bucket, rs.globalWatch)
		g = windowCount{current: rs.global.current, previous: rs.global.previous, elapsed: elapsed, window: rateWindow}
	}
	if !rs.running {
		rs.running = true
		go runRateSync(rs)
	}
	rs.mu.Unlock()
	return c, g
}

// addSynced counts one request in w and queues w for the next flush.
func addSynced(rs *rateSync, w *syncWindow, bucket int64, watch int) {
	if bucket > w.bucket {
		// One field a statement: Yaegi mishandles parallel assignments of
		// struct fields.
		if bucket == w.bucket+1 {
			w.late = w.pending
			w.previous = w.current
		} else {
			w.late = 0
			w.previous = 0
		}
		w.bucket = bucket
		w.current = 0
		w.pending = 0
	}
	w.current++
	w.pending++
	if w.watch == 0 && w.key != "" { // the global window has a place of its own in every flush
		rs.queue = append(rs.queue, w)
	}
	w.watch = watch
}

// newSyncWindowLocked adds a window, evicting one when full: an idle one
// if a few random probes find it, otherwise any (as the memory store).
func newSyncWindowLocked(rs *rateSync, key string, bucket int64) *syncWindow {
	if len(rs.windows) >= rs.limit {
		victim := ""
		probes := 0
		for k, w := range rs.windows {
			if victim == "" {
				victim = k
			}
			if w.bucket < bucket-1 && w.watch == 0 {
				victim = k
				break
			}
			probes++
			if probes >= 8 {
				break
			}
		}
		if v := rs.windows[victim]; v != nil {
			v.gone = true
			delete(rs.windows, victim)
		}
		if len(rs.queue) > 2*rs.limit+16 {
			compactSyncQueueLocked(rs) // evicted windows while no flush drained them
		}
	}
	w := &syncWindow{key: key, bucket: bucket}
	rs.windows[key] = w
	return w
}

// compactSyncQueueLocked drops the queue's evicted windows: at most limit+1
// live ones remain, so it runs at most once per limit new windows.
func compactSyncQueueLocked(rs *rateSync) {
	live := rs.queue[:0]
	for _, w := range rs.queue {
		if !w.gone {
			live = append(live, w)
		}
	}
	for i := len(live); i < len(rs.queue); i++ {
		rs.queue[i] = nil
	}
	rs.queue = live
}

// runRateSync is the flusher: one goroutine per rateSync, a ticker, no
// select (Yaegi shares a select's state between goroutines running it).
func runRateSync(rs *rateSync) {
	defer func() {
		if r := recover(); r != nil {
			errorLog.Println(fmt.Sprintf("captchaify: redis rate sync stopped: %v", r))
			rs.mu.Lock()
			rs.running = false
			rs.mu.Unlock()
		}
	}()
	t := time.NewTicker(rs.interval)
	defer t.Stop()
	sweepEvery := int(janitorInterval / rs.interval)
	ticks := 0
	for now := range t.C {
		if !flushRateSync(rs, now) {
			return
		}
		ticks++
		if ticks >= sweepEvery {
			ticks = 0
			sweepRateSync(rs, now)
		}
	}
}

// syncItem is one window's share of a flush.
type syncItem struct {
	w       *syncWindow
	bucket  int64
	pending int
	late    int
}

// flushRateSync sends the queued windows and reads their totals back. It
// returns false when the flusher should stop (idle, nothing queued).
func flushRateSync(rs *rateSync, now time.Time) bool {
	rs.mu.Lock()
	st := rs.store
	rs.degraded = atomic.LoadInt32(&st.pool.broken) != 0
	if rs.unshared > 0 {
		atomic.AddUint64(&st.metrics.redisFallbacks, uint64(rs.unshared))
		rs.unshared = 0
	}
	if len(rs.queue) == 0 && rs.global.watch == 0 {
		if now.UnixNano()-rs.usedAt > int64(syncIdleStop) {
			rs.running = false
			rs.windows = make(map[string]*syncWindow) // all older than a window
			rs.mu.Unlock()
			return false
		}
		rs.mu.Unlock()
		return true
	}
	rs.mu.Unlock()
	if st.pool.isOpen(now) {
		return true // counted here meanwhile; sent once Redis is back
	}
	items := takeSyncItems(rs)
	if len(items) == 0 {
		return true
	}
	reps, err := sendSyncItems(st, items)
	if err == nil {
		err = applySyncReplies(rs, items, reps)
	}
	if err != nil {
		st.failed(err)
		if redisErrorKind(err) != redisErrTimeout {
			restoreSyncItems(rs, items) // Redis did not count them: send them again
		}
	}
	return true
}

// takeSyncItems takes up to maxSyncWindows queued windows, zeroes what
// they counted here (the flush carries it) and requeues those still watched.
func takeSyncItems(rs *rateSync) []syncItem {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	n := len(rs.queue)
	if n > maxSyncWindows {
		n = maxSyncWindows
	}
	items := make([]syncItem, 0, n+1)
	if g := &rs.global; g.watch > 0 {
		items = append(items, syncItem{w: g, bucket: g.bucket, pending: g.pending, late: g.late})
		g.pending = 0
		g.late = 0
		g.watch--
	}
	var again []*syncWindow
	for _, w := range rs.queue[:n] {
		if w.gone {
			continue
		}
		items = append(items, syncItem{w: w, bucket: w.bucket, pending: w.pending, late: w.late})
		w.pending = 0
		w.late = 0
		w.watch--
		if w.watch > 0 {
			again = append(again, w)
		}
	}
	rest := append([]*syncWindow(nil), rs.queue[n:]...)
	rs.queue = append(rest, again...)
	return items
}

// restoreSyncItems puts back what a failed flush carried.
func restoreSyncItems(rs *rateSync, items []syncItem) {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	for _, it := range items {
		w := it.w
		if w.gone || it.pending+it.late == 0 {
			continue
		}
		switch {
		case w.bucket == it.bucket:
			w.pending += it.pending
			w.late += it.late
		case w.bucket == it.bucket+1:
			w.late += it.pending
		default:
			continue
		}
		if w.watch == 0 && w.key != "" {
			rs.queue = append(rs.queue, w)
		}
		if w.watch < 1 {
			w.watch = 1
		}
	}
}

// syncScript adds each window's counts and returns its totals: ARGV is P,
// the keys' ttl in ms, then per window its client ("" for the global
// window), bucket, requests in bucket and requests in bucket-1. The answer
// is one status line, "<current> <previous>" per window.
var syncScript = newRedisScript(`local P, ttl = ARGV[1], ARGV[2]
local out = {}
for i = 3, #ARGV, 4 do
  local client, b, d, late = ARGV[i], tonumber(ARGV[i+1]), tonumber(ARGV[i+2]), tonumber(ARGV[i+3])
  local k = P .. 'rg:'
  if client ~= '' then k = P .. 'rc:' .. client .. ':' end
  local c, p
  if d > 0 then
    c = redis.call('INCRBY', k .. b, d)
    if c == d then
      redis.call('PEXPIRE', k .. b, ttl)
      if client ~= '' then
        redis.call('PFADD', P .. 'hc:' .. b, client)
        redis.call('PEXPIRE', P .. 'hc:' .. b, ttl)
      end
    end
  else
    c = tonumber(redis.call('GET', k .. b) or '0') or 0
  end
  if late > 0 then
    p = redis.call('INCRBY', k .. (b - 1), late)
    if p == late then redis.call('PEXPIRE', k .. (b - 1), ttl) end
  else
    p = tonumber(redis.call('GET', k .. (b - 1)) or '0') or 0
  end
  out[#out + 1] = c .. ' ' .. p
end
return redis.status_reply(table.concat(out, ' '))`)

// sendSyncItems runs the script over the items, syncChunk windows a call,
// all calls in one pipelined round trip (EVAL again if Redis lost the script).
func sendSyncItems(st *redisStore, items []syncItem) ([]string, error) {
	var cmds [][]string
	for i := 0; i < len(items); i += syncChunk {
		end := i + syncChunk
		if end > len(items) {
			end = len(items)
		}
		cmd := make([]string, 0, 5+4*(end-i))
		cmd = append(cmd, "EVALSHA", syncScript.sha, "0", st.prefix, st.ttl)
		for _, it := range items[i:end] {
			cmd = append(cmd, it.w.key, strconv.FormatInt(it.bucket, 10), strconv.Itoa(it.pending), strconv.Itoa(it.late))
		}
		cmds = append(cmds, cmd)
	}
	timeout := st.timeout
	if timeout < minSyncTimeout {
		timeout = minSyncTimeout
	}
	deadline := time.Now().Add(timeout)
	reps, err := st.pool.do(deadline, cmds...)
	if err == nil && len(reps) > 0 && strings.HasPrefix(reps[0], "-NOSCRIPT") {
		for _, cmd := range cmds {
			cmd[0], cmd[1] = "EVAL", syncScript.src
		}
		reps, err = st.pool.do(deadline, cmds...)
	}
	if err == nil {
		st.pool.succeeded()
	}
	return reps, err
}

// applySyncReplies sets each window to its shared totals plus what was
// counted here since the flush took it.
func applySyncReplies(rs *rateSync, items []syncItem, reps []string) error {
	totals := make([]int, 0, 2*len(items))
	for _, rep := range reps {
		if err := replyErr(rep); err != nil {
			return err
		}
		if rep[0] != '+' {
			return errRedisProtocol
		}
		for _, f := range strings.Fields(rep[1:]) {
			v, err := strconv.Atoi(f)
			if err != nil || v < 0 {
				return errRedisProtocol
			}
			totals = append(totals, v)
		}
	}
	if len(totals) != 2*len(items) {
		return errRedisProtocol
	}
	rs.mu.Lock()
	defer rs.mu.Unlock()
	for i, it := range items {
		w := it.w
		switch {
		case w.gone:
		case w.bucket == it.bucket:
			w.current = totals[2*i] + w.pending
			w.previous = totals[2*i+1]
		case w.bucket == it.bucket+1:
			w.previous = totals[2*i] + w.late
		}
	}
	return nil
}

// sweepRateSync drops windows that can no longer matter: idle for two
// buckets and not queued.
func sweepRateSync(rs *rateSync, now time.Time) {
	stale := now.UnixNano()/int64(rateWindow) - 1
	rs.mu.Lock()
	defer rs.mu.Unlock()
	for k, w := range rs.windows {
		if w.bucket < stale && w.watch == 0 {
			w.gone = true
			delete(rs.windows, k)
		}
	}
}

// trackedSynced is how many client windows this process holds.
func trackedSynced(rs *rateSync) int {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	return len(rs.windows)
}

// syncQuick is countSynced for the verified visitor's fast path: it
// counts a request and reports whether the client is now over p.rateLimit;
// with reserve, and not over, it also counts ahead the credit it returns
// (creditAhead, state.go). The common case (both windows already in this
// bucket and queued) is this one function, as every call and every value
// costs under Yaegi; the weighted total is computed only near the limit.
func syncQuick(rs *rateSync, client string, n int64, p *prefs, reserve bool) (bool, int) {
	global := p.maxRateLimit > 0
	rs.mu.Lock()
	w := rs.windows[client]
	// Queued windows (watch > 0) mean a running flusher: it stops only
	// with nothing queued, and countSynced starts it again.
	if w == nil || w.bucket != n/int64(rateWindow) || w.watch == 0 || global && (rs.global.bucket != w.bucket || rs.global.watch == 0) {
		rs.mu.Unlock()
		return syncCountOver(rs, client, global, n, p.rateLimit), 0
	}
	w.current++
	w.pending++
	w.watch = syncWatchFlushes
	if global {
		rs.global.current++
		rs.global.pending++
		rs.global.watch = rs.globalWatch
	}
	if rs.degraded {
		rs.unshared++
	}
	over := p.rateLimit > 0 && w.current+w.previous > p.rateLimit && quickTotal(w.current, w.previous, n) > p.rateLimit
	credit := 0
	// creditAhead is 0 unless both windows are well under their limits:
	// checked first, without its calls.
	if reserve && !over && (p.rateLimit <= 0 || w.current <= p.rateLimit-creditShareClient) &&
		(!global || rs.global.current <= p.maxRateLimit-creditShareGlobal) {
		credit = creditAhead(w.current, w.previous, rs.global.current, rs.global.previous, n, p)
		w.current += credit
		w.pending += credit
		if global {
			rs.global.current += credit
			rs.global.pending += credit
		}
	}
	rs.mu.Unlock()
	return over, credit
}

func syncCountOver(rs *rateSync, client string, global bool, n int64, limit int) bool {
	c, _ := countSynced(rs, client, global, time.Unix(0, n))
	return limit > 0 && c.total() > limit
}

// peekSynced returns the client's window at now without counting.
func peekSynced(rs *rateSync, client string, now time.Time) windowCount {
	bucket := int64(-1) // none: an empty window
	current := 0
	previous := 0
	rs.mu.Lock()
	if w := rs.windows[client]; w != nil {
		bucket = w.bucket
		current = w.current
		previous = w.previous
	}
	rs.mu.Unlock()
	return windowSeen(now.UnixNano(), bucket, current, previous)
}
