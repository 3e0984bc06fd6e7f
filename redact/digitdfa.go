package redact

import (
	"regexp/syntax"
	"slices"
)

// digitDFA is a deterministic automaton over the ten ASCII digits that
// accepts the same digit strings as a regular expression. libphonenumber's
// number patterns are regular expressions over digits only, and the phone
// validator tests several of them for every candidate number; Go's
// backtracking matcher spends about a microsecond on each, the automaton a
// few nanoseconds.
type digitDFA struct {
	next   []int32 // next[state*10+digit]; -1 is the dead state
	accept []bool
}

// maxDFAStates bounds an automaton's size; a pattern that needs more keeps
// its regular expression.
const maxDFAStates = 2048

// compileDigitDFA builds the automaton of pattern, or returns nil when the
// pattern uses what the automaton cannot express (assertions such as ^, $
// or \b) or needs too many states.
func compileDigitDFA(pattern string) *digitDFA {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return nil
	}
	prog, err := syntax.Compile(re.Simplify())
	if err != nil {
		return nil
	}
	// masks[pc] are the digits instruction pc consumes.
	masks := make([]uint16, len(prog.Inst))
	for pc := range prog.Inst {
		in := &prog.Inst[pc]
		for dgt := rune('0'); dgt <= '9'; dgt++ {
			var ok bool
			switch in.Op {
			case syntax.InstRune, syntax.InstRune1:
				ok = in.MatchRune(dgt)
			case syntax.InstRuneAny, syntax.InstRuneAnyNotNL:
				ok = true
			}
			if ok {
				masks[pc] |= 1 << (dgt - '0')
			}
		}
	}
	seen := make([]int, len(prog.Inst))
	gen := 0
	// closure returns the sorted consuming and matching instructions
	// reachable from pcs without consuming input; false when an
	// assertion is reachable.
	closure := func(pcs []uint32) ([]uint32, bool) {
		gen++
		var out []uint32
		stack := slices.Clone(pcs)
		for len(stack) > 0 {
			pc := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if seen[pc] == gen {
				continue
			}
			seen[pc] = gen
			in := &prog.Inst[pc]
			switch in.Op {
			case syntax.InstAlt, syntax.InstAltMatch:
				stack = append(stack, in.Arg, in.Out)
			case syntax.InstCapture, syntax.InstNop:
				stack = append(stack, in.Out)
			case syntax.InstMatch, syntax.InstRune, syntax.InstRune1, syntax.InstRuneAny, syntax.InstRuneAnyNotNL:
				out = append(out, pc)
			case syntax.InstFail:
			default: // InstEmptyWidth
				return nil, false
			}
		}
		slices.Sort(out)
		return out, true
	}
	key := func(set []uint32) string {
		b := make([]byte, 0, 4*len(set))
		for _, pc := range set {
			b = append(b, byte(pc), byte(pc>>8), byte(pc>>16), byte(pc>>24))
		}
		return string(b)
	}
	start, ok := closure([]uint32{uint32(prog.Start)})
	if !ok {
		return nil
	}
	a := &digitDFA{}
	ids := map[string]int32{}
	var sets [][]uint32
	add := func(set []uint32) int32 {
		k := key(set)
		if id, ok := ids[k]; ok {
			return id
		}
		id := int32(len(sets))
		ids[k] = id
		sets = append(sets, set)
		acc := false
		for _, pc := range set {
			if prog.Inst[pc].Op == syntax.InstMatch {
				acc = true
			}
		}
		a.accept = append(a.accept, acc)
		a.next = append(a.next, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1)
		return id
	}
	add(start)
	for s := 0; s < len(sets); s++ {
		if len(sets) > maxDFAStates {
			return nil
		}
		for dgt := 0; dgt < 10; dgt++ {
			var outs []uint32
			for _, pc := range sets[s] {
				if masks[pc]&(1<<dgt) != 0 {
					outs = append(outs, prog.Inst[pc].Out)
				}
			}
			if len(outs) == 0 {
				continue
			}
			set, ok := closure(outs)
			if !ok {
				return nil
			}
			if len(set) == 0 {
				continue
			}
			a.next[s*10+dgt] = add(set)
		}
	}
	return a
}

// match reports whether the whole of s is accepted (prefix false) or some
// prefix of s is (prefix true), as the expression anchored with ^…$ or
// with ^ alone would; ok is false when s holds a byte other than a digit,
// which the automaton cannot read.
func (a *digitDFA) match(s string, prefix bool) (matched, ok bool) {
	st := int32(0)
	for i := 0; i < len(s); i++ {
		if prefix && a.accept[st] {
			return true, true
		}
		c := s[i] - '0'
		if c > 9 {
			return false, false
		}
		st = a.next[int(st)*10+int(c)]
		if st < 0 {
			// No thread of the expression survives the digits read:
			// nothing that starts with them matches.
			return false, true
		}
	}
	return a.accept[st], true
}
