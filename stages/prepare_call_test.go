package stages

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/callveil/callveil/redact"
)

// Canaries: values that must never reach a Call, a skip reason or an error.
const (
	prepCanaryName   = "Quillonby"
	prepCanaryNumber = "+49 1579 9912345"
	prepCanaryE164   = "+4915799912345"
	prepCanaryID     = "CA-canary-7731"
)

// policyFunc adapts a function to CallPolicy; it records the calls it saw.
type policyFunc struct {
	mu   sync.Mutex
	seen []Call
	fn   func(Call) (bool, string)
}

func (p *policyFunc) Skip(c Call) (bool, string) {
	p.mu.Lock()
	p.seen = append(p.seen, c)
	p.mu.Unlock()
	return p.fn(c)
}

func newTestPrepareCall(t testing.TB, red *redact.Redactor, policy CallPolicy) *PrepareCall {
	t.Helper()
	s, err := NewPrepareCall(PrepareCallConfig{
		KeySecret: testKeySecret, DefaultRegion: "DE",
		Redact: RedactConfig{Redactor: red, Language: "en"}, Policy: policy,
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestNewPrepareCallValidatesConfig(t *testing.T) {
	red := &redact.Redactor{} // never called: only its presence is checked
	tests := []struct {
		name    string
		cfg     PrepareCallConfig
		wantErr bool
	}{
		{"ok", PrepareCallConfig{KeySecret: testKeySecret, DefaultRegion: "DE", Redact: RedactConfig{Redactor: red}}, false},
		{"ok without policy or region", PrepareCallConfig{KeySecret: testKeySecret, Redact: RedactConfig{Redactor: red}}, false},
		{"short secret", PrepareCallConfig{KeySecret: []byte("short"), Redact: RedactConfig{Redactor: red}}, true},
		{"unknown region", PrepareCallConfig{KeySecret: testKeySecret, DefaultRegion: "XX", Redact: RedactConfig{Redactor: red}}, true},
		{"no redactor", PrepareCallConfig{KeySecret: testKeySecret}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewPrepareCall(tc.cfg)
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tc.wantErr)
			}
		})
	}
}

// prepareEvents is one answered Twilio call: set-up, answer and end, each
// carrying a different part of the facts.
func prepareEvents() []*CallEvent {
	t0 := time.Date(2026, 3, 1, 9, 30, 0, 500_000_000, time.UTC)
	return []*CallEvent{
		{Provider: ProviderTwilio, CallID: prepCanaryID, Phase: PhaseStarted, From: prepCanaryNumber, To: "030 1234567",
			Start: t0, Direction: DirectionInbound, Status: StatusInProgress, Hints: Hints{Names: []string{prepCanaryName}}},
		{Provider: ProviderTwilio, CallID: prepCanaryID, Phase: PhaseAnswered, Answered: t0.Add(5 * time.Second)},
		{Provider: ProviderTwilio, CallID: prepCanaryID, Phase: PhaseEnded, End: t0.Add(65 * time.Second), Status: StatusCompleted},
	}
}

func reversed(evs []*CallEvent) []*CallEvent {
	out := make([]*CallEvent, len(evs))
	for i, ev := range evs {
		out[len(evs)-1-i] = ev
	}
	return out
}

// assertNoCanary fails when s holds any raw input value.
func assertNoCanary(t *testing.T, what, s string) {
	t.Helper()
	for _, c := range []string{prepCanaryName, prepCanaryNumber, prepCanaryE164, prepCanaryID, "9912345"} {
		if strings.Contains(s, c) {
			t.Errorf("%s holds input value %q: %q", what, c, s)
		}
	}
}

