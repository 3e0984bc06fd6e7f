// Package jsonstr decodes JSON string literals without encoding/json's
// replacement of invalid UTF-8, for readers whose offsets or bytes must
// match the input: callveil redact --jsonl (span offsets into the raw
// line) and the file source (a payload given as a JSON string).
package jsonstr

import (
	"bytes"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// Unquote decodes the JSON string literal lit (with its quotes). Bytes
// that are not valid UTF-8 are kept as they are: encoding/json would
// replace each with U+FFFD (three bytes). An escaped lone surrogate
// (\ud800) becomes U+FFFD, as in encoding/json: it stands for no byte of
// the input. ok is false when lit is no well-formed literal. The result
// never aliases lit.
func Unquote(lit []byte) (out []byte, ok bool) {
	if len(lit) < 2 || lit[0] != '"' || lit[len(lit)-1] != '"' {
		return nil, false
	}
	s := lit[1 : len(lit)-1]
	if bytes.IndexByte(s, '\\') < 0 {
		return append([]byte(nil), s...), true
	}
	out = make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' {
			out = append(out, c)
			continue
		}
		i++
		if i >= len(s) {
			return nil, false
		}
		switch s[i] {
		case '"', '\\', '/':
			out = append(out, s[i])
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r1, ok := hex4(s[i+1:])
			if !ok {
				return nil, false
			}
			i += 4
			if utf16.IsSurrogate(r1) {
				high := r1
				r1 = utf8.RuneError
				if i+6 < len(s) && s[i+1] == '\\' && s[i+2] == 'u' {
					if low, ok := hex4(s[i+3:]); ok {
						if dec := utf16.DecodeRune(high, low); dec != utf8.RuneError {
							r1 = dec
							i += 6
						}
					}
				}
			}
			out = utf8.AppendRune(out, r1)
		default:
			return nil, false
		}
	}
	return out, true
}

// hex4 reads four hex digits.
func hex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	n, err := strconv.ParseUint(string(b[:4]), 16, 16)
	if err != nil {
		return 0, false
	}
	return rune(n), true
}
