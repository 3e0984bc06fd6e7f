package main

import (
	"bytes"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// Published example values for each algorithm.
func TestChecksumKnownValues(t *testing.T) {
	for _, c := range []struct {
		name string
		ok   bool
	}{
		{"luhn visa test card", luhnValid("4111111111111111")},
		{"luhn amex test card", luhnValid("378282246310005")},
		{"luhn rejects", !luhnValid("4111111111111112")},
		{"iban DE", ibanValid("DE89370400440532013000")},
		{"iban GB", ibanValid("GB29NWBK60161331926819")},
		{"iban FR", ibanValid("FR1420041010050500013M02606")},
		{"iban ES", ibanValid("ES9121000418450200051332")},
		{"iban IT", ibanValid("IT60X0542811101000000123456")},
		{"iban NL", ibanValid("NL91ABNA0417164300")},
		{"iban PT", ibanValid("PT50000201231234567890154")},
		{"iban rejects", !ibanValid("DE89370400440532013001")},
		{"spanish CCC control digits", esControl("00"+"21000418") == "4" && esControl("0200051332") == "5"},
		{"italian CIN", italianCIN("0542811101000000123456") == "X"},
		{"codice fiscale check", itCheckChar("RSSMRA85T10A562") == "S"},
		{"codice fiscale name parts", cfPart("Rossi", false) == "RSS" && cfPart("Mario", true) == "MRA"},
		{"steuer-id", steuerCheck("8609574271") == 9},
		{"bsn", bsnValid("111222333") && !bsnValid("111222334")},
		{"nif", nifCheck("12345678") == 9},
		{"dni letter", dniLetters[12345678%23] == 'Z'},
	} {
		if !c.ok {
			t.Errorf("%s: wrong", c.name)
		}
	}
}

// TestGeneratedIdentifiersValid draws many values from each generator and
// checks them with the validators (and structural rules).
func TestGeneratedIdentifiersValid(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	lengths := map[string]int{"DE": 22, "FR": 27, "ES": 24, "IT": 27, "NL": 18, "PT": 25, "GB": 22}
	for range 300 {
		if c := cardNumber(r); !luhnValid(c) || len(c) < 15 {
			t.Fatalf("card %s invalid", c)
		}
		for cc, n := range lengths {
			ib := iban(r, cc)
			if !ibanValid(ib) || len(ib) != n || ib[:2] != cc {
				t.Fatalf("iban %s invalid", ib)
			}
		}
		id := steuerID(r)
		if id[0] == '0' || steuerCheck(id[:10]) != int(id[10]-'0') || !steuerRepetitionOK(id[:10]) {
			t.Fatalf("steuer-id %s invalid", id)
		}
		if b := bsn(r); !bsnValid(b) {
			t.Fatalf("bsn %s invalid", b)
		}
		if n := nif(r); nifCheck(n[:8]) != int(n[8]-'0') {
			t.Fatalf("nif %s invalid", n)
		}
		if d := dni(r); dniLetters[atoi(d[:8])%23] != d[8] {
			t.Fatalf("dni %s invalid", d)
		}
		x := nie(r)
		if n := atoi(strings.NewReplacer("X", "0", "Y", "1", "Z", "2").Replace(x[:8])); dniLetters[n%23] != x[8] {
			t.Fatalf("nie %s invalid", x)
		}
		n := nir(r, r.IntN(2) == 0, 1980, 5)
		body, _ := strconv.ParseInt(n[:13], 10, 64)
		if key := atoi(n[13:]); int(body%97)+key != 97 {
			t.Fatalf("nir %s invalid key", n)
		}
		s := ssn(r)
		if s[:3] == "000" || s[:3] == "666" || s[0] == '9' || s[3:5] == "00" || s[5:] == "0000" {
			t.Fatalf("ssn %s breaks SSA rules", s)
		}
		ni := nino(r)
		if strings.ContainsAny(ni[:1], "DFIQUV") || strings.ContainsAny(ni[1:2], "DFIOQUV") || !strings.ContainsAny(ni[8:], "ABCD") {
			t.Fatalf("nino %s breaks prefix rules", ni)
		}
		cf := codiceFiscale(r, "Mario", "Rossi", false, 1985, 12, 10)
		if !strings.HasPrefix(cf, "RSSMRA85T10") || itCheckChar(cf[:15]) != cf[15:] {
			t.Fatalf("codice fiscale %s invalid", cf)
		}
		if o := invalidLuhn(r, 16); luhnValid(o) {
			t.Fatalf("order number %s passes Luhn", o)
		}
	}
}

// steuerRepetitionOK: in the first ten digits exactly one digit occurs
// twice or three times, and every other digit at most once.
func steuerRepetitionOK(ten string) bool {
	counts := map[rune]int{}
	for _, c := range ten {
		counts[c]++
	}
	multi := 0
	for _, n := range counts {
		switch {
		case n == 2 || n == 3:
			multi++
		case n > 3:
			return false
		}
	}
	return multi == 1
}

func TestNumberWords(t *testing.T) {
	for _, c := range []struct {
		lang string
		n    int
		want string
	}{
		{"en", 49, "forty nine"}, {"en", 221, "two hundred and twenty one"},
		{"de", 49, "neunundvierzig"}, {"de", 21, "einundzwanzig"}, {"de", 1985, "eintausendneunhundertfünfundachtzig"},
		{"fr", 78, "soixante-dix-huit"}, {"fr", 71, "soixante et onze"}, {"fr", 80, "quatre-vingts"}, {"fr", 99, "quatre-vingt-dix-neuf"}, {"fr", 21, "vingt et un"},
		{"es", 22, "veintidós"}, {"es", 45, "cuarenta y cinco"}, {"es", 500, "quinientos"}, {"es", 100, "cien"},
		{"it", 21, "ventuno"}, {"it", 28, "ventotto"}, {"it", 23, "ventitré"}, {"it", 1985, "millenovecentottantacinque"},
		{"nl", 21, "eenentwintig"}, {"nl", 22, "tweeëntwintig"}, {"nl", 49, "negenenveertig"},
		{"pt", 16, "dezasseis"}, {"pt", 45, "quarenta e cinco"}, {"pt", 120, "cento e vinte"},
	} {
		if got := cardinal(c.lang, c.n); got != c.want {
			t.Errorf("cardinal(%s, %d) = %q, want %q", c.lang, c.n, got, c.want)
		}
	}
	for _, c := range []struct {
		lang string
		y    int
		want string
	}{
		{"en", 1985, "nineteen eighty five"}, {"en", 2005, "two thousand and five"}, {"en", 1905, "nineteen oh five"},
		{"de", 1985, "neunzehnhundertfünfundachtzig"}, {"nl", 1985, "negentienhonderdvijfentachtig"},
		{"pt", 1985, "mil novecentos e oitenta e cinco"},
	} {
		if got := yearWords(c.lang, c.y, false); got != c.want {
			t.Errorf("yearWords(%s, %d) = %q, want %q", c.lang, c.y, got, c.want)
		}
	}
}

func TestGenerateIsDeterministicAndCommitted(t *testing.T) {
	us, err := generate(defaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	a, err := encode(us)
	if err != nil {
		t.Fatal(err)
	}
	us2, err := generate(defaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	b, _ := encode(us2)
	if !bytes.Equal(a, b) {
		t.Fatal("two runs with the same seed differ")
	}
	committed, err := os.ReadFile(filepath.Join("..", "..", "..", "testdata", "redact", "corpus.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, committed) {
		t.Fatal("testdata/redact/corpus.jsonl is not what the generator writes; run go run ./bench/redacteval/gencorpus")
	}
}

func TestEveryTemplateRendersInBothStyles(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, l := range languages() {
		for _, set := range [][]string{l.positives, l.negatives} {
			for _, tpl := range set {
				for _, asr := range []bool{false, true} {
					g := &gen{r: r, l: l, asr: asr, p: randomPerson(r, l), agent: "Kim"}
					parts, err := g.render(tpl)
					if err != nil {
						t.Fatalf("%s: %v", l.code, err)
					}
					text, spans := assemble(parts, asr)
					for _, s := range spans {
						if body := text[s.Start:s.End]; strings.TrimSpace(body) != body || body == "" {
							t.Errorf("%s: template %q gives a bad span", l.code, tpl)
						}
					}
					if asr && strings.ContainsAny(text, "?!;¿¡") {
						t.Errorf("%s: transcript-style line keeps punctuation: template %q", l.code, tpl)
					}
				}
			}
		}
	}
}

func TestConfigValidation(t *testing.T) {
	bad := defaultConfig()
	bad.NegativeShare = 0
	if _, err := generate(bad); err == nil {
		t.Error("accepted a zero negative share")
	}
	bad = defaultConfig()
	bad.PerLanguage = 3
	if _, err := generate(bad); err == nil {
		t.Error("accepted 3 lines per language")
	}
}
