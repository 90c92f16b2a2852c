package bench

import (
	_ "embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"time"

	"github.com/captchaify/captchaify/tools/pluginload"
	"github.com/traefik/yaegi/interp"
	"github.com/traefik/yaegi/stdlib"
)

//go:embed probe_src.go
var probeSource string

// Step is the cost of one step of the verified path, timed inside the interpreter.
type Step struct {
	Name string  `json:"name"` // indented by depth in the call tree
	Ns   float64 `json:"ns"`   // per iteration, loop overhead included
}

// ProbeResult is what ProbeMedian measured.
type ProbeResult struct {
	// Steps are the steps of a verified request, timed inside the interpreter.
	Steps []Step `json:"steps"`
	// Whole are whole verified requests through handlers the interpreter built,
	// called from compiled code as Traefik calls them: the plugin as it is (rate
	// limits off, and counting with limits too high to trip) and a prototype fast
	// path (a cache of checked passes, probe_src.go benchFast).
	Whole []Step `json:"whole"`
}

// Probe loads the plugin under Yaegi together with probe_src.go (package captchaify,
// so it reaches the unexported steps) and times n iterations of each step of a
// verified request. The plugin files themselves are not touched: both are copied to a
// temporary GOPATH.
func Probe(n int) (*ProbeResult, error) { return ProbeMedian(n, 1) }

// ProbeMedian is Probe repeated reps times in one interpreter, keeping each step's
// median: other processes on the machine make single runs noisy.
func ProbeMedian(n, reps int) (res *ProbeResult, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("probe panicked: %v", r)
		}
	}()
	return probeMedian(n, reps)
}

func probeMedian(n, reps int) (*ProbeResult, error) {
	i, pkg, cleanup, err := loadWithProbe(probeSource, "zz_bench_probe.go", "captchaify-probe-")
	if err != nil {
		return nil, err
	}
	defer cleanup()
	fn, err := i.Eval(pkg + ".BenchProbeVerified")
	if err != nil {
		return nil, err
	}
	token, err := ClearanceToken()
	if err != nil {
		return nil, err
	}
	var next http.Handler = &NopNext{}
	var rw http.ResponseWriter = &Writer{H: http.Header{}}
	call := func(iterations int) ([]string, []int64, error) {
		out := fn.Call([]reflect.Value{
			reflect.ValueOf(&next).Elem(), reflect.ValueOf(&rw).Elem(),
			reflect.ValueOf(Secret), reflect.ValueOf(token), reflect.ValueOf(UserAgent), reflect.ValueOf(iterations),
		})
		if e := out[2].Interface(); e != nil {
			return nil, nil, e.(error)
		}
		return out[0].Interface().([]string), out[1].Interface().([]int64), nil
	}
	if _, _, err := call(200); err != nil { // warm-up
		return nil, err
	}
	var names []string
	var perStep [][]float64
	for rep := 0; rep < reps; rep++ {
		got, totals, err := call(n)
		if err != nil {
			return nil, err
		}
		if len(got) != len(totals) || len(got) == 0 {
			return nil, errors.New("probe returned no steps")
		}
		if names == nil {
			names, perStep = got, make([][]float64, len(got))
		}
		for k := range got {
			perStep[k] = append(perStep[k], float64(totals[k])/float64(n))
		}
	}
	res := &ProbeResult{}
	for k := range names {
		res.Steps = append(res.Steps, Step{Name: names[k], Ns: Median(perStep[k])})
	}

	mkHandler, err := i.Eval(pkg + ".BenchProbeHandler")
	if err != nil {
		return res, err
	}
	mkFast, err := i.Eval(pkg + ".BenchProbeFastHandler")
	if err != nil {
		return res, err
	}
	nop := &NopNext{}
	var nopNext http.Handler = nop
	handler := func(out []reflect.Value) (http.Handler, error) {
		if e := out[1].Interface(); e != nil {
			return nil, e.(error)
		}
		return out[0].Interface().(http.Handler), nil
	}
	type whole struct {
		name string
		h    http.Handler
	}
	var hs []whole
	for _, c := range []struct {
		name  string
		limit int
	}{{"plugin as is, rate limits off (the benchmark's routes)", 0}, {"plugin as is, rate limits counting (limits 10^9/min)", 1000000000}} {
		h, err := handler(mkHandler.Call([]reflect.Value{reflect.ValueOf(&nopNext).Elem(), reflect.ValueOf(Secret),
			reflect.ValueOf("fight"), reflect.ValueOf(c.limit)}))
		if err != nil {
			return res, err
		}
		hs = append(hs, whole{c.name, h})
	}
	fast, err := handler(mkFast.Call([]reflect.Value{reflect.ValueOf(&nopNext).Elem(), reflect.ValueOf(Secret)}))
	if err != nil {
		return res, err
	}
	hs = append(hs, whole{"prototype: cache of checked passes (probe_src.go benchFast)", fast})
	req := VerifiedRequest(token, "/page")
	w := &Writer{H: http.Header{}}
	times := make([][]float64, len(hs))
	for rep := 0; rep < reps; rep++ {
		for k, x := range hs {
			before := nop.Calls
			start := time.Now()
			for j := 0; j < n; j++ {
				w.Reset()
				x.h.ServeHTTP(w, req)
			}
			times[k] = append(times[k], float64(time.Since(start))/float64(n))
			if nop.Calls-before != n {
				return res, fmt.Errorf("probe %s: %d of %d requests passed", x.name, nop.Calls-before, n)
			}
		}
	}
	for k, x := range hs {
		res.Whole = append(res.Whole, Step{Name: x.name, Ns: Median(times[k])})
	}
	return res, nil
}

