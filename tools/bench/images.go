package bench

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	captchaify "github.com/captchaify/captchaify"
	"github.com/captchaify/captchaify/tools/pluginload"
	"github.com/captchaify/captchaify/tools/traefiktest"
)

// The image-challenge scenario (bench -images): per-page render times of
// oneclick and multiclick under Yaegi and compiled, the verification of an
// image answer, plugin import + New with every built-in dataset in a fresh
// Yaegi interpreter, the size of the generated datasets, and wrk through
// one real Traefik on a text, a oneclick and a multiclick challenge route.

// Targets of the image-challenge issue, on a 2-core machine.
const (
	TargetOneclickMs     = 10.0 // one oneclick page under Yaegi
	TargetMulticlickMs   = 15.0 // one multiclick page under Yaegi
	TargetOneclickPages  = 150  // oneclick pages/s through Traefik
	TargetDatasetLoadSec = 2.0  // import + New with every built-in dataset, Yaegi
	TargetAssetsMB       = 16.0 // generated dataset files in the repository
)

// ImageConfig is a benchmark route serving image challenges of one type.
func ImageConfig(captchaType string, hardness int) map[string]any {
	c := PluginConfig("fight", hardness)
	c["defaultCaptchaType"] = captchaType
	return c
}

// ImageOptions tune RunImages.
type ImageOptions struct {
	MinTime  time.Duration // per operation; default 2 s
	Threads  int           // wrk -t; default 2
	Conns    int           // wrk -c; default 32
	Duration time.Duration // wrk per route and round; default 5 s
	Warmup   time.Duration // wrk per route before the rounds; default 2 s
	Rounds   int           // default 3
	Traefik  string        // Traefik binary; empty: traefiktest.TraefikBinary
	SkipWrk  bool          // per-op timings only
	RawDir   string
	Log      func(format string, args ...any)
}

// ImageRoute is one wrk route of the scenario.
type ImageRoute struct {
	Name  string `json:"name"`
	Label string `json:"label"`
	Path  string `json:"path"`
	Field string `json:"field"` // a field every page of the route must have
}

// ImageRoutes are the wrk routes, in the order of the summary.
var ImageRoutes = []ImageRoute{
	{Name: "text", Label: "text challenge page (h2)", Path: "/text/page", Field: `name="tc"`},
	{Name: "oneclick", Label: "oneclick challenge page (h2, keys, 10 candidates)", Path: "/oneclick/page", Field: `name="ci"`},
	{Name: "multiclick", Label: "multiclick challenge page (h2, animals, 12 candidates)", Path: "/multiclick/page", Field: `name="ci0"`},
}

// ImageRouteResult is the median over the rounds of one route.
type ImageRouteResult struct {
	ImageRoute
	RPS             float64   `json:"rps"`
	RoundRPS        []float64 `json:"roundRps"`
	P50Ms           float64   `json:"p50Ms"`
	P99Ms           float64   `json:"p99Ms"`
	BytesPerReq     float64   `json:"bytesPerReq"`
	TraefikUsPerReq float64   `json:"traefikUsPerReq"`
	OtherCPUPct     float64   `json:"otherCpuPct"`
	Errors          int64     `json:"errors"`
}

// DatasetLoad is one import + New in a fresh Yaegi interpreter.
type DatasetLoad struct {
	ImportMs float64 `json:"importMs"`
	NewMs    float64 `json:"newMs"`
	TotalMs  float64 `json:"totalMs"`
}

// ImageReport is what RunImages measured.
type ImageReport struct {
	Machine      Machine            `json:"machine"`
	Ops          []Op               `json:"ops"`
	Loads        []DatasetLoad      `json:"loads"`
	AssetsBytes  int64              `json:"assetsBytes"`
	AssetsFiles  int                `json:"assetsFiles"`
	Routes       []ImageRouteResult `json:"routes"`
	Runs         []WrkRun           `json:"runs"`
	Command      string             `json:"command"`
	TraefikVer   string             `json:"traefikVersion"`
	LoadBefore   string             `json:"loadBefore"`
	LoadAfter    string             `json:"loadAfter"`
	PluginErrors []string           `json:"pluginErrors"`
}

