package pipeline

import "sync"

// topicPartition names one Kafka partition.
type topicPartition struct {
	Topic     string
	Partition int
}

// Token identifies one fetched record while it is in flight. The pipeline
// hands it along with everything derived from the record and calls
// OffsetTracker.Done once the record's effects are durable (delivered to
// every sink, or written as a dead letter).
type Token struct {
	tp     topicPartition
	offset int64
	epoch  uint64
}

// OffsetTracker tracks in-flight records per partition and tells which
// offsets may be committed.
//
// Invariant: for each partition, the committable offset is one past the
// longest prefix of fetched records that are all done. Records complete out
// of order (a slow record, a call waiting in the join), and kafka-go's
// CommitMessages commits whatever offset it is given (segmentio/kafka-go#202),
// so committing the highest completed offset would skip unfinished records.
//
// When the reader fetches an offset at or below one it already fetched on
// the same partition (a rebalance or a reset re-reads from the last commit),
// the partition starts a new epoch: earlier tokens become stale and Done
// ignores them, because every record they stood for is being fetched again.
type OffsetTracker struct {
	mu    sync.Mutex
	parts map[topicPartition]*partitionOffsets
}

type partitionOffsets struct {
	epoch uint64
	// inflight holds fetched offsets in fetch order (ascending within an
	// epoch); done marks those finished. head is the first unfinished entry.
	inflight []int64
	done     []bool
	// committable is one past the last offset of the done prefix; -1 until
	// something is done.
	committable int64
	// committed is the last value handed to the committer.
	committed int64
	lastFetch int64
}

// NewOffsetTracker returns an empty tracker.
func NewOffsetTracker() *OffsetTracker {
	return &OffsetTracker{parts: map[topicPartition]*partitionOffsets{}}
}

// Begin registers a fetched record and returns its token. Called by the
// fetch loop, in fetch order.
func (t *OffsetTracker) Begin(topic string, partition int, offset int64) Token {
	t.mu.Lock()
	defer t.mu.Unlock()
	tp := topicPartition{topic, partition}
	p := t.parts[tp]
	if p == nil {
		p = &partitionOffsets{committable: -1, committed: -1, lastFetch: -1}
		t.parts[tp] = p
	}
	if offset <= p.lastFetch {
		p.epoch++
		p.inflight, p.done = p.inflight[:0], p.done[:0]
		p.committable = -1
	}
	p.lastFetch = offset
	p.inflight = append(p.inflight, offset)
	p.done = append(p.done, false)
	return Token{tp: tp, offset: offset, epoch: p.epoch}
}

// Done marks the record of tok finished. Safe to call from any goroutine;
// stale tokens (from an earlier epoch) and repeats are ignored.
func (t *OffsetTracker) Done(tok Token) {
	t.mu.Lock()
	defer t.mu.Unlock()
	p := t.parts[tok.tp]
	if p == nil || p.epoch != tok.epoch {
		return
	}
	i := searchOffsets(p.inflight, tok.offset)
	if i < 0 {
		return
	}
	p.done[i] = true
	// Advance over the done prefix and drop it, keeping the slices short.
	n := 0
	for n < len(p.done) && p.done[n] {
		n++
	}
	if n > 0 {
		p.committable = p.inflight[n-1] + 1
		p.inflight = append(p.inflight[:0], p.inflight[n:]...)
		p.done = append(p.done[:0], p.done[n:]...)
	}
}

// searchOffsets finds off in the ascending slice s, or returns -1.
func searchOffsets(s []int64, off int64) int {
	lo, hi := 0, len(s)
	for lo < hi {
		m := (lo + hi) / 2
		if s[m] < off {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < len(s) && s[lo] == off {
		return lo
	}
	return -1
}

// Commit is one partition's next offset to commit (the offset of the next
// record to read, as Kafka stores it).
type Commit struct {
	Topic     string
	Partition int
	Offset    int64
}

// Committable returns, for each partition whose committable offset moved
// since the last call, the offset to commit, and records it as handed out.
// Called by the committer only.
func (t *OffsetTracker) Committable() []Commit {
	t.mu.Lock()
	defer t.mu.Unlock()
	var out []Commit
	for tp, p := range t.parts {
		if p.committable > p.committed {
			out = append(out, Commit{Topic: tp.Topic, Partition: tp.Partition, Offset: p.committable})
			p.committed = p.committable
		}
	}
	return out
}

// Uncommit returns commits that failed, so the next Committable hands them
// out again.
func (t *OffsetTracker) Uncommit(cs []Commit) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, c := range cs {
		if p := t.parts[topicPartition{c.Topic, c.Partition}]; p != nil && p.committed == c.Offset {
			p.committed = -1
		}
	}
}

// InFlight returns the number of records fetched and not yet done.
func (t *OffsetTracker) InFlight() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := 0
	for _, p := range t.parts {
		for _, d := range p.done {
			if !d {
				n++
			}
		}
	}
	return n
}
