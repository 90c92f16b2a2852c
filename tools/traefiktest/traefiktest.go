// Package traefiktest runs a real Traefik binary with the captchaify plugin installed
// as a local plugin, in front of a loopback backend, for end-to-end tests, benchmarks
// and the demo.
//
//	inst := traefiktest.Start(t, traefiktest.Options{Config: traefiktest.Config{Routes: []traefiktest.Route{
//		{Name: "site", Rule: "PathPrefix(`/`)", Plugin: map[string]any{"defaultAction": "fight"}},
//		{Name: "bare", Rule: "PathPrefix(`/bare/`)"},
//	}}})
//	resp, err := traefiktest.Client("").Get(inst.URL("/page"))
//
// The Traefik binary comes from $CAPTCHAIFY_TRAEFIK or scripts/build-traefik.sh
// (built once, a few minutes, then cached).
package traefiktest

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Options configure Launch and Start. The zero value is usable apart from Config.
type Options struct {
	// Config is the initial dynamic configuration.
	Config Config
	// Traefik is the binary to run; empty means TraefikBinary (env or build script).
	Traefik string
	// RepoRoot is the plugin's repository; empty means FindRepoRoot from the working
	// directory.
	RepoRoot string
	// WorkDir is Traefik's working directory (plugins-local/, traefik.yml, dynamic.yml,
	// logs). Empty means a new temporary directory, removed by Close.
	WorkDir string
	// WebAddr is the web entrypoint's address; empty means 127.0.0.1 and a free port.
	WebAddr string
	// APIAddr is the address of the "traefik" entrypoint (API and ping); empty means
	// 127.0.0.1 and a free port.
	APIAddr string
	// Backend serves the "backend" service; nil means Backend().
	Backend http.Handler
	// LogLevel is Traefik's log level; empty means DEBUG.
	LogLevel string
	// LogToStdout sends Traefik's log to its stdout (and so to Output) instead of
	// WorkDir/traefik.log.
	LogToStdout bool
	// AccessLog turns Traefik's access log (to stdout) on.
	AccessLog bool
	// TrustForwardedHeaders keeps clients' X-Forwarded-* headers on the web
	// entrypoint (forwardedHeaders.insecure).
	TrustForwardedHeaders bool
	// ExtraPlugins are more local plugins installed next to captchaify, e.g. a
	// do-nothing plugin as a benchmark floor. Use them in Config.Middlewares as
	// {"plugin": {<alias>: {...}}}.
	ExtraPlugins []LocalPlugin
	// Output receives a copy of Traefik's stdout and stderr.
	Output io.Writer
	// Progress receives the build script's messages while Traefik is being built.
	Progress io.Writer
	// StartTimeout bounds the wait for Traefik to serve the initial configuration;
	// zero means 60 s.
	StartTimeout time.Duration
}

// LocalPlugin is an extra plugin for Options.ExtraPlugins.
type LocalPlugin struct {
	Alias      string // name in experimental.localPlugins and in middleware definitions
	ModuleName string // Go module path (and the manifest's import)
	// Install writes the plugin's sources (go.mod, .traefik.yml, .go files) into dir,
	// which is workDir/plugins-local/src/<ModuleName>.
	Install func(dir string) error
}

// Instance is a running Traefik.
type Instance struct {
	// BaseURL is the web entrypoint, e.g. http://127.0.0.1:41234.
	BaseURL string
	// WebAddr is the web entrypoint's host:port.
	WebAddr string
	// APIURL is the Traefik API/ping entrypoint, e.g. http://127.0.0.1:41235.
	APIURL string
	// BackendURL is the loopback backend's URL.
	BackendURL string
	// WorkDir is Traefik's working directory.
	WorkDir string
	// PluginDir is the installed copy of the plugin.
	PluginDir string

	dynamicFile string
	logFile     string
	outFile     string
	removeDir   bool

	mu         sync.Mutex
	cfg        Config
	generation int

	cmd      *exec.Cmd
	out      *os.File
	exited   chan struct{}
	exitErr  error
	backend  *http.Server
	closeErr error
	once     sync.Once
}

