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
	if err := StreamJSONL(context.Background(), testRedactor, strings.NewReader(in), &out); err != nil {
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
	err := StreamJSONL(context.Background(), testRedactor, strings.NewReader(in), &bytes.Buffer{})
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
