// Package lexicon holds the given-name and surname lists the redactor uses,
// generated from @faker-js/faker (MIT licence; version and notice in the
// header of names.tsv) by gen/gen.mjs. The file is committed so building
// needs no npm.
package lexicon

//go:generate sh -c "NODE_PATH=/tmp/fk/node_modules node gen/gen.mjs > names.tsv"

import (
	_ "embed"
	"strings"
)

//go:embed names.tsv
var namesTSV string

// Languages, in the order of their bits in a LangSet.
var Languages = []string{"en", "de", "fr", "es", "it", "nl", "pt"}

// LangSet is a set of languages as a bit mask.
type LangSet uint8

// Bit returns the set holding only lang (0 for an unknown code).
func Bit(lang string) LangSet {
	for i, l := range Languages {
		if l == lang {
			return 1 << i
		}
	}
	return 0
}

// Has reports whether s contains every language of o.
func (s LangSet) Has(o LangSet) bool { return o != 0 && s&o == o }

// Len is the number of languages in s.
func (s LangSet) Len() int {
	n := 0
	for ; s != 0; s &= s - 1 {
		n++
	}
	return n
}

func parseSet(field string) LangSet {
	if field == "-" {
		return 0
	}
	var s LangSet
	for _, l := range strings.Split(field, ",") {
		s |= Bit(l)
	}
	return s
}

// Info is what the lists say about one lower-case token.
type Info struct {
	// Given and Surname are the languages whose lists hold the token.
	Given, Surname LangSet
	// Common are the languages where the token is also an ordinary word.
	Common LangSet
}

// Names is an immutable lookup from a folded, lower-case token to Info.
type Names struct {
	m map[string]Info
	// accented are the list spellings with diacritics ("maría", "inês"),
	// so that a word whose accents no name has ("sarà") is not a name.
	accented map[string]bool
}

// Load parses the embedded lists. fold is applied to every key so lookups
// match the redactor's token normalisation (accents folded).
func Load(fold func(string) string) *Names {
	n := &Names{m: make(map[string]Info, 12000), accented: map[string]bool{}}
	for _, line := range strings.Split(namesTSV, "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 4 {
			continue
		}
		info := Info{Given: parseSet(f[1]), Surname: parseSet(f[2]), Common: parseSet(f[3])}
		if fold(f[0]) != f[0] {
			n.accented[f[0]] = true
		}
		for _, key := range []string{f[0], fold(f[0])} {
			old := n.m[key]
			n.m[key] = Info{Given: old.Given | info.Given, Surname: old.Surname | info.Surname, Common: old.Common | info.Common}
		}
	}
	return n
}

// Lookup returns what the lists know about a folded token.
func (n *Names) Lookup(token string) (Info, bool) {
	i, ok := n.m[token]
	return i, ok
}

// Len is the number of distinct keys.
func (n *Names) Len() int { return len(n.m) }

// HasSpelling reports whether the lists write a name exactly as the lower
// case word w, diacritics included.
func (n *Names) HasSpelling(w string) bool {
	return n.accented[w] || n.m[w] != (Info{}) && !hasNonASCII(w)
}

func hasNonASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return true
		}
	}
	return false
}

// Each calls f for every key.
func (n *Names) Each(f func(string, Info)) {
	for k, v := range n.m {
		f(k, v)
	}
}
