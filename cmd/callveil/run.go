package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/callveil/callveil/pipeline"
	"github.com/callveil/callveil/pipeline/monitoring"
	"github.com/callveil/callveil/redact"
	"github.com/callveil/callveil/sinks"
	"github.com/callveil/callveil/stages"
)

// RunCmd is `callveil run`: the streaming service.
type RunCmd struct {
	ServiceConfig `embed:""`
}

// ServiceConfig is the configuration of the streaming service. `run` uses
// it; `config print` shows it, resolved exactly as `run` would resolve it
// (flags over CALLVEIL_* variables over the --config file over defaults).
type ServiceConfig struct {
	BrokersFlag  `embed:""`
	Group        string `name:"group" env:"CALLVEIL_GROUP" default:"callveil" help:"Consumer group id."`
	TopicFlags   `embed:""`
	SinkFlags    `embed:""`
	PrivacyFlags `embed:""`

	KeySecretFlags `embed:""`
	RegionFlag     `embed:""`
	RecordFlags    `embed:""`

	JoinTTL         time.Duration `name:"join-ttl" env:"CALLVEIL_JOIN_TTL" default:"30m" help:"How long a call waits for its missing half after its latest record."`
	JoinMaxPending  int           `name:"join-max-pending" env:"CALLVEIL_JOIN_MAX_PENDING" default:"100000" help:"Most calls held waiting in the join."`
	ParseWorkers    int           `name:"parse-workers" env:"CALLVEIL_PARSE_WORKERS" default:"4" help:"Concurrent parse workers."`
	RedactWorkers   int           `name:"redact-workers" env:"CALLVEIL_REDACT_WORKERS" default:"0" help:"Concurrent redact workers (0: 2×CPUs)."`
	CommitEvery     int           `name:"commit-every" env:"CALLVEIL_COMMIT_EVERY" default:"1000" help:"Commit offsets after this many settled records..."`
	CommitInterval  time.Duration `name:"commit-interval" env:"CALLVEIL_COMMIT_INTERVAL" default:"1s" help:"...or after this long, whichever comes first."`
	ShutdownTimeout time.Duration `name:"shutdown-timeout" env:"CALLVEIL_SHUTDOWN_TIMEOUT" default:"30s" help:"How long in-flight calls may take to drain on SIGTERM."`

	MetricsAddr string `name:"metrics-addr" env:"CALLVEIL_METRICS_ADDR" default:"127.0.0.1:9464" help:"Serve /metrics, /healthz and /readyz on this address (empty: off)."`

	CallProviderFlag `embed:""`
}

// Run starts the service and blocks until SIGINT/SIGTERM or a fatal error.
func (c *RunCmd) Run(g *globals) error {
	if err := c.validate(); err != nil {
		return err
	}
	// A call leaves the join up to join-ttl after its last record; with a
	// shorter lateness its window may already be written, and it would be
	// dropped from the aggregates as late.
	if (c.S3Endpoint != "" || c.AggregatesDir != "") && c.Lateness < c.JoinTTL {
		return fmt.Errorf("aggregate-lateness (%s) must be at least join-ttl (%s)", c.Lateness, c.JoinTTL)
	}
	secret, err := readSecret(c.KeySecret, c.KeySecretFile)
	if err != nil {
		return err
	}
	// Retention and privacy before anything is read: dead letters must
	// have a bounded life, and objections and tombstones must be known
	// before the first call could reach a sink.
	if err := c.EnsureDeadLetterRetention(g.ctx, c.Brokers, c.DeadLetterTopic); err != nil {
		return err
	}
	policy, err := c.OpenPolicy(g.ctx, c.Brokers, secret, g.logger)
	if err != nil {
		return err
	}
	defer policy.Close()
	ss, err := c.SinkFlags.BuildKeyed(g.ctx, g.logger, secret)
	if err != nil {
		return err
	}
	defer closeSinks(ss)
	red, err := redact.New(redact.Config{})
	if err != nil {
		return err
	}
	sinkNames := make([]string, len(ss))
	for i, s := range ss {
		sinkNames[i] = s.Name()
	}
	metrics := monitoring.NewMetrics(monitoring.MetricsConfig{
		Topics: []string{c.EventsTopic, c.TranscriptsTopic, c.DeadLetterTopic}, Sinks: sinkNames})
	cfg := c.pipelineConfig(pipelineDeps{Secret: secret, Redactor: red, Sinks: ss, Logger: g.logger})
	cfg.Observer, cfg.Policy = metrics, policy
	p, err := pipeline.New(cfg)
	if err != nil {
		return err
	}
	stopOps, err := c.serveOps(g, metrics, ss)
	if err != nil {
		return err
	}
	defer stopOps()
	g.logger.Info("callveil running", "brokers", len(c.Brokers), "group", c.Group, "sinks", len(ss), "metrics", c.MetricsAddr != "")
	src, dls, err := p.JoinGroup()
	if err != nil {
		return err
	}
	err = p.Run(g.ctx, src, dls)
	st := p.Stats()
	g.logger.Info("callveil stopped", "records_read", st.RecordsRead.Load(), "calls_delivered", st.CallsDelivered.Load(), "dead_letters", st.DeadLetters.Load())
	return err
}

// pipelineConfig is the service's pipeline: the shared fields, then the
// consumer group, workers and commit cadence.
func (c *ServiceConfig) pipelineConfig(d pipelineDeps) pipeline.Config {
	cfg := pipelineConfig(pipelineParts{Brokers: c.Brokers, Topics: c.TopicFlags, Region: c.RegionFlag, Records: c.RecordFlags,
		Provider: c.CallProviderFlag, Join: stages.JoinConfig{TTL: c.JoinTTL, MaxPending: c.JoinMaxPending}}, d)
	cfg.Group = c.Group
	cfg.ParseWorkers, cfg.RedactWorkers = c.ParseWorkers, c.RedactWorkers
	cfg.CommitEvery, cfg.CommitInterval, cfg.ShutdownTimeout = c.CommitEvery, c.CommitInterval, c.ShutdownTimeout
	return cfg
}

