package independent

import (
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

func loadSources(t testing.TB) *Sources {
	t.Helper()
	src, err := Load(filepath.Join("..", "..", "..", "testdata", "redact", "independent"))
	if err != nil {
		t.Fatal(err)
	}
	return src
}

func TestRBNFSpellsCLDRNumbers(t *testing.T) {
	src := loadSources(t)
	cases := []struct {
		lang string
		n    int64
		want string
	}{
		{"en", 71, "seventy-one"}, {"en", 123, "one hundred twenty-three"},
		{"de", 21, "einundzwanzig"}, {"de", 1984, "eintausendneunhundertvierundachtzig"},
		{"fr", 71, "soixante-et-onze"}, {"fr", 80, "quatre-vingts"}, {"fr", 97, "quatre-vingt-dix-sept"}, {"fr", 200, "deux cents"},
		{"es", 16, "dieciséis"}, {"es", 71, "setenta y uno"}, {"it", 21, "ventuno"}, {"it", 123, "centoventitré"},
		{"nl", 21, "eenentwintig"}, {"nl", 123, "honderddrieëntwintig"}, {"pt", 16, "dezasseis"}, {"pt-BR", 16, "dezesseis"},
	}
	for _, c := range cases {
		got, err := src.rbnf[c.lang].Spell("spellout-numbering", c.n)
		if err != nil || got != c.want {
			t.Errorf("%s %d = %q, %v; want %q", c.lang, c.n, got, err, c.want)
		}
	}
	if y, _ := src.rbnf["en"].Spell("spellout-numbering-year", 1984); y != "nineteen eighty-four" {
		t.Errorf("en year 1984 = %q", y)
	}
}

func TestGenerateIsDeterministicAndWellFormed(t *testing.T) {
	src := loadSources(t)
	a, b := Generate(src, 14), Generate(src, 14)
	if len(a) != len(b) || len(a) < 1000 {
		t.Fatalf("sizes %d, %d", len(a), len(b))
	}
	held := 0
	perSet := map[string]int{}
	for i := range a {
		if a[i].Text != b[i].Text || a[i].ID != b[i].ID {
			t.Fatalf("case %d differs between runs", i)
		}
		c := a[i]
		perSet[c.Set]++
		if c.HeldApart {
			held++
		}
		if !utf8.ValidString(c.Text) || !strings.HasPrefix(c.ID, c.Language+"-") {
			t.Errorf("%s: bad text or id", c.ID)
		}
		end := 0
		for _, s := range c.Spans {
			if s.Start < end || s.End > len(c.Text) || s.Start >= s.End || strings.TrimSpace(c.Text[s.Start:s.End]) != c.Text[s.Start:s.End] {
				t.Errorf("%s: bad span %+v", c.ID, s)
			}
			end = s.End
		}
	}
	if share := float64(held) / float64(len(a)); share < 0.3 || share > 0.5 {
		t.Errorf("held-apart share %.2f, want about 0.4", share)
	}
	for _, s := range Sets {
		if perSet[s] == 0 {
			t.Errorf("set %s is empty", s)
		}
	}
}

// The generated identifiers satisfy their specifications, checked here
// with published examples rather than the generator's own functions.
func TestCheckDigitsAgainstPublishedExamples(t *testing.T) {
	if got := cfCheck("RSSMRA85T10A562"); got != 'S' { // RSSMRA85T10A562S, the usual example
		t.Errorf("codice fiscale check = %c", got)
	}
	if got := mod1110("8609574271"); got != '9' { // 86095742719, the BZSt's published example
		t.Errorf("Steuer-ID check = %c", got)
	}
	if got := luhnDigit("411111111111111"); got != '1' {
		t.Errorf("luhn = %c", got)
	}
	if !ibanValid("DE89370400440532013000") || ibanValid("DE88370400440532013000") {
		t.Error("iban mod 97")
	}
	if got := string(dniLetters[12345678%23]); got != "Z" { // 12345678Z, the usual DNI example
		t.Errorf("DNI letter = %s", got)
	}
}
