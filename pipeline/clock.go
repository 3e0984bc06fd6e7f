package pipeline

import (
	"time"
)

// PartitionEnd is where one partition ends, and where its reading began
// (see Source.Ends).
type PartitionEnd struct {
	// HighWatermark is the offset after the last record the broker holds.
	HighWatermark int64
	// Start is the offset the source began reading the partition at (the
	// committed offset, or the log's start when there is none): before any
	// of its records is fetched, the partition is at its end when Start ≥
	// HighWatermark.
	Start int64
}

// streamClock is the join's clock: "now" for pending calls and their TTL.
//
// Why not the wall clock: the TTL says how long a call waits for its other
// half, and that half comes from another partition (a call's events and its
// transcript are in different topics). A wall clock keeps running while the
// partition that holds the other half is not read at all (a rebalance after
// a crash, a broker that does not answer) or is read behind the other (a
// restart's backlog, read by concurrent partition readers, one ahead of
// another). Measured on the wall clock, the crash-loop soak expired calls
// without their transcript in those gaps (faults/README.md).
//
// Why not the records' Kafka timestamps: producers set them, and the
// Sipgate and Twilio parsers take them as the time of the call, so they may
// be anything (a replay of last month, a test's generated time).
//
// So the clock runs on arrival time, measured here: every expiry period the
// pipeline asks the broker where each partition ends (its high watermark)
// and keeps the answers as samples. A partition's time is the latest ask
// whose high watermark the join has reached: every record that had arrived
// by then has been joined. The join's clock is the earliest partition time,
// so a call expires only once every partition has been read up to TTL after
// its latest record arrived. A record is touched at the earliest answer
// that already counted it (an upper bound of its arrival), or at the wall
// clock when no answer counted it yet. When everything is read up to the
// end, the clock trails the wall clock by at most one expiry period.
//
// Invariants: the clock never goes back and never runs ahead of the wall
// clock; it does not move while any partition read now has no known time
// (just assigned, read behind its first answer, or the broker not
// answering), so in doubt nothing expires (the join's MaxPending still
// bounds memory).
//
// Sources without partition ends (files, a bounded range) run on the wall
// clock. It is owned by the join loop (run.joinLoop), which alone reads
// and moves it.
type streamClock struct {
	// enabled: the source has ends (Features.Ends).
	enabled bool
	// known is set by an answer of Ends and cleared by every rebalance:
	// until the partitions of an assignment are known, a partition not
	// yet read could be missing from parts, so the clock stands still.
	known bool
	parts map[TopicPartition]*partitionTime
	last  time.Time
}

type partitionTime struct {
	// next is the offset after the last record joined; -1 before any.
	next int64
	// start is where reading began (PartitionEnd.Start).
	start int64
	// samples are answers still needed, oldest first, high watermarks not
	// decreasing: samples[0] may be reached by the joined position (it is
	// then the partition's time); every later one is not, and bounds the
	// arrival of the records not yet joined.
	samples []endSample
}

// endSample is one answer of Ends for one partition.
type endSample struct {
	// asked: every record that arrived before it is below hwm.
	asked time.Time
	// answered: every record below hwm arrived before it.
	answered time.Time
	hwm      int64
}

// maxSamples bounds the samples kept per partition while it is read behind
// its end (one per expiry period). Past it every other older sample is
// dropped: the clock then moves in coarser steps, never too early.
const maxSamples = 1024

func newStreamClock(enabled bool) *streamClock {
	return &streamClock{enabled: enabled, parts: map[TopicPartition]*partitionTime{}}
}

func (c *streamClock) part(tp TopicPartition) *partitionTime {
	pt := c.parts[tp]
	if pt == nil {
		pt = &partitionTime{next: -1, start: -1}
		c.parts[tp] = pt
	}
	return pt
}

func (pt *partitionTime) pos() int64 {
	if pt.next >= 0 {
		return pt.next
	}
	return pt.start
}

// prune drops samples made useless by the joined position: all but the
// latest reached one.
func (pt *partitionTime) prune() {
	pos := pt.pos()
	i := 0
	for i+1 < len(pt.samples) && pt.samples[i+1].hwm <= pos {
		i++
	}
	pt.samples = pt.samples[i:]
}

// time is the partition's time, zero while unknown.
func (pt *partitionTime) time() time.Time {
	if len(pt.samples) > 0 && pt.samples[0].hwm <= pt.pos() {
		return pt.samples[0].asked
	}
	return time.Time{}
}

// observe records that the record at offset of tp reached the join (in
// fetch order).
func (c *streamClock) observe(tp TopicPartition, offset int64) {
	if !c.enabled {
		return
	}
	pt := c.part(tp)
	pt.next = offset + 1
	pt.prune()
}

// rebalanced forgets the partitions a rebalance took away (their reading
// starts afresh if they come back) and stops the clock until the next
// answer of Ends names the new assignment's partitions.
func (c *streamClock) rebalanced(revoked []TopicPartition) {
	for _, tp := range revoked {
		delete(c.parts, tp)
	}
	c.known = false
}

// ends applies an answer of Source.Ends asked and answered at those
// wall times, under the assignment current when it was asked (the caller
// checks).
func (c *streamClock) ends(ends map[TopicPartition]PartitionEnd, asked, answered time.Time) {
	c.known = true
	for tp, e := range ends {
		pt := c.part(tp)
		pt.start = e.Start
		s := endSample{asked: asked, answered: answered, hwm: e.HighWatermark}
		if n := len(pt.samples); n > 0 && s.hwm < pt.samples[n-1].hwm {
			pt.samples = pt.samples[:0] // the log was truncated: start over
		}
		pt.samples = append(pt.samples, s)
		if len(pt.samples) > maxSamples {
			pt.samples = thin(pt.samples)
		}
		pt.prune()
	}
}

// thin drops every other sample but the first and the last.
func thin(s []endSample) []endSample {
	out := s[:1]
	for i := 2; i < len(s)-1; i += 2 {
		out = append(out, s[i])
	}
	return append(out, s[len(s)-1])
}

// now returns the join's current time, given the wall clock.
func (c *streamClock) now(wall time.Time) time.Time {
	if !c.enabled {
		return wall
	}
	if !c.known {
		return c.last
	}
	var earliest time.Time
	for _, pt := range c.parts {
		t := pt.time()
		if t.IsZero() {
			return c.last // a partition with no time yet: stand still
		}
		if earliest.IsZero() || t.Before(earliest) {
			earliest = t
		}
	}
	if earliest.After(wall) {
		earliest = wall
	}
	if earliest.After(c.last) {
		c.last = earliest
	}
	return c.last
}

// touch is the time the record at offset of tp is joined at: when it
// arrived at the latest (the first answer that counted it, or the wall
// clock), and not before the clock.
func (c *streamClock) touch(tp TopicPartition, offset int64, wall time.Time) time.Time {
	now := c.now(wall)
	if !c.enabled {
		return now
	}
	arrived := wall
	if pt := c.parts[tp]; pt != nil {
		for _, s := range pt.samples {
			if s.hwm > offset {
				arrived = s.answered
				break
			}
		}
	}
	if arrived.After(now) {
		return arrived
	}
	return now
}
