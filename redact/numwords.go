package redact

import (
	"strconv"
	"strings"
)

// numKind says how a number word combines with its neighbours.
type numKind uint8

const (
	nkUnit     numKind = iota + 1 // 0-9
	nkTeen                        // 10-19
	nkTens                        // 20, 30, ... 90: may take a unit after it
	nkFull                        // a complete number in one word ("neunundvierzig", "veintiuno", "1985" as a word)
	nkHundred                     // "hundred": multiplies a unit before it
	nkHundreds                    // a complete hundred ("doscientos", "cento"): may take 1-99 after it
	nkThousand                    // "thousand"/"mil": may take a rest after it
	nkRepeat                      // "double", "triple": repeats the next digit
	nkOh                          // English "oh": a zero, but only inside a run of digits
	nkUnitMult                    // German "ein": a unit only before hundert/tausend
)

type numWord struct {
	kind numKind
	val  int
	// digits is set for nkFull: the exact digit string ("1985", "049" never
	// occurs: leading zeros only come from unit words).
	digits string
}

// numTable is one language's number vocabulary, keyed by folded token.
type numTable struct {
	lang  string
	words map[string]numWord
	// conn are the words joining tens and units or hundreds and the rest
	// ("y" in "treinta y cuatro", "e" in "trinta e quatro", "and", "et").
	conn map[string]bool
	// fillers may appear inside a spoken number without breaking it.
	fillers map[string]bool
	// corrections are the words of a self-correction inside a spoken
	// number ("no sorry", "nein Moment", "non pardon"): what was said just
	// before them is taken back.
	corrections map[string]bool
	// dots are the spoken "dot" of IP addresses and emails.
	dots map[string]bool
	// plus words start an international number ("plus", "más", "più").
	plus map[string]bool
	// letters are the spoken names of letters used when spelling IDs
	// ("equis" = X, "zeta" = Z, "erre" = R).
	letters map[string]byte
	// then are words that carry a dictated number over a pause or a
	// sentence break ("... four. And then five six").
	then map[string]bool
	// repeats are phrases (folded words) a speaker says before reading a
	// number again ("I'll say that again", "ich wiederhole"): what was said
	// before them is taken back.
	repeats [][]string
	// homophones are words a recogniser writes for digit words when it
	// does not expect digits ("to", "for"); they count only between two
	// numbers.
	homophones map[string]string
	// times is Dutch "keer" in "twee keer vijf": a 2 or 3 before it
	// repeats the next digit.
	times map[string]bool
	// frenchEighty enables "quatre-vingt(s)" = 80 and "soixante-dix" = 70.
	frenchEighty bool
	// unitFirst marks languages that say the unit before the tens
	// ("einundzwanzig", "eenentwintig"), so a tens word never takes a
	// unit after it.
	unitFirst bool
}

func set(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		for _, f := range foldPhrase(w) {
			m[f] = true
		}
	}
	return m
}

// phrases folds each phrase into its words, as tokenize splits them
// (the apostrophe of "i'll" is a token of its own and is skipped).
func phrases(ps ...string) [][]string {
	var out [][]string
	for _, p := range ps {
		var ws []string
		for _, w := range strings.FieldsFunc(p, func(r rune) bool { return r == ' ' || r == '\'' }) {
			ws = append(ws, fold(w))
		}
		out = append(out, ws)
	}
	return out
}

func (t *numTable) add(word string, w numWord) {
	f := fold(word)
	if _, dup := t.words[f]; dup {
		return // the first, plainer meaning wins ("un" stays a unit)
	}
	t.words[f] = w
}

func (t *numTable) full(word string, v int) {
	t.add(word, numWord{kind: nkFull, val: v, digits: strconv.Itoa(v)})
}

func units(t *numTable, names []string) {
	for v, n := range names {
		if n != "" {
			t.add(n, numWord{kind: nkUnit, val: v})
		}
	}
}

func teens(t *numTable, names []string) {
	for i, n := range names {
		if n != "" {
			t.add(n, numWord{kind: nkTeen, val: 10 + i})
		}
	}
}

