package stages

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// jsonFixtures returns every JSON provider fixture with the provider it
// belongs to.
func jsonFixtures(t testing.TB) []struct {
	provider Provider
	name     string
	body     []byte
} {
	t.Helper()
	var out []struct {
		provider Provider
		name     string
		body     []byte
	}
	dirs, err := os.ReadDir(filepath.Join("..", "testdata", "providers"))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dirs {
		files, err := filepath.Glob(filepath.Join("..", "testdata", "providers", d.Name(), "*.json"))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, struct {
				provider Provider
				name     string
				body     []byte
			}{Provider(d.Name()), d.Name() + "/" + filepath.Base(f), b})
		}
	}
	if len(out) < 10 {
		t.Fatalf("only %d JSON fixtures found", len(out))
	}
	return out
}

// jsonMutations rewrite a payload into the shapes where encoding/json has
// rules of its own, so that the fast path has to give up or agree.
var jsonMutations = []struct {
	name string
	fn   func(string) string
}{
	{"as is", func(s string) string { return s }},
	{"keys in other case", func(s string) string {
		return strings.NewReplacer(`"resource"`, `"Resource"`, `"raw_digits"`, `"RAW_DIGITS"`, `"from"`, `"From"`,
			`"source"`, `"Source"`, `"event"`, `"EVENT"`, `"callId"`, `"callid"`, `"status"`, `"Status"`).Replace(s)
	}},
	{"kelvin sign key", func(s string) string {
		return strings.NewReplacer(`"tokens"`, `"to\u212aens"`, `"token"`, `"to\u212aen"`, `"timestamp"`, `"timestamp","\u212a":1,"x"`).Replace(s)
	}},
	{"duplicated keys", func(s string) string {
		return strings.Replace(s, "{", `{"resource":"user","from":"+1","source":"x","event":"x","data":null,"CallSid":"y","status":"no",`, 1)
	}},
	{"duplicated keys at end", func(s string) string {
		i := strings.LastIndexByte(s, '}')
		return s[:i] + `,"data":{"id":1},"from":"+1","sid":"x","callId":"z","direction":"in","event":"hangup"}`
	}},
	{"escaped strings", func(s string) string {
		return strings.NewReplacer(`"call"`, `"c\u0061ll"`, `"inbound"`, `"in\/bound"`, "+", `\u002b`).Replace(s)
	}},
	{"lone surrogates", func(s string) string {
		return strings.NewReplacer(`"call.ended"`, `"call.ended\ud800"`, `"in"`, `"\udc00in"`, `"+49`, `"\ud83d+49`).Replace(s)
	}},
	{"escaped backslash", func(s string) string {
		return strings.NewReplacer(`"call"`, `"ca\\ll"`, `"hangup"`, `"hang\\\\up"`).Replace(s)
	}},
	{"escaped keys", func(s string) string {
		return strings.NewReplacer(`"resource"`, `"r\u0065source"`, `"data"`, `"d\u0061ta"`, `"from"`, `"fr\u006fm"`).Replace(s)
	}},
	{"nulls", func(s string) string {
		return strings.NewReplacer(`"number": {`, `"number": null, "x": {`, `"user": {`, `"user": null, "y": {`,
			`"duration": `, `"duration": null, "d": `, `"answered_at": `, `"answered_at": null, "a": `).Replace(s)
	}},
	{"numbers as strings", func(s string) string {
		return strings.NewReplacer(`"started_at": 1`, `"started_at": " 1`, `, "answered_at"`, `", "answered_at"`).Replace(s)
	}},
	{"wrong types", func(s string) string {
		return strings.NewReplacer(`"raw_digits": "`, `"raw_digits": ["`, `"status": "`, `"status": {"v":"`,
			`"from": "`, `"from": true, "x": "`, `"duration": `, `"duration": [], "x": `).Replace(s)
	}},
	{"bools and numbers where text belongs", func(s string) string {
		return strings.NewReplacer(`"direction": "`, `"direction": false, "x": "`, `"id": "`, `"id": 12.50e1, "x": "`).Replace(s)
	}},
	{"huge and odd numbers", func(s string) string {
		return strings.NewReplacer(`"timestamp": `, `"timestamp": 1e400, "x": `, `"duration": `, `"duration": -0.0, "x": `).Replace(s)
	}},
	{"invalid json", func(s string) string { return strings.Replace(s, ":", ": 01", 1) }},
	{"control character in a string", func(s string) string { return strings.Replace(s, `"`, "\"\t", 3) }},
	{"trailing data", func(s string) string { return s + ` {}` }},
	{"deep nesting", func(s string) string {
		return strings.Replace(s, "{", `{"deep":`+strings.Repeat("[", 400)+strings.Repeat("]", 400)+",", 1)
	}},
	{"phone numbers null entries", func(s string) string {
		return strings.NewReplacer(`"phone_numbers": [`, `"phone_numbers": [null, `).Replace(s)
	}},
	{"phone numbers not an array", func(s string) string {
		return strings.NewReplacer(`"phone_numbers": [`, `"phone_numbers": {"a":[`).Replace(s)
	}},
	{"data not an object", func(s string) string {
		return strings.NewReplacer(`"data": {`, `"data": "x", "y": {`).Replace(s)
	}},
	{"results not an object", func(s string) string {
		return strings.NewReplacer(`"results": {`, `"results": 7, "r": {`).Replace(s)
	}},
	{"form arrays of mixed items", func(s string) string {
		return strings.Replace(s, "{", `{"user[]":["A",1,null,{"x":1},["y"],true],"extra":[],`, 1)
	}},
}

