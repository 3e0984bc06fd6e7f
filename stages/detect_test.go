package stages

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// sharedSamplesDir holds the real provider samples gathered for the
// project. Tests that need them skip where the directory is absent.
const sharedSamplesDir = "/work/shared/samples"

func newTestParser(t testing.TB) *Parser {
	t.Helper()
	p, err := NewParser(ParserConfig{})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func readProviderFixture(t testing.TB, provider, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "providers", provider, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

var testRecordTime = time.Date(2024, 3, 5, 9, 0, 0, 0, time.UTC)

// requireReason asserts err is an *Error with the wanted reason.
func requireReason(t *testing.T, err error, want Reason) *Error {
	t.Helper()
	var se *Error
	if !errors.As(err, &se) {
		t.Fatalf("error %v (%T) is not a *stages.Error", err, err)
	}
	if se.Reason != want {
		t.Fatalf("reason = %s (%v), want %s", se.Reason, err, want)
	}
	return se
}

func TestNewParserValidatesConfig(t *testing.T) {
	tests := []struct {
		name    string
		cfg     ParserConfig
		wantErr bool
		wantMax int
	}{
		{"default", ParserConfig{}, false, DefaultMaxPayloadBytes},
		{"custom", ParserConfig{MaxPayloadBytes: 4096}, false, 4096},
		{"negative", ParserConfig{MaxPayloadBytes: -1}, true, 0},
		{"above ceiling", ParserConfig{MaxPayloadBytes: 1 << 30}, true, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := NewParser(tc.cfg)
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tc.wantErr)
			}
			if err == nil && p.maxPayloadBytes != tc.wantMax {
				t.Fatalf("max = %d, want %d", p.maxPayloadBytes, tc.wantMax)
			}
		})
	}
}

