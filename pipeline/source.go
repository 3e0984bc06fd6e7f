package pipeline

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/callveil/callveil/stages"
)

// Source is where records come from: a consumer group (the service), a
// bounded Kafka range or files (reprocessing).
type Source interface {
	// Fetch returns the next record, blocking until one is there. A
	// bounded source returns io.EOF once every record was handed out.
	// Called by the fetch loop only. Record.Topic, Partition and Offset
	// identify the record's position for Commit; offsets must grow within
	// a partition, except after a rewind (see OffsetTracker).
	Fetch(ctx context.Context) (stages.Record, error)
	// Commit makes the positions durable: for each partition, every record
	// before Offset is settled. Called by the committer only, never
	// concurrently with itself.
	Commit(ctx context.Context, cs []Commit) error
	// Close releases the source after the last Commit.
	Close() error
}

// KafkaGroupSource reads the events and transcripts topics as a member of
// a consumer group and commits to the group.
type KafkaGroupSource struct {
	reader *kafka.Reader
}

// NewKafkaGroupSource joins the group described by cfg.
func NewKafkaGroupSource(cfg Config) (*KafkaGroupSource, error) {
	if len(cfg.Brokers) == 0 {
		return nil, errors.New("pipeline: brokers: at least one broker address is required")
	}
	return &KafkaGroupSource{reader: kafka.NewReader(kafka.ReaderConfig{
		Brokers:     cfg.Brokers,
		GroupID:     cfg.Group,
		GroupTopics: []string{cfg.EventsTopic, cfg.TranscriptsTopic},
		MinBytes:    1,
		// A fetch must fit the largest record we may meet, even one we
		// then refuse as too large, or the partition would stall.
		MaxBytes:       max(16<<20, 2*cfg.MaxPayloadBytes),
		MaxWait:        250 * time.Millisecond,
		StartOffset:    kafka.FirstOffset,
		CommitInterval: 0, // commits are ours: only contiguous settled prefixes
		// One member gets the same partition numbers of both topics, so a
		// call's event and transcript, keyed alike and produced with the
		// same partitioner, meet in one instance (see CoPartitionBalancer
		// for why the range balancer alone does not guarantee it).
		GroupBalancers:    []kafka.GroupBalancer{CoPartitionBalancer{}, kafka.RangeGroupBalancer{}},
		HeartbeatInterval: time.Second,
		SessionTimeout:    10 * time.Second,
		RebalanceTimeout:  10 * time.Second,
		ReadBackoffMin:    10 * time.Millisecond,
		ReadBackoffMax:    500 * time.Millisecond,
	})}, nil
}

// Fetch implements Source.
func (s *KafkaGroupSource) Fetch(ctx context.Context) (stages.Record, error) {
	m, err := s.reader.FetchMessage(ctx)
	if err != nil {
		return stages.Record{}, fmt.Errorf("pipeline: fetch: %w", err)
	}
	return RecordOf(m), nil
}

// Commit implements Source.
func (s *KafkaGroupSource) Commit(ctx context.Context, cs []Commit) error {
	msgs := make([]kafka.Message, len(cs))
	for i, c := range cs {
		// CommitMessages stores Offset+1 as the next offset to read.
		msgs[i] = kafka.Message{Topic: c.Topic, Partition: c.Partition, Offset: c.Offset - 1}
	}
	return s.reader.CommitMessages(ctx, msgs...)
}

// Close implements Source.
func (s *KafkaGroupSource) Close() error { return s.reader.Close() }

// Lag is the reader's lag as last seen (for metrics).
func (s *KafkaGroupSource) Lag() int64 { return s.reader.Stats().Lag }

// RecordOf turns a Kafka message into a stages.Record, reading the
// provider headers.
func RecordOf(m kafka.Message) stages.Record {
	rec := stages.Record{Topic: m.Topic, Partition: m.Partition, Offset: m.Offset, Key: m.Key, Value: m.Value, Time: m.Time}
	for _, h := range m.Headers {
		switch h.Key {
		case "provider":
			rec.Provider = stages.Provider(h.Value)
		case "call-provider":
			rec.CallProvider = stages.Provider(h.Value)
		}
	}
	return rec
}
