package redact

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// tokKind classifies a token.
type tokKind uint8

const (
	tokWord   tokKind = iota + 1 // letters only
	tokDigits                    // ASCII digits only
	tokAlnum                     // letters and digits mixed ("DE89", "12th")
	tokPunct                     // one non-space, non-alphanumeric rune
)

// token is one word or punctuation mark of the input with its byte offsets.
// Detectors work on tokens, never on raw bytes, so every span they produce
// starts and ends on a token boundary (and so on a UTF-8 boundary).
type token struct {
	start, end int
	kind       tokKind
	// norm is the lower-cased text with diacritics folded ("Straße" ->
	// "strasse", "zéro" -> "zero"), which is what all tables are keyed by.
	norm string
	// upper is true when the first rune is upper case: a signal for names in
	// texts that are cased at all.
	upper bool
	// space is true when whitespace (or the text start) precedes the token.
	space bool
	// accented is true when the word has letters outside ASCII (its norm is
	// folded).
	accented bool
	// lx is what the language's tables say about the word (nil when they
	// know nothing); set by lexTable.lexTokens.
	lx *wordInfo
}

// tokenize splits text into tokens. Letters and digits form runs (a switch
// between them does not split: "de89" stays one token); apostrophes and
// hyphens split words so that "soixante-dix-huit" and "m'appelle" are seen
// word by word; every other non-space rune is a punctuation token.
func tokenize(text string, buf []token) []token {
	toks := buf[:0]
	if len(text) > 64<<10 {
		// A long text would otherwise regrow its token slice (tokens hold
		// pointers, so every copy is costly) a dozen times. One pass
		// bounds the count: a guess (one token per five bytes of speech)
		// came short on plain talk and cost a copy of the whole slice.
		toks = slices.Grow(toks, maxTokens(text))
	}
	space := true
	i := 0
	for i < len(text) {
		c := text[i]
		if c < utf8.RuneSelf {
			switch {
			case c == ' ' || c == '\t' || c == '\n' || c == '\r':
				space = true
				i++
				continue
			case isASCIIAlnum(c):
				j := i
				hasDigit, hasLetter, ascii := false, false, true
				var seen byte // asciiClass bits of the ASCII bytes read
				for j < len(text) {
					d := text[j]
					if d < utf8.RuneSelf {
						if k := asciiClass[d]; k != 0 {
							seen |= k
							j++
							continue
						}
						break
					}
					r, n := utf8.DecodeRuneInString(text[j:])
					if !unicode.IsLetter(r) && !unicode.IsMark(r) {
						break
					}
					hasLetter, ascii = true, false
					j += n
				}
				hasDigit, hasLetter = seen&classDigit != 0, hasLetter || seen&classLetter != 0
				if ascii {
					// Filled in place: building a token and copying it
					// in stalls on its one-byte fields.
					toks = append(toks, token{})
					setASCIIToken(&toks[len(toks)-1], text, i, j, hasDigit, hasLetter, seen&classUpper != 0, space)
				} else {
					toks = append(toks, token{})
					setToken(&toks[len(toks)-1], text, i, j, hasDigit, hasLetter, ascii, space)
				}
				space = false
				i = j
				continue
			default:
				toks = append(toks, token{start: i, end: i + 1, kind: tokPunct, norm: text[i : i+1], space: space})
				space = false
				i++
				continue
			}
		}
		r, n := utf8.DecodeRuneInString(text[i:])
		if unicode.IsSpace(r) {
			space = true
			i += n
			continue
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) && r < 0x80 {
			j := i
			hasDigit, hasLetter := false, false
			for j < len(text) {
				d, m := utf8.DecodeRuneInString(text[j:])
				if d >= '0' && d <= '9' {
					hasDigit = true
				} else if unicode.IsLetter(d) || unicode.IsMark(d) {
					hasLetter = true
				} else {
					break
				}
				j += m
			}
			toks = append(toks, token{})
			setToken(&toks[len(toks)-1], text, i, j, hasDigit, hasLetter, false, space)
			space = false
			i = j
			continue
		}
		// Invalid UTF-8 decodes as one byte of RuneError: it becomes its own
		// punctuation token so offsets stay byte exact.
		toks = append(toks, token{start: i, end: i + n, kind: tokPunct, norm: text[i : i+n], space: space})
		space = false
		i += n
	}
	return toks
}

// maxTokens is an upper bound of the tokens tokenize makes of text: a
// token starts at an ASCII letter or digit after a byte that is none, or
// at any other byte that is not ASCII whitespace (each byte of a
// multi-byte rune counts).
func maxTokens(text string) int {
	n := 0
	prevAlnum := false
	for i := 0; i < len(text); i++ {
		c := text[i]
		alnum := c < utf8.RuneSelf && asciiClass[c] != 0
		switch {
		case alnum:
			if !prevAlnum {
				n++
			}
		case c != ' ' && c != '\t' && c != '\n' && c != '\r':
			n++
		}
		prevAlnum = alnum
	}
	return n
}

