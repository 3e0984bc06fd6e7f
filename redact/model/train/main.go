// Command train builds the redactor's name and address tagger model,
// redact/model/names.bin.gz, from sentences it generates.
//
//	go run ./redact/model/train            # from the repository root
//
// Names come from redact/lexicon/names.tsv and streets, house numbers,
// towns and postcodes from places.json (both @faker-js/faker, MIT, of the
// lexicon's own locales en de fr es it nl pt_PT pt_BR; never the locales
// bench/redacteval draws its independent sets from). The sentence frames
// are written here; each is filled with names and addresses in the
// language's own formats, and also with other languages' and made-up
// names and streets so the model learns from context and shape rather
// than from the lists alone. Half of the sentences are lower-cased as
// speech-to-text writes them; a share lose their punctuation. Negative
// sentences (capitalised sentence starts, products, weekdays, amounts,
// "line one") teach what is not a name. Generation and training are
// seeded, so the same inputs give the same model byte for byte.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/callveil/callveil/redact"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "train:", err)
		os.Exit(1)
	}
}

func run() error {
	places := flag.String("places", "redact/model/train/places.json", "street and town lists")
	names := flag.String("names", "redact/lexicon/names.tsv", "given-name and surname lists")
	out := flag.String("out", "redact/model/names.bin.gz", "model file to write")
	perLang := flag.Int("sentences", 12000, "training sentences per language")
	epochs := flag.Int("epochs", 8, "training passes")
	bits := flag.Uint("bits", 18, "hashed weight table size, 2^bits rows")
	seed := flag.Uint64("seed", 14, "generator seed")
	flag.Parse()

	g, err := loadGenerator(*places, *names, *seed)
	if err != nil {
		return err
	}
	var examples []redact.TaggerExample
	for _, lang := range languages {
		for i := 0; i < *perLang; i++ {
			examples = append(examples, g.sentence(lang))
		}
	}
	r, err := redact.New(redact.Config{NoNameModel: true})
	if err != nil {
		return err
	}
	shuffle := rand.New(rand.NewPCG(*seed, 2))
	model, err := r.TrainNameTagger(examples, redact.TaggerTraining{Epochs: *epochs, Bits: *bits, Shuffle: shuffle.Shuffle})
	if err != nil {
		return err
	}
	if err := os.WriteFile(*out, model, 0o644); err != nil {
		return err
	}
	fmt.Printf("%d sentences, model %d bytes -> %s\n", len(examples), len(model), *out)
	return nil
}

var languages = []string{"en", "de", "fr", "es", "it", "nl", "pt"}

type placeLists struct {
	Street, Number, Secondary, City, Postcode, State []string
}

type generator struct {
	rnd     *rand.Rand
	places  map[string]placeLists
	given   map[string][]string
	surname map[string][]string
}

func loadGenerator(placesPath, namesPath string, seed uint64) (*generator, error) {
	raw, err := os.ReadFile(placesPath)
	if err != nil {
		return nil, err
	}
	var pf struct {
		Languages map[string]placeLists `json:"languages"`
	}
	if err := json.Unmarshal(raw, &pf); err != nil {
		return nil, fmt.Errorf("%s: %w", placesPath, err)
	}
	tsv, err := os.ReadFile(namesPath)
	if err != nil {
		return nil, err
	}
	g := &generator{rnd: rand.New(rand.NewPCG(seed, 1)), places: pf.Languages, given: map[string][]string{}, surname: map[string][]string{}}
	for _, line := range strings.Split(string(tsv), "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 4 {
			continue
		}
		for _, l := range strings.Split(f[1], ",") {
			if l != "-" {
				g.given[l] = append(g.given[l], title(f[0]))
			}
		}
		for _, l := range strings.Split(f[2], ",") {
			if l != "-" {
				g.surname[l] = append(g.surname[l], title(f[0]))
			}
		}
	}
	for _, l := range languages {
		if len(g.given[l]) == 0 || len(g.surname[l]) == 0 || len(g.places[l].Street) == 0 {
			return nil, fmt.Errorf("no lists for %s", l)
		}
	}
	return g, nil
}

// title upper-cases the first letter of each part: "jean-pierre" ->
// "Jean-Pierre".
func title(s string) string {
	var b strings.Builder
	up := true
	for _, r := range s {
		if up {
			r = unicode.ToUpper(r)
		}
		up = r == '-' || r == ' ' || r == '\''
		b.WriteRune(r)
	}
	return b.String()
}

func (g *generator) pick(list []string) string { return list[g.rnd.IntN(len(list))] }

func (g *generator) chance(p float64) bool { return g.rnd.Float64() < p }

// otherLang returns a language other than lang.
func (g *generator) otherLang(lang string) string {
	for {
		if l := languages[g.rnd.IntN(len(languages))]; l != lang {
			return l
		}
	}
}

