package redact

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"math/bits"
	"slices"
	"sort"
	"strings"

	"github.com/callveil/callveil/redact/lexicon"
)

// The name and address tagger is an averaged perceptron over tokens that
// tags PERSON and ADDRESS in BIO form, reading each token's word, shape,
// gazetteer bits and cue flags with those of the neighbour on either side
// and the two tags before (tagger_features.go). It finds what the rules
// miss: names without a cue ("Contact Jane Doe at"), names and streets no
// list holds, an address's town, state and postcode. Its spans are joined
// to the rules' ones (see detectTagged). It is trained by
// redact/model/train on sentences built from licensed lists of the
// lexicon's own locales, and shipped as model/names.bin.gz.

//go:embed model/names.bin.gz
var nameModelFile []byte

const modelMagic = "cvtag1\n"

// nameTagger holds the quantised weights: numTags int16 per hashed
// feature row. Only a small share of the 2^bits rows is non-zero, so the
// rows are stored packed, found through a bitmap of the rows present and
// the count of rows before each bitmap word: the whole model then fits a
// CPU's cache, and a feature never seen in training costs one bit test.
// Each bitmap word sits next to its count so that finding a row touches
// one cache line before the row itself. The features that read only the
// two tags before (and the bias) are summed once at load, per pair of
// tags, in fixed. It is immutable once loaded.
type nameTagger struct {
	bits  uint
	index []rowBlock
	w     []int16
	fixed [numTags][numTags][numTags]int32
}

// rowBlock is one bitmap word of the rows present and the count of rows
// present before it.
type rowBlock struct {
	present uint64
	before  uint32
}

// ErrBadModel is returned when the embedded tagger model cannot be read.
var ErrBadModel = errors.New("redact: bad tagger model")

// loadNameTagger reads a model file: gzip of the magic, the table size in
// bits, the count of non-zero rows, then each row's index and weights.
func loadNameTagger(file []byte) (*nameTagger, error) {
	zr, err := gzip.NewReader(bytes.NewReader(file))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadModel, err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadModel, err)
	}
	if len(raw) < len(modelMagic)+5 || string(raw[:len(modelMagic)]) != modelMagic {
		return nil, fmt.Errorf("%w: no model header", ErrBadModel)
	}
	p := raw[len(modelMagic):]
	tableBits := uint(p[0])
	n := binary.LittleEndian.Uint32(p[1:5])
	p = p[5:]
	const rowBytes = 4 + 2*numTags
	if tableBits < 8 || tableBits > 24 || uint64(len(p)) != uint64(n)*rowBytes {
		return nil, fmt.Errorf("%w: bad size", ErrBadModel)
	}
	words := (1<<tableBits + 63) / 64
	m := &nameTagger{bits: tableBits, index: make([]rowBlock, words), w: make([]int16, (int(n)+1)*numTags)}
	last := -1
	for k := 0; k < int(n); k++ {
		row := int(binary.LittleEndian.Uint32(p))
		if row >= 1<<tableBits || row <= last {
			return nil, fmt.Errorf("%w: rows out of order", ErrBadModel)
		}
		last = row
		m.index[row/64].present |= 1 << (row % 64)
		for t := 0; t < numTags; t++ {
			m.w[k*numTags+t] = int16(binary.LittleEndian.Uint16(p[4+2*t:]))
		}
		p = p[rowBytes:]
	}
	count := uint32(0)
	for i := range m.index {
		m.index[i].before = count
		count += uint32(bits.OnesCount64(m.index[i].present))
	}
	m.fixTagOnly()
	return m, nil
}

// fixTagOnly sums, for each pair of tags before, the weights of the
// features that read only those tags, as features writes them.
func (m *nameTagger) fixTagOnly() {
	var none [1]tokAtoms
	var feats [numFeatures]uint64
	for p1 := 0; p1 < numTags; p1++ {
		for p2 := 0; p2 < numTags; p2++ {
			features(none[:], 0, p1, p2, &feats)
			for _, f := range feats[numFeatures-numTagOnly:] {
				m.addRow(&m.fixed[p1][p2], f)
			}
		}
	}
}