// TestSharedSamplesParse: every real sample in /work/shared/samples parses
// (without a provider header, so detection is exercised too) into the
// expected kind of result.
func TestSharedSamplesParse(t *testing.T) {
	if _, err := os.Stat(sharedSamplesDir); err != nil {
		t.Skip("shared samples not available")
	}
	tests := []struct {
		file         string
		wantProvider Provider
		check        func(t *testing.T, got Parsed)
	}{
		{"sipgate/push_newCall.form", ProviderSipgate, func(t *testing.T, got Parsed) {
			ev := got.Event
			if ev.Phase != PhaseStarted || ev.CallID != "123456" || ev.From != "492111234567" || ev.Direction != DirectionInbound {
				t.Errorf("event = %+v", ev)
			}
			if !ev.Start.Equal(testRecordTime) {
				t.Errorf("start = %v, want record time", ev.Start)
			}
			if strings.Join(ev.Hints.Names, ",") != "Alice,Bob" {
				t.Errorf("hint names = %v", ev.Hints.Names)
			}
		}},
		{"sipgate/push_newCall.sdk-test.json", ProviderSipgate, func(t *testing.T, got Parsed) {
			// callId is "" in the sample: the Kafka key supplies it.
			if got.Event.CallID != "sample-key" || got.Event.To != "49999999" {
				t.Errorf("event = %+v", got.Event)
			}
		}},
		{"twilio/call_resource_fetch.json", ProviderTwilio, func(t *testing.T, got Parsed) {
			ev := got.Event
			if ev.Status != StatusCompleted || ev.Phase != PhaseEnded || ev.Duration != 4*time.Second || ev.Direction != DirectionOutbound {
				t.Errorf("event = %+v", ev)
			}
			if want := time.Date(2019, 10, 18, 17, 2, 0, 0, time.UTC); !ev.Start.Equal(want) {
				t.Errorf("start = %v, want %v", ev.Start, want)
			}
		}},
		{"aircall/call.ended.outbound.json", ProviderAircall, func(t *testing.T, got Parsed) {
			ev := got.Event
			// Outbound: the company line calls the external raw_digits.
			if ev.From != "+44 330 818 6690" || ev.To != "+43 720 880079" || ev.Region != "GB" || ev.Phase != PhaseEnded {
				t.Errorf("event = %+v", ev)
			}
			if ev.End.Sub(ev.Answered) != 15*time.Second {
				t.Errorf("talk = %v, want 15s (ended_at - answered_at)", ev.End.Sub(ev.Answered))
			}
		}},
		{"aws-transcribe/diarization_output_batch.json", ProviderAWSTranscribe, func(t *testing.T, got Parsed) {
			segs := got.Transcript.Segments
			if len(segs) != 2 || segs[0].Speaker != "spk_0" || segs[1].Speaker != "spk_1" {
				t.Fatalf("segments = %+v", segs)
			}
			if segs[0].Text != "I've been on hold for an hour." || segs[1].Text != "Sorry about that." {
				t.Errorf("texts = %q / %q", segs[0].Text, segs[1].Text)
			}
			if segs[0].Start != 4.87 || segs[1].End != 9.24 {
				t.Errorf("times = %+v", segs)
			}
		}},
		{"deepgram/prerecorded_nova2_smart_format.json", ProviderDeepgram, func(t *testing.T, got Parsed) {
			segs := got.Transcript.Segments
			if len(segs) != 1 || !strings.HasPrefix(segs[0].Text, "Yep. I said it before") || segs[0].Start != 5.6 {
				t.Errorf("segments = %+v", segs)
			}
		}},
		{"assemblyai/transcript_completed_go_sdk.json", ProviderAssemblyAI, func(t *testing.T, got Parsed) {
			tr := got.Transcript
			if tr.Language != "en-US" || len(tr.Segments) != 1 || !strings.HasPrefix(tr.Segments[0].Text, "Smoke from hundreds") {
				t.Errorf("transcript language=%q segments=%d", tr.Language, len(tr.Segments))
			}
			if tr.Segments[0].Start != 0.25 {
				t.Errorf("start = %v, want 0.25 (250 ms)", tr.Segments[0].Start)
			}
		}},
	}
	p := newTestParser(t)
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			body, err := os.ReadFile(filepath.Join(sharedSamplesDir, tc.file))
			if err != nil {
				t.Fatal(err)
			}
			rec := Record{Value: body, Time: testRecordTime}
			if !tc.wantProvider.IsTelephony() {
				rec.Key = []byte("twilio:CA-sample")
			} else if tc.file == "sipgate/push_newCall.sdk-test.json" {
				rec.Key = []byte("sample-key")
			}
			got, err := p.Parse(rec)
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			assertParsedWellFormed(t, got)
			gotProvider := Provider("")
			if got.Event != nil {
				gotProvider = got.Event.Provider
			} else {
				gotProvider = got.Transcript.Provider
				if got.Transcript.CallID != "CA-sample" || got.Transcript.CallProvider != ProviderTwilio {
					t.Errorf("transcript call ref = %q/%q", got.Transcript.CallProvider, got.Transcript.CallID)
				}
			}
			if gotProvider != tc.wantProvider {
				t.Fatalf("provider = %q, want %q", gotProvider, tc.wantProvider)
			}
			tc.check(t, got)
		})
	}
}

// assertParsedWellFormed checks the invariants every successful parse keeps.
func assertParsedWellFormed(t testing.TB, got Parsed) {
	t.Helper()
	if (got.Event == nil) == (got.Transcript == nil) {
		t.Fatalf("exactly one of Event and Transcript must be set: %+v", got)
	}
	if ev := got.Event; ev != nil {
		if !ev.Provider.IsTelephony() || ev.CallID == "" || ev.Phase < PhaseStarted || ev.Phase > PhaseEnded {
			t.Fatalf("malformed event %+v", ev)
		}
		if ev.Duration < 0 {
			t.Fatalf("negative duration %v", ev.Duration)
		}
	}
	if tr := got.Transcript; tr != nil {
		if tr.Provider.IsTelephony() || tr.CallID == "" {
			t.Fatalf("malformed transcript %+v", tr)
		}
		if tr.CallProvider != "" && !tr.CallProvider.IsTelephony() {
			t.Fatalf("call provider %q is not telephony", tr.CallProvider)
		}
		for _, s := range tr.Segments {
			if s.Start < 0 || s.End < s.Start || s.Text == "" {
				t.Fatalf("malformed segment %+v", s)
			}
		}
	}
}

