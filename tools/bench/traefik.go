package bench

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/captchaify/captchaify/tools/traefiktest"
	"gopkg.in/yaml.v3"
)

// Route is one benchmarked Traefik route; every one goes to the same loopback backend.
type Route struct {
	Name  string `json:"name"`
	Label string `json:"label"`
	Path  string `json:"path"`
	// Challenge routes answer a challenge page; the others reach the backend.
	Challenge bool `json:"challenge"`
	// Floor is the do-nothing Yaegi plugin route (needs the Traefik wrapper).
	Floor bool `json:"floor"`
}

// Routes are the benchmarked routes, in the order of the summary table.
var Routes = []Route{
	{Name: "bare", Label: "bare route (no middleware)", Path: "/bare/page"},
	{Name: "noop", Label: "do-nothing Yaegi plugin (floor)", Path: "/noop/page", Floor: true},
	{Name: "verified", Label: "captchaify fight, verified client (cookie)", Path: "/verified/page"},
	{Name: "verified-rules", Label: "same, with 50 rules and both databases (rules.go)", Path: "/verified-rules/page"},
	// The rules' control: verified's configuration on a path as long as
	// verified-rules', so the two differ in nothing but the rules (the
	// path's length alone showed as 1.5 % through Traefik).
	{Name: "verified-plain", Label: "same, without rules, path as long as the rules route's", Path: "/verified-plain/page"},
	{Name: "allow", Label: "captchaify allow route", Path: "/allow/page"},
	{Name: "ratelimit", Label: "Traefik built-in rateLimit", Path: "/ratelimit/page"},
	{Name: "challenge", Label: "captchaify text challenge page (h2)", Path: "/challenge/page", Challenge: true},
}

// DynamicConfig is the one dynamic configuration holding every route.
func DynamicConfig(floor bool) traefiktest.Config {
	cfg := traefiktest.Config{
		Middlewares: map[string]map[string]any{
			// Large enough never to refuse: 10 M requests/s, burst 10 M.
			"bench-ratelimit": traefiktest.RateLimit(10000000, 10000000),
		},
		Routes: []traefiktest.Route{
			{Name: "bare", Rule: "PathPrefix(`/bare/`)"},
			{Name: "verified", Rule: "PathPrefix(`/verified/`)", Plugin: PluginConfig("fight", 2)},
			{Name: "verified-rules", Rule: "PathPrefix(`/verified-rules/`)", Plugin: rulesRoutePlugin()},
			{Name: "verified-plain", Rule: "PathPrefix(`/verified-plain/`)", Plugin: PluginConfig("fight", 2)},
			{Name: "allow", Rule: "PathPrefix(`/allow/`)", Plugin: PluginConfig("allow", 2)},
			{Name: "challenge", Rule: "PathPrefix(`/challenge/`)", Plugin: PluginConfig("fight", 2)},
			{Name: "ratelimit", Rule: "PathPrefix(`/ratelimit/`)", Middlewares: []string{"bench-ratelimit"}},
		},
	}
	if floor {
		cfg.Middlewares["bench-noop"] = map[string]any{"plugin": map[string]any{NoopAlias: map[string]any{}}}
		cfg.Routes = append(cfg.Routes, traefiktest.Route{Name: "noop", Rule: "PathPrefix(`/noop/`)", Middlewares: []string{"bench-noop"}})
	}
	return cfg
}

// WrapEnv, when set in the environment of the bench binary, makes it act as Traefik:
// it adds the do-nothing plugin to the static configuration that traefiktest wrote
// (experimental.localPlugins) and installs it under plugins-local/, then execs the
// real Traefik binary named by the variable. traefiktest lays out and starts
// Traefik; this only adds the second local plugin it does not know about.
const WrapEnv = "CAPTCHAIFY_BENCH_WRAP_TRAEFIK"

// MaybeWrapTraefik is called first thing by the bench binary: when WrapEnv is set it
// never returns (it execs Traefik or exits).
func MaybeWrapTraefik() {
	real := os.Getenv(WrapEnv)
	if real == "" {
		return
	}
	if err := wrapTraefik(real); err != nil {
		fmt.Fprintln(os.Stderr, "bench traefik wrapper:", err)
		os.Exit(1)
	}
}