func isASCIIAlnum(c byte) bool {
	return c >= '0' && c <= '9' || (c|0x20) >= 'a' && (c|0x20) <= 'z'
}

// Bits of asciiClass.
const (
	classDigit byte = 1 << iota
	classLetter
	classUpper
)

// asciiClass classifies the ASCII bytes that make up word tokens; zero
// for every other byte.
var asciiClass = func() (t [utf8.RuneSelf]byte) {
	for c := '0'; c <= '9'; c++ {
		t[c] = classDigit
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c] = classLetter
		t[c-'a'+'A'] = classLetter | classUpper
	}
	return t
}()

// wordKind classifies a run of letters and digits by what it holds.
func wordKind(hasDigit, hasLetter bool) tokKind {
	switch {
	case hasDigit && hasLetter:
		return tokAlnum
	case hasDigit:
		return tokDigits
	}
	return tokWord
}

// setASCIIToken is setToken for a token of ASCII letters and
// digits, with what the scan saw: no rune decoding, and the text itself is
// the norm unless it holds a capital.
func setASCIIToken(t *token, text string, i, j int, hasDigit, hasLetter, hasUpper bool, space bool) {
	t.start, t.end, t.space, t.kind = i, j, space, wordKind(hasDigit, hasLetter)
	s := text[i:j]
	t.upper = asciiClass[s[0]]&classUpper != 0
	t.norm = s
	if hasUpper {
		t.norm = strings.ToLower(s)
	}
}

// setToken fills *t, a zero token, with the token text[i:j].
func setToken(t *token, text string, i, j int, hasDigit, hasLetter, ascii bool, space bool) {
	t.start, t.end, t.space, t.kind = i, j, space, wordKind(hasDigit, hasLetter)
	s := text[i:j]
	r, _ := utf8.DecodeRuneInString(s)
	t.upper = unicode.IsUpper(r)
	if ascii {
		t.norm = lowerASCII(s)
	} else {
		t.norm = fold(s)
		t.accented = true
	}
}

// lowerASCII lower-cases without allocating when s is already lower case.
func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			return strings.ToLower(s)
		}
	}
	return s
}

func (t *token) ascii() bool { return !t.accented }

// lowerRaw lower-cases a word keeping its diacritics.
func lowerRaw(s string) string { return strings.ToLower(s) }

// foldMap maps accented Latin letters to their base letters. Speech-to-text
// engines are inconsistent about accents ("funf", "zero", "numero"), so all
// lookups use folded text.
var foldMap = map[rune]string{
	'à': "a", 'á': "a", 'â': "a", 'ã': "a", 'ä': "a", 'å': "a", 'æ': "ae",
	'ç': "c", 'è': "e", 'é': "e", 'ê': "e", 'ë': "e", 'ì': "i", 'í': "i",
	'î': "i", 'ï': "i", 'ñ': "n", 'ò': "o", 'ó': "o", 'ô': "o", 'õ': "o",
	'ö': "o", 'ø': "o", 'ù': "u", 'ú': "u", 'û': "u", 'ü': "u", 'ý': "y",
	'ÿ': "y", 'ß': "ss", 'œ': "oe", 'º': "o", 'ª': "a",
	// Letters of names from Turkish, Polish and Czech families, common in
	// all seven countries ("Yılmaz", "Kowalczyk", "Dvořák").
	'ı': "i", 'ş': "s", 'ğ': "g", 'ć': "c", 'č': "c", 'ł': "l", 'ń': "n", 'ś': "s", 'š': "s",
	'ž': "z", 'ź': "z", 'ż': "z", 'ř': "r", 'ě': "e", 'ů': "u", 'ą': "a", 'ę': "e",
}

// fold lower-cases s and strips the diacritics in foldMap.
func fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		r = unicode.ToLower(r)
		if r < utf8.RuneSelf {
			b.WriteRune(r)
			continue
		}
		if f, ok := foldMap[r]; ok {
			b.WriteString(f)
			continue
		}
		if unicode.IsMark(r) {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// foldPhrase folds every word of a phrase and joins them with single spaces;
// used to build cue tables in the same form as token norms.
func foldPhrase(p string) []string {
	toks := tokenize(p, nil)
	out := make([]string, 0, len(toks))
	for _, t := range toks {
		if t.kind == tokPunct && (t.norm == "'" || t.norm == "-" || t.norm == "’") {
			continue
		}
		out = append(out, t.norm)
	}
	return out
}
