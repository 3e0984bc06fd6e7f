package redact

import (
	"net/netip"
	"slices"
	"strings"

	"github.com/nyaruka/phonenumbers/v2"
)

// regionsByLanguage are the phone regions tried for national numbers in a
// language, most likely first. Regions of the call's own numbers come
// before them (see prepareHints).
var regionsByLanguage = map[string][]string{
	"en": {"US", "GB", "IE"},
	"de": {"DE", "AT", "CH"},
	"fr": {"FR", "BE", "CH"},
	"es": {"ES"},
	"it": {"IT"},
	"nl": {"NL", "BE"},
	"pt": {"PT", "BR"},
}

// secondaryRegions are regions whose callers also speak the language but
// whose numbers are tried only next to a phone cue or when the number is
// dictated in words and long: Latin American Spanish, Australian and New
// Zealand English, Swiss Italian, Luxembourgish French and German.
// libphonenumber parses them itself (Argentina's mobile "15" needs its
// national prefix rules), which is slow, so they come last.
var secondaryRegions = map[string][]string{
	"en": {"AU", "NZ", "ZA", "IN", "SG"},
	"de": {"LI", "LU", "BE"},
	"fr": {"LU", "MC", "CA", "MA", "SN", "CI"},
	"es": {"MX", "AR", "CO", "CL", "PE", "VE", "US"},
	"it": {"CH", "SM", "VA"},
	"nl": {"SR", "AW", "CW"},
	"pt": {"AO", "MZ", "CV"},
}

// nationalShape is a cheap pre-check of a national number's form in a
// region (leading digits and length, trunk prefix included), so that
// libphonenumber, which is slow, only sees plausible candidates.
type nationalShape struct {
	first          string // allowed first digits
	minLen, maxLen int
}

var nationalShapes = map[string]nationalShape{
	"US": {"23456789", 10, 10}, "GB": {"0", 10, 11}, "IE": {"0", 7, 10}, "DE": {"0", 6, 13}, "AT": {"0", 5, 14},
	"CH": {"0", 10, 10}, "FR": {"0", 10, 10}, "BE": {"0", 9, 10}, "ES": {"6789", 9, 9}, "IT": {"03", 6, 11},
	"NL": {"0", 10, 10}, "PT": {"29", 9, 9}, "BR": {"123456789", 10, 11},
	"AU": {"0", 10, 10}, "NZ": {"0", 8, 11}, "LI": {"236789", 7, 9}, "LU": {"23456789", 6, 11}, "MC": {"0", 9, 10},
	"MX": {"23456789", 10, 10}, "AR": {"0", 10, 13}, "CO": {"36", 10, 10}, "CL": {"29", 9, 9},
	"SM": {"0567", 6, 10}, "SR": {"23456789", 6, 7}, "AO": {"29", 9, 9}, "MZ": {"28", 8, 9},
	"ZA": {"0", 10, 10}, "IN": {"06789", 10, 11}, "SG": {"3689", 8, 8}, "CA": {"23456789", 10, 10}, "MA": {"0", 10, 10},
	"SN": {"37", 9, 9}, "CI": {"02", 10, 10}, "PE": {"09", 8, 9}, "VE": {"0", 11, 11}, "VA": {"03", 6, 11},
	"AW": {"5679", 7, 7}, "CW": {"9", 7, 8}, "CV": {"259", 7, 7},
}

// plausible reports whether digits may be a national number of region;
// regions without a shape are always tried.
func plausible(digits, region string, cue bool) bool {
	s, ok := nationalShapes[region]
	if !ok {
		return true
	}
	n := len(digits)
	if cue {
		// Next to a cue callers drop the trunk zero or give a local number.
		return n >= 7 && n <= s.maxLen+1
	}
	return n >= s.minLen && n <= s.maxLen && strings.IndexByte(s.first, digits[0]) >= 0
}

// nationalNumber builds the libphonenumber value of a national number
// written as plain digits. It does what phonenumbers.Parse does for such
// input (strip the trunk prefix, keep Italy's leading zero) without Parse's
// regular expressions, which dominate the redactor's cost otherwise.
func (r *Redactor) nationalNumber(digits, region string) *phonenumbers.PhoneNumber {
	cc := phonenumbers.GetCountryCodeForRegion(region)
	if cc == 0 {
		return nil
	}
	nsn := digits
	ndd, ok := r.trunk[region]
	if !ok {
		ndd = phonenumbers.GetNddPrefixForRegion(region, true)
	}
	if ndd != "" && region != "IT" && strings.HasPrefix(nsn, ndd) {
		nsn = nsn[len(ndd):]
	}
	return buildNumber(cc, nsn)
}

// internationalNumberKeepZero reads digits that start with a country code
// whose national number starts with 0; nil when it does not.
func internationalNumberKeepZero(digits string) *phonenumbers.PhoneNumber {
	for l := 1; l <= 3 && l < len(digits); l++ {
		cc := atoiN(digits, l)
		if phonenumbers.GetRegionCodeForCountryCode(cc) == "ZZ" {
			continue
		}
		if cc == 39 || !strings.HasPrefix(digits[l:], "0") {
			return nil
		}
		return buildNumber(cc, digits[l:])
	}
	return nil
}

