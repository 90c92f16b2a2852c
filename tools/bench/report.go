package bench

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"
)

// Targets of the issue, on a 2-core machine.
const (
	TargetVerifiedRatio  = 0.85 // verified pass-through ≥ 0.85 × bare requests/s
	TargetChallengePages = 300  // text challenge pages/s through Traefik
	TargetRenderMs       = 3.0  // one text challenge rendered under Yaegi, ms
)

// Machine describes where the figures were measured.
type Machine struct {
	NumCPU    int    `json:"numCPU"`
	CPUModel  string `json:"cpuModel"`
	MemTotal  string `json:"memTotal"`
	GoVersion string `json:"goVersion"`
	Kernel    string `json:"kernel"`
	Date      string `json:"date"`
	// Plugin is the repository's commit, with "+dirty" when the plugin's own
	// files (outside tools/) have uncommitted changes.
	Plugin string `json:"plugin"`
}

// ThisMachine reads /proc for the CPU model, RAM and kernel.
func ThisMachine() Machine {
	m := Machine{NumCPU: runtime.NumCPU(), GoVersion: runtime.Version(), Date: time.Now().UTC().Format(time.RFC3339)}
	if data, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(data), "\n") {
			if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPUModel = strings.TrimSpace(v)
				break
			}
		}
	}
	if data, err := os.ReadFile("/proc/meminfo"); err == nil {
		for _, l := range strings.Split(string(data), "\n") {
			if v, ok := strings.CutPrefix(l, "MemTotal:"); ok {
				var kb int64
				fmt.Sscanf(strings.TrimSpace(v), "%d", &kb)
				m.MemTotal = fmt.Sprintf("%.1f GiB", float64(kb)/(1<<20))
			}
		}
	}
	if data, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Kernel = strings.TrimSpace(string(data))
	}
	if out, err := exec.Command("git", "rev-parse", "--short", "HEAD").Output(); err == nil {
		m.Plugin = strings.TrimSpace(string(out))
		st, _ := exec.Command("git", "status", "--porcelain", "--", ":/", ":(exclude,top)tools", ":(exclude,top)bench-results").Output()
		if strings.TrimSpace(string(st)) != "" {
			m.Plugin += "+dirty"
		}
	}
	return m
}

// Results is everything one `make bench` measured.
type Results struct {
	Machine Machine        `json:"machine"`
	Traefik *TraefikReport `json:"traefik,omitempty"`
	Ops     []Op           `json:"ops,omitempty"`
	Probe   *ProbeResult   `json:"probe,omitempty"`
	Errors  []string       `json:"errors,omitempty"`
}

func (r *Results) op(name, mode string) *Op {
	for i := range r.Ops {
		if r.Ops[i].Name == name && r.Ops[i].Mode == mode {
			return &r.Ops[i]
		}
	}
	return nil
}

func met(ok bool) string {
	if ok {
		return "met"
	}
	return "NOT met"
}

