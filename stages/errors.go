package stages

// Reason is a dead-letter reason code: a fixed vocabulary, safe for logs,
// metrics labels and dead-letter headers.
type Reason string

const (
	ReasonMalformedJSON       Reason = "malformed_json"
	ReasonMalformedForm       Reason = "malformed_form"
	ReasonInvalidUTF8         Reason = "invalid_utf8"
	ReasonTooLarge            Reason = "too_large"
	ReasonUnknownProvider     Reason = "unknown_provider"
	ReasonUnknownCallProvider Reason = "unknown_call_provider"
	ReasonAudioPayload        Reason = "audio_payload"
	ReasonMissingField        Reason = "missing_field"
	ReasonInvalidField        Reason = "invalid_field"
	ReasonUnsupportedEvent    Reason = "unsupported_event"
	ReasonSinkRejected        Reason = "sink_rejected"
	ReasonStagePanic          Reason = "stage_panic"
)

// Error is the typed error every stage returns for bad input. It names the
// reason, the provider and at most the name of a field: never a value from
// the payload, so it is safe to log and to put in a dead letter.
type Error struct {
	Reason   Reason
	Provider Provider
	// Field is the name of the offending field (e.g. "results.items"), never its value.
	Field string
	// Detail is a fixed, value-free explanation (e.g. "expected a number").
	Detail string
}

func (e *Error) Error() string {
	s := "callveil: " + string(e.Reason)
	if e.Provider != "" {
		s += " provider=" + string(e.Provider)
	}
	if e.Field != "" {
		s += " field=" + e.Field
	}
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	return s
}

// NewError builds an *Error. field and detail must be fixed texts written in
// the code, never copied from the payload.
func NewError(reason Reason, p Provider, field, detail string) *Error {
	return &Error{Reason: reason, Provider: p, Field: field, Detail: detail}
}