// RunImages runs the whole scenario.
func RunImages(o ImageOptions) (*ImageReport, error) {
	if o.MinTime <= 0 {
		o.MinTime = 2 * time.Second
	}
	logf := o.Log
	if logf == nil {
		logf = func(string, ...any) {}
	}
	rep := &ImageReport{Machine: ThisMachine(), LoadBefore: loadAvg()}
	root, err := pluginload.PluginRoot()
	if err != nil {
		return nil, err
	}
	if rep.AssetsBytes, rep.AssetsFiles, err = datasetAssetsSize(root); err != nil {
		return nil, err
	}
	for i := 0; i < 3; i++ {
		logf("images: import + New with every built-in dataset, fresh Yaegi interpreter (%d/3)", i+1)
		l, err := measureDatasetLoad(root)
		if err != nil {
			return rep, err
		}
		rep.Loads = append(rep.Loads, l)
	}
	for _, mode := range []string{"yaegi", "compiled"} {
		h, err := NewHandlers(mode)
		if err != nil {
			return rep, err
		}
		for _, kind := range []string{"oneclick", "multiclick"} {
			for hardness := 1; hardness <= 3; hardness++ {
				logf("images %s: %s page, hardness %d", mode, kind, hardness)
				// The first page loop of a dataset warms the picture cache
				// (every picture of keys or animals decoded once).
				warm := 30
				if hardness == 1 {
					warm = 400
				}
				op, err := measureImagePage(h, kind, hardness, warm, o.MinTime)
				if err != nil {
					return rep, err
				}
				rep.Ops = append(rep.Ops, op)
			}
		}
		logf("images %s: oneclick answer", mode)
		op, err := measureImageVerify(h, o.MinTime)
		if err != nil {
			return rep, err
		}
		rep.Ops = append(rep.Ops, op)
	}
	if !o.SkipWrk {
		if err := runImageWrk(rep, o, logf); err != nil {
			return rep, err
		}
	}
	rep.LoadAfter = loadAvg()
	return rep, nil
}

// datasetAssetsSize adds up the generated dataset files in assets/.
func datasetAssetsSize(root string) (int64, int, error) {
	files, err := filepath.Glob(filepath.Join(root, "assets", "datasets*.go"))
	if err != nil || len(files) == 0 {
		return 0, 0, fmt.Errorf("no assets/datasets*.go under %s", root)
	}
	var total int64
	for _, f := range files {
		st, err := os.Stat(f)
		if err != nil {
			return 0, 0, err
		}
		total += st.Size()
	}
	return total, len(files), nil
}

// measureDatasetLoad loads the plugin into a fresh Yaegi interpreter (as
// Traefik does at start-up) and calls New with a configuration that uses
// every built-in dataset, so all of them are decoded.
func measureDatasetLoad(root string) (DatasetLoad, error) {
	start := time.Now()
	p, err := pluginload.Yaegi(root)
	if err != nil {
		return DatasetLoad{}, err
	}
	imported := time.Since(start)
	cfg := ImageConfig("oneclick_keys", 2)
	cfg["captchaTypes"] = map[string]any{"/a/*": "multiclick_animals", "/e/*": "oneclick_emojis"}
	t0 := time.Now()
	if _, err := p.New(context.Background(), &NopNext{}, cfg, "bench-datasets"); err != nil {
		return DatasetLoad{}, fmt.Errorf("New with every dataset: %w", err)
	}
	newTime := time.Since(t0)
	return DatasetLoad{ImportMs: ms(imported), NewMs: ms(newTime), TotalMs: ms(imported + newTime)}, nil
}

func ms(d time.Duration) float64 { return float64(d) / 1e6 }

var imageFields = map[string]string{"oneclick": `name="ci" value="`, "multiclick": `name="ci0"`}

func checkImagePage(kind string, status int, page string) error {
	switch {
	case status != http.StatusOK:
		return fmt.Errorf("status %d, want 200", status)
	case ChallengeToken(page) == "":
		return errors.New("no ct in the page")
	case !strings.Contains(page, imageFields[kind]):
		return fmt.Errorf("no %s candidates in the page", kind)
	}
	return nil
}