// internationalNumber reads digits that start with a country code.
func internationalNumber(digits string) *phonenumbers.PhoneNumber {
	for l := 1; l <= 3 && l < len(digits); l++ {
		cc := atoiN(digits, l)
		if phonenumbers.GetRegionCodeForCountryCode(cc) == "ZZ" {
			continue
		}
		nsn := digits[l:]
		// "plus four nine zero one five one": callers keep the trunk zero.
		if cc != 39 && strings.HasPrefix(nsn, "0") {
			nsn = nsn[1:]
		}
		return buildNumber(cc, nsn)
	}
	return nil
}

func buildNumber(cc int, nsn string) *phonenumbers.PhoneNumber {
	if len(nsn) < 4 || len(nsn) > 17 {
		return nil
	}
	var v uint64
	zeros := int32(0)
	for i := 0; i < len(nsn); i++ {
		if v == 0 && nsn[i] == '0' {
			zeros++
		}
		v = v*10 + uint64(nsn[i]-'0')
	}
	cc32 := int32(cc)
	num := &phonenumbers.PhoneNumber{CountryCode: &cc32, NationalNumber: &v}
	if zeros > 0 && v != 0 {
		t := true
		num.ItalianLeadingZero = &t
		if zeros > 1 {
			num.NumberOfLeadingZeros = &zeros
		}
	}
	return num
}

// cueNear reports whether a cue of kind ends within window tokens before
// token i (or starts within after tokens after it).
func (d *detection) cueNear(kind cueKind, i, window, after int) bool {
	for _, h := range d.cues {
		if h.kind != kind {
			continue
		}
		if h.end <= i && h.end >= i-window {
			return true
		}
		if h.start >= i && h.start <= i+after {
			return true
		}
	}
	return false
}

// nearestCue returns the distance in tokens from the closest cue of kind
// that ends at or before i, or a large number.
func (d *detection) nearestCue(kind cueKind, i int) int {
	best := 1 << 30
	for _, h := range d.cues {
		if h.kind == kind && h.end <= i && i-h.end < best {
			best = i - h.end
		}
	}
	return best
}

// nearestCueInSentence is nearestCue for cues of the sentence that holds
// token i: "it's about the order from the fourth. Call ..." says nothing of
// the number after the full stop.
func (d *detection) nearestCueInSentence(kind cueKind, i int) int {
	best := 1 << 30
	for _, h := range d.cues {
		if h.kind != kind || h.end > i || i-h.end >= best {
			continue
		}
		broken := false
		for k := h.end; k < i && !broken; k++ {
			broken = d.sentenceEnd(k)
		}
		if !broken {
			best = i - h.end
		}
	}
	return best
}

// detectNumbers runs the number detectors (card, national ID, phone, IP,
// card expiry and CVV) over each numeric run.
func (d *detection) detectNumbers() {
	d.runs, d.runItems, d.runScratch = d.nt.numericRunsInto(d.toks, d.runs, d.runItems, d.runScratch)
	runs := d.runs
	cardEnds := 0
	for ri := range runs {
		run := &runs[ri]
		total := run.ndigits(0, len(run.items))
		first := run.firstTok()
		if d.r.enabled(IPAddress) {
			d.detectIPv4(run)
		}
		if total < minNumberDigits {
			continue
		}
		n := len(run.items)
		// A self-correction is tried as retracting the item or the group
		// said before it, then as no correction at all.
		// The mode whose findings cover the most tokens wins.
		var best []numberFind
		bestCover := 0
		for _, mode := range run.modes() {
			run.mode = mode
			finds := d.numbersInRun(run, n, first)
			cover := 0
			for _, f := range finds {
				cover += f.end - f.start
			}
			if cover > bestCover {
				best, bestCover = finds, cover
			}
		}
		run.mode = 0
		for _, f := range best {
			if f.typ == PhoneNumber && f.start > 0 && d.toks[f.start-1].norm == "(" {
				f.start-- // "(201) 555-0123" keeps no stray parenthesis
			}
			d.add(f.start, f.end, f.typ, "number", f.digits)
			if f.typ == CreditCard {
				cardEnds++
			}
		}
	}
	d.detectExtensions(runs)
	d.detectCardExtras(runs, cardEnds > 0)
	d.detectMonthExpiry()
}

// numberFind is a number found in a run, not yet added.
type numberFind struct {
	start, end int
	typ        EntityType
	digits     string
}