func wrapTraefik(real string) error {
	configFile := ""
	for _, a := range os.Args[1:] {
		if v, ok := strings.CutPrefix(a, "--configFile="); ok {
			configFile = v
		}
	}
	if configFile == "" {
		return errors.New("no --configFile argument")
	}
	data, err := os.ReadFile(configFile)
	if err != nil {
		return err
	}
	var doc map[string]any
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return err
	}
	exp, _ := doc["experimental"].(map[string]any)
	if exp == nil {
		exp = map[string]any{}
		doc["experimental"] = exp
	}
	local, _ := exp["localPlugins"].(map[string]any)
	if local == nil {
		local = map[string]any{}
		exp["localPlugins"] = local
	}
	local[NoopAlias] = map[string]any{"moduleName": NoopModule}
	if data, err = yaml.Marshal(doc); err != nil {
		return err
	}
	if err := os.WriteFile(configFile, data, 0o644); err != nil {
		return err
	}
	wd, err := os.Getwd()
	if err != nil {
		return err
	}
	if err := WriteNoopPlugin(filepath.Join(wd, "plugins-local", "src", filepath.FromSlash(NoopModule))); err != nil {
		return err
	}
	var env []string
	for _, e := range os.Environ() {
		if !strings.HasPrefix(e, WrapEnv+"=") {
			env = append(env, e)
		}
	}
	return syscall.Exec(real, append([]string{real}, os.Args[1:]...), env)
}

// TraefikOptions tune RunTraefik.
type TraefikOptions struct {
	Threads  int           // wrk -t; default 2
	Conns    int           // wrk -c; default 32
	Duration time.Duration // wrk -d per route and round; default 10 s
	Warmup   time.Duration // wrk -d of the warm-up pass over every route; default 2 s
	Rounds   int           // rounds over all routes (order rotated each round); default 3
	// Only names the routes to run besides bare (Routes' names); empty: all.
	Only []string
	// Wrapper is the bench binary (os.Executable()); empty leaves the floor route out.
	Wrapper string
	// Traefik is the real binary; empty means traefiktest.TraefikBinary.
	Traefik string
	// RawDir receives wrk's raw output, one file per run; may be empty.
	RawDir string
	Log    func(format string, args ...any)
}

// WrkRun is one wrk run against one route.
type WrkRun struct {
	Route       string  `json:"route"`
	Round       int     `json:"round"` // 0 is the warm-up
	Requests    int64   `json:"requests"`
	DurationUs  int64   `json:"durationUs"`
	Bytes       int64   `json:"bytes"`
	ErrConnect  int64   `json:"errConnect"`
	ErrRead     int64   `json:"errRead"`
	ErrWrite    int64   `json:"errWrite"`
	ErrStatus   int64   `json:"errStatus"`
	ErrTimeout  int64   `json:"errTimeout"`
	LatMeanUs   float64 `json:"latMeanUs"`
	LatP50Us    float64 `json:"latP50Us"`
	LatP90Us    float64 `json:"latP90Us"`
	LatP99Us    float64 `json:"latP99Us"`
	LatMaxUs    float64 `json:"latMaxUs"`
	RPS         float64 `json:"rps"`
	BytesPerReq float64 `json:"bytesPerReq"`
	// CPU time during the run (from /proc): Traefik's, this process's (the
	// backend), wrk's, and the share of all cores other processes took.
	TraefikCPUMs float64 `json:"traefikCpuMs"`
	BackendCPUMs float64 `json:"backendCpuMs"`
	WrkCPUMs     float64 `json:"wrkCpuMs"`
	OtherCPUPct  float64 `json:"otherCpuPct"`
	// TraefikUsPerReq is Traefik's CPU time per request; TotalUsPerReq adds the
	// backend's and wrk's.
	TraefikUsPerReq float64 `json:"traefikUsPerReq"`
	TotalUsPerReq   float64 `json:"totalUsPerReq"`
}

