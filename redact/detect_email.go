package redact

import "strings"

// Spoken symbol words of the seven languages. They are matched in every
// language since callers mix them ("ät" in a German call is as likely as
// "at").
var (
	atWords = set("at", "ät", "klammeraffe", "arobase", "arrobase", "arroba", "chiocciola", "chiocciolina",
		"apenstaartje", "apestaartje", "at-teken", "arroba", "arobas", "commercial")
	// atTails follow an "at" without changing it: "at sign", "at-Zeichen".
	atTails = set("sign", "symbol", "zeichen", "teken")
	// capitalWords say that the next (before) or previous (after) spelled
	// letter is a capital: "capital J", "großes J", "J majuscule".
	capitalBefore = set("capital", "großes", "grosses", "großer", "hoofdletter", "uppercase", "upper", "big")
	capitalAfter  = set("majuscule", "mayúscula", "maiuscola", "maiúsculo", "maiúscula", "groß")
	// splitBrands are mail domains a recogniser writes as two words.
	splitBrands = map[[2]string]bool{{"g", "mail"}: true, {"hot", "mail"}: true, {"out", "look"}: true, {"i", "cloud"}: true,
		{"t", "online"}: true, {"kpn", "mail"}: true, {"la", "poste"}: true, {"web", "de"}: true, {"ya", "hoo"}: true}
	dotWords = set("dot", "punkt", "point", "punto", "punt", "ponto")
	// French "trait d'union" is matched as a phrase (tradUnion), not word
	// by word: its "d" would make every spelled d a dash.
	dashWords = set("dash", "hyphen", "minus", "bindestrich", "strich", "tiret", "guion", "guión",
		"trattino", "streepje", "koppelteken", "hífen", "hifen", "traço", "moins", "meno", "menos", "min", "raya", "lineetta",
		"minteken")
	underscoreWords = set("underscore", "unterstrich", "underline", "sublinhado", "tiefstrich", "subrayado")
	// plusWords are the spoken "+" of a local part ("anna plus shop").
	plusWords = set("plus", "más", "mas", "più", "piu", "mais")
	// twoWordSeps are separators spoken as two words.
	twoWordSeps = map[[2]string]bool{{"guion", "bajo"}: true, {"trattino", "basso"}: true, {"tiret", "bas"}: true,
		{"liggend", "streepje"}: true, {"traco", "baixo"}: true, {"underscore", "bas"}: true,
		{"under", "score"}: true, {"barra", "baja"}: true, {"laag", "streepje"}: true, {"lage", "streepje"}: true,
		{"sotto", "lineato"}: true}
	// spellLinks join a spelled letter and the word that names it: "b as
	// in bravo", "b wie Berta", "b comme Bernard", "b de Barcelona".
	spellLinks = map[string][]string{"in": {"as"}, "for": nil, "like": nil, "wie": nil, "comme": nil, "de": nil,
		"como": nil, "come": nil, "van": nil, "voor": nil, "als": nil}
	slashWords = set("slash", "schrägstrich", "barre", "barra", "schuine streep")
	// tlds are the top-level domains accepted at the end of a spoken or
	// written domain; a closed list keeps "at five dot thirty" out.
	tlds = set("com", "net", "org", "edu", "gov", "io", "co", "uk", "de", "fr", "es", "it", "nl", "pt", "be", "ch",
		"at", "eu", "info", "biz", "me", "us", "ca", "au", "br", "ie", "lu", "dk", "se", "no", "fi", "pl", "cz", "online",
		"app", "dev", "email", "tech", "ai", "ly", "tv", "xyz", "mx", "ar", "cl", "pe", "br", "ao", "mz", "gmbh", "shop",
		"store", "site", "cloud", "int", "mil", "tk", "ru", "gr", "ro", "hu", "sk", "si", "hr", "lt", "lv", "ee",
		// country TLDs of the regions whose numbers the languages cover
		"za", "nz", "sg", "in", "ma", "sn", "ci", "sm", "va", "cv", "ve", "sr", "aw", "cw", "li", "mc", "co", "uy", "py",
		"bo", "ec", "cr", "do", "gt", "ac")
	// socialHosts are sites whose URL paths name a person.
	socialHosts = set("linkedin", "facebook", "fb", "instagram", "twitter", "x", "github", "gitlab", "xing", "tiktok",
		"youtube", "pinterest", "medium", "calendly", "wa", "threads", "snapchat", "reddit", "vimeo", "soundcloud",
		"behance", "dribbble", "bitbucket", "tumblr", "flickr", "patreon", "about", "linktr", "t")
)