// addRow adds feature f's weights, if it has any, to s. A feature with
// none reads the zero row kept after the last one, without a branch: the
// present bit is as good as random, and a mispredicted branch would keep
// the CPU from overlapping the cache misses of the rows.
func (m *nameTagger) addRow(s *[numTags]int32, f uint64) {
	idx := f >> (64 - m.bits)
	blk := &m.index[idx/64]
	bit := uint64(1) << (idx % 64)
	k := int(blk.before) + bits.OnesCount64(blk.present&(bit-1))
	hit := -int(blk.present >> (idx % 64) & 1) // all ones when present
	k = k&hit | (len(m.w)/numTags-1)&^hit
	row := m.w[k*numTags:][:numTags]
	for t := range s {
		s[t] += int32(row[t])
	}
}

// encodeNameTagger quantises float weights to int16 and writes a model
// file (see loadNameTagger).
func encodeNameTagger(bits uint, w []float64) []byte {
	var maxAbs float64
	for _, v := range w {
		maxAbs = math.Max(maxAbs, math.Abs(v))
	}
	scale := 32000 / math.Max(maxAbs, 1e-9)
	var rows []byte
	n := uint32(0)
	var rec [4 + 2*numTags]byte
	for row := 0; row < 1<<bits; row++ {
		nonZero := false
		for t := 0; t < numTags; t++ {
			q := int16(math.Round(w[row*numTags+t] * scale))
			binary.LittleEndian.PutUint16(rec[4+2*t:], uint16(q))
			nonZero = nonZero || q != 0
		}
		if !nonZero {
			continue
		}
		binary.LittleEndian.PutUint32(rec[:], uint32(row))
		rows = append(rows, rec[:]...)
		n++
	}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write([]byte(modelMagic))
	var hdr [5]byte
	hdr[0] = byte(bits)
	binary.LittleEndian.PutUint32(hdr[1:], n)
	zw.Write(hdr[:])
	zw.Write(rows)
	zw.Close()
	return buf.Bytes()
}

// best returns the highest scoring tag allowed after p1 (p2 before it):
// an I tag only continues its own type.
func (m *nameTagger) best(feats *[numFeatures]uint64, p1, p2 int) (int, int32) {
	s := m.fixed[p1][p2]
	for _, f := range feats[:numFeatures-numTagOnly] {
		m.addRow(&s, f)
	}
	t := argmaxAllowed(s[:], p1)
	return t, s[t] - s[tagO]
}

func argmaxAllowed[T int32 | float64](s []T, p1 int) int {
	best := tagO
	for t := 1; t < numTags; t++ {
		if !allowed(t, p1) {
			continue
		}
		if s[t] > s[best] {
			best = t
		}
	}
	return best
}

func allowed(t, p1 int) bool {
	switch t {
	case tagIPer:
		return p1 == tagBPer || p1 == tagIPer
	case tagIAdr:
		return p1 == tagBAdr || p1 == tagIAdr
	}
	return true
}

// gate marks the tokens the tagger reads: near a word that could be a
// name or part of an address. Most of a call is neither, and skipping it
// keeps the tagger's cost small next to the rules'. need marks the
// tokens whose atoms the gated ones read (featureReach on either side).
func (d *detection) gate(on, need []bool) ([]bool, []bool) {
	on = resetZeroed(on, len(d.toks))
	need = resetZeroed(need, len(d.toks))
	start := true
	for i := range d.toks {
		t := &d.toks[i]
		trig := d.tagTrigger(i, start)
		start = startsAfter(t, start)
		if !trig {
			continue
		}
		for k := max(0, i-gateBefore); k < min(len(on), i+gateAfter+1); k++ {
			on[k] = true
		}
		for k := max(0, i-gateBefore-featureReach); k < min(len(on), i+gateAfter+featureReach+1); k++ {
			need[k] = true
		}
	}
	return on, need
}

const (
	gateBefore = 1
	gateAfter  = 2
)

// tagTrigger reports a token that may start or be part of a name or
// address: a number, a street or unit word, a word after a name cue, a
// list name, a capitalised word inside a sentence.
func (d *detection) tagTrigger(i int, sentenceStart bool) bool {
	t := &d.toks[i]
	switch t.kind {
	case tokDigits, tokAlnum:
		return true
	case tokWord:
		if i > 0 && d.cueEnd[i] {
			return true
		}
		if t.has(fSuffixType | fPrefixType | fUnit | fHonorific) {
			return true
		}
		if t.has(fStop) || len(t.norm) < 2 {
			return false
		}
		if lx := t.lx; lx != nil && lx.named && (!lx.name.Common.Has(d.langBit) || t.upper) {
			return true
		}
		if t.upper && !sentenceStart {
			return true
		}
		return len(t.norm) == 3 && ukInward(t.norm)
	}
	return false
}

