// Package redact finds personal data in call transcripts and replaces it.
// It is a pure library: no I/O, no package-level mutable state, and a
// *Redactor is safe for concurrent use once built.
//
// Text is read as speech-to-text writes it: lower case or not, with or
// without punctuation, numbers and emails spoken as words, in English,
// German, French, Spanish, Italian, Dutch and Portuguese. The pipeline is:
// tokenize (word tokens with byte offsets) -> find cue phrases -> detectors
// (numbers normalised from spoken runs and validated with checksums or
// libphonenumber; emails and URLs; names; addresses; dates of birth) ->
// merge into non-overlapping spans -> replace.
package redact

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/nyaruka/phonenumbers/v2"

	"github.com/callveil/callveil/redact/lexicon"
)

// EntityType is a kind of personal data.
type EntityType string

const (
	Person       EntityType = "PERSON"
	PhoneNumber  EntityType = "PHONE_NUMBER"
	EmailAddress EntityType = "EMAIL_ADDRESS"
	CreditCard   EntityType = "CREDIT_CARD"
	IBAN         EntityType = "IBAN"
	NationalID   EntityType = "NATIONAL_ID"
	Address      EntityType = "ADDRESS"
	DateOfBirth  EntityType = "DATE_OF_BIRTH"
	IPAddress    EntityType = "IP_ADDRESS"
	URL          EntityType = "URL"
	CardExpiry   EntityType = "CARD_EXPIRY"
	CardCVV      EntityType = "CARD_CVV"
)

// AllTypes lists every entity type the redactor detects.
var AllTypes = []EntityType{Person, PhoneNumber, EmailAddress, CreditCard, IBAN, NationalID, Address, DateOfBirth,
	IPAddress, URL, CardExpiry, CardCVV}

// Languages callveil redacts, as ISO 639-1 codes.
var supportedLanguages = []string{"en", "de", "fr", "es", "it", "nl", "pt"}

// SupportedLanguages returns the ISO 639-1 codes the redactor handles.
func SupportedLanguages() []string { return slices.Clone(supportedLanguages) }

// Style is how a redacted span is replaced.
type Style int

const (
	// StyleTags replaces a span with its type in brackets: "[PHONE_NUMBER]".
	StyleTags Style = iota
	// StylePseudonyms replaces a span with a per-call stable pseudonym:
	// the same value gets the same "[PERSON_1]" throughout one call.
	StylePseudonyms
)

// DetectionMode selects the lingua-go language detector.
type DetectionMode int

const (
	// DetectLowAccuracy uses lingua's trigram models only (a few MB,
	// loaded in New). Detection runs on the whole call, where trigrams are
	// enough; this is the default.
	DetectLowAccuracy DetectionMode = iota
	// DetectHighAccuracy uses all of lingua's n-gram models (about 120 MB
	// for the seven languages), better on single short utterances.
	DetectHighAccuracy
)

// Config configures a Redactor. The zero value redacts every type in all
// seven languages with tags.
type Config struct {
	// Languages to detect and redact (ISO 639-1); empty means all seven.
	Languages []string
	// Types to redact; empty means all.
	Types []EntityType
	Style Style
	// Detection is the language detector's accuracy mode.
	Detection DetectionMode
	// DefaultLanguage is used when detection cannot decide (empty text,
	// digits only); empty means the first of Languages.
	DefaultLanguage string
	// NoNameModel leaves out the name and address tagger (tagger.go) and
	// keeps the rules alone; the evaluation uses it to measure what the
	// model adds.
	NoNameModel bool
}

// Span is one redacted stretch of the input text, in byte offsets.
type Span struct {
	Start    int        `json:"start"`
	End      int        `json:"end"`
	Type     EntityType `json:"type"`
	Detector string     `json:"detector,omitempty"`
}

// Hints are values known from the call's metadata (names, numbers) that the
// redactor should find in the text even when no rule would.
type Hints struct {
	Names   []string
	Numbers []string
}

// Result is the outcome of redacting one text.
type Result struct {
	Text     string
	Language string
	Spans    []Span
}

