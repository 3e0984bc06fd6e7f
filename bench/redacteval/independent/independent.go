// Package independent builds redaction evaluation sets from material that
// nobody on this project wrote: CLDR's RBNF spell-out rules (numbers in
// words), libphonenumber's example numbers and validity metadata (through
// github.com/nyaruka/phonenumbers), the IBAN registry examples (through
// github.com/almerlucke/go-iban's registry data), national identifier
// specifications with their check digits, RFC 5321 local-part shapes, and
// @faker-js/faker name, street and city lists of locales the redactor's own
// lexicon does not use. Sources and licences: testdata/redact/independent/SOURCES.md.
//
// Only the sentence frames around the values (a few per language) are
// written here; the values, their spoken forms and the words for numbers
// come from the sources above. Generation is seeded and deterministic.
//
// Every case is assigned to a tuning part or a held-apart part by a hash of
// its text (HeldApart). The held-apart part must never be looked at while
// changing the redactor: only its aggregate figures are reported, and the
// redacteval command prints failing lines of the tuning part only.
package independent

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"unicode"
)

// Span is a labelled stretch of a case's text, in byte offsets.
type Span struct {
	Start int
	End   int
	Type  string
}

// Case is one evaluation line.
type Case struct {
	ID       string
	Language string
	Set      string
	Text     string
	Spans    []Span
	Negative bool
	// HeldApart is true for the part kept out of every tuning loop.
	HeldApart bool
	// Recognizer names the pattern recognizer a recognizer-set case tests
	// ("IBAN", "NATIONAL_ID:IT_CF"); NearMiss is set instead on a negative
	// that breaks that recognizer's specification.
	Recognizer string
	NearMiss   string
}

// Set names, in report order.
const (
	SetSpokenPhone = "spoken-phone"
	SetSpokenEmail = "spoken-email"
	// The challenge sets: a harder second reading by a red team that did
	// not look at the redactor's rules (challenge.go).
	SetChallengePhone = "spoken-phone-challenge"
	SetChallengeEmail = "spoken-email-challenge"
	SetWrittenEN      = "written-en"
	SetRecognizer     = "recognizer"
	SetTranscript     = "transcript-names"
	SetNegatives      = "negatives"
)

// Sets lists the set names in report order.
var Sets = []string{SetSpokenPhone, SetSpokenEmail, SetChallengePhone, SetChallengeEmail, SetWrittenEN, SetRecognizer, SetTranscript, SetNegatives}

// Languages the sets cover.
var Languages = []string{"en", "de", "fr", "es", "it", "nl", "pt"}

// HeldApart reports whether a case text belongs to the held-apart part:
// 40 % of cases, chosen by an FNV-1a hash of the text so the split does not
// depend on generation order and the same line always lands on the same side.
func HeldApart(text string) bool {
	h := fnv.New64a()
	h.Write([]byte(text))
	return h.Sum64()%10 < 4
}

// Sources holds the loaded third-party inputs.
type Sources struct {
	rbnf  map[string]*RBNF // by language; pt uses the pt_PT rules, "pt-BR" the Brazilian ones
	faker fakerFile
	iban  []ibanEntry // registry: country and example IBAN
	// ibanExamples are further published example IBANs (go-iban test data),
	// kept only when their mod-97 check holds.
	ibanExamples []string
}

type fakerFile struct {
	Version string                  `json:"version"`
	Locales map[string]fakerLocales `json:"locales"`
}

type fakerLocales struct {
	Given        []string `json:"given"`
	Surname      []string `json:"surname"`
	StreetName   []string `json:"street_name"`
	StreetSuffix []string `json:"street_suffix"`
	StreetPrefix []string `json:"street_prefix"`
	CityName     []string `json:"city_name"`
	Postcode     []string `json:"postcode"`
}

type ibanEntry struct {
	Country string
	Example string
}

