package stages

import (
	"errors"
	"reflect"
	"testing"
	"unicode/utf8"
)

func TestDecodeForm(t *testing.T) {
	tests := []struct {
		name   string
		body   string
		want   map[string][]string
		reason Reason
	}{
		{"arrays and plus as space", "user%5B%5D=Anna+Alt&user%5B%5D=Bo&event=newCall", map[string][]string{"user[]": {"Anna Alt", "Bo"}, "event": {"newCall"}}, ""},
		{"raw brackets", "user[]=A&user[]=B", map[string][]string{"user[]": {"A", "B"}}, ""},
		{"empty value and bare key", "a=&b", map[string][]string{"a": {""}, "b": {""}}, ""},
		{"utf-8 escapes", "name=J%C3%BCrgen", map[string][]string{"name": {"Jürgen"}}, ""},
		{"bad escape", "a=%G1", nil, ReasonMalformedForm},
		{"truncated escape", "a=%4", nil, ReasonMalformedForm},
		{"semicolon", "a=1;b=2", nil, ReasonMalformedForm},
		{"invalid utf-8 value", "a=%FF%FE", nil, ReasonInvalidUTF8},
		{"invalid utf-8 key", "%C3=1", nil, ReasonInvalidUTF8},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := decodeForm(ProviderSipgate, []byte(tc.body))
			if tc.reason != "" {
				requireReason(t, err, tc.reason)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(map[string][]string(got), tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
	t.Run("too many fields", func(t *testing.T) {
		body := make([]byte, 0, 4*maxFormFields)
		for range maxFormFields + 1 {
			body = append(body, "a=1&"...)
		}
		_, err := decodeForm("", body)
		requireReason(t, err, ReasonMalformedForm)
	})
}

func TestJSONObjectToForm(t *testing.T) {
	got, err := jsonObjectToForm(ProviderSipgate, []byte(`{"event":"newCall","user[]":["A","B"],"n":12,"ok":true,"nil":null,"obj":{"x":1},"mixed":["a",{"b":1},3]}`))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{"event": {"newCall"}, "user[]": {"A", "B"}, "n": {"12"}, "ok": {"true"}, "mixed": {"a", "3"}}
	if !reflect.DeepEqual(map[string][]string(got), want) {
		t.Fatalf("got %v, want %v", got, want)
	}
}

// FuzzFormDecode: the form decoder never panics, fails only with
// *stages.Error, and what it returns is valid UTF-8.
func FuzzFormDecode(f *testing.F) {
	for _, name := range []string{"push_newCall_in.form", "push_dtmf.form"} {
		f.Add(readProviderFixture(f, "sipgate", name))
	}
	f.Add(readProviderFixture(f, "twilio", "callback_completed.form"))
	f.Add([]byte("a=%G1;b"))
	f.Fuzz(func(t *testing.T, body []byte) {
		vals, err := decodeForm(ProviderTwilio, body)
		if err != nil {
			var se *Error
			if !errors.As(err, &se) {
				t.Fatalf("error %T is not *stages.Error", err)
			}
			return
		}
		for k, vs := range vals {
			if !utf8.ValidString(k) {
				t.Fatal("invalid UTF-8 key")
			}
			for _, v := range vs {
				if !utf8.ValidString(v) {
					t.Fatal("invalid UTF-8 value")
				}
			}
		}
	})
}

// FuzzParseDetect: without a provider header, arbitrary payloads are either
// refused with a typed error or parsed into a well-formed result.
func FuzzParseDetect(f *testing.F) {
	f.Add(readProviderFixture(f, "aircall", "call.ended.inbound.json"))
	f.Add(readProviderFixture(f, "deepgram", "utterances.json"))
	f.Add(readProviderFixture(f, "sipgate", "push_newCall_in.form"))
	p := newTestParser(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		got, err := p.Parse(Record{Value: body, Key: []byte("aircall:1"), Time: testRecordTime})
		if err != nil {
			var se *Error
			if !errors.As(err, &se) {
				t.Fatalf("error %T is not *stages.Error", err)
			}
			return
		}
		assertParsedWellFormed(t, got)
	})
}
