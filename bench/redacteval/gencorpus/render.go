package main

import (
	"math/rand/v2"
	"strings"
	"unicode"
	"unicode/utf8"
)

// part is one piece of an utterance: literal text when typ is "", or the
// full surface form of one gold entity.
type part struct {
	text string
	typ  string
	// value marks a non-PII slot value ("49,99", "2.3.1", "17:30"): it
	// keeps its inner punctuation in transcript style.
	value bool
}

func lit(s string) part            { return part{text: s} }
func pii(typ, s string) part       { return part{text: s, typ: typ} }
func val(s string) []part          { return []part{{text: s, value: true}} }
func one(typ, s string) []part     { return []part{pii(typ, s)} }
func joinWords(ws []string) string { return strings.Join(ws, " ") }

// person is the caller an utterance is about; every slot of one utterance
// (name, email, URL, date of birth, tax code) describes the same person.
type person struct {
	first, last string
	female      bool
	year        int
	month, day  int
}

// gen renders the slots of one utterance.
type gen struct {
	r     *rand.Rand
	l     *language
	asr   bool // transcript style: lowercase, no punctuation
	p     person
	agent string
}

func (g *gen) pick(xs []string) string { return xs[g.r.IntN(len(xs))] }
func (g *gen) chance(p float64) bool   { return g.r.Float64() < p }

// groupSep separates spoken digit groups: a comma in edited text, a plain
// space in transcripts, sometimes a hesitation filler.
func (g *gen) groupSep(fillerChance float64) string {
	if g.chance(fillerChance) {
		if g.asr {
			return " " + g.pick(g.l.fillers) + " "
		}
		return ", " + g.pick(g.l.fillers) + ", "
	}
	if g.asr {
		return " "
	}
	return ", "
}

// joinGroups joins spoken groups, with at most a couple of fillers.
func (g *gen) joinGroups(groups []string, fillerChance float64) string {
	var b strings.Builder
	for i, x := range groups {
		if i > 0 {
			b.WriteString(g.groupSep(fillerChance))
		}
		b.WriteString(x)
	}
	return b.String()
}

// digitsSpoken spells a digit string word by word with the language's
// habits: English "oh", "double", "triple"; German "zwo".
func (g *gen) digitsSpoken(d string, oh, zwo, doubles bool) string {
	w := digitWords[g.l.code]
	var out []string
	for i := 0; i < len(d); {
		c := d[i]
		run := 1
		for i+run < len(d) && d[i+run] == c && run < 3 {
			run++
		}
		word := w[c-'0']
		switch {
		case oh && c == '0':
			word = "oh"
		case zwo && c == '2':
			word = "zwo"
		}
		if doubles && run == 3 {
			out = append(out, "triple "+word)
			i += 3
			continue
		}
		if doubles && run == 2 {
			out = append(out, "double "+word)
			i += 2
			continue
		}
		out = append(out, word)
		i++
	}
	return joinWords(out)
}

// pairsSpoken reads a digit string two digits at a time ("zéro six,
// soixante-dix-huit"); an odd leading digit is read alone, and a pair
// with a leading zero is read as two digits.
func (g *gen) pairsSpoken(d string) []string {
	var out []string
	if len(d)%2 == 1 {
		out = append(out, digitWords[g.l.code][d[0]-'0'])
		d = d[1:]
	}
	for i := 0; i+1 < len(d); i += 2 {
		if d[i] == '0' {
			out = append(out, joinWords(spokenDigits(g.l.code, d[i:i+2])))
			continue
		}
		out = append(out, cardinal(g.l.code, int(d[i]-'0')*10+int(d[i+1]-'0')))
	}
	return out
}

// spellLetters spells a word letter by letter: "S-C-H-M-I-D-T" in edited
// text, "s c h m i d t" in a transcript.
func (g *gen) spellLetters(word string) string {
	var ls []string
	for _, c := range word {
		if unicode.IsLetter(c) {
			ls = append(ls, string(c))
		}
	}
	if g.asr {
		return strings.ToLower(strings.Join(ls, " "))
	}
	return strings.ToUpper(strings.Join(ls, "-"))
}

// asciiFold turns a name into what people put in an email address.
func asciiFold(s string) string {
	repl := strings.NewReplacer(
		"ä", "ae", "ö", "oe", "ü", "ue", "ß", "ss", "Ä", "Ae", "Ö", "Oe", "Ü", "Ue",
		"á", "a", "à", "a", "â", "a", "ã", "a", "é", "e", "è", "e", "ê", "e", "ë", "e",
		"í", "i", "ì", "i", "î", "i", "ï", "i", "ó", "o", "ò", "o", "ô", "o", "õ", "o",
		"ú", "u", "ù", "u", "û", "u", "ç", "c", "ñ", "n", "ş", "s", "ı", "i", "ğ", "g", "É", "E", "Á", "A", "Ó", "O",
		"'", "", " ", "", "-", "")
	return repl.Replace(s)
}

// toASR turns edited template text into transcript style: lowercase,
// without sentence punctuation. Apostrophes and hyphens stay, as speech
// engines keep them inside words.
func toASR(s string) string {
	s = strings.ToLower(s)
	var b strings.Builder
	for _, c := range s {
		switch c {
		case '.', ',', '?', '!', ';', ':', '¿', '¡', '"', '…':
			continue
		}
		b.WriteRune(c)
	}
	// "aujourd'hui ? C'est" loses its question mark: do not leave the
	// typographic space before it doubled.
	out := b.String()
	for strings.Contains(out, "  ") {
		out = strings.ReplaceAll(out, "  ", " ")
	}
	return out
}

// piiToASR lowercases an entity's surface form and drops the commas that
// edited text puts between spoken groups; dots, slashes and @ stay since
// they are part of written emails, IPs and URLs.
func piiToASR(s string) string {
	return strings.ReplaceAll(strings.ToLower(s), ",", "")
}

// assemble concatenates parts into text and gold spans (byte offsets).
func assemble(parts []part, asr bool) (string, []span) {
	var b strings.Builder
	var spans []span
	for _, p := range parts {
		t := p.text
		if asr {
			switch {
			case p.typ != "":
				t = piiToASR(t)
			case p.value:
				t = strings.ToLower(t)
			default:
				t = toASR(t)
			}
		}
		if p.typ != "" {
			spans = append(spans, span{Start: b.Len(), End: b.Len() + len(t), Type: p.typ})
		}
		b.WriteString(t)
	}
	text := b.String()
	if asr { // a dropped final "?" can leave a space behind
		text = strings.TrimRight(text, " ")
	}
	if !asr && len(parts) > 0 && parts[0].typ == "" {
		// Edited text starts with a capital even when a value opens it.
		if r, n := utf8.DecodeRuneInString(text); unicode.IsLower(r) {
			if up := string(unicode.ToUpper(r)); len(up) == n {
				text = up + text[n:]
			}
		}
	}
	return text, spans
}
