package stages

import (
	"testing"
	"time"
)

func TestParseAircallFixtures(t *testing.T) {
	unix := func(s int64) time.Time { return time.Unix(s, 0).UTC() }
	const ext, company = "+33 6 12 34 56 78", "+33 1 70 00 00 99"
	tests := []struct {
		file string
		want eventWant
	}{
		{"call.created.inbound.json", eventWant{callID: "900100", phase: PhaseStarted, from: ext, to: company, region: "FR",
			direction: DirectionInbound, status: StatusInProgress, start: unix(1709630000), duration: -1, hintName: "Agent Bertha"}},
		{"call.answered.inbound.json", eventWant{callID: "900100", phase: PhaseAnswered, from: ext, to: company, region: "FR",
			direction: DirectionInbound, status: StatusInProgress, start: unix(1709630000), answered: unix(1709630008), duration: -1,
			hintName: "Chris Kunde"}},
		// Talk time comes from ended_at - answered_at at merge: Aircall's
		// duration (128) counts from started_at.
		{"call.ended.inbound.json", eventWant{callID: "900100", phase: PhaseEnded, from: ext, to: company, region: "FR",
			direction: DirectionInbound, status: StatusCompleted, start: unix(1709630000), answered: unix(1709630008),
			end: unix(1709630128), duration: -1}},
		{"call.ended.missed.json", eventWant{callID: "900100", phase: PhaseEnded, from: ext, to: company, region: "FR",
			direction: DirectionInbound, status: StatusNoAnswer, start: unix(1709630000), end: unix(1709630025), duration: 0}},
		{"call.ended.abandoned_anonymous.json", eventWant{callID: "900100", phase: PhaseEnded, from: "anonymous", to: company, region: "FR",
			direction: DirectionInbound, status: StatusCanceled, start: unix(1709630000), end: unix(1709630004), duration: 0}},
	}
	p := newTestParser(t)
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			got, err := p.Parse(Record{Value: readProviderFixture(t, "aircall", tc.file)})
			if err != nil {
				t.Fatal(err)
			}
			assertParsedWellFormed(t, got)
			checkEvent(t, got.Event, tc.want)
		})
	}
}

func TestParseAircallRefusals(t *testing.T) {
	tests := []struct {
		name   string
		body   string
		reason Reason
		field  string
	}{
		{"tagged is no state change", string(readProviderFixture(t, "aircall", "call.tagged.json")), ReasonUnsupportedEvent, "event"},
		{"user resource", `{"resource":"user","event":"user.created","timestamp":1709630000,"data":{"id":1}}`, ReasonUnsupportedEvent, "resource"},
		{"data not an object", `{"resource":"call","event":"call.created","timestamp":1709630000,"data":"x"}`, ReasonInvalidField, "data"},
		{"no id", `{"resource":"call","event":"call.created","timestamp":1709630000,"data":{"direction":"inbound"}}`, ReasonMissingField, "data.id"},
	}
	p := newTestParser(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := p.Parse(Record{Provider: ProviderAircall, Value: []byte(tc.body)})
			if se := requireReason(t, err, tc.reason); se.Field != tc.field {
				t.Fatalf("field = %q, want %q", se.Field, tc.field)
			}
		})
	}
}

func FuzzParseAircall(f *testing.F) {
	for _, name := range []string{"call.ended.inbound.json", "call.created.inbound.json", "call.ended.missed.json"} {
		f.Add(readProviderFixture(f, "aircall", name))
	}
	fuzzParseProvider(f, ProviderAircall)
}
