package main

import (
	"strings"
)

// Number words per language, written the way speech-to-text engines spell
// them out: English without hyphens ("forty nine"), French with the
// traditional hyphens ("soixante-dix-huit"), German and Dutch compounds in
// one word ("neunundvierzig", "eenentwintig").

var digitWords = map[string][10]string{
	"en": {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"},
	"de": {"null", "eins", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun"},
	"fr": {"zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf"},
	"es": {"cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve"},
	"it": {"zero", "uno", "due", "tre", "quattro", "cinque", "sei", "sette", "otto", "nove"},
	"nl": {"nul", "een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen"},
	"pt": {"zero", "um", "dois", "três", "quatro", "cinco", "seis", "sete", "oito", "nove"},
}

func cardinal(lang string, n int) string {
	switch lang {
	case "en":
		return cardEN(n)
	case "de":
		return cardDE(n)
	case "fr":
		return cardFR(n)
	case "es":
		return cardES(n)
	case "it":
		return cardIT(n)
	case "nl":
		return cardNL(n)
	case "pt":
		return cardPT(n)
	}
	panic("cardinal: unknown language " + lang)
}

var enSmall = []string{"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
	"eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"}
var enTens = []string{"", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"}

func cardEN(n int) string {
	switch {
	case n < 20:
		return enSmall[n]
	case n < 100:
		if n%10 == 0 {
			return enTens[n/10]
		}
		return enTens[n/10] + " " + enSmall[n%10]
	case n < 1000:
		s := enSmall[n/100] + " hundred"
		if n%100 != 0 {
			s += " and " + cardEN(n%100)
		}
		return s
	default:
		s := cardEN(n/1000) + " thousand"
		if r := n % 1000; r != 0 {
			if r < 100 {
				s += " and"
			}
			s += " " + cardEN(r)
		}
		return s
	}
}

var deSmall = []string{"null", "eins", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun", "zehn",
	"elf", "zwölf", "dreizehn", "vierzehn", "fünfzehn", "sechzehn", "siebzehn", "achtzehn", "neunzehn"}
var deTens = []string{"", "", "zwanzig", "dreißig", "vierzig", "fünfzig", "sechzig", "siebzig", "achtzig", "neunzig"}

func cardDE(n int) string {
	switch {
	case n < 20:
		return deSmall[n]
	case n < 100:
		if n%10 == 0 {
			return deTens[n/10]
		}
		u := deSmall[n%10]
		if n%10 == 1 {
			u = "ein"
		}
		return u + "und" + deTens[n/10]
	case n < 1000:
		h := deSmall[n/100]
		if n/100 == 1 {
			h = "ein"
		}
		s := h + "hundert"
		if n%100 != 0 {
			s += cardDE(n % 100)
		}
		return s
	default:
		t := cardDE(n / 1000)
		if n/1000 == 1 {
			t = "ein"
		}
		s := t + "tausend"
		if n%1000 != 0 {
			s += cardDE(n % 1000)
		}
		return s
	}
}

var frSmall = []string{"zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix",
	"onze", "douze", "treize", "quatorze", "quinze", "seize", "dix-sept", "dix-huit", "dix-neuf"}
var frTens = []string{"", "", "vingt", "trente", "quarante", "cinquante", "soixante"}

func cardFR(n int) string {
	switch {
	case n < 20:
		return frSmall[n]
	case n < 70:
		t, u := n/10, n%10
		switch u {
		case 0:
			return frTens[t]
		case 1:
			return frTens[t] + " et un"
		}
		return frTens[t] + "-" + frSmall[u]
	case n < 80:
		if n == 71 {
			return "soixante et onze"
		}
		return "soixante-" + frSmall[n-60]
	case n < 100:
		if n == 80 {
			return "quatre-vingts"
		}
		return "quatre-vingt-" + frSmall[n-80]
	case n < 1000:
		h, r := n/100, n%100
		s := "cent"
		if h > 1 {
			s = frSmall[h] + " cent"
			if r == 0 {
				s += "s"
			}
		}
		if r != 0 {
			s += " " + cardFR(r)
		}
		return s
	default:
		s := "mille"
		if n/1000 > 1 {
			s = cardFR(n/1000) + " mille"
		}
		if n%1000 != 0 {
			s += " " + cardFR(n%1000)
		}
		return s
	}
}

var esSmall = []string{"cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve", "diez",
	"once", "doce", "trece", "catorce", "quince", "dieciséis", "diecisiete", "dieciocho", "diecinueve",
	"veinte", "veintiuno", "veintidós", "veintitrés", "veinticuatro", "veinticinco", "veintiséis",
	"veintisiete", "veintiocho", "veintinueve"}
var esTens = []string{"", "", "", "treinta", "cuarenta", "cincuenta", "sesenta", "setenta", "ochenta", "noventa"}
var esHundreds = []string{"", "ciento", "doscientos", "trescientos", "cuatrocientos", "quinientos",
	"seiscientos", "setecientos", "ochocientos", "novecientos"}

func cardES(n int) string {
	switch {
	case n < 30:
		return esSmall[n]
	case n < 100:
		if n%10 == 0 {
			return esTens[n/10]
		}
		return esTens[n/10] + " y " + esSmall[n%10]
	case n < 1000:
		if n == 100 {
			return "cien"
		}
		s := esHundreds[n/100]
		if n%100 != 0 {
			s += " " + cardES(n%100)
		}
		return s
	default:
		s := "mil"
		if n/1000 > 1 {
			s = cardES(n/1000) + " mil"
		}
		if n%1000 != 0 {
			s += " " + cardES(n%1000)
		}
		return s
	}
}

var itSmall = []string{"zero", "uno", "due", "tre", "quattro", "cinque", "sei", "sette", "otto", "nove", "dieci",
	"undici", "dodici", "tredici", "quattordici", "quindici", "sedici", "diciassette", "diciotto", "diciannove"}
var itTens = []string{"", "", "venti", "trenta", "quaranta", "cinquanta", "sessanta", "settanta", "ottanta", "novanta"}

func cardIT(n int) string {
	switch {
	case n < 20:
		return itSmall[n]
	case n < 100:
		t, u := itTens[n/10], n%10
		switch u {
		case 0:
			return t
		case 1, 8: // ventuno, ventotto: the tens word drops its vowel
			return t[:len(t)-1] + itSmall[u]
		case 3:
			return t + "tré"
		}
		return t + itSmall[u]
	case n < 1000:
		h := "cento"
		if n/100 > 1 {
			h = itSmall[n/100] + "cento"
		}
		r := n % 100
		if r == 0 {
			return h
		}
		if r/10 == 8 { // centottanta
			h = h[:len(h)-1]
		}
		return h + cardIT(r)
	default:
		s := "mille"
		if n/1000 > 1 {
			s = cardIT(n/1000) + "mila"
		}
		if n%1000 != 0 {
			s += cardIT(n % 1000)
		}
		return s
	}
}

var nlSmall = []string{"nul", "een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen", "tien",
	"elf", "twaalf", "dertien", "veertien", "vijftien", "zestien", "zeventien", "achttien", "negentien"}
var nlTens = []string{"", "", "twintig", "dertig", "veertig", "vijftig", "zestig", "zeventig", "tachtig", "negentig"}

func cardNL(n int) string {
	switch {
	case n < 20:
		return nlSmall[n]
	case n < 100:
		if n%10 == 0 {
			return nlTens[n/10]
		}
		u := nlSmall[n%10]
		and := "en"
		if strings.HasSuffix(u, "e") { // tweeëntwintig, drieëntwintig
			and = "ën"
		}
		return u + and + nlTens[n/10]
	case n < 1000:
		s := "honderd"
		if n/100 > 1 {
			s = nlSmall[n/100] + "honderd"
		}
		if n%100 != 0 {
			s += cardNL(n % 100)
		}
		return s
	default:
		s := "duizend"
		if n/1000 > 1 {
			s = cardNL(n/1000) + "duizend"
		}
		if n%1000 != 0 {
			s += cardNL(n % 1000)
		}
		return s
	}
}

var ptSmall = []string{"zero", "um", "dois", "três", "quatro", "cinco", "seis", "sete", "oito", "nove", "dez",
	"onze", "doze", "treze", "catorze", "quinze", "dezasseis", "dezassete", "dezoito", "dezanove"}
var ptTens = []string{"", "", "vinte", "trinta", "quarenta", "cinquenta", "sessenta", "setenta", "oitenta", "noventa"}
var ptHundreds = []string{"", "cento", "duzentos", "trezentos", "quatrocentos", "quinhentos", "seiscentos",
	"setecentos", "oitocentos", "novecentos"}

func cardPT(n int) string {
	switch {
	case n < 20:
		return ptSmall[n]
	case n < 100:
		if n%10 == 0 {
			return ptTens[n/10]
		}
		return ptTens[n/10] + " e " + ptSmall[n%10]
	case n < 1000:
		if n == 100 {
			return "cem"
		}
		s := ptHundreds[n/100]
		if n%100 != 0 {
			s += " e " + cardPT(n%100)
		}
		return s
	default:
		s := "mil"
		if n/1000 > 1 {
			s = cardPT(n/1000) + " mil"
		}
		if r := n % 1000; r != 0 {
			if r < 100 || r%100 == 0 {
				s += " e"
			}
			s += " " + cardPT(r)
		}
		return s
	}
}

// yearWords says a year the way people say it in each language.
func yearWords(lang string, y int, alt bool) string {
	switch lang {
	case "en":
		if y >= 2000 && y < 2010 {
			return "two thousand and " + enSmall[y%10]
		}
		if y%100 < 10 {
			return cardEN(y/100) + " oh " + enSmall[y%10]
		}
		return cardEN(y/100) + " " + cardEN(y%100)
	case "de":
		if y >= 2000 {
			return cardDE(y)
		}
		s := cardDE(y/100) + "hundert"
		if y%100 != 0 {
			s += cardDE(y % 100)
		}
		return s
	case "fr":
		if alt && y < 2000 { // "dix-neuf cent quatre-vingt-cinq"
			return cardFR(y/100) + " cent " + cardFR(y%100)
		}
		return cardFR(y)
	case "nl":
		if y >= 2000 {
			return cardNL(y)
		}
		s := cardNL(y/100) + "honderd"
		if y%100 != 0 {
			s += cardNL(y % 100)
		}
		return s
	}
	return cardinal(lang, y)
}

// spokenDigits spells a digit string digit by digit.
func spokenDigits(lang, digits string) []string {
	w := digitWords[lang]
	out := make([]string, 0, len(digits))
	for _, c := range digits {
		out = append(out, w[c-'0'])
	}
	return out
}
