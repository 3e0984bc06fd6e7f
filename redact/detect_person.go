package redact

import (
	"unicode"
	"unicode/utf8"
)

// nameParticles join the parts of a name: "Ludwig van Beethoven", "Maria
// da Silva", "Jean de la Fontaine". They count only between name words.
var nameParticles = set("van", "von", "de", "der", "den", "ter", "ten", "da", "das", "do", "dos", "di", "del", "della",
	"la", "le", "du", "des", "zu", "vom", "mc", "mac", "y", "e", "st", "el", "al", "ben", "bin", "ibn", "abu", "dei",
	"degli", "delle", "dello")

// companyPrepositions introduce the caller's company after their name.
var companyPrepositions = set("from", "von", "de", "da", "di", "van", "del", "della", "du", "do")

// notNameWords are words of billing talk that the name lists also hold
// ("Iva" is a given name; IVA is Spanish, Italian and Portuguese VAT).
var notNameWords = set("iva", "tva", "btw", "vat", "mwst", "ust", "euro", "euros", "cent", "dollar", "dollars", "pound")

// nounDeterminers are words after which a list name is a common noun ("unos
// dolores", "des roses"): indefinite and plural articles and
// demonstratives. Definite singular articles are left out where a
// language puts them before first names ("a Maria", "la Giulia", "o Rui").
var nounDeterminers = map[string]map[string]bool{
	"en": set("a", "an", "the", "some", "these", "those", "every", "each"),
	"de": set("ein", "eine", "einen", "einem", "einer", "eines", "kein", "keine", "diese", "dieser", "dieses", "jede", "jeder", "jedes"),
	"fr": set("un", "une", "des", "les", "du", "ces", "cette", "chaque", "quelques"),
	"es": set("un", "una", "unos", "unas", "los", "las", "estos", "estas", "esos", "esas", "algunos", "algunas", "cada"),
	"it": set("un", "uno", "una", "gli", "dei", "degli", "delle", "questi", "queste", "alcuni", "alcune", "ogni"),
	"nl": set("een", "het", "deze", "dit", "elke", "ieder", "sommige"),
	"pt": set("um", "uma", "uns", "umas", "os", "as", "estes", "estas", "esses", "essas", "alguns", "algumas", "cada"),
}

var germanArticles = set("der", "die", "das", "den", "dem", "des", "im", "am", "vom", "zum", "zur", "ein", "eine",
	"einen", "einem", "einer", "beim", "ins", "ans")

// detectSpelled finds names spelled letter by letter ("k o w a l s k i",
// "M-A-R-I-N-O"): a run of single letters that spells a name found in the
// text or the call, a list name, or that follows "let me spell it".
func (d *detection) detectSpelled(found map[string]bool) {
	toks := d.toks
	var sb []byte
	for i := 0; i < len(toks); i++ {
		// The "s" of "that's" or "l" of "l'adresse" is not spelled.
		if !isLetterTok(toks[i]) || i > 0 && !toks[i].space && toks[i-1].kind == tokPunct && isJoiner(toks[i-1]) {
			continue
		}
		j := i
		sb = sb[:0]
		last := i
		for j < len(toks) {
			if isLetterTok(toks[j]) {
				sb = append(sb, toks[j].norm[0])
				last = j
				j++
				continue
			}
			if (toks[j].norm == "-" || toks[j].norm == ",") && j+1 < len(toks) && isLetterTok(toks[j+1]) {
				j++
				continue
			}
			break
		}
		if len(sb) >= 3 {
			w := string(sb)
			_, listed := d.r.names.Lookup(w)
			if found[w] || d.hints.names[w] || listed || d.nearestCue(cueSpell, i) <= 8 || d.nearestCue(cueNameStrong, i) <= 8 {
				d.add(i, last+1, Person, "name", w)
			}
		}
		i = last
	}
}

func isLetterTok(t token) bool {
	return t.kind == tokWord && len(t.norm) == 1 && t.norm[0] >= 'a' && t.norm[0] <= 'z'
}

// nameEvidence grades how much a token looks like a name on its own.
type nameEvidence uint8

const (
	notName   nameEvidence = iota
	weakName               // capitalised unknown word, or a list name that is also a common word
	listName               // a given name or surname from the lists that is not a common word here
	knownName              // a name from the call's own metadata
)

