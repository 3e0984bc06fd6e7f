package redact

import "strings"

// sepKind is what stood between two items of a numeric run.
type sepKind uint8

const (
	sepSpace  sepKind = iota // whitespace or nothing
	sepComma                 // "," (speech-to-text puts commas between digit groups)
	sepDash                  // "-"
	sepDot                   // "." or a spoken "dot"/"punkt"/...
	sepSlash                 // "/"
	sepFiller                // "uh", "äh", "euh" ...
	sepParen                 // "(" or ")"
	// sepCorrect is a self-correction ("no sorry", "nein Moment", "anzi
	// no"): what was said just before it is retracted.
	sepCorrect
	// sepRepeat is a restart ("I'll say that again", "ich wiederhole"):
	// everything said before it is taken back in the retraction modes.
	sepRepeat
)

// Retraction modes: a self-correction retracts either the one item said
// right before it ("seven, no sorry, eight") or the whole group before it
// ("zero seven seven, no sorry, zero seven eight"). Which one is meant is
// decided by validation, so both are tried.
const (
	retractItem  uint8 = 1
	retractGroup uint8 = 2
)

// numItem is one number inside a run: "0151", "soixante-dix-huit",
// "double five". Its digits are what it reads as.
type numItem struct {
	digits   string
	tok, end int // token range [tok, end)
	sep      sepKind
	spoken   bool
	// retract says in which retraction modes the item is left out of the
	// number's digits (retractItem, retractGroup bits).
	retract uint8
}

// numRun is a maximal stretch of numbers separated only by spaces,
// punctuation that groups digits, or fillers: how a dictated phone number,
// card number or ID looks once transcribed. plus is set when it starts with
// "+"/"plus"/"double zero" style international prefixes (plusTok is the
// first token then).
type numRun struct {
	items   []numItem
	plus    bool
	plusTok int
	// corrected is set when the run holds a self-correction; mode is the
	// retraction mode digits and ndigits apply (0: none).
	corrected bool
	mode      uint8
	// restartOnly is set when the run's only retraction is a restart,
	// which both retraction modes read the same way.
	restartOnly bool
}

func (r *numRun) firstTok() int {
	if r.plus {
		return r.plusTok
	}
	return r.items[0].tok
}

// digits concatenates items [a, b).
func (r *numRun) digits(a, b int) string {
	if b == a+1 && r.items[a].retract&r.mode == 0 {
		return r.items[a].digits
	}
	var sb strings.Builder
	sb.Grow(r.ndigits(a, b))
	for _, it := range r.items[a:b] {
		if it.retract&r.mode == 0 {
			sb.WriteString(it.digits)
		}
	}
	return sb.String()
}

func (r *numRun) ndigits(a, b int) int {
	n := 0
	for _, it := range r.items[a:b] {
		if it.retract&r.mode == 0 {
			n += len(it.digits)
		}
	}
	return n
}

// modes lists the retraction modes worth trying on the run.
func (r *numRun) modes() []uint8 {
	if !r.corrected {
		return noRetraction
	}
	if r.restartOnly {
		return restartRetraction
	}
	return withRetraction
}

var (
	noRetraction   = []uint8{0}
	withRetraction = []uint8{retractItem, retractGroup, 0}
	// restartRetraction: retractAll marks items for both modes alike.
	restartRetraction = []uint8{retractItem, 0}
)

// retractBefore marks what a self-correction before the next item takes
// back: the last item, and the group it belongs to.
func (r *numRun) retractBefore() {
	p := len(r.items) - 1
	if p < 0 {
		return
	}
	r.corrected, r.restartOnly = true, false
	r.items[p].retract |= retractItem
	for q := p; q >= 0; q-- {
		r.items[q].retract |= retractGroup
		if r.items[q].sep != sepSpace {
			break
		}
	}
}

// maxRepeatItems bounds how far into a run restartByRepeat looks for a
// restart, so that a hostile run ("1-2-3-…") costs linear time.
const maxRepeatItems = 8

