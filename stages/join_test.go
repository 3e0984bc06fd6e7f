package stages

import (
	"testing"
	"time"
)

var joinSecret = []byte("join-test-secret-0123456789")

func newTestJoin(t *testing.T, max int, ttl time.Duration) *Join[int] {
	t.Helper()
	j, err := NewJoin[int](JoinConfig{MaxPending: max, TTL: ttl, KeySecret: joinSecret})
	if err != nil {
		t.Fatal(err)
	}
	return j
}

func ended(id string) Parsed {
	return Parsed{Event: &CallEvent{Provider: ProviderTwilio, CallID: id, Phase: PhaseEnded}}
}

func started(id string) Parsed {
	return Parsed{Event: &CallEvent{Provider: ProviderTwilio, CallID: id, Phase: PhaseStarted}}
}

func transcript(id string) Parsed {
	return Parsed{Transcript: &Transcript{Provider: ProviderDeepgram, CallProvider: ProviderTwilio, CallID: id}}
}

func addAll(t *testing.T, j *Join[int], now time.Time, ps ...Parsed) (ready []Joined[int], settled []int) {
	t.Helper()
	for i, p := range ps {
		key, err := j.Key(p)
		if err != nil {
			t.Fatal(err)
		}
		res := j.Add(key, p, i, now)
		ready = append(ready, res.Ready...)
		settled = append(settled, res.Settled...)
	}
	return ready, settled
}

func TestJoinEitherOrder(t *testing.T) {
	now := time.Unix(1000, 0)
	for name, order := range map[string][]Parsed{
		"events first":     {started("CA1"), ended("CA1"), transcript("CA1")},
		"transcript first": {transcript("CA1"), started("CA1"), ended("CA1")},
		"transcript mid":   {started("CA1"), transcript("CA1"), ended("CA1")},
	} {
		t.Run(name, func(t *testing.T) {
			j := newTestJoin(t, 10, time.Minute)
			ready, _ := addAll(t, j, now, order...)
			if len(ready) != 1 {
				t.Fatalf("want one joined call, got %d", len(ready))
			}
			got := ready[0]
			if got.Transcript == nil || len(got.Events) != 2 || len(got.Refs) != 3 || got.Orphan {
				t.Fatalf("incomplete join: %+v", got)
			}
			if j.Pending() != 0 {
				t.Fatalf("pending = %d after emit", j.Pending())
			}
		})
	}
}

func TestJoinTTLEmitsCallWithoutTranscriptAndOrphansTranscript(t *testing.T) {
	now := time.Unix(1000, 0)
	j := newTestJoin(t, 10, time.Minute)
	ready, _ := addAll(t, j, now, started("CA1"), ended("CA1"), transcript("CA2"))
	if len(ready) != 0 {
		t.Fatalf("emitted before TTL: %d", len(ready))
	}
	if got := j.Expire(now.Add(59 * time.Second)); len(got) != 0 {
		t.Fatalf("expired early: %d", len(got))
	}
	got := j.Expire(now.Add(time.Minute))
	if len(got) != 2 {
		t.Fatalf("want 2 expired, got %d", len(got))
	}
	var calls, orphans int
	for _, g := range got {
		if g.Orphan {
			orphans++
			if g.Transcript == nil || len(g.Refs) != 1 {
				t.Fatalf("bad orphan %+v", g)
			}
		} else {
			calls++
			if g.Transcript != nil || len(g.Refs) != 2 {
				t.Fatalf("bad call %+v", g)
			}
		}
	}
	if calls != 1 || orphans != 1 {
		t.Fatalf("calls=%d orphans=%d", calls, orphans)
	}
}

func TestJoinLateTranscriptReemitsAndLateEventSettles(t *testing.T) {
	now := time.Unix(1000, 0)
	j := newTestJoin(t, 10, time.Minute)
	addAll(t, j, now, ended("CA1"))
	if got := j.Expire(now.Add(time.Minute)); len(got) != 1 || got[0].Transcript != nil {
		t.Fatalf("want call without transcript, got %+v", got)
	}
	later := now.Add(70 * time.Second)
	ready, settled := addAll(t, j, later, ended("CA1"), transcript("CA1"))
	if len(settled) != 1 {
		t.Fatalf("late event not settled: %v", settled)
	}
	if len(ready) != 1 || !ready[0].Redelivery || ready[0].Transcript == nil || len(ready[0].Events) != 1 {
		t.Fatalf("late transcript not re-emitted with its call: %+v", ready)
	}
	// The transcript's own ref, and the first emission's for tying them.
	if refs, earlier := ready[0].Refs, ready[0].Earlier; len(refs) != 1 || refs[0] != 1 || len(earlier) != 1 || earlier[0] != 0 {
		t.Fatalf("redelivery refs %v, earlier %v; want [1] and [0]", refs, earlier)
	}
	// Once the memory of the emitted call expires, a stray transcript is an orphan again.
	j.Expire(later.Add(2 * time.Minute))
	addAll(t, j, later.Add(2*time.Minute), transcript("CA1"))
	if got := j.Expire(later.Add(4 * time.Minute)); len(got) != 1 || !got[0].Orphan {
		t.Fatalf("want orphan, got %+v", got)
	}
}