// numbersInRun finds cards, IDs and phones in one run under its current
// retraction mode.
func (d *detection) numbersInRun(run *numRun, n, first int) []numberFind {
	var found []numberFind
	{
		// Longest valid stretch first, left to right. A number rarely
		// shares its run with much else, so only a few items are trimmed
		// from either end: this bounds the (slow) validations per run.
		for a := 0; a < n; a++ {
			if a > 3 && a < n-4 && run.items[a].sep == sepSpace {
				continue
			}
			// classifyDigits accepts at most maxNumberDigits digits: start
			// at the longest stretch from a within that, so a long run
			// (hostile "1-2-3-…") costs linear, not cubic, time.
			top := a
			for nd := 0; top < n; top++ {
				if run.items[top].retract&run.mode != 0 {
					continue // taken back: no digits of the number
				}
				if nd+len(run.items[top].digits) > maxNumberDigits {
					break
				}
				nd += len(run.items[top].digits)
			}
			for b := top; b > a; b-- {
				if b < n-4 && b-a > 2 && (b >= len(run.items) || run.items[b].sep == sepSpace) {
					continue
				}
				nd := run.ndigits(a, b)
				if nd < minNumberDigits {
					break
				}
				if d.blocked(run.items[a].tok, run.items[b-1].end) {
					continue
				}
				if typ, ok := d.classifyDigits(run, a, b, nd); ok {
					s := run.items[a].tok
					if p := intlPrefixBefore(run, a); typ == PhoneNumber && p < a {
						s = run.items[p].tok
					} else if a == 0 {
						s = first
					}
					e := run.items[b-1].end
					digits := run.digits(a, b)
					if typ == PhoneNumber && spokenTail(run, b) {
						// "... eighty-eight eleven eleven": the last word
						// said of a dictated number is its own, even where
						// the number validates without it.
						e = run.items[b].end
						b++
					}
					found = append(found, numberFind{start: s, end: e, typ: typ, digits: digits})
					a = b - 1
					break
				}
			}
		}
	}
	return found
}

// spokenTail reports whether item b is the run's last, one or two digits
// said in words right after item b-1 (no pause, correction or restart
// between them).
func spokenTail(run *numRun, b int) bool {
	if b != len(run.items)-1 || !run.items[b-1].spoken {
		return false
	}
	it := run.items[b]
	return it.spoken && len(it.digits) <= 2 && it.retract&run.mode == 0 && (it.sep == sepSpace || it.sep == sepComma)
}

// intlPrefixBefore returns the item that starts an international prefix
// "00" said right before item a ("doble cero", "zero zero") at the run's
// start or after a pause, or a when there is none: a number found after
// it is dialled with it.
func intlPrefixBefore(run *numRun, a int) int {
	p := a
	switch {
	case a >= 1 && run.items[a-1].digits == "00":
		p = a - 1
	case a >= 2 && run.items[a-2].digits == "0" && run.items[a-1].digits == "0" && run.items[a-1].sep == sepSpace:
		p = a - 2
	default:
		return a
	}
	for q := p; q < a; q++ {
		if run.items[q].retract&run.mode != 0 {
			return a
		}
	}
	if p > 0 && run.items[p].sep == sepSpace {
		return a
	}
	return p
}

// extensionWords introduce a phone extension after the number.
var extensionWords = set("extension", "ext", "durchwahl", "apparat", "poste", "extensión", "interno", "toestel",
	"extensão", "ramal", "nebenstelle", "int", "anexo", "doorkiesnummer")

// extensionJoiners may stand between a number and its extension word:
// "and then extension", "und dann die Durchwahl", "e poi l'interno".
var extensionJoiners = set("and", "then", "the", "und", "dann", "die", "et", "le", "la", "e", "poi", "l", "y", "luego", "el",
	"en", "dan", "het", "depois", "a", "o", "'")

// detectExtensions marks the digits of an extension said after a phone
// number ("... extension two three four", "Durchwahl 12"): they reach the
// same person.
func (d *detection) detectExtensions(runs []numRun) {
	toks := d.toks
	n := len(d.cands)
	for c := 0; c < n; c++ {
		cand := d.cands[c]
		if cand.typ != PhoneNumber || cand.detector != "number" {
			continue
		}
		i := cand.end
		if i < len(toks) && toks[i].kind == tokPunct && toks[i].norm == "," {
			i++
		}
		for k := 0; k < 4 && i < len(toks) && extensionJoiners[toks[i].norm] && !extensionWords[toks[i].norm]; k++ {
			i++
			// The elided article's apostrophe ("l'interno") is no joiner
			// word of its own: set() folds it away.
			if i < len(toks) && toks[i].kind == tokPunct && (toks[i].norm == "'" || toks[i].norm == "’") {
				i++
			}
		}
		if i >= len(toks) || toks[i].kind != tokWord || !extensionWords[toks[i].norm] {
			continue
		}
		i++
		if i < len(toks) && toks[i].kind == tokPunct && (toks[i].norm == "." || toks[i].norm == ":") {
			i++
		}
		for ri := range runs {
			r := &runs[ri]
			if r.items[0].tok != i {
				continue
			}
			if nd := r.ndigits(0, len(r.items)); nd >= 1 && nd <= 6 {
				d.add(i, r.items[len(r.items)-1].end, PhoneNumber, "number", r.digits(0, len(r.items)))
			}
			break
		}
	}
}

// detectMonthExpiry finds expiry dates with a month name: "November
// 2028", "diciembre de dos mil treinta y uno".
func (d *detection) detectMonthExpiry() {
	if !d.r.enabled(CardExpiry) {
		return
	}
	for _, h := range d.cues {
		if h.kind != cueExpiry {
			continue
		}
		for i := h.end; i < len(d.toks) && i <= h.end+3; i++ {
			if _, ok := monthWords[d.toks[i].norm]; !ok || d.toks[i].kind != tokWord {
				continue
			}
			j := i + 1
			if j < len(d.toks) && dateJoiners[d.toks[j].norm] {
				j++
			}
			end := j
			for end < len(d.toks) {
				_, next, ok := d.nt.parseNumber(d.toks, end)
				if !ok {
					break
				}
				end = next
			}
			if end > j {
				d.add(i, end, CardExpiry, "card", "")
			}
			break
		}
	}
}