// madeUp builds a name-like word no list holds.
func (g *generator) madeUp() string {
	onsets := []string{"b", "br", "c", "d", "dr", "f", "g", "gr", "h", "j", "k", "kr", "l", "m", "n", "p", "r", "s", "st", "t", "tr", "v", "w", "z", "sz", "ch", "sh", "zh"}
	vowels := []string{"a", "e", "i", "o", "u", "ei", "ia", "ou", "y", "é", "á", "ö", "ø"}
	codas := []string{"", "", "n", "r", "s", "l", "k", "m", "nd", "rt", "ck", "tz"}
	var b strings.Builder
	for n := 2 + g.rnd.IntN(2); n > 0; n-- {
		b.WriteString(g.pick(onsets))
		b.WriteString(g.pick(vowels))
		if n == 1 || g.chance(0.3) {
			b.WriteString(g.pick(codas))
		}
	}
	return title(b.String())
}

// personName returns a name of one to three words.
func (g *generator) personName(lang string) string {
	src := lang
	switch x := g.rnd.Float64(); {
	case x < 0.3:
		src = g.otherLang(lang)
	case x < 0.5:
		src = ""
	}
	given := func() string {
		if src == "" {
			return g.madeUp()
		}
		return g.pick(g.given[src])
	}
	sur := func() string {
		if src == "" || g.chance(0.2) {
			return g.madeUp()
		}
		return g.pick(g.surname[src])
	}
	switch x := g.rnd.Float64(); {
	case x < 0.25:
		return given()
	case x < 0.35:
		return sur()
	case x < 0.45:
		return given() + " " + given() + " " + sur()
	case x < 0.5:
		return given() + " " + g.pick(particles[lang]) + " " + sur()
	case x < 0.55:
		return given() + " " + sur() + "-" + sur()
	}
	return given() + " " + sur()
}

var particles = map[string][]string{
	"en": {"Mc", "O'", "de"}, "de": {"von", "van", "zu"}, "fr": {"de", "du", "de la", "Le"}, "es": {"de", "del", "de la"},
	"it": {"De", "Di", "Della", "La"}, "nl": {"van", "de", "van der", "van den", "ter"}, "pt": {"da", "dos", "de", "do"},
}

func (g *generator) town(lang string) string {
	switch x := g.rnd.Float64(); {
	case x < 0.25:
		return g.pick(g.places[g.otherLang(lang)].City)
	case x < 0.4:
		return g.madeUp()
	case x < 0.48:
		return g.madeUp() + " " + g.madeUp()
	case x < 0.53:
		return g.pick(townJoin[lang]) + " " + g.madeUp()
	case x < 0.56:
		return g.madeUp() + " " + g.pick([]string{"am", "an der", "sur", "de los", "di", "aan den", "do", "in"}) + " " + g.madeUp()
	}
	return g.pick(g.places[lang].City)
}

var townJoin = map[string][]string{
	"en": {"Saint", "St", "New", "Port", "North", "West", "Lake"}, "de": {"Bad", "Sankt", "Neu", "Alt"}, "fr": {"Saint", "Sainte", "La", "Le"},
	"es": {"San", "Santa", "El", "La", "Villa"}, "it": {"San", "Santa", "Borgo", "Castel"}, "nl": {"Den", "Sint", "Nieuw", "Oud"},
	"pt": {"São", "Santa", "Vila", "Póvoa de"},
}

var streetTypes = map[string][]string{
	"en": {"Street", "St", "Road", "Rd", "Avenue", "Ave", "Lane", "Drive", "Way", "Close", "Court", "Place", "Crescent", "Grove", "Terrace", "Boulevard", "Gardens", "Hill", "Row", "Parade", "Square"},
	"de": {"straße", "str.", "weg", "gasse", "allee", "platz", "ring"},
	"fr": {"rue", "avenue", "boulevard", "place", "chemin", "allée", "impasse", "quai", "route", "square", "passage", "voie", "parc",
		"parvis", "porte", "cité", "sentier", "esplanade", "promenade", "faubourg", "ruelle", "rond-point", "montée", "cours", "clos", "résidence"},
	"es": {"Calle", "Avenida", "Plaza", "Paseo", "Camino", "Carrera", "Ronda", "Travesía", "C/"},
	"it": {"Via", "Viale", "Piazza", "Corso", "Vicolo", "Largo", "Strada", "Piazzale"},
	"nl": {"straat", "weg", "laan", "plein", "gracht", "kade", "dijk", "singel", "hof"},
	"pt": {"Rua", "Avenida", "Travessa", "Praça", "Largo", "Estrada", "Alameda", "Av."},
}

// street returns a street name without the house number.
func (g *generator) street(lang string) string {
	if g.chance(0.5) {
		s := strings.TrimSpace(g.pick(g.places[lang].Street))
		if s != "" {
			return s
		}
	}
	name := g.madeUp()
	if g.chance(0.5) {
		name = g.pick(g.surname[lang])
	} else if g.chance(0.3) {
		name = g.pick(g.places[g.otherLang(lang)].City)
	}
	typ := g.pick(streetTypes[lang])
	switch lang {
	case "en":
		if g.chance(0.15) {
			name = g.pick([]string{"N", "S", "E", "W", "North", "South", "East", "West"}) + " " + name
		}
		if g.chance(0.1) {
			name = fmt.Sprintf("%d%s", 1+g.rnd.IntN(40), g.pick([]string{"st", "nd", "rd", "th"}))
		}
		return name + " " + typ
	case "de", "nl":
		if g.chance(0.2) {
			return name + " " + title(strings.TrimSuffix(typ, "."))
		}
		if g.chance(0.3) {
			return name + "-" + typ
		}
		return name + typ
	case "fr":
		if g.chance(0.4) {
			return typ + " " + g.pick([]string{"de ", "du ", "des ", "de la ", ""}) + name
		}
		return typ + " " + name
	}
	if g.chance(0.3) {
		return typ + " " + g.pick(g.given[lang]) + " " + name
	}
	return typ + " " + name
}

