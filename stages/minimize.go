package stages

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"hash"
	"strings"
	"sync"
	"time"

	"github.com/nyaruka/phonenumbers/v2"
)

// CallKey is the keyed identity of a call: hex HMAC-SHA256 over provider,
// a NUL separator and the provider's call id. The NUL keeps ("ab","c") and
// ("a","bc") apart. Transcripts, events and the join all key calls this
// way, so the raw provider id never has to leave the stages.
func CallKey(secret []byte, provider Provider, callID string) string {
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(provider))
	mac.Write([]byte{0})
	mac.Write([]byte(callID))
	return hex.EncodeToString(mac.Sum(nil))
}

// MinimizeConfig configures MinimizeMetadata.
type MinimizeConfig struct {
	// KeySecret keys CallKey; required, at least 16 bytes.
	KeySecret []byte
	// DefaultRegion (ISO 3166 alpha-2, e.g. "DE") is used to read national
	// number formats when the provider names no region. "" means national
	// numbers without a region are dropped rather than guessed.
	DefaultRegion string
}

// MinimizeMetadata turns the merged facts of one call into a Call: the only
// call metadata that survives (keyed id, E.164 numbers, start, duration,
// direction, status). Names, hints and raw ids stay behind. Safe for
// concurrent use.
type MinimizeMetadata struct {
	secret        []byte
	defaultRegion string
	// macs holds keyed HMAC-SHA256 states for CallKey: resetting one is
	// far cheaper than keying a new one per call.
	macs sync.Pool
	// numbers remembers normalised numbers; see e164Cache.
	numbers e164Cache
}

// NewMinimizeMetadata validates cfg. The secret is copied so a caller
// reusing its buffer cannot change keys under a running pipeline.
func NewMinimizeMetadata(cfg MinimizeConfig) (*MinimizeMetadata, error) {
	if len(cfg.KeySecret) < 16 {
		return nil, errors.New("minimize: key secret must be at least 16 bytes")
	}
	region := strings.ToUpper(strings.TrimSpace(cfg.DefaultRegion))
	if region != "" && phonenumbers.GetCountryCodeForRegion(region) == 0 {
		return nil, errors.New("minimize: default region is not a known ISO 3166 region")
	}
	m := &MinimizeMetadata{
		secret:        append([]byte(nil), cfg.KeySecret...),
		defaultRegion: region,
		numbers:       e164Cache{max: e164CacheGeneration},
	}
	m.macs.New = func() any { return hmac.New(sha256.New, m.secret) }
	return m, nil
}

// callKey is CallKey with a pooled HMAC state.
func (m *MinimizeMetadata) callKey(provider Provider, callID string) string {
	mac := m.macs.Get().(hash.Hash)
	mac.Reset()
	mac.Write([]byte(provider))
	mac.Write([]byte{0})
	mac.Write([]byte(callID))
	var sum [sha256.Size]byte
	key := hex.EncodeToString(mac.Sum(sum[:0]))
	m.macs.Put(mac)
	return key
}

// e164CacheGeneration bounds each of the cache's two generations. A
// company's own lines and its regular callers recur call after call; a few
// thousand entries hold them with room to spare, at well under a MiB.
const e164CacheGeneration = 4096

// e164Cache remembers normalizeE164 results: libphonenumber's parse costs
// tens of microseconds (its extension regexp alone is most of it), and the
// same company lines appear on every call. The function is pure, so a
// cached result is the result. Two generations bound the memory: when the
// current one is full it becomes the previous one and the older entries
// are dropped; a hit in the previous generation moves back to the current
// one, so numbers in steady use stay. It holds numbers only in process
// memory, like the join does while a call is open; nothing reads it but
// normalize.
type e164Cache struct {
	mu        sync.Mutex
	max       int
	cur, prev map[e164Key]string
}

type e164Key struct {
	raw, region         string
	bareIsInternational bool
}

func (c *e164Cache) normalize(raw, region string, bareIsInternational bool) string {
	k := e164Key{raw, region, bareIsInternational}
	c.mu.Lock()
	if v, ok := c.cur[k]; ok {
		c.mu.Unlock()
		return v
	}
	if v, ok := c.prev[k]; ok {
		c.putLocked(k, v)
		c.mu.Unlock()
		return v
	}
	c.mu.Unlock()
	// Outside the lock: concurrent misses on one number compute the same
	// value twice, which is cheaper than serialising every parse.
	v := normalizeE164(raw, region, bareIsInternational)
	c.mu.Lock()
	c.putLocked(k, v)
	c.mu.Unlock()
	return v
}

func (c *e164Cache) putLocked(k e164Key, v string) {
	if c.cur == nil || len(c.cur) >= c.max {
		c.prev, c.cur = c.cur, make(map[e164Key]string, c.max)
	}
	c.cur[k] = v
}

