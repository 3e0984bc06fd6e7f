package pipeline

import (
	"time"

	"github.com/callveil/callveil/stages"
)

// Observer receives value-free events about the pipeline, for metrics.
// Every argument comes from a fixed vocabulary (topic names from config,
// reason codes, stage and sink names, ISO language codes, PII type names),
// so an implementation may use them as metric labels. Methods are called
// from many goroutines and must be cheap and safe for concurrent use.
type Observer interface {
	// RecordRead: the fetch loop read a record from topic.
	RecordRead(topic string)
	// RecordSettled: a record's effects are durable (delivered, dead-lettered or skipped).
	RecordSettled(topic string)
	// DeadLettered: a record was written as a dead letter.
	DeadLettered(topic string, reason stages.Reason)
	// Skipped: a record or call needed no output (reason: "no_call_data",
	// "late_event", or a CallPolicy reason such as "objection").
	Skipped(reason string)
	// StageDone: one record or call passed stage ("parse", "join",
	// "minimize_redact") in d.
	StageDone(stage string, d time.Duration)
	// SinkWrite: one Write call to sink ended with outcome ("ok",
	// "rejected", "error", "fatal") after d.
	SinkWrite(sink, outcome string, d time.Duration)
	// CallDelivered: a call reached every sink; language is "" without a
	// transcript; redactions counts spans by PII type.
	CallDelivered(language string, redactions map[string]int)
	// JoinPending: the number of calls waiting in the join.
	JoinPending(n int)
	// JoinClockLag: how far the join's clock (see streamClock) is behind
	// the wall clock, once per expiry period. It grows while a partition
	// is not read or read behind its end; nothing expires meanwhile.
	JoinClockLag(d time.Duration)
	// Committed: offsets were committed for a partition.
	Committed(topic string, partition int, offset int64)
}

// DegradedObserver is an optional extension of Observer: RecordDegraded is
// called once per field of a record that could not be read and was
// replaced (a time by the record's time, a duration or offset by unknown)
// instead of dead-lettering the record. field is a fixed field name
// written in the parsers ("Timestamp", "data.started_at"), never a value.
type DegradedObserver interface {
	RecordDegraded(field string)
}

// CallPolicy decides, per minimised call, whether it may go any further;
// see stages.CallPolicy. The alias keeps Config.Policy and its callers as
// they were when the interface lived here.
type CallPolicy = stages.CallPolicy

// nopObserver is used when Config.Observer is nil.
type nopObserver struct{}

func (nopObserver) RecordRead(string)                       {}
func (nopObserver) RecordSettled(string)                    {}
func (nopObserver) DeadLettered(string, stages.Reason)      {}
func (nopObserver) Skipped(string)                          {}
func (nopObserver) StageDone(string, time.Duration)         {}
func (nopObserver) SinkWrite(string, string, time.Duration) {}
func (nopObserver) CallDelivered(string, map[string]int)    {}
func (nopObserver) JoinPending(int)                         {}
func (nopObserver) JoinClockLag(time.Duration)              {}
func (nopObserver) Committed(string, int, int64)            {}
