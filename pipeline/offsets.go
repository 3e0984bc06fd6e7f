package pipeline

import (
	"slices"
	"sync"
	"time"
)

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
// Invariant: for each partition, the settled offset is one past the
// longest prefix of fetched records that are all done. Records complete out
// of order (a slow record, a call waiting in the join), and kafka-go commits
// whatever offset it is given (segmentio/kafka-go#202), so committing the
// highest completed offset would skip unfinished records.
//
// A call's records lie in two partitions (events and transcripts) and are
// interleaved with other calls', and each partition is committed on its
// own. A commit that cuts through a delivered call (part of its records
// before the cut, part after, possibly in another partition) would, after
// a crash or a rebalance, bring back only part of it — a hang-up without
// its set-up, events without their transcript, a transcript alone — and
// the reader would emit that part over the complete version (found by the
// crash-loop test in faults/). A cut through no call at all rarely exists:
// calls overlap without pause while traffic flows.
//
// So a commit has two offsets per partition. Settled is the end of the
// settled prefix. Offset (where a reader resumes, Kafka's committed offset)
// is lowered to the first record, in that partition, of any call tied
// together (see Tie) that straddles a partition's settled end: a reader
// that resumes there reads every record of every such call again, and
// records below Settled only as context (their effects are durable), so a
// straddling call is emitted again whole, and a call read only as context
// not at all. Offset ≤ Settled; both only grow.
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
	// epoch) from the resume offset on; done marks those finished and
	// leaders holds the records each is tied to (see Tie; nil for most).
	// held marks records read again as context whose call has not left
	// the join yet (see Hold).
	// The first head entries are all done.
	inflight []int64
	done     []bool
	leaders  []*[]Token
	held     []bool
	// fetched is when each record was fetched (Unix milliseconds), and
	// lastFetchAt when the last one was.
	fetched     []int64
	lastFetchAt int64
	head        int
	// resume and settled are the offsets of the last Committable (see
	// Commit); -1 until something is done.
	resume, settled int64
	// committed is the last value handed to the committer.
	committed Commit
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
		p = &partitionOffsets{epoch: t.lastEpoch, resume: -1, settled: -1, committed: Commit{Offset: -1}, lastFetch: -1}
		t.parts[tp] = p
	}
	if offset <= p.lastFetch {
		t.lastEpoch++
		p.epoch = t.lastEpoch
		p.inflight, p.done, p.leaders, p.held, p.fetched, p.head = p.inflight[:0], p.done[:0], p.leaders[:0], p.held[:0], p.fetched[:0], 0
		p.resume, p.settled = -1, -1
	}
	p.lastFetch = offset
	p.inflight = append(p.inflight, offset)
	p.done = append(p.done, false)
	p.leaders = append(p.leaders, nil)
	p.held = append(p.held, false)
	p.lastFetchAt = time.Now().UnixMilli()
	p.fetched = append(p.fetched, p.lastFetchAt)
	return Token{tp: tp, offset: offset, epoch: p.epoch}
}

// Tie makes the records of followers part of a call with those of
// leaders: while any leader lies at or past its partition's settled end,
// the resume offset of each follower's partition stays at or below the
// follower (see OffsetTracker). The pipeline ties every record of a joined
// call to all of them (each is leader and follower). A token may be its own
// leader. Stale tokens are left out. Called once per call, before its
// records are done.
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
			p.held[i] = false
		}
	}
}

// Hold marks the record of tok, read again only as context (its effects
// are durable from an earlier run), done and held: it counts as settled,
// but the resume offset stays at or before it until its call leaves the
// join, tied to the call's other records (Tie) or released (Release).
// Otherwise a crash while the call waits for its live records would let
// the resume offset pass it, and the next run would read the call without
// it. Called by the fetch loop.
func (t *OffsetTracker) Hold(tok Token) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if p, i := t.find(tok); i >= 0 {
		p.done[i], p.held[i] = true, true
		for p.head < len(p.done) && p.done[p.head] {
			p.head++
		}
	}
}

