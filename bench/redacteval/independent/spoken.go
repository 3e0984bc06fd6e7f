package independent

import (
	"strconv"
	"strings"

	"github.com/nyaruka/phonenumbers/v2"
)

// Per-language words a speaker puts around spoken digits. The digit and
// number words themselves come from CLDR RBNF; these are only the
// connectives, written here and kept few.
type speech struct {
	plus       []string // before a country code
	fillers    []string
	correction []string // "no sorry" between a wrong digit and its fix
	extension  []string
	double     string // "double five"; empty where the language does not say it
	triple     string
	at         []string
	dot        []string
	underscore []string
	dash       []string
	plusSign   []string
	spellAs    string   // "j as in ..." connector; empty when unused
	alphabet   []string // spelling alphabet A..Z for spellAs
	phoneFrame []string
	emailFrame []string
	regions    []string // phone regions read in this language
	oh         bool     // English "oh" for zero
}

var speechOf = map[string]speech{
	"en": {
		plus: []string{"plus"}, fillers: []string{"uh", "um", "er"}, correction: []string{"no sorry", "sorry i mean"},
		extension: []string{"extension", "ext"}, double: "double", triple: "triple", oh: true,
		at: []string{"at"}, dot: []string{"dot", "point"}, underscore: []string{"underscore", "under score"},
		dash: []string{"dash", "hyphen", "minus"}, plusSign: []string{"plus"},
		spellAs: "as in", alphabet: strings.Fields("alfa bravo charlie delta echo foxtrot golf hotel india juliett kilo lima mike november oscar papa quebec romeo sierra tango uniform victor whiskey xray yankee zulu"),
		phoneFrame: []string{"you can reach me on %s", "my number is %s", "call me back at %s thanks", "it's %s", "the mobile is %s ok", "yeah so that's %s"},
		emailFrame: []string{"my email is %s", "send it to %s please", "it's %s", "the address is %s thanks", "you can email me at %s"},
		regions:    []string{"GB", "US", "IE", "AU"},
	},
	"de": {
		plus: []string{"plus"}, fillers: []string{"äh", "ähm", "öhm"}, correction: []string{"nein Moment", "äh nein"},
		extension: []string{"Durchwahl", "Apparat"},
		at:        []string{"at", "ät", "Klammeraffe"}, dot: []string{"Punkt"}, underscore: []string{"Unterstrich"},
		dash: []string{"Bindestrich", "Minus", "Strich"}, plusSign: []string{"plus"},
		spellAs: "wie", alphabet: strings.Fields("Anton Berta Cäsar Dora Emil Friedrich Gustav Heinrich Ida Julius Kaufmann Ludwig Martha Nordpol Otto Paula Quelle Richard Samuel Theodor Ulrich Viktor Wilhelm Xanthippe Ypsilon Zacharias"),
		phoneFrame: []string{"meine Nummer ist %s", "Sie erreichen mich unter %s", "rufen Sie mich unter %s zurück", "das ist die %s", "also %s genau"},
		emailFrame: []string{"meine E-Mail ist %s", "schicken Sie es an %s bitte", "die Adresse lautet %s", "das ist %s"},
		regions:    []string{"DE", "AT", "CH"},
	},
	"fr": {
		plus: []string{"plus"}, fillers: []string{"euh", "bah", "hum"}, correction: []string{"non pardon", "euh non"},
		extension: []string{"poste"},
		at:        []string{"arobase", "at"}, dot: []string{"point"}, underscore: []string{"tiret bas", "underscore"},
		dash: []string{"tiret", "trait d'union", "moins"}, plusSign: []string{"plus"},
		phoneFrame: []string{"mon numéro c'est le %s", "vous pouvez me joindre au %s", "rappelez-moi au %s merci", "c'est le %s"},
		emailFrame: []string{"mon adresse mail c'est %s", "envoyez-le à %s s'il vous plaît", "c'est %s", "mon e-mail est %s"},
		regions:    []string{"FR", "BE", "CH"},
	},
	"es": {
		plus: []string{"más"}, fillers: []string{"eh", "este", "pues"}, correction: []string{"no perdón", "no espere"},
		extension: []string{"extensión"},
		at:        []string{"arroba"}, dot: []string{"punto"}, underscore: []string{"guion bajo", "barra baja"},
		dash: []string{"guion", "menos"}, plusSign: []string{"más"},
		phoneFrame: []string{"mi número es el %s", "me puede llamar al %s", "es el %s gracias", "llámeme al %s"},
		emailFrame: []string{"mi correo es %s", "envíelo a %s por favor", "es %s", "mi email es %s"},
		regions:    []string{"ES", "MX", "AR"},
	},
	"it": {
		plus: []string{"più"}, fillers: []string{"ehm", "cioè", "allora"}, correction: []string{"no scusi", "anzi no"},
		extension: []string{"interno"},
		at:        []string{"chiocciola", "at"}, dot: []string{"punto"}, underscore: []string{"trattino basso", "underscore"},
		dash: []string{"trattino", "meno"}, plusSign: []string{"più"},
		phoneFrame: []string{"il mio numero è %s", "mi può chiamare al %s", "è il %s grazie", "mi richiami al %s"},
		emailFrame: []string{"la mia email è %s", "lo mandi a %s per favore", "è %s", "il mio indirizzo è %s"},
		regions:    []string{"IT", "CH"},
	},
	"nl": {
		plus: []string{"plus"}, fillers: []string{"eh", "uhm", "nou"}, correction: []string{"nee sorry", "nee wacht"},
		extension: []string{"toestel"}, double: "dubbel",
		at: []string{"apenstaartje", "at"}, dot: []string{"punt"}, underscore: []string{"underscore", "laag streepje"},
		dash: []string{"streepje", "min", "koppelteken"}, plusSign: []string{"plus"},
		phoneFrame: []string{"mijn nummer is %s", "u kunt me bereiken op %s", "bel me terug op %s", "het is %s"},
		emailFrame: []string{"mijn e-mail is %s", "stuur het naar %s alstublieft", "het is %s", "mijn mailadres is %s"},
		regions:    []string{"NL", "BE"},
	},
	"pt": {
		plus: []string{"mais"}, fillers: []string{"é", "hum", "pronto"}, correction: []string{"não desculpe", "não espere"},
		extension: []string{"extensão"},
		at:        []string{"arroba"}, dot: []string{"ponto"}, underscore: []string{"underline", "sublinhado"},
		dash: []string{"hífen", "traço", "menos"}, plusSign: []string{"mais"},
		phoneFrame: []string{"o meu número é %s", "pode ligar-me para o %s", "é o %s obrigado", "ligue para o %s"},
		emailFrame: []string{"o meu email é %s", "envie para %s por favor", "é %s", "o meu endereço é %s"},
		regions:    []string{"PT", "BR"},
	},
}