func TestJoinBoundedEvictsOldest(t *testing.T) {
	now := time.Unix(1000, 0)
	j := newTestJoin(t, 2, time.Hour)
	ready, _ := addAll(t, j, now, started("CA1"), started("CA2"), started("CA3"))
	if len(ready) != 1 {
		t.Fatalf("want one eviction, got %d", len(ready))
	}
	if j.Pending() != 2 {
		t.Fatalf("pending = %d, want bound 2", j.Pending())
	}
	if ready[0].Key != CallKey(joinSecret, ProviderTwilio, "CA1") {
		t.Fatalf("evicted the wrong call")
	}
}

func idTranscript(id string) Parsed {
	return Parsed{Transcript: &Transcript{Provider: ProviderDeepgram, CallID: id}}
}

func event(prov Provider, id string, phase Phase) Parsed {
	return Parsed{Event: &CallEvent{Provider: prov, CallID: id, Phase: phase}}
}

// TestJoinByCallIDAlone: a transcript keyed by its call id alone, naming
// no telephony provider, joins the call with that provider call id in
// either order and for every provider, and the call comes out under the
// same call key as with a named provider.
func TestJoinByCallIDAlone(t *testing.T) {
	now := time.Unix(1000, 0)
	for _, prov := range []Provider{ProviderTwilio, ProviderAircall, ProviderSipgate} {
		want := CallKey(joinSecret, prov, "42")
		for name, order := range map[string][]Parsed{
			"events first":     {event(prov, "42", PhaseStarted), event(prov, "42", PhaseEnded), idTranscript("42")},
			"transcript first": {idTranscript("42"), event(prov, "42", PhaseStarted), event(prov, "42", PhaseEnded)},
			"transcript mid":   {event(prov, "42", PhaseStarted), idTranscript("42"), event(prov, "42", PhaseEnded)},
		} {
			t.Run(string(prov)+" "+name, func(t *testing.T) {
				j := newTestJoin(t, 10, time.Minute)
				ready, _ := addAll(t, j, now, order...)
				if len(ready) != 1 || ready[0].Transcript == nil || len(ready[0].Events) != 2 || len(ready[0].Refs) != 3 {
					t.Fatalf("not joined: %+v", ready)
				}
				if ready[0].Key != want {
					t.Fatal("call key differs from the key of a named provider")
				}
				if j.Pending() != 0 || len(j.Expire(now.Add(time.Hour))) != 0 {
					t.Fatal("something left waiting")
				}
			})
		}
	}
	t.Run("late transcript re-emits the call", func(t *testing.T) {
		j := newTestJoin(t, 10, time.Minute)
		addAll(t, j, now, started("CA7"), ended("CA7"))
		if got := j.Expire(now.Add(time.Minute)); len(got) != 1 || got[0].Transcript != nil {
			t.Fatalf("want the call without transcript, got %+v", got)
		}
		ready, _ := addAll(t, j, now.Add(time.Minute), idTranscript("CA7"))
		if len(ready) != 1 || !ready[0].Redelivery || ready[0].Key != CallKey(joinSecret, ProviderTwilio, "CA7") {
			t.Fatalf("want a redelivery of CA7, got %+v", ready)
		}
	})
	t.Run("two providers share the id", func(t *testing.T) {
		j := newTestJoin(t, 10, time.Minute)
		addAll(t, j, now, event(ProviderAircall, "42", PhaseStarted), event(ProviderSipgate, "42", PhaseStarted))
		// Keyed by the id alone it cannot tell them apart and waits...
		if ready, _ := addAll(t, j, now, idTranscript("42")); len(ready) != 0 {
			t.Fatalf("joined an ambiguous id: %+v", ready)
		}
		// ...while one naming its provider joins.
		named := Parsed{Transcript: &Transcript{Provider: ProviderDeepgram, CallProvider: ProviderSipgate, CallID: "42"}}
		ready, _ := addAll(t, j, now, named, event(ProviderSipgate, "42", PhaseEnded))
		if len(ready) != 1 || ready[0].Key != CallKey(joinSecret, ProviderSipgate, "42") || ready[0].Transcript == nil {
			t.Fatalf("named transcript not joined: %+v", ready)
		}
		got := j.Expire(now.Add(time.Minute))
		var orphans int
		for _, g := range got {
			if g.Orphan {
				orphans++
			}
		}
		if orphans != 1 {
			t.Fatalf("want the ambiguous transcript orphaned, got %+v", got)
		}
	})
	t.Run("forgotten calls leave no id behind", func(t *testing.T) {
		j := newTestJoin(t, 10, time.Minute)
		addAll(t, j, now, started("CA8"))
		j.Forget(CallKey(joinSecret, ProviderTwilio, "CA8"))
		if len(j.byID) != 0 {
			t.Fatalf("id index keeps %d entries", len(j.byID))
		}
		addAll(t, j, now, started("CA9"), ended("CA9"))
		j.Expire(now.Add(time.Minute))
		j.Expire(now.Add(3 * time.Minute))
		if len(j.byID) != 0 || len(j.emitted) != 0 {
			t.Fatalf("id index keeps %d entries", len(j.byID))
		}
	})
}

