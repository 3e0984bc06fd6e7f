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
	// unique maps words found in the vocabulary of exactly one configured
	// language to its index in order; nil in high-accuracy mode (see
	// shortVote).
	unique map[string]int
}

// shortText is the length under which lingua's low-accuracy mode is
// unreliable: its documentation says accuracy "drops significantly" for
// texts of less than 120 characters ("third line" comes out German at
// 0.96). Below it a word that only one language has decides first.
const shortText = 120

// numberVocabulary returns the words of nt that spell a number by
// themselves: units, teens, tens, hundreds, thousands, not the fillers or
// "oh" and "double" that other languages say too.
func numberVocabulary(nt *numTable) []string {
	var out []string
	for w, nw := range nt.words {
		switch nw.kind {
		case nkUnit, nkTeen, nkTens, nkFull, nkHundred, nkHundreds, nkThousand:
			if len(w) >= 3 {
				out = append(out, w)
			}
		}
	}
	return out
}

// englishOrdinals are ordinalWords' English entries.
var englishOrdinals = []string{"first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
	"eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth",
	"nineteenth", "twentieth", "thirtieth"}

func newLanguageDetector(langs []string, mode DetectionMode, numbers map[string]*numTable) *languageDetector {
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
	ld := &languageDetector{codes: codes, words: words, order: slices.Clone(langs)}
	if mode == DetectLowAccuracy {
		b = b.WithLowAccuracyMode()
		ld.unique = uniqueWords(langs, numbers)
	}
	ld.det = b.Build()
	return ld
}

// distinctShortWords are two-letter words that none of the other six
// languages writes: English "my" ("my postcode is SW1A 1AA" has no other
// word only English has, and lingua's low-accuracy mode calls it German).
var distinctShortWords = map[string]bool{"my": true}

// uniqueWords maps each word of one language's vocabulary (function
// words, stopwords, number words, English ordinals) that no other
// configured language's vocabulary has to that language's index in langs.
func uniqueWords(langs []string, numbers map[string]*numTable) map[string]int {
	owner := map[string]int{}
	shared := map[string]bool{}
	for i, l := range langs {
		vocab := slices.Concat(functionWords[l], stopwords[l])
		if nt := numbers[l]; nt != nil {
			vocab = append(vocab, numberVocabulary(nt)...)
		}
		if l == "en" {
			vocab = append(vocab, englishOrdinals...)
		}
		for _, w := range vocab {
			w = fold(w)
			if len(w) < 3 && !distinctShortWords[w] {
				// Two-letter words and elisions ("la", "do", "su", the
				// "c" of "c'è") belong to several Romance languages more
				// often than the lists say.
				continue
			}
			if o, ok := owner[w]; ok && o != i {
				shared[w] = true
			}
			owner[w] = i
		}
	}
	for w := range shared {
		delete(owner, w)
	}
	// Top-level domains are read out in addresses of any language ("gmail
	// punto com").
	for w := range tlds {
		delete(owner, w)
	}
	return owner
}

// shortVote decides a short text by the words it holds that only one
// configured language has: it answers when some language has one and no
// other has any ("third line", "line two", "my postcode is SW1A 1AA").
func (ld *languageDetector) shortVote(toks [][]token, texts []string) (string, bool) {
	if ld.unique == nil {
		return "", false
	}
	n := 0
	for _, t := range texts {
		n += len(t)
		if n >= shortText {
			return "", false
		}
	}
	var counts [8]int
	for _, ts := range toks {
		for i := range ts {
			if l, ok := ld.unique[ts[i].norm]; ok && ts[i].kind == tokWord {
				counts[l]++
			}
		}
	}
	lang, langs := -1, 0
	for l, c := range counts {
		if c > 0 {
			lang = l
			langs++
		}
	}
	if langs != 1 {
		return "", false
	}
	return ld.order[lang], true
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
	if l, ok := ld.shortVote(toks, texts); ok {
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
