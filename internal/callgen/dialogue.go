package callgen

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// person is a synthetic person drawn from a language's name lists.
type person struct{ first, last string }

func (p person) full() string { return p.first + " " + p.last }

func drawPerson(r *rand.Rand, lp *langPack) person {
	return person{first: pick(r, lp.firstNames), last: pick(r, lp.lastNames)}
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// asciiFold turns a name into what people type in an email address:
// "Müller" -> "mueller", "van den Berg" -> "vandenberg".
func asciiFold(s string) string {
	var b strings.Builder
	for _, c := range strings.ToLower(s) {
		switch c {
		case 'ä', 'æ':
			b.WriteString("ae")
		case 'ö', 'œ':
			b.WriteString("oe")
		case 'ü':
			b.WriteString("ue")
		case 'ß':
			b.WriteString("ss")
		case 'à', 'á', 'â', 'ã':
			b.WriteByte('a')
		case 'ç':
			b.WriteByte('c')
		case 'è', 'é', 'ê', 'ë':
			b.WriteByte('e')
		case 'ì', 'í', 'î', 'ï':
			b.WriteByte('i')
		case 'ñ':
			b.WriteByte('n')
		case 'ò', 'ó', 'ô', 'õ':
			b.WriteByte('o')
		case 'ù', 'ú', 'û':
			b.WriteByte('u')
		case ' ', '\'', '-':
		default:
			if c < 128 {
				b.WriteRune(c)
			}
		}
	}
	return b.String()
}

// emailFor draws an address for a person, written and spoken
// ("peter punkt mueller at gmx punkt de").
func emailFor(r *rand.Rand, lp *langPack, p person) (written, spoken string) {
	first, last := asciiFold(p.first), asciiFold(p.last)
	host := pick(r, lp.emailHosts)
	var local string
	spokenLocal := ""
	switch r.IntN(3) {
	case 0:
		local = first + "." + last
		spokenLocal = first + " " + lp.dot + " " + last
	case 1:
		local = first[:1] + last
		spokenLocal = local
	default:
		local = first + last + strconv.Itoa(r.IntN(90)+10)
		spokenLocal = ""
	}
	written = local + "@" + host
	if spokenLocal == "" {
		// Spoken addresses with digits get read digit by digit; keep the
		// spoken form to letters-only locals, which is what people spell.
		spokenLocal = first + " " + lp.dot + " " + last
	}
	spoken = spokenLocal + " " + lp.at + " " + strings.ReplaceAll(host, ".", " "+lp.dot+" ")
	return written, spoken
}

// luhnCard draws a 16-digit Visa or Mastercard number with a valid Luhn
// check digit.
func luhnCard(r *rand.Rand) string {
	d := make([]byte, 16)
	if r.IntN(2) == 0 {
		d[0] = 4
	} else {
		d[0], d[1] = 5, byte(1+r.IntN(5))
	}
	start := 1
	if d[0] == 5 {
		start = 2
	}
	for i := start; i < 15; i++ {
		d[i] = byte(r.IntN(10))
	}
	d[15] = luhnCheckDigit(d[:15])
	out := make([]byte, 16)
	for i, v := range d {
		out[i] = '0' + v
	}
	return string(out)
}

// luhnCheckDigit computes the digit that makes payload+digit Luhn-valid.
func luhnCheckDigit(payload []byte) byte {
	sum := 0
	double := true // the check digit's neighbour is doubled
	for i := len(payload) - 1; i >= 0; i-- {
		v := int(payload[i])
		if double {
			v *= 2
			if v > 9 {
				v -= 9
			}
		}
		sum += v
		double = !double
	}
	return byte((10 - sum%10) % 10)
}

// bbanLayout is the national part of an IBAN per country ('#' digit, '@'
// upper-case letter), with the lengths of the SWIFT IBAN registry. "" means
// the country has no IBANs.
func bbanLayout(region string) string {
	switch region {
	case "DE":
		return "##################" // 8 BLZ + 10 account
	case "AT":
		return "################" // 5 + 11
	case "FR":
		return "#######################" // 5 bank + 5 branch + 11 account + 2 key
	case "ES":
		return "####################" // 4 + 4 + 2 + 10
	case "IT":
		return "@######################" // CIN + 5 ABI + 5 CAB + 12
	case "NL":
		return "@@@@##########" // bank code + 10
	case "PT":
		return "#####################" // 21
	case "GB":
		return "@@@@##############" // bank + sort code + account
	}
	return ""
}

// ibanFor draws an IBAN of region with valid ISO 13616 check digits
// (mod 97 == 1). It returns "" for regions without IBANs.
func ibanFor(r *rand.Rand, region string) string {
	bban := bbanLayout(region)
	if bban == "" {
		return ""
	}
	b := []byte(bban)
	banks := map[string][]string{"NL": {"ABNA", "INGB", "RABO", "SNSB", "TRIO", "KNAB"}, "GB": {"NWBK", "BARC", "LOYD", "HBUK", "MIDL"}}
	if codes, ok := banks[region]; ok {
		copy(b, pick(r, codes))
	}
	for i, c := range b {
		switch c {
		case '#':
			b[i] = byte('0' + r.IntN(10))
		case '@':
			b[i] = byte('A' + r.IntN(26))
		}
	}
	check := 98 - mod97(string(b)+region+"00")
	return region + string([]byte{byte('0' + check/10), byte('0' + check%10)}) + string(b)
}

// mod97 computes the ISO 7064 MOD 97-10 remainder of s with letters
// counted as 10..35.
func mod97(s string) int {
	rem := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			rem = (rem*10 + int(c-'0')) % 97
		case c >= 'A' && c <= 'Z':
			rem = (rem*100 + int(c-'A') + 10) % 97
		}
	}
	return rem
}

