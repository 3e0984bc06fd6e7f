package redact

import (
	"errors"
	"os"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"
)

// testRedactor is built once for the package's tests: building loads the
// language models, and every test only reads it.
var testRedactor *Redactor

func TestMain(m *testing.M) {
	r, err := New(Config{})
	if err != nil {
		panic(err)
	}
	testRedactor = r
	os.Exit(m.Run())
}

// expectSpan asserts that want is covered by a span of type typ and that
// it is gone from the output.
func expectSpan(t *testing.T, res Result, text, want string, typ EntityType) {
	t.Helper()
	i := strings.Index(text, want)
	if i < 0 {
		t.Fatalf("test bug: %q not in text", want)
	}
	for _, s := range res.Spans {
		if s.Type == typ && s.Start <= i && s.End >= i+len(want) {
			if strings.Contains(res.Text, want) && !strings.Contains(strings.Replace(text, want, "", 1), want) {
				t.Errorf("%q still in output %q", want, res.Text)
			}
			return
		}
	}
	t.Errorf("no %s span covering %q; spans %v; output %q", typ, want, res.Spans, res.Text)
}

// expectUntouched asserts that text, redacted in lang ("" to detect it),
// has no span at all.
func expectUntouched(t *testing.T, text, lang string) {
	t.Helper()
	if res := testRedactor.Redact(text, lang, Hints{}); len(res.Spans) != 0 {
		t.Errorf("%q: spans %+v, want none; output %q", text, res.Spans, res.Text)
	}
}