// spelledTLD reports whether a TLD spelled letter by letter ("d e", "c
// o m") starts at token i and ends the domain.
func spelledTLD(toks []token, i int) bool {
	var b [3]byte
	n := 0
	for k := i; k < len(toks) && n < 3 && len(toks[k].norm) == 1 && toks[k].kind == tokWord; k++ {
		b[n] = toks[k].norm[0]
		n++
	}
	return n >= 2 && tlds[string(b[:2])] || n == 3 && tlds[string(b[:3])]
}

// frenchSep returns the length of a French separator phrase at token i:
// "tiret du six" (dash), "tiret du huit" (underscore), "trait d'union"; 0
// when none starts there.
func frenchSep(toks []token, i int) int {
	if i+2 < len(toks) && toks[i].norm == "tiret" && toks[i+1].norm == "du" && (toks[i+2].norm == "six" || toks[i+2].norm == "huit") {
		return 3
	}
	if traitDUnion(toks, i) {
		return 4
	}
	return 0
}

// isDot reports whether toks[i] is a written or spoken dot.
func isDot(t token) bool {
	return t.kind == tokPunct && t.norm == "." || t.kind == tokWord && t.has(fDotWord)
}

func isAt(t token) bool {
	return t.kind == tokPunct && (t.norm == "@" || t.norm == "＠") || t.kind == tokWord && t.has(fAt)
}

func isInnerSep(t token) bool {
	if t.kind == tokPunct {
		return t.norm == "-" || t.norm == "_" || t.norm == "+"
	}
	return t.kind == tokWord && t.has(fDash|fUnderscore)
}

// isLocalSep is a separator inside a local part: a dash, underscore or
// plus, written or spoken.
func isLocalSep(t token) bool {
	return isInnerSep(t) || t.kind == tokWord && plusWords[t.norm]
}

// spelledLetterAt reports whether tokens [k, j) are a letter spelled with a
// word naming it ("b as in bravo", "b wie Berta"), j being the naming
// word; it returns the letter's index.
func spelledLetterAt(toks []token, j int) (int, bool) {
	if j < 2 || toks[j].kind != tokWord || len(toks[j].norm) < 3 {
		return 0, false
	}
	link := toks[j-1]
	before, ok := spellLinks[link.norm]
	if !ok || link.kind != tokWord {
		return 0, false
	}
	k := j - 2
	for i := len(before) - 1; i >= 0; i-- {
		if k < 0 || toks[k].norm != before[i] {
			return 0, false
		}
		k--
	}
	if k >= 1 && toks[k].kind == tokWord && capitalAfter[toks[k].norm] {
		k-- // "c maiúsculo de coimbra", "H majuscule comme Henri"
	}
	if k < 0 || len(toks[k].norm) != 1 || !isLabelTok(toks[k]) || toks[k].norm[0] != toks[j].norm[0] {
		return 0, false
	}
	return k, true
}

// contraction reports whether toks[i] is the tail of a contraction: "s"
// in "it's", "t" in "don't".
func contraction(toks []token, i int) bool {
	return i >= 1 && !toks[i].space && toks[i-1].norm == "'"
}

// traitDUnion reports whether "trait d'union" starts at token i.
func traitDUnion(toks []token, i int) bool {
	return i+3 < len(toks) && toks[i].norm == "trait" && toks[i+1].norm == "d" && toks[i+2].norm == "'" && toks[i+3].norm == "union"
}

// spellLinkAt reports whether a spelling link ("as in", "wie") starts at i.
func spellLinkAt(toks []token, i int) bool {
	for k := i; k < len(toks) && k < i+2; k++ {
		if before, ok := spellLinks[toks[k].norm]; ok && k-i == len(before) {
			return true
		}
	}
	return false
}

// isNumberWord reports whether t is digits or a number word of any of the
// redactor's languages: local parts do not follow the call's language,
// and a short line's language is often misread.
func (d *detection) isNumberWord(t token) bool {
	if t.kind == tokDigits || t.isNum() {
		return true
	}
	if t.kind != tokWord {
		return false
	}
	for _, nt := range d.r.numbers {
		if _, ok := nt.words[t.norm]; ok {
			return true
		}
	}
	return false
}

