package redact

import (
	"strings"
	"testing"
)

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

// TestSpokenEmailDomainLabels covers spoken domain labels that end in a
// said digit ("univ tiret lyon un point fr" for univ-lyon1.fr) and labels
// spelled after a dash ("univ tiret l y o n"). Each text is written for
// this test.
func TestSpokenEmailDomainLabels(t *testing.T) {
	tests := []struct {
		name, lang, text, want string
	}{
		{"fr digit ends a label", "fr", "mon mail paul arobase etu point univ tiret nantes deux point fr merci",
			"paul arobase etu point univ tiret nantes deux point fr"},
		{"fr spelled after tiret du six", "fr", "mon mail paul a commercial univ tiret du six l y o n un point fr merci",
			"paul a commercial univ tiret du six l y o n un point fr"},
		{"fr spelled after trait d'union", "fr", "écrivez à paul arobase univ trait d'union r e n n e s point fr",
			"paul arobase univ trait d'union r e n n e s point fr"},
		{"de digit ends a label", "de", "schreib an max ät uni minus bonn zwei punkt de bitte", "max ät uni minus bonn zwei punkt de"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := testRedactor.Redact(tc.text, tc.lang, Hints{})
			expectSpan(t, res, tc.text, tc.want, EmailAddress)
		})
	}
}

// TestSpokenEmailTLDKeepsItsEnd checks that a digit said after the TLD
// ("dot com one dot two") is not read into the domain.
func TestSpokenEmailTLDKeepsItsEnd(t *testing.T) {
	text := "write to john at gmail dot com one dot two is the version"
	res := testRedactor.Redact(text, "en", Hints{})
	want := "john at gmail dot com"
	expectSpan(t, res, text, want, EmailAddress)
	end := strings.Index(text, want) + len(want)
	for _, s := range res.Spans {
		if s.Type == EmailAddress && s.End > end {
			t.Errorf("e-mail span %q runs past the TLD", text[s.Start:s.End])
		}
	}
}

// TestSpokenEmailCapitalThenSpellingWord covers a capital letter named
// with a spelling word ("c maiúsculo de coimbra", "H majuscule comme
// Henri", "D mayúscula de Dolores"): the whole letter joins the local
// part. Each text is written for this test.
func TestSpokenEmailCapitalThenSpellingWord(t *testing.T) {
	tests := []struct {
		name, lang, text, want string
	}{
		{"pt maiúsculo de", "pt", "o email é r u i menos c maiúsculo de coimbra o s t a arroba sapo.pt obrigado",
			"r u i menos c maiúsculo de coimbra o s t a arroba sapo.pt"},
		{"fr majuscule comme", "fr", "c'est H majuscule comme Henri u g o arobase laposte.net merci", "H majuscule comme Henri u g o arobase laposte.net"},
		{"es mayúscula de", "es", "es D mayúscula de Dolores i e g o siete arroba gmail punto com", "D mayúscula de Dolores i e g o siete arroba gmail punto com"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := testRedactor.Redact(tc.text, tc.lang, Hints{})
			expectSpan(t, res, tc.text, tc.want, EmailAddress)
		})
	}
}

// TestSpokenEmailOSeaHesitation covers Spanish "o sea" said as a
// hesitation among spelled letters or before a spoken dot, and checks that
// the e-mail cue before a spelled local part stays outside the span. Each
// text is written for this test.
func TestSpokenEmailOSeaHesitation(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{"between spelled letters", "es r o s a o sea l e s arroba gmail punto com gracias", "r o s a o sea l e s arroba gmail punto com"},
		{"before a spoken dot", "es a n a o sea punto r arroba hot mail punto es", "a n a o sea punto r arroba hot mail punto es"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := testRedactor.Redact(tc.text, "es", Hints{})
			expectSpan(t, res, tc.text, tc.want, EmailAddress)
		})
	}
	text := "mi correo i o n f l o r o sea e a arroba hot mail punto e s tenemos 2 hijos"
	res := testRedactor.Redact(text, "es", Hints{})
	expectSpan(t, res, text, "i o n f l o r o sea e a arroba hot mail punto e s", EmailAddress)
	cueEnd := strings.Index(text, "correo") + len("correo")
	for _, s := range res.Spans {
		if s.Start < cueEnd && s.End > cueEnd-len("correo") {
			t.Errorf("span %q covers the cue word", text[s.Start:s.End])
		}
	}
}

// TestSpokenEmailWordThenSpellingWithHesitation covers a word said and then
// spelled with a hesitation among the letters ("krukowski k r u k o w dus
// s k i"): the word joins the local part. Each text is written for this
// test.
func TestSpokenEmailWordThenSpellingWithHesitation(t *testing.T) {
	tests := []struct {
		name, lang, text, want string
	}{
		{"nl dus", "nl", "mailen naar wojcikowa w o j c i dus k o w a at ziggo.nl dank u", "wojcikowa w o j c i dus k o w a at ziggo.nl"},
		{"en uh", "en", "it's brzeski b r z uh e s k i at gmail dot com thanks", "brzeski b r z uh e s k i at gmail dot com"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := testRedactor.Redact(tc.text, tc.lang, Hints{})
			expectSpan(t, res, tc.text, tc.want, EmailAddress)
		})
	}
}

// TestSpokenPhoneHomophoneAfterWrittenDigits covers a recogniser's "too"
// after written digits and before spoken ones ("01 too one two three"),
// and checks that "to" between written and spoken numbers outside a
// dictated number stays a word. Each text is written for this test.
func TestSpokenPhoneHomophoneAfterWrittenDigits(t *testing.T) {
	text := "you can reach me on 01 too one two three for five eight five oh any time"
	res := testRedactor.Redact(text, "en", Hints{})
	expectSpan(t, res, text, "01 too one two three for five eight five oh", PhoneNumber)
	for _, neg := range []string{
		"we are open from 9 to five thirty every day",
		"I waited 20 to thirty minutes and then 10 to fifteen more",
	} {
		expectUntouched(t, neg, "en")
	}
}

// TestSpokenPhoneSecondPlusRestarts covers an international number begun
// again with a second "plus" after a pause ("plus 32 - 12... dus plus 32
// ..."), and checks that a "plus" right after a complete number does not
// pull the next words in. Each text is written for this test.
func TestSpokenPhoneSecondPlusRestarts(t *testing.T) {
	tests := []struct {
		name, lang, text, want string
	}{
		{"nl dus plus", "nl", "nou plus tweeëndertig - 12... dus plus tweeëndertig een twee drie vier vijf zes zeven acht dank u",
			"plus tweeëndertig - 12... dus plus tweeëndertig een twee drie vier vijf zes zeven acht"},
		{"en uh plus", "en", "it is plus four four, uh, plus four four two zero seven nine four six zero nine five eight thanks",
			"plus four four, uh, plus four four two zero seven nine four six zero nine five eight"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := testRedactor.Redact(tc.text, tc.lang, Hints{})
			expectSpan(t, res, tc.text, tc.want, PhoneNumber)
		})
	}
	text := "plus four four two zero seven nine four six zero nine five eight plus two more"
	res := testRedactor.Redact(text, "en", Hints{})
	for _, s := range res.Spans {
		if strings.Contains(text[s.Start:s.End], "two more") {
			t.Errorf("span %q runs past the number", text[s.Start:s.End])
		}
	}
}
