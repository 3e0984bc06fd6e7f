package independent

import (
	"fmt"
	"math/big"
	"sort"
	"strconv"
	"strings"

	"github.com/nyaruka/phonenumbers/v2"
)

// Identifiers generated from their public specifications, each with a
// near-miss that breaks the specification (for "negatives left alone").

// ssn is a US Social Security number per the SSA's structure: area
// 001-899 but not 666, group 01-99, serial 0001-9999.
func (g *gen) ssn() string {
	area := 1 + g.rng.IntN(899)
	if area == 666 {
		area = 667
	}
	return fmt.Sprintf("%03d%02d%04d", area, 1+g.rng.IntN(99), 1+g.rng.IntN(9999))
}

func (g *gen) badSSN() string {
	switch g.rng.IntN(4) {
	case 0:
		return "000" + g.ssn()[3:]
	case 1:
		return "666" + g.ssn()[3:]
	case 2:
		s := g.ssn()
		return s[:3] + "00" + s[5:]
	default:
		s := g.ssn()
		return s[:5] + "0000"
	}
}

func formatSSN(s, sep string) string { return s[:3] + sep + s[3:5] + sep + s[5:] }

// nino is a UK National Insurance number: two prefix letters (first not
// D F I Q U V, second not D F I O Q U V, not BG GB KN NK NT TN ZZ), six
// digits, suffix A-D.
func (g *gen) nino() string {
	const first, second = "ABCEGHJKLMNOPRSTWXYZ", "ABCEGHJKLMNPRSTWXYZ"
	for {
		p := string(first[g.rng.IntN(len(first))]) + string(second[g.rng.IntN(len(second))])
		switch p {
		case "BG", "GB", "KN", "NK", "NT", "TN", "ZZ":
			continue
		}
		return p + g.digits(6) + string("ABCD"[g.rng.IntN(4)])
	}
}

func (g *gen) badNINO() string {
	n := g.nino()
	return string("DFIQUV"[g.rng.IntN(6)]) + n[1:]
}

func formatNINO(n string, spaced bool) string {
	if !spaced {
		return n
	}
	return n[:2] + " " + n[2:4] + " " + n[4:6] + " " + n[6:8] + " " + n[8:]
}

const dniLetters = "TRWAGMYFPDXBNJZSQVHLCKE"

// nif is a Spanish DNI (8 digits and the mod-23 letter) or NIE (X/Y/Z, 7
// digits, letter of the number with X=0 Y=1 Z=2).
func (g *gen) nif(nie bool) string {
	if nie {
		p := g.rng.IntN(3)
		d := g.digits(7)
		n, _ := strconv.Atoi(strconv.Itoa(p) + d)
		return string("XYZ"[p]) + d + string(dniLetters[n%23])
	}
	d := g.digits(8)
	n, _ := strconv.Atoi(d)
	return d + string(dniLetters[n%23])
}

func (g *gen) badNIF() string {
	s := g.nif(g.chance(0.3))
	last := s[len(s)-1]
	i := (strings.IndexByte(dniLetters, last) + 1 + g.rng.IntN(22)) % 23
	return s[:len(s)-1] + string(dniLetters[i])
}

// codiceFiscale builds an Italian fiscal code from a surname, a given
// name and a birth date per DM 23/12/1976, with its check character;
// omocodia replaces digits from the right with L M N P Q R S T U V.
func (g *gen) codiceFiscale(surname, given string, omocodia int) string {
	code := cfName(surname, false) + cfName(given, true)
	year := 40 + g.rng.IntN(60)
	month := "ABCDEHLMPRST"[g.rng.IntN(12)]
	day := 1 + g.rng.IntN(28)
	if g.chance(0.5) {
		day += 40
	}
	place := string(rune('A'+g.rng.IntN(13))) + g.digits(3)
	code += fmt.Sprintf("%02d%c%02d%s", year, month, day, place)
	b := []byte(code)
	const omo = "LMNPQRSTUV"
	for _, pos := range []int{14, 13, 12, 10, 9, 7, 6} {
		if omocodia == 0 {
			break
		}
		b[pos] = omo[b[pos]-'0']
		omocodia--
	}
	return string(b) + string(cfCheck(string(b)))
}