// isConnAny reports whether t joins number words in any language ("y",
// "e", "et", "und", "en", "and").
func (d *detection) isConnAny(t token) bool {
	return d.inAnyLanguage(t, func(nt *numTable) map[string]bool { return nt.conn })
}

// inAnyLanguage reports whether the word t is in the word set that set
// picks from some language's number table.
func (d *detection) inAnyLanguage(t token, set func(*numTable) map[string]bool) bool {
	if t.kind != tokWord {
		return false
	}
	for _, nt := range d.r.numbers {
		if set(nt)[t.norm] {
			return true
		}
	}
	return false
}

func isLabelTok(t token) bool {
	return t.kind == tokWord || t.kind == tokAlnum || t.kind == tokDigits
}

// parseLabel reads one domain label starting at i: word tokens joined by
// dashes/underscores or written without spaces, or spelled letters
// ("g m x"). It returns the index after it.
func parseLabel(toks []token, i int) (int, bool) {
	if i >= len(toks) || !isLabelTok(toks[i]) || isAt(toks[i]) || isDot(toks[i]) && toks[i].kind == tokWord {
		return i, false
	}
	j := i + 1
	if j < len(toks) && splitBrands[[2]string{toks[i].norm, toks[j].norm}] {
		j++ // "g mail", "hot mail"
	}
	spelled := len(toks[i].norm) == 1 && j == i+1
	for j < len(toks) {
		t := toks[j]
		switch {
		case frenchSep(toks, j) > 0 && j+frenchSep(toks, j) < len(toks) && isLabelTok(toks[j+frenchSep(toks, j)]):
			j += frenchSep(toks, j) + 1
			// "univ tiret l y o n": the part after a dash may be spelled.
			spelled = spelled || len(toks[j-1].norm) == 1
		case isInnerSep(t) && j+1 < len(toks) && isLabelTok(toks[j+1]) && !isAt(toks[j+1]) && !isDot(toks[j+1]):
			j += 2
			spelled = spelled || len(toks[j-1].norm) == 1
		case isLabelTok(t) && !t.space && !isDot(t):
			j++
		case spelled && isLabelTok(t) && len(t.norm) == 1 && !isAt(t):
			j++
		case spelled && t.isNum() && t.lx.num.kind == nkUnit && j+1 < len(toks) && len(toks[j+1].norm) == 1 && !isAt(toks[j+1]):
			j++ // "x s vier a l l": a digit said inside a spelled label
		case t.isNum() && t.lx.num.kind == nkUnit && !toks[j-1].has(fTLD) && j+2 < len(toks) && isDot(toks[j+1]) && isLabelTok(toks[j+2]):
			j++ // "univ tiret lyon un point fr": a digit said at a label's end
		default:
			return j, true
		}
	}
	return j, true
}

// parseDomain reads label (dot label)+ ending in a known TLD. It returns
// the index after the domain, the TLD position and the labels' tokens.
func parseDomain(toks []token, i int) (end int, ok bool) {
	j, ok := parseLabel(toks, i)
	if !ok {
		return i, false
	}
	end = -1
	labels := 1
	for j < len(toks) && isDot(toks[j]) {
		k, ok := parseLabel(toks, j+1)
		if !ok && j+1 < len(toks) && toks[j+1].kind == tokWord && toks[j+1].norm == "at" {
			k, ok = j+2, true // Austria's TLD, said as the word "at"
		}
		if !ok {
			break
		}
		labels++
		if isTLD(toks, j+1, k) {
			end = k
		} else if k-j-1 == 3 && isTLD(toks, j+1, j+3) && len(toks[j+3].norm) == 1 {
			end = j + 3 // "point c a i'll": the spelled TLD ends before a spelled word
			break
		}
		j = k
	}
	if end < 0 || labels < 2 {
		return i, false
	}
	return end, true
}

// isTLD reports whether tokens [a, b) spell a known TLD ("com", "c o m",
// "de").
func isTLD(toks []token, a, b int) bool {
	if b-a == 1 {
		return toks[a].has(fTLD)
	}
	var sb strings.Builder
	for _, t := range toks[a:b] {
		if len(t.norm) != 1 {
			return false
		}
		sb.WriteString(t.norm)
	}
	return tlds[sb.String()]
}

// detectEmails finds written and spoken email addresses: "max.muster@web.de",
// "john dot smith at gmail dot com", "jean point dupont arobase orange point
// fr", "m a x ät g m x punkt de".
func (d *detection) detectEmails() {
	toks := d.toks
	for i, t := range toks {
		if !isAt(t) || i == 0 || t.norm == "commercial" && (i < 2 || toks[i-1].norm != "a") {
			continue
		}
		if s, e, ok := d.writtenEmail(i); ok {
			d.add(s, e, EmailAddress, "email", "")
			continue
		}
		dom := i + 1
		// "at sign", "at-Zeichen".
		if dom+1 < len(toks) && toks[dom].norm == "-" && atTails[toks[dom+1].norm] {
			dom++
		}
		if dom < len(toks) && atTails[toks[dom].norm] {
			dom++
		}
		end, ok := parseDomain(toks, dom)
		if !ok {
			continue
		}
		at := i
		if t.norm == "commercial" {
			at-- // French "a commercial"
		}
		lp := d.localPartEnd(at)
		start := d.localPartStart(lp)
		if start < 0 {
			continue
		}
		d.add(start, end, EmailAddress, "email", "")
	}
}

// atext reports whether c may appear in an RFC 5321 dot-atom local part.
func atext(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || isDigit(c) || strings.IndexByte("!#$%&'*+/=?^_`{|}~.-", c) >= 0
}

// writtenEmail reads an address written without spaces around the "@" at
// token i straight from the text: a dot-atom local part and a domain of
// dot-separated labels ending in an alphabetic TLD of any name (the closed
// TLD list is only needed for spoken domains). It returns the token range.
func (d *detection) writtenEmail(i int) (int, int, bool) {
	toks, text := d.toks, d.text
	at := toks[i]
	if at.norm != "@" || at.space || i+1 >= len(toks) || toks[i+1].space {
		return 0, 0, false
	}
	ls := at.start
	for ls > 0 && atext(text[ls-1]) {
		ls--
	}
	for ls < at.start && (text[ls] == '.' || text[ls] == '\'') {
		ls++ // a local part does not start with a dot; a quote opens speech
	}
	de := at.end
	for de < len(text) && (isDigit(text[de]) || text[de] == '.' || text[de] == '-' || text[de] >= 'a' && text[de] <= 'z' || text[de] >= 'A' && text[de] <= 'Z') {
		de++
	}
	for de > at.end && (text[de-1] == '.' || text[de-1] == '-') {
		de--
	}
	if ls == at.start || de == at.end || text[at.start-1] == '.' {
		return 0, 0, false
	}
	labels := strings.Split(text[at.end:de], ".")
	if len(labels) < 2 {
		return 0, 0, false
	}
	for _, l := range labels {
		if l == "" || l[0] == '-' {
			return 0, 0, false
		}
	}
	tld := labels[len(labels)-1]
	if len(tld) < 2 || len(tld) > 24 {
		return 0, 0, false
	}
	for k := 0; k < len(tld); k++ {
		if !(tld[k] >= 'a' && tld[k] <= 'z' || tld[k] >= 'A' && tld[k] <= 'Z') {
			return 0, 0, false
		}
	}
	s := i
	for s > 0 && toks[s-1].start >= ls {
		s--
	}
	e := i + 1
	for e < len(toks) && toks[e].end <= de {
		e++
	}
	if toks[s].start != ls || toks[e-1].end != de {
		return 0, 0, false // the address does not end on a token boundary
	}
	return s, e, true
}

// localPartEnd returns the token the local part ends before: the at, or
// a sentence break before it that a "then" word follows ("anna dot
// berg. And at gmail dot com").
func (d *detection) localPartEnd(at int) int {
	toks := d.toks
	j := at
	for k := 0; k < 2 && j > 2 && d.thenAny(toks[j-1]); k++ {
		if len(toks[j-1].norm) == 1 && j == at {
			break // "r e at": a spelled e, not Italian "and"
		}
		j--
	}
	if j < at && toks[j-1].kind == tokPunct && (toks[j-1].norm == "." || toks[j-1].norm == ",") {
		return j - 1
	}
	return j
}

