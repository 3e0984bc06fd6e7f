package stages

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"testing"
	"time"
)

var testKeySecret = []byte("test-secret-0123456789")

func newTestMinimizer(t testing.TB, region string) *MinimizeMetadata {
	t.Helper()
	m, err := NewMinimizeMetadata(MinimizeConfig{KeySecret: testKeySecret, DefaultRegion: region})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestNewMinimizeMetadataValidatesConfig(t *testing.T) {
	tests := []struct {
		name    string
		cfg     MinimizeConfig
		wantErr bool
	}{
		{"ok", MinimizeConfig{KeySecret: testKeySecret, DefaultRegion: "DE"}, false},
		{"no region", MinimizeConfig{KeySecret: testKeySecret}, false},
		{"lower-case region", MinimizeConfig{KeySecret: testKeySecret, DefaultRegion: "de"}, false},
		{"short secret", MinimizeConfig{KeySecret: []byte("short")}, true},
		{"unknown region", MinimizeConfig{KeySecret: testKeySecret, DefaultRegion: "XX"}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewMinimizeMetadata(tc.cfg)
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tc.wantErr)
			}
		})
	}
}

func TestCallKey(t *testing.T) {
	// Independent computation of the documented construction.
	mac := hmac.New(sha256.New, testKeySecret)
	mac.Write([]byte("twilio\x00CA123"))
	want := hex.EncodeToString(mac.Sum(nil))
	if got := CallKey(testKeySecret, ProviderTwilio, "CA123"); got != want {
		t.Fatalf("CallKey = %s, want %s", got, want)
	}
	distinct := map[string]bool{
		CallKey(testKeySecret, ProviderTwilio, "CA123"):                  true,
		CallKey(testKeySecret, ProviderAircall, "CA123"):                 true,
		CallKey(testKeySecret, ProviderTwilio, "CA124"):                  true,
		CallKey([]byte("other-secret-0123456"), ProviderTwilio, "CA123"): true,
		CallKey(testKeySecret, "twil", "io\x00CA123"):                    true,
	}
	if len(distinct) != 5 {
		t.Fatalf("keys collide: %d distinct of 5", len(distinct))
	}
}

func TestNormalizeE164(t *testing.T) {
	tests := []struct {
		name, raw, region string
		bareIntl          bool
		want              string
	}{
		{"sipgate without plus", "492111234567", "DE", true, "+492111234567"},
		{"sipgate mobile", "4915791234567", "", true, "+4915791234567"},
		{"aircall spaced", "+43 720 880079", "", false, "+43720880079"},
		{"aircall uk", "+44 330 818 6690", "GB", false, "+443308186690"},
		{"national with dash", "01579-9912345", "DE", true, "+4915799912345"},
		{"national without region", "01579-9912345", "", true, ""},
		{"international 00 prefix", "0049 30 901820", "DE", false, "+4930901820"},
		{"international 00 without region", "004930901820", "", false, "+4930901820"},
		{"us national digits", "2025550143", "US", false, "+12025550143"},
		{"tel uri", "tel:+4930901820;ext=1", "", false, "+4930901820"},
		{"twilio e164", "+12025550143", "", false, "+12025550143"},
		{"anonymous", "anonymous", "DE", true, ""},
		{"Anonymous", "Anonymous", "DE", false, ""},
		{"sip uri", "sip:4930901820@sipgate.de", "DE", false, ""},
		{"client identity", "client:anna", "", false, ""},
		{"too short", "12", "DE", false, ""},
		{"garbage", "+++", "", false, ""},
		{"plus inside", "49+30", "", false, ""},
		{"too long", "+49301234567890123456789", "", false, ""},
		{"empty", "", "DE", true, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := normalizeE164(tc.raw, tc.region, tc.bareIntl); got != tc.want {
				t.Fatalf("normalizeE164(%q, %q) = %q, want %q", tc.raw, tc.region, got, tc.want)
			}
		})
	}
}

// parseFixtureEvents parses fixtures of one provider into events.
func parseFixtureEvents(t *testing.T, provider string, files ...string) []*CallEvent {
	t.Helper()
	p := newTestParser(t)
	var evs []*CallEvent
	for i, f := range files {
		// Push events carry no time: the record time stands in, a few
		// seconds apart per event.
		rec := Record{Value: readProviderFixture(t, provider, f), Time: testRecordTime.Add(time.Duration(i) * 10 * time.Second)}
		got, err := p.Parse(rec)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		evs = append(evs, got.Event)
	}
	return evs
}