func cfName(s string, given bool) string {
	var cons, vow []byte
	for _, r := range strings.ToUpper(asciiFold(s)) {
		switch {
		case strings.ContainsRune("AEIOU", r):
			vow = append(vow, byte(r))
		case r >= 'A' && r <= 'Z':
			cons = append(cons, byte(r))
		}
	}
	if given && len(cons) >= 4 {
		cons = []byte{cons[0], cons[2], cons[3]}
	}
	out := append(append(cons, vow...), 'X', 'X', 'X')
	return string(out[:3])
}

func cfCheck(s string) byte {
	odd := []int{1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23}
	sum := 0
	for i := 0; i < 15; i++ {
		c := s[i]
		v := int(c - 'A')
		if c >= '0' && c <= '9' {
			v = int(c - '0')
		}
		if i%2 == 0 { // odd positions, 1-based
			sum += odd[v]
		} else {
			sum += v
		}
	}
	return byte('A' + sum%26)
}

// steuerID is a German tax identification number: 11 digits, first not
// 0, in the first ten exactly one digit appears twice (or three times, not
// all adjacent) and some digit is missing, then the ISO 7064 MOD 11,10
// check digit.
func (g *gen) steuerID() string {
	for {
		perm := g.rng.Perm(10)
		ten := make([]byte, 0, 10)
		for _, d := range perm[:9] {
			ten = append(ten, byte('0'+d))
		}
		ten = append(ten, ten[g.rng.IntN(9)]) // one digit twice
		g.rng.Shuffle(len(ten), func(i, j int) { ten[i], ten[j] = ten[j], ten[i] })
		if ten[0] == '0' {
			continue
		}
		return string(ten) + string(mod1110(string(ten)))
	}
}

func mod1110(s string) byte {
	p := 10
	for i := 0; i < len(s); i++ {
		sum := (int(s[i]-'0') + p) % 10
		if sum == 0 {
			sum = 10
		}
		p = (sum * 2) % 11
	}
	c := 11 - p
	if c == 10 {
		c = 0
	}
	return byte('0' + c)
}

func formatSteuerID(s string, spaced bool) string {
	if !spaced {
		return s
	}
	return s[:2] + " " + s[2:5] + " " + s[5:8] + " " + s[8:]
}

// card is a payment card number of a real issuer range with its Luhn digit.
func (g *gen) card() string {
	prefix, length := "4", 16
	switch g.rng.IntN(5) {
	case 1:
		prefix = strconv.Itoa(51 + g.rng.IntN(5))
	case 2:
		prefix = strconv.Itoa(2221 + g.rng.IntN(500))
	case 3:
		prefix, length = g.pick([]string{"34", "37"}), 15
	case 4:
		prefix = "6011"
	}
	body := prefix + g.digits(length-1-len(prefix))
	return body + string(luhnDigit(body))
}

