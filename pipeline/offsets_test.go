package pipeline

import (
	"maps"
	"strconv"
	"strings"
	"testing"
	"time"
)

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
	for _, c := range tr.Committable() {
		if c.Offset > 10 || c.Settled > 10 || c.UnsettledSince == 0 {
			t.Fatalf("committed past an unfinished record, or without saying since when records are unsettled: %+v", c)
		}
	}
	tr.Done(toks[0])
	got := withoutTimes(tr.Committable())
	if len(got) != 1 || got[0].Offset != 13 {
		t.Fatalf("want commit at 13 (next after 12), got %+v", got)
	}
	if again := withoutTimes(tr.Committable()); len(again) != 0 {
		t.Fatalf("same commit handed out twice: %+v", again)
	}
	tr.Done(toks[3])
	if got := withoutTimes(tr.Committable()); len(got) != 1 || got[0].Offset != 15 {
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
	got := withoutTimes(tr.Committable())
	if len(got) != 1 || got[0] != (Commit{"events", 1, 1, 1, 0}) {
		t.Fatalf("got %+v", got)
	}
	tr.Done(a)
	tr.Done(c)
	if got := withoutTimes(tr.Committable()); len(got) != 2 {
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
	if got := withoutTimes(tr.Committable()); len(got) != 0 {
		t.Fatalf("stale tokens moved the commit: %+v", got)
	}
	tr.Done(new0)
	if got := withoutTimes(tr.Committable()); len(got) != 1 || got[0].Offset != 6 {
		t.Fatalf("want 6, got %+v", got)
	}
}

func TestOffsetTrackerUncommitHandsOutAgain(t *testing.T) {
	tr := NewOffsetTracker()
	tr.Done(tr.Begin("events", 0, 0))
	cs := tr.Committable()
	tr.Uncommit(cs)
	if got := withoutTimes(tr.Committable()); len(got) != 1 || got[0].Offset != 1 {
		t.Fatalf("failed commit not retried: %+v", got)
	}
}

func TestOffsetTrackerDropForgetsARevokedPartition(t *testing.T) {
	tr := NewOffsetTracker()
	kept := tr.Begin("events", 1, 0)
	a := tr.Begin("events", 0, 0)
	b := tr.Begin("events", 0, 1)
	tr.Done(a)
	// The committer already took events/0 at 1; it must not come back.
	if got := withoutTimes(tr.Committable()); len(got) != 1 || got[0] != (Commit{"events", 0, 1, 1, 0}) {
		t.Fatalf("got %+v", got)
	}
	tr.Drop([]TopicPartition{{"events", 0}, {"transcripts", 7}}) // the second was never fetched
	if tr.Current(b) || tr.Current(a) {
		t.Fatal("tokens of a dropped partition still current")
	}
	if !tr.Current(kept) {
		t.Fatal("a partition not dropped lost its tokens")
	}
	tr.Done(b)
	if got := withoutTimes(tr.Committable()); len(got) != 0 {
		t.Fatalf("dropped partition handed to the committer: %+v", got)
	}
	tr.Uncommit([]Commit{{"events", 0, 1, 1, 0}}) // a late failed commit changes nothing
	if got := withoutTimes(tr.Committable()); len(got) != 0 {
		t.Fatalf("uncommit revived a dropped partition: %+v", got)
	}
	if n := tr.InFlight(); n != 1 {
		t.Fatalf("in flight = %d, want only the kept partition's record", n)
	}
	// The partition comes back and is read again from the last commit (1).
	// Its new epoch is not confused with the old one, though both began
	// fresh: a stale token of the same offset stays stale.
	again := tr.Begin("events", 0, 1)
	if tr.Current(b) || !tr.Current(again) {
		t.Fatal("epochs of the old and the new ownership are confused")
	}
	tr.Done(b)
	if got := withoutTimes(tr.Committable()); len(got) != 0 {
		t.Fatalf("stale token of the old ownership moved the commit: %+v", got)
	}
	tr.Done(again)
	if got := withoutTimes(tr.Committable()); len(got) != 1 || got[0] != (Commit{"events", 0, 2, 2, 0}) {
		t.Fatalf("want events/0 at 2, got %+v", got)
	}
}

func TestOffsetTrackerStraddlingCallHoldsTheResumeOffset(t *testing.T) {
	const ev, tr = "events", "transcripts"
	type step struct {
		done []string // records finished, by name; "drop topic/n" drops a partition
		want map[string]string
	}
	// Records: events/0 holds u (an unanswered call waiting for its TTL)
	// then x1, x2; transcripts/0 holds xt then yt0. x1, x2 and xt are call
	// X. events/1 holds y; transcripts/1 holds yt. events/2 holds z. A
	// call's records are tied together, as the pipeline ties them.
	// Positions are "resume/settled".
	for _, tc := range []struct {
		name  string
		ties  [][]string
		steps []step
	}{
		{
			name: "a delivered call past a settled end holds its records' resume offset",
			ties: [][]string{{"x1", "x2", "xt"}},
			steps: []step{
				{done: []string{"x1", "x2", "xt", "z"}, want: map[string]string{ev + "/0": "0/0", tr + "/0": "0/1", ev + "/2": "1/1"}},
				{done: []string{"u"}, want: map[string]string{ev + "/0": "3/3", tr + "/0": "1/1"}},
			},
		},
		{
			name: "untied, resume and settled are the same",
			steps: []step{
				{done: []string{"x1", "x2", "xt"}, want: map[string]string{ev + "/0": "0/0", tr + "/0": "1/1"}},
				{done: []string{"u"}, want: map[string]string{ev + "/0": "3/3"}},
			},
		},
		{
			name: "events settled before their transcript are read again with it",
			ties: [][]string{{"y", "yt"}},
			steps: []step{
				{done: []string{"y"}, want: map[string]string{ev + "/1": "0/1"}},
				{done: []string{"yt"}, want: map[string]string{ev + "/1": "1/1", tr + "/1": "1/1"}},
			},
		},
		{
			name: "records in a dropped partition hold nothing",
			ties: [][]string{{"x1", "xt"}},
			steps: []step{
				{done: []string{"xt"}, want: map[string]string{tr + "/0": "0/1"}},
				{done: []string{"drop " + ev + "/0"}, want: map[string]string{tr + "/0": "1/1"}},
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			trk := NewOffsetTracker()
			toks := map[string]Token{
				"u": trk.Begin(ev, 0, 0), "x1": trk.Begin(ev, 0, 1), "x2": trk.Begin(ev, 0, 2),
				"xt": trk.Begin(tr, 0, 0), "yt0": trk.Begin(tr, 0, 1),
				"y": trk.Begin(ev, 1, 0), "yt": trk.Begin(tr, 1, 0),
				"z": trk.Begin(ev, 2, 0),
			}
			for _, ti := range tc.ties {
				var unit []Token
				for _, n := range ti {
					unit = append(unit, toks[n])
				}
				trk.Tie(unit, unit)
			}
			for i, st := range tc.steps {
				for _, name := range st.done {
					if tp, ok := strings.CutPrefix(name, "drop "); ok {
						topic, part, _ := strings.Cut(tp, "/")
						n, _ := strconv.Atoi(part)
						trk.Drop([]TopicPartition{{topic, n}})
						continue
					}
					trk.Done(toks[name])
				}
				got := map[string]string{}
				for _, c := range withoutTimes(trk.Committable()) {
					got[c.Topic+"/"+strconv.Itoa(c.Partition)] = strconv.FormatInt(c.Offset, 10) + "/" + strconv.FormatInt(c.Settled, 10)
				}
				if !maps.Equal(got, st.want) {
					t.Fatalf("step %d: committable %v, want %v", i, got, st.want)
				}
			}
		})
	}
}

// TestOffsetTrackerOverlappingCallsStillCommit: while traffic flows, calls
// overlap without pause, so no commit offset cuts through no call. The
// settled end must still advance, and the resume offset stay within the
// calls that straddle it (committing a call "as a unit" instead held every
// commit at the first record of the chain of overlapping calls).
func TestOffsetTrackerOverlappingCallsStillCommit(t *testing.T) {
	trk := NewOffsetTracker()
	toks := make([]Token, 100)
	for off := range toks {
		toks[off] = trk.Begin("events", 0, int64(off))
	}
	// Call i has records 2i and 2i+3: every call overlaps the next.
	call := func(i int) []Token { return []Token{toks[2*i], toks[2*i+3]} }
	for i := 0; i < 48; i++ {
		trk.Tie(call(i), call(i))
	}
	trk.Done(toks[1])         // a record of no call
	for i := 0; i < 40; i++ { // call 40 (records 80 and 83) is still waiting
		for _, tok := range call(i) {
			trk.Done(tok)
		}
	}
	got := trk.Committable()
	want := Commit{Topic: "events", Partition: 0, Offset: 78, Settled: 80}
	if len(got) == 1 && got[0].UnsettledSince <= 0 {
		t.Fatalf("committable %+v: records past the settled end are not settled, but no time says since when", got)
	}
	unsettledSince(got)
	if len(got) != 1 || got[0] != want {
		t.Fatalf("committable %+v, want %+v (call 39, records 78 and 81, straddles 80)", got, want)
	}
	for i := 40; i < 47; i++ { // call 47 (94 and 97) is still waiting
		for _, tok := range call(i) {
			trk.Done(tok)
		}
	}
	trk.Done(toks[96])
	trk.Done(toks[98])
	got = withoutTimes(trk.Committable())
	unsettledSince(got)
	want = Commit{Topic: "events", Partition: 0, Offset: 92, Settled: 94}
	if len(got) != 1 || got[0] != want {
		t.Fatalf("committable %+v, want %+v", got, want)
	}
}

// A record read again as context counts as settled at once, but holds the
// resume offset until its call leaves the join: a run that dies while the
// call waits for its live records must leave it to the next run.
func TestOffsetTrackerHeldContextRecordHoldsTheResumeOffset(t *testing.T) {
	trk := NewOffsetTracker()
	ctx := trk.Begin("transcripts", 0, 10) // read again as context
	trk.Hold(ctx)
	other := trk.Begin("transcripts", 0, 11)
	trk.Done(other)
	if got := withoutTimes(trk.Committable()); len(got) != 1 || got[0] != (Commit{"transcripts", 0, 10, 12, 0}) {
		t.Fatalf("committable %+v, want resume 10 (held), settled 12", got)
	}
	// Its call left the join tied to a live record that is not done yet.
	live := trk.Begin("events", 0, 5)
	trk.Tie([]Token{ctx, live}, []Token{ctx, live})
	if got := withoutTimes(trk.Committable()); len(got) != 0 {
		t.Fatalf("committable %+v, want nothing new: the call straddles", got)
	}
	trk.Done(live)
	got := map[string]Commit{}
	for _, c := range withoutTimes(trk.Committable()) {
		got[c.Topic] = c
	}
	if got["transcripts"] != (Commit{"transcripts", 0, 12, 12, 0}) || got["events"] != (Commit{"events", 0, 6, 6, 0}) {
		t.Fatalf("committable %+v, want both partitions past the call", got)
	}

	// Released (its call needs no output), a held record holds nothing.
	again := trk.Begin("transcripts", 0, 12)
	trk.Hold(again)
	trk.Release([]Token{again})
	if got := withoutTimes(trk.Committable()); len(got) != 1 || got[0] != (Commit{"transcripts", 0, 13, 13, 0}) {
		t.Fatalf("committable %+v, want 13/13", got)
	}
}

// unsettledSince clears the fetch times in cs, for comparisons.
func unsettledSince(cs []Commit) {
	for i := range cs {
		cs[i].UnsettledSince = 0
	}
}

func withoutTimes(cs []Commit) []Commit {
	unsettledSince(cs)
	return cs
}

// A commit says since when records past its settled end were fetched even
// when every record fetched so far is settled: one fetched after the commit
// may be refused before the next (found by the crash loop: its letter was
// written again by a later run).
func TestOffsetTrackerSettledCommitStillSaysSince(t *testing.T) {
	tr := NewOffsetTracker()
	before := time.Now().UnixMilli()
	tr.Done(tr.Begin("events", 0, 0))
	got := tr.Committable()
	if len(got) != 1 || got[0].Settled != 1 || got[0].UnsettledSince < before {
		t.Fatalf("committable %+v, want settled 1 and a time since the fetch", got)
	}
}
