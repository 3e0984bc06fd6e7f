package faults

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/callveil/callveil/pipeline"
	"github.com/callveil/callveil/stages"
)

// SliceSource is a bounded pipeline.Source over records held in memory:
// Fetch hands them out in order, then reports the end. Commits are
// recorded.
type SliceSource struct {
	recs []stages.Record
	next int

	mu      sync.Mutex
	commits map[Position]bool
}

// NewSliceSource serves recs, whose Topic/Partition/Offset must grow
// within each partition.
func NewSliceSource(recs []stages.Record) *SliceSource {
	return &SliceSource{recs: recs, commits: map[Position]bool{}}
}

// Fetch implements pipeline.Source.
func (s *SliceSource) Fetch(ctx context.Context, buf []stages.Record) (pipeline.Fetched, error) {
	if err := ctx.Err(); err != nil {
		return pipeline.Fetched{}, err
	}
	n := copy(buf, s.recs[s.next:])
	s.next += n
	return pipeline.Fetched{N: n, End: s.next >= len(s.recs)}, nil
}

// Settle implements pipeline.Source.
func (s *SliceSource) Settle(_ context.Context, st pipeline.Settlement) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range st.Commits {
		s.commits[Position{c.Topic, c.Partition, c.Offset}] = true
	}
	return nil
}

// Ends implements pipeline.Source: records in memory run the join on the
// wall clock.
func (s *SliceSource) Ends(context.Context) (map[pipeline.TopicPartition]pipeline.PartitionEnd, error) {
	return nil, nil
}

// GenerationsEnded implements pipeline.Source: nothing moves the records.
func (s *SliceSource) GenerationsEnded() uint64 { return 0 }

// Progress implements pipeline.Source: not reported (Fetch's position is
// the fetch loop's alone).
func (s *SliceSource) Progress() pipeline.Progress { return pipeline.Progress{Unit: "records"} }

// Features implements pipeline.Source: it has none of the optional ones.
func (s *SliceSource) Features() pipeline.Features { return pipeline.Features{} }

// Close implements pipeline.Source.
func (s *SliceSource) Close() error { return nil }

// MemoryDeadLetters keeps dead letters in memory.
type MemoryDeadLetters struct {
	mu      sync.Mutex
	letters []pipeline.DeadLetter
}

// WriteDeadLetters implements pipeline.DeadLetterSink.
func (m *MemoryDeadLetters) WriteDeadLetters(_ context.Context, letters []pipeline.DeadLetter) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.letters = append(m.letters, letters...)
	return nil
}

// Close implements pipeline.DeadLetterSink.
func (m *MemoryDeadLetters) Close() error { return nil }

// Letters returns a copy of the letters written.
func (m *MemoryDeadLetters) Letters() []pipeline.DeadLetter {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]pipeline.DeadLetter(nil), m.letters...)
}

// MemorySink keeps delivered calls by key (the last version of each) and
// counts writes.
type MemorySink struct {
	mu     sync.Mutex
	calls  map[string]stages.RedactedCall
	writes int
}

// NewMemorySink returns an empty sink.
func NewMemorySink() *MemorySink { return &MemorySink{calls: map[string]stages.RedactedCall{}} }

// Name implements sinks.Sink.
func (m *MemorySink) Name() string { return "memory" }

// Write implements sinks.Sink.
func (m *MemorySink) Write(_ context.Context, batch []stages.RedactedCall) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.writes++
	for _, c := range batch {
		m.calls[c.Key] = c
	}
	return nil
}

// Close implements sinks.Sink.
func (m *MemorySink) Close(context.Context) error { return nil }

// Calls returns the delivered calls by key.
func (m *MemorySink) Calls() map[string]stages.RedactedCall {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make(map[string]stages.RedactedCall, len(m.calls))
	for k, v := range m.calls {
		out[k] = v
	}
	return out
}

// CountingObserver counts the pipeline's record events; the rest are
// ignored.
type CountingObserver struct {
	Reads, Settles, DeadLetters, Skips atomic.Int64
}

func (o *CountingObserver) RecordRead(string)                       { o.Reads.Add(1) }
func (o *CountingObserver) RecordSettled(string)                    { o.Settles.Add(1) }
func (o *CountingObserver) DeadLettered(string, stages.Reason)      { o.DeadLetters.Add(1) }
func (o *CountingObserver) Skipped(string)                          { o.Skips.Add(1) }
func (o *CountingObserver) StageDone(string, time.Duration)         {}
func (o *CountingObserver) SinkWrite(string, string, time.Duration) {}
func (o *CountingObserver) CallDelivered(string, map[string]int)    {}
func (o *CountingObserver) JoinPending(int)                         {}
func (o *CountingObserver) JoinClockLag(time.Duration)              {}
func (o *CountingObserver) Committed(string, int, int64)            {}
