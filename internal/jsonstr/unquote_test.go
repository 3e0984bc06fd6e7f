package jsonstr

import (
	"encoding/json"
	"strings"
	"testing"
)

// Unquote decodes valid UTF-8 literals exactly as encoding/json does.
func TestUnquoteMatchesEncodingJSON(t *testing.T) {
	inputs := []string{
		`""`, `"plain"`, `"a\/b"`, `"\"\\\b\f\n\r\t"`, `"\u00e9t\u00C9"`, `"\ud83d\ude00 smile"`,
		`"lone \ud83d high"`, `"lone \ude00 low"`, `"\ud83d\u0041"`, `"end \ud83d"`, `"\u003cform\u0026\u003e"`,
	}
	for _, s := range []string{"Grüße, 👋 <b>&</b>\u2028", "event=newCall&from=%2B4915", strings.Repeat(`{"k":"v\\n"}`, 3)} {
		b, _ := json.Marshal(s)
		inputs = append(inputs, string(b))
	}
	for _, in := range inputs {
		var want string
		if err := json.Unmarshal([]byte(in), &want); err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		if got, ok := Unquote([]byte(in)); !ok || string(got) != want {
			t.Errorf("%s: got %q (ok %v), want %q", in, got, ok, want)
		}
	}
}

// Invalid UTF-8 is kept byte for byte; malformed literals are refused.
func TestUnquoteKeepsInvalidUTF8AndRefusesMalformed(t *testing.T) {
	if got, ok := Unquote([]byte("\"a\xffb\\n\"")); !ok || string(got) != "a\xffb\n" {
		t.Errorf("got %q (ok %v), want the raw byte kept", got, ok)
	}
	for _, in := range []string{``, `"`, `abc`, `"\x"`, `"\u12"`, `"\uzzzz"`, `"trailing\"`} {
		if _, ok := Unquote([]byte(in)); ok {
			t.Errorf("%q: accepted", in)
		}
	}
}
