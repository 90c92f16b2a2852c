// Package bench measures Captchaify: per-operation timings of the plugin loaded by
// Yaegi exactly as Traefik loads it (and compiled, for reference), and wrk runs
// through a real Traefik (see Traefik and RunTraefik). tools/cmd/bench and
// scripts/bench.sh (`make bench`) drive it; BENCHMARKS.md holds the figures.
package bench

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"time"

	captchaify "github.com/captchaify/captchaify"
	"github.com/captchaify/captchaify/tools/pluginload"
)

// Secret is the fixed secret of every benchmarked middleware.
const Secret = "bench-secret-0123456789abcdef-0123456789abcdef"

// UserAgent is the User-Agent every benchmark request sends (wrk: -H "User-Agent: bench").
const UserAgent = "bench"

// ClientIP is where benchmark requests come from (wrk connects from 127.0.0.1).
const ClientIP = "127.0.0.1"

// PluginConfig returns the captchaify configuration of a benchmark route: the given
// action, text challenges, the fixed secret, rate limits off (0) and quiet logs.
func PluginConfig(action string, hardness int) map[string]any {
	return map[string]any{
		"defaultAction":       action,
		"defaultHardness":     hardness,
		"defaultCaptchaType":  "text",
		"secret":              Secret,
		"defaultRateLimit":    0,
		"defaultMaxRateLimit": 0,
		"logLevel":            "error",
	}
}

// ClearanceToken is a pass for ClientIP and UserAgent at hardness 3 (valid on every
// route), bound like the plugin's default tokenBinding (subnet).
func ClearanceToken() (string, error) {
	return captchaify.IssueClearanceToken(Secret, ClientIP, UserAgent, 3, "subnet")
}

// Op is one measured operation.
type Op struct {
	Name    string  `json:"name"`    // e.g. "token check"
	Mode    string  `json:"mode"`    // "yaegi" or "compiled"
	N       int     `json:"n"`       // timed iterations
	MeanNs  float64 `json:"meanNs"`  // total time / N
	P50Ns   float64 `json:"p50Ns"`   // median of single iterations, or of 20 chunks of fast ones
	P90Ns   float64 `json:"p90Ns"`   // 90th percentile of the same
	PerSec  float64 `json:"perSec"`  // 1e9 / MeanNs, on one goroutine
	Allocs  float64 `json:"allocs"`  // heap allocations per operation
	Bytes   float64 `json:"bytes"`   // heap bytes allocated per operation
	Details string  `json:"details"` // what was checked
}

// OpsOptions tune MeasureOps.
type OpsOptions struct {
	// MinTime is how long each operation is timed at least; zero means 1 s.
	MinTime time.Duration
	// Modes are "yaegi" and/or "compiled"; empty means both.
	Modes []string
	// Log receives progress lines; may be nil.
	Log func(format string, args ...any)
}

// Handlers builds middleware handlers in one mode.
type Handlers struct {
	Mode    string
	factory pluginload.Factory
	noop    pluginload.Factory
}

// NewHandlers returns the factories of mode "yaegi" (the plugin interpreted by Yaegi,
// loaded once with pluginload.Shared, plus the do-nothing plugin under Yaegi) or
// "compiled".
func NewHandlers(mode string) (*Handlers, error) {
	switch mode {
	case "compiled":
		return &Handlers{Mode: mode, factory: pluginload.Compiled(), noop: compiledNoop{}}, nil
	case "yaegi":
		root, err := pluginload.PluginRoot()
		if err != nil {
			return nil, err
		}
		p, err := pluginload.Shared(root)
		if err != nil {
			return nil, fmt.Errorf("loading the plugin under Yaegi: %w", err)
		}
		n, err := yaegiNoop()
		if err != nil {
			return nil, fmt.Errorf("loading the do-nothing plugin under Yaegi: %w", err)
		}
		return &Handlers{Mode: mode, factory: p, noop: n}, nil
	}
	return nil, fmt.Errorf("bench: unknown mode %q (yaegi or compiled)", mode)
}

