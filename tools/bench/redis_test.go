package bench

import (
	"net/http"
	"testing"

	"github.com/captchaify/captchaify/tools/redistest"
)

// The verified visitor's request with rate limits on, state in memory and
// in a real redis-server, against the same request with limits off
// (BENCHMARKS.md, "Shared state in Redis"):
//
//	go test -run '^$' -bench 'RedisVerified' -benchtime 1s -count 3 ./bench/
//
// allocs/op and cpu-ns/op (process CPU, the background flusher included)
// are the figures to compare on a busy machine.
func BenchmarkRedisVerified(b *testing.B) {
	token, err := ClearanceToken()
	if err != nil {
		b.Fatal(err)
	}
	srv := redistest.Start(b, redistest.Options{})
	cases := []struct {
		name  string
		rate  int
		redis bool
	}{
		{"limits-off", 0, false},
		{"memory", 1000000000, false},
		{"redis", 1000000000, true},
	}
	for _, mode := range modes {
		h := handlers(b, mode)
		for _, tc := range cases {
			tc := tc
			b.Run(mode+"/"+tc.name, func(b *testing.B) {
				cfg := PluginConfig("fight", 2)
				if tc.rate > 0 {
					cfg["defaultRateLimit"] = tc.rate
					cfg["defaultMaxRateLimit"] = tc.rate
				}
				if tc.redis {
					cfg["redis"] = map[string]any{"address": srv.Addr, "timeout": RedisTimeoutMs, "keyPrefix": "gobench:"}
				}
				next := &NopNext{}
				handler, err := h.Plugin(next, cfg, "bench-redis-"+mode+"-"+tc.name)
				if err != nil {
					b.Fatal(err)
				}
				req := VerifiedRequest(token, "/page")
				w := &Writer{}
				for i := 0; i < 2; i++ { // the second one takes the fast path
					w.Reset()
					handler.ServeHTTP(w, req)
				}
				if w.StatusCode() != http.StatusOK || next.Calls != 2 {
					b.Fatalf("status %d, next called %d times", w.StatusCode(), next.Calls)
				}
				b.ReportAllocs()
				cpu0 := selfCPU()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					w.Reset()
					handler.ServeHTTP(w, req)
				}
				b.StopTimer()
				b.ReportMetric(float64(selfCPU()-cpu0)/float64(b.N), "cpu-ns/op")
				if next.Calls != b.N+2 {
					b.Fatalf("next called %d times for %d requests", next.Calls, b.N+2)
				}
			})
		}
	}
}
