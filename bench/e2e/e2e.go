// Command e2e is callveil's end-to-end benchmark: realistic traffic (every
// provider's events, every transcript format, seven languages, some poison)
// is produced to an in-process Kafka-protocol broker (kfake), then consumed
// twice in the same process: once by a bare kafka-go consumer-group reader
// (the baseline: what reading alone costs) and once per worker count by the
// whole pipeline. Throughput and peak heap are reported as ratios to the
// baseline, CPU per stage from a pprof CPU profile of one pipeline run.
//
//	go run ./bench/e2e                       # full run, writes bench/e2e/out/
//	go run ./bench/e2e -short                # CI size (< 60 s)
//	go test -run TestE2EShort ./bench/e2e    # the same, as a test
package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime"
	"runtime/pprof"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/pprof/profile"
	"github.com/segmentio/kafka-go"

	"github.com/callveil/callveil/internal/callgen"
	"github.com/callveil/callveil/internal/embeddedkafka"
	"github.com/callveil/callveil/pipeline"
	"github.com/callveil/callveil/redact"
	"github.com/callveil/callveil/sinks"
	"github.com/callveil/callveil/stages"
)

const (
	eventsTopic      = "calls.events"
	transcriptsTopic = "calls.transcripts"
	deadLetterTopic  = "calls.deadletter"
)

var benchSecret = []byte("e2e-bench-secret-0123456789abcdef")

// Config sizes a run.
type Config struct {
	// Calls generated (default 2000); Poison records mixed in (default 1%).
	Calls, Poison int
	// Workers are the RedactWorkers values to measure (default 1, 2, 4, 8).
	Workers []int
	// Partitions per input topic (default 6).
	Partitions int
	// ProfileWorkers is the worker count whose run is CPU-profiled
	// (default: the largest).
	ProfileWorkers int
	// CPUProfile, when set, also receives the raw CPU profile of the
	// profiled run (for go tool pprof).
	CPUProfile io.Writer
	// JoinTTL of the pipeline (default 50ms). The pipeline's clock is
	// frozen during a run, so nothing expires early however unevenly the
	// partitions are read; once every record is read and progress stalls,
	// the clock jumps past the TTL, so calls that will never get a
	// transcript go out at once instead of after a wall-clock wait that
	// would dominate a short run.
	JoinTTL time.Duration
	Seed    int64
}

// Short is the CI configuration: well under a minute on two cores.
func Short() Config { return Config{Calls: 300, Workers: []int{1, 2}} }

func (c *Config) defaults() {
	if c.Calls == 0 {
		c.Calls = 2000
	}
	if c.Poison == 0 {
		c.Poison = max(c.Calls/100, 11)
	}
	if len(c.Workers) == 0 {
		c.Workers = []int{1, 2, 4, 8}
	}
	if c.Partitions == 0 {
		c.Partitions = 6
	}
	if c.ProfileWorkers == 0 {
		c.ProfileWorkers = c.Workers[len(c.Workers)-1]
	}
	if c.JoinTTL == 0 {
		c.JoinTTL = 50 * time.Millisecond
	}
	if c.Seed == 0 {
		c.Seed = 1
	}
}

// Measurement is one consumer's run over the whole traffic.
type Measurement struct {
	Name     string
	Workers  int
	Records  int
	Calls    int // calls delivered (raw: calls in the traffic)
	Elapsed  time.Duration
	PeakHeap uint64 // bytes, sampled every 10 ms
}

// RecordsPerSec is the read-to-settled rate.
func (m Measurement) RecordsPerSec() float64 { return float64(m.Records) / m.Elapsed.Seconds() }

// CallsPerSec is calls per second.
func (m Measurement) CallsPerSec() float64 { return float64(m.Calls) / m.Elapsed.Seconds() }

// Report is the outcome of a run.
type Report struct {
	Config    Config
	Traffic   TrafficMix
	Raw       Measurement
	Pipeline  []Measurement
	CPUShares []Share // of the profiled run, largest first
	Profiled  int
	PeakRSS   uint64 // the process's peak resident set (VmHWM), bytes; 0 if unknown
	GOMAXPROC int
}

// TrafficMix describes what was produced.
type TrafficMix struct {
	Records, Calls, Poison, Transcripts int
	Shapes                              map[string]int
	Languages                           map[string]int
}

