package independent

import (
	"strconv"
	"strings"

	"github.com/nyaruka/phonenumbers/v2"
)

// The spoken challenge sets: a second, harder reading of phone numbers and
// e-mail addresses, written by a red team without looking at the
// redactor's rules. The values come from libphonenumber (numbers of every
// region where the language is spoken) and the faker lists (names); the
// number words from CLDR RBNF. Written here are only the connectives a
// speaker uses (fillers, corrections, "double", the words for at and dot),
// the national spelling alphabets (public standards: NATO/ICAO, DIN 5009,
// the French, Spanish, Italian, Dutch and Portuguese telephone alphabets)
// and the sentence frames.
//
// Compared with spoken-phone and spoken-email, every case mixes several
// axes: groups re-chunked the way a speaker does rather than as
// libphonenumber formats them, "four fifty-five" hundreds, idiomatic digit
// forms (German "zwo", Brazilian "meia"), country codes said five ways,
// trunk prefixes "(0)", fillers inside groups, self-corrections, repeats,
// numbers split over a sentence break or over two utterances of one
// speaker (one line, the utterances separated by a newline), ASR output
// (lower case, no punctuation, "to"/"for" for two/four), and harmless
// numbers next to the PII that must stay.
type talk struct {
	plus        []string // said before a country code
	zeroZero    []string // "double zero", said instead of 00
	double      []string
	triple      []string
	fillers     []string
	corrections []string // between a wrong digit and its fix
	repeat      []string // before a number said again
	ext         []string
	alt         map[byte][]string // idiomatic digit words besides RBNF's
	at          []string
	dot         []string
	underscore  []string
	dash        []string
	plusSign    []string
	spellLink   string   // "j wie Julius": letter, link, word
	alphabet    []string // spelling alphabet A..Z
	capital     string   // "capital %s": a capital letter said
	regions     []string
	phoneFrames []string
	mailFrames  []string
	then        []string // said between two halves of a number
	harmless    []string // clauses with numbers that are not PII
	brands      map[string]string
}