// Plugin builds a captchaify handler in front of next.
func (h *Handlers) Plugin(next http.Handler, cfg map[string]any, name string) (http.Handler, error) {
	return h.factory.New(context.Background(), next, cfg, name)
}

// Noop builds the do-nothing middleware (it only calls next).
func (h *Handlers) Noop(next http.Handler) (http.Handler, error) {
	return h.noop.New(context.Background(), next, map[string]any{}, "noop")
}

type compiledNoop struct{}

func (compiledNoop) New(_ context.Context, next http.Handler, _ map[string]any, _ string) (http.Handler, error) {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) { next.ServeHTTP(rw, r) }), nil
}

// NopNext is the next handler of the per-op benchmarks: it counts calls and writes
// nothing (the ResponseWriter's implicit 200).
type NopNext struct{ Calls int }

func (n *NopNext) ServeHTTP(http.ResponseWriter, *http.Request) { n.Calls++ }

// Writer is a cheap reusable http.ResponseWriter that counts what is written and
// optionally keeps the body.
type Writer struct {
	H      http.Header
	Status int
	Bytes  int
	Body   *bytes.Buffer
}

// Reset prepares the writer for the next request.
func (w *Writer) Reset() {
	if w.H == nil {
		w.H = http.Header{}
	}
	for k := range w.H {
		delete(w.H, k)
	}
	w.Status, w.Bytes = 0, 0
	if w.Body != nil {
		w.Body.Reset()
	}
}

// Header implements http.ResponseWriter.
func (w *Writer) Header() http.Header { return w.H }

// WriteHeader implements http.ResponseWriter.
func (w *Writer) WriteHeader(code int) {
	if w.Status == 0 {
		w.Status = code
	}
}

// Write implements http.ResponseWriter.
func (w *Writer) Write(p []byte) (int, error) {
	if w.Status == 0 {
		w.Status = http.StatusOK
	}
	w.Bytes += len(p)
	if w.Body != nil {
		w.Body.Write(p)
	}
	return len(p), nil
}

// Flush implements http.Flusher.
func (w *Writer) Flush() {}

// StatusCode is the status written, 200 when nothing was written.
func (w *Writer) StatusCode() int {
	if w.Status == 0 {
		return http.StatusOK
	}
	return w.Status
}

// VerifiedRequest is a GET that carries a valid clearance cookie.
func VerifiedRequest(token, path string) *http.Request {
	r := httptest.NewRequest(http.MethodGet, "http://bench.test"+path, nil)
	r.RemoteAddr = ClientIP + ":40000"
	r.Header.Set("User-Agent", UserAgent)
	r.Header.Set("Cookie", "captcha="+token)
	return r
}

// ChallengeGet is a GET without a pass: under fight it gets a challenge page.
func ChallengeGet(path string) *http.Request {
	r := httptest.NewRequest(http.MethodGet, "http://bench.test"+path, nil)
	r.RemoteAddr = ClientIP + ":40000"
	r.Header.Set("User-Agent", UserAgent)
	return r
}

var (
	ctField    = regexp.MustCompile(`name="ct"\s+value="([^"]+)"`)
	ctField2   = regexp.MustCompile(`value="([^"]+)"\s+name="ct"`)
	formAction = regexp.MustCompile(`<form[^>]*\saction="([^"]*)"`)
)

// FormAction returns the (unescaped) action URL of the page's form, or "".
func FormAction(page string) string {
	if m := formAction.FindStringSubmatch(page); m != nil {
		return html.UnescapeString(m[1])
	}
	return ""
}

// ChallengeToken returns the ct of a challenge page, or "".
func ChallengeToken(page string) string {
	if m := ctField.FindStringSubmatch(page); m != nil {
		return m[1]
	}
	if m := ctField2.FindStringSubmatch(page); m != nil {
		return m[1]
	}
	return ""
}