// plainWord reports whether token i is a word that could be a name at all:
// not a function word, number word, month, honorific, billing term, nor
// an elided article ("dell'" in "dell'amministrazione").
func (d *detection) plainWord(i int) bool {
	t := &d.toks[i]
	if t.kind != tokWord || len(t.norm) < 2 || t.has(fStop|fMonth|fHonorific|fNotName) || t.isNum() {
		return false
	}
	if i+1 < len(d.toks) && !d.toks[i+1].space && isJoiner(d.toks[i+1]) && d.toks[i+1].norm != "-" {
		return false
	}
	return true
}

// listed returns the token's list data, unless the word ends in a stressed
// accented vowel that no listed spelling has: "sarà", "está", "però" are
// verb forms and adverbs, not "Sara", "Esta", "Pero".
func (d *detection) listed(i int) (lx *wordInfo, ok bool) {
	t := &d.toks[i]
	if t.lx == nil || !t.lx.named {
		return nil, false
	}
	if t.accented && finalAccent(d.text[t.start:t.end]) && !d.r.names.HasSpelling(lowerRaw(d.text[t.start:t.end])) {
		return nil, false
	}
	return t.lx, true
}

func (d *detection) evidence(i int) nameEvidence {
	t := &d.toks[i]
	if t.kind != tokWord || len(t.norm) < 2 {
		return notName
	}
	if d.hinted(t) {
		return knownName
	}
	if !d.plainWord(i) {
		return notName
	}
	if lx, ok := d.listed(i); ok {
		if lx.name.Common.Has(d.langBit) {
			if d.cased && t.upper {
				return weakName
			}
			return notName
		}
		if d.cased && !t.upper {
			// A cased transcript writes names with a capital letter.
			return notName
		}
		return listName
	}
	// German capitalises every noun, so a capital letter says nothing.
	if d.cased && t.upper && d.lang != "de" {
		return weakName
	}
	return notName
}

// hinted reports a word the caller's hints name.
func (d *detection) hinted(t *token) bool {
	return len(d.hints.names) > 0 && d.hints.names[t.norm]
}

// givenName reports a list given name, common word or not, that may start
// a name after a cue ("gracias maría", "met Hendrik").
func (d *detection) givenName(i int) bool {
	lx, ok := d.listed(i)
	return ok && lx.name.Given != 0 && d.plainWord(i) && (!d.cased || d.toks[i].upper)
}

// isNameWord is used by the URL detector: a list or hint name in a host or
// path segment.
func (d *detection) isNameWord(i int) bool {
	t := &d.toks[i]
	if t.kind != tokWord || len(t.norm) < 3 {
		return false
	}
	if d.hinted(t) {
		return true
	}
	lx, ok := d.listed(i)
	return ok && !lx.name.Common.Has(d.langBit) && !t.has(fStop)
}

func (d *detection) isStop(w string) bool { return d.r.stop[w] }

// unknownNameWord reports a word that no list knows and that could be a
// surname once a cue or honorific says a name comes ("El Amrani",
// "Yılmaz").
func (d *detection) unknownNameWord(i int) bool {
	if i >= len(d.toks) || !d.plainWord(i) || len(d.toks[i].norm) < 3 || d.cueStart[i] {
		return false
	}
	if _, ok := d.listed(i); ok {
		return false
	}
	return !d.cased || d.toks[i].upper
}

// extendName grows a name from its first token i: further name words and
// particles between them ("Hans Müller", "Maria da Silva"). strong is set
// after a cue or honorific that announced a name: then an unknown word
// after a particle continues it too ("Femke El Amrani").
func (d *detection) extendName(i int, strong bool) int {
	end := i + 1
	for end < len(d.toks) {
		j := end
		// Hyphenated names: "Jean-Pierre", "Müller-Lüdenscheidt".
		if d.toks[j].norm == "-" && !d.toks[j].space && j+1 < len(d.toks) && !d.toks[j+1].space && d.evidence(j+1) >= weakName {
			end = j + 2
			continue
		}
		k := j
		for k < len(d.toks) && k < j+3 && d.toks[k].has(fParticle) {
			k++
		}
		if k >= len(d.toks) {
			break
		}
		ev := d.evidence(k)
		if k > j && ev < listName {
			// "Jürgen Bauer von Kabelnetz": after a particle only a known
			// name continues ("Maria da Silva", "Matteo De Luca").
			if lx, ok := d.listed(k); !ok || lx.name.Surname == 0 {
				if !(strong && d.unknownNameWord(k)) {
					break
				}
				ev = weakName
			}
		}
		if ev == notName {
			// A list surname that is also a word still continues a name
			// after a given name ("Peter Koch").
			if lx, ok := d.listed(k); ok && lx.name.Surname != 0 && d.plainWord(k) && (!d.cased || d.toks[k].upper) {
				ev = weakName
			}
		}
		if ev == notName || d.toks[k].kind != tokWord {
			break
		}
		end = k + 1
	}
	return end
}

