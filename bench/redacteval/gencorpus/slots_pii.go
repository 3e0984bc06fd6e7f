package main

import (
	"fmt"
	"strconv"
	"strings"
)

// Entity type names, as in redact.EntityType. The generator does not import
// the redactor so that the corpus stays independent of it.
const (
	tPerson  = "PERSON"
	tPhone   = "PHONE_NUMBER"
	tEmail   = "EMAIL_ADDRESS"
	tCard    = "CREDIT_CARD"
	tIBAN    = "IBAN"
	tNatID   = "NATIONAL_ID"
	tAddress = "ADDRESS"
	tDOB     = "DATE_OF_BIRTH"
	tIP      = "IP_ADDRESS"
	tURL     = "URL"
	tExpiry  = "CARD_EXPIRY"
	tCVV     = "CARD_CVV"
)

func (g *gen) fullName() string { return g.p.first + " " + g.p.last }

func (g *gen) honorific() string {
	if g.p.female {
		return g.l.honF
	}
	return g.l.honM
}

// ---- phone numbers ----

// phone is a national number split the way it is usually grouped; trunk
// says whether its leading 0 is dropped after the country code.
type phone struct {
	cc     string
	groups []string
	trunk  bool
}

func (g *gen) newPhone() phone {
	d := func(n int) string { return randDigits(g.r, n) }
	nz := func() string { return strconv.Itoa(2 + g.r.IntN(8)) } // no 0/1 to start a subscriber number
	switch g.l.code {
	case "en":
		if g.chance(0.5) { // US: NPA-NXX-XXXX
			return phone{cc: "1", groups: []string{nz() + d(2), nz() + d(2), d(4)}}
		}
		if g.chance(0.6) { // UK mobile
			return phone{cc: "44", groups: []string{"07" + strconv.Itoa(4+g.r.IntN(6)) + d(2), d(6)}, trunk: true}
		}
		return phone{cc: "44", groups: []string{"020", nz() + d(3), d(4)}, trunk: true}
	case "de":
		if g.chance(0.6) {
			pre := g.pick([]string{"0151", "0152", "0157", "0160", "0162", "0170", "0171", "0172", "0173", "0175", "0176", "0177", "0178", "0179"})
			if g.chance(0.5) {
				return phone{cc: "49", groups: []string{pre, nz() + d(6)}, trunk: true}
			}
			return phone{cc: "49", groups: []string{pre, nz() + d(2), d(4)}, trunk: true}
		}
		pre := g.pick([]string{"030", "040", "089", "069", "0221", "0211", "0711", "0341"})
		return phone{cc: "49", groups: []string{pre, nz() + d(4+g.r.IntN(3))}, trunk: true}
	case "fr":
		return phone{cc: "33", groups: []string{"0" + g.pick([]string{"1", "2", "3", "4", "5", "6", "6", "7", "7"}), d(2), d(2), d(2), d(2)}, trunk: true}
	case "es":
		if g.chance(0.6) {
			return phone{cc: "34", groups: []string{g.pick([]string{"6", "6", "7"}) + d(2), d(3), d(3)}}
		}
		return phone{cc: "34", groups: []string{"9" + g.pick([]string{"1", "3", "5", "6"}) + d(1), d(2), d(2), d(2)}}
	case "it":
		if g.chance(0.6) {
			return phone{cc: "39", groups: []string{"3" + g.pick([]string{"20", "28", "33", "35", "39", "40", "47", "48", "49", "66", "88", "92"}), d(3), d(4)}}
		}
		return phone{cc: "39", groups: []string{g.pick([]string{"06", "02", "011", "055", "081", "051"}), nz() + d(3), d(4)}}
	case "nl":
		if g.chance(0.6) {
			if g.chance(0.5) {
				return phone{cc: "31", groups: []string{"06", nz() + d(7)}, trunk: true}
			}
			return phone{cc: "31", groups: []string{"06", nz() + d(1), d(2), d(2), d(2)}, trunk: true}
		}
		return phone{cc: "31", groups: []string{g.pick([]string{"020", "010", "030", "070", "040", "050"}), nz() + d(2), d(4)}, trunk: true}
	case "pt":
		if g.chance(0.6) {
			return phone{cc: "351", groups: []string{"9" + g.pick([]string{"1", "2", "3", "6"}) + d(1), d(3), d(3)}}
		}
		return phone{cc: "351", groups: []string{"2" + g.pick([]string{"1", "2", "3", "5"}) + d(1), d(3), d(3)}}
	}
	panic("newPhone: " + g.l.code)
}