func TestJoinKeyRefusesNonTelephonyCallProvider(t *testing.T) {
	j := newTestJoin(t, 2, time.Hour)
	_, err := j.Key(Parsed{Transcript: &Transcript{Provider: ProviderDeepgram, CallProvider: ProviderDeepgram, CallID: "CA1"}})
	se, ok := err.(*Error)
	if !ok || se.Reason != ReasonUnknownCallProvider {
		t.Fatalf("want unknown_call_provider, got %v", err)
	}
	// Events and transcripts of the same call get the same key.
	k1, _ := j.Key(ended("CA9"))
	k2, _ := j.Key(transcript("CA9"))
	if k1 != k2 {
		t.Fatal("event and transcript keys differ")
	}
}

func TestJoinForget(t *testing.T) {
	now := time.Unix(1000, 0)
	j := newTestJoin(t, 10, time.Hour)
	addAll(t, j, now, started("CA1"), transcript("CA1"))
	key, _ := j.Key(started("CA1"))
	if refs := j.Forget(key); len(refs) != 2 {
		t.Fatalf("forget returned %v", refs)
	}
	if j.Pending() != 0 {
		t.Fatal("state kept after forget")
	}
}

func TestJoinConfigValidation(t *testing.T) {
	for name, cfg := range map[string]JoinConfig{
		"short secret": {KeySecret: []byte("short")},
		"negative max": {KeySecret: joinSecret, MaxPending: -1},
		"negative ttl": {KeySecret: joinSecret, TTL: -time.Second},
	} {
		if _, err := NewJoin[int](cfg); err == nil {
			t.Errorf("%s: want error", name)
		}
	}
}

// addRef adds one parsed record with an explicit reference.
func addRef(t *testing.T, j *Join[int], now time.Time, p Parsed, ref int) AddResult[int] {
	t.Helper()
	key, err := j.Key(p)
	if err != nil {
		t.Fatal(err)
	}
	return j.Add(key, p, ref, now)
}

