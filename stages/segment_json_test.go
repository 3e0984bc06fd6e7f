package stages

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func TestSegmentTimesSerialiseToMilliseconds(t *testing.T) {
	// Variables, not constants: Go folds constant sums exactly.
	start, length, tenth, fifth := 12.3, 3.147, 0.1, 0.2
	if start+length == 15.447 || tenth+fifth == 0.3 {
		t.Fatal("the float sums are exact here; the test would prove nothing")
	}
	call := RedactedCall{Call: Call{Key: "k"}, Transcript: []Segment{
		{Speaker: "agent", Start: start, End: start + length, Text: "a <b> & c"},
		{Speaker: "caller", Start: tenth + fifth, End: 1.0004999, Text: "x"},
	}}
	b, err := json.Marshal(call)
	if err != nil {
		t.Fatal(err)
	}
	got := string(b)
	for _, want := range []string{
		`{"speaker":"agent","start":12.3,"end":15.447,"text":"a \u003cb\u003e \u0026 c"}`,
		`{"speaker":"caller","start":0.3,"end":1,"text":"x"}`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("serialised call lacks %s:\n%s", want, got)
		}
	}
	// An encoder that does not escape HTML gets the text as it is.
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(call.Transcript[0]); err != nil {
		t.Fatal(err)
	}
	if want := `{"speaker":"agent","start":12.3,"end":15.447,"text":"a <b> & c"}` + "\n"; buf.String() != want {
		t.Errorf("got %s, want %s", buf.String(), want)
	}
	// Reading back gives the rounded times.
	var back RedactedCall
	if err := json.Unmarshal(b, &back); err != nil || back.Transcript[0].End != 15.447 {
		t.Errorf("read back %+v, %v", back.Transcript, err)
	}
}