// particleStart returns where a name announced at token i begins when it
// opens with a particle ("meneer van Leeuwen", "il cognome è de luca"):
// the particle counts when a name word follows it.
func (d *detection) particleStart(i int) (int, bool) {
	k := i
	for k < len(d.toks) && k < i+3 && d.toks[k].has(fParticle) {
		k++
	}
	if k == i || k >= len(d.toks) {
		return i, false
	}
	if d.evidence(k) >= weakName || d.unknownNameWord(k) {
		return k, true
	}
	if lx, ok := d.listed(k); ok && lx.name.Surname != 0 && d.plainWord(k) {
		return k, true
	}
	return i, false
}

// detectPersons finds names: after cue phrases and honorifics, from the
// name lists, and from the call's own names.
func (d *detection) detectPersons() {
	toks := d.toks
	covered := make([]bool, len(toks))
	// Words of a cue phrase are not names ("mein Name ist").
	for _, h := range d.cues {
		for k := h.start; k < h.end && k < len(toks); k++ {
			covered[k] = true
		}
	}
	found := map[string]bool{}
	mark := func(a, b int) {
		// A given name right before the name found is part of it ("carlos
		// Jiménez", "marta sousa"), even when it is also a common word.
		for a > 0 && !covered[a-1] && d.givenName(a-1) {
			a--
		}
		d.add(a, b, Person, "name", "")
		for k := a; k < b; k++ {
			covered[k] = true
			found[toks[k].norm] = true
		}
	}
	defer func() { d.detectSpelled(found) }()
	for _, h := range d.cues {
		i := h.end
		if i >= len(toks) {
			continue
		}
		// Portuguese and Italian put an article before first names:
		// "falei com a Rita", "ho parlato con la Giulia".
		if h.kind == cueNameWeak && i+1 < len(toks) && (toks[i].norm == "a" || toks[i].norm == "o" || toks[i].norm == "la" || toks[i].norm == "il") && d.lang != "en" {
			i++
		}
		if covered[i] {
			continue
		}
		ev := d.evidence(i)
		t := toks[i]
		switch h.kind {
		case cueNameStrong, cueHonorific, cueHonorificAmbiguous:
			if k, ok := d.particleStart(i); ok && h.kind != cueHonorificAmbiguous {
				mark(i, d.extendUnknown(d.extendName(k, true)))
				continue
			}
			if h.kind == cueHonorificAmbiguous {
				// "Frau Müller" but not "die Frau hat": the next word must
				// look like a name (list, capitalised, or a list surname).
				if ev == notName {
					if lx, ok := d.listed(i); ok && lx.name.Surname != 0 && d.plainWord(i) && (!d.cased || t.upper) {
						ev = weakName
					}
				}
				if d.toks[h.start].norm == "m" && !(t.upper || ev >= listName) {
					continue
				}
				if ev >= weakName {
					e := d.extendName(i, ev >= listName)
					if ev >= listName {
						e = d.extendUnknown(e)
					}
					mark(i, e)
				}
				continue
			}
			// After "my name is" or "Mr", anything but a common word is a
			// name, even unknown and lower case.
			if ev == notName && t.kind == tokWord && len(t.norm) >= 2 && !t.has(fStop|fHonorific|fNotName) && !t.isNum() {
				ev = weakName
			}
			if ev >= weakName {
				mark(i, d.extendUnknown(d.extendName(i, true)))
			}
		case cueNameWeak:
			// "this is Anna", "je suis Pierre", "gracias maría": a list
			// name, or a capitalised word followed by another name word
			// or the end of the introduction ("from", ",").
			switch {
			case ev >= listName || d.givenName(i):
				e := d.extendName(i, false)
				if d.givenName(i) {
					e = d.extendUnknown(e)
				}
				mark(i, e)
			case ev == weakName && d.introEnd(d.extendName(i, false)):
				mark(i, d.extendName(i, false))
			}
		}
	}
	// Names without a cue: list names and the call's own names.
	for i := 0; i < len(toks); i++ {
		if covered[i] {
			continue
		}
		ev := d.evidence(i)
		switch ev {
		case knownName:
			e := d.extendName(i, true)
			mark(i, e)
			i = e - 1
		case listName:
			lx, _ := d.listed(i)
			info := lx.name
			e := d.extendName(i, false)
			if i > 0 && toks[i-1].has(fNounDet|fGermanArt) && e == i+1 && (d.lang == "de" || toks[i-1].has(fNounDet)) {
				// "im Wolf", "unos dolores": nouns after an article or
				// determiner, not people.
				continue
			}
			// A lone surname needs a given name before it; a lone given
			// name stands on its own unless it is a single short token.
			if info.Given == 0 && e == i+1 && len(toks[i].norm) < 4 {
				continue
			}
			if d.sentenceStart(i) && d.cased && e == i+1 && info.Given == 0 {
				continue
			}
			mark(i, e)
			i = e - 1
		case weakName:
			// A capitalised common word or unknown word: only as part of a
			// longer name whose other part is a list name ("Will Smith").
			// After "di", "de", "from" right behind a name it names the
			// company ("Paola Rizzo di Energia Italia").
			if i >= 2 && covered[i-2] && companyPrepositions[toks[i-1].norm] {
				continue
			}
			e := d.extendName(i, false)
			if e-i >= 2 && d.sentenceStart(i) == false {
				strong := false
				for k := i; k < e; k++ {
					if d.evidence(k) >= listName {
						strong = true
					}
				}
				if strong {
					mark(i, e)
					i = e - 1
				}
			} else if e-i >= 2 {
				strong := 0
				for k := i; k < e; k++ {
					if d.evidence(k) >= listName {
						strong++
					}
				}
				if strong >= 1 && d.evidence(e-1) >= listName {
					mark(i, e)
					i = e - 1
				}
			}
		}
	}
}