// Redactor redacts texts. Build it once with New; it is safe for concurrent
// use and holds only immutable tables.
type Redactor struct {
	cfg     Config
	types   map[EntityType]bool
	langs   []string
	numbers map[string]*numTable
	cues    cueTable
	stop    map[string]bool
	names   *lexicon.Names
	// lex merges every word table of each language (see lex.go).
	lex        map[string]lexTable
	honorifics map[string]bool
	detector   *languageDetector
	// trunk is the national (trunk) prefix of each phone region.
	trunk map[string]string
	// phones validates numbers of the languages' regions.
	phones *phoneValidator
	// tagger is the name and address model (nil with NoNameModel).
	tagger *nameTagger
}

// ErrUnsupportedLanguage is returned by New for a language outside the seven.
var ErrUnsupportedLanguage = errors.New("redact: unsupported language")

// ErrUnknownType is returned by New for an entity type it does not know.
var ErrUnknownType = errors.New("redact: unknown entity type")

// ErrInvalidConfig is returned by New for an invalid style or mode.
var ErrInvalidConfig = errors.New("redact: invalid config")

// New builds a Redactor. Building is the expensive part (language models,
// lexicons, number tables); redacting is then cheap.
func New(cfg Config) (*Redactor, error) {
	if len(cfg.Languages) == 0 {
		cfg.Languages = supportedLanguages
	}
	for _, l := range cfg.Languages {
		if !isSupported(l) {
			return nil, fmt.Errorf("%w: %q", ErrUnsupportedLanguage, l)
		}
	}
	if cfg.DefaultLanguage == "" {
		cfg.DefaultLanguage = cfg.Languages[0]
	} else if !slices.Contains(cfg.Languages, cfg.DefaultLanguage) {
		return nil, fmt.Errorf("%w: default language %q is not configured", ErrUnsupportedLanguage, cfg.DefaultLanguage)
	}
	if cfg.Style != StyleTags && cfg.Style != StylePseudonyms {
		return nil, fmt.Errorf("%w: style %d", ErrInvalidConfig, cfg.Style)
	}
	if cfg.Detection != DetectLowAccuracy && cfg.Detection != DetectHighAccuracy {
		return nil, fmt.Errorf("%w: detection mode %d", ErrInvalidConfig, cfg.Detection)
	}
	r := &Redactor{cfg: cfg, types: map[EntityType]bool{}, langs: slices.Clone(cfg.Languages), numbers: map[string]*numTable{}}
	for _, t := range cfg.Types {
		if !slices.Contains(AllTypes, t) {
			return nil, fmt.Errorf("%w: %q", ErrUnknownType, t)
		}
		r.types[t] = true
	}
	for _, l := range r.langs {
		r.numbers[l] = newNumTable(l)
	}
	r.cues = newCueTable()
	r.stop = map[string]bool{}
	for _, words := range stopwords {
		for _, w := range words {
			r.stop[fold(w)] = true
		}
	}
	r.names = lexicon.Load(fold)
	r.honorifics = map[string]bool{}
	for _, k := range []cueKind{cueHonorific, cueHonorificAmbiguous} {
		for _, p := range cuePhrases[k] {
			if w := foldPhrase(p); len(w) == 1 {
				r.honorifics[w[0]] = true
			}
		}
	}
	r.lex = map[string]lexTable{}
	for _, l := range r.langs {
		r.lex[l] = r.newLexTable(l, r.numbers[l])
	}
	r.trunk = map[string]string{}
	var allRegions []string
	for _, regs := range regionsByLanguage {
		allRegions = append(allRegions, regs...)
	}
	r.phones = newPhoneValidator(allRegions)
	for _, regs := range regionsByLanguage {
		for _, reg := range regs {
			r.trunk[reg] = phonenumbers.GetNddPrefixForRegion(reg, true)
		}
	}
	r.detector = newLanguageDetector(r.langs, cfg.Detection, r.numbers)
	if !cfg.NoNameModel {
		m, err := loadNameTagger(nameModelFile)
		if err != nil {
			return nil, err
		}
		r.tagger = m
	}

	return r, nil
}

func isSupported(l string) bool { return slices.Contains(supportedLanguages, l) }

func (r *Redactor) enabled(t EntityType) bool { return len(r.types) == 0 || r.types[t] }

