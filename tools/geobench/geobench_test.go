// Package geobench measures the offline geo lookups (BENCHMARKS.md, "Client
// intelligence"): a cold and a cached .mmdb lookup under Yaegi, timed inside
// the interpreter, and whole requests whose rule reads country_code, compiled
// and under Yaegi, with a new address per request (cold) or one address
// (cached), against the same rule with no database configured.
//
//	cd tools && go test -run '^$' -bench . -benchtime 20000x ./geobench/
package geobench

import (
	"context"
	_ "embed"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/captchaify/captchaify/tools/mmdbtest"
	"github.com/captchaify/captchaify/tools/pluginload"
	"github.com/traefik/yaegi/interp"
	"github.com/traefik/yaegi/stdlib"
)

//go:embed probe_src.go
var probeSource string

// BenchmarkMMDBLookupYaegi times geoDatabase.lookup inside Yaegi on the real
// GeoLite2 City database: ns/lookup is the figure.
func BenchmarkMMDBLookupYaegi(b *testing.B) {
	fn := probe(b)
	path := mmdbtest.Real(b, "GeoLite2-City.mmdb")
	var seed uint32 = 1
	// Load the file (once per interpreter) before any timing.
	if out := fn.Call([]reflect.Value{reflect.ValueOf(path), reflect.ValueOf(1),
		reflect.ValueOf("cached"), reflect.ValueOf(seed)}); out[2].Interface() != nil {
		b.Fatal(out[2].Interface())
	}
	for _, mode := range []string{"cold", "known-record", "cached"} {
		b.Run(mode, func(b *testing.B) {
			seed += 0x9e3779b9 // a new set of addresses: cold stays cold
			cpu0 := cpuTime()
			out := fn.Call([]reflect.Value{reflect.ValueOf(path), reflect.ValueOf(b.N),
				reflect.ValueOf(mode), reflect.ValueOf(seed)})
			cpu := cpuTime() - cpu0
			if e := out[2].Interface(); e != nil {
				b.Fatal(e)
			}
			if mode == "cached" && out[1].String() != "SE" {
				b.Fatalf("cached lookup answered %q, want SE", out[1].String())
			}
			b.ReportMetric(float64(out[0].Int())/float64(b.N), "ns/lookup")
			// The process's CPU time per lookup (the call's setup included):
			// on a shared machine, wall time also counts waiting for a core.
			b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
		})
	}
}

// cpuTime is the process's user and system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// probe loads the plugin and probe_src.go into one interpreter, as Traefik
// loads the plugin, and returns GeoBenchLookups.
func probe(b *testing.B) reflect.Value {
	return probeFunc(b, probeSource, "GeoBenchLookups")
}

// probeFunc loads the plugin with source (a file of package captchaify) into
// one interpreter, as Traefik loads the plugin, and returns the function fn.
func probeFunc(b testing.TB, source, fn string) reflect.Value {
	b.Helper()
	root, err := pluginload.PluginRoot()
	if err != nil {
		b.Fatal(err)
	}
	module, err := pluginload.ModuleName(root)
	if err != nil {
		b.Fatal(err)
	}
	goPath := b.TempDir()
	src := filepath.Join(goPath, "src", filepath.FromSlash(module))
	if err := copySources(root, src); err != nil {
		b.Fatal(err)
	}
	body := strings.Replace(source, "//go:build ignore\n", "", 1)
	if err := os.WriteFile(filepath.Join(src, "zz_geobench_probe.go"), []byte(body), 0o644); err != nil {
		b.Fatal(err)
	}
	i := interp.New(interp.Options{GoPath: goPath, Env: os.Environ(), Stdout: io.Discard, Stderr: io.Discard})
	if err := i.Use(stdlib.Symbols); err != nil {
		b.Fatal(err)
	}
	if _, err := i.Eval(`import "` + module + `"`); err != nil {
		b.Fatal(err)
	}
	f, err := i.Eval(filepath.Base(module) + "." + fn)
	if err != nil {
		b.Fatal(err)
	}
	return f
}