// TestMergeAndMinimizeCalls: fixture events of whole calls merge into the
// expected minimised Call, in every arrival order.
func TestMergeAndMinimizeCalls(t *testing.T) {
	rt := testRecordTime
	tests := []struct {
		name     string
		provider string
		files    []string
		want     Call
		complete bool
	}{
		{"sipgate answered call", "sipgate", []string{"push_newCall_in.form", "push_answer.form", "push_hangup_normalClearing.form"},
			Call{From: "+4921155501234", To: "+4930901820", Start: rt, DurationSeconds: 10, Direction: DirectionInbound, Status: StatusCompleted, Key: CallKey(testKeySecret, ProviderSipgate, "SG-1001")}, true},
		{"sipgate anonymous canceled", "sipgate", []string{"push_newCall_anonymous.form", "push_hangup_cancel.form"},
			Call{From: "", To: "+4930901820", Start: rt, DurationSeconds: 0, Direction: DirectionInbound, Status: StatusCanceled, Key: CallKey(testKeySecret, ProviderSipgate, "SG-1002")}, true},
		{"sipgate newCall only", "sipgate", []string{"push_newCall_out.form"},
			Call{From: "+4930901820", To: "+4915755501234", Start: rt, Direction: DirectionOutbound, Status: StatusInProgress, Key: CallKey(testKeySecret, ProviderSipgate, "SG-1003")}, false},
		{"sipgate history national", "sipgate", []string{"history_call_incoming_national.json"},
			Call{From: "+4915799912345", To: "+4930901820", Start: time.Date(2024, 3, 5, 9, 15, 0, 0, time.UTC), DurationSeconds: 312, Direction: DirectionInbound, Status: StatusCompleted, Key: CallKey(testKeySecret, ProviderSipgate, "SG-2001")}, true},
		{"twilio lone completed callback", "twilio", []string{"callback_completed.form"},
			Call{From: "+442079460123", To: "+12025550143", Start: time.Date(2024, 3, 5, 9, 13, 47, 0, time.UTC), DurationSeconds: 73, Direction: DirectionInbound, Status: StatusCompleted, Key: CallKey(testKeySecret, ProviderTwilio, "CA00000000000000000000000000000005")}, true},
		{"twilio client identity", "twilio", []string{"callback_completed_client_identity.form"},
			Call{From: "", To: "+4930901820", Start: time.Date(2024, 3, 5, 11, 0, 0, 0, time.UTC), DurationSeconds: 30, Direction: DirectionOutbound, Status: StatusCompleted, Key: CallKey(testKeySecret, ProviderTwilio, "CA11111111111111111111111111111111")}, true},
		{"aircall created answered ended", "aircall", []string{"call.created.inbound.json", "call.answered.inbound.json", "call.ended.inbound.json"},
			Call{From: "+33612345678", To: "+33170000099", Start: time.Unix(1709630000, 0).UTC(), DurationSeconds: 120, Direction: DirectionInbound, Status: StatusCompleted, Key: CallKey(testKeySecret, ProviderAircall, "900100")}, true},
		{"aircall missed", "aircall", []string{"call.created.inbound.json", "call.ended.missed.json"},
			Call{From: "+33612345678", To: "+33170000099", Start: time.Unix(1709630000, 0).UTC(), DurationSeconds: 0, Direction: DirectionInbound, Status: StatusNoAnswer, Key: CallKey(testKeySecret, ProviderAircall, "900100")}, true},
	}
	m := newTestMinimizer(t, "DE")
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			evs := parseFixtureEvents(t, tc.provider, tc.files...)
			for _, order := range permutations(len(evs)) {
				var f CallFacts
				for _, i := range order {
					f.Merge(evs[i])
				}
				if f.Complete != tc.complete {
					t.Fatalf("order %v: complete = %v, want %v", order, f.Complete, tc.complete)
				}
				got, err := m.Minimize(&f)
				if err != nil {
					t.Fatal(err)
				}
				if got != tc.want {
					t.Fatalf("order %v:\n got %+v\nwant %+v", order, got, tc.want)
				}
			}
		})
	}
}

func permutations(n int) [][]int {
	if n == 0 {
		return [][]int{{}}
	}
	var out [][]int
	for _, p := range permutations(n - 1) {
		for i := 0; i <= len(p); i++ {
			q := append(append(append([]int{}, p[:i]...), n-1), p[i:]...)
			out = append(out, q)
		}
	}
	return out
}

