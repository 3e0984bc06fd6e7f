package redact

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
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
// the input text.
type JSONLOutput struct {
	ID       string      `json:"id"`
	Language string      `json:"language"`
	Text     string      `json:"text"`
	Spans    []JSONLSpan `json:"spans"`
}

// ErrBadInputLine is returned by StreamJSONL for a line that is not a JSON
// object; the error names the line number only, never its content.
var ErrBadInputLine = errors.New("redact: input line is not a JSON object")

// maxLine bounds one input line (a whole call's transcript fits easily).
const maxLine = 16 << 20

// StreamJSONL reads JSON lines {"id", "text", "language"} from in and
// writes one redacted line per input line to out, in order. The language
// defaults to "auto".
func StreamJSONL(ctx context.Context, r *Redactor, in io.Reader, out io.Writer) error {
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64<<10), maxLine)
	w := bufio.NewWriter(out)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	line := 0
	for sc.Scan() {
		line++
		if err := ctx.Err(); err != nil {
			return err
		}
		b := sc.Bytes()
		if len(trimSpace(b)) == 0 {
			continue
		}
		var inp JSONLInput
		if err := json.Unmarshal(b, &inp); err != nil {
			return fmt.Errorf("%w (line %d)", ErrBadInputLine, line)
		}
		lang := inp.Language
		if lang == "" {
			lang = "auto"
		}
		res := r.Redact(inp.Text, lang, Hints{})
		o := JSONLOutput{ID: inp.ID, Language: res.Language, Text: res.Text, Spans: make([]JSONLSpan, len(res.Spans))} // never null
		for i, s := range res.Spans {
			o.Spans[i] = JSONLSpan{Start: s.Start, End: s.End, Type: s.Type}
		}
		if err := enc.Encode(o); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("redact: reading input (line %d): %w", line+1, errors.Unwrap(err))
	}
	return w.Flush()
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
