package redact

import "strings"

// Street vocabulary per language. English puts the street type after the
// name and the house number first ("221b Baker Street"); German and Dutch
// glue it to the name ("Hauptstraße 5", "Kalverstraat 12"); French puts the
// number first and the type before the name ("12 rue de la Paix"); Spanish,
// Italian and Portuguese put the type first and the number last ("Calle
// Mayor 5", "Via Roma 10", "Rua Augusta, 25").
var (
	streetSuffixTypes = map[string]map[string]bool{
		"en": set("street", "st", "avenue", "ave", "road", "rd", "lane", "ln", "drive", "dr", "boulevard", "blvd", "way",
			"court", "ct", "place", "pl", "terrace", "close", "crescent", "square", "highway", "parkway", "circle", "row",
			"gardens", "grove", "mews", "walk", "hill", "park"),
		"de": set("straße", "strasse", "str", "weg", "gasse", "allee", "platz", "ring", "damm", "chaussee"),
		"nl": set("straat", "weg", "laan", "plein", "gracht", "kade", "dijk", "singel", "steeg"),
	}
	// gluedSuffixes end German and Dutch street names written as one word.
	gluedSuffixes = map[string][]string{
		"de": {"strasse", "str", "weg", "gasse", "allee", "platz", "ring", "damm", "ufer", "chaussee", "pfad", "steig", "markt", "graben"},
		"nl": {"straat", "weg", "laan", "plein", "gracht", "kade", "dijk", "singel", "steeg", "pad", "hof", "dreef", "markt", "park"},
	}
	streetPrefixTypes = map[string]map[string]bool{
		"fr": set("rue", "avenue", "av", "boulevard", "bd", "place", "chemin", "allée", "impasse", "quai", "route", "cours",
			"square", "passage", "voie", "parvis", "sentier", "esplanade", "promenade", "faubourg", "ruelle", "rond-point",
			"montée", "cité"),
		"es": set("calle", "avenida", "avda", "plaza", "paseo", "camino", "carretera", "ronda", "travesía", "glorieta", "pasaje"),
		"it": set("via", "viale", "piazza", "corso", "vicolo", "largo", "strada", "piazzale", "lungomare", "contrada",
			"lungarno", "lungotevere", "lungolago", "borgo", "salita", "circonvallazione", "rione", "vico"),
		"pt": set("rua", "avenida", "travessa", "praça", "largo", "estrada", "alameda", "calçada", "beco", "praceta"),
	}
	houseNumberWords = set("number", "no", "nr", "nummer", "numéro", "número", "numero", "nº", "n", "huisnummer", "num")
	unitWords        = set("apartment", "apt", "suite", "unit", "flat", "floor", "wohnung", "etage", "appartement", "piso",
		"puerta", "interno", "scala", "andar", "bus")
	bisWords = set("bis", "ter", "a", "b", "c")
	// germanBareStreets are street names that are a bare noun after a
	// preposition: "am Markt 3", "Am Anger 12", "An der Mauer 5".
	germanBareStreets = set("markt", "anger", "graben", "berg", "hang", "ring", "damm", "deich", "wall", "hof", "kamp",
		"feld", "garten", "bahnhof", "ufer", "hafen", "brink", "mauer", "kirchplatz", "marktplatz", "steinweg", "rain",
		"bach", "brunnen", "tor", "wall", "schloss", "stadtpark", "kreuz", "heide", "weiher", "see")
	// germanStreetPreps start such a street name.
	germanStreetPreps = set("am", "an", "im", "auf", "zum", "zur", "in", "unter", "hinter", "vor", "auf'm")
	abbrevStreetTypes = set("st", "ave", "rd", "ln", "dr", "blvd", "ct", "pl", "str")
)

// houseNumber reads a house number at i: "12", "12a", "221b", "twelve";
// at most four digits.
func (d *detection) houseNumber(i int) (int, bool) {
	if i >= len(d.toks) {
		return i, false
	}
	t := d.toks[i]
	switch t.kind {
	case tokDigits:
		if len(t.norm) <= 4 {
			return i + 1, true
		}
	case tokAlnum:
		n := strings.TrimRight(t.norm, "abcdefghijklmnopqrstuvwxyz")
		if len(n) >= 1 && len(n) <= 4 && allDigits(n) && len(t.norm)-len(n) <= 1 {
			return i + 1, true
		}
	case tokWord:
		if digs, next, ok := d.nt.parseNumber(d.toks, i); ok && len(digs) <= 4 && t.num().kind != nkOh {
			return next, true
		}
	}
	return i, false
}

