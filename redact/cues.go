package redact

import "slices"

// cueKind is what a cue phrase announces.
type cueKind uint8

const (
	cuePhone cueKind = iota + 1
	cueCard
	cueExpiry
	cueCVV
	cueID
	cueBirth
	cueEmail
	cueNameStrong // "my name is": the next word is a name unless it is a common word
	cueNameWeak   // "this is", "je suis": the next word is a name only if it looks like one
	cueHonorific  // "Mr", "Frau", "Señora": the next word is a surname or name
	cueHonorificAmbiguous
	cueAddress
	cueNotPhone // "order number", "Bestellnummer": numbers after it are references
	cueSpell    // "let me spell it": single letters after it spell a name
	cuePostcode // "my postcode is": a postcode follows
)

// cuePhrases lists the cue phrases of all seven languages. They are matched
// in every language: a German caller may well say "IBAN" or "CVV", and the
// phrases are specific enough not to collide.
var cuePhrases = map[cueKind][]string{
	cuePhone: {
		"phone", "telephone", "mobile", "cell", "cellphone", "my number", "your number", "phone number", "mobile number",
		"cell number", "contact number", "callback number", "call back number", "home number", "work number", "direct line",
		"call me at", "call me on", "reach me at", "reach me on", "text me at", "call me back at", "call me back on", "number is",
		"telefon", "telefonnummer", "handy", "handynummer", "rufnummer", "mobilnummer", "festnetz", "festnetznummer",
		"durchwahl", "meine nummer", "unter der nummer", "nummer ist", "erreichen sie mich unter", "erreichbar unter",
		"téléphone", "portable", "mon numéro", "votre numéro", "numéro de téléphone", "numéro de portable", "mon fixe",
		"joindre au", "rappeler au", "numéro est",
		"teléfono", "móvil", "celular", "mi número", "su número", "tu número", "número de teléfono", "llamar al", "número es",
		"telefono", "cellulare", "il mio numero", "mio numero", "suo numero", "numero di telefono", "numero di cellulare", "numero è",
		"telefoon", "telefoonnummer", "mobiel", "mobiele nummer", "mobiel nummer", "mijn nummer", "uw nummer", "bereikbaar op", "nummer is",
		"telefone", "telemóvel", "meu número", "número de telefone", "número de telemóvel", "número de celular", "ligar para",
		"whatsapp", "fax", "landline", "land line", "reach me", "contact me", "call me", "localizar", "contactar", "contactarme",
		"llámame", "llamarme", "richiami", "richiamare", "chiamarmi", "rufen sie mich", "zurückrufen", "anrufen", "appelez",
		"rappelez", "rappeler", "joindre", "bel me", "terugbellen", "bellen", "fixe", "fijo", "fisso", "vaste nummer",
		"fixo", "ligue", "ligar", "contactar-me", "numero fisso",
	},
	cueNotPhone: {
		"order number", "ticket number", "case number", "invoice number", "reference number", "booking number", "tracking number",
		"account number", "customer number", "policy number", "serial number", "model number", "confirmation number", "order",
		"invoice", "reference", "ticket", "tracking", "bestellnummer", "kundennummer", "rechnungsnummer", "auftragsnummer",
		"vorgangsnummer", "referenz", "numéro de commande", "numéro de dossier", "numéro client", "numéro de facture", "commande",
		"número de pedido", "pedido", "factura", "número de cliente", "numero d'ordine", "ordine", "fattura", "numero cliente",
		"bestelnummer", "klantnummer", "factuurnummer", "ordernummer", "número de encomenda", "encomenda", "fatura", "version",
		"versie", "versión", "versione", "versão", "room", "zimmer", "chambre", "habitación", "camera", "kamer", "quarto",
		"auftrag", "bestellung", "vorgang", "bestelling", "referentie", "kenmerk", "dossier", "dossiernummer", "zaaknummer",
	},
	cueCard: {
		"card", "card number", "credit card", "debit card", "visa", "mastercard", "amex", "american express", "karte",
		"kreditkarte", "kartennummer", "carte", "carte bancaire", "carte de crédit", "numéro de carte", "tarjeta",
		"número de tarjeta", "carta", "carta di credito", "numero della carta", "kaart", "creditcard", "kaartnummer",
		"cartão", "cartão de crédito", "número do cartão",
	},
	cueExpiry: {
		"expires", "expiry", "expiration", "exp", "expiry date", "expiration date", "valid until", "valid thru", "valid through",
		"good thru", "ablaufdatum", "gültig bis", "läuft ab", "ablauf", "date d'expiration", "expire", "expire le",
		"valable jusqu'à", "fecha de caducidad", "caduca", "vence", "vencimiento", "caducidad", "scadenza", "scade",
		"vervaldatum", "verloopt", "geldig tot", "validade", "expira", "data de validade", "válido até", "valido fino",
	},
	cueCVV: {
		"cvv", "cvc", "cvv2", "cvc2", "security code", "card verification", "verification code", "sicherheitscode",
		"prüfnummer", "prüfziffer", "kartenprüfnummer", "cryptogramme", "code de sécurité", "código de seguridad",
		"codice di sicurezza", "codice cvv", "beveiligingscode", "veiligheidscode", "código de segurança", "codigo cvv",
		"on the back", "at the back", "three digits", "hinten", "rückseite", "drei ziffern", "au dos", "derrière",
		"trois chiffres", "atrás", "detrás", "tres números", "tres cifras", "dietro", "sul retro", "tre cifre", "achterop",
		"achterkant", "drie cijfers", "de trás", "no verso", "três números", "três dígitos",
	},
	cueID: {
		"social security", "social security number", "ssn", "my social", "social is", "national insurance", "national insurance number", "ni number",
		"nino", "tax id", "tax number", "steuer-id", "steuer id", "steueridentifikationsnummer", "steuernummer",
		"identifikationsnummer", "steuer-identifikationsnummer", "sécurité sociale", "numéro de sécu", "sécu", "nir", "insee",
		"dni", "nie", "documento de identidad", "número de identidad", "codice fiscale", "bsn", "burgerservicenummer",
		"sofinummer", "nif", "contribuinte", "número de contribuinte", "número fiscal", "identificação fiscal", "personal id",
	},
	cueBirth: {
		"born", "date of birth", "birth date", "birthdate", "birthday", "dob", "d o b", "geboren", "geburtsdatum", "geburtstag",
		"geb", "né le", "née le", "né", "née", "date de naissance", "naissance", "nacido", "nacida", "nací", "fecha de nacimiento",
		"nacimiento", "cumpleaños", "nato", "nata", "data di nascita", "nascita", "compleanno", "geboren op", "geboortedatum",
		"verjaardag", "nasci", "nascido", "nascida", "data de nascimento", "nascimento", "aniversário",
	},
	cueEmail: {
		"email", "e mail", "mail", "email address", "mail address", "e-mail address", "e-mail-adresse", "mailadresse",
		"emailadresse", "courriel", "adresse mail", "adresse e-mail", "correo", "correo electrónico", "indirizzo email",
		"indirizzo e-mail", "posta elettronica", "mailadres", "e-mailadres", "endereço de email", "endereço de e-mail",
	},
	cueNameStrong: {
		"my name is", "my name's", "name is", "the name is", "you're speaking to", "you are speaking to", "you're speaking with",
		"ich heiße", "ich heisse", "mein name ist", "mein name", "hier spricht", "je m'appelle", "mon nom est", "mon nom c'est",
		"me llamo", "mi nombre es", "le habla", "mi chiamo", "il mio nome è", "mio nome è", "u spreekt met", "je spreekt met",
		"mijn naam is", "o meu nome é", "meu nome é", "chamo-me", "me chamo", "my full name is", "surname is",
		"last name is", "first name is", "family name is", "my surname", "my last name", "nachname ist", "vorname ist",
		"mein nachname", "mein vorname", "nom de famille", "mon nom", "mon prénom", "prénom c'est", "mi apellido",
		"apellido es", "il cognome", "cognome è", "il mio cognome", "mijn achternaam", "achternaam is", "mijn voornaam",
		"o meu apelido", "apelido é", "sobrenome", "o meu sobrenome", "nome é",
		// The account holder named after bank details.
		"in the name of", "account holder", "account holder is", "kontoinhaber", "kontoinhaberin", "inhaber",
		"au nom de", "titulaire", "titulaire du compte", "a nombre de", "titular", "titular de la cuenta",
		"intestato a", "intestata a", "intestatario", "op naam van", "ten name van", "rekeninghouder",
		"em nome de", "titular da conta",
	},
	cueNameWeak: {
		"this is", "i am", "i'm", "it's", "here is", "speak to", "speak with", "talk to", "talking to", "spoke to", "spoke with",
		"ask for", "transfer you to", "put you through to", "hier ist", "ich bin", "sprechen mit", "verbinden mit",
		"je suis", "c'est", "ici", "parler à", "soy", "habla", "hablar con", "sono", "parla", "parlare con",
		"ik ben", "met", "hier is", "spreken met", "eu sou", "sou", "aqui é", "fala", "falar com", "dear", "thanks",
		"thank you", "hi", "hello", "hallo", "bonjour", "hola", "ciao", "buongiorno", "olá", "ola", "danke", "merci", "gracias",
		"grazie", "bedankt", "obrigado", "obrigada", "cheers", "bye", "tschüss",
		// Asking for or having spoken to someone: "pasar con Diego",
		// "me passer Margaux", "met Hendrik gesproken", "ao Rui".
		"con", "com", "pasar con", "passer", "me passer", "passez-moi", "passe-moi", "passare", "passarmi",
		"dank je", "dank je wel", "dank u", "dank u wel", "ao", "passar-me ao", "passar ao",
		// Passing on a message: "please tell Peter that I called".
		"tell", "let", "ask", "remind", "sagen sie", "richten sie", "dites à", "dis à", "dígale a", "dile a",
		"dica a", "zeg tegen", "diga ao", "diga à",
	},
	cueHonorific: {
		"mr", "mister", "mrs", "ms", "miss", "dr", "doctor", "prof", "professor", "herrn", "monsieur", "mademoiselle",
		"mme", "mlle", "señor", "señora", "señorita", "sr", "sra", "srta", "signor", "signore", "signora", "signorina",
		"sig", "dottor", "dottore", "dottoressa", "dott", "meneer", "mevrouw", "juffrouw", "dhr", "mevr", "senhor", "senhora",
		"doktor",
	},
	cueHonorificAmbiguous: {
		"herr", "frau", "madame", "don", "doña", "dona", "dom", "sir", "m",
	},
	cueSpell: {
		"spell", "spelled", "spelt", "spelling", "that's", "buchstabiere", "buchstabiert", "épelle", "épeler", "deletreo",
		"deletrear", "se escribe", "scandisco", "si scrive", "spel", "spelt", "soletro", "soletrar", "escreve-se",
	},
	cuePostcode: {
		"postcode", "post code", "postal code", "zip", "zip code", "zipcode", "postleitzahl", "plz", "code postal",
		"código postal", "codice postale", "cap",
	},
	cueAddress: {
		"i live at", "i live on", "my address is", "address is", "the address is", "live at", "wohne in", "wohne an",
		"adresse ist", "meine adresse", "anschrift", "j'habite au", "j'habite", "mon adresse", "adresse est", "vivo en",
		"mi dirección", "dirección es", "abito in", "vivo in", "il mio indirizzo", "indirizzo è", "ik woon op", "ik woon aan",
		"mijn adres", "adres is", "moro na", "moro em", "vivo na", "minha morada", "meu endereço", "morada é", "endereço é",
	},
}