// TestParsePoison: hostile or broken records are refused with the right
// reason, before any provider parsing where the brief says so.
func TestParsePoison(t *testing.T) {
	wav := append([]byte("RIFF\x24\x08\x00\x00WAVEfmt "), bytes.Repeat([]byte{0}, 300)...)
	b64wav := base64.StdEncoding.EncodeToString(wav)
	oggB64URL := base64.URLEncoding.EncodeToString(append([]byte("OggS\x00\x02"), bytes.Repeat([]byte{7}, 300)...))
	mp3 := append([]byte{0xFF, 0xFB, 0x90, 0x64}, bytes.Repeat([]byte{0x55}, 300)...)
	flacB64 := base64.StdEncoding.EncodeToString(append([]byte("fLaC\x00\x00\x00\x22"), bytes.Repeat([]byte{1}, 300)...))
	id3B64 := base64.StdEncoding.EncodeToString(append([]byte("ID3\x03\x00\x00"), bytes.Repeat([]byte{9}, 300)...))
	big := append([]byte(`{"resource":"call","event":"call.ended","data":{"x":"`), bytes.Repeat([]byte("a"), 10<<20)...)
	big = append(big, `"}}`...)

	tests := []struct {
		name   string
		rec    Record
		reason Reason
	}{
		{"malformed json", Record{Value: []byte(`{"resource":"call","event":`)}, ReasonMalformedJSON},
		{"malformed json with header", Record{Provider: ProviderDeepgram, Value: []byte(`{"results": [}`)}, ReasonMalformedJSON},
		{"form body to a json-only provider", Record{Provider: ProviderAircall, Value: []byte(`event=call.ended`)}, ReasonMalformedJSON},
		{"bad form escape", Record{Provider: ProviderTwilio, Value: []byte(`CallSid=CA1&From=%ZZ`)}, ReasonMalformedForm},
		{"form with semicolons", Record{Value: []byte(`event=newCall;callId=1`)}, ReasonMalformedForm},
		{"invalid utf-8 raw", Record{Value: []byte("{\"event\":\"newCall\",\"callId\":\"\xc3\x28\"}")}, ReasonInvalidUTF8},
		{"invalid utf-8 behind percent escape", Record{Value: []byte(`event=newCall&callId=1&user%5B%5D=%C3%28`)}, ReasonInvalidUTF8},
		{"10 MB payload", Record{Value: big}, ReasonTooLarge},
		{"unknown shape", Record{Value: []byte(`{"hello":"world","n":1}`)}, ReasonUnknownProvider},
		{"unknown form shape", Record{Value: []byte(`a=1&b=2`)}, ReasonUnknownProvider},
		{"unknown provider header", Record{Provider: "vonage", Value: []byte(`{}`)}, ReasonUnknownProvider},
		{"json array", Record{Value: []byte(`[{"event":"newCall"}]`)}, ReasonUnknownProvider},
		{"raw wav body", Record{Value: wav}, ReasonAudioPayload},
		{"raw mp3 frame body", Record{Value: mp3}, ReasonAudioPayload},
		{"base64 wav in json", Record{Value: []byte(`{"resource":"call","event":"call.ended","data":{"id":1,"recording":"` + b64wav + `"}}`)}, ReasonAudioPayload},
		{"base64 wav data uri", Record{Value: []byte(`{"results":{"transcripts":[]},"audio":"data:audio/wav;base64,` + b64wav + `"}`)}, ReasonAudioPayload},
		{"json-escaped slashes", Record{Value: []byte(`{"id":"x","text":"t","audio":"` + strings.ReplaceAll(id3B64, "/", `\/`) + `"}`)}, ReasonAudioPayload},
		{"url-safe base64 ogg", Record{Value: []byte(`{"id":"x","text":"t","audio":"` + oggB64URL + `"}`)}, ReasonAudioPayload},
		{"base64 flac in form", Record{Value: []byte(`CallSid=CA1&CallStatus=completed&Audio=` + strings.NewReplacer("+", "%2B", "/", "%2F", "=", "%3D").Replace(flacB64))}, ReasonAudioPayload},
		{"whole body base64 audio", Record{Value: []byte(b64wav)}, ReasonAudioPayload},
		{"empty", Record{Value: nil}, ReasonMissingField},
	}
	p := newTestParser(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := p.Parse(tc.rec)
			requireReason(t, err, tc.reason)
		})
	}
}

// TestBase64AudioScanIgnoresOrdinaryLongRuns guards against false
// positives: long ids, hashes and base64 of non-audio bytes pass.
func TestBase64AudioScanIgnoresOrdinaryLongRuns(t *testing.T) {
	tests := []struct {
		name string
		in   string
	}{
		{"hex hash", strings.Repeat("5324da68ede209a16ac69a38e8cd29ce", 8)},
		{"base64 json", base64.StdEncoding.EncodeToString(bytes.Repeat([]byte(`{"alg":"HS256","typ":"JWT"}`), 10))},
		{"long url path", "https://media.example/" + strings.Repeat("tracks/abc-def_ghi/", 20) + "x.mp3"},
		{"short base64 wav head", base64.StdEncoding.EncodeToString([]byte("RIFF\x00\x00\x00\x00WAVEfmt "))},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if containsBase64Audio([]byte(tc.in)) {
				t.Fatal("flagged as audio")
			}
		})
	}
}

