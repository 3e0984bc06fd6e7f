package main

import (
	"context"
	"sort"
	"time"
	"unicode/utf8"
)

// Redactor is what the harness scores: it returns the spans it would
// redact in text. lang is an ISO 639-1 code or "auto".
type Redactor interface {
	Redact(text, lang string) []Span
}

// Options configures one evaluation.
type Options struct {
	// GoldLanguage passes each line's labelled language instead of "auto",
	// to separate detection errors from language-identification errors.
	GoldLanguage bool
}

// Recall counts gold characters (letters and digits inside gold spans).
type Recall struct {
	Gold int // gold characters
	// Covered: gold characters inside any predicted span, whatever its
	// type. This is what matters for privacy: the character is gone.
	Covered int
	// TypeCorrect: gold characters inside a predicted span of the same type.
	TypeCorrect int
}

func (r Recall) Value() float64      { return ratio(r.Covered, r.Gold) }
func (r Recall) TypedValue() float64 { return ratio(r.TypeCorrect, r.Gold) }

func (r *Recall) add(o Recall) {
	r.Gold += o.Gold
	r.Covered += o.Covered
	r.TypeCorrect += o.TypeCorrect
}

// Precision counts predicted characters.
type Precision struct {
	Predicted int // characters inside any predicted span
	InGold    int // of those, characters inside a gold span
}

// Value is 1 when nothing was predicted: no character was wrongly removed.
func (p Precision) Value() float64 {
	if p.Predicted == 0 {
		return 1
	}
	return float64(p.InGold) / float64(p.Predicted)
}

func (p *Precision) add(o Precision) {
	p.Predicted += o.Predicted
	p.InGold += o.InGold
}

// Negatives counts lines without personal data.
type Negatives struct {
	Lines     int
	Untouched int // lines where the redactor predicted no span at all
}

func (n Negatives) Value() float64 { return ratio(n.Untouched, n.Lines) }

// LineResult is the outcome for one line. It holds no text, so it can be
// logged.
type LineResult struct {
	ID       string
	Language string
	Types    []string // gold types on the line
	Missed   int      // gold characters not covered
	// MissedByType counts uncovered gold characters per gold type; a type
	// on the line that is absent here was fully covered.
	MissedByType map[string]int
	Extra        int // predicted characters outside gold spans
	Negative     bool
	Latency      time.Duration
}

// Report is the outcome of one evaluation.
type Report struct {
	Name    string
	Options Options

	Utterances int
	// Recall per language and type; the "" key of either map aggregates.
	Recall    map[string]map[string]Recall
	Precision map[string]map[string]Precision // per language, per predicted type
	Negatives map[string]Negatives            // per language, "" for all
	// InvalidSpans counts predicted spans out of bounds or empty; they
	// are clamped or ignored.
	InvalidSpans int
	Lines        []LineResult
}

// RecallFor returns recall for a language and type; "" means all.
func (r *Report) RecallFor(lang, typ string) Recall { return r.Recall[lang][typ] }

// PrecisionFor returns precision for a language and predicted type.
func (r *Report) PrecisionFor(lang, typ string) Precision { return r.Precision[lang][typ] }

