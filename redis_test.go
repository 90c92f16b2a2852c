package captchaify

import (
	"bufio"
	"io"
	"math/rand"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Unit tests of the RESP client and the breaker against fake servers. The
// real redis-server is exercised by tools/behaviour and tools/e2e.

func TestAppendCommand(t *testing.T) {
	got := string(appendCommand(nil, []string{"SET", "k", "", "a\r\nb"}))
	want := "*4\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n$4\r\na\r\nb\r\n"
	if got != want {
		t.Errorf("appendCommand = %q, want %q", got, want)
	}
}

func TestReadLine(t *testing.T) {
	r := bufio.NewReader(strings.NewReader("+OK\r\n-ERR no\r\n:42\r\n$-1\r\n+3 1 0 9\r\n"))
	var lines []string
	for i := 0; i < 5; i++ {
		line, err := readLine(r)
		if err != nil {
			t.Fatalf("reply %d: %v", i, err)
		}
		lines = append(lines, line)
	}
	if strings.Join(lines, "|") != "+OK|-ERR no|:42|$-1|+3 1 0 9" {
		t.Errorf("lines = %q", lines)
	}
	if err := replyErr(lines[1]); err == nil || !strings.Contains(err.Error(), "ERR no") || redisErrorKind(err) != redisErrReply {
		t.Errorf("error reply: %v", err)
	}
	if n, err := replyInt(lines[2]); n != 42 || err != nil {
		t.Errorf("replyInt = %d, %v", n, err)
	}
	if _, err := replyInt(lines[0]); err != errRedisProtocol {
		t.Errorf("replyInt(+OK) = %v", err)
	}
}

func TestReadLineRefusesGarbage(t *testing.T) {
	bad := []string{
		"hello\r\n", "+OK\n", "$3\r\nabc\r\n", "*1\r\n:1\r\n", "$-2\r\n", "\r\n",
		strings.Repeat("x", 10000), "+" + strings.Repeat("x", 5000) + "\r\n",
	}
	for _, in := range bad {
		if _, err := readLine(bufio.NewReader(strings.NewReader(in))); err == nil {
			t.Errorf("%.40q: no error", in)
		}
	}
	// Random bytes (with RESP-looking prefixes) never panic.
	rng := rand.New(rand.NewSource(1))
	prefixes := []string{"", "*", "$", ":", "+", "-", "*3\r\n", "$-1"}
	for i := 0; i < 20000; i++ {
		b := make([]byte, rng.Intn(64))
		rng.Read(b)
		in := prefixes[i%len(prefixes)] + string(b)
		r := bufio.NewReader(strings.NewReader(in))
		for j := 0; j < 4; j++ {
			line, err := readLine(r)
			if err != nil {
				break
			}
			_, _ = replyInt(line)
			_ = applySyncReplies(&rateSync{windows: map[string]*syncWindow{}}, []syncItem{{w: &syncWindow{}}, {w: &syncWindow{}}}, []string{line})
			_ = replyErr(line)
		}
	}
}

// readCommand reads one RESP array of bulk strings (what the client sends).
func readCommand(r *bufio.Reader) ([]string, error) {
	line, err := r.ReadString('\n')
	if err != nil || len(line) < 4 || line[0] != '*' {
		return nil, io.ErrUnexpectedEOF
	}
	n, err := strconv.Atoi(strings.TrimSpace(line[1:]))
	if err != nil || n < 1 || n > 4096 {
		return nil, io.ErrUnexpectedEOF
	}
	args := make([]string, n)
	for i := range args {
		h, err := r.ReadString('\n')
		if err != nil || len(h) < 4 || h[0] != '$' {
			return nil, io.ErrUnexpectedEOF
		}
		l, err := strconv.Atoi(strings.TrimSpace(h[1:]))
		if err != nil || l < 0 || l > 1<<20 {
			return nil, io.ErrUnexpectedEOF
		}
		b := make([]byte, l+2)
		if _, err := io.ReadFull(r, b); err != nil {
			return nil, err
		}
		args[i] = string(b[:l])
	}
	return args, nil
}

// fakeRedis serves RESP commands with handle, which returns the raw reply
// (or "" to answer nothing).
type fakeRedis struct {
	ln       net.Listener
	accepted int64
	mu       sync.Mutex
	handle   func(args []string) string
}

func startFake(t *testing.T, handle func(args []string) string) *fakeRedis {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f := &fakeRedis{ln: ln, handle: handle}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			atomic.AddInt64(&f.accepted, 1)
			go f.serve(c)
		}
	}()
	return f
}