// restartByRepeat finds a restart said without a restart phrase, or with a
// word that is also a filler ("five sixty... so five six oh three five four
// seven", Dutch "dus", Portuguese "então"): after a pause the speaker says
// again every digit said so far, and more. What was said before the pause
// is then taken back in the retraction modes, as retractAll does; the
// modes without retraction still read the run whole, and validation
// decides. Two digits at least must repeat, so a doubled digit ("five...
// five six") stays a plain run.
func (r *numRun) restartByRepeat() {
	if r.corrected || len(r.items) < 2 {
		return
	}
	var buf [4 * maxRepeatItems]byte
	said := buf[:0]
	for k := 1; k < len(r.items) && k <= maxRepeatItems; k++ {
		said = append(said, r.items[k-1].digits...)
		if r.items[k].sep == sepSpace || len(said) < 2 {
			continue
		}
		if !r.repeatsFrom(k, said) {
			continue
		}
		r.corrected, r.restartOnly = true, true
		for q := 0; q < k; q++ {
			r.items[q].retract |= retractItem | retractGroup
		}
		return
	}
}

// repeatsFrom reports whether the digits of items k... start with said and
// go on past it.
func (r *numRun) repeatsFrom(k int, said []byte) bool {
	n := 0
	for _, it := range r.items[k:] {
		for i := 0; i < len(it.digits); i++ {
			if n < len(said) && it.digits[i] != said[n] {
				return false
			}
			n++
		}
		if n > len(said) {
			return true
		}
	}
	return false
}

// retractAll marks every item said so far as taken back (a restart).
func (r *numRun) retractAll() {
	if !r.corrected {
		r.restartOnly = true
	}
	r.corrected = true
	for q := range r.items {
		r.items[q].retract |= retractItem | retractGroup
	}
}

// repeatAt returns the number of tokens of a restart phrase starting at
// token i ("ich wiederhole", "I'll say that again"), 0 when none does.
func (nt *numTable) repeatAt(toks []token, i int) int {
	for _, p := range nt.repeats {
		j := i
		ok := true
		for _, w := range p {
			for j < len(toks) && toks[j].kind == tokPunct && (toks[j].norm == "'" || toks[j].norm == "’") {
				j++
			}
			if j >= len(toks) || toks[j].kind != tokWord || toks[j].norm != w {
				ok = false
				break
			}
			j++
		}
		if ok {
			return j - i
		}
	}
	return 0
}

// homophoneDigit reports whether the homophone at token i ("to", "for")
// stands for a digit: a number follows it (after at most a hesitation)
// and it starts a run or follows a spoken digit; or it ends a run of
// spoken digits right after one.
func (nt *numTable) homophoneDigit(toks []token, i int, cur *numRun, pendingSep sepKind) bool {
	afterSpoken := len(cur.items) > 0 && cur.items[len(cur.items)-1].spoken
	if nt.homophoneThenNumber(toks, i+1) {
		// At a run's start only before a spoken digit: "for 4111 1111 ..."
		// is a card after "for".
		spokenNext := i+1 < len(toks) && toks[i+1].kind == tokWord
		// After written digits only before a spoken one ("01 too one
		// two"), or inside a number already partly said in words ("five
		// oh six 23 for 5678").
		// Right after "plus" it is a country code's digit ("plus for
		// for"); after a written "(0)" too.
		afterDigits := len(cur.items) > 0 && !cur.items[len(cur.items)-1].spoken && (pendingSep == sepSpace || pendingSep == sepParen)
		// In an international number, and after a lone trunk zero ("0 too
		// 98 ..."), validation decides.
		trunkZero := afterDigits && len(cur.items) == 1 && cur.items[0].digits == "0"
		return len(cur.items) == 0 && (!cur.plus && spokenNext || cur.plus) || afterSpoken || cur.plus || trunkZero ||
			afterDigits && (spokenNext || cur.anySpoken())
	}
	// At a run's end, after digits of a number that is being dictated
	// ("... five four three to", also when the line goes on: "... three to
	// is that ok"): validation keeps it only where the number needs it.
	return pendingSep == sepSpace && (afterSpoken || len(cur.items) > 1 && cur.anySpoken())
}

// anySpoken reports whether some item of the run was said in words.
func (r *numRun) anySpoken() bool {
	for _, it := range r.items {
		if it.spoken {
			return true
		}
	}
	return false
}

// homophoneThenNumber is numberAhead that also reads through one digit
// homophone: "plus for for 74", where the first "for" is looked at.
func (nt *numTable) homophoneThenNumber(toks []token, i int) bool {
	if nt.numberAhead(toks, i) {
		return true
	}
	return i < len(toks) && nt.homophones[toks[i].norm] != "" && nt.numberAhead(toks, i+1)
}

// numberAhead reports whether a number starts at token i, after at most a
// few gap tokens and an international prefix.
func (nt *numTable) numberAhead(toks []token, i int) bool {
	for k := 0; k < 4 && i < len(toks); k++ {
		t := toks[i]
		if _, _, ok := nt.parseNumber(toks, i); ok {
			return true
		}
		if !nt.isGap(t) && !(t.kind == tokPunct && t.norm == "+") && !(t.kind == tokWord && t.has(fPlus)) {
			return false
		}
		i++
	}
	return false
}

// parseNumber reads one number starting at token i: a digit group, a number
// word, or a spoken compound ("forty two", "soixante-dix-huit",
// "treinta y cuatro", "nineteen hundred", "double five"). It returns the
// digits and the index after the last token used.
func (nt *numTable) parseNumber(toks []token, i int) (string, int, bool) {
	t := toks[i]
	if t.kind == tokDigits {
		return t.norm, i + 1, true
	}
	if t.kind != tokWord {
		return "", i, false
	}
	w := t.num()
	switch w.kind {
	case nkOh:
		return "0", i + 1, true
	case nkFull:
		return w.digits, i + 1, true
	case nkRepeat:
		j, ok := nt.nextWord(toks, i+1, false)
		// "double, uh, five": a hesitation between the two words; also
		// one of a restart phrase's words that speakers use as a filler
		// ("triple o sea dos").
		for k := 0; k < 2 && ok; k++ {
			skip := 0
			if toks[j].has(fFiller) {
				skip = 1
			} else if skip = nt.repeatAt(toks, j); skip == 0 {
				break
			}
			j, ok = nt.nextWord(toks, j+skip, false)
		}
		if !ok {
			return "", i, false
		}
		d, k, ok := nt.singleDigit(toks, j)
		if !ok {
			return "", i, false
		}
		return strings.Repeat(d, w.val), k, true
	case nkUnitMult:
		if j, ok := nt.nextWord(toks, i+1, true); ok {
			if n := toks[j].num(); n.kind == nkHundred || n.kind == nkThousand {
				return nt.multiplied(toks, j, w.val)
			}
		}
		return "", i, false
	case nkUnit:
		if j, ok := nt.nextWord(toks, i+1, true); ok {
			n := toks[j].num()
			if (w.val == 2 || w.val == 3) && nt.times[toks[j].norm] {
				// Dutch "twee keer vijf": 55.
				if k, ok := nt.nextWord(toks, j+1, false); ok {
					if d, e, ok := nt.singleDigit(toks, k); ok {
						return strings.Repeat(d, w.val), e, true
					}
				}
			}
			switch {
			case n.kind == nkHundred || n.kind == nkThousand:
				return nt.multiplied(toks, j, w.val)
			case nt.frenchEighty && w.val == 4 && n.kind == nkTens && n.val == 20:
				v, k := nt.tensRest(toks, j+1, 80)
				return itoa2(v), k, true
			}
		}
		return itoa(w.val), i + 1, true
	case nkTeen:
		if j, ok := nt.nextWord(toks, i+1, true); ok {
			n := toks[j].num()
			if n.kind == nkHundred {
				return nt.multiplied(toks, j, w.val)
			}
			// French "dix-sept", "dix-huit", "dix-neuf".
			if nt.frenchEighty && w.val == 10 && n.kind == nkUnit && n.val >= 7 {
				return itoa2(10 + n.val), j + 1, true
			}
		}
		return itoa2(w.val), i + 1, true
	case nkTens:
		v, k := nt.tensRest(toks, i+1, w.val)
		return itoa2(v), k, true
	case nkHundreds:
		v, k := nt.rest(toks, i+1, w.val, 100)
		return padTo(v, 3), k, true
	case nkHundred:
		v, k := nt.rest(toks, i+1, 100, 100)
		return padTo(v, 3), k, true
	case nkThousand:
		v, k := nt.rest(toks, i+1, 1000, 1000)
		return padTo(v, 4), k, true
	}
	return "", i, false
}

