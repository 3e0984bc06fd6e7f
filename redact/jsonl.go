package redact

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/callveil/callveil/internal/jsonstr"
)

// JSONLInput is one line read by StreamJSONL.
type JSONLInput struct {
	ID       string `json:"id"`
	Text     string `json:"text"`
	Language string `json:"language,omitempty"`
}

// JSONLSpan is a span as StreamJSONL writes it.
type JSONLSpan struct {
	Start int        `json:"start"`
	End   int        `json:"end"`
	Type  EntityType `json:"type"`
}

// JSONLOutput is one line written by StreamJSONL: byte offsets refer to
// the input text, byte for byte as it was in the input line (after JSON
// unescaping; invalid UTF-8 is kept, not replaced, for counting offsets).
type JSONLOutput struct {
	ID       string      `json:"id"`
	Language string      `json:"language"`
	Text     string      `json:"text"`
	Spans    []JSONLSpan `json:"spans"`
}

// ErrBadInputLine is what every bad line's error wraps; the error names the
// line number and what is wrong, never the line's content.
var ErrBadInputLine = errors.New("redact: bad input line")

// LineError is one input line StreamJSONL skipped.
type LineError struct {
	// Line is the 1-based line number.
	Line int
	// Reason is a value-free explanation ("not a JSON object").
	Reason string
}

func (e *LineError) Error() string {
	return fmt.Sprintf("redact: input line %d: %s", e.Line, e.Reason)
}

// Unwrap makes every LineError match ErrBadInputLine.
func (e *LineError) Unwrap() error { return ErrBadInputLine }

// BadLinesError is returned by StreamJSONL at the end of an input with bad
// lines; every good line was written all the same.
type BadLinesError struct {
	// Lines are the bad lines, in input order.
	Lines []*LineError
}

func (e *BadLinesError) Error() string {
	nums := make([]string, 0, min(len(e.Lines), 10))
	for _, l := range e.Lines[:min(len(e.Lines), 10)] {
		nums = append(nums, strconv.Itoa(l.Line))
	}
	more := ""
	if len(e.Lines) > 10 {
		more = ", …"
	}
	return fmt.Sprintf("redact: %d bad input line(s) skipped (line %s%s); every other line was written", len(e.Lines), strings.Join(nums, ", "), more)
}

// Unwrap makes a BadLinesError match ErrBadInputLine.
func (e *BadLinesError) Unwrap() error { return ErrBadInputLine }

// maxLine bounds one input line (a whole call's transcript fits easily).
const maxLine = 16 << 20

// SupportsLanguage reports whether language is "auto" or a language the
// redactor was configured for, as an ISO 639-1 code or a BCP 47 tag such
// as "de-DE". Any other value would silently be redacted by the rules of
// a detected language, so callers refuse it.
func (r *Redactor) SupportsLanguage(language string) bool {
	l := strings.ToLower(language)
	if l == "auto" {
		return true
	}
	return len(l) >= 2 && slices.Contains(r.langs, l[:2]) && (len(l) == 2 || l[2] == '-' || l[2] == '_')
}

// Languages are the ISO 639-1 codes the redactor was configured for.
func (r *Redactor) Languages() []string { return slices.Clone(r.langs) }