// thenAny reports whether t is a "then" word of any language (a short
// line's language is often misread).
func (d *detection) thenAny(t token) bool {
	return d.inAnyLanguage(t, func(nt *numTable) map[string]bool { return nt.then })
}

// spelledUnitStart returns where a spelled letter ending at token e
// starts: "j", "capital J", "J majuscule", "j wie Julius"; ok is false
// when tokens up to e end in no spelled letter.
func spelledUnitStart(toks []token, e int) (int, bool) {
	if e < 0 {
		return 0, false
	}
	s := -1
	switch t := toks[e]; {
	case len(t.norm) == 1 && t.kind == tokWord && !t.accented && !contraction(toks, e):
		s = e
	case t.kind == tokWord && capitalAfter[t.norm] && e >= 1 && len(toks[e-1].norm) == 1 && toks[e-1].kind == tokWord:
		s = e - 1
	default:
		if k, ok := spelledLetterAt(toks, e); ok {
			s = k
		}
	}
	if s < 0 {
		return 0, false
	}
	if s >= 1 && capitalBefore[toks[s-1].norm] {
		s--
	}
	return s, true
}

// spelledEnd reports whether a spelled letter ends at token e.
func spelledEnd(toks []token, e int) bool {
	_, ok := spelledUnitStart(toks, e)
	return ok
}

// spelledFrom returns the letters spelled from token j on, before token
// end: single letters, joined by hyphens or given with a spelling
// alphabet ("b-a-z", "s m i t h", "k o as in oscar").
func spelledFrom(toks []token, j, end int) string {
	var b []byte
	for k := j; k < end; {
		t := toks[k]
		switch {
		case len(t.norm) == 1 && t.kind == tokWord:
			b = append(b, t.norm[0])
			k++
		case t.norm == "-" && !t.space:
			k++
		case t.has(fFiller) && len(b) > 0 && k+1 < end && len(toks[k+1].norm) == 1:
			k++ // "k r u k o w dus s k i": a hesitation between letters
		case t.kind == tokWord && capitalBefore[t.norm], t.kind == tokWord && capitalAfter[t.norm]:
			k++
		default:
			if before, ok := spellLinks[t.norm]; ok && len(before) == 0 && k+1 < end {
				k += 2 // "wie Julius"
				continue
			}
			if t.norm == "as" && k+2 < end && toks[k+1].norm == "in" {
				k += 3 // "as in juliet"
				continue
			}
			return string(b)
		}
	}
	return string(b)
}

// letterish reports whether token j starts a spelled letter or a number.
func (d *detection) letterish(toks []token, j int) bool {
	t := toks[j]
	return t.kind == tokWord && (len(t.norm) == 1 && !t.accented || capitalBefore[t.norm]) || d.isNumberWord(t)
}