// cueTable indexes cue phrases by their first folded word.
type cueTable map[string][]cuePhrase

type cuePhrase struct {
	words []string
	kind  cueKind
}

func newCueTable() cueTable {
	t := cueTable{}
	for kind, phrases := range cuePhrases {
		for _, p := range phrases {
			w := foldPhrase(p)
			if len(w) == 0 {
				continue
			}
			t[w[0]] = append(t[w[0]], cuePhrase{words: w, kind: kind})
		}
	}
	return t
}

// cueHit is one cue phrase found in a text, as token indexes [start, end).
type cueHit struct {
	kind       cueKind
	start, end int
}

// isJoiner is punctuation that sits inside a phrase ("m'appelle",
// "e-mail") and is skipped when matching.
func isJoiner(t token) bool {
	return t.kind == tokPunct && (t.norm == "'" || t.norm == "-" || t.norm == "’")
}

// find returns every cue phrase in toks; at one position the longest
// phrase of each kind wins. A phone cue inside a reference cue ("order
// number is") is dropped.
func (ct cueTable) find(toks []token, buf []cueHit) []cueHit {
	hits := ct.findAll(toks, buf)
	// Hits are in order of their start, and phrases are a few words long:
	// the reference cues a phone cue can sit in start shortly before it,
	// so each phone cue looks back over those only.
	for k := range hits {
		if hits[k].kind == cuePhone && insideReference(hits, k) {
			hits[k].kind = 0 // dropped below; only reference cues are read meanwhile
		}
	}
	out := hits[:0]
	for _, h := range hits {
		if h.kind == 0 {
			continue
		}
		// French "née"/"né" without its accent is Dutch "nee" (no) or
		// Italian "ne": not a birth cue.
		if h.kind == cueBirth && h.end-h.start == 1 && !toks[h.start].accented && (toks[h.start].norm == "nee" || toks[h.start].norm == "ne") {
			continue
		}
		out = append(out, h)
	}
	return out
}