func (f *fakeRedis) setHandler(h func(args []string) string) {
	f.mu.Lock()
	f.handle = h
	f.mu.Unlock()
}

func (f *fakeRedis) serve(c net.Conn) {
	defer c.Close()
	r := bufio.NewReader(c)
	for {
		args, err := readCommand(r)
		if err != nil {
			return
		}
		f.mu.Lock()
		h := f.handle
		f.mu.Unlock()
		if out := h(args); out != "" {
			if _, err := io.WriteString(c, out); err != nil {
				return
			}
		}
	}
}

func (f *fakeRedis) addr() string { return f.ln.Addr().String() }

func testRedisStore(t *testing.T, addr string, timeout time.Duration) *redisStore {
	t.Helper()
	s := &redisSettings{address: addr, keyPrefix: "test:", timeout: timeout, interval: 20 * time.Millisecond}
	name := "unit-" + strconv.FormatInt(time.Now().UnixNano(), 36)
	return newRedisStore(name, s, newMemoryStore(1000), metricsFor(name), logger{name: name, level: levelError})
}

func TestAuthSelectAndScriptFallback(t *testing.T) {
	var mu sync.Mutex
	var seen []string
	f := startFake(t, func(args []string) string {
		mu.Lock()
		seen = append(seen, strings.Join(args, " "))
		mu.Unlock()
		switch args[0] {
		case "AUTH", "SELECT":
			return "+OK\r\n"
		case "EVALSHA":
			return "-NOSCRIPT No matching script. Please use EVAL.\r\n"
		case "EVAL":
			return "+7 8 3 6\r\n" // global, then the client
		}
		return "-ERR unknown\r\n"
	})
	set := &redisSettings{address: f.addr(), username: "u", password: "p", db: 2, keyPrefix: "x:", timeout: time.Second, interval: time.Hour}
	st := newRedisStore("mw-auth", set, newMemoryStore(1000), metricsFor("unit-auth"), logger{name: "mw", level: levelError})
	now := time.Unix(1700000030, 0)
	// Counting is local: no I/O, the first request counts 1.
	c, g := st.countRequest("198.51.100.1", true, now, rateWindow)
	if c.current != 1 || g.current != 1 || c.elapsed != 50*time.Second { // 1700000030 = 28333333 minutes + 50 s
		t.Fatalf("counts = %+v %+v", c, g)
	}
	mu.Lock()
	if len(seen) != 0 {
		t.Fatalf("a request sent %q", seen)
	}
	mu.Unlock()
	if !flushRateSync(st.sync, now) {
		t.Fatal("flusher stopped")
	}
	// Redis's totals replace the local view; the next request adds to them.
	c, g = st.countRequest("198.51.100.1", true, now, rateWindow)
	if c.current != 4 || c.previous != 6 || g.current != 8 || g.previous != 8 {
		t.Fatalf("counts after the flush = %+v %+v", c, g)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(seen) != 4 || seen[0] != "AUTH u p" || seen[1] != "SELECT 2" || !strings.HasPrefix(seen[2], "EVALSHA ") || !strings.HasPrefix(seen[3], "EVAL ") {
		t.Fatalf("commands = %q", seen)
	}
	wantArgs := " 0 x:mw-auth: 121000  28333333 1 0 198.51.100.1 28333333 1 0"
	if seen[2] != "EVALSHA "+syncScript.sha+wantArgs || seen[3] != "EVAL "+syncScript.src+wantArgs {
		t.Errorf("commands %q, %q; want the arguments %q", seen[2], seen[3][:20], wantArgs)
	}
	if st.breakerOpen() {
		t.Errorf("breaker open after a good exchange")
	}
}

func TestBreakerOnGarbage(t *testing.T) {
	f := startFake(t, func(args []string) string { return "HTTP/1.1 400 Bad Request\r\n\r\n" })
	st := testRedisStore(t, f.addr(), 200*time.Millisecond)
	now := time.Now()
	start := time.Now()
	c, _ := st.countRequest("198.51.100.2", false, now, rateWindow)
	if c.current != 1 {
		t.Errorf("count = %d, want 1", c.current)
	}
	if d := time.Since(start); d > 50*time.Millisecond {
		t.Errorf("counting took %v: it must not wait for Redis", d)
	}
	// The flusher meets the garbage and opens the breaker.
	for i := 0; i < 100 && !st.breakerOpen(); i++ {
		time.Sleep(10 * time.Millisecond)
	}
	if !st.breakerOpen() {
		t.Fatalf("breaker not open after garbage")
	}
	if st.metrics.redisErrors[redisErrProtocol] == 0 {
		t.Errorf("protocol error not counted: %v", st.metrics.redisErrors)
	}
	// Open: no network at all, local state, no waiting. (The flusher
	// tells the request path within an interval.)
	time.Sleep(100 * time.Millisecond)
	accepted := atomic.LoadInt64(&f.accepted)
	start = time.Now()
	for i := 0; i < 100; i++ {
		st.countRequest("198.51.100.2", true, now, rateWindow)
		st.failures("198.51.100.2", now, failureWindow)
	}
	if d := time.Since(start); d > 50*time.Millisecond {
		t.Errorf("100 requests with the breaker open took %v", d)
	}
	if c, _ := st.countRequest("198.51.100.2", false, now, rateWindow); c.current != 102 {
		t.Errorf("local count = %d, want 102", c.current)
	}
	time.Sleep(100 * time.Millisecond) // the flusher adds the requests' fallbacks
	if n := atomic.LoadUint64(&st.metrics.redisFallbacks); n < 200 {
		t.Errorf("fallbacks counted = %d, want ≥ 200", n)
	}
	// The probe may have connected meanwhile, the requests did not.
	if a := atomic.LoadInt64(&f.accepted); a > accepted+3 {
		t.Errorf("%d connections while open", a-accepted)
	}
}

func TestBreakerOnSilenceAndRecovery(t *testing.T) {
	var answer int32 // 0: say nothing; 1: behave
	f := startFake(t, func(args []string) string {
		if atomic.LoadInt32(&answer) == 0 {
			return ""
		}
		switch args[0] {
		case "PING":
			return "+PONG\r\n"
		case "ZCOUNT":
			return ":2\r\n"
		}
		return "-ERR unknown\r\n"
	})
	timeout := 150 * time.Millisecond
	st := testRedisStore(t, f.addr(), timeout)
	now := time.Now()
	// A timeout alone does not open the breaker; tripTimeouts in a row do.
	for i := 1; i <= tripTimeouts; i++ {
		start := time.Now()
		if n := st.failures("198.51.100.3", now, failureWindow); n != 0 {
			t.Errorf("fallback failures = %d", n)
		}
		d := time.Since(start)
		if d < timeout-20*time.Millisecond || d > timeout+250*time.Millisecond { // room for a busy machine
			t.Errorf("a silent Redis cost %v, want about the timeout %v", d, timeout)
		}
		if open := st.breakerOpen(); open != (i == tripTimeouts) {
			t.Fatalf("after %d timeouts the breaker is open: %v", i, open)
		}
	}
	if n := st.metrics.redisErrors[redisErrTimeout]; n != tripTimeouts {
		t.Fatalf("timeouts counted %d, want %d", n, tripTimeouts)
	}
	start := time.Now()
	st.failures("198.51.100.3", now, failureWindow)
	if d := time.Since(start); d > 10*time.Millisecond {
		t.Errorf("with the breaker open a request waited %v", d)
	}
	atomic.StoreInt32(&answer, 1)
	deadline := time.Now().Add(5 * time.Second)
	for st.breakerOpen() && time.Now().Before(deadline) {
		st.failures("198.51.100.3", time.Now(), failureWindow) // keeps the probe wanted
		time.Sleep(50 * time.Millisecond)
	}
	if st.breakerOpen() {
		t.Fatalf("breaker still open 5 s after Redis answers again")
	}
	if n := st.failures("198.51.100.3", time.Now(), failureWindow); n != 2 {
		t.Errorf("after recovery failures = %d, want Redis's 2", n)
	}
	// Timeouts with successes in between never open it.
	for i := 0; i < 2*tripTimeouts; i++ {
		atomic.StoreInt32(&answer, int32(i%2))
		st.failures("198.51.100.3", time.Now(), failureWindow)
	}
	if st.breakerOpen() {
		t.Errorf("sporadic timeouts opened the breaker")
	}
}

func TestRedisRefusedAtStart(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	st := testRedisStore(t, addr, 100*time.Millisecond)
	start := time.Now()
	if !st.spendChallenge("id-1", time.Now().Add(time.Minute)) {
		t.Errorf("first spend refused")
	}
	if st.spendChallenge("id-1", time.Now().Add(time.Minute)) {
		t.Errorf("replay accepted from local state")
	}
	if d := time.Since(start); d > 150*time.Millisecond {
		t.Errorf("took %v", d)
	}
	if !st.breakerOpen() || st.metrics.redisErrors[redisErrConnect] == 0 {
		t.Errorf("breaker %v, connect errors %d", st.breakerOpen(), st.metrics.redisErrors[redisErrConnect])
	}
}

func TestPoolIsBounded(t *testing.T) {
	release := make(chan struct{})
	f := startFake(t, func(args []string) string {
		<-release
		return "+PONG\r\n"
	})
	p := poolFor(&redisSettings{address: f.addr(), timeout: time.Second})
	var wg sync.WaitGroup
	var ok int64
	for i := 0; i < maxPoolConns; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := p.do(time.Now().Add(5*time.Second), []string{"PING"}); err == nil {
				atomic.AddInt64(&ok, 1)
			}
		}()
	}
	for atomic.LoadInt64(&f.accepted) < maxPoolConns {
		time.Sleep(10 * time.Millisecond)
	}
	// Every connection is busy: more operations wait, but only until their deadline.
	start := time.Now()
	for i := 0; i < 5; i++ {
		if _, err := p.do(time.Now().Add(50*time.Millisecond), []string{"PING"}); err != errPoolExhausted {
			t.Errorf("operation on a full pool: %v, want errPoolExhausted", err)
		}
	}
	if d := time.Since(start); d > 5*(50*time.Millisecond)+100*time.Millisecond {
		t.Errorf("5 waits of 50 ms took %v", d)
	}
	close(release)
	wg.Wait()
	if a := atomic.LoadInt64(&f.accepted); a != maxPoolConns {
		t.Errorf("%d connections, want the bound %d", a, maxPoolConns)
	}
	if ok != maxPoolConns {
		t.Errorf("%d of %d operations succeeded", ok, maxPoolConns)
	}
	// They are idle now and reused.
	if _, err := p.do(time.Now().Add(time.Second), []string{"PING"}); err != nil || atomic.LoadInt64(&f.accepted) != maxPoolConns {
		t.Errorf("reuse: %v, %d connections", err, atomic.LoadInt64(&f.accepted))
	}
}

