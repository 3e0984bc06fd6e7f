package aggregates

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
)

// stateVersion is the checkpoint format version.
const stateVersion = 1

// checkpoint is the JSON form of an Aggregator's open windows. It holds no
// call key and no number: only truncated (64-bit) keyed hashes of call keys
// for dedupe, and sketches over keyed hashes.
type checkpoint struct {
	Version int `json:"version"`
	// SecretFingerprint (64 bits of a keyed hash) ties the checkpoint to
	// the hash secret: dedupe hashes under another secret would not match.
	SecretFingerprint []byte             `json:"secret_fingerprint"`
	WindowSeconds     int64              `json:"window_s"`
	MaxStart          int64              `json:"max_start_unix_s"`
	Windows           []checkpointWindow `json:"windows"`
}

type checkpointWindow struct {
	Start int64 `json:"start_unix_s"`
	// Seen is the dedupe set: 8-byte big-endian truncated keyed hashes of
	// call keys, concatenated (base64 in JSON).
	Seen  []byte            `json:"seen"`
	Cells []json.RawMessage `json:"cells"`
}

type checkpointCell struct {
	Dimensions
	Calls          int64            `json:"calls"`
	DurationTotal  int64            `json:"duration_total_s"`
	DurationSketch []byte           `json:"duration_ddsketch"`
	ExternalsHLL   []byte           `json:"external_numbers_hll"`
	Redactions     map[string]int64 `json:"redactions,omitempty"`
}

// MarshalState encodes the open windows, the dedupe sets and the watermark
// for a checkpoint. The sink checkpoints after every batch, so the cost
// matters: cells untouched since the last checkpoint reuse their cached
// encoding, and the dedupe set is kept in its encoded form.
func (a *Aggregator) MarshalState() ([]byte, error) {
	// The document is assembled by hand around the cached cell encodings:
	// handing json.Marshal a RawMessage would re-scan every cell.
	header, err := json.Marshal(struct {
		Version           int    `json:"version"`
		SecretFingerprint []byte `json:"secret_fingerprint"`
		WindowSeconds     int64  `json:"window_s"`
		MaxStart          int64  `json:"max_start_unix_s"`
	}{stateVersion, secretFingerprint(a.cfg.HashSecret), a.window, a.maxStart})
	if err != nil {
		return nil, fmt.Errorf("aggregates: checkpoint: %w", err)
	}
	// Sized from the previous checkpoint: growing a large buffer step by
	// step cost more than encoding it.
	buf := make([]byte, 0, a.lastStateSize+a.lastStateSize/8+len(header)+64)
	buf = append(append(buf, header[:len(header)-1]...), `,"windows":[`...)
	for i, start := range slices.Sorted(maps.Keys(a.windows)) {
		w := a.windows[start]
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = append(buf, `{"start_unix_s":`...)
		buf = strconv.AppendInt(buf, start, 10)
		buf = append(buf, `,"seen":"`...)
		buf = base64.StdEncoding.AppendEncode(buf, w.seenOrder)
		buf = append(buf, `","cells":[`...)
		for j, d := range w.sortedDimensions() {
			m := w.cells[d]
			if m.checkpointed == nil {
				b, err := m.appendCheckpoint(nil, d)
				if err != nil {
					return nil, err
				}
				m.checkpointed = b
			}
			if j > 0 {
				buf = append(buf, ',')
			}
			buf = append(buf, m.checkpointed...)
		}
		buf = append(buf, "]}"...)
	}
	buf = append(buf, "]}"...)
	a.lastStateSize = len(buf)
	return buf, nil
}

// appendCheckpoint appends the cell as a checkpointCell JSON object. It
// is written by hand because it runs for every cell a batch touched; every
// string in it comes from a fixed ASCII vocabulary (see Dimensions and
// redactionType), so strconv's quoting is valid JSON.
func (m *measures) appendCheckpoint(b []byte, d Dimensions) ([]byte, error) {
	hll, err := m.encodeExternals()
	if err != nil {
		return nil, err
	}
	field := func(name string) { b = append(append(append(b, '"'), name...), `":`...) }
	b = append(b, '{')
	for _, kv := range [...][2]string{{"direction", d.Direction}, {"status", d.Status}, {"language", d.Language},
		{"caller_country", d.CallerCountry}, {"callee_country", d.CalleeCountry}} {
		field(kv[0])
		b = append(strconv.AppendQuoteToASCII(b, kv[1]), ',')
	}
	field("calls")
	b = append(strconv.AppendInt(b, m.calls, 10), ',')
	field("duration_total_s")
	b = append(strconv.AppendInt(b, m.durationTotal, 10), ',')
	field("duration_ddsketch")
	b = append(base64.StdEncoding.AppendEncode(append(b, '"'), m.encodeDurations()), `",`...)
	field("external_numbers_hll")
	b = append(base64.StdEncoding.AppendEncode(append(b, '"'), hll), '"')
	if len(m.redactions) > 0 {
		b = append(b, ',')
		field("redactions")
		b = append(b, '{')
		for i, t := range slices.Sorted(maps.Keys(m.redactions)) {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(strconv.AppendQuoteToASCII(b, t), ':')
			b = strconv.AppendInt(b, m.redactions[t], 10)
		}
		b = append(b, '}')
	}
	return append(b, '}'), nil
}

// RestoreState replaces the Aggregator's windows with a checkpoint written
// by MarshalState under the same window length and hash secret; anything
// else is refused, because folding on would silently miscount.
func (a *Aggregator) RestoreState(b []byte) error {
	var cp checkpoint
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&cp); err != nil {
		return errState("not a checkpoint")
	}
	switch {
	case cp.Version != stateVersion:
		return errState("unsupported version")
	case !bytes.Equal(cp.SecretFingerprint, secretFingerprint(a.cfg.HashSecret)):
		return errState("written under another hash secret")
	case cp.WindowSeconds != a.window:
		return errState("written under another window length")
	}
	windows := make(map[int64]*window, len(cp.Windows))
	for _, cw := range cp.Windows {
		if len(cw.Seen)%8 != 0 || cw.Start != a.windowStart(cw.Start) {
			return errState("malformed window")
		}
		w := &window{seen: make(map[uint64]struct{}, len(cw.Seen)/8), seenOrder: cw.Seen, cells: map[Dimensions]*measures{}}
		for i := 0; i < len(cw.Seen); i += 8 {
			w.seen[binary.BigEndian.Uint64(cw.Seen[i:])] = struct{}{}
		}
		for _, raw := range cw.Cells {
			var c checkpointCell
			if err := json.Unmarshal(raw, &c); err != nil {
				return errState("malformed cell")
			}
			m, err := restoreMeasures(c.Calls, c.DurationTotal, c.DurationSketch, c.ExternalsHLL, c.Redactions)
			if err != nil {
				return err
			}
			w.cells[c.Dimensions] = m
		}
		windows[cw.Start] = w
	}
	a.windows = windows
	a.maxStart = cp.MaxStart
	return nil
}
