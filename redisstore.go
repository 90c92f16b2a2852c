package captchaify

import (
	"crypto/rand"
	"encoding/hex"
	"strconv"
	"sync/atomic"
	"time"
)

// redisStore keeps the state every replica must share in Redis: request
// windows, failed attempts and spent challenge ids. Request windows are
// counted in this process and shared in the background (ratesync.go): a
// request never waits for Redis to be counted. Spending an id and failed
// answers are one atomic server-side step (SET NX, a Lua script) in one
// round trip, on the request that answers. When Redis fails, the pool's
// breaker opens and those answer from local, the process's memory store,
// without waiting for Redis.
type redisStore struct {
	pool    *redisPool
	local   *memoryStore
	sync    *rateSync
	prefix  string // keyPrefix + middleware name + ":" (counters, failures)
	idSpace string // keyPrefix + "ct:" (spent ids, shared by all middlewares)
	ttl     string // window keys' lifetime in ms
	timeout time.Duration
	metrics *metricSet
	log     logger
	hllKeys string // the tracked clients' HyperLogLog key, up to the bucket
}

// Keys (P = keyPrefix + middleware name + ":"):
//
//	P rc:<client>:<bucket>  requests of a client in one 60 s bucket (string, INCRBY)
//	P rg:<bucket>           requests of all clients in one bucket
//	P hc:<bucket>           HyperLogLog of the clients seen in one bucket
//	P f:<client>            failed answers (sorted set, score = unix ms)
//	keyPrefix ct:<id>       spent challenge ids (SET NX, expire with the challenge)
//
// Window keys live two buckets: a bucket is "previous" during the next one.

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
		ttl:     windowTTL(rateWindow),
		timeout: s.timeout,
		metrics: metrics,
		log:     log,
		hllKeys: prefix + "hc:",
	}
	st.sync = rateSyncFor(st, s, local.limit)
	return st
}

// failed counts the error and opens the breaker.
func (s *redisStore) failed(err error) {
	atomic.AddUint64(&s.metrics.redisErrors[redisErrorKind(err)], 1)
	s.pool.trip(err, &s.log)
}

// countRequest counts here, without I/O: the flusher shares the counts.
// While the breaker is open the request is decided on this process's
// counts alone, which the fallback metric says (ratesync.go).
func (s *redisStore) countRequest(client string, global bool, now time.Time, window time.Duration) (windowCount, windowCount) {
	if client == "" && !global {
		return windowCount{}, windowCount{}
	}
	if window != rateWindow {
		return s.local.countRequest(client, global, now, window) // the shared windows are per minute
	}
	return countSynced(s.sync, client, global, now)
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
		return trackedSynced(s.sync)
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
		return trackedSynced(s.sync)
	}
	return int(n)
}

// windowTTL is how long window keys live, in ms: two windows (a bucket is
// read as "previous" during the next one) and a second of slack.
func windowTTL(window time.Duration) string {
	return strconv.FormatInt(int64(2*window/time.Millisecond)+1000, 10)
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