// tagTokens tags d.toks greedily left to right; tokens outside the gate
// are O.
func (d *detection) tagTokens(m *nameTagger) []uint8 {
	d.cueEnd = resetZeroed(d.cueEnd, len(d.toks)+1)
	for _, h := range d.cues {
		d.cueEnd[h.end] = true
	}
	d.gated, d.needAtoms = d.gate(d.gated, d.needAtoms)
	d.atoms = d.atomsFor(d.atoms, d.needAtoms)
	tags := d.tags[:0]
	if cap(d.margins) < len(d.toks) {
		d.margins = make([]int32, len(d.toks))
	}
	d.margins = d.margins[:len(d.toks)]
	var feats [numFeatures]uint64
	p1, p2 := tagO, tagO
	for i := range d.toks {
		if !d.gated[i] {
			tags = append(tags, tagO)
			p1, p2 = tagO, tagO
			continue
		}
		features(d.atoms, i, p1, p2, &feats)
		t, margin := m.best(&feats, p1, p2)
		tags = append(tags, uint8(t))
		d.margins[i] = margin
		p1, p2 = t, p1
	}
	d.tags = tags
	return tags
}

// detectTagged adds the tagger's PERSON and ADDRESS spans that pass the
// checks below, each widened to cover any rule candidate of its type it
// overlaps, so that the merge keeps one span holding both.
func (d *detection) detectTagged() {
	m := d.r.tagger
	if m == nil {
		return
	}
	tags := d.tagTokens(m)
	for i := 0; i < len(tags); i++ {
		var typ EntityType
		var inside uint8
		switch tags[i] {
		case tagBPer:
			typ, inside = Person, tagIPer
		case tagBAdr:
			typ, inside = Address, tagIAdr
		default:
			continue
		}
		j := i + 1
		for j < len(tags) && tags[j] == inside && !d.sentenceEnd(j) {
			j++
		}
		a, b, ok := d.checkTagged(typ, i, j)
		i = j - 1
		if !ok || !d.r.enabled(typ) {
			continue
		}
		if typ == Address {
			a, b = d.widenAddress(a, b)
		}
		for _, c := range d.cands {
			if c.typ == typ && c.start < b && a < c.end {
				a, b = min(a, c.start), max(b, c.end)
			}
		}
		d.add(a, b, typ, "tagger", "")
		if typ == Address {
			d.addAroundPhones(a, b)
		}
	}
}

// widenAddress takes in a street type word right before a tagged address
// ("Calle" of "Calle Nica 71") and what addressTail reads after it (a
// state and ZIP, a unit).
func (d *detection) widenAddress(a, b int) (int, int) {
	if a > 0 && d.toks[a-1].has(fPrefixType) {
		a--
	}
	return a, max(b, d.addressTail(b))
}

// addAroundPhones adds the parts of address [a, b) on either side of a
// phone candidate inside it: a house number and postcode read together
// look like a phone number ("96, 7603-140"), which the merge prefers, and
// the street and town around it would otherwise be left.
func (d *detection) addAroundPhones(a, b int) {
	n := len(d.cands)
	for k := 0; k < n; k++ {
		c := d.cands[k]
		if c.typ != PhoneNumber || c.start < a || c.end > b {
			continue
		}
		d.add(a, c.start, Address, "tagger", "")
		d.add(c.end, b, Address, "tagger", "")
	}
}

// sentenceEnd reports a full stop, question or exclamation mark at k that
// ends a sentence: not the dot of an abbreviation or initial ("St.",
// "J.") nor one inside a word.
func (d *detection) sentenceEnd(k int) bool {
	t := &d.toks[k]
	if t.kind != tokPunct {
		return false
	}
	switch t.norm {
	case "!", "?":
		return true
	case ".":
		if k+1 < len(d.toks) && !d.toks[k+1].space {
			return false
		}
		prev := &d.toks[k-1]
		return !(prev.kind == tokWord && (len(prev.norm) == 1 || abbrevStreetTypes[prev.norm] || prev.has(fHonorific|fHouseNumber)))
	}
	return false
}

