package callgen

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nyaruka/phonenumbers/v2"

	"github.com/callveil/callveil/stages"
)

// These tests read the generated payloads back the way a consumer would
// (encoding/json, net/url, libphonenumber) and check them field for field
// against the provider formats and against the truth.

func decodeJSON(t *testing.T, b []byte) map[string]any {
	t.Helper()
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var m map[string]any
	if err := d.Decode(&m); err != nil {
		t.Fatalf("payload is not a JSON object: %v", err)
	}
	return m
}

// at walks a decoded JSON value: string keys for objects, int keys for
// arrays. It returns nil when the path does not exist.
func at(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				return nil
			}
			v = m[k]
		case int:
			a, ok := v.([]any)
			if !ok || k >= len(a) {
				return nil
			}
			v = a[k]
		}
	}
	return v
}

func str(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case json.Number:
		return x.String()
	}
	return ""
}

func num(t *testing.T, v any) int64 {
	t.Helper()
	n, ok := v.(json.Number)
	if !ok {
		t.Fatalf("%v (%T) is not a JSON number", v, v)
	}
	i, err := n.Int64()
	if err != nil {
		t.Fatalf("%v is not an integer", n)
	}
	return i
}

// eventFields reads a Sipgate or Twilio event as key -> values, whatever
// its encoding.
func eventFields(t *testing.T, m Message) url.Values {
	t.Helper()
	if m.Shape == ShapeSipgateJSON {
		out := url.Values{}
		for k, v := range decodeJSON(t, m.Value) {
			switch x := v.(type) {
			case string:
				out.Add(k, x)
			case []any:
				for _, e := range x {
					out.Add(k, str(e))
				}
			default:
				t.Fatalf("sipgate JSON field %s has type %T", k, v)
			}
		}
		return out
	}
	vals, err := url.ParseQuery(string(m.Value))
	if err != nil {
		t.Fatalf("%s body does not parse as a form: %v", m.Shape, err)
	}
	return vals
}

func byCall(tr *Traffic) map[*CallTruth][]Message {
	out := map[*CallTruth][]Message{}
	for _, m := range tr.Messages {
		if m.Call != nil {
			out[m.Call] = append(out[m.Call], m)
		}
	}
	return out
}

func externalNumber(c *CallTruth) string {
	if c.Direction == stages.DirectionInbound {
		return c.From
	}
	return c.To
}

func companyNumber(c *CallTruth) string {
	if c.Direction == stages.DirectionInbound {
		return c.To
	}
	return c.From
}

func e164Of(t *testing.T, raw, region string) string {
	t.Helper()
	n, err := phonenumbers.Parse(raw, region)
	if err != nil {
		t.Fatalf("number %q does not parse: %v", raw, err)
	}
	if !phonenumbers.IsValidNumber(n) {
		t.Fatalf("number %q is not a valid number", raw)
	}
	return phonenumbers.Format(n, phonenumbers.E164)
}

func TestTruthNumbersAreValidE164(t *testing.T) {
	tr := mustGenerate(t, Config{Seed: 21, Calls: 400})
	for _, c := range tr.Calls {
		for _, n := range []string{c.From, c.To} {
			if n == "" && c.Withheld {
				continue
			}
			if got := e164Of(t, n, ""); got != n {
				t.Fatalf("call %d: %q is not in E.164 (libphonenumber says %q)", c.Index, n, got)
			}
		}
	}
}