var talkOf = map[string]talk{
	"en": {
		plus: []string{"plus"}, zeroZero: []string{"double zero", "double oh"},
		double: []string{"double"}, triple: []string{"triple"},
		fillers:     []string{"uh", "um", "er", "uhm", "erm"},
		corrections: []string{"sorry", "no wait", "I mean", "no sorry"},
		repeat:      []string{"I'll say that again", "again that's", "so that's"},
		ext:         []string{"extension", "ext", "and then extension"},
		alt:         map[byte][]string{'0': {"oh", "o", "zero", "nought"}},
		at:          []string{"at", "at sign", "at symbol"}, dot: []string{"dot", "point"},
		underscore: []string{"underscore", "under score", "underline"}, dash: []string{"dash", "hyphen", "minus"},
		plusSign: []string{"plus"}, spellLink: "as in",
		alphabet: strings.Fields("alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar papa quebec romeo sierra tango uniform victor whiskey x-ray yankee zulu"),
		capital:  "capital %s",
		regions:  []string{"US", "GB", "IE", "AU", "NZ", "CA", "ZA", "IN", "SG"},
		phoneFrames: []string{"yeah it's %s", "ok so %s", "the best number is %s thanks", "you can get me on %s any time",
			"I'm on %s", "call %s and ask for me", "my cell %s", "right, %s, that's my work phone", "%s", "it's %s is that ok"},
		mailFrames: []string{"it's %s", "yeah %s", "the email address I use is %s", "send the invoice to %s", "%s", "try %s ok",
			"email me at %s", "my work one is %s"},
		then:     []string{"and then", "then", "and"},
		harmless: []string{"I called twice already", "I'll be home after three", "we have 2 kids", "it's about the order from the fourth", "I waited forty minutes"},
		brands:   map[string]string{"gmail": "g mail", "hotmail": "hot mail", "outlook": "out look", "icloud": "i cloud"},
	},
	"de": {
		plus: []string{"plus"}, zeroZero: []string{"doppel null", "null null"},
		double: []string{"doppel", "zweimal", "doppelt"}, triple: []string{"dreimal"},
		fillers:     []string{"äh", "ähm", "öhm", "hm", "also"},
		corrections: []string{"nein, ich meine", "Quatsch", "nee", "äh nein", "Entschuldigung"},
		repeat:      []string{"ich wiederhole", "nochmal", "also nochmal"},
		ext:         []string{"Durchwahl", "Apparat", "und dann die Durchwahl"},
		alt:         map[byte][]string{'2': {"zwo"}},
		at:          []string{"at", "ät", "Klammeraffe", "at-Zeichen"}, dot: []string{"Punkt", "punkt"},
		underscore: []string{"Unterstrich", "unterstrich", "Tiefstrich"}, dash: []string{"Bindestrich", "Minus", "Strich", "minus"},
		plusSign: []string{"plus"}, spellLink: "wie",
		alphabet: strings.Fields("Anton Berta Cäsar Dora Emil Friedrich Gustav Heinrich Ida Julius Kaufmann Ludwig Martha Nordpol Otto Paula Quelle Richard Samuel Theodor Ulrich Viktor Wilhelm Xanthippe Ypsilon Zacharias"),
		capital:  "großes %s",
		regions:  []string{"DE", "AT", "CH", "LI", "LU", "BE"},
		phoneFrames: []string{"also %s", "ja das ist die %s", "unter der %s bin ich erreichbar", "%s", "die Nummer lautet %s danke",
			"Handy %s", "meine Festnetznummer ist %s", "genau, %s, das ist meine Nummer"},
		mailFrames: []string{"also %s", "die Mail geht an %s", "meine Adresse ist %s", "%s", "schreiben Sie an %s", "das wäre %s"},
		then:       []string{"und dann", "dann", "und"},
		harmless:   []string{"ich habe schon zweimal angerufen", "ich bin ab drei Uhr zu Hause", "wir haben 2 Kinder", "es geht um die Bestellung vom vierten", "ich habe vierzig Minuten gewartet"},
		brands:     map[string]string{"gmail": "g mail", "gmx": "g m x", "web": "web", "t-online": "t online"},
	},
	"fr": {
		plus: []string{"plus"}, zeroZero: []string{"double zéro", "zéro zéro"},
		double: []string{"double"}, triple: []string{"triple"},
		fillers:     []string{"euh", "bah", "ben", "hum", "euh ben"},
		corrections: []string{"non pardon", "pardon", "enfin non", "non attendez", "je veux dire"},
		repeat:      []string{"je répète", "donc", "je vous le redis"},
		ext:         []string{"poste", "extension", "et le poste"},
		alt:         map[byte][]string{'0': {"zero"}},
		at:          []string{"arobase", "at", "arobas", "a commercial"}, dot: []string{"point"},
		underscore: []string{"tiret bas", "underscore", "tiret du huit", "under score"}, dash: []string{"tiret", "trait d'union", "moins", "tiret du six"},
		plusSign: []string{"plus"}, spellLink: "comme",
		alphabet: strings.Fields("Anatole Berthe Célestin Désiré Eugène François Gaston Henri Irma Joseph Kléber Louis Marcel Nicolas Oscar Pierre Quintal Raoul Suzanne Thérèse Ursule Victor William Xavier Yvonne Zoé"),
		capital:  "%s majuscule",
		regions:  []string{"FR", "BE", "CH", "CA", "LU", "MC", "SN", "CI", "MA"},
		phoneFrames: []string{"alors c'est le %s", "oui le %s", "%s", "vous notez %s", "mon portable %s voilà",
			"le fixe c'est le %s", "ben c'est %s", "vous pouvez m'appeler au %s après midi"},
		mailFrames: []string{"c'est %s", "alors %s", "%s", "mon mail %s", "écrivez-moi à %s", "l'adresse c'est %s voilà"},
		then:       []string{"et ensuite", "puis", "et"},
		harmless:   []string{"j'ai déjà appelé deux fois", "je suis là après trois heures", "on a 2 enfants", "c'est pour la commande du quatre", "j'ai attendu quarante minutes"},
		brands:     map[string]string{"gmail": "g mail", "hotmail": "hot mail", "laposte": "la poste", "orange": "orange"},
	},
	"es": {
		plus: []string{"más", "mas"}, zeroZero: []string{"doble cero", "cero cero"},
		double: []string{"doble"}, triple: []string{"triple"},
		fillers:     []string{"eh", "este", "ehh", "pues", "o sea"},
		corrections: []string{"perdón", "no, digo", "no perdón", "bueno no", "quiero decir"},
		repeat:      []string{"repito", "otra vez", "o sea"},
		ext:         []string{"extensión", "anexo", "interno"},
		alt:         map[byte][]string{},
		at:          []string{"arroba", "arroba"}, dot: []string{"punto"},
		underscore: []string{"guion bajo", "guión bajo", "barra baja", "subrayado"}, dash: []string{"guion", "guión", "menos", "raya"},
		plusSign: []string{"más"}, spellLink: "de",
		alphabet:    strings.Fields("Antonio Barcelona Carmen Dolores Enrique Francia Gerona Historia Inés José Kilo Lorenzo Madrid Navarra Oviedo París Querido Ramón Sábado Tarragona Ulises Valencia Washington Xilófono Yegua Zaragoza"),
		capital:     "%s mayúscula",
		regions:     []string{"ES", "MX", "AR", "CO", "CL", "PE", "VE", "US"},
		phoneFrames: []string{"sí es el %s", "apunte %s", "%s", "pues el %s", "mi celular %s", "el fijo es %s gracias", "llámeme al %s por la tarde"},
		mailFrames:  []string{"es %s", "%s", "mi correo %s", "escríbame a %s", "el email es %s gracias", "pues %s"},
		then:        []string{"y luego", "después", "y"},
		harmless:    []string{"ya llamé dos veces", "estoy en casa a partir de las tres", "tenemos 2 hijos", "es por el pedido del día cuatro", "esperé cuarenta minutos"},
		brands:      map[string]string{"gmail": "g mail", "hotmail": "hot mail", "yahoo": "yahoo"},
	},
	"it": {
		plus: []string{"più"}, zeroZero: []string{"doppio zero", "zero zero"},
		double: []string{"doppio"}, triple: []string{"triplo"},
		fillers:     []string{"ehm", "eh", "cioè", "allora", "mmh"},
		corrections: []string{"scusi", "anzi", "no scusi", "cioè no", "volevo dire"},
		repeat:      []string{"ripeto", "quindi", "di nuovo"},
		ext:         []string{"interno", "int", "e poi l'interno"},
		alt:         map[byte][]string{},
		at:          []string{"chiocciola", "at", "chiocciolina"}, dot: []string{"punto"},
		underscore: []string{"trattino basso", "underscore", "under score"}, dash: []string{"trattino", "meno", "lineetta"},
		plusSign: []string{"più"}, spellLink: "come",
		alphabet:    strings.Fields("Ancona Bologna Como Domodossola Empoli Firenze Genova Hotel Imola Jolly Kappa Livorno Milano Napoli Otranto Palermo Quarto Roma Savona Torino Udine Venezia Washington Xeres Yacht Zara"),
		capital:     "%s maiuscola",
		regions:     []string{"IT", "CH", "SM", "VA"},
		phoneFrames: []string{"allora è il %s", "sì %s", "%s", "il cellulare è %s grazie", "mi trova al %s", "segni %s", "il fisso %s"},
		mailFrames:  []string{"è %s", "%s", "la mail è %s", "mi scriva a %s", "allora %s", "l'indirizzo è %s grazie"},
		then:        []string{"e poi", "poi", "e"},
		harmless:    []string{"ho già chiamato due volte", "sono a casa dopo le tre", "abbiamo 2 figli", "è per l'ordine del quattro", "ho aspettato quaranta minuti"},
		brands:      map[string]string{"gmail": "g mail", "libero": "libero", "hotmail": "hot mail"},
	},
	"nl": {
		plus: []string{"plus"}, zeroZero: []string{"dubbel nul", "nul nul"},
		double: []string{"dubbel", "twee keer"}, triple: []string{"drie keer", "driedubbel"},
		fillers:     []string{"eh", "uhm", "ehm", "nou", "dus"},
		corrections: []string{"nee sorry", "ik bedoel", "nee wacht", "sorry", "nee"},
		repeat:      []string{"ik herhaal", "nog een keer", "dus"},
		ext:         []string{"toestel", "doorkiesnummer", "en dan toestel"},
		alt:         map[byte][]string{},
		at:          []string{"apenstaartje", "at", "at-teken", "apestaartje"}, dot: []string{"punt"},
		underscore: []string{"underscore", "laag streepje", "liggend streepje"}, dash: []string{"streepje", "min", "koppelteken", "minteken"},
		plusSign: []string{"plus"}, spellLink: "van",
		alphabet:    strings.Fields("Anton Bernard Cornelis Dirk Eduard Ferdinand Gerard Hendrik Izaak Johannes Karel Lodewijk Maria Nico Otto Pieter Quotiënt Richard Simon Theodoor Utrecht Victor Willem Xantippe Ypsilon Zacharias"),
		capital:     "hoofdletter %s",
		regions:     []string{"NL", "BE", "SR", "AW", "CW"},
		phoneFrames: []string{"ja dat is %s", "nou %s", "%s", "mijn mobiel is %s", "noteert u %s", "vast nummer %s dank u", "bel maar naar %s"},
		mailFrames:  []string{"het is %s", "%s", "mailen naar %s", "mijn adres is %s", "nou %s", "dat is %s dank u"},
		then:        []string{"en dan", "dan", "en"},
		harmless:    []string{"ik heb al twee keer gebeld", "ik ben na drie uur thuis", "we hebben 2 kinderen", "het gaat om de bestelling van de vierde", "ik heb veertig minuten gewacht"},
		brands:      map[string]string{"gmail": "g mail", "hotmail": "hot mail", "ziggo": "ziggo", "kpnmail": "kpn mail"},
	},
	"pt": {
		plus: []string{"mais"}, zeroZero: []string{"zero zero", "duplo zero"},
		double: []string{"duplo"}, triple: []string{"triplo"},
		fillers:     []string{"eh pá", "hum", "é", "pronto", "tipo"},
		corrections: []string{"desculpe", "quer dizer", "não, perdão", "aliás", "não espere"},
		repeat:      []string{"repito", "outra vez", "então"},
		ext:         []string{"extensão", "ramal", "e depois a extensão"},
		alt:         map[byte][]string{'6': {"meia"}},
		at:          []string{"arroba", "arroba"}, dot: []string{"ponto"},
		underscore: []string{"underscore", "traço baixo", "sublinhado", "underline"}, dash: []string{"hífen", "traço", "menos", "hífen"},
		plusSign: []string{"mais"}, spellLink: "de",
		alphabet:    strings.Fields("Aveiro Braga Coimbra Dafundo Évora Faro Guarda Horta Itália José Kodak Lisboa Maria Nazaré Ovar Porto Queluz Rossio Setúbal Tavira Unidade Vidago Waldemar Xavier York Zulmira"),
		capital:     "%s maiúsculo",
		regions:     []string{"PT", "BR", "AO", "MZ", "CV"},
		phoneFrames: []string{"é o %s", "então %s", "%s", "o telemóvel é %s obrigado", "anote %s", "o fixo é o %s", "pode ligar para %s à tarde"},
		mailFrames:  []string{"é %s", "%s", "o email é %s", "escreva para %s", "então %s", "o endereço é %s obrigado"},
		then:        []string{"e depois", "depois", "e"},
		harmless:    []string{"já liguei duas vezes", "estou em casa depois das três", "temos 2 filhos", "é sobre a encomenda do dia quatro", "esperei quarenta minutos"},
		brands:      map[string]string{"gmail": "g mail", "hotmail": "hot mail", "sapo": "sapo"},
	},
}

