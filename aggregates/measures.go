package aggregates

import (
	"fmt"
	"maps"

	"github.com/DataDog/sketches-go/ddsketch"
	"github.com/DataDog/sketches-go/ddsketch/store"
	"github.com/axiomhq/hyperloglog"
)

// DurationSketchAccuracy is the relative accuracy of the duration
// DDSketch: a reported quantile is within 1% of a true duration.
const DurationSketchAccuracy = 0.01

// measures are the mergeable measures of one cell.
type measures struct {
	calls         int64
	durationTotal int64
	durations     *ddsketch.DDSketch
	// externals holds keyed hashes of external numbers; without the hash
	// secret nobody can test whether a number is in it.
	externals  *hyperloglog.Sketch
	redactions map[string]int64
	// checkpointed caches the cell's checkpoint encoding; nil once the
	// cell changes, so a checkpoint re-encodes only the cells a batch
	// touched.
	checkpointed []byte
}

func newMeasures() (*measures, error) {
	d, err := ddsketch.NewDefaultDDSketch(DurationSketchAccuracy)
	if err != nil {
		return nil, fmt.Errorf("aggregates: duration sketch: %w", err)
	}
	return &measures{durations: d, externals: hyperloglog.New14()}, nil
}

// add folds one call in. external is the keyed hash of the external
// number; hasExternal is false when the call has none.
func (m *measures) add(durationSeconds int64, external uint64, hasExternal bool, redactions map[string]int) error {
	if durationSeconds < 0 {
		durationSeconds = 0
	}
	if err := m.durations.Add(float64(durationSeconds)); err != nil {
		return fmt.Errorf("aggregates: duration sketch: %w", err)
	}
	m.checkpointed = nil
	m.calls++
	m.durationTotal += durationSeconds
	if hasExternal {
		m.externals.InsertHash(external)
	}
	for t, n := range redactions {
		if n <= 0 {
			continue
		}
		if m.redactions == nil {
			m.redactions = map[string]int64{}
		}
		m.redactions[redactionType(t)] += int64(n)
	}
	return nil
}

// merge adds o into m; o is left unchanged.
func (m *measures) merge(o *measures) error {
	if err := m.durations.MergeWith(o.durations); err != nil {
		return fmt.Errorf("aggregates: merge duration sketch: %w", err)
	}
	if err := m.externals.Merge(o.externals); err != nil {
		return fmt.Errorf("aggregates: merge distinct sketch: %w", err)
	}
	m.calls += o.calls
	m.durationTotal += o.durationTotal
	for t, n := range o.redactions {
		if m.redactions == nil {
			m.redactions = map[string]int64{}
		}
		m.redactions[t] += n
	}
	return nil
}

func (m *measures) encodeDurations() []byte {
	var b []byte
	m.durations.Encode(&b, false)
	return b
}

func (m *measures) encodeExternals() ([]byte, error) {
	b, err := m.externals.MarshalBinary()
	if err != nil {
		return nil, fmt.Errorf("aggregates: encode distinct sketch: %w", err)
	}
	return b, nil
}

// restoreMeasures rebuilds measures from their checkpointed form.
func restoreMeasures(calls, durationTotal int64, durations, externals []byte, redactions map[string]int64) (*measures, error) {
	d, err := ddsketch.DecodeDDSketch(durations, store.DefaultProvider, nil)
	if err != nil {
		return nil, fmt.Errorf("aggregates: decode duration sketch: %w", err)
	}
	h := hyperloglog.New14()
	if err := h.UnmarshalBinary(externals); err != nil {
		return nil, fmt.Errorf("aggregates: decode distinct sketch: %w", err)
	}
	return &measures{calls: calls, durationTotal: durationTotal, durations: d, externals: h, redactions: maps.Clone(redactions)}, nil
}