// Share is one stage's part of the CPU samples.
type Share struct {
	Stage  string
	Share  float64
	Sample time.Duration
}

// Run produces the traffic and measures every consumer.
func Run(ctx context.Context, cfg Config, progress io.Writer) (*Report, error) {
	cfg.defaults()
	if progress == nil {
		progress = io.Discard
	}
	broker, err := embeddedkafka.Start(embeddedkafka.Config{
		Topics: []string{eventsTopic, transcriptsTopic, deadLetterTopic}, Partitions: cfg.Partitions})
	if err != nil {
		return nil, err
	}
	defer broker.Close()
	traffic, err := callgen.Generate(callgen.Config{Seed: cfg.Seed, Calls: cfg.Calls, Poison: cfg.Poison})
	if err != nil {
		return nil, err
	}
	rep := &Report{Config: cfg, Traffic: mixOf(traffic), GOMAXPROC: runtime.GOMAXPROCS(0)}
	fmt.Fprintf(progress, "e2e: producing %d records (%d calls, %d transcripts, %d poison)\n",
		rep.Traffic.Records, rep.Traffic.Calls, rep.Traffic.Transcripts, rep.Traffic.Poison)
	if err := produce(ctx, broker.Addrs(), traffic.Messages); err != nil {
		return nil, err
	}
	// The redactor is built once, outside every measurement: building it
	// loads language models, a start-up cost, not a per-record one.
	red, err := redact.New(redact.Config{})
	if err != nil {
		return nil, err
	}

	fmt.Fprintln(progress, "e2e: raw kafka-go consume")
	rep.Raw, err = measureRaw(ctx, broker.Addrs(), len(traffic.Messages))
	if err != nil {
		return nil, err
	}
	rep.Raw.Calls = len(traffic.Calls)
	for i, w := range cfg.Workers {
		// A nil *bytes.Buffer in an io.Writer would not be a nil Writer.
		var prof *bytes.Buffer
		var profW io.Writer
		if w == cfg.ProfileWorkers {
			prof = &bytes.Buffer{}
			profW = prof
		}
		fmt.Fprintf(progress, "e2e: pipeline, %d redact worker(s)\n", w)
		m, err := measurePipeline(ctx, broker.Addrs(), fmt.Sprintf("e2e-%d", i), w, cfg.JoinTTL, red, len(traffic.Messages), profW)
		if err != nil {
			return nil, err
		}
		rep.Pipeline = append(rep.Pipeline, m)
		if prof != nil {
			rep.Profiled = w
			if cfg.CPUProfile != nil {
				cfg.CPUProfile.Write(prof.Bytes())
			}
			if rep.CPUShares, err = stageShares(prof); err != nil {
				return nil, err
			}
		}
	}
	rep.PeakRSS = peakRSS()
	return rep, nil
}

func mixOf(t *callgen.Traffic) TrafficMix {
	mix := TrafficMix{Records: len(t.Messages), Calls: len(t.Calls), Poison: len(t.Poison),
		Shapes: map[string]int{}, Languages: map[string]int{}}
	for _, m := range t.Messages {
		mix.Shapes[strings.SplitN(m.Shape, "/", 2)[0]]++
	}
	for _, c := range t.Calls {
		if c.Transcript != nil {
			mix.Transcripts++
			mix.Languages[c.Language]++
		}
	}
	return mix
}

func produce(ctx context.Context, brokers []string, msgs []callgen.Message) error {
	w := &kafka.Writer{Addr: kafka.TCP(brokers...), Balancer: &kafka.Hash{},
		BatchTimeout: 2 * time.Millisecond, BatchSize: 1000, BatchBytes: 64 << 20, RequiredAcks: kafka.RequireAll}
	defer w.Close()
	return w.WriteMessages(ctx, callgen.Topics{Events: eventsTopic, Transcripts: transcriptsTopic}.KafkaMessages(msgs)...)
}

// heapWatch samples the live heap every 10 ms until stopped.
type heapWatch struct {
	peak atomic.Uint64
	stop chan struct{}
	wg   sync.WaitGroup
}

func watchHeap() *heapWatch {
	runtime.GC()
	h := &heapWatch{stop: make(chan struct{})}
	h.wg.Add(1)
	go func() {
		defer h.wg.Done()
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapAlloc > h.peak.Load() {
				h.peak.Store(ms.HeapAlloc)
			}
			select {
			case <-h.stop:
				return
			case <-t.C:
			}
		}
	}()
	return h
}