// resolveLanguage maps a caller's language ("de", "de-DE", "en_us",
// "auto", "") to a configured language, detecting it on the tokenized
// texts when needed.
func (r *Redactor) resolveLanguage(language string, toks [][]token, texts []string) string {
	l := strings.ToLower(language)
	if len(l) >= 2 && l != "auto" {
		if code := l[:2]; slices.Contains(r.langs, code) && (len(l) == 2 || l[2] == '-' || l[2] == '_') {
			return code
		}
	}
	if lang, ok := r.detector.detectTokens(toks, texts); ok {
		return lang
	}
	return r.cfg.DefaultLanguage
}

// DetectLanguage returns the configured language text is most likely in,
// or the default language when lingua cannot decide.
func (r *Redactor) DetectLanguage(text string) string {
	if l, ok := r.detector.detect(text); ok {
		return l
	}
	return r.cfg.DefaultLanguage
}

// Redact redacts one text. language is an ISO 639-1 code (a BCP 47 tag
// such as "de-DE" is accepted) or "auto"; with "auto" the language is
// detected on this text alone, so prefer RedactCall for whole calls.
func (r *Redactor) Redact(text, language string, hints Hints) Result {
	d := detectionPool.Get().(*detection)
	defer d.release()
	d.toks = tokenize(text, d.toks[:0])
	lang := r.resolveLanguage(language, [][]token{d.toks}, []string{text})
	ph := r.prepareHints(hints, lang)
	spans, norms := r.findTokens(d, text, lang, ph)
	out := Result{Language: lang, Spans: spans}
	out.Text = r.replace(text, spans, norms, newPseudonyms(r.cfg.Style))
	return out
}

// CallResult is the outcome of redacting all utterances of one call.
type CallResult struct {
	Language string
	Texts    []string
	Spans    [][]Span
	Counts   map[EntityType]int
}

// RedactCall redacts the utterances of one call: the language is detected
// once on the whole call (when language is "auto"), and pseudonyms are
// stable across utterances.
func (r *Redactor) RedactCall(texts []string, language string, hints Hints) CallResult {
	// Each utterance is tokenized once: the language vote reads the same
	// tokens the detectors then use.
	ds := make([]*detection, len(texts))
	toks := make([][]token, len(texts))
	for i, t := range texts {
		d := detectionPool.Get().(*detection)
		d.toks = tokenize(t, d.toks[:0])
		ds[i], toks[i] = d, d.toks
	}
	defer func() {
		for _, d := range ds {
			d.release()
		}
	}()
	lang := r.resolveLanguage(language, toks, texts)
	ph := r.prepareHints(hints, lang)
	ps := newPseudonyms(r.cfg.Style)
	out := CallResult{Language: lang, Counts: map[EntityType]int{}, Texts: make([]string, len(texts)), Spans: make([][]Span, len(texts))}
	for i, t := range texts {
		d := ds[i]
		if i > 0 {
			// A question at the end of one utterance announces the answer
			// at the start of the next, whoever speaks it ("can you
			// confirm your date of birth?" / "It's October 19, 1998.").
			d.carried = ds[i-1].trailing
		}
		spans, norms := r.findTokens(d, t, lang, ph)
		// A name found once is a name for the rest of the call: later
		// mentions without a cue are redacted too.
		for _, s := range spans {
			if s.Type != Person {
				continue
			}
			first := sort.Search(len(d.toks), func(k int) bool { return d.toks[k].start >= s.Start })
			for k := first; k < len(d.toks) && d.toks[k].end <= s.End; k++ {
				tok := &d.toks[k]
				if tok.kind == tokWord && len(tok.norm) >= 3 && !r.stop[tok.norm] {
					ph.names[tok.norm] = true
				}
			}
		}
		out.Texts[i] = r.replace(t, spans, norms, ps)
		out.Spans[i] = spans
		for _, s := range spans {
			out.Counts[s.Type]++
		}
	}
	return out
}

// preparedHints are the call's hints in the form detectors use.
type preparedHints struct {
	names   map[string]bool
	numbers []string // national significant numbers, and raw digit strings
	regions []string
}

