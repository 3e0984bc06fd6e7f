package main

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"github.com/segmentio/kafka-go"

	"github.com/callveil/callveil/internal/callgen"
	"github.com/callveil/callveil/pipeline"
)

// `callveil demo --brokers ... --produce-only` writes the generated sample
// traffic to an existing cluster and starts no broker or pipeline: every
// record is in the topics afterwards, and no consumer group has committed.
func TestDemoProduceOnly(t *testing.T) {
	b, err := pipeline.StartEmbeddedBroker(pipeline.EmbeddedBrokerConfig{
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
