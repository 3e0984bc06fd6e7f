package stages

import "testing"

func TestParseDeepgramFixtures(t *testing.T) {
	runTranscriptFixtures(t, ProviderDeepgram, []transcriptCase{
		{"diarized_words.json", "it", []Segment{
			{Speaker: "spk_0", Start: 0.1, End: 1.5, Text: "Buongiorno, come posso aiutare?"},
			{Speaker: "spk_1", Start: 2.0, End: 2.4, Text: "Grazie."},
		}},
		{"utterances.json", "nl", []Segment{
			{Speaker: "spk_0", Start: 0.2, End: 1.0, Text: "Goedemiddag."},
			{Speaker: "spk_1", Start: 1.5, End: 2.0, Text: "Hoi."},
		}},
		// Two channels without diarization: words interleave by time.
		{"multichannel_no_diarize.json", "", []Segment{
			{Speaker: "ch_0", Start: 0.1, End: 0.4, Text: "hello"},
			{Speaker: "ch_1", Start: 1.0, End: 1.2, Text: "hi"},
			{Speaker: "ch_0", Start: 2.0, End: 2.3, Text: "again"},
		}},
		{"no_speakers.json", "pt", []Segment{
			{Start: 0.5, End: 9.5, Text: "Bom dia, obrigado."},
		}},
	})
}

func TestParseDeepgramRefusals(t *testing.T) {
	tests := []struct {
		name   string
		body   string
		reason Reason
		field  string
	}{
		{"results not object", `{"metadata":{},"results":{"channels":"x"}}`, ReasonInvalidField, "results.channels"},
	}
	p := newTestParser(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := p.Parse(Record{Provider: ProviderDeepgram, Value: []byte(tc.body), Key: []byte("twilio:CA1")})
			if se := requireReason(t, err, tc.reason); se.Field != tc.field {
				t.Fatalf("field = %q, want %q", se.Field, tc.field)
			}
		})
	}
}

func FuzzParseDeepgram(f *testing.F) {
	for _, name := range []string{"diarized_words.json", "utterances.json", "multichannel_no_diarize.json"} {
		f.Add(readProviderFixture(f, "deepgram", name))
	}
	fuzzParseProvider(f, ProviderDeepgram)
}