// streetName reads up to four name words (and particles) starting at i.
func (d *detection) streetName(i int, max int) int {
	j := i
	for j < len(d.toks) && j-i < max {
		t := d.toks[j]
		if t.kind == tokPunct && (t.norm == "'" || t.norm == "’" || t.norm == "-") && j > i {
			j++
			continue
		}
		if t.kind != tokWord || t.isNum() && !t.upper {
			break
		}
		if t.has(fStop) && !t.has(fParticle) && !(d.cased && t.upper) {
			break
		}
		if t.has(fUnit | fHouseNumber) {
			break
		}
		j++
	}
	// Particles do not end a name.
	for j > i && d.toks[j-1].has(fParticle) {
		j--
	}
	return j
}

// detectAddresses finds street addresses and extends them over the
// postcode and town when these follow.
func (d *detection) detectAddresses() {
	toks := d.toks
	lang := d.lang
	addrCue := func(i int) bool { return d.nearestCue(cueAddress, i) <= 6 }
	glued := gluedSuffixes[lang]
	for i := 0; i < len(toks); i++ {
		t := &toks[i]
		if t.kind != tokWord {
			continue
		}
		// English/German/Dutch separate type word after the name.
		if t.has(fSuffixType) && i > 0 {
			nameStart := i
			for k := i - 1; k >= 0 && i-k <= 3; k-- {
				tk := toks[k]
				if tk.kind != tokWord || tk.has(fStop) && !(d.cased && tk.upper) || tk.isNum() {
					break
				}
				nameStart = k
			}
			if nameStart == i {
				continue
			}
			end := i + 1
			if end < len(toks) && toks[end].norm == "." && abbrevStreetTypes[t.norm] && !toks[end].space {
				end++ // "St.", "Rd."
			}
			if lang == "en" {
				// The number comes first: "42 Baker Street".
				numStart := -1
				for k := nameStart - 1; k >= 0 && k >= nameStart-5; k-- {
					// "seven eighty seven Baker Street": several number
					// words may make up the house number.
					e, ok := d.houseNumber(k)
					for ok && e < nameStart {
						e, ok = d.houseNumber(e)
					}
					if ok && e == nameStart {
						numStart = k
					}
				}
				if numStart < 0 {
					if !addrCue(nameStart) {
						continue
					}
					numStart = nameStart
				}
				d.add(numStart, d.addressTail(end), Address, "address", "")
				i = end - 1
				continue
			}
			// German/Dutch: "Berliner Straße 12".
			if e, ok := d.houseNumber(skipNumberWord(d, end)); ok {
				d.add(nameStart, d.addressTail(e), Address, "address", "")
				i = e - 1
			}
			continue
		}
		// German streets named by a bare noun after a preposition: "am
		// Markt 37", "An der Mauer 5".
		if lang == "de" && germanStreetPreps[t.norm] {
			k := i + 1
			if k < len(toks) && toks[k].has(fGermanArt) {
				k++
			}
			if k < len(toks) && toks[k].has(fBareStreet) {
				if e, ok := d.houseNumber(k + 1); ok {
					d.add(i, d.addressTail(e), Address, "address", "")
					i = e - 1
					continue
				}
			}
		}
		// German/Dutch one-word street names: "Hauptstraße 5".
		if suffixes := glued; suffixes != nil && len(t.norm) >= 6 {
			glued := false
			for _, s := range suffixes {
				if strings.HasSuffix(t.norm, s) && len(t.norm) >= len(s)+3 {
					glued = true
					break
				}
			}
			if glued {
				if e, ok := d.houseNumber(skipNumberWord(d, i+1)); ok {
					d.add(i, d.addressTail(e), Address, "address", "")
					i = e - 1
				} else if addrCue(i) {
					d.add(i, d.addressTail(i+1), Address, "address", "")
				}
				continue
			}
		}
		// French/Spanish/Italian/Portuguese: type word then the name.
		if t.has(fPrefixType) {
			nameEnd := d.streetName(i+1, 5)
			if nameEnd == i+1 {
				continue
			}
			start := i
			numBefore := false
			if lang == "fr" && i > 0 {
				// The number comes first and may take several words:
				// "12 bis rue", "12, rue", "soixante-treize bis place",
				// "trente et un place".
				target := i
				if toks[target-1].has(fBis) && target > 1 {
					target--
				}
				if toks[target-1].norm == "," && target > 1 {
					target--
				}
				for k := target - 1; k >= 0 && k >= target-8; k-- {
					if e, ok := d.houseNumber(k); ok && e == target {
						start, numBefore = k, true
					}
				}
			}
			end := nameEnd
			j := nameEnd
			if j < len(toks) && toks[j].norm == "," {
				j++
			}
			j = skipNumberWord(d, j)
			if e, ok := d.houseNumber(j); ok {
				end = e
				if end < len(toks) && toks[end].has(fBis) && toks[end].kind == tokWord && len(toks[end].norm) <= 3 {
					// A lone letter is "25 b" only at the end of the street
					// part, not the article of "25 a porta verde".
					if n := end + 1; len(toks[end].norm) > 1 || n >= len(toks) || toks[n].kind == tokPunct || toks[n].kind == tokDigits {
						end++
					}
				}
			} else if !numBefore && !addrCue(i) {
				continue
			}
			d.add(start, d.addressTail(end), Address, "address", "")
			i = end - 1
		}
	}
	d.detectPostcodes()
}