// insideReference reports whether hits[k] starts inside a reference or
// ID cue: one that starts at most maxCueTokens before it.
func insideReference(hits []cueHit, k int) bool {
	h := hits[k]
	for j := k + 1; j < len(hits) && hits[j].start == h.start; j++ {
		if o := hits[j]; (o.kind == cueNotPhone || o.kind == cueID) && h.start < o.end {
			return true
		}
	}
	for j := k - 1; j >= 0 && hits[j].start >= h.start-maxCueTokens; j-- {
		if o := hits[j]; (o.kind == cueNotPhone || o.kind == cueID) && h.start < o.end {
			return true
		}
	}
	return false
}

// maxCueTokens bounds the tokens of one cue phrase match: its words and
// the joiners and trailing dot between them (the longest phrases have six
// words).
const maxCueTokens = 16

func (ct cueTable) findAll(toks []token, hits []cueHit) []cueHit {
	for i := range toks {
		t := &toks[i]
		if t.kind != tokWord && t.kind != tokAlnum || !t.has(fCueFirst) {
			continue
		}
		cands := ct[t.norm]
		// The hits already found at i are the last ones.
		atI := len(hits)
		for _, p := range cands {
			end, ok := matchWords(toks, i, p.words)
			if !ok {
				continue
			}
			replaced := false
			for k := atI; k < len(hits); k++ {
				if hits[k].kind == p.kind {
					if end > hits[k].end {
						hits[k].end = end
					}
					replaced = true
				}
			}
			if !replaced {
				hits = append(hits, cueHit{kind: p.kind, start: i, end: end})
			}
		}
	}
	return hits
}

