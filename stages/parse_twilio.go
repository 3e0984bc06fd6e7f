package stages

import (
	"net/url"
	"strings"
	"time"
)

// parseTwilioCallback reads a Twilio status callback (form POST,
// PascalCase). Kept: CallSid, CallStatus, Direction, From/To (Caller/Called
// as fallback), Timestamp and CallDuration. Duration is billed minutes and
// is ignored. CallerName (CNAM) and ForwardedFrom only feed Hints; the
// City/State/Zip/Country fields, RecordingUrl/RecordingSid and account ids
// are never read.
func parseTwilioCallback(rec Record, vals url.Values) (*CallEvent, error) {
	const p = ProviderTwilio
	status := strings.TrimSpace(vals.Get("CallStatus"))
	if status == "" {
		return nil, NewError(ReasonMissingField, p, "CallStatus", "status callback has no call status")
	}
	ev := &CallEvent{Provider: p}
	if err := twilioApplyStatus(ev, status, "CallStatus"); err != nil {
		return nil, err
	}
	id, err := eventCallID(rec, p, "CallSid", vals.Get("CallSid"))
	if err != nil {
		return nil, err
	}
	ev.CallID = id
	ev.From = firstNonEmpty(vals.Get("From"), vals.Get("Caller"))
	ev.To = firstNonEmpty(vals.Get("To"), vals.Get("Called"))
	ev.Direction = twilioDirection(vals.Get("Direction"))

	at := rec.Time
	if t := eventTime(ev, rec, "Timestamp", vals.Get("Timestamp")); !t.IsZero() {
		at = t
	}
	switch ev.Phase {
	case PhaseStarted:
		ev.Start = at
	case PhaseAnswered:
		ev.Answered = at
	case PhaseEnded:
		ev.End = at
	}
	ev.Duration, ev.DurationKnown = eventDuration(ev, "CallDuration", vals.Get("CallDuration"))
	if ev.Phase == PhaseEnded && ev.Status != StatusCompleted {
		// Busy, failed, unanswered and canceled calls talked for nothing.
		ev.Duration, ev.DurationKnown = 0, true
	}
	for _, k := range []string{"From", "To", "Caller", "Called", "ForwardedFrom"} {
		addHintNumber(&ev.Hints, vals.Get(k))
	}
	addHintName(&ev.Hints, vals.Get("CallerName"))
	return ev, nil
}

// twilioCallResource lists the only fields read from a Call resource.
type twilioCallResource struct {
	Sid           payloadString `json:"sid"`
	Status        payloadString `json:"status"`
	Direction     payloadString `json:"direction"`
	From          payloadString `json:"from"`
	To            payloadString `json:"to"`
	StartTime     payloadString `json:"start_time"`
	EndTime       payloadString `json:"end_time"`
	DateCreated   payloadString `json:"date_created"`
	Duration      payloadString `json:"duration"`
	CallerName    payloadString `json:"caller_name"`
	ForwardedFrom payloadString `json:"forwarded_from"`
}

// parseTwilioCallResource reads a Call resource (REST API JSON, snake_case).
// caller_name and forwarded_from only feed Hints; annotation, price,
// *_formatted, subresource_uris and account ids are never decoded.
func parseTwilioCallResource(rec Record, body []byte) (*CallEvent, error) {
	return decodeEvent(rec, ProviderTwilio, body, twilioCallResourceEvent, "sid", "status")
}

// twilioCallResourceEvent builds the event from a decoded Call resource.
func twilioCallResourceEvent(rec Record, c *twilioCallResource) (*CallEvent, error) {
	const p = ProviderTwilio
	status := strings.TrimSpace(c.Status.S)
	if status == "" {
		return nil, NewError(ReasonMissingField, p, "status", "call resource has no status")
	}
	ev := &CallEvent{Provider: p}
	if err := twilioApplyStatus(ev, status, "status"); err != nil {
		return nil, err
	}
	id, err := eventCallID(rec, p, "sid", c.Sid.S)
	if err != nil {
		return nil, err
	}
	ev.CallID = id
	ev.From = strings.TrimSpace(c.From.S)
	ev.To = strings.TrimSpace(c.To.S)
	ev.Direction = twilioDirection(c.Direction.S)
	times := []struct {
		field string
		raw   string
		dst   *time.Time
	}{
		{"start_time", c.StartTime.S, &ev.Start},
		{"end_time", c.EndTime.S, &ev.End},
	}
	for _, tf := range times {
		*tf.dst = eventTime(ev, rec, tf.field, tf.raw)
	}
	if ev.Start.IsZero() {
		ev.Start = eventTime(ev, rec, "date_created", c.DateCreated.S)
	}
	if ev.Phase != PhaseEnded {
		ev.End = time.Time{}
	}
	ev.Duration, ev.DurationKnown = eventDuration(ev, "duration", c.Duration.S)
	if ev.Phase == PhaseEnded && ev.Status != StatusCompleted {
		ev.Duration, ev.DurationKnown = 0, true
	}
	addHintNumber(&ev.Hints, c.From.S)
	addHintNumber(&ev.Hints, c.To.S)
	addHintNumber(&ev.Hints, c.ForwardedFrom.S)
	addHintName(&ev.Hints, c.CallerName.S)
	return ev, nil
}

// twilioApplyStatus maps Twilio's call status vocabulary (the same in
// callbacks and resources) to phase and status.
func twilioApplyStatus(ev *CallEvent, status, field string) error {
	switch strings.ToLower(status) {
	case "queued", "initiated", "ringing":
		ev.Phase, ev.Status = PhaseStarted, StatusInProgress
	case "in-progress", "answered":
		ev.Phase, ev.Status = PhaseAnswered, StatusInProgress
	case "completed":
		ev.Phase, ev.Status = PhaseEnded, StatusCompleted
	case "busy":
		ev.Phase, ev.Status = PhaseEnded, StatusBusy
	case "no-answer":
		ev.Phase, ev.Status = PhaseEnded, StatusNoAnswer
	case "failed":
		ev.Phase, ev.Status = PhaseEnded, StatusFailed
	case "canceled":
		ev.Phase, ev.Status = PhaseEnded, StatusCanceled
	default:
		return NewError(ReasonUnsupportedEvent, ProviderTwilio, field, "unknown call status")
	}
	return nil
}

// twilioDirection: "inbound" reached the company; outbound-api/-dial left
// it. Elastic SIP trunking names the direction from the trunk: originating
// calls come from the company's PBX, terminating calls reach it.
func twilioDirection(d string) Direction {
	switch strings.ToLower(strings.TrimSpace(d)) {
	case "inbound", "trunking-terminating":
		return DirectionInbound
	case "outbound-api", "outbound-dial", "outbound", "trunking-originating":
		return DirectionOutbound
	}
	return DirectionUnknown
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}
