package bench

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// go test ./bench/ runs the smoke tests below (every measurement once, briefly);
// go test -run '^$' -bench . ./bench/ gives the same per-op figures as testing.B
// benchmarks, each in the modes yaegi and compiled.

var modes = []string{"yaegi", "compiled"}

func handlers(b testing.TB, mode string) *Handlers {
	b.Helper()
	h, err := NewHandlers(mode)
	if err != nil {
		b.Fatal(err)
	}
	return h
}

func TestMeasureOpsSmoke(t *testing.T) {
	ops, err := MeasureOps(OpsOptions{MinTime: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if len(ops) != 2*7 {
		t.Errorf("got %d ops, want 14", len(ops))
	}
	for _, op := range ops {
		if op.N == 0 || op.MeanNs <= 0 {
			t.Errorf("%s/%s: not measured: %+v", op.Name, op.Mode, op)
		}
		t.Logf("%-32s %-8s n=%-6d mean=%9.1fµs", op.Name, op.Mode, op.N, op.MeanNs/1e3)
	}
}

func TestProbeSmoke(t *testing.T) {
	res, err := Probe(50)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range append(res.Steps, res.Whole...) {
		t.Logf("%-60s %8.2f µs", s.Name, s.Ns/1e3)
	}
	if len(res.Whole) != 3 {
		t.Errorf("got %d whole-request timings, want 3", len(res.Whole))
	}
}

func BenchmarkNoop(b *testing.B) {
	token, _ := ClearanceToken()
	for _, mode := range modes {
		b.Run(mode, func(b *testing.B) {
			next := &NopNext{}
			h, err := handlers(b, mode).Noop(next)
			if err != nil {
				b.Fatal(err)
			}
			benchPass(b, h, next, VerifiedRequest(token, "/page"))
		})
	}
}

func BenchmarkAllow(b *testing.B) {
	token, _ := ClearanceToken()
	for _, mode := range modes {
		b.Run(mode, func(b *testing.B) {
			next := &NopNext{}
			h, err := handlers(b, mode).Plugin(next, PluginConfig("allow", 2), "b-allow-"+mode)
			if err != nil {
				b.Fatal(err)
			}
			benchPass(b, h, next, VerifiedRequest(token, "/page"))
		})
	}
}

func BenchmarkTokenCheck(b *testing.B) {
	token, err := ClearanceToken()
	if err != nil {
		b.Fatal(err)
	}
	for _, mode := range modes {
		b.Run(mode, func(b *testing.B) {
			next := &NopNext{}
			h, err := handlers(b, mode).Plugin(next, PluginConfig("fight", 2), "b-verified-"+mode)
			if err != nil {
				b.Fatal(err)
			}
			benchPass(b, h, next, VerifiedRequest(token, "/page"))
		})
	}
}

func benchPass(b *testing.B, h http.Handler, next *NopNext, r *http.Request) {
	w := &Writer{}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		w.Reset()
		h.ServeHTTP(w, r)
	}
	b.StopTimer()
	if next.Calls != b.N {
		b.Fatalf("%d of %d requests reached next", next.Calls, b.N)
	}
}

func BenchmarkChallengeRender(b *testing.B) {
	for hardness := 1; hardness <= 3; hardness++ {
		for _, mode := range modes {
			hardness, mode := hardness, mode
			b.Run(fmt.Sprintf("h%d/%s", hardness, mode), func(b *testing.B) {
				h, err := handlers(b, mode).Plugin(&NopNext{}, PluginConfig("fight", hardness), fmt.Sprintf("b-render%d-%s", hardness, mode))
				if err != nil {
					b.Fatal(err)
				}
				w := &Writer{Body: &bytes.Buffer{}}
				r := ChallengeGet("/page")
				w.Reset()
				h.ServeHTTP(w, r)
				if err := CheckChallengePage(w.StatusCode(), w.Body.String()); err != nil {
					b.Fatal(err)
				}
				w.Body = nil
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					w.Reset()
					h.ServeHTTP(w, r)
				}
			})
		}
	}
}

// BenchmarkChallengeVerify times only the POST; each iteration renders a fresh
// challenge with the timer stopped, so keep -benchtime small (e.g. 200x).
func BenchmarkChallengeVerify(b *testing.B) {
	for _, mode := range modes {
		b.Run(mode, func(b *testing.B) {
			h, err := handlers(b, mode).Plugin(&NopNext{}, PluginConfig("fight", 2), "b-verify-"+mode)
			if err != nil {
				b.Fatal(err)
			}
			w := &Writer{}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				r, err := AnswerRequest(h, "/page")
				if err != nil {
					b.Fatal(err)
				}
				w.Reset()
				b.StartTimer()
				h.ServeHTTP(w, r)
				b.StopTimer()
				if w.StatusCode() != http.StatusSeeOther || !strings.HasPrefix(w.H.Get("Set-Cookie"), "captcha=") {
					b.Fatalf("status %d, Set-Cookie %q", w.StatusCode(), w.H.Get("Set-Cookie"))
				}
				b.StartTimer()
			}
		})
	}
}