// detectPostcodes finds postcodes said on their own, without a street: a
// full UK postcode ("SW1A 1AA") anywhere, its shape being specific enough,
// and after a postcode cue ("my postcode is") any postcode that narrows
// down to a street: a UK or Dutch postcode, a Portuguese "1000-001", a US
// ZIP+4. Bare four- or five-digit codes name a town or district, not a
// household, and stay.
func (d *detection) detectPostcodes() {
	for i := 0; i < len(d.toks); i++ {
		e, ok := d.postcode(i)
		if !ok {
			continue
		}
		fine := e-i > 1 || d.toks[i].kind == tokAlnum
		strictUK := e == i+2 && ukPostcode(d.toks[i].norm, d.toks[i+1].norm)
		if strictUK || fine && d.nearestCue(cuePostcode, i) <= 4 {
			d.add(i, e, Address, "postcode", "")
			i = e - 1
		}
	}
}

// ukPostcode checks the UK postcode format: an outward code A9, A99, A9A,
// AA9, AA99 or AA9A and an inward code 9AA, with the letters the Royal
// Mail leaves out of each position excluded (no Q, V, X first; no I, J, Z
// second; no C, I, K, M, O, V inward).
func ukPostcode(out, in string) bool {
	letter := func(c byte, not string) bool { return c >= 'a' && c <= 'z' && !strings.ContainsRune(not, rune(c)) }
	if len(in) != 3 || !isDigit(in[0]) || !letter(in[1], "cikmov") || !letter(in[2], "cikmov") {
		return false
	}
	if len(out) < 2 || len(out) > 4 || !letter(out[0], "qvx") {
		return false
	}
	rest := out[1:]
	if letter(rest[0], "ijz") {
		rest = rest[1:]
	}
	switch {
	case len(rest) == 1:
		return isDigit(rest[0])
	case len(rest) == 2:
		return isDigit(rest[0]) && (isDigit(rest[1]) || rest[1] >= 'a' && rest[1] <= 'z')
	}
	return false
}

func skipNumberWord(d *detection, i int) int {
	if i < len(d.toks) && d.toks[i].has(fHouseNumber) {
		i++
		if i < len(d.toks) && d.toks[i].norm == "." {
			i++
		}
	}
	return i
}

