package stages

import (
	"errors"
	"testing"
	"time"
)

// eventWant lists the CallEvent fields a fixture test checks.
type eventWant struct {
	callID    string
	phase     Phase
	from, to  string
	region    string
	direction Direction
	status    Status
	start     time.Time
	answered  time.Time
	end       time.Time
	// duration < 0 means "not stated".
	duration time.Duration
	hintName string
}

func checkEvent(t *testing.T, ev *CallEvent, want eventWant) {
	t.Helper()
	if ev.CallID != want.callID || ev.Phase != want.phase || ev.From != want.from || ev.To != want.to ||
		ev.Region != want.region || ev.Direction != want.direction || ev.Status != want.status {
		t.Errorf("event = {id:%q phase:%d from:%q to:%q region:%q dir:%q status:%q}, want %+v",
			ev.CallID, ev.Phase, ev.From, ev.To, ev.Region, ev.Direction, ev.Status, want)
	}
	for _, tc := range []struct {
		name      string
		got, want time.Time
	}{{"start", ev.Start, want.start}, {"answered", ev.Answered, want.answered}, {"end", ev.End, want.end}} {
		if !tc.got.Equal(tc.want) {
			t.Errorf("%s = %v, want %v", tc.name, tc.got, tc.want)
		}
	}
	if want.duration < 0 {
		if ev.DurationKnown {
			t.Errorf("duration stated as %v, want unknown", ev.Duration)
		}
	} else if !ev.DurationKnown || ev.Duration != want.duration {
		t.Errorf("duration = %v (known %v), want %v", ev.Duration, ev.DurationKnown, want.duration)
	}
	if want.hintName != "" {
		found := false
		for _, n := range ev.Hints.Names {
			found = found || n == want.hintName
		}
		if !found {
			t.Errorf("hint names %v miss %q", ev.Hints.Names, want.hintName)
		}
	}
}

func TestParseSipgateFixtures(t *testing.T) {
	rt := testRecordTime
	tests := []struct {
		file string
		key  string
		want eventWant
	}{
		{"push_newCall_in.form", "", eventWant{callID: "SG-1001", phase: PhaseStarted, from: "4921155501234", to: "4930901820",
			direction: DirectionInbound, status: StatusInProgress, start: rt, duration: -1, hintName: "Erika Musterfrau"}},
		{"push_answer.form", "sipgate:SG-1001", eventWant{callID: "SG-1001", phase: PhaseAnswered, from: "4921155501234", to: "4930901820",
			direction: DirectionInbound, status: StatusInProgress, answered: rt, duration: -1, hintName: "Erika Musterfrau"}},
		{"push_hangup_normalClearing.form", "", eventWant{callID: "SG-1001", phase: PhaseEnded, from: "4921155501234", to: "4930901820",
			direction: DirectionInbound, status: StatusCompleted, end: rt, duration: -1}},
		{"push_newCall_anonymous.form", "", eventWant{callID: "SG-1002", phase: PhaseStarted, from: "anonymous", to: "4930901820",
			direction: DirectionInbound, status: StatusInProgress, start: rt, duration: -1, hintName: "Max Mustermann"}},
		{"push_hangup_cancel.form", "", eventWant{callID: "SG-1002", phase: PhaseEnded, from: "anonymous", to: "4930901820",
			direction: DirectionInbound, status: StatusCanceled, end: rt, duration: -1}},
		{"push_newCall_out.form", "", eventWant{callID: "SG-1003", phase: PhaseStarted, from: "4930901820", to: "4915755501234",
			direction: DirectionOutbound, status: StatusInProgress, start: rt, duration: -1}},
		{"push_hangup_busy.form", "", eventWant{callID: "SG-1003", phase: PhaseEnded, from: "4930901820", to: "4915755501234",
			direction: DirectionOutbound, status: StatusBusy, end: rt, duration: -1}},
		{"push_hangup_noAnswer.json", "", eventWant{callID: "SG-1004", phase: PhaseEnded, from: "4921155501234", to: "4930901820",
			direction: DirectionInbound, status: StatusNoAnswer, end: rt, duration: -1, hintName: "Erika Musterfrau"}},
		{"history_call_incoming_national.json", "", eventWant{callID: "SG-2001", phase: PhaseEnded, from: "01579-9912345", to: "+49 30 901820",
			direction: DirectionInbound, status: StatusCompleted,
			start: time.Date(2024, 3, 5, 9, 15, 0, 0, time.UTC), end: time.Date(2024, 3, 5, 9, 20, 12, 0, time.UTC),
			duration: 312 * time.Second, hintName: "Jana Beispiel"}},
		{"history_call_missed_anonymous.json", "", eventWant{callID: "H900002", phase: PhaseEnded, from: "anonymous", to: "4930901820",
			direction: DirectionInbound, status: StatusNoAnswer,
			start: time.Date(2024, 3, 5, 9, 0, 0, 0, time.UTC), end: time.Date(2024, 3, 5, 9, 0, 0, 0, time.UTC), duration: 0}},
	}
	p := newTestParser(t)
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			// Half the cases name the provider, half rely on detection.
			rec := Record{Value: readProviderFixture(t, "sipgate", tc.file), Key: []byte(tc.key), Time: rt}
			if len(tc.file)%2 == 0 {
				rec.Provider = ProviderSipgate
			}
			got, err := p.Parse(rec)
			if err != nil {
				t.Fatal(err)
			}
			assertParsedWellFormed(t, got)
			if got.Event.Provider != ProviderSipgate {
				t.Fatalf("provider = %q", got.Event.Provider)
			}
			checkEvent(t, got.Event, tc.want)
		})
	}
}