// spell is the RBNF spell-out of n in g's language (Portuguese: the pt_PT rules).
func (g *gen) spell(n int64) string {
	return g.src.rbnf[g.lang].MustSpell("spellout-numbering", n)
}

func (g *gen) digitWord(d byte, oh bool) string {
	if d == '0' && oh && g.chance(0.5) {
		return "oh"
	}
	return g.spell(int64(d - '0'))
}

// exampleNumber takes a libphonenumber example number of region and
// replaces some trailing digits, keeping only numbers libphonenumber still
// calls valid.
func (g *gen) exampleNumber(region string) *phonenumbers.PhoneNumber {
	types := []phonenumbers.PhoneNumberType{phonenumbers.MOBILE, phonenumbers.FIXED_LINE}
	for try := 0; try < 40; try++ {
		ex := phonenumbers.GetExampleNumberForTypeInRegion(region, types[g.rng.IntN(len(types))])
		if ex == nil {
			continue
		}
		nsn := phonenumbers.GetNationalSignificantNumber(ex)
		k := min(len(nsn)-3, 3+g.rng.IntN(3))
		cand := nsn[:len(nsn)-k] + g.digits(k)
		num, err := phonenumbers.Parse("+"+strconv.Itoa(int(ex.GetCountryCode()))+cand, region)
		if err == nil && phonenumbers.IsValidNumberForRegion(num, region) {
			return num
		}
	}
	return phonenumbers.GetExampleNumber(region)
}

// groups splits a formatted number into its digit groups.
func groups(formatted string) []string {
	return strings.FieldsFunc(formatted, func(r rune) bool { return r < '0' || r > '9' })
}