// minNumberDigits is the fewest digits a number in a run may have:
// Suriname's and Luxembourg's six-digit lines (see shortPhone).
const minNumberDigits = 6

// maxNumberDigits is the most digits classifyDigits accepts (a payment
// card's 19).
const maxNumberDigits = 19

// classifyDigits decides what items [a, b) of a run are, if anything.
func (d *detection) classifyDigits(run *numRun, a, b, nd int) (EntityType, bool) {
	digits := run.digits(a, b)
	tok := run.items[a].tok
	plus := run.plus && a == 0
	// Payment card: Luhn plus a scheme prefix, or Luhn next to "card".
	if nd >= 13 && nd <= 19 && !plus && d.r.enabled(CreditCard) && luhn(digits) &&
		(cardPrefix(digits) || d.cueNear(cueCard, tok, 8, 0)) {
		return CreditCard, true
	}
	if !plus && d.r.enabled(NationalID) && d.nationalID(run, a, b, digits) {
		return NationalID, true
	}
	if nd <= 17 && d.r.enabled(PhoneNumber) && d.phone(run, a, b, digits, plus) {
		return PhoneNumber, true
	}
	return "", false
}

// nationalID checks the digit-only national IDs: US SSN, German Steuer-ID,
// French NIR, Dutch BSN, Portuguese NIF.
func (d *detection) nationalID(run *numRun, a, b int, digits string) bool {
	tok := run.items[a].tok
	idCue := d.nearestCue(cueID, tok) <= 8
	phoneCloser := d.nearestCue(cuePhone, tok) < d.nearestCue(cueID, tok)
	switch len(digits) {
	case 9:
		if validSSN(digits) {
			// "123-45-6789": the 3-2-4 dashed shape is an SSN on its own;
			// in English, so is "123 45 6789".
			if idCue && !phoneCloser || ssnShape(run, a, b) || d.lang == "en" && (ssnGrouped(run, a, b) || d.bareSSN(run, a, b)) {
				return true
			}
		}
		if idCue && !phoneCloser && (validBSN(digits) || validNIF(digits)) {
			return true
		}
	case 11:
		if validSteuerID(digits) && (idCue && !phoneCloser || d.nearestCue(cuePhone, tok) > 12 && digits[0] != '0') {
			return true
		}
	case 15:
		if validNIR(digits) {
			return true
		}
	}
	return false
}

// nanpShape reports whether items [a, b) are written 3-3-4, optionally
// after a "1", and returns the ten digits.
func nanpShape(run *numRun, a, b int) (string, bool) {
	it := run.items[a:b]
	if len(it) == 4 && it[0].digits == "1" {
		it = it[1:]
	}
	if len(it) != 3 || len(it[0].digits) != 3 || len(it[1].digits) != 3 || len(it[2].digits) != 4 {
		return "", false
	}
	for _, x := range it {
		if x.spoken {
			return "", false
		}
	}
	if it[0].digits[0] < '2' {
		return "", false
	}
	return it[0].digits + it[1].digits + it[2].digits, true
}

// bareSSN reports whether items [a, b) are nine digits written as one
// group that stands alone, with no phone cue and no cue of a reference
// (order, ticket, account) in their sentence, and no currency sign or
// hash before them: in English, such a valid SSN is one without its
// dashes. Phone numbers there have ten digits or seven.
func (d *detection) bareSSN(run *numRun, a, b int) bool {
	if b-a != 1 || len(run.items) != 1 || run.items[a].spoken || len(run.items[a].digits) != 9 {
		return false
	}
	tok := run.items[a].tok
	if tok > 0 {
		switch d.toks[tok-1].norm {
		case "$", "#", "€", "£", "no", "nr", "n", "x", "call", "dial", "ring", "text", "tel", "fax":
			return false
		}
	}
	return d.nearestCue(cuePhone, tok) > 8 && d.nearestCueInSentence(cueNotPhone, tok) > 8 && !d.cueNear(cueCard, tok, 8, 0)
}

// ssnShape reports whether items [a, b) are grouped 3-2-4 with dashes.
func ssnShape(run *numRun, a, b int) bool {
	return ssn324(run, a, b) && run.items[a+1].sep == sepDash && run.items[a+2].sep == sepDash
}

// ssnGrouped reports whether items [a, b) are grouped 3-2-4 with dashes
// or spaces, written in digits.
func ssnGrouped(run *numRun, a, b int) bool {
	if !ssn324(run, a, b) {
		return false
	}
	it := run.items[a : a+3]
	for _, x := range it {
		if x.spoken {
			return false
		}
	}
	return it[1].sep == it[2].sep && (it[1].sep == sepDash || it[1].sep == sepSpace)
}

func ssn324(run *numRun, a, b int) bool {
	if b-a != 3 {
		return false
	}
	it := run.items[a:b]
	return len(it[0].digits) == 3 && len(it[1].digits) == 2 && len(it[2].digits) == 4
}

