package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Span is one labelled or predicted stretch of text, in byte offsets.
type Span struct {
	Start int    `json:"start"`
	End   int    `json:"end"`
	Type  string `json:"type"`
}

// Utterance is one line of the corpus.
type Utterance struct {
	ID       string `json:"id"`
	Language string `json:"language"`
	Text     string `json:"text"`
	Spans    []Span `json:"spans"`
	Negative bool   `json:"negative"`
}

// Languages the corpus covers, in report order.
var corpusLanguages = [...]string{"en", "de", "fr", "es", "it", "nl", "pt"}

// Entity types the corpus labels, in report order.
var entityTypes = [...]string{
	"PERSON", "PHONE_NUMBER", "EMAIL_ADDRESS", "CREDIT_CARD", "IBAN", "NATIONAL_ID",
	"ADDRESS", "DATE_OF_BIRTH", "IP_ADDRESS", "URL", "CARD_EXPIRY", "CARD_CVV",
}

func knownType(t string) bool {
	for _, k := range entityTypes {
		if k == t {
			return true
		}
	}
	return false
}

// ReadCorpus parses JSON lines. It does not judge the content; Validate does.
func ReadCorpus(r io.Reader) ([]Utterance, error) {
	var out []Utterance
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var u Utterance
		dec := json.NewDecoder(strings.NewReader(sc.Text()))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&u); err != nil {
			// The error names the line, never its content.
			return nil, fmt.Errorf("corpus line %d: invalid JSON object", line)
		}
		out = append(out, u)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading corpus: %w", err)
	}
	return out, nil
}

// LoadCorpus reads and validates a corpus file.
func LoadCorpus(path string) ([]Utterance, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	us, err := ReadCorpus(f)
	if err != nil {
		return nil, err
	}
	if err := Validate(us); err != nil {
		return nil, err
	}
	return us, nil
}

// Validate checks the structure of every line: unique ids, a known
// language, valid UTF-8, spans in bounds, non-empty, not overlapping, on
// rune boundaries, without surrounding whitespace, of a known type, and
// negative lines without spans. Errors name line ids, never text.
func Validate(us []Utterance) error {
	var errs []error
	seen := map[string]bool{}
	for _, u := range us {
		fail := func(format string, a ...any) {
			errs = append(errs, fmt.Errorf("%s: "+format, append([]any{u.ID}, a...)...))
		}
		if u.ID == "" {
			fail("empty id")
		}
		if seen[u.ID] {
			fail("duplicate id")
		}
		seen[u.ID] = true
		if !strings.HasPrefix(u.ID, u.Language+"-") {
			fail("id does not start with its language")
		}
		known := false
		for _, l := range corpusLanguages {
			known = known || l == u.Language
		}
		if !known {
			fail("unknown language")
		}
		if !utf8.ValidString(u.Text) {
			fail("text is not valid UTF-8")
			continue
		}
		if u.Negative != (len(u.Spans) == 0) {
			fail("negative=%v with %d spans", u.Negative, len(u.Spans))
		}
		spans := append([]Span(nil), u.Spans...)
		sort.Slice(spans, func(i, j int) bool { return spans[i].Start < spans[j].Start })
		for i, s := range spans {
			switch {
			case !knownType(s.Type):
				fail("span %d has unknown type", i)
			case s.Start < 0 || s.End > len(u.Text) || s.Start >= s.End:
				fail("span %d [%d,%d) out of bounds or empty", i, s.Start, s.End)
				continue
			case !utf8.RuneStart(u.Text[s.Start]) || s.End < len(u.Text) && !utf8.RuneStart(u.Text[s.End]):
				fail("span %d [%d,%d) splits a character", i, s.Start, s.End)
				continue
			}
			if i > 0 && s.Start < spans[i-1].End {
				fail("span %d overlaps the previous one", i)
			}
			body := u.Text[s.Start:s.End]
			if strings.TrimSpace(body) != body {
				fail("span %d has surrounding whitespace", i)
			}
			if countSignificant(body) == 0 {
				fail("span %d holds no letter or digit", i)
			}
		}
	}
	return errors.Join(errs...)
}

// significant reports whether a character counts in the metrics. Only
// letters and digits count: a redactor that leaves the space or comma
// between two redacted words should not lose recall for it.
func significant(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

func countSignificant(s string) int {
	n := 0
	for _, r := range s {
		if significant(r) {
			n++
		}
	}
	return n
}
