package stages

import (
	"bytes"
	"encoding/json"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/valyala/fastjson"
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
	pairs := bytes.Count(body, []byte{'&'}) + 1
	if pairs > maxFormFields {
		return nil, NewError(ReasonMalformedForm, p, "", "too many form fields")
	}
	vals, ok := parseFormPairs(string(body), pairs)
	if !ok {
		return nil, NewError(ReasonMalformedForm, p, "", "body is not valid form encoding")
	}
	if bytes.IndexByte(body, '%') < 0 && utf8.Valid(body) {
		// Without escapes every key and value is a piece of the body cut
		// at ASCII bytes, with at most '+' turned into ' ': valid UTF-8
		// when the body is, so one check of the body does.
		return vals, nil
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

// parseFormPairs is url.ParseQuery's loop (same splitting, same
// unescaping, any error refuses the whole body) with the map sized up
// front and one backing array for the values, instead of a map that grows
// and a slice per key: a Twilio callback has some 25 pairs.
func parseFormPairs(query string, pairs int) (url.Values, bool) {
	vals := make(url.Values, pairs)
	backing := make([]string, 0, pairs)
	ok := true
	for query != "" {
		var key string
		key, query, _ = strings.Cut(query, "&")
		if strings.Contains(key, ";") {
			ok = false
			continue
		}
		if key == "" {
			continue
		}
		key, value, _ := strings.Cut(key, "=")
		key, err := url.QueryUnescape(key)
		if err != nil {
			ok = false
			continue
		}
		value, err = url.QueryUnescape(value)
		if err != nil {
			ok = false
			continue
		}
		if vs, seen := vals[key]; seen {
			// A repeated key (Sipgate's user[]) appends; the capacity
			// limit below makes that copy instead of overwriting a
			// neighbour in backing.
			vals[key] = append(vs, value)
			continue
		}
		backing = append(backing, value)
		n := len(backing)
		vals[key] = backing[n-1 : n : n]
	}
	return vals, ok
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

// fastJSONObjectToForm is jsonObjectToForm on the fast path (see
// parse_json_fast.go). ok is false where encoding/json must decide: a key
// given twice (a map keeps the last), too many keys (refused there), or a
// key or string escape that the two decoders could read differently.
func fastJSONObjectToForm(obj *fastjson.Object) (url.Values, bool) {
	if obj.Len() > maxFormFields {
		return nil, false
	}
	vals := make(url.Values, obj.Len())
	ok := true
	obj.Visit(func(k []byte, v *fastjson.Value) {
		if !ok {
			return
		}
		if bytes.IndexByte(k, '\\') >= 0 {
			ok = false
			return
		}
		if _, dup := vals[string(k)]; dup {
			ok = false
			return
		}
		key := string(k)
		var items []string
		good := true
		if v.Type() == fastjson.TypeArray {
			arr, _ := v.Array()
			for _, it := range arr {
				if items, good = appendScalarText(items, it); !good {
					break
				}
			}
		} else {
			items, good = appendScalarText(items, v)
		}
		if !good {
			ok = false
			return
		}
		// An array of no scalars adds no values, as in jsonObjectToForm,
		// but the key is still remembered to catch duplicates.
		vals[key] = items
	})
	if !ok {
		return nil, false
	}
	for k, vs := range vals {
		if len(vs) == 0 {
			delete(vals, k)
		}
	}
	return vals, true
}

// appendScalarText appends v's text to items where v is a scalar
// (fastScalarText); good is false when encoding/json must read it.
func appendScalarText(items []string, v *fastjson.Value) (_ []string, good bool) {
	s, scalar, good := fastScalarText(v)
	if scalar {
		items = append(items, s)
	}
	return items, good
}

// fastScalarText is jsonScalarText on a fastjson value; good is false when
// encoding/json must read the string.
func fastScalarText(v *fastjson.Value) (s string, scalar, good bool) {
	switch v.Type() {
	case fastjson.TypeString:
		s, good = fastStringValue(v)
		return s, good, good
	case fastjson.TypeNumber:
		var buf [32]byte
		return string(v.MarshalTo(buf[:0])), true, true
	case fastjson.TypeTrue:
		return "true", true, true
	case fastjson.TypeFalse:
		return "false", true, true
	}
	// null, objects and nested arrays are not scalars.
	return "", false, true
}
