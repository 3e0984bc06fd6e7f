package redact

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// The name and address tagger reads each token through a handful of
// atomic values (word, shape, gazetteer bits), computed once per token,
// and combines them with those of the neighbour on each side and the two
// tags before into hashed features. Hashing keeps the model a flat weight
// table: no feature strings are stored or looked up.
//
// The feature set is small on purpose: each feature costs a weight row
// read per tagged token, which is most of the tagger's time. Dropped in
// issue 14, with no loss on the tuning sets or the template corpus: the
// word two ahead, the suffix, language x gazetteer, shape x context,
// shape of the word before, shape x next word.

// tagger tags, in BIO form over tokens.
const (
	tagO = iota
	tagBPer
	tagIPer
	tagBAdr
	tagIAdr
	numTags
)

// tokAtoms are the per-token values features are built from.
type tokAtoms struct {
	word, shape, gaz uint64
}

// Gazetteer bits of a token.
const (
	gzGivenHere uint64 = 1 << iota
	gzGivenElsewhere
	gzSurnameHere
	gzSurnameElsewhere
	gzCommonHere
	gzStop
	gzMonth
	gzHonorific
	gzSuffixType
	gzPrefixType
	gzHouseNumber
	gzUnit
	gzParticle
	gzNumWord
	gzCueFirst
	gzGluedStreet
	gzUKOutward
	gzUKInward
	gzSentenceStart
	gzUpper
	gzCased
	gzAfterCue     // right after a strong name cue ("my name is") or honorific
	gzAfterWeakCue // right after a weak name cue ("this is", "met")
	gzAfterAddrCue // within a few words after an address or postcode cue
	gzInCue        // a word of a cue phrase
)

// atomsFor fills one tokAtoms per token of d.toks; with need set, only
// for the tokens it marks (the others stay zero).
func (d *detection) atomsFor(buf []tokAtoms, need []bool) []tokAtoms {
	if cap(buf) < len(d.toks) {
		buf = make([]tokAtoms, len(d.toks))
	}
	buf = buf[:len(d.toks)]
	start := true
	// cueAt marks where a strong name cue ends (1), the words after an
	// address cue (2), where a weak name cue ends (4) and the words of
	// any cue (8).
	var cueAt []uint8
	if len(d.cues) > 0 {
		cueAt = resetZeroed(d.cueAt, len(d.toks)+1)
		d.cueAt = cueAt
		for _, h := range d.cues {
			for k := h.start; k < h.end && k < len(cueAt); k++ {
				cueAt[k] |= 8
			}
			switch h.kind {
			case cueNameStrong, cueHonorific, cueHonorificAmbiguous:
				if h.end < len(cueAt) {
					cueAt[h.end] |= 1
				}
			case cueNameWeak:
				if h.end < len(cueAt) {
					cueAt[h.end] |= 4
				}
			case cueAddress, cuePostcode:
				for k := h.end; k < len(cueAt) && k < h.end+4; k++ {
					cueAt[k] |= 2
				}
			}
		}
	}
	for i := range d.toks {
		t := &d.toks[i]
		if need != nil && !need[i] {
			start = startsAfter(t, start)
			buf[i] = tokAtoms{}
			continue
		}
		var a tokAtoms
		var g uint64
		if d.cased {
			g |= gzCased
		}
		if t.upper {
			g |= gzUpper
		}
		if start && t.kind != tokPunct {
			g |= gzSentenceStart
		}
		if len(cueAt) > 0 {
			if cueAt[i]&1 != 0 {
				g |= gzAfterCue
			}
			if cueAt[i]&2 != 0 {
				g |= gzAfterAddrCue
			}
			if cueAt[i]&4 != 0 {
				g |= gzAfterWeakCue
			}
			if cueAt[i]&8 != 0 {
				g |= gzInCue
			}
		}
		switch t.kind {
		case tokPunct:
			a.word = hashString(t.norm)
			a.shape = a.word ^ 0x5bd1e995
		case tokDigits:
			a.word = hashString("#d") + uint64(min(len(t.norm), 8))
			a.shape = a.word
		case tokAlnum:
			a.shape = hashString(alnumShape(d.text[t.start:t.end]))
			a.word = a.shape
			if ukOutward(t.norm) {
				g |= gzUKOutward
			}
			if ukInward(t.norm) {
				g |= gzUKInward
			}
		default:
			a.word = hashString(t.norm)
			a.shape = wordShape(d.text[t.start:t.end])
			g |= d.gazetteer(t)
			if len(t.norm) == 3 && ukInward(t.norm) {
				g |= gzUKInward
			}
		}
		start = startsAfter(t, start)
		a.gaz = g
		buf[i] = a
	}
	return buf
}

// startsAfter reports whether the token after t starts a sentence, given
// whether t does: a full stop, question or exclamation mark starts one,
// other punctuation passes start on, a word or number ends it.
func startsAfter(t *token, start bool) bool {
	if t.kind != tokPunct {
		return false
	}
	switch t.norm {
	case ".", "!", "?":
		return true
	}
	return start
}

