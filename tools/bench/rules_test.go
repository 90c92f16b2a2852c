package bench

import (
	"fmt"
	"net/http"
	"testing"
	"time"
)

// BenchmarkRules50 times requests with and without the 50 rules of Rules50
// (none matches, so every rule is evaluated): a client without a pass on an
// allow route (the full pipeline), and a verified visitor (cookie) on a
// fight route (the fast path). The difference is what the rules cost.
//
//	cd tools && go test -run '^$' -bench Rules50 -benchtime 2s ./bench/
func BenchmarkRules50(b *testing.B) {
	token, err := ClearanceToken()
	if err != nil {
		b.Fatal(err)
	}
	for _, mode := range modes {
		for _, visitor := range []string{"allow", "verified"} {
			for _, withRules := range []bool{false, true} {
				name := mode + "/" + visitor + "/no-rules"
				cfg := PluginConfig("allow", 2)
				var req *http.Request
				if visitor == "allow" {
					req = ChallengeGet("/page")
				} else {
					cfg = PluginConfig("fight", 2)
					req = VerifiedRequest(token, "/page")
				}
				if withRules {
					name = mode + "/" + visitor + "/50-rules"
					cfg["rules"] = Rules50()
				}
				mode := mode
				b.Run(name, func(b *testing.B) {
					next := &NopNext{}
					h, err := handlers(b, mode).Plugin(next, cfg, "b-rules-"+name)
					if err != nil {
						b.Fatal(err)
					}
					benchPass(b, h, next, req)
				})
			}
		}
	}
}

// TestMeasureRules prints what 50 rules cost per request, robust to a busy
// machine: batches with and without rules alternate, and the fastest batch
// of each (the one least disturbed by other processes) is compared.
//
//	cd tools && go test -run MeasureRules -v ./bench/
func TestMeasureRules(t *testing.T) {
	token, err := ClearanceToken()
	if err != nil {
		t.Fatal(err)
	}
	const batches, perBatch = 60, 200
	for _, mode := range modes {
		for _, visitor := range []string{"allow", "verified"} {
			var hs [2]http.Handler
			var nexts [2]*NopNext
			var req *http.Request
			for i, withRules := range []bool{false, true} {
				cfg := PluginConfig("allow", 2)
				req = ChallengeGet("/page")
				if visitor == "verified" {
					cfg = PluginConfig("fight", 2)
					req = VerifiedRequest(token, "/page")
				}
				if withRules {
					cfg["rules"] = Rules50()
				}
				nexts[i] = &NopNext{}
				h, err := handlers(t, mode).Plugin(nexts[i], cfg, fmt.Sprintf("m-rules-%s-%s-%v", mode, visitor, withRules))
				if err != nil {
					t.Fatal(err)
				}
				hs[i] = h
			}
			w := &Writer{}
			var best [2]time.Duration
			for b := 0; b < batches; b++ {
				for i := range hs {
					start := time.Now()
					for n := 0; n < perBatch; n++ {
						w.Reset()
						hs[i].ServeHTTP(w, req)
					}
					d := time.Since(start) / perBatch
					if b == 0 || d < best[i] {
						best[i] = d
					}
				}
			}
			if nexts[0].Calls != batches*perBatch || nexts[1].Calls != batches*perBatch {
				t.Fatalf("%s/%s: not every request reached the backend: %d, %d", mode, visitor, nexts[0].Calls, nexts[1].Calls)
			}
			t.Logf("%-8s %-8s no rules %8.2f µs   50 rules %8.2f µs   rules cost %8.2f µs",
				mode, visitor, us(best[0]), us(best[1]), us(best[1]-best[0]))
		}
	}
}

func us(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }
