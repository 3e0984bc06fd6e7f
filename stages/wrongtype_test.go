package stages

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// setJSONPath replaces the value at a dotted path of a JSON object.
func setJSONPath(t *testing.T, body []byte, path string, v any) []byte {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatal(err)
	}
	keys := strings.Split(path, ".")
	m := doc
	for _, k := range keys[:len(keys)-1] {
		next, ok := m[k].(map[string]any)
		if !ok {
			t.Fatalf("path %s: %s is not an object in the fixture", path, k)
		}
		m = next
	}
	if _, ok := m[keys[len(keys)-1]]; !ok {
		t.Fatalf("path %s: not in the fixture", path)
	}
	m[keys[len(keys)-1]] = v
	out, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// A value of the wrong JSON type costs only its field, unless the field
// identifies the call or says what the event is: the record is accepted
// with the field left out and named as degraded (issue 15's audit), on
// the fast path and on encoding/json's alike.
func TestWrongTypeInAFieldThatDoesNotIdentifyTheCall(t *testing.T) {
	object, text := map[string]any{"x": 1}, "x"
	tests := []struct {
		provider, fixture, key, path string
		value                        any
		refused                      string // the field refused with invalid_field; "" = accepted
	}{
		{"twilio", "call_resource_inbound_busy.json", "", "from", object, ""},
		{"twilio", "call_resource_inbound_busy.json", "", "caller_name", object, ""},
		{"twilio", "call_resource_inbound_busy.json", "", "direction", []any{1}, ""},
		{"twilio", "call_resource_inbound_busy.json", "", "sid", object, "sid"},
		{"twilio", "call_resource_inbound_busy.json", "", "status", object, "status"},
		{"aircall", "call.ended.inbound.json", "", "data.number", text, ""},
		{"aircall", "call.ended.inbound.json", "", "data.raw_digits", object, ""},
		{"aircall", "call.ended.inbound.json", "", "data.contact", text, ""},
		{"aircall", "call.ended.inbound.json", "", "data.user", []any{1}, ""},
		{"aircall", "call.ended.inbound.json", "", "data.id", object, "data.id"},
		{"aircall", "call.ended.inbound.json", "", "event", object, "event"},
		{"sipgate", "history_call_incoming_national.json", "", "source", object, ""},
		{"sipgate", "history_call_incoming_national.json", "", "sourceAlias", object, ""},
		{"assemblyai", "utterances.json", "twilio:CA1", "language_code", object, ""},
		{"assemblyai", "utterances.json", "twilio:CA1", "status", object, "status"},
		{"aws-transcribe", "speakers_on_items_language_id.json", "twilio:CA1", "results.language_code", object, ""},
		{"deepgram", "utterances.json", "twilio:CA1", "results.utterances", text, ""},
		{"deepgram", "utterances.json", "twilio:CA1", "results.channels", text, "results.channels"},
	}
	p := newTestParser(t)
	for _, tc := range tests {
		t.Run(tc.provider+"/"+tc.path, func(t *testing.T) {
			body := setJSONPath(t, readProviderFixture(t, tc.provider, tc.fixture), tc.path, tc.value)
			got, err := p.Parse(Record{Value: body, Key: []byte(tc.key), Time: testRecordTime})
			if tc.refused != "" {
				if se := requireReason(t, err, ReasonInvalidField); se.Field != tc.refused {
					t.Fatalf("refused field %q, want %q", se.Field, tc.refused)
				}
				return
			}
			if err != nil {
				t.Fatalf("refused (%v); want it accepted with %s degraded", err, tc.path)
			}
			if !slices.Contains(got.Degraded(), tc.path) {
				t.Errorf("degraded %v, want %s named", got.Degraded(), tc.path)
			}
		})
	}
}