func luhnDigit(body string) byte {
	sum := 0
	for i := len(body) - 1; i >= 0; i-- {
		d := int(body[i] - '0')
		if (len(body)-i)%2 == 1 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return byte('0' + (10-sum%10)%10)
}

func (g *gen) badCard() string {
	c := g.card()
	last := c[len(c)-1]
	return c[:len(c)-1] + string('0'+(last-'0'+1+byte(g.rng.IntN(9)))%10)
}

// formatCard groups 4-4-4-4 (Amex 4-6-5) with sep, or not at all.
func formatCard(c, sep string) string {
	if sep == "" {
		return c
	}
	if len(c) == 15 {
		return c[:4] + sep + c[4:10] + sep + c[10:]
	}
	return c[:4] + sep + c[4:8] + sep + c[8:12] + sep + c[12:]
}

func ibanValid(s string) bool {
	if len(s) < 15 || len(s) > 34 {
		return false
	}
	r := s[4:] + s[:4]
	var b strings.Builder
	for _, c := range r {
		switch {
		case c >= '0' && c <= '9':
			b.WriteRune(c)
		case c >= 'A' && c <= 'Z':
			b.WriteString(strconv.Itoa(int(c-'A') + 10))
		default:
			return false
		}
	}
	n, ok := new(big.Int).SetString(b.String(), 10)
	return ok && new(big.Int).Mod(n, big.NewInt(97)).Int64() == 1
}

func printIBAN(s string) string {
	var parts []string
	for i := 0; i < len(s); i += 4 {
		parts = append(parts, s[i:min(i+4, len(s))])
	}
	return strings.Join(parts, " ")
}

func (g *gen) ipv4() string {
	return fmt.Sprintf("%d.%d.%d.%d", 1+g.rng.IntN(223), g.rng.IntN(256), g.rng.IntN(256), 1+g.rng.IntN(254))
}

func (g *gen) ipv6() string {
	var p []string
	for i := 0; i < 8; i++ {
		p = append(p, strconv.FormatInt(int64(g.rng.IntN(65536)), 16))
	}
	return "2001:db8:" + strings.Join(p[2:], ":")
}

// writtenEmail is an address in one of RFC 5321's dot-atom shapes.
func (g *gen) writtenEmail() string {
	var b strings.Builder
	for _, t := range g.localPart() {
		b.WriteString(t)
	}
	local := b.String()
	if g.chance(0.15) {
		local = strings.ToUpper(local[:1]) + local[1:]
	}
	domain := g.pick(emailDomains[g.lang])
	if g.chance(0.2) {
		domain = g.pick([]string{"mail.", "eu.", "staff."}) + domain
	}
	return local + "@" + domain
}

// phoneFormats renders a number in libphonenumber's formats.
func phoneFormats(num *phonenumbers.PhoneNumber) []string {
	return []string{
		phonenumbers.Format(num, phonenumbers.INTERNATIONAL),
		phonenumbers.Format(num, phonenumbers.E164),
		phonenumbers.Format(num, phonenumbers.NATIONAL),
	}
}

// usStyles are the US ways of writing a 10-digit number.
func usStyles(nsn string) []string {
	a, b, c := nsn[:3], nsn[3:6], nsn[6:]
	return []string{
		"(" + a + ") " + b + "-" + c, "+1-" + a + "-" + b + "-" + c, a + "." + b + "." + c,
		a + "-" + b + "-" + c, "+1 " + a + " " + b + " " + c, "1-" + a + "-" + b + "-" + c,
	}
}

// recognizerCases are short lines with one identifier each, or a near-miss
// that breaks its specification. Every region libphonenumber knows gives
// its example numbers; every IBAN registry country its example.
func (g *gen) recognizerCases() []Case {
	var out []Case
	// kind is the span type, optionally ":" and the recognizer (NATIONAL_ID:US_SSN).
	pos := func(kind, value string, frames ...string) {
		typ, _, _ := strings.Cut(kind, ":")
		c := g.frame(g.pick(frames), typ, value)
		c.Recognizer = kind
		out = append(out, c)
	}
	neg := func(nearMiss, value string, frames ...string) {
		l := &line{}
		before, after, _ := strings.Cut(g.pick(frames), "%s")
		l.text(before + value + after)
		c := g.done(l)
		c.NearMiss = nearMiss
		out = append(out, c)
	}
	cardF := []string{"card number %s", "%s", "paid with %s yesterday", "the card is %s"}
	for i := 0; i < 40; i++ {
		pos("CREDIT_CARD", formatCard(g.card(), g.pick([]string{" ", "-", ""})), cardF...)
	}
	for i := 0; i < 15; i++ {
		neg("CREDIT_CARD", formatCard(g.badCard(), g.pick([]string{" ", "-", ""})), "reference %s", "tracking %s", "order %s")
	}
	mailF := []string{"email %s", "%s", "write to %s today", "contact: %s"}
	for i := 0; i < 40; i++ {
		pos("EMAIL_ADDRESS", g.writtenEmail(), mailF...)
	}
	for _, v := range []string{"name@", "@support", "user at host", "a@b", "john.doe@localhost", "first..last@example.com"} {
		neg("EMAIL_ADDRESS", v, "see %s", "handle %s")
	}
	ibanF := []string{"IBAN %s", "%s", "account %s please", "transfer to %s"}
	regions := make([]ibanEntry, len(g.src.iban))
	copy(regions, g.src.iban)
	for _, e := range regions {
		if !ibanValid(e.Example) {
			continue
		}
		v := e.Example
		if g.chance(0.5) {
			v = printIBAN(v)
		}
		pos("IBAN", v, ibanF...)
	}
	for i := 0; i < 30; i++ {
		pos("IBAN", g.pick(g.src.ibanExamples), ibanF...)
	}
	for i := 0; i < 15; i++ {
		e := g.src.iban[g.rng.IntN(len(g.src.iban))].Example
		bad := e[:2] + fmt.Sprintf("%02d", (mustAtoi(e[2:4])+1+g.rng.IntN(90))%100) + e[4:]
		if !ibanValid(bad) {
			neg("IBAN", printIBAN(bad), "reference %s", "code %s")
		}
	}
	phoneF := []string{"phone %s", "%s", "call %s", "tel. %s"}
	var regs []string
	for r := range phonenumbers.GetSupportedRegions() {
		regs = append(regs, r)
	}
	sort.Strings(regs)
	for _, r := range regs {
		for _, typ := range []phonenumbers.PhoneNumberType{phonenumbers.FIXED_LINE, phonenumbers.MOBILE} {
			num := phonenumbers.GetExampleNumberForTypeInRegion(r, typ)
			if num == nil || !phonenumbers.IsValidNumber(num) {
				continue
			}
			fs := phoneFormats(num)
			pos("PHONE_NUMBER", fs[g.rng.IntN(2)], phoneF...) // international forms: unambiguous anywhere
		}
	}
	for i := 0; i < 15; i++ {
		neg("PHONE_NUMBER", g.pick([]string{"qty ", "", "x"})+g.digits(3+g.rng.IntN(3)), "order of %s units", "%s pcs")
	}
	ssnF := []string{"SSN %s", "social security number %s", "%s", "ssn: %s"}
	for i := 0; i < 30; i++ {
		pos("NATIONAL_ID:US_SSN", formatSSN(g.ssn(), g.pick([]string{"-", " ", ""})), ssnF...)
	}
	for i := 0; i < 10; i++ {
		neg("NATIONAL_ID:US_SSN", formatSSN(g.badSSN(), "-"), "ticket %s", "case %s")
	}
	ninoF := []string{"NI number %s", "national insurance %s", "%s"}
	for i := 0; i < 25; i++ {
		pos("NATIONAL_ID:UK_NINO", formatNINO(g.nino(), g.chance(0.5)), ninoF...)
	}
	for i := 0; i < 10; i++ {
		neg("NATIONAL_ID:UK_NINO", formatNINO(g.badNINO(), g.chance(0.5)), "code %s", "ref %s")
	}
	nifF := []string{"DNI %s", "NIE %s", "%s", "documento %s"}
	for i := 0; i < 25; i++ {
		v := g.nif(g.chance(0.4))
		if g.chance(0.3) {
			v = v[:len(v)-1] + "-" + v[len(v)-1:]
		}
		pos("NATIONAL_ID:ES_NIF", v, nifF...)
	}
	for i := 0; i < 10; i++ {
		neg("NATIONAL_ID:ES_NIF", g.badNIF(), "code %s", "ref %s")
	}
	cfF := []string{"codice fiscale %s", "%s", "CF %s"}
	for i := 0; i < 30; i++ {
		given, surname := g.person()
		v := g.codiceFiscale(surname, given, []int{0, 0, 1, 2, 3}[g.rng.IntN(5)])
		if g.chance(0.3) {
			v = strings.ToLower(v)
		}
		pos("NATIONAL_ID:IT_CF", v, cfF...)
	}
	for i := 0; i < 10; i++ {
		given, surname := g.person()
		v := g.codiceFiscale(surname, given, 0)
		neg("NATIONAL_ID:IT_CF", v[:15]+string('A'+(v[15]-'A'+1+byte(g.rng.IntN(24)))%26), "code %s", "ref %s")
	}
	stF := []string{"Steuer-ID %s", "Steueridentifikationsnummer %s", "%s", "tax id %s"}
	for i := 0; i < 30; i++ {
		pos("NATIONAL_ID:DE_STEUER_ID", formatSteuerID(g.steuerID(), g.chance(0.5)), stF...)
	}
	for i := 0; i < 10; i++ {
		s := g.steuerID()
		neg("NATIONAL_ID:DE_STEUER_ID", formatSteuerID(s[:10]+string('0'+(s[10]-'0'+1+byte(g.rng.IntN(9)))%10), g.chance(0.5)), "Bestellnummer %s", "order %s")
	}
	ipF := []string{"IP %s", "from %s", "%s", "address %s"}
	for i := 0; i < 25; i++ {
		v := g.ipv4()
		if i%5 == 4 {
			v = g.ipv6()
		}
		pos("IP_ADDRESS", v, ipF...)
	}
	for i := 0; i < 10; i++ {
		neg("IP_ADDRESS", fmt.Sprintf("%d.%d.%d", 1+g.rng.IntN(20), g.rng.IntN(20), g.rng.IntN(100)), "version %s", "release %s")
	}
	return out
}

func mustAtoi(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		panic(err)
	}
	return n
}