func measureImagePage(h *Handlers, kind string, hardness, warm int, minTime time.Duration) (Op, error) {
	name := fmt.Sprintf("%s page h%d", kind, hardness)
	next := &NopNext{}
	handler, err := h.Plugin(next, ImageConfig(kind, hardness), fmt.Sprintf("bench-%s%d-%s", kind, hardness, h.Mode))
	if err != nil {
		return Op{}, fmt.Errorf("%s: %w", name, err)
	}
	w := &Writer{Body: &bytes.Buffer{}}
	req := ChallengeGet("/page")
	var size int
	// Warm-up: the pictures a page draws are decoded on first use and cached.
	for i := 0; i < warm; i++ {
		w.Reset()
		handler.ServeHTTP(w, req)
		if err := checkImagePage(kind, w.StatusCode(), w.Body.String()); err != nil {
			return Op{}, fmt.Errorf("%s (%s): %w", name, h.Mode, err)
		}
		size = w.Bytes
	}
	w.Body = nil
	cpu0 := processCPUTime()
	ds, err := sample(minTime, 20, 3000, nil, func() error {
		w.Reset()
		handler.ServeHTTP(w, req)
		if w.StatusCode() != http.StatusOK || w.Bytes < 10000 {
			return fmt.Errorf("%s (%s): status %d, %d bytes", name, h.Mode, w.StatusCode(), w.Bytes)
		}
		return nil
	})
	if err != nil {
		return Op{}, err
	}
	cpu := (processCPUTime() - cpu0) / time.Duration(len(ds))
	op := opFromSamples(name, h.Mode, ds, fmt.Sprintf("%.2f ms CPU per page (process, GC included); a complete %s page at hardness %d, %d bytes", ms(cpu), kind, hardness, size))
	op.Allocs, op.Bytes = allocsOf(5, func() {
		w.Reset()
		handler.ServeHTTP(w, req)
	})
	return op, nil
}

// imageAnswer fetches a oneclick page and returns the POST of its right answer.
func imageAnswer(h http.Handler, path string) (*http.Request, error) {
	w := &Writer{Body: &bytes.Buffer{}}
	w.Reset()
	h.ServeHTTP(w, ChallengeGet(path))
	page := w.Body.String()
	if err := checkImagePage("oneclick", w.StatusCode(), page); err != nil {
		return nil, err
	}
	ct := ChallengeToken(page)
	info, err := captchaify.OpenChallengeToken(Secret, ct)
	if err != nil || len(info.Indexes) != 1 {
		return nil, fmt.Errorf("opening ct: %v (%+v)", err, info)
	}
	form := url.Values{"ct": {ct}, "ci": {strconv.Itoa(info.Indexes[0])}}
	r := httptest.NewRequest(http.MethodPost, "http://bench.test"+FormAction(page), strings.NewReader(form.Encode()))
	r.RemoteAddr = ClientIP + ":40000"
	r.Header.Set("User-Agent", UserAgent)
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return r, nil
}

func measureImageVerify(h *Handlers, minTime time.Duration) (Op, error) {
	const name = "oneclick answer"
	handler, err := h.Plugin(&NopNext{}, ImageConfig("oneclick", 2), "bench-imgverify-"+h.Mode)
	if err != nil {
		return Op{}, err
	}
	w := &Writer{}
	var req *http.Request
	ds, err := sample(minTime/2, 50, 300, func() error {
		var err error
		req, err = imageAnswer(handler, "/page?x=1")
		return err
	}, func() error {
		w.Reset()
		handler.ServeHTTP(w, req)
		if w.StatusCode() != http.StatusSeeOther || !strings.HasPrefix(w.H.Get("Set-Cookie"), "captcha=") {
			return fmt.Errorf("%s (%s): status %d, want 303 with a pass", name, h.Mode, w.StatusCode())
		}
		return nil
	})
	if err != nil {
		return Op{}, err
	}
	return opFromSamples(name, h.Mode, ds, "POST of the right ci to a fresh hardness-2 oneclick challenge (only the POST is timed): 303 + Set-Cookie"), nil
}