// TestDetectsPositives is the Presidio-style positive set: every entity
// type and spoken form, in each language.
func TestDetectsPositives(t *testing.T) {
	tests := []struct {
		name, lang, text, want string
		typ                    EntityType
	}{
		// Phone numbers, written and spoken.
		{"en written phone", "en", "call me back on 020 7946 0958 please", "020 7946 0958", PhoneNumber},
		{"en us phone", "en", "my number is (212) 555-0198", "212) 555-0198", PhoneNumber},
		{"en oh double triple", "en", "my number is oh seven seven double oh nine triple one two three", "oh seven seven double oh nine triple one two three", PhoneNumber},
		{"en international plus", "en", "reach me on plus four four seven seven double oh nine one two three four five", "plus four four seven seven double oh nine one two three four five", PhoneNumber},
		{"de zwo and fillers", "de", "meine nummer ist null eins fünf eins, äh, zwo drei vier fünf sechs sieben acht", "null eins fünf eins, äh, zwo drei vier fünf sechs sieben acht", PhoneNumber},
		{"de compound numbers", "de", "Sie erreichen mich unter null eins sieben eins sechs siebenundvierzig dreiunddreißig achtzig", "null eins sieben eins sechs siebenundvierzig dreiunddreißig achtzig", PhoneNumber},
		{"fr pair reading", "fr", "mon numéro c'est le zéro six, douze, trente-quatre, cinquante-six, soixante-dix-huit", "zéro six, douze, trente-quatre, cinquante-six, soixante-dix-huit", PhoneNumber},
		{"fr quatre-vingt", "fr", "appelez-moi au zéro un quatre-vingt-douze soixante et onze dix-sept vingt", "zéro un quatre-vingt-douze soixante et onze dix-sept vingt", PhoneNumber},
		{"es tens with y", "es", "mi teléfono es seis uno dos, treinta y cuatro, cincuenta y seis, setenta y ocho", "seis uno dos, treinta y cuatro, cincuenta y seis, setenta y ocho", PhoneNumber},
		{"it compounds", "it", "il mio numero è tre tre nove, ventuno, trentotto, quarantacinque, sei sette", "tre tre nove, ventuno, trentotto, quarantacinque, sei sette", PhoneNumber},
		{"nl compounds", "nl", "mijn nummer is nul zes, eenentwintig, tweeëntwintig, drieëndertig, vierenveertig", "nul zes, eenentwintig, tweeëntwintig, drieëndertig, vierenveertig", PhoneNumber},
		{"pt tens with e", "pt", "o meu número é nove um dois, trinta e quatro, cinquenta e seis, setenta e oito", "nove um dois, trinta e quatro, cinquenta e seis, setenta e oito", PhoneNumber},
		{"mixed digits and words", "en", "my cell is 07700 nine double oh one two three", "07700 nine double oh one two three", PhoneNumber},
		// Emails.
		{"en written email", "en", "write to jane.doe@example.com today", "jane.doe@example.com", EmailAddress},
		{"en spoken email", "en", "my email is john dot smith at gmail dot com", "john dot smith at gmail dot com", EmailAddress},
		{"de spoken email", "de", "meine mail ist max punkt mustermann ät web punkt de", "max punkt mustermann ät web punkt de", EmailAddress},
		{"fr spoken email", "fr", "c'est jean point dupont arobase orange point fr", "jean point dupont arobase orange point fr", EmailAddress},
		{"es spoken email", "es", "mi correo es lucia guion bajo lopez arroba yahoo punto es", "lucia guion bajo lopez arroba yahoo punto es", EmailAddress},
		{"it spoken email", "it", "la mia email è marco punto rossi chiocciola libero punto it", "marco punto rossi chiocciola libero punto it", EmailAddress},
		{"nl spoken email", "nl", "mijn mail is jan punt jansen apenstaartje ziggo punt nl", "jan punt jansen apenstaartje ziggo punt nl", EmailAddress},
		{"pt spoken email", "pt", "o email é rita ponto costa arroba sapo ponto pt", "rita ponto costa arroba sapo ponto pt", EmailAddress},
		{"spelled email", "en", "it's j s m i t h at g m x dot de", "j s m i t h at g m x dot de", EmailAddress},
		// Cards, expiry, CVV.
		{"en spoken card", "en", "the card number is four one one one, one one one one, one one one one, one one one one", "four one one one, one one one one, one one one one, one one one one", CreditCard},
		{"written card", "de", "die Kartennummer ist 5555 5555 5555 4444", "5555 5555 5555 4444", CreditCard},
		{"card expiry", "en", "card 4111 1111 1111 1111 expiry twelve slash twenty six", "twelve slash twenty six", CardExpiry},
		{"card cvv", "en", "card 4111 1111 1111 1111 and the security code is one two three", "one two three", CardCVV},
		{"fr cvv behind", "fr", "et les trois chiffres au dos sept huit trois", "sept huit trois", CardCVV},
		// IBAN.
		{"de iban written", "de", "meine IBAN ist DE89 3704 0044 0532 0130 00", "DE89 3704 0044 0532 0130 00", IBAN},
		{"gb iban spelled", "en", "the iban is g b eight two, w e s t, one two three four, five six nine eight, seven six five four, three two", "g b eight two, w e s t, one two three four, five six nine eight, seven six five four, three two", IBAN},
		{"nl iban spoken", "nl", "iban n l negen een a b n a nul vier een zeven een zes vier drie nul nul", "n l negen een a b n a nul vier een zeven een zes vier drie nul nul", IBAN},
		// National IDs.
		{"us ssn dashed", "en", "it's 536-90-4399", "536-90-4399", NationalID},
		{"us ssn spoken with cue", "en", "my social security number is five three six, nine oh, four three nine nine", "five three six, nine oh, four three nine nine", NationalID},
		{"uk nino", "en", "my national insurance number is AB 12 34 56 C", "AB 12 34 56 C", NationalID},
		{"de steuer-id", "de", "meine Steuer-ID ist 86 095 742 719", "86 095 742 719", NationalID},
		{"fr nir", "fr", "mon numéro de sécurité sociale est 2 55 08 14 168 025 38", "2 55 08 14 168 025 38", NationalID},
		{"es dni spoken letter", "es", "mi dni es uno dos tres cuatro cinco seis siete ocho zeta", "uno dos tres cuatro cinco seis siete ocho zeta", NationalID},
		{"es nie", "es", "mi nie es X1234567L", "X1234567L", NationalID},
		{"it codice fiscale", "it", "il mio codice fiscale è rssmra85t10a562s", "rssmra85t10a562s", NationalID},
		{"nl bsn", "nl", "mijn bsn is 111 222 333", "111 222 333", NationalID},
		{"pt nif", "pt", "o meu nif é 123 456 789", "123 456 789", NationalID},
		// Names.
		{"en cue lowercase", "en", "hi my name is priya kowalski and i'm calling about my bill", "priya kowalski", Person},
		{"en this is from", "en", "Hello, this is Anna Schmidt from Acme.", "Anna Schmidt", Person},
		{"de ich heiße", "de", "ich heiße klaus meier", "klaus meier", Person},
		{"de Frau honorific", "de", "Guten Tag, spreche ich mit Frau Müller?", "Müller", Person},
		{"fr je m'appelle", "fr", "bonjour je m'appelle pierre dupont", "pierre dupont", Person},
		{"fr Madame", "fr", "je voudrais parler à Madame Lefèvre", "Lefèvre", Person},
		{"es me llamo", "es", "hola me llamo maría garcía", "maría garcía", Person},
		{"it mi chiamo", "it", "buongiorno mi chiamo giuseppe rossi", "giuseppe rossi", Person},
		{"nl u spreekt met", "nl", "goedemiddag u spreekt met jan de vries", "jan de vries", Person},
		{"pt o meu nome é", "pt", "olá o meu nome é joão silva", "joão silva", Person},
		{"list name without cue", "en", "can you ask giuseppe to call back", "giuseppe", Person},
		{"spelled surname", "en", "my surname is kowalski that's k o w a l s k i", "k o w a l s k i", Person},
		// Addresses.
		{"en address", "en", "I live at 42 Baker Street, London NW1 6XE", "42 Baker Street, London NW1 6XE", Address},
		{"en spoken house number", "en", "i live at seven eighty seven baker street", "seven eighty seven baker street", Address},
		{"de address", "de", "ich wohne in der Hauptstraße 5, 10115 Berlin", "Hauptstraße 5, 10115 Berlin", Address},
		{"fr address", "fr", "j'habite au 12 rue de la Paix 75002 Paris", "12 rue de la Paix 75002 Paris", Address},
		{"es address", "es", "vivo en calle Mayor 5, 28013 Madrid", "calle Mayor 5, 28013 Madrid", Address},
		{"it address", "it", "abito in via dei Mille 28, 90125 Palermo", "via dei Mille 28, 90125 Palermo", Address},
		{"nl address", "nl", "ik woon op de kalverstraat 12 1012 ab amsterdam", "kalverstraat 12 1012 ab", Address},
		{"pt address", "pt", "moro na rua augusta 47 4717-475 braga", "rua augusta 47 4717-475", Address},
		// Dates of birth.
		{"en dob spoken", "en", "i was born on the twelfth of march nineteen eighty five", "twelfth of march nineteen eighty five", DateOfBirth},
		{"en dob written", "en", "date of birth 12/03/1985", "12/03/1985", DateOfBirth},
		{"de dob verb last", "de", "ich bin am vierten mai neunzehnhundertneunundsiebzig geboren", "vierten mai neunzehnhundertneunundsiebzig", DateOfBirth},
		{"fr dob", "fr", "je suis né le douze mars mille neuf cent quatre-vingt-cinq", "douze mars mille neuf cent quatre-vingt-cinq", DateOfBirth},
		{"es dob", "es", "mi fecha de nacimiento es el doce de marzo de mil novecientos ochenta y cinco", "doce de marzo de mil novecientos ochenta y cinco", DateOfBirth},
		{"it dob", "it", "sono nato il dodici marzo millenovecentottantacinque", "dodici marzo millenovecentottantacinque", DateOfBirth},
		{"nl dob", "nl", "mijn geboortedatum is twaalf maart negentienhonderdvijfentachtig", "twaalf maart negentienhonderdvijfentachtig", DateOfBirth},
		{"pt dob", "pt", "a minha data de nascimento é doze de março de mil novecentos e oitenta e cinco", "doze de março de mil novecentos e oitenta e cinco", DateOfBirth},
		// IP addresses and URLs with a person.
		{"ip written", "en", "my ip is 192.168.1.20", "192.168.1.20", IPAddress},
		{"ip spoken", "pt", "o ip é um sete oito ponto dois um quatro ponto dois zero oito ponto um cinco oito", "um sete oito ponto dois um quatro ponto dois zero oito ponto um cinco oito", IPAddress},
		{"ipv6", "en", "the address is 2001:db8::8a2e:370:7334 now", "2001:db8::8a2e:370:7334", IPAddress},
		{"url social profile", "en", "my profile is linkedin.com/in/jane-doe", "linkedin.com/in/jane-doe", URL},
		{"url spoken profile", "fr", "mon profil sur instagram point com slash mathieu point chevalier", "instagram point com slash mathieu point chevalier", URL},
		{"url name in host", "en", "see my work on www.kevinwilson.com", "www.kevinwilson.com", URL},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := testRedactor.Redact(tc.text, tc.lang, Hints{})
			expectSpan(t, res, tc.text, tc.want, tc.typ)
		})
	}
}