func (g *generator) houseNumber(lang string) string {
	if g.chance(0.4) {
		s := strings.Trim(g.pick(g.places[lang].Number), " ,")
		if s != "" && !strings.ContainsAny(s, "#") {
			return s
		}
	}
	n := fmt.Sprint(1 + g.rnd.IntN(pickInt(g, 20, 200, 3000)))
	if g.chance(0.12) {
		n += g.pick([]string{"a", "b", "B", "A", "c"})
	}
	return n
}

func pickInt(g *generator, xs ...int) int { return xs[g.rnd.IntN(len(xs))] }

func (g *generator) postcode(lang string) string {
	if lang == "en" && g.chance(0.4) {
		return g.ukPostcode()
	}
	if g.chance(0.3) {
		// Neighbouring countries' shapes: four digits, Portuguese
		// "1234-567", Dutch "1234 AB", five digits.
		d := func(n int) string {
			b := make([]byte, n)
			for i := range b {
				b[i] = byte('0' + g.rnd.IntN(10))
			}
			return string(b)
		}
		switch g.rnd.IntN(4) {
		case 0:
			return d(4)
		case 1:
			return d(4) + "-" + d(3)
		case 2:
			return d(4) + " " + string([]byte{byte('A' + g.rnd.IntN(26)), byte('A' + g.rnd.IntN(26))})
		}
		return d(5)
	}
	return g.pick(g.places[lang].Postcode)
}

// ukPostcode builds a postcode of the Royal Mail's shapes (A9 9AA, A99
// 9AA, A9A 9AA, AA9 9AA, AA99 9AA, AA9A 9AA).
func (g *generator) ukPostcode() string {
	letters := "ABCDEFGHJKLMNOPRSTUWYZ"
	in := "ABDEFGHJLNPQRSTUWXYZ"
	l := func(s string) byte { return s[g.rnd.IntN(len(s))] }
	d := func() byte { return byte('0' + g.rnd.IntN(10)) }
	var out []byte
	switch g.rnd.IntN(6) {
	case 0:
		out = []byte{l(letters), d()}
	case 1:
		out = []byte{l(letters), d(), d()}
	case 2:
		out = []byte{l(letters), d(), l(letters)}
	case 3:
		out = []byte{l(letters), l(letters), d()}
	case 4:
		out = []byte{l(letters), l(letters), d(), d()}
	default:
		out = []byte{l(letters), l(letters), d(), l(letters)}
	}
	return string(out) + " " + string([]byte{d(), l(in), l(in)})
}

var unitForms = map[string][]string{
	"en": {"Apt %s", "Apt. %s", "Apartment %s", "Suite %s", "Unit %s", "Flat %s", "#%s"},
	"de": {"Wohnung %s", "%s. Etage", "Zimmer %s"},
	"fr": {"appartement %s", "bâtiment %s", "%se étage"},
	"es": {"piso %s", "%sº B", "%sº izquierda", "puerta %s"},
	"it": {"interno %s", "scala %s", "piano %s"},
	"nl": {"bus %s", "%s hoog"},
	"pt": {"%sº esquerdo", "apartamento %s", "%sº andar"},
}

func (g *generator) unit(lang string) string {
	n := fmt.Sprint(1 + g.rnd.IntN(30))
	if g.chance(0.4) {
		n += g.pick([]string{"A", "B", "C", "D", "F"})
	}
	return fmt.Sprintf(g.pick(unitForms[lang]), n)
}

// address returns a full or partial address in lang's format.
func (g *generator) address(lang string) string {
	st, num := g.street(lang), g.houseNumber(lang)
	town, pc := g.town(lang), g.postcode(lang)
	var streetPart string
	switch lang {
	case "en", "fr":
		streetPart = num + " " + st
		if lang == "fr" && g.chance(0.15) {
			streetPart = num + " " + g.pick([]string{"bis", "ter"}) + " " + st
		}
		if lang == "fr" && g.chance(0.2) {
			streetPart = num + ", " + st
		}
	default:
		sep := " "
		if (lang == "es" || lang == "it" || lang == "pt") && g.chance(0.3) {
			sep = ", "
		}
		if lang == "pt" && g.chance(0.15) {
			sep = ", n.º "
		}
		streetPart = st + sep + num
	}
	if g.chance(0.25) {
		streetPart += g.pick([]string{", ", " "}) + g.unit(lang)
	}
	switch x := g.rnd.Float64(); {
	case x < 0.3:
		return streetPart
	case x < 0.4:
		return streetPart + ", " + town
	case lang == "en" && x < 0.75 && !strings.ContainsAny(pc, "ABCDEFGHJKLMNOPRSTUWYZ"):
		return streetPart + ", " + town + ", " + g.pick(g.places["en"].State) + " " + pc
	case lang == "en":
		return streetPart + g.pick([]string{", ", " "}) + town + g.pick([]string{", ", " "}) + pc
	}
	if g.chance(0.5) {
		return streetPart + ", " + pc + " " + town
	}
	return streetPart + " " + pc + " " + town
}

