package main

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// table is a small grid rendered either aligned for a terminal or as a
// Markdown table for the README.
type table struct {
	header []string
	rows   [][]string
}

func (t *table) add(cells ...string) { t.rows = append(t.rows, cells) }

func (t *table) write(w io.Writer, markdown bool) {
	if markdown {
		fmt.Fprintf(w, "| %s |\n", strings.Join(t.header, " | "))
		seps := make([]string, len(t.header))
		for i := range seps {
			seps[i] = "---"
			if i > 0 {
				seps[i] = "---:"
			}
		}
		fmt.Fprintf(w, "| %s |\n", strings.Join(seps, " | "))
		for _, r := range t.rows {
			fmt.Fprintf(w, "| %s |\n", strings.Join(r, " | "))
		}
		fmt.Fprintln(w)
		return
	}
	widths := make([]int, len(t.header))
	for _, r := range append([][]string{t.header}, t.rows...) {
		for i, c := range r {
			widths[i] = max(widths[i], len([]rune(c)))
		}
	}
	line := func(r []string) {
		var b strings.Builder
		for i, c := range r {
			pad := strings.Repeat(" ", widths[i]-len([]rune(c)))
			if i == 0 {
				b.WriteString(c + pad)
			} else {
				b.WriteString("  " + pad + c)
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
	line(t.header)
	for _, r := range t.rows {
		line(r)
	}
	fmt.Fprintln(w)
}

func pct(v float64) string { return fmt.Sprintf("%.3f", v) }

func recallCell(r Recall) string {
	if r.Gold == 0 {
		return "—"
	}
	return pct(r.Value())
}

func mark(ok bool) string {
	if ok {
		return "yes"
	}
	return "**no**"
}

// writeReport prints the full report of the redactor and, when given, the
// baseline comparison.
func writeReport(w io.Writer, rep, base *Report, markdown bool) {
	tg := targets()
	mode := "language auto-detected"
	if rep.Options.GoldLanguage {
		mode = "gold language passed"
	}
	fmt.Fprintf(w, "Redactor: %s (%s), %d utterances, %d negative.\n\n", rep.Name, mode, rep.Utterances, rep.Negatives[""].Lines)

	// Recall: rows are types, columns languages.
	rt := &table{header: append(append([]string{"recall (chars covered)"}, corpusLanguages[:]...), "all", "type-correct", "target", "met")}
	for _, typ := range entityTypes {
		row := []string{typ}
		for _, l := range corpusLanguages {
			row = append(row, recallCell(rep.RecallFor(l, typ)))
		}
		all := rep.RecallFor("", typ)
		row = append(row, recallCell(all), pct(all.TypedValue()))
		if t, ok := tg.Recall[typ]; ok {
			row = append(row, "≥ "+pct(t), mark(all.Value() >= t))
		} else {
			row = append(row, "—", "—")
		}
		rt.add(row...)
	}
	row := []string{"all types"}
	for _, l := range corpusLanguages {
		row = append(row, recallCell(rep.RecallFor(l, "")))
	}
	all := rep.RecallFor("", "")
	rt.add(append(row, recallCell(all), pct(all.TypedValue()), "", "")...)
	rt.write(w, markdown)

	// Per language: precision, negatives, latency.
	lt := &table{header: append(append([]string{"per language"}, corpusLanguages[:]...), "all", "target", "met")}
	prec := []string{"precision (redacted chars in gold)"}
	neg := []string{"negative lines untouched"}
	for _, l := range corpusLanguages {
		prec = append(prec, pct(rep.PrecisionFor(l, "").Value()))
		neg = append(neg, pct(rep.Negatives[l].Value()))
	}
	pAll, nAll := rep.PrecisionFor("", "").Value(), rep.Negatives[""].Value()
	lt.add(append(prec, pct(pAll), "≥ "+pct(tg.Precision), mark(pAll >= tg.Precision))...)
	lt.add(append(neg, pct(nAll), "≥ "+pct(tg.Negatives), mark(nAll >= tg.Negatives))...)
	lt.write(w, markdown)

	// Precision per predicted type.
	pt := &table{header: []string{"precision by predicted type", "predicted chars", "in gold", "precision"}}
	for _, typ := range entityTypes {
		p := rep.PrecisionFor("", typ)
		if p.Predicted == 0 {
			continue
		}
		pt.add(typ, fmt.Sprint(p.Predicted), fmt.Sprint(p.InGold), pct(p.Value()))
	}
	if len(pt.rows) > 0 {
		pt.write(w, markdown)
	}

	fmt.Fprintf(w, "Latency per utterance: mean %s, p50 %s, p95 %s, p99 %s (wall clock, one goroutine; compare with the baseline in the same run, not across machines).\n\n",
		round(rep.MeanLatency()), round(rep.LatencyQuantile(0.5)), round(rep.LatencyQuantile(0.95)), round(rep.LatencyQuantile(0.99)))
	if rep.InvalidSpans > 0 {
		fmt.Fprintf(w, "Warning: %d predicted spans were out of bounds or empty.\n\n", rep.InvalidSpans)
	}

	if base == nil {
		return
	}
	fmt.Fprintf(w, "Comparison with %s on the same corpus:\n\n", base.Name)
	ct := &table{header: []string{"recall (chars covered)", rep.Name, base.Name}}
	for _, typ := range entityTypes {
		ct.add(typ, recallCell(rep.RecallFor("", typ)), recallCell(base.RecallFor("", typ)))
	}
	ct.add("all types", recallCell(rep.RecallFor("", "")), recallCell(base.RecallFor("", "")))
	ct.add("precision", pct(rep.PrecisionFor("", "").Value()), pct(base.PrecisionFor("", "").Value()))
	ct.add("negative lines untouched", pct(rep.Negatives[""].Value()), pct(base.Negatives[""].Value()))
	ct.add("mean latency", round(rep.MeanLatency()).String(), round(base.MeanLatency()).String())
	ct.write(w, markdown)
}

func round(d time.Duration) time.Duration {
	switch {
	case d > time.Millisecond:
		return d.Round(10 * time.Microsecond)
	case d > time.Microsecond:
		return d.Round(10 * time.Nanosecond)
	}
	return d
}

// writeFailures prints the n worst lines with their text and spans. It is
// for a person at a terminal looking at synthetic data; tests log only
// LineResult, which holds no text.
func writeFailures(w io.Writer, rep *Report, corpus []Utterance, red Redactor, n int) {
	byID := map[string]Utterance{}
	for _, u := range corpus {
		byID[u.ID] = u
	}
	worst := rep.Worst(n)
	fmt.Fprintf(w, "%d worst lines (missed + wrongly redacted characters):\n\n", len(worst))
	for _, l := range worst {
		u := byID[l.ID]
		lang := "auto"
		if rep.Options.GoldLanguage {
			lang = u.Language
		}
		fmt.Fprintf(w, "%s  missed %d  extra %d\n  text: %s\n", l.ID, l.Missed, l.Extra, u.Text)
		for _, s := range u.Spans {
			fmt.Fprintf(w, "  gold %-14s %q\n", s.Type, u.Text[s.Start:s.End])
		}
		for _, s := range red.Redact(u.Text, lang) {
			if s.Start >= 0 && s.End <= len(u.Text) && s.Start < s.End {
				fmt.Fprintf(w, "  pred %-14s %q\n", s.Type, u.Text[s.Start:s.End])
			}
		}
		fmt.Fprintln(w)
	}
}