// carriedCueWords bounds how many words may follow a cue at the end of an
// utterance for it to carry into the next: "can you confirm your date of
// birth please?" carries, "what is your phone plan about" does not.
const carriedCueWords = 3

// carriesOver reports whether a cue of kind at the end of an utterance
// announces a value the next utterance may hold: the identifiers asked
// for, and "my name is" cut off by the end of a segment. Weak name cues
// ("thanks", "hello") and reference cues do not carry.
func carriesOver(kind cueKind) bool {
	switch kind {
	case cuePhone, cueCard, cueExpiry, cueCVV, cueID, cueBirth, cueEmail, cueAddress, cuePostcode, cueNameStrong:
		return true
	}
	return false
}

// trailingCues appends to buf the kinds of the cues that end d.toks: at
// most carriedCueWords words (punctuation not counted) follow them, or
// none for a name cue, which would otherwise take the next word for a
// name.
func (d *detection) trailingCues(buf []cueKind) []cueKind {
	words := 0
	end := len(d.toks)
	for end > 0 && words <= carriedCueWords {
		if d.toks[end-1].kind != tokPunct {
			words++
		}
		end--
	}
	for _, h := range d.cues {
		// A cue carried into this text (an empty hit) carries no further:
		// a string of short replies does not keep it alive.
		if h.end < end || h.start == h.end || !carriesOver(h.kind) || slices.Contains(buf, h.kind) {
			continue
		}
		after := 0
		for k := h.end; k < len(d.toks); k++ {
			if d.toks[k].kind != tokPunct {
				after++
			}
		}
		if after > carriedCueWords || h.kind == cueNameStrong && after > 0 {
			continue
		}
		buf = append(buf, h.kind)
	}
	return buf
}

