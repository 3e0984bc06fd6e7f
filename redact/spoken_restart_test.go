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
		{"en homophone starts the number", "en", "yeah to oh one five five five oh one to three",
			"to oh one five five five oh one to three"},
		{"en homophone ends the number", "en", "yeah oh two oh seven nine four six oh nine five too",
			"oh two oh seven nine four six oh nine five too"},
		{"en homophone after a hesitation", "en", "it's oh two oh seven nine uh for six oh nine five eight",
			"oh two oh seven nine uh for six oh nine five eight"},
		{"en singapore number in words", "en", "ok so eight one two three four five six seven", "eight one two three four five six seven"},
		{"nl aruba number in words", "nl", "ja dat is vijf zes nul een twee drie vier", "vijf zes nul een twee drie vier"},
		{"it san marino mobile in words", "it", "mi trova al sei sei sei sei uno due uno due", "sei sei sei sei uno due uno due"},
		{"de liechtenstein mobile in words", "de", "also sechs sechs null zwei drei vier fünf sechs sieben", "sechs sechs null zwei drei vier fünf sechs sieben"},
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
		expectUntouched(t, text, "en")
	}
}

// A written card after "for" keeps its first digit.
func TestHomophoneBeforeWrittenDigits(t *testing.T) {
	text := "I paid for 4111 1111 1111 1111 yesterday"
	res := testRedactor.Redact(text, "en", Hints{})
	expectSpan(t, res, text, "4111 1111 1111 1111", CreditCard)
	for _, s := range res.Spans {
		if s.Start < 8 {
			t.Errorf("span %+v reaches into %q", s, text[:8])
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
