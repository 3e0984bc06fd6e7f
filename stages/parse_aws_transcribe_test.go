package stages

import (
	"reflect"
	"testing"
)

// transcriptCase is shared by the transcript provider tests.
type transcriptCase struct {
	file     string
	language string
	segments []Segment
}

func runTranscriptFixtures(t *testing.T, prov Provider, tests []transcriptCase) {
	t.Helper()
	p := newTestParser(t)
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			got, err := p.Parse(Record{Value: readProviderFixture(t, string(prov), tc.file), Key: []byte("sipgate:SG-1001")})
			if err != nil {
				t.Fatal(err)
			}
			assertParsedWellFormed(t, got)
			tr := got.Transcript
			if tr.Provider != prov || tr.CallID != "SG-1001" || tr.CallProvider != ProviderSipgate {
				t.Fatalf("transcript ref = %q %q %q", tr.Provider, tr.CallProvider, tr.CallID)
			}
			if tr.Language != tc.language {
				t.Errorf("language = %q, want %q", tr.Language, tc.language)
			}
			if !reflect.DeepEqual(tr.Segments, tc.segments) {
				t.Errorf("segments =\n%+v\nwant\n%+v", tr.Segments, tc.segments)
			}
		})
	}
}

func TestParseAWSTranscribeFixtures(t *testing.T) {
	runTranscriptFixtures(t, ProviderAWSTranscribe, []transcriptCase{
		{"speakers_on_items_language_id.json", "de-DE", []Segment{
			{Speaker: "spk_0", Start: 0.5, End: 1.2, Text: "Guten Tag."},
			{Speaker: "spk_1", Start: 2.0, End: 3.3, Text: "Hallo, hier ist Jana."},
		}},
		{"labels_only_in_segments.json", "", []Segment{
			{Speaker: "spk_0", Start: 1.0, End: 1.9, Text: "Hello there."},
			{Speaker: "spk_1", Start: 2.5, End: 2.8, Text: "Hi."},
		}},
		{"no_speaker_labels.json", "fr-FR", []Segment{
			{Start: 0.2, End: 1.3, Text: "Bonjour, merci."},
		}},
		// Channel labels stand in for speakers; language from the best score.
		{"channel_identification.json", "es-ES", []Segment{
			{Speaker: "ch_0", Start: 0.1, End: 0.5, Text: "Hola."},
			{Speaker: "ch_1", Start: 1.0, End: 1.8, Text: "Buenos dias."},
		}},
	})
}

func TestParseAWSTranscribeRefusals(t *testing.T) {
	tests := []struct {
		name   string
		body   string
		reason Reason
		field  string
	}{
		{"job in progress", string(readProviderFixture(t, "aws-transcribe", "in_progress.json")), ReasonUnsupportedEvent, "status"},
		{"no results", `{"jobName":"j","status":"COMPLETED"}`, ReasonMissingField, "results"},
	}
	p := newTestParser(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := p.Parse(Record{Provider: ProviderAWSTranscribe, Value: []byte(tc.body), Key: []byte("twilio:CA1")})
			if se := requireReason(t, err, tc.reason); se.Field != tc.field {
				t.Fatalf("field = %q, want %q", se.Field, tc.field)
			}
		})
	}
}

func FuzzParseAWSTranscribe(f *testing.F) {
	for _, name := range []string{"speakers_on_items_language_id.json", "labels_only_in_segments.json", "channel_identification.json"} {
		f.Add(readProviderFixture(f, "aws-transcribe", name))
	}
	fuzzParseProvider(f, ProviderAWSTranscribe)
}