func TestSipgatePushEvents(t *testing.T) {
	tr := mustGenerate(t, Config{Seed: 22, Calls: 200, Providers: []stages.Provider{stages.ProviderSipgate}, TranscriptShare: -1})
	for c, msgs := range byCall(tr) {
		var events []string
		var answerAt time.Time
		for i, m := range msgs {
			f := eventFields(t, m)
			events = append(events, f.Get("event"))
			if f.Get("callId") != string(m.Key) || c.CallID != string(m.Key) {
				t.Fatalf("call %d: callId %q, key %q", c.Index, f.Get("callId"), m.Key)
			}
			wantDir := map[stages.Direction]string{stages.DirectionInbound: "in", stages.DirectionOutbound: "out"}[c.Direction]
			if f.Get("direction") != wantDir {
				t.Fatalf("call %d: direction %q", c.Index, f.Get("direction"))
			}
			wantFrom := strings.TrimPrefix(c.From, "+")
			if c.Withheld {
				wantFrom = "anonymous"
			}
			if f.Get("from") != wantFrom || f.Get("to") != strings.TrimPrefix(c.To, "+") {
				t.Fatalf("call %d: from/to %q/%q, want %q/%q", c.Index, f.Get("from"), f.Get("to"), wantFrom, c.To)
			}
			for _, k := range []string{"timestamp", "time", "duration"} {
				if f.Has(k) {
					t.Fatalf("push events carry no %s", k)
				}
			}
			switch f.Get("event") {
			case "newCall":
				if i != 0 || !m.Time.Equal(c.Start) {
					t.Fatalf("call %d: newCall at %d/%v, start %v", c.Index, i, m.Time, c.Start)
				}
				if got := f["user[]"]; strings.Join(got, "|") != strings.Join(c.MetadataNames, "|") || len(f["fullUserId[]"]) != len(got) {
					t.Fatalf("call %d: user[] %q, metadata names %q", c.Index, got, c.MetadataNames)
				}
			case "answer":
				answerAt = m.Time
				if f.Get("user") != c.MetadataNames[0] || f.Get("answeringNumber") != strings.TrimPrefix(companyNumber(c), "+") {
					t.Fatalf("call %d: answer event user/answeringNumber wrong", c.Index)
				}
			case "hangup":
				want := map[stages.Status]string{stages.StatusCompleted: "normalClearing", stages.StatusNoAnswer: "noAnswer",
					stages.StatusBusy: "busy", stages.StatusCanceled: "cancel"}[c.Status]
				if f.Get("cause") != want {
					t.Fatalf("call %d: cause %q for status %q", c.Index, f.Get("cause"), c.Status)
				}
				var d int64
				if !answerAt.IsZero() {
					d = int64(m.Time.Sub(answerAt) / time.Second)
				}
				if d != c.DurationSeconds {
					t.Fatalf("call %d: hangup-answer %ds, truth %ds", c.Index, d, c.DurationSeconds)
				}
			}
		}
		want := "newCall,hangup"
		if c.Answered {
			want = "newCall,answer,hangup"
		}
		if strings.Join(events, ",") != want {
			t.Fatalf("call %d: events %v, want %s", c.Index, events, want)
		}
	}
}

func TestTwilioPayloads(t *testing.T) {
	tr := mustGenerate(t, Config{Seed: 23, Calls: 200, Providers: []stages.Provider{stages.ProviderTwilio}, TranscriptShare: -1})
	resources := 0
	for c, msgs := range byCall(tr) {
		wantStatus := map[stages.Status]string{stages.StatusCompleted: "completed", stages.StatusNoAnswer: "no-answer",
			stages.StatusBusy: "busy", stages.StatusCanceled: "canceled", stages.StatusFailed: "failed"}[c.Status]
		var statuses []string
		for i, m := range msgs {
			if m.Shape == ShapeTwilioCallResource {
				resources++
				r := decodeJSON(t, m.Value)
				for _, k := range []string{"account_sid", "date_created", "start_time", "end_time", "subresource_uris", "from_formatted", "caller_name"} {
					if _, ok := r[k]; !ok {
						t.Fatalf("call resource lacks %s", k)
					}
				}
				start, err := time.Parse(time.RFC1123Z, str(r["start_time"]))
				if err != nil || !start.Equal(c.Start) {
					t.Fatalf("call %d: start_time %q (%v), want %v", c.Index, r["start_time"], err, c.Start)
				}
				if str(r["sid"]) != string(m.Key) || str(r["status"]) != wantStatus || str(r["duration"]) != strconv.FormatInt(c.DurationSeconds, 10) ||
					str(r["from"]) != c.From || str(r["to"]) != c.To {
					t.Fatalf("call %d: resource %v does not match truth %+v", c.Index, r, c)
				}
				statuses = append(statuses, "resource:"+str(r["status"]))
				continue
			}
			f := eventFields(t, m)
			if f.Get("CallSid") != string(m.Key) || f.Get("From") != c.From || f.Get("To") != c.To || f.Get("Caller") != c.From {
				t.Fatalf("call %d: callback ids/numbers do not match truth", c.Index)
			}
			ts, err := time.Parse(time.RFC1123Z, f.Get("Timestamp"))
			if err != nil || !ts.Equal(m.Time) {
				t.Fatalf("call %d: Timestamp %q (%v) vs record time %v", c.Index, f.Get("Timestamp"), err, m.Time)
			}
			if i == 0 && !ts.Equal(c.Start) {
				t.Fatalf("call %d: first Timestamp %v, start %v", c.Index, ts, c.Start)
			}
			if f.Get("SequenceNumber") != strconv.Itoa(i) {
				t.Fatalf("call %d: SequenceNumber %q at %d", c.Index, f.Get("SequenceNumber"), i)
			}
			wantDir := "inbound"
			if c.Direction == stages.DirectionOutbound {
				wantDir = "outbound-api|outbound-dial"
			}
			if !strings.Contains(wantDir, f.Get("Direction")) || f.Get("Direction") == "" {
				t.Fatalf("call %d: Direction %q", c.Index, f.Get("Direction"))
			}
			if f.Has("CallDuration") {
				secs, _ := strconv.ParseInt(f.Get("CallDuration"), 10, 64)
				mins, _ := strconv.ParseInt(f.Get("Duration"), 10, 64)
				if secs != c.DurationSeconds || mins != (secs+59)/60 {
					t.Fatalf("call %d: CallDuration %d Duration %d, truth %ds", c.Index, secs, mins, c.DurationSeconds)
				}
			}
			statuses = append(statuses, f.Get("CallStatus"))
		}
		final := statuses[len(statuses)-1]
		if final != wantStatus && final != "resource:"+wantStatus {
			t.Fatalf("call %d: statuses %v, want final %s", c.Index, statuses, wantStatus)
		}
		if statuses[0] != "ringing" || c.Answered != (len(statuses) == 3 && statuses[1] == "in-progress") {
			t.Fatalf("call %d: statuses %v (answered=%v)", c.Index, statuses, c.Answered)
		}
	}
	if resources == 0 {
		t.Fatal("no Call resource JSON in 200 Twilio calls")
	}
}

