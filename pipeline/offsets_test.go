package pipeline

import "testing"

func TestOffsetTrackerCommitsOnlyContiguousPrefix(t *testing.T) {
	tr := NewOffsetTracker()
	var toks []Token
	for off := int64(10); off < 15; off++ {
		toks = append(toks, tr.Begin("events", 0, off))
	}
	// 11, 12 and 14 finish before 10: nothing may be committed yet.
	tr.Done(toks[1])
	tr.Done(toks[2])
	tr.Done(toks[4])
	if got := tr.Committable(); len(got) != 0 {
		t.Fatalf("committed past an unfinished record: %+v", got)
	}
	tr.Done(toks[0])
	got := tr.Committable()
	if len(got) != 1 || got[0].Offset != 13 {
		t.Fatalf("want commit at 13 (next after 12), got %+v", got)
	}
	if again := tr.Committable(); len(again) != 0 {
		t.Fatalf("same commit handed out twice: %+v", again)
	}
	tr.Done(toks[3])
	if got := tr.Committable(); len(got) != 1 || got[0].Offset != 15 {
		t.Fatalf("want 15, got %+v", got)
	}
	if n := tr.InFlight(); n != 0 {
		t.Fatalf("in flight = %d, want 0", n)
	}
}

func TestOffsetTrackerPartitionsAreIndependent(t *testing.T) {
	tr := NewOffsetTracker()
	a := tr.Begin("events", 0, 0)
	b := tr.Begin("events", 1, 0)
	c := tr.Begin("transcripts", 0, 0)
	tr.Done(b)
	got := tr.Committable()
	if len(got) != 1 || got[0] != (Commit{"events", 1, 1}) {
		t.Fatalf("got %+v", got)
	}
	tr.Done(a)
	tr.Done(c)
	if got := tr.Committable(); len(got) != 2 {
		t.Fatalf("want two partitions committable, got %+v", got)
	}
}

func TestOffsetTrackerRefetchStartsNewEpoch(t *testing.T) {
	tr := NewOffsetTracker()
	old0 := tr.Begin("events", 0, 5)
	old1 := tr.Begin("events", 0, 6)
	// A rebalance makes the reader fetch 5 again.
	new0 := tr.Begin("events", 0, 5)
	tr.Done(old0)
	tr.Done(old1)
	if got := tr.Committable(); len(got) != 0 {
		t.Fatalf("stale tokens moved the commit: %+v", got)
	}
	tr.Done(new0)
	if got := tr.Committable(); len(got) != 1 || got[0].Offset != 6 {
		t.Fatalf("want 6, got %+v", got)
	}
}

func TestOffsetTrackerUncommitHandsOutAgain(t *testing.T) {
	tr := NewOffsetTracker()
	tr.Done(tr.Begin("events", 0, 0))
	cs := tr.Committable()
	tr.Uncommit(cs)
	if got := tr.Committable(); len(got) != 1 || got[0].Offset != 1 {
		t.Fatalf("failed commit not retried: %+v", got)
	}
}