// Markdown renders the summary tables.
func (r *Results) Markdown() string {
	var b strings.Builder
	m := r.Machine
	fmt.Fprintf(&b, "## Machine\n\n%d CPUs, %s, %s RAM, %s, Linux %s, %s, plugin at commit %s\n", m.NumCPU, m.CPUModel, m.MemTotal, m.GoVersion, m.Kernel, m.Date, m.Plugin)
	if t := r.Traefik; t != nil {
		fmt.Fprintf(&b, "Traefik: %s; %s\n", t.TraefikVer, t.WrkVersion)
		fmt.Fprintf(&b, "Load average before/after the wrk runs: %s / %s\n", t.LoadBefore, t.LoadAfter)
		fmt.Fprintf(&b, "\n## Through Traefik (wrk; median of the rounds)\n\n`%s`\n\n", t.Command)
		b.WriteString("| route | requests/s | × bare | p50 ms | p99 ms | Traefik CPU µs/req | CPU-based × bare | bytes/resp | others' CPU | rounds (req/s) |\n")
		b.WriteString("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n")
		for _, rt := range t.Routes {
			var rounds []string
			for _, x := range rt.RoundRPS {
				rounds = append(rounds, fmt.Sprintf("%.0f", x))
			}
			fmt.Fprintf(&b, "| %s | %.0f | %.3f | %.2f | %.2f | %.0f | %.3f | %.0f | %.0f%% | %s |\n",
				rt.Label, rt.RPS, rt.VsBare, rt.P50Ms, rt.P99Ms, rt.TraefikUsPerReq, rt.CPUVsBare, rt.BytesPerReq, rt.OtherCPUPct, strings.Join(rounds, ", "))
		}
		b.WriteString("\nrequests/s, p50, p99: medians of the rounds; × bare: median of the rounds' ratios; " +
			"Traefik CPU µs/req: Traefik's CPU time per request; CPU-based × bare: bare's CPU per request (Traefik + backend + wrk) " +
			"over the route's; others' CPU: share of all cores that other processes on the machine took during the runs.\n")
		if len(t.RoundRatios) > 0 {
			fmt.Fprintf(&b, "\nverified / bare per round: %s\n", joinRatios(t.RoundRatios))
		}
		if len(t.RulesRatios) > 0 {
			fmt.Fprintf(&b, "\nwith 50 rules / without (verified-rules / verified-plain) per round: %s; median %.3f, lower in %d of %d rounds\n",
				joinRatios(t.RulesRatios), Median(t.RulesRatios), countBelow(t.RulesRatios, 1), len(t.RulesRatios))
		}
		for _, w := range t.Warnings {
			fmt.Fprintf(&b, "\nWARNING: %s\n", w)
		}
		if len(t.PluginErrors) > 0 {
			fmt.Fprintf(&b, "\nWARNING: Traefik logged plugin errors:\n%s\n", strings.Join(t.PluginErrors, "\n"))
		}
	}
	if len(r.Ops) > 0 {
		b.WriteString("\n## Per operation, one goroutine (ServeHTTP on httptest requests)\n\n")
		b.WriteString("| operation | Yaegi mean | Yaegi p50 | compiled mean | Yaegi/compiled | Yaegi ops/s | Yaegi allocs/op | n (Yaegi) |\n")
		b.WriteString("|---|---:|---:|---:|---:|---:|---:|---:|\n")
		var names []string
		seen := map[string]bool{}
		for _, op := range r.Ops {
			if !seen[op.Name] {
				seen[op.Name] = true
				names = append(names, op.Name)
			}
		}
		for _, name := range names {
			y, c := r.op(name, "yaegi"), r.op(name, "compiled")
			cell := func(op *Op, p50 bool) string {
				if op == nil {
					return "–"
				}
				v := op.MeanNs
				if p50 {
					if op.P50Ns == 0 {
						return "–"
					}
					v = op.P50Ns
				}
				return fmtNs(v)
			}
			ratio, perSec, n, allocs := "–", "–", "–", "–"
			if y != nil && c != nil && c.MeanNs > 0 {
				ratio = fmt.Sprintf("%.0f×", y.MeanNs/c.MeanNs)
			}
			if y != nil {
				perSec = fmt.Sprintf("%.0f", y.PerSec)
				n = fmt.Sprint(y.N)
				if y.Allocs > 0 {
					allocs = fmt.Sprintf("%.0f (%.1f KB)", y.Allocs, y.Bytes/1024)
				}
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s | %s |\n", name, cell(y, false), cell(y, true), cell(c, false), ratio, perSec, allocs, n)
		}
	}
	if r.Probe != nil && len(r.Probe.Steps) > 0 {
		b.WriteString("\n## Verified path under Yaegi, step by step (inside the interpreter, loop overhead included)\n\n```\n")
		for _, s := range r.Probe.Steps {
			fmt.Fprintf(&b, "%-52s %9s\n", s.Name, fmtNs(s.Ns))
		}
		b.WriteString("```\n")
	}
	if r.Probe != nil && len(r.Probe.Whole) > 0 {
		b.WriteString("\nWhole verified requests under Yaegi, called from compiled code:\n\n")
		for _, s := range r.Probe.Whole {
			fmt.Fprintf(&b, "- %s: %s\n", s.Name, fmtNs(s.Ns))
		}
	}
	b.WriteString("\n## Targets\n\n")
	if t := r.Traefik; t != nil {
		if v, bare := t.Route("verified"), t.Route("bare"); v != nil && bare != nil {
			fmt.Fprintf(&b, "- verified pass-through ≥ %.2f × bare: %.3f (%.0f / %.0f req/s; CPU-based %.3f) — %s\n",
				TargetVerifiedRatio, v.VsBare, v.RPS, bare.RPS, v.CPUVsBare, met(v.VsBare >= TargetVerifiedRatio))
		}
		if n := t.Route("noop"); n != nil {
			fmt.Fprintf(&b, "  (floor: do-nothing Yaegi plugin %.3f × bare; CPU-based %.3f)\n", n.VsBare, n.CPUVsBare)
		}
		if len(t.RulesRatios) > 0 {
			fmt.Fprintf(&b, "- verified visitor unchanged (within noise) with 50 rules and both databases: with / without per round, median %.3f, lower in %d of %d rounds\n",
				Median(t.RulesRatios), countBelow(t.RulesRatios, 1), len(t.RulesRatios))
		}
		if c := t.Route("challenge"); c != nil {
			fmt.Fprintf(&b, "- ≥ %d text challenge pages/s through Traefik: %.0f — %s\n", TargetChallengePages, c.RPS, met(c.RPS >= TargetChallengePages))
		}
	}
	for h := 1; h <= 3; h++ {
		if y := r.op(fmt.Sprintf("challenge render h%d", h), "yaegi"); y != nil {
			fmt.Fprintf(&b, "- one text challenge (hardness %d) rendered in ≤ %.0f ms under Yaegi: mean %.2f ms, p50 %.2f ms — %s\n",
				h, TargetRenderMs, y.MeanNs/1e6, y.P50Ns/1e6, met(y.MeanNs/1e6 <= TargetRenderMs))
		}
	}
	for _, e := range r.Errors {
		fmt.Fprintf(&b, "\nERROR: %s\n", e)
	}
	return b.String()
}

func fmtNs(ns float64) string {
	switch {
	case ns >= 1e6:
		return fmt.Sprintf("%.2f ms", ns/1e6)
	case ns >= 1e3:
		return fmt.Sprintf("%.1f µs", ns/1e3)
	}
	return fmt.Sprintf("%.0f ns", ns)
}

func joinRatios(xs []float64) string {
	var ss []string
	for _, x := range xs {
		ss = append(ss, fmt.Sprintf("%.3f", x))
	}
	return strings.Join(ss, ", ")
}

func countBelow(xs []float64, limit float64) int {
	n := 0
	for _, x := range xs {
		if x < limit {
			n++
		}
	}
	return n
}
