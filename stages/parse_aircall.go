package stages

import (
	"encoding/json"
	"slices"
	"strings"
	"time"
)

// aircallWebhook is the envelope; token is never decoded.
type aircallWebhook struct {
	Resource  payloadString   `json:"resource"`
	Event     payloadString   `json:"event"`
	Timestamp payloadNumber   `json:"timestamp"`
	Data      json.RawMessage `json:"data"`
	// call is data already decoded by the fast path; nil otherwise.
	call *aircallCall
}

// aircallCall lists the only call fields read. user and contact names only
// feed Hints; comments, tags, teams, transferred_to/by, recording,
// voicemail, asset, number.messages and direct links are never decoded.
type aircallCall struct {
	ID               payloadString   `json:"id"`
	Direction        payloadString   `json:"direction"`
	Status           payloadString   `json:"status"`
	MissedCallReason payloadString   `json:"missed_call_reason"`
	StartedAt        payloadNumber   `json:"started_at"`
	AnsweredAt       payloadNumber   `json:"answered_at"`
	EndedAt          payloadNumber   `json:"ended_at"`
	Duration         payloadNumber   `json:"duration"`
	RawDigits        payloadString   `json:"raw_digits"`
	Number           *aircallNumber  `json:"number"`
	User             *aircallUser    `json:"user"`
	Contact          *aircallContact `json:"contact"`
}

type aircallNumber struct {
	Digits  payloadString `json:"digits"`
	Country payloadString `json:"country"`
}

type aircallUser struct {
	Name payloadString `json:"name"`
}

type aircallContact struct {
	FirstName    payloadString        `json:"first_name"`
	LastName     payloadString        `json:"last_name"`
	PhoneNumbers []aircallPhoneNumber `json:"phone_numbers"`
}

type aircallPhoneNumber struct {
	Value payloadString `json:"value"`
}

// parseAircall reads an Aircall call webhook. The call lifecycle events
// become CallEvents (call.ended completes the call); events about
// annotations or assets (call.tagged, call.commented, call.voicemail_left,
// ...) and non-call resources are refused with unsupported_event.
func parseAircall(rec Record, body []byte) (*CallEvent, error) {
	return decodeEvent(rec, ProviderAircall, body, aircallEvent, "resource", "event")
}

