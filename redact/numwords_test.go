package redact

import (
	"strings"
	"testing"
)

// TestSpokenNumbers checks that spoken runs normalise to the digits a
// listener would write down, in every language.
func TestSpokenNumbers(t *testing.T) {
	tests := []struct {
		lang, text, want string
	}{
		{"en", "oh seven seven double oh nine", "077009"},
		{"en", "triple five two", "5552"},
		{"en", "forty two", "42"},
		{"en", "nineteen eighty five", "1985"},
		{"en", "one hundred and forty four", "144"},
		{"en", "two thousand and three", "2003"},
		{"en", "seven, uh, eight", "78"},
		{"de", "null eins fünf eins zwo", "01512"},
		{"de", "neunundvierzig", "49"},
		{"de", "einundzwanzig dreiunddreißig", "2133"},
		{"de", "neunzehnhundertfünfundachtzig", "1985"},
		{"de", "sechshundertsiebenundsechzig", "667"},
		{"de", "zweitausendachtundzwanzig", "2028"},
		{"de", "doppel null", "00"},
		{"fr", "zéro six douze trente-quatre", "061234"},
		{"fr", "soixante-dix-huit", "78"},
		{"fr", "soixante et onze", "71"},
		{"fr", "quatre-vingt-douze", "92"},
		{"fr", "quatre-vingts", "80"},
		{"fr", "vingt et un", "21"},
		{"fr", "dix-sept", "17"},
		{"fr", "sept cent quatre-vingt-neuf", "789"},
		{"es", "seis cero cero treinta y cuatro", "60034"},
		{"es", "veintitrés", "23"},
		{"es", "novecientos setenta y cinco", "975"},
		{"es", "mil novecientos ochenta y cinco", "1985"},
		{"it", "tre tre nove ventuno", "33921"},
		{"it", "trentotto", "38"},
		{"it", "ventitré", "23"},
		{"it", "cinquecentosettantaquattro", "574"},
		{"it", "millenovecentottantacinque", "1985"},
		{"nl", "nul zes eenentwintig", "0621"},
		{"nl", "tweeëntwintig", "22"},
		{"nl", "zevenhonderdachttien", "718"},
		{"nl", "negentienhonderdvijfentachtig", "1985"},
		{"pt", "nove um trinta e quatro", "9134"},
		{"pt", "quatrocentos e oitenta e nove", "489"},
		{"pt", "meia", "6"},
		{"pt", "dezanove", "19"},
	}
	r := newTestRedactor(t)
	for _, tc := range tests {
		t.Run(tc.lang+"/"+tc.text, func(t *testing.T) {
			nt, toks := r.lexed(tc.lang, tc.text)
			runs := nt.numericRuns(toks)
			var got strings.Builder
			for _, r := range runs {
				got.WriteString(r.digits(0, len(r.items)))
			}
			if got.String() != tc.want {
				t.Errorf("got %q, want %q", got.String(), tc.want)
			}
		})
	}
}

// TestRunsBreakOnWords checks that numbers separated by ordinary words are
// not glued into one run (prices, times and quantities stay apart).
func TestRunsBreakOnWords(t *testing.T) {
	r := newTestRedactor(t)
	nt, toks := r.lexed("en", "it costs 49 dollars for 3 units at 5 pm")
	runs := nt.numericRuns(toks)
	if len(runs) != 3 {
		t.Fatalf("got %d runs, want 3", len(runs))
	}
	// A lone "oh" is an interjection.
	if _, toks := r.lexed("en", "oh that is fine"); len(nt.numericRuns(toks)) != 0 {
		t.Fatalf("lone oh read as a number: %d runs", len(runs))
	}
}

func TestTokenizeOffsets(t *testing.T) {
	text := "Straße 5, Zürich — m'appelle soixante-dix"
	for _, tok := range tokenize(text, nil) {
		if tok.start < 0 || tok.end > len(text) || tok.start >= tok.end {
			t.Fatalf("bad token bounds %d..%d", tok.start, tok.end)
		}
	}
	toks := tokenize("Straße ZÉRO", nil)
	if toks[0].norm != "strasse" || toks[1].norm != "zero" || !toks[1].upper {
		t.Fatalf("folding: got %q %q", toks[0].norm, toks[1].norm)
	}
}

func newTestRedactor(t testing.TB) *Redactor {
	t.Helper()
	if testRedactor == nil {
		t.Fatal("TestMain did not build the redactor")
	}
	return testRedactor
}

// lexed tokenizes text and attaches the language's word facts, as find
// does.
func (r *Redactor) lexed(lang, text string) (*numTable, []token) {
	toks := tokenize(text, nil)
	r.lex[lang].lexTokens(toks)
	return r.numbers[lang], toks
}