// Release ends the hold of held records (Hold) whose call needs no output.
func (t *OffsetTracker) Release(toks []Token) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, tok := range toks {
		if p, i := t.find(tok); i >= 0 {
			p.held[i] = false
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

// Commit is one partition's position to commit.
type Commit struct {
	Topic     string
	Partition int
	// Offset is where a reader resumes: Kafka's committed offset.
	Offset int64
	// Settled ≥ Offset is one past the settled prefix: the records in
	// [Offset, Settled) are settled and are read again only as context for
	// the calls that straddle the commit (see OffsetTracker).
	Settled int64
	// UnsettledSince is when the record at Settled was fetched, or the
	// last record was if every record fetched is settled (Unix
	// milliseconds). Records past Settled were fetched since, so dead
	// letters written for them are written since: a reader starting from
	// this commit looks for them from then on, to read their records as
	// context instead of refusing them again (see KafkaGroupSource).
	UnsettledSince int64
}

// Committable returns, for each partition whose position moved since the
// last call, the position to commit, and records it as handed out. Called
// by the committer only.
func (t *OffsetTracker) Committable() []Commit {
	t.mu.Lock()
	defer t.mu.Unlock()
	// One pass: the settled ends first, then every tied record before its
	// partition's settled end whose call reaches past a settled end holds
	// its partition's resume offset. Nothing iterates to a fixed point:
	// records below Settled are context on resume, not work.
	for _, p := range t.parts {
		switch {
		case p.head > 0:
			p.settled = p.inflight[p.head-1] + 1
		case p.settled < 0 && slices.Contains(p.done, true):
			// Nothing settled yet in this epoch, but records past the
			// first one fetched are: reading began at that first record,
			// so everything before it was settled (or is not there), and
			// committing that position carries UnsettledSince, for the
			// letters written past it.
			p.settled = p.inflight[0]
		}
	}
	var out []Commit
	for tp, p := range t.parts {
		if p.settled < 0 {
			continue
		}
		resume, keep := p.settled, p.head
		for i := range p.head {
			if ls := p.leaders[i]; p.held[i] || (ls != nil && t.straddles(*ls)) {
				resume, keep = p.inflight[i], i
				break
			}
		}
		resume = max(resume, p.resume)
		// Forget what no resume can reach again: a leader no longer found
		// counts as settled.
		p.inflight = append(p.inflight[:0], p.inflight[keep:]...)
		p.done = append(p.done[:0], p.done[keep:]...)
		old := len(p.leaders)
		p.leaders = append(p.leaders[:0], p.leaders[keep:]...)
		clear(p.leaders[len(p.leaders):old]) // let them be collected
		p.held = append(p.held[:0], p.held[keep:]...)
		p.fetched = append(p.fetched[:0], p.fetched[keep:]...)
		p.head -= keep
		p.resume = resume
		c := Commit{Topic: tp.Topic, Partition: tp.Partition, Offset: resume, Settled: p.settled}
		if p.head < len(p.inflight) {
			c.UnsettledSince = p.fetched[p.head]
		} else {
			// Every record fetched is settled; those fetched after this
			// commit may be refused before the next one.
			c.UnsettledSince = p.lastFetchAt
		}
		if c != p.committed {
			out = append(out, c)
			p.committed = c
		}
	}
	return out
}

// straddles reports whether a record of toks lies at or past its
// partition's settled end (it is not settled, or follows one that is not).
// Caller holds mu.
func (t *OffsetTracker) straddles(toks []Token) bool {
	for _, tok := range toks {
		if p, i := t.find(tok); i >= 0 && i >= p.head {
			return true
		}
	}
	return false
}

// Uncommit returns commits that failed, so the next Committable hands them
// out again.
func (t *OffsetTracker) Uncommit(cs []Commit) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, c := range cs {
		if p := t.parts[topicPartition{c.Topic, c.Partition}]; p != nil && p.committed == c {
			p.committed = Commit{Offset: -1}
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