// aircallEvent builds the event from a decoded envelope. The call data is
// decoded here (unless the fast path already did) so that the envelope's
// refusals come first, as they always have.
func aircallEvent(rec Record, w *aircallWebhook) (*CallEvent, error) {
	const p = ProviderAircall
	if !w.Resource.Set {
		return nil, NewError(ReasonMissingField, p, "resource", "webhook has no resource")
	}
	if w.Resource.S != "call" {
		return nil, NewError(ReasonUnsupportedEvent, p, "resource", "webhook is not about a call")
	}
	c, dataDegraded := w.call, ""
	if c == nil {
		if len(w.Data) == 0 || string(w.Data) == "null" {
			return nil, NewError(ReasonMissingField, p, "data", "webhook has no call data")
		}
		c = &aircallCall{}
		degraded, err := decodeProviderJSON(p, w.Data, c, "id")
		if err != nil {
			if e := jsonDecodeError(p, err); e.Field != "" {
				e.Field = "data." + e.Field
				return nil, e
			}
			return nil, NewError(ReasonInvalidField, p, "data", "call data is not an object")
		}
		if degraded != "" {
			dataDegraded = "data." + degraded
		}
	}
	ev := &CallEvent{Provider: p, Status: StatusInProgress}
	ended := false
	switch w.Event.S {
	case "call.ended":
		ended = true
	case "call.created", "call.ringing_on_agent", "call.agent_declined", "call.answered",
		"call.transferred", "call.unsuccessful_transfer", "call.hungup":
	case "":
		return nil, NewError(ReasonMissingField, p, "event", "webhook has no event")
	default:
		return nil, NewError(ReasonUnsupportedEvent, p, "event", "event is not a call state change")
	}
	id, err := eventCallID(rec, p, "data.id", c.ID.S)
	if err != nil {
		return nil, err
	}
	ev.CallID = id
	if dataDegraded != "" {
		noteDegraded(&ev.Degraded, dataDegraded)
	}

	stamp := w.Timestamp.epochTime(ev, rec, "timestamp")
	ev.Start = c.StartedAt.epochTime(ev, rec, "data.started_at")
	ev.Answered = c.AnsweredAt.epochTime(ev, rec, "data.answered_at")
	ev.End = c.EndedAt.epochTime(ev, rec, "data.ended_at")
	if stamp.IsZero() {
		stamp = rec.Time.UTC()
	}
	if ev.Start.IsZero() && w.Event.S == "call.created" {
		ev.Start = stamp
	}

	switch {
	case ended:
		ev.Phase = PhaseEnded
		if ev.End.IsZero() {
			ev.End = stamp
		}
		ev.Status = aircallEndStatus(c.MissedCallReason.S, !ev.Answered.IsZero())
		switch {
		case ev.Answered.IsZero():
			// Missed: no talk time, whatever ringing the duration counts.
			ev.Duration, ev.DurationKnown = 0, true
		case ev.End.IsZero() && c.Duration.Set:
			// Aircall's duration runs from started_at, so it is talk time
			// only as a last resort when the end time is missing.
			if secs := c.Duration.seconds(&ev.Degraded, "data.duration", 1); !slices.Contains(ev.Degraded, "data.duration") {
				ev.Duration, ev.DurationKnown = time.Duration(secs*float64(time.Second)), true
			}
		}
	case !ev.Answered.IsZero():
		ev.Phase = PhaseAnswered
	default:
		ev.Phase = PhaseStarted
	}

	ev.Direction = DirectionUnknown
	external := strings.TrimSpace(c.RawDigits.S)
	var company, region string
	if c.Number != nil {
		company = strings.TrimSpace(c.Number.Digits.S)
		region = strings.ToUpper(strings.TrimSpace(c.Number.Country.S))
	}
	// raw_digits is always the external party, number.digits the company
	// line; direction says which of them called.
	switch strings.ToLower(strings.TrimSpace(c.Direction.S)) {
	case "outbound":
		ev.Direction = DirectionOutbound
		ev.From, ev.To = company, external
	default:
		if strings.EqualFold(strings.TrimSpace(c.Direction.S), "inbound") {
			ev.Direction = DirectionInbound
		}
		ev.From, ev.To = external, company
	}
	if len(region) == 2 {
		ev.Region = region
	}

	addHintNumber(&ev.Hints, external)
	addHintNumber(&ev.Hints, company)
	if c.User != nil {
		addHintName(&ev.Hints, c.User.Name.S)
	}
	if c.Contact != nil {
		addHintName(&ev.Hints, c.Contact.FirstName.S)
		addHintName(&ev.Hints, c.Contact.LastName.S)
		if c.Contact.FirstName.S != "" && c.Contact.LastName.S != "" {
			addHintName(&ev.Hints, c.Contact.FirstName.S+" "+c.Contact.LastName.S)
		}
		for _, pn := range c.Contact.PhoneNumbers {
			addHintNumber(&ev.Hints, pn.Value.S)
		}
	}
	return ev, nil
}

// aircallEndStatus: Aircall reports "done" for every ended call; the
// outcome is in answered_at and missed_call_reason. A caller who gave up
// (abandoned_in_ivr, short_abandoned, ...) canceled; any other reason
// (no_available_agent, agents_did_not_answer, out_of_opening_hours) is an
// unanswered call.
func aircallEndStatus(missedReason string, answered bool) Status {
	reason := strings.ToLower(strings.TrimSpace(missedReason))
	switch {
	case answered && reason == "":
		return StatusCompleted
	case strings.Contains(reason, "abandon"):
		return StatusCanceled
	case reason != "" || !answered:
		return StatusNoAnswer
	}
	return StatusCompleted
}
