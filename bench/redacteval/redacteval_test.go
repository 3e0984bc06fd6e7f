package main

import (
	"bytes"
	"context"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
)

func loadTestCorpus(t testing.TB) []Utterance {
	t.Helper()
	us, err := LoadCorpus(filepath.Join("..", "..", corpusRel))
	if err != nil {
		t.Fatalf("load corpus: %v", err)
	}
	return us
}

// TestCorpusShape checks the acceptance properties of the corpus itself.
func TestCorpusShape(t *testing.T) {
	us := loadTestCorpus(t)
	if len(us) < 600 {
		t.Errorf("corpus has %d lines, want at least 600", len(us))
	}
	perLang := map[string]int{}
	typesPerLang := map[string]map[string]bool{}
	neg, edited := 0, 0
	for _, u := range us {
		perLang[u.Language]++
		if u.Negative {
			neg++
		}
		if typesPerLang[u.Language] == nil {
			typesPerLang[u.Language] = map[string]bool{}
		}
		for _, s := range u.Spans {
			typesPerLang[u.Language][s.Type] = true
		}
		if strings.ContainsAny(u.Text, ".,?!") && hasUpper(u.Text) {
			edited++
		}
		if strings.Contains(u.Text, "  ") || strings.TrimSpace(u.Text) != u.Text {
			t.Errorf("%s: stray whitespace", u.ID)
		}
	}
	for _, l := range corpusLanguages {
		if perLang[l] < 80 {
			t.Errorf("language %s has %d lines, want at least 80", l, perLang[l])
		}
		for _, typ := range entityTypes {
			if !typesPerLang[l][typ] {
				t.Errorf("language %s has no %s span", l, typ)
			}
		}
	}
	if share := float64(neg) / float64(len(us)); share < 0.25 {
		t.Errorf("negative share %.3f, want at least 0.25", share)
	}
	// About a third edited (case and punctuation), the rest transcript style.
	if share := float64(edited) / float64(len(us)); share < 0.2 || share > 0.45 {
		t.Errorf("edited-style share %.3f, want about 1/3", share)
	}
}

func hasUpper(s string) bool {
	for _, r := range s {
		if unicode.IsUpper(r) {
			return true
		}
	}
	return false
}

// TestCorpusWrittenChecksums re-checks, independently of the generator,
// that written card numbers pass Luhn and written IBANs pass mod-97.
func TestCorpusWrittenChecksums(t *testing.T) {
	us := loadTestCorpus(t)
	cards, ibans := 0, 0
	for _, u := range us {
		for _, s := range u.Spans {
			body := u.Text[s.Start:s.End]
			compact := strings.ToUpper(strings.NewReplacer(" ", "", "-", "").Replace(body))
			switch s.Type {
			case "CREDIT_CARD":
				if isDigits(compact) {
					cards++
					if !luhn(compact) {
						t.Errorf("%s: written card number fails Luhn", u.ID)
					}
				}
			case "IBAN":
				if writtenIBAN(compact) {
					ibans++
					if !ibanOK(compact) {
						t.Errorf("%s: written IBAN fails mod-97", u.ID)
					}
				}
			}
		}
	}
	if cards < 10 || ibans < 10 {
		t.Errorf("only %d written cards and %d written IBANs checked", cards, ibans)
	}
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// writtenIBAN reports whether s (spaces removed, upper case) is an IBAN
// in written form: country letters, two check digits, then a BBAN with at
// most four letters (a bank code). A spoken IBAN ("P T FIFTY ...") has
// far more letters and is skipped.
func writtenIBAN(s string) bool {
	if len(s) < 15 || len(s) > 34 || !isUpperLetters(s[:2]) || !isDigits(s[2:4]) {
		return false
	}
	letters := 0
	for _, r := range s[4:] {
		switch {
		case r >= 'A' && r <= 'Z':
			letters++
		case r < '0' || r > '9':
			return false
		}
	}
	return letters <= 4
}

func isUpperLetters(s string) bool {
	for _, r := range s {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	return true
}

func luhn(d string) bool {
	sum, dbl := 0, false
	for i := len(d) - 1; i >= 0; i-- {
		x := int(d[i] - '0')
		if dbl {
			if x *= 2; x > 9 {
				x -= 9
			}
		}
		sum += x
		dbl = !dbl
	}
	return sum%10 == 0
}

func ibanOK(s string) bool {
	r := s[4:] + s[:4]
	m := 0
	for _, c := range r {
		v := int(c - '0')
		if c >= 'A' {
			v = int(c-'A') + 10
			m = (m*100 + v) % 97
			continue
		}
		m = (m*10 + v) % 97
	}
	return m == 1
}

func TestValidateRejectsBrokenLines(t *testing.T) {
	const canary = "Canary Zebulon 0151 99988877"
	good := Utterance{ID: "en-1", Language: "en", Text: canary, Spans: []Span{{0, 14, "PERSON"}}}
	cases := []struct {
		name string
		u    Utterance
	}{
		{"out of bounds", Utterance{ID: "en-2", Language: "en", Text: canary, Spans: []Span{{20, 99, "PHONE_NUMBER"}}}},
		{"empty span", Utterance{ID: "en-3", Language: "en", Text: canary, Spans: []Span{{3, 3, "PERSON"}}}},
		{"overlap", Utterance{ID: "en-4", Language: "en", Text: canary, Spans: []Span{{0, 14, "PERSON"}, {10, 20, "PHONE_NUMBER"}}}},
		{"unknown type", Utterance{ID: "en-5", Language: "en", Text: canary, Spans: []Span{{0, 6, "SHOE_SIZE"}}}},
		{"negative with spans", Utterance{ID: "en-6", Language: "en", Text: canary, Spans: []Span{{0, 6, "PERSON"}}, Negative: true}},
		{"positive without spans", Utterance{ID: "en-7", Language: "en", Text: canary}},
		{"whitespace edge", Utterance{ID: "en-8", Language: "en", Text: canary, Spans: []Span{{0, 7, "PERSON"}}}},
		{"split rune", Utterance{ID: "de-9", Language: "de", Text: "Jürgen", Spans: []Span{{0, 2, "PERSON"}}}},
		{"bad utf8", Utterance{ID: "en-10", Language: "en", Text: "a\xffb", Spans: []Span{{0, 1, "PERSON"}}}},
		{"unknown language", Utterance{ID: "xx-11", Language: "xx", Text: canary, Spans: []Span{{0, 6, "PERSON"}}}},
		{"duplicate id", good},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := Validate([]Utterance{good, c.u})
			if err == nil {
				t.Fatal("Validate accepted a broken line")
			}
			if strings.Contains(err.Error(), "Zebulon") || strings.Contains(err.Error(), "99988877") {
				t.Fatal("validation error leaks line text")
			}
		})
	}
	if err := Validate([]Utterance{good}); err != nil {
		t.Fatalf("Validate rejected a good line: %v", err)
	}
}