// writtenEnglish builds edited English sentences with several PII values
// each, around distractor numbers.
func (g *gen) writtenEnglish(n int) []Case {
	en := g.src.faker.Locales
	var out []Case
	for len(out) < n {
		given, surname := g.person()
		l := &line{}
		switch g.rng.IntN(8) {
		case 0:
			l.text("Contact ").pii("PERSON", given+" "+surname).text(" at ").pii("PHONE_NUMBER", g.usPhone()).text(" about order 4471.")
		case 1:
			l.pii("PERSON", given).text(" lives at ").pii("ADDRESS", g.usAddress(en)).text(".")
		case 2:
			l.text("Please update the card on file to ").pii("CREDIT_CARD", formatCard(g.card(), g.pick([]string{" ", "-", ""}))).
				text(" for ").pii("PERSON", given+" "+surname).text(", total $" + strconv.Itoa(20+g.rng.IntN(400)) + ".99.")
		case 3:
			l.text("Her SSN is ").pii("NATIONAL_ID", formatSSN(g.ssn(), "-")).text(" and she was seen from ").pii("IP_ADDRESS", g.ipv4()).text(".")
		case 4:
			l.text("Send the 3 forms to ").pii("PERSON", given+" "+surname).text(", ").pii("ADDRESS", g.ukAddress(en)).text(", by Friday.")
		case 5:
			l.text("You can reach ").pii("PERSON", given).text(" on ").pii("PHONE_NUMBER", g.ukPhone()).text(" or ").pii("EMAIL_ADDRESS", g.writtenEmail()).text(".")
		case 6:
			l.text("Ticket 20931: ").pii("PERSON", given+" "+surname).text(" called from ").pii("PHONE_NUMBER", g.usPhone()).text(" at 4:15 pm.")
		default:
			l.text("Mr. ").pii("PERSON", surname).text(" moved to ").pii("ADDRESS", g.usAddress(en)).text(" in 2019 with 2 kids.")
		}
		out = append(out, g.done(l))
	}
	return out
}

func (g *gen) usPhone() string {
	num := g.exampleNumber("US")
	return g.pick(usStyles(phonenumbers.GetNationalSignificantNumber(num)))
}

func (g *gen) ukPhone() string {
	return g.pick(phoneFormats(g.exampleNumber("GB")))
}

var usStates = strings.Fields("AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY")

func (g *gen) usAddress(loc map[string]fakerLocales) string {
	s := strconv.Itoa(1+g.rng.IntN(9899)) + " " + g.pick(loc["en_US"].StreetName)
	if g.chance(0.25) {
		s += ", Apt " + strconv.Itoa(1+g.rng.IntN(20)) + string("ABCD"[g.rng.IntN(4)])
	}
	return s + ", " + g.pick(loc["en_CA"].CityName) + ", " + g.pick(usStates) + " " + g.digits(5)
}

func (g *gen) ukAddress(loc map[string]fakerLocales) string {
	return strconv.Itoa(1+g.rng.IntN(200)) + " " + g.pick(loc["en_GB"].StreetName) + ", " +
		g.pick(loc["en_CA"].CityName) + " " + g.fillPattern(g.pick(loc["en_GB"].Postcode))
}