func (r *Redactor) prepareHints(h Hints, lang string) *preparedHints {
	ph := &preparedHints{names: map[string]bool{}}
	for _, n := range h.Names {
		for _, t := range tokenize(n, nil) {
			if t.kind == tokWord && len(t.norm) >= 2 && !r.stop[t.norm] {
				ph.names[t.norm] = true
			}
		}
	}
	for _, n := range h.Numbers {
		var digits strings.Builder
		for i := 0; i < len(n); i++ {
			if isDigit(n[i]) {
				digits.WriteByte(n[i])
			}
		}
		d := digits.String()
		if len(d) < 6 {
			continue
		}
		region := "ZZ"
		raw := d
		if strings.HasPrefix(strings.TrimSpace(n), "+") || strings.HasPrefix(d, "00") {
			raw = "+" + strings.TrimPrefix(d, "00")
		} else if regs := regionsByLanguage[lang]; len(regs) > 0 {
			region = regs[0]
		}
		if num, err := phonenumbers.Parse(raw, region); err == nil {
			nsn := phonenumbers.GetNationalSignificantNumber(num)
			if len(nsn) >= 6 {
				ph.numbers = append(ph.numbers, nsn)
			}
			if reg := phonenumbers.GetRegionCodeForNumber(num); reg != "" && reg != "ZZ" && !slices.Contains(ph.regions, reg) {
				ph.regions = append(ph.regions, reg)
			}
		} else {
			ph.numbers = append(ph.numbers, d)
		}
	}
	if len(ph.regions) == 0 {
		// Without regions from the hints they are the language's, shared
		// and capped so that an append copies.
		regs := regionsByLanguage[lang]
		ph.regions = regs[:len(regs):len(regs)]
		return ph
	}
	for _, reg := range regionsByLanguage[lang] {
		if !slices.Contains(ph.regions, reg) {
			ph.regions = append(ph.regions, reg)
		}
	}
	return ph
}

// detection is the state of detecting one text; it lives for one call of
// find and is never shared.
type detection struct {
	r       *Redactor
	text    string
	toks    []token
	lang    string
	langBit lexicon.LangSet
	nt      *numTable
	cues    []cueHit
	// cueStart marks tokens where a cue phrase begins.
	cueStart []bool
	// digitSum[i] estimates the digits held by tokens before i.
	digitSum []int
	// Buffers of the number detectors, kept across uses of a pooled
	// detection.
	runs                 []numRun
	runItems, runScratch []numItem
	cased                bool
	hints                *preparedHints
	regions              []string
	cands                []candidate
	// taken and kept are merge's buffers.
	taken []bool
	kept  []candidate
	// carried are the cues the utterance before ended with; trailing are
	// the cues this one ends with, for the next (see trailingCues).
	carried, trailing []cueKind
	// blockedToks are tokens no number detector may use (an IBAN with a
	// bad checksum).
	blockedToks []bool
	// Buffers of the name and address tagger.
	atoms            []tokAtoms
	gated, needAtoms []bool
	cueEnd           []bool
	cueAt            []uint8
	tags             []uint8
	margins          []int32
}

func (d *detection) block(a, b int) {
	if d.blockedToks == nil {
		d.blockedToks = make([]bool, len(d.toks))
	}
	for k := a; k < b; k++ {
		d.blockedToks[k] = true
	}
}

func (d *detection) blocked(a, b int) bool {
	if d.blockedToks == nil {
		return false
	}
	for k := a; k < b; k++ {
		if d.blockedToks[k] {
			return true
		}
	}
	return false
}

// candidate is a detector's proposal, in token indexes.
type candidate struct {
	start, end int
	typ        EntityType
	detector   string
	norm       string
}

func (d *detection) add(start, end int, typ EntityType, detector, norm string) {
	if start >= end || !d.r.enabled(typ) {
		return
	}
	d.cands = append(d.cands, candidate{start: start, end: end, typ: typ, detector: detector, norm: norm})
}

// priority orders overlapping candidates: validated identifiers beat
// context rules, which beat names.
func priority(t EntityType) int {
	switch t {
	case EmailAddress:
		return 100
	case URL:
		return 95
	case IBAN:
		return 90
	case CreditCard:
		return 85
	case NationalID:
		return 80
	case IPAddress:
		return 75
	case DateOfBirth:
		return 70
	case PhoneNumber:
		return 65
	case CardExpiry, CardCVV:
		return 60
	case Address:
		return 50
	case Person:
		return 40
	}
	return 0
}