func runImageWrk(rep *ImageReport, o ImageOptions, logf func(string, ...any)) error {
	if o.Threads <= 0 {
		o.Threads = 2
	}
	if o.Conns <= 0 {
		o.Conns = 32
	}
	if o.Duration <= 0 {
		o.Duration = 5 * time.Second
	}
	if o.Rounds <= 0 {
		o.Rounds = 3
	}
	wrk, err := exec.LookPath("wrk")
	if err != nil {
		return errors.New("wrk is not installed (Debian: apt-get install wrk; scripts/bench.sh does it)")
	}
	repoRoot, err := traefiktest.FindRepoRoot("")
	if err != nil {
		return err
	}
	bin := o.Traefik
	if bin == "" {
		if bin, err = traefiktest.TraefikBinary(repoRoot, os.Stderr); err != nil {
			return err
		}
	}
	rep.TraefikVer = traefikVersion(bin)
	cfg := traefiktest.Config{Routes: []traefiktest.Route{
		{Name: "text", Rule: "PathPrefix(`/text/`)", Plugin: PluginConfig("fight", 2)},
		{Name: "oneclick", Rule: "PathPrefix(`/oneclick/`)", Plugin: ImageConfig("oneclick", 2)},
		{Name: "multiclick", Rule: "PathPrefix(`/multiclick/`)", Plugin: ImageConfig("multiclick", 2)},
	}}
	inst, err := traefiktest.Launch(traefiktest.Options{Config: cfg, Traefik: bin, LogLevel: "ERROR", RepoRoot: repoRoot})
	if err != nil {
		return err
	}
	defer inst.Close()
	pid := findProcess(filepath.Join(inst.WorkDir, "traefik.yml"))
	client := traefiktest.Client("")
	for _, rt := range ImageRoutes {
		req, _ := http.NewRequest(http.MethodGet, inst.URL(rt.Path), nil)
		req.Header.Set("User-Agent", UserAgent)
		resp, err := client.Do(req)
		if err != nil {
			return err
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), rt.Field) {
			return fmt.Errorf("route %s: status %d, no %s: %.200s", rt.Name, resp.StatusCode, rt.Field, body)
		}
	}
	tmp, err := os.MkdirTemp("", "bench-images-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	script := filepath.Join(tmp, "done.lua")
	if err := os.WriteFile(script, []byte(wrkScript), 0o644); err != nil {
		return err
	}
	rep.Command = fmt.Sprintf("wrk -t%d -c%d -d%s --latency -s done.lua -H 'User-Agent: %s' <route URL>", o.Threads, o.Conns, o.Duration, UserAgent)
	run := func(rt ImageRoute, round int, d time.Duration) (WrkRun, error) {
		args := []string{"-t", strconv.Itoa(o.Threads), "-c", strconv.Itoa(o.Conns), "-d", wrkDuration(d),
			"--latency", "-s", script, "-H", "User-Agent: " + UserAgent, inst.URL(rt.Path)}
		before := takeSnapshot(pid)
		cmd := exec.Command(wrk, args...)
		out, err := cmd.CombinedOutput()
		after := takeSnapshot(pid)
		if o.RawDir != "" {
			_ = os.WriteFile(filepath.Join(o.RawDir, fmt.Sprintf("images-wrk-r%d-%s.txt", round, rt.Name)), out, 0o644)
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
		for _, rt := range ImageRoutes {
			if _, err := run(rt, 0, o.Warmup); err != nil {
				return err
			}
		}
	}
	for round := 1; round <= o.Rounds; round++ {
		for k := range ImageRoutes {
			rt := ImageRoutes[(k+round-1)%len(ImageRoutes)]
			w, err := run(rt, round, o.Duration)
			if err != nil {
				return err
			}
			logf("images round %d %-10s %7.0f req/s  p50 %6.2f ms  %7.0f B/resp  Traefik %6.0f µs CPU/req  others %3.0f%% CPU  errors %d",
				round, rt.Name, w.RPS, w.LatP50Us/1000, w.BytesPerReq, w.TraefikUsPerReq, w.OtherCPUPct, w.errors())
			rep.Runs = append(rep.Runs, w)
		}
	}
	for _, rt := range ImageRoutes {
		r := ImageRouteResult{ImageRoute: rt}
		var rps, p50, p99, bytesPer, us, other []float64
		for _, w := range rep.Runs {
			if w.Route != rt.Name {
				continue
			}
			r.RoundRPS = append(r.RoundRPS, w.RPS)
			rps = append(rps, w.RPS)
			p50 = append(p50, w.LatP50Us/1000)
			p99 = append(p99, w.LatP99Us/1000)
			bytesPer = append(bytesPer, w.BytesPerReq)
			us = append(us, w.TraefikUsPerReq)
			other = append(other, w.OtherCPUPct)
			r.Errors += w.errors()
		}
		r.RPS, r.P50Ms, r.P99Ms, r.BytesPerReq, r.TraefikUsPerReq, r.OtherCPUPct =
			medianOf(rps), medianOf(p50), medianOf(p99), medianOf(bytesPer), medianOf(us), medianOf(other)
		rep.Routes = append(rep.Routes, r)
	}
	rep.PluginErrors = inst.PluginErrors()
	return nil
}

func medianOf(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	return s[len(s)/2]
}

var yesNo = map[bool]string{true: "yes", false: "**no**"}

// Markdown summarises the scenario for BENCHMARKS.md.
func (r *ImageReport) Markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Machine: %d cores, %s, %s; Go %s; plugin %s; %s. Load average before %s, after %s.\n\n",
		r.Machine.NumCPU, r.Machine.CPUModel, r.Machine.MemTotal, r.Machine.GoVersion, r.Machine.Plugin, r.Machine.Date, r.LoadBefore, r.LoadAfter)
	b.WriteString("| figure | measured | target | met |\n|---|---|---|---|\n")
	find := func(name, mode string) *Op {
		for i := range r.Ops {
			if r.Ops[i].Name == name && r.Ops[i].Mode == mode {
				return &r.Ops[i]
			}
		}
		return nil
	}
	if op := find("oneclick page h2", "yaegi"); op != nil {
		fmt.Fprintf(&b, "| one oneclick page (h2), Yaegi | %.2f ms mean, %.2f ms p50 | ≤ %.0f ms | %s |\n", op.MeanNs/1e6, op.P50Ns/1e6, TargetOneclickMs, yesNo[op.MeanNs/1e6 <= TargetOneclickMs])
	}
	if op := find("multiclick page h2", "yaegi"); op != nil {
		fmt.Fprintf(&b, "| one multiclick page (h2), Yaegi | %.2f ms mean, %.2f ms p50 | ≤ %.0f ms | %s |\n", op.MeanNs/1e6, op.P50Ns/1e6, TargetMulticlickMs, yesNo[op.MeanNs/1e6 <= TargetMulticlickMs])
	}
	for _, rt := range r.Routes {
		if rt.Name == "oneclick" {
			fmt.Fprintf(&b, "| oneclick pages/s through Traefik | %.0f (rounds %v) | ≥ %d | %s |\n", rt.RPS, roundInts(rt.RoundRPS), TargetOneclickPages, yesNo[rt.RPS >= TargetOneclickPages])
		}
	}
	if len(r.Loads) > 0 {
		worst := 0.0
		for _, l := range r.Loads {
			if l.TotalMs > worst {
				worst = l.TotalMs
			}
		}
		fmt.Fprintf(&b, "| import + New with every built-in dataset, fresh Yaegi | %.2f s worst of %d (import %.2f s, New %.2f s) | ≤ %.0f s | %s |\n",
			worst/1000, len(r.Loads), r.Loads[0].ImportMs/1000, r.Loads[0].NewMs/1000, TargetDatasetLoadSec, yesNo[worst/1000 <= TargetDatasetLoadSec])
	}
	fmt.Fprintf(&b, "| generated datasets (%d files in assets/) | %.1f MB | ≤ %.0f MB | %s |\n\n", r.AssetsFiles, float64(r.AssetsBytes)/1e6, TargetAssetsMB, yesNo[float64(r.AssetsBytes)/1e6 <= TargetAssetsMB])

	b.WriteString("Per page (whole ServeHTTP: choose, obfuscate every picture, encode JPEGs, seal ct, HTML), after a warm-up (400 pages before the first hardness of each type, so that every picture of the keys and animals sets is decoded and cached, as in a running Traefik; 30 before the others):\n\n")
	b.WriteString("| operation | mode | mean | p50 | p90 | n | details |\n|---|---|---|---|---|---|---|\n")
	for _, op := range r.Ops {
		fmt.Fprintf(&b, "| %s | %s | %.2f ms | %.2f ms | %.2f ms | %d | %s |\n", op.Name, op.Mode, op.MeanNs/1e6, op.P50Ns/1e6, op.P90Ns/1e6, op.N, op.Details)
	}
	if len(r.Routes) > 0 {
		fmt.Fprintf(&b, "\nThrough Traefik %s (`%s`, median of the rounds):\n\n", r.TraefikVer, r.Command)
		b.WriteString("| route | req/s | rounds | p50 | p99 | bytes/resp | Traefik CPU/req | others' CPU | errors |\n|---|---|---|---|---|---|---|---|---|\n")
		for _, rt := range r.Routes {
			fmt.Fprintf(&b, "| %s | %.0f | %v | %.1f ms | %.1f ms | %.0f | %.0f µs | %.0f %% | %d |\n",
				rt.Label, rt.RPS, roundInts(rt.RoundRPS), rt.P50Ms, rt.P99Ms, rt.BytesPerReq, rt.TraefikUsPerReq, rt.OtherCPUPct, rt.Errors)
		}
	}
	if len(r.PluginErrors) > 0 {
		fmt.Fprintf(&b, "\nPlugin errors in Traefik's log: %d\n", len(r.PluginErrors))
	}
	return b.String()
}

func roundInts(v []float64) []int {
	out := make([]int, len(v))
	for i, x := range v {
		out[i] = int(x + 0.5)
	}
	return out
}

// processCPUTime is the CPU time this process has used (all threads, GC included):
// on a busy machine it is steadier than wall time.
func processCPUTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
