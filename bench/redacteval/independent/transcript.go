package independent

import (
	"strconv"
	"strings"
)

// Frames for names and addresses, and for lines with harmless numbers.
// %s is the value; %n a number spelled by CLDR RBNF; %d a number in digits;
// %h an hour; %D an order number of 5-6 digits read one by one.
type transcriptFrames struct {
	name    []string // %s: a person
	address []string // %s: an address
	neg     []string // no personal data
}

var framesOf = map[string]transcriptFrames{
	"en": {
		name:    []string{"my name is %s", "this is %s calling about the invoice", "can i speak to %s please", "%s here", "i spoke with %s yesterday", "yes it's for %s", "the account holder is %s"},
		address: []string{"i live at %s", "the address is %s", "please send it to %s", "we moved to %s last month"},
		neg:     []string{"i'd like %n boxes please", "that comes to %d dollars %n", "the meeting is at %h thirty", "we have %n orders pending", "it takes about %n minutes", "i ordered %n of them last week", "the total was %d.99", "can you do %n percent off", "i ordered %n boxes at %n %n each", "the flight is at %h %n and it takes %n hours", "we shipped %n orders and %n returns this week", "it costs %n ninety nine a month", "that was about %n %n percent", "my order number is %D", "it was order %D from last week"},
	},
	"de": {
		name:    []string{"mein Name ist %s", "hier spricht %s", "kann ich bitte %s sprechen", "ich habe gestern mit %s telefoniert", "das Konto läuft auf %s"},
		address: []string{"ich wohne in der %s", "die Adresse ist %s", "schicken Sie es bitte an %s", "wir sind in die %s umgezogen"},
		neg:     []string{"ich hätte gern %n Kartons", "das macht %d Euro %n", "der Termin ist um %h Uhr", "wir haben %n offene Bestellungen", "das dauert etwa %n Minuten", "ich habe letzte Woche %n Stück bestellt", "das kostet %d,99 Euro", "ich habe %n Kartons zu je %n Euro %n bestellt", "der Zug fährt um %h Uhr %n und braucht %n Stunden", "wir haben %n Bestellungen und %n Retouren", "das kostet %n neunundneunzig im Monat", "meine Bestellnummer ist %D", "das war Auftrag %D von letzter Woche"},
	},
	"fr": {
		name:    []string{"je m'appelle %s", "c'est %s à l'appareil", "je voudrais parler à %s", "j'ai eu %s au téléphone hier", "le compte est au nom de %s"},
		address: []string{"j'habite au %s", "l'adresse c'est %s", "envoyez-le au %s s'il vous plaît", "on a déménagé au %s"},
		neg:     []string{"je voudrais %n cartons", "ça fait %d euros %n", "le rendez-vous est à %h heures", "nous avons %n commandes en attente", "ça prend environ %n minutes", "j'en ai commandé %n la semaine dernière", "j'ai commandé %n cartons à %n euros %n", "le train part à %h heures %n et dure %n heures", "on a expédié %n commandes et %n retours", "ça coûte %n quatre-vingt-dix-neuf par mois", "mon numéro de commande est %D", "c'était la commande %D de la semaine dernière"},
	},
	"es": {
		name:    []string{"me llamo %s", "soy %s", "quería hablar con %s", "ayer hablé con %s", "la cuenta está a nombre de %s"},
		address: []string{"vivo en %s", "la dirección es %s", "envíelo a %s por favor", "nos mudamos a %s"},
		neg:     []string{"quería %n cajas", "son %d euros con %n", "la cita es a las %h", "tenemos %n pedidos pendientes", "tarda unos %n minutos", "pedí %n unidades la semana pasada", "pedí %n cajas a %n euros con %n", "el tren sale a las %h y %n y tarda %n horas", "enviamos %n pedidos y %n devoluciones", "cuesta %n con noventa y nueve al mes", "mi número de pedido es %D", "era el pedido %D de la semana pasada"},
	},
	"it": {
		name:    []string{"mi chiamo %s", "sono %s", "vorrei parlare con %s", "ieri ho parlato con %s", "il conto è intestato a %s"},
		address: []string{"abito in %s", "l'indirizzo è %s", "lo mandi a %s per favore", "ci siamo trasferiti in %s"},
		neg:     []string{"vorrei %n scatole", "sono %d euro e %n", "l'appuntamento è alle %h", "abbiamo %n ordini in sospeso", "ci vogliono circa %n minuti", "ne ho ordinati %n la settimana scorsa", "ho ordinato %n scatole a %n euro e %n", "il treno parte alle %h e %n e ci mette %n ore", "abbiamo spedito %n ordini e %n resi", "costa %n e novantanove al mese", "il mio numero d'ordine è %D", "era l'ordine %D della settimana scorsa"},
	},
	"nl": {
		name:    []string{"mijn naam is %s", "u spreekt met %s", "mag ik %s even spreken", "ik heb gisteren met %s gebeld", "de rekening staat op naam van %s"},
		address: []string{"ik woon op %s", "het adres is %s", "stuur het naar %s alstublieft", "we zijn verhuisd naar %s"},
		neg:     []string{"ik wil graag %n dozen", "dat is %d euro %n", "de afspraak is om %h uur", "we hebben %n openstaande bestellingen", "het duurt ongeveer %n minuten", "ik heb vorige week %n stuks besteld", "ik heb %n dozen besteld voor %n euro %n", "de trein vertrekt om %h uur %n en duurt %n uur", "we hebben %n bestellingen en %n retouren verstuurd", "het kost %n negenennegentig per maand", "mijn bestelnummer is %D", "dat was bestelling %D van vorige week"},
	},
	"pt": {
		name:    []string{"o meu nome é %s", "fala %s", "queria falar com %s", "ontem falei com %s", "a conta está em nome de %s"},
		address: []string{"moro na %s", "a morada é %s", "envie para %s por favor", "mudámo-nos para a %s"},
		neg:     []string{"queria %n caixas", "são %d euros e %n", "a consulta é às %h horas", "temos %n encomendas pendentes", "demora uns %n minutos", "encomendei %n unidades na semana passada", "encomendei %n caixas a %n euros e %n", "o comboio parte às %h e %n e demora %n horas", "enviámos %n encomendas e %n devoluções", "custa %n e noventa e nove por mês", "o meu número de encomenda é %D", "foi a encomenda %D da semana passada"},
	},
}