// TestLeavesNegativesAlone is the negative set: harmless numbers, invalid
// checksums and common words that are also names.
func TestLeavesNegativesAlone(t *testing.T) {
	tests := []struct{ name, lang, text string }{
		{"prices times versions", "en", "the price is 49.99, the meeting is at 3:30 and we run version 2.4.1"},
		{"quantities durations", "en", "we shipped 250 units in 3 days and it took 45 minutes"},
		{"order number is not a phone", "en", "my order number is one nine four seven, seven nine six three"},
		{"invalid luhn", "en", "the code is 4111 1111 1111 1112"},
		{"invalid iban checksum", "de", "die Nummer DE88 3704 0044 0532 0130 00 stimmt nicht"},
		{"invalid dni letter", "es", "el código 12345678A no vale"},
		{"invalid ssn area", "en", "reference 666-12-3456"},
		{"bsn without cue", "nl", "het kost 111222333 euro"},
		{"common words that are names", "en", "i will mark the rose and may grace us"},
		{"german nouns", "de", "Der Koch hat die Kreditkarte im Wolf vergessen."},
		{"spoken quantities", "de", "wir brauchen zweihundert Stück bis zum dreizehnten"},
		{"french prices", "fr", "ça coûte quatre-vingt-dix-neuf euros pour deux mois"},
		{"spanish times", "es", "nos vemos a las tres y media, son veinte euros"},
		{"website not personal", "en", "visit us at acme dot com or example.com/pricing"},
		{"lone oh", "en", "oh okay that's fine, see you at five"},
		{"provider markers kept", "en", "my number is [PII] and my name is [PERSON_NAME]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := testRedactor.Redact(tc.text, tc.lang, Hints{})
			if len(res.Spans) != 0 || res.Text != tc.text {
				t.Errorf("redacted a harmless line: %q -> %q (%v)", tc.text, res.Text, res.Spans)
			}
		})
	}
}

