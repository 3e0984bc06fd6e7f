package redact

import "testing"

// TestSpokenFormRules covers the general rules for spoken transcripts:
// letter names of two words, house numbers spoken before a French street
// type, bare-noun German streets, particles and unknown surnames after
// cues, names after "with"/"thanks" that are also common words, account
// holders, towns of several words. Each text is written for this test.
func TestSpokenFormRules(t *testing.T) {
	tests := []struct {
		name, lang, text, want string
		typ                    EntityType
	}{
		{"es dni letter as two words", "es", "mi dni es sesenta y siete treinta y cinco sesenta y siete cuarenta y cuatro doble uve gracias",
			"sesenta y siete treinta y cinco sesenta y siete cuarenta y cuatro doble uve", NationalID},
		{"es dni letter name", "es", "mi dni es noventa y uno veintidós treinta y tres cuarenta y cuatro pe gracias",
			"noventa y uno veintidós treinta y tres cuarenta y cuatro pe", NationalID},
		{"es nie spoken letters", "es", "el nie es equis uno dos tres cuatro cinco seis siete ele", "equis uno dos tres cuatro cinco seis siete ele", NationalID},
		{"iban spoken in groups", "en", "the iban is g b three three, b u k b, two zero two zero, one five five five, five five five five, five five",
			"g b three three, b u k b, two zero two zero, one five five five, five five five five, five five", IBAN},
		{"fr number words before street type", "fr", "j'habite au quatre-vingt-dix-sept boulevard voltaire 75011 paris",
			"quatre-vingt-dix-sept boulevard voltaire 75011 paris", Address},
		{"fr compound with et before street type", "fr", "c'est au vingt et un rue des lilas 44000 nantes", "vingt et un rue des lilas 44000 nantes", Address},
		{"de bare street noun", "de", "wir wohnen am anger 12 99084 erfurt", "am anger 12 99084 erfurt", Address},
		{"de town with joiner", "de", "lieferung an bahnhofstraße 8 06108 halle an der saale bitte", "bahnhofstraße 8 06108 halle an der saale", Address},
		{"nl town with article", "nl", "stuur het naar de hoofdstraat 3 5211 ab den bosch alstublieft", "hoofdstraat 3 5211 ab den bosch", Address},
		{"it lungarno", "it", "abito in lungarno vespucci 14 50123 firenze", "lungarno vespucci 14 50123 firenze", Address},
		{"nl particle after honorific", "nl", "kan ik meneer van dijk spreken", "van dijk", Person},
		{"nl unknown surname after particle", "nl", "u spreekt met Noor El Idrissi, waarmee kan ik helpen?", "Noor El Idrissi", Person},
		{"de unknown surname before birth cue", "de", "es geht um herrn jonas öztürk geboren am 3. mai 1990", "jonas öztürk", Person},
		{"es common given name after con", "es", "ayer hablé con pablo y no me llamó", "pablo", Person},
		{"es given name before surname", "es", "la cuenta está a nombre de carlos núñez", "carlos núñez", Person},
		{"nl thanks with name", "nl", "dank je wel bram dat was duidelijk", "bram", Person},
		{"en account holder", "en", "sort code and account, account holder dana whitfield", "dana whitfield", Person},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := testRedactor.Redact(tc.text, tc.lang, Hints{})
			expectSpan(t, res, tc.text, tc.want, tc.typ)
		})
	}
}

// TestSpokenFormRulesKeepHarmlessWords checks the guards that come with
// those rules: names after a determiner are nouns, accented verb forms
// are not names, billing terms are not names, a date is not an ID, a
// cue's own words are not names, and an elided article ends a name.
func TestSpokenFormRulesKeepHarmlessWords(t *testing.T) {
	tests := []struct{ name, lang, text string }{
		{"name after a determiner", "es", "tengo unos dolores de cabeza horribles"},
		{"accented verb form", "it", "sarà consegnato domani mattina"},
		{"vat", "es", "son treinta euros con iva"},
		{"vat pt", "pt", "são vinte euros com iva incluído"},
		{"date is not a dni", "it", "la fattura del 19/10/2026 ci arriva domani"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := testRedactor.Redact(tc.text, tc.lang, Hints{})
			if len(res.Spans) != 0 {
				t.Errorf("redacted a harmless line: %q -> %q (%v)", tc.text, res.Text, res.Spans)
			}
		})
	}
	// Exactly the name: not the elided article after it, not the words of
	// the cue before it.
	for _, tc := range []struct{ lang, text, want string }{
		{"it", "mi passa lorenzo dell'ufficio tecnico", "lorenzo"},
		{"de", "guten tag mein name ist anna brandt", "anna brandt"},
	} {
		res := testRedactor.Redact(tc.text, tc.lang, Hints{})
		if len(res.Spans) != 1 || tc.text[res.Spans[0].Start:res.Spans[0].End] != tc.want {
			t.Errorf("want only %q redacted, got %q (%v)", tc.want, res.Text, res.Spans)
		}
	}
}
