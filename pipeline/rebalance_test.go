package pipeline_test

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/callveil/callveil/internal/callgen"
	"github.com/callveil/callveil/pipeline"
	"github.com/callveil/callveil/sinks"
	"github.com/callveil/callveil/stages"
)

// upsertSink stores calls as HubSpot does with a unique key property: the
// last write of a call key wins. Several pipelines may share one.
type upsertSink struct {
	mu     sync.Mutex
	last   map[string]stages.RedactedCall
	writes map[string]int
	// everWithTranscript records calls written with a transcript at least once.
	everWithTranscript map[string]bool
	// complete records calls written complete (not Provisional) at least once.
	complete map[string]bool
}

func newUpsertSink() *upsertSink {
	return &upsertSink{last: map[string]stages.RedactedCall{}, writes: map[string]int{}, everWithTranscript: map[string]bool{}, complete: map[string]bool{}}
}

func (s *upsertSink) Name() string { return "file" }

func (s *upsertSink) Write(_ context.Context, batch []stages.RedactedCall) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range batch {
		s.last[c.Key] = c
		s.writes[c.Key]++
		if len(c.Transcript) > 0 {
			s.everWithTranscript[c.Key] = true
		}
		if !c.Provisional {
			s.complete[c.Key] = true
		}
	}
	return nil
}

// completeCalls is the number of calls written complete at least once.
func (s *upsertSink) completeCalls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.complete)
}

func (s *upsertSink) Close(context.Context) error { return nil }

func (s *upsertSink) calls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.last)
}

// A second instance joins the group while the first holds calls in its
// join waiting for their transcripts, which then go to whichever instance
// owns their partition after the rebalance. The first instance must drop,
// not emit at their TTL, the calls of the partitions it lost: the new
// owner reads them again with their transcripts, and an upsert of the
// first instance's incomplete version would overwrite the complete one.
// Every call with a transcript ends with it in the sink.
func TestPipelineScaleOutMidJoinKeepsEveryTranscript(t *testing.T) {
	h := newHarness(t, 4)
	// Long enough for the rebalance and the transcripts to come well
	// within it; a call expiring before would prove nothing.
	h.ttl = 5 * time.Second
	traffic, err := callgen.Generate(callgen.Config{Seed: 21, Calls: 48, TranscriptShare: 1})
	if err != nil {
		t.Fatal(err)
	}
	var events, transcripts []callgen.Message
	for _, m := range traffic.Messages {
		if m.Topic == callgen.KindTranscripts {
			transcripts = append(transcripts, m)
		} else {
			events = append(events, m)
		}
	}
	withTranscript := 0
	for _, c := range traffic.Calls {
		if c.Transcript != nil {
			withTranscript++
		}
	}
	if len(transcripts) == 0 || withTranscript < len(traffic.Calls)/2 {
		t.Fatalf("generator gave %d transcripts for %d calls", len(transcripts), len(traffic.Calls))
	}

	sink := newUpsertSink()
	h.produce(events)
	p1 := h.newPipeline(sink)
	r1 := h.start(p1)
	h.waitFor("the first instance to read every event", func() bool {
		return p1.Stats().RecordsRead.Load() >= int64(len(events))
	})
	// Every call goes out at its end; only unanswered calls (no transcript
	// will come) complete: every answered call goes out provisionally and
	// waits in the join for its transcript.
	unanswered := 0
	for _, c := range traffic.Calls {
		switch c.Status {
		case stages.StatusNoAnswer, stages.StatusBusy, stages.StatusCanceled, stages.StatusFailed:
			unanswered++
		}
	}
	h.waitFor("every call out at its end", func() bool { return sink.calls() == len(traffic.Calls) && sink.completeCalls() >= unanswered })
	if n := sink.completeCalls(); n != unanswered {
		t.Fatalf("%d calls out complete before any transcript or TTL, want only the %d unanswered", n, unanswered)
	}

	// Scale out while every call waits in the first instance's join.
	p2 := h.newPipeline(sink)
	r2 := h.start(p2)
	h.waitFor("the rebalance to reach the first instance's join", func() bool { return p1.Stats().CallsDropped.Load() > 0 })
	h.waitFor("the new instance to read its partitions' events", func() bool { return p2.Stats().RecordsRead.Load() > 0 })
	h.produce(transcripts)

	// Done when every call is out and neither instance holds anything: a
	// call the first instance kept for a lost partition would be in flight
	// until its TTL, and be written then.
	h.waitFor("every call out and nothing in flight", func() bool {
		read := p1.Stats().RecordsRead.Load() + p2.Stats().RecordsRead.Load()
		return sink.calls() == len(traffic.Calls) && read >= int64(len(traffic.Messages)) &&
			p1.InFlight() == 0 && p2.InFlight() == 0
	})
	if err := r1.shutdown(); err != nil {
		t.Fatal(err)
	}
	if err := r2.shutdown(); err != nil {
		t.Fatal(err)
	}

	if p2.Stats().CallsDelivered.Load() == 0 {
		t.Error("the new instance delivered nothing: no partition moved")
	}
	t.Logf("first instance dropped %d pending calls; delivered %d + %d", p1.Stats().CallsDropped.Load(),
		p1.Stats().CallsDelivered.Load(), p2.Stats().CallsDelivered.Load())
	sink.mu.Lock()
	defer sink.mu.Unlock()
	if len(sink.last) != len(traffic.Calls) {
		t.Errorf("sink holds %d calls for %d generated", len(sink.last), len(traffic.Calls))
	}
	for _, c := range traffic.Calls {
		key := callKey(c)
		got, ok := sink.last[key]
		switch {
		case !ok:
			t.Errorf("call %d (%s) never delivered", c.Index, c.Provider)
		case c.Transcript != nil && len(got.Transcript) == 0 && sink.everWithTranscript[key]:
			t.Errorf("call %d (%s): delivered with its transcript, then overwritten without it (%d writes)", c.Index, c.Provider, sink.writes[key])
		case c.Transcript != nil && len(got.Transcript) == 0:
			t.Errorf("call %d (%s): never delivered with its transcript", c.Index, c.Provider)
		case c.Transcript == nil && len(got.Transcript) > 0:
			t.Errorf("call %d (%s): transcript out of nowhere", c.Index, c.Provider)
		}
	}
	// Both instances committed what they owned at the end, up to the end.
	committed, end := h.committed(), h.endOffsets()
	for topic, parts := range end {
		for part, last := range parts {
			if last > 0 && committed[topic][part] != last {
				t.Errorf("%s/%d committed %d, end %d", topic, part, committed[topic][part], last)
			}
		}
	}
}