// fixedRedactor returns preset spans per text.
type fixedRedactor map[string][]Span

func (f fixedRedactor) Redact(text, _ string) []Span { return f[text] }

// TestEvaluateCounts checks the metric arithmetic on lines small enough
// to count by hand.
func TestEvaluateCounts(t *testing.T) {
	// "call anna on 0151 2345" : PERSON "anna" [5,9) = 4 chars, PHONE "0151 2345" [13,22) = 8 chars.
	l1 := "call anna on 0151 2345"
	// negative line with a price
	l2 := "it costs 49,99 euro"
	corpus := []Utterance{
		{ID: "en-1", Language: "en", Text: l1, Spans: []Span{{5, 9, "PERSON"}, {13, 22, "PHONE_NUMBER"}}},
		{ID: "de-1", Language: "de", Text: l2, Spans: []Span{}, Negative: true},
	}
	red := fixedRedactor{
		// Covers "anna on" as PERSON (4 gold + 2 extra chars) and "0151" as
		// a wrong type (4 gold chars covered, not type-correct).
		l1: {{5, 12, "PERSON"}, {13, 17, "NATIONAL_ID"}},
		// Touches the negative line: "49" is 2 extra chars.
		l2: {{9, 11, "PHONE_NUMBER"}},
	}
	rep, err := Evaluate(context.Background(), "fixed", corpus, red, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := rep.RecallFor("", "PERSON"); got != (Recall{Gold: 4, Covered: 4, TypeCorrect: 4}) {
		t.Errorf("PERSON recall counts %+v", got)
	}
	if got := rep.RecallFor("en", "PHONE_NUMBER"); got != (Recall{Gold: 8, Covered: 4, TypeCorrect: 0}) {
		t.Errorf("PHONE recall counts %+v", got)
	}
	if got := rep.RecallFor("", ""); got != (Recall{Gold: 12, Covered: 8, TypeCorrect: 4}) {
		t.Errorf("total recall counts %+v", got)
	}
	// Predicted: 6 (anna on) + 4 (0151) + 2 (49) = 12, of which 8 in gold.
	if got := rep.PrecisionFor("", ""); got != (Precision{Predicted: 12, InGold: 8}) {
		t.Errorf("precision counts %+v", got)
	}
	if got := rep.PrecisionFor("en", "PERSON"); got != (Precision{Predicted: 6, InGold: 4}) {
		t.Errorf("PERSON precision counts %+v", got)
	}
	if got := rep.Negatives[""]; got != (Negatives{Lines: 1, Untouched: 0}) {
		t.Errorf("negatives %+v", got)
	}
	worst := rep.Worst(5)
	if len(worst) != 2 || worst[0].ID != "en-1" || worst[0].Missed != 4 || worst[0].Extra != 2 {
		t.Errorf("worst lines %+v", worst)
	}
}

// TestEvaluateBounds compares an oracle, a redactor that finds nothing and
// one that redacts everything.
func TestEvaluateBounds(t *testing.T) {
	corpus := loadTestCorpus(t)
	oracle := fixedRedactor{}
	everything := fixedRedactor{}
	for _, u := range corpus {
		oracle[u.Text] = u.Spans
		everything[u.Text] = []Span{{0, len(u.Text), "PERSON"}}
	}
	ctx := context.Background()
	o, err := Evaluate(ctx, "oracle", corpus, oracle, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, typ := range entityTypes {
		if r := o.RecallFor("", typ); r.Value() != 1 || r.TypedValue() != 1 {
			t.Errorf("oracle recall for %s = %v/%v", typ, r.Value(), r.TypedValue())
		}
	}
	if p := o.PrecisionFor("", "").Value(); p != 1 {
		t.Errorf("oracle precision %v", p)
	}
	if n := o.Negatives[""].Value(); n != 1 {
		t.Errorf("oracle negatives untouched %v", n)
	}
	none, err := Evaluate(ctx, "none", corpus, fixedRedactor{}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r := none.RecallFor("", ""); r.Covered != 0 || r.Gold == 0 {
		t.Errorf("empty redactor recall counts %+v", r)
	}
	if none.Negatives[""].Value() != 1 {
		t.Errorf("empty redactor touched negative lines")
	}
	all, err := Evaluate(ctx, "all", corpus, everything, Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Redacting everything: recall 1, precision = gold share of characters.
	gold, total := 0, 0
	for _, u := range corpus {
		total += countSignificant(u.Text)
		for _, s := range u.Spans {
			gold += countSignificant(u.Text[s.Start:s.End])
		}
	}
	if all.RecallFor("", "").Value() != 1 {
		t.Errorf("redact-all recall %v", all.RecallFor("", "").Value())
	}
	if p, want := all.PrecisionFor("", "").Value(), float64(gold)/float64(total); math.Abs(p-want) > 1e-12 {
		t.Errorf("redact-all precision %v, want %v", p, want)
	}
	if all.Negatives[""].Untouched != 0 {
		t.Errorf("redact-all left negative lines untouched")
	}
}

func TestEvaluateCountsInvalidSpansAndStopsOnCancel(t *testing.T) {
	corpus := []Utterance{{ID: "en-1", Language: "en", Text: "hello there", Spans: []Span{}, Negative: true}}
	rep, err := Evaluate(context.Background(), "bad", corpus, fixedRedactor{"hello there": {{-3, 2, "PERSON"}, {5, 400, "PERSON"}, {4, 4, "PERSON"}}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.InvalidSpans != 3 {
		t.Errorf("invalid spans %d, want 3", rep.InvalidSpans)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Evaluate(ctx, "bad", corpus, fixedRedactor{}, Options{}); err == nil {
		t.Error("Evaluate ignored a cancelled context")
	}
}

// langRecorder records the language the harness passes.
type langRecorder struct{ langs map[string]bool }

func (l *langRecorder) Redact(_, lang string) []Span { l.langs[lang] = true; return nil }

func TestEvaluatePassesAutoUnlessGoldLanguage(t *testing.T) {
	corpus := []Utterance{
		{ID: "de-1", Language: "de", Text: "hallo", Spans: []Span{}, Negative: true},
		{ID: "fr-1", Language: "fr", Text: "bonjour", Spans: []Span{}, Negative: true},
	}
	rec := &langRecorder{langs: map[string]bool{}}
	if _, err := Evaluate(context.Background(), "rec", corpus, rec, Options{}); err != nil {
		t.Fatal(err)
	}
	if len(rec.langs) != 1 || !rec.langs["auto"] {
		t.Errorf("default passes %v, want only auto", rec.langs)
	}
	rec.langs = map[string]bool{}
	if _, err := Evaluate(context.Background(), "rec", corpus, rec, Options{GoldLanguage: true}); err != nil {
		t.Fatal(err)
	}
	if len(rec.langs) != 2 || !rec.langs["de"] || !rec.langs["fr"] {
		t.Errorf("gold-lang passes %v, want de and fr", rec.langs)
	}
}

func TestRegexBaseline(t *testing.T) {
	b := newRegexBaseline()
	cases := []struct {
		text string
		want []string // types found, in order
	}{
		{"mail me at anna.schmidt@gmx.de today", []string{"EMAIL_ADDRESS"}},
		{"card 4111 1111 1111 1111 thanks", []string{"CREDIT_CARD"}},
		{"call 0151 23456789 tomorrow", []string{"PHONE_NUMBER"}},
		{"five five five one two three four", nil},
		{"it costs 49 euro", nil},
	}
	for i, c := range cases {
		var got []string
		for _, s := range b.Redact(c.text, "auto") {
			got = append(got, s.Type)
		}
		if strings.Join(got, ",") != strings.Join(c.want, ",") {
			t.Errorf("baseline on case %d found %v, want %v", i, got, c.want)
		}
	}
}

// TestRunPrintsTables runs the command end to end on the real corpus.
func TestRunPrintsTables(t *testing.T) {
	var out bytes.Buffer
	if err := run([]string{"-corpus", filepath.Join("..", "..", corpusRel), "-markdown"}, &out); err != nil {
		t.Fatal(err)
	}
	s := out.String()
	for _, want := range []string{"| recall (chars covered) |", "| PHONE_NUMBER |", "negative lines untouched", "regex baseline", "held-apart part", "spoken phones: cases fully covered"} {
		if !strings.Contains(s, want) {
			t.Errorf("markdown output lacks %q", want)
		}
	}
}

// TestRedactorMeetsTargets is the acceptance test of the redactor on the
// corpus. It asserts by default; CALLVEIL_EVAL_SOFT=1 skips the target
// assertions (figures are still logged) while the library is being built.
func TestRedactorMeetsTargets(t *testing.T) {
	corpus := loadTestCorpus(t)
	lib, err := newLibraryRedactor()
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Evaluate(context.Background(), "callveil redact", corpus, lib, Options{})
	if err != nil {
		t.Fatal(err)
	}
	tg := targets()
	for _, typ := range entityTypes {
		r := rep.RecallFor("", typ)
		t.Logf("recall %-14s %.3f (type-correct %.3f)", typ, r.Value(), r.TypedValue())
	}
	p, n := rep.PrecisionFor("", "").Value(), rep.Negatives[""].Value()
	t.Logf("precision %.3f, negatives untouched %.3f", p, n)
	// Only ids and types go to the log, never line text.
	for _, l := range rep.Worst(10) {
		t.Logf("worst: %s types=%v missed=%d extra=%d", l.ID, l.Types, l.Missed, l.Extra)
	}
	if os.Getenv("CALLVEIL_EVAL_SOFT") == "1" {
		t.Skip("CALLVEIL_EVAL_SOFT=1: target assertions skipped")
	}
	for typ, min := range tg.Recall {
		if v := rep.RecallFor("", typ).Value(); v < min {
			t.Errorf("recall for %s is %.3f, target %.2f", typ, v, min)
		}
	}
	if p < tg.Precision {
		t.Errorf("precision %.3f, target %.2f", p, tg.Precision)
	}
	if n < tg.Negatives {
		t.Errorf("negative lines untouched %.3f, target %.2f", n, tg.Negatives)
	}
}

// The benchmarks compare the redactor with the regexp baseline on the same
// corpus, in the same process: read them as a ratio.
func BenchmarkCorpusLibrary(b *testing.B) {
	corpus := loadTestCorpus(b)
	lib, err := newLibraryRedactor()
	if err != nil {
		b.Fatal(err)
	}
	benchCorpus(b, corpus, lib)
}

func BenchmarkCorpusRegexBaseline(b *testing.B) {
	benchCorpus(b, loadTestCorpus(b), newRegexBaseline())
}

func benchCorpus(b *testing.B, corpus []Utterance, red Redactor) {
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		u := corpus[i%len(corpus)]
		red.Redact(u.Text, "auto")
	}
}

// The independent sets load, both parts of every set hold cases, and the
// failure printer never shows a held-apart line.
func TestIndependentSetsKeepHeldApartOut(t *testing.T) {
	cases, err := loadIndependent(independentDir(filepath.Join("..", "..", corpusRel)))
	if err != nil {
		t.Fatal(err)
	}
	lib, err := newLibraryRedactor()
	if err != nil {
		t.Fatal(err)
	}
	res, err := evaluateIndependent(context.Background(), "callveil redact", cases, lib, Options{})
	if err != nil {
		t.Fatal(err)
	}
	held := map[string]bool{}
	for _, c := range cases {
		if c.part == partHeld {
			held[c.u.ID] = true
		}
	}
	for set, byPart := range res {
		for _, part := range parts {
			if byPart[part].rep.Utterances == 0 {
				t.Errorf("%s %s is empty", set, part)
			}
		}
	}
	var out bytes.Buffer
	writeIndependentFailures(&out, res, lib, 1000, Options{})
	for _, f := range strings.Fields(out.String()) {
		if held[f] {
			t.Fatalf("held-apart line %s printed", f)
		}
	}
	if !strings.Contains(out.String(), "tuning part only") {
		t.Error("failure listing lacks its header")
	}
}
