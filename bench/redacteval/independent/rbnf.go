package independent

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
)

// RBNF is one language's CLDR rule-based number format rules, read from the
// ICU text form of the cldr-rbnf package (e.g. de-SpelloutRules.txt). It
// spells out non-negative integers with a named rule set such as
// "spellout-numbering" or "spellout-cardinal-feminine".
//
// It is an independent spell-out engine: the words come from CLDR, not
// from anyone on this project, which is the point of using it to build
// evaluation data. Only what integer spell-out needs is implemented:
// base values with radix ("80/20"), << >> == substitutions with named rule
// sets, optional [ ] text, the ICU roll-back rule, "=#,##0=" and the
// $(cardinal,...)$ plural form. Fraction, negative, Inf and NaN rules are
// skipped.
type RBNF struct {
	sets map[string][]rule // by name without the leading % or %%
}

type rule struct {
	base    int64
	divisor int64
	text    string
}

// ParseRBNF reads the ICU text form: "%name:" lines open a rule set, then
// "key: text;" lines, one rule each.
func ParseRBNF(r io.Reader) (*RBNF, error) {
	out := &RBNF{sets: map[string][]rule{}}
	sc := bufio.NewScanner(r)
	cur := ""
	line := 0
	for sc.Scan() {
		line++
		s := strings.TrimSpace(sc.Text())
		if s == "" {
			continue
		}
		if strings.HasPrefix(s, "%") && strings.HasSuffix(s, ":") {
			cur = strings.TrimLeft(strings.TrimSuffix(s, ":"), "%")
			continue
		}
		if cur == "" || cur == "lenient-parse" {
			continue
		}
		key, text, ok := strings.Cut(s, ": ")
		if !ok {
			return nil, fmt.Errorf("rbnf line %d: no key", line)
		}
		text = strings.TrimSuffix(text, ";")
		base, radix := key, "10"
		if b, r, ok := strings.Cut(key, "/"); ok {
			base, radix = b, r
		}
		bv, err := strconv.ParseInt(base, 10, 64)
		if err != nil {
			continue // -x, x.x, Inf, NaN, 0.x: not needed for integers
		}
		rv, err := strconv.ParseInt(radix, 10, 64)
		if err != nil || rv < 2 {
			return nil, fmt.Errorf("rbnf line %d: bad radix", line)
		}
		out.sets[cur] = append(out.sets[cur], rule{base: bv, divisor: divisorFor(bv, rv), text: text})
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	for name, rs := range out.sets {
		sort.SliceStable(rs, func(i, j int) bool { return rs[i].base < rs[j].base })
		out.sets[name] = rs
	}
	return out, nil
}

// divisorFor is radix^exponent, the highest power of radix not above base.
func divisorFor(base, radix int64) int64 {
	if base <= 0 {
		return 1
	}
	exp := int(math.Floor(math.Log(float64(base)) / math.Log(float64(radix))))
	d := int64(1)
	for i := 0; i < exp; i++ {
		d *= radix
	}
	if d*radix <= base { // floating-point rounding below an exact power
		d *= radix
	}
	return d
}

// Has reports whether the rule set exists.
func (r *RBNF) Has(set string) bool { _, ok := r.sets[set]; return ok }

// Spell formats n with the named rule set. Soft hyphens, which ICU keeps
// as hyphenation hints, are removed: a transcript does not contain them.
func (r *RBNF) Spell(set string, n int64) (string, error) {
	s, err := r.format(set, n, 0)
	if err != nil {
		return "", err
	}
	return strings.ReplaceAll(s, "\u00ad", ""), nil
}

// MustSpell is Spell for rule sets known to exist.
func (r *RBNF) MustSpell(set string, n int64) string {
	s, err := r.Spell(set, n)
	if err != nil {
		panic(err)
	}
	return s
}

func (r *RBNF) format(set string, n int64, depth int) (string, error) {
	if depth > 32 {
		return "", fmt.Errorf("rbnf: rule set %q recurses too deep", set)
	}
	if n < 0 {
		return "", fmt.Errorf("rbnf: negative number")
	}
	rs, ok := r.sets[set]
	if !ok {
		return "", fmt.Errorf("rbnf: no rule set %q", set)
	}
	i := sort.Search(len(rs), func(i int) bool { return rs[i].base > n }) - 1
	if i < 0 {
		return "", fmt.Errorf("rbnf: %q has no rule for %d", set, n)
	}
	// ICU rolls back to the previous rule when the number is an exact
	// multiple of the divisor but the rule's base is not (en years "1010/100").
	if ru := rs[i]; i > 0 && strings.Contains(ru.text, ">") && n%ru.divisor == 0 && ru.base%ru.divisor != 0 {
		i--
	}
	return r.apply(set, rs[i], n, depth)
}

// apply expands one rule's text for n.
func (r *RBNF) apply(set string, ru rule, n int64, depth int) (string, error) {
	text := ru.text
	if strings.HasPrefix(text, "'") {
		text = text[1:]
	}
	var b strings.Builder
	for len(text) > 0 {
		c := text[0]
		switch {
		case c == '[':
			end := strings.IndexByte(text, ']')
			if end < 0 {
				return "", fmt.Errorf("rbnf: unclosed [ in %q", ru.text)
			}
			if n%ru.divisor != 0 {
				inner, err := r.apply(set, rule{base: ru.base, divisor: ru.divisor, text: text[1:end]}, n, depth)
				if err != nil {
					return "", err
				}
				b.WriteString(inner)
			}
			text = text[end+1:]
		case c == '<' || c == '>' || c == '=':
			end := strings.IndexByte(text[1:], c)
			if end < 0 {
				return "", fmt.Errorf("rbnf: unclosed %c in %q", c, ru.text)
			}
			desc := text[1 : 1+end]
			text = text[end+2:]
			if c == '>' && strings.HasPrefix(text, ">") { // >>>
				text = text[1:]
			}
			var v int64
			switch c {
			case '<':
				v = n / ru.divisor
			case '>':
				v = n % ru.divisor
			default:
				v = n
			}
			s, err := r.substitute(set, desc, v, depth)
			if err != nil {
				return "", err
			}
			b.WriteString(s)
		case c == '$' && strings.HasPrefix(text, "$("):
			end := strings.Index(text, ")$")
			if end < 0 {
				return "", fmt.Errorf("rbnf: unclosed $( in %q", ru.text)
			}
			b.WriteString(pluralForm(text[2:end], n/ru.divisor))
			text = text[end+2:]
		default:
			b.WriteByte(c)
			text = text[1:]
		}
	}
	return b.String(), nil
}

// substitute formats v with the substitution's descriptor: empty means the
// current rule set, "%name" or "%%name" another one, "#,##0" digits.
func (r *RBNF) substitute(set, desc string, v int64, depth int) (string, error) {
	switch {
	case desc == "":
		return r.format(set, v, depth+1)
	case strings.HasPrefix(desc, "%"):
		return r.format(strings.TrimLeft(desc, "%"), v, depth+1)
	case strings.HasPrefix(desc, "#") || strings.HasPrefix(desc, "0"):
		return strconv.FormatInt(v, 10), nil
	}
	return "", fmt.Errorf("rbnf: unknown substitution %q", desc)
}

// pluralForm picks one{...} for 1 and other{...} otherwise from
// "cardinal,one{milhão}other{milhões}".
func pluralForm(spec string, q int64) string {
	want := "other{"
	if q == 1 {
		want = "one{"
	}
	i := strings.Index(spec, want)
	if i < 0 {
		i = strings.Index(spec, "other{")
		want = "other{"
	}
	if i < 0 {
		return ""
	}
	rest := spec[i+len(want):]
	if j := strings.IndexByte(rest, '}'); j >= 0 {
		return rest[:j]
	}
	return rest
}