// Frames: "{P}" is a name, "{A}" an address, "{N}" a harmless number.
var frames = map[string][]string{
	"en": {
		"yes it is for {P}", "is it for {P}?", "may I speak to {P}, please?", "could I talk to {P}", "{P} here", "hi {P} speaking", "is {P} around today? she was handling my claim", "is {P} there?", "tell {P} I called", "thanks {P} that helps a lot", "I had a call with {P} this morning", "{P} is the named driver", "the policy is in the name of {P}", "we were talking to {P} earlier", "so {P} said yes", "ah {P} again", "put {P} down as the contact", "I live at {A}", "we moved to {A} last month", "ship it to {A} please", "the billing address is {A}", "it is {A}", "{A}", "{P}, {A}", "my mother {P} still lives at {A}",
		"Contact {P} at the main office.", "Please call {P} back tomorrow morning.", "I spoke to {P} yesterday about the refund.",
		"{P} lives at {A}.", "{P} moved to {A} last year.", "The parcel goes to {A}.", "Send the card to {A}, please.",
		"We have {A} on file.", "Is it still {A}?", "{P} and {P} signed the form.", "Can you ask {P} to confirm?",
		"the account holder is {P}", "yes {P} is my husband", "it was {P} who answered", "ok so {P} {A}",
		"the delivery address was {A} but {P} was not home", "I'm calling on behalf of {P}.", "Thanks {P}, have a nice day.",
		"{P} here, from billing.", "my wife {P} usually handles this", "you can reach {P} at the shop", "and the street is {A}",
		"the new address is {A} from Monday", "Dear {P}, your order {N} has shipped.", "{P} said the engineer never came.",
	},
	"de": {
		"ist das für {P}?", "kann ich bitte {P} sprechen?", "ich hätte gern {P} gesprochen", "{P} hier", "ist {P} heute da?", "sagen Sie {P} dass ich angerufen habe", "danke {P} das hilft mir sehr", "ich habe gestern mit {P} telefoniert", "wir haben mit {P} gesprochen", "der Vertrag läuft auf {P}", "{P} ist der Ansprechpartner", "ich wohne in der {A}", "wir sind in die {A} umgezogen", "bitte an {A} schicken", "die Rechnungsadresse ist {A}", "{A}", "{P}, {A}", "meine Mutter {P} wohnt noch in der {A}",
		"Ich habe gestern mit {P} gesprochen.", "Bitte rufen Sie {P} zurück.", "{P} wohnt in der {A}.", "Wir sind in die {A} gezogen.",
		"Schicken Sie es an {A}.", "Die Adresse ist {A}.", "Ist das noch {A}?", "{P} und {P} haben unterschrieben.",
		"mein Mann {P} kümmert sich darum", "ja das war {P}", "Können Sie {P} fragen?", "der Kontoinhaber ist {P}",
		"Hallo {P}, Ihre Bestellung {N} ist unterwegs.", "{P} hier, vom Kundendienst.", "die Lieferung ging an {A} aber {P} war nicht da",
		"Frau {P} hat angerufen.", "ich rufe für {P} an", "das Paket kam nach {A}",
	},
	"fr": {
		"c'est pour {P}", "est-ce que je peux parler à {P} ?", "je voudrais parler à {P}", "{P} à l'appareil", "est-ce que {P} est là aujourd'hui ?", "dites à {P} que j'ai appelé", "merci {P} ça m'aide beaucoup", "j'ai eu {P} au téléphone hier", "nous avons parlé avec {P}", "le contrat est au nom de {P}", "{P} est le contact", "j'habite au {A}", "on a déménagé au {A}", "envoyez-le au {A} s'il vous plaît", "l'adresse de facturation est {A}", "{A}", "{P}, {A}", "ma mère {P} habite toujours au {A}",
		"J'ai parlé avec {P} hier.", "Rappelez {P} demain s'il vous plaît.", "{P} habite au {A}.", "Nous avons déménagé au {A}.",
		"Envoyez-le au {A}.", "L'adresse est {A}.", "C'est toujours {A} ?", "{P} et {P} ont signé.", "mon mari {P} s'en occupe",
		"oui c'était {P}", "Pouvez-vous demander à {P} ?", "le titulaire du compte est {P}", "Bonjour {P}, votre commande {N} est partie.",
		"{P} à l'appareil, du service client.", "le colis est allé au {A} mais {P} était absent", "Madame {P} a appelé.", "j'appelle pour {P}",
	},
	"es": {
		"es para {P}", "¿puedo hablar con {P}?", "quería hablar con {P}", "{P} al habla", "¿está {P} hoy?", "dígale a {P} que llamé", "gracias {P} me ayuda mucho", "ayer hablé por teléfono con {P}", "hemos hablado con {P}", "el contrato está a nombre de {P}", "{P} es el contacto", "vivo en {A}", "nos mudamos a {A} el mes pasado", "envíelo a {A} por favor", "la dirección de facturación es {A}", "{A}", "{P}, {A}", "mi madre {P} sigue viviendo en {A}",
		"Ayer hablé con {P}.", "Llame a {P} mañana, por favor.", "{P} vive en {A}.", "Nos mudamos a {A}.", "Envíelo a {A}.",
		"La dirección es {A}.", "¿Sigue siendo {A}?", "{P} y {P} firmaron.", "mi marido {P} se encarga", "sí era {P}",
		"¿Puede preguntarle a {P}?", "el titular de la cuenta es {P}", "Hola {P}, su pedido {N} ya salió.", "{P} al habla, de atención al cliente.",
		"el paquete fue a {A} pero {P} no estaba", "La señora {P} llamó.", "llamo de parte de {P}",
	},
	"it": {
		"è per {P}", "posso parlare con {P}?", "vorrei parlare con {P}", "{P} al telefono", "c'è {P} oggi?", "dica a {P} che ho chiamato", "grazie {P} mi aiuta molto", "ieri ho sentito {P} al telefono", "abbiamo parlato con {P}", "il contratto è intestato a {P}", "{P} è il referente", "abito in {A}", "ci siamo trasferiti in {A} il mese scorso", "lo spedisca a {A} per favore", "l'indirizzo di fatturazione è {A}", "{A}", "{P}, {A}", "mia madre {P} abita ancora in {A}",
		"Ieri ho parlato con {P}.", "Richiami {P} domani, per favore.", "{P} abita in {A}.", "Ci siamo trasferiti in {A}.", "Lo mandi a {A}.",
		"L'indirizzo è {A}.", "È ancora {A}?", "{P} e {P} hanno firmato.", "mio marito {P} se ne occupa", "sì era {P}",
		"Può chiedere a {P}?", "il titolare del conto è {P}", "Buongiorno {P}, il suo ordine {N} è partito.", "{P} al telefono, dal servizio clienti.",
		"il pacco è andato in {A} ma {P} non c'era", "La signora {P} ha chiamato.", "chiamo per conto di {P}",
	},
	"nl": {
		"het is voor {P}", "mag ik {P} even spreken?", "ik wil graag {P} spreken", "{P} hier", "is {P} er vandaag?", "zeg tegen {P} dat ik gebeld heb", "bedankt {P} dat helpt echt", "ik heb gisteren met {P} gebeld", "we hebben met {P} gesproken", "het contract staat op naam van {P}", "{P} is de contactpersoon", "ik woon op {A}", "we zijn vorige maand verhuisd naar {A}", "stuur het naar {A} alstublieft", "het factuuradres is {A}", "{A}", "{P}, {A}", "mijn moeder {P} woont nog op {A}",
		"Ik heb gisteren met {P} gesproken.", "Belt u {P} morgen terug.", "{P} woont op {A}.", "We zijn verhuisd naar {A}.", "Stuur het naar {A}.",
		"Het adres is {A}.", "Is het nog steeds {A}?", "{P} en {P} hebben getekend.", "mijn man {P} regelt dat", "ja dat was {P}",
		"Kunt u het aan {P} vragen?", "de rekeninghouder is {P}", "Hallo {P}, uw bestelling {N} is verzonden.", "{P} hier, van de klantenservice.",
		"het pakket ging naar {A} maar {P} was niet thuis", "Mevrouw {P} heeft gebeld.", "ik bel namens {P}",
	},
	"pt": {
		"é para {P}", "posso falar com {P}?", "queria falar com {P}", "fala {P}", "{P} está hoje?", "diga ao {P} que liguei", "obrigado {P} ajudou-me imenso", "ontem falei ao telefone com {P}", "falámos com {P}", "o contrato está em nome de {P}", "{P} é o contacto", "moro na {A}", "mudámo-nos para a {A} no mês passado", "envie para {A} por favor", "a morada de faturação é {A}", "{A}", "{P}, {A}", "a minha mãe {P} ainda mora na {A}",
		"Ontem falei com {P}.", "Ligue para {P} amanhã, por favor.", "{P} mora na {A}.", "Mudámos para a {A}.", "Envie para {A}.",
		"A morada é {A}.", "Ainda é {A}?", "{P} e {P} assinaram.", "o meu marido {P} trata disso", "sim era {P}",
		"Pode perguntar ao {P}?", "o titular da conta é {P}", "Olá {P}, a sua encomenda {N} já saiu.", "{P} ao telefone, do apoio ao cliente.",
		"a encomenda foi para {A} mas {P} não estava", "A senhora {P} ligou.", "ligo em nome de {P}",
	},
}