func TestHints(t *testing.T) {
	text := "ja hallo hier ist zorbat, ich rufe wegen der vier neun drei null eins zwo drei vier fünf sechs sieben an"
	hints := Hints{Names: []string{"Zorbat"}, Numbers: []string{"+49 30 1234567"}}
	res := testRedactor.Redact(text, "de", hints)
	expectSpan(t, res, text, "zorbat", Person)
	expectSpan(t, res, text, "drei null eins zwo drei vier fünf sechs sieben", PhoneNumber)
	if res := testRedactor.Redact(text, "de", Hints{}); strings.Contains(res.Text, "[PERSON]") {
		t.Errorf("unknown word redacted without its hint: %q", res.Text)
	}
}

func TestPseudonymsStablePerCall(t *testing.T) {
	r, err := New(Config{Style: StylePseudonyms, Languages: []string{"en"}})
	if err != nil {
		t.Fatal(err)
	}
	res := r.RedactCall([]string{
		"hi my name is priya kowalski",
		"my number is 020 7946 0958",
		"so that's priya kowalski at 020 7946 0958, and my colleague is giuseppe",
	}, "en", Hints{})
	if res.Language != "en" {
		t.Fatalf("language %q", res.Language)
	}
	if !strings.Contains(res.Texts[0], "[PERSON_1]") || !strings.Contains(res.Texts[2], "[PERSON_1]") {
		t.Errorf("same person got different pseudonyms: %q", res.Texts)
	}
	if !strings.Contains(res.Texts[2], "[PERSON_2]") || !strings.Contains(res.Texts[2], "[PHONE_NUMBER_1]") {
		t.Errorf("pseudonyms not numbered per value: %q", res.Texts[2])
	}
	if res.Counts[Person] != 3 || res.Counts[PhoneNumber] != 2 {
		t.Errorf("counts %v", res.Counts)
	}
}

func TestConfigValidation(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		want error
	}{
		{"unsupported language", Config{Languages: []string{"en", "xx"}}, ErrUnsupportedLanguage},
		{"unknown type", Config{Types: []EntityType{"SHOE_SIZE"}}, ErrUnknownType},
		{"bad style", Config{Style: Style(7)}, ErrInvalidConfig},
		{"bad detection", Config{Detection: DetectionMode(9)}, ErrInvalidConfig},
		{"default not configured", Config{Languages: []string{"en"}, DefaultLanguage: "de"}, ErrUnsupportedLanguage},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := New(tc.cfg); !errors.Is(err, tc.want) {
				t.Errorf("got %v, want %v", err, tc.want)
			}
		})
	}
}