// CallFacts accumulates what the events of one call say. It holds raw,
// personal values (numbers, provider id, hints) and lives only inside the
// join until Minimize; it is never stored or emitted.
type CallFacts struct {
	Provider Provider
	CallID   string
	// From, To and Region as the provider wrote them.
	From, To, Region string
	// Start is the earliest set-up time seen, Answered the earliest answer
	// time, End the latest end time.
	Start, Answered, End time.Time
	// Duration is the largest talk time a provider stated (Aircall states
	// 0 until the call ends, so the largest is the final one).
	Duration      time.Duration
	DurationKnown bool
	Direction     Direction
	Status        Status
	// Complete is set once an event with PhaseEnded was merged.
	Complete bool
	// Hints is the union of the events' hints, for the redactor only.
	Hints Hints

	// Phase of the event that last set each identity field: a later phase
	// overrides an earlier one, so the merge result does not depend on
	// arrival order.
	fromPhase, toPhase, regionPhase, directionPhase Phase
}

// Merge folds one event of the call into f. Events may come in any order and
// repeat: times take the earliest start/answer and the latest end, the final
// status outranks in_progress, and the identity fields come from the event
// with the highest phase that has them.
func (f *CallFacts) Merge(ev *CallEvent) {
	if ev == nil {
		return
	}
	if f.Provider == "" {
		f.Provider = ev.Provider
	}
	if f.CallID == "" {
		f.CallID = ev.CallID
	}
	mergeFactField(&f.From, &f.fromPhase, ev.From, ev.Phase)
	mergeFactField(&f.To, &f.toPhase, ev.To, ev.Phase)
	mergeFactField(&f.Region, &f.regionPhase, ev.Region, ev.Phase)
	dir := string(f.Direction)
	mergeFactField(&dir, &f.directionPhase, string(ev.Direction), ev.Phase)
	f.Direction = Direction(dir)

	f.Start = earliestTime(f.Start, ev.Start)
	f.Answered = earliestTime(f.Answered, ev.Answered)
	if !ev.End.IsZero() && ev.End.After(f.End) {
		f.End = ev.End
	}
	if ev.DurationKnown && (!f.DurationKnown || ev.Duration > f.Duration) {
		f.Duration, f.DurationKnown = ev.Duration, true
	}
	if statusRank(ev.Status) > statusRank(f.Status) {
		f.Status = ev.Status
	}
	if ev.Phase == PhaseEnded {
		f.Complete = true
	}
	f.Hints.Names = appendUniqueStrings(f.Hints.Names, ev.Hints.Names)
	f.Hints.Numbers = appendUniqueStrings(f.Hints.Numbers, ev.Hints.Numbers)
}

func mergeFactField(dst *string, dstPhase *Phase, v string, p Phase) {
	if v == "" {
		return
	}
	if *dst == "" || p > *dstPhase {
		*dst, *dstPhase = v, p
	}
}

func earliestTime(cur, t time.Time) time.Time {
	if t.IsZero() {
		return cur
	}
	if cur.IsZero() || t.Before(cur) {
		return t
	}
	return cur
}

// statusRank orders statuses so that merging is order independent: any
// final status beats in_progress, and among conflicting final statuses
// (duplicated or contradicting callbacks) the one that says the most about
// what happened wins: a call that connected is completed whatever else was
// reported.
func statusRank(s Status) int {
	switch s {
	case StatusInProgress:
		return 1
	case StatusFailed:
		return 2
	case StatusCanceled:
		return 3
	case StatusNoAnswer:
		return 4
	case StatusBusy:
		return 5
	case StatusCompleted:
		return 6
	}
	return 0
}

func appendUniqueStrings(dst, src []string) []string {
	for _, s := range src {
		if s == "" {
			continue
		}
		dup := false
		for _, d := range dst {
			if d == s {
				dup = true
				break
			}
		}
		if !dup {
			dst = append(dst, s)
		}
	}
	return dst
}

// TalkDuration is the stated talk time, or else end minus answer; an
// unanswered call talked for 0.
func (f *CallFacts) TalkDuration() time.Duration {
	if f.DurationKnown {
		return max(f.Duration, 0)
	}
	if f.Answered.IsZero() || f.End.IsZero() || f.End.Before(f.Answered) {
		return 0
	}
	return f.End.Sub(f.Answered)
}

