package pipeline

import (
	"testing"
	"time"
)

func TestStreamClock(t *testing.T) {
	t0 := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	at := func(s int) time.Time { return t0.Add(time.Duration(s) * time.Second) }
	ev := TopicPartition{"calls.events", 0}
	tr := TopicPartition{"calls.transcripts", 0}
	ends := func(evEnd, trEnd int64) map[TopicPartition]PartitionEnd {
		return map[TopicPartition]PartitionEnd{ev: {HighWatermark: evEnd}, tr: {HighWatermark: trEnd}}
	}
	wall := at(100)

	t.Run("wall clock for a source without partition ends", func(t *testing.T) {
		c := newStreamClock(false)
		c.observe(ev, 5)
		if got := c.now(wall); !got.Equal(wall) {
			t.Fatalf("now = %v, want the wall clock", got)
		}
	})

	t.Run("stands still until the assignment's partitions are known", func(t *testing.T) {
		c := newStreamClock(true)
		c.observe(ev, 0)
		c.observe(tr, 0)
		if got := c.now(wall); !got.IsZero() {
			t.Fatalf("now = %v before any answer of Ends, want it to stand still", got)
		}
	})

	t.Run("a backlog holds the clock until it is read to the first answer", func(t *testing.T) {
		c := newStreamClock(true)
		c.ends(ends(100, 50), at(10), at(11))
		c.observe(ev, 99) // events read to their end
		c.observe(tr, 20) // transcripts behind
		if got := c.now(wall); !got.IsZero() {
			t.Fatalf("now = %v with the transcripts partition behind its first answer", got)
		}
		c.ends(ends(110, 60), at(20), at(21))
		c.observe(tr, 49)
		if got := c.now(wall); !got.Equal(at(10)) {
			t.Fatalf("now = %v, want %v: every record that had arrived by then is joined", got, at(10))
		}
		c.observe(ev, 109)
		c.observe(tr, 59)
		if got := c.now(wall); !got.Equal(at(20)) {
			t.Fatalf("now = %v, want %v", got, at(20))
		}
	})

	t.Run("a partition not read holds the clock however far the other runs", func(t *testing.T) {
		c := newStreamClock(true)
		for s := 1; s <= 30; s++ {
			c.ends(ends(int64(10*s), 5), at(s), at(s))
			c.observe(ev, int64(10*s-1))
		}
		if got := c.now(at(31)); !got.IsZero() {
			t.Fatalf("now = %v with transcripts never read", got)
		}
		c.observe(tr, 4)
		if got := c.now(at(31)); !got.Equal(at(30)) {
			t.Fatalf("now = %v, want %v", got, at(30))
		}
	})

	t.Run("a partition never read is at its end when its start is", func(t *testing.T) {
		c := newStreamClock(true)
		c.ends(map[TopicPartition]PartitionEnd{ev: {HighWatermark: 7, Start: 7}, tr: {HighWatermark: 7, Start: 3}}, at(90), at(90))
		if got := c.now(wall); !got.IsZero() {
			t.Fatalf("now = %v: transcripts has 4 records unread", got)
		}
		c.observe(tr, 6)
		if got := c.now(wall); !got.Equal(at(90)) {
			t.Fatalf("now = %v, want %v", got, at(90))
		}
	})

	t.Run("never goes back; stands still through a rebalance", func(t *testing.T) {
		c := newStreamClock(true)
		c.ends(map[TopicPartition]PartitionEnd{ev: {HighWatermark: 10}}, at(50), at(50))
		c.observe(ev, 9)
		if got := c.now(wall); !got.Equal(at(50)) {
			t.Fatalf("now = %v, want %v", got, at(50))
		}
		c.rebalanced(nil)
		if got := c.now(at(101)); !got.Equal(at(50)) {
			t.Fatalf("now = %v during a rebalance, want it to stand at %v", got, at(50))
		}
		// The new assignment brings a partition read from far behind.
		c.ends(map[TopicPartition]PartitionEnd{ev: {HighWatermark: 10}, tr: {HighWatermark: 500, Start: 0}}, at(102), at(102))
		c.observe(tr, 3)
		if got := c.now(at(103)); !got.Equal(at(50)) {
			t.Fatalf("now = %v, want it to stand at %v", got, at(50))
		}
	})

	t.Run("revoked partitions no longer hold it back", func(t *testing.T) {
		c := newStreamClock(true)
		c.ends(ends(10, 10), at(1), at(1))
		c.observe(ev, 9)
		c.rebalanced([]TopicPartition{tr})
		c.ends(map[TopicPartition]PartitionEnd{ev: {HighWatermark: 10}}, at(40), at(40))
		if got := c.now(wall); !got.Equal(at(40)) {
			t.Fatalf("now = %v, want %v", got, at(40))
		}
	})

	t.Run("samples stay bounded behind a growing backlog", func(t *testing.T) {
		c := newStreamClock(true)
		for s := 1; s <= 5*maxSamples; s++ {
			c.ends(ends(int64(s), int64(s)), at(s), at(s))
		}
		if n := len(c.parts[ev].samples); n > maxSamples {
			t.Fatalf("%d samples kept, bound %d", n, maxSamples)
		}
		c.observe(ev, 5*maxSamples-1)
		c.observe(tr, 5*maxSamples-1)
		if got := c.now(at(10 * maxSamples)); !got.Equal(at(5 * maxSamples)) {
			t.Fatalf("now = %v, want the latest answer %v", got, at(5*maxSamples))
		}
	})
}

func TestStreamClockTouch(t *testing.T) {
	t0 := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	at := func(s int) time.Time { return t0.Add(time.Duration(s) * time.Second) }
	ev := TopicPartition{"calls.events", 0}
	tr := TopicPartition{"calls.transcripts", 0}
	c := newStreamClock(true)
	c.ends(map[TopicPartition]PartitionEnd{ev: {HighWatermark: 10}, tr: {HighWatermark: 10}}, at(10), at(11))
	c.ends(map[TopicPartition]PartitionEnd{ev: {HighWatermark: 20}, tr: {HighWatermark: 10}}, at(20), at(21))
	c.observe(ev, 9)
	c.observe(tr, 9)
	if got := c.now(at(100)); !got.Equal(at(10)) {
		t.Fatalf("now = %v, want %v", got, at(10))
	}
	for _, tc := range []struct {
		name   string
		tp     TopicPartition
		offset int64
		want   time.Time
	}{
		{"a record counted by the first answer arrived before it was answered", ev, 6, at(11)},
		{"a record counted first by the second answer", ev, 15, at(21)},
		{"a record no answer counted yet arrived before now", ev, 25, at(100)},
	} {
		if got := c.touch(tc.tp, tc.offset, at(100)); !got.Equal(tc.want) {
			t.Errorf("%s: touch = %v, want %v", tc.name, got, tc.want)
		}
	}
}