func TestPrepareCall(t *testing.T) {
	red, err := redact.New(redact.Config{Languages: []string{"en"}, NoNameModel: true})
	if err != nil {
		t.Fatal(err)
	}
	wantCall := Call{
		Key:  CallKey(testKeySecret, ProviderTwilio, prepCanaryID),
		From: prepCanaryE164, To: "+49301234567",
		Start:           time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC),
		DurationSeconds: 60, Direction: DirectionInbound, Status: StatusCompleted,
	}
	transcript := &Transcript{Provider: ProviderDeepgram, Segments: []Segment{
		{Speaker: "A", Start: 0, End: 3, Text: "hello this is " + prepCanaryName + " speaking"},
		{Speaker: "B", Start: 3, End: 7, Text: "please call me back on " + prepCanaryNumber + " tomorrow"},
	}}
	tests := []struct {
		name   string
		events []*CallEvent
		tr     *Transcript
		policy func(Call) (bool, string)
		check  func(t *testing.T, out RedactedCall, skip string, err error, seen []Call)
	}{{
		name:   "events merge into one minimised call in any order",
		events: reversed(prepareEvents()),
		check: func(t *testing.T, out RedactedCall, skip string, err error, _ []Call) {
			if err != nil || skip != "" {
				t.Fatalf("err = %v, skip = %q", err, skip)
			}
			if !reflect.DeepEqual(out, RedactedCall{Call: wantCall}) {
				t.Fatalf("out = %+v\nwant %+v", out, RedactedCall{Call: wantCall})
			}
		},
	}, {
		name: "minimisation drops identities and keeps only E.164",
		events: []*CallEvent{{Provider: ProviderTwilio, CallID: prepCanaryID, Phase: PhaseEnded,
			From: "client:" + prepCanaryName, To: "030 1234567", Status: StatusNoAnswer,
			Hints: Hints{Names: []string{prepCanaryName}, Numbers: []string{prepCanaryNumber}}}},
		check: func(t *testing.T, out RedactedCall, skip string, err error, _ []Call) {
			if err != nil || skip != "" {
				t.Fatalf("err = %v, skip = %q", err, skip)
			}
			if out.From != "" || out.To != "+49301234567" || out.Status != StatusNoAnswer || out.DurationSeconds != 0 {
				t.Fatalf("out = %+v", out)
			}
			assertNoCanary(t, "call", fmt.Sprintf("%+v", out.Call))
		},
	}, {
		name:   "the policy sees the minimised call and stops it before redaction",
		events: prepareEvents(), tr: transcript,
		policy: func(c Call) (bool, string) { return c.From == prepCanaryE164, "objection" },
		check: func(t *testing.T, out RedactedCall, skip string, err error, seen []Call) {
			if err != nil || skip != "objection" {
				t.Fatalf("err = %v, skip = %q, want objection", err, skip)
			}
			if !reflect.DeepEqual(out, RedactedCall{}) {
				t.Fatalf("a skipped call came out: %+v", out)
			}
			if len(seen) != 1 || seen[0] != wantCall {
				t.Fatalf("policy saw %+v, want the minimised call once", seen)
			}
		},
	}, {
		name:   "a call the policy lets through is redacted with its hints",
		events: prepareEvents(), tr: transcript,
		policy: func(Call) (bool, string) { return false, "" },
		check: func(t *testing.T, out RedactedCall, skip string, err error, _ []Call) {
			if err != nil || skip != "" {
				t.Fatalf("err = %v, skip = %q", err, skip)
			}
			if out.Call != wantCall || out.Language != "en" || len(out.Transcript) != 2 {
				t.Fatalf("out = %+v", out)
			}
			for i, seg := range out.Transcript {
				in := transcript.Segments[i]
				if seg.Speaker != in.Speaker || seg.Start != in.Start || seg.End != in.End {
					t.Errorf("segment %d = %+v, want timing and speaker of %+v", i, seg, in)
				}
				assertNoCanary(t, "transcript", seg.Text)
			}
			if out.Redactions["PERSON"] < 1 || out.Redactions["PHONE_NUMBER"] < 1 {
				t.Errorf("redactions = %v, want PERSON and PHONE_NUMBER", out.Redactions)
			}
		},
	}, {
		name:   "a call without a provider is a missing_field error",
		events: []*CallEvent{nil},
		check: func(t *testing.T, out RedactedCall, skip string, err error, _ []Call) {
			var se *Error
			if !errors.As(err, &se) || se.Reason != ReasonMissingField || skip != "" {
				t.Fatalf("err = %v, skip = %q, want missing_field", err, skip)
			}
		},
	}, {
		name:   "a panicking policy becomes a value-free stage_panic error",
		events: prepareEvents(), tr: transcript,
		policy: func(c Call) (bool, string) {
			panic(fmt.Sprintf("policy broke on %s %s %s", c.From, prepCanaryName, prepCanaryNumber))
		},
		check: func(t *testing.T, out RedactedCall, skip string, err error, _ []Call) {
			var se *Error
			if !errors.As(err, &se) || se.Reason != ReasonStagePanic {
				t.Fatalf("err = %v, want stage_panic", err)
			}
			if skip != "" || !reflect.DeepEqual(out, RedactedCall{}) {
				t.Fatalf("skip = %q, out = %+v after a panic", skip, out)
			}
			assertNoCanary(t, "error", err.Error())
			assertNoCanary(t, "error fields", fmt.Sprintf("%+v", *se))
		},
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var policy *policyFunc
			var cp CallPolicy
			if tc.policy != nil {
				policy = &policyFunc{fn: tc.policy}
				cp = policy
			}
			out, skip, err := newTestPrepareCall(t, red, cp).Apply(tc.events, tc.tr)
			var seen []Call
			if policy != nil {
				seen = policy.seen
			}
			tc.check(t, out, skip, err, seen)
		})
	}
}

// TestPrepareCallConcurrent runs one stage from many goroutines (the
// pipeline's redact workers share it) and expects the serial results; run
// with -race.
func TestPrepareCallConcurrent(t *testing.T) {
	red, err := redact.New(redact.Config{Languages: []string{"en"}, NoNameModel: true})
	if err != nil {
		t.Fatal(err)
	}
	s := newTestPrepareCall(t, red, &policyFunc{fn: func(c Call) (bool, string) { return c.Status == StatusBusy, "objection" }})
	inputs := make([][]*CallEvent, 32)
	for i := range inputs {
		evs := prepareEvents()
		for _, ev := range evs {
			ev.CallID = fmt.Sprintf("call-%d", i)
			if i%4 == 0 && ev.Phase == PhaseEnded {
				ev.Status = StatusBusy
			}
		}
		inputs[i] = evs
	}
	tr := &Transcript{Segments: []Segment{{Speaker: "A", Text: "call me on " + prepCanaryNumber}}}
	type result struct {
		out  RedactedCall
		skip string
		err  error
	}
	want := make([]result, len(inputs))
	for i, evs := range inputs {
		want[i].out, want[i].skip, want[i].err = s.Apply(evs, tr)
	}
	got := make([]result, len(inputs))
	var wg sync.WaitGroup
	for i, evs := range inputs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i].out, got[i].skip, got[i].err = s.Apply(evs, tr)
		}()
	}
	wg.Wait()
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("concurrent results differ from serial ones")
	}
}
