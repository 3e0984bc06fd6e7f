package callgen

import (
	"time"

	"github.com/callveil/callveil/stages"
)

// PIIType is a kind of personal data inserted into a transcript. The values
// are the redactor's entity type names (redact.EntityType), so tests can
// compare span types with the truth without a mapping table.
type PIIType string

const (
	PIIPerson      PIIType = "PERSON"
	PIIPhoneNumber PIIType = "PHONE_NUMBER"
	PIIEmail       PIIType = "EMAIL_ADDRESS"
	PIICreditCard  PIIType = "CREDIT_CARD"
	PIIIBAN        PIIType = "IBAN"
	PIIDateOfBirth PIIType = "DATE_OF_BIRTH"
	PIIAddress     PIIType = "ADDRESS"
)

// Role is who says an utterance.
type Role string

const (
	RoleAgent    Role = "agent"
	RoleCustomer Role = "customer"
)

// Utterance is one turn of the generated dialogue, as the transcript
// provider prints it.
type Utterance struct {
	Speaker Role   `json:"speaker"`
	Text    string `json:"text"`
}

// PII is one personal value inserted into a transcript. Value occurs
// verbatim in Utterances[Utterance].Text and in the provider's full-text
// field(s).
type PII struct {
	Value     string  `json:"value"`
	Type      PIIType `json:"type"`
	Utterance int     `json:"utterance"`
	// Spoken is true for the read-aloud forms ("five five five …",
	// "anna dot schmidt at gmail dot com").
	Spoken bool `json:"spoken,omitempty"`
	// FromMetadata is true when the same value (or, for a name, a part of
	// it) is also in the call's metadata, so redaction hints can find it.
	FromMetadata bool `json:"from_metadata,omitempty"`
}

// Harmless is a number in a transcript that is not personal (a price, a
// time of day, a count) and must survive redaction.
type Harmless struct {
	Value     string `json:"value"`
	Kind      string `json:"kind"` // "price", "time", "count"
	Utterance int    `json:"utterance"`
}

// TranscriptTruth is what was put into a call's transcript.
type TranscriptTruth struct {
	Provider stages.Provider `json:"provider"`
	// Language is the ISO 639-1 code of the dialogue.
	Language string `json:"language"`
	// ProviderLanguage is the code as the payload writes it ("de-DE",
	// "en_us"); "" when the payload declares none.
	ProviderLanguage string `json:"provider_language,omitempty"`
	// ProviderHeader is false when the record was produced without the
	// "provider" header, so the consumer must detect the shape.
	ProviderHeader bool        `json:"provider_header"`
	Utterances     []Utterance `json:"utterances"`
	PII            []PII       `json:"pii"`
	Harmless       []Harmless  `json:"harmless"`
	// ArrivesBeforeEnd is true when the transcript record comes before the
	// call's final event record.
	ArrivesBeforeEnd bool      `json:"arrives_before_end,omitempty"`
	Time             time.Time `json:"time"`
}

// Canary is a recognisable value put into one personal or dropped field in
// canary mode. It must appear in no output of callveil.
type Canary struct {
	Value string `json:"value"`
	// Field is the provider and JSON path or form key the value was put in,
	// e.g. "aircall.data.contact.first_name" or "twilio.CallerName".
	Field string `json:"field"`
	// Call is the index of the call (CallTruth.Index).
	Call int `json:"call"`
}

// CallTruth is the expected outcome for one generated call.
type CallTruth struct {
	Index    int             `json:"index"`
	Provider stages.Provider `json:"provider"`
	// CallID is the provider's call id, also the Kafka key of every record
	// of the call (events and transcript).
	CallID string `json:"call_id"`
	// From and To are E.164 with '+'. From is "" when the caller withheld
	// the number (Withheld).
	From     string `json:"from"`
	To       string `json:"to"`
	Withheld bool   `json:"withheld,omitempty"`
	// Start is when the call was set up (Sipgate newCall record time,
	// Twilio first Timestamp/start_time, Aircall started_at).
	Start time.Time `json:"start"`
	// DurationSeconds is the talk time callveil should report, 0 when the
	// call was not answered: Sipgate hangup minus answer record time (push
	// events carry no times, so a late hangup record counts), Twilio
	// CallDuration/duration, Aircall ended_at - answered_at (Aircall's own
	// "duration" field counts from started_at, ringing included).
	DurationSeconds int64 `json:"duration_s"`
	// TalkSeconds is answer to hang-up, 0 when unanswered.
	TalkSeconds int64            `json:"talk_s"`
	Answered    bool             `json:"answered"`
	Direction   stages.Direction `json:"direction"`
	Status      stages.Status    `json:"status"`
	Language    string           `json:"language"`
	// Region is the ISO 3166 region of the external party's number.
	Region string `json:"region"`
	// Events is how many event records the call produced.
	Events int `json:"events"`
	// Shapes lists the payload shapes of the call's records in order
	// (e.g. "sipgate/push-form").
	Shapes []string `json:"shapes"`
	// MetadataNames are the person names the call's metadata carries (staff
	// and contact names): redaction hints. Never to be output.
	MetadataNames []string `json:"metadata_names,omitempty"`
	// Canaries put into this call's fields (canary mode only).
	Canaries   []Canary         `json:"canaries,omitempty"`
	Transcript *TranscriptTruth `json:"transcript,omitempty"`
}

// PoisonTruth is one bad record mixed into the traffic and the dead-letter
// reason callveil must give it.
type PoisonTruth struct {
	// Seq is the message's position in the traffic (Message.Seq).
	Seq    int           `json:"seq"`
	Name   string        `json:"name"`
	Reason stages.Reason `json:"reason"`
	Topic  Kind          `json:"topic"`
}