func TestTranscriptCallReference(t *testing.T) {
	body := readProviderFixture(t, "assemblyai", "words_with_speakers.json")
	tests := []struct {
		name         string
		rec          Record
		wantID       string
		wantProvider Provider
		wantReason   Reason
	}{
		{"key prefix", Record{Key: []byte("aircall:900100")}, "900100", ProviderAircall, ""},
		{"header wins over prefix", Record{Key: []byte("sipgate:abc"), CallProvider: ProviderTwilio}, "abc", ProviderTwilio, ""},
		{"no prefix no header", Record{Key: []byte("CA123")}, "CA123", "", ""},
		{"colon in id is not a prefix", Record{Key: []byte("urn:x:1")}, "urn:x:1", "", ""},
		{"no key", Record{}, "", "", ReasonMissingField},
		{"header names a transcript provider", Record{Key: []byte("1"), CallProvider: ProviderDeepgram}, "", "", ReasonUnknownCallProvider},
		{"control chars in key", Record{Key: []byte("twilio:CA\n1")}, "", "", ReasonInvalidField},
	}
	p := newTestParser(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.rec.Value = body
			got, err := p.Parse(tc.rec)
			if tc.wantReason != "" {
				requireReason(t, err, tc.wantReason)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Transcript.CallID != tc.wantID || got.Transcript.CallProvider != tc.wantProvider {
				t.Fatalf("got %q/%q, want %q/%q", got.Transcript.CallProvider, got.Transcript.CallID, tc.wantProvider, tc.wantID)
			}
		})
	}
}

// canaryFixtures lists the fixtures whose dropped fields all hold canaries.
var canaryFixtures = []struct {
	provider, file string
}{
	{"sipgate", "canary_push_newCall.form"},
	{"sipgate", "canary_push_hangup.form"},
	{"sipgate", "canary_history.json"},
	{"twilio", "canary_callback.form"},
	{"twilio", "canary_call_resource.json"},
	{"aircall", "canary_call.ended.json"},
	{"aws-transcribe", "canary.json"},
	{"deepgram", "canary.json"},
	{"assemblyai", "canary.json"},
}

func containsCanary(s string) bool {
	return strings.Contains(strings.ToLower(s), "canary")
}

// TestCanaryNeverSurvives parses every canary fixture, merges and minimises
// the calls, and asserts no canary reaches the Call (or, for transcripts,
// the Transcript) as JSON. Names must still reach Hints for the redactor.
func TestCanaryNeverSurvives(t *testing.T) {
	p := newTestParser(t)
	m, err := NewMinimizeMetadata(MinimizeConfig{KeySecret: []byte("0123456789abcdef0123"), DefaultRegion: "DE"})
	if err != nil {
		t.Fatal(err)
	}
	facts := map[Provider]*CallFacts{}
	for _, fx := range canaryFixtures {
		body := readProviderFixture(t, fx.provider, fx.file)
		if !containsCanary(string(body)) {
			t.Fatalf("%s/%s holds no canary", fx.provider, fx.file)
		}
		rec := Record{Value: body, Time: testRecordTime}
		if !Provider(fx.provider).IsTelephony() {
			rec.Key, rec.CallProvider = []byte("CA-sample"), ProviderTwilio
		}
		got, err := p.Parse(rec)
		if err != nil {
			t.Fatalf("%s/%s: %v", fx.provider, fx.file, err)
		}
		if got.Transcript != nil {
			out, _ := json.Marshal(got.Transcript)
			if containsCanary(string(out)) {
				t.Errorf("%s/%s: canary in transcript %s", fx.provider, fx.file, out)
			}
			if len(got.Transcript.Segments) == 0 {
				t.Errorf("%s/%s: no segments", fx.provider, fx.file)
			}
			continue
		}
		// One CallFacts per fixture file keeps history and push apart.
		f := &CallFacts{}
		f.Merge(got.Event)
		facts[Provider(fx.provider+"/"+fx.file)] = f
	}
	for name, f := range facts {
		call, err := m.Minimize(f)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out, _ := json.Marshal(call)
		if containsCanary(string(out)) {
			t.Errorf("%s: canary in minimised call %s", name, out)
		}
		if call.Key == "" || call.Start.IsZero() {
			t.Errorf("%s: call lost its key or start: %s", name, out)
		}
	}
	// The names are what the redactor needs to find in the transcript.
	wantHints := map[string]string{
		"sipgate/canary_push_newCall.form": "CANARY-NAME-SG1",
		"sipgate/canary_history.json":      "CANARY-NAME-SOURCEALIAS",
		"twilio/canary_callback.form":      "CANARY-CNAM",
		"twilio/canary_call_resource.json": "CANARY-NAME-SIP",
		"aircall/canary_call.ended.json":   "CANARY-NAME-LAST",
		"sipgate/canary_push_hangup.form":  "CANARY-NAME-SG3",
	}
	for name, want := range wantHints {
		f := facts[Provider(name)]
		if f == nil || !strings.Contains(strings.Join(f.Hints.Names, "|"), want) {
			t.Errorf("%s: hint names miss %s", name, want)
		}
	}
}