// gazetteer returns what the language's tables say about a word token.
func (d *detection) gazetteer(t *token) uint64 {
	var g uint64
	if t.lx != nil {
		if t.lx.named {
			n := t.lx.name
			if n.Given.Has(d.langBit) {
				g |= gzGivenHere
			} else if n.Given != 0 {
				g |= gzGivenElsewhere
			}
			if n.Surname.Has(d.langBit) {
				g |= gzSurnameHere
			} else if n.Surname != 0 {
				g |= gzSurnameElsewhere
			}
			if n.Common.Has(d.langBit) {
				g |= gzCommonHere
			}
		}
		f := t.lx.flags
		flag := func(w wordFlag, b uint64) {
			if f&w != 0 {
				g |= b
			}
		}
		flag(fStop, gzStop)
		flag(fMonth, gzMonth)
		flag(fHonorific, gzHonorific)
		flag(fSuffixType, gzSuffixType)
		flag(fPrefixType, gzPrefixType)
		flag(fHouseNumber, gzHouseNumber)
		flag(fUnit, gzUnit)
		flag(fParticle, gzParticle)
		flag(fCueFirst, gzCueFirst)
		if t.lx.num.kind != 0 {
			g |= gzNumWord
		}
	}
	if len(t.norm) >= 6 {
		for _, s := range gluedSuffixes[d.lang] {
			if len(t.norm) >= len(s)+3 && strings.HasSuffix(t.norm, s) {
				g |= gzGluedStreet
				break
			}
		}
	}
	return g
}

// wordShape hashes a word's capitalisation and length class: "Xx5",
// "x3", "XX2" (all capitals).
func wordShape(s string) uint64 {
	upper, n := 0, 0
	first := false
	for i := 0; i < len(s); {
		c := s[i]
		var isUp bool
		if c < utf8.RuneSelf {
			isUp = 'A' <= c && c <= 'Z'
			i++
		} else {
			r, size := utf8.DecodeRuneInString(s[i:])
			isUp = unicode.IsUpper(r)
			i += size
		}
		if n == 0 {
			first = isUp
		}
		if isUp {
			upper++
		}
		n++
	}
	lower := n - upper
	var cls uint64
	switch {
	case upper > 1 && lower == 0:
		cls = 1
	case first && upper > 1:
		cls = 2
	case first:
		cls = 3
	}
	var size uint64
	switch {
	case n <= 3:
		size = uint64(n)
	case n <= 6:
		size = 4
	default:
		size = 5
	}
	return mix(99, cls, size, 0)
}

// alnumShape collapses runs of letters and digits: "SW1A" -> "XdX",
// "12th" -> "dx", "4B" -> "dX".
func alnumShape(s string) string {
	var b strings.Builder
	var last byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		var k byte
		switch {
		case c >= '0' && c <= '9':
			k = 'd'
		case c >= 'A' && c <= 'Z':
			k = 'X'
		default:
			k = 'x'
		}
		if k != last {
			b.WriteByte(k)
			last = k
		}
	}
	return b.String()
}

// hashString is 64-bit FNV-1a: stable across runs and builds, as the
// shipped model's feature indexes require.
func hashString(s string) uint64 { return hashMore(14695981039346656037, s) }

// mix combines a feature template number with up to three values.
func mix(tmpl, a, b, c uint64) uint64 {
	h := tmpl*0x9E3779B97F4A7C15 ^ a
	h *= 0xBF58476D1CE4E5B9
	h ^= b + 0x94D049BB133111EB
	h *= 0x94D049BB133111EB
	h ^= c
	h ^= h >> 31
	h *= 0xBF58476D1CE4E5B9
	return h ^ h>>29
}

// Sentinel atoms for positions outside the text.
var (
	atomBefore = tokAtoms{word: hashString("<s>"), shape: hashString("<s>"), gaz: 1 << 40}
	atomAfter  = tokAtoms{word: hashString("</s>"), shape: hashString("</s>"), gaz: 1 << 41}
)

// featureReach is how many tokens on either side features reads.
const featureReach = 1

// numFeatures is how many features features writes; the last
// numTagOnly of them read nothing but the two tags before (and the bias),
// so their sum depends on the tag pair alone (see nameTagger.fixed).
const (
	numFeatures = 13
	numTagOnly  = 3
)

// features writes the hashed features of token i, given the two tags
// before it, into out.
func features(atoms []tokAtoms, i int, p1, p2 int, out *[numFeatures]uint64) {
	at := func(k int) *tokAtoms {
		switch {
		case k < 0:
			return &atomBefore
		case k >= len(atoms):
			return &atomAfter
		}
		return &atoms[k]
	}
	m1, c, n1 := at(i-1), at(i), at(i+1)
	const ctx = gzCased | gzUpper | gzSentenceStart
	t1, t2 := uint64(p1), uint64(p2)
	out[0] = mix(1, c.word, 0, 0)
	out[1] = mix(2, m1.word, 0, 0)
	out[2] = mix(3, n1.word, 0, 0)
	out[3] = mix(8, c.shape, n1.shape, 0)
	out[4] = mix(9, c.gaz, 0, 0)
	out[5] = mix(10, m1.gaz, 0, 0)
	out[6] = mix(11, n1.gaz, 0, 0)
	out[7] = mix(17, t1, c.shape, c.gaz)
	out[8] = mix(18, m1.word, c.shape, 0)
	out[9] = mix(23, c.gaz, n1.gaz, m1.gaz)
	out[10] = mix(0, 0, 0, 0)
	out[11] = mix(15, t1, 0, 0)
	out[12] = mix(16, t1, t2, 0)
}

// hashMore continues hashString's hash h over s: hashMore(hashString(a),
// b) is hashString(a+b), without building a+b.
func hashMore(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}