// intlGroups is the number after the country code.
func (p phone) intlGroups() []string {
	gs := append([]string{}, p.groups...)
	if p.trunk {
		gs[0] = strings.TrimPrefix(gs[0], "0")
		if gs[0] == "" {
			gs = gs[1:]
		}
	}
	return gs
}

func (g *gen) phoneSlot() []part {
	p := g.newPhone()
	lang := g.l.code
	oh := lang == "en" && g.chance(0.6)
	zwo := lang == "de" && g.chance(0.5)
	spokenGroup := func(x string) string { return g.digitsSpoken(x, oh, zwo, lang == "en" && g.chance(0.5)) }
	var s string
	switch k := g.r.IntN(20); {
	case k < 5: // written, national
		sep := " "
		if !g.asr {
			sep = g.pick([]string{" ", " ", "-", g.l.phoneSep})
		}
		s = strings.Join(p.groups, sep)
		if lang == "en" && p.cc == "1" && !g.asr && g.chance(0.5) {
			s = "(" + p.groups[0] + ") " + p.groups[1] + "-" + p.groups[2]
		}
	case k < 7: // written, international
		s = "+" + p.cc + " " + strings.Join(p.intlGroups(), " ")
	case k < 12: // spoken digit by digit, in groups
		var gs []string
		for _, x := range p.groups {
			gs = append(gs, spokenGroup(x))
		}
		s = g.joinGroups(gs, 0.3)
	case k < 15: // spoken in pairs after the prefix (French habit, common in de/nl/es too)
		if lang == "en" { // "five five five, oh one, thirty four": the last four as two pairs
			var gs []string
			for _, x := range p.groups[:len(p.groups)-1] {
				gs = append(gs, spokenGroup(x))
			}
			last := p.groups[len(p.groups)-1]
			for i := 0; i+1 < len(last); i += 2 {
				if last[i] == '0' {
					gs = append(gs, g.digitsSpoken(last[i:i+2], true, false, false))
				} else {
					gs = append(gs, cardEN(atoi(last[i:i+2])))
				}
			}
			if len(last)%2 == 1 {
				gs = append(gs, spokenGroup(last[len(last)-1:]))
			}
			s = g.joinGroups(gs, 0.2)
			break
		}
		var gs []string
		if lang == "fr" {
			for _, x := range p.groups {
				gs = append(gs, g.pairsSpoken(x)...)
			}
		} else {
			gs = append(gs, spokenGroup(p.groups[0]))
			gs = append(gs, g.pairsSpoken(strings.Join(p.groups[1:], ""))...)
		}
		s = g.joinGroups(gs, 0.25)
	case k < 17: // mixed: some groups in digits, some in words
		var gs []string
		for i, x := range p.groups {
			if i%2 == 0 {
				gs = append(gs, spokenGroup(x))
			} else {
				gs = append(gs, x)
			}
		}
		s = g.joinGroups(gs, 0.2)
	default: // spoken with the country code
		cc := cardinal(lang, atoi(p.cc))
		if lang == "en" || len(p.cc) > 2 || g.chance(0.3) {
			cc = joinWords(spokenDigits(lang, p.cc))
		}
		plus := map[string]string{"en": "plus", "de": "plus", "fr": "plus", "es": "más", "it": "più", "nl": "plus", "pt": "mais"}[lang]
		gs := []string{plus + " " + cc}
		for _, x := range p.intlGroups() {
			if lang == "fr" {
				gs = append(gs, g.pairsSpoken(x)...)
			} else {
				gs = append(gs, spokenGroup(x))
			}
		}
		s = g.joinGroups(gs, 0.2)
	}
	return one(tPhone, s)
}

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

// ---- email ----