// matchWords matches words at toks[i:], skipping joiners and a trailing
// "." of abbreviations; it returns the index after the match.
func matchWords(toks []token, i int, words []string) (int, bool) {
	j := i
	for k, w := range words {
		for j < len(toks) && isJoiner(toks[j]) && k > 0 {
			j++
		}
		if j >= len(toks) || toks[j].norm != w {
			return 0, false
		}
		j++
	}
	if j < len(toks) && toks[j].kind == tokPunct && toks[j].norm == "." && len(words) == 1 && len(words[0]) <= 4 {
		j++ // "Mr.", "Dr.", "Sra."
	}
	return j, true
}

// stopwords are function words and frequent verbs of each language that
// never start a name: after "this is" or "je suis" they say the phrase was
// not an introduction ("this is about my order", "je suis désolé").
var stopwords = map[string][]string{
	"en": {
		"a", "an", "the", "and", "or", "but", "so", "to", "of", "in", "on", "at", "for", "from", "with", "about", "by", "as",
		"is", "are", "was", "were", "be", "been", "am", "i", "you", "he", "she", "it", "we", "they", "me", "him", "her", "us",
		"them", "my", "your", "his", "its", "our", "their", "this", "that", "these", "those", "here", "there", "what", "which",
		"who", "how", "when", "where", "why", "not", "no", "yes", "yeah", "ok", "okay", "just", "also", "calling", "speaking",
		"sorry", "fine", "good", "great", "glad", "happy", "sure", "right", "well", "very", "really", "going", "trying",
		"looking", "still", "actually", "basically", "again", "correct", "please", "thanks", "thank", "hello", "hi", "hey",
		"bye", "call", "called", "number", "phone", "email", "address", "today", "tomorrow", "yesterday", "now", "then",
		"afraid", "interested", "available", "busy", "back", "done", "ready", "new", "calling", "one", "some", "any", "all",
		"do", "does", "did", "have", "has", "had", "can", "could", "would", "should", "will", "shall", "may", "might", "must",
		"get", "got", "like", "need", "want", "know", "think", "see", "say", "said", "tell", "told", "let", "make", "take",
		"give", "sir", "madam", "customer", "service", "support", "team", "department", "manager", "agent", "colleague",
		"company", "office", "bank", "there's", "that's", "it's", "we're", "you're", "i'm", "ll", "s", "t", "d", "re", "ve",
		"m", "more", "most", "much", "many", "only", "even", "too", "because", "if", "than", "into", "over", "after",
		"before", "up", "down", "out", "off", "again", "regarding", "concerning", "everyone", "everybody", "someone",
		"somebody", "anyone", "nobody", "whoever", "myself", "yourself", "mine", "yours",
	},
	"de": {
		"der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "einem", "einer", "und", "oder", "aber", "zu",
		"von", "im", "an", "am", "auf", "für", "mit", "bei", "aus", "ist", "sind", "war", "bin", "ich", "du", "er", "sie",
		"es", "wir", "ihr", "mein", "meine", "dein", "sein", "ihre", "nicht", "kein", "keine", "ja", "nein", "nur", "auch",
		"noch", "schon", "hier", "da", "dort", "so", "sehr", "gut", "gerne", "gern", "leider", "froh", "wieder", "jetzt",
		"heute", "morgen", "gestern", "mal", "doch", "wegen", "bezüglich", "habe", "hat", "haben", "kann", "können",
		"möchte", "will", "würde", "wurde", "werde", "wie", "was", "wer", "wo", "wann", "warum", "dass", "weil", "wenn",
		"als", "um", "nach", "vor", "über", "unter", "eigentlich", "also", "genau", "bitte", "danke", "hallo", "tschüss",
		"kunde", "kundin", "service", "firma", "abteilung", "sehr", "zurück", "dran", "neu", "ganz", "einfach",
		"vielen", "dank",
	},
	"fr": {
		"le", "la", "les", "un", "une", "des", "du", "de", "et", "ou", "mais", "donc", "à", "au", "aux", "en", "dans", "sur",
		"pour", "par", "avec", "sans", "est", "suis", "es", "sommes", "êtes", "sont", "je", "tu", "il", "elle", "nous",
		"vous", "ils", "elles", "mon", "ma", "mes", "ton", "ta", "son", "sa", "ses", "ce", "cet", "cette", "ici", "là",
		"pas", "ne", "oui", "non", "très", "bien", "désolé", "désolée", "content", "contente", "ravi", "ravie", "encore",
		"déjà", "aussi", "juste", "que", "qui", "quoi", "comment", "quand", "où", "pourquoi", "si", "merci", "bonjour",
		"madame", "monsieur", "client", "cliente", "service", "appelle", "appel", "vraiment", "toujours", "en", "y",
		"moi", "toi", "lui", "leur", "c", "l", "d", "j", "m", "n", "qu", "s", "t",
	},
	"es": {
		"el", "los", "las", "una", "unos", "unas", "y", "o", "pero", "del", "al", "en", "por", "para", "con", "sin", "es",
		"soy", "eres", "somos", "son", "estoy", "está", "yo", "tú", "él", "ella", "nosotros", "ellos", "mi", "mis", "tu",
		"su", "sus", "este", "esta", "esto", "aquí", "ahí", "allí", "no", "sí", "si", "muy", "bien", "también", "ya", "que",
		"qué", "quien", "cómo", "cuando", "donde", "gracias", "hola", "señor", "señora", "cliente", "servicio", "llamo",
		"llamando", "porque", "sobre", "hoy", "mañana", "ayer", "ahora", "claro", "vale", "bueno",
	},
	"it": {
		"il", "lo", "gli", "uno", "e", "ma", "di", "da", "in", "su", "per", "tra", "fra", "sono", "sei", "siamo", "siete",
		"io", "lui", "lei", "noi", "voi", "loro", "mio", "mia", "tuo", "tua", "suo", "sua", "questo", "questa", "qui",
		"qua", "lì", "non", "sì", "molto", "bene", "anche", "già", "che", "chi", "come", "quando", "dove", "perché",
		"grazie", "ciao", "buongiorno", "cliente", "servizio", "chiamo", "oggi", "domani", "ieri", "adesso", "ora",
		"certo", "allora", "proprio", "della", "dello", "dei", "delle", "nel", "nella", "alla", "al", "col",
		"del", "con", "una",
	},
	"nl": {
		"de", "het", "een", "en", "of", "maar", "van", "in", "op", "aan", "voor", "met", "bij", "uit", "is", "ben", "bent",
		"zijn", "was", "ik", "jij", "je", "hij", "zij", "ze", "wij", "we", "jullie", "mijn", "jouw", "uw", "zijn", "haar",
		"ons", "onze", "dit", "dat", "deze", "die", "hier", "daar", "niet", "geen", "ja", "nee", "heel", "erg", "goed",
		"ook", "al", "nog", "wel", "wat", "wie", "hoe", "wanneer", "waar", "waarom", "dank", "bedankt", "hallo", "klant",
		"dienst", "bel", "vandaag", "morgen", "gisteren", "nu", "even", "graag", "sorry",
		"had", "den",
	},
	"pt": {
		"o", "os", "as", "um", "uma", "e", "ou", "mas", "do", "da", "dos", "das", "no", "na", "nos", "nas", "em", "por",
		"para", "com", "sem", "é", "sou", "somos", "são", "estou", "eu", "tu", "ele", "ela", "nós", "eles", "elas", "meu",
		"minha", "teu", "tua", "seu", "sua", "este", "esta", "isto", "aqui", "aí", "ali", "não", "sim", "muito", "bem",
		"também", "já", "que", "quem", "como", "quando", "onde", "obrigado", "obrigada", "olá", "cliente", "serviço",
		"ligo", "ligando", "hoje", "amanhã", "ontem", "agora", "claro",
		"mais", "menos",
	},
}