// CheckChallengePage returns an error unless page is a text challenge page.
func CheckChallengePage(status int, page string) error {
	switch {
	case status != http.StatusOK:
		return fmt.Errorf("status %d, want 200", status)
	case ChallengeToken(page) == "":
		return errors.New(`no <input name="ct" value=...> in the page`)
	case !strings.Contains(page, `name="tc"`):
		return errors.New(`no <input name="tc"> in the page`)
	case !strings.Contains(page, "data:image/png;base64,"):
		return errors.New("no PNG data: image in the page")
	}
	return nil
}

// AnswerRequest fetches a fresh challenge from h and returns the POST that answers
// it correctly (the answer read from the ct with the secret), sent to the form's
// action like a browser does.
func AnswerRequest(h http.Handler, path string) (*http.Request, error) {
	w := &Writer{Body: &bytes.Buffer{}}
	w.Reset()
	h.ServeHTTP(w, ChallengeGet(path))
	page := w.Body.String()
	if err := CheckChallengePage(w.StatusCode(), page); err != nil {
		return nil, fmt.Errorf("challenge page: %w", err)
	}
	ct := ChallengeToken(page)
	info, err := captchaify.OpenChallengeToken(Secret, ct)
	if err != nil {
		return nil, fmt.Errorf("opening ct: %w", err)
	}
	form := url.Values{"ct": {ct}, "tc": {info.Answer}}
	target := FormAction(page)
	if target == "" {
		target = path
	}
	if !strings.HasPrefix(target, "/") {
		return nil, fmt.Errorf("form action %q is not a same-site path", target)
	}
	r := httptest.NewRequest(http.MethodPost, "http://bench.test"+target, strings.NewReader(form.Encode()))
	r.RemoteAddr = ClientIP + ":40000"
	r.Header.Set("User-Agent", UserAgent)
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return r, nil
}

// timeChunks calibrates a chunk of iterations lasting about minTime/20, then times
// 20 chunks. It returns the iteration count, the total time and each chunk's time
// per iteration: the median chunk is robust to bursts of other processes.
func timeChunks(minTime time.Duration, fn func()) (int, time.Duration, []time.Duration) {
	chunk := 1
	for {
		start := time.Now()
		for i := 0; i < chunk; i++ {
			fn()
		}
		if time.Since(start) >= minTime/200 || chunk >= 1<<20 {
			break
		}
		chunk *= 2
	}
	chunk *= 10 // about minTime/20
	var total time.Duration
	per := make([]time.Duration, 0, 20)
	for c := 0; c < 20; c++ {
		start := time.Now()
		for i := 0; i < chunk; i++ {
			fn()
		}
		d := time.Since(start)
		total += d
		per = append(per, d/time.Duration(chunk))
	}
	return 20 * chunk, total, per
}

// allocsOf runs fn n times and returns the heap allocations and bytes per run.
func allocsOf(n int, fn func()) (allocs, bytes float64) {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for i := 0; i < n; i++ {
		fn()
	}
	runtime.ReadMemStats(&after)
	return float64(after.Mallocs-before.Mallocs) / float64(n), float64(after.TotalAlloc-before.TotalAlloc) / float64(n)
}

// sample times single iterations of fn until minTime has passed (at least min and
// at most max iterations); setup runs untimed before each.
func sample(minTime time.Duration, min, max int, setup func() error, fn func() error) ([]time.Duration, error) {
	var ds []time.Duration
	var total time.Duration
	for (total < minTime || len(ds) < min) && len(ds) < max {
		if setup != nil {
			if err := setup(); err != nil {
				return ds, err
			}
		}
		start := time.Now()
		err := fn()
		d := time.Since(start)
		if err != nil {
			return ds, err
		}
		ds = append(ds, d)
		total += d
	}
	return ds, nil
}

func opFromSamples(name, mode string, ds []time.Duration, details string) Op {
	sorted := append([]time.Duration(nil), ds...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i] < sorted[j] })
	var sum time.Duration
	for _, d := range ds {
		sum += d
	}
	op := Op{Name: name, Mode: mode, N: len(ds), Details: details}
	if len(ds) > 0 {
		op.MeanNs = float64(sum) / float64(len(ds))
		op.P50Ns = float64(sorted[len(sorted)/2])
		op.P90Ns = float64(sorted[len(sorted)*9/10])
		op.PerSec = 1e9 / op.MeanNs
	}
	return op
}