// scriptedGroupSource is a Source with the contract of KafkaGroupSource
// (records and revocation notices in one order, a count of ended
// generations), driven by the test.
type scriptedGroupSource struct {
	items   chan any // stages.Record or *pipeline.PartitionsRevoked
	ended   atomic.Uint64
	mu      sync.Mutex
	commits []pipeline.Commit
}

// Fetch hands out one item a call.
func (s *scriptedGroupSource) Fetch(ctx context.Context, buf []stages.Record) (pipeline.Fetched, error) {
	select {
	case <-ctx.Done():
		return pipeline.Fetched{}, ctx.Err()
	case it := <-s.items:
		if n, ok := it.(*pipeline.PartitionsRevoked); ok {
			return pipeline.Fetched{Revoked: n}, nil
		}
		buf[0] = it.(stages.Record)
		return pipeline.Fetched{N: 1}, nil
	}
}

func (s *scriptedGroupSource) Settle(_ context.Context, st pipeline.Settlement) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.commits = append(s.commits, st.Commits...)
	return nil
}

func (s *scriptedGroupSource) Ends(context.Context) (map[pipeline.TopicPartition]pipeline.PartitionEnd, error) {
	return nil, nil
}

func (s *scriptedGroupSource) Features() pipeline.Features {
	return pipeline.Features{Rebalances: true}
}
func (s *scriptedGroupSource) Progress() pipeline.Progress { return pipeline.Progress{} }
func (s *scriptedGroupSource) Close() error                { return nil }
func (s *scriptedGroupSource) GenerationsEnded() uint64    { return s.ended.Load() }

type nopDeadLetters struct{}

func (nopDeadLetters) WriteDeadLetters(context.Context, []pipeline.DeadLetter) error { return nil }
func (nopDeadLetters) Close() error                                                  { return nil }