func (g *gen) emailTokens() (local []string, domain string) {
	f := strings.ToLower(asciiFold(g.p.first))
	l := strings.ToLower(asciiFold(g.p.last))
	yy := fmt.Sprintf("%02d", g.p.year%100)
	switch g.r.IntN(8) {
	case 0:
		local = []string{f, ".", l}
	case 1:
		local = []string{f, l}
	case 2:
		local = []string{f[:1], ".", l}
	case 3:
		local = []string{f, "_", l}
	case 4:
		local = []string{f, ".", l, yy}
	case 5:
		local = []string{l, ".", f}
	case 6:
		local = []string{f, yy}
	default:
		local = []string{f, "-", l}
	}
	return local, g.pick(g.l.domains)
}

func (g *gen) emailSlot() []part {
	local, domain := g.emailTokens()
	if g.chance(0.35) { // written
		return one(tEmail, strings.Join(local, "")+"@"+domain)
	}
	l := g.l
	at := g.pick(l.at)
	word := func(tok string) string {
		switch tok {
		case ".":
			return l.dot
		case "_":
			return l.underscore
		case "-":
			return l.dash
		}
		if tok[0] >= '0' && tok[0] <= '9' {
			if g.chance(0.5) {
				return cardinal(l.code, atoi(tok))
			}
			return joinWords(spokenDigits(l.code, tok))
		}
		return tok
	}
	spell := -1
	if g.chance(0.35) { // spell one name token letter by letter
		for i, t := range local {
			if len(t) > 2 && t[0] > '9' {
				spell = i
			}
		}
	}
	var ws []string
	for i, t := range local {
		if i == spell {
			ws = append(ws, strings.ToLower(strings.Join(strings.Split(t, ""), " ")))
			continue
		}
		ws = append(ws, word(t))
	}
	ws = append(ws, at)
	for i, d := range strings.Split(domain, ".") {
		if i > 0 {
			ws = append(ws, l.dot)
		}
		ws = append(ws, strings.ReplaceAll(d, "-", " "+l.dash+" "))
	}
	return one(tEmail, joinWords(ws))
}

// ---- cards ----

func cardGroups(n string) []string {
	if len(n) == 15 {
		return []string{n[:4], n[4:10], n[10:]}
	}
	return []string{n[:4], n[4:8], n[8:12], n[12:]}
}

func (g *gen) cardSlot() []part {
	n := cardNumber(g.r)
	gs := cardGroups(n)
	lang := g.l.code
	oh := lang == "en" && g.chance(0.4)
	var s string
	switch k := g.r.IntN(10); {
	case k < 4:
		sep := " "
		if !g.asr && g.chance(0.3) {
			sep = "-"
		}
		if g.chance(0.2) {
			sep = ""
		}
		s = strings.Join(gs, sep)
	case k < 8:
		var ws []string
		for _, x := range gs {
			if lang == "fr" && g.chance(0.6) || lang != "en" && g.chance(0.15) {
				ws = append(ws, joinWords(g.pairsSpoken(x)))
				continue
			}
			ws = append(ws, g.digitsSpoken(x, oh, lang == "de" && g.chance(0.3), false))
		}
		s = g.joinGroups(ws, 0.2)
	default:
		var ws []string
		for i, x := range gs {
			if i < 2 {
				ws = append(ws, x)
			} else {
				ws = append(ws, g.digitsSpoken(x, oh, false, false))
			}
		}
		s = g.joinGroups(ws, 0.1)
	}
	return one(tCard, s)
}

func (g *gen) expirySlot() []part {
	m := 1 + g.r.IntN(12)
	y := 26 + g.r.IntN(6)
	lang := g.l.code
	mm := fmt.Sprintf("%02d", m)
	switch g.r.IntN(4) {
	case 0:
		return one(tExpiry, fmt.Sprintf("%s/%d", mm, y))
	case 1:
		if lang == "en" {
			return one(tExpiry, g.digitsSpoken(mm, true, false, false)+" "+cardinal(lang, y))
		}
		return one(tExpiry, joinWords(spokenDigits(lang, mm))+" "+cardinal(lang, y))
	case 2:
		month := g.l.months[m-1]
		year := cardinal(lang, 2000+y)
		switch lang {
		case "en":
			year = "twenty " + cardinal(lang, y)
		case "es", "pt":
			return one(tExpiry, month+" de "+year)
		case "de", "nl":
			if g.chance(0.5) {
				year = strconv.Itoa(2000 + y)
			}
		}
		if !g.asr && (lang == "en" || lang == "de") {
			month = strings.ToUpper(month[:1]) + month[1:]
		}
		return one(tExpiry, month+" "+year)
	default:
		slash := map[string]string{"en": "slash", "de": "Strich", "fr": "barre", "es": "barra", "it": "barra", "nl": "schuine streep", "pt": "barra"}[lang]
		return one(tExpiry, cardinal(lang, m)+" "+slash+" "+cardinal(lang, y))
	}
}

