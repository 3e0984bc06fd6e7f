package aggregates

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"hash"
	"maps"
	"slices"
	"time"

	"github.com/callveil/callveil/stages"
)

// Domain-separation labels for the keyed hashes: the same secret keys the
// call-key HMAC upstream, and these labels keep the aggregates' hashes from
// ever equalling (or being joinable with) that one.
const (
	labelDedupe      = "callveil/aggregates/v1/dedupe\x00"
	labelExternal    = "callveil/aggregates/v1/external-number\x00"
	labelFingerprint = "callveil/aggregates/v1/secret-fingerprint\x00"
)

// Outcome says what Add did with a call.
type Outcome int

const (
	// Added: the call was counted in its window.
	Added Outcome = iota + 1
	// Duplicate: the call was already counted in its (open) window; a
	// redelivery, absorbed.
	Duplicate
	// Late: the call's window had already closed (its end is at or before
	// the watermark); the call is not counted. Redeliveries of calls whose
	// window has been written land here too.
	Late
	// Provisional: the call went out as soon as its end was known, before
	// its transcript (stages.RedactedCall.Provisional); it is counted when
	// it goes out complete (with its transcript, or at the join's TTL
	// without), so that the dimensions only a transcript brings (the
	// language, the redaction counts) count too, and the call once.
	Provisional
)

// Stats are in-process counters, safe to log and export as metrics.
type Stats struct {
	Added, Duplicates, Late int64
}

// window is one open window: the cells and the truncated keyed hashes of
// the call keys counted in it (the dedupe set).
type window struct {
	seen map[uint64]struct{}
	// seenOrder is the dedupe set as checkpointed: 8-byte big-endian
	// hashes in the order they were added (append-only, so a checkpoint
	// costs a copy, not a sort).
	seenOrder []byte
	cells     map[Dimensions]*measures
	// sorted lists the cells' dimensions in order (built on first use,
	// then kept sorted by insertion).
	sorted []Dimensions
}

func (w *window) sortedDimensions() []Dimensions {
	if w.sorted == nil {
		w.sorted = slices.SortedFunc(maps.Keys(w.cells), compareDimensions)
	}
	return w.sorted
}

func compareDimensions(x, y Dimensions) int {
	switch {
	case x.less(y):
		return -1
	case y.less(x):
		return 1
	}
	return 0
}

// Aggregator folds calls into windows. It is not safe for concurrent use:
// the sink that owns it calls it from one goroutine (sinks.Sink's contract).
type Aggregator struct {
	cfg    Config
	window int64 // seconds
	// maxStart is the latest call start counted (Unix seconds); the
	// watermark is maxStart - Lateness. Zero before the first call.
	maxStart int64
	windows  map[int64]*window
	stats    Stats
	// Keyed hashers, reused (Reset) so that a call costs no allocation of
	// a new HMAC state.
	dedupeMAC, externalMAC hash.Hash
	sum                    []byte
	// lastStateSize sizes the next checkpoint's buffer.
	lastStateSize int
}

// New builds an Aggregator from cfg, applying defaults and validating.
func New(cfg Config) (*Aggregator, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	return &Aggregator{
		cfg:         cfg,
		window:      int64(cfg.Window / time.Second),
		windows:     map[int64]*window{},
		dedupeMAC:   hmac.New(sha256.New, cfg.HashSecret),
		externalMAC: hmac.New(sha256.New, cfg.HashSecret),
		sum:         make([]byte, 0, sha256.Size),
	}, nil
}

// Config returns the configuration in force, defaults applied.
func (a *Aggregator) Config() Config { return a.cfg }

// Stats returns the counters since New.
func (a *Aggregator) Stats() Stats { return a.stats }

func (a *Aggregator) keyed(mac hash.Hash, label, value string) uint64 {
	mac.Reset()
	mac.Write([]byte(label))
	mac.Write([]byte(value))
	a.sum = mac.Sum(a.sum[:0])
	return binary.BigEndian.Uint64(a.sum)
}

// windowStart is the start (Unix seconds) of the window holding t.
func (a *Aggregator) windowStart(unix int64) int64 {
	m := unix % a.window
	if m < 0 {
		m += a.window
	}
	return unix - m
}

// due reports whether the window starting at start has closed: its end is
// at or before the watermark.
func (a *Aggregator) due(start int64) bool {
	if a.maxStart == 0 {
		return false
	}
	return start+a.window <= a.maxStart-int64(a.cfg.Lateness/time.Second)
}

