package pipeline

import (
	"errors"
	"testing"
	"time"

	"github.com/callveil/callveil/stages"
)

// TestOutcomesOfRefusalsAndRedaction pins what each step decides: the
// kind, the records it covers and the reason or letter it carries.
func TestOutcomesOfRefusalsAndRedaction(t *testing.T) {
	tok := NewOffsetTracker().Begin("events", 0, 7)
	bad := stages.NewError(stages.ReasonInvalidField, "", "from", "")
	cases := []struct {
		name string
		o    outcome
		kind outcomeKind
		why  string
	}{
		{"unsupported", must(refusal(tok, stages.Parsed{}, stages.NewError(stages.ReasonUnsupportedEvent, "", "", ""))), outcomeSkip, "unsupported_event"},
		{"parse error", must(refusal(tok, stages.Parsed{}, bad)), outcomeDeadLetter, string(stages.ReasonInvalidField)},
		{"other error", must(refusal(tok, stages.Parsed{}, errors.New("x"))), outcomeDeadLetter, string(stages.ReasonInvalidField)},
		{"no call data", must(refusal(tok, stages.Parsed{}, nil)), outcomeSkip, "no_call_data"},
		{"policy skip", redactedOutcome(stages.Joined[Token]{Refs: []Token{tok}}, redacted{skip: "opted_out"}), outcomeSkip, "opted_out"},
		{"redact error", redactedOutcome(stages.Joined[Token]{Refs: []Token{tok}}, redacted{err: bad}), outcomeDeadLetter, string(stages.ReasonInvalidField)},
		{"provisional skip", redactedOutcome(stages.Joined[Token]{Provisional: true}, redacted{skip: "opted_out"}), outcomeNone, ""},
		{"provisional", redactedOutcome(stages.Joined[Token]{Provisional: true}, redacted{}), outcomeDeliver, ""},
		{"orphan", orphan(stages.Joined[Token]{Refs: []Token{tok}}), outcomeDeadLetter, string(ReasonOrphanTranscript)},
	}
	for _, c := range cases {
		why := c.o.reason
		if c.o.kind == outcomeDeadLetter {
			why = string(c.o.letter.Reason)
		}
		if c.o.kind != c.kind || why != c.why {
			t.Errorf("%s: kind %d reason %q, want %d %q", c.name, c.o.kind, why, c.kind, c.why)
		}
		if c.kind == outcomeSkip || c.kind == outcomeDeadLetter {
			if len(c.o.tokens) != 1 || c.o.tokens[0] != tok {
				t.Errorf("%s: covers %v, want the one record", c.name, c.o.tokens)
			}
		}
	}
	if o := redactedOutcome(stages.Joined[Token]{Provisional: true}, redacted{}); !o.delivery.call.Provisional {
		t.Error("a provisional call is delivered unmarked")
	}
	if _, ok := refusal(tok, stages.Parsed{Event: &stages.CallEvent{}}, nil); ok {
		t.Error("a record with a call event is refused")
	}
	if dl := letterFor(bad).at(tok, time.Unix(0, 0)); dl.Topic != "events" || dl.Offset != 7 || dl.Field != "from" {
		t.Errorf("letter %+v does not name the record", dl)
	}
}

func must(o outcome, ok bool) outcome {
	if !ok {
		return outcome{kind: -1}
	}
	return o
}