func TestTypesFilter(t *testing.T) {
	r, err := New(Config{Types: []EntityType{EmailAddress}, Languages: []string{"en"}})
	if err != nil {
		t.Fatal(err)
	}
	res := r.Redact("my name is priya kowalski, email priya at example dot com, phone 020 7946 0958", "en", Hints{})
	if len(res.Spans) != 1 || res.Spans[0].Type != EmailAddress {
		t.Errorf("spans %v", res.Spans)
	}
}

func TestLanguageDetection(t *testing.T) {
	tests := []struct{ text, want string }{
		{"Guten Tag, ich möchte meine Adresse ändern, weil ich umgezogen bin.", "de"},
		{"Bonjour, je voudrais changer mon adresse parce que j'ai déménagé.", "fr"},
		{"Hola, quisiera cambiar mi dirección porque me he mudado.", "es"},
		{"Buongiorno, vorrei cambiare il mio indirizzo perché mi sono trasferito.", "it"},
		{"Goedemiddag, ik wil graag mijn adres wijzigen omdat ik verhuisd ben.", "nl"},
		{"Bom dia, queria mudar a minha morada porque mudei de casa.", "pt"},
		{"Hello, I would like to change my address because I have moved.", "en"},
	}
	for _, tc := range tests {
		if got := testRedactor.DetectLanguage(tc.text); got != tc.want {
			t.Errorf("DetectLanguage(%q) = %s, want %s", tc.text, got, tc.want)
		}
	}
	// A call is detected once, on all its text, and BCP 47 tags are
	// accepted as given languages.
	if res := testRedactor.RedactCall([]string{"ja", "Ich möchte meine Adresse ändern, bitte."}, "auto", Hints{}); res.Language != "de" {
		t.Errorf("call language %q", res.Language)
	}
	if res := testRedactor.Redact("hola", "es-ES", Hints{}); res.Language != "es" {
		t.Errorf("es-ES resolved to %q", res.Language)
	}
}

// TestConcurrentRedact runs the redactor from many goroutines; run with
// -race it proves the Redactor holds no shared mutable state.
func TestConcurrentRedact(t *testing.T) {
	texts := []string{
		"hi my name is priya kowalski and my number is oh seven seven double oh nine one two three four five six",
		"meine IBAN ist DE89 3704 0044 0532 0130 00",
		"mon email c'est jean point dupont arobase orange point fr",
	}
	want := make([]string, len(texts))
	for i, tx := range texts {
		want[i] = testRedactor.Redact(tx, "auto", Hints{}).Text
	}
	var wg sync.WaitGroup
	errs := make(chan string, 64)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for k := 0; k < 20; k++ {
				i := (g + k) % len(texts)
				if got := testRedactor.Redact(texts[i], "auto", Hints{Names: []string{"priya"}}).Text; got != want[i] {
					errs <- got
					return
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Errorf("concurrent result differs: %q", e)
	}
}

// TestOutputInvariants checks the span contract on the positive set: byte
// offsets in bounds, sorted, non-overlapping, on rune boundaries.
func TestOutputInvariants(t *testing.T) {
	text := "Guten Tag, hier ist Frau Müller, meine Nummer ist null eins fünf eins zwo drei vier fünf sechs sieben acht und meine IBAN ist DE89 3704 0044 0532 0130 00."
	res := testRedactor.Redact(text, "auto", Hints{})
	checkInvariants(t, text, res)
	if len(res.Spans) < 3 {
		t.Fatalf("expected three spans, got %v", res.Spans)
	}
}

func checkInvariants(t *testing.T, text string, res Result) {
	t.Helper()
	if !utf8.ValidString(res.Text) && utf8.ValidString(text) {
		t.Fatalf("output not valid UTF-8")
	}
	last := 0
	var rebuilt strings.Builder
	for _, s := range res.Spans {
		if s.Start < last || s.End <= s.Start || s.End > len(text) {
			t.Fatalf("bad span %v after %d (len %d)", s, last, len(text))
		}
		if !utf8.RuneStart(text[s.Start]) || s.End < len(text) && !utf8.RuneStart(text[s.End]) {
			t.Fatalf("span %v splits a rune", s)
		}
		rebuilt.WriteString(text[last:s.Start])
		rebuilt.WriteString("[" + string(s.Type) + "]")
		last = s.End
	}
	rebuilt.WriteString(text[last:])
	if rebuilt.String() != res.Text {
		t.Fatalf("output does not match spans:\n%q\n%q", rebuilt.String(), res.Text)
	}
}