func (g *gen) cvvSlot() []part {
	d := randDigits(g.r, 3)
	switch g.r.IntN(3) {
	case 0:
		return one(tCVV, d)
	case 1:
		return one(tCVV, g.digitsSpoken(d, g.l.code == "en" && g.chance(0.5), false, false))
	default:
		if d[0] == '0' {
			return one(tCVV, joinWords(spokenDigits(g.l.code, d)))
		}
		return one(tCVV, cardinal(g.l.code, atoi(d)))
	}
}

// ---- IBAN ----

func (g *gen) ibanSlot(country string) []part {
	ib := iban(g.r, country)
	var groups []string
	for i := 0; i < len(ib); i += 4 {
		groups = append(groups, ib[i:min(i+4, len(ib))])
	}
	if g.chance(0.4) { // written
		if g.chance(0.25) {
			return one(tIBAN, ib)
		}
		return one(tIBAN, strings.Join(groups, " "))
	}
	lang := g.l.code
	letters := func(s string) string { return strings.ToLower(strings.Join(strings.Split(s, ""), " ")) }
	var ws []string
	head := letters(ib[:2]) + " "
	// Check digits below ten are read digit by digit ("zero four"): as a
	// cardinal ("four") they would drop a digit of the IBAN.
	if g.chance(0.5) && ib[2] != '0' {
		head += cardinal(lang, atoi(ib[2:4]))
	} else {
		head += joinWords(spokenDigits(lang, ib[2:4]))
	}
	ws = append(ws, head)
	rest := ib[4:]
	for i := 0; i < len(rest); i += 4 {
		chunk := rest[i:min(i+4, len(rest))]
		var w []string
		digits := ""
		flush := func() {
			if digits == "" {
				return
			}
			if lang == "fr" && len(digits)%2 == 0 && g.chance(0.7) {
				w = append(w, g.pairsSpoken(digits)...)
			} else {
				w = append(w, g.digitsSpoken(digits, lang == "en" && g.chance(0.3), false, false))
			}
			digits = ""
		}
		for _, c := range chunk {
			if c >= 'A' && c <= 'Z' {
				flush()
				w = append(w, strings.ToLower(string(c)))
				continue
			}
			digits += string(c)
		}
		flush()
		ws = append(ws, joinWords(w))
	}
	if g.chance(0.3) { // mixed: the first groups read as digits
		ws[0] = ib[:4]
		ws[1] = groups[1]
	}
	return one(tIBAN, g.joinGroups(ws, 0.15))
}

// ---- national identifiers ----

// idDigits renders a digit string as written, or spoken in the given
// grouping.
func (g *gen) idDigits(d string, grouping []int, writtenSep string) string {
	var gs []string
	i := 0
	for _, n := range grouping {
		gs = append(gs, d[i:i+n])
		i += n
	}
	if i < len(d) {
		gs = append(gs, d[i:])
	}
	switch g.r.IntN(3) {
	case 0:
		if g.asr && writtenSep == "-" {
			writtenSep = " "
		}
		return strings.Join(gs, writtenSep)
	case 1:
		if g.chance(0.3) {
			return d
		}
		return strings.Join(gs, " ")
	default:
		var ws []string
		for _, x := range gs {
			ws = append(ws, g.digitsSpoken(x, g.l.code == "en" && g.chance(0.5), g.l.code == "de" && g.chance(0.3), false))
		}
		return g.joinGroups(ws, 0.15)
	}
}

func (g *gen) ssnSlot() []part { return one(tNatID, g.idDigits(ssn(g.r), []int{3, 2, 4}, "-")) }

func (g *gen) ninoSlot() []part {
	n := nino(g.r)
	switch g.r.IntN(3) {
	case 0:
		return one(tNatID, n[:2]+" "+n[2:4]+" "+n[4:6]+" "+n[6:8]+" "+n[8:])
	case 1:
		return one(tNatID, n)
	default:
		l := strings.ToLower
		return one(tNatID, l(n[:1])+" "+l(n[1:2])+" "+g.digitsSpoken(n[2:8], g.chance(0.5), false, g.chance(0.5))+" "+l(n[8:]))
	}
}

