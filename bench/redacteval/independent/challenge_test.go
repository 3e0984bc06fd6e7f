package independent

import (
	"strings"
	"testing"
)

func TestChallengeWordListsAreComplete(t *testing.T) {
	for _, lang := range Languages {
		tk, ok := talkOf[lang]
		if !ok {
			t.Fatalf("%s: no speech words", lang)
		}
		if len(tk.alphabet) != 26 {
			t.Errorf("%s: spelling alphabet has %d words, want 26", lang, len(tk.alphabet))
		}
		for i, w := range tk.alphabet {
			if first := strings.ToLower(asciiFold(w))[0]; first != byte('a'+i) {
				t.Errorf("%s: alphabet word %q stands at letter %c", lang, w, 'a'+i)
			}
		}
		for name, l := range map[string][]string{"plus": tk.plus, "fillers": tk.fillers, "corrections": tk.corrections,
			"ext": tk.ext, "at": tk.at, "dot": tk.dot, "underscore": tk.underscore, "dash": tk.dash, "regions": tk.regions} {
			if len(l) == 0 {
				t.Errorf("%s: no %s words", lang, name)
			}
		}
	}
}

// Every challenge case holds PII, every span starts and ends on the value
// (not on a cue word or a hesitation), and the axes the set promises occur.
func TestChallengeCasesAreWellFormed(t *testing.T) {
	src := loadSources(t)
	seen := map[string]int{}
	for _, c := range Generate(src, 14) {
		if c.Set != SetChallengePhone && c.Set != SetChallengeEmail {
			continue
		}
		seen[c.Set+"/"+c.Language]++
		if len(c.Spans) == 0 {
			t.Errorf("%s: no span", c.ID)
		}
		tk := talkOf[c.Language]
		for _, s := range c.Spans {
			v := strings.ToLower(c.Text[s.Start:s.End])
			for _, f := range append(append([]string{}, tk.fillers...), tk.ext...) {
				f = strings.ToLower(f)
				if strings.HasPrefix(v, f+" ") || strings.HasSuffix(v, " "+f) {
					t.Errorf("%s: span %q starts or ends with %q", c.ID, v, f)
				}
			}
		}
		for _, axis := range []string{"\n", "...", "(0)"} {
			if strings.Contains(c.Text, axis) {
				seen["axis "+axis]++
			}
		}
	}
	for _, set := range []string{SetChallengePhone, SetChallengeEmail} {
		for _, lang := range Languages {
			if seen[set+"/"+lang] < 80 {
				t.Errorf("%s/%s: %d cases", set, lang, seen[set+"/"+lang])
			}
		}
	}
	for _, axis := range []string{"\n", "...", "(0)"} {
		if seen["axis "+axis] < 10 {
			t.Errorf("axis %q in %d cases only", axis, seen["axis "+axis])
		}
	}
}
