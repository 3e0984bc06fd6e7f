package hubspot

import (
	"fmt"
	"html"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/callveil/callveil/stages"
)

// The call properties callveil writes, and no others: never
// hs_call_recording_url, never an owner, never a name.
const (
	propTimestamp = "hs_timestamp"
	propTitle     = "hs_call_title"
	propBody      = "hs_call_body"
	propDuration  = "hs_call_duration"
	propFrom      = "hs_call_from_number"
	propTo        = "hs_call_to_number"
	propDirection = "hs_call_direction"
	propStatus    = "hs_call_status"
)

// maxBodyBytes keeps hs_call_body under HubSpot's 65,536-character limit
// for a property value, counting bytes (never fewer than characters).
const maxBodyBytes = 60_000

var (
	e164    = regexp.MustCompile(`^\+[1-9][0-9]{1,14}$`)
	callKey = regexp.MustCompile(`^[0-9a-fA-F]{16,128}$`)
)

var statusValues = map[stages.Status]string{
	stages.StatusCompleted:  "COMPLETED",
	stages.StatusNoAnswer:   "NO_ANSWER",
	stages.StatusBusy:       "BUSY",
	stages.StatusFailed:     "FAILED",
	stages.StatusCanceled:   "CANCELED",
	stages.StatusInProgress: "IN_PROGRESS",
}

var directionValues = map[stages.Direction]string{
	stages.DirectionInbound:  "INBOUND",
	stages.DirectionOutbound: "OUTBOUND",
}

// Rejection reasons for calls refused before reaching HubSpot.
const (
	reasonMissingKey   = "invalid_call_key"
	reasonMissingStart = "missing_start_time"
)

// precheck returns a rejection reason for a call HubSpot could not store,
// or "". A key that is not a hex HMAC is refused rather than sent: it could
// be a raw provider id that slipped past minimisation.
func precheck(c *stages.RedactedCall) string {
	if !callKey.MatchString(c.Key) {
		return reasonMissingKey
	}
	if c.Start.IsZero() {
		return reasonMissingStart
	}
	return ""
}

// callProperties builds the exact property set sent for one call. Numbers
// that are not E.164 are left out: the minimiser should never pass them, and
// "anonymous" or a SIP URI can carry a name.
func callProperties(c *stages.RedactedCall, keyProperty string) map[string]string {
	p := map[string]string{
		keyProperty:   c.Key,
		propTimestamp: c.Start.UTC().Format("2006-01-02T15:04:05.000Z"),
		propTitle:     callTitle(c.Direction),
		propDuration:  strconv.FormatInt(max(c.DurationSeconds, 0)*1000, 10),
	}
	// A provisional call (sent at its end, before its transcript could
	// come) carries no body: an upsert changes only the properties it
	// names, so a provisional copy that reaches HubSpot late (queued
	// before a rebalance, written after the new owner's complete one) can
	// never clear a transcript already there. The complete call, or the
	// same call again at the join's TTL, writes the body.
	if !c.Provisional {
		p[propBody] = callBody(c)
	}
	if e164.MatchString(c.From) {
		p[propFrom] = c.From
	}
	if e164.MatchString(c.To) {
		p[propTo] = c.To
	}
	if v, ok := directionValues[c.Direction]; ok {
		p[propDirection] = v
	}
	if v, ok := statusValues[c.Status]; ok {
		p[propStatus] = v
	}
	return p
}

// externalNumber is the number of the party outside the company: the
// caller of an inbound call, the callee of an outbound one.
func externalNumber(c *stages.Call) string {
	var n string
	switch c.Direction {
	case stages.DirectionInbound:
		n = c.From
	case stages.DirectionOutbound:
		n = c.To
	}
	if !e164.MatchString(n) {
		return ""
	}
	return n
}

func callTitle(d stages.Direction) string {
	switch d {
	case stages.DirectionInbound:
		return "Inbound call (callveil)"
	case stages.DirectionOutbound:
		return "Outbound call (callveil)"
	}
	return "Call (callveil)"
}

// callBody renders the redacted transcript for hs_call_body, which HubSpot
// shows as rich text: every value is HTML-escaped so transcript text cannot
// inject markup. It holds speaker labels, the detected language and the
// redaction counts by type, never an original value.
func callBody(c *stages.RedactedCall) string {
	var b strings.Builder
	b.WriteString("<p><strong>Redacted transcript (callveil)</strong></p>")
	if c.Language != "" {
		b.WriteString("<p>Language: " + html.EscapeString(c.Language) + "</p>")
	}
	b.WriteString("<p>Redactions: " + redactionSummary(c.Redactions) + "</p>")
	if len(c.Transcript) == 0 {
		b.WriteString("<p>No transcript.</p>")
		return b.String()
	}
	for i, seg := range c.Transcript {
		line := fmt.Sprintf("<p><strong>%s</strong> [%s]: %s</p>",
			html.EscapeString(speakerLabel(seg.Speaker)), clock(seg.Start), html.EscapeString(seg.Text))
		note := fmt.Sprintf("<p>[transcript truncated: %d more segment(s)]</p>", len(c.Transcript)-i)
		if b.Len()+len(line)+len(note) > maxBodyBytes {
			b.WriteString(note)
			break
		}
		b.WriteString(line)
	}
	return b.String()
}

func speakerLabel(s string) string {
	if s == "" {
		return "Speaker"
	}
	return s
}

func redactionSummary(counts map[string]int) string {
	if len(counts) == 0 {
		return "none"
	}
	types := make([]string, 0, len(counts))
	for t := range counts {
		types = append(types, t)
	}
	sort.Strings(types)
	parts := make([]string, 0, len(types))
	for _, t := range types {
		parts = append(parts, html.EscapeString(t)+" "+strconv.Itoa(counts[t]))
	}
	return strings.Join(parts, ", ")
}

// clock formats seconds from the start of the recording as m:ss.
func clock(sec float64) string {
	if sec < 0 {
		sec = 0
	}
	s := int64(sec)
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}
