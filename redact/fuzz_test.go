package redact

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzRedact feeds arbitrary text and languages to the redactor and checks
// the output contract: no panic, valid UTF-8 out for valid UTF-8 in, spans
// in bounds, sorted and non-overlapping on rune boundaries, the output
// equal to the input with each span replaced by its tag, and no span's
// original text surviving in the output except where the same text also
// stands in the unredacted parts or inside a tag. The seed corpus is in
// testdata/fuzz/FuzzRedact.
func FuzzRedact(f *testing.F) {
	for _, s := range []string{
		"my number is oh seven seven double oh nine one two three four five six",
		"meine IBAN ist DE89 3704 0044 0532 0130 00",
		"mon email c'est jean point dupont arobase orange point fr",
		"soixante-dix-huit quatre-vingt-douze",
		"",
		"\xff\xfe invalid",
	} {
		f.Add(s, "auto")
	}
	f.Fuzz(func(t *testing.T, text, lang string) {
		res := testRedactor.Redact(text, lang, Hints{Names: []string{"zorbat"}, Numbers: []string{"+49 30 1234567"}})
		if utf8.ValidString(text) && !utf8.ValidString(res.Text) {
			t.Fatalf("output not valid UTF-8")
		}
		// Rune starts as Go reads the string: an invalid byte is a rune of
		// its own (RuneError), so a span may end right before one.
		starts := map[int]bool{len(text): true}
		for i := range text {
			starts[i] = true
		}
		var kept, tags strings.Builder
		var rebuilt strings.Builder
		last := 0
		for _, s := range res.Spans {
			if s.Start < last || s.End <= s.Start || s.End > len(text) {
				t.Fatalf("bad span %+v (previous end %d, len %d)", s, last, len(text))
			}
			if !starts[s.Start] || !starts[s.End] {
				t.Fatalf("span %+v splits a rune", s)
			}
			kept.WriteString(text[last:s.Start])
			kept.WriteByte(0)
			tag := "[" + string(s.Type) + "]"
			tags.WriteString(tag)
			tags.WriteByte(0)
			rebuilt.WriteString(text[last:s.Start])
			rebuilt.WriteString(tag)
			last = s.End
		}
		kept.WriteString(text[last:])
		rebuilt.WriteString(text[last:])
		if rebuilt.String() != res.Text {
			t.Fatalf("output is not the input with spans replaced")
		}
		for _, s := range res.Spans {
			orig := text[s.Start:s.End]
			if strings.Contains(res.Text, orig) && !strings.Contains(kept.String(), orig) && !strings.Contains(tags.String(), orig) &&
				!strings.ContainsAny(orig, "[]") {
				t.Fatalf("span text survives in the output")
			}
		}
	})
}