func tens(t *numTable, names []string) {
	for i, n := range names {
		if n != "" {
			t.add(n, numWord{kind: nkTens, val: 20 + 10*i})
		}
	}
}

// oneWordBelow100 lists every spelling of 1..99 written as one word, for
// languages that glue compounds together (German, Dutch, Italian); used to
// generate hundreds and years written as one word.
type spelled struct {
	word string
	val  int
}

// newNumTable builds the number vocabulary of a language. The tables are
// generated rather than listed so compounds ("neunundvierzig",
// "eenentwintig", "ventotto", "neunzehnhundertfünfundachtzig") are all
// present.
func newNumTable(lang string) *numTable {
	t := &numTable{lang: lang, words: map[string]numWord{}}
	switch lang {
	case "en":
		units(t, []string{"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"})
		t.add("nought", numWord{kind: nkUnit, val: 0})
		t.add("oh", numWord{kind: nkOh})
		t.add("o", numWord{kind: nkOh})
		teens(t, []string{"ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"})
		tens(t, []string{"twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"})
		t.add("fourty", numWord{kind: nkTens, val: 40})
		t.add("hundred", numWord{kind: nkHundred, val: 100})
		t.add("thousand", numWord{kind: nkThousand, val: 1000})
		t.add("double", numWord{kind: nkRepeat, val: 2})
		t.add("triple", numWord{kind: nkRepeat, val: 3})
		t.conn = set("and")
		t.fillers = set("uh", "um", "uhm", "er", "erm", "ah", "hmm", "mm", "so", "like", "okay", "ok", "sorry", "uhh", "umm", "hm", "eh", "mhm")
		t.corrections = set("no", "sorry", "i", "mean", "meant", "wait", "actually", "rather", "correction")
		t.then = set("then", "and")
		t.repeats = phrases("i'll say that again", "i will say that again", "again that's", "so that's", "that's", "i repeat", "again")
		t.homophones = map[string]string{"to": "2", "too": "2", "for": "4"}
		t.dots = set("dot", "point")
		t.plus = set("plus")
	case "de":
		u := []string{"null", "eins", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun"}
		units(t, u)
		t.add("zwo", numWord{kind: nkUnit, val: 2})
		t.add("ein", numWord{kind: nkUnitMult, val: 1})
		teens(t, []string{"zehn", "elf", "zwölf", "dreizehn", "vierzehn", "fünfzehn", "sechzehn", "siebzehn", "achtzehn", "neunzehn"})
		tn := []string{"zwanzig", "dreißig", "vierzig", "fünfzig", "sechzig", "siebzig", "achtzig", "neunzig"}
		tens(t, tn)
		t.add("dreissig", numWord{kind: nkTens, val: 30})
		glued(t, []string{"", "ein", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun"}, u,
			[]string{"zehn", "elf", "zwölf", "dreizehn", "vierzehn", "fünfzehn", "sechzehn", "siebzehn", "achtzehn", "neunzehn"},
			tn, "und", "hundert", "tausend", []string{"ein", "zwei"})
		t.add("hundert", numWord{kind: nkHundred, val: 100})
		t.add("tausend", numWord{kind: nkThousand, val: 1000})
		t.add("doppel", numWord{kind: nkRepeat, val: 2})
		t.add("doppelt", numWord{kind: nkRepeat, val: 2})
		t.add("zweimal", numWord{kind: nkRepeat, val: 2})
		t.add("dreimal", numWord{kind: nkRepeat, val: 3})
		t.conn = set("und")
		t.unitFirst = true
		t.fillers = set("äh", "ähm", "öh", "öhm", "hm", "hmm", "ähh", "ehm", "mhm", "halt", "also", "genau", "ja", "moment")
		t.corrections = set("nein", "moment", "sorry", "pardon", "quatsch", "korrektur", "ich", "meine", "warte", "vielmehr", "entschuldigung", "nee")
		t.then = set("dann", "und")
		t.repeats = phrases("ich wiederhole", "also nochmal", "nochmal", "noch mal", "noch einmal")
		t.dots = set("punkt")
		t.plus = set("plus")
	case "nl":
		u := []string{"nul", "een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen"}
		units(t, u)
		t.add("één", numWord{kind: nkUnit, val: 1})
		te := []string{"tien", "elf", "twaalf", "dertien", "veertien", "vijftien", "zestien", "zeventien", "achttien", "negentien"}
		teens(t, te)
		tn := []string{"twintig", "dertig", "veertig", "vijftig", "zestig", "zeventig", "tachtig", "negentig"}
		tens(t, tn)
		// Dutch writes 22 as "tweeëntwintig": the diaeresis folds away.
		glued(t, []string{"", "een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen"}, u, te, tn, "en", "honderd", "duizend", []string{"een", "twee"})
		t.add("honderd", numWord{kind: nkHundred, val: 100})
		t.add("duizend", numWord{kind: nkThousand, val: 1000})
		t.add("dubbel", numWord{kind: nkRepeat, val: 2})
		t.add("dubbele", numWord{kind: nkRepeat, val: 2})
		t.add("driedubbel", numWord{kind: nkRepeat, val: 3})
		t.times = set("keer", "maal")
		t.conn = set("en")
		t.unitFirst = true
		t.fillers = set("eh", "ehm", "uh", "uhm", "hm", "hmm", "eeh", "nou", "dus", "even", "ja")
		t.corrections = set("nee", "sorry", "wacht", "pardon", "ik", "bedoel", "correctie")
		t.then = set("dan", "en")
		t.repeats = phrases("ik herhaal", "nog een keer", "nog eens", "nogmaals")
		t.dots = set("punt")
		t.plus = set("plus")
	case "fr":
		units(t, []string{"zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf"})
		teens(t, []string{"dix", "onze", "douze", "treize", "quatorze", "quinze", "seize"})
		tens(t, []string{"vingt", "trente", "quarante", "cinquante", "soixante"})
		t.add("vingts", numWord{kind: nkTens, val: 20})
		t.add("septante", numWord{kind: nkTens, val: 70})
		t.add("huitante", numWord{kind: nkTens, val: 80})
		t.add("octante", numWord{kind: nkTens, val: 80})
		t.add("nonante", numWord{kind: nkTens, val: 90})
		t.add("cent", numWord{kind: nkHundred, val: 100})
		t.add("cents", numWord{kind: nkHundred, val: 100})
		t.add("mille", numWord{kind: nkThousand, val: 1000})
		t.add("mil", numWord{kind: nkThousand, val: 1000})
		t.add("double", numWord{kind: nkRepeat, val: 2})
		t.add("triple", numWord{kind: nkRepeat, val: 3})
		t.frenchEighty = true
		t.conn = set("et")
		t.fillers = set("euh", "heu", "hum", "bah", "hein", "ben", "bon", "alors", "donc", "voilà", "attendez")
		t.corrections = set("non", "pardon", "attendez", "plutôt", "je", "veux", "dire", "désolé", "excusez", "enfin")
		t.then = set("ensuite", "puis", "et")
		t.repeats = phrases("je répète", "je vous le redis", "je redis", "je vous le répète", "donc")
		t.dots = set("point")
		t.plus = set("plus")
	case "es":
		units(t, []string{"cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve"})
		t.add("un", numWord{kind: nkUnit, val: 1})
		teens(t, []string{"diez", "once", "doce", "trece", "catorce", "quince", "dieciséis", "diecisiete", "dieciocho", "diecinueve"})
		tens(t, []string{"veinte", "treinta", "cuarenta", "cincuenta", "sesenta", "setenta", "ochenta", "noventa"})
		for i, w := range []string{"veintiuno", "veintidós", "veintitrés", "veinticuatro", "veinticinco", "veintiséis", "veintisiete", "veintiocho", "veintinueve"} {
			t.full(w, 21+i)
		}
		t.full("veintiún", 21)
		hundreds(t, map[string]int{"cien": 100, "ciento": 100, "doscientos": 200, "doscientas": 200, "trescientos": 300, "trescientas": 300,
			"cuatrocientos": 400, "cuatrocientas": 400, "quinientos": 500, "quinientas": 500, "seiscientos": 600, "seiscientas": 600,
			"setecientos": 700, "setecientas": 700, "ochocientos": 800, "ochocientas": 800, "novecientos": 900, "novecientas": 900})
		t.add("mil", numWord{kind: nkThousand, val: 1000})
		t.add("doble", numWord{kind: nkRepeat, val: 2})
		t.add("triple", numWord{kind: nkRepeat, val: 3})
		t.conn = set("y")
		t.fillers = set("eh", "em", "ehm", "mmm", "este", "pues", "bueno", "vale", "espere", "ehh", "mm", "sea")
		t.corrections = set("no", "perdón", "perdone", "espere", "mejor", "dicho", "digo", "quiero", "decir", "perdona")
		t.then = set("luego", "después", "y")
		t.repeats = phrases("repito", "otra vez", "o sea")
		t.dots = set("punto")
		t.plus = set("más", "mas")
	case "pt":
		units(t, []string{"zero", "um", "dois", "três", "quatro", "cinco", "seis", "sete", "oito", "nove"})
		t.add("uma", numWord{kind: nkUnit, val: 1})
		t.add("duas", numWord{kind: nkUnit, val: 2})
		// Brazilian callers say "meia" (half a dozen) for six.
		t.add("meia", numWord{kind: nkUnit, val: 6})
		teens(t, []string{"dez", "onze", "doze", "treze", "catorze", "quinze", "dezasseis", "dezassete", "dezoito", "dezanove"})
		for w, v := range map[string]int{"quatorze": 14, "dezesseis": 16, "dezessete": 17, "dezenove": 19} {
			t.add(w, numWord{kind: nkTeen, val: v})
		}
		tens(t, []string{"vinte", "trinta", "quarenta", "cinquenta", "sessenta", "setenta", "oitenta", "noventa"})
		hundreds(t, map[string]int{"cem": 100, "cento": 100, "duzentos": 200, "duzentas": 200, "trezentos": 300, "trezentas": 300,
			"quatrocentos": 400, "quatrocentas": 400, "quinhentos": 500, "quinhentas": 500, "seiscentos": 600, "seiscentas": 600,
			"setecentos": 700, "setecentas": 700, "oitocentos": 800, "oitocentas": 800, "novecentos": 900, "novecentas": 900})
		t.add("mil", numWord{kind: nkThousand, val: 1000})
		t.add("duplo", numWord{kind: nkRepeat, val: 2})
		t.add("triplo", numWord{kind: nkRepeat, val: 3})
		t.conn = set("e")
		t.fillers = set("é", "eh", "hum", "ahn", "ãh", "hã", "tipo", "pronto", "bem", "então", "espere", "pá")
		t.corrections = set("não", "desculpe", "desculpa", "perdão", "espere", "aliás", "quer", "dizer", "quero")
		t.then = set("depois", "e")
		t.repeats = phrases("repito", "outra vez", "de novo", "então")
		t.dots = set("ponto")
		t.plus = set("mais")
	case "it":
		u := []string{"zero", "uno", "due", "tre", "quattro", "cinque", "sei", "sette", "otto", "nove"}
		units(t, u)
		t.add("un", numWord{kind: nkUnit, val: 1})
		te := []string{"dieci", "undici", "dodici", "tredici", "quattordici", "quindici", "sedici", "diciassette", "diciotto", "diciannove"}
		teens(t, te)
		tn := []string{"venti", "trenta", "quaranta", "cinquanta", "sessanta", "settanta", "ottanta", "novanta"}
		tens(t, tn)
		italianGlued(t, u, te, tn)
		t.add("cento", numWord{kind: nkHundreds, val: 100})
		t.add("mille", numWord{kind: nkThousand, val: 1000})
		t.add("doppio", numWord{kind: nkRepeat, val: 2})
		t.add("triplo", numWord{kind: nkRepeat, val: 3})
		t.conn = map[string]bool{}
		t.fillers = set("ehm", "eh", "uhm", "mmm", "cioè", "allora", "dunque", "ecco", "aspetti", "mmh", "mm")
		t.corrections = set("no", "scusi", "scusa", "anzi", "aspetti", "volevo", "dire", "pardon")
		t.then = set("poi", "e")
		t.repeats = phrases("ripeto", "di nuovo", "quindi")
		t.dots = set("punto")
		t.plus = set("più")
	}
	t.letters = letterNames[lang]
	return t
}

// letterNames are the names of letters as callers spell them, per
// language. Single letters ("x", "z") need no entry.
var letterNames = map[string]map[string]byte{
	"en": {"alpha": 'A', "bravo": 'B', "charlie": 'C', "delta": 'D', "echo": 'E', "foxtrot": 'F', "golf": 'G',
		"hotel": 'H', "india": 'I', "juliet": 'J', "kilo": 'K', "lima": 'L', "mike": 'M', "november": 'N', "oscar": 'O',
		"papa": 'P', "quebec": 'Q', "romeo": 'R', "sierra": 'S', "tango": 'T', "uniform": 'U', "victor": 'V',
		"whiskey": 'W', "xray": 'X', "yankee": 'Y', "zulu": 'Z', "zed": 'Z', "zee": 'Z', "double u": 'W'},
	"es": {"be": 'B', "ce": 'C', "de": 'D', "efe": 'F', "ge": 'G', "hache": 'H', "jota": 'J', "ka": 'K', "ele": 'L',
		"eme": 'M', "ene": 'N', "pe": 'P', "cu": 'Q', "erre": 'R', "ese": 'S', "te": 'T', "uve": 'V', "equis": 'X',
		"ye": 'Y', "zeta": 'Z'},
	"pt": {"be": 'B', "ce": 'C', "de": 'D', "efe": 'F', "ge": 'G', "aga": 'H', "jota": 'J', "capa": 'K', "ca": 'K',
		"ele": 'L', "eme": 'M', "ene": 'N', "pe": 'P', "que": 'Q', "erre": 'R', "esse": 'S', "te": 'T', "ve": 'V',
		"xis": 'X', "ipsilon": 'Y', "ze": 'Z'},
	"it": {"bi": 'B', "ci": 'C', "di": 'D', "effe": 'F', "gi": 'G', "acca": 'H', "elle": 'L', "emme": 'M', "enne": 'N',
		"pi": 'P', "cu": 'Q', "erre": 'R', "esse": 'S', "ti": 'T', "vu": 'V', "vi": 'V', "ics": 'X', "ipsilon": 'Y',
		"zeta": 'Z', "kappa": 'K'},
	"fr": {"be": 'B', "ce": 'C', "de": 'D', "effe": 'F', "ge": 'G', "ache": 'H', "ji": 'J', "ka": 'K', "elle": 'L',
		"emme": 'M', "enne": 'N', "pe": 'P', "qu": 'Q', "erre": 'R', "esse": 'S', "te": 'T', "ve": 'V', "ixe": 'X',
		"zede": 'Z'},
	"de": {"be": 'B', "ce": 'C', "de": 'D', "ef": 'F', "ge": 'G', "ha": 'H', "jot": 'J', "ka": 'K', "el": 'L',
		"em": 'M', "en": 'N', "pe": 'P', "ku": 'Q', "er": 'R', "es": 'S', "te": 'T', "vau": 'V', "we": 'W', "ix": 'X',
		"ypsilon": 'Y', "zett": 'Z'},
	"nl": {"bee": 'B', "cee": 'C', "dee": 'D', "ef": 'F', "gee": 'G', "ha": 'H', "jee": 'J', "ka": 'K', "el": 'L',
		"em": 'M', "en": 'N', "pee": 'P', "ku": 'Q', "er": 'R', "es": 'S', "tee": 'T', "vee": 'V', "wee": 'W', "iks": 'X',
		"zet": 'Z'},
}

func hundreds(t *numTable, m map[string]int) {
	for w, v := range m {
		t.add(w, numWord{kind: nkHundreds, val: v})
	}
}

// glued adds the one-word compounds of German and Dutch: unit+"und"+tens
// (49 "neunundvierzig"), X+"hundert"+rest (312 "dreihundertzwölf", 1985
// "neunzehnhundertfünfundachtzig") and "zweitausend"+rest (2024).
func glued(t *numTable, unitPrefix, unit, teen, tensW []string, and, hundred, thousand string, thousandPrefix []string) {
	var below []spelled // 1..99 as single words
	for v := 1; v <= 9; v++ {
		below = append(below, spelled{unit[v], v})
	}
	for i, w := range teen {
		below = append(below, spelled{w, 10 + i})
	}
	for i, tw := range tensW {
		below = append(below, spelled{tw, 20 + 10*i})
		for u := 1; u <= 9; u++ {
			w := unitPrefix[u] + and + tw
			t.full(w, 20+10*i+u)
			below = append(below, spelled{w, 20 + 10*i + u})
		}
	}
	if t.lang == "de" {
		t.full("dreissig", 30)
		for u := 1; u <= 9; u++ {
			w := unitPrefix[u] + and + "dreissig"
			t.full(w, 30+u)
			below = append(below, spelled{w, 30 + u})
		}
	}
	// Hundreds: "hundert", "einhundert", "zweihundert" ... and with teens
	// "neunzehnhundert" for years.
	type h struct {
		word string
		val  int
	}
	var hs []h
	for u := 1; u <= 9; u++ {
		hs = append(hs, h{unitPrefix[u] + hundred, u * 100})
	}
	for i, w := range teen {
		hs = append(hs, h{w + hundred, (10 + i) * 100})
	}
	for _, x := range hs {
		if x.word != hundred {
			t.full(x.word, x.val)
		}
		for _, b := range below {
			t.full(x.word+b.word, x.val+b.val)
			if t.lang == "de" {
				t.full(x.word+"und"+b.word, x.val+b.val)
			}
		}
	}
	for _, b := range below {
		t.full(hundred+b.word, 100+b.val)
	}
	for k, p := range thousandPrefix {
		base := (k + 1) * 1000
		t.full(p+thousand, base)
		for _, b := range below {
			t.full(p+thousand+b.word, base+b.val)
			if t.lang == "de" {
				t.full(p+thousand+"und"+b.word, base+b.val)
			}
		}
	}
}

// italianGlued adds Italian compounds: "ventuno", "trentotto" (the tens
// word loses its vowel before uno/otto), "ventitré", "centoventi",
// "millenovecentottantacinque", "duemilaventiquattro".
func italianGlued(t *numTable, unit, teen, tensW []string) {
	var below []spelled
	for v := 1; v <= 9; v++ {
		below = append(below, spelled{unit[v], v})
	}
	for i, w := range teen {
		below = append(below, spelled{w, 10 + i})
	}
	for i, tw := range tensW {
		below = append(below, spelled{tw, 20 + 10*i})
		for u := 1; u <= 9; u++ {
			uw := unit[u]
			w := tw + uw
			if u == 1 || u == 8 {
				w = tw[:len(tw)-1] + uw
			}
			if u == 3 {
				w = tw + "tré"
				t.full(tw+"tre", 20+10*i+u)
			}
			t.full(w, 20+10*i+u)
			below = append(below, spelled{w, 20 + 10*i + u})
		}
	}
	var hs []spelled
	for u := 1; u <= 9; u++ {
		p := unit[u]
		if u == 1 {
			p = ""
		}
		hs = append(hs, spelled{p + "cento", u * 100})
	}
	withRest := func(prefix string, base int) {
		t.full(prefix, base)
		for _, b := range below {
			w := prefix + b.word
			// "cento" + "otto"/"ottanta" elides the o: "centotto".
			if prefix[len(prefix)-1] == 'o' && b.word[0] == 'o' {
				w = prefix[:len(prefix)-1] + b.word
			}
			t.full(w, base+b.val)
		}
	}
	for _, x := range hs {
		if x.val != 100 {
			withRest(x.word, x.val)
		} else {
			for _, b := range below {
				w := "cento" + b.word
				if b.word[0] == 'o' {
					w = "cent" + b.word
				}
				t.full(w, 100+b.val)
			}
		}
	}
	for _, th := range []spelled{{"mille", 1000}, {"duemila", 2000}} {
		withRest(th.word, th.val)
		for _, x := range hs {
			withRest(th.word+x.word, th.val+x.val)
		}
	}
}
