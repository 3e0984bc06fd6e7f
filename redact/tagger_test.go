package redact

import (
	"bytes"
	"compress/gzip"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
)

// rulesOnly is the redactor without the name and address tagger, to show
// what the tagger adds.
func rulesOnly(t *testing.T) *Redactor {
	t.Helper()
	r, err := New(Config{NoNameModel: true})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// covered reports whether every letter and digit of want inside text is
// inside a span of one of types.
func covered(text, want string, spans []Span, types ...EntityType) bool {
	at := strings.Index(text, want)
	if at < 0 {
		return false
	}
	for i := at; i < at+len(want); i++ {
		c := text[i]
		if c == ' ' || c == ',' || c == '.' {
			continue
		}
		in := false
		for _, s := range spans {
			for _, typ := range types {
				if s.Type == typ && s.Start <= i && i < s.End {
					in = true
				}
			}
		}
		if !in {
			return false
		}
	}
	return true
}

// The cases of issue 14 that cue phrases and name lists miss: names
// without a cue, mid-sentence and in lower case, whole addresses with
// unit, town, state, ZIP and UK postcodes.
func TestTaggerFindsWhatRulesMiss(t *testing.T) {
	rules := rulesOnly(t)
	tests := []struct {
		lang, text, value string
		typ               EntityType
	}{
		{"en", "Contact Jane Doe at the main office.", "Jane Doe", Person},
		{"en", "Jane lives at 123 Main Street, Springfield, IL 62704.", "123 Main Street, Springfield, IL 62704", Address},
		{"en", "Send it to 42 Elm Road, Apt 4B, Leeds LS6 2AB please.", "42 Elm Road, Apt 4B, Leeds LS6 2AB", Address},
		{"en", "so yesterday i spoke to kasimir wendt about the router", "kasimir wendt", Person},
		{"de", "ich habe gestern mit Kasimir Wendt telefoniert", "Kasimir Wendt", Person},
		{"fr", "on a déménagé au 14 voie Verte, 1380 Belp", "14 voie Verte, 1380 Belp", Address},
		{"nl", "stuur het naar Bakkerslaan 12, 2674 HU Ulvenhout", "Bakkerslaan 12, 2674 HU Ulvenhout", Address},
	}
	added := 0
	for _, tc := range tests {
		got := testRedactor.Redact(tc.text, tc.lang, Hints{})
		checkInvariants(t, tc.text, got)
		if !covered(tc.text, tc.value, got.Spans, tc.typ) {
			t.Errorf("%s %q: %q not redacted as %s (spans %v)", tc.lang, tc.text, tc.value, tc.typ, got.Spans)
		}
		if !covered(tc.text, tc.value, rules.Redact(tc.text, tc.lang, Hints{}).Spans, tc.typ) {
			added++
		}
	}
	// The rules alone miss most of these; the test proves the tagger is
	// what finds them.
	if added < len(tests)/2 {
		t.Errorf("rules alone find %d of %d cases; the test no longer shows what the tagger adds", len(tests)-added, len(tests))
	}
}

// What looks like a name or an address but is neither stays.
func TestTaggerLeavesLookalikes(t *testing.T) {
	for _, tc := range []struct{ lang, text string }{
		{"en", "Monday works better, Customer Service opens at 9."},
		{"en", "I bought the Kindle Paperwhite in 2018 and the battery is gone."},
		{"en", "we have 43 staff and twelve laptops so it's 5.00 a month per seat"},
		{"en", "Line one is busy, try the third line."},
		{"de", "Der Termin ist am 17. März 2026 um zehn Uhr."},
		{"fr", "On fête Noël chez ma sœur, donc livrez plutôt avant."},
		{"es", "somos 29 personas con treinta portátiles o sea 271,00 euros al mes"},
		{"it", "nella fattura del 19/10/2026 ci sono ancora ventuno euro"},
	} {
		got := testRedactor.Redact(tc.text, tc.lang, Hints{})
		for _, s := range got.Spans {
			if s.Type == Person || s.Type == Address {
				t.Errorf("%s %q: redacted %q as %s", tc.lang, tc.text, tc.text[s.Start:s.End], s.Type)
			}
		}
	}
}

func TestLoadNameTaggerRejectsBadModels(t *testing.T) {
	if _, err := loadNameTagger(nameModelFile); err != nil {
		t.Fatalf("shipped model: %v", err)
	}
	for name, file := range map[string][]byte{
		"not gzip":  []byte("cvtag1\n"),
		"truncated": nameModelFile[:len(nameModelFile)/2],
		"no header": encodeRaw([]byte("other\n\x12\x00\x00\x00\x00")),
		"size":      encodeRaw([]byte("cvtag1\n\x12\x05\x00\x00\x00")),
	} {
		if _, err := loadNameTagger(file); !errors.Is(err, ErrBadModel) {
			t.Errorf("%s: err %v, want ErrBadModel", name, err)
		}
	}
}

func encodeRaw(raw []byte) []byte {
	var w bytes.Buffer
	zw := gzip.NewWriter(&w)
	zw.Write(raw)
	zw.Close()
	return w.Bytes()
}

// Training is deterministic: the same examples and shuffle seed give the
// same model byte for byte, and the model it gives finds a name it was
// trained on in a sentence it was not.
func TestTrainNameTaggerDeterministic(t *testing.T) {
	r := rulesOnly(t)
	var ex []TaggerExample
	names := []string{"Anna Berg", "Tomas Kral", "Lena Vos", "Piet Haan", "Olga Nowak", "Ivo Rask"}
	for i := 0; i < 300; i++ {
		n := names[i%len(names)]
		text := "please call " + n + " tomorrow"
		at := len("please call ")
		ex = append(ex, TaggerExample{Text: text, Language: "en", Spans: []Span{{Start: at, End: at + len(n), Type: Person}}})
		ex = append(ex, TaggerExample{Text: "please call the office tomorrow", Language: "en"})
	}
	train := func() []byte {
		rnd := rand.New(rand.NewPCG(1, 2))
		m, err := r.TrainNameTagger(ex, TaggerTraining{Epochs: 3, Bits: 14, Shuffle: rnd.Shuffle})
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	a, b := train(), train()
	if !bytes.Equal(a, b) {
		t.Fatal("two trainings on the same data differ")
	}
	m, err := loadNameTagger(a)
	if err != nil {
		t.Fatal(err)
	}
	trained := *r
	trained.tagger = m
	text := "ok so please call Tomas Kral tomorrow then"
	got := trained.Redact(text, "en", Hints{})
	if !covered(text, "Tomas Kral", got.Spans, Person) {
		t.Errorf("trained model missed the name: %v", got.Spans)
	}
	if _, err := r.TrainNameTagger(ex, TaggerTraining{Epochs: 0, Bits: 14}); !errors.Is(err, ErrInvalidConfig) {
		t.Errorf("epochs 0: err %v", err)
	}
}