// checkTagged trims a tagged span and says whether it can be what it is
// tagged as. The model proposes; these checks, which need no training,
// keep its guesses to shapes a name or an address can have.
func (d *detection) checkTagged(typ EntityType, a, b int) (int, int, bool) {
	if typ == Person {
		return d.checkTaggedName(a, b)
	}
	return d.checkTaggedAddress(a, b)
}

// checkTaggedName keeps a name of name words (and particles between
// them) that holds some evidence of being one: a list name that is not a
// common word here, a capitalised word inside a cased sentence (not in
// German, which capitalises nouns), or a strong name cue or honorific
// right before it. The name ends before a function word, and before a
// particle that no list surname follows ("Paola Rizzo di Energia
// Italia", "miguel da contabilidade").
func (d *detection) checkTaggedName(a, b int) (int, int, bool) {
	for a < b && (d.toks[a].kind == tokPunct || d.toks[a].has(fStop|fHonorific) || d.atoms[a].gaz&gzInCue != 0) {
		a++
	}
	// A trailing word that neither a list nor a capital marks stays only
	// when the model is sure of it ("thomas around", "tiago ajudou").
	for b > a+1 && d.weakNameWord(b-1) && d.margins[b-1] < weakNameMargin {
		b--
	}
	for k := a + 1; k < b; k++ {
		t := &d.toks[k]
		if t.has(fParticle) {
			n := k
			for n < b && d.toks[n].has(fParticle) {
				n++
			}
			if n < b {
				if lx, ok := d.listed(n); ok && lx.name.Surname != 0 {
					k = n
					continue
				}
			}
			b = k
			break
		}
		if t.has(fStop) && !(d.cased && t.upper && d.lang != "de") {
			b = k
			break
		}
	}
	for b > a && (d.toks[b-1].kind == tokPunct || d.toks[b-1].has(fParticle)) {
		b--
	}
	if a >= b || b-a > 6 {
		return a, b, false
	}
	// "[PERSON_NAME]": a placeholder another redactor left.
	if a > 0 && strings.Contains("[<{_", d.toks[a-1].norm) || b < len(d.toks) && strings.Contains("]>}_", d.toks[b].norm) {
		return a, b, false
	}
	// "unos dolores", "der Wolf": a noun after a determiner or article.
	if b == a+1 && a > 0 && (d.toks[a-1].has(fNounDet) || d.lang == "de" && d.toks[a-1].has(fGermanArt)) {
		return a, b, false
	}
	g := d.atoms[a].gaz
	evidence := g&gzAfterCue != 0 || a > 0 && d.toks[a-1].has(fHonorific)
	words := 0
	for k := a; k < b; k++ {
		t := &d.toks[k]
		switch {
		case t.kind == tokPunct:
			if !isJoiner(*t) && t.norm != "." {
				return a, b, false
			}
			continue
		case t.kind != tokWord || t.isNum() || t.has(fMonth|fNotName):
			return a, b, false
		case t.has(fParticle):
			continue
		case !d.plainWord(k) && !(d.cased && t.upper):
			return a, b, false
		}
		if d.hinted(t) {
			evidence = true
		}
		if lx, ok := d.listed(k); ok && (!lx.name.Common.Has(d.langBit) || d.cased && t.upper && d.lang != "de") && (!d.cased || t.upper) {
			evidence = true
		}
		// A capital inside a sentence marks a name, also in a transcript
		// that is otherwise lower case.
		if t.upper && d.lang != "de" && !d.sentenceStart(k) {
			evidence = true
		}
		words++
	}
	// After "this is", "sono", "met" a name of two words or more.
	if g&gzAfterWeakCue != 0 && words >= 2 {
		evidence = true
	}
	// German capitalises nouns, so two capitalised words the model is
	// sure of inside a sentence ("mit Kasimir Wendt telefoniert").
	if d.lang == "de" && !evidence && words >= 2 && !d.sentenceStart(a) {
		sure := true
		for k := a; k < b; k++ {
			if d.toks[k].kind == tokWord && (!d.toks[k].upper || d.margins[k] < germanNameMargin) {
				sure = false
			}
		}
		evidence = sure
	}
	return a, b, evidence
}

// weakNameMargin is how much more than O the tagger must score a name word
// that only context supports.
const weakNameMargin = 4000

// germanNameMargin is the margin a capitalised German word no list holds
// needs to count as a name.
const germanNameMargin = 6000