func TestJoinDropRefs(t *testing.T) {
	now := time.Unix(1000, 0)
	// References encode a partition in their hundreds: 1xx is partition 1.
	partition := func(ref int) int { return ref / 100 }
	for _, tc := range []struct {
		name string
		// records to add: a parsed record and its reference.
		recs []struct {
			p   Parsed
			ref int
		}
		drop        map[int]bool // partitions revoked
		wantDropped int
		wantKept    []string // call ids still pending, emitted at TTL
	}{
		{
			name: "only calls of the revoked partition go",
			recs: []struct {
				p   Parsed
				ref int
			}{{started("CA1"), 101}, {started("CA2"), 201}, {transcript("CA3"), 102}, {ended("CA4"), 301}},
			drop: map[int]bool{1: true}, wantDropped: 2, wantKept: []string{"CA2", "CA4"},
		},
		{
			name: "one ref of a revoked partition drops the whole call",
			recs: []struct {
				p   Parsed
				ref int
			}{{started("CA1"), 201}, {transcript("CA1"), 101}, {started("CA2"), 202}},
			drop: map[int]bool{1: true}, wantDropped: 1, wantKept: []string{"CA2"},
		},
		{
			name: "nothing revoked keeps everything",
			recs: []struct {
				p   Parsed
				ref int
			}{{started("CA1"), 101}, {started("CA2"), 201}},
			drop: map[int]bool{}, wantDropped: 0, wantKept: []string{"CA1", "CA2"},
		},
		{
			name: "every partition revoked empties the join",
			recs: []struct {
				p   Parsed
				ref int
			}{{started("CA1"), 101}, {started("CA2"), 201}, {transcript("CA3"), 301}},
			drop: map[int]bool{1: true, 2: true, 3: true}, wantDropped: 3,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			j := newTestJoin(t, 10, time.Minute)
			for _, r := range tc.recs {
				if res := addRef(t, j, now, r.p, r.ref); len(res.Ready) != 0 {
					t.Fatalf("call emitted while adding: %+v", res.Ready)
				}
			}
			var asked []int
			got := j.DropRefs(func(ref int) bool {
				asked = append(asked, ref)
				return tc.drop[partition(ref)]
			})
			if got != tc.wantDropped {
				t.Fatalf("dropped %d, want %d", got, tc.wantDropped)
			}
			if len(asked) == 0 {
				t.Fatal("predicate never consulted")
			}
			if j.Pending() != len(tc.wantKept) {
				t.Fatalf("pending %d, want %d", j.Pending(), len(tc.wantKept))
			}
			// The dropped calls never come out, not even at their TTL; the
			// kept ones do, with their refs intact.
			out := j.Expire(now.Add(time.Minute))
			keys := map[string]bool{}
			for _, o := range out {
				keys[o.Key] = true
				for _, ref := range o.Refs {
					if tc.drop[partition(ref)] {
						t.Errorf("a ref of a revoked partition came back: %d", ref)
					}
				}
			}
			if len(keys) != len(tc.wantKept) {
				t.Fatalf("expired %d calls, want %d", len(keys), len(tc.wantKept))
			}
			for _, id := range tc.wantKept {
				k, _ := j.Key(started(id))
				if !keys[k] {
					t.Errorf("kept call %s did not expire", id)
				}
			}
		})
	}
}

func TestJoinDropRefsThenRereadJoinsAfresh(t *testing.T) {
	now := time.Unix(1000, 0)
	j := newTestJoin(t, 10, time.Minute)
	// CA1 went out complete before the rebalance; CA2 was pending.
	addRef(t, j, now, ended("CA1"), 101)
	if res := addRef(t, j, now, transcript("CA1"), 102); len(res.Ready) != 1 {
		t.Fatalf("CA1 not emitted: %+v", res)
	}
	addRef(t, j, now, ended("CA2"), 103)
	if n := j.DropRefs(func(ref int) bool { return ref/100 == 1 }); n != 1 {
		t.Fatalf("dropped %d, want the one pending call", n)
	}
	// The partition comes back and is read again from the last commit.
	// CA1's memory is kept: its event is a duplicate and settles.
	if res := addRef(t, j, now, ended("CA1"), 111); len(res.Settled) != 1 || len(res.Ready) != 0 {
		t.Fatalf("re-read event of an emitted call: %+v", res)
	}
	// CA2 was not emitted, so its re-read records join as a new call,
	// transcript included, with only the new refs.
	addRef(t, j, now, ended("CA2"), 113)
	res := addRef(t, j, now, transcript("CA2"), 114)
	if len(res.Ready) != 1 || res.Ready[0].Transcript == nil || res.Ready[0].Redelivery {
		t.Fatalf("re-read call not joined afresh: %+v", res.Ready)
	}
	if refs := res.Ready[0].Refs; len(refs) != 2 || refs[0] != 113 || refs[1] != 114 {
		t.Fatalf("refs %v, want only the re-read records [113 114]", refs)
	}
}

func TestJoinEmitsUnansweredCallsAtTheirEnd(t *testing.T) {
	now := time.Unix(1000, 0)
	for _, st := range []Status{StatusNoAnswer, StatusBusy, StatusCanceled, StatusFailed} {
		j := newTestJoin(t, 10, time.Hour)
		end := Parsed{Event: &CallEvent{Provider: ProviderTwilio, CallID: "CA1", Phase: PhaseEnded, Status: st}}
		ready, _ := addAll(t, j, now, started("CA1"), end)
		if len(ready) != 1 || ready[0].Transcript != nil || len(ready[0].Refs) != 2 {
			t.Errorf("%s: want the call at its end without waiting for a transcript, got %+v", st, ready)
		}
	}
	// A completed call still waits for its transcript.
	j := newTestJoin(t, 10, time.Hour)
	done := Parsed{Event: &CallEvent{Provider: ProviderTwilio, CallID: "CA2", Phase: PhaseEnded, Status: StatusCompleted}}
	if ready, _ := addAll(t, j, now, done); len(ready) != 0 {
		t.Errorf("completed call emitted before its transcript: %+v", ready)
	}
}

