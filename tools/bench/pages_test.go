package bench

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The cost of the page features on a verified request (BENCHMARKS.md,
// "Pages: crawler hints, link rewriting, asRoute"):
//
//	go test -run '^$' -bench 'Pages' -benchtime 1s -count 5 ./bench/
//
// "fast" requests take the verified fast path (default ipStrategy); "full"
// ones send X-Forwarded-For with ipStrategy.depth 1, which always runs the
// whole pipeline.

// benchHTML is a 6 KB page: a head with hints, a body with 40 links.
var benchHTML = func() string {
	var b strings.Builder
	b.WriteString(`<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Bench page</title>` +
		`<meta name="description" content="A page to measure with."><meta property="og:title" content="Bench">` +
		`<link rel="canonical" href="https://bench.test/page"><style>body{font:16px sans-serif}</style></head><body>`)
	for i := 0; i < 40; i++ {
		fmt.Fprintf(&b, `<p>Paragraph %d with <a href="/item/%d?x=1&amp;y=2">a link</a> and <a href="https://other.example/%d">another</a>.</p>`+"\n", i, i, i)
	}
	b.WriteString("</body></html>\n")
	return b.String()
}()

// selfCPU is the user and system time of this process so far.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

type htmlNext struct{ calls int }

func (n *htmlNext) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	n.calls++
	rw.Header().Set("Content-Type", "text/html; charset=utf-8")
	io.WriteString(rw, benchHTML)
}

func pagesConfig(extra map[string]any) map[string]any {
	c := PluginConfig("fight", 2)
	for k, v := range extra {
		c[k] = v
	}
	return c
}

func BenchmarkPages(b *testing.B) {
	token, err := ClearanceToken()
	if err != nil {
		b.Fatal(err)
	}
	full := map[string]any{"ipStrategy": map[string]any{"depth": 1}}
	with := func(base map[string]any, kv ...any) map[string]any {
		c := map[string]any{}
		for k, v := range base {
			c[k] = v
		}
		for i := 0; i+1 < len(kv); i += 2 {
			c[kv[i].(string)] = kv[i+1]
		}
		return c
	}
	cases := []struct {
		name    string
		cfg     map[string]any
		html    bool   // the site answers with benchHTML (else nothing)
		accept  string // the request's Accept header
		newPath bool   // a path never seen before on every request
		urlPass bool   // the pass in the URL (withoutCookies)
	}{
		{"fast/plain/hints-off", with(nil, "crawlerHints", false), false, "", false, false},
		{"fast/plain/hints-on", with(nil), false, "", false, false},
		{"fast/html/hints-off", with(nil, "crawlerHints", false), true, "text/html", false, false},
		{"fast/html/hints-on-fresh", with(nil), true, "text/html", false, false},
		{"full/plain/hints-off", with(full, "crawlerHints", false), false, "", false, false},
		{"full/plain/hints-on", with(full), false, "", false, false},
		{"full/html/hints-off", with(full, "crawlerHints", false), true, "text/html", false, false},
		{"full/html/hints-on-fresh", with(full), true, "text/html", false, false},
		{"full/html/hints-off-newpath", with(full, "crawlerHints", false), true, "text/html", true, false},
		{"full/html/hints-on-read", with(full), true, "text/html", true, false},
		{"full/html/rewrite", with(full, "withoutCookies", true, "crawlerHints", false), true, "text/html", false, true},
		{"full/html/rewrite-off-urlpass", with(full, "crawlerHints", false), true, "text/html", false, true},
	}
	for _, mode := range modes {
		h := handlers(b, mode)
		for _, tc := range cases {
			tc := tc
			b.Run(mode+"/"+tc.name, func(b *testing.B) {
				var next http.Handler = &NopNext{}
				if tc.html {
					next = &htmlNext{}
				}
				handler, err := h.Plugin(next, pagesConfig(tc.cfg), "bench-pages-"+mode+"-"+tc.name)
				if err != nil {
					b.Fatal(err)
				}
				req := VerifiedRequest(token, "/page")
				if tc.urlPass {
					req = VerifiedRequest(token, "/page?captcha="+token)
					req.Header.Del("Cookie")
				}
				req.Header.Set("X-Forwarded-For", ClientIP)
				if tc.accept != "" {
					req.Header.Set("Accept", tc.accept)
				}
				w := &Writer{}
				paths := make([]string, 0)
				if tc.newPath {
					for i := 0; i < b.N+2; i++ {
						paths = append(paths, fmt.Sprintf("/page/%d", i))
					}
				}
				serve := func(i int) {
					w.Reset()
					if tc.newPath {
						req.URL.Path = paths[i]
					}
					if tc.urlPass {
						req.URL.RawQuery = "captcha=" + token // the plugin takes it off for the site
					}
					handler.ServeHTTP(w, req)
				}
				serve(b.N) // warm up: the pass and the page's hints are known
				serve(b.N + 1)
				if w.StatusCode() != http.StatusOK {
					b.Fatalf("status %d", w.StatusCode())
				}
				if rewritten := w.Bytes > len(benchHTML); tc.html && rewritten != (tc.cfg["withoutCookies"] == true) {
					b.Fatalf("%d bytes for a %d-byte page", w.Bytes, len(benchHTML))
				}
				b.ReportAllocs()
				cpu0 := selfCPU()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					serve(i)
				}
				b.StopTimer()
				// CPU time of the process: on a busy shared machine it is
				// steadier than wall time (the benchmark runs on one goroutine).
				b.ReportMetric(float64(selfCPU()-cpu0)/float64(b.N), "cpu-ns/op")
			})
		}
	}
}