func TestAircallWebhooks(t *testing.T) {
	tr := mustGenerate(t, Config{Seed: 24, Calls: 200, Providers: []stages.Provider{stages.ProviderAircall}, TranscriptShare: -1})
	contacts := 0
	for c, msgs := range byCall(tr) {
		var events []string
		for _, m := range msgs {
			env := decodeJSON(t, m.Value)
			events = append(events, str(env["event"]))
			if str(env["resource"]) != "call" || num(t, env["timestamp"]) != m.Time.Unix() || str(env["token"]) == "" {
				t.Fatalf("call %d: envelope %v", c.Index, env)
			}
			d := at(env, "data")
			if str(at(d, "id")) != string(m.Key) || c.CallID != string(m.Key) {
				t.Fatalf("call %d: data.id %v, key %s", c.Index, at(d, "id"), m.Key)
			}
			if num(t, at(d, "started_at")) != c.Start.Unix() || str(at(d, "direction")) != string(c.Direction) {
				t.Fatalf("call %d: started_at/direction do not match truth", c.Index)
			}
			if e164Of(t, str(at(d, "raw_digits")), "") != externalNumber(c) || e164Of(t, str(at(d, "number", "digits")), "") != companyNumber(c) {
				t.Fatalf("call %d: raw_digits %v / number.digits %v do not match truth", c.Index, at(d, "raw_digits"), at(d, "number", "digits"))
			}
			if !strings.Contains(str(at(d, "raw_digits")), " ") {
				t.Fatalf("raw_digits %q should be spaced like Aircall's", at(d, "raw_digits"))
			}
			if at(d, "contact") != nil {
				contacts++
				if at(d, "contact", "first_name") == nil || at(d, "contact", "emails", 0, "value") == nil {
					t.Fatalf("contact without name or email: %v", at(d, "contact"))
				}
			}
			switch str(env["event"]) {
			case "call.created":
				if str(at(d, "status")) != "initial" || at(d, "answered_at") != nil || at(d, "ended_at") != nil || num(t, at(d, "duration")) != 0 {
					t.Fatalf("call %d: call.created data %v", c.Index, d)
				}
			case "call.answered":
				if str(at(d, "status")) != "answered" || at(d, "user", "name") == nil {
					t.Fatalf("call %d: call.answered data %v", c.Index, d)
				}
			case "call.ended":
				// Aircall's duration counts from started_at; the truth is
				// talk time, from answered_at.
				talk := int64(0)
				if at(d, "answered_at") != nil {
					talk = num(t, at(d, "ended_at")) - num(t, at(d, "answered_at"))
				}
				if str(at(d, "status")) != "done" || num(t, at(d, "duration")) != num(t, at(d, "ended_at"))-num(t, at(d, "started_at")) ||
					talk != c.DurationSeconds {
					t.Fatalf("call %d: call.ended duration %v, talk %d, truth %d", c.Index, at(d, "duration"), talk, c.DurationSeconds)
				}
				reason := str(at(d, "missed_call_reason"))
				if (c.Status == stages.StatusCanceled) != strings.Contains(reason, "abandoned") {
					t.Fatalf("call %d: status %q with missed_call_reason %q", c.Index, c.Status, reason)
				}
				if (at(d, "answered_at") != nil) != c.Answered {
					t.Fatalf("call %d: answered_at %v, answered=%v", c.Index, at(d, "answered_at"), c.Answered)
				}
				if !c.Answered && c.Direction == stages.DirectionInbound && at(d, "missed_call_reason") == nil {
					t.Fatalf("call %d: missed inbound call without missed_call_reason", c.Index)
				}
			}
		}
		want := "call.created,call.ended"
		if c.Answered {
			want = "call.created,call.answered,call.ended"
		}
		if strings.Join(events, ",") != want {
			t.Fatalf("call %d: events %v", c.Index, events)
		}
	}
	if contacts == 0 {
		t.Fatal("no Aircall payload with a contact")
	}
}