// Records read again after a restart only as context (AddContext) complete
// a call that has live records, and only then does it come out for
// delivery; a late transcript read as context still completes a call that
// went out without one.
func TestJoinContextRecords(t *testing.T) {
	now := time.Unix(1000, 0)
	add := func(j *Join[int], p Parsed, ref int, context bool) AddResult[int] {
		t.Helper()
		key, err := j.Key(p)
		if err != nil {
			t.Fatal(err)
		}
		if context {
			return j.AddContext(key, p, ref, now)
		}
		return j.Add(key, p, ref, now)
	}
	t.Run("context alone comes out marked", func(t *testing.T) {
		j := newTestJoin(t, 10, time.Minute)
		var got []Joined[int]
		for i, p := range []Parsed{started("CA1"), ended("CA1"), transcript("CA1"), transcript("CA2")} {
			got = append(got, add(j, p, i, true).Ready...)
		}
		got = append(got, j.Expire(now.Add(time.Minute))...)
		if len(got) != 2 {
			t.Fatalf("want the call and the orphan, got %+v", got)
		}
		for _, g := range got {
			if !g.Context {
				t.Errorf("a call of context records only is not marked: %+v", g)
			}
		}
	})
	t.Run("one live record makes the whole call live", func(t *testing.T) {
		j := newTestJoin(t, 10, time.Minute)
		add(j, started("CA1"), 0, true)
		add(j, transcript("CA1"), 1, true)
		res := add(j, ended("CA1"), 2, false)
		if len(res.Ready) != 1 || res.Ready[0].Context || res.Ready[0].Transcript == nil || len(res.Ready[0].Refs) != 3 {
			t.Fatalf("want the whole call, live, got %+v", res.Ready)
		}
	})
	t.Run("a context transcript completes a call that went out without one", func(t *testing.T) {
		j := newTestJoin(t, 10, time.Minute)
		add(j, ended("CA1"), 0, false)
		if got := j.Expire(now.Add(time.Minute)); len(got) != 1 || got[0].Transcript != nil {
			t.Fatalf("want the call without transcript, got %+v", got)
		}
		res := add(j, transcript("CA1"), 1, true)
		if len(res.Ready) != 1 || !res.Ready[0].Redelivery || res.Ready[0].Transcript == nil {
			t.Fatalf("want a redelivery with the transcript, got %+v", res)
		}
		if res := add(j, ended("CA1"), 2, true); len(res.Ready) != 0 || len(res.Settled) != 1 {
			t.Fatalf("a context event of an emitted call must settle, got %+v", res)
		}
	})
}

// TestParserTranscriptCallProvider: the configured provider fills in only
// where a transcript names none; header and key prefix still win.
func TestParserTranscriptCallProvider(t *testing.T) {
	if _, err := NewParser(ParserConfig{TranscriptCallProvider: ProviderDeepgram}); err == nil {
		t.Fatal("a transcription provider was accepted as the call provider")
	}
	p, err := NewParser(ParserConfig{TranscriptCallProvider: ProviderAircall})
	if err != nil {
		t.Fatal(err)
	}
	body := readProviderFixture(t, "deepgram", "diarized_words.json")
	for _, tc := range []struct {
		rec  Record
		want Provider
	}{
		{Record{Key: []byte("812345678")}, ProviderAircall},
		{Record{Key: []byte("twilio:CA1")}, ProviderTwilio},
		{Record{Key: []byte("1"), CallProvider: ProviderSipgate}, ProviderSipgate},
	} {
		tc.rec.Value, tc.rec.Provider = body, ProviderDeepgram
		got, err := p.Parse(tc.rec)
		if err != nil {
			t.Fatal(err)
		}
		if got.Transcript.CallProvider != tc.want {
			t.Errorf("key %q: call provider %q, want %q", tc.rec.Key, got.Transcript.CallProvider, tc.want)
		}
	}
}