// Load reads the inputs from dir (testdata/redact/independent).
func Load(dir string) (*Sources, error) {
	src := &Sources{rbnf: map[string]*RBNF{}}
	files := map[string]string{
		"en": "en", "de": "de", "fr": "fr", "es": "es", "it": "it", "nl": "nl", "pt": "pt_PT", "pt-BR": "pt",
	}
	for lang, f := range files {
		fh, err := os.Open(filepath.Join(dir, "cldr-rbnf", f+"-SpelloutRules.txt"))
		if err != nil {
			return nil, err
		}
		r, err := ParseRBNF(fh)
		fh.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		src.rbnf[lang] = r
	}
	b, err := os.ReadFile(filepath.Join(dir, "faker-lists.json"))
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(b, &src.faker); err != nil {
		return nil, fmt.Errorf("faker-lists.json: %w", err)
	}
	b, err = os.ReadFile(filepath.Join(dir, "iban-registry.csv"))
	if err != nil {
		return nil, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Split(line, ",")
		if len(f) < 4 {
			continue
		}
		unq := func(s string) string { return strings.Trim(strings.TrimSpace(s), `"`) }
		src.iban = append(src.iban, ibanEntry{Country: unq(f[0]), Example: unq(f[3])})
	}
	if len(src.iban) == 0 {
		return nil, fmt.Errorf("iban-registry.csv: no entries")
	}
	b, err = os.ReadFile(filepath.Join(dir, "iban-examples.txt"))
	if err != nil {
		return nil, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if compact := strings.ReplaceAll(strings.TrimSpace(line), " ", ""); ibanValid(compact) {
			src.ibanExamples = append(src.ibanExamples, strings.TrimSpace(line))
		}
	}
	return src, nil
}

// Generate builds every set. The same sources and seed give the same cases.
func Generate(src *Sources, seed uint64) []Case {
	var out []Case
	for _, set := range Sets {
		for _, lang := range Languages {
			g := &gen{src: src, lang: lang, set: set, rng: rand.New(rand.NewPCG(seed, hashString(set+"/"+lang)))}
			var cs []Case
			switch set {
			case SetSpokenPhone:
				cs = g.spokenPhones(120)
			case SetSpokenEmail:
				cs = g.spokenEmails(80)
			case SetChallengePhone:
				cs = g.challengePhones(150)
			case SetChallengeEmail:
				cs = g.challengeEmails(100)
			case SetWrittenEN:
				if lang == "en" {
					cs = g.writtenEnglish(300)
				}
			case SetRecognizer:
				if lang == "en" {
					cs = g.recognizerCases()
				}
				cs = append(cs, g.nationalPhoneCases(12)...)
				cs = append(cs, g.rfcEmailCases(12)...)
			case SetTranscript:
				cs = g.transcriptNames(40)
			case SetNegatives:
				cs = g.negatives(40)
			}
			out = append(out, dedupe(cs)...)
		}
	}
	return out
}

func dedupe(cs []Case) []Case {
	seen := map[string]bool{}
	var out []Case
	for _, c := range cs {
		if seen[c.Text] {
			continue
		}
		seen[c.Text] = true
		c.ID = fmt.Sprintf("%s-%s-%04d", c.Language, c.Set, len(out))
		c.HeldApart = HeldApart(c.Text)
		c.Negative = len(c.Spans) == 0
		out = append(out, c)
	}
	return out
}

func hashString(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}

// gen is the state of one set in one language.
type gen struct {
	src  *Sources
	lang string
	set  string
	rng  *rand.Rand
}

func (g *gen) pick(xs []string) string { return xs[g.rng.IntN(len(xs))] }
func (g *gen) chance(p float64) bool   { return g.rng.Float64() < p }

// line builds a case text with its spans.
type line struct {
	b     strings.Builder
	spans []Span
}

func (l *line) text(s string) *line { l.b.WriteString(s); return l }

func (l *line) pii(typ, s string) *line {
	start := l.b.Len()
	l.b.WriteString(s)
	l.spans = append(l.spans, Span{Start: start, End: l.b.Len(), Type: typ})
	return l
}

func (g *gen) done(l *line) Case {
	return Case{Language: g.lang, Set: g.set, Text: l.b.String(), Spans: l.spans}
}

