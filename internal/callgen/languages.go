package callgen

// The dialogue templates, names, streets and cities below were written for
// callveil's test traffic; they are not taken from any corpus. Templates use
// {slot} placeholders that dialogue.go fills: {agent}, {customer}, {company},
// {phone}, {email}, {card}, {iban}, {dob}, {address} (personal data) and
// {price}, {time}, {count} (harmless numbers the redactor must leave alone).
// Texts are written the way speech-to-text engines print them: no space
// before '?' or '!' (even in French), one space between tokens, punctuation
// glued to the word before it.

// piiSlot names a kind of personal data a customer says on the phone.
type piiSlot int

const (
	slotPhone piiSlot = iota
	slotEmail
	slotCard
	slotIBAN
	slotDOB
	slotAddress
	numSlots
)

// city is a place with a postal-code pattern ('#' a digit, '@' a letter).
type city struct {
	name, postcode, state string
}

type langPack struct {
	code string
	// regions whose numbers, addresses and banks go with this language;
	// the first is the most common.
	regions []string
	// ISO 639-1 plus the country: what AWS Transcribe writes.
	awsCode map[string]string
	// what AssemblyAI writes in language_code.
	assemblyCode map[string]string

	greetings, intros, issues, harmless, fillers []string
	closingsAgent, closingsCustomer              []string
	asks, answers                                [numSlots][]string

	digits      [10]string
	plus        string
	dot, at     string
	months      [12]string
	firstNames  []string
	lastNames   []string
	companies   []string
	emailHosts  []string
	streets     []string
	cities      map[string][]city // by region
	currency    string            // price layout: '#' integer part, '%' cents
	timeLayouts []string          // Go time layouts for {time}
}

func languagePacks() map[string]*langPack {
	return map[string]*langPack{
		"en": english(), "de": german(), "fr": french(), "es": spanish(),
		"it": italian(), "nl": dutch(), "pt": portuguese(),
	}
}

func english() *langPack {
	return &langPack{
		code:         "en",
		regions:      []string{"US", "GB"},
		awsCode:      map[string]string{"US": "en-US", "GB": "en-GB"},
		assemblyCode: map[string]string{"US": "en_us", "GB": "en_uk"},
		greetings: []string{
			"Thank you for calling {company}, this is {agent}. How can I help you today?",
			"Good morning, {company} customer support, {agent} speaking. What can I do for you?",
			"Hi, you're through to {company}. My name is {agent}, how can I help?",
		},
		intros: []string{
			"Hi {agent}, my name is {customer}.",
			"Hello, this is {customer} calling.",
			"Yes, hi. It's {customer} here.",
		},
		issues: []string{
			"I ordered {count} licenses last week and I still haven't received the activation email.",
			"I was charged twice on my last invoice and I'd like to get that sorted out.",
			"I'm interested in your premium plan and I had a few questions about pricing.",
			"My delivery was supposed to arrive yesterday but nothing has shown up.",
		},
		asks: [numSlots][]string{
			slotPhone:   {"Could you give me a phone number where we can reach you?", "What's the best number to call you back on?"},
			slotEmail:   {"And what email address do you have on the account?", "Can I get your email address, please?"},
			slotCard:    {"For the payment, could you read me the card number?"},
			slotIBAN:    {"To set up the direct debit I'll need your IBAN."},
			slotDOB:     {"For security, can you confirm your date of birth?"},
			slotAddress: {"Could you confirm the delivery address for me?"},
		},
		answers: [numSlots][]string{
			slotPhone:   {"Sure, it's {phone}.", "You can reach me on {phone}."},
			slotEmail:   {"It's {email}.", "Yes, it's {email}."},
			slotCard:    {"Okay, it's {card}.", "The card number is {card}."},
			slotIBAN:    {"My IBAN is {iban}.", "Sure, it's {iban}."},
			slotDOB:     {"It's {dob}.", "I was born on {dob}."},
			slotAddress: {"It's {address}.", "The address is {address}."},
		},
		harmless: []string{
			"The premium plan is {price} per month, billed annually.",
			"I can schedule a technician for tomorrow at {time}.",
			"I can see {count} orders on your account at the moment.",
			"The refund of {price} should show up within five working days.",
		},
		fillers:          []string{"Okay, one moment please.", "Let me just check that for you.", "Perfect, thank you.", "Great, that's all noted."},
		closingsAgent:    []string{"Is there anything else I can help you with today?", "Alright, you're all set. Have a great day!"},
		closingsCustomer: []string{"No, that's everything. Thanks a lot!", "That's all, thank you. Bye!"},
		digits:           [10]string{"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"},
		plus:             "plus", dot: "dot", at: "at",
		months:     [12]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
		firstNames: []string{"James", "Emily", "Michael", "Sarah", "David", "Jessica", "Daniel", "Laura", "Thomas", "Olivia", "Robert", "Hannah"},
		lastNames:  []string{"Smith", "Johnson", "Williams", "Brown", "Taylor", "Walker", "Harris", "Clarke", "Wright", "Mitchell", "Cooper", "Evans"},
		companies:  []string{"Brightline Software", "Harbor Energy", "Summit Outdoor Supply"},
		emailHosts: []string{"gmail.com", "outlook.com", "yahoo.com", "icloud.com"},
		streets:    []string{"Oak Street", "Maple Avenue", "Cedar Lane", "Station Road", "High Street", "Lakeview Drive"},
		cities: map[string][]city{
			"US": {{"Portland", "972##", "OR"}, {"Austin", "787##", "TX"}, {"Denver", "802##", "CO"}, {"Columbus", "432##", "OH"}},
			"GB": {{"Manchester", "M## #@@", ""}, {"Leeds", "LS# #@@", ""}, {"Bristol", "BS# #@@", ""}},
		},
		currency:    "$#.%",
		timeLayouts: []string{"3:04 pm", "15:04"},
	}
}