// multiplied reads "<m> hundred [rest]" or "<m> thousand [rest]" where j is
// the hundred/thousand word.
func (nt *numTable) multiplied(toks []token, j int, m int) (string, int, bool) {
	n := toks[j].num()
	base := m * n.val
	v, k := nt.rest(toks, j+1, base, n.val)
	width := 3
	if base >= 1000 {
		width = 4
	}
	return padTo(v, width), k, true
}

// rest adds what follows a hundred or thousand: "and five", "twenty",
// "novecientos ochenta y cinco".
func (nt *numTable) rest(toks []token, i int, base, scale int) (int, int) {
	j, ok := nt.nextWord(toks, i, true)
	if !ok {
		return base, i
	}
	if toks[j].has(fConn) {
		if k, ok := nt.nextWord(toks, j+1, true); ok {
			j = k
		} else {
			return base, i
		}
	}
	n := toks[j].num()
	if n.kind == 0 {
		return base, i
	}
	if scale == 1000 {
		switch n.kind {
		case nkHundreds:
			v, k := nt.rest(toks, j+1, base+n.val, 100)
			return v, k
		case nkUnit:
			if h, ok := nt.nextWord(toks, j+1, true); ok && toks[h].num().kind == nkHundred {
				v, k := nt.rest(toks, h+1, base+n.val*100, 100)
				return v, k
			}
		}
	}
	if nt.frenchEighty && n.kind == nkUnit && n.val == 4 {
		if k, ok := nt.nextWord(toks, j+1, true); ok {
			if v := toks[k].num(); v.kind == nkTens && v.val == 20 {
				w, e := nt.tensRest(toks, k+1, 80)
				return base + w, e
			}
		}
	}
	switch n.kind {
	case nkUnit:
		if n.val == 0 {
			return base, i
		}
		// "nineteen hundred five" reads as 1905, but a unit right after
		// "hundred" in dictation ("one hundred, two") is rare enough.
		return base + n.val, j + 1
	case nkTeen:
		if nt.frenchEighty && n.val == 10 {
			if k, ok := nt.nextWord(toks, j+1, true); ok {
				if u := toks[k].num(); u.kind == nkUnit && u.val >= 7 {
					return base + 10 + u.val, k + 1
				}
			}
		}
		return base + n.val, j + 1
	case nkTens:
		v, k := nt.tensRest(toks, j+1, n.val)
		return base + v, k
	case nkFull:
		if n.val < 100 {
			return base + n.val, j + 1
		}
	}
	if nt.frenchEighty && n.kind == nkUnit && n.val == 4 {
		if k, ok := nt.nextWord(toks, j+1, true); ok {
			if v := toks[k].num(); v.kind == nkTens && v.val == 20 {
				w, e := nt.tensRest(toks, k+1, 80)
				return base + w, e
			}
		}
	}
	return base, i
}

// tensRest reads the unit after a tens word: "forty two", "treinta y
// cuatro", "vingt et un", French "soixante-dix-huit" and "quatre-vingt-
// douze".
func (nt *numTable) tensRest(toks []token, i int, tens int) (int, int) {
	j, ok := nt.nextWord(toks, i, true)
	if !ok {
		return tens, i
	}
	conn := false
	if toks[j].has(fConn) {
		k, ok := nt.nextWord(toks, j+1, true)
		if !ok {
			return tens, i
		}
		j, conn = k, true
	}
	n := toks[j].num()
	if n.kind == 0 {
		return tens, i
	}
	switch {
	case n.kind == nkUnit && n.val > 0 && nt.unitFirst && !conn:
		// German and Dutch say the unit first ("einunddreißig"): "dreißig
		// eins" is thirty, then one.
		return tens, i
	case n.kind == nkUnit && n.val > 0:
		if nt.frenchEighty && tens%20 == 0 && tens >= 60 && conn && n.val != 1 {
			return tens, i
		}
		return tens + n.val, j + 1
	case nt.frenchEighty && (tens == 60 || tens == 80) && n.kind == nkTeen:
		// soixante-dix (70), soixante-et-onze (71), quatre-vingt-douze (92),
		// soixante-dix-sept (77).
		if n.val == 10 {
			if k, ok := nt.nextWord(toks, j+1, true); ok {
				if u := toks[k].num(); u.kind == nkUnit && u.val >= 7 {
					return tens + 10 + u.val, k + 1
				}
			}
		}
		return tens + n.val, j + 1
	}
	return tens, i
}