func TestParseRedisOptions(t *testing.T) {
	good := RedisConfig{Address: "redis:6379", KeyPrefix: "p:", Timeout: 50, SyncInterval: 80, DB: 3, Username: "u", Password: "pw"}
	s, err := parseRedis(good)
	if err != nil || s.timeout != 50*time.Millisecond || s.interval != 80*time.Millisecond || s.db != 3 {
		t.Fatalf("parseRedis(%+v) = %+v, %v", good, s, err)
	}
	if s, err := parseRedis(RedisConfig{}); err != nil || s.address != "" {
		t.Errorf("no address: %+v %v", s, err)
	}
	bad := map[string]RedisConfig{
		"redis.address":        {Address: "redis", Timeout: 50},
		"redis.address:":       {Address: "redis:0", Timeout: 50},
		"redis.username":       {Address: "redis:6379", Username: "u", Timeout: 50},
		"redis.db":             {Address: "redis:6379", DB: -1, Timeout: 50},
		"redis.timeout":        {Address: "redis:6379", Timeout: 0},
		"redis.keyPrefix":      {Address: "redis:6379", Timeout: 50, SyncInterval: 50, KeyPrefix: strings.Repeat("k", 101)},
		"redis.syncInterval":   {Address: "redis:6379", Timeout: 50},
		"redis.syncInterval:":  {Address: "redis:6379", Timeout: 50, SyncInterval: 5},
		"redis.syncInterval::": {Address: "redis:6379", Timeout: 50, SyncInterval: 10001},
		"redis.tsl":            {Address: "redis:6379", Timeout: 50, Unknown: map[string]interface{}{"tsl": true}},
	}
	for want, c := range bad {
		want = strings.TrimRight(want, ":")
		if _, err := parseRedis(c); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%+v: error %v, want one naming %s", c, err, want)
		}
	}
}