// From the end of a generation until its revocations are handled, no call
// expires; then the calls of revoked partitions are dropped (never
// emitted, never committed) and the others expire as usual.
func TestPipelineHoldsExpiryDuringRebalanceAndDropsRevokedCalls(t *testing.T) {
	const ttl = 150 * time.Millisecond
	traffic, err := callgen.Generate(callgen.Config{Seed: 5, Calls: 12, TranscriptShare: 1})
	if err != nil {
		t.Fatal(err)
	}
	// Two calls with transcripts; only their events are fed, so both wait.
	var calls []*callgen.CallTruth
	for _, c := range traffic.Calls {
		if c.Transcript != nil && len(calls) < 2 {
			calls = append(calls, c)
		}
	}
	lost, kept := calls[0], calls[1]
	src := &scriptedGroupSource{items: make(chan any, 100)}
	next := map[int]int64{}
	fed := 0
	for _, m := range traffic.Messages {
		if m.Topic != callgen.KindEvents || (m.Call != lost && m.Call != kept) {
			continue
		}
		part := 1
		if m.Call == lost {
			part = 0
		}
		km := kafka.Message{Topic: eventsTopic, Partition: part, Offset: next[part], Key: m.Key, Value: m.Value}
		for k, v := range m.Headers {
			km.Headers = append(km.Headers, kafka.Header{Key: k, Value: []byte(v)})
		}
		next[part]++
		src.items <- pipeline.RecordOf(km)
		fed++
	}
	red, err := sharedRedactor()
	if err != nil {
		t.Fatal(err)
	}
	sink := newUpsertSink()
	logs := &syncBuffer{}
	p, err := pipeline.New(pipeline.Config{
		Brokers: []string{"unused:9092"}, EventsTopic: eventsTopic, TranscriptsTopic: transcriptsTopic,
		KeySecret: testSecret, Join: stages.JoinConfig{TTL: ttl},
		Redact: stages.RedactConfig{Redactor: red}, Sinks: []sinks.Sink{sink},
		CommitInterval: 10 * time.Millisecond, BatchLinger: time.Millisecond,
		Logger: slog.New(slog.NewTextHandler(logs, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx, src, nopDeadLetters{}) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	}()
	h := &harness{t: t, timeout: 10 * time.Second}
	h.waitFor("the events read", func() bool { return p.Stats().RecordsRead.Load() == int64(fed) })
	// The generation ends at once: the assignment is in doubt.
	src.ended.Store(1)
	time.Sleep(4 * ttl)
	if n := sink.completeCalls(); n != 0 {
		t.Fatalf("%d calls expired while the assignment was in doubt", n)
	}
	if p.InFlight() != fed {
		t.Fatalf("in flight %d, want the %d records fed", p.InFlight(), fed)
	}
	// The next generation: partition 0 of both topics went elsewhere.
	src.items <- &pipeline.PartitionsRevoked{Generations: 1, Partitions: []pipeline.TopicPartition{
		{Topic: eventsTopic, Partition: 0}, {Topic: transcriptsTopic, Partition: 0}}}
	h.waitFor("the kept call to expire", func() bool { return sink.completeCalls() == 1 && p.InFlight() == 0 })
	time.Sleep(2 * ttl)
	if got := p.Stats().CallsDropped.Load(); got != 1 {
		t.Errorf("dropped %d calls, want the revoked partition's one", got)
	}
	sink.mu.Lock()
	lostOut := sink.complete[callKey(lost)]
	keptOut := sink.complete[callKey(kept)]
	sink.mu.Unlock()
	if lostOut || !keptOut {
		t.Errorf("out: revoked call %v, kept call %v; want only the kept one", lostOut, keptOut)
	}
	h.waitFor("the kept partition committed", func() bool {
		src.mu.Lock()
		defer src.mu.Unlock()
		return slices.ContainsFunc(src.commits, func(c pipeline.Commit) bool {
			return c.Topic == eventsTopic && c.Partition == 1 && c.Offset == next[1] && c.Settled == next[1]
		})
	})
	src.mu.Lock()
	for _, c := range src.commits {
		if c.Partition == 0 {
			t.Errorf("revoked partition committed: %+v", c)
		}
	}
	src.mu.Unlock()
	if !strings.Contains(logs.String(), "partitions revoked") {
		t.Error("the revocation was not logged")
	}
}