// Launch installs the plugin, starts the backend and Traefik, and waits until Traefik
// serves opts.Config with every route enabled. When it picked the ports itself and
// one of them was taken in the meantime, it tries again with other ports.
func Launch(opts Options) (*Instance, error) {
	for attempt := 1; ; attempt++ {
		inst, err := launch(opts)
		if err == nil || attempt == 3 || opts.WebAddr != "" || opts.APIAddr != "" ||
			!strings.Contains(err.Error(), "address already in use") {
			return inst, err
		}
	}
}

func launch(opts Options) (inst *Instance, err error) {
	repoRoot := opts.RepoRoot
	if repoRoot == "" {
		if repoRoot, err = FindRepoRoot(""); err != nil {
			return nil, err
		}
	}
	bin := opts.Traefik
	if bin == "" {
		if bin, err = TraefikBinary(repoRoot, opts.Progress); err != nil {
			return nil, err
		}
	}

	inst = &Instance{exited: make(chan struct{})}
	defer func() {
		if err != nil {
			inst.Close()
			inst = nil
		}
	}()

	if opts.WorkDir == "" {
		dir, err := os.MkdirTemp("", "traefiktest-")
		if err != nil {
			return inst, err
		}
		inst.WorkDir, inst.removeDir = dir, true
	} else {
		if inst.WorkDir, err = filepath.Abs(opts.WorkDir); err != nil {
			return inst, err
		}
		if err := os.MkdirAll(inst.WorkDir, 0o755); err != nil {
			return inst, err
		}
	}
	if inst.PluginDir, err = InstallPlugin(repoRoot, inst.WorkDir); err != nil {
		return inst, err
	}
	extra := map[string]string{}
	for _, p := range opts.ExtraPlugins {
		if p.Alias == "" || p.ModuleName == "" || p.Install == nil {
			return inst, fmt.Errorf("traefiktest: extra plugin %q needs Alias, ModuleName and Install", p.Alias)
		}
		if p.ModuleName == ModuleName {
			return inst, fmt.Errorf("traefiktest: extra plugin %q reuses the module %s", p.Alias, ModuleName)
		}
		dir := filepath.Join(inst.WorkDir, "plugins-local", "src", filepath.FromSlash(p.ModuleName))
		if err := os.RemoveAll(dir); err != nil {
			return inst, err
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return inst, err
		}
		if err := p.Install(dir); err != nil {
			return inst, fmt.Errorf("traefiktest: installing plugin %q: %w", p.Alias, err)
		}
		extra[p.Alias] = p.ModuleName
	}

	// Backend.
	handler := opts.Backend
	if handler == nil {
		handler = Backend()
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return inst, err
	}
	inst.backend = &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
	go inst.backend.Serve(ln) //nolint:errcheck // ends with Close
	inst.BackendURL = "http://" + ln.Addr().String()

	// Static and dynamic configuration.
	inst.WebAddr = opts.WebAddr
	if inst.WebAddr == "" {
		if inst.WebAddr, err = FreeAddr(); err != nil {
			return inst, err
		}
	}
	apiAddr := opts.APIAddr
	if apiAddr == "" {
		if apiAddr, err = FreeAddr(); err != nil {
			return inst, err
		}
	}
	inst.BaseURL = "http://" + inst.WebAddr
	inst.APIURL = "http://" + apiAddr
	inst.dynamicFile = filepath.Join(inst.WorkDir, "dynamic.yml")
	inst.outFile = filepath.Join(inst.WorkDir, "traefik.out")
	if !opts.LogToStdout {
		inst.logFile = filepath.Join(inst.WorkDir, "traefik.log")
		_ = os.Remove(inst.logFile)
	}
	static, err := StaticYAML(StaticOptions{
		WebAddr:               inst.WebAddr,
		APIAddr:               apiAddr,
		DynamicFile:           inst.dynamicFile,
		LogLevel:              opts.LogLevel,
		LogFile:               inst.logFile,
		AccessLog:             opts.AccessLog,
		TrustForwardedHeaders: opts.TrustForwardedHeaders,
		ExtraLocalPlugins:     extra,
	})
	if err != nil {
		return inst, err
	}
	staticFile := filepath.Join(inst.WorkDir, "traefik.yml")
	if err := os.WriteFile(staticFile, static, 0o644); err != nil {
		return inst, err
	}
	inst.generation = 1
	inst.cfg = opts.Config
	if err := inst.writeDynamic(opts.Config, inst.generation); err != nil {
		return inst, err
	}

	// Traefik.
	if inst.out, err = os.Create(inst.outFile); err != nil {
		return inst, err
	}
	cmd := exec.Command(bin, "--configFile="+staticFile)
	cmd.Dir = inst.WorkDir
	cmd.Env = os.Environ()
	if opts.Output != nil {
		w := io.MultiWriter(inst.out, opts.Output)
		cmd.Stdout, cmd.Stderr = w, w
	} else {
		cmd.Stdout, cmd.Stderr = inst.out, inst.out
	}
	setProcAttr(cmd)
	if err := cmd.Start(); err != nil {
		return inst, fmt.Errorf("traefiktest: starting %s: %w", bin, err)
	}
	inst.cmd = cmd
	go func() {
		inst.exitErr = cmd.Wait()
		close(inst.exited)
	}()

	timeout := opts.StartTimeout
	if timeout <= 0 {
		timeout = 60 * time.Second
	}
	if err := inst.waitApplied(opts.Config, inst.generation, timeout); err != nil {
		return inst, err
	}
	return inst, nil
}

