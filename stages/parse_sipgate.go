package stages

import (
	"net/url"
	"strings"
)

// parseSipgatePush reads one Sipgate Push API event (form body, or the same
// fields as a JSON object). Push events carry no timestamp: the event time
// is the Kafka record time. Kept: from, to, direction, event, cause and the
// call id; user[] names and answeringNumber/diversion only feed Hints;
// userId[], fullUserId[] and dtmf digits are never read.
//
// dtmf events say nothing about the call's metadata and are refused with
// unsupported_event (as are event names we do not know), so the pipeline
// can count and skip them instead of merging noise into the call.
func parseSipgatePush(rec Record, vals url.Values) (*CallEvent, error) {
	const p = ProviderSipgate
	event := strings.TrimSpace(vals.Get("event"))
	if event == "" {
		return nil, NewError(ReasonMissingField, p, "event", "push event has no event name")
	}
	ev := &CallEvent{Provider: p, Status: StatusInProgress}
	switch event {
	case "newCall":
		ev.Phase, ev.Start = PhaseStarted, rec.Time
	case "answer":
		ev.Phase, ev.Answered = PhaseAnswered, rec.Time
	case "hangup":
		ev.Phase, ev.End = PhaseEnded, rec.Time
		ev.Status = sipgateHangupStatus(vals.Get("cause"))
	default:
		return nil, NewError(ReasonUnsupportedEvent, p, "event", "push event is not a call state change")
	}
	id, err := eventCallID(rec, p, "callId", vals.Get("callId"))
	if err != nil {
		return nil, err
	}
	ev.CallID = id
	ev.From = strings.TrimSpace(vals.Get("from"))
	ev.To = strings.TrimSpace(vals.Get("to"))
	switch strings.ToLower(strings.TrimSpace(vals.Get("direction"))) {
	case "in":
		ev.Direction = DirectionInbound
	case "out":
		ev.Direction = DirectionOutbound
	}
	for _, k := range []string{"from", "to", "answeringNumber", "diversion"} {
		for _, v := range vals[k] {
			addHintNumber(&ev.Hints, v)
		}
	}
	for _, k := range []string{"user[]", "user"} {
		for _, v := range vals[k] {
			addHintName(&ev.Hints, v)
		}
	}
	return ev, nil
}

// sipgateHangupStatus maps the hangup cause. A cause we do not know still
// ends the call; Minimize then decides from the answer time.
func sipgateHangupStatus(cause string) Status {
	switch strings.TrimSpace(cause) {
	case "normalClearing":
		return StatusCompleted
	case "busy":
		return StatusBusy
	case "cancel":
		return StatusCanceled
	case "noAnswer":
		return StatusNoAnswer
	case "congestion", "notFound":
		return StatusFailed
	case "forwarded":
		// The call left sipgate to a forwarding target; from the company's
		// side it was handled.
		return StatusCompleted
	}
	return StatusUnknown
}