// serveOps serves /metrics, /healthz and /readyz on MetricsAddr until the
// returned stop is called. The listener is opened here, so a taken port
// fails the start instead of going unnoticed.
func (c *ServiceConfig) serveOps(g *globals, metrics *monitoring.Metrics, ss []sinks.Sink) (stop func(), err error) {
	if c.MetricsAddr == "" {
		return func() {}, nil
	}
	lag := monitoring.NewLagCollector(c.Brokers, c.Group, []string{c.EventsTopic, c.TranscriptsTopic}, 3*time.Second)
	metrics.Registry().MustRegister(lag)
	ready, err := monitoring.NewReadiness(monitoring.ReadinessConfig{Brokers: c.Brokers,
		Topics: []string{c.EventsTopic, c.TranscriptsTopic}, Sinks: ss})
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", c.MetricsAddr)
	if err != nil {
		return nil, fmt.Errorf("metrics-addr: cannot listen: %w", errors.Unwrap(err))
	}
	srv := &http.Server{Handler: monitoring.OpsMux(metrics, ready), ReadHeaderTimeout: 5 * time.Second}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			g.logger.Error("metrics server stopped", "error_kind", fmt.Sprintf("%T", err))
		}
	}()
	g.logger.Info("serving metrics and health", "addr", ln.Addr().String())
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
		<-done
		ready.Close()
		lag.Close()
	}, nil
}

// Flag groups shared by `run`, `reprocess` and the privacy commands,
// declared once so their names, variables and defaults cannot drift
// apart. reprocess's and demo's --brokers and reprocess's join flags stay
// their own: their defaults and variables differ on purpose (reprocess
// reads Kafka only when asked, demo uses an embedded broker unless told;
// a bounded run waits less for a missing half).

// BrokersFlag names the Kafka cluster of the service and of the privacy
// commands, so one environment configures both.
type BrokersFlag struct {
	Brokers []string `name:"brokers" env:"CALLVEIL_BROKERS" default:"127.0.0.1:9092" help:"Kafka bootstrap brokers, comma-separated."`
}

// CallProviderFlag tells the join which provider's calls unmarked
// transcripts belong to; needed only where two telephony providers' call
// ids could be equal.
type CallProviderFlag struct {
	TranscriptCallProvider string `name:"transcript-call-provider" env:"CALLVEIL_TRANSCRIPT_CALL_PROVIDER" help:"Telephony provider (sipgate, twilio, aircall) of transcripts that name none by header or key prefix. Default: a transcript joins the call whose provider call id equals its key, whatever the provider; set it only where two providers' call ids could be equal."`
}

// TopicFlags name the service's topics.
type TopicFlags struct {
	EventsTopic      string `name:"events-topic" env:"CALLVEIL_EVENTS_TOPIC" default:"calls.events" help:"Topic of provider call events."`
	TranscriptsTopic string `name:"transcripts-topic" env:"CALLVEIL_TRANSCRIPTS_TOPIC" default:"calls.transcripts" help:"Topic of provider transcripts."`
	DeadLetterTopic  string `name:"deadletter-topic" env:"CALLVEIL_DEADLETTER_TOPIC" default:"calls.deadletter" help:"Topic for refused records (reason codes, no payload; reprocess: without --dry-run)."`
}

// KeySecretFlags give the key secret.
type KeySecretFlags struct {
	KeySecret     string `name:"key-secret" env:"CALLVEIL_KEY_SECRET" help:"Secret keying call keys and every number hash (≥16 bytes); reprocess and the privacy commands need the service's. Prefer the env var or --key-secret-file: flags show in process lists."`
	KeySecretFile string `name:"key-secret-file" env:"CALLVEIL_KEY_SECRET_FILE" type:"path" help:"File holding the key secret."`
}

// RegionFlag is how national-format numbers are read.
type RegionFlag struct {
	DefaultRegion string `name:"default-region" env:"CALLVEIL_DEFAULT_REGION" default:"DE" help:"Region for national-format numbers (ISO 3166)."`
}

// RecordFlags bound and interpret input records.
type RecordFlags struct {
	Language        string `name:"language" env:"CALLVEIL_LANGUAGE" default:"auto" help:"Transcript language (en de fr es it nl pt) or auto to detect per call."`
	MaxPayloadBytes int    `name:"max-payload-bytes" env:"CALLVEIL_MAX_PAYLOAD_BYTES" default:"1048576" help:"Refuse records larger than this."`
}

// readSecret takes the secret from the flag/env value or a file; it never
// echoes the secret in an error.
func readSecret(value, file string) ([]byte, error) {
	if value != "" && file != "" {
		return nil, errors.New("key-secret: give either --key-secret (CALLVEIL_KEY_SECRET) or --key-secret-file, not both")
	}
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("key-secret-file: cannot read the file: %w", errors.Unwrap(err))
		}
		value = strings.TrimSpace(string(b))
	}
	if value == "" {
		return nil, errors.New("key-secret: required (set CALLVEIL_KEY_SECRET or --key-secret-file)")
	}
	if len(value) < 16 {
		return nil, errors.New("key-secret: must be at least 16 bytes")
	}
	return []byte(value), nil
}

func closeSinks(ss []sinks.Sink) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for _, s := range ss {
		s.Close(ctx)
	}
}
