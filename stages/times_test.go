package stages

import (
	"slices"
	"testing"
	"time"
)

func TestParseProviderTime(t *testing.T) {
	jul := time.Date(1989, 7, 20, 18, 30, 43, 0, time.UTC)
	mar := time.Date(2024, 3, 5, 9, 15, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Time
	}{
		// Twilio's documentation example for the status callback Timestamp.
		{"Thurs, 20 July 1989 18:30:43 +0000", jul},
		{"Thursday, 20 July 1989 18:30:43 +0000", jul},
		{"Thu, 20 Jul 1989 18:30:43 +0000", jul},
		{"thu, 20 jul 1989 18:30:43 +0000", jul},
		{"20 July 1989 18:30:43 +0000", jul},
		{"Thu, 20 Jul 1989 20:30:43 +0200", jul},
		{"Thu, 20 Jul 1989 18:30:43 GMT", jul},
		{"Thu, 20 Jul 1989 18:30:43", jul},
		{"Thursday, 20-Jul-89 18:30:43 UTC", jul},
		{"Thu Jul 20 18:30:43 1989", jul},
		{"Thu Jul 20 18:30:43 UTC 1989", jul},
		{"July 20, 1989 18:30:43 +0000", jul},
		{"Tues, 5 March 2024 09:15:00 +0000", mar},
		{"Tue, 05 Mar 2024 10:15:00 +0100", mar},
		// ISO 8601 / RFC 3339.
		{"2024-03-05T09:15:00Z", mar},
		{"2024-03-05T09:15:00.000Z", mar},
		{"2024-03-05T10:15:00+01:00", mar},
		{"2024-03-05T10:15:00+0100", mar},
		{"2024-03-05T10:15:00+01", mar},
		{"2024-03-05T09:15:00", mar},
		{"2024-03-05 09:15:00", mar},
		{"2024-03-05 10:15:00 +0100", mar},
		{"2024-03-05T09:15Z", mar},
		// Epoch seconds and milliseconds.
		{"1709630100", mar},
		{"1709630100000", mar},
		{"1709630100.000", mar},
		{"  1709630100 ", mar},
	}
	for _, tc := range tests {
		got, ok := parseProviderTime(tc.in)
		if !ok || !got.Equal(tc.want) || got.Location() != time.UTC {
			t.Errorf("%q: %v %v, want %v", tc.in, got, ok, tc.want)
		}
	}
	for _, bad := range []string{"", "soon", "yesterday", "Thurs", "32 Jul 1989 18:30:43 +0000", "2024-13-05T09:15:00Z", "-5", "1e400", "Fri, 31 Feb 2024 10:00:00 +0000"} {
		if got, ok := parseProviderTime(bad); ok {
			t.Errorf("%q read as %v", bad, got)
		}
	}
}