// singleDigit reads one digit after "double"/"triple": a unit word or a
// one-digit token.
func (nt *numTable) singleDigit(toks []token, j int) (string, int, bool) {
	t := toks[j]
	if t.kind == tokDigits && len(t.norm) == 1 {
		return t.norm, j + 1, true
	}
	if w := t.num(); w.kind == nkUnit || w.kind == nkOh {
		return itoa(w.val), j + 1, true
	}
	return "", j, false
}

// nextWord returns the index of the next token at i, stepping over one
// hyphen when hyphen is true ("soixante-dix"); it reports false at the end
// or at any other punctuation.
func (nt *numTable) nextWord(toks []token, i int, hyphen bool) (int, bool) {
	if i < len(toks) && hyphen && toks[i].kind == tokPunct && toks[i].norm == "-" {
		i++
	}
	if i >= len(toks) || toks[i].kind != tokWord {
		return i, false
	}
	return i, true
}

func itoa(v int) string {
	if v >= 0 && v <= 9 {
		// A slice of a constant: spoken digits are the most frequent
		// numbers, and string(rune) allocates each time.
		return zeroPadded[3*v+2 : 3*v+3]
	}
	return string(rune('0' + v))
}

func itoa2(v int) string {
	if v < 0 {
		return "0" + itoa(v)
	}
	return padTo(v, 2)
}

// zeroPadded holds "000" to "999", so padTo returns a slice of it instead
// of a new string for the numbers of up to three digits.
var zeroPadded = func() string {
	b := make([]byte, 0, 3000)
	for v := 0; v < 1000; v++ {
		b = append(b, byte('0'+v/100), byte('0'+v/10%10), byte('0'+v%10))
	}
	return string(b)
}()

func padTo(v, width int) string {
	if v >= 0 && v < 1000 && width >= 1 && width <= 3 {
		w := max(width, digitCount(v))
		return zeroPadded[3*v+3-w : 3*v+3]
	}
	var b [8]byte
	i := len(b)
	for v > 0 || i == len(b) {
		i--
		b[i] = byte('0' + v%10)
		v /= 10
	}
	for len(b)-i < width {
		i--
		b[i] = '0'
	}
	return string(b[i:])
}

func digitCount(v int) int {
	switch {
	case v >= 100:
		return 3
	case v >= 10:
		return 2
	}
	return 1
}

// numericRuns finds every run of numbers in toks.
func (nt *numTable) numericRuns(toks []token) []numRun {
	runs, _, _ := nt.numericRunsInto(toks, nil, nil, nil)
	return runs
}