// ibanValid reports whether s (spaces allowed) has valid IBAN check digits.
func ibanValid(s string) bool {
	s = strings.ReplaceAll(s, " ", "")
	if len(s) < 5 {
		return false
	}
	return mod97(s[4:]+s[:4]) == 1
}

// groupBy4 writes s in groups of four, the way IBANs and cards are printed.
func groupBy4(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i += 4 {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(s[i:min(i+4, len(s))])
	}
	return b.String()
}

func dateOfBirth(r *rand.Rand, lp *langPack, region string) string {
	y := 1940 + r.IntN(65)
	m := 1 + r.IntN(12)
	d := 1 + r.IntN(28)
	dd, mm, yyyy := pad2(d), pad2(m), strconv.Itoa(y)
	month := lp.months[m-1]
	numeric := r.IntN(2) == 0
	switch lp.code {
	case "en":
		if region == "US" {
			if numeric {
				return mm + "/" + dd + "/" + yyyy
			}
			return month + " " + strconv.Itoa(d) + ", " + yyyy
		}
		if numeric {
			return dd + "/" + mm + "/" + yyyy
		}
		return strconv.Itoa(d) + " " + month + " " + yyyy
	case "de":
		if numeric {
			return dd + "." + mm + "." + yyyy
		}
		return strconv.Itoa(d) + ". " + month + " " + yyyy
	case "nl":
		if numeric {
			return dd + "-" + mm + "-" + yyyy
		}
		return strconv.Itoa(d) + " " + month + " " + yyyy
	case "es", "pt":
		if numeric {
			return dd + "/" + mm + "/" + yyyy
		}
		return strconv.Itoa(d) + " de " + month + " de " + yyyy
	default: // fr, it
		if numeric {
			return dd + "/" + mm + "/" + yyyy
		}
		return strconv.Itoa(d) + " " + month + " " + yyyy
	}
}

