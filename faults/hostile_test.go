package faults_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/callveil/callveil/faults"
	"github.com/callveil/callveil/internal/callgen"
	"github.com/callveil/callveil/pipeline"
	"github.com/callveil/callveil/redact"
	"github.com/callveil/callveil/sinks"
	"github.com/callveil/callveil/stages"
)

var sharedRedactor = sync.OnceValues(func() (*redact.Redactor, error) { return redact.New(redact.Config{}) })

// knownReasons is every reason code a dead letter may carry.
var knownReasons = map[stages.Reason]bool{
	stages.ReasonMalformedJSON: true, stages.ReasonMalformedForm: true, stages.ReasonInvalidUTF8: true,
	stages.ReasonTooLarge: true, stages.ReasonUnknownProvider: true, stages.ReasonUnknownCallProvider: true,
	stages.ReasonAudioPayload: true, stages.ReasonMissingField: true, stages.ReasonInvalidField: true,
	stages.ReasonUnsupportedEvent: true, stages.ReasonSinkRejected: true, stages.ReasonStagePanic: true,
	pipeline.ReasonOrphanTranscript: true,
}

// mutant is one hostile record derived from a valid generated one.
type mutant struct {
	kind string // the mutation, e.g. "wrong-type" (value-free)
	rec  stages.Record
}