func (g *gen) steuerIDSlot() []part {
	return one(tNatID, g.idDigits(steuerID(g.r), []int{2, 3, 3, 3}, " "))
}

func (g *gen) nirSlot() []part {
	n := nir(g.r, g.p.female, g.p.year, g.p.month)
	grouping := []int{1, 2, 2, 2, 3, 3, 2}
	if g.chance(0.45) { // read the way the carte Vitale groups it, numbers in pairs
		var ws []string
		i := 0
		for _, k := range grouping {
			x := n[i : i+k]
			i += k
			switch {
			case x[0] == '0' || k == 1:
				ws = append(ws, joinWords(spokenDigits("fr", x)))
			default:
				ws = append(ws, cardinal("fr", atoi(x)))
			}
		}
		return one(tNatID, g.joinGroups(ws, 0.15))
	}
	return one(tNatID, g.idDigits(n, grouping, " "))
}

var esLetterNames = map[byte]string{'A': "a", 'B': "be", 'C': "ce", 'D': "de", 'E': "e", 'F': "efe", 'G': "ge", 'H': "hache",
	'J': "jota", 'K': "ka", 'L': "ele", 'M': "eme", 'N': "ene", 'P': "pe", 'Q': "cu", 'R': "erre", 'S': "ese",
	'T': "te", 'V': "uve", 'W': "uve doble", 'X': "equis", 'Y': "i griega", 'Z': "zeta"}

func (g *gen) dniSlot(foreign bool) []part {
	var id string
	if foreign {
		id = nie(g.r)
	} else {
		id = dni(g.r)
	}
	last := id[len(id)-1]
	switch g.r.IntN(3) {
	case 0:
		return one(tNatID, id)
	case 1:
		return one(tNatID, id[:len(id)-1]+"-"+string(last))
	default:
		var ws []string
		body := id[:len(id)-1]
		if foreign {
			ws = append(ws, esLetterNames[body[0]])
			body = body[1:]
		}
		if g.chance(0.5) {
			ws = append(ws, g.pairsSpoken(body)...)
		} else {
			ws = append(ws, joinWords(spokenDigits("es", body)))
		}
		ws = append(ws, esLetterNames[last])
		return one(tNatID, g.joinGroups(ws, 0.1))
	}
}

func (g *gen) cfSlot() []part {
	cf := codiceFiscale(g.r, g.p.first, g.p.last, g.p.female, g.p.year, g.p.month, g.p.day)
	if g.chance(0.6) {
		return one(tNatID, cf)
	}
	var ws []string
	for _, c := range cf {
		if c >= '0' && c <= '9' {
			ws = append(ws, digitWords["it"][c-'0'])
		} else {
			ws = append(ws, strings.ToLower(string(c)))
		}
	}
	return one(tNatID, joinWords(ws))
}

func (g *gen) bsnSlot() []part { return one(tNatID, g.idDigits(bsn(g.r), []int{4, 2, 3}, ".")) }

func (g *gen) nifSlot() []part { return one(tNatID, g.idDigits(nif(g.r), []int{3, 3, 3}, " ")) }

// ---- dates of birth ----

func (g *gen) dobSlot(nominative bool) []part {
	return one(tDOB, g.dateWordsCase(g.p.year, g.p.month, g.p.day, nominative))
}

// dateWords renders a calendar date written or spoken, in German in the
// dative ("am zwölften März").
func (g *gen) dateWords(y, m, d int) string { return g.dateWordsCase(y, m, d, false) }