// Start is Launch for tests: it fails tb on error and stops Traefik in tb.Cleanup.
// When the test failed, the working directory (with traefik.log) is kept and its
// path logged.
func Start(tb testing.TB, opts Options) *Instance {
	tb.Helper()
	if opts.Progress == nil {
		opts.Progress = tbWriter{tb}
	}
	inst, err := Launch(opts)
	if err != nil {
		tb.Fatalf("traefiktest: %v", err)
	}
	tb.Cleanup(func() {
		if tb.Failed() && inst.removeDir {
			inst.removeDir = false
			tb.Logf("traefiktest: Traefik's working directory (log: traefik.log, traefik.out) is kept at %s", inst.WorkDir)
		}
		if err := inst.Close(); err != nil {
			tb.Logf("traefiktest: stopping Traefik: %v", err)
		}
	})
	return inst
}

type tbWriter struct{ tb testing.TB }

func (w tbWriter) Write(p []byte) (int, error) {
	w.tb.Logf("%s", strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// URL returns the web entrypoint's URL for path (which may carry a query).
func (i *Instance) URL(path string) string {
	if !strings.HasPrefix(path, "/") {
		path = "/" + path
	}
	return i.BaseURL + path
}

// Config returns the dynamic configuration Traefik currently serves.
func (i *Instance) Config() Config {
	i.mu.Lock()
	defer i.mu.Unlock()
	return i.cfg
}

// Reload rewrites dynamic.yml with cfg and waits (up to 30 s) until Traefik serves
// it with every route enabled. The plugin's package state (rate-limit counters,
// spent challenges) lives in Traefik's interpreter and must survive this.
func (i *Instance) Reload(cfg Config) error {
	i.mu.Lock()
	i.generation++
	gen := i.generation
	i.mu.Unlock()
	if err := i.writeDynamic(cfg, gen); err != nil {
		return err
	}
	if err := i.waitApplied(cfg, gen, 30*time.Second); err != nil {
		return err
	}
	i.mu.Lock()
	i.cfg = cfg
	i.mu.Unlock()
	return nil
}

func (i *Instance) writeDynamic(cfg Config, gen int) error {
	data, err := DynamicYAML(cfg, i.BackendURL, gen)
	if err != nil {
		return err
	}
	// Write a temporary file and rename it so that the file provider never reads a
	// half-written file.
	tmp := filepath.Join(filepath.Dir(i.dynamicFile), ".dynamic.yml.tmp")
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, i.dynamicFile)
}

// apiItem is an entry of /api/http/routers or /api/http/middlewares.
type apiItem struct {
	Name   string   `json:"name"`
	Status string   `json:"status"`
	Error  []string `json:"error"`
}

// waitApplied polls until the marker router answers with generation gen and every
// route of cfg (and its middlewares) is enabled in Traefik's API. A disabled route
// fails at once with Traefik's error messages.
func (i *Instance) waitApplied(cfg Config, gen int, timeout time.Duration) error {
	client := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(timeout)
	want := routerNames(cfg)
	lastState := "nothing answered yet"
	for {
		select {
		case <-i.exited:
			return fmt.Errorf("traefiktest: Traefik exited (%v) before serving the configuration\n%s", i.exitErr, tail(i.Log(), 6000))
		default:
		}
		state, done, err := i.checkApplied(client, want, gen)
		if err != nil {
			return err
		}
		if done {
			return nil
		}
		lastState = state
		if time.Now().After(deadline) {
			return fmt.Errorf("traefiktest: Traefik did not serve configuration %d within %v (%s)\n%s", gen, timeout, lastState, tail(i.Log(), 6000))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (i *Instance) checkApplied(client *http.Client, want []string, gen int) (state string, done bool, err error) {
	resp, err := client.Get(i.URL(markerPath))
	if err != nil {
		return "web entrypoint: " + err.Error(), false, nil
	}
	io.Copy(io.Discard, resp.Body) //nolint:errcheck
	resp.Body.Close()
	if got := resp.Header.Get(markerHeader); got != strconv.Itoa(gen) {
		return fmt.Sprintf("marker router answered %d with generation %q", resp.StatusCode, got), false, nil
	}
	routers, err := i.apiList(client, "/api/http/routers")
	if err != nil {
		return "API: " + err.Error(), false, nil
	}
	if _, ok := routers[markerRouter(gen)+"@file"]; !ok {
		return "API does not list the new configuration yet", false, nil
	}
	var problems []string
	for _, name := range want {
		r, ok := routers[name+"@file"]
		if !ok {
			problems = append(problems, fmt.Sprintf("router %s@file missing", name))
			continue
		}
		if r.Status != "enabled" || len(r.Error) > 0 {
			problems = append(problems, fmt.Sprintf("router %s@file is %s: %s", name, r.Status, strings.Join(r.Error, "; ")))
		}
	}
	if len(problems) == 0 {
		return "", true, nil
	}
	mws, err := i.apiList(client, "/api/http/middlewares")
	if err == nil {
		for _, m := range mws {
			if len(m.Error) > 0 {
				problems = append(problems, fmt.Sprintf("middleware %s is %s: %s", m.Name, m.Status, strings.Join(m.Error, "; ")))
			}
		}
	}
	return "", false, fmt.Errorf("traefiktest: configuration %d is not served as asked:\n  %s\n%s", gen, strings.Join(problems, "\n  "), strings.Join(i.PluginErrors(), "\n"))
}

func (i *Instance) apiList(client *http.Client, path string) (map[string]apiItem, error) {
	resp, err := client.Get(i.APIURL + path + "?per_page=10000")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s: status %d", path, resp.StatusCode)
	}
	var items []apiItem
	if err := json.NewDecoder(resp.Body).Decode(&items); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	m := make(map[string]apiItem, len(items))
	for _, it := range items {
		m[it.Name] = it
	}
	return m, nil
}

// Log returns Traefik's log file followed by its raw stdout/stderr (where panics and
// the plugin's direct os.Stdout writes end up).
func (i *Instance) Log() string {
	var b strings.Builder
	if i.logFile != "" {
		if data, err := os.ReadFile(i.logFile); err == nil {
			b.Write(data)
		}
	}
	if data, err := os.ReadFile(i.outFile); err == nil && len(data) > 0 {
		if b.Len() > 0 {
			b.WriteString("\n--- traefik stdout/stderr ---\n")
		}
		b.Write(data)
	}
	return b.String()
}

// PluginErrors returns the lines of Traefik's log at level ERR, FTL or PNC that
// mention the plugin ("plugin", "captchaify", "yaegi" or "panic"), and any panic
// printed on Traefik's stdout/stderr.
func (i *Instance) PluginErrors() []string {
	var found []string
	sc := bufio.NewScanner(strings.NewReader(i.Log()))
	sc.Buffer(make([]byte, 0, 64*1024), 16*1024*1024)
	for sc.Scan() {
		line := sc.Text()
		lower := strings.ToLower(line)
		if strings.HasPrefix(line, "panic:") || strings.HasPrefix(line, "fatal error:") {
			found = append(found, line)
			continue
		}
		if !isErrorLine(line) {
			continue
		}
		for _, word := range []string{"plugin", PluginAlias, "yaegi", "panic"} {
			if strings.Contains(lower, word) {
				found = append(found, line)
				break
			}
		}
	}
	return found
}

// isErrorLine reports whether a Traefik log line (common or JSON format) is at
// error level or above.
func isErrorLine(line string) bool {
	fields := strings.Fields(line)
	if len(fields) >= 2 {
		switch fields[1] {
		case "ERR", "FTL", "PNC", "ERROR", "FATAL", "PANIC":
			return true
		}
	}
	return strings.Contains(line, `"level":"error"`) || strings.Contains(line, `"level":"fatal"`) ||
		strings.Contains(line, `"level":"panic"`)
}

// AssertNoPluginErrors fails tb if Traefik's log holds plugin errors (PluginErrors).
func (i *Instance) AssertNoPluginErrors(tb testing.TB) {
	tb.Helper()
	if errs := i.PluginErrors(); len(errs) > 0 {
		tb.Errorf("Traefik's log has %d plugin error line(s):\n%s", len(errs), strings.Join(errs, "\n"))
	}
}

// KeepWorkDir stops Close from removing a temporary working directory (to read
// traefik.log after a failure).
func (i *Instance) KeepWorkDir() { i.removeDir = false }

// Done is closed when the Traefik process has exited.
func (i *Instance) Done() <-chan struct{} { return i.exited }

// ExitErr is the Traefik process's exit status once Done is closed.
func (i *Instance) ExitErr() error {
	select {
	case <-i.exited:
		return i.exitErr
	default:
		return nil
	}
}

// Close stops Traefik (SIGTERM, then SIGKILL after 10 s) and the backend, and
// removes a temporary working directory. It is safe to call more than once.
func (i *Instance) Close() error {
	i.once.Do(func() {
		if i.cmd != nil && i.cmd.Process != nil {
			select {
			case <-i.exited:
			default:
				_ = terminate(i.cmd.Process)
				select {
				case <-i.exited:
				case <-time.After(10 * time.Second):
					_ = i.cmd.Process.Kill()
					<-i.exited
					i.closeErr = errors.New("traefik did not stop within 10 s of SIGTERM; killed")
				}
			}
		}
		if i.backend != nil {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			_ = i.backend.Shutdown(ctx)
			cancel()
			_ = i.backend.Close()
		}
		if i.out != nil {
			i.out.Close()
		}
		if i.removeDir && i.WorkDir != "" {
			_ = os.RemoveAll(i.WorkDir)
		}
	})
	return i.closeErr
}

// FreeAddr returns a 127.0.0.1:port address that was free a moment ago.
func FreeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr, nil
}

// Client returns an HTTP client that does not follow redirects and keeps no cookies.
// When localIP is not empty the client's connections come from that loopback address
// (e.g. "127.0.3.1"; on Linux all of 127.0.0.0/8 is local), so one test can act as
// several clients with different IPs. It times out after 15 s.
func Client(localIP string) *http.Client {
	dialer := &net.Dialer{Timeout: 5 * time.Second}
	if localIP != "" {
		dialer.LocalAddr = &net.TCPAddr{IP: net.ParseIP(localIP)}
	}
	return &http.Client{
		Timeout: 15 * time.Second,
		Transport: &http.Transport{
			DialContext:         dialer.DialContext,
			MaxIdleConnsPerHost: 16,
			IdleConnTimeout:     30 * time.Second,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// LoopbackAliasesWork reports whether connections can come from 127.0.x.y addresses
// other than 127.0.0.1 (true on Linux; macOS needs `ifconfig lo0 alias`).
func LoopbackAliasesWork() bool {
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP("127.0.9.9")}, Timeout: time.Second}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return false
	}
	defer ln.Close()
	go func() {
		if c, err := ln.Accept(); err == nil {
			c.Close()
		}
	}()
	c, err := d.Dial("tcp", ln.Addr().String())
	if err != nil {
		return false
	}
	c.Close()
	return true
}
