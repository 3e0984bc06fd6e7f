// Package stages holds the record types that flow through callveil and the
// stages that transform them, one file per stage. A stage is a small type
// with one job, built once from a config struct (validated at construction)
// and then called per record without parsing any configuration again.
//
// The flow is: Record (raw Kafka payload) -> Parse -> CallEvent or
// Transcript -> Join (by call key) -> PrepareCall (merge, MinimizeMetadata,
// CallPolicy, RedactTranscript) -> RedactedCall, which is the only shape
// sinks ever see.
package stages

import "time"

// Provider names the system that produced a payload.
type Provider string

// Telephony providers emit call events; speech-to-text providers emit
// transcripts.
const (
	ProviderSipgate       Provider = "sipgate"
	ProviderTwilio        Provider = "twilio"
	ProviderAircall       Provider = "aircall"
	ProviderAWSTranscribe Provider = "aws-transcribe"
	ProviderDeepgram      Provider = "deepgram"
	ProviderAssemblyAI    Provider = "assemblyai"
)

// IsTelephony reports whether p emits call events (as opposed to transcripts).
func (p Provider) IsTelephony() bool {
	return p == ProviderSipgate || p == ProviderTwilio || p == ProviderAircall
}

// Record is one Kafka record exactly as the provider's payload was produced.
// Value is untrusted input; it may be JSON or a form-encoded body.
type Record struct {
	Topic     string
	Partition int
	Offset    int64
	// Key is the Kafka key: the provider call id, optionally prefixed with the
	// telephony provider ("twilio:CA…").
	Key []byte
	// Provider is the value of the record's "provider" header, "" when absent.
	Provider Provider
	// CallProvider is the value of the "call-provider" header: on a
	// transcript, the telephony provider whose call id the key carries.
	CallProvider Provider
	Value        []byte
	Time         time.Time
	// Replay is set on a record read again after a restart or rebalance
	// only as context: its own effects are already durable, and it may
	// only complete a call that straddled the last commit (see the
	// pipeline's OffsetTracker).
	Replay bool
}

// Direction of a call, seen from the company.
type Direction string

const (
	DirectionUnknown  Direction = ""
	DirectionInbound  Direction = "inbound"
	DirectionOutbound Direction = "outbound"
)

// Status is the outcome of a call.
type Status string

const (
	StatusUnknown    Status = ""
	StatusInProgress Status = "in_progress"
	StatusCompleted  Status = "completed"
	StatusNoAnswer   Status = "no_answer"
	StatusBusy       Status = "busy"
	StatusFailed     Status = "failed"
	StatusCanceled   Status = "canceled"
)

// Phase says where in a call's life an event stands.
type Phase int

const (
	// PhaseStarted: the call was set up (Sipgate newCall, Aircall call.created).
	PhaseStarted Phase = iota + 1
	// PhaseAnswered: someone picked up.
	PhaseAnswered
	// PhaseEnded: the call is over; the event completes the call.
	PhaseEnded
)

// Hints are values seen in a call's metadata (names of staff or contacts,
// numbers) handed to the redactor so it can find them in the transcript.
// They are never stored or emitted.
type Hints struct {
	Names   []string
	Numbers []string
}

// CallEvent is what a call-event parser extracts from one record. It is
// provider-scoped and not yet minimised: it carries the raw call id and raw
// numbers, and lives only inside the join until MinimizeMetadata turns it
// into a Call.
type CallEvent struct {
	Provider Provider
	CallID   string
	Phase    Phase
	// From and To as the provider wrote them (E.164 with or without '+',
	// national format, "anonymous", "sip:…", "client:…").
	From, To string
	// Region is an ISO 3166 region that the provider says the numbers
	// belong to, used to parse national formats; "" when unknown.
	Region string
	// Times are zero when the event does not carry them.
	Start, Answered, End time.Time
	// Duration is the talk time when the provider states it.
	Duration      time.Duration
	DurationKnown bool
	Direction     Direction
	Status        Status
	Hints         Hints
	// Degraded names the fields (fixed names, never values) that could
	// not be read and were replaced (a time by the record's time, a
	// duration by unknown) rather than losing the call over them.
	Degraded []string
}

// Segment is one stretch of speech by one speaker. Start and End are
// seconds from the start of the recording.
type Segment struct {
	Speaker string  `json:"speaker"`
	Start   float64 `json:"start"`
	End     float64 `json:"end"`
	Text    string  `json:"text"`
}

// Transcript is a speech-to-text result in provider-neutral form.
type Transcript struct {
	Provider Provider
	// CallID is the telephony provider's call id this transcript belongs to
	// (from the Kafka key or the payload's own reference).
	CallID string
	// CallProvider is the telephony provider whose call id CallID is (from
	// the record's call-provider header or the key's "<provider>:" prefix);
	// "" when neither says, which the join reports as unknown_call_provider.
	CallProvider Provider
	// Language as declared by the provider (BCP 47 or provider code), "" if none.
	Language string
	Segments []Segment
	// Degraded names the fields that could not be read and were left out
	// (see CallEvent.Degraded).
	Degraded []string
}

// Parsed is the result of parsing one record: exactly one of Event and
// Transcript is set.
type Parsed struct {
	Event      *CallEvent
	Transcript *Transcript
}

// Degraded names the fields of the record that could not be read and were
// replaced; nil for most records.
func (p Parsed) Degraded() []string {
	switch {
	case p.Event != nil:
		return p.Event.Degraded
	case p.Transcript != nil:
		return p.Transcript.Degraded
	}
	return nil
}

// Call is the minimised call record: the only call metadata that survives
// MinimizeMetadata. Every field here is either a phone number, a time, a
// duration, or a non-personal classification.
type Call struct {
	// Key is the keyed HMAC-SHA256 of provider and call id (hex); the raw
	// provider id never leaves the stages.
	Key             string    `json:"call_key"`
	From            string    `json:"from"`
	To              string    `json:"to"`
	Start           time.Time `json:"start"`
	DurationSeconds int64     `json:"duration_s"`
	Direction       Direction `json:"direction"`
	Status          Status    `json:"status"`
}

// RedactedCall is what sinks receive: a minimised call joined with its
// redacted transcript, if one arrived in time.
type RedactedCall struct {
	Call
	// Language detected on the whole transcript ("" without one).
	Language   string    `json:"language,omitempty"`
	Transcript []Segment `json:"transcript,omitempty"`
	// Redactions counts redacted spans by PII type.
	Redactions map[string]int `json:"redactions,omitempty"`
	// Provisional is set on a call sent out as soon as its end was known,
	// before its transcript: the same call (same Key) follows, complete,
	// when the transcript comes or the join's TTL passes. Upserting sinks
	// (HubSpot, the file sink) write both; counting sinks (aggregates)
	// count only the complete one. Not part of the call's content.
	Provisional bool `json:"-"`
}
