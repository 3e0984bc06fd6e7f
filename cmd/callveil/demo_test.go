package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/segmentio/kafka-go"

	"github.com/callveil/callveil/internal/callgen"
	"github.com/callveil/callveil/internal/embeddedkafka"
)

// `callveil demo --brokers ... --produce-only` writes the generated sample
// traffic to an existing cluster and starts no broker or pipeline: every
// record is in the topics afterwards, and no consumer group has committed.
func TestDemoProduceOnly(t *testing.T) {
	b, err := embeddedkafka.Start(embeddedkafka.Config{
		Topics: []string{demoEvents, demoTranscripts, demoDeadLetters}, Partitions: 3})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	cmd := &DemoCmd{Calls: 12, Seed: 3, Poison: 2, Brokers: b.Addrs(), ProduceOnly: true, OutDir: t.TempDir()}
	g := &globals{ctx: context.Background(), logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if err := cmd.Run(g); err != nil {
		t.Fatal(err)
	}
	want, err := callgen.Generate(callgen.Config{Seed: 3, Calls: 12, Poison: 2})
	if err != nil {
		t.Fatal(err)
	}
	var total int64
	for _, topic := range []string{demoEvents, demoTranscripts} {
		for part := 0; part < 3; part++ {
			conn, err := kafka.DialLeader(context.Background(), "tcp", b.Addrs()[0], topic, part)
			if err != nil {
				t.Fatal(err)
			}
			last, err := conn.ReadLastOffset()
			conn.Close()
			if err != nil {
				t.Fatal(err)
			}
			total += last
		}
	}
	if total != int64(len(want.Messages)) {
		t.Errorf("topics hold %d records, want the %d generated", total, len(want.Messages))
	}
	// Without --brokers, --produce-only is refused with a clear error.
	bad := &DemoCmd{Calls: 1, ProduceOnly: true, OutDir: t.TempDir()}
	if err := bad.Run(g); err == nil {
		t.Error("produce-only without brokers accepted")
	}
}

// The demo's own output keeps no personal value the generator put into its
// transcripts: every PII value labelled in testdata/calls/truth.json (the
// truth of the demo's default traffic, seed 1, 40 calls, 11 poison) is
// absent from every redacted segment of callveil-demo/calls.jsonl, and the
// harmless numbers (prices, times, counts) are still there. Among them are
// answers given in the segment after the question ("can you confirm your
// date of birth?" / "It's October 19, 1998.").
func TestDemoOutputHoldsNoLabelledPII(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "..", "testdata", "calls", "truth.json"))
	if err != nil {
		t.Fatal(err)
	}
	var truth callgen.Truth
	if err := json.Unmarshal(raw, &truth); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	cmd := &DemoCmd{OutDir: out, Calls: truth.Config.Calls, Seed: truth.Config.Seed, Poison: truth.Config.Poison}
	g := &globals{ctx: context.Background(), logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if err := cmd.Run(g); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(out, "calls.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var texts []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var call struct {
			Transcript []struct {
				Text string `json:"text"`
			} `json:"transcript"`
		}
		if err := json.Unmarshal(sc.Bytes(), &call); err != nil {
			t.Fatal(err)
		}
		for _, seg := range call.Transcript {
			texts = append(texts, seg.Text)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	all := strings.Join(texts, "\n")
	pii, harmless := 0, 0
	for _, c := range truth.Calls {
		if c.Transcript == nil {
			continue
		}
		for _, p := range c.Transcript.PII {
			pii++
			if strings.Contains(all, p.Value) {
				t.Errorf("call %d: %s %q of utterance %d is in the demo's output", c.Index, p.Type, p.Value, p.Utterance)
			}
		}
		for _, h := range c.Transcript.Harmless {
			harmless++
			if !strings.Contains(all, h.Value) {
				t.Errorf("call %d: harmless %s %q of utterance %d was redacted", c.Index, h.Kind, h.Value, h.Utterance)
			}
		}
	}
	if pii == 0 || len(texts) == 0 {
		t.Fatalf("nothing checked: %d PII values, %d output segments", pii, len(texts))
	}
	t.Logf("%d PII values absent and %d harmless values kept in %d segments", pii, harmless, len(texts))
}