// find runs all detectors and returns the merged spans (byte offsets) with
// the normalised value of each (for pseudonyms).
func (r *Redactor) find(text, lang string, ph *preparedHints) ([]Span, []string) {
	if text == "" {
		return nil, nil
	}
	d := detectionPool.Get().(*detection)
	defer d.release()
	d.toks = tokenize(text, d.toks[:0])
	return r.findTokens(d, text, lang, ph)
}

// findTokens runs the detectors over text already tokenized into d.toks.
// A text longer than chunkTokens tokens is read in windows (see
// findChunked), so the work per token is bounded whatever the length of
// one segment.
func (r *Redactor) findTokens(d *detection, text, lang string, ph *preparedHints) ([]Span, []string) {
	d.r, d.text, d.lang, d.langBit, d.nt, d.hints, d.regions = r, text, lang, lexicon.Bit(lang), r.numbers[lang], ph, ph.regions
	if len(d.toks) == 0 {
		return nil, nil
	}
	r.lex[lang].lexTokens(d.toks)
	d.cased = isCased(d.toks)
	if len(d.toks) <= chunkTokens+2*chunkOverlap {
		d.detectAll(d.carried)
		d.trailing = d.trailingCues(d.trailing[:0])
		return d.merge()
	}
	return d.findChunked()
}

// Long segments are read in windows of chunkTokens tokens, each with
// chunkOverlap tokens of context on either side. A window keeps only the
// candidates that start in its own chunkTokens, so every candidate is
// proposed by exactly one window, which saw chunkOverlap tokens before and
// after it: a span of up to chunkOverlap tokens (far longer than any
// spoken number, email or address) is found whole across a boundary. The
// detectors' look-behind and look-ahead (cue windows of a dozen tokens)
// fit in the overlap too. Without windows some detectors cost time
// proportional to the cues or numbers of the whole text for each
// candidate, which made a segment of megabytes take minutes.
const (
	chunkTokens  = 1024
	chunkOverlap = 200
)

// findChunked runs the detectors window by window over d.toks and merges
// the candidates of all windows.
func (d *detection) findChunked() ([]Span, []string) {
	all := d.toks
	var cands []candidate
	for a := 0; a < len(all); a += chunkTokens {
		lo, hi := max(0, a-chunkOverlap), min(len(all), a+chunkTokens+chunkOverlap)
		d.toks, d.cands, d.blockedToks = all[lo:hi], d.cands[:0], nil
		var carried []cueKind
		if lo == 0 {
			carried = d.carried
		}
		d.detectAll(carried)
		for _, c := range d.cands {
			c.start += lo
			c.end += lo
			if c.start >= a && c.start < a+chunkTokens {
				cands = append(cands, c)
			}
		}
		if hi == len(all) {
			d.trailing = d.trailingCues(d.trailing[:0])
			break
		}
	}
	d.toks, d.cands, d.blockedToks = all, cands, nil
	return d.merge()
}

// detectAll finds the cues of d.toks, adds the cues carried from the
// utterance before at its start, and runs the detectors. Each detector
// runs only when the text holds what it needs: a number for the number
// detectors, an "at" for emails, a dot before a top-level domain for URLs.
// Most utterances of a call hold none of these, and the checks cost one
// pass over the tokens.
func (d *detection) detectAll(carried []cueKind) {
	r := d.r
	d.cues = r.cues.find(d.toks, d.cues[:0])
	d.cueStart = resetZeroed(d.cueStart, len(d.toks))
	for _, h := range d.cues {
		d.cueStart[h.start] = true
	}
	if len(carried) > 0 {
		// A carried cue is an empty hit at token 0: for every detector it
		// ends right before the text, so the detector's own window after
		// a cue bounds how far into the utterance it reaches. It marks no
		// cue start, since no cue word is in this text.
		d.cues = slices.Grow(d.cues, len(carried))
		n := len(d.cues)
		d.cues = d.cues[:n+len(carried)]
		copy(d.cues[len(carried):], d.cues[:n])
		for k, kind := range carried {
			d.cues[k] = cueHit{kind: kind}
		}
	}
	tr := d.triggers()
	if tr.at && r.enabled(EmailAddress) {
		d.detectEmails()
	}
	if tr.domain && r.enabled(URL) {
		d.detectURLs()
	}
	// Four digits: an omocodic codice fiscale may keep no more.
	if tr.digits >= 4 && (r.enabled(IBAN) || r.enabled(NationalID)) {
		d.detectAlnumIDs()
	}
	if tr.digits >= 3 {
		d.detectNumbers()
	}
	if tr.colon && r.enabled(IPAddress) {
		d.detectIPv6()
	}
	if r.enabled(DateOfBirth) {
		d.detectBirthDates()
	}
	if (tr.digits > 0 || tr.addressCue) && r.enabled(Address) {
		d.detectAddresses()
	}
	if r.enabled(Person) {
		d.detectPersons()
	}
	if r.tagger != nil && (r.enabled(Person) || r.enabled(Address)) {
		d.detectTagged()
	}
}

