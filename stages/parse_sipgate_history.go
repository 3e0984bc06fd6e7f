package stages

import (
	"slices"
	"strings"
	"time"
)

// sipgateHistoryEntry lists the only fields read from a /v2/history entry.
// sourceAlias/targetAlias/responderAlias (names) only feed Hints; note,
// labels, recordings, recordingUrl, transcription, endpoints are never
// decoded at all.
type sipgateHistoryEntry struct {
	ID             payloadString `json:"id"`
	CallID         payloadString `json:"callId"`
	Type           payloadString `json:"type"`
	Source         payloadString `json:"source"`
	Target         payloadString `json:"target"`
	SourceAlias    payloadString `json:"sourceAlias"`
	TargetAlias    payloadString `json:"targetAlias"`
	ResponderAlias payloadString `json:"responderAlias"`
	Created        payloadString `json:"created"`
	Direction      payloadString `json:"direction"`
	Status         payloadString `json:"status"`
	CallStatus     payloadString `json:"callStatus"`
	Duration       payloadNumber `json:"duration"`
}

// parseSipgateHistory reads one call entry of the Sipgate history API: a
// complete call (PhaseEnded) with creation time and duration. Entries of
// type SMS, FAX or VOICEMAIL are refused with unsupported_event.
func parseSipgateHistory(rec Record, body []byte) (*CallEvent, error) {
	return decodeEvent(rec, ProviderSipgate, body, sipgateHistoryEvent, "id", "callId", "type")
}

// sipgateHistoryEvent builds the event from a decoded history entry.
func sipgateHistoryEvent(rec Record, e *sipgateHistoryEntry) (*CallEvent, error) {
	const p = ProviderSipgate
	if t := strings.ToUpper(strings.TrimSpace(e.Type.S)); e.Type.Set && t != "CALL" {
		return nil, NewError(ReasonUnsupportedEvent, p, "type", "history entry is not a call")
	}
	payloadID := e.CallID.S
	if payloadID == "" {
		payloadID = e.ID.S
	}
	id, err := eventCallID(rec, p, "callId", payloadID)
	if err != nil {
		return nil, err
	}
	ev := &CallEvent{
		Provider: p,
		CallID:   id,
		Phase:    PhaseEnded,
		From:     strings.TrimSpace(e.Source.S),
		To:       strings.TrimSpace(e.Target.S),
	}
	if ev.Start = eventTime(ev, rec, "created", e.Created.S); ev.Start.IsZero() {
		// No creation time: the record's time stands in, as for a
		// creation time that cannot be read.
		noteDegraded(&ev.Degraded, "created")
		ev.Start = rec.Time.UTC()
	}
	missed := false
	switch strings.ToUpper(strings.TrimSpace(e.Direction.S)) {
	case "INCOMING":
		ev.Direction = DirectionInbound
	case "MISSED_INCOMING":
		ev.Direction, missed = DirectionInbound, true
	case "OUTGOING":
		ev.Direction = DirectionOutbound
	case "MISSED_OUTGOING":
		ev.Direction, missed = DirectionOutbound, true
	}
	ev.Status = sipgateHistoryStatus(e.CallStatus.S, e.Status.S, missed)
	if e.Duration.Set {
		if secs := e.Duration.seconds(&ev.Degraded, "duration", 1); !slices.Contains(ev.Degraded, "duration") {
			ev.Duration, ev.DurationKnown = time.Duration(secs*float64(time.Second)), true
		}
		if ev.DurationKnown && ev.Status == StatusCompleted {
			// created is when the call began; with the talk time the end
			// is known well enough for ordering.
			ev.End = ev.Start.Add(ev.Duration)
		}
	}
	if ev.Status != StatusCompleted {
		// Unanswered calls talked for nothing, whatever ringing time an
		// entry reports as its duration.
		ev.Duration, ev.DurationKnown = 0, true
	}
	if ev.End.IsZero() {
		ev.End = ev.Start
	}
	addHintNumber(&ev.Hints, ev.From)
	addHintNumber(&ev.Hints, ev.To)
	addHintName(&ev.Hints, e.SourceAlias.S)
	addHintName(&ev.Hints, e.TargetAlias.S)
	addHintName(&ev.Hints, e.ResponderAlias.S)
	return ev, nil
}

// sipgateHistoryStatus prefers the newer callStatus vocabulary and falls
// back to the older status field, then to the MISSED_* direction.
func sipgateHistoryStatus(callStatus, status string, missed bool) Status {
	switch strings.ToUpper(strings.TrimSpace(callStatus)) {
	case "SUCCESS":
		return StatusCompleted
	case "FAILURE":
		return StatusFailed
	case "BUSY", "BUSY_ON_BUSY", "REJECTED", "REJECTED_DND":
		return StatusBusy
	case "MISSED", "VOICEMAIL_NO_MESSAGE":
		return StatusNoAnswer
	}
	switch strings.ToUpper(strings.TrimSpace(status)) {
	case "PICKUP":
		return StatusCompleted
	case "NOPICKUP", "MISSED":
		return StatusNoAnswer
	case "BUSY":
		return StatusBusy
	case "FAILURE", "FAILED":
		return StatusFailed
	}
	if missed {
		return StatusNoAnswer
	}
	return StatusCompleted
}
