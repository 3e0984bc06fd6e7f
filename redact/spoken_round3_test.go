package redact

import "testing"

// TestSpokenRound3 covers a third round of spoken phone grammar: an ASR
// homophone of a digit before "hundred" ("to hundred one" is 201), and a
// restart said with no restart phrase, or with a word that is also a
// filler: after a pause the speaker says every digit again and goes on.
// Each text is written for this test.
func TestSpokenRound3(t *testing.T) {
	tests := []struct {
		name, lang, text, want string
	}{
		{"en to hundred", "en", "my number is to hundred one, five five five, oh one to three thanks",
			"to hundred one, five five five, oh one to three"},
		{"en for hundred", "en", "ring me on for hundred fifteen five five five oh one four six",
			"for hundred fifteen five five five oh one four six"},
		{"nl restart after dus", "nl", "mijn mobiel is nul zes twaalf... dus nul zes een twee drie vier vijf zes zeven acht dank u",
			"nul zes twaalf... dus nul zes een twee drie vier vijf zes zeven acht"},
		{"en restart without a word", "en", "call me on oh two oh, seven nine four six... oh two oh seven nine four six oh nine five eight",
			"oh two oh, seven nine four six... oh two oh seven nine four six oh nine five eight"},
		{"pt restart after então", "pt", "o meu número é nove um dois... então nove um dois três quatro cinco seis sete oito obrigado",
			"nove um dois... então nove um dois três quatro cinco seis sete oito"},
		{"en homophone ends the number mid-line", "en", "its oh two oh seven nine four six oh nine five to is that ok",
			"oh two oh seven nine four six oh nine five to"},
		{"en homophone after written digits", "en", "my cell oh one six one four nine six 000 to thanks",
			"oh one six one four nine six 000 to"},
		{"en correction word that is a country code", "en", "you can reach me on five, no sorry, 087 765 4321 any time",
			"five, no sorry, 087 765 4321"},
		{"en spoken correction before digits", "en", "you can reach me on five, no sorry, oh eight seven seven six five four three two one any day",
			"five, no sorry, oh eight seven seven six five four three two one"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := testRedactor.Redact(tc.text, tc.lang, Hints{})
			expectSpan(t, res, tc.text, tc.want, PhoneNumber)
		})
	}
}

// TestRepeatedGroupsAreNotARestart checks that a number whose groups
// repeat ("twelve twelve ...") keeps all its digits when they validate.
func TestRepeatedGroupsAreNotARestart(t *testing.T) {
	text := "my number is oh two oh, oh two oh seven nine four six thanks"
	res := testRedactor.Redact(text, "en", Hints{})
	expectSpan(t, res, text, "oh two oh, oh two oh seven nine four six", PhoneNumber)
}

// TestSpokenRound3Grammar covers a restart phrase used as a hesitation
// between "triple" and its digit, and spoken numbers that hold, from a
// word in their middle, nine characters an ID checksum accepts: the
// phone is found, not an ID. Each text is written for this test.
func TestSpokenRound3Grammar(t *testing.T) {
	tests := []struct {
		name, lang, text, want string
	}{
		{"es triple o sea", "es", "mi celular seis uno dos, triple o sea cuatro, cinco seis siete gracias",
			"seis uno dos, triple o sea cuatro, cinco seis siete"},
		{"pt duplo então", "pt", "o meu número é nove um dois, duplo então três, quatro cinco seis sete obrigado",
			"nove um dois, duplo então três, quatro cinco seis sete"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := testRedactor.Redact(tc.text, tc.lang, Hints{})
			expectSpan(t, res, tc.text, tc.want, PhoneNumber)
		})
	}
}

