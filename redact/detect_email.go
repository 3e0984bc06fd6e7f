package redact

import "strings"

// Spoken symbol words of the seven languages. They are matched in every
// language since callers mix them ("ät" in a German call is as likely as
// "at").
var (
	atWords = set("at", "ät", "klammeraffe", "arobase", "arrobase", "arroba", "chiocciola", "chiocciolina",
		"apenstaartje", "apestaartje", "at-teken", "arroba")
	dotWords = set("dot", "punkt", "point", "punto", "punt", "ponto")
	// French "trait d'union" is matched as a phrase (tradUnion), not word
	// by word: its "d" would make every spelled d a dash.
	dashWords = set("dash", "hyphen", "minus", "bindestrich", "strich", "tiret", "guion", "guión",
		"trattino", "streepje", "koppelteken", "hífen", "hifen", "traço", "moins", "meno", "menos", "min")
	underscoreWords = set("underscore", "unterstrich", "underline", "sublinhado")
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
		"store", "site", "cloud", "int", "mil", "tk", "ru", "gr", "ro", "hu", "sk", "si", "hr", "lt", "lv", "ee")
	// socialHosts are sites whose URL paths name a person.
	socialHosts = set("linkedin", "facebook", "fb", "instagram", "twitter", "x", "github", "gitlab", "xing", "tiktok",
		"youtube", "pinterest", "medium", "calendly", "wa", "threads", "snapchat", "reddit", "vimeo", "soundcloud",
		"behance", "dribbble", "bitbucket", "tumblr", "flickr", "patreon", "about", "linktr", "t")
)

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
	if t.kind != tokWord {
		return false
	}
	for _, nt := range d.r.numbers {
		if nt.conn[t.norm] {
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
	spelled := len(toks[i].norm) == 1
	for j < len(toks) {
		t := toks[j]
		switch {
		case isInnerSep(t) && j+1 < len(toks) && isLabelTok(toks[j+1]) && !isAt(toks[j+1]) && !isDot(toks[j+1]):
			j += 2
		case isLabelTok(t) && !t.space && !isDot(t):
			j++
		case spelled && isLabelTok(t) && len(t.norm) == 1 && !isAt(t):
			j++
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
		if !ok {
			break
		}
		labels++
		if isTLD(toks, j+1, k) {
			end = k
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
		if !isAt(t) || i == 0 {
			continue
		}
		end, ok := parseDomain(toks, i+1)
		if !ok {
			continue
		}
		start := d.localPartStart(i)
		if start < 0 {
			continue
		}
		d.add(start, end, EmailAddress, "email", "")
	}
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
		switch {
		case j >= 5 && isLabelTok(toks[j-5]) && !isAt(toks[j-5]) && traitDUnion(toks, j-4):
			j -= 5
		case !cur.space && isLabelTok(prev):
			j--
		case spelled:
			j = k
		case prev.norm == "-" && !prev.space && !cur.space && j >= 2 && d.isNumberWord(toks[j-2]):
			j -= 2
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
	// The part must not be a pronoun or article: "visit us at acme dot com"
	// names a website.
	if start == at-1 && toks[start].has(fStop) {
		return -1
	}
	for start < at && len(toks[start].norm) > 1 && toks[start].has(fStop) && (start+1 < at && !isDot(toks[start+1])) {
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