// TestJoinEmitOnEnd: an answered call goes out provisionally at its end,
// without records; its records come back once, with the complete call
// (transcript joined, or at the TTL), and a context-only call never goes
// out.
func TestJoinEmitOnEnd(t *testing.T) {
	now := time.Unix(1000, 0)
	newJoin := func(t *testing.T) *Join[int] {
		j, err := NewJoin[int](JoinConfig{MaxPending: 10, TTL: time.Minute, KeySecret: joinSecret, EmitOnEnd: true})
		if err != nil {
			t.Fatal(err)
		}
		return j
	}
	t.Run("transcript after the end", func(t *testing.T) {
		j := newJoin(t)
		ready, _ := addAll(t, j, now, started("CA1"), ended("CA1"))
		if len(ready) != 1 || !ready[0].Provisional || len(ready[0].Refs) != 0 || ready[0].Transcript != nil || len(ready[0].Events) != 2 {
			t.Fatalf("want one provisional call without refs, got %+v", ready)
		}
		// A repeated end does not send it again.
		if again, _ := addAll(t, j, now, ended("CA1")); len(again) != 0 {
			t.Fatalf("sent again: %+v", again)
		}
		res := j.Add(mustKey(t, j, idTranscript("CA1")), idTranscript("CA1"), 7, now)
		if len(res.Ready) != 1 || res.Ready[0].Provisional || res.Ready[0].Transcript == nil || len(res.Ready[0].Refs) != 4 {
			t.Fatalf("want the complete call with all 4 records, got %+v", res.Ready)
		}
		if res.Ready[0].Key != ready[0].Key {
			t.Fatal("the complete call has another key")
		}
		if j.Pending() != 0 {
			t.Fatal("still pending")
		}
	})
	t.Run("no transcript: complete at the TTL", func(t *testing.T) {
		j := newJoin(t)
		ready, _ := addAll(t, j, now, started("CA2"), ended("CA2"))
		if len(ready) != 1 || !ready[0].Provisional {
			t.Fatalf("want a provisional call, got %+v", ready)
		}
		got := j.Expire(now.Add(time.Minute))
		if len(got) != 1 || got[0].Provisional || len(got[0].Refs) != 2 {
			t.Fatalf("want the call with its records at the TTL, got %+v", got)
		}
	})
	t.Run("transcript first: complete at once", func(t *testing.T) {
		j := newJoin(t)
		ready, _ := addAll(t, j, now, transcript("CA3"), started("CA3"), ended("CA3"))
		if len(ready) != 1 || ready[0].Provisional || ready[0].Transcript == nil {
			t.Fatalf("want one complete call, got %+v", ready)
		}
	})
	t.Run("unanswered: complete at once", func(t *testing.T) {
		j := newJoin(t)
		p := Parsed{Event: &CallEvent{Provider: ProviderTwilio, CallID: "CA4", Phase: PhaseEnded, Status: StatusNoAnswer}}
		ready, _ := addAll(t, j, now, p)
		if len(ready) != 1 || ready[0].Provisional {
			t.Fatalf("want one complete call, got %+v", ready)
		}
	})
	t.Run("a call read again is not sent before its transcript", func(t *testing.T) {
		// After a restart a call that straddled the commit is read
		// again: its early records as context, its end live, its
		// transcript (context) after the end. It went out complete
		// before; only the complete call goes out again.
		j := newJoin(t)
		if res := j.AddContext(mustKey(t, j, started("CA6")), started("CA6"), 0, now); len(res.Ready) != 0 {
			t.Fatalf("sent: %+v", res.Ready)
		}
		if ready, _ := addAll(t, j, now, ended("CA6")); len(ready) != 0 {
			t.Fatalf("a call read again went out provisionally: %+v", ready)
		}
		res := j.AddContext(mustKey(t, j, idTranscript("CA6")), idTranscript("CA6"), 9, now)
		if len(res.Ready) != 1 || res.Ready[0].Provisional || res.Ready[0].Context || res.Ready[0].Transcript == nil {
			t.Fatalf("want the complete call, live, got %+v", res.Ready)
		}
	})
	t.Run("context records are not sent", func(t *testing.T) {
		j := newJoin(t)
		for i, p := range []Parsed{started("CA5"), ended("CA5")} {
			if res := j.AddContext(mustKey(t, j, p), p, i, now); len(res.Ready) != 0 {
				t.Fatalf("context call sent: %+v", res.Ready)
			}
		}
	})
}

func mustKey(t *testing.T, j *Join[int], p Parsed) string {
	t.Helper()
	k, err := j.Key(p)
	if err != nil {
		t.Fatal(err)
	}
	return k
}
