package main

import (
	"log/slog"

	"github.com/callveil/callveil/pipeline"
	"github.com/callveil/callveil/redact"
	"github.com/callveil/callveil/sinks"
	"github.com/callveil/callveil/stages"
)

// pipelineParts are the settings run, reprocess and demo build their
// pipeline from. The flag groups are the ones run and reprocess embed, so
// a flag reaches the same pipeline field whichever command reads it.
type pipelineParts struct {
	Brokers  []string
	Topics   TopicFlags
	Region   RegionFlag
	Records  RecordFlags
	Provider CallProviderFlag
	Join     stages.JoinConfig
}

// pipelineDeps are what a command opened before building its pipeline.
type pipelineDeps struct {
	Secret   []byte
	Redactor *redact.Redactor
	Sinks    []sinks.Sink
	Logger   *slog.Logger
}

// pipelineConfig is the one place a pipeline.Config is built; each command
// sets its own fields (group, workers, commits, observer, policy) after.
func pipelineConfig(p pipelineParts, d pipelineDeps) pipeline.Config {
	return pipeline.Config{
		Brokers:     p.Brokers,
		EventsTopic: p.Topics.EventsTopic, TranscriptsTopic: p.Topics.TranscriptsTopic, DeadLetterTopic: p.Topics.DeadLetterTopic,
		KeySecret: d.Secret, DefaultRegion: p.Region.DefaultRegion, MaxPayloadBytes: p.Records.MaxPayloadBytes,
		Join:   p.Join,
		Redact: stages.RedactConfig{Redactor: d.Redactor, Language: p.Records.Language},
		Sinks:  d.Sinks, Logger: d.Logger,

		TranscriptCallProvider: stages.Provider(p.Provider.TranscriptCallProvider),
	}
}