// requireSameParse compares the fast path (Parse) with the encoding/json
// path on one record: the same result, or errors with the same reason,
// provider, field and detail.
func requireSameParse(t *testing.T, p *Parser, rec Record) {
	t.Helper()
	got, gotErr := p.Parse(rec)
	slow := &Parser{maxPayloadBytes: p.maxPayloadBytes, encodingJSONOnly: true}
	want, wantErr := slow.Parse(rec)
	if (gotErr == nil) != (wantErr == nil) {
		t.Fatalf("fast err %v, slow err %v", gotErr, wantErr)
	}
	if gotErr != nil {
		var g, w *Error
		if !errors.As(gotErr, &g) || !errors.As(wantErr, &w) || *g != *w {
			t.Fatalf("fast err %#v, slow err %#v", gotErr, wantErr)
		}
		return
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("fast %+v / %+v\nslow %+v / %+v", got.Event, got.Transcript, want.Event, want.Transcript)
	}
}

// TestFastJSONMatchesEncodingJSON: on every JSON fixture, with and without
// the provider header, as is and rewritten into the shapes where
// encoding/json has rules of its own, the fast path and the encoding/json
// path agree on results and on typed errors.
func TestFastJSONMatchesEncodingJSON(t *testing.T) {
	p := newTestParser(t)
	fastTaken := 0
	for _, fx := range jsonFixtures(t) {
		for _, mu := range jsonMutations {
			body := mu.fn(string(fx.body))
			for _, header := range []Provider{fx.provider, ""} {
				rec := Record{Value: []byte(body), Provider: header, Time: testRecordTime}
				if !fx.provider.IsTelephony() {
					rec.Key = []byte("twilio:CA-sample")
				}
				t.Run(fx.name+"/"+mu.name+"/header="+string(header), func(t *testing.T) {
					requireSameParse(t, p, rec)
				})
				if _, _, ok := p.parseJSONFast(rec, []byte(strings.TrimSpace(body))); ok {
					fastTaken++
				}
			}
		}
	}
	// Guard against agreeing only because the fast path always gave up.
	if fastTaken < 40 {
		t.Fatalf("the fast path took only %d payloads", fastTaken)
	}
}

// TestFastJSONGivesUpWhereEncodingJSONDecides pins the cases the fast path
// must leave to encoding/json.
func TestFastJSONGivesUpWhereEncodingJSONDecides(t *testing.T) {
	tests := []struct {
		name, body string
		provider   Provider
	}{
		{"key matching only in another case", `{"resource":"call","event":"call.ended","data":{"ID":"1"}}`, ProviderAircall},
		{"duplicated field", `{"resource":"call","resource":"user","event":"call.ended","data":{"id":"1"}}`, ProviderAircall},
		{"lone surrogate", `{"resource":"call","event":"call.ended","data":{"id":"1","raw_digits":"\ud800"}}`, ProviderAircall},
		{"wrong type", `{"resource":"call","event":"call.ended","data":{"id":["1"]}}`, ProviderAircall},
		{"too deep for fastjson", `{"resource":"call","x":` + strings.Repeat("[", 301) + strings.Repeat("]", 301) + `}`, ProviderAircall},
		{"not strictly valid", `{"sid":"CA1","status":"completed","x":01}`, ProviderTwilio},
		{"duplicated form key", `{"event":"newCall","callId":"1","from":"1","from":"2"}`, ProviderSipgate},
		{"duplicated results", `{"results":{"channels":[]},"results":null}`, ""},
	}
	p := newTestParser(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := Record{Value: []byte(tc.body), Provider: tc.provider, Key: []byte("k1"), Time: testRecordTime}
			if _, _, ok := p.parseJSONFast(rec, rec.Value); ok {
				t.Fatal("fast path took a payload that encoding/json must decide")
			}
			requireSameParse(t, p, rec)
		})
	}
}

func TestFastJSONObjectToFormMatches(t *testing.T) {
	bodies := []string{
		`{"event":"newCall","from":"492111234567","user[]":["Alice","Bob"],"n":1.5,"b":false,"z":null,"o":{"a":1},"e":[]}`,
		`{"CallSid":"CA1","CallStatus":"completed","From":"+1 (202) 555-0143","Caller":"client:anna","x":[[1],{"y":2}]}`,
		`{"":"empty key","k":"\u00e9t\u00e9","esc":"a\/b"}`,
	}
	p := newTestParser(t)
	for _, body := range bodies {
		want, err := jsonObjectToForm(ProviderSipgate, []byte(body))
		if err != nil {
			t.Fatal(err)
		}
		obj, release, ok := p.fastJSONDoc([]byte(body))
		if !ok {
			t.Fatalf("fastjson refused %s", body)
		}
		got, ok := fastJSONObjectToForm(obj)
		release()
		if !ok {
			t.Fatalf("fast path gave up on %s", body)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("fast %v, slow %v", got, want)
		}
	}
}

// FuzzFastJSONMatchesEncodingJSON: for any payload, the fast path and the
// encoding/json path agree.
//
//	go test -run '^$' -fuzz FuzzFastJSONMatchesEncodingJSON -fuzztime 20s ./stages
func FuzzFastJSONMatchesEncodingJSON(f *testing.F) {
	for _, fx := range jsonFixtures(f) {
		f.Add(string(fx.body), string(fx.provider))
		f.Add(string(fx.body), "")
	}
	f.Add(`{"resource":"call","event":"call.ended","data":{"id":"\ud800","RAW_DIGITS":"1"}}`, "")
	f.Add(`{"event":"hangup","callId":"1","user[]":["A",2]}`, "sipgate")
	p := newTestParser(f)
	f.Fuzz(func(t *testing.T, body, provider string) {
		if provider != "" && providerNamed(Provider(provider)) == nil {
			return
		}
		requireSameParse(t, p, Record{Value: []byte(body), Provider: Provider(provider), Key: []byte("twilio:CA1"), Time: testRecordTime})
	})
}