// dateWordsCase renders a date; nominative picks the German nominative
// ordinal ("der zwölfte März") instead of the dative.
func (g *gen) dateWordsCase(y, m, d int, nominative bool) string {
	lang := g.l.code
	month := g.l.months[m-1]
	capMonth := month
	if !g.asr && (lang == "en" || lang == "de") {
		capMonth = strings.ToUpper(month[:1]) + month[1:]
	}
	switch g.r.IntN(4) {
	case 0: // numeric
		switch lang {
		case "en":
			if g.chance(0.5) {
				return fmt.Sprintf("%s %d, %d", capMonth, d, y)
			}
			return fmt.Sprintf("%02d/%02d/%d", d, m, y)
		case "de":
			return fmt.Sprintf("%02d.%02d.%d", d, m, y)
		case "nl":
			return fmt.Sprintf("%02d-%02d-%d", d, m, y)
		}
		return fmt.Sprintf("%02d/%02d/%d", d, m, y)
	case 1: // day and month name in digits
		switch lang {
		case "de":
			return fmt.Sprintf("%d. %s %d", d, capMonth, y)
		case "es", "pt":
			return fmt.Sprintf("%d de %s de %d", d, month, y)
		}
		return fmt.Sprintf("%d %s %d", d, capMonth, y)
	}
	// spoken
	yw := yearWords(lang, y, g.chance(0.4))
	switch lang {
	case "en":
		if g.chance(0.5) {
			return "the " + ordinalEN(d) + " of " + capMonth + " " + yw
		}
		return capMonth + " " + ordinalEN(d) + " " + yw
	case "de":
		ord := func(n int) string {
			if nominative {
				return ordinalDE(n)[:len(ordinalDE(n))-1] // "zwölften" -> "zwölfte"
			}
			return ordinalDE(n)
		}
		if g.chance(0.35) {
			return ord(d) + " " + ord(m) + " " + yw
		}
		return ord(d) + " " + capMonth + " " + yw
	case "fr":
		day := cardFR(d)
		if d == 1 {
			day = "premier"
		}
		return day + " " + month + " " + yw
	case "es":
		return cardES(d) + " de " + month + " de " + yw
	case "it":
		day := cardIT(d)
		if d == 1 {
			day = "primo"
		}
		return day + " " + month + " " + yw
	case "nl":
		return cardNL(d) + " " + month + " " + yw
	case "pt":
		day := cardPT(d)
		if d == 1 {
			day = "primeiro"
		}
		return day + " de " + month + " de " + yw
	}
	panic("dateWords: " + lang)
}

var enOrdSmall = []string{"", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
	"eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth"}

func ordinalEN(n int) string {
	switch {
	case n < 20:
		return enOrdSmall[n]
	case n%10 == 0:
		return strings.TrimSuffix(enTens[n/10], "y") + "ieth"
	}
	return enTens[n/10] + " " + enOrdSmall[n%10]
}

// ordinalDE is the dative ordinal used after "am": "am zwölften".
func ordinalDE(n int) string {
	switch n {
	case 1:
		return "ersten"
	case 3:
		return "dritten"
	case 7:
		return "siebten"
	case 8:
		return "achten"
	}
	if n < 20 {
		return cardDE(n) + "ten"
	}
	return cardDE(n) + "sten"
}

// ---- addresses ----

func (g *gen) houseNumber() (digits, spoken string) {
	n := 1 + g.r.IntN(120)
	if g.l.code == "en" && g.chance(0.3) {
		n = 100 + g.r.IntN(800)
	}
	s := strconv.Itoa(n)
	w := cardinal(g.l.code, n)
	if g.l.code == "en" && n >= 100 && g.chance(0.6) { // "two twenty one"
		w = cardEN(n/100) + " " + cardEN(n%100)
		if n%100 < 10 {
			w = cardEN(n/100) + " oh " + cardEN(n%100)
		}
	}
	return s, w
}

