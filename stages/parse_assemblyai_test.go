package stages

import "testing"

func TestParseAssemblyAIFixtures(t *testing.T) {
	runTranscriptFixtures(t, ProviderAssemblyAI, []transcriptCase{
		{"utterances.json", "en-US", []Segment{
			{Speaker: "A", Start: 0.1, End: 1.1, Text: "Hello, how can I help?"},
			{Speaker: "B", Start: 1.5, End: 2.5, Text: "I need an invoice."},
		}},
		{"words_with_speakers.json", "de", []Segment{
			{Speaker: "A", Start: 0.25, End: 0.65, Text: "Hallo."},
			{Speaker: "B", Start: 0.9, End: 1.3, Text: "Tschuess."},
		}},
		{"no_speakers.json", "es", []Segment{
			{Start: 0.25, End: 12, Text: "Hola, gracias por llamar."},
		}},
	})
}

func TestParseAssemblyAIRefusals(t *testing.T) {
	tests := []struct {
		name   string
		body   string
		reason Reason
		field  string
	}{
		{"still processing", string(readProviderFixture(t, "assemblyai", "processing.json")), ReasonUnsupportedEvent, "status"},
	}
	p := newTestParser(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := p.Parse(Record{Provider: ProviderAssemblyAI, Value: []byte(tc.body), Key: []byte("twilio:CA1")})
			if se := requireReason(t, err, tc.reason); se.Field != tc.field {
				t.Fatalf("field = %q, want %q", se.Field, tc.field)
			}
		})
	}
}

func FuzzParseAssemblyAI(f *testing.F) {
	for _, name := range []string{"utterances.json", "words_with_speakers.json", "no_speakers.json"} {
		f.Add(readProviderFixture(f, "assemblyai", name))
	}
	fuzzParseProvider(f, ProviderAssemblyAI)
}