// cline builds a challenge line; asr lower-cases every piece and drops the
// punctuation a recogniser without punctuation would not write.
type cline struct {
	line
	asr bool
}

func (l *cline) put(s string, pii string) {
	if l.asr {
		s = asrText(s)
	}
	if pii == "" {
		l.text(s)
		return
	}
	l.pii(pii, strings.TrimSpace(s))
}

// asrText lower-cases s and removes commas, full stops, ellipses and
// question marks that are not inside a written token (gmail.com keeps
// its dot), then collapses spaces.
func asrText(s string) string {
	s = strings.ToLower(s)
	var b strings.Builder
	rs := []rune(s)
	for i, r := range rs {
		if r == ',' || r == '.' || r == '?' || r == '!' {
			inWord := i > 0 && i+1 < len(rs) && isAlnum(rs[i-1]) && isAlnum(rs[i+1])
			if !inWord {
				continue
			}
		}
		b.WriteRune(r)
	}
	out := b.String()
	for strings.Contains(out, "  ") {
		out = strings.ReplaceAll(out, "  ", " ")
	}
	return out
}

func capFirst(s string) string {
	r := []rune(s)
	return strings.ToUpper(string(r[:1])) + string(r[1:])
}

func isAlnum(r rune) bool { return r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r > 127 }