// transcriptText extracts the full transcript text the way each provider
// delivers it, and checks the per-word structure on the way.
func transcriptText(t *testing.T, m Message, tt *TranscriptTruth) string {
	t.Helper()
	d := decodeJSON(t, m.Value)
	switch m.Shape {
	case ShapeAWSTranscribe:
		items, _ := at(d, "results", "items").([]any)
		var rebuilt strings.Builder
		for _, it := range items {
			content := str(at(it, "alternatives", 0, "content"))
			switch str(at(it, "type")) {
			case "pronunciation":
				for _, k := range []string{"start_time", "end_time", "speaker_label"} {
					if _, ok := at(it, k).(string); !ok {
						t.Fatalf("AWS item %s is %T, want a string", k, at(it, k))
					}
				}
				if _, ok := at(it, "alternatives", 0, "confidence").(string); !ok {
					t.Fatal("AWS confidence must be a string")
				}
				if rebuilt.Len() > 0 {
					rebuilt.WriteByte(' ')
				}
			case "punctuation":
				if at(it, "start_time") != nil {
					t.Fatal("AWS punctuation items have no times")
				}
			default:
				t.Fatalf("AWS item type %v", at(it, "type"))
			}
			rebuilt.WriteString(content)
		}
		full := str(at(d, "results", "transcripts", 0, "transcript"))
		if rebuilt.String() != full {
			t.Fatalf("AWS items rebuild %q, transcript %q", rebuilt.String(), full)
		}
		if segs, _ := at(d, "results", "speaker_labels", "segments").([]any); len(segs) != len(tt.Utterances) {
			t.Fatalf("AWS has %d speaker segments for %d utterances", len(segs), len(tt.Utterances))
		}
		if lc := str(at(d, "results", "language_code")); lc != tt.ProviderLanguage {
			t.Fatalf("AWS language_code %q, truth %q", lc, tt.ProviderLanguage)
		}
		return full
	case ShapeDeepgram:
		alt := at(d, "results", "channels", 0, "alternatives", 0)
		words, _ := at(alt, "words").([]any)
		var last float64
		for _, w := range words {
			s, _ := strconv.ParseFloat(str(at(w, "start")), 64)
			e, _ := strconv.ParseFloat(str(at(w, "end")), 64)
			if e <= s || s < last || str(at(w, "punctuated_word")) == "" || str(at(w, "word")) != strings.ToLower(str(at(w, "word"))) {
				t.Fatalf("bad Deepgram word %v", w)
			}
			last = s
		}
		dur, _ := strconv.ParseFloat(str(at(d, "metadata", "duration")), 64)
		if dur < last {
			t.Fatalf("Deepgram duration %v before last word %v", dur, last)
		}
		if us, ok := at(d, "results", "utterances").([]any); ok {
			for i, u := range us {
				if str(at(u, "transcript")) != tt.Utterances[i].Text {
					t.Fatalf("Deepgram utterance %d text differs", i)
				}
			}
		}
		if dl := str(at(d, "results", "channels", 0, "detected_language")); dl != tt.ProviderLanguage {
			t.Fatalf("Deepgram detected_language %q, truth %q", dl, tt.ProviderLanguage)
		}
		return str(at(alt, "transcript"))
	case ShapeAssemblyAI:
		words, _ := d["words"].([]any)
		for _, w := range words {
			s, e := num(t, at(w, "start")), num(t, at(w, "end")) // integers: milliseconds
			if e <= s || (str(at(w, "speaker")) != "A" && str(at(w, "speaker")) != "B") {
				t.Fatalf("bad AssemblyAI word %v", w)
			}
		}
		if last := num(t, at(words[len(words)-1], "end")); last > num(t, d["audio_duration"])*1000 {
			t.Fatalf("AssemblyAI word ends at %d ms after audio_duration %v s", last, d["audio_duration"])
		}
		us, _ := d["utterances"].([]any)
		if len(us) != len(tt.Utterances) {
			t.Fatalf("AssemblyAI has %d utterances, truth %d", len(us), len(tt.Utterances))
		}
		if str(d["language_code"]) != tt.ProviderLanguage {
			t.Fatalf("AssemblyAI language_code %v, truth %q", d["language_code"], tt.ProviderLanguage)
		}
		return str(d["text"])
	}
	t.Fatalf("unexpected transcript shape %s", m.Shape)
	return ""
}