func german() *langPack {
	return &langPack{
		code:         "de",
		regions:      []string{"DE", "AT"},
		awsCode:      map[string]string{"DE": "de-DE", "AT": "de-DE"},
		assemblyCode: map[string]string{"DE": "de", "AT": "de"},
		greetings: []string{
			"{company}, guten Tag, Sie sprechen mit {agent}. Was kann ich für Sie tun?",
			"Willkommen beim Kundenservice von {company}, mein Name ist {agent}. Wie kann ich Ihnen helfen?",
			"Guten Morgen, {company}, {agent} am Apparat.",
		},
		intros: []string{
			"Guten Tag, hier ist {customer}.",
			"Hallo, mein Name ist {customer}.",
			"Ja, guten Tag, {customer} hier.",
		},
		issues: []string{
			"Ich habe letzte Woche {count} Lizenzen bestellt und noch keine Aktivierungsmail bekommen.",
			"Mir wurde die letzte Rechnung doppelt abgebucht, das möchte ich gerne klären.",
			"Ich interessiere mich für Ihren Premium-Tarif und hätte ein paar Fragen zu den Preisen.",
			"Meine Lieferung sollte gestern ankommen, aber bisher ist nichts da.",
		},
		asks: [numSlots][]string{
			slotPhone:   {"Unter welcher Nummer kann ich Sie zurückrufen?", "Können Sie mir bitte eine Telefonnummer für Rückfragen geben?"},
			slotEmail:   {"Welche E-Mail-Adresse ist bei Ihnen hinterlegt?"},
			slotCard:    {"Für die Zahlung bräuchte ich dann bitte die Kartennummer."},
			slotIBAN:    {"Für das Lastschriftmandat brauche ich Ihre IBAN."},
			slotDOB:     {"Zur Sicherheit: Können Sie mir bitte Ihr Geburtsdatum nennen?"},
			slotAddress: {"Können Sie mir bitte die Lieferadresse bestätigen?"},
		},
		answers: [numSlots][]string{
			slotPhone:   {"Ja, das ist die {phone}.", "Am besten unter {phone}."},
			slotEmail:   {"Das ist {email}.", "Die lautet {email}."},
			slotCard:    {"Die Nummer ist {card}.", "Moment, {card}."},
			slotIBAN:    {"Meine IBAN ist {iban}.", "Die lautet {iban}."},
			slotDOB:     {"Das ist der {dob}.", "Ich bin am {dob} geboren."},
			slotAddress: {"Das ist {address}.", "Die Adresse ist {address}."},
		},
		harmless: []string{
			"Der Premium-Tarif kostet {price} im Monat bei jährlicher Abrechnung.",
			"Ich kann Ihnen für morgen um {time} Uhr einen Techniker schicken.",
			"Ich sehe gerade {count} Bestellungen in Ihrem Konto.",
			"Die Erstattung von {price} sollte innerhalb von fünf Werktagen bei Ihnen sein.",
		},
		fillers:          []string{"Alles klar, einen Moment bitte.", "Ich schaue kurz nach.", "Super, vielen Dank.", "Gut, das habe ich notiert."},
		closingsAgent:    []string{"Kann ich sonst noch etwas für Sie tun?", "Dann ist alles erledigt. Einen schönen Tag noch!"},
		closingsCustomer: []string{"Nein, das war's. Vielen Dank!", "Das war alles, danke. Tschüss!"},
		digits:           [10]string{"null", "eins", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun"},
		plus:             "plus", dot: "Punkt", at: "at",
		months:     [12]string{"Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"},
		firstNames: []string{"Lukas", "Anna", "Jonas", "Lena", "Felix", "Marie", "Tobias", "Katharina", "Stefan", "Julia", "Matthias", "Sabine"},
		lastNames:  []string{"Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Hoffmann", "Schäfer", "Koch", "Richter"},
		companies:  []string{"Nordlicht Solar", "Bergmann Logistik", "Elbtal Software"},
		emailHosts: []string{"gmx.de", "web.de", "gmail.com", "posteo.de"},
		streets:    []string{"Hauptstraße", "Lindenstraße", "Gartenweg", "Bahnhofstraße", "Schillerstraße", "Am Mühlbach"},
		cities: map[string][]city{
			"DE": {{"Berlin", "10###", ""}, {"Hamburg", "22###", ""}, {"München", "80###", ""}, {"Köln", "50###", ""}, {"Leipzig", "04###", ""}},
			"AT": {{"Wien", "1##0", ""}, {"Graz", "80##", ""}, {"Linz", "40##", ""}},
		},
		currency:    "#,% Euro",
		timeLayouts: []string{"15:04", "15"},
	}
}

func french() *langPack {
	return &langPack{
		code:         "fr",
		regions:      []string{"FR"},
		awsCode:      map[string]string{"FR": "fr-FR"},
		assemblyCode: map[string]string{"FR": "fr"},
		greetings: []string{
			"{company}, bonjour, {agent} à l'appareil. Que puis-je faire pour vous?",
			"Bienvenue au service client de {company}, je m'appelle {agent}. Comment puis-je vous aider?",
			"Bonjour, {company}, {agent} à votre écoute.",
		},
		intros: []string{
			"Bonjour, ici {customer}.",
			"Bonjour, je m'appelle {customer}.",
			"Oui, bonjour, c'est {customer}.",
		},
		issues: []string{
			"J'ai commandé {count} licences la semaine dernière et je n'ai toujours pas reçu l'e-mail d'activation.",
			"Ma dernière facture a été prélevée deux fois, j'aimerais régler ça.",
			"Je m'intéresse à votre offre premium et j'ai quelques questions sur les tarifs.",
			"Ma livraison devait arriver hier, mais je n'ai toujours rien reçu.",
		},
		asks: [numSlots][]string{
			slotPhone:   {"À quel numéro puis-je vous rappeler?", "Pouvez-vous me donner un numéro de téléphone?"},
			slotEmail:   {"Quelle adresse e-mail avez-vous sur le compte?"},
			slotCard:    {"Pour le paiement, pouvez-vous me lire le numéro de la carte?"},
			slotIBAN:    {"Pour le prélèvement, il me faut votre IBAN."},
			slotDOB:     {"Pour des raisons de sécurité, pouvez-vous me confirmer votre date de naissance?"},
			slotAddress: {"Pouvez-vous me confirmer l'adresse de livraison?"},
		},
		answers: [numSlots][]string{
			slotPhone:   {"Oui, c'est le {phone}.", "Vous pouvez me joindre au {phone}."},
			slotEmail:   {"C'est {email}.", "Alors, c'est {email}."},
			slotCard:    {"Le numéro est {card}.", "Alors, {card}."},
			slotIBAN:    {"Mon IBAN est {iban}.", "C'est {iban}."},
			slotDOB:     {"C'est le {dob}.", "Ma date de naissance est le {dob}."},
			slotAddress: {"C'est {address}.", "J'habite au {address}."},
		},
		harmless: []string{
			"L'offre premium coûte {price} par mois, avec facturation annuelle.",
			"Je peux vous envoyer un technicien demain à {time}.",
			"Je vois {count} commandes sur votre compte.",
			"Le remboursement de {price} devrait arriver sous cinq jours ouvrés.",
		},
		fillers:          []string{"D'accord, un instant s'il vous plaît.", "Je vérifie tout de suite.", "Parfait, merci.", "Très bien, c'est noté."},
		closingsAgent:    []string{"Est-ce que je peux faire autre chose pour vous?", "Voilà, tout est réglé. Bonne journée!"},
		closingsCustomer: []string{"Non, ce sera tout. Merci beaucoup!", "C'est tout, merci. Au revoir!"},
		digits:           [10]string{"zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf"},
		plus:             "plus", dot: "point", at: "arobase",
		months:     [12]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"},
		firstNames: []string{"Julien", "Camille", "Nicolas", "Léa", "Mathieu", "Chloé", "Antoine", "Manon", "Sébastien", "Émilie", "Pierre", "Claire"},
		lastNames:  []string{"Martin", "Bernard", "Dubois", "Lambert", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau", "Lefèvre", "Girard"},
		companies:  []string{"Atelier Lumière", "Solvéo Énergie", "Maison Vauclair"},
		emailHosts: []string{"orange.fr", "free.fr", "laposte.net", "gmail.com"},
		streets:    []string{"rue des Lilas", "avenue Victor Hugo", "boulevard Voltaire", "rue de la République", "chemin des Vignes"},
		cities: map[string][]city{
			"FR": {{"Paris", "7501#", ""}, {"Lyon", "6900#", ""}, {"Marseille", "1300#", ""}, {"Nantes", "44000", ""}},
		},
		currency:    "#,% euros",
		timeLayouts: []string{"15h04", "15h"},
	}
}

func spanish() *langPack {
	return &langPack{
		code:         "es",
		regions:      []string{"ES"},
		awsCode:      map[string]string{"ES": "es-ES"},
		assemblyCode: map[string]string{"ES": "es"},
		greetings: []string{
			"{company}, buenos días, le atiende {agent}. ¿En qué puedo ayudarle?",
			"Bienvenido al servicio de atención al cliente de {company}, mi nombre es {agent}. ¿Cómo puedo ayudarle?",
			"Hola, {company}, habla {agent}.",
		},
		intros: []string{
			"Hola, buenos días, soy {customer}.",
			"Buenas tardes, mi nombre es {customer}.",
			"Sí, hola, le llama {customer}.",
		},
		issues: []string{
			"La semana pasada pedí {count} licencias y todavía no he recibido el correo de activación.",
			"Me han cobrado dos veces la última factura y quería solucionarlo.",
			"Me interesa su plan premium y tengo algunas preguntas sobre los precios.",
			"Mi pedido tenía que llegar ayer, pero todavía no ha llegado nada.",
		},
		asks: [numSlots][]string{
			slotPhone:   {"¿En qué número le podemos llamar?", "¿Me puede dar un teléfono de contacto?"},
			slotEmail:   {"¿Qué correo electrónico tiene en la cuenta?"},
			slotCard:    {"Para el pago, ¿me puede leer el número de la tarjeta?"},
			slotIBAN:    {"Para domiciliar el pago necesito su IBAN."},
			slotDOB:     {"Por seguridad, ¿me confirma su fecha de nacimiento?"},
			slotAddress: {"¿Me puede confirmar la dirección de entrega?"},
		},
		answers: [numSlots][]string{
			slotPhone:   {"Sí, es el {phone}.", "Me puede llamar al {phone}."},
			slotEmail:   {"Es {email}.", "Sí, es {email}."},
			slotCard:    {"El número es {card}.", "A ver, {card}."},
			slotIBAN:    {"Mi IBAN es {iban}.", "Es {iban}."},
			slotDOB:     {"Nací el {dob}.", "Es el {dob}."},
			slotAddress: {"Es {address}.", "Vivo en {address}."},
		},
		harmless: []string{
			"El plan premium cuesta {price} al mes con facturación anual.",
			"Le puedo enviar un técnico mañana a las {time}.",
			"Ahora mismo veo {count} pedidos en su cuenta.",
			"El reembolso de {price} le llegará en un plazo de cinco días hábiles.",
		},
		fillers:          []string{"Vale, un momento, por favor.", "Déjeme comprobarlo.", "Perfecto, gracias.", "Muy bien, queda anotado."},
		closingsAgent:    []string{"¿Puedo ayudarle en algo más?", "Pues ya está todo listo. ¡Que tenga un buen día!"},
		closingsCustomer: []string{"No, eso es todo. ¡Muchas gracias!", "Nada más, gracias. ¡Adiós!"},
		digits:           [10]string{"cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve"},
		plus:             "más", dot: "punto", at: "arroba",
		months:     [12]string{"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"},
		firstNames: []string{"Alejandro", "Lucía", "Javier", "María", "Pablo", "Carmen", "Sergio", "Laura", "Diego", "Paula", "Álvaro", "Elena"},
		lastNames:  []string{"García", "Fernández", "González", "Rodríguez", "López", "Martínez", "Sánchez", "Pérez", "Gómez", "Ruiz", "Jiménez", "Moreno"},
		companies:  []string{"Soluciones Atlántico", "Energía Brisa", "Muebles Alameda"},
		emailHosts: []string{"gmail.com", "hotmail.es", "yahoo.es", "telefonica.net"},
		streets:    []string{"Calle Mayor", "Avenida de la Constitución", "Calle del Sol", "Paseo de Gracia", "Calle Real"},
		cities: map[string][]city{
			"ES": {{"Madrid", "280##", ""}, {"Barcelona", "080##", ""}, {"Sevilla", "410##", ""}, {"Valencia", "460##", ""}},
		},
		currency:    "#,% euros",
		timeLayouts: []string{"15:04"},
	}
}

func italian() *langPack {
	return &langPack{
		code:         "it",
		regions:      []string{"IT"},
		awsCode:      map[string]string{"IT": "it-IT"},
		assemblyCode: map[string]string{"IT": "it"},
		greetings: []string{
			"{company}, buongiorno, sono {agent}. Come posso aiutarla?",
			"Benvenuto al servizio clienti di {company}, mi chiamo {agent}. In cosa posso esserle utile?",
			"Pronto, {company}, parla {agent}.",
		},
		intros: []string{
			"Buongiorno, sono {customer}.",
			"Salve, mi chiamo {customer}.",
			"Sì, buongiorno, qui è {customer}.",
		},
		issues: []string{
			"La settimana scorsa ho ordinato {count} licenze e non ho ancora ricevuto l'e-mail di attivazione.",
			"Mi avete addebitato due volte l'ultima fattura e vorrei sistemare la cosa.",
			"Mi interessa il vostro piano premium e avrei alcune domande sui prezzi.",
			"La mia consegna doveva arrivare ieri, ma non è ancora arrivato niente.",
		},
		asks: [numSlots][]string{
			slotPhone:   {"A quale numero posso richiamarla?", "Mi può lasciare un recapito telefonico?"},
			slotEmail:   {"Qual è l'indirizzo e-mail collegato all'account?"},
			slotCard:    {"Per il pagamento, mi può leggere il numero della carta?"},
			slotIBAN:    {"Per l'addebito diretto mi serve il suo IBAN."},
			slotDOB:     {"Per sicurezza, mi può confermare la sua data di nascita?"},
			slotAddress: {"Mi può confermare l'indirizzo di consegna?"},
		},
		answers: [numSlots][]string{
			slotPhone:   {"Sì, è il {phone}.", "Mi può chiamare al {phone}."},
			slotEmail:   {"È {email}.", "Allora, è {email}."},
			slotCard:    {"Il numero è {card}.", "Allora, {card}."},
			slotIBAN:    {"Il mio IBAN è {iban}.", "È {iban}."},
			slotDOB:     {"È il {dob}.", "La data è il {dob}."},
			slotAddress: {"È {address}.", "Abito in {address}."},
		},
		harmless: []string{
			"Il piano premium costa {price} al mese con fatturazione annuale.",
			"Posso mandarle un tecnico domani alle {time}.",
			"Al momento vedo {count} ordini sul suo account.",
			"Il rimborso di {price} dovrebbe arrivare entro cinque giorni lavorativi.",
		},
		fillers:          []string{"Va bene, un attimo per favore.", "Controllo subito.", "Perfetto, grazie.", "Benissimo, ho preso nota."},
		closingsAgent:    []string{"Posso esserle utile in qualcos'altro?", "Ecco fatto, è tutto a posto. Buona giornata!"},
		closingsCustomer: []string{"No, è tutto. Grazie mille!", "Nient'altro, grazie. Arrivederci!"},
		digits:           [10]string{"zero", "uno", "due", "tre", "quattro", "cinque", "sei", "sette", "otto", "nove"},
		plus:             "più", dot: "punto", at: "chiocciola",
		months:     [12]string{"gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre"},
		firstNames: []string{"Marco", "Giulia", "Alessandro", "Francesca", "Luca", "Chiara", "Matteo", "Sara", "Davide", "Elena", "Andrea", "Valentina"},
		lastNames:  []string{"Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "Greco", "Bruno", "Gallo"},
		companies:  []string{"Tecnoservizi Adriatico", "Luce Verde Energia", "Arredi Colli"},
		emailHosts: []string{"libero.it", "gmail.com", "virgilio.it", "alice.it"},
		streets:    []string{"Via Roma", "Via Garibaldi", "Corso Italia", "Via dei Mille", "Piazza della Repubblica"},
		cities: map[string][]city{
			"IT": {{"Milano", "201##", ""}, {"Roma", "001##", ""}, {"Torino", "101##", ""}, {"Bologna", "401##", ""}},
		},
		currency:    "#,% euro",
		timeLayouts: []string{"15:04"},
	}
}

func dutch() *langPack {
	return &langPack{
		code:         "nl",
		regions:      []string{"NL"},
		awsCode:      map[string]string{"NL": "nl-NL"},
		assemblyCode: map[string]string{"NL": "nl"},
		greetings: []string{
			"{company}, goedemorgen, u spreekt met {agent}. Waarmee kan ik u helpen?",
			"Welkom bij de klantenservice van {company}, mijn naam is {agent}. Wat kan ik voor u doen?",
			"Goedemiddag, {company}, met {agent}.",
		},
		intros: []string{
			"Goedemorgen, u spreekt met {customer}.",
			"Hallo, mijn naam is {customer}.",
			"Ja, hallo, met {customer}.",
		},
		issues: []string{
			"Ik heb vorige week {count} licenties besteld en ik heb nog steeds geen activatiemail ontvangen.",
			"Mijn laatste factuur is twee keer afgeschreven en dat wil ik graag rechtzetten.",
			"Ik ben geïnteresseerd in jullie premiumabonnement en ik heb een paar vragen over de prijzen.",
			"Mijn bestelling had gisteren bezorgd moeten worden, maar er is nog niks aangekomen.",
		},
		asks: [numSlots][]string{
			slotPhone:   {"Op welk nummer kan ik u terugbellen?", "Kunt u mij een telefoonnummer geven?"},
			slotEmail:   {"Welk e-mailadres staat er bij u geregistreerd?"},
			slotCard:    {"Voor de betaling, kunt u mij het kaartnummer voorlezen?"},
			slotIBAN:    {"Voor de automatische incasso heb ik uw IBAN nodig."},
			slotDOB:     {"Voor de zekerheid, wat is uw geboortedatum?"},
			slotAddress: {"Kunt u het bezorgadres even bevestigen?"},
		},
		answers: [numSlots][]string{
			slotPhone:   {"Ja, dat is {phone}.", "U kunt me bereiken op {phone}."},
			slotEmail:   {"Dat is {email}.", "Het is {email}."},
			slotCard:    {"Het nummer is {card}.", "Even kijken, {card}."},
			slotIBAN:    {"Mijn IBAN is {iban}.", "Dat is {iban}."},
			slotDOB:     {"Dat is {dob}.", "Ik ben geboren op {dob}."},
			slotAddress: {"Dat is {address}.", "Het adres is {address}."},
		},
		harmless: []string{
			"Het premiumabonnement kost {price} per maand, jaarlijks gefactureerd.",
			"Ik kan morgen om {time} een monteur langs laten komen.",
			"Ik zie op dit moment {count} bestellingen op uw account.",
			"De terugbetaling van {price} staat binnen vijf werkdagen op uw rekening.",
		},
		fillers:          []string{"Oké, een ogenblikje alstublieft.", "Ik kijk het even voor u na.", "Perfect, dank u wel.", "Prima, dat heb ik genoteerd."},
		closingsAgent:    []string{"Kan ik verder nog iets voor u doen?", "Dan is alles geregeld. Nog een fijne dag!"},
		closingsCustomer: []string{"Nee, dat was het. Hartelijk bedankt!", "Dat was alles, dank u. Dag!"},
		digits:           [10]string{"nul", "een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen"},
		plus:             "plus", dot: "punt", at: "apenstaartje",
		months:     [12]string{"januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"},
		firstNames: []string{"Daan", "Sanne", "Bram", "Lotte", "Thijs", "Emma", "Joris", "Femke", "Ruben", "Anouk", "Sander", "Marieke"},
		lastNames:  []string{"de Vries", "Jansen", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "van Dijk"},
		companies:  []string{"Polderlicht Energie", "Grachtsoft", "Fietsenwinkel De Wissel"},
		emailHosts: []string{"ziggo.nl", "kpnmail.nl", "gmail.com", "hotmail.nl"},
		streets:    []string{"Kerkstraat", "Dorpsstraat", "Molenweg", "Stationsplein", "Prinsengracht"},
		cities: map[string][]city{
			"NL": {{"Amsterdam", "10## @@", ""}, {"Rotterdam", "30## @@", ""}, {"Utrecht", "35## @@", ""}, {"Den Haag", "25## @@", ""}},
		},
		currency:    "€ #,%",
		timeLayouts: []string{"15:04"},
	}
}

func portuguese() *langPack {
	return &langPack{
		code:         "pt",
		regions:      []string{"PT"},
		awsCode:      map[string]string{"PT": "pt-PT"},
		assemblyCode: map[string]string{"PT": "pt"},
		greetings: []string{
			"{company}, bom dia, fala {agent}. Em que posso ajudar?",
			"Bem-vindo ao apoio ao cliente da {company}, o meu nome é {agent}. Como posso ajudar?",
			"Boa tarde, {company}, {agent} ao seu dispor.",
		},
		intros: []string{
			"Bom dia, fala {customer}.",
			"Olá, o meu nome é {customer}.",
			"Sim, boa tarde, é {customer}.",
		},
		issues: []string{
			"Encomendei {count} licenças na semana passada e ainda não recebi o e-mail de ativação.",
			"A minha última fatura foi cobrada duas vezes e queria resolver isso.",
			"Tenho interesse no vosso plano premium e tenho algumas perguntas sobre os preços.",
			"A minha encomenda devia ter chegado ontem, mas ainda não recebi nada.",
		},
		asks: [numSlots][]string{
			slotPhone:   {"Para que número posso ligar de volta?", "Pode dar-me um contacto telefónico?"},
			slotEmail:   {"Qual é o endereço de e-mail associado à conta?"},
			slotCard:    {"Para o pagamento, pode ler-me o número do cartão?"},
			slotIBAN:    {"Para o débito direto preciso do seu IBAN."},
			slotDOB:     {"Por questões de segurança, pode confirmar a sua data de nascimento?"},
			slotAddress: {"Pode confirmar-me a morada de entrega?"},
		},
		answers: [numSlots][]string{
			slotPhone:   {"Sim, é o {phone}.", "Pode ligar para o {phone}."},
			slotEmail:   {"É {email}.", "Sim, é {email}."},
			slotCard:    {"O número é {card}.", "Então, {card}."},
			slotIBAN:    {"O meu IBAN é {iban}.", "É {iban}."},
			slotDOB:     {"Nasci a {dob}.", "É {dob}."},
			slotAddress: {"É {address}.", "Moro na {address}."},
		},
		harmless: []string{
			"O plano premium custa {price} por mês, com faturação anual.",
			"Posso enviar um técnico amanhã às {time}.",
			"Neste momento vejo {count} encomendas na sua conta.",
			"O reembolso de {price} deve chegar dentro de cinco dias úteis.",
		},
		fillers:          []string{"Muito bem, um momento, por favor.", "Vou só verificar.", "Perfeito, obrigado.", "Está bem, fica registado."},
		closingsAgent:    []string{"Posso ajudar em mais alguma coisa?", "Pronto, fica tudo tratado. Tenha um bom dia!"},
		closingsCustomer: []string{"Não, é tudo. Muito obrigado!", "É só isso, obrigado. Adeus!"},
		digits:           [10]string{"zero", "um", "dois", "três", "quatro", "cinco", "seis", "sete", "oito", "nove"},
		plus:             "mais", dot: "ponto", at: "arroba",
		months:     [12]string{"janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro", "outubro", "novembro", "dezembro"},
		firstNames: []string{"João", "Ana", "Pedro", "Inês", "Tiago", "Mariana", "Rui", "Beatriz", "Miguel", "Catarina", "Nuno", "Sofia"},
		lastNames:  []string{"Silva", "Santos", "Ferreira", "Pereira", "Oliveira", "Costa", "Rodrigues", "Martins", "Sousa", "Fernandes", "Gonçalves", "Almeida"},
		companies:  []string{"Maré Digital", "Sol Nascente Energia", "Casa Atlântica"},
		emailHosts: []string{"sapo.pt", "gmail.com", "hotmail.com", "outlook.pt"},
		streets:    []string{"Rua Augusta", "Avenida da Liberdade", "Rua do Carmo", "Rua de Santa Catarina", "Rua das Flores"},
		cities: map[string][]city{
			"PT": {{"Lisboa", "1###-###", ""}, {"Porto", "4###-###", ""}, {"Braga", "47##-###", ""}},
		},
		currency:    "#,% euros",
		timeLayouts: []string{"15h04", "15h"},
	}
}
