// Package reprocess_bench measures how `callveil reprocess` throughput
// scales with --workers: the same generated traffic, read from a .jsonl
// file by pipeline.FileSource through every stage (parse, join, minimise,
// redact) into a sink, with 1 and with 2 parse/redact workers, in the same
// process. The result is a ratio, never a wall-clock threshold.
//
//	go test -run '^$' -bench . -benchtime 5x ./bench/reprocess/
//
// --workers N caps the process at N cores (GOMAXPROCS) and runs N parse
// and N redact workers; the benchmark does the same. The speedup can only
// approach 2 when two cores are free for the benchmark; on a shared
// machine, read it together with the machine's load.
package reprocess_bench

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/callveil/callveil/internal/callgen"
	"github.com/callveil/callveil/pipeline"
	"github.com/callveil/callveil/redact"
	"github.com/callveil/callveil/sinks"
	"github.com/callveil/callveil/stages"
)

// benchCalls is enough traffic that start and end effects (the join's
// flush, the last batch) are small against the steady state.
const benchCalls = 600

// countingSink accepts every call and counts it: the benchmark measures
// the pipeline's CPU work, not a disk's fsync latency or an API's pace.
type countingSink struct{ n atomic.Int64 }

func (s *countingSink) Name() string { return "count" }
func (s *countingSink) Write(_ context.Context, batch []stages.RedactedCall) error {
	s.n.Add(int64(len(batch)))
	return nil
}
func (s *countingSink) Close(context.Context) error { return nil }

// discardDeadLetters drops dead letters (the traffic has none).
type discardDeadLetters struct{}

func (discardDeadLetters) WriteDeadLetters(context.Context, []pipeline.DeadLetter) error { return nil }
func (discardDeadLetters) Close() error                                                  { return nil }

type fixture struct {
	input string
	calls int
	red   *redact.Redactor
}

func newFixture(b *testing.B) *fixture {
	b.Helper()
	traffic, err := callgen.Generate(callgen.Config{Seed: 42, Calls: benchCalls})
	if err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	if err := callgen.WriteReprocessJSONL(&buf, slices.Values(traffic.Messages)); err != nil {
		b.Fatal(err)
	}
	input := filepath.Join(b.TempDir(), "traffic.jsonl")
	if err := os.WriteFile(input, buf.Bytes(), 0o600); err != nil {
		b.Fatal(err)
	}
	red, err := redact.New(redact.Config{})
	if err != nil {
		b.Fatal(err)
	}
	f := &fixture{input: input, calls: len(traffic.Calls), red: red}
	f.run(b, 2) // warm up: lazily loaded models, page cache
	return f
}

// run reprocesses the input once with the given workers and returns how
// long it took. Like `callveil reprocess --workers N`, it runs on N cores
// (GOMAXPROCS) with N parse and N redact workers.
func (f *fixture) run(b *testing.B, workers int) time.Duration {
	b.Helper()
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(workers))
	sink := &countingSink{}
	p, err := pipeline.New(pipeline.Config{
		KeySecret: []byte("reprocess-bench-secret-0123456789"),
		Join:      stages.JoinConfig{TTL: 5 * time.Minute},
		Redact:    stages.RedactConfig{Redactor: f.red},
		Sinks:     []sinks.Sink{sink}, DeadLetters: discardDeadLetters{},
		ParseWorkers: workers, RedactWorkers: workers,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	src, err := pipeline.NewFileSource(context.Background(), pipeline.FileSourceConfig{Input: f.input})
	if err != nil {
		b.Fatal(err)
	}
	if err := p.Run(context.Background(), src, discardDeadLetters{}); err != nil {
		b.Fatal(err)
	}
	took := time.Since(start)
	if got := sink.n.Load(); got < int64(f.calls) {
		b.Fatalf("delivered %d calls, want %d", got, f.calls)
	}
	return took
}

// BenchmarkReprocessWorkers runs 1 and 2 workers alternately in each
// iteration (so background load hits both alike) and reports calls/s for
// each and their ratio.
func BenchmarkReprocessWorkers(b *testing.B) {
	f := newFixture(b)
	var one, two time.Duration
	b.ResetTimer()
	for range b.N {
		one += f.run(b, 1)
		two += f.run(b, 2)
	}
	n := float64(b.N * f.calls)
	b.ReportMetric(n/one.Seconds(), "calls/s-1worker")
	b.ReportMetric(n/two.Seconds(), "calls/s-2workers")
	b.ReportMetric(one.Seconds()/two.Seconds(), "speedup-2v1")
}

// BenchmarkReprocess reports calls/s per worker count on its own.
func BenchmarkReprocess(b *testing.B) {
	f := newFixture(b)
	for _, w := range []int{1, 2} {
		b.Run(map[int]string{1: "workers=1", 2: "workers=2"}[w], func(b *testing.B) {
			var total time.Duration
			for range b.N {
				total += f.run(b, w)
			}
			b.ReportMetric(float64(b.N*f.calls)/total.Seconds(), "calls/s")
		})
	}
}