// negatives hold no personal data; capitalised words, products, days and
// amounts in them are what the tagger must leave alone.
var negatives = map[string][]string{
	"en": {
		"we have {N} staff and {W} laptops so it is {N} a month per seat", "The meeting was moved to {D} at {W}.", "the invoice from {D} still shows {W}", "I bought the {R} in {N} and the battery is gone.", "room {W} on the third floor", "that comes to {N} in total including tax", "order {N} left the warehouse on {D}",
		"Monday works better for me.", "Line one is still busy.", "Third line of the form is empty.", "I bought the Galaxy S21 at Best Buy.",
		"The Premium Plan costs {N} dollars a month.", "Customer Service opens at {N}.", "My order of {N} boxes arrived on Friday.",
		"Please hold the line.", "The router model is TP-Link Archer C6.", "We need {N} units by March.", "Is Support still open on Sunday?",
		"it came to {N} pounds in total", "the second page says {N} items", "Netflix and Amazon Prime are included.",
		"Take the first street on the left after {N} meters.", "Room {N} is on the Main Floor.", "I'll check with Accounts Payable.",
		"Our Head Office is closed for Easter.", "Great, thank you so much.", "Version {N} fixed the bug.",
		"We celebrate Christmas at my sister's, so deliver before.", "Is the shop open on Good Friday?", "Happy New Year to you too.",
	},
	"de": {
		"wir sind {N} Leute mit {W} Laptops also {N} Euro im Monat", "Der Termin ist am {D} um {W} Uhr.", "auf der Rechnung vom {D} stehen noch {W}", "Ich habe den {R} {N} gekauft.", "das sind dann {N} Euro inklusive Steuer", "Ihr Kollege meinte {W} Stunden, jetzt sind es schon {W} Minuten.",
		"Montag passt mir besser.", "Die Rechnung über {N} Euro ist angekommen.", "Ich habe {N} Pakete bestellt.", "Der Router ist eine FritzBox {N}.",
		"Der Kundenservice ist ab {N} Uhr erreichbar.", "Die erste Straße links nach {N} Metern.", "Das Paket kam am Freitag.",
		"Vielen Dank für Ihre Geduld.", "Die Telekom hat angerufen.", "Der Vertrag läuft bis März.", "Bitte bleiben Sie in der Leitung.",
		"Die Zeile drei ist leer.", "Wir brauchen {N} Stück bis Ostern.", "Wir feiern Weihnachten bei meiner Schwester.",
	},
	"fr": {
		"on est {N} personnes avec {W} ordinateurs donc {N} euros par mois", "Le rendez-vous est déplacé au {D} à {W} heures.", "sur la facture du {D} il reste {W}", "J'ai acheté le {R} en {N}.", "ça fait {N} euros en tout",
		"Lundi me convient mieux.", "La facture de {N} euros est arrivée.", "J'ai commandé {N} colis.", "La Livebox {N} ne marche plus.",
		"Le service client ouvre à {N} heures.", "La première rue à gauche après {N} mètres.", "Le colis est arrivé vendredi.",
		"Merci beaucoup pour votre patience.", "Orange a appelé hier.", "Le contrat se termine en mars.", "Ne quittez pas.",
		"La troisième ligne est vide.", "Il nous faut {N} pièces avant Pâques.", "On fête Noël chez mes parents, livrez avant.",
		"Joyeux Noël à vous aussi.", "C'est fermé à la Toussaint.",
	},
	"es": {
		"somos {N} personas con {W} portátiles o sea {N} euros al mes", "La cita pasó al {D} a las {W}.", "en la factura del {D} siguen saliendo {W} euros", "Compré el {R} en {N}.", "son {N} euros en total con iva",
		"El lunes me viene mejor.", "La factura de {N} euros ya llegó.", "Pedí {N} paquetes.", "El router es un Livebox {N}.",
		"Atención al cliente abre a las {N}.", "La primera calle a la izquierda después de {N} metros.", "El paquete llegó el viernes.",
		"Muchas gracias por su paciencia.", "Movistar llamó ayer.", "El contrato termina en marzo.", "No cuelgue, por favor.",
		"La tercera línea está vacía.", "Necesitamos {N} unidades antes de Semana Santa.", "Celebramos la Navidad en casa de mi hermana.",
	},
	"it": {
		"siamo {N} persone con {W} portatili quindi {N} euro al mese", "L'appuntamento è spostato al {D} alle {W}.", "nella fattura del {D} ci sono ancora {W} euro", "Ho comprato il {R} nel {N}.", "sono nella stanza {W} al terzo piano",
		"Lunedì mi va meglio.", "La bolletta di {N} euro è arrivata.", "Ho ordinato {N} pacchi.", "Il modem è un Vodafone Station {N}.",
		"Il servizio clienti apre alle {N}.", "La prima via a sinistra dopo {N} metri.", "Il pacco è arrivato venerdì.",
		"Grazie mille per la pazienza.", "Tim ha chiamato ieri.", "Il contratto scade a marzo.", "Resti in linea, per favore.",
		"La terza riga è vuota.", "Ci servono {N} pezzi prima di Pasqua.", "Festeggiamo il Natale da mia sorella.",
	},
	"nl": {
		"we zijn met {N} mensen en {W} laptops dus {N} euro per maand", "De afspraak is verzet naar {D} om {W} uur.", "op de factuur van {D} staat nog {W}", "Ik heb de {R} in {N} gekocht.", "dat is dan {N} euro in totaal inclusief btw",
		"Maandag komt beter uit.", "De rekening van {N} euro is binnen.", "Ik heb {N} pakketten besteld.", "De modem is een Ziggo {N}.",
		"De klantenservice is open vanaf {N} uur.", "De eerste straat links na {N} meter.", "Het pakket kwam vrijdag.",
		"Hartelijk dank voor uw geduld.", "KPN heeft gisteren gebeld.", "Het contract loopt tot maart.", "Blijft u aan de lijn.",
		"De derde regel is leeg.", "We hebben {N} stuks nodig voor Pasen.", "We vieren Kerstmis bij mijn zus.",
	},
	"pt": {
		"somos {N} pessoas com {W} portáteis portanto {N} euros por mês", "A consulta passou para {D} às {W}.", "na fatura de {D} ainda aparecem {W}", "Comprei o {R} em {N}.", "são {N} euros no total com iva",
		"Segunda-feira dá mais jeito.", "A fatura de {N} euros já chegou.", "Encomendei {N} pacotes.", "O router é um Meo {N}.",
		"O apoio ao cliente abre às {N}.", "A primeira rua à esquerda depois de {N} metros.", "A encomenda chegou na sexta.",
		"Muito obrigado pela paciência.", "A Vodafone ligou ontem.", "O contrato termina em março.", "Não desligue, por favor.",
		"A terceira linha está vazia.", "Precisamos de {N} unidades antes da Páscoa.", "Festejamos o Natal em casa da minha irmã.",
	},
}

