package privacy_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/callveil/callveil/privacy"
)

const logCanary = "CANARY-log-4915123456789"

// tattler records whether anything asked it for its value.
type tattler struct{ called *bool }

func (t tattler) LogValue() slog.Value { *t.called = true; return slog.StringValue(logCanary) }
func (t tattler) String() string       { *t.called = true; return logCanary }

func TestAllowListHandler(t *testing.T) {
	allowed := []string{"reason", "count", "hubspot.status", "batch.size"}
	for _, tc := range []struct {
		name string
		log  func(l *slog.Logger)
		// want are substrings of the JSON output; wantNot must not occur.
		want []string
	}{
		{"allowed key passes", func(l *slog.Logger) { l.Info("m", "reason", "objection", "count", 3) },
			[]string{`"reason":"objection"`, `"count":3`}},
		{"refused key is dropped", func(l *slog.Logger) { l.Info("m", "number", logCanary) },
			[]string{`"number":"[dropped]"`}},
		{"refused key via LogAttrs", func(l *slog.Logger) {
			l.LogAttrs(context.Background(), slog.LevelError, "m", slog.String("text", logCanary), slog.Int("count", 1))
		}, []string{`"text":"[dropped]"`, `"count":1`}},
		{"refused error value", func(l *slog.Logger) { l.Warn("m", "err", errors.New(logCanary)) },
			[]string{`"err":"[dropped]"`}},
		{"key without value", func(l *slog.Logger) {
			args := []any{logCanary} // a value without a key, as a slip would log it
			l.Info("m", args...)
		},
			[]string{`"!BADKEY":"[dropped]"`}},
		{"WithAttrs filtered too", func(l *slog.Logger) { l.With("caller", logCanary, "reason", "x").Info("m") },
			[]string{`"caller":"[dropped]"`, `"reason":"x"`}},
		{"WithGroup paths", func(l *slog.Logger) {
			l.WithGroup("hubspot").Info("m", "status", 429, "token", logCanary)
		}, []string{`"hubspot":{"status":429,"token":"[dropped]"}`}},
		{"group attribute members", func(l *slog.Logger) {
			l.Info("m", slog.Group("batch", "size", 10, "first_number", logCanary))
		}, []string{`"batch":{"size":10,"first_number":"[dropped]"}`}},
		{"group under a refused key", func(l *slog.Logger) {
			l.Info("m", slog.Group("contact", "name", logCanary))
		}, []string{`"contact":"[dropped]"`}},
		{"plain value on a group path", func(l *slog.Logger) { l.Info("m", "batch", logCanary) },
			[]string{`"batch":"[dropped]"`}},
		{"inline group (empty key)", func(l *slog.Logger) {
			l.Info("m", slog.Group("", "reason", "r", "name", logCanary))
		}, []string{`"reason":"r"`, `"name":"[dropped]"`}},
		{"nested WithGroup and group", func(l *slog.Logger) {
			l.WithGroup("outer").Info("m", slog.Group("reason", "x", logCanary))
		}, []string{`"outer":{"reason":"[dropped]"}`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			l := slog.New(privacy.NewAllowListHandler(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}), allowed...))
			tc.log(l)
			out := buf.String()
			if !json.Valid(bytes.TrimSpace(buf.Bytes())) {
				t.Fatalf("not one JSON line: %s", out)
			}
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("output %s lacks %s", out, w)
				}
			}
			if strings.Contains(strings.ToLower(out), strings.ToLower(logCanary)) {
				t.Errorf("canary reached the log: %s", out)
			}
		})
	}
}

// A LogValuer or Stringer under a refused key is never called, so it cannot
// format a value (or panic, or cost) on the way to being dropped.
func TestAllowListHandlerNeverFormatsRefusedValues(t *testing.T) {
	var called bool
	var buf bytes.Buffer
	l := slog.New(privacy.NewAllowListHandler(slog.NewTextHandler(&buf, nil)))
	l.Info("m", "contact", tattler{&called}, slog.Any("caller", tattler{&called}))
	l.With("who", tattler{&called}).WithGroup("g").Info("m", "v", tattler{&called})
	if called {
		t.Error("a refused value was resolved or formatted")
	}
	if strings.Contains(buf.String(), logCanary) {
		t.Errorf("canary in output: %s", buf.String())
	}
	// Under an allowed key it is resolved as usual: the filter is by key.
	called = false
	l.Info("m", "reason", tattler{&called})
	if !called {
		t.Error("an allowed LogValuer was not resolved")
	}
}

func TestAllowListHandlerDefaultsCoverTheCodeBase(t *testing.T) {
	h := privacy.NewAllowListHandler(slog.DiscardHandler)
	keys := strings.Join(h.AllowedKeys(), ",")
	// Keys the pipeline and sinks log today (grep of slog calls).
	for _, k := range []string{"sink", "error_kind", "reason", "topic", "partition", "offset", "op", "status", "cause", "attempt", "category"} {
		if !strings.Contains(","+keys+",", ","+k+",") {
			t.Errorf("default allow-list lacks %q", k)
		}
	}
	for _, personal := range []string{"from", "to", "number", "name", "text", "transcript", "call_id", "email", "token", "key_secret"} {
		if strings.Contains(","+keys+",", ","+personal+",") {
			t.Errorf("default allow-list admits %q", personal)
		}
	}
	// Level filtering is the wrapped handler's.
	var buf bytes.Buffer
	l := slog.New(privacy.NewAllowListHandler(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelWarn})))
	l.Info("quiet")
	if buf.Len() != 0 || l.Enabled(context.Background(), slog.LevelInfo) {
		t.Error("Enabled does not follow the wrapped handler")
	}
}