func TestMergeRules(t *testing.T) {
	t0 := time.Date(2024, 1, 1, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		events []CallEvent
		check  func(t *testing.T, f *CallFacts, c Call)
	}{
		{"final status beats in_progress and duplicate ends keep latest", []CallEvent{
			{Phase: PhaseEnded, Status: StatusCompleted, End: t0.Add(time.Minute), Answered: t0.Add(5 * time.Second)},
			{Phase: PhaseAnswered, Status: StatusInProgress, Answered: t0.Add(10 * time.Second)},
			{Phase: PhaseEnded, Status: StatusCompleted, End: t0.Add(50 * time.Second)},
		}, func(t *testing.T, f *CallFacts, c Call) {
			if c.Status != StatusCompleted || c.DurationSeconds != 55 || !f.Answered.Equal(t0.Add(5*time.Second)) {
				t.Fatalf("call %+v answered %v", c, f.Answered)
			}
		}},
		{"stated duration wins over computed, largest stated kept", []CallEvent{
			{Phase: PhaseStarted, Start: t0, DurationKnown: true},
			{Phase: PhaseEnded, Status: StatusCompleted, Answered: t0, End: t0.Add(time.Hour), Duration: 42 * time.Second, DurationKnown: true},
		}, func(t *testing.T, f *CallFacts, c Call) {
			if c.DurationSeconds != 42 {
				t.Fatalf("duration = %d", c.DurationSeconds)
			}
		}},
		{"end without known outcome but answered is completed", []CallEvent{
			{Phase: PhaseAnswered, Status: StatusInProgress, Answered: t0},
			{Phase: PhaseEnded, End: t0.Add(9 * time.Second)},
		}, func(t *testing.T, f *CallFacts, c Call) {
			if c.Status != StatusCompleted || c.DurationSeconds != 9 {
				t.Fatalf("call %+v", c)
			}
		}},
		{"end without known outcome and no answer claims nothing", []CallEvent{
			{Phase: PhaseStarted, Status: StatusInProgress, Start: t0},
			{Phase: PhaseEnded, End: t0.Add(9 * time.Second)},
		}, func(t *testing.T, f *CallFacts, c Call) {
			if c.Status != StatusUnknown || c.DurationSeconds != 0 {
				t.Fatalf("call %+v", c)
			}
		}},
		{"later phase numbers override earlier ones, region from event", []CallEvent{
			{Phase: PhaseEnded, From: "030 901820", Region: "DE"},
			{Phase: PhaseStarted, From: "+44 20 7946 0123", Region: "GB", Start: t0},
		}, func(t *testing.T, f *CallFacts, c Call) {
			if c.From != "+4930901820" {
				t.Fatalf("from = %q", c.From)
			}
		}},
		{"hints are deduplicated unions", []CallEvent{
			{Phase: PhaseStarted, Hints: Hints{Names: []string{"A", "B"}, Numbers: []string{"1"}}},
			{Phase: PhaseEnded, Hints: Hints{Names: []string{"B", "C"}, Numbers: []string{"1", "2"}}},
		}, func(t *testing.T, f *CallFacts, c Call) {
			if len(f.Hints.Names) != 3 || len(f.Hints.Numbers) != 2 {
				t.Fatalf("hints %+v", f.Hints)
			}
		}},
	}
	m := newTestMinimizer(t, "")
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, order := range permutations(len(tc.events)) {
				f := &CallFacts{}
				for _, i := range order {
					ev := tc.events[i]
					ev.Provider, ev.CallID = ProviderTwilio, "CA1"
					f.Merge(&ev)
				}
				c, err := m.Minimize(f)
				if err != nil {
					t.Fatal(err)
				}
				tc.check(t, f, c)
			}
		})
	}
}

func TestMinimizeRefusesIncompleteIdentity(t *testing.T) {
	m := newTestMinimizer(t, "")
	for _, f := range []*CallFacts{nil, {CallID: "x"}, {Provider: ProviderTwilio}} {
		_, err := m.Minimize(f)
		requireReason(t, err, ReasonMissingField)
	}
}

// BenchmarkParse compares the cost of parsing each payload kind against the
// cost of only scanning it for audio, in the same process.
func BenchmarkParse(b *testing.B) {
	p := newTestParser(b)
	cases := []struct{ provider, file string }{
		{"sipgate", "push_newCall_in.form"},
		{"twilio", "callback_completed.form"},
		{"aircall", "call.ended.inbound.json"},
		{"aws-transcribe", "speakers_on_items_language_id.json"},
		{"assemblyai", "utterances.json"},
	}
	for _, c := range cases {
		body := readProviderFixture(b, c.provider, c.file)
		rec := Record{Value: body, Key: []byte("twilio:CA1"), Time: testRecordTime}
		b.Run(c.provider+"/parse", func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				if _, err := p.Parse(rec); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(c.provider+"/audio-scan-only", func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				if containsBase64Audio(body) {
					b.Fatal("audio")
				}
			}
		})
	}
}

func BenchmarkMinimize(b *testing.B) {
	m := newTestMinimizer(b, "DE")
	f := &CallFacts{Provider: ProviderSipgate, CallID: "SG-1", From: "4921155501234", To: "01579-9912345",
		Start: testRecordTime, Answered: testRecordTime, End: testRecordTime.Add(time.Minute), Complete: true}
	for b.Loop() {
		if _, err := m.Minimize(f); err != nil {
			b.Fatal(err)
		}
	}
}