// copyPluginSources copies what Traefik reads of the plugin: go.mod, go.sum,
// .traefik.yml, the root package's non-test .go files and assets/.
func copyPluginSources(root, dst string) error {
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return err
	}
	entries, err := os.ReadDir(root)
	if err != nil {
		return err
	}
	for _, e := range entries {
		name := e.Name()
		switch {
		case e.IsDir() && (name == "assets" || name == "vendor"):
			if err := os.CopyFS(filepath.Join(dst, name), os.DirFS(filepath.Join(root, name))); err != nil {
				return err
			}
		case e.Type().IsRegular() && (strings.HasSuffix(name, ".go") && !strings.HasSuffix(name, "_test.go") ||
			name == "go.mod" || name == "go.sum" || name == ".traefik.yml"):
			data, err := fs.ReadFile(os.DirFS(root), name)
			if err != nil {
				return err
			}
			if err := os.WriteFile(filepath.Join(dst, name), data, 0o644); err != nil {
				return err
			}
		}
	}
	return nil
}

// loadWithProbe copies the plugin's sources and a probe file (package
// captchaify, so it reaches the unexported steps; its `//go:build ignore`
// line dropped) into a temporary GOPATH, and imports them into a fresh
// interpreter the way Traefik loads a plugin. It returns the interpreter,
// the package name to evaluate the probe's functions under, and the
// cleanup that removes the GOPATH.
func loadWithProbe(source, fileName, tmpPrefix string) (*interp.Interpreter, string, func(), error) {
	root, err := pluginload.PluginRoot()
	if err != nil {
		return nil, "", nil, err
	}
	module, err := pluginload.ModuleName(root)
	if err != nil {
		return nil, "", nil, err
	}
	goPath, err := os.MkdirTemp("", tmpPrefix)
	if err != nil {
		return nil, "", nil, err
	}
	cleanup := func() { os.RemoveAll(goPath) }
	src := filepath.Join(goPath, "src", filepath.FromSlash(module))
	if err := copyPluginSources(root, src); err != nil {
		cleanup()
		return nil, "", nil, err
	}
	body := strings.Replace(source, "//go:build ignore\n", "", 1)
	if err := os.WriteFile(filepath.Join(src, fileName), []byte(body), 0o644); err != nil {
		cleanup()
		return nil, "", nil, err
	}
	i := interp.New(interp.Options{GoPath: goPath, Env: os.Environ(), Stdout: io.Discard, Stderr: io.Discard})
	if err := i.Use(stdlib.Symbols); err != nil {
		cleanup()
		return nil, "", nil, err
	}
	if _, err := i.Eval(`import "` + module + `"`); err != nil {
		cleanup()
		return nil, "", nil, fmt.Errorf("importing the plugin with %s: %w", fileName, err)
	}
	return i, filepath.Base(module), cleanup, nil
}
