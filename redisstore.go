package captchaify

import (
	"crypto/rand"
	"encoding/hex"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// redisStore keeps the state every replica must share in Redis: request
// windows, failed attempts and spent challenge ids. Each update is one
// atomic server-side step (a Lua script or SET NX) in one round trip.
// When Redis fails, the pool's breaker opens and every method answers from
// local, the process's memory store, without waiting for Redis.
type redisStore struct {
	pool    *redisPool
	local   *memoryStore
	prefix  string // keyPrefix + middleware name + ":" (counters, failures)
	idSpace string // keyPrefix + "ct:" (spent ids, shared by all middlewares)
	timeout time.Duration
	metrics *metricSet
	log     logger
	// Made once, as every string operation counts under Yaegi: the hll
	// key prefix, and the count command up to its per-request arguments.
	hllKeys   string
	countCmd  []string // EVALSHA sha 0 P ttl(rateWindow), then 3 per request
	countHead []byte   // countCmd's first 5 arguments, RESP-encoded
}

// Keys (P = keyPrefix + middleware name + ":"):
//
//	P rc:<client>:<bucket>  requests of a client in one 60 s bucket (string, INCR)
//	P rg:<bucket>           requests of all clients in one bucket
//	P hc:<bucket>           HyperLogLog of the clients seen in one bucket
//	P f:<client>            failed answers (sorted set, score = unix ms)
//	keyPrefix ct:<id>       spent challenge ids (SET NX, expire with the challenge)
//
// Window keys live two buckets: a bucket is "previous" during the next one.

// countScript adds one request to the client's and/or the global window
// and answers "+<client current> <client previous> <global current>
// <global previous>": one status line, cheap to read under Yaegi.
// ARGV: P, window keys' ttl ms, client, bucket, mode ("c", "g" or "cg").
// The script builds the key names itself: every string operation the
// plugin saves counts under Yaegi. Standalone Redis lets a script touch
// keys it was not given (Redis Cluster does not; it is not supported).
var countScript = newRedisScript(`local P, ttl, client, b, mode = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4]), ARGV[5]
local c, p, g, q = 0, 0, 0, 0
if mode ~= 'g' then
  local k = P .. 'rc:' .. client .. ':'
  c = redis.call('INCR', k .. b)
  if c == 1 then
    redis.call('PEXPIRE', k .. b, ttl)
    redis.call('PFADD', P .. 'hc:' .. b, client)
    redis.call('PEXPIRE', P .. 'hc:' .. b, ttl)
  end
  p = tonumber(redis.call('GET', k .. (b - 1)) or '0') or 0
end
if mode ~= 'c' then
  g = redis.call('INCR', P .. 'rg:' .. b)
  if g == 1 then redis.call('PEXPIRE', P .. 'rg:' .. b, ttl) end
  q = tonumber(redis.call('GET', P .. 'rg:' .. (b - 1)) or '0') or 0
end
return redis.status_reply(c .. ' ' .. p .. ' ' .. g .. ' ' .. q)`)

// failScript records one failed answer: drop entries at or before the
// cutoff, add this one, keep the newest few, refresh the expiry, return
// the count. ARGV: now ms, cutoff ms, member, keep, ttl ms.
var failScript = newRedisScript(`redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[2])
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[3])
local n = redis.call('ZCARD', KEYS[1])
local keep = tonumber(ARGV[4])
if n > keep then
  redis.call('ZREMRANGEBYRANK', KEYS[1], 0, n - keep - 1)
  n = keep
end
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return n`)

func newRedisStore(name string, s *redisSettings, local *memoryStore, metrics *metricSet, log logger) *redisStore {
	prefix := s.keyPrefix + name + ":"
	st := &redisStore{
		pool:    poolFor(s),
		local:   local,
		prefix:  prefix,
		idSpace: s.keyPrefix + "ct:",
		timeout: s.timeout,
		metrics: metrics,
		log:     log,
		hllKeys: prefix + "hc:",
	}
	st.countCmd = countCommand(prefix, windowTTL(rateWindow), "", "", "")
	st.countHead = encodeHead(st.countCmd)
	return st
}

// failed counts the error and opens the breaker.
func (s *redisStore) failed(err error) {
	atomic.AddUint64(&s.metrics.redisErrors[redisErrorKind(err)], 1)
	s.pool.trip(err, &s.log)
}

func (s *redisStore) countRequest(client string, global bool, now time.Time, window time.Duration) (windowCount, windowCount) {
	if client == "" && !global {
		return windowCount{}, windowCount{}
	}
	if atomic.LoadInt32(&s.pool.broken) != 0 && s.pool.isOpen(now) {
		atomic.AddUint64(&s.metrics.redisFallbacks, 1)
		return s.local.countRequest(client, global, now, window)
	}
	n := now.UnixNano()
	bucket := n / int64(window)
	mode := "cg"
	if !global {
		mode = "c"
	} else if client == "" {
		mode = "g"
	}
	var rep string
	var err error
	if window == rateWindow {
		// The head is ready: encode only what changes per request.
		rep, err = s.pool.evalHead(time.Now().Add(s.timeout), countScript, s.countHead, s.countCmd, client, strconv.FormatInt(bucket, 10), mode)
	} else {
		cmd := countCommand(s.prefix, windowTTL(window), client, strconv.FormatInt(bucket, 10), mode)
		rep, err = s.pool.eval(time.Now().Add(s.timeout), countScript, nil, cmd[3:])
	}
	var v [4]int
	if err == nil {
		v, err = parseCounts(rep)
	}
	if err != nil {
		s.failed(err)
		return s.local.countRequest(client, global, now, window)
	}
	elapsed := time.Duration(n - bucket*int64(window))
	var c, g windowCount
	if client != "" {
		c = windowCount{current: v[0], previous: v[1], elapsed: elapsed, window: window}
	}
	if global {
		g = windowCount{current: v[2], previous: v[3], elapsed: elapsed, window: window}
	}
	return c, g
}

// spendChallenge also marks the id locally, so a challenge spent while
// Redis worked stays spent here if Redis then fails.
func (s *redisStore) spendChallenge(id string, expires time.Time) bool {
	if !s.local.spendChallenge(id, expires) {
		return false
	}
	now := time.Now()
	if s.pool.isOpen(now) {
		atomic.AddUint64(&s.metrics.redisFallbacks, 1)
		return true
	}
	ttl := expires.Sub(now)
	if ttl < time.Second {
		ttl = time.Second
	}
	rep, err := s.pool.one(time.Now().Add(s.timeout), []string{"SET", s.idSpace + id, "1", "NX", "PX", strconv.FormatInt(int64(ttl/time.Millisecond), 10)})
	if err == nil {
		switch rep {
		case "+OK":
			return true
		case "$-1":
			return false // spent on another replica
		}
		if err = replyErr(rep); err == nil {
			err = errRedisProtocol
		}
	}
	s.failed(err)
	return true // the local set already refused replays here
}

func (s *redisStore) addFailure(key string, now time.Time, window time.Duration) int {
	if s.pool.isOpen(now) {
		atomic.AddUint64(&s.metrics.redisFallbacks, 1)
		return s.local.addFailure(key, now, window)
	}
	var rnd [8]byte
	_, _ = rand.Read(rnd[:])
	ms := now.UnixNano() / int64(time.Millisecond)
	member := strconv.FormatInt(now.UnixNano(), 10) + "-" + hex.EncodeToString(rnd[:])
	rep, err := s.pool.eval(time.Now().Add(s.timeout), failScript, []string{s.prefix + "f:" + key}, []string{
		strconv.FormatInt(ms, 10),
		strconv.FormatInt(ms-int64(window/time.Millisecond), 10),
		member,
		strconv.Itoa(maxFailuresKept),
		strconv.FormatInt(int64(window/time.Millisecond), 10),
	})
	var n int64
	if err == nil {
		n, err = replyInt(rep)
	}
	if err != nil {
		s.failed(err)
		return s.local.addFailure(key, now, window)
	}
	return int(n)
}

func (s *redisStore) failures(key string, now time.Time, window time.Duration) int {
	if s.pool.isOpen(now) {
		atomic.AddUint64(&s.metrics.redisFallbacks, 1)
		return s.local.failures(key, now, window)
	}
	cutoff := now.UnixNano()/int64(time.Millisecond) - int64(window/time.Millisecond)
	rep, err := s.pool.one(time.Now().Add(s.timeout), []string{"ZCOUNT", s.prefix + "f:" + key, "(" + strconv.FormatInt(cutoff, 10), "+inf"})
	var n int64
	if err == nil {
		n, err = replyInt(rep)
	}
	if err != nil {
		s.failed(err)
		return s.local.failures(key, now, window)
	}
	return int(n)
}

// trackedClients estimates the clients seen by all replicas in the last
// one to two minutes (HyperLogLog, about 1 % off).
func (s *redisStore) trackedClients() int {
	now := time.Now()
	if s.pool.isOpen(now) {
		return s.local.trackedClients()
	}
	bucket := now.UnixNano() / int64(rateWindow)
	rep, err := s.pool.one(time.Now().Add(s.timeout), []string{"PFCOUNT",
		s.hllKeys + strconv.FormatInt(bucket, 10), s.hllKeys + strconv.FormatInt(bucket-1, 10)})
	var n int64
	if err == nil {
		n, err = replyInt(rep)
	}
	if err != nil {
		s.failed(err)
		return s.local.trackedClients()
	}
	return int(n)
}

// windowTTL is how long window keys live, in ms: two windows (a bucket is
// read as "previous" during the next one) and a second of slack.
func windowTTL(window time.Duration) string {
	return strconv.FormatInt(int64(2*window/time.Millisecond)+1000, 10)
}

// countCommand is the count script's call: EVALSHA sha 0 then ARGV.
func countCommand(prefix, ttl, client, bucket, mode string) []string {
	return []string{"EVALSHA", countScript.sha, "0", prefix, ttl, client, bucket, mode}
}

// encodeHead encodes a command's first five arguments as the start of a
// RESP array of all of them.
func encodeHead(cmd []string) []byte {
	full := appendCommand(nil, cmd[:5])
	head := append([]byte("*"+strconv.Itoa(len(cmd))+"\r\n"), full[len("*5\r\n"):]...)
	return head
}

// parseCounts reads the count script's "+c p g q".
func parseCounts(line string) ([4]int, error) {
	var v [4]int
	if err := replyErr(line); err != nil {
		return v, err
	}
	f := strings.Fields(line[1:])
	if line[0] != '+' || len(f) != 4 {
		return v, errRedisProtocol
	}
	for i, x := range f {
		n, err := strconv.Atoi(x)
		if err != nil || n < 0 {
			return v, errRedisProtocol
		}
		v[i] = n
	}
	return v, nil
}

// breakerOpen is for the metrics.
func (s *redisStore) breakerOpen() bool { return atomic.LoadInt32(&s.pool.broken) == 1 }

// sharedState is the store of the middleware name: the process's memory
// store, or Redis in front of it when `redis.address` is set.
func sharedState(name string, s *settings, metrics *metricSet) stateStore {
	local := storeFor(name, s.maxTracked)
	var st stateStore = local
	if s.redis.address != "" {
		st = newRedisStore(name, &s.redis, local, metrics, logger{name: name, level: s.logLevel})
	}
	metrics.setStore(st)
	return st
}
