package stages

import (
	"math"
	"net/mail"
	"strconv"
	"strings"
	"time"
)

// parseProviderTime reads a time the way providers and the tools in
// between write them, and reports whether it could. Accepted:
//
//   - RFC 1123 / RFC 2822 / RFC 5322 dates with or without the day of the
//     week, which may be abbreviated or written out, also in the forms
//     people write by hand ("Thurs, 20 July 1989 18:30:43 +0000", Twilio's
//     own documentation example), with full or abbreviated month names, a
//     numeric or named zone, or none (UTC);
//   - RFC 850 and ANSI C / Unix date forms (time.RFC850, time.ANSIC,
//     time.UnixDate, time.RubyDate);
//   - ISO 8601 / RFC 3339 date-times with 'T' or a space, with or without
//     fractional seconds, with "Z", "+01:00", "+0100", "+01" or no zone
//     (UTC);
//   - Unix epoch seconds or milliseconds (with or without a fraction):
//     values of at least 1e11 are taken as milliseconds (1e11 seconds lie
//     past the year 5000).
//
// No library fit: araddon/dateparse is not among the modules available to
// this project, and mail.ParseDate alone refuses written-out day and month
// names. The result is in UTC.
func parseProviderTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false
	}
	// The common layouts first, without allocating an error per miss.
	if t, err := time.Parse(time.RFC1123Z, s); err == nil {
		return t.UTC(), true
	}
	if c := s[0]; c >= '0' && c <= '9' && len(s) >= 10 && s[4] == '-' {
		return parseISOTime(s)
	}
	if t, ok := parseEpoch(s); ok {
		return t, true
	}
	return parseMailTime(s)
}

// isoLayouts are the ISO 8601 forms tried after RFC 3339.
var isoLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02T15:04:05.999999999Z07",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04",
	"2006-01-02",
}

func parseISOTime(s string) (time.Time, bool) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC(), true
	}
	if len(s) > 10 && s[10] == ' ' {
		s = s[:10] + "T" + s[11:]
	}
	s = strings.Replace(s, " ", "", 1) // "…05 +0100"
	for _, layout := range isoLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// parseEpoch reads Unix seconds or milliseconds.
func parseEpoch(s string) (time.Time, bool) {
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c == '.') {
			return time.Time{}, false
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) || f > 1e14 {
		return time.Time{}, false
	}
	if f >= 1e11 {
		f /= 1000
	}
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(frac*1e9)).UTC(), true
}

// dayNames and monthNames map written-out and hand-abbreviated names
// (lower case) to the three-letter forms mail.ParseDate reads.
var (
	dayNames = map[string]bool{
		"mon": true, "monday": true, "tue": true, "tues": true, "tuesday": true,
		"wed": true, "weds": true, "wednesday": true, "thu": true, "thur": true,
		"thurs": true, "thursday": true, "fri": true, "friday": true,
		"sat": true, "saturday": true, "sun": true, "sunday": true,
	}
	monthNames = map[string]string{
		"january": "Jan", "february": "Feb", "march": "Mar", "april": "Apr", "may": "May",
		"june": "Jun", "july": "Jul", "august": "Aug", "september": "Sep", "sept": "Sep",
		"october": "Oct", "november": "Nov", "december": "Dec",
		"jan": "Jan", "feb": "Feb", "mar": "Mar", "apr": "Apr", "jun": "Jun", "jul": "Jul",
		"aug": "Aug", "sep": "Sep", "oct": "Oct", "nov": "Nov", "dec": "Dec",
	}
)

// otherLayouts are read after the date has been normalised: no day of the
// week, three-letter month names.
var otherLayouts = []string{
	"Jan _2 15:04:05 2006",       // ANSI C without the day
	"Jan _2 15:04:05 MST 2006",   // Unix date without the day
	"Jan _2 15:04:05 -0700 2006", // Ruby date without the day
	"02-Jan-06 15:04:05 MST",     // RFC 850 without the day
	"Jan 2 2006 15:04:05 -0700",  // "July 20, 1989 18:30:43 +0000"
	"Jan 2 2006 15:04:05 MST",    //
	"Jan 2 2006 15:04:05",        //
	"2 Jan 2006 15:04:05",        // RFC 2822 without a zone: UTC
	"2 Jan 2006 15:04",           //
}

