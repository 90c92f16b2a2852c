// Package redistest runs a real redis-server (Debian's redis-server package,
// Redis 7; Valkey's binary works too) for tests and benchmarks, and fake
// servers that misbehave: one that answers garbage and one that never
// answers.
//
//	srv := redistest.Start(t, redistest.Options{})   // stopped at cleanup
//	srv.Addr                                          // "127.0.0.1:<port>"
//	srv.Kill()                                        // SIGKILL, as a crash
//	srv.Restart(t)                                    // same port, empty data
//	n, _ := srv.Do("DBSIZE")
//
// A missing redis-server fails the test: `make test` and .ci/run install it.
// Set CAPTCHAIFY_SKIP_REDIS=1 to skip the tests that need it instead.
package redistest

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// SkipEnv names the variable that skips tests needing redis-server.
const SkipEnv = "CAPTCHAIFY_SKIP_REDIS"

// Options tune Launch and Start.
type Options struct {
	// Binary is the server to run; empty means $CAPTCHAIFY_REDIS_SERVER or
	// redis-server (then valkey-server) on PATH.
	Binary string
	// Password turns on requirepass (and, with Username, an ACL user).
	Password string
	Username string
	// TLSCert and TLSKey (PEM files) make the server speak TLS only.
	TLSCert, TLSKey string
	// Port is the port to listen on; 0 picks a free one.
	Port int
	// Output receives the server's log.
	Output io.Writer
}

// Server is a running redis-server.
type Server struct {
	Addr string // 127.0.0.1:<port>
	Port int

	opts Options
	bin  string
	dir  string

	mu     sync.Mutex
	cmd    *exec.Cmd
	exited chan struct{}
}

