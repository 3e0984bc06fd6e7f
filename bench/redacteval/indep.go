package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"sort"

	"github.com/callveil/callveil/bench/redacteval/independent"
)

// independentSeed fixes the generated sets; changing it changes every case.
const independentSeed = 14

// Parts of every independent set. The held-apart part is never used for
// tuning: the harness prints failing lines of the tuning part only, and
// nobody changing the redactor may read held-apart lines.
const (
	partTuning = "tuning"
	partHeld   = "held-apart"
)

var parts = []string{partTuning, partHeld}

// indepCase pairs a corpus line with what the scoring needs besides it.
type indepCase struct {
	u          Utterance
	set        string
	part       string
	recognizer string // recognizer-set positives
	nearMiss   string // recognizer-set negatives
}

// loadIndependent generates the independent sets from the sources under dir.
func loadIndependent(dir string) ([]indepCase, error) {
	src, err := independent.Load(dir)
	if err != nil {
		return nil, err
	}
	var out []indepCase
	for _, c := range independent.Generate(src, independentSeed) {
		u := Utterance{ID: c.ID, Language: c.Language, Text: c.Text, Negative: c.Negative}
		for _, s := range c.Spans {
			u.Spans = append(u.Spans, Span{Start: s.Start, End: s.End, Type: s.Type})
		}
		part := partTuning
		if c.HeldApart {
			part = partHeld
		}
		out = append(out, indepCase{u: u, set: c.Set, part: part, recognizer: c.Recognizer, nearMiss: c.NearMiss})
	}
	us := make([]Utterance, len(out))
	for i, c := range out {
		us[i] = c.u
	}
	if err := Validate(us); err != nil {
		return nil, err
	}
	return out, nil
}

func independentDir(corpusPath string) string {
	return filepath.Join(filepath.Dir(corpusPath), "independent")
}

// indepResult is one redactor's evaluation of one set and part.
type indepResult struct {
	rep   *Report
	cases []indepCase
	lines map[string]LineResult // by id
}

// evaluateIndependent scores red on every set and part.
func evaluateIndependent(ctx context.Context, name string, cases []indepCase, red Redactor, opts Options) (map[string]map[string]*indepResult, error) {
	out := map[string]map[string]*indepResult{}
	for _, set := range independent.Sets {
		out[set] = map[string]*indepResult{}
		for _, part := range parts {
			var sel []indepCase
			var us []Utterance
			for _, c := range cases {
				if c.set == set && c.part == part {
					sel = append(sel, c)
					us = append(us, c.u)
				}
			}
			rep, err := Evaluate(ctx, name, us, red, opts)
			if err != nil {
				return nil, err
			}
			res := &indepResult{rep: rep, cases: sel, lines: map[string]LineResult{}}
			for _, l := range rep.Lines {
				res.lines[l.ID] = l
			}
			out[set][part] = res
		}
	}
	return out, nil
}

// fully counts cases whose every gold character of a type is covered.
type fully struct{ cases, full int }

func (f fully) value() float64 { return ratio(f.full, f.cases) }

func (f fully) cell() string {
	if f.cases == 0 {
		return "—"
	}
	return pct(f.value())
}

// fullyCovered is, per language ("" all) and type ("" any), the share of
// cases on which every gold character of that type is redacted.
func (r *indepResult) fullyCovered() map[string]map[string]fully {
	out := map[string]map[string]fully{}
	add := func(lang, typ string, ok bool) {
		if out[lang] == nil {
			out[lang] = map[string]fully{}
		}
		f := out[lang][typ]
		f.cases++
		if ok {
			f.full++
		}
		out[lang][typ] = f
	}
	for _, c := range r.cases {
		l := r.lines[c.u.ID]
		for _, typ := range l.Types {
			ok := l.MissedByType[typ] == 0
			for _, lang := range []string{c.u.Language, ""} {
				add(lang, typ, ok)
			}
		}
		if len(l.Types) > 0 {
			for _, lang := range []string{c.u.Language, ""} {
				add(lang, "", l.Missed == 0)
			}
		}
	}
	return out
}

// recognizerCounts is, per recognizer, positives found (every character
// redacted) and near-miss negatives left alone (no span at all).
func (r *indepResult) recognizerCounts() (pos, neg map[string]fully) {
	pos, neg = map[string]fully{}, map[string]fully{}
	bump := func(m map[string]fully, k string, ok bool) {
		for _, key := range []string{k, ""} {
			f := m[key]
			f.cases++
			if ok {
				f.full++
			}
			m[key] = f
		}
	}
	for _, c := range r.cases {
		l := r.lines[c.u.ID]
		switch {
		case c.recognizer != "":
			bump(pos, c.recognizer, l.Missed == 0)
		case c.nearMiss != "":
			bump(neg, c.nearMiss, l.Extra == 0)
		}
	}
	return pos, neg
}

