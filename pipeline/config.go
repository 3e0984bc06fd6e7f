// Package pipeline wires callveil together: Kafka sources, the stages,
// sinks, dead letters, offset tracking and shutdown.
//
// A record's life: the fetch loop reads it and registers it with the
// OffsetTracker; a parse worker turns it into a call event or transcript;
// the join (in fetch order) pairs events with transcripts; a redact worker
// minimises and redacts the joined call; the delivery loop writes batches to
// every sink; only then are the tokens of every record that went into the
// call marked done, and the committer commits the contiguous done prefix of
// each partition every CommitEvery records or CommitInterval.
//
// pipeline.go holds that loop and reads top-down in the order a record
// travels: Run and its workers, the fetch loop, parsing, the join loop (the
// one goroutine that owns the join), redaction, delivery, the one place
// outcomes are settled (run.settleOutcome), and the commit. The stages it
// calls are in package stages, one file each (detect.go for parsing,
// join.go, prepare_call.go); the sources, each persisting its own progress,
// are in source*.go.
package pipeline

import (
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/callveil/callveil/sinks"
	"github.com/callveil/callveil/stages"
)

// Config configures a Pipeline. Zero values take the documented defaults.
type Config struct {
	// Brokers are Kafka bootstrap addresses.
	Brokers []string
	// Group is the consumer group id. Default "callveil".
	Group string
	// EventsTopic carries call events. Default "calls.events".
	EventsTopic string
	// TranscriptsTopic carries transcripts. Default "calls.transcripts".
	TranscriptsTopic string
	// DeadLetterTopic receives refused records (reason, never payload).
	// Default "calls.deadletter".
	DeadLetterTopic string

	// KeySecret keys call keys and every other hash (≥ 16 bytes). Required.
	KeySecret []byte
	// DefaultRegion parses national-format numbers (ISO 3166, e.g. "DE").
	DefaultRegion string
	// MaxPayloadBytes refuses larger records. Default 1 MiB.
	MaxPayloadBytes int
	// TranscriptCallProvider is the telephony provider of the call ids of
	// transcripts that name none (no call-provider header, no key
	// prefix). Default none: such a transcript joins the call whose
	// provider call id equals its key, whatever the provider; set it only
	// where two providers' call ids could be equal.
	TranscriptCallProvider stages.Provider

	// Join bounds the pending-call state. KeySecret is filled in. Reading a
	// consumer group, the TTL runs on the stream's arrival time (see
	// streamClock in clock.go), other sources on Now.
	Join stages.JoinConfig
	// Redact configures the redaction stage; Redactor is required.
	Redact stages.RedactConfig

	// Sinks receive every redacted call; at least one.
	Sinks []sinks.Sink
	// DeadLetters stores refused records; default: DeadLetterTopic on Brokers.
	DeadLetters DeadLetterSink

	// ParseWorkers and RedactWorkers size the concurrent stages. Defaults 4
	// and 2× GOMAXPROCS.
	ParseWorkers, RedactWorkers int
	// BatchSize is the most calls per sink write. Default 100.
	BatchSize int
	// BatchLinger is how long a partial batch waits for more. Default 50ms.
	BatchLinger time.Duration
	// CommitEvery and CommitInterval: offsets are committed after this many
	// settled records or this much time, whichever comes first, never per
	// record. Defaults 1000 and 1s.
	CommitEvery    int
	CommitInterval time.Duration
	// ShutdownTimeout bounds the drain on shutdown. Default 30s.
	ShutdownTimeout time.Duration
	// RetryBackoff is the first and MaxRetryBackoff the longest wait
	// between attempts of a failed sink or dead-letter write. Defaults
	// 100ms and 10s.
	RetryBackoff, MaxRetryBackoff time.Duration

	// Observer receives value-free events (metrics); default: none.
	Observer Observer
	// Policy may stop a minimised call from going further (objections,
	// deletion tombstones); default: every call goes on.
	Policy CallPolicy

	// Logger receives value-free events only. Default: slog.Default().
	Logger *slog.Logger
	// Now is the clock (tests); default time.Now.
	Now func() time.Time
}

func (c *Config) validate() error {
	def := func(s *string, v string) {
		if *s == "" {
			*s = v
		}
	}
	defInt := func(n *int, v int) {
		if *n == 0 {
			*n = v
		}
	}
	defDur := func(d *time.Duration, v time.Duration) {
		if *d == 0 {
			*d = v
		}
	}
	def(&c.Group, "callveil")
	def(&c.EventsTopic, "calls.events")
	def(&c.TranscriptsTopic, "calls.transcripts")
	def(&c.DeadLetterTopic, "calls.deadletter")
	defInt(&c.MaxPayloadBytes, 1<<20)
	defInt(&c.ParseWorkers, 4)
	defInt(&c.RedactWorkers, 2*gomaxprocs())
	defInt(&c.BatchSize, 100)
	defInt(&c.CommitEvery, 1000)
	defDur(&c.BatchLinger, 50*time.Millisecond)
	defDur(&c.CommitInterval, time.Second)
	defDur(&c.ShutdownTimeout, 30*time.Second)
	defDur(&c.RetryBackoff, 100*time.Millisecond)
	defDur(&c.MaxRetryBackoff, 10*time.Second)
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.Observer == nil {
		c.Observer = nopObserver{}
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	c.Join.KeySecret = c.KeySecret
	switch {
	case len(c.KeySecret) < 16:
		return errors.New("pipeline: key-secret: must be at least 16 bytes")
	case len(c.Sinks) == 0:
		return errors.New("pipeline: sinks: at least one sink is required")
	case c.Redact.Redactor == nil:
		return errors.New("pipeline: redactor: required")
	case c.EventsTopic == c.TranscriptsTopic:
		return errors.New("pipeline: events-topic and transcripts-topic must differ")
	case c.DeadLetterTopic == c.EventsTopic || c.DeadLetterTopic == c.TranscriptsTopic:
		return errors.New("pipeline: deadletter-topic must differ from the input topics")
	}
	for name, n := range map[string]int{"parse-workers": c.ParseWorkers, "redact-workers": c.RedactWorkers, "batch-size": c.BatchSize, "commit-every": c.CommitEvery, "max-payload-bytes": c.MaxPayloadBytes} {
		if n < 0 {
			return fmt.Errorf("pipeline: %s: must be positive", name)
		}
	}
	return nil
}