func copySources(root, dst string) error {
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
		case e.IsDir() && name == "assets":
			if err := os.CopyFS(filepath.Join(dst, name), os.DirFS(filepath.Join(root, name))); err != nil {
				return err
			}
		case e.Type().IsRegular() && (strings.HasSuffix(name, ".go") && !strings.HasSuffix(name, "_test.go") ||
			name == "go.mod" || name == ".traefik.yml"):
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

// BenchmarkGeoRequest times whole requests through ServeHTTP whose rule
// reads country_code: the difference to "no-database" is the lookup's share.
func BenchmarkGeoRequest(b *testing.B) {
	city := mmdbtest.Real(b, "GeoLite2-City.mmdb")
	root, err := pluginload.PluginRoot()
	if err != nil {
		b.Fatal(err)
	}
	yaegi, err := pluginload.Shared(root)
	if err != nil {
		b.Fatal(err)
	}
	factories := []struct {
		name string
		f    pluginload.Factory
	}{{"compiled", pluginload.Compiled()}, {"yaegi", yaegi}}
	var seq int64
	for _, fac := range factories {
		for _, mode := range []string{"no-database", "cached", "cold"} {
			b.Run(fac.name+"/"+mode, func(b *testing.B) {
				cfg := map[string]any{
					"secret":              "geobench-secret-0123456789abcdefghij",
					"defaultAction":       "allow",
					"defaultRateLimit":    0,
					"defaultMaxRateLimit": 0,
					"thirdParties":        "none",
					"logLevel":            "error",
					"rules": []any{map[string]any{"rule": "country_code == ZZ", // never matches: every request passes
						"change": map[string]any{"action": "fight"}}},
				}
				if mode != "no-database" {
					cfg["geoipDatabase"] = city
				}
				name := fmt.Sprintf("geobench-%d", atomic.AddInt64(&seq, 1))
				h, err := fac.f.New(context.Background(), http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}), cfg, name)
				if err != nil {
					b.Fatal(err)
				}
				reqs := make([]*http.Request, b.N)
				base := uint32(atomic.AddInt64(&seq, 1)) * 0x9e3779b9
				for i := range reqs {
					r := httptest.NewRequest(http.MethodGet, "/page", nil)
					r.Header.Set("User-Agent", "Mozilla/5.0 geobench")
					v := base + uint32(i)*2654435761
					if mode != "cold" {
						v = 0x08080808 // 8.8.8.8
					}
					r.RemoteAddr = fmt.Sprintf("%d.%d.%d.%d:40000", byte(v>>24), byte(v>>16), byte(v>>8), byte(v))
					reqs[i] = r
				}
				w := httptest.NewRecorder()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					h.ServeHTTP(w, reqs[i])
				}
			})
		}
	}
}

// TestMeasureGeoLookups prints the .mmdb lookup figures robustly on a busy
// machine: many short batches of each kind, each batch on new addresses
// (cold: the records forgotten too), and the fastest batch kept, of wall
// time inside the interpreter and of the thread's CPU time around it.
//
//	cd tools && go test -count=1 -run MeasureGeoLookups -v ./geobench/
func TestMeasureGeoLookups(t *testing.T) {
	fn := probeFunc(t, probeSource, "GeoBenchLookups")
	path := mmdbtest.Real(t, "GeoLite2-City.mmdb")
	var seed uint32 = 7
	call := func(n int, mode string) time.Duration {
		seed += 0x9e3779b9
		out := fn.Call([]reflect.Value{reflect.ValueOf(path), reflect.ValueOf(n),
			reflect.ValueOf(mode), reflect.ValueOf(seed)})
		if e := out[2].Interface(); e != nil {
			t.Fatal(e)
		}
		if mode == "cached" && out[1].String() != "SE" {
			t.Fatalf("cached lookup answered %q, want SE", out[1].String())
		}
		return time.Duration(out[0].Int())
	}
	call(1, "cached") // load the file once
	const batches, perBatch = 25, 400
	for _, mode := range []string{"cold", "known-record", "cached"} {
		var best time.Duration
		for b := 0; b < batches; b++ {
			w := call(perBatch, mode)
			if b == 0 || w < best {
				best = w
			}
		}
		t.Logf("%-12s %8.2f µs per lookup (fastest of %d batches of %d)", mode, us(best/perBatch), batches, perBatch)
	}
}
