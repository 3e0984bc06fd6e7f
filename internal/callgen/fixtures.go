package callgen

import (
	"bufio"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

// Fixture file names written by WriteFixtures.
const (
	DemoFile      = "demo.jsonl"
	ReprocessFile = "reprocess.jsonl"
	TruthFile     = "truth.json"
	ReadmeFile    = "README.md"
)

// FixtureConfig is the configuration of the committed fixtures in
// testdata/calls: 40 calls across all providers and languages, a few small
// poison records, no canaries, no 10 MB record.
func FixtureConfig() Config {
	return Config{Seed: 1, Calls: 40, Poison: 11}
}

// DemoLine is one line of demo.jsonl: a Kafka record as callveil's demo
// produces it. Payload holds the raw payload as a JSON string; a payload
// that is not valid UTF-8 (binary audio, the invalid-UTF-8 poison) is in
// PayloadBase64 instead, because a JSON string cannot carry those bytes.
type DemoLine struct {
	Topic         Kind              `json:"topic"`
	Key           string            `json:"key"`
	Headers       map[string]string `json:"headers"`
	Time          time.Time         `json:"time"`
	Shape         string            `json:"shape,omitempty"`
	Payload       *string           `json:"payload,omitempty"`
	PayloadBase64 string            `json:"payload_base64,omitempty"`
}

// ReprocessLine is one line of reprocess.jsonl, the envelope `callveil
// reprocess --input` reads: the call id (Kafka key), the payload's provider
// ("" when the record had no provider header), the telephony provider the
// call id belongs to, the record time and the payload (or PayloadBase64,
// as in DemoLine).
type ReprocessLine struct {
	CallID        string    `json:"call_id"`
	Provider      string    `json:"provider,omitempty"`
	CallProvider  string    `json:"call_provider,omitempty"`
	Time          time.Time `json:"time"`
	Payload       *string   `json:"payload,omitempty"`
	PayloadBase64 string    `json:"payload_base64,omitempty"`
}

func splitPayload(v []byte) (*string, string) {
	if utf8.Valid(v) {
		s := string(v)
		return &s, ""
	}
	return nil, base64.StdEncoding.EncodeToString(v)
}

func joinPayload(s *string, b64 string) ([]byte, error) {
	switch {
	case s != nil:
		return []byte(*s), nil
	case b64 != "":
		return base64.StdEncoding.DecodeString(b64)
	}
	return nil, errors.New("callgen: line has no payload")
}

// newLineEncoder writes one JSON value per line without HTML escaping, so
// form bodies keep their '&' readable.
func newLineEncoder(w io.Writer) *json.Encoder {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc
}

// DemoLineOf converts a message to its demo.jsonl envelope.
func DemoLineOf(m Message) DemoLine {
	p, b64 := splitPayload(m.Value)
	return DemoLine{Topic: m.Topic, Key: string(m.Key), Headers: m.Headers, Time: m.Time.UTC(), Shape: m.Shape, Payload: p, PayloadBase64: b64}
}

// ReprocessLineOf converts a message to its reprocess.jsonl envelope. On
// call events the call provider is the payload's provider.
func ReprocessLineOf(m Message) ReprocessLine {
	p, b64 := splitPayload(m.Value)
	l := ReprocessLine{CallID: string(m.Key), Provider: m.Headers[HeaderProvider], CallProvider: m.Headers[HeaderCallProvider],
		Time: m.Time.UTC(), Payload: p, PayloadBase64: b64}
	if m.Topic == KindEvents && l.CallProvider == "" {
		l.CallProvider = l.Provider
	}
	return l
}

// WriteDemoJSONL writes messages as demo.jsonl lines.
func WriteDemoJSONL(w io.Writer, msgs iter.Seq[Message]) error {
	return writeLines(w, msgs, DemoLineOf)
}

// WriteReprocessJSONL writes messages as reprocess.jsonl lines.
func WriteReprocessJSONL(w io.Writer, msgs iter.Seq[Message]) error {
	return writeLines(w, msgs, ReprocessLineOf)
}

// writeLines writes one JSON line, lineOf(m), for each message m.
func writeLines[L any](w io.Writer, msgs iter.Seq[Message], lineOf func(Message) L) error {
	enc := newLineEncoder(w)
	for m := range msgs {
		if err := enc.Encode(lineOf(m)); err != nil {
			return err
		}
	}
	return nil
}

// ReadDemoJSONL reads demo.jsonl back into messages (without truth). Lines
// may be up to 64 MiB, enough for the 10 MB poison record.
func ReadDemoJSONL(r io.Reader) ([]Message, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 1<<20), 64<<20)
	var out []Message
	for n := 1; sc.Scan(); n++ {
		var l DemoLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			return nil, fmt.Errorf("callgen: demo line %d: %w", n, err)
		}
		v, err := joinPayload(l.Payload, l.PayloadBase64)
		if err != nil {
			return nil, fmt.Errorf("callgen: demo line %d: %w", n, err)
		}
		out = append(out, Message{Topic: l.Topic, Key: []byte(l.Key), Headers: l.Headers, Value: v, Time: l.Time, Seq: n - 1, Shape: l.Shape})
	}
	return out, sc.Err()
}

// Truth is the content of truth.json.
type Truth struct {
	Config TruthConfig    `json:"config"`
	Calls  []*CallTruth   `json:"calls"`
	Poison []*PoisonTruth `json:"poison"`
}

// TruthConfig records how a fixture was generated.
type TruthConfig struct {
	Seed     int64 `json:"seed"`
	Calls    int   `json:"calls"`
	Poison   int   `json:"poison"`
	Canary   bool  `json:"canary"`
	Messages int   `json:"messages"`
}

// WriteFixtures generates cfg and writes demo.jsonl, reprocess.jsonl,
// truth.json and README.md into dir.
func WriteFixtures(dir string, cfg Config) error {
	t, err := Generate(cfg)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	all := slices.Values(t.Messages)
	files := []struct {
		name  string
		write func(io.Writer) error
	}{
		{DemoFile, func(w io.Writer) error { return WriteDemoJSONL(w, all) }},
		{ReprocessFile, func(w io.Writer) error { return WriteReprocessJSONL(w, all) }},
		{TruthFile, func(w io.Writer) error {
			enc := json.NewEncoder(w)
			enc.SetEscapeHTML(false)
			enc.SetIndent("", "  ")
			return enc.Encode(Truth{
				Config: TruthConfig{Seed: cfg.Seed, Calls: cfg.Calls, Poison: cfg.Poison, Canary: cfg.Canary, Messages: len(t.Messages)},
				Calls:  t.Calls, Poison: t.Poison,
			})
		}},
		{ReadmeFile, func(w io.Writer) error { return writeReadme(w, cfg, t) }},
	}
	for _, f := range files {
		if err := writeFile(filepath.Join(dir, f.name), f.write); err != nil {
			return err
		}
	}
	return nil
}

func writeFile(path string, write func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(f)
	if err := write(bw); err != nil {
		f.Close()
		return err
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func countBy(msgs []Message, key func(Message) string) []string {
	n := map[string]int{}
	for _, m := range msgs {
		n[key(m)]++
	}
	keys := make([]string, 0, len(n))
	for k := range n {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = fmt.Sprintf("`%s` %d", k, n[k])
	}
	return out
}

func writeReadme(w io.Writer, cfg Config, t *Traffic) error {
	langs := map[string]int{}
	transcripts := 0
	for _, c := range t.Calls {
		langs[c.Language]++
		if c.Transcript != nil {
			transcripts++
		}
	}
	var langList []string
	for _, l := range AllLanguages() {
		if langs[l] > 0 {
			langList = append(langList, fmt.Sprintf("%s %d", l, langs[l]))
		}
	}
	var poison []string
	for _, p := range t.Poison {
		poison = append(poison, fmt.Sprintf("| %d | `%s` | %s | `%s` |", p.Seq, p.Name, p.Topic, p.Reason))
	}
	_, err := fmt.Fprintf(w, readmeTemplate,
		cfg.Calls, cfg.Seed, len(t.Messages), transcripts, len(t.Poison),
		strings.Join(countBy(t.Messages, func(m Message) string { return m.Shape }), ", "),
		strings.Join(langList, ", "),
		strings.Join(poison, "\n"),
		cfg.Calls, cfg.Seed, cfg.Poison)
	return err
}

const readmeTemplate = `# testdata/calls: generated call traffic

Generated by ` + "`internal/callgen`" + ` (do not edit by hand): %d calls, seed %d, %d Kafka
records, %d transcripts, %d poison records. Every name, number, address, card, IBAN and id
is synthetic; the payload formats follow the providers' own documentation and SDK fixtures
(see /work/shared/formats.md and /work/shared/samples/SOURCES.md for where each format
fact comes from).

Record shapes: %s.
Dialogue languages: %s.

## Files

- ` + "`demo.jsonl`" + `: one Kafka record per line, in record-time order, as ` + "`callveil demo`" + ` produces
  them:
  ` + "`" + `{"topic":"events"|"transcripts","key":"<provider call id>","headers":{"provider":"…","call-provider":"…"},"time":"<RFC 3339>","shape":"<format>","payload":"<raw payload>"}` + "`" + `.
  ` + "`topic`" + ` is the role of the topic (call events or transcripts), not a Kafka topic name.
  ` + "`payload`" + ` is the provider's body byte for byte as a JSON string (a form body stays a
  form body). A payload that is not valid UTF-8 (binary audio, the invalid-UTF-8 poison)
  is in ` + "`payload_base64`" + ` instead. Some records have no ` + "`provider`" + ` header on purpose, so
  consumers must recognise the payload by its shape. Transcripts carry the telephony
  provider's call id as key and ` + "`call-provider`" + ` names that provider.
- ` + "`reprocess.jsonl`" + `: the same records in the envelope ` + "`callveil reprocess --input`" + ` reads:
  ` + "`" + `{"call_id":"…","provider":"…","call_provider":"…","time":"…","payload":"…"}` + "`" + ` (or
  ` + "`payload_base64`" + `). ` + "`provider`" + ` is left out where the record had no provider header; on
  call events ` + "`call_provider`" + ` equals the provider.
- ` + "`truth.json`" + `: the ground truth per call (provider, call id, expected E.164 from/to,
  start, duration, direction, status, language, the personal data put into the transcript
  with its type and utterance, harmless numbers that must survive redaction) and per
  poison record (its line number from 0 = ` + "`seq`" + `, and the dead-letter reason expected).
  ` + "`duration_s`" + ` is talk time, 0 when unanswered: Sipgate = hangup record time minus answer
  record time (push events carry no times); Twilio = CallDuration; Aircall = ended_at -
  answered_at (Aircall's own ` + "`duration`" + ` counts from started_at, ringing included). Missed
  Aircall calls are ` + "`canceled`" + ` when the caller abandoned (short_abandoned,
  abandoned_in_ivr), otherwise ` + "`no_answer`" + `.

## Poison records

| seq | kind | topic | expected reason |
| --- | --- | --- | --- |
%s

## Regenerate

    go run ./internal/callgen/cmd/callgen -calls %d -seed %d -poison %d -out testdata/calls/

` + "`go test ./internal/callgen/`" + ` fails when these files differ from what the generator
writes, so regenerate after changing it.
`
