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

func TestJoinKeyNeedsCallProvider(t *testing.T) {
	j := newTestJoin(t, 2, time.Hour)
	_, err := j.Key(Parsed{Transcript: &Transcript{Provider: ProviderDeepgram, CallID: "CA1"}})
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