// triggers summarises what a text holds, to skip detectors that cannot
// fire.
type triggers struct {
	// digits estimates the digits the text holds, written or spoken (an
	// upper bound: "twenty" counts two).
	digits     int
	at         bool // an "@" or spoken "at" that is followed by a dot
	domain     bool // a dot (written or spoken) right before a known TLD
	writtenAt  bool // an "@" with no space either side: a written address, any TLD
	colon      bool
	addressCue bool
}

func (d *detection) triggers() triggers {
	var tr triggers
	d.digitSum = resetInts(d.digitSum, len(d.toks)+1)
	for i := range d.toks {
		t := &d.toks[i]
		d.digitSum[i] = tr.digits
		switch t.kind {
		case tokDigits, tokAlnum:
			for k := 0; k < len(t.norm); k++ {
				if isDigit(t.norm[k]) {
					tr.digits++
				}
			}
		case tokWord:
			if t.lx != nil && t.lx.num.kind != 0 {
				tr.digits += t.lx.num.width()
			}
		case tokPunct:
			if t.norm == ":" {
				tr.colon = true
			}
		}
		if isAt(*t) {
			tr.at = true
			tr.writtenAt = tr.writtenAt || t.norm == "@" && !t.space && i+1 < len(d.toks) && !d.toks[i+1].space
		}
		if (t.has(fTLD) || spelledTLD(d.toks, i)) && i > 0 && isDot(d.toks[i-1]) {
			tr.domain = true
		}
	}
	d.digitSum[len(d.toks)] = tr.digits
	tr.at = tr.at && (tr.domain || tr.writtenAt)
	for _, h := range d.cues {
		if h.kind == cueAddress {
			tr.addressCue = true
		}
	}
	return tr
}

// width is the most digits a number word can stand for.
func (w numWord) width() int {
	switch w.kind {
	case nkUnit, nkOh:
		return 1
	case nkTeen, nkTens, nkRepeat:
		return 2
	case nkHundred, nkHundreds:
		return 3
	case nkThousand, nkUnitMult:
		return 4
	case nkFull:
		return len(w.digits)
	}
	return 0
}

// digitsIn estimates the digits tokens [a, b) hold (see triggers).
func (d *detection) digitsIn(a, b int) int {
	b = min(b, len(d.toks))
	return d.digitSum[b] - d.digitSum[a]
}

func resetInts(b []int, n int) []int {
	if cap(b) < n {
		return make([]int, n)
	}
	return b[:n]
}

// resetZeroed returns b resized to n zero values, reusing its array when
// it is large enough.
func resetZeroed[T any](b []T, n int) []T {
	if cap(b) < n {
		return make([]T, n)
	}
	b = b[:n]
	clear(b)
	return b
}

// detectionPool recycles the scratch buffers of detections: a call of
// many utterances would otherwise allocate them per utterance.
var detectionPool = sync.Pool{New: func() any { return new(detection) }}

// release clears what refers to the caller's text and puts d back.
func (d *detection) release() {
	clear(d.toks)
	clear(d.runs)
	clear(d.runItems)
	clear(d.kept)
	*d = detection{toks: d.toks[:0], cues: d.cues[:0], cueStart: d.cueStart[:0], cands: d.cands[:0], digitSum: d.digitSum[:0],
		taken: d.taken[:0], kept: d.kept[:0],
		runs: d.runs[:0], runItems: d.runItems[:0], runScratch: d.runScratch[:0], trailing: d.trailing[:0],
		atoms: d.atoms[:0], gated: d.gated[:0], needAtoms: d.needAtoms[:0], cueEnd: d.cueEnd[:0], cueAt: d.cueAt[:0],
		tags: d.tags[:0], margins: d.margins[:0]}
	detectionPool.Put(d)
}