// readGroup speaks one digit group in one of the styles people use.
func (g *gen) readGroup(grp string, sp speech) string {
	switch s := g.rng.IntN(10); {
	case s < 5 || len(grp) < 2: // digit by digit, with double/triple
		return g.readDigits(grp, sp)
	case s < 8: // pairs, as French and Dutch speakers read them
		var w []string
		i := 0
		if len(grp)%2 == 1 {
			w = append(w, g.digitWord(grp[0], sp.oh))
			i = 1
		}
		for ; i < len(grp); i += 2 {
			p := grp[i : i+2]
			if p[0] == '0' {
				w = append(w, g.digitWord(p[0], sp.oh), g.digitWord(p[1], sp.oh))
			} else {
				n, _ := strconv.Atoi(p)
				w = append(w, g.spell(int64(n)))
			}
		}
		return strings.Join(w, " ")
	case s < 9 && len(grp) == 3 && grp[0] != '0': // a hundreds number
		n, _ := strconv.Atoi(grp)
		return g.spell(int64(n))
	default: // written digits, as ASR often emits
		return grp
	}
}

func (g *gen) readDigits(grp string, sp speech) string {
	var w []string
	for i := 0; i < len(grp); {
		run := 1
		for i+run < len(grp) && grp[i+run] == grp[i] {
			run++
		}
		switch {
		case run >= 3 && sp.triple != "" && g.chance(0.7):
			w = append(w, sp.triple, g.digitWord(grp[i], sp.oh))
			i += 3
		case run >= 2 && sp.double != "" && g.chance(0.7):
			w = append(w, sp.double, g.digitWord(grp[i], sp.oh))
			i += 2
		default:
			w = append(w, g.digitWord(grp[i], sp.oh))
			i++
		}
	}
	return strings.Join(w, " ")
}

// joinGroups puts the spoken groups together with commas, fillers or
// spaces, and sometimes a self-correction.
func (g *gen) joinGroups(parts []string, sp speech) string {
	var b strings.Builder
	for i, p := range parts {
		if i > 0 {
			switch r := g.rng.IntN(10); {
			case r < 4:
				b.WriteString(", ")
			case r < 6:
				b.WriteString(", " + g.pick(sp.fillers) + ", ")
			case r < 7:
				b.WriteString(" " + g.pick(sp.fillers) + " ")
			default:
				b.WriteString(" ")
			}
		}
		if i > 0 && g.chance(0.08) {
			// A wrong digit, then the fix: the whole stretch is the number.
			b.WriteString(g.spell(int64(g.rng.IntN(10))) + ", " + g.pick(sp.correction) + ", ")
		}
		b.WriteString(p)
	}
	return b.String()
}

func (g *gen) spokenPhones(n int) []Case {
	sp := speechOf[g.lang]
	var out []Case
	for len(out) < n {
		region := g.pick(sp.regions)
		num := g.exampleNumber(region)
		var parts []string
		if g.chance(0.35) { // international: plus, country code, number without trunk prefix
			intl := phonenumbers.Format(num, phonenumbers.INTERNATIONAL)
			gs := groups(intl)
			cc := gs[0]
			var lead string
			switch r := g.rng.IntN(3); {
			case r == 0:
				n, _ := strconv.Atoi(cc)
				lead = g.pick(sp.plus) + " " + g.spell(int64(n))
			case r == 1:
				lead = g.pick(sp.plus) + " " + g.readDigits(cc, speech{})
			default:
				lead = g.readDigits("00", sp) + " " + g.readDigits(cc, speech{})
			}
			parts = append(parts, lead)
			for _, grp := range gs[1:] {
				parts = append(parts, g.readGroup(grp, sp))
			}
		} else {
			for _, grp := range groups(phonenumbers.Format(num, phonenumbers.NATIONAL)) {
				parts = append(parts, g.readGroup(grp, sp))
			}
		}
		spoken := g.joinGroups(parts, sp)
		frame := g.pick(sp.phoneFrame)
		before, after, _ := strings.Cut(frame, "%s")
		if g.chance(0.1) {
			// A hesitation before the number is not part of it.
			before += g.pick(sp.fillers) + " "
		}
		l := &line{}
		l.text(before).pii("PHONE_NUMBER", spoken)
		if g.chance(0.1) {
			l.text(" "+g.pick(sp.extension)+" ").pii("PHONE_NUMBER", g.readDigits(g.digits(2+g.rng.IntN(3)), sp))
		}
		l.text(after)
		out = append(out, g.done(l))
	}
	return out
}