// StreamJSONL reads JSON lines {"id", "text", "language"} from in and
// writes one redacted line per good input line to out, in order, each as
// soon as it is redacted. The language defaults to "auto".
//
// A bad line (not a JSON object, "id" or "text" not a string, a language
// not supported) is skipped: it is handed to onBad (if not nil) when it is
// met, and at the end StreamJSONL returns a *BadLinesError listing them.
// Errors name line numbers and reasons, never content.
func StreamJSONL(ctx context.Context, r *Redactor, in io.Reader, out io.Writer, onBad func(*LineError)) error {
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64<<10), maxLine)
	w := bufio.NewWriter(out)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	var bad []*LineError
	line := 0
	for sc.Scan() {
		line++
		if err := ctx.Err(); err != nil {
			w.Flush()
			return err
		}
		b := sc.Bytes()
		if len(trimSpace(b)) == 0 {
			continue
		}
		inp, reason := decodeJSONLInput(b, r)
		if reason != "" {
			le := &LineError{Line: line, Reason: reason}
			bad = append(bad, le)
			if onBad != nil {
				onBad(le)
			}
			continue
		}
		res := r.Redact(inp.Text, inp.Language, Hints{})
		o := JSONLOutput{ID: inp.ID, Language: res.Language, Text: res.Text, Spans: make([]JSONLSpan, len(res.Spans))} // never null
		for i, s := range res.Spans {
			o.Spans[i] = JSONLSpan{Start: s.Start, End: s.End, Type: s.Type}
		}
		if err := enc.Encode(o); err != nil {
			return err
		}
		// Each line goes out as soon as it is done: a consumer downstream
		// of a pipe sees progress, and a later failure loses nothing.
		if err := w.Flush(); err != nil {
			return err
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("redact: reading input (line %d): %w", line+1, errors.Unwrap(err))
	}
	if len(bad) > 0 {
		return &BadLinesError{Lines: bad}
	}
	return nil
}

// languageTag is a language value plain enough to quote in an error.
var languageTag = regexp.MustCompile(`^[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8})*$`)

// decodeJSONLInput reads one input line; a non-empty reason says why the
// line is refused.
func decodeJSONLInput(b []byte, r *Redactor) (JSONLInput, string) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil || raw == nil {
		return JSONLInput{}, "not a JSON object"
	}
	var inp JSONLInput
	if v, ok := raw["id"]; ok {
		if err := json.Unmarshal(v, &inp.ID); err != nil {
			return inp, `"id" must be a string`
		}
	}
	v, ok := raw["text"]
	if !ok {
		return inp, `"text" is missing`
	}
	text, ok := unquoteRaw(v)
	if !ok {
		return inp, `"text" must be a string`
	}
	inp.Text = text
	inp.Language = "auto"
	if v, ok := raw["language"]; ok && string(v) != "null" {
		if err := json.Unmarshal(v, &inp.Language); err != nil {
			return inp, `"language" must be a string`
		}
		if inp.Language == "" {
			inp.Language = "auto"
		}
		if !r.SupportsLanguage(inp.Language) {
			what := "language"
			if languageTag.MatchString(inp.Language) {
				what = fmt.Sprintf("language %q", inp.Language)
			}
			return inp, fmt.Sprintf("%s is not supported (use auto or one of %s)", what, strings.Join(r.langs, ", "))
		}
	}
	return inp, ""
}

// unquoteRaw decodes a JSON string literal, keeping bytes that are not
// valid UTF-8 as they are, so that span offsets match the input line
// (see jsonstr.Unquote).
func unquoteRaw(lit []byte) (string, bool) {
	out, ok := jsonstr.Unquote(bytes.TrimSpace(lit))
	return string(out), ok
}

func trimSpace(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t' || b[0] == '\r') {
		b = b[1:]
	}
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\t' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	return b
}

// StreamPlain redacts plain text from in to out: the whole input is one
// call, so the language is detected once on all of it, and each line is
// redacted on its own.
func StreamPlain(ctx context.Context, r *Redactor, in io.Reader, out io.Writer, language string) error {
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64<<10), maxLine)
	var lines []string
	for sc.Scan() {
		if err := ctx.Err(); err != nil {
			return err
		}
		lines = append(lines, sc.Text())
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("redact: reading input: %w", errors.Unwrap(err))
	}
	if language == "" {
		language = "auto"
	}
	res := r.RedactCall(lines, language, Hints{})
	w := bufio.NewWriter(out)
	for _, t := range res.Texts {
		if _, err := w.WriteString(t + "\n"); err != nil {
			return err
		}
	}
	return w.Flush()
}