// mixed frames put names and addresses next to what must stay: the
// company after a name, the department, the words after an address.
var mixed = map[string][]string{
	"en": {"this is {P} from {C}, returning your call", "Hi, {P} calling from {C}.", "can you put me through to {P} from accounts",
		"deliver it to {A} the blue door next to the bakery", "it's {A}, the house with the green gate", "the new address is {A} can you update it",
		"{P} from {C} said the {R} was faulty", "I ordered the {R} on {D} for {N} dollars", "{P} told me it costs {W} a month",
		"{P} at {C} confirmed it", "my name is {P} and I'm calling about the {R}", "please send it to {A} by {D}"},
	"de": {"hier ist {P} von {C}, Sie hatten angerufen", "Hallo, {P} von {C}.", "verbinden Sie mich mit {P} aus der Buchhaltung",
		"liefern Sie an {A}, das ist das Haus mit dem grünen Tor", "die neue Adresse ist {A} können Sie das ändern", "{P} von {C} sagte der {R} ist kaputt",
		"ich habe den {R} am {D} für {N} Euro bestellt", "{P} meinte es kostet {W} im Monat", "ich habe mit {P} gesprochen aber niemand hat sich gemeldet"},
	"fr": {"c'est {P} de chez {C}, vous avez appelé", "Bonjour, {P} de {C}.", "passez-moi {P} de la comptabilité",
		"livrez au {A} c'est la porte bleue à côté de la boulangerie", "la nouvelle adresse est {A} vous pouvez la changer", "{P} de {C} a dit que le {R} est en panne",
		"j'ai commandé le {R} le {D} pour {N} euros", "{P} m'a dit que ça coûte {W} par mois"},
	"es": {"soy {P} de {C}, me habían llamado", "Hola, {P} de {C}.", "me pasa con {P} de contabilidad",
		"déjelo en {A} el portal verde al lado de la panadería", "la nueva dirección es {A} la puede cambiar", "{P} de {C} dijo que el {R} no funciona",
		"compré el {R} el {D} por {N} euros", "{P} me dijo que cuesta {W} al mes"},
	"it": {"sono {P} di {C}, mi avevate cercato", "Salve, {P} di {C}.", "mi passa {P} dell'amministrazione",
		"lo lasci in {A} il portone verde vicino al panificio", "il nuovo indirizzo è {A} me lo può aggiornare", "{P} di {C} ha detto che il {R} è guasto",
		"ho ordinato il {R} il {D} per {N} euro", "{P} mi ha detto che costa {W} al mese"},
	"nl": {"met {P} van {C}, u had mij gebeld", "Hallo, {P} van {C}.", "kunt u mij doorverbinden met {P} van de administratie",
		"lever het af op {A} het huis met de groene deur", "het nieuwe adres is {A} kunt u dat aanpassen", "{P} van {C} zei dat de {R} kapot is",
		"ik heb de {R} op {D} besteld voor {N} euro", "{P} zei dat het {W} per maand kost"},
	"pt": {"fala {P} da {C}, tinham-me ligado", "Olá, {P} da {C}.", "pode passar-me ao {P} da contabilidade",
		"deixe na {A} o portão verde ao lado da padaria", "a morada nova é {A}, pode atualizar?", "{P} da {C} disse que o {R} está avariado",
		"encomendei o {R} a {D} por {N} euros", "{P} disse que custa {W} por mês"},
}

