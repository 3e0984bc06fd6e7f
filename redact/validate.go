package redact

// Checksum and format validators. Each takes the normalised characters
// (digits, upper-case letters, no separators) and says whether they form a
// well-formed identifier; none of them ever reports the value anywhere.

// luhn reports whether digits pass the Luhn check (payment cards).
func luhn(digits string) bool {
	if len(digits) < 2 {
		return false
	}
	sum := 0
	double := false
	for i := len(digits) - 1; i >= 0; i-- {
		c := digits[i]
		if c < '0' || c > '9' {
			return false
		}
		d := int(c - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return sum%10 == 0
}

// cardPrefix reports whether digits start like a card of a major scheme
// (Visa, Mastercard, Amex, Discover, Diners, JCB, UnionPay, Maestro) with a
// length that scheme issues.
func cardPrefix(d string) bool {
	n := len(d)
	p2 := atoiN(d, 2)
	p4 := atoiN(d, 4)
	switch {
	case d[0] == '4':
		return n == 13 || n == 16 || n == 19
	case p2 >= 51 && p2 <= 55, p4 >= 2221 && p4 <= 2720:
		return n == 16
	case p2 == 34 || p2 == 37:
		return n == 15
	case p4 == 6011 || p2 == 65 || (p2 == 64 && d[2] >= '4'):
		return n >= 16 && n <= 19
	case p2 == 36 || p2 == 38 || p2 == 30:
		return n >= 14 && n <= 19
	case p2 == 35:
		return n >= 16 && n <= 19
	case p2 == 62:
		return n >= 16 && n <= 19
	case p2 == 50 || p2 >= 56 && p2 <= 69:
		return n >= 12 && n <= 19
	}
	return false
}

func atoiN(s string, n int) int {
	v := 0
	for i := 0; i < n && i < len(s); i++ {
		v = v*10 + int(s[i]-'0')
	}
	return v
}

// ibanLengths is the IBAN length per country (SWIFT IBAN registry).
var ibanLengths = map[string]int{
	"AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BR": 29,
	"BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28, "EE": 20, "EG": 29,
	"ES": 24, "FI": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28,
	"HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20,
	"LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27, "MD": 24, "ME": 22, "MK": 19,
	"MR": 27, "MT": 31, "MU": 30, "NL": 18, "NO": 15, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29,
	"RO": 24, "RS": 22, "SA": 24, "SC": 31, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "ST": 25, "SV": 28,
	"TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20,
	// Later registry releases.
	"BI": 27, "DJ": 27, "FK": 18, "HN": 28, "LY": 25, "MN": 20, "NI": 28, "OM": 23, "RU": 33, "SD": 18,
	"SO": 23, "YE": 30,
	// Published by the country and validated by banks, outside the registry.
	"MG": 27,
}

// ibanOldLengths are lengths a country used before a registry change;
// accounts opened then are still quoted (Costa Rica went from 21 to 22).
var ibanOldLengths = map[string]int{"CR": 21}

// validIBAN checks country length and the ISO 7064 mod-97 check.
func validIBAN(s string) bool {
	if len(s) < 15 {
		return false
	}
	n, ok := ibanLengths[s[:2]]
	if old, has := ibanOldLengths[s[:2]]; has && old == len(s) {
		n = old
	}
	if !ok || n != len(s) || !isDigit(s[2]) || !isDigit(s[3]) {
		return false
	}
	rem := 0
	for i := 0; i < len(s); i++ {
		c := s[(i+4)%len(s)]
		switch {
		case isDigit(c):
			rem = (rem*10 + int(c-'0')) % 97
		case c >= 'A' && c <= 'Z':
			rem = (rem*100 + int(c-'A'+10)) % 97
		default:
			return false
		}
	}
	return rem == 1
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return len(s) > 0
}

// validSSN checks a US Social Security number's structure: area not 000,
// 666 or 9xx; group not 00; serial not 0000; and not one of the numbers
// published in advertising.
func validSSN(d string) bool {
	if len(d) != 9 || !allDigits(d) {
		return false
	}
	area, group, serial := atoiN(d, 3), atoiN(d[3:], 2), atoiN(d[5:], 4)
	if area == 0 || area == 666 || area >= 900 || group == 0 || serial == 0 {
		return false
	}
	switch d {
	case "078051120", "219099999":
		return false
	}
	return !sameDigits(d)
}

func sameDigits(d string) bool {
	for i := 1; i < len(d); i++ {
		if d[i] != d[0] {
			return false
		}
	}
	return true
}

// validNINO checks a UK National Insurance number: two prefix letters from
// the allowed set, six digits, suffix A-D.
func validNINO(s string) bool {
	if len(s) != 9 || !allDigits(s[2:8]) {
		return false
	}
	a, b, suf := s[0], s[1], s[8]
	if !isUpper(a) || !isUpper(b) || suf < 'A' || suf > 'D' {
		return false
	}
	if a == 'D' || a == 'F' || a == 'I' || a == 'Q' || a == 'U' || a == 'V' {
		return false
	}
	if b == 'D' || b == 'F' || b == 'I' || b == 'O' || b == 'Q' || b == 'U' || b == 'V' {
		return false
	}
	switch s[:2] {
	case "BG", "GB", "KN", "NK", "NT", "TN", "ZZ":
		return false
	}
	return true
}

func isUpper(c byte) bool { return c >= 'A' && c <= 'Z' }

// validSteuerID checks a German tax identification number: 11 digits, no
// leading zero, in the first ten exactly one digit repeated (twice or three
// times) and the check digit by ISO 7064 MOD 11,10.
func validSteuerID(d string) bool {
	if len(d) != 11 || !allDigits(d) || d[0] == '0' {
		return false
	}
	var count [10]int
	for i := 0; i < 10; i++ {
		count[d[i]-'0']++
	}
	repeated, missing := 0, 0
	for _, c := range count {
		switch {
		case c == 0:
			missing++
		case c == 2 || c == 3:
			repeated++
		case c > 3:
			return false
		}
	}
	if repeated != 1 || (missing != 1 && missing != 2) {
		return false
	}
	product := 10
	for i := 0; i < 10; i++ {
		sum := (int(d[i]-'0') + product) % 10
		if sum == 0 {
			sum = 10
		}
		product = (sum * 2) % 11
	}
	check := 11 - product
	if check == 10 {
		check = 0
	}
	return check == int(d[10]-'0')
}

// validNIR checks a French social security number (NIR): 13 characters
// (Corsican departments 2A/2B allowed) and a two-digit key equal to 97
// minus the number mod 97.
func validNIR(s string) bool {
	if len(s) != 15 {
		return false
	}
	body := s[:13]
	if s[5] == '2' && (s[6] == 'A' || s[6] == 'B') {
		// Corsica: department 2A counts as 19 and 2B as 18 in the key.
		repl := "19"
		if s[6] == 'B' {
			repl = "18"
		}
		body = body[:5] + repl + body[7:]
		s = body + s[13:]
	}
	if !allDigits(s) {
		return false
	}
	switch s[0] {
	case '1', '2', '3', '4', '7', '8':
	default:
		return false
	}
	if m := atoiN(s[3:], 2); !(m >= 1 && m <= 12 || m >= 20 && m <= 42 || m >= 50 && m <= 99) {
		return false
	}
	n, _ := mod97(body)
	return 97-n == atoiN(s[13:], 2)
}

func mod97(d string) (int, bool) {
	rem := 0
	for i := 0; i < len(d); i++ {
		if !isDigit(d[i]) {
			return 0, false
		}
		rem = (rem*10 + int(d[i]-'0')) % 97
	}
	return rem, true
}

const dniLetters = "TRWAGMYFPDXBNJZSQVHLCKE"

// validDNI checks a Spanish DNI (8 digits + control letter) or NIE (X/Y/Z +
// 7 digits + control letter).
func validDNI(s string) bool {
	if len(s) != 9 {
		return false
	}
	body := s[:8]
	switch s[0] {
	case 'X':
		body = "0" + s[1:8]
	case 'Y':
		body = "1" + s[1:8]
	case 'Z':
		body = "2" + s[1:8]
	}
	if !allDigits(body) {
		return false
	}
	n := 0
	for i := 0; i < 8; i++ {
		n = n*10 + int(body[i]-'0')
	}
	return s[8] == dniLetters[n%23]
}

// validBSN checks a Dutch citizen service number with the 11-proof.
func validBSN(d string) bool {
	if len(d) != 9 || !allDigits(d) || sameDigits(d) {
		return false
	}
	sum := 0
	for i := 0; i < 8; i++ {
		sum += int(d[i]-'0') * (9 - i)
	}
	sum -= int(d[8] - '0')
	return sum%11 == 0 && sum != 0
}

// validNIF checks a Portuguese tax number: 9 digits, a valid first digit,
// mod-11 check digit.
func validNIF(d string) bool {
	if len(d) != 9 || !allDigits(d) {
		return false
	}
	switch d[0] {
	case '1', '2', '3', '5', '6', '8', '9':
	default:
		return false
	}
	sum := 0
	for i := 0; i < 8; i++ {
		sum += int(d[i]-'0') * (9 - i)
	}
	check := 11 - sum%11
	if check >= 10 {
		check = 0
	}
	return int(d[8]-'0') == check
}

// validCodiceFiscale checks an Italian fiscal code: 6 letters, 2 digits, a
// month letter, 2 digits, a letter and 3 digits (digits may be replaced by
// letters for homonyms), and the check character.
func validCodiceFiscale(s string) bool {
	if len(s) != 16 {
		return false
	}
	for i := 0; i < 16; i++ {
		c := s[i]
		digitPos := i == 6 || i == 7 || i == 9 || i == 10 || i >= 12 && i <= 14
		switch {
		case digitPos:
			if !isDigit(c) && !isOmocodia(c) {
				return false
			}
		case !isUpper(c):
			return false
		}
	}
	if !isMonthLetter(s[8]) {
		return false
	}
	odd := [...]int{1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23}
	sum := 0
	for i := 0; i < 15; i++ {
		c := s[i]
		var v int
		if isDigit(c) {
			v = int(c - '0')
		} else {
			v = int(c - 'A')
		}
		if i%2 == 0 {
			sum += odd[v]
		} else {
			sum += v
		}
	}
	return s[15] == byte('A'+sum%26)
}

func isOmocodia(c byte) bool {
	switch c {
	case 'L', 'M', 'N', 'P', 'Q', 'R', 'S', 'T', 'U', 'V':
		return true
	}
	return false
}

func isMonthLetter(c byte) bool {
	switch c {
	case 'A', 'B', 'C', 'D', 'E', 'H', 'L', 'M', 'P', 'R', 'S', 'T':
		return true
	}
	return false
}
