package stages

import (
	"bytes"
	"encoding/json"
	"net/url"
	"unicode/utf8"
)

// maxFormFields bounds the pairs of one form body. Provider callbacks send
// a few dozen; far more is an attack or a mistake, refused before building
// a large map.
const maxFormFields = 1000

// decodeForm reads an application/x-www-form-urlencoded body (Sipgate push,
// Twilio status callbacks). Any bad escape or a ';' separator refuses the
// whole body as malformed_form rather than guessing which half to trust.
// Percent-escapes can produce bytes that the raw UTF-8 check never saw, so
// decoded keys and values are checked again.
func decodeForm(p Provider, body []byte) (url.Values, error) {
	if bytes.Count(body, []byte{'&'}) >= maxFormFields {
		return nil, NewError(ReasonMalformedForm, p, "", "too many form fields")
	}
	vals, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, NewError(ReasonMalformedForm, p, "", "body is not valid form encoding")
	}
	for k, vs := range vals {
		if !utf8.ValidString(k) {
			return nil, NewError(ReasonInvalidUTF8, p, "", "form field name is not valid UTF-8")
		}
		for _, v := range vs {
			if !utf8.ValidString(v) {
				return nil, NewError(ReasonInvalidUTF8, p, "", "form value is not valid UTF-8")
			}
		}
	}
	return vals, nil
}

// jsonObjectToForm flattens a JSON object of form fields (how SDKs and
// relays hand on a form POST: "user[]": ["Alice"]) into url.Values, so one
// parser serves both encodings. Strings, numbers and booleans become
// values, arrays of them repeated values; nested objects carry nothing a
// form could have sent and are skipped.
func jsonObjectToForm(p Provider, body []byte) (url.Values, error) {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(body, &obj); err != nil {
		return nil, jsonDecodeError(p, err)
	}
	if len(obj) > maxFormFields {
		return nil, NewError(ReasonMalformedForm, p, "", "too many form fields")
	}
	vals := make(url.Values, len(obj))
	for k, raw := range obj {
		raw = bytes.TrimSpace(raw)
		if len(raw) == 0 {
			continue
		}
		switch raw[0] {
		case '[':
			var items []json.RawMessage
			if err := json.Unmarshal(raw, &items); err != nil {
				return nil, jsonDecodeError(p, err)
			}
			for _, it := range items {
				if s, ok := jsonScalarText(it); ok {
					vals.Add(k, s)
				}
			}
		default:
			if s, ok := jsonScalarText(raw); ok {
				vals.Add(k, s)
			}
		}
	}
	return vals, nil
}

// jsonScalarText returns a JSON string's content or a number's or bool's
// literal text; null, objects and arrays are not scalars.
func jsonScalarText(raw json.RawMessage) (string, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] == '{' || raw[0] == '[' || string(raw) == "null" {
		return "", false
	}
	if raw[0] == '"' {
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return "", false
		}
		return s, true
	}
	return string(raw), true
}
