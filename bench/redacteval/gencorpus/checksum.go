package main

import (
	"fmt"
	"math/big"
	"math/rand/v2"
	"strconv"
	"strings"
)

// This file generates identifiers that pass the real check-digit algorithms
// (and, for negatives, ones that deliberately fail them). A redactor that
// validates checksums must accept every positive here; one that redacts
// any long digit run will lose precision on the negatives.

func randDigits(r *rand.Rand, n int) string {
	var b strings.Builder
	for range n {
		b.WriteByte(byte('0' + r.IntN(10)))
	}
	return b.String()
}

// luhnValid reports whether a digit string passes the Luhn check.
func luhnValid(digits string) bool {
	sum := 0
	double := false
	for i := len(digits) - 1; i >= 0; i-- {
		d := int(digits[i] - '0')
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

// luhnCheckDigit is the digit that makes payload+digit Luhn-valid.
func luhnCheckDigit(payload string) byte {
	for d := byte('0'); d <= '9'; d++ {
		if luhnValid(payload + string(d)) {
			return d
		}
	}
	panic("unreachable: some digit always completes a Luhn number")
}

// cardNumber returns a Luhn-valid card number from a real issuer range.
func cardNumber(r *rand.Rand) string {
	switch r.IntN(10) {
	case 0, 1: // American Express: 15 digits, 34/37.
		p := []string{"34", "37"}[r.IntN(2)] + randDigits(r, 12)
		return p + string(luhnCheckDigit(p))
	case 2, 3, 4: // Mastercard 51-55.
		p := "5" + strconv.Itoa(1+r.IntN(5)) + randDigits(r, 13)
		return p + string(luhnCheckDigit(p))
	default: // Visa.
		p := "4" + randDigits(r, 14)
		return p + string(luhnCheckDigit(p))
	}
}

// invalidLuhn returns an n-digit number (no leading zero) that fails Luhn.
func invalidLuhn(r *rand.Rand, n int) string {
	for {
		s := strconv.Itoa(1+r.IntN(9)) + randDigits(r, n-1)
		if !luhnValid(s) {
			return s
		}
	}
}

// ibanMod97 computes the ISO 13616 remainder of an IBAN (any check digits).
func ibanMod97(iban string) int {
	s := iban[4:] + iban[:4]
	var num strings.Builder
	for _, c := range s {
		switch {
		case c >= '0' && c <= '9':
			num.WriteRune(c)
		case c >= 'A' && c <= 'Z':
			num.WriteString(strconv.Itoa(int(c-'A') + 10))
		}
	}
	n, _ := new(big.Int).SetString(num.String(), 10)
	return int(new(big.Int).Mod(n, big.NewInt(97)).Int64())
}

func ibanValid(iban string) bool { return len(iban) > 4 && ibanMod97(iban) == 1 }

// withIBANCheck inserts the ISO 13616 check digits into country+BBAN.
func withIBANCheck(country, bban string) string {
	k := 98 - ibanMod97(country+"00"+bban)
	return fmt.Sprintf("%s%02d%s", country, k, bban)
}

// mod97Key returns n mod 97 for a decimal string of any length.
func mod97(digits string) int {
	m := 0
	for _, c := range digits {
		m = (m*10 + int(c-'0')) % 97
	}
	return m
}

// iban builds a valid IBAN for one of the seven countries, with the
// national check digits inside the BBAN computed where the country has them.
func iban(r *rand.Rand, country string) string {
	switch country {
	case "DE": // 8-digit Bankleitzahl + 10-digit account.
		return withIBANCheck("DE", strconv.Itoa(1+r.IntN(8))+randDigits(r, 7)+randDigits(r, 10))
	case "FR": // bank(5) branch(5) account(11) RIB key(2).
		bank, branch, acct := "3"+randDigits(r, 4), randDigits(r, 5), randDigits(r, 11)
		// RIB key: 97 - (89*bank + 15*branch + 3*account) mod 97.
		b, _ := strconv.Atoi(bank)
		g, _ := strconv.Atoi(branch)
		a, _ := strconv.ParseInt(acct, 10, 64)
		key := 97 - int((89*int64(b)+15*int64(g)+3*a)%97)
		return withIBANCheck("FR", fmt.Sprintf("%s%s%s%02d", bank, branch, acct, key))
	case "ES": // bank(4) branch(4) DC(2) account(10).
		bank, branch, acct := "2"+randDigits(r, 3), randDigits(r, 4), randDigits(r, 10)
		return withIBANCheck("ES", bank+branch+esControl("00"+bank+branch)+esControl(acct)+acct)
	case "IT": // CIN(1) ABI(5) CAB(5) account(12).
		abi, cab, acct := "0"+randDigits(r, 4), randDigits(r, 5), randDigits(r, 12)
		return withIBANCheck("IT", italianCIN(abi+cab+acct)+abi+cab+acct)
	case "NL": // bank code(4 letters) + 10-digit account passing the 11-test.
		banks := []string{"ABNA", "RABO", "INGB", "SNSB", "TRIO", "ASNB", "KNAB"}
		return withIBANCheck("NL", banks[r.IntN(len(banks))]+dutchAccount(r))
	case "PT": // bank(4) branch(4) account(11) NIB check(2).
		nib := "00" + randDigits(r, 2) + randDigits(r, 4) + randDigits(r, 11)
		k := 98 - mod97(nib+"00")
		return withIBANCheck("PT", fmt.Sprintf("%s%02d", nib, k))
	case "GB": // bank code(4 letters) sort code(6) account(8).
		banks := []string{"NWBK", "BARC", "LOYD", "HBUK", "MIDL"}
		return withIBANCheck("GB", banks[r.IntN(len(banks))]+randDigits(r, 6)+randDigits(r, 8))
	}
	panic("iban: unknown country " + country)
}

// esControl is one of the two Spanish CCC control digits.
func esControl(ten string) string {
	w := []int{1, 2, 4, 8, 5, 10, 9, 7, 3, 6}
	s := 0
	for i, c := range ten {
		s += int(c-'0') * w[i]
	}
	d := 11 - s%11
	switch d {
	case 11:
		d = 0
	case 10:
		d = 1
	}
	return strconv.Itoa(d)
}

func dutchAccount(r *rand.Rand) string {
	for {
		a := randDigits(r, 10)
		s := 0
		for i, c := range a {
			s += int(c-'0') * (10 - i)
		}
		if s%11 == 0 {
			return a
		}
	}
}

// Odd/even position tables shared by the Italian CIN and codice fiscale.
var itOdd = map[rune]int{
	'0': 1, '1': 0, '2': 5, '3': 7, '4': 9, '5': 13, '6': 15, '7': 17, '8': 19, '9': 21,
	'A': 1, 'B': 0, 'C': 5, 'D': 7, 'E': 9, 'F': 13, 'G': 15, 'H': 17, 'I': 19, 'J': 21,
	'K': 2, 'L': 4, 'M': 18, 'N': 20, 'O': 11, 'P': 3, 'Q': 6, 'R': 8, 'S': 12, 'T': 14,
	'U': 16, 'V': 10, 'W': 22, 'X': 25, 'Y': 24, 'Z': 23,
}

func itEven(c rune) int {
	if c >= '0' && c <= '9' {
		return int(c - '0')
	}
	return int(c - 'A')
}

// itCheckChar is the check letter of the codice fiscale and the CIN.
func itCheckChar(s string) string {
	sum := 0
	for i, c := range s {
		if i%2 == 0 { // 1-based odd positions
			sum += itOdd[c]
		} else {
			sum += itEven(c)
		}
	}
	return string(rune('A' + sum%26))
}

func italianCIN(bban string) string { return itCheckChar(bban) }

// codiceFiscale builds an Italian tax code for a person.
func codiceFiscale(r *rand.Rand, first, last string, female bool, year, month, day int) string {
	places := []string{"H501", "F205", "F839", "L219", "G273", "A944", "D612", "L736", "A662", "C351"}
	cf := cfPart(last, false) + cfPart(first, true) + fmt.Sprintf("%02d", year%100) +
		string("ABCDEHLMPRST"[month-1])
	if female {
		day += 40
	}
	cf += fmt.Sprintf("%02d", day) + places[r.IntN(len(places))]
	return cf + itCheckChar(cf)
}

func cfPart(name string, isFirst bool) string {
	var cons, vow []rune
	for _, c := range strings.ToUpper(asciiFold(name)) {
		switch {
		case strings.ContainsRune("AEIOU", c):
			vow = append(vow, c)
		case c >= 'A' && c <= 'Z':
			cons = append(cons, c)
		}
	}
	if isFirst && len(cons) > 3 {
		cons = []rune{cons[0], cons[2], cons[3]}
	}
	out := append(append(cons, vow...), 'X', 'X', 'X')
	return string(out[:3])
}

// steuerID builds a German tax identification number: 10 digits where
// exactly one digit occurs twice, then the ISO 7064 MOD 11,10 check digit.
func steuerID(r *rand.Rand) string {
	for {
		perm := r.Perm(10) // ten distinct digits
		d := perm[:9]
		if d[0] == 0 {
			continue
		}
		// Repeat one digit at a random later position.
		rep := d[r.IntN(9)]
		pos := 1 + r.IntN(9)
		ds := append(append(append([]int{}, d[:pos]...), rep), d[pos:]...)
		var b strings.Builder
		for _, x := range ds {
			b.WriteByte(byte('0' + x))
		}
		s := b.String()
		return s + string(byte('0'+steuerCheck(s)))
	}
}

func steuerCheck(ten string) int {
	product := 10
	for _, c := range ten {
		sum := (int(c-'0') + product) % 10
		if sum == 0 {
			sum = 10
		}
		product = (sum * 2) % 11
	}
	check := 11 - product
	if check == 10 {
		check = 0
	}
	return check
}

// nir builds a French social security number (13 digits + 2-digit key).
func nir(r *rand.Rand, female bool, year, month int) string {
	sex := "1"
	if female {
		sex = "2"
	}
	dept := fmt.Sprintf("%02d", 1+r.IntN(95))
	if dept == "20" {
		dept = "75"
	}
	body := fmt.Sprintf("%s%02d%02d%s%03d%03d", sex, year%100, month, dept, 1+r.IntN(900), 1+r.IntN(999))
	n, _ := strconv.ParseInt(body, 10, 64)
	return fmt.Sprintf("%s%02d", body, 97-n%97)
}

const dniLetters = "TRWAGMYFPDXBNJZSQVHLCKE"

// dni builds a Spanish DNI (8 digits + control letter).
func dni(r *rand.Rand) string {
	n := 10000000 + r.IntN(89999999)
	return fmt.Sprintf("%08d%c", n, dniLetters[n%23])
}

// nie builds a Spanish foreigner id (X/Y/Z + 7 digits + letter).
func nie(r *rand.Rand) string {
	p := r.IntN(3)
	n := r.IntN(10000000)
	return fmt.Sprintf("%c%07d%c", "XYZ"[p], n, dniLetters[(p*10000000+n)%23])
}

// bsn builds a Dutch citizen service number passing the 11-proof.
func bsn(r *rand.Rand) string {
	for {
		s := strconv.Itoa(1+r.IntN(9)) + randDigits(r, 7)
		sum := 0
		for i, c := range s {
			sum += int(c-'0') * (9 - i)
		}
		last := sum % 11
		if last == 10 {
			continue
		}
		return s + strconv.Itoa(last)
	}
}

func bsnValid(s string) bool {
	if len(s) != 9 {
		return false
	}
	sum := 0
	for i, c := range s[:8] {
		sum += int(c-'0') * (9 - i)
	}
	return (sum-int(s[8]-'0'))%11 == 0
}

// nif builds a Portuguese tax number for a person (first digit 1-3).
func nif(r *rand.Rand) string {
	s := strconv.Itoa(1+r.IntN(3)) + randDigits(r, 7)
	return s + strconv.Itoa(nifCheck(s))
}

func nifCheck(eight string) int {
	sum := 0
	for i, c := range eight {
		sum += int(c-'0') * (9 - i)
	}
	c := 11 - sum%11
	if c >= 10 {
		c = 0
	}
	return c
}

// ssn builds a US social security number that satisfies the SSA's
// structural rules (area not 000/666/9xx, group not 00, serial not 0000).
func ssn(r *rand.Rand) string {
	area := 1 + r.IntN(899)
	if area == 666 {
		area = 667
	}
	return fmt.Sprintf("%03d%02d%04d", area, 1+r.IntN(99), 1+r.IntN(9999))
}

// nino builds a UK National Insurance number with an allowed prefix.
func nino(r *rand.Rand) string {
	const first = "ABCEGHJKLMNOPRSTWXYZ"
	const second = "ABCEGHJKLMNPRSTWXYZ"
	for {
		p := string(first[r.IntN(len(first))]) + string(second[r.IntN(len(second))])
		switch p {
		case "BG", "GB", "KN", "NK", "NT", "TN", "ZZ":
			continue
		}
		return p + randDigits(r, 6) + string("ABCD"[r.IntN(4)])
	}
}
