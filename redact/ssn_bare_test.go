package redact

import "testing"

// TestBareSSN covers a US Social Security number written as nine digits
// with no dashes and no cue, in English, and the nine-digit runs that must
// stay untouched: invalid by the SSA's rules, after a reference word, a
// currency sign or a dialling verb, next to a phone cue, or in another
// language. Each text is written for this test.
func TestBareSSN(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"318452976", "318452976"},
		{"she gave 318452976 on the form", "318452976"},
	} {
		res := testRedactor.Redact(tc.text, "en", Hints{})
		expectSpan(t, res, tc.text, tc.want, NationalID)
	}
	for _, text := range []string{
		"she gave 000452976 on the form",
		"she gave 666452976 on the form",
		"she gave 918452976 on the form",
		"she gave 318002976 on the form",
		"she gave 318450000 on the form",
		"order 318452976 shipped",
		"the ticket is 318452976",
		"it cost $318452976",
		"call 318452976",
	} {
		res := testRedactor.Redact(text, "en", Hints{})
		for _, s := range res.Spans {
			if s.Type == NationalID {
				t.Errorf("%q: ID span %q", text, text[s.Start:s.End])
			}
		}
	}
	text := "sie gab 318452976 an"
	expectUntouched(t, text, "de")
}