func opFromChunks(name, mode string, n int, total time.Duration, chunks []time.Duration, details string) Op {
	op := Op{Name: name, Mode: mode, N: n, Details: details}
	op.MeanNs = float64(total) / float64(n)
	var per []float64
	for _, d := range chunks {
		per = append(per, float64(d))
	}
	op.P50Ns = Median(per)
	sort.Float64s(per)
	op.P90Ns = per[len(per)*9/10]
	op.PerSec = 1e9 / op.MeanNs
	return op
}

// MeasureOps times, in every mode: the do-nothing middleware, a request on an allow
// route, a verified request (clearance cookie checked, passed to a no-op next), the
// rendering of a text challenge page at hardness 1, 2 and 3, and the verification of
// a correct answer (the POST only, on a fresh challenge each time).
func MeasureOps(o OpsOptions) ([]Op, error) {
	if o.MinTime <= 0 {
		o.MinTime = time.Second
	}
	if len(o.Modes) == 0 {
		o.Modes = []string{"yaegi", "compiled"}
	}
	logf := o.Log
	if logf == nil {
		logf = func(string, ...any) {}
	}
	token, err := ClearanceToken()
	if err != nil {
		return nil, err
	}
	var ops []Op
	for _, mode := range o.Modes {
		h, err := NewHandlers(mode)
		if err != nil {
			return ops, err
		}
		logf("per-op %s: pass-through", mode)
		var got []Op
		err = safely(func() (err error) {
			got, err = measurePassThrough(h, token, o.MinTime)
			return err
		})
		ops = append(ops, got...)
		if err != nil {
			return ops, err
		}
		for hardness := 1; hardness <= 3; hardness++ {
			logf("per-op %s: challenge render, hardness %d", mode, hardness)
			var op Op
			if err := safely(func() (err error) {
				op, err = measureRender(h, hardness, o.MinTime)
				return err
			}); err != nil {
				return ops, err
			}
			ops = append(ops, op)
		}
		logf("per-op %s: challenge verify", mode)
		var op Op
		if err := safely(func() (err error) {
			op, err = measureVerify(h, o.MinTime)
			return err
		}); err != nil {
			return ops, err
		}
		ops = append(ops, op)
	}
	return ops, nil
}

// safely runs fn, turning a panic (the plugin's, under Yaegi) into an error.
func safely(fn func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	return fn()
}

func measurePassThrough(h *Handlers, token string, minTime time.Duration) ([]Op, error) {
	var ops []Op
	w := &Writer{}
	type target struct {
		name, details string
		build         func(next http.Handler) (http.Handler, error)
		req           *http.Request
	}
	targets := []target{
		{"do-nothing middleware", "a minimal plugin whose ServeHTTP only calls next: the cost of the call into the interpreter",
			h.Noop, VerifiedRequest(token, "/page")},
		{"allow route", "defaultAction allow, rate limits off: client address, route preferences, next",
			func(next http.Handler) (http.Handler, error) {
				return h.Plugin(next, PluginConfig("allow", 2), "bench-allow-"+h.Mode)
			}, VerifiedRequest(token, "/page")},
		{"token check (verified request)", "defaultAction fight, rate limits off, valid clearance cookie: the request reaches next",
			func(next http.Handler) (http.Handler, error) {
				return h.Plugin(next, PluginConfig("fight", 2), "bench-verified-"+h.Mode)
			}, VerifiedRequest(token, "/page")},
	}
	for _, t := range targets {
		next := &NopNext{}
		handler, err := t.build(next)
		if err != nil {
			return ops, fmt.Errorf("%s: %w", t.name, err)
		}
		// Warm up and check that the request really passes.
		for i := 0; i < 200; i++ {
			w.Reset()
			handler.ServeHTTP(w, t.req)
		}
		if next.Calls != 200 || w.StatusCode() != http.StatusOK {
			return ops, fmt.Errorf("%s (%s): %d of 200 requests reached next (last status %d)", t.name, h.Mode, next.Calls, w.StatusCode())
		}
		req := t.req
		before := next.Calls
		n, total, chunks := timeChunks(minTime, func() {
			w.Reset()
			handler.ServeHTTP(w, req)
		})
		if next.Calls-before < n {
			return ops, fmt.Errorf("%s (%s): only %d of %d timed requests reached next", t.name, h.Mode, next.Calls-before, n)
		}
		op := opFromChunks(t.name, h.Mode, n, total, chunks, t.details+" (p50: the median of 20 chunks)")
		op.Allocs, op.Bytes = allocsOf(1000, func() {
			w.Reset()
			handler.ServeHTTP(w, req)
		})
		ops = append(ops, op)
	}
	return ops, nil
}