func (g *gen) addressSlot(full bool) []part {
	l := g.l
	street := g.pick(l.streets)
	num, numWords := g.houseNumber()
	if g.asr && g.chance(0.4) {
		num = numWords
	}
	c := l.cities[g.r.IntN(len(l.cities))]
	pc := c.postcode(g)
	comma := ", "
	if g.asr {
		comma = " "
	}
	var s string
	switch l.code {
	case "en":
		if c.region != "" { // US
			s = num + " " + street
			if full {
				s += comma + c.name + comma + c.region + " " + pc
			}
		} else {
			s = num + " " + street
			if full {
				s += comma + c.name + " " + pc
			}
		}
	case "fr":
		if g.chance(0.2) {
			num += " bis"
		}
		s = num + " " + street
		if full {
			s += comma + pc + " " + c.name
		}
	case "pt":
		s = street + comma + num
		if g.chance(0.4) {
			s = street + " número " + num
		}
		if g.chance(0.3) {
			s += comma + g.pick([]string{"1.º esquerdo", "2.º direito", "3.º esquerdo", "rés-do-chão"})
		}
		if full {
			s += comma + pc + " " + c.name
		}
	case "es":
		if g.chance(0.4) {
			s = street + comma + "número " + num
		} else {
			s = street + " " + num
		}
		if g.chance(0.3) {
			s += comma + g.pick([]string{"3º B", "2º izquierda", "1º A", "4º derecha", "bajo"})
		}
		if full {
			s += comma + pc + " " + c.name
		}
	case "it":
		s = street + " " + num
		if g.chance(0.3) && g.l.code == "it" {
			s = street + comma + num
		}
		if full {
			s += comma + pc + " " + c.name
		}
	default: // de, nl: street first, then number
		if l.code == "de" && g.chance(0.15) && !strings.Contains(num, " ") && num[0] <= '9' {
			num += "a"
		}
		s = street + " " + num
		if full {
			s += comma + pc + " " + c.name
		}
	}
	return one(tAddress, s)
}

// ---- IP addresses and URLs ----

func (g *gen) ipSlot() []part {
	var oct []int
	switch g.r.IntN(4) {
	case 0:
		oct = []int{192, 168, g.r.IntN(3), 2 + g.r.IntN(250)}
	case 1:
		oct = []int{10, g.r.IntN(256), g.r.IntN(256), 2 + g.r.IntN(250)}
	default:
		oct = []int{20 + g.r.IntN(200), g.r.IntN(256), g.r.IntN(256), 1 + g.r.IntN(254)}
	}
	if g.chance(0.5) {
		return one(tIP, fmt.Sprintf("%d.%d.%d.%d", oct[0], oct[1], oct[2], oct[3]))
	}
	var ws []string
	for _, o := range oct {
		if g.chance(0.5) {
			ws = append(ws, cardinal(g.l.code, o))
		} else {
			ws = append(ws, joinWords(spokenDigits(g.l.code, strconv.Itoa(o))))
		}
	}
	return one(tIP, strings.Join(ws, " "+g.l.dot+" "))
}

func (g *gen) urlSlot() []part {
	f := strings.ToLower(asciiFold(g.p.first))
	l := strings.ToLower(asciiFold(g.p.last))
	tld := g.l.tld
	var tokens []string // written pieces; "." "/" "-" are separators
	switch g.r.IntN(5) {
	case 0:
		tokens = []string{"linkedin", ".", "com", "/", "in", "/", f, "-", l}
	case 1:
		tokens = []string{"www", ".", f, l, ".", tld}
	case 2:
		tokens = []string{f, "-", l, ".", tld}
	case 3:
		tokens = []string{"instagram", ".", "com", "/", f, ".", l}
	default:
		tokens = []string{"facebook", ".", "com", "/", f, ".", l, fmt.Sprintf("%02d", g.p.year%100)}
	}
	if g.chance(0.5) {
		return one(tURL, strings.Join(tokens, ""))
	}
	var ws []string
	for _, t := range tokens {
		switch t {
		case ".":
			ws = append(ws, g.l.dot)
		case "/":
			ws = append(ws, g.l.slash)
		case "-":
			ws = append(ws, g.l.dash)
		default:
			if t[0] >= '0' && t[0] <= '9' {
				t = cardinal(g.l.code, atoi(t))
			}
			ws = append(ws, t)
		}
	}
	return one(tURL, joinWords(ws))
}

// ---- names ----

func (g *gen) nameSlot(kind string) []part {
	switch kind {
	case "NAME":
		return one(tPerson, g.fullName())
	case "FIRST":
		return one(tPerson, g.p.first)
	case "LAST":
		return one(tPerson, g.p.last)
	case "HON": // the title is not personal data; only the name is gold
		return []part{lit(g.honorific() + " "), pii(tPerson, g.p.last)}
	case "HONFULL":
		return []part{lit(g.honorific() + " "), pii(tPerson, g.fullName())}
	case "AGENT":
		return one(tPerson, g.agent)
	case "SPELLLAST":
		return one(tPerson, g.spellLetters(g.p.last))
	case "SPELLFIRST":
		return one(tPerson, g.spellLetters(g.p.first))
	}
	return nil
}