// numericRunsInto is numericRuns reusing a caller's buffers: the runs'
// items are slices of items, which grows as needed; scratch holds the run
// being read.
func (nt *numTable) numericRunsInto(toks []token, runs []numRun, items, scratch []numItem) ([]numRun, []numItem, []numItem) {
	runs, items = runs[:0], items[:0]
	cur := numRun{items: scratch[:0]}
	pendingSep := sepSpace
	flush := func() {
		if len(cur.items) > 0 {
			// A lone "oh" is an interjection, not a zero.
			if !(len(cur.items) == 1 && cur.items[0].spoken && cur.items[0].digits == "0" && toks[cur.items[0].tok].num().kind == nkOh) {
				// Earlier runs keep pointing at the old array when items
				// grows, so the slices stay valid.
				cur.restartByRepeat()
				start := len(items)
				items = append(items, cur.items...)
				r := cur
				r.items = items[start:len(items):len(items)]
				runs = append(runs, r)
			}
		}
		cur = numRun{items: cur.items[:0]}
		pendingSep = sepSpace
	}
	for i := 0; i < len(toks); {
		t := toks[i]
		if len(cur.items) > 0 && t.kind == tokWord {
			// A restart: the number is said again from the beginning.
			if k := nt.repeatAt(toks, i); k > 0 && nt.numberAhead(toks, i+k) {
				cur.retractAll()
				pendingSep = sepRepeat
				i += k
				continue
			}
		}
		// "oh seven for ten": a recogniser's "for" among spoken digits.
		if d, ok := nt.homophones[t.norm]; ok && nt.homophoneDigit(toks, i, &cur, pendingSep) {
			if pendingSep == sepCorrect {
				cur.retractBefore()
			}
			end := i + 1
			// "to hundred one" is "two hundred one" (201), not 2 then 101.
			if j, ok := nt.nextWord(toks, i+1, true); ok {
				if n := toks[j].num(); n.kind == nkHundred || n.kind == nkThousand {
					d, end, _ = nt.multiplied(toks, j, int(d[0]-'0'))
				}
			}
			cur.items = append(cur.items, numItem{digits: d, tok: i, end: end, sep: pendingSep, spoken: true})
			pendingSep = sepSpace
			i = end
			continue
		}
		// "plus 32 12... so plus 32 1 2 ...": a second "plus" after a pause
		// restarts an international number.
		if cur.plus && len(cur.items) > 0 && pendingSep != sepSpace && pendingSep != sepRepeat && i+1 < len(toks) &&
			(t.kind == tokPunct && t.norm == "+" || t.kind == tokWord && t.has(fPlus)) {
			if _, _, ok := nt.parseNumber(toks, i+1); ok {
				cur.retractAll()
				pendingSep = sepRepeat
				i++
				continue
			}
		}
		// The restarted number keeps its "plus".
		if pendingSep == sepRepeat && (t.kind == tokPunct && t.norm == "+" || t.kind == tokWord && t.has(fPlus)) && i+1 < len(toks) {
			if _, _, ok := nt.parseNumber(toks, i+1); ok {
				i++
				continue
			}
		}
		// International prefix: "+49", "plus four nine", "plus for for".
		if len(cur.items) == 0 && !cur.plus && (t.kind == tokPunct && t.norm == "+" || t.kind == tokWord && t.has(fPlus)) {
			if i+1 < len(toks) {
				if _, _, ok := nt.parseNumber(toks, i+1); ok || nt.homophones[toks[i+1].norm] != "" && nt.homophoneThenNumber(toks, i+2) {
					cur.plus, cur.plusTok = true, i
					i++
					continue
				}
			}
		}
		if d, next, ok := nt.parseNumber(toks, i); ok {
			if pendingSep == sepCorrect {
				cur.retractBefore()
			}
			cur.items = append(cur.items, numItem{digits: d, tok: i, end: next, sep: pendingSep, spoken: t.kind == tokWord})
			pendingSep = sepSpace
			i = next
			continue
		}
		if len(cur.items) > 0 {
			sep, ok := nt.gap(t)
			if ok && i+1 < len(toks) {
				// A gap only continues the run when a number follows.
				if _, _, more := nt.parseNumber(toks, i+1); more || nt.isGap(toks[i+1]) || nt.repeatAt(toks, i+1) > 0 ||
					nt.homophones[toks[i+1].norm] != "" && nt.numberAhead(toks, i+2) ||
					cur.plus && i+2 < len(toks) && (toks[i+1].norm == "+" || toks[i+1].kind == tokWord && toks[i+1].has(fPlus)) && nt.numberAhead(toks, i+2) {
					if sep > pendingSep {
						pendingSep = sep
					}
					i++
					continue
				}
			}
		} else if t.kind == tokPunct && t.norm == "(" {
			i++
			continue
		}
		flush()
		i++
	}
	flush()
	return runs, items, cur.items
}

func (nt *numTable) isGap(t token) bool {
	_, ok := nt.gap(t)
	return ok
}

// gap reports whether t may sit between two numbers of one run.
func (nt *numTable) gap(t token) (sepKind, bool) {
	if t.kind == tokPunct {
		switch t.norm {
		case ",":
			return sepComma, true
		case "-", "–":
			return sepDash, true
		case ".":
			return sepDot, true
		case "/":
			return sepSlash, true
		case "(", ")":
			return sepParen, true
		}
		return 0, false
	}
	if t.kind == tokWord {
		switch {
		case nt.corrections[t.norm]:
			return sepCorrect, true
		case t.has(fFiller), nt.then[t.norm]:
			return sepFiller, true
		case t.has(fNumDot):
			return sepDot, true
		case t.has(fSlash):
			return sepSlash, true
		}
	}
	return 0, false
}
