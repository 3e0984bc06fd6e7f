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
		t.Run(tc.name, func(t *testing.T) { expectUntouched(t, tc.text, tc.lang) })
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

// TestWrittenEmailShapes: written addresses in RFC 5321 dot-atom shapes
// with any alphabetic TLD, and what is not one.
func TestWrittenEmailShapes(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"contact marco.wettstein-44_x@mail.wettstein.sv (work)", "marco.wettstein-44_x@mail.wettstein.sv"},
		{"mail: 8809689@mail.bartovicova.np", "8809689@mail.bartovicova.np"},
		{"write to d'crespo@crespo.za today", "d'crespo@crespo.za"},
		{"BUCUR.TURCU@turcu.mm", "BUCUR.TURCU@turcu.mm"},
		{"p&kovacek@mail.kovacek.museum", "p&kovacek@mail.kovacek.museum"},
	} {
		res := testRedactor.Redact(tc.text, "en", Hints{})
		expectSpan(t, res, tc.text, tc.want, EmailAddress)
	}
	for _, text := range []string{"see john.doe@localhost", "a@b", "the ratio 3@4.5 is wrong"} {
		for _, s := range testRedactor.Redact(text, "en", Hints{}).Spans {
			if s.Type == EmailAddress {
				t.Errorf("%q: e-mail span %q", text, text[s.Start:s.End])
			}
		}
	}
}

// TestNationalGrouping: a number written in its region's national
// grouping is found even when the short line's language is taken for
// another one.
func TestNationalGrouping(t *testing.T) {
	for _, tc := range []struct{ lang, text, want string }{
		{"en", "c'est le 01 23 48 87 55", "01 23 48 87 55"},
		{"pt", "es el 011 15-2345-6762 gracias", "011 15-2345-6762"},
		{"en", "ligue para o (11) 2346-8732", "(11) 2346-8732"},
	} {
		res := testRedactor.Redact(tc.text, tc.lang, Hints{})
		expectSpan(t, res, tc.text, tc.want, PhoneNumber)
	}
}
