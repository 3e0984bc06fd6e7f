// Package redactspeed measures the redactor against a naive baseline in
// the same process: throughput on transcript text relative to three
// regular expressions (email, card, phone), latency per utterance, and the
// memory and time it takes to build a Redactor for all seven languages.
//
//	go test -run '^$' -bench . -benchtime 3x ./bench/redactspeed
//	go test -run TestRedactorMemory -v ./bench/redactspeed
//
// BenchmarkThroughput reports x-naive (ratio of throughputs, ≥ 1 means
// faster than the baseline); BenchmarkUtteranceLatency reports mean, p50
// and p99 per utterance for both. BenchmarkLongLine reports the time per
// MB (s/MB) of single-line transcripts of 10 KB to 10 MB, the same for
// every size when redaction is linear in a segment's length;
// BenchmarkHostileLine does so for 1 MB lines built against the detectors.
//
//	go test -run '^$' -bench 'LongLine|HostileLine' -benchtime 1x ./bench/redactspeed
package redactspeed

import (
	"regexp"
	"sort"
	"strings"
)

// Calls returns synthetic calls written for this benchmark in transcript
// style (lower case, no punctuation, spoken numbers), one per language,
// mostly ordinary talk with some personal data, as real calls are.
func Calls() [][]string {
	return [][]string{
		{
			"hi thanks for calling acme support this is anna how can i help you today",
			"yeah hi my name is priya kowalski i'm calling about my last invoice it seems too high",
			"sure let me pull that up can you confirm the phone number on the account",
			"yes it's oh seven seven double oh nine one two three four five six",
			"thank you i can see two invoices one for forty nine ninety nine and one for twelve fifty",
			"the second one is for the premium plan which you upgraded to on the third of march",
			"oh i didn't realise that can we go back to the basic plan from next month",
			"of course i'll switch it now and you'll get an email at priya dot k at gmail dot com",
			"great and how long will the refund take it usually takes three to five working days",
			"perfect thanks a lot have a nice day you too bye",
		},
		{
			"guten tag sie sprechen mit dem kundenservice mein name ist jonas wie kann ich helfen",
			"hallo hier ist frau müller ich habe eine frage zu meiner letzten rechnung",
			"gerne können sie mir ihre kundennummer oder telefonnummer nennen",
			"ja die nummer ist null eins fünf eins zwo drei vier fünf sechs sieben acht",
			"danke ich sehe hier zwei posten einmal neunundvierzig euro und einmal zwölf euro",
			"der zweite posten ist für das upgrade vom vierten mai das können wir rückgängig machen",
			"ja bitte und überweisen sie das geld auf meine iban de89 3704 0044 0532 0130 00",
			"das dauert ungefähr drei bis fünf werktage sonst noch etwas",
			"nein das war alles vielen dank auf wiederhören",
		},
		{
			"bonjour service client je m'appelle pierre dupont j'appelle pour ma commande",
			"bonjour monsieur pouvez-vous me donner votre numéro de téléphone",
			"oui c'est le zéro six douze trente-quatre cinquante-six soixante-dix-huit",
			"merci la commande de quatre-vingt-dix-neuf euros est partie hier elle arrive dans deux jours",
			"d'accord et vous pouvez m'envoyer la facture à jean point dupont arobase orange point fr",
			"bien sûr c'est fait bonne journée au revoir",
		},
		{
			"hola buenas tardes le atiende lucía en qué puedo ayudarle",
			"hola me llamo maría garcía y quería cambiar mi dirección de envío",
			"claro dígame la nueva dirección vivo en calle mayor cinco veintiocho mil trece madrid",
			"perfecto y un teléfono de contacto seis uno dos treinta y cuatro cincuenta y seis setenta y ocho",
			"muy bien queda registrado son veinte euros de gastos de envío gracias adiós",
		},
		{
			"buongiorno sono giulia del servizio clienti come posso aiutarla",
			"buongiorno mi chiamo giuseppe rossi vorrei disdire il contratto",
			"certo mi serve il codice fiscale rssmra85t10a562s grazie",
			"la disdetta sarà effettiva tra trenta giorni e riceverà una conferma via email",
			"perfetto grazie mille arrivederci",
		},
		{
			"goedemiddag u spreekt met jan de vries van de klantenservice",
			"hallo ik bel over mijn abonnement dat kost nu vijfentwintig euro per maand",
			"dat klopt vanaf volgende maand wordt het twintig euro mijn nummer is nul zes een twee drie vier vijf zes zeven acht",
			"dank u wel tot ziens",
		},
		{
			"bom dia fala a ana do apoio ao cliente em que posso ajudar",
			"bom dia o meu nome é joão silva e queria saber o estado da minha encomenda",
			"claro a encomenda foi enviada ontem e chega em dois dias úteis",
			"obrigado e o meu número é nove um dois três quatro cinco seis sete oito caso precisem",
			"obrigada tenha um bom dia",
		},
	}
}

// Naive is the comparison point: three regular expressions for written
// emails, card numbers and phone numbers, nothing else.
type Naive struct {
	email, card, phone *regexp.Regexp
}

// NewNaive compiles the three expressions.
func NewNaive() *Naive {
	return &Naive{
		email: regexp.MustCompile(`[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}`),
		card:  regexp.MustCompile(`\b(?:\d[ -]?){12,18}\d\b`),
		phone: regexp.MustCompile(`\+?\(?\d[\d ()./-]{6,}\d`),
	}
}

// Redact replaces every match with its type tag.
func (n *Naive) Redact(text string) string {
	type span struct {
		s, e int
		tag  string
	}
	var spans []span
	for _, r := range []struct {
		re  *regexp.Regexp
		tag string
	}{{n.email, "[EMAIL_ADDRESS]"}, {n.card, "[CREDIT_CARD]"}, {n.phone, "[PHONE_NUMBER]"}} {
		for _, m := range r.re.FindAllStringIndex(text, -1) {
			spans = append(spans, span{m[0], m[1], r.tag})
		}
	}
	if len(spans) == 0 {
		return text
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].s < spans[j].s })
	var b strings.Builder
	last := 0
	for _, s := range spans {
		if s.s < last {
			continue
		}
		b.WriteString(text[last:s.s])
		b.WriteString(s.tag)
		last = s.e
	}
	b.WriteString(text[last:])
	return b.String()
}