// localPartStart walks left from the at-token over the local part and
// returns its first token, or -1 when there is none. Words join when a dot,
// dash or underscore (written or spoken) separates them, when they touch,
// or when they are spelled letters or digits; an email cue right before
// ("my email is") bounds the part too.
func (d *detection) localPartStart(at int) int {
	toks := d.toks
	cueEnd := -1
	for _, h := range d.cues {
		if h.kind == cueEmail && h.end <= at && h.end >= at-8 && h.end > cueEnd {
			cueEnd = h.end
		}
	}
	j := at - 1
	if !isLabelTok(toks[j]) {
		return -1
	}
	start := j
	for j > 0 {
		prev := toks[j-1]
		cur := toks[j]
		k, spelled := spelledLetterAt(toks, j)
		unit, unitOK := spelledUnitStart(toks, j-1)
		switch {
		case d.letterish(toks, j) && unitOK && unit < j && !isAt(toks[unit]):
			// "t as in tango h", "capital J o", "A majuscule u".
			j = unit
		case len(cur.norm) == 1 && cur.kind == tokWord && capitalBefore[prev.norm]:
			j-- // "großes D-i-e-k"
		case j >= 4 && frenchSep(toks, j-3) == 3 && isLabelTok(toks[j-4]) && !isAt(toks[j-4]):
			j -= 4 // "adam tiret du huit smith"
		case capitalAfter[cur.norm] && len(prev.norm) == 1 && prev.kind == tokWord:
			j-- // "K majuscule-e-r-t"
		case cur.has(fFiller) && j+1 < at && (isLocalSep(toks[j+1]) || isDot(toks[j+1]) ||
			j+2 < at && twoWordSeps[[2]string{toks[j+1].norm, toks[j+2].norm}]) && isLabelTok(prev) && !isAt(prev) &&
			(!prev.has(fStop) || len(prev.norm) == 1 && j >= 2 && (d.letterish(toks, j-2) || toks[j-2].norm == "-" && !prev.space)):
			// "info uh dash smith": a hesitation before a separator; after
			// spelled letters ("n a o sea punto") even one that is a word.
			j--
		case prev.has(fFiller) && j >= 3 && (isLocalSep(toks[j-2]) || isDot(toks[j-2])) && isLabelTok(toks[j-3]) && !isAt(toks[j-3]):
			j -= 3 // "anna underscore uh berg"
		case prev.has(fFiller) && j >= 4 && twoWordSeps[[2]string{toks[j-3].norm, toks[j-2].norm}] && isLabelTok(toks[j-4]) && !isAt(toks[j-4]):
			j -= 4
		case prev.has(fFiller) && j >= 2 && d.isNumberWord(cur) && toks[j-2].kind == tokWord && len(toks[j-2].norm) > 2 &&
			!toks[j-2].has(fStop) && !d.isNumberWord(toks[j-2]) && !isAt(toks[j-2]) && !isDot(toks[j-2]) && !isLocalSep(toks[j-2]):
			j -= 2 // "krystyna ehm seven six"
		case prev.has(fFiller) && j >= 2 && d.letterish(toks, j) && (d.letterish(toks, j-2) || spelledEnd(toks, j-2)):
			// a hesitation between spelled letters
			j -= 2
		case len(cur.norm) == 1 && prev.kind == tokWord && len(prev.norm) > 2 && spelledFrom(toks, j, at) == prev.norm:
			// "felder f e l d e r", "david d a v i d": a word, then spelled;
			// a known name too, since its spelling says it is the address's.
			j--
		case j >= 5 && isLabelTok(toks[j-5]) && !isAt(toks[j-5]) && traitDUnion(toks, j-4):
			j -= 5
		case !cur.space && isLabelTok(prev):
			j--
		case spelled:
			j = k
		case prev.norm == "-" && !prev.space && !cur.space && j >= 2 && d.isNumberWord(toks[j-2]):
			j -= 2
		case prev.norm == "-" && !prev.space && !cur.space && j >= 2 && len(cur.norm) == 1 && cur.kind == tokWord &&
			(len(toks[j-2].norm) == 1 && toks[j-2].kind == tokWord || capitalAfter[toks[j-2].norm]):
			j -= 2 // "F maiúsculo-i-l-c": letters joined by hyphens
		case j >= 3 && twoWordSeps[[2]string{toks[j-2].norm, prev.norm}] && isLabelTok(toks[j-3]) && !isAt(toks[j-3]):
			j -= 3
		case (isDot(prev) || isLocalSep(prev)) && j >= 2 && isLabelTok(toks[j-2]) && !isAt(toks[j-2]):
			j -= 2
		case isLabelTok(prev) && !prev.has(fStop) && d.isNumberWord(cur) &&
			prev.kind == tokWord && !d.isNumberWord(prev):
			// "chloe point moreau quatre-vingt-quatorze": digits after a name.
			j--
		case d.isConnAny(prev) && j >= 2 && d.isNumberWord(toks[j-2]) && d.isNumberWord(cur):
			j -= 2
		case len(cur.norm) == 1 && cur.kind == tokWord && j+1 < at && (d.isNumberWord(toks[j+1]) || spellLinkAt(toks, j+1)) &&
			prev.kind == tokWord && len(prev.norm) > 2 && !prev.has(fStop) &&
			!d.isNumberWord(prev) && !isDot(prev) && !isLocalSep(prev):
			// "fernandez j noventa y siete": an initial and digits after a surname.
			j--
		case isLabelTok(prev) && (len(prev.norm) == 1 && !prev.accented && !contraction(toks, j-1) || d.isNumberWord(prev)) &&
			(len(cur.norm) == 1 || d.isNumberWord(cur)):
			// Spelled letters and digits; not the "s" of "it's" nor French "à".
			j--
		case cueEnd >= 0 && j-1 >= cueEnd && isLabelTok(prev) && !prev.has(fStop):
			j--
		default:
			goto done
		}
		start = j
	}
done:
	// The part starts after an email cue ("mi correo i o n ..."), not in it.
	for _, h := range d.cues {
		if h.kind == cueEmail && h.end > start && h.end < at {
			start = h.end
		}
	}
	// The part must not be a pronoun or article: "visit us at acme dot com"
	// names a website.
	if start == at-1 && toks[start].has(fStop) {
		return -1
	}
	// A stop word said, then spelled ("gut g u t"), is the address's.
	for start < at && len(toks[start].norm) > 1 && toks[start].has(fStop) && (start+1 < at && !isDot(toks[start+1])) &&
		spelledFrom(toks, start+1, at) != toks[start].norm {
		start++
	}
	return start
}