// RouteResult is the median over the rounds of one route.
type RouteResult struct {
	Route
	RPS         float64   `json:"rps"`      // median of the rounds
	P50Ms       float64   `json:"p50Ms"`    // median of the rounds' p50
	P99Ms       float64   `json:"p99Ms"`    // median of the rounds' p99
	RoundRPS    []float64 `json:"roundRps"` // every round
	BytesPerReq float64   `json:"bytesPerReq"`
	Errors      int64     `json:"errors"` // wrk errors over all rounds (status ≥ 400, timeouts, ...)
	// VsBare is the median over the rounds of RPS / bare RPS of the same round.
	VsBare float64 `json:"vsBare"`
	// TraefikUsPerReq and TotalUsPerReq are medians of the rounds (see WrkRun).
	TraefikUsPerReq float64 `json:"traefikUsPerReq"`
	TotalUsPerReq   float64 `json:"totalUsPerReq"`
	// CPUVsBare is bare's TotalUsPerReq / this route's: the throughput ratio
	// to expect when the machine is CPU-bound, less sensitive to other processes.
	CPUVsBare float64 `json:"cpuVsBare"`
	// OtherCPUPct is the median share of all cores other processes took.
	OtherCPUPct float64 `json:"otherCpuPct"`
}

// TraefikReport is what RunTraefik measured.
type TraefikReport struct {
	Command      string        `json:"command"`
	Routes       []RouteResult `json:"routes"`
	Runs         []WrkRun      `json:"runs"`
	RoundRatios  []float64     `json:"roundRatios"` // verified / bare per round
	RulesRatios  []float64     `json:"rulesRatios"` // verified-rules / verified-plain per round
	Warnings     []string      `json:"warnings"`
	TraefikBin   string        `json:"traefikBin"`
	TraefikVer   string        `json:"traefikVersion"`
	WrkVersion   string        `json:"wrkVersion"`
	LoadBefore   string        `json:"loadBefore"`
	LoadAfter    string        `json:"loadAfter"`
	PluginErrors []string      `json:"pluginErrors"`
}

// Route returns the result of the named route, or nil.
func (r *TraefikReport) Route(name string) *RouteResult {
	for i := range r.Routes {
		if r.Routes[i].Name == name {
			return &r.Routes[i]
		}
	}
	return nil
}

// wrkScript prints wrk's summary as one JSON line once the run is done (no
// per-request Lua, which would slow wrk down).
const wrkScript = `done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('BENCHJSON {"requests":%d,"durationUs":%d,"bytes":%d,"errConnect":%d,"errRead":%d,"errWrite":%d,"errStatus":%d,"errTimeout":%d,"latMeanUs":%.1f,"latP50Us":%.1f,"latP90Us":%.1f,"latP99Us":%.1f,"latMaxUs":%.1f}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency.mean, latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
`