// Hostile inputs: valid generated payloads of every provider, mutated
// systematically (truncation, invalid UTF-8, deep nesting, huge strings,
// a wrong type in every field, out-of-range timestamps, negative
// durations, numbers that are not numbers, audio blobs). Parse never
// panics and refuses every bad one with a *stages.Error of a known reason;
// through the pipeline every record is settled (dead letter, output or
// skip), every bad one as a dead letter with the parser's reason (events
// without call data may be skipped instead), within a time bound (no
// hang), and no dead letter carries a payload value.
func TestHostileInputsAreDeadLetteredNeverCrashOrHang(t *testing.T) {
	traffic, err := callgen.Generate(callgen.Config{Seed: 99, Calls: 50, Canary: true})
	if err != nil {
		t.Fatal(err)
	}
	var mutants []mutant
	for i, m := range traffic.Messages {
		mutants = append(mutants, mutate(m, i)...)
	}

	parser, err := stages.NewParser(stages.ParserConfig{})
	if err != nil {
		t.Fatal(err)
	}
	var bad, valid []mutant
	wantReason := map[int]stages.Reason{} // index into bad → reason
	byKind := map[string]int{}
	byReason := map[stages.Reason]int{}
	degradedByKind := map[string]int{}
	for _, mu := range mutants {
		parsed, err := parseNoPanic(t, parser, mu)
		if err == nil {
			valid = append(valid, mu)
			if len(parsed.Degraded()) > 0 {
				degradedByKind[mu.kind]++
			}
			continue
		}
		var se *stages.Error
		if !errors.As(err, &se) {
			t.Fatalf("%s: Parse returned %T, not *stages.Error", mu.kind, err)
		}
		if !knownReasons[se.Reason] {
			t.Fatalf("%s: unknown reason %q", mu.kind, se.Reason)
		}
		wantReason[len(bad)] = se.Reason
		bad = append(bad, mu)
		byKind[mu.kind]++
		byReason[se.Reason]++
	}
	t.Logf("%d mutants: %d refused by the parser, %d still valid", len(mutants), len(bad), len(valid))
	t.Logf("refused by mutation: %v", byKind)
	t.Logf("refused by reason: %v", byReason)
	t.Logf("accepted with degraded fields, by mutation: %v", degradedByKind)
	// A record the parser must not take as it is: refused, or accepted
	// with a field left out. Since issue 15 a time, duration or number
	// that cannot be read and a value of the wrong JSON type in a field
	// that does not identify the call are degraded, not refused, so both
	// count towards the generator's reach; the refused ones alone still
	// fill the pipeline half of this test.
	degraded := 0
	for _, n := range degradedByKind {
		degraded += n
	}
	if len(bad)+degraded < 10_000 || len(bad) < 7_000 {
		t.Fatalf("%d refused and %d degraded records generated, want ≥ 10,000 together and ≥ 7,000 refused", len(bad), degraded)
	}
	for _, kind := range mutationKinds {
		switch {
		case lenientMutations[kind]:
			// A time, duration or offset that cannot be read no longer
			// refuses the record: it is replaced and counted.
			if degradedByKind[kind] == 0 {
				t.Errorf("mutation %s: no record accepted with a degraded field", kind)
			}
		case byKind[kind] == 0:
			t.Errorf("mutation %s produced no bad record", kind)
		}
	}

	// Through the pipeline: the bad records and a sample of those the
	// parser still accepts (which may join into calls or not), each with a
	// position of its own.
	sample := valid
	if len(sample) > 800 {
		sample = sample[:800]
	}
	var recs []stages.Record
	offsets := map[string]int64{}
	place := func(r stages.Record) stages.Record {
		r.Partition = 0
		r.Offset = offsets[r.Topic]
		offsets[r.Topic]++
		recs = append(recs, r)
		return r
	}
	badPos := map[faults.Position]stages.Reason{}
	for i, mu := range bad {
		r := place(mu.rec)
		badPos[faults.Position{Topic: r.Topic, Partition: r.Partition, Offset: r.Offset}] = wantReason[i]
	}
	for _, mu := range sample {
		place(mu.rec)
	}

	red, err := sharedRedactor()
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	dls := &faults.MemoryDeadLetters{}
	out := faults.NewMemorySink()
	obs := &faults.CountingObserver{}
	p, err := pipeline.New(pipeline.Config{
		EventsTopic: "calls.events", TranscriptsTopic: "calls.transcripts",
		KeySecret: []byte("faults-hostile-secret-0123456789"), Join: stages.JoinConfig{TTL: time.Minute},
		Redact: stages.RedactConfig{Redactor: red}, Sinks: []sinks.Sink{out}, DeadLetters: dls, Observer: obs,
		Logger: slog.New(slog.NewTextHandler(&lockedWriter{w: &logs}, &slog.HandlerOptions{Level: slog.LevelDebug})),
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	start := time.Now()
	if err := p.Run(ctx, faults.NewSliceSource(recs), dls); err != nil {
		t.Fatal(err)
	}
	if ctx.Err() != nil {
		t.Fatal("the pipeline did not finish within 3 minutes: a hostile record hangs it")
	}
	t.Logf("pipeline: %d records in %s: %d dead letters, %d skipped, %d calls out",
		len(recs), time.Since(start).Round(time.Millisecond), obs.DeadLetters.Load(), obs.Skips.Load(), len(out.Calls()))

	if got := obs.Settles.Load(); got != int64(len(recs)) {
		t.Errorf("settled %d of %d records", got, len(recs))
	}
	got := map[faults.Position]stages.Reason{}
	for _, dl := range dls.Letters() {
		pos := faults.Position{Topic: dl.Topic, Partition: dl.Partition, Offset: dl.Offset}
		if _, dup := got[pos]; dup {
			t.Errorf("two dead letters for %s", pos)
		}
		got[pos] = dl.Reason
		if !knownReasons[dl.Reason] {
			t.Errorf("dead letter with unknown reason %q", dl.Reason)
		}
	}
	wrong := map[string]int{}
	skippedUnsupported := 0
	for pos, want := range badPos {
		switch g, ok := got[pos]; {
		case !ok && want == stages.ReasonUnsupportedEvent:
			// An event that carries no call data (a Sipgate dtmf, an
			// Aircall call.tagged) may be counted and skipped instead.
			skippedUnsupported++
		case !ok:
			wrong["missing"]++
		case g != want:
			wrong[string(want)+"→"+string(g)]++
		}
	}
	if len(wrong) > 0 {
		t.Errorf("bad records without their parser reason as dead letter: %v", wrong)
	}
	if int64(skippedUnsupported) > obs.Skips.Load() {
		t.Errorf("%d unsupported events neither dead-lettered nor counted as skipped (%d skips)", skippedUnsupported, obs.Skips.Load())
	}

	// No payload value in dead letters or logs: canaries and call ids.
	var dlText bytes.Buffer
	for _, dl := range dls.Letters() {
		b, _ := json.Marshal(dl)
		dlText.Write(b)
	}
	for where, b := range map[string][]byte{"dead letters": dlText.Bytes(), "logs": logs.Bytes()} {
		for _, c := range traffic.Canaries() {
			if bytes.Contains(b, []byte(c.Value)) {
				t.Errorf("canary of %s in %s", c.Field, where)
			}
		}
		for _, c := range traffic.Calls {
			if len(c.CallID) > 6 && bytes.Contains(b, []byte(c.CallID)) {
				t.Errorf("call id of call %d in %s", c.Index, where)
			}
		}
	}
}

// parseNoPanic runs Parse and turns a panic into a test failure.
func parseNoPanic(t *testing.T, p *stages.Parser, mu mutant) (parsed stages.Parsed, err error) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("Parse panicked on a %s mutant", mu.kind)
		}
	}()
	return p.Parse(mu.rec)
}

// lenientMutations break times, durations and numbers: the parser
// replaces such a field and counts it as degraded (stages.Parsed.Degraded)
// rather than refusing the record, unless the field identifies the call.
var lenientMutations = map[string]bool{"timestamp-out-of-range": true, "negative-duration": true, "not-a-number": true}