// cword says one digit in t's language, sometimes with an idiomatic word.
func (g *gen) cword(d byte, t talk, region string) string {
	if alts := t.alt[d]; len(alts) > 0 && g.chance(0.4) {
		w := g.pick(alts)
		if w == "meia" && region != "BR" {
			return g.spell(int64(d - '0'))
		}
		return w
	}
	return g.spell(int64(d - '0'))
}

// cdigits says a digit string one by one, with double and triple.
func (g *gen) cdigits(s string, t talk, region string) []string {
	var w []string
	for i := 0; i < len(s); {
		run := 1
		for i+run < len(s) && s[i+run] == s[i] {
			run++
		}
		switch {
		case run >= 3 && len(t.triple) > 0 && g.chance(0.5):
			w = append(w, g.pick(t.triple), g.cword(s[i], t, region))
			i += 3
		case run >= 2 && len(t.double) > 0 && g.chance(0.5):
			w = append(w, g.pick(t.double), g.cword(s[i], t, region))
			i += 2
		default:
			w = append(w, g.cword(s[i], t, region))
			i++
		}
	}
	return w
}

// cgroup says a chunk of digits in one of the ways people read them.
func (g *gen) cgroup(s string, t talk, region string) []string {
	num := func(x string) string { n, _ := strconv.Atoi(x); return g.spell(int64(n)) }
	switch r := g.rng.IntN(12); {
	case r < 4 || len(s) < 2:
		return g.cdigits(s, t, region)
	case r < 6 && len(s)%2 == 0: // pairs
		var w []string
		for i := 0; i < len(s); i += 2 {
			if s[i] == '0' {
				w = append(w, g.cdigits(s[i:i+2], t, region)...)
			} else {
				w = append(w, num(s[i:i+2]))
			}
		}
		return w
	case r < 8 && len(s) == 3 && s[1] != '0': // "four fifty-five"
		return []string{g.cword(s[0], t, region), num(s[1:])}
	case r < 9 && len(s) == 3 && s[0] != '0': // four hundred fifty-five
		return []string{num(s)}
	case r < 10 && len(s) == 4 && s[0] != '0' && s[2] != '0': // twelve thirty-four
		return []string{num(s[:2]), num(s[2:])}
	case r < 11: // written digits, or half written
		if g.chance(0.5) || len(s) < 3 {
			return []string{s}
		}
		k := 1 + g.rng.IntN(len(s)-1)
		return append([]string{s[:k]}, g.cdigits(s[k:], t, region)...)
	default: // digits with a filler inside the group
		w := g.cdigits(s, t, region)
		if len(w) > 1 {
			k := 1 + g.rng.IntN(len(w)-1)
			w = append(w[:k], append([]string{g.pick(t.fillers)}, w[k:]...)...)
		}
		return w
	}
}