func (h *heapWatch) done() uint64 {
	close(h.stop)
	h.wg.Wait()
	return h.peak.Load()
}

// measureRaw reads every record with a kafka-go consumer-group reader
// configured like the pipeline's source, doing nothing with them.
func measureRaw(ctx context.Context, brokers []string, records int) (Measurement, error) {
	hw := watchHeap()
	start := time.Now()
	r := kafka.NewReader(kafka.ReaderConfig{Brokers: brokers, GroupID: "e2e-raw",
		GroupTopics: []string{eventsTopic, transcriptsTopic}, MinBytes: 1, MaxBytes: 16 << 20,
		MaxWait: 250 * time.Millisecond, StartOffset: kafka.FirstOffset,
		GroupBalancers:    []kafka.GroupBalancer{pipeline.CoPartitionBalancer{}},
		HeartbeatInterval: time.Second, SessionTimeout: 10 * time.Second, RebalanceTimeout: 10 * time.Second,
		ReadBackoffMin: 10 * time.Millisecond, ReadBackoffMax: 500 * time.Millisecond})
	defer r.Close()
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	var n int
	var sink int
	for n < records {
		m, err := r.FetchMessage(ctx)
		if err != nil {
			return Measurement{}, fmt.Errorf("raw consume: %w", err)
		}
		sink += len(m.Value)
		n++
	}
	el := time.Since(start)
	_ = sink
	return Measurement{Name: "raw kafka-go consume", Records: n, Elapsed: el, PeakHeap: hw.done()}, nil
}

// jumpClock is the pipeline's clock in a benchmark run: frozen, except for
// the jumps the harness makes.
type jumpClock struct {
	base time.Time
	skew atomic.Int64
}

func (c *jumpClock) now() time.Time       { return c.base.Add(time.Duration(c.skew.Load())) }
func (c *jumpClock) jump(d time.Duration) { c.skew.Add(int64(d)) }

// countingSink accepts every call and counts them; it stands in for a
// real sink so the run measures callveil, not a disk or a server.
type countingSink struct{ calls atomic.Int64 }

func (s *countingSink) Name() string { return "file" }
func (s *countingSink) Write(_ context.Context, b []stages.RedactedCall) error {
	s.calls.Add(int64(len(b)))
	return nil
}
func (s *countingSink) Close(context.Context) error { return nil }

var _ sinks.Sink = (*countingSink)(nil)

func measurePipeline(ctx context.Context, brokers []string, group string, workers int, ttl time.Duration,
	red *redact.Redactor, records int, prof io.Writer) (Measurement, error) {
	sink := &countingSink{}
	clk := &jumpClock{base: time.Now()}
	p, err := pipeline.New(pipeline.Config{
		Now:     clk.now,
		Brokers: brokers, Group: group,
		EventsTopic: eventsTopic, TranscriptsTopic: transcriptsTopic, DeadLetterTopic: deadLetterTopic,
		KeySecret: benchSecret, Join: stages.JoinConfig{TTL: ttl},
		Redact: stages.RedactConfig{Redactor: red}, Sinks: []sinks.Sink{sink},
		RedactWorkers: workers, CommitInterval: 200 * time.Millisecond,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		return Measurement{}, err
	}
	hw := watchHeap()
	if prof != nil {
		if err := pprof.StartCPUProfile(prof); err != nil {
			return Measurement{}, err
		}
	}
	src, dls, err := p.JoinGroup()
	if err != nil {
		return Measurement{}, err
	}
	start := time.Now()
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- p.Run(runCtx, src, dls) }()
	deadline := time.After(10 * time.Minute)
	t := time.NewTicker(5 * time.Millisecond)
	defer t.Stop()
	var waitErr error
	var lastSettled, stalledFor int
wait:
	for {
		select {
		case <-t.C:
			read, inflight := p.Stats().RecordsRead.Load(), p.InFlight()
			if read >= int64(records) && inflight == 0 {
				break wait
			}
			// Everything read and no progress for 25 ms: what is left waits
			// in the join for a half that will not come. Expire it now.
			settled := int(read) - inflight
			if read >= int64(records) && settled == lastSettled {
				stalledFor++
				if stalledFor == 5 {
					clk.jump(time.Hour)
					stalledFor = 0
				}
			} else {
				stalledFor = 0
			}
			lastSettled = settled
		case err := <-done:
			done <- err
			waitErr = fmt.Errorf("pipeline stopped early: %v", err)
			break wait
		case <-deadline:
			waitErr = errors.New("pipeline did not settle within 10 minutes")
			break wait
		}
	}
	el := time.Since(start)
	if prof != nil {
		pprof.StopCPUProfile()
	}
	stop()
	runErr := <-done
	peak := hw.done()
	if waitErr != nil {
		return Measurement{}, waitErr
	}
	if runErr != nil {
		return Measurement{}, runErr
	}
	return Measurement{Name: "pipeline", Workers: workers, Records: records, Calls: int(sink.calls.Load()),
		Elapsed: el, PeakHeap: peak}, nil
}

