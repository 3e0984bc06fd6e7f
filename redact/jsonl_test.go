package redact

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestStreamJSONLContract(t *testing.T) {
	in := `{"id": "c1", "text": "meine nummer ist null eins fünf eins zwo drei vier fünf sechs sieben acht"}
{"id": "c2", "text": "my email is john dot smith at gmail dot com", "language": "en"}

{"id": "c3", "text": "nothing personal here"}
`
	var out bytes.Buffer
	if err := StreamJSONL(context.Background(), testRedactor, strings.NewReader(in), &out, nil); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 3 {
		t.Fatalf("got %d lines, want 3", len(lines))
	}
	inputs := []string{
		"meine nummer ist null eins fünf eins zwo drei vier fünf sechs sieben acht",
		"my email is john dot smith at gmail dot com",
		"nothing personal here",
	}
	wantLang := []string{"de", "en", ""}
	wantType := []EntityType{PhoneNumber, EmailAddress, ""}
	for i, l := range lines {
		var o struct {
			ID       string `json:"id"`
			Language string `json:"language"`
			Text     string `json:"text"`
			Spans    []struct {
				Start int        `json:"start"`
				End   int        `json:"end"`
				Type  EntityType `json:"type"`
			} `json:"spans"`
		}
		if err := json.Unmarshal([]byte(l), &o); err != nil {
			t.Fatalf("line %d: %v", i, err)
		}
		if wantLang[i] != "" && o.Language != wantLang[i] {
			t.Errorf("line %d language %q, want %q", i, o.Language, wantLang[i])
		}
		if o.Spans == nil {
			t.Errorf("line %d: spans must be an array, not null", i)
		}
		if wantType[i] == "" {
			if len(o.Spans) != 0 || o.Text != inputs[i] {
				t.Errorf("line %d changed: %q", i, o.Text)
			}
			continue
		}
		if len(o.Spans) != 1 || o.Spans[0].Type != wantType[i] {
			t.Fatalf("line %d spans %+v", i, o.Spans)
		}
		// Offsets are bytes into the input text.
		s := o.Spans[0]
		if got := inputs[i][:s.Start] + "[" + string(s.Type) + "]" + inputs[i][s.End:]; got != o.Text {
			t.Errorf("line %d: offsets do not match the input: %q vs %q", i, got, o.Text)
		}
	}
}

// TestStreamJSONLErrorsCarryNoText proves with a canary that a bad input
// line is reported by number only.
func TestStreamJSONLErrorsCarryNoText(t *testing.T) {
	const canary = "CANARY-0151-2345678"
	in := `{"id": "ok", "text": "hi"}` + "\n" + `{"id": "x", "text": "` + canary + `"` + "\n"
	err := StreamJSONL(context.Background(), testRedactor, strings.NewReader(in), &bytes.Buffer{}, nil)
	if !errors.Is(err, ErrBadInputLine) {
		t.Fatalf("got %v", err)
	}
	if strings.Contains(err.Error(), canary) || strings.Contains(err.Error(), "0151") {
		t.Fatalf("error leaks input: %v", err)
	}
	if !strings.Contains(err.Error(), "line 2") {
		t.Errorf("error does not name the line: %v", err)
	}
}

func TestStreamPlain(t *testing.T) {
	var out bytes.Buffer
	in := "Hello, this is Anna Schmidt from Acme.\nCall me on 020 7946 0958.\n"
	if err := StreamPlain(context.Background(), testRedactor, strings.NewReader(in), &out, "auto"); err != nil {
		t.Fatal(err)
	}
	want := "Hello, this is [PERSON] from Acme.\nCall me on [PHONE_NUMBER].\n"
	if out.String() != want {
		t.Errorf("got %q, want %q", out.String(), want)
	}
}