// chunks re-cuts a digit string into groups of 2 to 4, as a speaker does.
func (g *gen) chunks(s string) []string {
	var out []string
	for len(s) > 0 {
		k := min(len(s), 2+g.rng.IntN(3))
		if len(s)-k == 1 {
			k++
		}
		out = append(out, s[:k])
		s = s[k:]
	}
	return out
}

// phoneGroups returns the digit groups to read: libphonenumber's grouping
// or the speaker's own, national or international.
func (g *gen) phoneGroups(num *phonenumbers.PhoneNumber, region string, t talk) (lead []string, gs []string) {
	intl := g.chance(0.4)
	if intl {
		cc := strconv.Itoa(int(num.GetCountryCode()))
		say := g.rng.IntN(6)
		if len(cc) == 3 && (say == 0 || say == 3) {
			say = 1 // nobody says "plus three hundred fifty-three"
		}
		switch say {
		case 0:
			lead = []string{g.pick(t.plus), g.spell(int64(num.GetCountryCode()))} // plus forty-nine
		case 1:
			lead = append([]string{g.pick(t.plus)}, g.cdigits(cc, talk{}, region)...) // plus four nine
		case 2:
			lead = append([]string{g.pick(t.zeroZero)}, g.cdigits(cc, talk{}, region)...) // double zero four nine
		case 3:
			lead = []string{g.spell(0), g.spell(0), g.spell(int64(num.GetCountryCode()))} // zero zero forty-nine
		case 4:
			lead = []string{"+" + cc} // written
		default:
			lead = []string{g.pick(t.plus), cc}
		}
		nsn := phonenumbers.GetNationalSignificantNumber(num)
		if ndd := phonenumbers.GetNddPrefixForRegion(region, true); ndd == "0" && g.chance(0.3) {
			if g.chance(0.5) {
				lead = append(lead, "(0)")
			} else {
				lead = append(lead, g.spell(0))
			}
		}
		if g.chance(0.5) {
			return lead, groups(phonenumbers.Format(num, phonenumbers.INTERNATIONAL))[1:]
		}
		return lead, g.chunks(nsn)
	}
	if g.chance(0.5) {
		return nil, groups(phonenumbers.Format(num, phonenumbers.NATIONAL))
	}
	return nil, g.chunks(strings.Join(groups(phonenumbers.Format(num, phonenumbers.NATIONAL)), ""))
}