// addressTail extends an address over what may follow the street: a unit
// ("apartment 4"), a postcode and a town.
func (d *detection) addressTail(end int) int {
	toks := d.toks
	j := end
	skipComma := func(k int) int {
		if k < len(toks) && toks[k].norm == "," {
			return k + 1
		}
		return k
	}
	// "apt 4", "piso 3".
	if k := skipComma(j); k < len(toks) && toks[k].has(fUnit) {
		if e, ok := d.houseNumber(k + 1); ok {
			j = e
		}
	}
	k := skipComma(j)
	if e, ok := d.postcode(k); ok {
		j = e
		return d.town(j)
	}
	// Town then postcode: "London SW1A 1AA", "Springfield, IL 62704".
	m := k
	for n := 0; n < 3 && m < len(toks); n++ {
		t := toks[m]
		if t.norm == "," {
			m++
			continue
		}
		if t.kind != tokWord || t.has(fStop) || d.cased && !t.upper {
			break
		}
		m++
		if e, ok := d.postcode(skipComma(m)); ok {
			return e
		}
	}
	return j
}

// town reads the town after a postcode: one word, with a leading article
// or saint ("Den Haag", "San Sebastián") and a joined part ("Frankfurt am
// Main", "Bergen op Zoom"); it returns where the town ends (i if none).
func (d *detection) town(i int) int {
	toks := d.toks
	word := func(k int) bool {
		if k >= len(toks) {
			return false
		}
		t := &toks[k]
		if d.cased {
			return t.kind == tokWord && t.upper
		}
		return t.kind == tokWord && !t.has(fStop|fMonth|fCueFirst) && !t.isNum()
	}
	k := i
	if k+1 < len(toks) && townPrefixes[toks[k].norm] && word(k+1) {
		k++
	}
	if !word(k) {
		return i
	}
	k++
	m := k
	for n := 0; n < 2 && m < len(toks) && townJoins(toks[m].norm, d.cased); n++ {
		m++
	}
	if m > k && word(m) {
		k = m + 1
	}
	return k
}

// townPrefixes start two-word town names.
var townPrefixes = set("den", "la", "le", "el", "los", "las", "les", "san", "santa", "sao", "são", "sankt", "st", "saint",
	"sainte", "new", "bad", "porto", "reggio", "castel")

// townJoins reports words inside a town name. "de" and "op" join only in
// cased text, where the next word's capital confirms them.
func townJoins(w string, cased bool) bool {
	switch w {
	case "am", "an", "der", "sur", "upon", "im", "ob", "en":
		return true
	case "de", "op", "del", "di", "do", "da", "on":
		return cased
	}
	return false
}

// postcode reads the postcode shapes of the seven languages' countries.
func (d *detection) postcode(i int) (int, bool) {
	toks := d.toks
	if i >= len(toks) {
		return i, false
	}
	t := toks[i]
	switch {
	case t.kind == tokDigits && len(t.norm) == 5:
		// US ZIP+4.
		if i+2 < len(toks) && toks[i+1].norm == "-" && toks[i+2].kind == tokDigits && len(toks[i+2].norm) == 4 {
			return i + 3, true
		}
		return i + 1, true
	case t.kind == tokDigits && len(t.norm) == 4:
		// Dutch "1234 AB", Portuguese "1000-001", Belgian/Swiss/Austrian 4 digits.
		if i+1 < len(toks) && toks[i+1].kind == tokWord && len(toks[i+1].norm) == 2 && (d.lang == "nl" || !toks[i+1].has(fStop)) {
			return i + 2, true
		}
		if i+2 < len(toks) && toks[i+1].norm == "-" && toks[i+2].kind == tokDigits && len(toks[i+2].norm) == 3 {
			return i + 3, true
		}
		return i + 1, d.lang == "de" || d.lang == "fr" || d.lang == "nl"
	case t.kind == tokAlnum && len(t.norm) == 6 && allDigits(t.norm[:4]):
		return i + 1, true // "1234AB"
	case t.kind == tokAlnum || t.kind == tokWord && len(t.norm) <= 2:
		// UK: "SW1A 1AA", "M1 1AE".
		if ukOutward(t.norm) && i+1 < len(toks) && ukInward(toks[i+1].norm) {
			return i + 2, true
		}
	}
	return i, false
}

func ukOutward(s string) bool {
	if len(s) < 2 || len(s) > 4 || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	digit := false
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			digit = true
		}
	}
	return digit
}

func ukInward(s string) bool {
	return len(s) == 3 && isDigit(s[0]) && s[1] >= 'a' && s[1] <= 'z' && s[2] >= 'a' && s[2] <= 'z'
}