// LatencyQuantile returns the q-quantile of per-utterance latency.
func (r *Report) LatencyQuantile(q float64) time.Duration {
	if len(r.Lines) == 0 {
		return 0
	}
	ds := make([]time.Duration, len(r.Lines))
	for i, l := range r.Lines {
		ds[i] = l.Latency
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	k := int(q * float64(len(ds)-1))
	return ds[k]
}

// MeanLatency is the mean per-utterance latency.
func (r *Report) MeanLatency() time.Duration {
	if len(r.Lines) == 0 {
		return 0
	}
	var sum time.Duration
	for _, l := range r.Lines {
		sum += l.Latency
	}
	return sum / time.Duration(len(r.Lines))
}

// Evaluate runs red over every line and scores it at character level.
func Evaluate(ctx context.Context, name string, corpus []Utterance, red Redactor, opts Options) (*Report, error) {
	rep := &Report{
		Name: name, Options: opts,
		Recall:    map[string]map[string]Recall{"": {}},
		Precision: map[string]map[string]Precision{"": {}},
		Negatives: map[string]Negatives{},
	}
	for _, u := range corpus {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		lang := "auto"
		if opts.GoldLanguage {
			lang = u.Language
		}
		start := time.Now()
		pred := red.Redact(u.Text, lang)
		lat := time.Since(start)
		rep.score(u, pred, lat)
	}
	return rep, nil
}

// score adds one line to the report.
func (rep *Report) score(u Utterance, pred []Span, lat time.Duration) {
	rep.Utterances++
	n := len(u.Text)
	goldType := make([]string, n)
	for _, s := range u.Spans {
		for i := max(s.Start, 0); i < min(s.End, n); i++ {
			goldType[i] = s.Type
		}
	}
	predAny := make([]bool, n)
	predTypes := make([][]string, n)
	valid := 0
	for _, s := range pred {
		st, en := max(s.Start, 0), min(s.End, n)
		if st >= en || st != s.Start || en != s.End {
			rep.InvalidSpans++
		}
		if st < en {
			valid++
		}
		for i := st; i < en; i++ {
			predAny[i] = true
			predTypes[i] = append(predTypes[i], s.Type)
		}
	}
	if rep.Recall[u.Language] == nil {
		rep.Recall[u.Language] = map[string]Recall{}
		rep.Precision[u.Language] = map[string]Precision{}
	}
	line := LineResult{ID: u.ID, Language: u.Language, Negative: u.Negative, Latency: lat}
	typesSeen := map[string]bool{}
	for _, s := range u.Spans {
		if !typesSeen[s.Type] {
			typesSeen[s.Type] = true
			line.Types = append(line.Types, s.Type)
		}
	}
	// Walk characters (rune starts); a character counts as covered when
	// its first byte is.
	recall := map[string]Recall{}
	precision := map[string]Precision{}
	for i := 0; i < n; {
		r, size := utf8.DecodeRuneInString(u.Text[i:])
		if significant(r) {
			if gt := goldType[i]; gt != "" {
				rc := recall[gt]
				rc.Gold++
				if predAny[i] {
					rc.Covered++
				}
				for _, pt := range predTypes[i] {
					if pt == gt {
						rc.TypeCorrect++
						break
					}
				}
				recall[gt] = rc
				if !predAny[i] {
					line.Missed++
					if line.MissedByType == nil {
						line.MissedByType = map[string]int{}
					}
					line.MissedByType[gt]++
				}
			}
			if predAny[i] {
				// A character under two predicted spans counts once per
				// type, and once overall.
				seen := map[string]bool{}
				for _, pt := range predTypes[i] {
					if seen[pt] {
						continue
					}
					seen[pt] = true
					pc := precision[pt]
					pc.Predicted++
					if goldType[i] != "" {
						pc.InGold++
					}
					precision[pt] = pc
				}
				all := precision[""]
				all.Predicted++
				if goldType[i] != "" {
					all.InGold++
				} else {
					line.Extra++
				}
				precision[""] = all
			}
		}
		i += size
	}
	for t, rc := range recall {
		for _, l := range []string{u.Language, ""} {
			for _, tt := range []string{t, ""} {
				x := rep.Recall[l][tt]
				x.add(rc)
				rep.Recall[l][tt] = x
			}
		}
	}
	for t, pc := range precision {
		for _, l := range []string{u.Language, ""} {
			x := rep.Precision[l][t]
			x.add(pc)
			rep.Precision[l][t] = x
		}
	}
	if u.Negative {
		for _, l := range []string{u.Language, ""} {
			ng := rep.Negatives[l]
			ng.Lines++
			if valid == 0 {
				ng.Untouched++
			}
			rep.Negatives[l] = ng
		}
	}
	rep.Lines = append(rep.Lines, line)
}

// Worst returns the n lines with the most wrongly handled characters
// (missed plus extra); a touched negative line counts at least one.
func (r *Report) Worst(n int) []LineResult {
	ls := append([]LineResult(nil), r.Lines...)
	cost := func(l LineResult) int { return l.Missed + l.Extra }
	sort.SliceStable(ls, func(i, j int) bool { return cost(ls[i]) > cost(ls[j]) })
	var out []LineResult
	for _, l := range ls {
		if len(out) == n || cost(l) == 0 {
			break
		}
		out = append(out, l)
	}
	return out
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}
