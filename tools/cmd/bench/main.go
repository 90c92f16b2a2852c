// Command bench measures Captchaify and writes the raw results and a summary:
//
//	bench [-out bench-results] [-rounds 5] [-duration 5s] [-threads 2] [-conns 32]
//	      [-traefik=true] [-ops=true] [-probe=true] [-optime 2s] [-floor=true]
//
// It runs wrk through one real Traefik (tools/traefiktest) on every route of
// bench.DynamicConfig, then times single operations of the plugin loaded by Yaegi
// (tools/pluginload) and compiled, then times the steps of a verified request inside
// Yaegi. scripts/bench.sh (`make bench`) builds and runs it; see BENCHMARKS.md.
// With -images it runs only the image-challenge scenario (bench/images.go).
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/captchaify/captchaify/tools/bench"
)

func main() {
	bench.MaybeWrapTraefik() // when started by traefiktest as the Traefik binary
	os.Exit(run())
}

func run() int {
	out := flag.String("out", "bench-results", "directory for the raw results (a new timestamped subdirectory)")
	rounds := flag.Int("rounds", 5, "wrk rounds over every route (median reported)")
	duration := flag.Duration("duration", 5*time.Second, "wrk duration per route and round")
	warmup := flag.Duration("warmup", 2*time.Second, "wrk warm-up per route before the rounds (0: none)")
	threads := flag.Int("threads", 2, "wrk threads")
	conns := flag.Int("conns", 32, "wrk connections")
	doTraefik := flag.Bool("traefik", true, "run wrk through Traefik")
	doOps := flag.Bool("ops", true, "time single operations (Yaegi and compiled)")
	doProbe := flag.Bool("probe", true, "time the steps of a verified request under Yaegi")
	opTime := flag.Duration("optime", 2*time.Second, "minimum timing per operation")
	probeN := flag.Int("proben", 20000, "iterations per step of the probe (5 repetitions, median)")
	floor := flag.Bool("floor", true, "add the do-nothing Yaegi plugin route (the floor) to the Traefik run")
	traefikBin := flag.String("traefik-bin", os.Getenv("CAPTCHAIFY_TRAEFIK"), "Traefik binary (default: scripts/build-traefik.sh)")
	redisOnly := flag.Bool("redis", false, "run only the Redis scenario (shared state in a real redis-server; bench/redis.go)")
	only := flag.String("routes", "", "comma-separated routes to run through Traefik besides bare (e.g. verified-rules,verified-plain); empty: all")
	imagesOnly := flag.Bool("images", false, "run only the image-challenge scenario (bench/images.go)")
	flag.Parse()

	dir := filepath.Join(*out, time.Now().UTC().Format("20060102-150405"))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	logf := func(format string, args ...any) {
		fmt.Fprintf(os.Stderr, "bench: "+format+"\n", args...)
	}
	if *imagesOnly {
		return runImages(dir, bench.ImageOptions{MinTime: *opTime, Threads: *threads, Conns: *conns, Duration: *duration,
			Warmup: *warmup, Rounds: *rounds, Traefik: *traefikBin, SkipWrk: !*doTraefik, RawDir: dir, Log: logf})
	}
	if *redisOnly {
		return runRedis(dir, bench.RedisOptions{Threads: *threads, Conns: *conns, Duration: *duration,
			Warmup: *warmup, Rounds: *rounds, Traefik: *traefikBin, RawDir: dir, Log: logf})
	}
	res := &bench.Results{Machine: bench.ThisMachine()}
	failed := false
	fail := func(what string, err error) {
		failed = true
		res.Errors = append(res.Errors, what+": "+err.Error())
		logf("%s: %v", what, err)
	}

	if *doTraefik {
		o := bench.TraefikOptions{Threads: *threads, Conns: *conns, Duration: *duration, Warmup: *warmup,
			Rounds: *rounds, Traefik: *traefikBin, RawDir: dir, Log: logf}
		if *only != "" {
			o.Only = strings.Split(*only, ",")
		}
		if *floor {
			exe, err := os.Executable()
			if err != nil {
				fail("floor route", err)
			} else {
				o.Wrapper = exe
			}
		}
		rep, err := bench.RunTraefik(o)
		if err != nil {
			fail("Traefik run", err)
		}
		res.Traefik = rep
	}
	if *doOps {
		ops, err := bench.MeasureOps(bench.OpsOptions{MinTime: *opTime, Log: logf})
		res.Ops = ops
		if err != nil {
			fail("per-op timings", err)
		}
	}
	if *doProbe {
		logf("probe: steps of a verified request under Yaegi")
		steps, err := bench.ProbeMedian(*probeN, 5)
		res.Probe = steps
		if err != nil {
			fail("probe", err)
		}
	}

	summary := res.Markdown()
	data, _ := json.MarshalIndent(res, "", "  ")
	for name, content := range map[string][]byte{"results.json": data, "summary.md": []byte(summary)} {
		if err := os.WriteFile(filepath.Join(dir, name), content, 0o644); err != nil {
			fail("writing results", err)
		}
	}
	latest := filepath.Join(*out, "latest")
	_ = os.Remove(latest)
	_ = os.Symlink(filepath.Base(dir), latest)
	fmt.Print(summary)
	fmt.Printf("\nRaw results: %s\n", dir)
	if failed {
		return 1
	}
	return 0
}

// runRedis runs the Redis scenario alone and writes redis.json and
// redis-summary.md into dir.
func runRedis(dir string, o bench.RedisOptions) int {
	rep, err := bench.RunRedis(o)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench: redis scenario:", err)
		return 1
	}
	summary := rep.Markdown()
	data, _ := json.MarshalIndent(rep, "", "  ")
	_ = os.WriteFile(filepath.Join(dir, "redis.json"), data, 0o644)
	_ = os.WriteFile(filepath.Join(dir, "redis-summary.md"), []byte(summary), 0o644)
	fmt.Print(summary)
	fmt.Printf("\nRaw results: %s\n", dir)
	return 0
}

// runImages runs the image-challenge scenario alone and writes images.json
// and images-summary.md into dir.
func runImages(dir string, o bench.ImageOptions) int {
	rep, err := bench.RunImages(o)
	if rep != nil {
		summary := rep.Markdown()
		data, _ := json.MarshalIndent(rep, "", "  ")
		_ = os.WriteFile(filepath.Join(dir, "images.json"), data, 0o644)
		_ = os.WriteFile(filepath.Join(dir, "images-summary.md"), []byte(summary), 0o644)
		fmt.Print(summary)
		fmt.Printf("\nRaw results: %s\n", dir)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench: images scenario:", err)
		return 1
	}
	return 0
}