// sayPhone turns groups into spoken pieces joined with commas, fillers,
// corrections and pauses.
func (g *gen) sayPhone(lead, gs []string, t talk, region string) string {
	var words []string
	words = append(words, lead...)
	for i, grp := range gs {
		w := g.cgroup(grp, t, region)
		if g.chance(0.07) { // a wrong digit, then the fix
			bad := byte('0' + g.rng.IntN(10))
			w = append([]string{g.cword(bad, t, region) + ",", g.pick(t.corrections) + ","}, w...)
		}
		if i > 0 || len(lead) > 0 {
			switch r := g.rng.IntN(12); {
			case r < 4:
				words[len(words)-1] += ","
			case r < 6:
				words = append(words, g.pick(t.fillers))
			case r < 7:
				words[len(words)-1] += ","
				words = append(words, g.pick(t.fillers)+",")
			case r < 8:
				words[len(words)-1] += "..."
			case r < 9:
				words[len(words)-1] += " -"
			}
		}
		words = append(words, w...)
	}
	return strings.Join(words, " ")
}

func (g *gen) challengePhones(n int) []Case {
	t := talkOf[g.lang]
	var out []Case
	for len(out) < n {
		region := g.pick(t.regions)
		num := g.exampleNumber(region)
		lead, gs := g.phoneGroups(num, region, t)
		l := &cline{asr: g.chance(0.3)}
		frame := g.pick(t.phoneFrames)
		before, after, _ := strings.Cut(frame, "%s")
		if g.chance(0.15) {
			l.put(g.pick(t.harmless)+". ", "")
		}
		if g.chance(0.15) {
			before += g.pick(t.fillers) + " "
		}
		l.put(before, "")
		switch r := g.rng.IntN(10); {
		case r < 1 && len(gs) >= 2: // repeat: the start, then the whole number
			first := g.sayPhone(lead, gs[:1], t, region)
			l.put(first+"... "+g.pick(t.repeat)+" "+g.sayPhone(lead, gs, t, region), "PHONE_NUMBER")
		case r < 2 && len(gs) >= 2: // split over a sentence break
			k := 1 + g.rng.IntN(len(gs)-1)
			l.put(g.sayPhone(lead, gs[:k], t, region), "PHONE_NUMBER")
			l.put(". "+capFirst(g.pick(t.then))+" ", "")
			l.put(g.sayPhone(nil, gs[k:], t, region), "PHONE_NUMBER")
		case r < 3 && len(gs) >= 2: // split over two utterances of one speaker
			k := 1 + g.rng.IntN(len(gs)-1)
			l.put(g.sayPhone(lead, gs[:k], t, region), "PHONE_NUMBER")
			l.put("\n", "")
			l.put(g.sayPhone(nil, gs[k:], t, region), "PHONE_NUMBER")
		default:
			l.put(g.sayPhone(lead, gs, t, region), "PHONE_NUMBER")
		}
		if g.chance(0.12) {
			l.put(" "+g.pick(t.ext)+" ", "")
			e := g.digits(2 + g.rng.IntN(3))
			l.put(strings.Join(g.cgroup(e, t, region), " "), "PHONE_NUMBER")
		}
		l.put(after, "")
		if g.chance(0.1) {
			l.put(". "+g.pick(t.harmless), "")
		}
		c := g.done(&l.line)
		if g.lang == "en" && l.asr {
			c = homophones(c, g)
		}
		if strings.TrimSpace(c.Text) != c.Text {
			c = trimCase(c)
		}
		out = append(out, c)
	}
	return out
}

// homophones replaces, inside the phone spans of an ASR line, "two" by
// "to" or "too" and "four" by "for", as an English recogniser writes them
// when it has no reason to expect digits. Spans are rebuilt around the
// changed words.
func homophones(c Case, g *gen) Case {
	var b strings.Builder
	var spans []Span
	pos := 0
	for _, s := range c.Spans {
		b.WriteString(c.Text[pos:s.Start])
		start := b.Len()
		ws := strings.Split(c.Text[s.Start:s.End], " ")
		for i, w := range ws {
			switch w {
			case "two":
				if g.chance(0.5) {
					ws[i] = g.pick([]string{"to", "too"})
				}
			case "four":
				if g.chance(0.5) {
					ws[i] = "for"
				}
			}
		}
		b.WriteString(strings.Join(ws, " "))
		spans = append(spans, Span{Start: start, End: b.Len(), Type: s.Type})
		pos = s.End
	}
	b.WriteString(c.Text[pos:])
	c.Text, c.Spans = b.String(), spans
	return c
}