var mutationKinds = []string{
	"truncated", "invalid-utf8", "deep-nesting", "huge-string", "oversized", "wrong-type",
	"timestamp-out-of-range", "negative-duration", "not-a-number", "audio-blob",
	"no-provider-header", "form-garbage",
}

// recordOf is the record a generated message becomes.
func recordOf(m callgen.Message) stages.Record {
	r := stages.Record{Topic: "calls.events", Key: m.Key, Value: m.Value, Time: m.Time,
		Provider: stages.Provider(m.Headers[callgen.HeaderProvider]), CallProvider: stages.Provider(m.Headers[callgen.HeaderCallProvider])}
	if m.Topic == callgen.KindTranscripts {
		r.Topic = "calls.transcripts"
	}
	return r
}

// mutate derives the hostile variants of one valid message, the i-th.
// The big variants (oversized, huge strings) are made for a share of the
// messages only, to keep the test's memory modest.
func mutate(m callgen.Message, i int) []mutant {
	base := recordOf(m)
	var out []mutant
	add := func(kind string, value []byte) {
		r := base
		r.Value = value
		out = append(out, mutant{kind: kind, rec: r})
	}
	v := m.Value
	// Truncations at eight points, the last one byte short.
	for i := 1; i <= 8; i++ {
		add("truncated", v[:len(v)*i/9])
	}
	add("truncated", v[:len(v)-1])
	// Invalid UTF-8 at three points.
	for _, at := range []int{len(v) / 4, len(v) / 2, len(v) * 3 / 4} {
		b := bytes.Clone(v)
		b[at] = 0xff
		add("invalid-utf8", b)
		add("invalid-utf8", append(bytes.Clone(v[:at]), append([]byte{0xc3, 0x28, 0xed, 0xa0, 0x80}, v[at:]...)...))
	}
	add("audio-blob", append([]byte("RIFF\x24\x08\x00\x00WAVEfmt "), v...))
	add("audio-blob", append([]byte("OggS\x00\x02"), v...))
	add("audio-blob", append([]byte("ID3\x04\x00"), v...))
	add("audio-blob", append([]byte("fLaC\x00\x00\x00\x22"), v...))
	if i%25 == 0 {
		add("oversized", append(bytes.Clone(v), bytes.Repeat([]byte(" "), stages.DefaultMaxPayloadBytes)...))
	}
	big := i%5 == 0
	noHeader := base
	noHeader.Provider, noHeader.CallProvider = "", ""
	noHeader.Value = append([]byte("\x00\x01garbage"), v...)
	out = append(out, mutant{kind: "no-provider-header", rec: noHeader})
	if len(v) > 0 && v[0] == '{' {
		out = append(out, mutateJSON(base, v, big)...)
	} else {
		out = append(out, mutateForm(base, v, big)...)
	}
	return out
}

// mutateJSON replaces every value in the document, one at a time, by
// values of the wrong type and by hostile values of the right type.
func mutateJSON(base stages.Record, v []byte, big bool) []mutant {
	var doc any
	dec := json.NewDecoder(bytes.NewReader(v))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		return nil
	}
	var out []mutant
	add := func(kind string, d any) {
		b, err := json.Marshal(d)
		if err != nil {
			return
		}
		r := base
		r.Value = b
		out = append(out, mutant{kind: kind, rec: r})
	}
	// Deeper than encoding/json's 10,000 levels.
	deep := strings.Repeat("[", 20_000) + strings.Repeat("]", 20_000)
	for _, path := range leafPaths(doc, nil) {
		cur := get(doc, path)
		name := strings.ToLower(fmt.Sprint(path[len(path)-1]))
		var wrong []any
		switch cur.(type) {
		case string:
			wrong = []any{json.Number("12345"), true, map[string]any{}, []any{"x"}}
		case json.Number:
			wrong = []any{"abc", false, []any{1}, nil}
		case bool:
			wrong = []any{"yes", json.Number("2")}
		case nil:
			wrong = []any{map[string]any{"x": json.Number("1")}}
		}
		for _, w := range wrong {
			add("wrong-type", set(doc, path, w))
		}
		switch {
		case strings.Contains(name, "time") || strings.Contains(name, "_at") || strings.Contains(name, "date") || strings.Contains(name, "start") || strings.Contains(name, "end"):
			for _, w := range []any{json.Number("99999999999999999999"), json.Number("-62135596801"), "9999-99-99T99:99:99Z", "0000-00-00T00:00:00Z", json.Number("1e300")} {
				add("timestamp-out-of-range", set(doc, path, w))
			}
		case strings.Contains(name, "duration") || strings.Contains(name, "length"):
			for _, w := range []any{json.Number("-5"), "-5", json.Number("-1e9")} {
				add("negative-duration", set(doc, path, w))
			}
		}
		if _, isNum := cur.(json.Number); isNum {
			for _, w := range []any{"NaN", "Infinity", "0x1F", "1,5", json.Number("1e999")} {
				add("not-a-number", set(doc, path, w))
			}
		}
		if _, isStr := cur.(string); isStr && big {
			// Past the payload limit once encoded (2 bytes a rune).
			add("huge-string", set(doc, path, strings.Repeat("Ä", stages.DefaultMaxPayloadBytes/2+1)))
			big = false
		}
	}
	// Deep nesting replacing the whole document's first field, as raw
	// bytes (encoding/json would refuse to marshal it).
	if i := bytes.IndexByte(v, ':'); i > 0 {
		r := base
		r.Value = append(append(bytes.Clone(v[:i+1]), deep...), v[i+1:]...)
		out = append(out, mutant{kind: "deep-nesting", rec: r})
	}
	r := base
	r.Value = []byte(`{"a":` + strings.Repeat(`{"a":`, 20_000) + `1` + strings.Repeat("}", 20_001))
	out = append(out, mutant{kind: "deep-nesting", rec: r})
	// An audio payload embedded as base64 where a transcript belongs.
	r = base
	r.Value = []byte(`{"audio":"` + base64.StdEncoding.EncodeToString(append([]byte("RIFF\x00\x00\x00\x00WAVEfmt "), make([]byte, 2000)...)) + `","content_type":"audio/wav"}`)
	out = append(out, mutant{kind: "audio-blob", rec: r})
	return out
}