var companyWords = []string{"Dental", "Energy", "Telecom", "Solutions", "Services", "Plus", "Direct", "Net", "Fibra", "Group", "Bank", "Insurance", "Motors", "Clinic", "Media", "Total", "Nord", "Sud"}

func (g *generator) company(lang string) string {
	name := g.madeUp()
	if g.chance(0.3) {
		name = g.pick(g.places[lang].City)
	}
	return name + " " + g.pick(companyWords)
}

func (g *generator) product() string {
	base := []string{"Galaxy", "Kindle", "Pixel", "Surface", "AirPods", "Echo", "Xperia", "ThinkPad", "PlayStation", "Roomba", "Nest", "FritzBox", "Livebox"}
	suffix := []string{"Pro", "Max", "Plus", "Mini", "Ultra", "Lite", "Paperwhite", "Air", "S", "X"}
	p := g.pick(base)
	if g.chance(0.6) {
		p += " " + g.pick(suffix)
	}
	if g.chance(0.4) {
		p += " " + fmt.Sprint(1+g.rnd.IntN(30))
	}
	return p
}

func (g *generator) amount() string {
	n := fmt.Sprint(1 + g.rnd.IntN(pickInt(g, 12, 100, 5000)))
	if g.chance(0.3) {
		n += g.pick([]string{",", "."}) + fmt.Sprintf("%02d", g.rnd.IntN(100))
	}
	return n
}