// trimCase removes leading and trailing spaces, moving the spans.
func trimCase(c Case) Case {
	lead := len(c.Text) - len(strings.TrimLeft(c.Text, " "))
	c.Text = strings.TrimSpace(c.Text)
	for i := range c.Spans {
		c.Spans[i].Start -= lead
		c.Spans[i].End -= lead
	}
	return c
}

// challengeLocal returns local-part tokens: words (some capitalised),
// initials, digit runs, years and the separators . _ - +.
func (g *gen) challengeLocal() []string {
	for {
		given, surname := g.person()
		gv := asciiFold(strings.Fields(given)[0])
		sn := asciiFold(strings.Fields(surname)[0])
		if !isASCIIAlpha(gv) || !isASCIIAlpha(sn) {
			continue
		}
		if g.chance(0.75) {
			gv, sn = strings.ToLower(gv), strings.ToLower(sn)
		}
		year := strconv.Itoa(1950 + g.rng.IntN(60))
		sep := g.pick([]string{".", "_", "-", "."})
		switch g.rng.IntN(11) {
		case 0:
			return []string{gv, sep, sn}
		case 1:
			return []string{gv[:1], sep, sn, g.digits(2)}
		case 2:
			return []string{gv, sep, sn, sep, year}
		case 3:
			return []string{gv, "+", g.pick([]string{"newsletter", "amazon", "bank", "shop"})}
		case 4:
			return []string{sn, g.digits(1 + g.rng.IntN(4))}
		case 5:
			return []string{gv[:1], sn[:1], g.digits(3 + g.rng.IntN(3))}
		case 6:
			return []string{gv, sep, sn[:1]}
		case 7:
			return []string{"info", sep, sn}
		case 8:
			return []string{gv, year[2:]}
		case 9:
			return []string{sn, sep, gv, "+", g.digits(2)}
		default:
			return []string{gv + sn}
		}
	}
}

// sayLetters spells a word letter by letter; a capital is said, and a
// letter is sometimes given with the spelling alphabet.
func (g *gen) sayLetters(w string, t talk) []string {
	var out []string
	alpha := g.chance(0.3) && t.spellLink != ""
	hyphen := g.chance(0.15)
	for _, r := range w {
		c := string(r)
		lc := strings.ToLower(c)
		say := lc
		if c != lc && t.capital != "" {
			say = strings.Replace(t.capital, "%s", strings.ToUpper(c), 1)
		}
		if alpha && lc[0] >= 'a' && lc[0] <= 'z' && g.chance(0.5) {
			say += " " + t.spellLink + " " + t.alphabet[lc[0]-'a']
		}
		out = append(out, say)
	}
	if hyphen && !alpha {
		return []string{strings.Join(out, "-")}
	}
	return out
}

func (g *gen) sayMailWord(tok string, t talk) []string {
	switch tok {
	case ".":
		return []string{g.pick(t.dot)}
	case "_":
		return []string{g.pick(t.underscore)}
	case "-":
		return []string{g.pick(t.dash)}
	case "+":
		return []string{g.pick(t.plusSign)}
	}
	if isDigitsOnly(tok) {
		switch r := g.rng.IntN(5); {
		case r == 0 && len(tok) == 4 && tok[0] == '1':
			return []string{g.src.rbnf[g.lang].MustSpell("spellout-numbering-year", int64(mustAtoi(tok)))}
		case r == 1 && tok[0] != '0' && len(tok) <= 3:
			return []string{g.spell(int64(mustAtoi(tok)))}
		case r == 2:
			return []string{tok}
		default:
			return g.cdigits(tok, talkOf[g.lang], "")
		}
	}
	hasCap := strings.ToLower(tok) != tok
	switch r := g.rng.IntN(10); {
	case len(tok) == 1 || r < 3 || hasCap && r < 7:
		return g.sayLetters(tok, t)
	case r < 4 && len(tok) > 2:
		// said, then spelled: "smith s m i t h"
		return append([]string{strings.ToLower(tok)}, g.sayLetters(tok, t)...)
	default:
		return []string{strings.ToLower(tok)}
	}
}

