package pipeline

import "sync"

// TopicPartition names one Kafka partition.
type TopicPartition struct {
	Topic     string
	Partition int
}

// topicPartition is the package's historical name for TopicPartition.
type topicPartition = TopicPartition

// Token identifies one fetched record while it is in flight. The pipeline
// hands it along with everything derived from the record and calls
// OffsetTracker.Done once the record's effects are durable (delivered to
// every sink, or written as a dead letter).
type Token struct {
	tp     topicPartition
	offset int64
	epoch  uint64
}

// Partition is the partition tok's record came from.
func (tok Token) Partition() TopicPartition { return tok.tp }

// OffsetTracker tracks in-flight records per partition and tells which
// offsets may be committed.
//
// Invariant: for each partition, the committable offset is one past the
// longest prefix of fetched records that are all done and whose leaders
// (see Tie) are all passed too. Records complete out of order (a slow
// record, a call waiting in the join), and kafka-go commits whatever offset
// it is given (segmentio/kafka-go#202), so committing the highest completed
// offset would skip unfinished records.
//
// A call's records lie in two partitions (events and transcripts), each
// committed on its own. If the transcripts partition's commit passed a
// delivered call's transcript while the events partition's commit stayed
// before its events (held back by an earlier call still waiting), a member
// reading the partitions again after a crash or a rebalance would get the
// events alone and, at the TTL, deliver the call without its transcript
// over the complete version. Tie makes the transcript wait for its events.
// The other way round is harmless (the transcript read again alone is
// dead-lettered as an orphan; the complete call stays), and holding events
// back for transcripts would hold a whole partition behind one late
// transcript.
//
// When the reader fetches an offset at or below one it already fetched on
// the same partition (a reset re-reads from the last commit), the partition
// starts a new epoch: earlier tokens become stale and Done ignores them,
// because every record they stood for is being fetched again. Drop does the
// same for a partition a rebalance took away, and forgets it: it is not
// committed again until it is fetched again. Epochs are numbered across the
// whole tracker, so a token from before a Drop never matches a later epoch
// of the same partition.
type OffsetTracker struct {
	mu        sync.Mutex
	parts     map[topicPartition]*partitionOffsets
	lastEpoch uint64
}

type partitionOffsets struct {
	epoch uint64
	// inflight holds fetched offsets in fetch order (ascending within an
	// epoch) from the first one not yet committable; done marks those
	// finished and leaders holds the records each must wait for (see Tie;
	// nil for most). The first head entries are all done.
	inflight []int64
	done     []bool
	leaders  []*[]Token
	head     int
	// committable is one past the last offset a commit may pass; -1 until
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
		t.lastEpoch++
		p = &partitionOffsets{epoch: t.lastEpoch, committable: -1, committed: -1, lastFetch: -1}
		t.parts[tp] = p
	}
	if offset <= p.lastFetch {
		t.lastEpoch++
		p.epoch = t.lastEpoch
		p.inflight, p.done, p.leaders, p.head = p.inflight[:0], p.done[:0], p.leaders[:0], 0
		p.committable = -1
	}
	p.lastFetch = offset
	p.inflight = append(p.inflight, offset)
	p.done = append(p.done, false)
	p.leaders = append(p.leaders, nil)
	return Token{tp: tp, offset: offset, epoch: p.epoch}
}

// Tie makes the records of followers wait for those of leaders: no commit
// passes a follower before the commits of the leaders' partitions can pass
// every leader. The pipeline ties every record of a joined call to all of
// them (each is leader and follower), so a call commits as a unit. A token
// may be its own leader. Stale tokens are left out. Called once per call,
// before its records are done.
func (t *OffsetTracker) Tie(leaders, followers []Token) {
	if len(leaders) == 0 || len(followers) == 0 {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	ls := append([]Token(nil), leaders...)
	for _, tok := range followers {
		if p, i := t.find(tok); i >= 0 {
			p.leaders[i] = &ls
		}
	}
}

// find returns tok's partition and index, or -1 when the token is stale or
// its record no longer tracked (committable already). Caller holds mu.
func (t *OffsetTracker) find(tok Token) (*partitionOffsets, int) {
	p := t.parts[tok.tp]
	if p == nil || p.epoch != tok.epoch {
		return nil, -1
	}
	return p, searchOffsets(p.inflight, tok.offset)
}

// Done marks the record of tok finished. Safe to call from any goroutine;
// stale tokens (from an earlier epoch) and repeats are ignored.
func (t *OffsetTracker) Done(tok Token) {
	t.mu.Lock()
	defer t.mu.Unlock()
	p, i := t.find(tok)
	if i < 0 {
		return
	}
	p.done[i] = true
	for p.head < len(p.done) && p.done[p.head] {
		p.head++
	}
}

// Current reports whether tok belongs to the partition's current epoch: its
// record is still tracked and will be committed once done. A token goes
// stale when its partition is fetched again or dropped.
func (t *OffsetTracker) Current(tok Token) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	p := t.parts[tok.tp]
	return p != nil && p.epoch == tok.epoch
}

// Drop forgets the partitions tps, which a consumer-group rebalance gave to
// another member: their tokens go stale (Done ignores them), their
// committable offsets are never handed out again (the new owner commits
// them from now on), and their records stop counting as in flight. If a
// partition comes back later, its first fetch starts a fresh epoch.
func (t *OffsetTracker) Drop(tps []TopicPartition) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, tp := range tps {
		delete(t.parts, tp)
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
	// Each partition may pass its done prefix, less any record whose
	// leaders cannot all be passed in their partitions. Lowering one
	// partition's bound can lower another's, so repeat until nothing moves;
	// bounds only go down, so this ends.
	bound := make(map[*partitionOffsets]int, len(t.parts))
	for _, p := range t.parts {
		bound[p] = p.head
	}
	for moved := true; moved; {
		moved = false
		for _, p := range t.parts {
			for i := range bound[p] {
				if ls := p.leaders[i]; ls != nil && !t.passable(*ls, bound) {
					bound[p] = i
					moved = true
					break
				}
			}
		}
	}
	var out []Commit
	for tp, p := range t.parts {
		if n := bound[p]; n > 0 {
			p.committable = p.inflight[n-1] + 1
			// Forget what the commit passes: a leader no longer found
			// counts as passed.
			p.inflight = append(p.inflight[:0], p.inflight[n:]...)
			p.done = append(p.done[:0], p.done[n:]...)
			old := len(p.leaders)
			p.leaders = append(p.leaders[:0], p.leaders[n:]...)
			clear(p.leaders[len(p.leaders):old]) // let them be collected
			p.head -= n
		}
		if p.committable > p.committed {
			out = append(out, Commit{Topic: tp.Topic, Partition: tp.Partition, Offset: p.committable})
			p.committed = p.committable
		}
	}
	return out
}

// passable reports whether every record of toks lies below its
// partition's bound (or is no longer tracked). Caller holds mu.
func (t *OffsetTracker) passable(toks []Token, bound map[*partitionOffsets]int) bool {
	for _, tok := range toks {
		if p, i := t.find(tok); i >= bound[p] {
			return false
		}
	}
	return true
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
		for _, d := range p.done[p.head:] {
			if !d {
				n++
			}
		}
	}
	return n
}
