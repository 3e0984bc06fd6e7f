package redact

import "strings"

// monthWords maps month names and abbreviations of the seven languages to
// their number; matched in every language.
var monthWords = func() map[string]int {
	m := map[string]int{}
	lists := [][]string{
		{"january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"},
		{"januar", "februar", "märz", "april", "mai", "juni", "juli", "august", "september", "oktober", "november", "dezember"},
		{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"},
		{"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"},
		{"gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre"},
		{"januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"},
		{"janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro", "outubro", "novembro", "dezembro"},
		{"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "jän", "jänner", "okt", "dez", "setiembre"},
	}
	for li, l := range lists {
		for i, w := range l {
			if li == 7 {
				continue
			}
			m[fold(w)] = i + 1
		}
	}
	abbr := map[string]int{"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
		"oct": 10, "nov": 11, "dec": 12, "jan.": 1, "okt": 10, "dez": 12, "janner": 1, "setiembre": 9, "fev": 2, "abr": 4,
		"ago": 8, "set": 9, "out": 10, "dic": 12, "gen": 1, "mag": 5, "giu": 6, "lug": 7, "ott": 10, "mrt": 3, "mei": 5}
	for w, v := range abbr {
		if _, ok := m[w]; !ok {
			m[w] = v
		}
	}
	return m
}()

// ordinalWords are day ordinals that are not plain cardinals: "first",
// "twelfth", "premier", "primero", "primo", "eerste", "primeiro"; German
// and Dutch ordinals are recognised by their suffix instead.
var ordinalWords = func() map[string]int {
	m := map[string]int{}
	en := []string{"", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
		"eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth",
		"nineteenth", "twentieth"}
	for i, w := range en {
		if w != "" {
			m[w] = i
		}
	}
	m["thirtieth"] = 30
	for _, w := range []string{"premier", "1er", "primero", "primer", "primo", "primeiro", "eerste"} {
		m[w] = 1
	}
	return m
}()

// dateTokenKind classifies a token inside a spoken or written date.
func (d *detection) dayOrdinal(i int) (int, bool) {
	t := d.toks[i]
	if _, ok := ordinalWords[t.norm]; ok {
		return i + 1, true
	}
	if t.kind == tokAlnum {
		// "12th", "1st", "3rd", "2nd", "1er", "1o", "12º"
		n := strings.TrimRight(t.norm, "abcdefghijklmnopqrstuvwxyz")
		if len(n) > 0 && len(n) <= 2 && allDigits(n) {
			return i + 1, true
		}
	}
	if t.kind == tokWord {
		// German "zwölften", "ersten", Dutch "twaalfde", "achtste": strip
		// the ordinal suffix and look up the cardinal.
		for _, suf := range []string{"sten", "ste", "ster", "ten", "te", "ter", "tem", "de", "e"} {
			if strings.HasSuffix(t.norm, suf) && len(t.norm) > len(suf)+2 {
				stem := t.norm[:len(t.norm)-len(suf)]
				if _, ok := d.nt.words[stem]; ok {
					return i + 1, true
				}
				switch stem {
				case "ers", "zwei", "drit", "sieb", "ach", "eers", "twee", "der", "vier", "vijf":
					return i + 1, true
				}
			}
		}
		// English compound ordinals "twenty-first", "thirty first".
		if w, ok := d.nt.words[t.norm]; ok && w.kind == nkTens && i+2 < len(d.toks) {
			j := i + 1
			if d.toks[j].norm == "-" {
				j++
			}
			if _, ok := ordinalWords[d.toks[j].norm]; ok {
				return j + 1, true
			}
		}
	}
	_ = d
	return 0, false
}

var dateJoiners = set("of", "the", "de", "del", "im", "am", "le", "il", "op", "em", "in", "on", "von", "du")

// detectBirthDates finds dates after a birth cue ("born on", "Geburtsdatum",
// "né le", "fecha de nacimiento", "nato il", "geboren op", "data de
// nascimento"), written or spoken.
func (d *detection) detectBirthDates() {
	for _, h := range d.cues {
		if h.kind != cueBirth {
			continue
		}
		i := h.end
		// Skip a few words between the cue and the date: "born on the",
		// "date of birth is".
		limit := i + 5
		for i < len(d.toks) && i < limit && !d.dateStart(i) {
			i++
		}
		if i >= len(d.toks) || !d.dateStart(i) {
			// German and Dutch put the verb last: "am 4. Mai 1979
			// geboren", "op 12 maart 1985 geboren".
			d.dateBefore(h.start)
			continue
		}
		start, end, parts, month := i, i, 0, false
		for i < len(d.toks) {
			t := d.toks[i]
			if _, ok := monthWords[t.norm]; ok && t.kind == tokWord {
				month = true
				parts++
				i++
				end = i
				continue
			}
			if next, ok := d.dayOrdinal(i); ok {
				parts++
				i = next
				end = i
				continue
			}
			if _, next, ok := d.nt.parseNumber(d.toks, i); ok {
				parts++
				i = next
				end = i
				continue
			}
			if parts > 0 && (t.kind == tokPunct && (t.norm == "/" || t.norm == "." || t.norm == "-" || t.norm == ",") || dateJoiners[t.norm]) {
				i++
				continue
			}
			break
		}
		if parts >= 2 || parts == 1 && month {
			if parts == 1 && month {
				continue
			}
			d.add(start, end, DateOfBirth, "date", "")
		} else if parts == 1 && end-start == 1 {
			// One written token holding the whole date: "1985-03-12" is
			// split by the tokenizer, so a single part is a year: "born in
			// 1985" is not a full date of birth but is still personal.
			if t := d.toks[start]; t.kind == tokDigits && len(t.norm) == 8 {
				d.add(start, end, DateOfBirth, "date", "")
			}
		}
	}
}

func (d *detection) dateStart(i int) bool {
	t := d.toks[i]
	if t.kind == tokDigits {
		return true
	}
	if _, ok := monthWords[t.norm]; ok && t.kind == tokWord {
		return true
	}
	if _, ok := d.dayOrdinal(i); ok {
		return true
	}
	_, _, ok := d.nt.parseNumber(d.toks, i)
	return ok && d.nt.words[t.norm].kind != nkOh
}

// dateBefore finds a date that ends right before token end.
func (d *detection) dateBefore(end int) {
	start, parts, month := end, 0, false
	for k := end - 1; k >= 0 && k >= end-10; k-- {
		t := d.toks[k]
		_, isMonth := monthWords[t.norm]
		_, isOrd := d.dayOrdinal(k)
		_, isNum := d.nt.words[t.norm]
		switch {
		case isMonth && t.kind == tokWord:
			month = true
			parts++
		case isOrd || t.kind == tokDigits || isNum && d.nt.words[t.norm].kind != nkOh:
			parts++
		case parts > 0 && (t.kind == tokPunct && (t.norm == "/" || t.norm == "." || t.norm == "-" || t.norm == ",") || dateJoiners[t.norm]):
		default:
			k = -1
			continue
		}
		if !(t.kind == tokPunct || dateJoiners[t.norm]) {
			start = k
		}
	}
	if parts >= 2 && (month || parts >= 3) {
		e := end
		for e > start && (d.toks[e-1].kind == tokPunct || dateJoiners[d.toks[e-1].norm]) {
			e--
		}
		d.add(start, e, DateOfBirth, "date", "")
	}
}