// weakNameWord reports a lower-case word no name list holds as a name
// here.
func (d *detection) weakNameWord(k int) bool {
	t := &d.toks[k]
	if t.upper || d.hinted(t) {
		return false
	}
	lx, ok := d.listed(k)
	return !ok || lx.name.Common.Has(d.langBit)
}

// checkTaggedAddress keeps an address that holds a number (house number
// or postcode) and a street word, a full postcode, or follows an address
// cue; it ends the address at a comma followed by ordinary words ("7, het
// huis met de groene deur").
func (d *detection) checkTaggedAddress(a, b int) (int, int, bool) {
	for k := a + 1; k < b; k++ {
		// "Springfield, IL 62704": a state code before a ZIP stays.
		if d.toks[k].norm != "," || k+1 >= b {
			continue
		}
		state := k+2 < b && d.toks[k+2].kind == tokDigits || d.cased && d.toks[k+1].upper
		if d.toks[k+1].has(fStop) && !d.toks[k+1].has(fUnit|fHouseNumber) && !state {
			b = k
			break
		}
	}
	for a < b && (d.toks[a].kind == tokPunct || d.toks[a].has(fStop) && !d.toks[a].has(fPrefixType|fHouseNumber)) {
		a++
	}
	for b > a && (d.toks[b-1].kind == tokPunct || d.toks[b-1].has(fStop)) {
		b--
	}
	if a >= b || b-a > 30 {
		return a, b, false
	}
	b = d.addressEnd(a, b)
	number, street, postcode := false, false, false
	for k := a; k < b; k++ {
		t := &d.toks[k]
		switch {
		case t.kind == tokDigits || t.kind == tokAlnum:
			number = true
		case t.has(fMonth):
			return a, b, false
		}
		// A unit word alone ("quarto 320 no terceiro andar") is a room,
		// not an address.
		if t.has(fSuffixType|fPrefixType|fBareStreet) || d.atoms[k].gaz&gzGluedStreet != 0 {
			street = true
		}
		if e, ok := d.postcode(k); ok && e <= b && (e-k > 1 || t.kind == tokAlnum || len(t.norm) == 5 ||
			k > a && d.toks[k-1].norm == "," && e < b && d.toks[e].kind == tokWord) {
			postcode = true
		}
	}
	cue := d.atoms[a].gaz&gzAfterAddrCue != 0
	return a, b, number && (street || postcode) || cue && (number || street)
}

// addressEnd cuts a tagged address after its last part: after a postcode
// the town may follow (capitalised words in cased text, a few words that
// are not function words otherwise; none after an English ZIP or UK
// postcode, which end the address); and a function word after the street
// ends it ("525 maple avenue the blue door").
func (d *detection) addressEnd(a, b int) int {
	anchor := -1
	for k := a; k < b; k++ {
		t := &d.toks[k]
		if t.kind == tokDigits || t.kind == tokAlnum || t.has(fSuffixType|fPrefixType|fUnit) || d.atoms[k].gaz&gzGluedStreet != 0 {
			anchor = k
		}
		if e, ok := d.postcode(k); ok && e <= b && (e-k > 1 || t.kind == tokAlnum || len(t.norm) >= 4) && k > a {
			if d.lang == "en" {
				return e
			}
			n := e
			for words := 0; n < b && words < 4; n++ {
				t := &d.toks[n]
				if t.kind == tokPunct {
					if !isJoiner(*t) || t.norm == "," {
						break
					}
					continue
				}
				join := t.has(fParticle) || townJoins(t.norm, true)
				if t.kind != tokWord || d.cased && !t.upper && !join || !d.cased && t.has(fStop) && !join {
					break
				}
				words++
			}
			for n > e && (d.toks[n-1].has(fParticle) || townJoins(d.toks[n-1].norm, true)) {
				n--
			}
			return n
		}
	}
	if anchor < 0 {
		return b
	}
	for k := anchor + 1; k < b; k++ {
		t := &d.toks[k]
		if t.has(fStop) && !t.has(fParticle|fUnit|fHouseNumber|fBis) {
			return k
		}
	}
	return b
}

// TaggerExample is one training sentence for the name and address tagger:
// a text and its PERSON and ADDRESS spans in byte offsets.
type TaggerExample struct {
	Text     string
	Language string
	Spans    []Span
}