// TestErrorsCarryNoPayloadValues breaks every canary fixture in ways that
// reach different error paths and asserts no error text holds a canary.
func TestErrorsCarryNoPayloadValues(t *testing.T) {
	p := newTestParser(t)
	breakers := []struct {
		name string
		fn   func(body string) string
	}{
		{"truncated", func(b string) string { return b[:len(b)/2] }},
		{"canary timestamps", func(b string) string {
			r := strings.NewReplacer("2024-03-05T09:15:00Z", "CANARY-TIME", "Tue, 05 Mar 2024", "CANARY-DATE",
				"1709630000", `"CANARY-EPOCH"`, `"0.1"`, `"CANARY-SECS"`, `"start": 100`, `"start": "CANARY-MS"`,
				`"start": 0.1`, `"start": "CANARY-S"`)
			return r.Replace(b)
		}},
		{"canary status", func(b string) string {
			r := strings.NewReplacer("completed", "CANARY-STATUS", "COMPLETED", "CANARY-STATUS", "normalClearing", "x",
				"event=newCall", "event=CANARY-EVENT", "event=hangup", "event=CANARY-EVENT", `"call.ended"`, `"CANARY-EVENT"`, `"CALL"`, `"CANARY-TYPE"`)
			return r.Replace(b)
		}},
		{"objects where scalars belong", func(b string) string {
			r := strings.NewReplacer(`"raw_digits": "+33 6 12 34 56 78"`, `"raw_digits": {"v":"CANARY-OBJ"}`,
				`"source": "+4921155501234"`, `"source": ["CANARY-ARR"]`, `"from": "+12025550177"`, `"from": {"CANARY-KEY":1}`,
				`"language_code": "en_us"`, `"language_code": {"CANARY-KEY":1}`, `"duration": 2.0`, `"duration": "CANARY-DUR"`)
			return r.Replace(b)
		}},
		{"overlong call id", func(b string) string {
			long := strings.Repeat("CANARY", 60)
			return strings.NewReplacer("CANARY-CALLID-SG1", long, "CANARY-CALLID-SG2", long, "CANARY-CALLID-TW1", long,
				"CANARY-CALLID-TW2", long, "CANARY-CALLID-AC", long).Replace(b)
		}},
	}
	refused := 0
	for _, fx := range canaryFixtures {
		body := string(readProviderFixture(t, fx.provider, fx.file))
		for _, br := range breakers {
			rec := Record{Value: []byte(br.fn(body)), Provider: Provider(fx.provider), Time: testRecordTime}
			if !Provider(fx.provider).IsTelephony() {
				rec.Key = []byte("twilio:CA-sample")
			}
			_, err := p.Parse(rec)
			if err == nil {
				continue
			}
			refused++
			var se *Error
			if !errors.As(err, &se) {
				t.Errorf("%s/%s %s: error %T is not *stages.Error", fx.provider, fx.file, br.name, err)
			}
			if containsCanary(err.Error()) {
				t.Errorf("%s/%s %s: canary in error %q", fx.provider, fx.file, br.name, err.Error())
			}
		}
	}
	// Guard against the test passing because nothing failed.
	if refused < len(canaryFixtures)*2 {
		t.Fatalf("only %d broken variants were refused", refused)
	}
}