func pad2(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// postcode fills a postcode pattern ('#' digit, '@' letter).
func postcode(r *rand.Rand, pattern string) string {
	const letters = "ABCEGHJKLMNPRSTVWXZ"
	b := []byte(pattern)
	for i, c := range b {
		switch c {
		case '#':
			b[i] = byte('0' + r.IntN(10))
		case '@':
			b[i] = letters[r.IntN(len(letters))]
		}
	}
	return string(b)
}

// addressFor draws a postal address laid out as the region writes it.
func addressFor(r *rand.Rand, lp *langPack, region string) (addr string, c city, zip string) {
	c = pick(r, lp.cities[region])
	zip = postcode(r, c.postcode)
	street := pick(r, lp.streets)
	n := strconv.Itoa(1 + r.IntN(180))
	switch region {
	case "US":
		return n + " " + street + ", " + c.name + ", " + c.state + " " + zip, c, zip
	case "GB":
		return n + " " + street + ", " + c.name + " " + zip, c, zip
	case "FR":
		return n + " " + street + ", " + zip + " " + c.name, c, zip
	default:
		return street + " " + n + ", " + zip + " " + c.name, c, zip
	}
}

func priceFor(r *rand.Rand, lp *langPack, region string) string {
	layoutText := lp.currency
	if region == "GB" {
		layoutText = "£#.%"
	}
	cents := pick(r, []string{"00", "50", "90", "99"})
	whole := strconv.Itoa(9 + r.IntN(490))
	return strings.NewReplacer("#", whole, "%", cents).Replace(layoutText)
}

func timeOfDay(r *rand.Rand, lp *langPack) string {
	t := time.Date(2000, 1, 1, 8+r.IntN(10), 15*r.IntN(4), 0, 0, time.UTC)
	l := pick(r, lp.timeLayouts)
	if !strings.Contains(l, "04") {
		t = t.Truncate(time.Hour)
	}
	return t.Format(l)
}

// dialogueInput is what a dialogue needs to know about its call.
type dialogueInput struct {
	lp      *langPack
	region  string
	company string
	// agentName and customerName are what the speakers call themselves;
	// *FromMetadata says the same string (or its parts) is in the metadata.
	agentName, customerName                 string
	agentFromMetadata, customerFromMetadata bool
	customer                                person
	// callerNumber is the external party's number; withheld is true when
	// the metadata does not carry it.
	callerNumber phoneNumber
	withheld     bool
}

type dialogue struct {
	utterances []Utterance
	pii        []PII
	harmless   []Harmless
}

// buildDialogue assembles a two-speaker support or sales call of 4-12
// utterances: greeting, introduction, the customer's issue, one to three
// exchanges where the agent asks for personal data and the customer gives
// it, optionally a harmless statement with prices or times, and goodbyes.
func buildDialogue(r *rand.Rand, in dialogueInput) dialogue {
	var d dialogue
	lp := in.lp
	say := func(role Role, tmpl string) {
		idx := len(d.utterances)
		text := fillTemplate(tmpl, func(slot string) string {
			v, pii, harmless := in.slotValue(r, slot)
			if pii != nil {
				pii.Utterance = idx
				d.pii = append(d.pii, *pii)
			}
			if harmless != nil {
				harmless.Utterance = idx
				d.harmless = append(d.harmless, *harmless)
			}
			return v
		})
		d.utterances = append(d.utterances, Utterance{Speaker: role, Text: text})
	}
	say(RoleAgent, pick(r, lp.greetings))
	say(RoleCustomer, pick(r, lp.intros))
	say(RoleCustomer, pick(r, lp.issues))

	slots := []piiSlot{slotPhone, slotEmail, slotCard, slotIBAN, slotDOB, slotAddress}
	if bbanLayout(in.region) == "" {
		slots = without(slots, slotIBAN)
	}
	r.Shuffle(len(slots), func(i, j int) { slots[i], slots[j] = slots[j], slots[i] })
	exchanges := r.IntN(4) // 0..3
	if exchanges == 0 {
		// Without questions the agent still looks something up before
		// wrapping up.
		say(RoleAgent, pick(r, lp.fillers))
	}
	for _, s := range slots[:exchanges] {
		say(RoleAgent, pick(r, lp.asks[s]))
		say(RoleCustomer, pick(r, lp.answers[s]))
		if r.IntN(4) == 0 && len(d.utterances) < 8 {
			say(RoleAgent, pick(r, lp.fillers))
		}
	}
	harmless := r.Perm(len(lp.harmless))[:r.IntN(3)]
	for _, h := range harmless {
		if len(d.utterances) > 9 {
			break
		}
		say(RoleAgent, lp.harmless[h])
	}
	say(RoleAgent, pick(r, lp.closingsAgent))
	if len(d.utterances) < 12 {
		say(RoleCustomer, pick(r, lp.closingsCustomer))
	}
	return d
}

// without returns xs without v.
func without(xs []piiSlot, v piiSlot) []piiSlot {
	out := xs[:0]
	for _, x := range xs {
		if x != v {
			out = append(out, x)
		}
	}
	return out
}

// slotValue renders one placeholder and says what kind of value it is.
func (in dialogueInput) slotValue(r *rand.Rand, slot string) (string, *PII, *Harmless) {
	lp := in.lp
	switch slot {
	case "company":
		return in.company, nil, nil
	case "agent":
		return in.agentName, &PII{Value: in.agentName, Type: PIIPerson, FromMetadata: in.agentFromMetadata}, nil
	case "customer":
		return in.customerName, &PII{Value: in.customerName, Type: PIIPerson, FromMetadata: in.customerFromMetadata}, nil
	case "phone":
		num := in.callerNumber
		own := !in.withheld && r.IntN(2) == 0
		if !own {
			num = drawNumber(r, plansByRegion(in.region)[0])
		}
		written := num.national
		if r.IntN(4) == 0 {
			written = num.international
		}
		p := &PII{Type: PIIPhoneNumber, FromMetadata: own}
		if r.IntN(5) < 2 {
			p.Value, p.Spoken = spokenDigits(lp, written), true
		} else {
			p.Value = written
		}
		return p.Value, p, nil
	case "email":
		written, spoken := emailFor(r, lp, in.customer)
		p := &PII{Value: written, Type: PIIEmail}
		if r.IntN(2) == 0 {
			p.Value, p.Spoken = spoken, true
		}
		return p.Value, p, nil
	case "card":
		card := luhnCard(r)
		if r.IntN(10) < 7 {
			card = groupBy4(card)
		}
		return card, &PII{Value: card, Type: PIICreditCard}, nil
	case "iban":
		iban := ibanFor(r, in.region)
		if r.IntN(10) < 7 {
			iban = groupBy4(iban)
		}
		return iban, &PII{Value: iban, Type: PIIIBAN}, nil
	case "dob":
		v := dateOfBirth(r, lp, in.region)
		return v, &PII{Value: v, Type: PIIDateOfBirth}, nil
	case "address":
		v, _, _ := addressFor(r, lp, in.region)
		return v, &PII{Value: v, Type: PIIAddress}, nil
	case "price":
		v := priceFor(r, lp, in.region)
		return v, nil, &Harmless{Value: v, Kind: "price"}
	case "time":
		v := timeOfDay(r, lp)
		return v, nil, &Harmless{Value: v, Kind: "time"}
	case "count":
		v := strconv.Itoa(2 + r.IntN(11))
		return v, nil, &Harmless{Value: v, Kind: "count"}
	}
	// An unknown slot is a template bug; leave it visible so tests catch it.
	return "{" + slot + "}", nil, nil
}

// fillTemplate replaces each {slot} with fill(slot), left to right, so that
// random draws happen in a fixed order.
func fillTemplate(tmpl string, fill func(string) string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(tmpl, '{')
		if i < 0 {
			b.WriteString(tmpl)
			return b.String()
		}
		j := strings.IndexByte(tmpl[i:], '}')
		if j < 0 {
			b.WriteString(tmpl)
			return b.String()
		}
		b.WriteString(tmpl[:i])
		b.WriteString(fill(tmpl[i+1 : i+j]))
		tmpl = tmpl[i+j+1:]
	}
}