// Binary returns the redis-server to run.
func Binary() (string, error) {
	if b := os.Getenv("CAPTCHAIFY_REDIS_SERVER"); b != "" {
		return b, nil
	}
	for _, name := range []string{"redis-server", "valkey-server"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", errors.New("redistest: redis-server not found on PATH; install it (Debian: apt-get install redis-server; `make test` does it) or set " + SkipEnv + "=1 to skip")
}

// Start is Launch for tests: it skips when CAPTCHAIFY_SKIP_REDIS=1, fails
// tb on any error (a missing redis-server included) and stops the server
// at cleanup.
func Start(tb testing.TB, o Options) *Server {
	tb.Helper()
	if os.Getenv(SkipEnv) == "1" {
		tb.Skip(SkipEnv + "=1: tests with a real redis-server skipped")
	}
	s, err := Launch(o)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(s.Close)
	return s
}

// Launch starts redis-server on 127.0.0.1 without persistence, in a new
// temporary directory, and waits until it answers PING.
func Launch(o Options) (*Server, error) {
	bin := o.Binary
	if bin == "" {
		var err error
		if bin, err = Binary(); err != nil {
			return nil, err
		}
	}
	dir, err := os.MkdirTemp("", "redistest-")
	if err != nil {
		return nil, err
	}
	s := &Server{opts: o, bin: bin, dir: dir}
	for attempt := 0; attempt < 3; attempt++ {
		port := o.Port
		if port == 0 {
			if port, err = freePort(); err != nil {
				break
			}
		}
		s.Port, s.Addr = port, "127.0.0.1:"+strconv.Itoa(port)
		if err = s.start(); err == nil || o.Port != 0 {
			break
		}
	}
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	return s, nil
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

func (s *Server) args() []string {
	port := strconv.Itoa(s.Port)
	a := []string{"--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", s.dir,
		"--daemonize", "no", "--logfile", "", "--enable-debug-command", "local"}
	if s.opts.TLSCert != "" {
		a = append(a, "--port", "0", "--tls-port", port, "--tls-cert-file", s.opts.TLSCert,
			"--tls-key-file", s.opts.TLSKey, "--tls-auth-clients", "no")
	} else {
		a = append(a, "--port", port)
	}
	if s.opts.Password != "" {
		if s.opts.Username != "" {
			// An ACL user with every right; the default user is turned off.
			a = append(a, "--user", "default", "off", "--user", s.opts.Username, "on", ">"+s.opts.Password, "~*", "&*", "+@all")
		} else {
			a = append(a, "--requirepass", s.opts.Password)
		}
	}
	return a
}

func (s *Server) start() error {
	cmd := exec.Command(s.bin, s.args()...)
	cmd.Dir = s.dir
	var out io.Writer = io.Discard
	if s.opts.Output != nil {
		out = s.opts.Output
	}
	logFile, err := os.OpenFile(filepath.Join(s.dir, "redis.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	w := io.MultiWriter(logFile, out)
	cmd.Stdout, cmd.Stderr = w, w
	setProcAttr(cmd)
	if err := cmd.Start(); err != nil {
		logFile.Close()
		return fmt.Errorf("redistest: starting %s: %w", s.bin, err)
	}
	exited := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		logFile.Close()
		close(exited)
	}()
	s.mu.Lock()
	s.cmd, s.exited = cmd, exited
	s.mu.Unlock()
	deadline := time.Now().Add(15 * time.Second)
	for {
		select {
		case <-exited:
			return fmt.Errorf("redistest: %s exited at start:\n%s", s.bin, s.Log())
		default:
		}
		if v, err := s.Do("PING"); err == nil && v == "PONG" {
			return nil
		}
		if time.Now().After(deadline) {
			s.Kill()
			return fmt.Errorf("redistest: %s did not answer PING within 15 s:\n%s", s.bin, s.Log())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Pid is the server's process id, 0 when it is not running.
func (s *Server) Pid() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil || s.cmd.Process == nil {
		return 0
	}
	return s.cmd.Process.Pid
}

// Log returns what the server logged.
func (s *Server) Log() string {
	b, _ := os.ReadFile(filepath.Join(s.dir, "redis.log"))
	return string(b)
}

// Kill ends the server with SIGKILL, as a crash would, and waits for it.
func (s *Server) Kill() {
	s.mu.Lock()
	cmd, exited := s.cmd, s.exited
	s.cmd = nil
	s.mu.Unlock()
	if cmd == nil {
		return
	}
	_ = cmd.Process.Kill()
	<-exited
}

// Restart starts the server again on the same port after Kill, with empty
// data (nothing is persisted).
func (s *Server) Restart(tb testing.TB) {
	tb.Helper()
	s.Kill()
	var err error
	for attempt := 0; attempt < 50; attempt++ {
		if err = s.start(); err == nil {
			return
		}
		time.Sleep(100 * time.Millisecond) // the port may linger a moment
	}
	tb.Fatalf("redistest: restart: %v", err)
}

// Close kills the server and removes its directory.
func (s *Server) Close() {
	s.Kill()
	os.RemoveAll(s.dir)
}

// Do runs one command on a new connection and returns the reply: a string,
// an int64, nil, or a []any of those; an error reply is an error.
func (s *Server) Do(args ...string) (any, error) {
	c, err := s.dial()
	if err != nil {
		return nil, err
	}
	defer c.Close()
	return roundTrip(c, args)
}

// Int runs a command whose reply is an integer.
func (s *Server) Int(args ...string) (int64, error) {
	v, err := s.Do(args...)
	if err != nil {
		return 0, err
	}
	n, ok := v.(int64)
	if !ok {
		return 0, fmt.Errorf("redistest: %s: reply %v is not an integer", args[0], v)
	}
	return n, nil
}

// Keys lists the keys matching pattern.
func (s *Server) Keys(pattern string) ([]string, error) {
	v, err := s.Do("KEYS", pattern)
	if err != nil {
		return nil, err
	}
	list, _ := v.([]any)
	var keys []string
	for _, k := range list {
		if str, ok := k.(string); ok {
			keys = append(keys, str)
		}
	}
	return keys, nil
}

// CommandCalls returns INFO commandstats as command → calls (e.g. "evalsha").
func (s *Server) CommandCalls() (map[string]int64, error) {
	v, err := s.Do("INFO", "commandstats")
	if err != nil {
		return nil, err
	}
	text, _ := v.(string)
	calls := map[string]int64{}
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		name, rest, ok := strings.Cut(line, ":")
		if !ok || !strings.HasPrefix(name, "cmdstat_") {
			continue
		}
		for _, f := range strings.Split(rest, ",") {
			if v, ok := strings.CutPrefix(f, "calls="); ok {
				n, _ := strconv.ParseInt(v, 10, 64)
				calls[strings.TrimPrefix(name, "cmdstat_")] = n
			}
		}
	}
	return calls, nil
}

func (s *Server) dial() (net.Conn, error) {
	c, err := net.DialTimeout("tcp", s.Addr, 2*time.Second)
	if err != nil {
		return nil, err
	}
	if s.opts.TLSCert != "" {
		c = tlsClient(c)
	}
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	if s.opts.Password != "" {
		auth := []string{"AUTH", s.opts.Password}
		if s.opts.Username != "" {
			auth = []string{"AUTH", s.opts.Username, s.opts.Password}
		}
		if _, err := roundTrip(c, auth); err != nil {
			c.Close()
			return nil, err
		}
	}
	return c, nil
}

func roundTrip(c net.Conn, args []string) (any, error) {
	var b strings.Builder
	fmt.Fprintf(&b, "*%d\r\n", len(args))
	for _, a := range args {
		fmt.Fprintf(&b, "$%d\r\n%s\r\n", len(a), a)
	}
	if _, err := io.WriteString(c, b.String()); err != nil {
		return nil, err
	}
	return readValue(bufio.NewReader(c))
}

func readValue(r *bufio.Reader) (any, error) {
	line, err := r.ReadString('\n')
	if err != nil {
		return nil, err
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return nil, errors.New("redistest: empty reply line")
	}
	switch line[0] {
	case '+':
		return line[1:], nil
	case '-':
		return nil, errors.New(line[1:])
	case ':':
		return strconv.ParseInt(line[1:], 10, 64)
	case '$':
		n, err := strconv.Atoi(line[1:])
		if err != nil || n < 0 {
			return nil, err
		}
		buf := make([]byte, n+2)
		if _, err := io.ReadFull(r, buf); err != nil {
			return nil, err
		}
		return string(buf[:n]), nil
	case '*':
		n, err := strconv.Atoi(line[1:])
		if err != nil || n < 0 {
			return nil, err
		}
		out := make([]any, n)
		for i := range out {
			if out[i], err = readValue(r); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	return nil, fmt.Errorf("redistest: unexpected reply %q", line)
}