// phone validates a candidate phone number with libphonenumber. National
// numbers are tried in the regions of the call's own numbers and of the
// language; in regions whose national numbers start with a trunk "0" a
// candidate without it needs a phone cue. Next to a cue, a possible (not
// only valid) number is enough.
func (d *detection) phone(run *numRun, a, b int, digits string, plus bool) bool {
	tok := run.items[a].tok
	for _, h := range d.hints.numbers {
		if strings.HasSuffix(digits, h) {
			return true
		}
	}
	cue := d.nearestCue(cuePhone, tok) <= 8 && d.nearestCue(cueNotPhone, tok) > d.nearestCue(cuePhone, tok)
	notPhone := d.nearestCueInSentence(cueNotPhone, tok) <= 4
	if notPhone && !cue {
		return false
	}
	if len(digits) < 7 {
		return !notPhone && d.shortPhone(run, a, b, digits, cue)
	}
	if plus {
		num := internationalNumber(digits)
		if num != nil && (d.r.phones.valid(num) || cue && phonenumbers.IsPossibleNumber(num)) {
			return true
		}
		// Where a leading zero belongs to the number itself (Benin's and
		// Côte d'Ivoire's "01", Congo's "06"), it is not a trunk prefix.
		num = internationalNumberKeepZero(digits)
		return num != nil && d.r.phones.valid(num)
	}
	if nanpDigits, ok := nanpShape(run, a, b); ok {
		// "(201) 555-0123", "201.555.0123", "1-201-555-0123": the North
		// American grouping says the country whatever the language.
		if num := buildNumber(1, nanpDigits); num != nil && d.r.phones.valid(num) {
			return true
		}
	}
	if !cue && d.lang == "en" && ssnGrouped(run, a, b) {
		// 3-2-4 is how Americans group a Social Security number, never a
		// phone number.
		return false
	}
	if strings.HasPrefix(digits, "00") && len(digits) >= 10 {
		if num := internationalNumber(digits[2:]); num != nil && d.r.phones.valid(num) {
			return true
		}
	}
	if len(digits) > 15 {
		return false
	}
	for _, region := range d.regions {
		if !plausible(digits, region, cue) {
			continue
		}
		num := d.r.nationalNumber(digits, region)
		if num == nil {
			continue
		}
		if d.r.phones.valid(num) {
			return true
		}
		if cue && len(digits) >= 7 && phonenumbers.IsPossibleNumber(num) {
			return true
		}
	}
	if cue && len(digits) >= 9 {
		// The language may be misdetected on a short utterance: next to a
		// phone cue, a number valid in any configured language's main
		// region counts.
		for _, l := range d.r.langs {
			region := regionsByLanguage[l][0]
			if slices.Contains(d.regions, region) || !plausible(digits, region, false) {
				continue
			}
			if num := d.r.nationalNumber(digits, region); num != nil && d.r.phones.valid(num) {
				return true
			}
		}
	}
	if cue && len(digits) >= 10 {
		// "four nine one five one ...": a country code without the plus.
		if num := internationalNumber(digits); num != nil && d.r.phones.valid(num) {
			return true
		}
	}
	// A number partly written and partly in words ("201 quinientos
	// cincuenta y dos 6835") is a recogniser's transcript of a dictation
	// as much as one said all in words.
	spoken := spokenShare(run, a, b)
	dictated := len(digits) >= 10 && spoken > 0
	// A short number read out in words (Singapore's eight digits, Aruba's
	// seven) is tried in the secondary regions whose exact shape it has.
	dictatedShort := len(digits) >= 7 && spoken > 0 && !notPhone
	if cue || dictated || dictatedShort {
		for _, region := range secondaryRegions[d.lang] {
			if !plausible(digits, region, false) {
				continue
			}
			if !cue && !dictated {
				// A short number read out: checked without
				// libphonenumber's (slow) parser.
				if _, ok := nationalShapes[region]; ok {
					if num := d.r.nationalNumber(digits, region); num != nil && d.r.phones.valid(num) &&
						phonenumbers.GetRegionCodeForNumber(num) == region {
						return true
					}
				}
				continue
			}
			if num, err := phonenumbers.Parse(digits, region); err == nil && phonenumbers.IsValidNumberForRegion(num, region) {
				return true
			}
		}
	}
	if a == 0 && b == len(run.items) && b >= 2 && !notPhone && spokenShare(run, a, b) == 0 {
		// A number written in a region's own national grouping ("01 23 45
		// 67 89", "(11) 2345-6789", "011 15-2345-6789") is that region's,
		// whatever language the short line was taken for.
		if d.nationalGrouping(run, a, b, digits) {
			return true
		}
	}
	if dictated && digits[0] == '0' && digits[1] != '0' {
		// Ten or more digits dictated in words with a trunk zero are a
		// phone number even when libphonenumber has no range for them (the
		// UK's "07700 900123" drama numbers): only possible, not valid.
		for _, region := range d.regions {
			if s, ok := nationalShapes[region]; !ok || s.first != "0" {
				continue
			}
			if num := d.r.nationalNumber(digits, region); num != nil && phonenumbers.IsPossibleNumber(num) {
				return true
			}
		}
	}
	return false
}