func measureRender(h *Handlers, hardness int, minTime time.Duration) (Op, error) {
	name := fmt.Sprintf("challenge render h%d", hardness)
	next := &NopNext{}
	handler, err := h.Plugin(next, PluginConfig("fight", hardness), fmt.Sprintf("bench-render%d-%s", hardness, h.Mode))
	if err != nil {
		return Op{}, fmt.Errorf("%s: %w", name, err)
	}
	w := &Writer{Body: &bytes.Buffer{}}
	req := ChallengeGet("/page")
	var size int
	check := func() error {
		if err := CheckChallengePage(w.StatusCode(), w.Body.String()); err != nil {
			return err
		}
		size = w.Bytes
		return nil
	}
	for i := 0; i < 5; i++ { // warm-up
		w.Reset()
		handler.ServeHTTP(w, req)
		if err := check(); err != nil {
			return Op{}, fmt.Errorf("%s (%s): %w", name, h.Mode, err)
		}
	}
	w.Body = nil // the timed loop only counts bytes
	ds, err := sample(minTime, 20, 5000, nil, func() error {
		w.Reset()
		handler.ServeHTTP(w, req)
		if w.StatusCode() != http.StatusOK || w.Bytes < 1000 {
			return fmt.Errorf("%s (%s): status %d, %d bytes", name, h.Mode, w.StatusCode(), w.Bytes)
		}
		return nil
	})
	if err != nil {
		return Op{}, err
	}
	if next.Calls != 0 {
		return Op{}, fmt.Errorf("%s (%s): %d requests reached next", name, h.Mode, next.Calls)
	}
	op := opFromSamples(name, h.Mode, ds, fmt.Sprintf("GET without a pass under fight, hardness %d: a complete challenge page (%d bytes: PNG, ct, HTML)", hardness, size))
	op.Allocs, op.Bytes = allocsOf(10, func() {
		w.Reset()
		handler.ServeHTTP(w, req)
	})
	return op, nil
}

func measureVerify(h *Handlers, minTime time.Duration) (Op, error) {
	const name = "challenge verify"
	next := &NopNext{}
	handler, err := h.Plugin(next, PluginConfig("fight", 2), "bench-verify-"+h.Mode)
	if err != nil {
		return Op{}, fmt.Errorf("%s: %w", name, err)
	}
	w := &Writer{}
	var req *http.Request
	setup := func() error {
		var err error
		req, err = AnswerRequest(handler, "/page?x=1")
		return err
	}
	ds, err := sample(minTime/2, 100, 400, setup, func() error {
		w.Reset()
		handler.ServeHTTP(w, req)
		if w.StatusCode() != http.StatusSeeOther || !strings.HasPrefix(w.H.Get("Set-Cookie"), "captcha=") || w.H.Get("Location") != "/page?x=1" {
			return fmt.Errorf("%s (%s): status %d, Location %q, Set-Cookie %q; want 303 to /page?x=1 with a captcha cookie",
				name, h.Mode, w.StatusCode(), w.H.Get("Location"), w.H.Get("Set-Cookie"))
		}
		return nil
	})
	if err != nil {
		return Op{}, err
	}
	return opFromSamples(name, h.Mode, ds, "POST of the right answer to a fresh hardness-2 challenge (only the POST is timed): 303 + Set-Cookie"), nil
}
