package redact

import "testing"

// TestSpokenPhoneRestarts covers what the spoken challenge set (issue 14)
// found missing: restarts ("I'll say that again"), a number carried over a
// sentence break by "and then", ASR homophones between digits, "double"
// forms of each language, hesitations after "double", and extensions
// after a connective. Each text is written for this test.
func TestSpokenPhoneRestarts(t *testing.T) {
	tests := []struct {
		name, lang, text, want string
	}{
		{"en restart", "en", "it's zero two zero... i'll say that again zero two zero seven nine four six zero nine five eight thanks",
			"zero two zero... i'll say that again zero two zero seven nine four six zero nine five eight"},
		{"de restart ich wiederhole", "de", "die Nummer ist null drei null ich wiederhole null drei null eins zwei drei vier fünf sechs sieben danke",
			"null drei null ich wiederhole null drei null eins zwei drei vier fünf sechs sieben"},
		{"nl restart nog een keer", "nl", "dat is nul zes... nog een keer nul zes een twee drie vier vijf zes zeven acht",
			"nul zes... nog een keer nul zes een twee drie vier vijf zes zeven acht"},
		{"it restart keeps plus", "it", "più tre nove zero due ripeto più tre nove zero due uno due tre quattro cinque sei sette",
			"più tre nove zero due ripeto più tre nove zero due uno due tre quattro cinque sei sette"},
		{"fr then over a sentence break", "fr", "c'est le zéro six douze trente-quatre. Et ensuite cinquante-six soixante-dix-huit merci",
			"zéro six douze trente-quatre. Et ensuite cinquante-six soixante-dix-huit"},
		{"en homophones", "en", "call oh too oh seven nine for six oh nine five eight",
			"oh too oh seven nine for six oh nine five eight"},
		{"de zweimal", "de", "meine Nummer ist null eins fünf eins zweimal drei vier fünf sechs sieben acht",
			"null eins fünf eins zweimal drei vier fünf sechs sieben acht"},
		{"nl twee keer", "nl", "mijn nummer is nul zes een twee twee keer drie vier vijf zes zeven",
			"nul zes een twee twee keer drie vier vijf zes zeven"},
		{"pt duplo then filler", "pt", "o meu número é nove um duplo eh pá dois três quatro cinco seis sete",
			"nove um duplo eh pá dois três quatro cinco seis sete"},
		{"de correction Entschuldigung", "de", "das ist null drei null, zwei, Entschuldigung, eins zwei drei vier fünf sechs sieben",
			"null drei null, zwei, Entschuldigung, eins zwei drei vier fünf sechs sieben"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := testRedactor.Redact(tc.text, tc.lang, Hints{})
			expectSpan(t, res, tc.text, tc.want, PhoneNumber)
		})
	}
}

// TestSpokenNumberHomophonesStayWords checks that "to" and "for" are not
// digits outside a dictated number.
func TestSpokenNumberHomophonesStayWords(t *testing.T) {
	for _, text := range []string{
		"I waited for two hours and then for three more",
		"we went from one to two shops and then to four",
		"i called twice already, then three times",
	} {
		if res := testRedactor.Redact(text, "en", Hints{}); len(res.Spans) != 0 {
			t.Errorf("%q: spans %+v, want none", text, res.Spans)
		}
	}
}

func TestPhoneExtensionAfterConnective(t *testing.T) {
	for _, tc := range []struct{ lang, text, ext string }{
		{"en", "call me on zero two zero, seven nine four six, zero nine five eight and then extension two three", "two three"},
		{"de", "Sie erreichen mich unter 030 12345678 und dann die Durchwahl 42", "42"},
		{"es", "llámeme al 612 345 678 anexo veinte", "veinte"},
	} {
		res := testRedactor.Redact(tc.text, tc.lang, Hints{})
		expectSpan(t, res, tc.text, tc.ext, PhoneNumber)
	}
}