// shortPhone reports whether six digits are a whole national number of a
// region with such short lines (Suriname's "21 12 34", Luxembourg's),
// exactly as that region writes it. Six digits are also an amount, a
// code or a time, so they need a phone cue or a dictation: four items or
// more, at least half of them said in words ("two one, one two three
// four").
func (d *detection) shortPhone(run *numRun, a, b int, digits string, cue bool) bool {
	if !cue && (b-a < 4 || spokenShare(run, a, b) < 0.5) {
		return false
	}
	for _, region := range secondaryRegions[d.lang] {
		s, ok := nationalShapes[region]
		if !ok || s.minLen > len(digits) || !plausible(digits, region, false) {
			continue
		}
		if num := d.r.nationalNumber(digits, region); num != nil && d.r.phones.valid(num) &&
			phonenumbers.GetRegionCodeForNumber(num) == region {
			return true
		}
	}
	return false
}

// nationalGrouping reports whether digits are a valid national number of
// a region of some configured language (main or secondary) and items [a,
// b) group them exactly as libphonenumber formats that number nationally.
func (d *detection) nationalGrouping(run *numRun, a, b int, digits string) bool {
	try := func(region string, parse bool) bool {
		if !plausible(digits, region, false) {
			return false
		}
		var num *phonenumbers.PhoneNumber
		if parse {
			n, err := phonenumbers.Parse(digits, region)
			if err != nil || !phonenumbers.IsValidNumberForRegion(n, region) {
				return false
			}
			num = n
		} else if num = d.r.nationalNumber(digits, region); num == nil || !d.r.phones.valid(num) {
			return false
		}
		return sameGroups(run, a, b, phonenumbers.Format(num, phonenumbers.NATIONAL))
	}
	for _, l := range d.r.langs {
		for _, region := range regionsByLanguage[l] {
			if try(region, false) {
				return true
			}
		}
	}
	for _, l := range d.r.langs {
		for _, region := range secondaryRegions[l] {
			if try(region, true) {
				return true
			}
		}
	}
	return false
}

// sameGroups reports whether the items' digit groups are the formatted
// number's.
func sameGroups(run *numRun, a, b int, formatted string) bool {
	k := a
	n := 0
	for i := 0; i <= len(formatted); i++ {
		if i < len(formatted) && isDigit(formatted[i]) {
			n++
			continue
		}
		if n == 0 {
			continue
		}
		if k >= b || len(run.items[k].digits) != n {
			return false
		}
		k++
		n = 0
	}
	return k == b
}

// spokenShare is the share of items [a, b) said in words.
func spokenShare(run *numRun, a, b int) float64 {
	n := 0
	for _, it := range run.items[a:b] {
		if it.spoken {
			n++
		}
	}
	return float64(n) / float64(b-a)
}

// detectIPv4 finds dotted quads: "192.168.1.20", "ten dot zero dot zero dot
// one". Each of the four groups is read from the items between dots.
func (d *detection) detectIPv4(run *numRun) {
	items := run.items
	// Four groups need three dots after the first item; most runs hold
	// none, and reading groups allocates.
	dots := 0
	for _, it := range items[min(1, len(items)):] {
		if it.sep == sepDot {
			dots++
		}
	}
	if dots < 3 {
		return
	}
	for a := 0; a < len(items); a++ {
		var groups []string
		var cur strings.Builder
		cur.WriteString(items[a].digits)
		b := a + 1
		for ; b < len(items) && len(groups) < 4; b++ {
			if items[b].sep == sepDot && d.ipDot(items[b-1].end, items[b].tok) {
				groups = append(groups, cur.String())
				cur.Reset()
				if len(groups) == 4 {
					break
				}
			} else if items[b].sep != sepSpace {
				break
			}
			cur.WriteString(items[b].digits)
			if cur.Len() > 3 {
				break // no IPv4 group has more than three digits
			}
		}
		if len(groups) < 4 && cur.Len() > 0 {
			groups = append(groups, cur.String())
		}
		if len(groups) != 4 {
			continue
		}
		ip := strings.Join(groups, ".")
		addr, err := netip.ParseAddr(ip)
		if err != nil || !addr.Is4() {
			continue
		}
		// Versions ("version 1.2.3.4") are not addresses.
		if d.nearestCue(cueNotPhone, items[a].tok) <= 2 {
			continue
		}
		d.add(items[a].tok, items[b-1].end, IPAddress, "ip", ip)
		a = b - 1
	}
}

// ipDot reports whether the tokens [a, b) between two items are one dot of
// an address: a spoken "dot", or a written "." with no space after it. A
// pause ("sei... sessantasei") or a full stop is no dot of an address.
func (d *detection) ipDot(a, b int) bool {
	dots := 0
	for k := a; k < b; k++ {
		t := d.toks[k]
		switch {
		case t.kind == tokPunct && t.norm == ".":
			if k+1 < len(d.toks) && d.toks[k+1].space {
				return false
			}
			dots++
		case t.kind == tokWord && t.has(fNumDot):
			dots++
		}
	}
	return dots == 1
}