// mutateForm replaces every form field's value, one at a time.
func mutateForm(base stages.Record, v []byte, big bool) []mutant {
	vals, err := url.ParseQuery(string(v))
	if err != nil {
		return nil
	}
	keys := make([]string, 0, len(vals))
	for k := range vals {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var out []mutant
	add := func(kind, body string) {
		r := base
		r.Value = []byte(body)
		out = append(out, mutant{kind: kind, rec: r})
	}
	for _, k := range keys {
		with := func(val string) string {
			c := url.Values{}
			for kk, vv := range vals {
				c[kk] = vv
			}
			c.Set(k, val)
			return c.Encode()
		}
		lk := strings.ToLower(k)
		add("form-garbage", strings.Replace(string(v), url.QueryEscape(k)+"=", url.QueryEscape(k)+"=%zz%", 1))
		add("form-garbage", with(""))
		add("invalid-utf8", strings.Replace(with("x"), k+"=x", k+"=%ff%fe", 1))
		if big {
			add("huge-string", with(strings.Repeat("a", stages.DefaultMaxPayloadBytes+1)))
			big = false
		}
		add("not-a-number", with("NaN"))
		add("wrong-type", with("{\"json\":[1,2]}"))
		switch {
		case strings.Contains(lk, "duration"):
			add("negative-duration", with("-5"))
		case strings.Contains(lk, "time") || strings.Contains(lk, "date"):
			add("timestamp-out-of-range", with("Mon, 99 Foo 99999 99:99:99 +9999"))
			add("timestamp-out-of-range", with("-62135596801"))
		}
	}
	return out
}

// leafPaths lists the paths (object keys and array indexes) of every value
// in doc except the root.
func leafPaths(doc any, prefix []any) [][]any {
	var out [][]any
	switch d := doc.(type) {
	case map[string]any:
		keys := make([]string, 0, len(d))
		for k := range d {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			p := append(append([]any(nil), prefix...), k)
			out = append(out, p)
			out = append(out, leafPaths(d[k], p)...)
		}
	case []any:
		// The first two elements of an array stand for the rest.
		for i := 0; i < len(d) && i < 2; i++ {
			p := append(append([]any(nil), prefix...), i)
			out = append(out, p)
			out = append(out, leafPaths(d[i], p)...)
		}
	}
	return out
}

func get(doc any, path []any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			doc = doc.(map[string]any)[k]
		case int:
			doc = doc.([]any)[k]
		}
	}
	return doc
}

// set returns a deep copy of doc with the value at path replaced.
func set(doc any, path []any, v any) any {
	if len(path) == 0 {
		return v
	}
	switch d := doc.(type) {
	case map[string]any:
		c := make(map[string]any, len(d))
		for k, vv := range d {
			c[k] = vv
		}
		k := path[0].(string)
		c[k] = set(d[k], path[1:], v)
		return c
	case []any:
		c := append([]any(nil), d...)
		i := path[0].(int)
		c[i] = set(d[i], path[1:], v)
		return c
	}
	return doc
}

// lockedWriter serialises the logger's writes.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