func recognizerKinds(res map[string]*indepResult) []string {
	seen := map[string]bool{}
	for _, r := range res {
		for _, c := range r.cases {
			for _, k := range []string{c.recognizer, c.nearMiss} {
				if k != "" {
					seen[k] = true
				}
			}
		}
	}
	var out []string
	for k := range seen {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// writeIndependent prints the independent sets: a summary of redactor and
// baseline per part, then per set, type and language.
func writeIndependent(w io.Writer, lib, base map[string]map[string]*indepResult, markdown bool) {
	n := map[string]int{}
	for _, set := range independent.Sets {
		for _, part := range parts {
			n[part] += lib[set][part].rep.Utterances
		}
	}
	fmt.Fprintf(w, "Independent sets (generated from CLDR RBNF, libphonenumber, the IBAN registry, ID specifications and faker lists; see testdata/redact/independent/SOURCES.md): %d tuning cases, %d held-apart cases. The held-apart part is never used for tuning.\n\n",
		n[partTuning], n[partHeld])

	st := &table{header: []string{"independent set: metric", "callveil tuning", "callveil held-apart", "regex baseline held-apart"}}
	for _, m := range summaryMetrics {
		st.add(m.name, pct(m.value(lib, partTuning)), pct(m.value(lib, partHeld)), pct(m.value(base, partHeld)))
	}
	st.write(w, markdown)

	for _, part := range parts {
		fmt.Fprintf(w, "Independent sets, %s part, callveil redact:\n\n", part)
		// Spoken: fully covered per type and language, and characters covered.
		for _, set := range []string{independent.SetSpokenPhone, independent.SetSpokenEmail, independent.SetChallengePhone, independent.SetChallengeEmail} {
			r := lib[set][part]
			fc := r.fullyCovered()
			typ := "PHONE_NUMBER"
			if set == independent.SetSpokenEmail || set == independent.SetChallengeEmail {
				typ = "EMAIL_ADDRESS"
			}
			t := &table{header: append(append([]string{set + " (" + part + ")"}, corpusLanguages[:]...), "all")}
			row := []string{"cases fully covered"}
			crow := []string{"chars covered"}
			prow := []string{"precision"}
			cnt := []string{"cases"}
			for _, l := range append(corpusLanguages[:], "") {
				row = append(row, fc[l][typ].cell())
				crow = append(crow, recallCell(r.rep.RecallFor(l, typ)))
				prow = append(prow, pct(r.rep.PrecisionFor(l, "").Value()))
				cnt = append(cnt, fmt.Sprint(fc[l][typ].cases))
			}
			t.add(row...)
			t.add(crow...)
			t.add(prow...)
			t.add(cnt...)
			t.write(w, markdown)
		}
		// Written English: recall per type, precision.
		r := lib[independent.SetWrittenEN][part]
		wt := &table{header: []string{independent.SetWrittenEN + " (" + part + ")", "chars covered", "cases fully covered"}}
		fc := r.fullyCovered()
		for _, typ := range entityTypes {
			if rc := r.rep.RecallFor("", typ); rc.Gold > 0 {
				wt.add(typ, recallCell(rc), fc[""][typ].cell())
			}
		}
		wt.add("any-PII recall", recallCell(r.rep.RecallFor("", "")), fc[""][""].cell())
		wt.add("precision", pct(r.rep.PrecisionFor("", "").Value()), "")
		wt.write(w, markdown)
		// Recognizer cases.
		pos, neg := lib[independent.SetRecognizer][part].recognizerCounts()
		rt := &table{header: []string{independent.SetRecognizer + " (" + part + ")", "positives found", "positives", "negatives left alone", "negatives"}}
		for _, k := range recognizerKinds(lib[independent.SetRecognizer]) {
			rt.add(k, pos[k].cell(), fmt.Sprint(pos[k].cases), neg[k].cell(), fmt.Sprint(neg[k].cases))
		}
		rt.add("all", pos[""].cell(), fmt.Sprint(pos[""].cases), neg[""].cell(), fmt.Sprint(neg[""].cases))
		rt.write(w, markdown)
		// Transcript names and addresses, and negatives, per language.
		tr := lib[independent.SetTranscript][part]
		ng := lib[independent.SetNegatives][part]
		tt := &table{header: append(append([]string{"transcripts (" + part + ")"}, corpusLanguages[:]...), "all")}
		for _, typ := range []string{"PERSON", "ADDRESS"} {
			row := []string{typ + " chars covered"}
			for _, l := range append(corpusLanguages[:], "") {
				row = append(row, recallCell(tr.rep.RecallFor(l, typ)))
			}
			tt.add(row...)
		}
		prow := []string{"precision"}
		nrow := []string{"negative lines untouched"}
		for _, l := range append(corpusLanguages[:], "") {
			prow = append(prow, pct(tr.rep.PrecisionFor(l, "").Value()))
			nrow = append(nrow, pct(ng.rep.Negatives[l].Value()))
		}
		tt.add(prow...)
		tt.add(nrow...)
		tt.write(w, markdown)
	}
}

type summaryMetric struct {
	name  string
	value func(res map[string]map[string]*indepResult, part string) float64
}

var summaryMetrics = []summaryMetric{
	{"spoken phones: cases fully covered", func(res map[string]map[string]*indepResult, p string) float64 {
		return res[independent.SetSpokenPhone][p].fullyCovered()[""]["PHONE_NUMBER"].value()
	}},
	{"spoken phones: chars covered", func(res map[string]map[string]*indepResult, p string) float64 {
		return res[independent.SetSpokenPhone][p].rep.RecallFor("", "PHONE_NUMBER").Value()
	}},
	{"spoken e-mails: cases fully covered", func(res map[string]map[string]*indepResult, p string) float64 {
		return res[independent.SetSpokenEmail][p].fullyCovered()[""]["EMAIL_ADDRESS"].value()
	}},
	{"spoken e-mails: chars covered", func(res map[string]map[string]*indepResult, p string) float64 {
		return res[independent.SetSpokenEmail][p].rep.RecallFor("", "EMAIL_ADDRESS").Value()
	}},
	{"spoken phones, challenge: cases fully covered", func(res map[string]map[string]*indepResult, p string) float64 {
		return res[independent.SetChallengePhone][p].fullyCovered()[""]["PHONE_NUMBER"].value()
	}},
	{"spoken phones, challenge: chars covered", func(res map[string]map[string]*indepResult, p string) float64 {
		return res[independent.SetChallengePhone][p].rep.RecallFor("", "PHONE_NUMBER").Value()
	}},
	{"spoken e-mails, challenge: cases fully covered", func(res map[string]map[string]*indepResult, p string) float64 {
		return res[independent.SetChallengeEmail][p].fullyCovered()[""]["EMAIL_ADDRESS"].value()
	}},
	{"spoken e-mails, challenge: chars covered", func(res map[string]map[string]*indepResult, p string) float64 {
		return res[independent.SetChallengeEmail][p].rep.RecallFor("", "EMAIL_ADDRESS").Value()
	}},
	{"written English: any-PII recall (chars)", func(res map[string]map[string]*indepResult, p string) float64 {
		return res[independent.SetWrittenEN][p].rep.RecallFor("", "").Value()
	}},
	{"written English: precision (chars)", func(res map[string]map[string]*indepResult, p string) float64 {
		return res[independent.SetWrittenEN][p].rep.PrecisionFor("", "").Value()
	}},
	{"recognizer cases: positives found", func(res map[string]map[string]*indepResult, p string) float64 {
		pos, _ := res[independent.SetRecognizer][p].recognizerCounts()
		return pos[""].value()
	}},
	{"recognizer cases: negatives left alone", func(res map[string]map[string]*indepResult, p string) float64 {
		_, neg := res[independent.SetRecognizer][p].recognizerCounts()
		return neg[""].value()
	}},
	{"transcripts: names/addresses chars covered", func(res map[string]map[string]*indepResult, p string) float64 {
		return res[independent.SetTranscript][p].rep.RecallFor("", "").Value()
	}},
	{"transcripts: precision", func(res map[string]map[string]*indepResult, p string) float64 {
		return res[independent.SetTranscript][p].rep.PrecisionFor("", "").Value()
	}},
	{"negative lines untouched", func(res map[string]map[string]*indepResult, p string) float64 {
		return res[independent.SetNegatives][p].rep.Negatives[""].Value()
	}},
}

// writeIndependentFailures prints the n worst TUNING lines of every set.
// Held-apart lines are never printed.
func writeIndependentFailures(w io.Writer, res map[string]map[string]*indepResult, red Redactor, n int, opts Options) {
	for _, set := range independent.Sets {
		r := res[set][partTuning]
		var us []Utterance
		for _, c := range r.cases {
			us = append(us, c.u)
		}
		fmt.Fprintf(w, "== %s (tuning part only) ==\n", set)
		writeFailures(w, r.rep, us, red, n)
	}
}
