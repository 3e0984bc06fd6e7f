package stages

import (
	"bytes"
	"encoding/json"
	"math"
)

// MarshalJSON writes a segment with Start and End rounded to milliseconds:
// providers give times to the millisecond at best, and float sums such as
// 12.3+3.147 would otherwise be written as 15.447000000000001. Every sink
// that serialises segments (the file sink, the CRM) goes through here.
func (s Segment) MarshalJSON() ([]byte, error) {
	type plain Segment // without this method
	p := plain(s)
	p.Start, p.End = roundMillis(s.Start), roundMillis(s.End)
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	// The caller's encoder decides on HTML escaping of the result.
	enc.SetEscapeHTML(false)
	if err := enc.Encode(p); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

func roundMillis(sec float64) float64 { return math.Round(sec*1000) / 1000 }