// isCased reports whether the text is written with capital letters: its
// first word, or a word after a sentence end, starts upper case. A
// transcript in lower case carries no capitalisation signal for names, and
// a capital in the middle of a lower-case text ("via Roma") does not make
// it cased.
func isCased(toks []token) bool {
	start := true
	for _, t := range toks {
		if t.kind == tokPunct {
			switch t.norm {
			case ".", "!", "?":
				start = true
			}
			continue
		}
		if start && t.kind == tokWord {
			if t.upper {
				return true
			}
			start = false
		}
	}
	return false
}

// merge picks non-overlapping candidates: higher priority first, then
// longer, then earlier.
func (d *detection) merge() ([]Span, []string) {
	cands := d.cands
	slices.SortStableFunc(cands, func(a, b candidate) int {
		if pa, pb := priority(a.typ), priority(b.typ); pa != pb {
			return pb - pa
		}
		if la, lb := a.end-a.start, b.end-b.start; la != lb {
			return lb - la
		}
		return a.start - b.start
	})
	d.taken = resetZeroed(d.taken, len(d.toks))
	taken := d.taken
	kept := d.kept[:0]
outer:
	for _, c := range cands {
		for k := c.start; k < c.end; k++ {
			if taken[k] {
				continue outer
			}
		}
		for k := c.start; k < c.end; k++ {
			taken[k] = true
		}
		kept = append(kept, c)
	}
	d.kept = kept
	// Kept candidates do not overlap, so their starts differ.
	slices.SortFunc(kept, func(a, b candidate) int { return a.start - b.start })
	spans := make([]Span, 0, len(kept))
	var norms []string
	if d.r.cfg.Style == StylePseudonyms {
		// Only pseudonyms read the values; tags need none.
		norms = make([]string, 0, len(kept))
	}
	for _, c := range kept {
		s := Span{Start: d.toks[c.start].start, End: d.toks[c.end-1].end, Type: c.typ, Detector: c.detector}
		spans = append(spans, s)
		if norms == nil {
			continue
		}
		norm := c.norm
		if norm == "" {
			var b strings.Builder
			for _, t := range d.toks[c.start:c.end] {
				if t.kind != tokPunct {
					b.WriteString(t.norm)
				}
			}
			norm = b.String()
		}
		norms = append(norms, norm)
	}
	return spans, norms
}

// pseudonyms numbers distinct values per type within one call. It is
// created per call and never shared between goroutines.
type pseudonyms struct {
	style Style
	ids   map[EntityType]map[string]int
}

// typeTags are the labels of StyleTags, built once.
var typeTags = func() map[EntityType]string {
	m := map[EntityType]string{}
	for _, t := range AllTypes {
		m[t] = "[" + string(t) + "]"
	}
	return m
}()

func newPseudonyms(style Style) *pseudonyms {
	// ids is made on the first pseudonym: tags need none.
	return &pseudonyms{style: style}
}

func (p *pseudonyms) label(t EntityType, norm string) string {
	if p.style != StylePseudonyms {
		if tag, ok := typeTags[t]; ok {
			return tag
		}
		return "[" + string(t) + "]"
	}
	m := p.ids[t]
	if m == nil {
		if p.ids == nil {
			p.ids = map[EntityType]map[string]int{}
		}
		m = map[string]int{}
		p.ids[t] = m
	}
	id, ok := m[norm]
	if !ok {
		id = len(m) + 1
		m[norm] = id
	}
	return fmt.Sprintf("[%s_%d]", t, id)
}

// replace writes text with every span replaced by its label.
func (r *Redactor) replace(text string, spans []Span, norms []string, ps *pseudonyms) string {
	if len(spans) == 0 {
		return text
	}
	var b strings.Builder
	b.Grow(len(text))
	last := 0
	for i, s := range spans {
		b.WriteString(text[last:s.Start])
		norm := ""
		if i < len(norms) {
			norm = norms[i]
		}
		b.WriteString(ps.label(s.Type, norm))
		last = s.End
	}
	b.WriteString(text[last:])
	return b.String()
}