// Add folds one call into its window. Invalid calls (no key, no start, a
// start too far in the future) are refused with a *stages.Error that names
// only the field.
func (a *Aggregator) Add(c *stages.RedactedCall) (Outcome, error) {
	if c.Provisional {
		return Provisional, nil
	}
	if c.Key == "" {
		return 0, stages.NewError(stages.ReasonMissingField, "", "call_key", "aggregates need a call key to count a call once")
	}
	if c.Start.IsZero() {
		return 0, stages.NewError(stages.ReasonMissingField, "", "start", "aggregates need a start time")
	}
	if c.Start.After(a.cfg.Now().Add(MaxFutureSkew)) {
		return 0, stages.NewError(stages.ReasonInvalidField, "", "start", "start is more than 1h after the clock")
	}
	unix := c.Start.Unix()
	start := a.windowStart(unix)
	if a.due(start) {
		a.stats.Late++
		return Late, nil
	}
	w := a.windows[start]
	if w == nil {
		w = &window{seen: map[uint64]struct{}{}, cells: map[Dimensions]*measures{}}
		a.windows[start] = w
	}
	id := a.keyed(a.dedupeMAC, labelDedupe, c.Key)
	if _, ok := w.seen[id]; ok {
		a.stats.Duplicates++
		return Duplicate, nil
	}
	dims := dimensionsOf(c)
	m := w.cells[dims]
	if m == nil {
		var err error
		if m, err = newMeasures(); err != nil {
			return 0, err
		}
		w.cells[dims] = m
		if w.sorted != nil {
			i, _ := slices.BinarySearchFunc(w.sorted, dims, compareDimensions)
			w.sorted = slices.Insert(w.sorted, i, dims)
		}
	}
	var ext uint64
	number := externalNumber(c)
	if number != "" {
		ext = a.keyed(a.externalMAC, labelExternal, number)
	}
	if err := m.add(c.DurationSeconds, ext, number != "", c.Redactions); err != nil {
		return 0, err
	}
	w.seen[id] = struct{}{}
	w.seenOrder = binary.BigEndian.AppendUint64(w.seenOrder, id)
	if unix > a.maxStart {
		a.maxStart = unix
	}
	a.stats.Added++
	return Added, nil
}

// externalNumber is the number of the party outside the company: the
// caller of an inbound call, the callee of an outbound one. Calls of
// unknown direction count towards no distinct number, rather than guess.
func externalNumber(c *stages.RedactedCall) string {
	switch c.Direction {
	case stages.DirectionInbound:
		return c.From
	case stages.DirectionOutbound:
		return c.To
	}
	return ""
}

// Watermark is the current watermark (zero before the first call):
// windows ending at or before it are closed.
func (a *Aggregator) Watermark() time.Time {
	if a.maxStart == 0 {
		return time.Time{}
	}
	return time.Unix(a.maxStart, 0).UTC().Add(-a.cfg.Lateness)
}

// Due lists the starts of open windows that have closed and should be
// written and dropped, oldest first.
func (a *Aggregator) Due() []time.Time {
	var out []time.Time
	for s := range a.windows {
		if a.due(s) {
			out = append(out, time.Unix(s, 0).UTC())
		}
	}
	slices.SortFunc(out, func(x, y time.Time) int { return x.Compare(y) })
	return out
}

// Open lists the starts of every window in memory, oldest first.
func (a *Aggregator) Open() []time.Time {
	out := make([]time.Time, 0, len(a.windows))
	for s := range a.windows {
		out = append(out, time.Unix(s, 0).UTC())
	}
	slices.SortFunc(out, func(x, y time.Time) int { return x.Compare(y) })
	return out
}

// Drop forgets a window once it has been written as final.
func (a *Aggregator) Drop(start time.Time) { delete(a.windows, start.Unix()) }

// Rows returns the rows of the window starting at start, k-anonymity
// applied: cells with at least K calls as they are, sorted by dimensions;
// the others merged into one "other" row, which is dropped (suppressed)
// when it still has fewer than K calls. final marks rows of a window that
// has closed; a window flushed early (Close) is written with final=false
// and rewritten under the same key when it closes. It returns no rows for a
// window that is not open, or whose cells are all suppressed.
func (a *Aggregator) Rows(start time.Time, final bool) ([]Row, error) {
	w := a.windows[start.Unix()]
	if w == nil {
		return nil, nil
	}
	dims := w.sortedDimensions()
	end := start.Add(a.cfg.Window)
	var rows []Row
	var small *measures
	for _, d := range dims {
		m := w.cells[d]
		if m.calls >= int64(a.cfg.K) {
			r, err := makeRow(start, end, d, false, final, m)
			if err != nil {
				return nil, err
			}
			rows = append(rows, r)
			continue
		}
		if small == nil {
			var err error
			if small, err = newMeasures(); err != nil {
				return nil, err
			}
		}
		if err := small.merge(m); err != nil {
			return nil, err
		}
	}
	if small != nil && small.calls >= int64(a.cfg.K) {
		r, err := makeRow(start, end, otherDimensions(), true, final, small)
		if err != nil {
			return nil, err
		}
		rows = append(rows, r)
	}
	return rows, nil
}

// secretFingerprint identifies the hash secret in checkpoints without
// revealing it, so that a restart with another secret (whose dedupe hashes
// would not match) is caught instead of double counting.
func secretFingerprint(secret []byte) []byte {
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(labelFingerprint))
	return mac.Sum(nil)[:8]
}

func errState(detail string) error { return fmt.Errorf("aggregates: checkpoint: %s", detail) }
