package redact

import (
	"github.com/callveil/callveil/redact/lexicon"
)

// wordFlag is one fact about a word that some detector asks for.
type wordFlag uint32

const (
	fStop wordFlag = 1 << iota
	fMonth
	fHonorific
	fAt          // spoken or written "@": "at", "arobase", "chiocciola"
	fDotWord     // spoken "dot" of an email or URL
	fDash        // spoken "-"
	fUnderscore  // spoken "_"
	fSlash       // spoken "/"
	fFiller      // hesitation inside a spoken number ("uh", "äh")
	fNumDot      // the language's spoken dot inside a number ("point", "punkt")
	fPlus        // "plus", "más": an international prefix
	fConn        // "and", "y", "et": joins number words
	fTLD         // a top-level domain
	fSocial      // a social site whose paths name people
	fSuffixType  // a street type after the name ("street", "straat")
	fPrefixType  // a street type before the name ("rue", "via")
	fHouseNumber // "number", "nr", "número" before a house number
	fUnit        // "apartment", "piso"
	fBis         // "bis", "ter", "a" after a house number
	fParticle    // "van", "de", "da": inside names
	fGermanArt   // German articles and contractions ("der", "im")
	fDateJoiner  // "of", "de", "im" inside dates
	fOrdinal     // "first", "premier"
	fCueFirst    // first word of some cue phrase
	fBareStreet  // a German street noun used alone ("Markt", "Anger")
	fNounDet     // a determiner that makes the next word a common noun ("unos")
	fNotName     // billing vocabulary and acronyms that are also list names ("iva")
	fTwoLetter   // first word of a letter name spoken as two words ("uve doble")
)

// wordInfo is everything the tables of one language say about one folded
// word. Tokens are looked up once, in one map, when a text is read; the
// detectors then test fields instead of querying a dozen maps per token.
type wordInfo struct {
	num    numWord
	name   lexicon.Info
	named  bool // name holds list data
	letter byte // spoken letter name ("equis" = X)
	flags  wordFlag
}

// lexTable maps folded words to their facts in one language.
type lexTable map[string]*wordInfo

func (lt lexTable) entry(w string) *wordInfo {
	e := lt[w]
	if e == nil {
		e = &wordInfo{}
		lt[w] = e
	}
	return e
}

func (lt lexTable) flag(words map[string]bool, f wordFlag) {
	for w := range words {
		lt.entry(w).flags |= f
	}
}

// newLexTable merges every per-word table of lang into one.
func (r *Redactor) newLexTable(lang string, nt *numTable) lexTable {
	lt := make(lexTable, len(nt.words)+r.names.Len()/2+1024)
	for w, nw := range nt.words {
		lt.entry(w).num = nw
	}
	r.names.Each(func(w string, info lexicon.Info) {
		e := lt.entry(w)
		e.name, e.named = info, true
	})
	for w := range r.stop {
		lt.entry(w).flags |= fStop
	}
	for w, l := range nt.letters {
		lt.entry(w).letter = l
	}
	for w := range monthWords {
		lt.entry(w).flags |= fMonth
	}
	for w := range ordinalWords {
		lt.entry(w).flags |= fOrdinal
	}
	lt.flag(r.honorifics, fHonorific)
	lt.flag(atWords, fAt)
	lt.flag(dotWords, fDotWord)
	lt.flag(dashWords, fDash)
	lt.flag(underscoreWords, fUnderscore)
	lt.flag(slashWords, fSlash)
	lt.flag(nt.fillers, fFiller)
	lt.flag(nt.dots, fNumDot)
	lt.flag(nt.plus, fPlus)
	lt.flag(nt.conn, fConn)
	lt.flag(tlds, fTLD)
	lt.flag(socialHosts, fSocial)
	lt.flag(streetSuffixTypes[lang], fSuffixType)
	lt.flag(streetPrefixTypes[lang], fPrefixType)
	lt.flag(houseNumberWords, fHouseNumber)
	lt.flag(unitWords, fUnit)
	lt.flag(bisWords, fBis)
	lt.flag(nameParticles, fParticle)
	lt.flag(germanArticles, fGermanArt)
	lt.flag(dateJoiners, fDateJoiner)
	lt.flag(notNameWords, fNotName)
	lt.flag(nounDeterminers[lang], fNounDet)
	if lang == "de" {
		lt.flag(germanBareStreets, fBareStreet)
	}
	for k := range twoWordLetters[lang] {
		lt.entry(k[0]).flags |= fTwoLetter
	}
	for w := range r.cues {
		lt.entry(w).flags |= fCueFirst
	}
	return lt
}

// lexTokens attaches each word's facts to its token.
func (lt lexTable) lexTokens(toks []token) {
	for i := range toks {
		t := &toks[i]
		if t.kind == tokWord || t.kind == tokAlnum {
			t.lx = lt[t.norm]
		}
	}
}

var noInfo wordInfo

// info returns the token's facts (a zero value for unknown words).
func (t *token) info() *wordInfo {
	if t.lx == nil {
		return &noInfo
	}
	return t.lx
}

// has reports whether the token's word carries flag f.
func (t *token) has(f wordFlag) bool { return t.lx != nil && t.lx.flags&f != 0 }

// num is the token's number-word meaning (zero kind if none).
func (t *token) num() numWord {
	if t.lx == nil || t.kind != tokWord {
		return numWord{}
	}
	return t.lx.num
}

// isNum reports whether the token is a number word.
func (t *token) isNum() bool { return t.lx != nil && t.kind == tokWord && t.lx.num.kind != 0 }