// Minimize turns f into a Call. Numbers that are not phone numbers
// (anonymous, SIP or client identities, garbage) become "".
func (m *MinimizeMetadata) Minimize(f *CallFacts) (Call, error) {
	if f == nil || f.Provider == "" {
		return Call{}, NewError(ReasonMissingField, "", "provider", "call has no provider")
	}
	if f.CallID == "" {
		return Call{}, NewError(ReasonMissingField, f.Provider, "callId", "call has no call id")
	}
	region := strings.ToUpper(f.Region)
	if region == "" || phonenumbers.GetCountryCodeForRegion(region) == 0 {
		region = m.defaultRegion
	}
	// Sipgate writes E.164 without '+' ("492111234567"); other providers
	// write '+' or national formats, so a bare digit string means different
	// things per provider.
	bareIsInternational := f.Provider == ProviderSipgate
	talk := f.TalkDuration()

	start := f.Start
	switch {
	case !start.IsZero():
	case !f.Answered.IsZero():
		start = f.Answered
	case !f.End.IsZero():
		// Only the end is known (e.g. a lone Twilio "completed" callback):
		// the call started at least its talk time earlier.
		start = f.End.Add(-talk)
	}
	if !start.IsZero() {
		start = start.UTC().Truncate(time.Second)
	}

	status := f.Status
	if f.Complete && (status == StatusUnknown || status == StatusInProgress) {
		// The end event named no outcome we know: a call someone answered
		// completed; otherwise we do not claim one.
		status = StatusUnknown
		if !f.Answered.IsZero() || talk > 0 {
			status = StatusCompleted
		}
	}

	return Call{
		Key:             m.callKey(f.Provider, f.CallID),
		From:            m.numbers.normalize(f.From, region, bareIsInternational),
		To:              m.numbers.normalize(f.To, region, bareIsInternational),
		Start:           start,
		DurationSeconds: int64(talk.Round(time.Second) / time.Second),
		Direction:       f.Direction,
		Status:          status,
	}, nil
}

// maxPhoneInputLen bounds what is handed to the phone number parser; no
// phone number with formatting comes near it.
const maxPhoneInputLen = 64

// normalizeE164 returns raw as an E.164 number, or "" when it is not a phone
// number we can place. region reads national formats ("01579-9912345");
// bareIsInternational says a digit string without '+' or trunk prefix is
// E.164 without the '+'.
func normalizeE164(raw, region string, bareIsInternational bool) string {
	s := strings.TrimSpace(raw)
	if len(s) < 3 || len(s) > maxPhoneInputLen {
		return ""
	}
	if len(s) > 4 && strings.EqualFold(s[:4], "tel:") {
		s = s[4:]
		if i := strings.IndexByte(s, ';'); i >= 0 {
			s = s[:i]
		}
	}
	digits := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '+' || r == ' ' || r == '-' || r == '(' || r == ')' || r == '.' || r == '/':
		default:
			// Letters, ':' or '@' mean "anonymous", "sip:…", "client:…" or
			// a vanity string: identities, not numbers.
			return ""
		}
	}
	if digits < 3 {
		return ""
	}
	if strings.Count(s, "+") > 1 || (strings.Contains(s, "+") && s[0] != '+') {
		return ""
	}
	bare := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)

	switch {
	case s[0] == '+':
		return formatPossibleE164(s, "")
	case strings.HasPrefix(bare, "00"):
		if region != "" {
			if out := formatPossibleE164(s, region); out != "" {
				return out
			}
		}
		return formatPossibleE164("+"+bare[2:], "")
	case bare[0] == '0':
		if region == "" {
			return ""
		}
		return formatPossibleE164(s, region)
	case bareIsInternational:
		return formatPossibleE164("+"+bare, "")
	default:
		// A bare digit string from a provider that usually writes '+': a
		// valid national reading beats a valid international one, then fall
		// back to whichever is merely possible.
		if region != "" {
			if out := formatValidE164(s, region); out != "" {
				return out
			}
		}
		if out := formatValidE164("+"+bare, ""); out != "" {
			return out
		}
		if region != "" {
			if out := formatPossibleE164(s, region); out != "" {
				return out
			}
		}
		return formatPossibleE164("+"+bare, "")
	}
}

// formatPossibleE164 accepts any number of a possible length for its
// country: validity tables lag real allocations, and dropping a real number
// would lose the CRM match.
func formatPossibleE164(s, region string) string {
	num, err := phonenumbers.Parse(s, phoneParseRegion(region))
	if err != nil || !phonenumbers.IsPossibleNumber(num) {
		return ""
	}
	return phonenumbers.Format(num, phonenumbers.E164)
}

func formatValidE164(s, region string) string {
	num, err := phonenumbers.Parse(s, phoneParseRegion(region))
	if err != nil || !phonenumbers.IsValidNumber(num) {
		return ""
	}
	return phonenumbers.Format(num, phonenumbers.E164)
}

func phoneParseRegion(region string) string {
	if region == "" {
		return "ZZ"
	}
	return region
}