// detectURLs finds web addresses that point at a person: a profile path on
// a social site ("linkedin.com/in/jane-doe") or a known name in the host or
// path ("jane-doe.com", "www.kevinwilson.com", "facebook punkt com slash
// lena punkt koch achtundneunzig").
func (d *detection) detectURLs() {
	toks := d.toks
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if !isLabelTok(t) || (i > 0 && (isDot(toks[i-1]) || isInnerSep(toks[i-1]) || isAt(toks[i-1]) || !t.space && isLabelTok(toks[i-1]))) {
			continue
		}
		start := i
		// "https://" prefix.
		if (t.norm == "http" || t.norm == "https") && i+3 < len(toks) && toks[i+1].norm == ":" && toks[i+2].norm == "/" && toks[i+3].norm == "/" {
			i += 4
			if i >= len(toks) {
				break
			}
		}
		end, ok := parseDomain(toks, i)
		if !ok || end < len(toks) && isAt(toks[end]) {
			i = start
			continue
		}
		host := toks[i].norm
		if host == "www" && i+2 < end {
			host = toks[i+2].norm
		}
		personal := false
		for k := i; k < end; k++ {
			if d.isNameWord(k) || d.gluedName(toks[k]) {
				personal = true
			}
		}
		pathEnd, hasPath, namedPath := d.urlPath(end)
		if namedPath || hasPath && socialHosts[host] {
			personal = true
		}
		if personal {
			d.add(start, pathEnd, URL, "url", "")
		}
		i = pathEnd - 1
	}
}

// urlPath reads the path after a host: "/" or a spoken slash, then
// segments made of words joined by dots, dashes and underscores (written
// or spoken), digits and number words. It reports whether the path holds
// a name.
func (d *detection) urlPath(i int) (end int, hasPath, named bool) {
	toks := d.toks
	end = i
	for end < len(toks) && (toks[end].norm == "/" || toks[end].has(fSlash)) {
		k := end + 1
		j := k
		joined := true // the next token may start or continue the segment
		for j < len(toks) && j-k < 12 {
			st := toks[j]
			if st.norm == "/" || st.has(fSlash) {
				break
			}
			if isDot(st) || isInnerSep(st) || st.norm == "~" {
				if j+1 < len(toks) && isLabelTok(toks[j+1]) && !isDot(toks[j+1]) {
					j++
					joined = true
					continue
				}
				break
			}
			if !isLabelTok(st) {
				break
			}
			num := st.kind == tokDigits || st.isNum() || st.has(fConn) && j > k && toks[j-1].isNum()
			if st.space && !joined && !num && !(d.isNameWord(j) && j > k && d.isNameWord(j-1)) {
				break
			}
			if d.isNameWord(j) || d.gluedName(st) {
				named = true
			}
			joined = false
			j++
		}
		if j == k {
			break
		}
		hasPath = true
		end = j
	}
	return end, hasPath, named
}

// gluedName reports whether a host or path token is a given name and a
// surname written together ("kevinwilson", "ilariamarino").
func (d *detection) gluedName(t token) bool {
	w := t.norm
	if t.kind != tokWord && t.kind != tokAlnum || len(w) < 6 {
		return false
	}
	w = strings.TrimRight(w, "0123456789")
	for cut := 3; cut <= len(w)-3; cut++ {
		a, okA := d.r.names.Lookup(w[:cut])
		b, okB := d.r.names.Lookup(w[cut:])
		if okA && okB && a.Given != 0 && (b.Surname != 0 || b.Given != 0) {
			return true
		}
	}
	return false
}
