package geobench

import (
	_ "embed"
	"reflect"
	"runtime"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/captchaify/captchaify/tools/bench"
)

//go:embed rules_probe_src.go
var rulesProbeSource string

// rulesArgs splits bench.Rules50 into the rule values and the changes.
func rulesArgs(tb testing.TB) (reflect.Value, reflect.Value) {
	var rules []interface{}
	var changes []map[string]interface{}
	for _, e := range bench.Rules50() {
		m := e.(map[string]any)
		rules = append(rules, m["rule"])
		changes = append(changes, m["change"].(map[string]any))
	}
	if len(rules) != 50 {
		tb.Fatalf("%d rules, want 50", len(rules))
	}
	return reflect.ValueOf(rules), reflect.ValueOf(changes)
}

// rulesEval loads the plugin into Yaegi with rules_probe_src.go and returns
// the evaluation function of bench.Rules50 on a request that no rule
// matches (GET http://bench.test/page from 127.0.0.1, user agent "bench"),
// so that every rule is evaluated.
func rulesEval(tb testing.TB) reflect.Value {
	setup := probeFunc(tb, rulesProbeSource, "RuleBenchSetup")
	rules, changes := rulesArgs(tb)
	out := setup.Call([]reflect.Value{rules, changes, reflect.ValueOf("http://bench.test/page"),
		reflect.ValueOf("127.0.0.1:40000"), reflect.ValueOf("bench")})
	if e := out[1].Interface(); e != nil {
		tb.Fatal(e)
	}
	return out[0]
}

func evalRules(tb testing.TB, fn reflect.Value, n int, empty bool) {
	out := fn.Call([]reflect.Value{reflect.ValueOf(n), reflect.ValueOf(empty)})
	if got := out[0].String(); got != "allow" {
		tb.Fatalf("the rules changed the action to %q: some rule matched", got)
	}
}

// threadCPU is the CPU time of the calling OS thread
// (CLOCK_THREAD_CPUTIME_ID, nanosecond precision; getrusage's thread times
// are tick-based here): unlike wall time, it leaves out the time other
// processes hold the core. The caller locks its OS thread.
func threadCPU() time.Duration {
	var ts syscall.Timespec
	syscall.Syscall(syscall.SYS_CLOCK_GETTIME, 3, uintptr(unsafe.Pointer(&ts)), 0) // 3: CLOCK_THREAD_CPUTIME_ID
	return time.Duration(ts.Nano())
}

// TestMeasureRuleEval prints what evaluating the 50 rules of bench.Rules50
// costs inside Yaegi per request: applyRules on one request that no rule
// matches (every rule is evaluated, nothing is remembered between calls),
// called in a loop inside the interpreter, minus the same loop calling an
// empty function of the same signature. Batches are repeated and the
// fastest kept, both of wall time and of the thread's CPU time, which
// keeps most of other processes' noise out; allocations per evaluation
// come from runtime.MemStats.
//
//	cd tools && go test -count=1 -run MeasureRuleEval -v ./geobench/
func TestMeasureRuleEval(t *testing.T) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	fn := rulesEval(t)
	const batches, perBatch = 40, 400
	var best, bestCPU [2]time.Duration
	var allocs [2]float64
	for b := 0; b < batches; b++ {
		for i, empty := range []bool{false, true} {
			var ms0, ms1 runtime.MemStats
			runtime.ReadMemStats(&ms0)
			c0, w0 := threadCPU(), time.Now()
			evalRules(t, fn, perBatch, empty)
			w, c := time.Since(w0)/perBatch, (threadCPU()-c0)/perBatch
			runtime.ReadMemStats(&ms1)
			allocs[i] = float64(ms1.Mallocs-ms0.Mallocs) / perBatch
			if b == 0 || w < best[i] {
				best[i] = w
			}
			if b == 0 || c < bestCPU[i] {
				bestCPU[i] = c
			}
		}
	}
	t.Logf("yaegi: 50 rules evaluated per request in %.2f µs wall, %.2f µs thread CPU, %.0f allocations (an empty call's loop: %.2f µs, %.2f µs, %.0f allocations, subtracted)",
		us(best[0]-best[1]), us(bestCPU[0]-bestCPU[1]), allocs[0]-allocs[1], us(best[1]), us(bestCPU[1]), allocs[1])
}

func us(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }
