package captchaify

import (
	"bufio"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// A small Redis client speaking RESP2 over net and crypto/tls: pooled
// connections, pipelining, AUTH, SELECT, a deadline on every operation,
// EVALSHA with an EVAL fallback. It works with Redis ≥ 6 and Valkey.

// RedisConfig is the `redis` option: where the shared state lives.
type RedisConfig struct {
	// Address is host:port; empty keeps state in this process only.
	Address  string `json:"address,omitempty"`
	Username string `json:"username,omitempty"`
	Password string `json:"-"`
	DB       int    `json:"db,omitempty"`
	TLS      bool   `json:"tls,omitempty"`
	// KeyPrefix starts every key the plugin writes.
	KeyPrefix string `json:"keyPrefix,omitempty"`
	// Timeout bounds every Redis operation, dial included, in milliseconds.
	Timeout int `json:"timeout,omitempty"`
	// SyncInterval is how often, in milliseconds, this process sends its
	// rate-limit counts to Redis and reads the shared totals back.
	SyncInterval int `json:"syncInterval,omitempty"`

	Unknown map[string]interface{} `json:"-" mapstructure:",remain"`
}

const (
	defaultRedisPrefix  = "captchaify:"
	defaultRedisTimeout = 100 // ms
	maxRedisTimeout     = 10000
	// defaultSyncInterval: limits hold across replicas within 50 ms, for
	// 20 small background round trips a second per middleware.
	defaultSyncInterval = 50 // ms
	minSyncInterval     = 10
	maxSyncInterval     = 10000
)

// redisSettings is the validated `redis` option.
type redisSettings struct {
	address   string
	username  string
	password  string
	db        int
	tls       bool
	keyPrefix string
	timeout   time.Duration
	interval  time.Duration // syncInterval
}

func parseRedis(c RedisConfig) (redisSettings, error) {
	var s redisSettings
	if err := unknownOption("redis.", c.Unknown); err != nil {
		return s, err
	}
	s.address = strings.TrimSpace(c.Address)
	if s.address == "" {
		return s, nil // Redis off: the other fields do not matter
	}
	host, port, err := net.SplitHostPort(s.address)
	if err != nil || host == "" {
		return s, fmt.Errorf("redis.address: %q must be host:port, e.g. redis:6379", c.Address)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return s, fmt.Errorf("redis.address: %q has no valid port", c.Address)
	}
	if c.Username != "" && c.Password == "" {
		return s, errors.New("redis.username: needs redis.password (Redis ACL users log in with both)")
	}
	if strings.ContainsAny(c.Username, " \r\n") {
		return s, errors.New("redis.username: must not contain spaces or line breaks")
	}
	if c.DB < 0 || c.DB > 1<<20 {
		return s, fmt.Errorf("redis.db: %d is not a database number (0 or more)", c.DB)
	}
	if c.Timeout < 1 || c.Timeout > maxRedisTimeout {
		return s, fmt.Errorf("redis.timeout: %d must be between 1 and %d milliseconds", c.Timeout, maxRedisTimeout)
	}
	if c.SyncInterval < minSyncInterval || c.SyncInterval > maxSyncInterval {
		return s, fmt.Errorf("redis.syncInterval: %d must be between %d and %d milliseconds", c.SyncInterval, minSyncInterval, maxSyncInterval)
	}
	if len(c.KeyPrefix) > 100 {
		return s, fmt.Errorf("redis.keyPrefix: %d characters is too long (at most 100)", len(c.KeyPrefix))
	}
	s.username, s.password, s.db, s.tls = c.Username, c.Password, c.DB, c.TLS
	s.keyPrefix = c.KeyPrefix
	s.timeout = time.Duration(c.Timeout) * time.Millisecond
	s.interval = time.Duration(c.SyncInterval) * time.Millisecond
	return s, nil
}

const (
	// maxPoolConns bounds the open connections of one pool: past it, an
	// operation waits for a free one, but never beyond its deadline.
	maxPoolConns = 64
	// probeInterval is how often a broken Redis is tried again.
	probeInterval = 500 * time.Millisecond
	// probeIdleStop ends probing when no request has wanted Redis for
	// that long (a configuration no longer in use); a new request restarts it.
	probeIdleStop = 10 * time.Minute
	// tripTimeouts is how many timeouts in a row open the breaker. Other
	// failures open it at once; a single late answer on a CPU-starved host
	// does not, so replicas keep sharing state under load.
	tripTimeouts = 3
)

// The plugin's errors are standard-library values: Yaegi cannot give
// errors.As or fmt the methods of an interpreted error type.
var (
	errRedisProtocol = errors.New("redis: unexpected reply (not a Redis server?)")
	errPoolExhausted = errors.New("redis: no free connection before the deadline")
	errRedisRefused  = errors.New("redis refused")
)

// redisConn is one connection; it serves one operation at a time.
type redisConn struct {
	c   net.Conn
	r   *bufio.Reader
	buf []byte // the command buffer, reused
}

// appendCommand encodes one command as a RESP array of bulk strings.
func appendCommand(b []byte, args []string) []byte {
	b = append(b, '*')
	b = strconv.AppendInt(b, int64(len(args)), 10)
	b = append(b, '\r', '\n')
	for _, a := range args {
		b = appendBulk(b, a)
	}
	return b
}

// appendBulk encodes one bulk string.
func appendBulk(b []byte, a string) []byte {
	b = append(b, '$')
	b = strconv.AppendInt(b, int64(len(a)), 10)
	b = append(b, '\r', '\n')
	b = append(b, a...)
	return append(b, '\r', '\n')
}

// readLine reads one reply of the kinds the plugin's commands get: a
// status (+OK), an error (-ERR ...), an integer (:5) or the null bulk
// string ($-1), returned as the line without CRLF. Anything else (a bulk
// string with data, an array, no CRLF within the buffer) does not answer
// our commands: errRedisProtocol. Lines keep the interpreted code to one
// native ReadSlice per reply.
func readLine(r *bufio.Reader) (string, error) {
	line, err := r.ReadSlice('\n')
	if err != nil {
		if err == bufio.ErrBufferFull {
			return "", errRedisProtocol
		}
		return "", err
	}
	n := len(line)
	if n < 3 || line[n-2] != '\r' {
		return "", errRedisProtocol
	}
	switch line[0] {
	case '+', '-', ':':
		return string(line[:n-2]), nil
	case '$':
		if n == 5 && line[1] == '-' && line[2] == '1' {
			return "$-1", nil
		}
	}
	return "", errRedisProtocol
}

// replyErr turns an error reply (-ERR ...) into an error.
func replyErr(line string) error {
	if line[0] == '-' {
		return fmt.Errorf("%w: %s", errRedisRefused, line[1:])
	}
	return nil
}

// replyInt reads an integer reply that must not be negative.
func replyInt(line string) (int64, error) {
	if err := replyErr(line); err != nil {
		return 0, err
	}
	if line[0] != ':' {
		return 0, errRedisProtocol
	}
	n, err := strconv.ParseInt(line[1:], 10, 64)
	if err != nil || n < 0 {
		return 0, errRedisProtocol
	}
	return n, nil
}

// roundTrip sends one command and reads its reply.
func (c *redisConn) roundTrip(deadline time.Time, cmd []string) (string, error) {
	if err := c.c.SetDeadline(deadline); err != nil {
		return "", err
	}
	c.buf = appendCommand(c.buf[:0], cmd)
	if _, err := c.c.Write(c.buf); err != nil {
		return "", err
	}
	return readLine(c.r)
}

// pipeline writes every command in one write, then reads one reply per
// command: one round trip. An error reply is a reply, not an error.
func (c *redisConn) pipeline(deadline time.Time, cmds [][]string) ([]string, error) {
	if err := c.c.SetDeadline(deadline); err != nil {
		return nil, err
	}
	c.buf = c.buf[:0]
	for _, cmd := range cmds {
		c.buf = appendCommand(c.buf, cmd)
	}
	if _, err := c.c.Write(c.buf); err != nil {
		return nil, err
	}
	out := make([]string, len(cmds))
	for i := range out {
		line, err := readLine(c.r)
		if err != nil {
			return nil, err
		}
		out[i] = line
	}
	return out, nil
}

// redisPool holds the connections to one Redis (address, user, database):
// package-level, so configuration reloads and the middlewares of every
// router share it. Its circuit breaker is shared too: when Redis fails,
// every middleware using it serves from local state at once.
type redisPool struct {
	set redisSettings
	key string // its identity in redisPools

	mu      sync.Mutex
	idle    []*redisConn
	open    int           // connections open, idle or in use: at most maxPoolConns
	waiters []*poolWaiter // operations waiting for a connection, oldest first

	timeouts int32 // timeouts since the last success
	broken   int32 // breaker: 1 while Redis is considered down
	probing  int32 // 1 while the probe goroutine runs
	wantedAt int64 // unix nanos of the last operation that wanted Redis
	openedAt int64 // unix nanos the breaker last opened
	lastLog  int64 // unix nanos of the last "unavailable" log line
	// tripLog is the logger of the middleware that opened the breaker: a
	// plain pointer under a mutex rather than an interpreted struct copied
	// in and out of a native atomic.Value.
	tripMu  sync.Mutex
	tripLog *logger
}

// poolWaiter waits for a connection without select: under Yaegi a select
// statement keeps its cases per statement, so goroutines running the same
// select at once overwrite each other's channels.
type poolWaiter struct {
	grant chan poolGrant // buffered: granting never blocks
}

// poolGrant hands a waiter a connection, or a free slot to dial one, or
// neither (its deadline passed).
type poolGrant struct {
	conn *redisConn
	slot bool
}

var (
	redisPoolsMu sync.Mutex
	redisPools   = make(map[string]*redisPool)
)

// poolFor returns the package-level pool for these settings.
func poolFor(s *redisSettings) *redisPool {
	// The password is part of the identity (hashed: keys are kept in memory).
	sum := sha256.Sum256([]byte(s.password))
	key := s.address + "\x00" + s.username + "\x00" + hex.EncodeToString(sum[:8]) +
		"\x00" + strconv.Itoa(s.db) + "\x00" + strconv.FormatBool(s.tls)
	redisPoolsMu.Lock()
	defer redisPoolsMu.Unlock()
	p := redisPools[key]
	if p == nil {
		p = &redisPool{set: *s, key: key}
		redisPools[key] = p
	}
	return p
}

// isOpen reports whether the breaker is open: callers then use local state
// without waiting. It keeps the probe running while someone wants Redis.
func (p *redisPool) isOpen(now time.Time) bool {
	if atomic.LoadInt32(&p.broken) == 0 {
		return false
	}
	atomic.StoreInt64(&p.wantedAt, now.UnixNano())
	if atomic.LoadInt32(&p.probing) == 0 {
		p.startProbe()
	}
	return true
}

// trip opens the breaker after a failed operation (after tripTimeouts in
// a row for timeouts): drop the idle connections (they may be as broken),
// log (at most once a minute), probe.
func (p *redisPool) trip(err error, log *logger) {
	if redisErrorKind(err) == redisErrTimeout && atomic.AddInt32(&p.timeouts, 1) < tripTimeouts {
		return
	}
	if !atomic.CompareAndSwapInt32(&p.broken, 0, 1) {
		return
	}
	atomic.StoreInt32(&p.timeouts, 0)
	now := time.Now().UnixNano()
	atomic.StoreInt64(&p.openedAt, now)
	atomic.StoreInt64(&p.wantedAt, now)
	p.tripMu.Lock()
	p.tripLog = log
	p.tripMu.Unlock()
	p.dropIdle()
	if now-atomic.LoadInt64(&p.lastLog) >= int64(time.Minute) {
		atomic.StoreInt64(&p.lastLog, now)
		log.logf(levelError, "redis %s unavailable (%v): serving from this process's own state until it answers again", p.set.address, err)
	}
	p.startProbe()
}

func (p *redisPool) startProbe() {
	if atomic.CompareAndSwapInt32(&p.probing, 0, 1) {
		go p.probe()
	}
}

// probe tries Redis every probeInterval and closes the breaker once it
// answers PING. It ends then, or when nobody has wanted Redis for
// probeIdleStop; isOpen starts it again.
func (p *redisPool) probe() {
	defer func() {
		atomic.StoreInt32(&p.probing, 0)
		if r := recover(); r != nil {
			errorLog.Println(fmt.Sprintf("captchaify: redis probe stopped: %v", r))
		}
	}()
	t := time.NewTicker(probeInterval)
	defer t.Stop()
	for range t.C {
		if atomic.LoadInt32(&p.broken) == 0 {
			return
		}
		if time.Now().UnixNano()-atomic.LoadInt64(&p.wantedAt) > int64(probeIdleStop) {
			return
		}
		if err := p.ping(); err != nil {
			continue
		}
		down := time.Duration(time.Now().UnixNano() - atomic.LoadInt64(&p.openedAt))
		atomic.StoreInt32(&p.broken, 0)
		p.tripMu.Lock()
		l := p.tripLog
		p.tripMu.Unlock()
		if l != nil {
			l.logf(levelInfo, "redis %s answers again after %s: state is shared again", p.set.address, down.Round(time.Millisecond))
		}
		return
	}
}

// ping checks Redis (on a new connection: the idle ones were dropped when
// the breaker opened) and keeps the connection for the pool.
func (p *redisPool) ping() error {
	timeout := p.set.timeout
	if timeout < time.Second {
		timeout = time.Second // the probe is not on a request's path
	}
	reps, err := p.do(time.Now().Add(timeout), []string{"PING"})
	if err == nil && reps[0] != "+PONG" {
		err = replyErr(reps[0])
		if err == nil {
			err = errRedisProtocol
		}
	}
	return err
}

// get returns a connection by deadline: an idle one, a new one while
// fewer than maxPoolConns are open, or the next one released.
func (p *redisPool) get(deadline time.Time) (*redisConn, error) {
	p.mu.Lock()
	if n := len(p.idle); n > 0 {
		c := p.idle[n-1]
		p.idle = p.idle[:n-1]
		p.mu.Unlock()
		return c, nil
	}
	if p.open < maxPoolConns {
		p.open++
		p.mu.Unlock()
		return p.dialSlot(deadline)
	}
	wait := time.Until(deadline)
	if wait <= 0 {
		p.mu.Unlock()
		return nil, errPoolExhausted
	}
	w := &poolWaiter{grant: make(chan poolGrant, 1)}
	p.waiters = append(p.waiters, w)
	p.mu.Unlock()
	t := time.AfterFunc(wait, func() { p.expire(w) })
	g := <-w.grant
	t.Stop()
	switch {
	case g.conn != nil:
		return g.conn, nil
	case g.slot:
		return p.dialSlot(deadline)
	}
	return nil, errPoolExhausted
}

// dialSlot dials on a slot already counted in open, and frees it on error.
func (p *redisPool) dialSlot(deadline time.Time) (*redisConn, error) {
	c, err := p.dial(deadline)
	if err != nil {
		p.freeSlot()
		return nil, err
	}
	return c, nil
}

// expire ends a wait whose deadline passed, unless it was served meanwhile.
func (p *redisPool) expire(w *poolWaiter) {
	defer func() { _ = recover() }() // runs on a timer goroutine: never take Traefik down
	p.mu.Lock()
	defer p.mu.Unlock()
	for i, x := range p.waiters {
		if x == w {
			p.waiters = append(p.waiters[:i], p.waiters[i+1:]...)
			w.grant <- poolGrant{}
			return
		}
	}
}

// release gives the connection back (to the oldest waiter, or idle), or
// closes it after an error (its stream position is unknown then) or while
// the breaker is open (it may be stale when Redis is back).
func (p *redisPool) release(c *redisConn, ok bool) {
	if !ok || atomic.LoadInt32(&p.broken) != 0 {
		c.c.Close()
		p.freeSlot()
		return
	}
	p.mu.Lock()
	if len(p.waiters) > 0 {
		w := p.waiters[0]
		p.waiters = p.waiters[1:]
		p.mu.Unlock()
		w.grant <- poolGrant{conn: c}
		return
	}
	p.idle = append(p.idle, c)
	p.mu.Unlock()
}

// freeSlot gives a slot whose connection is gone to the oldest waiter, or
// back to the pool.
func (p *redisPool) freeSlot() {
	p.mu.Lock()
	if len(p.waiters) > 0 {
		w := p.waiters[0]
		p.waiters = p.waiters[1:]
		p.mu.Unlock()
		w.grant <- poolGrant{slot: true}
		return
	}
	p.open--
	p.mu.Unlock()
}

func (p *redisPool) dropIdle() {
	p.mu.Lock()
	idle := p.idle
	p.idle = nil
	p.open -= len(idle)
	p.mu.Unlock()
	for _, c := range idle {
		c.c.Close()
	}
}

// dial connects, upgrades to TLS when asked, and logs in and selects the
// database in one pipelined round trip.
func (p *redisPool) dial(deadline time.Time) (*redisConn, error) {
	d := net.Dialer{Deadline: deadline}
	nc, err := d.Dial("tcp", p.set.address)
	if err != nil {
		return nil, err
	}
	if p.set.tls {
		host, _, _ := net.SplitHostPort(p.set.address)
		tc := tls.Client(nc, &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12})
		if err := tc.SetDeadline(deadline); err == nil {
			err = tc.Handshake()
		}
		if err != nil {
			nc.Close()
			return nil, err
		}
		nc = tc
	}
	c := &redisConn{c: nc, r: bufio.NewReaderSize(nc, 4096), buf: make([]byte, 0, 512)}
	var setup [][]string
	if p.set.password != "" {
		if p.set.username != "" {
			setup = append(setup, []string{"AUTH", p.set.username, p.set.password})
		} else {
			setup = append(setup, []string{"AUTH", p.set.password})
		}
	}
	if p.set.db != 0 {
		setup = append(setup, []string{"SELECT", strconv.Itoa(p.set.db)})
	}
	if len(setup) > 0 {
		reps, err := c.pipeline(deadline, setup)
		if err == nil {
			for _, rep := range reps {
				if e := replyErr(rep); e != nil {
					err = e
					break
				}
				if rep != "+OK" {
					err = errRedisProtocol
					break
				}
			}
		}
		if err != nil {
			nc.Close()
			return nil, err
		}
	}
	return c, nil
}

