package main

import (
	"fmt"
	"strconv"
	"strings"
)

// Harmless numbers: the values that fill negative lines (and the non-PII
// parts of positive ones). They are the numbers a precise redactor must
// leave alone: prices, times, quantities, durations, years, percentages,
// versions, order numbers with failing checksums, room numbers, dates
// that are not birth dates.

func (g *gen) num(n int) string {
	if g.chance(0.5) {
		return strconv.Itoa(n)
	}
	return cardinal(g.l.code, n)
}

func (g *gen) priceSlot() []part {
	lang := g.l.code
	units := 2 + g.r.IntN(300)
	cents := []int{99, 95, 50, 49, 90, 0}[g.r.IntN(6)]
	c := cardinal(lang, cents)
	u := cardinal(lang, units)
	written := fmt.Sprintf("%d,%02d", units, cents)
	if lang == "en" {
		written = fmt.Sprintf("%d.%02d", units, cents)
	}
	// Currency word, and the word joining units and cents ("euros con").
	cur := map[string]string{"en": g.pick([]string{"pounds", "dollars"}), "de": "Euro", "fr": "euros",
		"es": "euros", "it": "euro", "nl": "euro", "pt": "euros"}[lang]
	join := map[string]string{"es": " con ", "it": " e ", "pt": " e "}[lang]
	if join == "" {
		join = " "
	}
	suffix := ""
	if lang == "pt" {
		suffix = " cêntimos"
	}
	switch k := g.r.IntN(3); {
	case k == 0:
		if lang == "en" {
			return val(map[string]string{"pounds": "£", "dollars": "$"}[cur] + written)
		}
		return val(written + " " + cur)
	case k == 1 && cents != 0: // "forty nine ninety nine"
		return val(u + join + c)
	case cents == 0:
		return val(u + " " + cur)
	default:
		return val(u + " " + cur + join + c + suffix)
	}
}

// timeSlot renders a time of day without its preposition or article; the
// templates carry "at", "um", "à", "a las", "alle", "om", "às".
func (g *gen) timeSlot() []part {
	lang := g.l.code
	h := 2 + g.r.IntN(10) // 2..11, avoids "one"/"la una"/"all'una"
	m := []int{0, 15, 30, 45, 10, 20}[g.r.IntN(6)]
	h24 := h + 12*g.r.IntN(2)
	if h24 > 20 {
		h24 -= 12
	}
	next := h%12 + 1
	k := g.r.IntN(3)
	switch lang {
	case "en":
		switch k {
		case 0:
			return val(fmt.Sprintf("%d:%02d", h, m))
		case 1:
			return val(map[int]string{0: cardEN(h) + " o'clock", 15: "quarter past " + cardEN(h), 30: "half past " + cardEN(h),
				45: "quarter to " + cardEN(next), 10: "ten past " + cardEN(h), 20: "twenty past " + cardEN(h)}[m])
		}
		if m == 0 {
			return val(cardEN(h) + " " + g.pick([]string{"a m", "p m", "in the morning", "in the afternoon"}))
		}
		return val(cardEN(h) + " " + cardEN(m))
	case "de":
		switch k {
		case 0:
			return val(fmt.Sprintf("%d:%02d Uhr", h24, m))
		case 1:
			return val(map[int]string{0: cardDE(h) + " Uhr", 15: "Viertel nach " + cardDE(h), 30: "halb " + cardDE(next),
				45: "Viertel vor " + cardDE(next), 10: "zehn nach " + cardDE(h), 20: "zwanzig nach " + cardDE(h)}[m])
		}
		s := cardDE(h24) + " Uhr"
		if m != 0 {
			s += " " + cardDE(m)
		}
		return val(s)
	case "fr":
		switch k {
		case 0:
			return val(fmt.Sprintf("%dh%02d", h24, m))
		case 1:
			return val(map[int]string{0: cardFR(h) + " heures", 15: cardFR(h) + " heures et quart", 30: cardFR(h) + " heures et demie",
				45: cardFR(next) + " heures moins le quart", 10: cardFR(h) + " heures dix", 20: cardFR(h) + " heures vingt"}[m])
		}
		s := cardFR(h24) + " heures"
		if m != 0 {
			s += " " + cardFR(m)
		}
		return val(s)
	case "es":
		switch k {
		case 0:
			return val(fmt.Sprintf("%d:%02d", h24, m))
		case 1:
			return val(map[int]string{0: cardES(h) + " en punto", 15: cardES(h) + " y cuarto", 30: cardES(h) + " y media",
				45: cardES(next) + " menos cuarto", 10: cardES(h) + " y diez", 20: cardES(h) + " y veinte"}[m])
		}
		if m == 0 {
			return val(cardES(h) + " de la " + g.pick([]string{"mañana", "tarde"}))
		}
		return val(cardES(h) + " y " + cardES(m))
	case "it":
		switch k {
		case 0:
			return val(fmt.Sprintf("%d:%02d", h24, m))
		case 1:
			return val(map[int]string{0: cardIT(h) + " in punto", 15: cardIT(h) + " e un quarto", 30: cardIT(h) + " e mezza",
				45: cardIT(next) + " meno un quarto", 10: cardIT(h) + " e dieci", 20: cardIT(h) + " e venti"}[m])
		}
		if m == 0 {
			return val(cardIT(h24))
		}
		return val(cardIT(h24) + " e " + cardIT(m))
	case "nl":
		switch k {
		case 0:
			return val(fmt.Sprintf("%d.%02d uur", h24, m))
		case 1:
			return val(map[int]string{0: cardNL(h) + " uur", 15: "kwart over " + cardNL(h), 30: "half " + cardNL(next),
				45: "kwart voor " + cardNL(next), 10: "tien over " + cardNL(h), 20: "tien voor half " + cardNL(next)}[m])
		}
		s := cardNL(h24) + " uur"
		if m != 0 {
			s += " " + cardNL(m)
		}
		return val(s)
	case "pt":
		// Hours are feminine in Portuguese: "às duas e meia".
		hour := func(n int) string {
			if n == 2 {
				return "duas"
			}
			return cardPT(n)
		}
		switch k {
		case 0:
			return val(fmt.Sprintf("%dh%02d", h24, m))
		case 1:
			return val(map[int]string{0: hour(h) + " horas", 15: hour(h) + " e um quarto", 30: hour(h) + " e meia",
				45: hour(next) + " menos um quarto", 10: hour(h) + " e dez", 20: hour(h) + " e vinte"}[m])
		}
		if m == 0 {
			return val(hour(h24) + " horas")
		}
		return val(hour(h24) + " e " + cardPT(m))
	}
	return nil
}