func TestParseSipgateRefusals(t *testing.T) {
	tests := []struct {
		name   string
		body   string
		reason Reason
		field  string
	}{
		{"dtmf is not a call state", string(readProviderFixture(t, "sipgate", "push_dtmf.form")), ReasonUnsupportedEvent, "event"},
		{"unknown event", "event=somethingNew&callId=1", ReasonUnsupportedEvent, "event"},
		{"history sms", string(readProviderFixture(t, "sipgate", "history_sms.json")), ReasonUnsupportedEvent, "type"},
		{"no event", "callId=1&from=49301", ReasonMissingField, "event"},
		{"no call id anywhere", "event=newCall&from=49301&xcid=", ReasonMissingField, "callId"},
	}
	p := newTestParser(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := p.Parse(Record{Provider: ProviderSipgate, Value: []byte(tc.body), Time: testRecordTime})
			if se := requireReason(t, err, tc.reason); se.Field != tc.field {
				t.Fatalf("field = %q, want %q", se.Field, tc.field)
			}
		})
	}
}

// FuzzParseSipgate: arbitrary push bodies and history entries never panic,
// fail only with *stages.Error and succeed only with well-formed events.
func FuzzParseSipgate(f *testing.F) {
	for _, name := range []string{"push_newCall_in.form", "push_hangup_noAnswer.json", "history_call_incoming_national.json", "push_dtmf.form"} {
		f.Add(readProviderFixture(f, "sipgate", name))
	}
	fuzzParseProvider(f, ProviderSipgate)
}

// fuzzParseProvider is the body shared by the per-provider fuzz targets.
func fuzzParseProvider(f *testing.F, prov Provider) {
	p := newTestParser(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		rec := Record{Provider: prov, Value: body, Time: testRecordTime}
		if !prov.IsTelephony() {
			rec.Key = []byte("twilio:CA-fuzz")
		}
		got, err := p.Parse(rec)
		if err != nil {
			var se *Error
			if !errors.As(err, &se) {
				t.Fatalf("error %T is not *stages.Error", err)
			}
			if se.Reason == "" {
				t.Fatal("error without reason")
			}
			return
		}
		assertParsedWellFormed(t, got)
		if got.Event != nil && got.Event.Provider != prov || got.Transcript != nil && got.Transcript.Provider != prov {
			t.Fatalf("parsed as another provider: %+v", got)
		}
	})
}
