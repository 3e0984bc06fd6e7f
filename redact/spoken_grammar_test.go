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
		// Dutch "nee" (no) is not French "née" (born): the number is not a birth date.
		{"nl correction nee wacht", "nl", "het is nul zes, twee, nee wacht, twaalf vierendertig zesenvijftig achtenzeventig",
			"nul zes, twee, nee wacht, twaalf vierendertig zesenvijftig achtenzeventig"},
		// German says the unit first: "dreißig eins" is 30 then 1, not 31.
		{"de tens then unit", "de", "also null null vier neun, dreißig eins zwei drei acht sieben vier genau",
			"null null vier neun, dreißig eins zwei drei acht sieben vier"},
		{"es half in digits", "es", "es el 011, veintitrés cuarenta y nueve, 8965 gracias", "011, veintitrés cuarenta y nueve, 8965"},
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
	expectUntouched(t, text, "en") // an extension without a number
}

// TestCorrectionsKeepHarmlessNumbers: a correction word between small
// numbers does not make them a phone number.
func TestCorrectionsKeepHarmlessNumbers(t *testing.T) {
	for _, tc := range []struct{ lang, text string }{
		{"en", "i need two boxes, no sorry, three boxes"},
		{"de", "wir brauchen zwei, nein Moment, drei Kartons"},
		{"en", "my order number is four five seven one two"},
	} {
		expectUntouched(t, tc.text, tc.lang)
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

// TestSpokenEmailGrammar covers spoken local parts: plus, two-word
// underscores, more words for the dash, letters spelled with a naming word,
// an initial with digits after a surname, and number words of another
// language than the one detected.
func TestSpokenEmailGrammar(t *testing.T) {
	tests := []struct {
		name, lang, text, want string
	}{
		{"en plus tag", "en", "send it to anna plus shop at gmail dot com please", "anna plus shop at gmail dot com"},
		{"es más tag", "es", "es rocio más news arroba telefonica punto net", "rocio más news arroba telefonica punto net"},
		{"en under score", "en", "it's bazyli under score jaskiewicz at example dot org", "bazyli under score jaskiewicz at example dot org"},
		{"es barra baja", "es", "es benito barra baja adame arroba hotmail punto es", "benito barra baja adame arroba hotmail punto es"},
		{"nl laag streepje", "nl", "stuur het naar eva laag streepje bos apenstaartje ziggo punt nl", "eva laag streepje bos apenstaartje ziggo punt nl"},
		{"fr moins", "fr", "envoyez-le à laurian moins dinu arobase free.fr merci", "laurian moins dinu arobase free.fr"},
		{"it meno", "it", "è lucia meno fabris at gmail punto com", "lucia meno fabris at gmail punto com"},
		{"en as in", "en", "it's b as in bravo dot jones at outlook dot com", "b as in bravo dot jones at outlook dot com"},
		{"de wie", "de", "das ist k wie Kaufmann Punkt huber at web Punkt de", "k wie Kaufmann Punkt huber at web Punkt de"},
		{"es initial and digits", "es", "mi correo es fernandez j noventa y siete arroba hotmail punto es", "fernandez j noventa y siete arroba hotmail punto es"},
		{"number words of another language", "it", "ina punto pintilie noventa arroba yahoo punto es", "ina punto pintilie noventa arroba yahoo punto es"},
		{"fr trait d'union", "fr", "c'est diego trait d'union honegger at gmail point com", "diego trait d'union honegger at gmail point com"},
		{"spelled d between dots", "it", "la mia email è h e n r i c h punto d punto d u b o v s k a chiocciola libero punto it",
			"h e n r i c h punto d punto d u b o v s k a chiocciola libero punto it"},
		{"initial spelled after surname", "en", "send it to lesniak p as in papa eight zero seven at example dot org please",
			"lesniak p as in papa eight zero seven at example dot org"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := testRedactor.Redact(tc.text, tc.lang, Hints{})
			expectSpan(t, res, tc.text, tc.want, EmailAddress)
		})
	}
	// The word before a spelled initial stays: "confirmation à t point ...".
	text := "vous pouvez envoyer la confirmation à t point mercier arobase gmail point com"
	res := testRedactor.Redact(text, "fr", Hints{})
	expectSpan(t, res, text, "t point mercier arobase gmail point com", EmailAddress)
	if strings.Contains(res.Text, "[EMAIL_ADDRESS]") && !strings.Contains(res.Text, "confirmation") {
		t.Errorf("the word before the local part was redacted: %q", res.Text)
	}
}

// TestSpokenEmailStops: the "s" of "it's" and French "à" are not spelled
// letters of the local part.
func TestSpokenEmailStops(t *testing.T) {
	for _, tc := range []struct{ lang, text, want string }{
		{"en", "it's r point lesniewski at outlook.com", "r point lesniewski at outlook.com"},
		{"fr", "envoyez-le à a i m e e tiret brakus arobase sfr point fr s'il vous plaît", "a i m e e tiret brakus arobase sfr point fr"},
	} {
		res := testRedactor.Redact(tc.text, tc.lang, Hints{})
		expectSpan(t, res, tc.text, tc.want, EmailAddress)
		for _, s := range res.Spans {
			if s.Type == EmailAddress && tc.text[s.Start:s.End] != tc.want {
				t.Errorf("span %q, want %q", tc.text[s.Start:s.End], tc.want)
			}
		}
	}
}
