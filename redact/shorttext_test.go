package redact

import "testing"

// Short English is read as English: lingua's low-accuracy mode takes
// "third line" for German (0.96), and German's name lists then take
// "line" for a name. A word only one language has decides a short text.
func TestShortTexts(t *testing.T) {
	tests := []struct {
		name string
		call []string
		lang string
		want []string
	}{
		{"ordinal", []string{"third line"}, "en", []string{"third line"}},
		{"number word", []string{"line two"}, "en", []string{"line two"}},
		{"two short lines", []string{"third line", "line one by john smith"}, "en", []string{"third line", "line one by [PERSON]"}},
		{"message for a name", []string{"please tell Peter that I called"}, "en", []string{"please tell [PERSON] that I called"}},
		{"uk postcode after a cue", []string{"my postcode is SW1A 1AA"}, "", []string{"my postcode is [ADDRESS]"}},
		{"uk postcode lower case", []string{"the post code is ec1a 1bb thanks"}, "", []string{"the post code is [ADDRESS] thanks"}},
		{"uk postcode alone", []string{"It's M1 1AE."}, "", []string{"It's [ADDRESS]."}},
		{"not a postcode", []string{"I printed it on A4 paper, page 2 of 3."}, "", []string{"I printed it on A4 paper, page 2 of 3."}},
		{"tell me", []string{"please tell me your order number"}, "en", []string{"please tell me your order number"}},
		// Short texts of the other languages stay theirs.
		{"de", []string{"vielen dank"}, "de", nil},
		{"fr", []string{"merci beaucoup"}, "fr", nil},
		{"es", []string{"muchas gracias"}, "es", nil},
		{"it", []string{"grazie mille"}, "it", nil},
		{"nl", []string{"dank je wel"}, "nl", nil},
		{"pt", []string{"muito obrigado"}, "pt", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := testRedactor.RedactCall(tc.call, "auto", Hints{})
			if tc.lang != "" && res.Language != tc.lang {
				t.Errorf("language %s, want %s", res.Language, tc.lang)
			}
			for i, w := range tc.want {
				if res.Texts[i] != w {
					t.Errorf("%q -> %q, want %q", tc.call[i], res.Texts[i], w)
				}
			}
		})
	}
}

func TestUKPostcodeFormat(t *testing.T) {
	for _, tc := range []struct {
		out, in string
		ok      bool
	}{
		{"sw1a", "1aa", true}, {"m1", "1ae", true}, {"b33", "8th", true}, {"cr2", "6xh", true}, {"dn55", "1pt", true},
		{"ec1a", "1bb", true}, {"w1a", "0ax", true},
		{"a4", "2bc", false}, // inward letters C, I, K, M, O, V are never used
		{"q1", "1aa", false}, {"sw1a", "aaa", false}, {"sw123", "1aa", false}, {"1a", "1aa", false}, {"aj1", "1aa", false},
	} {
		if got := ukPostcode(tc.out, tc.in); got != tc.ok {
			t.Errorf("ukPostcode(%q, %q) = %v, want %v", tc.out, tc.in, got, tc.ok)
		}
	}
}

// "my" is English only: a short English line with no longer English-only
// word is not taken for German.
func TestShortEnglishWithMyIsEnglish(t *testing.T) {
	r, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{"my postcode is SW1A 1AA", "my number is 0 7 7 0 0 9 0 0 1 2 3"} {
		if got := r.RedactCall([]string{text}, "auto", Hints{}).Language; got != "en" {
			t.Errorf("%q: language %s, want en", text, got)
		}
	}
}