var numberWordLists = map[string][]string{
	"en": {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "twelve", "twenty", "thirty", "forty", "fifty", "hundred", "ninety-nine"},
	"de": {"eins", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun", "zehn", "zwanzig", "dreißig", "hundert", "neunundvierzig"},
	"fr": {"un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix", "vingt", "trente", "cent", "quarante-neuf"},
	"es": {"uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve", "diez", "veinte", "treinta", "cien", "cuarenta y nueve"},
	"it": {"uno", "due", "tre", "quattro", "cinque", "sei", "sette", "otto", "nove", "dieci", "venti", "trenta", "cento", "quarantanove"},
	"nl": {"een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen", "tien", "twintig", "dertig", "honderd", "negenenveertig"},
	"pt": {"um", "dois", "três", "quatro", "cinco", "seis", "sete", "oito", "nove", "dez", "vinte", "trinta", "cem", "quarenta e nove"},
}

func (g *generator) numberWords(lang string) string {
	w := g.pick(numberWordLists[lang])
	for n := g.rnd.IntN(3); n > 0; n-- {
		w += " " + g.pick(numberWordLists[lang])
	}
	return w
}

var monthNames = map[string][]string{
	"en": {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
	"de": {"Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"},
	"fr": {"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"},
	"es": {"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"},
	"it": {"gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre"},
	"nl": {"januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"},
	"pt": {"janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro", "outubro", "novembro", "dezembro"},
}

func (g *generator) date(lang string) string {
	day, year := 1+g.rnd.IntN(28), 2020+g.rnd.IntN(8)
	m := g.pick(monthNames[lang])
	switch x := g.rnd.Float64(); {
	case x < 0.3:
		return fmt.Sprintf("%02d/%02d/%d", day, 1+g.rnd.IntN(12), year)
	case lang == "en" && x < 0.6:
		return fmt.Sprintf("%s %d, %d", m, day, year)
	case lang == "de":
		return fmt.Sprintf("%d. %s %d", day, m, year)
	case lang == "es" || lang == "pt":
		return fmt.Sprintf("%d de %s de %d", day, m, year)
	}
	return fmt.Sprintf("%d %s %d", day, m, year)
}

// builder assembles a sentence and the spans of what it fills in, with
// the sentence's case and punctuation style applied piece by piece so
// offsets stay exact.
type builder struct {
	b          strings.Builder
	spans      []redact.Span
	lower      bool
	noPunct    bool
	sentenceUp bool
}

func (s *builder) text(t string) {
	if s.noPunct {
		t = strings.Map(func(r rune) rune {
			if strings.ContainsRune(".,?!¿¡", r) {
				return -1
			}
			return r
		}, t)
	}
	if s.lower {
		t = strings.ToLower(t)
	}
	if s.b.Len() == 0 && s.sentenceUp && t != "" {
		r, n := utf8.DecodeRuneInString(t)
		t = string(unicode.ToUpper(r)) + t[n:]
	}
	s.b.WriteString(t)
}

func (s *builder) entity(t string, typ redact.EntityType) {
	start := s.b.Len()
	s.text(t)
	s.spans = append(s.spans, redact.Span{Start: start, End: s.b.Len(), Type: typ})
}

func (g *generator) sentence(lang string) redact.TaggerExample {
	s := &builder{lower: g.chance(0.45), noPunct: g.chance(0.25)}
	s.sentenceUp = !s.lower || g.chance(0.2)
	frame := g.pick(frames[lang])
	switch x := g.rnd.Float64(); {
	case x < 0.3:
		frame = g.pick(negatives[lang])
	case x < 0.45:
		frame = g.pick(mixed[lang])
	}
	for frame != "" {
		i := strings.IndexByte(frame, '{')
		if i < 0 {
			s.text(frame)
			break
		}
		s.text(frame[:i])
		slot := frame[i : i+3]
		frame = frame[i+3:]
		switch slot {
		case "{P}":
			s.entity(g.personName(lang), redact.Person)
		case "{A}":
			s.entity(g.address(lang), redact.Address)
		case "{N}":
			s.text(g.amount())
		case "{C}":
			s.text(g.company(lang))
		case "{R}":
			s.text(g.product())
		case "{W}":
			s.text(g.numberWords(lang))
		case "{D}":
			s.text(g.date(lang))
		}
	}
	return redact.TaggerExample{Text: s.b.String(), Language: lang, Spans: s.spans}
}