// TestParseDegradesUnreadableFields: a time, duration or offset that
// cannot be read never costs the record; the time falls back to the
// record's, and the field (never its value) is named in Degraded.
func TestParseDegradesUnreadableFields(t *testing.T) {
	tests := []struct {
		name  string
		rec   Record
		field string
		// at is the time field expected to carry the record's time.
		at func(*CallEvent) time.Time
	}{
		{"twilio bad Timestamp", Record{Value: []byte("CallSid=CA1&CallStatus=completed&Timestamp=soon")}, "Timestamp", func(ev *CallEvent) time.Time { return ev.End }},
		{"twilio bad CallDuration", Record{Value: []byte("CallSid=CA1&CallStatus=completed&CallDuration=-3")}, "CallDuration", nil},
		{"twilio resource bad end_time", Record{Value: []byte(`{"sid":"CA1","account_sid":"AC1","status":"completed","end_time":"later"}`)}, "end_time", func(ev *CallEvent) time.Time { return ev.End }},
		{"twilio resource bad duration", Record{Value: []byte(`{"sid":"CA1","account_sid":"AC1","status":"completed","duration":"four"}`)}, "duration", nil},
		{"aircall string started_at", Record{Provider: ProviderAircall, Value: []byte(`{"resource":"call","event":"call.created","timestamp":1709630000,"data":{"id":1,"started_at":"x"}}`)}, "data.started_at", func(ev *CallEvent) time.Time { return ev.Start }},
		{"aircall started_at out of range", Record{Provider: ProviderAircall, Value: []byte(`{"resource":"call","event":"call.created","timestamp":1709630000,"data":{"id":1,"started_at":12}}`)}, "data.started_at", func(ev *CallEvent) time.Time { return ev.Start }},
		{"aircall bool ended_at", Record{Provider: ProviderAircall, Value: []byte(`{"resource":"call","event":"call.ended","timestamp":1709630000,"data":{"id":1,"started_at":1709629000,"ended_at":true}}`)}, "data.ended_at", func(ev *CallEvent) time.Time { return ev.End }},
		{"sipgate history bad created", Record{Provider: ProviderSipgate, Value: []byte(`{"source":"1","target":"2","type":"CALL","id":"h1","created":"yesterday"}`)}, "created", func(ev *CallEvent) time.Time { return ev.Start }},
		{"sipgate history without created", Record{Provider: ProviderSipgate, Value: []byte(`{"source":"1","target":"2","type":"CALL","id":"h1"}`)}, "created", func(ev *CallEvent) time.Time { return ev.Start }},
		{"sipgate history negative duration", Record{Provider: ProviderSipgate, Value: []byte(`{"source":"1","target":"2","type":"CALL","id":"h1","created":"2024-03-05T09:15:00Z","duration":-5}`)}, "duration", nil},
	}
	p := newTestParser(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.rec.Time = testRecordTime
			got, err := p.Parse(tc.rec)
			if err != nil {
				t.Fatal(err)
			}
			assertParsedWellFormed(t, got)
			if !slices.Equal(got.Degraded(), []string{tc.field}) {
				t.Fatalf("degraded = %q, want [%q]", got.Degraded(), tc.field)
			}
			if !slices.Contains(DegradableFields(), tc.field) {
				t.Fatalf("%q is not in DegradableFields", tc.field)
			}
			if tc.at != nil && !tc.at(got.Event).Equal(testRecordTime) {
				t.Fatalf("time = %v, want the record's %v", tc.at(got.Event), testRecordTime)
			}
		})
	}
	transcripts := []struct {
		name  string
		rec   Record
		field string
	}{
		{"assemblyai word start not number", Record{Provider: ProviderAssemblyAI, Value: []byte(`{"id":"x","status":"completed","text":"a","words":[{"text":"a","start":{},"end":1}]}`)}, "words.start"},
		{"assemblyai negative end", Record{Provider: ProviderAssemblyAI, Value: []byte(`{"id":"x","status":"completed","text":"a","words":[{"text":"a","start":1,"end":-100}]}`)}, "words.end"},
		{"aws bad start time", Record{Provider: ProviderAWSTranscribe, Value: []byte(`{"results":{"items":[{"start_time":"x","end_time":"1","type":"pronunciation","alternatives":[{"content":"a"}]}]}}`)}, "results.items.start_time"},
		{"aws negative time", Record{Provider: ProviderAWSTranscribe, Value: []byte(`{"results":{"items":[{"start_time":"-1","end_time":"1","type":"pronunciation","alternatives":[{"content":"a"}]}]}}`)}, "results.items.start_time"},
		{"deepgram word start string", Record{Provider: ProviderDeepgram, Value: []byte(`{"results":{"channels":[{"alternatives":[{"words":[{"word":"a","start":"x","end":1}]}]}]}}`)}, "results.channels.alternatives.words.start"},
	}
	for _, tc := range transcripts {
		t.Run(tc.name, func(t *testing.T) {
			tc.rec.Key = []byte("CA1")
			got, err := p.Parse(tc.rec)
			if err != nil {
				t.Fatal(err)
			}
			if got.Transcript == nil {
				t.Fatal("no transcript")
			}
			if !slices.Equal(got.Degraded(), []string{tc.field}) {
				t.Fatalf("degraded = %q, want [%q]", got.Degraded(), tc.field)
			}
			if !slices.Contains(DegradableFields(), tc.field) {
				t.Fatalf("%q is not in DegradableFields", tc.field)
			}
		})
	}
}
