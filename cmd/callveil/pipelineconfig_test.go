package main

import (
	"io"
	"log/slog"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/callveil/callveil/pipeline"
	"github.com/callveil/callveil/redact"
	"github.com/callveil/callveil/sinks"
	"github.com/callveil/callveil/stages"
)

// sharedFields are the pipeline.Config fields every command sets from the
// same flags (demo: from its fixed settings).
type sharedFields struct {
	Brokers                                        []string
	EventsTopic, TranscriptsTopic, DeadLetterTopic string
	KeySecret                                      string
	DefaultRegion                                  string
	MaxPayloadBytes                                int
	Join                                           stages.JoinConfig
	Language                                       string
	Redactor                                       *redact.Redactor
	Sinks                                          []sinks.Sink
	Logger                                         *slog.Logger
	Provider                                       stages.Provider
}

func sharedOf(c pipeline.Config) sharedFields {
	return sharedFields{
		Brokers: c.Brokers, EventsTopic: c.EventsTopic, TranscriptsTopic: c.TranscriptsTopic, DeadLetterTopic: c.DeadLetterTopic,
		KeySecret: string(c.KeySecret), DefaultRegion: c.DefaultRegion, MaxPayloadBytes: c.MaxPayloadBytes,
		Join: c.Join, Language: c.Redact.Language, Redactor: c.Redact.Redactor, Sinks: c.Sinks, Logger: c.Logger,
		Provider: c.TranscriptCallProvider,
	}
}

// TestPipelineConfigSharedFieldsAgree parses the same shared flags for run
// and reprocess and checks both pipelines get them in the same fields,
// and that demo's pipeline gets its fixed settings through the same path.
func TestPipelineConfigSharedFieldsAgree(t *testing.T) {
	shared := []string{
		"--brokers", "k1:9092,k2:9092", "--events-topic", "ev", "--transcripts-topic", "tr", "--deadletter-topic", "dl",
		"--default-region", "FR", "--language", "de", "--max-payload-bytes", "2048",
		"--join-ttl", "7m", "--join-max-pending", "77", "--transcript-call-provider", "twilio",
	}
	runCLI, _, _, err := parseArgs(t, nil, append([]string{"run", "--group", "g1"}, shared...)...)
	if err != nil {
		t.Fatal(err)
	}
	rpCLI, _, _, err := parseArgs(t, nil, append([]string{"reprocess", "--workers", "3"}, shared...)...)
	if err != nil {
		t.Fatal(err)
	}
	red := &redact.Redactor{}
	ss := []sinks.Sink{}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	deps := pipelineDeps{Secret: []byte(testKeySecret), Redactor: red, Sinks: ss, Logger: logger}
	fromFlags := sharedFields{
		Brokers: []string{"k1:9092", "k2:9092"}, EventsTopic: "ev", TranscriptsTopic: "tr", DeadLetterTopic: "dl",
		KeySecret: testKeySecret, DefaultRegion: "FR", MaxPayloadBytes: 2048,
		Join:     stages.JoinConfig{TTL: 7 * time.Minute, MaxPending: 77},
		Language: "de", Redactor: red, Sinks: ss, Logger: logger, Provider: stages.Provider("twilio"),
	}
	demoBrokers := []string{"demo:9092"}
	for _, tc := range []struct {
		name string
		cfg  pipeline.Config
		want sharedFields
	}{
		{"run", runCLI.Run.pipelineConfig(deps), fromFlags},
		{"reprocess", rpCLI.Reprocess.pipelineConfig(deps), fromFlags},
		{"demo", demoPipelineConfig(demoBrokers, red, ss, logger), sharedFields{
			Brokers: demoBrokers, EventsTopic: demoEvents, TranscriptsTopic: demoTranscripts, DeadLetterTopic: demoDeadLetters,
			KeySecret: demoSecret, Join: stages.JoinConfig{TTL: 2 * time.Second},
			Redactor: red, Sinks: ss, Logger: logger,
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := sharedOf(tc.cfg); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("shared fields:\n got %+v\nwant %+v", redactSecret(got), redactSecret(tc.want))
			}
		})
	}
	// The command-specific fields are still each command's own.
	if c := runCLI.Run.pipelineConfig(deps); c.Group != "g1" || c.CommitEvery != 1000 {
		t.Errorf("run: group %q commit-every %d, want g1 and 1000", c.Group, c.CommitEvery)
	}
	if c := rpCLI.Reprocess.pipelineConfig(deps); c.Group != "" || c.ParseWorkers != 3 || c.RedactWorkers != 3 {
		t.Errorf("reprocess: group %q workers %d/%d, want none and 3/3", c.Group, c.ParseWorkers, c.RedactWorkers)
	}
	if c := demoPipelineConfig(demoBrokers, red, ss, logger); c.Group != "callveil-demo" || c.CommitInterval != 200*time.Millisecond {
		t.Errorf("demo: group %q commit-interval %s", c.Group, c.CommitInterval)
	}
}

// redactSecret keeps the key secret out of a failure message.
func redactSecret(f sharedFields) sharedFields {
	f.KeySecret = strings.Repeat("*", len(f.KeySecret))
	return f
}