func (g *gen) address() string {
	loc := g.src.faker.Locales
	num := strconv.Itoa(1 + g.rng.IntN(150))
	_, sn := g.person()
	switch g.lang {
	case "en":
		if g.chance(0.5) {
			return g.usAddress(loc)
		}
		return g.ukAddress(loc)
	case "de":
		street := g.pick(append(loc["de_AT"].StreetName, loc["de_CH"].StreetName...))
		return street + " " + num + ", " + g.digits(4+g.rng.IntN(2)) + " " + g.pick(loc["de_AT"].CityName)
	case "fr":
		return num + " " + strings.ToLower(g.pick(loc["fr_BE"].StreetPrefix)) + " " + g.pick(loc["fr_BE"].StreetSuffix) + ", " + g.digits(4) + " " + g.pick(loc["fr_CH"].CityName)
	case "es":
		return g.pick([]string{"Calle", "Avenida", "Paseo"}) + " " + sn + " " + num + ", " + g.digits(5) + " " + g.pick(loc["es_MX"].CityName)
	case "it":
		return g.pick([]string{"via", "viale", "piazza"}) + " " + g.pick(loc["hr"].StreetName) + " " + num + ", " + g.digits(5) + " " + g.pick(loc["ro"].CityName)
	case "nl":
		return sn + g.pick(loc["nl_BE"].StreetSuffix) + " " + num + ", " + g.digits(4) + " " + g.fillPattern("??") + " " + g.pick(loc["de_CH"].CityName)
	default:
		return g.pick([]string{"Rua", "Avenida", "Travessa"}) + " " + g.pick(loc["sk"].StreetName) + " " + num + ", " + g.digits(4) + "-" + g.digits(3) + " " + g.pick(loc["sk"].CityName)
	}
}

// asr lowers a line and drops sentence punctuation, as speech-to-text
// engines emit it; spans keep their positions because only case changes
// and the dropped characters are outside spans (commas inside an address
// are kept).
func asr(c Case) Case {
	c.Text = strings.ToLower(c.Text)
	return c
}

func (g *gen) transcriptNames(n int) []Case {
	fr := framesOf[g.lang]
	var out []Case
	for len(out) < n {
		var c Case
		if g.chance(0.6) {
			given, surname := g.person()
			v := given + " " + surname
			if g.chance(0.3) {
				v = given
			}
			c = g.frame(g.pick(fr.name), "PERSON", v)
		} else {
			c = g.frame(g.pick(fr.address), "ADDRESS", g.address())
		}
		if g.chance(0.5) && len(strings.ToLower(c.Text)) == len(c.Text) {
			c = asr(c)
		}
		out = append(out, c)
	}
	return out
}

func (g *gen) negatives(n int) []Case {
	fr := framesOf[g.lang]
	var out []Case
	for len(out) < n {
		f := g.pick(fr.neg)
		for strings.Contains(f, "%n") {
			f = strings.Replace(f, "%n", g.spell(int64(2+g.rng.IntN(g.pick3()))), 1)
		}
		for strings.Contains(f, "%d") {
			f = strings.Replace(f, "%d", strconv.Itoa(1+g.rng.IntN(99)), 1)
		}
		f = strings.ReplaceAll(f, "%h", strconv.Itoa(1+g.rng.IntN(12)))
		f = strings.ReplaceAll(f, "%D", g.readDigits(g.digits(5+g.rng.IntN(2)), speech{}))
		out = append(out, Case{Language: g.lang, Set: g.set, Text: f})
	}
	return out
}

// pick3 chooses the size of a harmless number: small, hundreds, thousands.
func (g *gen) pick3() int { return []int{20, 200, 2000}[g.rng.IntN(3)] }