// TaggerTraining sets how TrainNameTagger trains.
type TaggerTraining struct {
	Epochs int
	// Bits is the size of the hashed weight table, 2^Bits rows.
	Bits uint
	// Shuffle reorders the examples before each epoch; it must be
	// deterministic (a seeded generator's Shuffle) for a reproducible model.
	Shuffle func(n int, swap func(i, j int))
}

// TrainNameTagger trains the tagger's averaged perceptron on examples and
// returns the model file that New loads (model/names.bin.gz). It reads
// the examples with r's tables, so r should be built with the languages of
// the examples. It is used by redact/model/train; it does no I/O.
func (r *Redactor) TrainNameTagger(examples []TaggerExample, tr TaggerTraining) ([]byte, error) {
	if tr.Bits < 8 || tr.Bits > 24 || tr.Epochs < 1 {
		return nil, fmt.Errorf("%w: tagger training bits %d epochs %d", ErrInvalidConfig, tr.Bits, tr.Epochs)
	}
	type prepared struct {
		atoms []tokAtoms
		gate  []bool
		gold  []uint8
	}
	preps := make([]prepared, 0, len(examples))
	for _, ex := range examples {
		if !slices.Contains(r.langs, ex.Language) {
			return nil, fmt.Errorf("%w: %q", ErrUnsupportedLanguage, ex.Language)
		}
		d := &detection{r: r, text: ex.Text, lang: ex.Language}
		d.toks = tokenize(ex.Text, nil)
		if len(d.toks) == 0 {
			continue
		}
		d.langBit = lexicon.Bit(ex.Language)
		r.lex[ex.Language].lexTokens(d.toks)
		d.cased = isCased(d.toks)
		d.cues = r.cues.find(d.toks, nil)
		d.cueEnd = make([]bool, len(d.toks)+1)
		for _, h := range d.cues {
			d.cueEnd[h.end] = true
		}
		gate, need := d.gate(nil, nil)
		atoms := d.atomsFor(nil, need)
		gold := make([]uint8, len(d.toks))
		spans := append([]Span(nil), ex.Spans...)
		sort.Slice(spans, func(i, j int) bool { return spans[i].Start < spans[j].Start })
		for _, s := range spans {
			b, in := uint8(tagBPer), uint8(tagIPer)
			if s.Type == Address {
				b, in = tagBAdr, tagIAdr
			} else if s.Type != Person {
				continue
			}
			first := true
			for k, t := range d.toks {
				if t.start >= s.Start && t.end <= s.End {
					if first {
						gold[k], first = b, false
					} else {
						gold[k] = in
					}
				}
			}
		}
		preps = append(preps, prepared{atoms: atoms, gate: gate, gold: gold})
	}
	size := (1 << tr.Bits) * numTags
	w := make([]float64, size)
	// u accumulates each update times its step, so that the average of w
	// over all steps is w - u/step (the usual averaged perceptron trick).
	u := make([]float64, size)
	step := 1.0
	shift := 64 - tr.Bits
	var feats [numFeatures]uint64
	order := make([]int, len(preps))
	for i := range order {
		order[i] = i
	}
	for epoch := 0; epoch < tr.Epochs; epoch++ {
		if tr.Shuffle != nil {
			tr.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		}
		for _, idx := range order {
			p := &preps[idx]
			p1, p2 := tagO, tagO
			for i := range p.atoms {
				if !p.gate[i] {
					p1, p2 = tagO, tagO
					continue
				}
				features(p.atoms, i, p1, p2, &feats)
				var s [numTags]float64
				for _, f := range feats {
					row := w[(f>>shift)*numTags:][:numTags]
					for t := range s {
						s[t] += row[t]
					}
				}
				pred := argmaxAllowed(s[:], p1)
				gold := int(p.gold[i])
				if !allowed(gold, p1) {
					// The gold tag cannot follow the predicted history;
					// teach the best tag that can.
					if gold == tagIPer {
						gold = tagBPer
					} else if gold == tagIAdr {
						gold = tagBAdr
					}
				}
				if pred != gold {
					for _, f := range feats {
						base := int(f>>shift) * numTags
						w[base+gold]++
						w[base+pred]--
						u[base+gold] += step
						u[base+pred] -= step
					}
				}
				step++
				p1, p2 = pred, p1
			}
		}
	}
	for i := range w {
		w[i] -= u[i] / step
	}
	return encodeNameTagger(tr.Bits, w), nil
}
