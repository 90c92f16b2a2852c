package bench

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/captchaify/captchaify/tools/redistest"
	"github.com/captchaify/captchaify/tools/traefiktest"
)

// The Redis scenario (bench -redis): wrk through one real Traefik whose
// plugin keeps its state in a real redis-server, against a bare route and
// the same verified route with state in memory. It counts the Redis
// commands per request (INFO commandstats) for a verified visitor and for
// a visitor over its rate limit (the plugin counts locally and sends its
// counts every redis.syncInterval, so this is well under one), then kills
// redis-server and runs the same load again, reporting the slowest request.

// RedisTimeoutMs is the plugin's redis.timeout in the scenario (the default).
const RedisTimeoutMs = 100

// RedisLimitedRate is the per-client limit of the rate-limited route.
const RedisLimitedRate = 10

// RedisRoute is one route of the scenario.
type RedisRoute struct {
	Name  string `json:"name"`
	Label string `json:"label"`
	Path  string `json:"path"`
}

// RedisRoutes are the routes, in the order of the summary.
var RedisRoutes = []RedisRoute{
	{Name: "bare", Label: "bare route (no middleware)", Path: "/bare/page"},
	{Name: "verified-mem", Label: "verified visitor, rate limits on, state in memory", Path: "/vmem/page"},
	{Name: "verified-redis", Label: "verified visitor, rate limits on, state in Redis", Path: "/vredis/page"},
	{Name: "limited-redis", Label: "verified visitor over its rate limit (429), state in Redis", Path: "/limited/page"},
}

// redisScenarioConfig is the dynamic configuration of the scenario.
func redisScenarioConfig(redisAddr string) traefiktest.Config {
	plugin := func(redis bool, rate int) map[string]any {
		c := PluginConfig("fight", 2)
		c["defaultRateLimit"] = rate
		c["defaultMaxRateLimit"] = 1000000000
		if redis {
			c["redis"] = map[string]any{"address": redisAddr, "timeout": RedisTimeoutMs, "keyPrefix": "bench:"}
		}
		return c
	}
	return traefiktest.Config{Routes: []traefiktest.Route{
		{Name: "bare", Rule: "PathPrefix(`/bare/`)"},
		{Name: "vmem", Rule: "PathPrefix(`/vmem/`)", Plugin: plugin(false, 1000000000)},
		{Name: "vredis", Rule: "PathPrefix(`/vredis/`)", Plugin: plugin(true, 1000000000)},
		{Name: "limited", Rule: "PathPrefix(`/limited/`)", Plugin: plugin(true, RedisLimitedRate)},
	}}
}

// RedisOptions tune RunRedis.
type RedisOptions struct {
	Threads  int           // wrk -t; default 2
	Conns    int           // wrk -c; default 32
	Duration time.Duration // per run; default 5 s
	Warmup   time.Duration // per route before the rounds; default 2 s
	Rounds   int           // rounds over bare, verified-mem, verified-redis; default 5
	Traefik  string        // the Traefik binary; empty: traefiktest.TraefikBinary
	RawDir   string        // wrk's raw output, one file per run; may be empty
	Log      func(format string, args ...any)
}

// RedisRun is one wrk run of the scenario.
type RedisRun struct {
	WrkRun
	Phase          string  `json:"phase"` // "rounds", "commands", "killed"
	RedisCPUMs     float64 `json:"redisCpuMs"`
	RedisUsPerReq  float64 `json:"redisUsPerReq"`
	RedisCommands  int64   `json:"redisCommands"` // commands the plugin sent during the run (commandstats)
	CommandsPerReq float64 `json:"commandsPerReq"`
	Commands       string  `json:"commands"` // per command, e.g. "evalsha 1000"
	Status429      bool    `json:"status429"`
}

