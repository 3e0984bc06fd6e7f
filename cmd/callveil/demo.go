package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/callveil/callveil/internal/callgen"
	"github.com/callveil/callveil/internal/embeddedkafka"
	"github.com/callveil/callveil/pipeline"
	"github.com/callveil/callveil/redact"
	"github.com/callveil/callveil/sinks"
	"github.com/callveil/callveil/sinks/objectstore"
	"github.com/callveil/callveil/stages"
)

// DemoCmd is `callveil demo`: the whole pipeline on generated sample
// traffic, against an in-process Kafka-protocol broker. No server, no flag.
//
// With --brokers it uses a real cluster instead of the embedded broker, and
// with --produce-only it only produces the sample traffic there, for a
// `callveil run` (docker-compose.yml) to consume.
type DemoCmd struct {
	OutDir      string   `name:"out-dir" default:"./callveil-demo" help:"Where the demo writes its output."`
	Calls       int      `name:"calls" default:"40" help:"Number of sample calls."`
	Seed        int64    `name:"seed" default:"1" help:"Seed of the sample traffic."`
	Brokers     []string `name:"brokers" env:"CALLVEIL_DEMO_BROKERS" help:"Use this Kafka cluster instead of the embedded broker (topics must exist)."`
	ProduceOnly bool     `name:"produce-only" help:"Only produce the sample traffic to --brokers and exit; a running 'callveil run' consumes it."`
	Poison      int      `name:"poison" default:"11" help:"Number of poison records (malformed, audio, oversized...) mixed in; they become dead letters."`
}

const (
	demoEvents      = "calls.events"
	demoTranscripts = "calls.transcripts"
	demoDeadLetters = "calls.deadletter"
	// demoSecret keys the demo's call keys. A real deployment sets its own.
	demoSecret = "callveil-demo-key-secret-not-for-production"
)

// Run produces the sample traffic, runs the pipeline until every record is
// settled, and prints a summary.
func (c *DemoCmd) Run(g *globals) error {
	start := time.Now()
	ctx, cancel := context.WithTimeout(g.ctx, 5*time.Minute)
	defer cancel()
	if c.ProduceOnly && len(c.Brokers) == 0 {
		return errors.New("produce-only: needs --brokers (the cluster to produce to)")
	}

	brokers := c.Brokers
	if len(brokers) == 0 {
		broker, err := embeddedkafka.Start(embeddedkafka.Config{
			Topics: []string{demoEvents, demoTranscripts, demoDeadLetters}, Partitions: 3,
		})
		if err != nil {
			return err
		}
		defer broker.Close()
		brokers = broker.Addrs()
	}

	traffic, err := callgen.Generate(callgen.Config{Seed: c.Seed, Calls: c.Calls, Poison: c.Poison})
	if err != nil {
		return err
	}
	if err := produceTraffic(ctx, brokers, traffic.Messages); err != nil {
		return fmt.Errorf("demo: produce: %w", err)
	}
	if c.ProduceOnly {
		fmt.Printf("callveil demo: produced %d records (%d calls, %d poison) to %s and %s\n",
			len(traffic.Messages), len(traffic.Calls), len(traffic.Poison), demoEvents, demoTranscripts)
		return nil
	}

	if err := os.RemoveAll(c.OutDir); err != nil {
		return err
	}
	fileSink, err := sinks.NewFileSink(sinks.FileSinkConfig{Dir: c.OutDir})
	if err != nil {
		return err
	}
	defer fileSink.Close(context.Background())
	// Aggregates go to the same directory as Parquet files, exactly as they
	// would go to a bucket. The sample calls are all on one morning, so the
	// k-anonymity threshold (5) merges most cells into the "other" row.
	aggSink, err := objectstore.New(ctx, objectstore.Config{Dir: c.OutDir, WriterID: "demo", HashSecret: []byte(demoSecret)})
	if err != nil {
		return err
	}
	red, err := redact.New(redact.Config{})
	if err != nil {
		return err
	}
	p, err := pipeline.New(demoPipelineConfig(brokers, red, []sinks.Sink{fileSink, aggSink}, g.logger))
	if err != nil {
		return err
	}
	src, dls, err := p.JoinGroup()
	if err != nil {
		return err
	}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- p.Run(runCtx, src, dls) }()
	waitErr := waitSettled(ctx, p, int64(len(traffic.Messages)), done)
	stop()
	if err := <-done; err != nil {
		return err
	}
	if waitErr != nil {
		return waitErr
	}

	dlPath := filepath.Join(c.OutDir, "deadletters.jsonl")
	nDL, err := pipeline.CopyDeadLetterTopic(ctx, brokers, demoDeadLetters, dlPath)
	if err != nil {
		return err
	}
	st := p.Stats()
	fmt.Printf("callveil demo: %d records in (%d calls, %d poison), %d calls out, %d dead letters, %s\n",
		st.RecordsRead.Load(), len(traffic.Calls), len(traffic.Poison), st.CallsDelivered.Load(), nDL, time.Since(start).Round(time.Millisecond))
	// Close writes the open windows, so the aggregates are complete below.
	if err := aggSink.Close(ctx); err != nil {
		return err
	}
	fmt.Printf("  redacted calls: %s\n  dead letters:   %s\n  aggregates:     %s\n", fileSink.Path(), dlPath, filepath.Join(c.OutDir, "aggregates"))
	return nil
}

// demoPipelineConfig is the demo's pipeline: the shared fields from the
// demo's fixed topics and secret (other settings at the pipeline's
// defaults), its own group and a quick commit cadence.
func demoPipelineConfig(brokers []string, red *redact.Redactor, ss []sinks.Sink, logger *slog.Logger) pipeline.Config {
	cfg := pipelineConfig(pipelineParts{
		Brokers: brokers,
		Topics:  TopicFlags{EventsTopic: demoEvents, TranscriptsTopic: demoTranscripts, DeadLetterTopic: demoDeadLetters},
		// The sample calls are all in the past: wait only briefly for a
		// missing transcript.
		Join: stages.JoinConfig{TTL: 2 * time.Second},
	}, pipelineDeps{Secret: []byte(demoSecret), Redactor: red, Sinks: ss, Logger: logger})
	cfg.Group, cfg.CommitInterval = "callveil-demo", 200*time.Millisecond
	return cfg
}

// produceTraffic writes the messages with the same key-hash partitioner on
// both topics, so a call's events and transcript share a partition number.
func produceTraffic(ctx context.Context, brokers []string, msgs []callgen.Message) error {
	return callgen.Produce(ctx, brokers, callgen.Topics{Events: demoEvents, Transcripts: demoTranscripts}, msgs)
}

// waitSettled returns once the pipeline has read want records and settled
// them all (delivered or dead-lettered), or when the pipeline stops.
func waitSettled(ctx context.Context, p *pipeline.Pipeline, want int64, done <-chan error) error {
	t := time.NewTicker(50 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return errors.New("demo: timed out before every record was settled")
		case err := <-done:
			if err == nil {
				err = errors.New("demo: pipeline stopped early")
			}
			return err
		case <-t.C:
			if p.Stats().RecordsRead.Load() >= want && p.InFlight() == 0 {
				return nil
			}
		}
	}
}