// localPart returns an RFC 5321 dot-atom local part built from a name,
// as a list of tokens: words, digit runs and the separators . _ - +.
func (g *gen) localPart() []string {
	for {
		given, surname := g.person()
		gv := strings.ToLower(asciiFold(strings.Fields(given)[0]))
		sn := strings.ToLower(asciiFold(strings.Fields(surname)[0]))
		if !isASCIIAlpha(gv) || !isASCIIAlpha(sn) {
			continue
		}
		yy := strconv.Itoa(50 + g.rng.IntN(50))
		switch g.rng.IntN(9) {
		case 0:
			return []string{gv, ".", sn}
		case 1:
			return []string{gv, "_", sn}
		case 2:
			return []string{gv, "-", sn}
		case 3:
			return []string{gv[:1], ".", sn}
		case 4:
			return []string{gv, "+", g.pick([]string{"shop", "news", "work", "bills"})}
		case 5:
			return []string{gv, ".", sn, yy}
		case 6:
			return []string{sn, gv[:1], g.digits(1 + g.rng.IntN(3))}
		case 7:
			return []string{gv, ".", sn[:1], ".", sn}
		default:
			return []string{gv + sn}
		}
	}
}

var emailDomains = map[string][]string{
	"en": {"gmail.com", "outlook.com", "yahoo.co.uk", "btinternet.com", "icloud.com", "example.org"},
	"de": {"gmx.de", "web.de", "t-online.de", "gmail.com", "posteo.de", "example.com"},
	"fr": {"orange.fr", "free.fr", "laposte.net", "gmail.com", "sfr.fr", "example.fr"},
	"es": {"gmail.com", "hotmail.es", "yahoo.es", "telefonica.net", "example.es"},
	"it": {"libero.it", "virgilio.it", "gmail.com", "tiscali.it", "alice.it", "example.it"},
	"nl": {"ziggo.nl", "kpnmail.nl", "gmail.com", "hotmail.nl", "xs4all.nl", "example.nl"},
	"pt": {"sapo.pt", "gmail.com", "hotmail.com", "iol.pt", "example.pt", "mail.telepac.pt"},
}

// speakToken says one local-part token: a separator word, digits in words
// (one by one or as a number), a name spelled or said as a word.
func (g *gen) speakToken(tok string, sp speech) string {
	switch tok {
	case ".":
		return g.pick(sp.dot)
	case "_":
		return g.pick(sp.underscore)
	case "-":
		return g.pick(sp.dash)
	case "+":
		return g.pick(sp.plusSign)
	}
	if tok[0] >= '0' && tok[0] <= '9' {
		if len(tok) == 2 && tok[0] != '0' && g.chance(0.5) {
			n, _ := strconv.Atoi(tok)
			return g.spell(int64(n))
		}
		return g.readDigits(tok, speech{})
	}
	if len(tok) == 1 && sp.spellAs != "" && len(sp.alphabet) == 26 && g.chance(0.5) {
		// An initial spelled with the spelling alphabet: "j as in juliett".
		return tok + " " + sp.spellAs + " " + sp.alphabet[tok[0]-'a']
	}
	if len(tok) > 1 && len(tok) <= 8 && g.chance(0.2) { // spelled letter by letter
		return strings.Join(strings.Split(tok, ""), " ")
	}
	return tok
}

func (g *gen) spokenEmails(n int) []Case {
	sp := speechOf[g.lang]
	var out []Case
	for len(out) < n {
		toks := g.localPart()
		var w []string
		for _, t := range toks {
			w = append(w, g.speakToken(t, sp))
		}
		domain := g.pick(emailDomains[g.lang])
		var dom string
		if g.chance(0.2) {
			dom = domain // written domain after a spoken local part
		} else {
			labels := strings.Split(domain, ".")
			var dw []string
			for i, lb := range labels {
				if i > 0 {
					dw = append(dw, g.pick(sp.dot))
				}
				parts := strings.Split(lb, "-")
				for j, p := range parts {
					if j > 0 {
						dw = append(dw, g.pick(sp.dash))
					}
					if isDigitsOnly(p) {
						dw = append(dw, g.readDigits(p, speech{}))
					} else {
						dw = append(dw, p)
					}
				}
			}
			dom = strings.Join(dw, " ")
		}
		spoken := strings.Join(w, " ") + " " + g.pick(sp.at) + " " + dom
		out = append(out, g.frame(g.pick(sp.emailFrame), "EMAIL_ADDRESS", spoken))
	}
	return out
}

func isDigitsOnly(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
