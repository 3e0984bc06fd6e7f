package stages

import (
	"testing"
	"time"
)

func TestParseTwilioCallbacksEachStatus(t *testing.T) {
	at := func(min int) time.Time { return time.Date(2024, 3, 5, 9, min, 0, 0, time.UTC) }
	tests := []struct {
		status   string
		idx      int
		phase    Phase
		want     Status
		duration time.Duration // < 0: not stated
	}{
		{"queued", 1, PhaseStarted, StatusInProgress, -1},
		{"initiated", 2, PhaseStarted, StatusInProgress, -1},
		{"ringing", 3, PhaseStarted, StatusInProgress, -1},
		{"in-progress", 4, PhaseAnswered, StatusInProgress, -1},
		// CallDuration (73 s) is used, never Duration (billed minutes: 2).
		{"completed", 5, PhaseEnded, StatusCompleted, 73 * time.Second},
		{"busy", 6, PhaseEnded, StatusBusy, 0},
		{"no-answer", 7, PhaseEnded, StatusNoAnswer, 0},
		{"failed", 8, PhaseEnded, StatusFailed, 0},
		{"canceled", 9, PhaseEnded, StatusCanceled, 0},
	}
	p := newTestParser(t)
	for _, tc := range tests {
		t.Run(tc.status, func(t *testing.T) {
			got, err := p.Parse(Record{Value: readProviderFixture(t, "twilio", "callback_"+tc.status+".form"), Time: testRecordTime})
			if err != nil {
				t.Fatal(err)
			}
			assertParsedWellFormed(t, got)
			want := eventWant{callID: "CA0000000000000000000000000000000" + string(rune('0'+tc.idx)), phase: tc.phase,
				from: "+442079460123", to: "+12025550143", direction: DirectionInbound, status: tc.want,
				duration: tc.duration, hintName: "SMITH JOHN"}
			switch tc.phase {
			case PhaseStarted:
				want.start = at(10 + tc.idx)
			case PhaseAnswered:
				want.answered = at(10 + tc.idx)
			case PhaseEnded:
				want.end = at(10 + tc.idx)
			}
			checkEvent(t, got.Event, want)
		})
	}
}

func TestParseTwilioOtherShapes(t *testing.T) {
	p := newTestParser(t)
	t.Run("client identity", func(t *testing.T) {
		got, err := p.Parse(Record{Value: readProviderFixture(t, "twilio", "callback_completed_client_identity.form")})
		if err != nil {
			t.Fatal(err)
		}
		ev := got.Event
		checkEvent(t, ev, eventWant{callID: "CA11111111111111111111111111111111", phase: PhaseEnded, from: "client:agent_anna",
			to: "+4930901820", direction: DirectionOutbound, status: StatusCompleted,
			end: time.Date(2024, 3, 5, 11, 0, 30, 0, time.UTC), duration: 30 * time.Second, hintName: "agent_anna"})
	})
	t.Run("call resource busy", func(t *testing.T) {
		got, err := p.Parse(Record{Value: readProviderFixture(t, "twilio", "call_resource_inbound_busy.json"), Key: []byte("twilio:CA22222222222222222222222222222222")})
		if err != nil {
			t.Fatal(err)
		}
		checkEvent(t, got.Event, eventWant{callID: "CA22222222222222222222222222222222", phase: PhaseEnded, from: "+12025550177",
			to: "+12025550143", direction: DirectionInbound, status: StatusBusy,
			start: time.Date(2024, 3, 5, 12, 0, 1, 0, time.UTC), end: time.Date(2024, 3, 5, 12, 0, 20, 0, time.UTC),
			duration: 0, hintName: "DOE JANE"})
	})
	t.Run("callback relayed as JSON", func(t *testing.T) {
		body := `{"CallSid":"CA9","CallStatus":"in-progress","From":"+12025550177","To":"+12025550143","Direction":"outbound-dial"}`
		got, err := p.Parse(Record{Value: []byte(body), Time: testRecordTime})
		if err != nil {
			t.Fatal(err)
		}
		checkEvent(t, got.Event, eventWant{callID: "CA9", phase: PhaseAnswered, from: "+12025550177", to: "+12025550143",
			direction: DirectionOutbound, status: StatusInProgress, answered: testRecordTime, duration: -1})
	})
	refusals := []struct {
		name   string
		rec    Record
		reason Reason
		field  string
	}{
		{"no status", Record{Value: []byte("CallSid=CA1&From=%2B1")}, ReasonMissingField, "CallStatus"},
		{"unknown status", Record{Value: []byte("CallSid=CA1&CallStatus=teleported")}, ReasonUnsupportedEvent, "CallStatus"},
		{"resource without status", Record{Value: []byte(`{"sid":"CA1","account_sid":"AC1"}`)}, ReasonMissingField, "status"},
		{"resource object as sid", Record{Value: []byte(`{"sid":{"a":1},"account_sid":"AC1","status":"completed"}`)}, ReasonInvalidField, "sid"},
	}
	for _, tc := range refusals {
		t.Run(tc.name, func(t *testing.T) {
			_, err := p.Parse(tc.rec)
			if se := requireReason(t, err, tc.reason); se.Field != tc.field {
				t.Fatalf("field = %q, want %q", se.Field, tc.field)
			}
		})
	}
}

func FuzzParseTwilio(f *testing.F) {
	for _, name := range []string{"callback_completed.form", "callback_ringing.form", "call_resource_inbound_busy.json", "callback_completed_client_identity.form"} {
		f.Add(readProviderFixture(f, "twilio", name))
	}
	fuzzParseProvider(f, ProviderTwilio)
}
