package main

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
)

func mib(b uint64) float64 { return float64(b) / (1 << 20) }

// WriteMarkdown writes the report as Markdown tables.
func (r *Report) WriteMarkdown(w io.Writer) {
	fmt.Fprintf(w, "## callveil end-to-end benchmark\n\n")
	fmt.Fprintf(w, "Traffic: %d records: %d calls (%d with transcripts), %d poison records; in-process kfake broker, %d partitions per topic, GOMAXPROCS=%d.\n\n",
		r.Traffic.Records, r.Traffic.Calls, r.Traffic.Transcripts, r.Traffic.Poison, r.Config.Partitions, r.GOMAXPROC)
	fmt.Fprintf(w, "Records by provider: %s. Transcripts by language: %s.\n\n", joinCounts(r.Traffic.Shapes), joinCounts(r.Traffic.Languages))
	fmt.Fprintf(w, "Baseline: a bare kafka-go consumer-group reader over the same records in the same process: %.0f records/s (%.0f calls/s equivalent), peak heap %.1f MiB.\n\n",
		r.Raw.RecordsPerSec(), r.Raw.CallsPerSec(), mib(r.Raw.PeakHeap))
	fmt.Fprintf(w, "| redact workers | calls/s | records/s | throughput ÷ raw consume | peak heap MiB | peak heap ÷ raw consume | run time |\n")
	fmt.Fprintf(w, "|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, m := range r.Pipeline {
		fmt.Fprintf(w, "| %d | %.0f | %.0f | %.3f | %.1f | %.2f | %s |\n", m.Workers, m.CallsPerSec(), m.RecordsPerSec(),
			m.RecordsPerSec()/r.Raw.RecordsPerSec(), mib(m.PeakHeap), float64(m.PeakHeap)/float64(max(r.Raw.PeakHeap, 1)),
			m.Elapsed.Round(1e6))
	}
	fmt.Fprintf(w, "\nRun time is from start (joining the consumer group included) to every record settled. The pipeline's clock is frozen during a run and jumps past the join TTL once every record is read and progress stalls for 25 ms, so calls without a transcript do not wait for a wall-clock TTL.")
	if r.PeakRSS > 0 {
		fmt.Fprintf(w, " Process peak RSS (VmHWM, whole benchmark incl. broker and language models): %.0f MiB.", mib(r.PeakRSS))
	}
	fmt.Fprintf(w, "\n\nCPU by stage (pprof CPU profile of the %d-worker run; each sample charged to the innermost frame that belongs to a stage):\n\n", r.Profiled)
	fmt.Fprintf(w, "| stage | share of CPU | CPU time |\n|---|---:|---:|\n")
	for _, s := range r.CPUShares {
		fmt.Fprintf(w, "| %s | %.1f%% | %s |\n", s.Stage, 100*s.Share, s.Sample.Round(1e6))
	}
}

func joinCounts(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, m[k])
	}
	return strings.Join(parts, ", ")
}

// WriteSVG plots calls/s against redact workers: a few lines of SVG, no
// plotting library.
func (r *Report) WriteSVG(w io.Writer) {
	const W, H, left, right, top, bottom = 560.0, 340.0, 70.0, 20.0, 40.0, 50.0
	maxY := 0.0
	for _, m := range r.Pipeline {
		maxY = math.Max(maxY, m.CallsPerSec())
	}
	maxY = niceCeil(maxY * 1.1)
	n := len(r.Pipeline)
	x := func(i int) float64 {
		if n == 1 {
			return left + (W-left-right)/2
		}
		return left + float64(i)*(W-left-right)/float64(n-1)
	}
	y := func(v float64) float64 { return H - bottom - v/maxY*(H-top-bottom) }
	fmt.Fprintf(w, `<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" viewBox="0 0 %.0f %.0f" font-family="sans-serif" font-size="12">`+"\n", W, H, W, H)
	fmt.Fprintf(w, `<rect width="100%%" height="100%%" fill="white"/>`+"\n")
	fmt.Fprintf(w, `<text x="%.0f" y="22" font-size="14">callveil end-to-end throughput by redact workers (%d calls)</text>`+"\n", left, r.Traffic.Calls)
	fmt.Fprintf(w, `<line x1="%.0f" y1="%.0f" x2="%.0f" y2="%.0f" stroke="black"/>`+"\n", left, H-bottom, W-right, H-bottom)
	fmt.Fprintf(w, `<line x1="%.0f" y1="%.0f" x2="%.0f" y2="%.0f" stroke="black"/>`+"\n", left, top, left, H-bottom)
	for k := 0; k <= 4; k++ {
		v := maxY * float64(k) / 4
		fmt.Fprintf(w, `<line x1="%.0f" y1="%.1f" x2="%.0f" y2="%.1f" stroke="#ddd"/><text x="%.0f" y="%.1f" text-anchor="end">%.0f</text>`+"\n",
			left, y(v), W-right, y(v), left-6, y(v)+4, v)
	}
	var pts []string
	for i, m := range r.Pipeline {
		pts = append(pts, fmt.Sprintf("%.1f,%.1f", x(i), y(m.CallsPerSec())))
		fmt.Fprintf(w, `<text x="%.1f" y="%.0f" text-anchor="middle">%d</text>`+"\n", x(i), H-bottom+18, m.Workers)
		fmt.Fprintf(w, `<circle cx="%.1f" cy="%.1f" r="4" fill="#1f77b4"/><text x="%.1f" y="%.1f" text-anchor="middle">%.0f (%.2f× raw)</text>`+"\n",
			x(i), y(m.CallsPerSec()), x(i), y(m.CallsPerSec())-10, m.CallsPerSec(), m.RecordsPerSec()/r.Raw.RecordsPerSec())
	}
	fmt.Fprintf(w, `<polyline points="%s" fill="none" stroke="#1f77b4" stroke-width="2"/>`+"\n", strings.Join(pts, " "))
	fmt.Fprintf(w, `<text x="%.0f" y="%.0f" text-anchor="middle">redact workers</text>`+"\n", left+(W-left-right)/2, H-12)
	fmt.Fprintf(w, `<text x="16" y="%.0f" transform="rotate(-90 16 %.0f)" text-anchor="middle">calls/s</text>`+"\n", top+(H-top-bottom)/2, top+(H-top-bottom)/2)
	fmt.Fprintln(w, `</svg>`)
}

func niceCeil(v float64) float64 {
	if v <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*p >= v {
			return m * p
		}
	}
	return 10 * p
}