// TestNoIDInsideSpokenNumber checks that an ID sequence does not start at
// a number word that continues a spoken number.
func TestNoIDInsideSpokenNumber(t *testing.T) {
	// From "vinte" on, "25471123" and "à" read as a DNI with its letter.
	text := "pode ligar para mais dois quatro quatro nove vinte e cinco quatro sete um um dois três à tarde"
	res := testRedactor.Redact(text, "pt", Hints{})
	for _, s := range res.Spans {
		if s.Type == NationalID {
			t.Errorf("ID span %q inside a spoken phone number", text[s.Start:s.End])
		}
	}
	expectSpan(t, res, text, "mais dois quatro quatro nove vinte e cinco quatro sete um um dois três", PhoneNumber)
}

// TestShortDictatedPhone covers a six-digit national number (Suriname's
// fixed lines) read out digit by digit with no cue, and checks that six
// digits after an order word stay untouched. Each text is written for
// this test.
func TestShortDictatedPhone(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"ja dat is twee een zeven acht vier vijf", "twee een zeven acht vier vijf"},
		{"nou 21 zeven - acht vier vijf, dank u", "21 zeven - acht vier vijf"},
	} {
		res := testRedactor.Redact(tc.text, "nl", Hints{})
		expectSpan(t, res, tc.text, tc.want, PhoneNumber)
	}
	for _, text := range []string{
		"het gaat om dossier twee een zeven acht vier vijf van vorige maand",
		"de prijs is 217845 euro",
		"wir haben den Auftrag zwei eins sieben acht vier fünf bekommen",
	} {
		expectUntouched(t, text, "")
	}
}

// TestNotPhoneCueEndsWithItsSentence checks that an order word in the
// sentence before does not hide a number dictated after the full stop.
func TestNotPhoneCueEndsWithItsSentence(t *testing.T) {
	text := "es geht um den Auftrag von gestern. null eins fünf eins zwei drei vier fünf sechs sieben acht"
	res := testRedactor.Redact(text, "de", Hints{})
	expectSpan(t, res, text, "null eins fünf eins zwei drei vier fünf sechs sieben acht", PhoneNumber)
}

// TestSpokenEmailNameThenSpelling covers a known name said, then spelled,
// inside a local part ("info dash maria m a r i a at ..."): the name is
// the address's, and so is what joins it to the part's start. Each text
// is written for this test.
func TestSpokenEmailNameThenSpelling(t *testing.T) {
	tests := []struct {
		name, lang, text, want string
	}{
		{"en name spelled after a dot", "en", "write to sales dot fischer f i s c h e r at outlook dot com please",
			"sales dot fischer f i s c h e r at outlook dot com"},
		{"fr name spelled after tiret", "fr", "c'est contact tiret bernhard b e r n h a r d arobase free point fr",
			"contact tiret bernhard b e r n h a r d arobase free point fr"},
		{"de name spelled with wie", "de", "schreiben Sie an team Punkt peter p wie Paula e t e r ät gmx Punkt de",
			"team Punkt peter p wie Paula e t e r ät gmx Punkt de"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := testRedactor.Redact(tc.text, tc.lang, Hints{})
			expectSpan(t, res, tc.text, tc.want, EmailAddress)
		})
	}
}

// TestSpokenEmailHyphenLettersAndStopWords covers letters joined by
// hyphens after a capital ("R maiúsculo-u-i") before a hesitation and a
// two-word separator, and a stop word said, then spelled ("die d i e").
// Each text is written for this test.
func TestSpokenEmailHyphenLettersAndStopWords(t *testing.T) {
	tests := []struct {
		name, lang, text, want string
	}{
		{"pt hyphenated letters", "pt", "o email é pedro underscore R maiúsculo-u-i tipo traço baixo setenta e dois arroba sapo ponto pt",
			"pedro underscore R maiúsculo-u-i tipo traço baixo setenta e dois arroba sapo ponto pt"},
		{"de stop word spelled", "de", "mein mail ist gut g u t Tiefstrich lena ät web Punkt de",
			"gut g u t Tiefstrich lena ät web Punkt de"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := testRedactor.Redact(tc.text, tc.lang, Hints{})
			expectSpan(t, res, tc.text, tc.want, EmailAddress)
		})
	}
}