// parseMailTime normalises day and month names and reads the RFC 2822
// family and the named-month layouts.
func parseMailTime(s string) (time.Time, bool) {
	fields := strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '\t' })
	out := make([]string, 0, len(fields))
	for i, f := range fields {
		word := strings.TrimRight(f, ",")
		lower := strings.ToLower(strings.TrimRight(word, "."))
		if i == 0 && dayNames[lower] {
			continue
		}
		if m, ok := monthNames[lower]; ok {
			word = m
		}
		out = append(out, word)
	}
	norm := strings.Join(out, " ")
	if t, err := mail.ParseDate(norm); err == nil {
		return t.UTC(), true
	}
	for _, layout := range otherLayouts {
		if t, err := time.Parse(layout, norm); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// noteDegraded records that field (a fixed name written in the code, never
// a value) could not be read and was replaced: the record still counts,
// and the pipeline counts the field in callveil_records_degraded_total.
func noteDegraded(list *[]string, field string) {
	for _, f := range *list {
		if f == field {
			return
		}
	}
	*list = append(*list, field)
}

// eventTime reads a provider time field of an event leniently
// (parseProviderTime). An empty field is zero; one that cannot be read is
// the record's time, noted as degraded, so that the call is not lost over
// a field that does not identify it.
func eventTime(ev *CallEvent, rec Record, field, raw string) time.Time {
	if strings.TrimSpace(raw) == "" {
		return time.Time{}
	}
	if t, ok := parseProviderTime(raw); ok {
		return t
	}
	noteDegraded(&ev.Degraded, field)
	return rec.Time.UTC()
}

// eventDuration reads a duration in seconds given as text; one that
// cannot be read is unknown, noted as degraded.
func eventDuration(ev *CallEvent, field, raw string) (time.Duration, bool) {
	d, known, err := parseDurationSeconds(ev.Provider, field, raw)
	if err != nil {
		noteDegraded(&ev.Degraded, field)
		return 0, false
	}
	return d, known
}

// epochTime reads a JSON epoch time (seconds, or milliseconds where a
// provider or a relay wrote those) leniently, as eventTime does text.
func (n payloadNumber) epochTime(ev *CallEvent, rec Record, field string) time.Time {
	if n.Bad {
		if n.Raw != "" {
			// A relay may have written the time as text.
			return eventTime(ev, rec, field, n.Raw)
		}
		noteDegraded(&ev.Degraded, field)
		return rec.Time.UTC()
	}
	if !n.Set {
		return time.Time{}
	}
	f := n.F
	if f == 0 {
		// Some relays write 0 for a time not (yet) set.
		return time.Time{}
	}
	if f >= 1e11 && f < 1e14 {
		f /= 1000
	}
	if f < 946684800 || f > 4102444800 { // 2000-01-01 .. 2100-01-01
		noteDegraded(&ev.Degraded, field)
		return rec.Time.UTC()
	}
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(frac*1e9)).UTC()
}

// DegradableFields lists the field names a parser names in
// CallEvent.Degraded or Transcript.Degraded: the bounded vocabulary of the
// callveil_records_degraded_total{field} label. A value of the wrong JSON
// type is named by its struct path (decodeProviderJSON); the paths of the
// fields a user is likely to see are listed, any other counts as "other".
func DegradableFields() []string {
	return []string{
		// Twilio status callback and Call resource.
		"Timestamp", "CallDuration", "start_time", "end_time", "date_created", "duration",
		// Aircall webhook.
		"timestamp", "data.started_at", "data.answered_at", "data.ended_at", "data.duration",
		// Sipgate history ("duration" as for Twilio).
		"created",
		// AWS Transcribe, Deepgram, AssemblyAI offsets.
		"results.items.start_time", "results.items.end_time",
		"results.utterances.start", "results.utterances.end",
		"results.channels.alternatives.words.start", "results.channels.alternatives.words.end",
		"words.start", "words.end", "utterances.start", "utterances.end", "audio_duration",
		// Values of the wrong JSON type (decodeProviderJSON): numbers,
		// names, directions and language codes.
		"from", "to", "direction", "caller_name", "forwarded_from",
		"data.number", "data.raw_digits", "data.direction", "data.missed_call_reason", "data.user", "data.contact",
		"source", "target", "sourceAlias", "targetAlias", "responderAlias",
		"language_code", "results.language_code", "results.utterances", "utterances", "words", "text",
	}
}