// detectIPv6 finds written IPv6 addresses; they are never spoken in full.
func (d *detection) detectIPv6() {
	toks := d.toks
	for i := 0; i < len(toks); i++ {
		if !(isHexTok(toks[i]) || toks[i].norm == ":") || i > 0 && !toks[i].space {
			continue
		}
		j := i
		colons := 0
		for j < len(toks) && (isHexTok(toks[j]) || toks[j].norm == ":" || toks[j].norm == ".") && (j == i || !toks[j].space) {
			if toks[j].norm == ":" {
				colons++
			}
			j++
		}
		if colons < 2 {
			continue
		}
		s := d.text[toks[i].start:toks[j-1].end]
		if addr, err := netip.ParseAddr(s); err == nil && addr.Is6() {
			d.add(i, j, IPAddress, "ip", strings.ToLower(s))
			i = j - 1
		}
	}
}

func isHexTok(t token) bool {
	if t.kind != tokDigits && t.kind != tokAlnum && t.kind != tokWord || len(t.norm) > 4 {
		return false
	}
	for i := 0; i < len(t.norm); i++ {
		c := t.norm[i]
		if !(isDigit(c) || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// detectCardExtras finds the expiry date and security code spoken next to
// a card: numbers right after an expiry or CVV cue. The CVV cue words are
// specific enough to stand alone; an expiry needs a card in the text.
func (d *detection) detectCardExtras(runs []numRun, card bool) {
	if !card && !d.cueNear(cueCard, len(d.toks), len(d.toks), 0) {
		card = false
	}
	for ri := range runs {
		run := &runs[ri]
		tok := run.items[0].tok
		nd := run.ndigits(0, len(run.items))
		if d.r.enabled(CardCVV) && (nd == 3 || nd == 4) && d.nearestCue(cueCVV, tok) <= 4 {
			d.add(tok, run.items[len(run.items)-1].end, CardCVV, "card", run.digits(0, len(run.items)))
			continue
		}
		if d.r.enabled(CardExpiry) && (d.nearestCue(cueExpiry, tok) <= 4 || slashDate(run) && d.cardEndsNear(tok, 4)) {
			if end, ok := d.expiry(run); ok {
				d.add(tok, end, CardExpiry, "card", run.digits(0, len(run.items)))
			}
		}
	}
}

// slashDate reports whether the run is written MM/YY or MM/YYYY.
func slashDate(run *numRun) bool {
	it := run.items
	return len(it) == 2 && it[1].sep == sepSlash && len(it[0].digits) <= 2 && (len(it[1].digits) == 2 || len(it[1].digits) == 4)
}

// cardEndsNear reports whether a card number ends within window tokens
// before token i: "4111 1111 1111 1111 expiring 12/27" needs no expiry cue.
func (d *detection) cardEndsNear(i, window int) bool {
	for _, c := range d.cands {
		if c.typ == CreditCard && c.end <= i && c.end >= i-window {
			return true
		}
	}
	return false
}

// expiry accepts MM/YY, MM/YYYY, "twelve twenty six", "zero three slash
// twenty seven" and returns the token end of the date.
func (d *detection) expiry(run *numRun) (int, bool) {
	digits := run.digits(0, len(run.items))
	switch len(digits) {
	case 3, 4, 5, 6:
		m := atoiN(digits, 2)
		if len(digits) == 3 || len(digits) == 5 {
			m = atoiN(digits, 1)
		}
		if m >= 1 && m <= 12 {
			return run.items[len(run.items)-1].end, true
		}
	}
	return 0, false
}

// alnumSeq reads characters from tokens starting at i the way IDs are
// spoken or written: digit groups, number words, spelled letters (also
// two-word letter names: "uve doble"), short letter groups ("DE89",
// "abna", "x"). It appends them upper-cased to buf[:0]; bounds[k] is the
// number of characters after the k-th consumed token and ends[k] the token
// index after it. A slash ends the sequence: "19/10/2026" is a date.
func (d *detection) alnumSeq(i, max int, buf []byte, bounds, ends []int) ([]byte, []int, []int) {
	toks := d.toks
	buf = buf[:0]
	bounds, ends = bounds[:0], ends[:0]
	for i < len(toks) && len(buf) < max {
		t := &toks[i]
		switch {
		case t.kind == tokDigits || t.kind == tokAlnum:
			buf = appendUpper(buf, t.norm)
			i++
		case len(bounds) > 0 && t.kind == tokWord && len(t.norm) > 1 && t.has(fFiller):
			i++
			continue
		case t.kind == tokWord && len(buf) > 0 && i+1 < len(toks) && d.twoWordLetter(i) != 0:
			buf = append(buf, d.twoWordLetter(i))
			i += 2
		case t.kind == tokWord && t.info().letter != 0 && (len(buf) > 0 || len(t.norm) > 2):
			// A letter name starts a sequence only when it cannot be a
			// short word read as its letters ("equis" for an NIE's X).
			buf = append(buf, t.info().letter)
			i++
		case t.kind == tokWord:
			if digs, next, ok := d.nt.parseNumber(toks, i); ok && !(len(t.norm) == 1 && t.num().kind == nkOh && len(buf) > 0 && isUpper(buf[len(buf)-1])) {
				buf = append(buf, digs...)
				i = next
			} else if len(t.norm) <= 4 && isASCIIWord(t.norm) {
				buf = appendUpper(buf, t.norm)
				i++
			} else {
				return buf, bounds, ends
			}
		case len(bounds) > 0 && (t.norm == "-" || t.norm == "." || t.norm == ","):
			i++
			continue
		default:
			return buf, bounds, ends
		}
		bounds = append(bounds, len(buf))
		ends = append(ends, i)
	}
	return buf, bounds, ends
}

// twoWordLetters are letter names spoken as two words, per language.
var twoWordLetters = map[string]map[[2]string]byte{
	"en": {{"double", "u"}: 'W'},
	"es": {{"uve", "doble"}: 'W', {"doble", "uve"}: 'W', {"doble", "ve"}: 'W', {"ve", "doble"}: 'W', {"i", "griega"}: 'Y', {"i", "latina"}: 'I'},
	"fr": {{"double", "ve"}: 'W', {"i", "grec"}: 'Y'},
	"it": {{"doppia", "vu"}: 'W', {"doppio", "vu"}: 'W', {"i", "greca"}: 'Y', {"i", "lunga"}: 'J'},
	"pt": {{"i", "grego"}: 'Y', {"duplo", "ve"}: 'W'},
	"nl": {{"i", "grec"}: 'Y'},
	"de": {{"doppel", "v"}: 'W'},
}

func (d *detection) twoWordLetter(i int) byte {
	if !d.toks[i].has(fTwoLetter) || i+1 >= len(d.toks) || d.toks[i+1].kind != tokWord {
		return 0
	}
	return twoWordLetters[d.lang][[2]string{d.toks[i].norm, d.toks[i+1].norm}]
}

func appendUpper(buf []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' {
			c -= 'a' - 'A'
		}
		buf = append(buf, c)
	}
	return buf
}

func countLetters(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if isUpper(s[i]) {
			n++
		}
	}
	return n
}