func (g *gen) qtySlot() []part { return val(g.num(2 + g.r.IntN(48))) }

func (g *gen) durationSlot() []part {
	units := map[string][]string{
		"en": {"minutes", "hours", "days", "weeks"}, "de": {"Minuten", "Stunden", "Tage", "Wochen"},
		"fr": {"minutes", "heures", "jours", "semaines"}, "es": {"minutos", "horas", "días", "semanas"},
		"it": {"minuti", "ore", "giorni", "settimane"}, "nl": {"minuten", "uur", "dagen", "weken"},
		"pt": {"minutos", "horas", "dias", "semanas"},
	}[g.l.code]
	k := g.r.IntN(len(units))
	n := []int{5 + 5*g.r.IntN(9), 2 + g.r.IntN(6), 2 + g.r.IntN(12), 2 + g.r.IntN(5)}[k]
	return val(g.num(n) + " " + units[k])
}

func (g *gen) yearSlot() []part {
	y := 1998 + g.r.IntN(28)
	if g.chance(0.5) {
		return val(strconv.Itoa(y))
	}
	return val(yearWords(g.l.code, y, false))
}

func (g *gen) percentSlot() []part {
	n := []int{5, 10, 12, 15, 20, 25, 30, 40, 50}[g.r.IntN(9)]
	word := map[string]string{"en": "percent", "de": "Prozent", "fr": "pour cent", "es": "por ciento",
		"it": "per cento", "nl": "procent", "pt": "por cento"}[g.l.code]
	if g.chance(0.4) {
		sep := ""
		if g.l.code == "de" || g.l.code == "fr" {
			sep = " "
		}
		return val(strconv.Itoa(n) + sep + "%")
	}
	return val(cardinal(g.l.code, n) + " " + word)
}

func (g *gen) versionSlot() []part {
	v := []int{1 + g.r.IntN(16), g.r.IntN(10), g.r.IntN(10)}
	if g.chance(0.5) {
		if g.chance(0.5) {
			return val(fmt.Sprintf("%d.%d", v[0], v[1]))
		}
		return val(fmt.Sprintf("%d.%d.%d", v[0], v[1], v[2]))
	}
	point := map[string]string{"en": "point", "de": "Punkt", "fr": "point", "es": "punto", "it": "punto", "nl": "punt", "pt": "ponto"}[g.l.code]
	if g.l.code == "en" && g.chance(0.5) {
		point = "dot"
	}
	var ws []string
	for _, x := range v {
		ws = append(ws, cardinal(g.l.code, x))
	}
	return val(strings.Join(ws, " "+point+" "))
}

// orderSlot is a reference number whose digits fail every checksum the
// redactor could validate (Luhn; 8, 10 and 12 digits are no BSN, NIF or
// Steuer-ID length), so no rule should take it for a card or an ID.
func (g *gen) orderSlot() []part {
	n := []int{8, 10, 12, 16}[g.r.IntN(4)]
	d := invalidLuhn(g.r, n)
	switch g.r.IntN(4) {
	case 0:
		return val(d)
	case 1:
		var gs []string
		for i := 0; i < len(d); i += 4 {
			gs = append(gs, d[i:min(i+4, len(d))])
		}
		return val(strings.Join(gs, " "))
	case 2:
		pre := g.pick([]string{"A", "B", "R", "K", "W"})
		if g.asr {
			return val(strings.ToLower(pre) + " " + d[:8])
		}
		return val(pre + "-" + d[:8])
	default:
		d = d[:8]
		return val(g.joinGroups([]string{joinWords(spokenDigits(g.l.code, d[:4])), joinWords(spokenDigits(g.l.code, d[4:]))}, 0.2))
	}
}

func (g *gen) roomSlot() []part {
	n := 100*(1+g.r.IntN(6)) + g.r.IntN(40)
	switch g.r.IntN(3) {
	case 0:
		return val(strconv.Itoa(n))
	case 1:
		return val(joinWords(spokenDigits(g.l.code, strconv.Itoa(n))))
	}
	return val(cardinal(g.l.code, n))
}

// deliverySlot is a date that is not a birth date: a delivery, an
// appointment, an invoice date. It reuses the date renderer so the only
// difference from a birth date is the context.
func (g *gen) deliverySlot() []part {
	y := 2025 + g.r.IntN(2)
	return val(g.dateWords(y, 1+g.r.IntN(12), plainDay(g.l.code, 1+g.r.IntN(28))))
}

func (g *gen) productSlot() []part {
	return val(g.pick([]string{"iPhone 15 Pro", "Galaxy S24", "Model 3", "PlayStation 5", "Thermomix TM6",
		"Dyson V15", "Kindle Paperwhite", "Fritzbox 7590", "AirPods Pro 2", "ThinkPad T14"}))
}