// extendUnknown adds one more unknown word after a name that a cue
// introduced ("mrs priya kowalski she ...", "frau sophie yılmaz geboren
// am"), when the word is followed by the end of the phrase (punctuation,
// a function word, another cue), so "my name is anna calling about" stays
// "anna".
func (d *detection) extendUnknown(end int) int {
	if !d.unknownNameWord(end) {
		return end
	}
	// An attached hyphen or apostrophe continues the word ("ajudou-me").
	if n := end + 1; n < len(d.toks) && !(d.toks[n].kind == tokPunct && !(isJoiner(d.toks[n]) && !d.toks[n].space) ||
		d.toks[n].has(fStop) || d.cueStart[n]) {
		return end
	}
	return end + 1
}

// introEnd reports whether the introduction ends at token i: the text end,
// punctuation, or "from"/"von"/"de" naming the company.
func (d *detection) introEnd(i int) bool {
	if i >= len(d.toks) {
		return true
	}
	t := d.toks[i]
	if t.kind == tokPunct {
		return true
	}
	switch t.norm {
	case "from", "von", "de", "da", "di", "van", "speaking", "here", "calling", "hier", "ici", "aqui", "qui", "and", "und", "et", "y", "e", "en":
		return true
	}
	return false
}

// sentenceStart reports whether token i starts a sentence (where a capital
// letter says nothing).
func (d *detection) sentenceStart(i int) bool {
	for k := i - 1; k >= 0; k-- {
		t := d.toks[k]
		if t.kind != tokPunct {
			return false
		}
		switch t.norm {
		case ".", "!", "?", ":", "\"", "¿", "¡", "-":
			return true
		}
	}
	return true
}

// finalAccent reports whether w ends in a vowel with a written accent.
func finalAccent(w string) bool {
	r, _ := utf8.DecodeLastRuneInString(w)
	switch unicode.ToLower(r) {
	case 'à', 'á', 'è', 'é', 'ì', 'í', 'ò', 'ó', 'ù', 'ú', 'â', 'ê', 'ô', 'ã', 'õ':
		return true
	}
	return false
}
