package redact

import "testing"

// TestWrittenFormats covers written identifiers in the shapes their
// specifications allow: omocodic and lower-case codici fiscali, SSNs with
// spaces, IBANs of later registry releases and Costa Rica's old length,
// international numbers whose national part starts with a zero. Values are
// computed for this test with each specification's check digits.
func TestWrittenFormats(t *testing.T) {
	tests := []struct {
		name, lang, text, want string
		typ                    EntityType
	}{
		{"cf lower case with omocodia", "it", "CF brsgrg78h17a0nvd", "brsgrg78h17a0nvd", NationalID},
		{"cf three omocodia letters", "it", "il codice è WLCMYL95C05JUVUJ grazie", "WLCMYL95C05JUVUJ", NationalID},
		{"ssn with spaces", "en", "it is 043 20 5656 on the form", "043 20 5656", NationalID},
		{"ssn dashed", "en", "ssn 746-07-3104", "746-07-3104", NationalID},
		{"iban madagascar", "en", "transfer to MG4600005030071289421016045", "MG4600005030071289421016045", IBAN},
		{"iban costa rica old length", "en", "transfer to CR0515202001026284066", "CR0515202001026284066", IBAN},
		{"benin with leading zero", "en", "phone +229 01 20 21 12 34", "+229 01 20 21 12 34", PhoneNumber},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := testRedactor.Redact(tc.text, tc.lang, Hints{})
			expectSpan(t, res, tc.text, tc.want, tc.typ)
		})
	}
}

// TestWrittenNearMisses: identifiers that break their specification are
// left alone.
func TestWrittenNearMisses(t *testing.T) {
	for _, tc := range []struct{ name, lang, text string }{
		{"ssn group 00 is not a phone", "en", "case 011-00-7390"},
		{"cf with a wrong check letter", "it", "codice BRSGRG78H17A0NVE"},
		{"iban with a wrong check", "en", "reference CR0615202001026284066"},
	} {
		if res := testRedactor.Redact(tc.text, tc.lang, Hints{}); len(res.Spans) != 0 {
			t.Errorf("%s: %q redacted to %q", tc.name, tc.text, res.Text)
		}
	}
}

// TestNorthAmericanGrouping: "(201) 555-0123", "201.555.0123" and
// "1-201-555-0123" are North American numbers in any language, with the
// opening parenthesis inside the span.
func TestNorthAmericanGrouping(t *testing.T) {
	for _, tc := range []struct{ lang, text, want string }{
		{"nl", "Contact Robert Krysiak at (201) 555-0503 about order 4471.", "(201) 555-0503"},
		{"de", "er hat von 201.555.6085 angerufen", "201.555.6085"},
		{"en", "called from 1-201-556-6614 at noon", "1-201-556-6614"},
	} {
		res := testRedactor.Redact(tc.text, tc.lang, Hints{})
		expectSpan(t, res, tc.text, tc.want, PhoneNumber)
	}
}
