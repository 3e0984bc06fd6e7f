package redactspeed

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/callveil/callveil/redact"
)

func heapInUse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

// rssKB reads the resident set size (VmRSS) and its peak (VmHWM).
func rssKB() (rss, peak int64) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return -1, -1
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		for _, k := range []string{"VmRSS:", "VmHWM:"} {
			if strings.HasPrefix(line, k) {
				v, _ := strconv.ParseInt(strings.Fields(line)[1], 10, 64)
				if k == "VmRSS:" {
					rss = v
				} else {
					peak = v
				}
			}
		}
	}
	return rss, peak
}

// TestRedactorMemory builds a Redactor for all seven languages in a fresh
// child process (so nothing else in the test binary counts) and checks its
// resident memory against the 150 MB budget, for the default
// low-accuracy detector. It also reports the high-accuracy figure and the
// build times; time is reported, not asserted.
func TestRedactorMemory(t *testing.T) {
	if mode := os.Getenv("REDACTSPEED_CHILD"); mode != "" {
		childMeasure(mode)
		return
	}
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc/self/status")
	}
	for _, mode := range []string{"low", "high"} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestRedactorMemory$")
		cmd.Env = append(os.Environ(), "REDACTSPEED_CHILD="+mode)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("child: %v", err)
		}
		var rss, peak, base int64
		var build float64
		for _, line := range strings.Split(string(out), "\n") {
			if strings.HasPrefix(line, "MEASURE ") {
				fmt.Sscanf(line, "MEASURE rss=%d peak=%d base=%d build=%f", &rss, &peak, &base, &build)
			}
		}
		if rss <= 0 {
			t.Fatalf("no measurement from child: %q", out)
		}
		t.Logf("%s accuracy: RSS %.1f MB (peak %.1f MB, process before New %.1f MB), build %.2fs",
			mode, float64(rss)/1024, float64(peak)/1024, float64(base)/1024, build)
		if mode == "low" && peak > 150*1024 {
			t.Errorf("default redactor peak RSS %.1f MB exceeds 150 MB", float64(peak)/1024)
		}
	}
}

func childMeasure(mode string) {
	cfg := redact.Config{}
	if mode == "high" {
		cfg.Detection = redact.DetectHighAccuracy
	}
	base, _ := rssKB()
	t0 := time.Now()
	r, err := redact.New(cfg)
	if err != nil {
		fmt.Println("ERROR", err)
		return
	}
	build := time.Since(t0).Seconds()
	// Use it once so lazily touched pages count.
	for _, c := range Calls() {
		r.RedactCall(c, "auto", redact.Hints{})
	}
	runtime.GC()
	rss, peak := rssKB()
	fmt.Printf("MEASURE rss=%d peak=%d base=%d build=%f\n", rss, peak, base, build)
}