// do runs commands in one round trip on a pooled connection.
func (p *redisPool) do(deadline time.Time, cmds ...[]string) ([]string, error) {
	c, err := p.get(deadline)
	if err != nil {
		return nil, err
	}
	reps, err := c.pipeline(deadline, cmds)
	p.release(c, err == nil)
	return reps, err
}

// redisScript is a Lua script run by its SHA1, loaded on first NOSCRIPT.
type redisScript struct {
	src string
	sha string
}

func newRedisScript(src string) *redisScript {
	sum := sha1.Sum([]byte(src))
	return &redisScript{src: src, sha: hex.EncodeToString(sum[:])}
}

// succeeded resets the timeouts in a row after an operation that worked.
func (p *redisPool) succeeded() {
	if atomic.LoadInt32(&p.timeouts) != 0 {
		atomic.StoreInt32(&p.timeouts, 0)
	}
}

// eval runs script with keys and args: EVALSHA, and EVAL on the same
// connection when Redis does not know the script yet (after a restart or
// SCRIPT FLUSH). The reply may be an error reply.
func (p *redisPool) eval(deadline time.Time, s *redisScript, keys []string, args []string) (string, error) {
	cmd := make([]string, 0, 3+len(keys)+len(args))
	cmd = append(cmd, "EVALSHA", s.sha, strconv.Itoa(len(keys)))
	cmd = append(cmd, keys...)
	cmd = append(cmd, args...)
	c, err := p.get(deadline)
	if err != nil {
		return "", err
	}
	rep, err := c.roundTrip(deadline, cmd)
	if err == nil && strings.HasPrefix(rep, "-NOSCRIPT") {
		cmd[0], cmd[1] = "EVAL", s.src
		rep, err = c.roundTrip(deadline, cmd)
	}
	p.release(c, err == nil)
	if err == nil {
		p.succeeded()
	}
	return rep, err
}

// one runs one command on a pooled connection.
func (p *redisPool) one(deadline time.Time, cmd []string) (string, error) {
	c, err := p.get(deadline)
	if err != nil {
		return "", err
	}
	rep, err := c.roundTrip(deadline, cmd)
	p.release(c, err == nil)
	if err == nil {
		p.succeeded()
	}
	return rep, err
}

// redisErrorKind names an error for the metrics.
func redisErrorKind(err error) int {
	var ne net.Error
	switch {
	case errors.Is(err, errRedisRefused):
		return redisErrReply
	case err == errRedisProtocol:
		return redisErrProtocol
	case err == errPoolExhausted:
		return redisErrTimeout
	case errors.As(err, &ne) && ne.Timeout():
		return redisErrTimeout
	}
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return redisErrConnect
	}
	return redisErrIO
}
