package redact

import (
	"math/rand/v2"
	"regexp"
	"testing"
)

// TestDigitDFAMatchesRegexp checks every automaton of the phone validator
// against the regular expression it replaces, on digit strings drawn from
// the automaton's own accepted strings, their one-digit mutations and
// random strings of every length a number may have.
func TestDigitDFAMatchesRegexp(t *testing.T) {
	var regions []string
	for _, regs := range regionsByLanguage {
		regions = append(regions, regs...)
	}
	v := newPhoneValidator(regions)
	rng := rand.New(rand.NewPCG(14, 3))
	type pair struct {
		re     *regexp.Regexp
		dfa    *digitDFA
		prefix bool
	}
	var pairs []pair
	total := 0
	for _, list := range v.byCC {
		for _, p := range list {
			all := append([]numberPattern{p.general}, p.types...)
			for _, np := range all {
				if np.re == nil {
					continue
				}
				total++
				if np.dfa != nil {
					pairs = append(pairs, pair{np.re, np.dfa, false})
				}
			}
			if p.leading != nil {
				total++
				if p.leadingDFA != nil {
					pairs = append(pairs, pair{p.leading, p.leadingDFA, true})
				}
			}
		}
	}
	if len(pairs) < total*9/10 {
		t.Fatalf("only %d of %d patterns have an automaton", len(pairs), total)
	}
	digits := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte('0' + rng.IntN(10))
		}
		return string(b)
	}
	// walk draws a string the automaton accepts, or "" after a dead end.
	walk := func(a *digitDFA) string {
		var b []byte
		st := int32(0)
		for len(b) < 20 {
			if a.accept[st] && rng.IntN(3) == 0 {
				return string(b)
			}
			var outs []int
			for d := 0; d < 10; d++ {
				if a.next[int(st)*10+d] >= 0 {
					outs = append(outs, d)
				}
			}
			if len(outs) == 0 {
				break
			}
			d := outs[rng.IntN(len(outs))]
			b = append(b, byte('0'+d))
			st = a.next[int(st)*10+d]
		}
		if a.accept[st] {
			return string(b)
		}
		return ""
	}
	matched := 0
	for _, p := range pairs {
		var cases []string
		for n := 0; n <= 18; n++ {
			cases = append(cases, digits(n), digits(n))
		}
		for k := 0; k < 30; k++ {
			s := walk(p.dfa)
			cases = append(cases, s)
			if len(s) > 0 {
				b := []byte(s)
				b[rng.IntN(len(b))] = byte('0' + rng.IntN(10))
				cases = append(cases, string(b), s[:len(s)-1], s+digits(1))
			}
		}
		cases = append(cases, "12a4", "+4930")
		for _, s := range cases {
			want := p.re.MatchString(s)
			got, ok := p.dfa.match(s, p.prefix)
			if !ok {
				if regexp.MustCompile(`^[0-9]*$`).MatchString(s) {
					t.Fatalf("automaton of %s refused digits %q", p.re, s)
				}
				continue
			}
			if got != want {
				t.Fatalf("%s on %q: automaton %v, regexp %v", p.re, s, got, want)
			}
			if want {
				matched++
			}
		}
	}
	if matched < len(pairs) {
		t.Fatalf("only %d matching cases over %d patterns: the test draws too few members", matched, len(pairs))
	}
	t.Logf("%d of %d patterns as automata, %d matching cases", len(pairs), total, matched)
}