// RunTraefik starts one Traefik v3 (through traefiktest) with every route of
// DynamicConfig, checks what each route answers, then runs wrk against each route in
// Rounds rounds, and returns the medians.
func RunTraefik(o TraefikOptions) (*TraefikReport, error) {
	if o.Threads <= 0 {
		o.Threads = 2
	}
	if o.Conns <= 0 {
		o.Conns = 32
	}
	if o.Duration <= 0 {
		o.Duration = 10 * time.Second
	}
	if o.Warmup < 0 {
		o.Warmup = 0
	}
	if o.Rounds <= 0 {
		o.Rounds = 3
	}
	logf := o.Log
	if logf == nil {
		logf = func(string, ...any) {}
	}
	wrk, err := exec.LookPath("wrk")
	if err != nil {
		return nil, errors.New("wrk is not installed (Debian: apt-get install wrk; scripts/bench.sh does it)")
	}
	repoRoot, err := traefiktest.FindRepoRoot("")
	if err != nil {
		return nil, err
	}
	real := o.Traefik
	if real == "" {
		if real, err = traefiktest.TraefikBinary(repoRoot, os.Stderr); err != nil {
			return nil, err
		}
	}
	rep := &TraefikReport{TraefikBin: real, LoadBefore: loadAvg()}
	rep.TraefikVer = traefikVersion(real)
	rep.WrkVersion = firstLine(commandOutput(wrk, "-v"))
	rep.Command = fmt.Sprintf("wrk -t%d -c%d -d%s --latency -s done.lua -H 'User-Agent: %s' [-H 'Cookie: captcha=<token>'] <route URL>", o.Threads, o.Conns, o.Duration, UserAgent)

	floor := o.Wrapper != ""
	opts := traefiktest.Options{Config: DynamicConfig(floor), Traefik: real, LogLevel: "ERROR", RepoRoot: repoRoot}
	if floor {
		opts.Traefik = o.Wrapper
		if err := os.Setenv(WrapEnv, real); err != nil {
			return nil, err
		}
		defer os.Unsetenv(WrapEnv)
	}
	logf("starting Traefik %s (%s)", rep.TraefikVer, real)
	inst, err := traefiktest.Launch(opts)
	if err != nil {
		return nil, err
	}
	defer inst.Close()
	os.Unsetenv(WrapEnv)
	traefikPid := findProcess(filepath.Join(inst.WorkDir, "traefik.yml"))
	if traefikPid == "" {
		rep.Warnings = append(rep.Warnings, "Traefik's process not found in /proc: no CPU accounting")
	}

	token, err := ClearanceToken()
	if err != nil {
		return nil, err
	}
	routes := activeRoutes(floor, o.Only)
	if err := checkRoutes(inst, routes, token); err != nil {
		return nil, err
	}

	tmp, err := os.MkdirTemp("", "bench-wrk-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	script := filepath.Join(tmp, "done.lua")
	if err := os.WriteFile(script, []byte(wrkScript), 0o644); err != nil {
		return nil, err
	}
	run := func(rt Route, round int, d time.Duration) (WrkRun, error) {
		args := []string{"-t", strconv.Itoa(o.Threads), "-c", strconv.Itoa(o.Conns), "-d", wrkDuration(d),
			"--latency", "-s", script, "-H", "User-Agent: " + UserAgent}
		if !rt.Challenge {
			// Every route that reaches the backend gets the same headers.
			args = append(args, "-H", "Cookie: captcha="+token)
		}
		args = append(args, inst.URL(rt.Path))
		before := takeSnapshot(traefikPid)
		cmd := exec.Command(wrk, args...)
		out, err := cmd.CombinedOutput()
		after := takeSnapshot(traefikPid)
		if o.RawDir != "" {
			name := fmt.Sprintf("wrk-r%d-%s.txt", round, rt.Name)
			_ = os.WriteFile(filepath.Join(o.RawDir, name), []byte("wrk "+strings.Join(args, " ")+"\n\n"+string(out)), 0o644)
		}
		if err != nil {
			return WrkRun{}, fmt.Errorf("wrk on %s: %v\n%s", rt.Name, err, out)
		}
		w, err := parseWrk(rt.Name, round, out)
		if err != nil {
			return w, err
		}
		accountCPU(&w, before, after, cmd.ProcessState.UserTime()+cmd.ProcessState.SystemTime())
		return w, nil
	}

	if o.Warmup > 0 {
		for _, rt := range routes {
			logf("warm-up %-10s %s", rt.Name, o.Warmup)
			if _, err := run(rt, 0, o.Warmup); err != nil {
				return nil, err
			}
		}
	}
	for round := 1; round <= o.Rounds; round++ {
		// Rotate the order so that no route always runs first or last.
		for k := range routes {
			rt := routes[(k+round-1)%len(routes)]
			w, err := run(rt, round, o.Duration)
			if err != nil {
				return nil, err
			}
			logf("round %d %-10s %7.0f req/s  p50 %6.2f ms  p99 %6.2f ms  %6.0f B/resp  Traefik %5.0f µs CPU/req  others %3.0f%% CPU  errors %d",
				round, rt.Name, w.RPS, w.LatP50Us/1000, w.LatP99Us/1000, w.BytesPerReq, w.TraefikUsPerReq, w.OtherCPUPct, w.errors())
			rep.Runs = append(rep.Runs, w)
		}
	}
	if err := checkRoutes(inst, routes, token); err != nil {
		rep.Warnings = append(rep.Warnings, "after the runs: "+err.Error())
	}
	rep.PluginErrors = inst.PluginErrors()
	rep.LoadAfter = loadAvg()
	summarize(rep, routes, o.Rounds)
	return rep, nil
}

// activeRoutes are the routes to run: all of them, or bare and those named
// in only; the floor only with its wrapper.
func activeRoutes(floor bool, only []string) []Route {
	var rs []Route
	for _, r := range Routes {
		if r.Floor && !floor || len(only) > 0 && r.Name != "bare" && !slices.Contains(only, r.Name) {
			continue
		}
		rs = append(rs, r)
	}
	return rs
}

// checkRoutes asks every route once, with wrk's headers, and checks that backend
// routes reach the backend and the challenge route answers a challenge page.
func checkRoutes(inst *traefiktest.Instance, routes []Route, token string) error {
	client := traefiktest.Client("")
	for _, rt := range routes {
		req, err := http.NewRequest(http.MethodGet, inst.URL(rt.Path), nil)
		if err != nil {
			return err
		}
		req.Header.Set("User-Agent", UserAgent)
		if !rt.Challenge {
			req.Header.Set("Cookie", "captcha="+token)
		}
		resp, err := client.Do(req)
		if err != nil {
			return fmt.Errorf("route %s: %w", rt.Name, err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		backend := resp.Header.Get(traefiktest.BackendHeader) == "1"
		if rt.Challenge {
			if backend {
				return fmt.Errorf("route %s: the request reached the backend instead of a challenge page", rt.Name)
			}
			if err := CheckChallengePage(resp.StatusCode, string(body)); err != nil {
				return fmt.Errorf("route %s: not a challenge page: %w", rt.Name, err)
			}
		} else if resp.StatusCode != http.StatusOK || !backend {
			return fmt.Errorf("route %s: status %d, backend reached: %v; want 200 from the backend\n%.300s", rt.Name, resp.StatusCode, backend, body)
		}
	}
	return nil
}

// accountCPU fills w's CPU figures from the counters around the run.
func accountCPU(w *WrkRun, before, after cpuSnapshot, wrkCPU time.Duration) {
	ms := func(d time.Duration) float64 { return float64(d) / 1e6 }
	traefik, self := after.traefik-before.traefik, after.self-before.self
	w.TraefikCPUMs, w.BackendCPUMs, w.WrkCPUMs = ms(traefik), ms(self), ms(wrkCPU)
	if wall := after.at.Sub(before.at); wall > 0 && after.busy > 0 {
		other := after.busy - before.busy - traefik - self - wrkCPU
		if other < 0 {
			other = 0
		}
		w.OtherCPUPct = 100 * float64(other) / (float64(wall) * float64(runtime.NumCPU()))
	}
	if w.Requests > 0 {
		w.TraefikUsPerReq = float64(traefik) / 1e3 / float64(w.Requests)
		w.TotalUsPerReq = float64(traefik+self+wrkCPU) / 1e3 / float64(w.Requests)
	}
}

func (w WrkRun) errors() int64 {
	return w.ErrConnect + w.ErrRead + w.ErrWrite + w.ErrStatus + w.ErrTimeout
}

func parseWrk(route string, round int, out []byte) (WrkRun, error) {
	i := bytes.Index(out, []byte("BENCHJSON "))
	if i < 0 {
		return WrkRun{}, fmt.Errorf("wrk on %s: no summary in its output:\n%s", route, out)
	}
	line := out[i+len("BENCHJSON "):]
	if j := bytes.IndexByte(line, '\n'); j >= 0 {
		line = line[:j]
	}
	w := WrkRun{Route: route, Round: round}
	if err := json.Unmarshal(line, &w); err != nil {
		return w, fmt.Errorf("wrk on %s: %v: %s", route, err, line)
	}
	w.Route, w.Round = route, round
	if w.DurationUs > 0 {
		w.RPS = float64(w.Requests) / (float64(w.DurationUs) / 1e6)
	}
	if w.Requests > 0 {
		w.BytesPerReq = float64(w.Bytes) / float64(w.Requests)
	}
	return w, nil
}

func summarize(rep *TraefikReport, routes []Route, rounds int) {
	byRoute := map[string][]WrkRun{}
	for _, w := range rep.Runs {
		byRoute[w.Route] = append(byRoute[w.Route], w)
	}
	for _, rt := range routes {
		runs := byRoute[rt.Name]
		res := RouteResult{Route: rt}
		var rps, p50, p99, bpr, tus, all, other, vsBare []float64
		for _, w := range runs {
			rps = append(rps, w.RPS)
			p50 = append(p50, w.LatP50Us/1000)
			p99 = append(p99, w.LatP99Us/1000)
			bpr = append(bpr, w.BytesPerReq)
			tus = append(tus, w.TraefikUsPerReq)
			all = append(all, w.TotalUsPerReq)
			other = append(other, w.OtherCPUPct)
			res.Errors += w.errors()
			for _, b := range byRoute["bare"] {
				if b.Round == w.Round && b.RPS > 0 {
					vsBare = append(vsBare, w.RPS/b.RPS)
				}
			}
		}
		res.RoundRPS = rps
		res.RPS, res.P50Ms, res.P99Ms, res.BytesPerReq = Median(rps), Median(p50), Median(p99), Median(bpr)
		res.TraefikUsPerReq, res.TotalUsPerReq, res.OtherCPUPct, res.VsBare = Median(tus), Median(all), Median(other), Median(vsBare)
		if res.Errors > 0 {
			rep.Warnings = append(rep.Warnings, fmt.Sprintf("route %s: wrk counted %d errors (status ≥ 400, timeouts, socket errors)", rt.Name, res.Errors))
		}
		switch {
		case rt.Challenge && res.BytesPerReq < 5000:
			rep.Warnings = append(rep.Warnings, fmt.Sprintf("route %s: %.0f bytes per response is too small for a challenge page", rt.Name, res.BytesPerReq))
		case !rt.Challenge && res.BytesPerReq > 2000:
			rep.Warnings = append(rep.Warnings, fmt.Sprintf("route %s: %.0f bytes per response is too large for the backend's answer (challenge pages?)", rt.Name, res.BytesPerReq))
		}
		rep.Routes = append(rep.Routes, res)
	}
	if bare := rep.Route("bare"); bare != nil {
		for i := range rep.Routes {
			if rep.Routes[i].TotalUsPerReq > 0 {
				rep.Routes[i].CPUVsBare = bare.TotalUsPerReq / rep.Routes[i].TotalUsPerReq
			}
		}
	}
	rep.RoundRatios = roundRatios(byRoute, "verified", "bare", rounds)
	rep.RulesRatios = roundRatios(byRoute, "verified-rules", "verified-plain", rounds)
}

// roundRatios is route a's requests/s over route b's, round by round.
func roundRatios(byRoute map[string][]WrkRun, a, b string, rounds int) []float64 {
	var ratios []float64
	for round := 1; round <= rounds; round++ {
		var ra, rb float64
		for _, w := range byRoute[a] {
			if w.Round == round {
				ra = w.RPS
			}
		}
		for _, w := range byRoute[b] {
			if w.Round == round {
				rb = w.RPS
			}
		}
		if ra > 0 && rb > 0 {
			ratios = append(ratios, ra/rb)
		}
	}
	return ratios
}

// Median of xs (mean of the middle two for an even count); 0 when empty.
func Median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func wrkDuration(d time.Duration) string {
	s := int(d / time.Second)
	if s < 1 {
		s = 1
	}
	return strconv.Itoa(s) + "s"
}

func commandOutput(name string, args ...string) string {
	out, _ := exec.Command(name, args...).CombinedOutput()
	return strings.TrimSpace(string(out))
}

// traefikVersion names the binary (scripts/build-traefik.sh puts the version in the
// file name; a build from the module proxy reports "Version: dev") and what its
// version command prints.
func traefikVersion(bin string) string {
	var parts []string
	for _, l := range strings.Split(commandOutput(bin, "version"), "\n") {
		if k, v, ok := strings.Cut(l, ":"); ok && (strings.TrimSpace(k) == "Version" || strings.TrimSpace(k) == "Go version") {
			parts = append(parts, strings.TrimSpace(k)+" "+strings.TrimSpace(v))
		}
	}
	return filepath.Base(bin) + " (" + strings.Join(parts, ", ") + ")"
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return strings.TrimSpace(s[:i])
	}
	return s
}

func loadAvg() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(data))
	if len(f) < 3 {
		return ""
	}
	return strings.Join(f[:3], " ")
}