// stageOf maps a function name to the stage its samples are charged to;
// "" means "look further up the stack" (standard library, helpers).
// Stacks are read leaf first, so json.Unmarshal called by a parser counts
// as parsing and regexp called by the redactor as redaction.
func stageOf(fn string) string {
	const cv = "github.com/callveil/callveil/"
	switch {
	case strings.HasPrefix(fn, "github.com/twmb/franz-go"):
		return "broker (kfake, in-process; not callveil)"
	case strings.HasPrefix(fn, "github.com/pemistahl/lingua-go"):
		return "language detection"
	case strings.HasPrefix(fn, cv+"redact"):
		return "redact"
	case strings.HasPrefix(fn, cv+"stages.(*Join") || strings.HasPrefix(fn, cv+"stages.CallKey"):
		return "join"
	case strings.HasPrefix(fn, cv+"stages.(*MinimizeMetadata") || strings.HasPrefix(fn, cv+"stages.(*CallFacts"),
		strings.HasPrefix(fn, cv+"stages.(*PrepareCall"):
		// PrepareCall's own frames are the merge loop around Minimize.
		return "minimize"
	case strings.HasPrefix(fn, cv+"stages.(*RedactTranscript"):
		return "redact"
	case strings.HasPrefix(fn, cv+"stages"):
		return "parse"
	case strings.HasPrefix(fn, cv+"sinks"), strings.HasPrefix(fn, "main.(*countingSink"):
		return "sink"
	case strings.HasPrefix(fn, "github.com/segmentio/kafka-go"):
		return "kafka client (fetch, commit, dead letters)"
	case strings.HasPrefix(fn, cv+"pipeline"):
		return "pipeline plumbing"
	case strings.HasPrefix(fn, "runtime.gcBgMarkWorker"), strings.HasPrefix(fn, "runtime.bgsweep"),
		strings.HasPrefix(fn, "runtime.bgscavenge"):
		return "garbage collector"
	case strings.HasPrefix(fn, "main."):
		return "benchmark harness"
	}
	return ""
}

// stageShares reads a CPU profile and charges each sample to a stage.
func stageShares(prof *bytes.Buffer) ([]Share, error) {
	p, err := profile.Parse(prof)
	if err != nil {
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	vi := len(p.SampleType) - 1 // cpu nanoseconds
	for i, st := range p.SampleType {
		if st.Type == "cpu" {
			vi = i
		}
	}
	byStage := map[string]int64{}
	var total int64
	for _, s := range p.Sample {
		v := s.Value[vi]
		total += v
		stage := ""
	stack:
		for _, loc := range s.Location {
			// Inlined frames come first in Line, innermost first.
			for _, ln := range loc.Line {
				if ln.Function == nil {
					continue
				}
				if stage = stageOf(ln.Function.Name); stage != "" {
					break stack
				}
			}
		}
		if stage == "" {
			stage = "runtime and other"
		}
		byStage[stage] += v
	}
	var out []Share
	for st, v := range byStage {
		out = append(out, Share{Stage: st, Share: float64(v) / float64(max(total, 1)), Sample: time.Duration(v)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Share > out[j].Share })
	return out, nil
}

// peakRSS reads the process's high-water resident set from /proc (Linux).
func peakRSS() uint64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			f := strings.Fields(line)
			if len(f) >= 2 {
				kb, _ := strconv.ParseUint(f[1], 10, 64)
				return kb << 10
			}
		}
	}
	return 0
}
