package redact

import "testing"

// Each validator is tested with published example values (card test
// numbers, IBAN registry examples, documented national ID samples) and
// with the same values altered so the checksum or structure fails.
func TestValidators(t *testing.T) {
	tests := []struct {
		name  string
		valid func(string) bool
		in    string
		want  bool
	}{
		{"luhn visa test card", luhn, "4111111111111111", true},
		{"luhn amex test card", luhn, "378282246310005", true},
		{"luhn mastercard test card", luhn, "5555555555554444", true},
		{"luhn last digit changed", luhn, "4111111111111112", false},
		{"luhn non digit", luhn, "41111111111x1111", false},
		{"iban DE registry example", validIBAN, "DE89370400440532013000", true},
		{"iban GB registry example", validIBAN, "GB82WEST12345698765432", true},
		{"iban NL registry example", validIBAN, "NL91ABNA0417164300", true},
		{"iban FR registry example", validIBAN, "FR1420041010050500013M02606", true},
		{"iban ES registry example", validIBAN, "ES9121000418450200051332", true},
		{"iban IT registry example", validIBAN, "IT60X0542811101000000123456", true},
		{"iban PT registry example", validIBAN, "PT50000201231234567890154", true},
		{"iban DE check digits wrong", validIBAN, "DE88370400440532013000", false},
		{"iban DE one digit too short", validIBAN, "DE8937040044053201300", false},
		{"iban unknown country", validIBAN, "QQ89370400440532013000", false},
		{"ssn structurally valid", validSSN, "536904399", true},
		{"ssn area 000", validSSN, "000123456", false},
		{"ssn area 666", validSSN, "666123456", false},
		{"ssn area 9xx", validSSN, "912345678", false},
		{"ssn group 00", validSSN, "123006789", false},
		{"ssn serial 0000", validSSN, "123450000", false},
		{"ssn advertised Woolworth number", validSSN, "078051120", false},
		{"nino valid", validNINO, "AB123456C", true},
		{"nino prefix Q not allowed", validNINO, "QQ123456C", false},
		{"nino prefix GB not allowed", validNINO, "GB123456A", false},
		{"nino suffix E not allowed", validNINO, "AB123456E", false},
		{"steuer-id BZSt example", validSteuerID, "86095742719", true},
		{"steuer-id example 2", validSteuerID, "65929970489", true},
		{"steuer-id check digit wrong", validSteuerID, "86095742718", false},
		{"steuer-id leading zero", validSteuerID, "06095742719", false},
		{"steuer-id no repeated digit", validSteuerID, "12345678903", false},
		{"nir published example", validNIR, "255081416802538", true},
		{"nir key wrong", validNIR, "255081416802539", false},
		{"nir bad sex digit", validNIR, "555081416802538", false},
		{"dni valid letter", validDNI, "12345678Z", true},
		{"dni wrong letter", validDNI, "12345678A", false},
		{"nie X valid", validDNI, "X1234567L", true},
		{"nie Y valid", validDNI, "Y1234567X", true},
		{"nie wrong letter", validDNI, "X1234567A", false},
		{"codice fiscale classic example", validCodiceFiscale, "RSSMRA85T10A562S", true},
		{"codice fiscale check char wrong", validCodiceFiscale, "RSSMRA85T10A562T", false},
		{"codice fiscale bad month letter", validCodiceFiscale, "RSSMRA85Z10A562S", false},
		{"bsn 11-proof", validBSN, "111222333", true},
		{"bsn 11-proof 2", validBSN, "123456782", true},
		{"bsn fails 11-proof", validBSN, "123456789", false},
		{"bsn all same digit", validBSN, "000000000", false},
		{"nif pt valid", validNIF, "123456789", true},
		{"nif pt check digit wrong", validNIF, "123456780", false},
		{"nif pt bad first digit", validNIF, "423456789", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.valid(tc.in); got != tc.want {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestCardPrefix(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"4111111111111111", true},
		{"5555555555554444", true},
		{"2221000000000009", true},
		{"378282246310005", true},
		{"6011111111111117", true},
		{"1234567812345670", false},
		{"37828224631000", false}, // Amex is 15 digits
	}
	for _, tc := range tests {
		if got := cardPrefix(tc.in); got != tc.want {
			t.Errorf("cardPrefix(%s) = %v, want %v", tc.in, got, tc.want)
		}
	}
}
