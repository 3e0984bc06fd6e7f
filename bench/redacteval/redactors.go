package main

import (
	"regexp"
	"sort"

	"github.com/callveil/callveil/redact"
)

// libraryRedactor adapts the callveil redactor to the harness.
type libraryRedactor struct{ r *redact.Redactor }

func newLibraryRedactor() (*libraryRedactor, error) { return newLibraryRedactorConfig(redact.Config{}) }

func newLibraryRedactorConfig(cfg redact.Config) (*libraryRedactor, error) {
	r, err := redact.New(cfg)
	if err != nil {
		return nil, err
	}
	return &libraryRedactor{r: r}, nil
}

func (l *libraryRedactor) Redact(text, lang string) []Span {
	res := l.r.Redact(text, lang, redact.Hints{})
	out := make([]Span, len(res.Spans))
	for i, s := range res.Spans {
		out[i] = Span{Start: s.Start, End: s.End, Type: string(s.Type)}
	}
	return out
}

// regexBaseline is the naive comparison point used in Presidio-style
// evaluations: three regular expressions for written emails, card numbers
// and phone numbers, nothing for spoken forms, names or addresses.
type regexBaseline struct {
	rules []baselineRule
}

type baselineRule struct {
	re  *regexp.Regexp
	typ string
}

func newRegexBaseline() *regexBaseline {
	return &regexBaseline{rules: []baselineRule{
		{regexp.MustCompile(`[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}`), "EMAIL_ADDRESS"},
		{regexp.MustCompile(`\b(?:\d[ -]?){12,18}\d\b`), "CREDIT_CARD"},
		{regexp.MustCompile(`\+?\(?\d[\d ()./-]{6,}\d`), "PHONE_NUMBER"},
	}}
}

// Redact applies the rules in order; a later match overlapping an earlier
// one is dropped.
func (b *regexBaseline) Redact(text, _ string) []Span {
	var out []Span
	for _, rule := range b.rules {
	match:
		for _, m := range rule.re.FindAllStringIndex(text, -1) {
			for _, s := range out {
				if m[0] < s.End && s.Start < m[1] {
					continue match
				}
			}
			out = append(out, Span{Start: m[0], End: m[1], Type: rule.typ})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Start < out[j].Start })
	return out
}

// Targets are the acceptance thresholds of the redactor.
type Targets struct {
	Recall    map[string]float64 // per type, type-agnostic coverage
	Precision float64
	Negatives float64 // share of negative lines left untouched
}

func targets() Targets {
	return Targets{
		Recall: map[string]float64{
			"PHONE_NUMBER": 0.99, "EMAIL_ADDRESS": 0.99, "CREDIT_CARD": 0.99, "IBAN": 0.99, "NATIONAL_ID": 0.99,
			"PERSON": 0.93, "ADDRESS": 0.93, "DATE_OF_BIRTH": 0.93,
		},
		Precision: 0.92,
		Negatives: 0.97,
	}
}
