package faults

import (
	"bytes"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/callveil/callveil/aggregates"
)

// ReadAggregates decodes every Parquet object under dir (the layout of the
// aggregates sink's local-directory backend), keyed by the path below dir.
func ReadAggregates(dir string) (map[string][]aggregates.Row, error) {
	out := map[string][]aggregates.Row{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".parquet") {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rows, err := aggregates.DecodeParquet(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		rel, _ := filepath.Rel(dir, path)
		out[rel] = rows
		return nil
	})
	return out, err
}

// AggregateDiff compares two sets of aggregates objects. Mismatches lists
// every difference that changes what a reader of the aggregates learns
// (objects, rows, dimensions, counts, durations, quantiles, distinct
// counts, redaction counts); EncodingOnly counts rows equal in all of that
// whose sketch bytes differ (a sketch may encode the same content
// differently depending on insertion order), which is not a loss.
type AggregateDiff struct {
	Objects      int
	Rows         int
	Calls        int64
	Mismatches   []string
	EncodingOnly int
}

// CompareAggregates compares got with want (a clean run's objects).
func CompareAggregates(got, want map[string][]aggregates.Row) AggregateDiff {
	var d AggregateDiff
	keys := slices.Sorted(maps.Keys(want))
	for k := range got {
		if _, ok := want[k]; !ok {
			d.Mismatches = append(d.Mismatches, "extra object "+k)
		}
	}
	for _, k := range keys {
		w := want[k]
		d.Objects++
		d.Rows += len(w)
		for _, r := range w {
			d.Calls += r.Calls
		}
		g, ok := got[k]
		if !ok {
			d.Mismatches = append(d.Mismatches, "missing object "+k)
			continue
		}
		if len(g) != len(w) {
			d.Mismatches = append(d.Mismatches, fmt.Sprintf("%s: %d rows, clean run %d", k, len(g), len(w)))
			continue
		}
		for i := range w {
			if diff := rowDiff(g[i], w[i]); diff != "" {
				d.Mismatches = append(d.Mismatches, fmt.Sprintf("%s row %d: %s", k, i, diff))
				continue
			}
			if !bytes.Equal(g[i].DurationSketch, w[i].DurationSketch) || !bytes.Equal(g[i].ExternalNumbersHLL, w[i].ExternalNumbersHLL) {
				d.EncodingOnly++
			}
		}
	}
	return d
}

// rowDiff names the first differing column, or "".
func rowDiff(g, w aggregates.Row) string {
	switch {
	case !g.WindowStart.Equal(w.WindowStart) || !g.WindowEnd.Equal(w.WindowEnd):
		return "window bounds"
	case g.Direction != w.Direction || g.Status != w.Status || g.Language != w.Language ||
		g.CallerCountry != w.CallerCountry || g.CalleeCountry != w.CalleeCountry || g.IsOther != w.IsOther:
		return "dimensions"
	case g.Final != w.Final:
		return "final flag"
	case g.Calls != w.Calls:
		return fmt.Sprintf("calls %d, clean run %d", g.Calls, w.Calls)
	case g.DurationTotalSeconds != w.DurationTotalSeconds:
		return "duration total"
	case g.DurationMeanSeconds != w.DurationMeanSeconds || g.DurationP50Seconds != w.DurationP50Seconds ||
		g.DurationP90Seconds != w.DurationP90Seconds || g.DurationP99Seconds != w.DurationP99Seconds:
		return "duration quantiles"
	case g.DistinctExternalNumbers != w.DistinctExternalNumbers:
		return "distinct external numbers"
	case !maps.Equal(g.Redactions, w.Redactions):
		return "redaction counts"
	}
	return ""
}
