package aggregates

import (
	"bytes"
	"fmt"
	"io"
	"time"

	"github.com/parquet-go/parquet-go"
)

// SchemaVersion is the version in object keys (aggregates/v1/...). A change
// that is not a pure column addition bumps it.
const SchemaVersion = "v1"

// Row is one Parquet row: one cell of one window. The struct tags are the
// Parquet schema (documented in README.md); every column is required.
type Row struct {
	// WindowStart and WindowEnd bound the window, UTC; a call belongs to
	// the window holding its start time.
	WindowStart time.Time `parquet:"window_start,timestamp(millisecond)"`
	WindowEnd   time.Time `parquet:"window_end,timestamp(millisecond)"`

	// Dimensions: fixed vocabularies (see Dimensions), "unknown" when
	// missing, "other" on every dimension of the merged row.
	Direction     string `parquet:"direction,dict"`
	Status        string `parquet:"status,dict"`
	Language      string `parquet:"language,dict"`
	CallerCountry string `parquet:"caller_country,dict"`
	CalleeCountry string `parquet:"callee_country,dict"`
	// IsOther marks the row merging the cells smaller than k.
	IsOther bool `parquet:"is_other"`
	// Final is false for a window written early (at shutdown) that may
	// still be rewritten, under the same key, with more calls.
	Final bool `parquet:"final"`

	// Measures.
	Calls                int64   `parquet:"calls"`
	DurationTotalSeconds int64   `parquet:"duration_total_s"`
	DurationMeanSeconds  float64 `parquet:"duration_mean_s"`
	DurationP50Seconds   float64 `parquet:"duration_p50_s"`
	DurationP90Seconds   float64 `parquet:"duration_p90_s"`
	DurationP99Seconds   float64 `parquet:"duration_p99_s"`
	// DurationSketch is the DDSketch (relative accuracy 1%) of the call
	// durations in seconds, in sketches-go's own encoding with its index
	// mapping, so windows and cells can be merged for other quantiles.
	DurationSketch []byte `parquet:"duration_ddsketch"`
	// DistinctExternalNumbers estimates how many different external
	// numbers (the caller of an inbound call, the callee of an outbound
	// one) the cell holds.
	DistinctExternalNumbers int64 `parquet:"distinct_external_numbers"`
	// ExternalNumbersHLL is the HyperLogLog (precision 14,
	// axiomhq/hyperloglog MarshalBinary) over keyed hashes of those
	// numbers; merge sketches of several windows/writers for a distinct
	// count across them.
	ExternalNumbersHLL []byte `parquet:"external_numbers_hll"`
	// Redactions counts redacted spans by PII type (PERSON, PHONE_NUMBER…).
	Redactions map[string]int64 `parquet:"redactions"`
}

func makeRow(start, end time.Time, d Dimensions, other, final bool, m *measures) (Row, error) {
	qs, err := m.durations.GetValuesAtQuantiles([]float64{0.5, 0.9, 0.99})
	if err != nil {
		return Row{}, fmt.Errorf("aggregates: duration quantiles: %w", err)
	}
	hll, err := m.encodeExternals()
	if err != nil {
		return Row{}, err
	}
	red := map[string]int64{}
	for t, n := range m.redactions {
		red[t] = n
	}
	return Row{
		WindowStart: start, WindowEnd: end,
		Direction: d.Direction, Status: d.Status, Language: d.Language,
		CallerCountry: d.CallerCountry, CalleeCountry: d.CalleeCountry,
		IsOther: other, Final: final,
		Calls:                   m.calls,
		DurationTotalSeconds:    m.durationTotal,
		DurationMeanSeconds:     float64(m.durationTotal) / float64(m.calls),
		DurationP50Seconds:      qs[0],
		DurationP90Seconds:      qs[1],
		DurationP99Seconds:      qs[2],
		DurationSketch:          m.encodeDurations(),
		DistinctExternalNumbers: int64(m.externals.Estimate()),
		ExternalNumbersHLL:      hll,
		Redactions:              red,
	}, nil
}

// EncodeParquet writes rows as one Parquet file. Columns are left
// uncompressed: a window's object is small (one row per cell), and plain
// bytes keep the privacy scan over stored objects meaningful (a canary
// cannot hide inside a compressed page).
func EncodeParquet(rows []Row) ([]byte, error) {
	var buf bytes.Buffer
	w := parquet.NewGenericWriter[Row](&buf, parquet.Compression(&parquet.Uncompressed))
	if _, err := w.Write(rows); err != nil {
		return nil, fmt.Errorf("aggregates: encode parquet: %w", err)
	}
	if err := w.Close(); err != nil {
		return nil, fmt.Errorf("aggregates: encode parquet: %w", err)
	}
	return buf.Bytes(), nil
}

// DecodeParquet reads rows written by EncodeParquet.
func DecodeParquet(r io.ReaderAt, size int64) ([]Row, error) {
	rows, err := parquet.Read[Row](r, size)
	if err != nil {
		return nil, fmt.Errorf("aggregates: decode parquet: %w", err)
	}
	return rows, nil
}

// ObjectKey is the deterministic key of one window's object written by one
// writer: rewriting a window (after a crash, or when an early-flushed
// window closes) replaces the object, never adds one. prefix may be "".
//
//	<prefix>/aggregates/v1/dt=2026-01-05/hour=13/20260105T130000Z-3600s-<writer>.parquet
func ObjectKey(prefix string, start time.Time, window time.Duration, writer string) string {
	start = start.UTC()
	return fmt.Sprintf("%saggregates/%s/dt=%s/hour=%02d/%s-%ds-%s.parquet",
		joinPrefix(prefix), SchemaVersion, start.Format("2006-01-02"), start.Hour(),
		start.Format("20060102T150405Z"), int64(window/time.Second), writer)
}

// DataPrefix is where every aggregates object lives (the lifecycle rule's
// filter and the retention listing's scope).
func DataPrefix(prefix string) string {
	return joinPrefix(prefix) + "aggregates/" + SchemaVersion + "/"
}

// StateKey is the key of a writer's checkpoint, overwritten on every
// checkpoint. It lies outside DataPrefix, so retention never expires it and
// consumers reading aggregates/ never see it.
func StateKey(prefix, writer string) string {
	return joinPrefix(prefix) + "_state/" + SchemaVersion + "/" + writer + ".state"
}

func joinPrefix(prefix string) string {
	for len(prefix) > 0 && prefix[len(prefix)-1] == '/' {
		prefix = prefix[:len(prefix)-1]
	}
	if prefix == "" {
		return ""
	}
	return prefix + "/"
}
