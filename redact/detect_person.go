package redact

import "github.com/callveil/callveil/redact/lexicon"

// nameParticles join the parts of a name: "Ludwig van Beethoven", "Maria
// da Silva", "Jean de la Fontaine". They count only between name words.
var nameParticles = set("van", "von", "de", "der", "den", "ter", "ten", "da", "das", "do", "dos", "di", "del", "della",
	"la", "le", "du", "des", "zu", "vom", "mc", "mac", "y", "e", "st", "el", "al", "ben", "bin", "ibn", "abu", "dei",
	"degli", "delle", "dello")

var germanArticles = set("der", "die", "das", "den", "dem", "des", "im", "am", "vom", "zum", "zur", "ein", "eine",
	"einen", "einem", "einer", "beim", "ins", "ans")

// detectSpelled finds names spelled letter by letter ("k o w a l s k i",
// "M-A-R-I-N-O"): a run of single letters that spells a name found in the
// text or the call, a list name, or that follows "let me spell it".
func (d *detection) detectSpelled(found map[string]bool) {
	toks := d.toks
	for i := 0; i < len(toks); i++ {
		if !isLetterTok(toks[i]) {
			continue
		}
		j := i
		var sb []byte
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

func (d *detection) evidence(i int) nameEvidence {
	t := d.toks[i]
	if t.kind != tokWord || len(t.norm) < 2 {
		return notName
	}
	if d.hints.names[t.norm] {
		return knownName
	}
	if d.isStop(t.norm) || d.nt.words[t.norm].kind != 0 || cueWord(t.norm) {
		return notName
	}
	info, ok := d.r.names.Lookup(t.norm)
	if ok {
		if info.Common.Has(d.langBit) {
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

// cueWord reports words that are structure, not names: month names and
// honorifics.
func cueWord(w string) bool {
	_, m := monthWords[w]
	return m
}

// isNameWord is used by the URL detector: a list or hint name in a host or
// path segment.
func (d *detection) isNameWord(i int) bool {
	t := d.toks[i]
	if t.kind != tokWord || len(t.norm) < 3 {
		return false
	}
	if d.hints.names[t.norm] {
		return true
	}
	info, ok := d.r.names.Lookup(t.norm)
	return ok && !info.Common.Has(d.langBit) && !d.isStop(t.norm)
}

func (d *detection) isStop(w string) bool { return d.r.stop[w] }

// extendName grows a name from its first token i: further name words and
// particles between them ("Hans Müller", "Maria da Silva"). After a cue or
// a sure first name, a capitalised or list word continues it.
func (d *detection) extendName(i int) int {
	end := i + 1
	for end < len(d.toks) {
		j := end
		// Hyphenated names: "Jean-Pierre", "Müller-Lüdenscheidt".
		if d.toks[j].norm == "-" && !d.toks[j].space && j+1 < len(d.toks) && !d.toks[j+1].space && d.evidence(j+1) >= weakName {
			end = j + 2
			continue
		}
		k := j
		for k < len(d.toks) && k < j+3 && nameParticles[d.toks[k].norm] {
			k++
		}
		if k >= len(d.toks) {
			break
		}
		ev := d.evidence(k)
		if k > j && ev < listName {
			// "Jürgen Bauer von Kabelnetz": after a particle only a known
			// name continues ("Maria da Silva", "Matteo De Luca").
			if info, ok := d.r.names.Lookup(d.toks[k].norm); !ok || info.Surname == 0 {
				break
			}
		}
		if ev == notName {
			// A list surname that is also a word still continues a name
			// after a given name ("Peter Koch").
			if info, ok := d.r.names.Lookup(d.toks[k].norm); ok && info.Surname != 0 && !d.isStop(d.toks[k].norm) &&
				(!d.cased || d.toks[k].upper) && d.nt.words[d.toks[k].norm].kind == 0 {
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

// detectPersons finds names: after cue phrases and honorifics, from the
// name lists, and from the call's own names.
func (d *detection) detectPersons() {
	toks := d.toks
	covered := make([]bool, len(toks))
	found := map[string]bool{}
	mark := func(a, b int) {
		d.add(a, b, Person, "name", "")
		for k := a; k < b; k++ {
			covered[k] = true
			found[toks[k].norm] = true
		}
	}
	defer func() { d.detectSpelled(found) }()
	for _, h := range d.cues {
		i := h.end
		if i >= len(toks) || covered[i] {
			continue
		}
		ev := d.evidence(i)
		t := toks[i]
		switch h.kind {
		case cueNameStrong:
			// After "my name is", anything but a common word is a name,
			// even unknown and lower case.
			if ev == notName && t.kind == tokWord && len(t.norm) >= 2 && !d.isStop(t.norm) && d.nt.words[t.norm].kind == 0 {
				ev = weakName
			}
			if ev >= weakName {
				mark(i, d.extendUnknown(d.extendName(i)))
			}
		case cueHonorific:
			if ev == notName && t.kind == tokWord && len(t.norm) >= 2 && !d.isStop(t.norm) && d.nt.words[t.norm].kind == 0 {
				ev = weakName
			}
			if ev >= weakName {
				mark(i, d.extendUnknown(d.extendName(i)))
			}
		case cueHonorificAmbiguous:
			// "Frau Müller" but not "die Frau hat": the next word must look
			// like a name (list, capitalised, or a list surname).
			if ev == notName {
				if info, ok := d.r.names.Lookup(t.norm); ok && info.Surname != 0 && !d.isStop(t.norm) && (!d.cased || t.upper) {
					ev = weakName
				}
			}
			if h.kind == cueHonorificAmbiguous && d.toks[h.start].norm == "m" && !(t.upper || ev >= listName) {
				continue
			}
			if ev >= weakName {
				mark(i, d.extendName(i))
			}
		case cueNameWeak:
			// "this is Anna", "je suis Pierre": a list name, or a
			// capitalised word followed by another name word or the end of
			// the introduction ("from", ",").
			if ev >= listName || ev == weakName && d.introEnd(d.extendName(i)) {
				mark(i, d.extendName(i))
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
			e := d.extendName(i)
			mark(i, e)
			i = e - 1
		case listName:
			info, _ := d.r.names.Lookup(toks[i].norm)
			if d.lang == "de" && i > 0 && germanArticles[toks[i-1].norm] && d.extendName(i) == i+1 {
				// "im Wolf", "der Frank": German nouns and adjectives after
				// an article, not people.
				continue
			}
			e := d.extendName(i)
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
			e := d.extendName(i)
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

// extendUnknown adds one more unknown word after a name that a strong cue
// introduced ("mrs priya kowalski she ..."), when the word is followed by
// the end of the phrase, so "my name is anna calling about" stays "anna".
func (d *detection) extendUnknown(end int) int {
	if end >= len(d.toks) {
		return end
	}
	t := d.toks[end]
	if t.kind != tokWord || len(t.norm) < 3 || d.isStop(t.norm) || d.nt.words[t.norm].kind != 0 || cueWord(t.norm) || d.cased && !t.upper {
		return end
	}
	if _, ok := d.r.names.Lookup(t.norm); ok {
		return end
	}
	if end+1 < len(d.toks) && !(d.toks[end+1].kind == tokPunct || d.isStop(d.toks[end+1].norm)) {
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

var _ = lexicon.LangSet(0)
