package redact

import (
	"strings"
	"testing"
)

// TestSpokenPhoneGrammar covers spoken phone numbers beyond plain digit
// runs: self-corrections, fillers, extensions, numbers of regions that
// speak the language, and dictated numbers libphonenumber has no range
// for. Each text is written for this test.
func TestSpokenPhoneGrammar(t *testing.T) {
	tests := []struct {
		name, lang, text, want string
	}{
		// Issue 17: a filled UK mobile of the drama range (possible, not valid).
		{"en filled uk mobile", "en", "uh zero seven seven, um, zero zero nine, zero one two three",
			"zero seven seven, um, zero zero nine, zero one two three"},
		{"en correction retracts a digit", "en", "my number is zero two zero, seven nine four, six, no sorry, seven, zero nine five eight",
			"zero two zero, seven nine four, six, no sorry, seven, zero nine five eight"},
		{"en correction retracts a group", "en", "it's zero one six one, four nine six, sorry i mean, four nine seven, zero eight eight eight",
			"zero one six one, four nine six, sorry i mean, four nine seven, zero eight eight eight"},
		{"de filler öhm", "de", "meine Nummer ist null drei null, öhm, eins zwei drei vier fünf sechs sieben",
			"null drei null, öhm, eins zwei drei vier fünf sechs sieben"},
		{"de correction nein moment", "de", "das ist null eins fünf eins, zwei, nein Moment, drei, vier fünf sechs sieben acht neun null",
			"null eins fünf eins, zwei, nein Moment, drei, vier fünf sechs sieben acht neun null"},
		{"fr correction non pardon", "fr", "c'est le zéro six, douze, trente, non pardon, trente-quatre, cinquante-six, soixante-dix-huit",
			"zéro six, douze, trente, non pardon, trente-quatre, cinquante-six, soixante-dix-huit"},
		{"es mexican number", "es", "me puede llamar al dos dos dos, uno dos tres, cuatro cinco seis siete",
			"dos dos dos, uno dos tres, cuatro cinco seis siete"},
		{"es argentine mobile with 15", "es", "mi número es el cero once, quince, dos tres cuatro cinco, seis siete ocho nueve",
			"cero once, quince, dos tres cuatro cinco, seis siete ocho nueve"},
		{"en australian mobile", "en", "you can reach me on oh four one two, three four five, six seven eight",
			"oh four one two, three four five, six seven eight"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := testRedactor.Redact(tc.text, tc.lang, Hints{})
			expectSpan(t, res, tc.text, tc.want, PhoneNumber)
		})
	}
}

// TestPhoneExtension checks that an extension after a number is redacted
// too, and that the word alone is not.
func TestPhoneExtension(t *testing.T) {
	for _, tc := range []struct{ lang, text, ext string }{
		{"en", "call me on zero two zero, seven nine four six, zero nine five eight extension two three four", "two three four"},
		{"de", "Sie erreichen mich unter 030 12345678 Durchwahl 42", "42"},
		{"it", "mi chiami al 02 1234 5678 interno sette due", "sette due"},
	} {
		res := testRedactor.Redact(tc.text, tc.lang, Hints{})
		expectSpan(t, res, tc.text, tc.ext, PhoneNumber)
	}
	text := "the extension two three four is on the third floor"
	if res := testRedactor.Redact(text, "en", Hints{}); len(res.Spans) != 0 {
		t.Errorf("extension without a number redacted: %q", res.Text)
	}
}

// TestCorrectionsKeepHarmlessNumbers: a correction word between small
// numbers does not make them a phone number.
func TestCorrectionsKeepHarmlessNumbers(t *testing.T) {
	for _, tc := range []struct{ lang, text string }{
		{"en", "i need two boxes, no sorry, three boxes"},
		{"de", "wir brauchen zwei, nein Moment, drei Kartons"},
		{"en", "my order number is four five seven one two"},
	} {
		if res := testRedactor.Redact(tc.text, tc.lang, Hints{}); len(res.Spans) != 0 {
			t.Errorf("%q redacted to %q", tc.text, res.Text)
		}
	}
}

// TestExpiryAfterCard: "MM/YY" right after a card number is its expiry,
// without an expiry cue (issue 17); elsewhere it is left alone.
func TestExpiryAfterCard(t *testing.T) {
	text := "my card is 4111 1111 1111 1111 expiring 12/27"
	res := testRedactor.Redact(text, "en", Hints{})
	expectSpan(t, res, text, "12/27", CardExpiry)
	text = "the meeting moved to 12/27 in the big room"
	if res := testRedactor.Redact(text, "en", Hints{}); strings.Contains(res.Text, "[") {
		t.Errorf("a date without a card redacted: %q", res.Text)
	}
}
