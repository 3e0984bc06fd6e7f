package pipeline_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

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

var testSecret = []byte("pipeline-test-secret-0123456789")

// sharedRedactor is built once: building loads language models.
var sharedRedactor = sync.OnceValues(func() (*redact.Redactor, error) { return redact.New(redact.Config{}) })

type harness struct {
	t       *testing.T
	broker  *embeddedkafka.Broker
	group   string
	outDir  string
	logs    *syncBuffer
	ttl     time.Duration
	parts   int
	timeout time.Duration
}

func newHarness(t *testing.T, partitions int) *harness {
	t.Helper()
	b, err := embeddedkafka.Start(embeddedkafka.Config{
		Topics: []string{eventsTopic, transcriptsTopic, deadLetterTopic}, Partitions: partitions,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Close)
	return &harness{t: t, broker: b, group: "test-" + t.Name(), outDir: t.TempDir(), logs: &syncBuffer{},
		ttl: 500 * time.Millisecond, parts: partitions, timeout: 60 * time.Second}
}

func (h *harness) produce(msgs []callgen.Message) {
	h.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := callgen.Produce(ctx, h.broker.Addrs(), callgen.Topics{Events: eventsTopic, Transcripts: transcriptsTopic}, msgs); err != nil {
		h.t.Fatal(err)
	}
}

func (h *harness) newPipeline(ss ...sinks.Sink) *pipeline.Pipeline {
	h.t.Helper()
	red, err := sharedRedactor()
	if err != nil {
		h.t.Fatal(err)
	}
	if len(ss) == 0 {
		ss = []sinks.Sink{h.fileSink()}
	}
	p, err := pipeline.New(pipeline.Config{
		Brokers: h.broker.Addrs(), Group: h.group,
		EventsTopic: eventsTopic, TranscriptsTopic: transcriptsTopic, DeadLetterTopic: deadLetterTopic,
		KeySecret: testSecret, Join: stages.JoinConfig{TTL: h.ttl},
		Redact: stages.RedactConfig{Redactor: red}, Sinks: ss,
		Logger:         slog.New(slog.NewTextHandler(h.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		CommitInterval: 50 * time.Millisecond, BatchLinger: 10 * time.Millisecond,
		RetryBackoff: 5 * time.Millisecond, MaxRetryBackoff: 50 * time.Millisecond,
		ShutdownTimeout: time.Second,
	})
	if err != nil {
		h.t.Fatal(err)
	}
	return p
}

func (h *harness) fileSink() *sinks.FileSink {
	h.t.Helper()
	fs, err := sinks.NewFileSink(sinks.FileSinkConfig{Dir: h.outDir})
	if err != nil {
		h.t.Fatal(err)
	}
	h.t.Cleanup(func() { fs.Close(context.Background()) })
	return fs
}

// running is a pipeline started in the background.
type running struct {
	p    *pipeline.Pipeline
	stop context.CancelFunc
	done chan error
}

func (h *harness) start(p *pipeline.Pipeline) *running {
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{p: p, stop: cancel, done: make(chan error, 1)}
	src, dls, err := p.JoinGroup()
	if err != nil {
		h.t.Fatal(err)
	}
	go func() { r.done <- p.Run(ctx, src, dls) }()
	h.t.Cleanup(func() { cancel(); <-r.done })
	return r
}

// shutdown stops the pipeline gracefully and returns Run's error.
func (r *running) shutdown() error {
	r.stop()
	err := <-r.done
	r.done <- err // for the cleanup
	return err
}

// waitFor polls cond until it holds or the harness timeout passes.
func (h *harness) waitFor(what string, cond func() bool) {
	h.t.Helper()
	deadline := time.Now().Add(h.timeout)
	for !cond() {
		if time.Now().After(deadline) {
			h.t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (h *harness) waitSettled(p *pipeline.Pipeline, records int) {
	h.t.Helper()
	h.waitFor("every record settled", func() bool {
		return p.Stats().RecordsRead.Load() >= int64(records) && p.InFlight() == 0
	})
}

// outputs reads the file sink's output, last line per call key.
//
// It may be called while the pipeline runs (waitFor): the file sink writes
// through a buffer that can empty mid-line, so a last line without its
// newline is still being written and is left for the next call. Every
// complete line must parse.
func (h *harness) outputs() map[string]map[string]any {
	h.t.Helper()
	b, err := os.ReadFile(filepath.Join(h.outDir, "calls.jsonl"))
	if err != nil {
		h.t.Fatal(err)
	}
	b = b[:bytes.LastIndexByte(b, '\n')+1]
	out := map[string]map[string]any{}
	for line := range bytes.Lines(b) {
		var m map[string]any
		if err := json.Unmarshal(line, &m); err != nil {
			h.t.Fatal(err)
		}
		out[m["call_key"].(string)] = m
	}
	return out
}

// rawOutput is every byte the file sink wrote.
func (h *harness) rawOutput() []byte {
	b, _ := os.ReadFile(filepath.Join(h.outDir, "calls.jsonl"))
	return b
}

// deadLetters reads the whole dead-letter topic.
func (h *harness) deadLetters() []kafka.Message {
	h.t.Helper()
	var out []kafka.Message
	for part := 0; part < h.parts; part++ {
		r := kafka.NewReader(kafka.ReaderConfig{Brokers: h.broker.Addrs(), Topic: deadLetterTopic, Partition: part, MaxWait: 50 * time.Millisecond})
		conn, err := kafka.DialLeader(context.Background(), "tcp", h.broker.Addrs()[0], deadLetterTopic, part)
		if err != nil {
			h.t.Fatal(err)
		}
		last, _ := conn.ReadLastOffset()
		conn.Close()
		for i := int64(0); i < last; i++ {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			m, err := r.ReadMessage(ctx)
			cancel()
			if err != nil {
				h.t.Fatal(err)
			}
			out = append(out, m)
		}
		r.Close()
	}
	return out
}

// committed returns the group's committed offset per topic/partition.
func (h *harness) committed() map[string]map[int]int64 {
	h.t.Helper()
	parts := make([]int, h.parts)
	for i := range parts {
		parts[i] = i
	}
	c := &kafka.Client{Addr: kafka.TCP(h.broker.Addrs()...)}
	res, err := c.OffsetFetch(context.Background(), &kafka.OffsetFetchRequest{GroupID: h.group,
		Topics: map[string][]int{eventsTopic: parts, transcriptsTopic: parts}})
	if err != nil {
		h.t.Fatal(err)
	}
	out := map[string]map[int]int64{}
	for topic, ps := range res.Topics {
		out[topic] = map[int]int64{}
		for _, p := range ps {
			out[topic][p.Partition] = p.CommittedOffset
		}
	}
	return out
}

func (h *harness) endOffsets() map[string]map[int]int64 {
	h.t.Helper()
	out := map[string]map[int]int64{}
	for _, topic := range []string{eventsTopic, transcriptsTopic} {
		out[topic] = map[int]int64{}
		for part := 0; part < h.parts; part++ {
			conn, err := kafka.DialLeader(context.Background(), "tcp", h.broker.Addrs()[0], topic, part)
			if err != nil {
				h.t.Fatal(err)
			}
			last, err := conn.ReadLastOffset()
			conn.Close()
			if err != nil {
				h.t.Fatal(err)
			}
			out[topic][part] = last
		}
	}
	return out
}

func callKey(c *callgen.CallTruth) string {
	return stages.CallKey(testSecret, c.Provider, c.CallID)
}

// keptFields are the only keys a redacted call may have.
var keptFields = map[string]bool{"call_key": true, "from": true, "to": true, "start": true, "duration_s": true,
	"direction": true, "status": true, "language": true, "transcript": true, "redactions": true}

func TestPipelineMixedTrafficOneMinimisedOutputPerCall(t *testing.T) {
	h := newHarness(t, 3)
	traffic, err := callgen.Generate(callgen.Config{Seed: 7, Calls: 60, Poison: 11})
	if err != nil {
		t.Fatal(err)
	}
	h.produce(traffic.Messages)
	p := h.newPipeline()
	r := h.start(p)
	h.waitSettled(p, len(traffic.Messages))
	if err := r.shutdown(); err != nil {
		t.Fatal(err)
	}

	outs := h.outputs()
	if len(outs) != len(traffic.Calls) {
		t.Errorf("outputs = %d, calls = %d", len(outs), len(traffic.Calls))
	}
	if got := p.Stats().CallsDelivered.Load(); got < int64(len(traffic.Calls)) {
		t.Errorf("delivered %d < %d calls", got, len(traffic.Calls))
	}
	for _, c := range traffic.Calls {
		out, ok := outs[callKey(c)]
		if !ok {
			t.Errorf("call %d (%s) missing from output", c.Index, c.Provider)
			continue
		}
		for k := range out {
			if !keptFields[k] {
				t.Errorf("call %d: field %q survived minimisation", c.Index, k)
			}
		}
		if out["from"] != c.From || out["to"] != c.To {
			t.Errorf("call %d (%s): numbers %v→%v, want %s→%s", c.Index, c.Provider, out["from"], out["to"], c.From, c.To)
		}
		if got := int64(out["duration_s"].(float64)); got != c.DurationSeconds {
			t.Errorf("call %d (%s): duration %d, want %d", c.Index, c.Provider, got, c.DurationSeconds)
		}
		if out["direction"] != string(c.Direction) || out["status"] != string(c.Status) {
			t.Errorf("call %d (%s): %v/%v, want %s/%s", c.Index, c.Provider, out["direction"], out["status"], c.Direction, c.Status)
		}
		if start, _ := time.Parse(time.RFC3339Nano, out["start"].(string)); !start.Equal(c.Start) {
			t.Errorf("call %d (%s): start %v, want %v", c.Index, c.Provider, out["start"], c.Start)
		}
		if (c.Transcript != nil) != (out["transcript"] != nil) {
			t.Errorf("call %d: transcript present=%v, want %v", c.Index, out["transcript"] != nil, c.Transcript != nil)
		}
	}

	// Every poison record is one dead letter with its reason; no payload.
	dls := h.deadLetters()
	if len(dls) != len(traffic.Poison) {
		t.Errorf("dead letters = %d, poison = %d", len(dls), len(traffic.Poison))
	}
	want := map[stages.Reason]int{}
	for _, pz := range traffic.Poison {
		want[pz.Reason]++
	}
	got := map[stages.Reason]int{}
	for _, m := range dls {
		var dl pipeline.DeadLetter
		if err := json.Unmarshal(m.Value, &dl); err != nil {
			t.Fatal(err)
		}
		got[dl.Reason]++
	}
	for reason, n := range want {
		if got[reason] != n {
			t.Errorf("reason %s: %d dead letters, want %d (all: %v)", reason, got[reason], n, got)
		}
	}

	// All offsets committed, to the end of each partition.
	committed, end := h.committed(), h.endOffsets()
	for topic, parts := range end {
		for part, last := range parts {
			if committed[topic][part] != last && last > 0 {
				t.Errorf("%s/%d committed %d, end %d", topic, part, committed[topic][part], last)
			}
		}
	}
}

func TestPipelineRestartMidStreamLosesNothing(t *testing.T) {
	h := newHarness(t, 3)
	traffic, err := callgen.Generate(callgen.Config{Seed: 11, Calls: 80, Poison: 5})
	if err != nil {
		t.Fatal(err)
	}
	h.produce(traffic.Messages)
	p1 := h.newPipeline()
	r1 := h.start(p1)
	h.waitFor("some calls delivered", func() bool { return p1.Stats().CallsDelivered.Load() >= 20 })
	if err := r1.shutdown(); err != nil {
		t.Fatal(err)
	}
	if p1.Stats().CallsDelivered.Load() >= int64(len(traffic.Calls)) {
		t.Log("first run finished everything before the restart; the restart still must not duplicate")
	}
	p2 := h.newPipeline()
	r2 := h.start(p2)
	h.waitFor("all calls out", func() bool { return len(h.outputs()) == len(traffic.Calls) && p2.InFlight() == 0 })
	if err := r2.shutdown(); err != nil {
		t.Fatal(err)
	}
	outs := h.outputs()
	for _, c := range traffic.Calls {
		if _, ok := outs[callKey(c)]; !ok {
			t.Errorf("call %d lost across the restart", c.Index)
		}
	}
	// Dead letters may repeat for records re-read after the restart, but
	// none may be missing.
	if n := len(h.deadLetters()); n < len(traffic.Poison) {
		t.Errorf("dead letters = %d, want ≥ %d", n, len(traffic.Poison))
	}
}

// flakySink fails every write while failing is set.
type flakySink struct {
	failing atomic.Bool
	writes  atomic.Int64
	inner   sinks.Sink
}

func (s *flakySink) Name() string { return "flaky" }
func (s *flakySink) Write(ctx context.Context, b []stages.RedactedCall) error {
	s.writes.Add(1)
	if s.failing.Load() {
		return errors.New("sink unavailable")
	}
	return s.inner.Write(ctx, b)
}
func (s *flakySink) Close(ctx context.Context) error { return nil }

func TestPipelineFailingSinkKeepsOffsetsUncommitted(t *testing.T) {
	h := newHarness(t, 1)
	traffic, err := callgen.Generate(callgen.Config{Seed: 3, Calls: 10, TranscriptShare: -1})
	if err != nil {
		t.Fatal(err)
	}
	h.produce(traffic.Messages)
	sink := &flakySink{inner: h.fileSink()}
	sink.failing.Store(true)
	p := h.newPipeline(sink)
	r := h.start(p)
	h.waitFor("all read and retried", func() bool {
		return p.Stats().RecordsRead.Load() >= int64(len(traffic.Messages)) && sink.writes.Load() >= 3
	})
	time.Sleep(200 * time.Millisecond) // several commit intervals
	if err := r.shutdown(); err != nil {
		t.Fatal(err)
	}
	for topic, parts := range h.committed() {
		for part, off := range parts {
			if off > 0 {
				t.Errorf("%s/%d committed %d while the sink failed", topic, part, off)
			}
		}
	}
	// The records come back to the next run, which delivers them.
	sink.failing.Store(false)
	p2 := h.newPipeline(sink)
	r2 := h.start(p2)
	h.waitSettled(p2, len(traffic.Messages))
	if err := r2.shutdown(); err != nil {
		t.Fatal(err)
	}
	if got := len(h.outputs()); got != len(traffic.Calls) {
		t.Fatalf("after recovery %d calls out, want %d", got, len(traffic.Calls))
	}
}

func TestPipelineSlowRecordHoldsBackCommit(t *testing.T) {
	h := newHarness(t, 1)
	h.ttl = time.Hour // the slow call waits for its transcript
	traffic, err := callgen.Generate(callgen.Config{Seed: 5, Calls: 12, TranscriptShare: 1})
	if err != nil {
		t.Fatal(err)
	}
	// Hold back the transcript of the first call: its events stay
	// unfinished in the join while every later call completes.
	slow := traffic.Calls[0]
	var first, held []callgen.Message
	for _, m := range traffic.Messages {
		if m.Call == slow && m.Topic == callgen.KindTranscripts {
			held = append(held, m)
		} else {
			first = append(first, m)
		}
	}
	if len(held) == 0 {
		t.Fatal("generator gave the first call no transcript")
	}
	// Calls with a transcript complete now, and unanswered calls at their
	// end; answered calls without a transcript would wait for the TTL.
	complete := 0
	for _, c := range traffic.Calls[1:] {
		switch {
		case c.Transcript != nil:
			complete++
		case c.Status == stages.StatusNoAnswer, c.Status == stages.StatusBusy,
			c.Status == stages.StatusCanceled, c.Status == stages.StatusFailed:
			complete++
		}
	}
	h.produce(first)
	p := h.newPipeline()
	r := h.start(p)
	h.waitFor("later calls delivered", func() bool {
		return p.Stats().CallsDelivered.Load() == int64(complete)
	})
	time.Sleep(200 * time.Millisecond)
	// With one partition, the event records are in produce order: the
	// first record of the slow call bounds the commit.
	var eventIdx int64
	for _, m := range first {
		if m.Topic != callgen.KindEvents {
			continue
		}
		if m.Call == slow {
			break
		}
		eventIdx++
	}
	if got := h.committed()[eventsTopic][0]; got > eventIdx {
		t.Fatalf("committed %d, past the unfinished record at %d", got, eventIdx)
	}
	h.produce(held)
	h.waitFor("the slow call delivered", func() bool {
		return p.Stats().CallsDelivered.Load() == int64(complete+1)
	})
	time.Sleep(200 * time.Millisecond)
	if err := r.shutdown(); err != nil {
		t.Fatal(err)
	}
	// The commit moved past the slow call's records, up to the first
	// record of a call still waiting for its TTL.
	if got := h.committed()[eventsTopic][0]; got <= eventIdx {
		t.Fatalf("after the slow call finished, commit stayed at %d", got)
	}
}

func TestPipelineCanariesNeverLeave(t *testing.T) {
	h := newHarness(t, 3)
	traffic, err := callgen.Generate(callgen.Config{Seed: 13, Calls: 40, Poison: 11, Canary: true})
	if err != nil {
		t.Fatal(err)
	}
	h.produce(traffic.Messages)
	p := h.newPipeline()
	r := h.start(p)
	h.waitSettled(p, len(traffic.Messages))
	if err := r.shutdown(); err != nil {
		t.Fatal(err)
	}
	var dl bytes.Buffer
	for _, m := range h.deadLetters() {
		dl.Write(m.Key)
		dl.Write(m.Value)
		for _, hd := range m.Headers {
			dl.Write(hd.Value)
		}
	}
	places := map[string][]byte{"output": h.rawOutput(), "dead letters": dl.Bytes(), "logs": h.logs.Bytes()}
	canaries := traffic.Canaries()
	if len(canaries) < 100 {
		t.Fatalf("only %d canaries generated", len(canaries))
	}
	for _, c := range canaries {
		for where, b := range places {
			if bytes.Contains(b, []byte(c.Value)) {
				t.Errorf("canary of %s found in %s", c.Field, where)
			}
		}
	}
	// Raw provider call ids never leave either.
	for _, c := range traffic.Calls {
		for where, b := range places {
			if len(c.CallID) > 5 && bytes.Contains(b, []byte(c.CallID)) {
				t.Errorf("provider call id of call %d found in %s", c.Index, where)
			}
		}
	}
	if !strings.Contains(h.logs.String(), "dead letter written") {
		t.Error("debug logs were not captured; the log search proves nothing")
	}
}

// syncBuffer is a bytes.Buffer safe for the logger's concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) Bytes() []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return bytes.Clone(s.b.Bytes())
}

func (s *syncBuffer) String() string { return string(s.Bytes()) }
