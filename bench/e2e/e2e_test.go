package main

import (
	"bytes"
	"context"
	"encoding/xml"
	"math"
	"strings"
	"testing"
)

// The CI-sized run: every record is consumed by the baseline and settled
// by the pipeline at each worker count, every call is delivered, the CPU
// profile is attributed to the pipeline's stages, and both outputs are
// well-formed.
func TestE2EShort(t *testing.T) {
	rep, err := Run(context.Background(), Short(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Raw.Records != rep.Traffic.Records {
		t.Errorf("raw consumer read %d of %d records", rep.Raw.Records, rep.Traffic.Records)
	}
	if len(rep.Pipeline) != len(Short().Workers) {
		t.Fatalf("%d pipeline runs, want %d", len(rep.Pipeline), len(Short().Workers))
	}
	for _, m := range rep.Pipeline {
		if m.Calls < rep.Traffic.Calls {
			t.Errorf("%d workers: %d calls delivered of %d", m.Workers, m.Calls, rep.Traffic.Calls)
		}
		if m.CallsPerSec() <= 0 || m.PeakHeap == 0 {
			t.Errorf("%d workers: no measurement: %+v", m.Workers, m)
		}
	}
	// The mix is the realistic one: all providers, all languages.
	for _, p := range []string{"sipgate", "twilio", "aircall", "aws", "deepgram", "assemblyai"} {
		found := false
		for shape := range rep.Traffic.Shapes {
			if strings.HasPrefix(shape, p) {
				found = true
			}
		}
		if !found {
			t.Errorf("no %s records in the traffic: %v", p, rep.Traffic.Shapes)
		}
	}
	if len(rep.Traffic.Languages) != 7 {
		t.Errorf("transcripts in %d languages, want 7: %v", len(rep.Traffic.Languages), rep.Traffic.Languages)
	}
	sum := 0.0
	stages := map[string]float64{}
	for _, s := range rep.CPUShares {
		sum += s.Share
		stages[s.Stage] = s.Share
	}
	if math.Abs(sum-1) > 1e-9 {
		t.Errorf("CPU shares sum to %v", sum)
	}
	for _, st := range []string{"parse", "redact"} {
		if stages[st] <= 0 {
			t.Errorf("no CPU charged to %s: %v", st, stages)
		}
	}
	var md, svg bytes.Buffer
	rep.WriteMarkdown(&md)
	rep.WriteSVG(&svg)
	if !strings.Contains(md.String(), "| redact workers | calls/s |") || !strings.Contains(md.String(), "| parse |") {
		t.Errorf("markdown lacks its tables:\n%s", md.String())
	}
	if err := xml.Unmarshal(svg.Bytes(), new(struct{ XMLName xml.Name })); err != nil {
		t.Errorf("SVG is not well-formed XML: %v", err)
	}
	t.Logf("\n%s", md.String())
}