func isASCIIWord(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'a' || s[i] > 'z' {
			return false
		}
	}
	return true
}

// detectAlnumIDs finds the identifiers that mix letters and digits: IBAN,
// UK NINO, Spanish DNI/NIE, Italian codice fiscale and Corsican NIRs.
func (d *detection) detectAlnumIDs() {
	toks := d.toks
	// A sequence holds at most 34 characters, one per token or more: the
	// buffers stay on the stack.
	bounds, ends := make([]int, 0, 40), make([]int, 0, 40)
	buf := make([]byte, 0, 64)
	for i := 0; i < len(toks); i++ {
		t := &toks[i]
		if !(t.kind == tokAlnum || t.kind == tokDigits || t.kind == tokWord && len(t.norm) <= 2 && isASCIIWord(t.norm) ||
			t.kind == tokWord && (t.isNum() || t.info().letter != 0)) {
			continue
		}
		if i > 0 && !t.space && isLabelTok(toks[i-1]) {
			continue
		}
		// A spoken identifier does not start inside a spoken number: "cinq
		// cent six deux ..." read from "six" would be an ID found in the
		// middle of a phone number. The sequence from the number's first
		// word was tried already.
		if i > 0 && t.kind == tokWord && t.isNum() && (toks[i-1].kind == tokDigits || toks[i-1].kind == tokWord && toks[i-1].isNum()) {
			continue
		}
		// Every identifier holds at least six digits (a NINO), spoken
		// within a few tokens, except a codice fiscale written as one token,
		// whose digits omocodia may replace by letters.
		if d.digitsIn(i, i+24) < 6 && !(t.kind == tokAlnum && len(t.norm) == 16) {
			continue
		}
		buf, bounds, ends = d.alnumSeq(i, 34, buf, bounds, ends)
		if len(buf) < 9 {
			continue
		}
		s := buf
		// A spoken word the number grammar reads as a gap ("no" of "no
		// sorry") is not a country code: a phone said after a correction
		// is no IBAN.
		spokenGap := t.kind == tokWord && d.nt.isGap(*t)
		if n, ok := ibanLengths[string(s[:2])]; ok && !spokenGap && isUpper(s[0]) && isDigit(s[2]) && isDigit(s[3]) {
			for k, b := range bounds {
				if b == n && !validIBAN(string(s[:n])) && countLetters(string(s[4:n])) <= 4 {
					// An IBAN with a wrong checksum is still an account
					// number, not a phone number hiding inside it.
					d.block(i, ends[k])
				}
			}
		}
		for k, n := range bounds {
			var typ EntityType
			if n < 9 {
				continue
			}
			if n != 9 && n != 15 && n != 16 && !(n >= 15 && isUpper(s[0]) && isUpper(s[1])) {
				continue // no case below can match
			}
			v := string(s[:n])
			switch {
			case n >= 15 && isUpper(v[0]) && isUpper(v[1]) && validIBAN(v) && d.r.enabled(IBAN):
				typ = IBAN
			case n == 9 && (validNINO(v) || validDNI(v) && !allDigits(v[:1]) || validDNI(v) && allDigits(v[:8])):
				typ = NationalID
			case n == 16 && validCodiceFiscale(v):
				typ = NationalID
			case n == 15 && !allDigits(v) && validNIR(v):
				typ = NationalID
			}
			if typ == "" || typ == NationalID && !d.r.enabled(NationalID) {
				continue
			}
			// A copy: v itself may live in a stack buffer.
			d.add(i, ends[k], typ, "checksum", strings.Clone(v))
			d.block(i, ends[k])
			i = ends[k] - 1
			break
		}
	}
}