// frame fills a frame "before %s after" with one PII value.
func (g *gen) frame(frame, typ, value string) Case {
	before, after, _ := strings.Cut(frame, "%s")
	l := &line{}
	l.text(before).pii(typ, value).text(after)
	return g.done(l)
}

// asciiFold removes diacritics of the Latin letters in the name lists:
// "Müller" -> "Muller" (for e-mail local parts). Letters it does not know
// stay, and isASCIIAlpha then rejects the name.
func asciiFold(s string) string {
	var b strings.Builder
	for _, r := range s {
		if f, ok := foldTable[r]; ok {
			b.WriteString(f)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

var foldTable = func() map[rune]string {
	m := map[rune]string{'ß': "ss", 'ø': "o", 'Ø': "O", 'æ': "ae", 'Æ': "AE", 'œ': "oe", 'Œ': "OE"}
	groups := map[string]string{
		"a": "àáâãäåāăą", "A": "ÀÁÂÃÄÅĀĂĄ", "c": "çćč", "C": "ÇĆČ", "d": "ďđ", "D": "ĎĐ",
		"e": "èéêëēėęě", "E": "ÈÉÊËĒĖĘĚ", "i": "ìíîïīį", "I": "ÌÍÎÏĪĮ", "l": "ĺľł", "L": "ĹĽŁ",
		"n": "ñńň", "N": "ÑŃŇ", "o": "òóôõöōő", "O": "ÒÓÔÕÖŌŐ", "r": "ŕř", "R": "ŔŘ",
		"s": "śšşș", "S": "ŚŠŞȘ", "t": "ťţț", "T": "ŤŢȚ", "u": "ùúûüūůű", "U": "ÙÚÛÜŪŮŰ",
		"y": "ýÿ", "Y": "Ý", "z": "źżž", "Z": "ŹŻŽ",
	}
	for base, rs := range groups {
		for _, r := range rs {
			m[r] = base
		}
	}
	return m
}()

func isASCIIAlpha(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r > unicode.MaxASCII || !unicode.IsLetter(r) {
			return false
		}
	}
	return true
}

// nameLocales are faker locales, none used by the redactor's lexicon,
// drawn from per language: the regional variant first, then foreign names
// that callers in that country also have.
var nameLocales = map[string][]string{
	"en": {"en_AU", "pl", "hr"},
	"de": {"de_AT", "de_CH", "cs_CZ"},
	"fr": {"fr_BE", "fr_CH", "ro"},
	"es": {"es_MX", "ro"},
	"it": {"ro", "hr", "sk"},
	"nl": {"nl_BE", "de_CH", "pl"},
	"pt": {"es_MX", "ro", "sk"},
}

func (g *gen) fakerFor(lang string, list func(fakerLocales) []string) []string {
	var out []string
	for _, loc := range nameLocales[lang] {
		out = append(out, list(g.src.faker.Locales[loc])...)
	}
	return out
}

// person returns a given name and a surname of one of the language's locales.
func (g *gen) person() (string, string) {
	locs := nameLocales[g.lang]
	for {
		l := g.src.faker.Locales[locs[g.rng.IntN(len(locs))]]
		if len(l.Given) > 0 && len(l.Surname) > 0 {
			return g.pick(l.Given), g.pick(l.Surname)
		}
	}
}

// digits returns n random decimal digits.
func (g *gen) digits(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + g.rng.IntN(10))
	}
	return string(b)
}

// fillPattern replaces # by a digit, ? by an upper-case letter, * by either.
func (g *gen) fillPattern(p string) string {
	var b strings.Builder
	for _, r := range p {
		switch r {
		case '#':
			b.WriteByte(byte('0' + g.rng.IntN(10)))
		case '?':
			b.WriteByte(byte('A' + g.rng.IntN(26)))
		case '*':
			if g.chance(0.5) {
				b.WriteByte(byte('0' + g.rng.IntN(10)))
			} else {
				b.WriteByte(byte('A' + g.rng.IntN(26)))
			}
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