// RedisRouteResult is the median over the rounds of one route.
type RedisRouteResult struct {
	RedisRoute
	RPS             float64 `json:"rps"`
	VsBare          float64 `json:"vsBare"`   // median of the rounds' ratios
	VsMemory        float64 `json:"vsMemory"` // median of the rounds' ratios to verified-mem
	P50Ms           float64 `json:"p50Ms"`
	P99Ms           float64 `json:"p99Ms"`
	MaxMs           float64 `json:"maxMs"` // the slowest request of all rounds
	TraefikUsPerReq float64 `json:"traefikUsPerReq"`
	RedisUsPerReq   float64 `json:"redisUsPerReq"`
	// TotalUsPerReq is the CPU of Traefik, the backend, wrk and
	// redis-server per request; CPUVsBare is bare's over this route's: the
	// throughput ratio to expect on a CPU-bound machine, much less
	// disturbed by other processes than requests/s.
	TotalUsPerReq float64   `json:"totalUsPerReq"`
	CPUVsBare     float64   `json:"cpuVsBare"`
	OtherCPUPct   float64   `json:"otherCpuPct"` // median share of all cores other processes took
	RoundRPS      []float64 `json:"roundRps"`
}

// RedisReport is what RunRedis measured.
type RedisReport struct {
	Machine      Machine            `json:"machine"`
	Command      string             `json:"command"`
	TraefikVer   string             `json:"traefikVersion"`
	RedisVer     string             `json:"redisVersion"`
	Routes       []RedisRouteResult `json:"routes"`
	Runs         []RedisRun         `json:"runs"`
	Verified     *RedisRun          `json:"verifiedCommands"` // commands per request, verified-redis
	Limited      *RedisRun          `json:"limitedCommands"`  // commands per request, limited-redis
	KilledOK     *RedisRun          `json:"killedVerified"`   // verified-redis with Redis killed
	KilledLim    *RedisRun          `json:"killedLimited"`    // limited-redis with Redis killed
	LoadBefore   string             `json:"loadBefore"`
	LoadAfter    string             `json:"loadAfter"`
	PluginErrors []string           `json:"pluginErrors"`
	Warnings     []string           `json:"warnings"`
}

