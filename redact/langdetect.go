package redact

import (
	"slices"
	"strings"

	"github.com/pemistahl/lingua-go"
)

// languageDetector wraps lingua-go restricted to the configured languages.
// Models are preloaded in New so that building pays the cost once and
// detection never blocks on a lazy load.
type languageDetector struct {
	det   lingua.LanguageDetector
	codes map[lingua.Language]string
	// words maps function words of the configured languages to their
	// index in order (see quickDetect).
	words map[string]int
	order []string
}

func newLanguageDetector(langs []string, mode DetectionMode) *languageDetector {
	codes := map[lingua.Language]string{}
	var ll []lingua.Language
	for _, l := range langs {
		lang := lingua.GetLanguageFromIsoCode639_1(lingua.GetIsoCode639_1FromValue(strings.ToUpper(l)))
		codes[lang] = l
		ll = append(ll, lang)
	}
	if len(ll) == 1 {
		// lingua needs two languages; with one configured there is nothing
		// to detect.
		return &languageDetector{codes: codes}
	}
	words := map[string]int{}
	for i, l := range langs {
		for _, w := range functionWords[l] {
			words[fold(w)] = i
		}
	}
	b := lingua.NewLanguageDetectorBuilder().FromLanguages(ll...).WithPreloadedLanguageModels()
	if mode == DetectLowAccuracy {
		b = b.WithLowAccuracyMode()
	}
	return &languageDetector{det: b.Build(), codes: codes, words: words, order: slices.Clone(langs)}
}

// functionWords are frequent words found in only one of the seven
// languages (after folding accents). Counting them settles most calls at
// once; lingua, which costs about a millisecond per call, decides the rest.
var functionWords = map[string][]string{
	"en": {"the", "and", "you", "my", "that", "this", "have", "with", "what", "your", "please", "thanks", "yeah", "hello", "would", "just", "about", "i'm", "it's"},
	"de": {"der", "die", "das", "und", "ist", "ich", "nicht", "sie", "mit", "mein", "meine", "eine", "bitte", "danke", "haben", "auf", "wir", "fur", "auch", "noch"},
	"fr": {"les", "et", "est", "je", "vous", "pas", "une", "des", "mon", "pour", "oui", "merci", "avec", "dans", "bonjour", "suis", "c'est", "au", "du"},
	"es": {"el", "los", "las", "y", "por", "usted", "pero", "gracias", "hola", "tengo", "muy", "quiero", "del", "una", "puede", "su", "mi"},
	"it": {"il", "sono", "per", "non", "grazie", "buongiorno", "questo", "della", "io", "che", "anche", "mio", "ho", "gli", "ciao", "mi"},
	"nl": {"het", "een", "ik", "niet", "u", "mijn", "van", "met", "dat", "dank", "goed", "voor", "graag", "wel", "bedankt", "nog", "bent", "hallo"},
	"pt": {"os", "ao", "na", "nas", "pela", "pelo", "uma", "lhe", "meu", "minha", "nao", "sim", "obrigado", "obrigada", "voce", "com", "do", "da", "em", "tenho", "ola", "bom", "muito", "voces", "estou"},
}

// quickDetect votes with function words; it answers only when one
// configured language clearly leads (at least four hits and twice the
// runner-up).
func (ld *languageDetector) quickDetect(toks [][]token) (string, bool) {
	var counts [8]int // per configured language, in ld.order
	for _, ts := range toks {
		for i := range ts {
			t := &ts[i]
			if t.kind != tokWord {
				continue
			}
			if l, ok := ld.words[t.norm]; ok {
				counts[l]++
			}
		}
	}
	best, second, lang := 0, 0, -1
	for l, c := range counts {
		switch {
		case c > best:
			best, second, lang = c, best, l
		case c > second:
			second = c
		}
	}
	if best >= 4 && best >= 2*second {
		return ld.order[lang], true
	}
	return "", false
}

// detect returns the language of text, or false when undecidable.
func (ld *languageDetector) detect(text string) (string, bool) {
	return ld.detectTokens([][]token{tokenize(text, nil)}, []string{text})
}

// detectTokens returns the language of texts (tokenized as toks), or
// false when undecidable. A clear function-word vote decides first;
// otherwise lingua reads the first 600 bytes: a call's language does not
// change, and lingua's cost grows with the text.
func (ld *languageDetector) detectTokens(toks [][]token, texts []string) (string, bool) {
	if ld.det == nil {
		for _, c := range ld.codes {
			return c, true
		}
		return "", false
	}
	if l, ok := ld.quickDetect(toks); ok {
		return l, true
	}
	var b strings.Builder
	for i, t := range texts {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(t)
		if b.Len() > 600 {
			break
		}
	}
	text := b.String()
	if len(text) > 600 {
		cut := 600
		for cut > 0 && text[cut]&0xC0 == 0x80 {
			cut--
		}
		text = text[:cut]
	}
	l, ok := ld.det.DetectLanguageOf(text)
	if !ok {
		return "", false
	}
	c, ok := ld.codes[l]
	return c, ok
}
