package redact

import "testing"

// TestSpokenExtensionAfterElidedArticle covers an extension word after an
// elided article ("e poi l'interno sei otto"): the apostrophe between the
// joiners and the extension word must not stop the extension. Each text is
// written for this test.
func TestSpokenExtensionAfterElidedArticle(t *testing.T) {
	tests := []struct {
		name, lang, text, want string
	}{
		{"it e poi l'interno", "it", "il cellulare è zero sei sei nove otto otto cinque zero e poi l'interno sei otto grazie", "sei otto"},
		{"it typographic apostrophe", "it", "il cellulare è zero sei sei nove otto otto cinque zero e poi l’interno uno novantuno grazie", "uno novantuno"},
		{"it e l'interno", "it", "il cellulare è zero sei sei nove otto otto cinque zero e l'interno due eh sette", "due eh sette"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := testRedactor.Redact(tc.text, tc.lang, Hints{})
			expectSpan(t, res, tc.text, tc.want, PhoneNumber)
		})
	}
}
