package bench

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// CPU accounting from /proc (Linux; elsewhere everything reads as zero). The machine
// is shared, so throughput alone is noisy: the CPU time Traefik spends per request
// is steadier, and the CPU other processes took during a run says how noisy it was.

// clockTick is USER_HZ, the unit of /proc's CPU times (100 on every Linux port).
const clockTick = 100

func jiffies(n int64) time.Duration { return time.Duration(n) * time.Second / clockTick }

// machineBusy is the CPU time all cores spent not idle since boot.
func machineBusy() time.Duration {
	data, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0
	}
	line, _, _ := strings.Cut(string(data), "\n")
	f := strings.Fields(line)
	if len(f) < 8 || f[0] != "cpu" {
		return 0
	}
	var busy int64
	// user nice system idle iowait irq softirq steal: user, nice, system and
	// steal (the hypervisor's other guests). Interrupts are left out: the
	// loopback traffic of the benchmark itself is processed there.
	for _, i := range []int{1, 2, 3, 8} {
		if i < len(f) {
			v, _ := strconv.ParseInt(f[i], 10, 64)
			busy += v
		}
	}
	return jiffies(busy)
}

// processCPU is the user+system CPU time of process pid ("self" for this one).
func processCPU(pid string) time.Duration {
	data, err := os.ReadFile(filepath.Join("/proc", pid, "stat"))
	if err != nil {
		return 0
	}
	s := string(data)
	// The command name (field 2) may hold spaces; it ends at the last ')'.
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(s[i+1:])
	// f[0] is field 3 (state); utime and stime are fields 14 and 15.
	if len(f) < 13 {
		return 0
	}
	u, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return jiffies(u + st)
}

// findProcess returns the pid of the process whose command line contains needle,
// or "".
func findProcess(needle string) string {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return ""
	}
	for _, e := range entries {
		if _, err := strconv.Atoi(e.Name()); err != nil {
			continue
		}
		cmdline, err := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		if err == nil && strings.Contains(string(cmdline), needle) {
			return e.Name()
		}
	}
	return ""
}

// cpuSnapshot holds the counters read before and after a run.
type cpuSnapshot struct {
	busy, traefik, self time.Duration
	at                  time.Time
}

func takeSnapshot(traefikPid string) cpuSnapshot {
	s := cpuSnapshot{busy: machineBusy(), self: processCPU("self"), at: time.Now()}
	if traefikPid != "" {
		s.traefik = processCPU(traefikPid)
	}
	return s
}