// RunRedis runs the scenario.
func RunRedis(o RedisOptions) (*RedisReport, error) {
	if o.Threads <= 0 {
		o.Threads = 2
	}
	if o.Conns <= 0 {
		o.Conns = 32
	}
	if o.Duration <= 0 {
		o.Duration = 5 * time.Second
	}
	if o.Warmup <= 0 {
		o.Warmup = 2 * time.Second
	}
	if o.Rounds <= 0 {
		o.Rounds = 5
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
	bin := o.Traefik
	if bin == "" {
		if bin, err = traefiktest.TraefikBinary(repoRoot, os.Stderr); err != nil {
			return nil, err
		}
	}
	srv, err := redistest.Launch(redistest.Options{})
	if err != nil {
		return nil, err
	}
	defer srv.Close()
	rep := &RedisReport{Machine: ThisMachine(), TraefikVer: traefikVersion(bin), LoadBefore: loadAvg()}
	if bin, err := redistest.Binary(); err == nil {
		rep.RedisVer = firstLine(commandOutput(bin, "--version"))
	}
	rep.Command = fmt.Sprintf("wrk -t%d -c%d -d%s --latency -s done.lua -H 'User-Agent: %s' -H 'Cookie: captcha=<token>' <route URL>", o.Threads, o.Conns, o.Duration, UserAgent)

	logf("redis: starting Traefik with redis-server at %s", srv.Addr)
	inst, err := traefiktest.Launch(traefiktest.Options{Config: redisScenarioConfig(srv.Addr), Traefik: bin, LogLevel: "ERROR", RepoRoot: repoRoot})
	if err != nil {
		return nil, err
	}
	defer inst.Close()
	traefikPid := findProcess(filepath.Join(inst.WorkDir, "traefik.yml"))
	token, err := ClearanceToken()
	if err != nil {
		return nil, err
	}
	if err := checkRedisRoutes(inst, token); err != nil {
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
	route := func(name string) RedisRoute {
		for _, r := range RedisRoutes {
			if r.Name == name {
				return r
			}
		}
		panic("no route " + name)
	}
	run := func(rt RedisRoute, phase string, round int, d time.Duration) (RedisRun, error) {
		args := []string{"-t", strconv.Itoa(o.Threads), "-c", strconv.Itoa(o.Conns), "-d", wrkDuration(d),
			"--latency", "-s", script, "-H", "User-Agent: " + UserAgent, "-H", "Cookie: captcha=" + token, inst.URL(rt.Path)}
		redisPid := strconv.Itoa(srv.Pid())
		calls0, _ := srv.CommandCalls()
		before := takeSnapshot(traefikPid)
		redis0 := processCPU(redisPid)
		cmd := exec.Command(wrk, args...)
		out, err := cmd.CombinedOutput()
		after := takeSnapshot(traefikPid)
		redis1 := processCPU(redisPid)
		calls1, _ := srv.CommandCalls()
		if o.RawDir != "" {
			name := fmt.Sprintf("redis-%s-r%d-%s.txt", phase, round, rt.Name)
			_ = os.WriteFile(filepath.Join(o.RawDir, name), []byte("wrk "+strings.Join(args, " ")+"\n\n"+string(out)), 0o644)
		}
		if err != nil {
			return RedisRun{}, fmt.Errorf("wrk on %s: %v\n%s", rt.Name, err, out)
		}
		w, err := parseWrk(rt.Name, round, out)
		if err != nil {
			return RedisRun{}, err
		}
		accountCPU(&w, before, after, cmd.ProcessState.UserTime()+cmd.ProcessState.SystemTime())
		r := RedisRun{WrkRun: w, Phase: phase, Status429: rt.Name == "limited-redis"}
		if srv.Pid() != 0 && redis1 > 0 {
			r.RedisCPUMs = float64(redis1-redis0) / 1e6
			if w.Requests > 0 {
				r.RedisUsPerReq = float64(redis1-redis0) / 1e3 / float64(w.Requests)
			}
		}
		r.RedisCommands, r.Commands = commandDelta(calls0, calls1)
		if w.Requests > 0 {
			r.CommandsPerReq = float64(r.RedisCommands) / float64(w.Requests)
		}
		logf("redis %-8s %-14s %7.0f req/s  p99 %6.2f ms  max %7.2f ms  Traefik %4.0f µs/req  redis %4.1f µs/req  %.3f commands/req (%s)  errors %d",
			phase, rt.Name, w.RPS, w.LatP99Us/1000, w.LatMaxUs/1000, w.TraefikUsPerReq, r.RedisUsPerReq, r.CommandsPerReq, r.Commands, w.errors())
		rep.Runs = append(rep.Runs, r)
		return r, nil
	}

	rounds := []RedisRoute{route("bare"), route("verified-mem"), route("verified-redis")}
	for _, rt := range append(rounds, route("limited-redis")) {
		if _, err := run(rt, "warmup", 0, o.Warmup); err != nil {
			return nil, err
		}
	}
	for round := 1; round <= o.Rounds; round++ {
		for k := range rounds {
			if _, err := run(rounds[(k+round-1)%len(rounds)], "rounds", round, o.Duration); err != nil {
				return nil, err
			}
		}
	}
	if r, err := run(route("verified-redis"), "commands", 1, o.Duration); err == nil {
		rep.Verified = &r
	} else {
		return nil, err
	}
	if r, err := run(route("limited-redis"), "commands", 1, o.Duration); err == nil {
		rep.Limited = &r
	} else {
		return nil, err
	}

	logf("redis: killing redis-server (SIGKILL)")
	srv.Kill()
	if r, err := run(route("verified-redis"), "killed", 1, o.Duration); err == nil {
		rep.KilledOK = &r
	} else {
		return nil, err
	}
	if r, err := run(route("limited-redis"), "killed", 1, o.Duration); err == nil {
		rep.KilledLim = &r
	} else {
		return nil, err
	}
	rep.PluginErrors = inst.PluginErrors()
	rep.LoadAfter = loadAvg()
	summarizeRedis(rep, rounds, o.Rounds)
	return rep, nil
}

// checkRedisRoutes asks each route once: the verified routes reach the
// backend, the limited one answers 429 once over its limit, and Redis
// holds the plugin's keys.
func checkRedisRoutes(inst *traefiktest.Instance, token string) error {
	client := traefiktest.Client("")
	get := func(path string) (int, bool, error) {
		req, err := http.NewRequest(http.MethodGet, inst.URL(path), nil)
		if err != nil {
			return 0, false, err
		}
		req.Header.Set("User-Agent", UserAgent)
		req.Header.Set("Cookie", "captcha="+token)
		resp, err := client.Do(req)
		if err != nil {
			return 0, false, err
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode, resp.Header.Get(traefiktest.BackendHeader) == "1", nil
	}
	for _, rt := range RedisRoutes[:3] {
		status, backend, err := get(rt.Path)
		if err != nil {
			return fmt.Errorf("route %s: %w", rt.Name, err)
		}
		if status != http.StatusOK || !backend {
			return fmt.Errorf("route %s: status %d, backend %v; want the backend", rt.Name, status, backend)
		}
	}
	last := 0
	for i := 0; i <= RedisLimitedRate; i++ {
		var err error
		if last, _, err = get("/limited/page"); err != nil {
			return err
		}
	}
	if last != http.StatusTooManyRequests {
		return fmt.Errorf("route limited-redis: request %d answered %d, want 429", RedisLimitedRate+1, last)
	}
	return nil
}

// scriptCommands are the commands the plugin runs only inside its Lua
// scripts: commandstats counts them too, but they cost no round trip.
var scriptCommands = map[string]bool{"incr": true, "incrby": true, "get": true, "pexpire": true, "pfadd": true,
	"zadd": true, "zremrangebyscore": true, "zcard": true, "zremrangebyrank": true}

// commandDelta is the number of commands the plugin sent between two
// commandstats readings (INFO of the measurement and the commands its
// scripts run inside Redis left out), and every command's count.
func commandDelta(before, after map[string]int64) (int64, string) {
	var sent int64
	var parts []string
	names := make([]string, 0, len(after))
	for name := range after {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		d := after[name] - before[name]
		if name == "info" || d <= 0 {
			continue
		}
		if scriptCommands[name] {
			parts = append(parts, fmt.Sprintf("%s %d in scripts", name, d))
			continue
		}
		sent += d
		parts = append(parts, fmt.Sprintf("%s %d", name, d))
	}
	if len(parts) == 0 {
		return 0, "none"
	}
	return sent, strings.Join(parts, ", ")
}

func summarizeRedis(rep *RedisReport, routes []RedisRoute, rounds int) {
	byRound := map[int]map[string]RedisRun{}
	for _, r := range rep.Runs {
		if r.Phase != "rounds" {
			continue
		}
		if byRound[r.Round] == nil {
			byRound[r.Round] = map[string]RedisRun{}
		}
		byRound[r.Round][r.Route] = r
	}
	for _, rt := range routes {
		res := RedisRouteResult{RedisRoute: rt}
		var rps, p50, p99, tus, rus, all, other, vsBare, vsMem []float64
		for round := 1; round <= rounds; round++ {
			r, ok := byRound[round][rt.Name]
			if !ok {
				continue
			}
			rps = append(rps, r.RPS)
			p50 = append(p50, r.LatP50Us/1000)
			p99 = append(p99, r.LatP99Us/1000)
			tus = append(tus, r.TraefikUsPerReq)
			rus = append(rus, r.RedisUsPerReq)
			all = append(all, r.TotalUsPerReq+r.RedisUsPerReq)
			other = append(other, r.OtherCPUPct)
			if r.LatMaxUs/1000 > res.MaxMs {
				res.MaxMs = r.LatMaxUs / 1000
			}
			if b := byRound[round]["bare"]; b.RPS > 0 {
				vsBare = append(vsBare, r.RPS/b.RPS)
			}
			if m := byRound[round]["verified-mem"]; m.RPS > 0 {
				vsMem = append(vsMem, r.RPS/m.RPS)
			}
			if r.errors() > 0 {
				rep.Warnings = append(rep.Warnings, fmt.Sprintf("round %d %s: %d wrk errors", round, rt.Name, r.errors()))
			}
		}
		res.RoundRPS = rps
		res.RPS, res.P50Ms, res.P99Ms = Median(rps), Median(p50), Median(p99)
		res.TraefikUsPerReq, res.RedisUsPerReq = Median(tus), Median(rus)
		res.VsBare, res.VsMemory = Median(vsBare), Median(vsMem)
		res.TotalUsPerReq, res.OtherCPUPct = Median(all), Median(other)
		rep.Routes = append(rep.Routes, res)
	}
	for i := range rep.Routes {
		if rep.Routes[i].TotalUsPerReq > 0 {
			rep.Routes[i].CPUVsBare = rep.Routes[0].TotalUsPerReq / rep.Routes[i].TotalUsPerReq
		}
	}
}

// Markdown renders the report as the BENCHMARKS.md section's tables.
func (rep *RedisReport) Markdown() string {
	var b strings.Builder
	m := rep.Machine
	fmt.Fprintf(&b, "## Shared state in Redis (`bench -redis`)\n\n%d CPUs, %s, %s RAM, %s, Linux %s, %s, plugin %s\n", m.NumCPU, m.CPUModel, m.MemTotal, m.GoVersion, m.Kernel, m.Date, m.Plugin)
	fmt.Fprintf(&b, "Traefik: %s; %s\nLoad average before/after: %s / %s\n\n", rep.TraefikVer, rep.RedisVer, rep.LoadBefore, rep.LoadAfter)
	fmt.Fprintf(&b, "`%s`, redis.timeout %d ms\n\n", rep.Command, RedisTimeoutMs)
	b.WriteString("| route | requests/s | × bare | × memory | p50 ms | p99 ms | max ms | Traefik CPU µs/req | redis-server CPU µs/req | CPU-based × bare | others' CPU | rounds (req/s) |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n")
	for _, r := range rep.Routes {
		var rounds []string
		for _, x := range r.RoundRPS {
			rounds = append(rounds, fmt.Sprintf("%.0f", x))
		}
		fmt.Fprintf(&b, "| %s | %.0f | %.3f | %.3f | %.2f | %.2f | %.1f | %.0f | %.1f | %.3f | %.0f%% | %s |\n", r.Label, r.RPS, r.VsBare, r.VsMemory,
			r.P50Ms, r.P99Ms, r.MaxMs, r.TraefikUsPerReq, r.RedisUsPerReq, r.CPUVsBare, r.OtherCPUPct, strings.Join(rounds, ", "))
	}
	b.WriteString("\nRedis commands the plugin sent per request (INFO commandstats before and after one run; INFO itself and the commands run inside the Lua scripts left out; each command is one round trip):\n\n| run | requests | commands sent | per request | commandstats | requests/s | max ms |\n|---|---:|---:|---:|---|---:|---:|\n")
	for _, x := range []struct {
		label string
		r     *RedisRun
	}{
		{"verified visitor (200)", rep.Verified},
		{fmt.Sprintf("visitor over its limit of %d/min (429)", RedisLimitedRate), rep.Limited},
	} {
		if x.r != nil {
			fmt.Fprintf(&b, "| %s | %d | %d | %.3f | %s | %.0f | %.1f |\n", x.label, x.r.Requests, x.r.RedisCommands, x.r.CommandsPerReq, x.r.Commands, x.r.RPS, x.r.LatMaxUs/1000)
		}
	}
	b.WriteString("\nThe same load after `kill -9` of redis-server:\n\n| run | requests/s | p50 ms | p99 ms | max ms | non-2xx |\n|---|---:|---:|---:|---:|---:|\n")
	for _, x := range []struct {
		label string
		r     *RedisRun
	}{
		{"verified visitor", rep.KilledOK},
		{"visitor over its limit (429 expected)", rep.KilledLim},
	} {
		if x.r != nil {
			fmt.Fprintf(&b, "| %s | %.0f | %.2f | %.2f | %.1f | %d |\n", x.label, x.r.RPS, x.r.LatP50Us/1000, x.r.LatP99Us/1000, x.r.LatMaxUs/1000, x.r.ErrStatus)
		}
	}
	for _, w := range rep.Warnings {
		fmt.Fprintf(&b, "\nwarning: %s\n", w)
	}
	if len(rep.PluginErrors) > 0 {
		fmt.Fprintf(&b, "\nplugin log lines at ERROR (the kill is expected to log one per pool):\n\n```\n%s\n```\n", strings.Join(rep.PluginErrors, "\n"))
	}
	return b.String()
}