// TestMixedWrittenAndSpokenNumber covers numbers a recogniser wrote partly
// in digits and partly in words, with no phone cue: a dictation, even when
// most items are written. Each text is written for this test.
func TestMixedWrittenAndSpokenNumber(t *testing.T) {
	tests := []struct {
		name, lang, text, want string
	}{
		{"es ten digits", "es", "es el 55 12 treinta y cuatro 5678 gracias", "55 12 treinta y cuatro 5678"},
		{"nl seven digits", "nl", "het is 56 nul 1234 hoor", "56 nul 1234"},
		{"en homophone between written groups", "en", "you can get me on five oh six 23 for 5678 any time", "five oh six 23 for 5678"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := testRedactor.Redact(tc.text, tc.lang, Hints{})
			expectSpan(t, res, tc.text, tc.want, PhoneNumber)
		})
	}
}

// TestSpokenIntlPrefixJoinsTheNumber checks that "zero zero" said before a
// number found without it is redacted with it. The text is written for
// this test.
func TestSpokenIntlPrefixJoinsTheNumber(t *testing.T) {
	text := "zero zero tre sette otto zero cinque quattro nove otto otto uno uno"
	res := testRedactor.Redact(text, "it", Hints{})
	expectSpan(t, res, text, text, PhoneNumber)
}

// TestPausesAreNoAddressDots checks that pauses written as "..." inside a
// dictated phone number do not make it a dotted IPv4 address, while
// written and spoken addresses stay found. Each text is written for this
// test.
func TestPausesAreNoAddressDots(t *testing.T) {
	text := "il numero è sei... ottantotto... 12... sette, tre quattro cinque sei"
	res := testRedactor.Redact(text, "it", Hints{})
	for _, s := range res.Spans {
		if s.Type == IPAddress {
			t.Errorf("IP span %q in a dictated number", text[s.Start:s.End])
		}
	}
	for _, tc := range []struct{ lang, text, want string }{
		{"en", "the server is 10.20.30.40. thanks", "10.20.30.40"},
		{"en", "my ip is ten dot twenty dot thirty dot forty", "ten dot twenty dot thirty dot forty"},
	} {
		res := testRedactor.Redact(tc.text, tc.lang, Hints{})
		expectSpan(t, res, tc.text, tc.want, IPAddress)
	}
}

// TestSpokenTailJoinsTheNumber checks that the last word of a dictated
// number is redacted with it even when the number validates without it.
// The text is written for this test.
func TestSpokenTailJoinsTheNumber(t *testing.T) {
	text := "mi celular es nueve uno dos tres cuatro cinco seis siete ocho once gracias"
	res := testRedactor.Redact(text, "es", Hints{})
	expectSpan(t, res, text, "nueve uno dos tres cuatro cinco seis siete ocho once", PhoneNumber)
}

// TestHomophonesInCountryCode covers an English recogniser's "for" for
// "four" right after "plus" ("plus for for", +44) and after a written
// "(0)". Each text is written for this test.
func TestHomophonesInCountryCode(t *testing.T) {
	tests := []struct{ text, want string }{
		{"call plus for for 74 zero zero one two three four fifty-six and ask for me",
			"plus for for 74 zero zero one two three four fifty-six"},
		{"my cell plus for for (0) too oh eight one to three for five six seven",
			"plus for for (0) too oh eight one to three for five six seven"},
		{"right, plus 61 too 9876 five for three two, that's my work phone", "plus 61 too 9876 five for three two"},
		{"call 0 too 98 seven six fifty-four thirty-two and ask for me", "0 too 98 seven six fifty-four thirty-two"},
	}
	for _, tc := range tests {
		res := testRedactor.Redact(tc.text, "en", Hints{})
		expectSpan(t, res, tc.text, tc.want, PhoneNumber)
	}
}