// A bad line is skipped and reported by number and reason; the good lines
// before and after it are written all the same.
func TestStreamJSONLBadLinesDoNotDiscardGoodOnes(t *testing.T) {
	in := strings.Join([]string{
		`{"id": "a", "text": "call me on 020 7946 0958", "language": "en"}`,
		`{"id": 7, "text": "numeric id"}`,
		`not json at all`,
		`{"id": "b", "text": "hello", "language": "xx"}`,
		`{"id": "c", "text": 12}`,
		`{"id": "d"}`,
		`["an", "array"]`,
		`{"id": "e", "text": "nothing here", "language": "de-DE"}`,
	}, "\n") + "\n"
	var out bytes.Buffer
	var reported []*LineError
	err := StreamJSONL(context.Background(), testRedactor, strings.NewReader(in), &out, func(e *LineError) { reported = append(reported, e) })
	var bl *BadLinesError
	if !errors.As(err, &bl) || !errors.Is(err, ErrBadInputLine) {
		t.Fatalf("got %v, want a *BadLinesError", err)
	}
	want := []struct {
		line   int
		reason string
	}{
		{2, `"id" must be a string`},
		{3, "not a JSON object"},
		{4, `language "xx" is not supported`},
		{5, `"text" must be a string`},
		{6, `"text" is missing`},
		{7, "not a JSON object"},
	}
	if len(bl.Lines) != len(want) || len(reported) != len(want) {
		t.Fatalf("bad lines %v, reported %d; want %d", bl.Lines, len(reported), len(want))
	}
	for i, w := range want {
		if bl.Lines[i].Line != w.line || !strings.Contains(bl.Lines[i].Reason, w.reason) || reported[i] != bl.Lines[i] {
			t.Errorf("bad line %d: got %v, want line %d: %s", i, bl.Lines[i], w.line, w.reason)
		}
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("got %d output lines, want the 2 good ones:\n%s", len(lines), out.String())
	}
	var a, e JSONLOutput
	if json.Unmarshal([]byte(lines[0]), &a) != nil || json.Unmarshal([]byte(lines[1]), &e) != nil {
		t.Fatalf("output is not JSON: %s", out.String())
	}
	if a.ID != "a" || len(a.Spans) != 1 || a.Spans[0].Type != PhoneNumber || e.ID != "e" || e.Language != "de" {
		t.Errorf("good lines not redacted as expected: %+v / %+v", a, e)
	}
	if !strings.Contains(err.Error(), "6 bad input line(s)") || !strings.Contains(err.Error(), "line 2, 3, 4, 5, 6, 7") {
		t.Errorf("summary %q does not count and name the lines", err)
	}
}

// Span offsets count the input's own bytes: invalid UTF-8 before a number
// must not shift them (encoding/json turns each bad byte into 3 bytes).
func TestStreamJSONLOffsetsCountRawBytes(t *testing.T) {
	const number = "020 7946 0958"
	for _, prefix := range []string{"\xff\xfe bad bytes, then ", `escaped \"quotes\" \u00fc \ud83d\ude00 and ` + "\xc3 then "} {
		text := prefix + "call me on " + number + " thanks"
		in := `{"id": "u", "text": "` + text + `", "language": "en"}` + "\n"
		var out bytes.Buffer
		if err := StreamJSONL(context.Background(), testRedactor, strings.NewReader(in), &out, nil); err != nil {
			t.Fatal(err)
		}
		var o JSONLOutput
		if err := json.Unmarshal(out.Bytes(), &o); err != nil {
			t.Fatal(err)
		}
		if len(o.Spans) != 1 {
			t.Fatalf("spans %+v", o.Spans)
		}
		raw, ok := unquoteRaw([]byte(`"` + text + `"`))
		if !ok {
			t.Fatal("unquoteRaw refused a valid literal")
		}
		s := o.Spans[0]
		if s.End > len(raw) || raw[s.Start:s.End] != number {
			t.Errorf("span %d..%d does not cover the number in the raw input %q", s.Start, s.End, raw)
		}
	}
}

// unquoteRaw decodes valid UTF-8 literals exactly as encoding/json does.
func TestUnquoteRawMatchesEncodingJSON(t *testing.T) {
	for _, s := range []string{"", "plain", `tab\there`, `q\"b\\s\/`, `\u00e9\u4e2d\ud83d\ude00`, `\b\f\n\r\t`, `lone \ud800 x`, `\ud800\u0041`, `ü€𝄞`} {
		lit := []byte(`"` + s + `"`)
		var want string
		if err := json.Unmarshal(lit, &want); err != nil {
			t.Fatalf("%s: %v", lit, err)
		}
		got, ok := unquoteRaw(lit)
		if !ok || got != want {
			t.Errorf("%s: got %q (%v), want %q", lit, got, ok, want)
		}
	}
}

func TestSupportsLanguage(t *testing.T) {
	for lang, want := range map[string]bool{"auto": true, "AUTO": true, "en": true, "de-DE": true, "pt_BR": true,
		"xx": false, "": false, "e": false, "english": false, "zh": false, "en-": true, "enx": false} {
		if got := testRedactor.SupportsLanguage(lang); got != want {
			t.Errorf("SupportsLanguage(%q) = %v, want %v", lang, got, want)
		}
	}
}