func TestTranscriptPayloads(t *testing.T) {
	tr := mustGenerate(t, Config{Seed: 25, Calls: 300})
	n := 0
	for c, msgs := range byCall(tr) {
		for _, m := range msgs {
			if m.Topic != KindTranscripts {
				continue
			}
			n++
			tt := c.Transcript
			if string(m.Key) != c.CallID || m.Headers[HeaderCallProvider] != string(c.Provider) ||
				(tt.ProviderHeader && m.Headers[HeaderProvider] != string(tt.Provider)) || (!tt.ProviderHeader && m.Headers[HeaderProvider] != "") {
				t.Fatalf("call %d: transcript key/headers %s %v", c.Index, m.Key, m.Headers)
			}
			full := transcriptText(t, m, tt)
			texts := make([]string, len(tt.Utterances))
			for i, u := range tt.Utterances {
				texts[i] = u.Text
			}
			if full != strings.Join(texts, " ") {
				t.Fatalf("call %d: payload text differs from the truth's utterances", c.Index)
			}
			if len(tt.Utterances) < 4 || len(tt.Utterances) > 12 {
				t.Fatalf("call %d: %d utterances, want 4-12", c.Index, len(tt.Utterances))
			}
		}
	}
	if n < 100 {
		t.Fatalf("only %d transcripts in 300 calls", n)
	}
}

func TestJSONPayloadsAreValidAndFormsParse(t *testing.T) {
	tr := mustGenerate(t, Config{Seed: 26, Calls: 150, Canary: true})
	for _, m := range tr.Messages {
		switch m.Shape {
		case ShapeSipgateForm, ShapeTwilioCallback:
			if _, err := url.ParseQuery(string(m.Value)); err != nil {
				t.Fatalf("%s: %v", m.Shape, err)
			}
			if bytes.ContainsAny(m.Value, " \n") {
				t.Fatalf("%s body has unescaped whitespace", m.Shape)
			}
		default:
			if !json.Valid(m.Value) {
				t.Fatalf("%s: invalid JSON", m.Shape)
			}
		}
	}
}

func ExampleGenerate() {
	tr, err := Generate(Config{Seed: 1, Calls: 2, Languages: []string{"de"}})
	if err != nil {
		panic(err)
	}
	for _, m := range tr.Messages {
		fmt.Println(m.Topic, m.Shape, m.Call.Provider)
	}
	// Output:
	// events twilio/status-callback twilio
	// events twilio/status-callback twilio
	// events aircall/webhook aircall
	// events aircall/webhook aircall
	// events twilio/status-callback twilio
	// events aircall/webhook aircall
	// transcripts aws-transcribe/batch twilio
	// transcripts assemblyai/transcript aircall
}
