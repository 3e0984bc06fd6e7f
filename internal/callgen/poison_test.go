package callgen

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/callveil/callveil/stages"
)

// TestPoisonRecords checks that each poison record is bad in the way its
// name says (and otherwise well-formed where that matters), so that the
// expected reason is the only right answer.
func TestPoisonRecords(t *testing.T) {
	kinds := poisonKinds(true)
	tr := mustGenerate(t, Config{Seed: 41, Calls: 20, Poison: len(kinds), LargePoison: true})
	if len(tr.Poison) != len(kinds) {
		t.Fatalf("%d poison records, want %d", len(tr.Poison), len(kinds))
	}
	known := map[stages.Reason]bool{
		stages.ReasonMalformedJSON: true, stages.ReasonMalformedForm: true, stages.ReasonInvalidUTF8: true,
		stages.ReasonTooLarge: true, stages.ReasonUnknownProvider: true, stages.ReasonUnknownCallProvider: true,
		stages.ReasonAudioPayload: true, stages.ReasonMissingField: true, stages.ReasonInvalidField: true,
	}
	telephony := map[string]bool{"sipgate": true, "twilio": true, "aircall": true}
	all := map[string]bool{"sipgate": true, "twilio": true, "aircall": true, "aws-transcribe": true, "deepgram": true, "assemblyai": true}

	checks := map[string]func(m Message) bool{
		"malformed-json": func(m Message) bool { return !json.Valid(m.Value) && utf8.Valid(m.Value) },
		"malformed-form": func(m Message) bool {
			_, err := url.ParseQuery(string(m.Value))
			return err != nil && strings.Contains(string(m.Value), "%zz")
		},
		"invalid-utf8": func(m Message) bool {
			return !utf8.Valid(m.Value) && json.Valid(bytes.ToValidUTF8(m.Value, []byte("?")))
		},
		"unknown-shape": func(m Message) bool {
			var v map[string]any
			if json.Unmarshal(m.Value, &v) != nil || m.Headers[HeaderProvider] != "" {
				return false
			}
			for _, k := range []string{"resource", "results", "metadata", "event", "callId", "sid", "CallSid", "jobName", "text"} {
				if _, ok := v[k]; ok {
					return false
				}
			}
			return true
		},
		"unknown-provider-header": func(m Message) bool {
			return json.Valid(m.Value) && m.Headers[HeaderProvider] != "" && !all[m.Headers[HeaderProvider]]
		},
		"audio-base64": func(m Message) bool {
			var v map[string]string
			if json.Unmarshal(m.Value, &v) != nil {
				return false
			}
			b, err := base64.StdEncoding.DecodeString(v["audio"])
			return err == nil && bytes.HasPrefix(b, []byte("RIFF")) && string(b[8:12]) == "WAVE"
		},
		"audio-ogg": func(m Message) bool { return bytes.HasPrefix(m.Value, []byte("OggS")) },
		"deep-nesting": func(m Message) bool {
			var v any
			err := json.Unmarshal(m.Value, &v)
			return err != nil && strings.Contains(err.Error(), "depth") && bytes.Count(m.Value, []byte("[")) > 10000
		},
		"wrong-type": func(m Message) bool {
			var v struct {
				Data map[string]any `json:"data"`
			}
			if json.Unmarshal(m.Value, &v) != nil {
				return false
			}
			_, isObject := v.Data["id"].(map[string]any)
			return isObject
		},
		"missing-field": func(m Message) bool {
			f, err := url.ParseQuery(string(m.Value))
			return err == nil && !f.Has("CallSid") && f.Has("CallStatus") && len(m.Key) == 0
		},
		"unknown-call-provider": func(m Message) bool {
			cp := m.Headers[HeaderCallProvider]
			return json.Valid(m.Value) && cp != "" && !telephony[cp]
		},
		"too-large": func(m Message) bool { return len(m.Value) >= LargePoisonSize && json.Valid(m.Value) },
	}
	seen := map[string]bool{}
	for _, p := range tr.Poison {
		m := tr.Messages[p.Seq]
		if m.Poison != p || m.Call != nil || m.Topic != p.Topic || m.Shape != "poison/"+p.Name {
			t.Fatalf("poison %s: message at seq %d does not belong to it", p.Name, p.Seq)
		}
		if !known[p.Reason] {
			t.Fatalf("poison %s: reason %q is not a stages reason", p.Name, p.Reason)
		}
		check, ok := checks[p.Name]
		if !ok {
			t.Fatalf("poison %s has no check", p.Name)
		}
		if !check(m) {
			t.Errorf("poison %s is not bad in the way its name says", p.Name)
		}
		seen[p.Name] = true
	}
	if len(seen) != len(kinds) {
		t.Fatalf("saw %d distinct poison kinds, want %d", len(seen), len(kinds))
	}
}

func TestLargePoisonIsOptional(t *testing.T) {
	tr := mustGenerate(t, Config{Seed: 42, Calls: 5, Poison: 40})
	for _, p := range tr.Poison {
		if p.Reason == stages.ReasonTooLarge || len(tr.Messages[p.Seq].Value) > 1<<20 {
			t.Fatal("10 MB poison record without LargePoison")
		}
	}
}