// mailDomains per language: providers, and sub-domains with country TLDs.
var mailDomains = map[string][]string{
	"en": {"gmail.com", "hotmail.co.uk", "outlook.com", "icloud.com", "mail.bigpond.com.au", "xtra.co.nz", "eircom.net", "sympatico.ca", "student.uct.ac.za", "rediffmail.com"},
	"de": {"web.de", "gmx.de", "gmx.at", "t-online.de", "bluewin.ch", "gmail.com", "mail.uni-wien.ac.at", "posteo.de", "freenet.de", "pt.lu"},
	"fr": {"orange.fr", "free.fr", "gmail.com", "skynet.be", "videotron.ca", "bluewin.ch", "laposte.net", "hotmail.fr", "menara.ma", "etu.univ-lyon1.fr"},
	"es": {"gmail.com", "hotmail.es", "yahoo.com.mx", "prodigy.net.mx", "fibertel.com.ar", "movistar.cl", "une.net.co", "telefonica.net", "alumnos.unam.mx", "outlook.es"},
	"it": {"libero.it", "virgilio.it", "gmail.com", "tiscali.it", "alice.it", "pec.comune.roma.it", "studenti.unimi.it", "hotmail.it", "ticino.com", "omniway.sm"},
	"nl": {"ziggo.nl", "kpnmail.nl", "gmail.com", "telenet.be", "hotmail.com", "student.uva.nl", "xs4all.nl", "planet.nl", "sr.net", "live.nl"},
	"pt": {"sapo.pt", "gmail.com", "hotmail.com", "uol.com.br", "bol.com.br", "terra.com.br", "netcabo.pt", "campus.ul.pt", "ebonet.net", "yahoo.com.br"},
}

func (g *gen) sayDomain(d string, t talk) string {
	if g.chance(0.25) {
		return d
	}
	var w []string
	for i, lb := range strings.Split(d, ".") {
		if i > 0 {
			w = append(w, g.pick(t.dot))
		}
		if i > 0 && len(lb) <= 2 && g.chance(0.25) {
			w = append(w, strings.Join(strings.Split(lb, ""), " ")) // "d e"
			continue
		}
		if br, ok := t.brands[lb]; ok && g.chance(0.5) {
			w = append(w, br)
			continue
		}
		for j, p := range strings.Split(lb, "-") {
			if j > 0 {
				w = append(w, g.pick(t.dash))
			}
			if isDigitsOnly(p) || strings.ContainsAny(p, "0123456789") {
				var letters []string
				for _, r := range p {
					if r >= '0' && r <= '9' {
						letters = append(letters, g.spell(int64(r-'0')))
					} else {
						letters = append(letters, string(r))
					}
				}
				w = append(w, strings.Join(letters, " "))
				continue
			}
			w = append(w, p)
		}
	}
	return strings.Join(w, " ")
}

func (g *gen) challengeEmails(n int) []Case {
	t := talkOf[g.lang]
	var out []Case
	for len(out) < n {
		var w []string
		for _, tok := range g.challengeLocal() {
			w = append(w, g.sayMailWord(tok, t)...)
		}
		if len(w) > 2 && g.chance(0.12) { // a hesitation inside the address
			k := 1 + g.rng.IntN(len(w)-1)
			w = append(w[:k], append([]string{g.pick(t.fillers)}, w[k:]...)...)
		}
		local := strings.Join(w, " ")
		dom := g.sayDomain(g.pick(mailDomains[g.lang]), t)
		at := g.pick(t.at)
		l := &cline{asr: g.chance(0.3)}
		frame := g.pick(t.mailFrames)
		before, after, _ := strings.Cut(frame, "%s")
		if g.chance(0.12) {
			l.put(g.pick(t.harmless)+". ", "")
		}
		l.put(before, "")
		switch r := g.rng.IntN(10); {
		case r < 1: // the domain in a second sentence
			l.put(local, "EMAIL_ADDRESS")
			l.put(". "+capFirst(g.pick(t.then))+" ", "")
			l.put(at+" "+dom, "EMAIL_ADDRESS")
		case r < 2: // the domain in the speaker's next utterance
			l.put(local, "EMAIL_ADDRESS")
			l.put("\n", "")
			l.put(at+" "+dom, "EMAIL_ADDRESS")
		default:
			l.put(local+" "+at+" "+dom, "EMAIL_ADDRESS")
		}
		l.put(after, "")
		if g.chance(0.1) {
			l.put(". "+g.pick(t.harmless), "")
		}
		c := g.done(&l.line)
		if strings.TrimSpace(c.Text) != c.Text {
			c = trimCase(c)
		}
		out = append(out, c)
	}
	return out
}
