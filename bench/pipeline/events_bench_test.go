// Package pipeline_bench measures the streaming pipeline on the events
// topic against the raw cost of reading that topic with kafka-go, both in
// the same process and over the same broker, so the ratio holds on a
// shared, noisy machine where absolute figures do not.
//
//	go test -run '^$' -bench EventsTopic -benchtime 3x ./bench/pipeline
package pipeline_bench

import (
	"context"
	"io"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/callveil/callveil/internal/callgen"
	"github.com/callveil/callveil/internal/embeddedkafka"
	"github.com/callveil/callveil/pipeline"
	"github.com/callveil/callveil/redact"
	"github.com/callveil/callveil/sinks"
	"github.com/callveil/callveil/stages"
)

const eventsTopic, transcriptsTopic, deadLetterTopic = "calls.events", "calls.transcripts", "calls.deadletter"

var secret = []byte("bench-pipeline-secret-0123456789")

// discardSink accepts every call, so the figure is the pipeline's own cost.
type discardSink struct{ calls atomic.Int64 }

func (s *discardSink) Name() string { return "discard" }
func (s *discardSink) Write(_ context.Context, b []stages.RedactedCall) error {
	s.calls.Add(int64(len(b)))
	return nil
}
func (s *discardSink) Close(context.Context) error { return nil }

// eventsTraffic produces call events only (all three telephony providers).
func eventsTraffic(b *testing.B, brokers []string, calls int) int {
	b.Helper()
	tr, err := callgen.Generate(callgen.Config{Seed: 99, Calls: calls, TranscriptShare: -1,
		Providers: []stages.Provider{stages.ProviderSipgate, stages.ProviderTwilio, stages.ProviderAircall}})
	if err != nil {
		b.Fatal(err)
	}
	w := &kafka.Writer{Addr: kafka.TCP(brokers...), Topic: eventsTopic, Balancer: &kafka.Hash{},
		BatchTimeout: time.Millisecond, BatchSize: 1000, BatchBytes: 32 << 20}
	defer w.Close()
	// The writer names the topic; the messages must not.
	msgs := callgen.Topics{}.KafkaMessages(tr.Messages)
	if err := w.WriteMessages(context.Background(), msgs...); err != nil {
		b.Fatal(err)
	}
	return len(msgs)
}

// rawFetch reads n records with a consumer-group reader, as the pipeline's
// source does, and returns how long it took.
func rawFetch(b *testing.B, brokers []string, group string, n int) time.Duration {
	r := kafka.NewReader(kafka.ReaderConfig{Brokers: brokers, GroupID: group,
		GroupTopics: []string{eventsTopic, transcriptsTopic}, MinBytes: 1, MaxBytes: 16 << 20,
		MaxWait: 250 * time.Millisecond, StartOffset: kafka.FirstOffset})
	defer r.Close()
	start := time.Now()
	for i := 0; i < n; i++ {
		if _, err := r.FetchMessage(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
	return time.Since(start)
}

// pipelineRun runs the whole pipeline until all n records are settled.
func pipelineRun(b *testing.B, brokers []string, group string, n int, red *redact.Redactor) time.Duration {
	sink := &discardSink{}
	p, err := pipeline.New(pipeline.Config{Brokers: brokers, Group: group,
		EventsTopic: eventsTopic, TranscriptsTopic: transcriptsTopic, DeadLetterTopic: deadLetterTopic,
		KeySecret: secret,
		// Events-only traffic: a short wait for transcripts that never come.
		Join:   stages.JoinConfig{TTL: 20 * time.Millisecond},
		Redact: stages.RedactConfig{Redactor: red}, Sinks: []sinks.Sink{sink},
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		b.Fatal(err)
	}
	src, dls, err := p.JoinGroup()
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	start := time.Now()
	go func() { done <- p.Run(ctx, src, dls) }()
	for p.Stats().RecordsRead.Load() < int64(n) || p.InFlight() > 0 {
		time.Sleep(time.Millisecond)
	}
	took := time.Since(start)
	cancel()
	if err := <-done; err != nil {
		b.Fatal(err)
	}
	return took
}

func BenchmarkEventsTopicVsRawFetch(b *testing.B) {
	broker, err := embeddedkafka.Start(embeddedkafka.Config{
		Topics: []string{eventsTopic, transcriptsTopic, deadLetterTopic}, Partitions: 3})
	if err != nil {
		b.Fatal(err)
	}
	defer broker.Close()
	calls := 3000
	if testing.Short() {
		calls = 300
	}
	n := eventsTraffic(b, broker.Addrs(), calls)
	red, err := redact.New(redact.Config{})
	if err != nil {
		b.Fatal(err)
	}
	var raw, pipe time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		// Alternate the two in one iteration so both see the same load.
		raw += rawFetch(b, broker.Addrs(), "raw-"+itoa(i), n)
		pipe += pipelineRun(b, broker.Addrs(), "pipe-"+itoa(i), n, red)
	}
	rawRate := float64(n*b.N) / raw.Seconds()
	pipeRate := float64(n*b.N) / pipe.Seconds()
	b.ReportMetric(rawRate, "raw_records/s")
	b.ReportMetric(pipeRate, "pipeline_records/s")
	b.ReportMetric(pipeRate/rawRate, "ratio")
}

func itoa(i int) string {
	const digits = "0123456789"
	if i < 10 {
		return digits[i : i+1]
	}
	return itoa(i/10) + digits[i%10:i%10+1]
}
