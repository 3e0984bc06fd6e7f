// Package redact finds personal data in call transcripts and replaces it.
// It is a pure library: no I/O, no package-level mutable state, and a
// *Redactor is safe for concurrent use once built.
package redact

import (
	"errors"
	"regexp"
	"sort"
	"strings"
)

// EntityType is a kind of personal data.
type EntityType string

const (
	Person       EntityType = "PERSON"
	PhoneNumber  EntityType = "PHONE_NUMBER"
	EmailAddress EntityType = "EMAIL_ADDRESS"
	CreditCard   EntityType = "CREDIT_CARD"
	IBAN         EntityType = "IBAN"
	NationalID   EntityType = "NATIONAL_ID"
	Address      EntityType = "ADDRESS"
	DateOfBirth  EntityType = "DATE_OF_BIRTH"
	IPAddress    EntityType = "IP_ADDRESS"
	URL          EntityType = "URL"
	CardExpiry   EntityType = "CARD_EXPIRY"
	CardCVV      EntityType = "CARD_CVV"
)

// Languages callveil redacts, as ISO 639-1 codes.
var supportedLanguages = []string{"en", "de", "fr", "es", "it", "nl", "pt"}

// Style is how a redacted span is replaced.
type Style int

const (
	// StyleTags replaces a span with its type in brackets: "[PHONE_NUMBER]".
	StyleTags Style = iota
	// StylePseudonyms replaces a span with a per-call stable pseudonym:
	// the same value gets the same "[PERSON_1]" throughout one call.
	StylePseudonyms
)

// Config configures a Redactor. The zero value redacts every type in all
// seven languages with tags.
type Config struct {
	// Languages to detect and redact (ISO 639-1); empty means all seven.
	Languages []string
	// Types to redact; empty means all.
	Types []EntityType
	Style Style
}

// Span is one redacted stretch of the input text, in byte offsets.
type Span struct {
	Start    int        `json:"start"`
	End      int        `json:"end"`
	Type     EntityType `json:"type"`
	Detector string     `json:"detector,omitempty"`
}

// Hints are values known from the call's metadata (names, numbers) that the
// redactor should find in the text even when no rule would.
type Hints struct {
	Names   []string
	Numbers []string
}

// Result is the outcome of redacting one text.
type Result struct {
	Text     string
	Language string
	Spans    []Span
}

// Redactor redacts texts. Build it once with New.
type Redactor struct {
	cfg   Config
	types map[EntityType]bool
	email *regexp.Regexp
	phone *regexp.Regexp
}

// ErrUnsupportedLanguage is returned by New for a language outside the seven.
var ErrUnsupportedLanguage = errors.New("redact: unsupported language")

// New builds a Redactor. Building is the expensive part (language models,
// lexicons); redacting is then cheap.
func New(cfg Config) (*Redactor, error) {
	if len(cfg.Languages) == 0 {
		cfg.Languages = supportedLanguages
	}
	for _, l := range cfg.Languages {
		if !isSupported(l) {
			return nil, ErrUnsupportedLanguage
		}
	}
	r := &Redactor{cfg: cfg, types: map[EntityType]bool{}}
	for _, t := range cfg.Types {
		r.types[t] = true
	}
	// Minimal placeholder detectors; the full library replaces them.
	r.email = regexp.MustCompile(`[\w.+-]+@[\w-]+(\.[\w-]+)+`)
	r.phone = regexp.MustCompile(`\+?\d[\d \-/]{6,}\d`)
	return r, nil
}

func isSupported(l string) bool {
	for _, s := range supportedLanguages {
		if s == l {
			return true
		}
	}
	return false
}

func (r *Redactor) enabled(t EntityType) bool { return len(r.types) == 0 || r.types[t] }

// Redact redacts one text. language is an ISO 639-1 code or "auto".
func (r *Redactor) Redact(text, language string, hints Hints) Result {
	var spans []Span
	add := func(re *regexp.Regexp, t EntityType) {
		if !r.enabled(t) {
			return
		}
		for _, m := range re.FindAllStringIndex(text, -1) {
			spans = append(spans, Span{Start: m[0], End: m[1], Type: t, Detector: "regexp"})
		}
	}
	add(r.email, EmailAddress)
	add(r.phone, PhoneNumber)
	sort.Slice(spans, func(i, j int) bool { return spans[i].Start < spans[j].Start })
	var b strings.Builder
	last := 0
	var kept []Span
	for _, s := range spans {
		if s.Start < last {
			continue
		}
		b.WriteString(text[last:s.Start])
		b.WriteString("[" + string(s.Type) + "]")
		last = s.End
		kept = append(kept, s)
	}
	b.WriteString(text[last:])
	if language == "auto" || language == "" {
		language = "en"
	}
	return Result{Text: b.String(), Language: language, Spans: kept}
}

// CallResult is the outcome of redacting all utterances of one call.
type CallResult struct {
	Language string
	Texts    []string
	Spans    [][]Span
	Counts   map[EntityType]int
}

// RedactCall redacts the utterances of one call: the language is detected
// once on the whole call (when language is "auto"), and pseudonyms are
// stable across utterances.
func (r *Redactor) RedactCall(texts []string, language string, hints Hints) CallResult {
	out := CallResult{Counts: map[EntityType]int{}}
	for _, t := range texts {
		res := r.Redact(t, language, hints)
		out.Language = res.Language
		out.Texts = append(out.Texts, res.Text)
		out.Spans = append(out.Spans, res.Spans)
		for _, s := range res.Spans {
			out.Counts[s.Type]++
		}
	}
	return out
}
