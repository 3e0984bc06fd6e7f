package pipeline

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/callveil/callveil/internal/callgen"
	"github.com/callveil/callveil/redact"
	"github.com/callveil/callveil/sinks"
	"github.com/callveil/callveil/stages"
)

// Helpers of the reprocess tests carry an rp prefix: this package's other
// test files are written by others at the same time.

var rpSecret = []byte("reprocess-test-secret-0123456789")

// rpRedactor is built once per test binary: it loads language models.
var rpRedactor = sync.OnceValues(func() (*redact.Redactor, error) { return redact.New(redact.Config{}) })

// rpInputs writes msgs as reprocess input in the three local forms and
// returns their paths: a .jsonl file, the same gzipped, and a directory
// mixing one-envelope files (first half, in a/) with a gzipped .jsonl
// (second half, in b/), so one call's records span files.
func rpInputs(t *testing.T, msgs []callgen.Message) map[string]string {
	t.Helper()
	dir := t.TempDir()
	var plain bytes.Buffer
	if err := callgen.WriteReprocessJSONL(&plain, slices.Values(msgs)); err != nil {
		t.Fatal(err)
	}
	paths := map[string]string{"plain": filepath.Join(dir, "in.jsonl"), "gz": filepath.Join(dir, "in.jsonl.gz"), "dir": filepath.Join(dir, "tree")}
	rpWrite(t, paths["plain"], plain.Bytes())
	rpWrite(t, paths["gz"], rpGzip(t, plain.Bytes()))
	half := len(msgs) / 2
	for i, m := range msgs[:half] {
		b, _ := json.Marshal(callgen.ReprocessLineOf(m))
		rpWrite(t, filepath.Join(paths["dir"], "a", fmt.Sprintf("%05d.json", i)), b)
	}
	var rest bytes.Buffer
	if err := callgen.WriteReprocessJSONL(&rest, slices.Values(msgs[half:])); err != nil {
		t.Fatal(err)
	}
	rpWrite(t, filepath.Join(paths["dir"], "b", "rest.jsonl.gz"), rpGzip(t, rest.Bytes()))
	rpWrite(t, filepath.Join(paths["dir"], ".hidden.json"), []byte("not input"))
	return paths
}

func rpWrite(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o640); err != nil {
		t.Fatal(err)
	}
}

func rpGzip(t *testing.T, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func rpFileSource(t *testing.T, input string, cpf *CheckpointFile, resume bool) *FileSource {
	t.Helper()
	src, err := NewFileSource(context.Background(), FileSourceConfig{Input: input, Checkpoint: cpf, Resume: resume})
	if err != nil {
		t.Fatal(err)
	}
	return src
}

// rpDrain fetches every record of src.
func rpDrain(t *testing.T, src Source) []stages.Record {
	t.Helper()
	var out []stages.Record
	buf := make([]stages.Record, 7)
	for {
		f, err := src.Fetch(context.Background(), buf)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, buf[:f.N]...)
		if f.End {
			return out
		}
	}
}

func TestFileSourcePlainGzipAndDirectoryYieldTheMessages(t *testing.T) {
	traffic, err := callgen.Generate(callgen.Config{Seed: 3, Calls: 12, Poison: 11})
	if err != nil {
		t.Fatal(err)
	}
	paths := rpInputs(t, traffic.Messages)
	for _, form := range []string{"plain", "gz", "dir"} {
		t.Run(form, func(t *testing.T) {
			src := rpFileSource(t, paths[form], nil, false)
			defer src.Close()
			recs := rpDrain(t, src)
			if len(recs) != len(traffic.Messages) {
				t.Fatalf("%d records, want %d", len(recs), len(traffic.Messages))
			}
			for i, m := range traffic.Messages {
				r := recs[i]
				if string(r.Key) != string(m.Key) || !bytes.Equal(r.Value, m.Value) || !r.Time.Equal(m.Time) ||
					string(r.Provider) != m.Headers[callgen.HeaderProvider] {
					t.Fatalf("record %d (%s) differs from the message", i, m.Shape)
				}
				if m.Topic == callgen.KindTranscripts && string(r.CallProvider) != m.Headers[callgen.HeaderCallProvider] {
					t.Fatalf("record %d: call provider %q", i, r.CallProvider)
				}
				if r.Topic != paths[form] {
					t.Fatalf("record %d: topic %q, want the input as given", i, r.Topic)
				}
			}
			if form == "dir" {
				half := len(traffic.Messages) / 2
				// Units in name order: a/00000.json ... then b/rest.jsonl.gz.
				if recs[1].Partition != 1 || recs[1].Offset != 0 || recs[half].Partition != half || recs[half+1].Offset != 1 {
					t.Errorf("directory positions: %d/%d, %d/%d", recs[1].Partition, recs[1].Offset, recs[half+1].Partition, recs[half+1].Offset)
				}
			} else if recs[5].Partition != 0 || recs[5].Offset != 5 {
				t.Errorf("line positions: %d/%d, want 0/5", recs[5].Partition, recs[5].Offset)
			}
			if pr := src.Progress(); pr.Done != pr.Total || pr.Total == 0 {
				t.Errorf("progress at the end: %+v", pr)
			}
		})
	}
}

func TestFileSourceLinesRawPayloadsBlankLinesAndOversize(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "raw.txt")
	const max = 200
	big := `{"resource":"call","data":"` + strings.Repeat("x", 5*max) + `"}`
	lines := []string{
		`{"resource":"call","event":"call.ended","data":{"id":1}}`, // raw JSON payload
		"",
		`   `,
		`CallSid=CA1&CallStatus=completed`, // raw form payload
		big,
		`{"call_id":"c-9","provider":"twilio","payload":{"CallSid":"CA9"}}`,  // envelope, object payload
		`{"call_id":"c-8","time":"yesterday","payload":"x"}`,                 // envelope with a bad time
		`{"resource":"call","payload":"a provider body with a payload key"}`, // not an envelope
	}
	rpWrite(t, path, []byte(strings.Join(lines, "\n"))) // no final newline
	mtime := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	if err := os.Chtimes(path, mtime, mtime); err != nil {
		t.Fatal(err)
	}
	src, err := NewFileSource(context.Background(), FileSourceConfig{Input: path, MaxPayloadBytes: max})
	if err != nil {
		t.Fatal(err)
	}
	recs := rpDrain(t, src)
	want := []struct {
		offset int64
		key    string
		value  string
	}{
		{0, "", lines[0]},
		{3, "", lines[3]},
		{4, "", big[:max+1]},
		{5, "c-9", `{"CallSid":"CA9"}`},
		{6, "", ""},
		{7, "", lines[7]},
	}
	if len(recs) != len(want) {
		t.Fatalf("%d records, want %d", len(recs), len(want))
	}
	for i, w := range want {
		r := recs[i]
		if r.Offset != w.offset || string(r.Key) != w.key || string(r.Value) != w.value {
			t.Errorf("record %d: offset %d key %q value %.40q; want %d %q %.40q", i, r.Offset, r.Key, r.Value, w.offset, w.key, w.value)
		}
		if !r.Time.Equal(mtime) {
			t.Errorf("record %d: time %v, want the file's mtime", i, r.Time)
		}
	}
	// What the parser makes of the edge cases: the oversized line is
	// too_large, the envelope with a bad time has no payload.
	parser, _ := stages.NewParser(stages.ParserConfig{MaxPayloadBytes: max})
	for i, reason := range map[int]stages.Reason{2: stages.ReasonTooLarge, 4: stages.ReasonMissingField} {
		_, err := parser.Parse(recs[i])
		var se *stages.Error
		if !errors.As(err, &se) || se.Reason != reason {
			t.Errorf("record %d: parse error %v, want %s", i, err, reason)
		}
	}
}

func TestDecodeEnvelope(t *testing.T) {
	at := time.Date(2025, 3, 3, 8, 0, 0, 0, time.UTC)
	tests := []struct {
		name                string
		line                string
		envelope            bool
		key, prov, callProv string
		value               string
		time                time.Time
	}{
		{"string payload", `{"call_id":"1","provider":"sipgate","call_provider":"sipgate","time":"2025-03-03T08:00:00Z","payload":"event=newCall&callId=1"}`,
			true, "1", "sipgate", "sipgate", "event=newCall&callId=1", at},
		{"object payload", `{"call_id":"2","payload":{"a":[1,2]}}`, true, "2", "", "", `{"a":[1,2]}`, time.Time{}},
		{"base64 payload", `{"call_id":"3","provider":"deepgram","payload_base64":"T2dnUw=="}`, true, "3", "deepgram", "", "OggS", time.Time{}},
		{"demo envelope", `{"topic":"transcripts","key":"4","headers":{"provider":"assemblyai","call-provider":"twilio"},"time":"2025-03-03T08:00:00Z","shape":"x","payload":"{}"}`,
			true, "4", "assemblyai", "twilio", "{}", at},
		{"null payload", `{"call_id":"5","payload":null}`, true, "5", "", "", "", time.Time{}},
		{"bad base64", `{"call_id":"6","payload_base64":"%%%"}`, true, "6", "", "", "", time.Time{}},
		{"provider payload with extra keys", `{"payload":"x","event":"call.ended"}`, false, "", "", "", "", time.Time{}},
		{"no payload", `{"call_id":"7"}`, false, "", "", "", "", time.Time{}},
		{"not JSON", `event=hangup&callId=8`, false, "", "", "", "", time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env, ok := decodeEnvelope([]byte(tt.line))
			if ok != tt.envelope {
				t.Fatalf("envelope = %v, want %v", ok, tt.envelope)
			}
			if !ok {
				return
			}
			var rec stages.Record
			applyEnvelope(&rec, env)
			if string(rec.Key) != tt.key || string(rec.Provider) != tt.prov || string(rec.CallProvider) != tt.callProv ||
				string(rec.Value) != tt.value || !rec.Time.Equal(tt.time) {
				t.Errorf("got key %q provider %q call-provider %q value %q time %v", rec.Key, rec.Provider, rec.CallProvider, rec.Value, rec.Time)
			}
		})
	}
}

func TestFileSourceResumeSkipsSettledUnitsLinesAndRuns(t *testing.T) {
	traffic, err := callgen.Generate(callgen.Config{Seed: 4, Calls: 10})
	if err != nil {
		t.Fatal(err)
	}
	paths := rpInputs(t, traffic.Messages)
	input := paths["dir"]
	cpf, _ := NewCheckpointFile(filepath.Join(t.TempDir(), "cp"))

	first := rpFileSource(t, input, cpf, false)
	all := rpDrain(t, first)
	half := len(traffic.Messages) / 2
	last := first.Units() - 1 // b/rest.jsonl.gz
	// Settle units 0..2 and, in the last unit, lines 0..2 and 5..6 (a run
	// beyond the prefix, as a call delivered ahead of a slower one).
	tr := NewOffsetTracker()
	var toks []Token
	for _, r := range all {
		toks = append(toks, tr.Begin(r.Topic, r.Partition, r.Offset))
	}
	settle := func(partition int, offsets ...int64) {
		for i, r := range all {
			if r.Partition == partition && (offsets == nil || slices.Contains(offsets, r.Offset)) {
				tr.Done(toks[i])
			}
		}
	}
	settle(0)
	settle(1)
	settle(2)
	settle(last, 0, 1, 2, 5, 6)
	if err := first.Settle(context.Background(), Settlement{Commits: tr.Committable(), Runs: tr.settledRuns()}); err != nil {
		t.Fatal(err)
	}
	first.Close()
	cp, err := cpf.Load()
	if err != nil {
		t.Fatal(err)
	}
	if cp.UnitsDone != 3 {
		t.Errorf("units done = %d, want 3", cp.UnitsDone)
	}
	b, _ := os.ReadFile(cpf.Path())
	if strings.Contains(string(b), "rest.jsonl") || strings.Contains(string(b), "00000.json") {
		t.Errorf("the checkpoint names a file: %s", b)
	}

	resumed := rpFileSource(t, input, cpf, true)
	got := rpDrain(t, resumed)
	resumed.Close()
	var want []stages.Record
	for _, r := range all {
		if r.Partition < 3 || (r.Partition == last && slices.Contains([]int64{0, 1, 2, 5, 6}, r.Offset)) {
			continue
		}
		want = append(want, r)
	}
	if len(got) != len(want) {
		t.Fatalf("resumed with %d records, want %d (of %d; half %d)", len(got), len(want), len(all), half)
	}
	for i := range want {
		if got[i].Partition != want[i].Partition || got[i].Offset != want[i].Offset {
			t.Fatalf("resumed record %d at %d/%d, want %d/%d", i, got[i].Partition, got[i].Offset, want[i].Partition, want[i].Offset)
		}
	}

	// A changed directory is refused, not silently misread.
	rpWrite(t, filepath.Join(input, "a", "00000-new.json"), []byte("{}"))
	if _, err := NewFileSource(context.Background(), FileSourceConfig{Input: input, Checkpoint: cpf, Resume: true}); !errors.Is(err, ErrCheckpointMismatch) {
		t.Fatalf("resume over a changed directory: err = %v", err)
	}
}

func TestFileSourceErrorsNameNoFile(t *testing.T) {
	// Transcripts are often stored under their call id; a name must not
	// reach an error (and so a log).
	const canary = "CANARY-CA9f8e7d6c5b4a"
	dir := t.TempDir()
	rpWrite(t, filepath.Join(dir, "ok.json"), []byte(`{}`))
	rpWrite(t, filepath.Join(dir, canary+".json.gz"), []byte("this is not gzip"))
	src := rpFileSource(t, dir, nil, false)
	defer src.Close()
	var err error
	for range 3 {
		if _, err = src.Fetch(context.Background(), make([]stages.Record, 1)); err != nil {
			break
		}
	}
	if err == nil || strings.Contains(err.Error(), canary) || strings.Contains(err.Error(), dir) {
		t.Fatalf("err = %v: want an error naming no file", err)
	}
	_, err = NewFileSource(context.Background(), FileSourceConfig{Input: filepath.Join(dir, canary+"-missing")})
	if err == nil || strings.Contains(err.Error(), canary) {
		t.Fatalf("missing input: err = %v", err)
	}
}

// ---- running the pipeline over bounded sources ----

// rpRun is one pipeline writing to its own output directory.
type rpRun struct {
	dir  string
	p    *Pipeline
	sink *sinks.FileSink
}

func rpNewRun(t *testing.T, dir string, mutate func(*Config)) *rpRun {
	t.Helper()
	red, err := rpRedactor()
	if err != nil {
		t.Fatal(err)
	}
	fs, err := sinks.NewFileSink(sinks.FileSinkConfig{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	dls, err := NewFileDeadLetters(dir)
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{
		KeySecret: rpSecret, Join: stages.JoinConfig{TTL: time.Minute},
		Redact: stages.RedactConfig{Redactor: red}, Sinks: []sinks.Sink{fs}, DeadLetters: dls,
		Logger:      slog.New(slog.NewTextHandler(io.Discard, nil)),
		BatchLinger: 5 * time.Millisecond, CommitInterval: 20 * time.Millisecond,
		RetryBackoff: 5 * time.Millisecond, MaxRetryBackoff: 50 * time.Millisecond, ShutdownTimeout: 10 * time.Second,
	}
	if mutate != nil {
		mutate(&cfg)
	}
	p, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return &rpRun{dir: dir, p: p, sink: fs}
}

// bounded runs src to its end (or ctx's) and closes the sink.
func (r *rpRun) bounded(t *testing.T, ctx context.Context, src Source) {
	t.Helper()
	dls := r.p.cfg.DeadLetters
	err := r.p.Run(ctx, src, dls)
	r.sink.Close(context.Background())
	if err != nil {
		t.Fatal(err)
	}
}

// rpFinal is the last output line per call key: what a CRM upsert ends up
// holding.
func rpFinal(t *testing.T, dir string) map[string]string {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "calls.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]string{}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 16<<20)
	for sc.Scan() {
		var k struct {
			Key string `json:"call_key"`
		}
		if err := json.Unmarshal(sc.Bytes(), &k); err != nil {
			t.Fatal(err)
		}
		out[k.Key] = sc.Text()
	}
	return out
}

// rpDeadLetters counts dead letters by reason, each source position once.
func rpDeadLetters(t *testing.T, dir string) map[stages.Reason]int {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "deadletters.jsonl"))
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	out := map[stages.Reason]int{}
	for _, line := range bytes.Split(bytes.TrimSpace(b), []byte("\n")) {
		if len(line) == 0 {
			continue
		}
		var dl DeadLetter
		if err := json.Unmarshal(line, &dl); err != nil {
			t.Fatal(err)
		}
		pos := fmt.Sprint(dl.Topic, dl.Partition, dl.Offset)
		if !seen[pos] {
			seen[pos] = true
			out[dl.Reason]++
		}
	}
	return out
}

// rpSameFinal fails unless got holds exactly want's calls, line for line.
func rpSameFinal(t *testing.T, what string, got, want map[string]string) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d calls, want %d", what, len(got), len(want))
	}
	diff := 0
	for k, w := range want {
		if got[k] != w {
			diff++
			if diff <= 2 {
				t.Errorf("%s: call differs:\n got %.300s\nwant %.300s", what, got[k], w)
			}
		}
	}
	if diff > 0 {
		t.Errorf("%s: %d of %d calls differ", what, diff, len(want))
	}
}

// rpInterrupting cancels the run after n records fetched: an operator's
// Ctrl-C.
type rpInterrupting struct {
	Source
	n      int
	cancel context.CancelFunc
}

func (s *rpInterrupting) Fetch(ctx context.Context, buf []stages.Record) (Fetched, error) {
	if s.n <= 0 {
		s.cancel()
		<-ctx.Done()
		return Fetched{}, ctx.Err()
	}
	f, err := s.Source.Fetch(ctx, buf[:min(len(buf), s.n)])
	s.n -= f.N
	return f, err
}

func TestReprocessFilesOutputsAreEqualIdempotentAndResumable(t *testing.T) {
	traffic, err := callgen.Generate(callgen.Config{Seed: 11, Calls: 40, Poison: 11})
	if err != nil {
		t.Fatal(err)
	}
	paths := rpInputs(t, traffic.Messages)
	wantDL := map[stages.Reason]int{}
	for _, pz := range traffic.Poison {
		wantDL[pz.Reason]++
	}

	outs := map[string]string{}
	for _, form := range []string{"plain", "gz", "dir"} {
		outs[form] = t.TempDir()
		rpNewRun(t, outs[form], nil).bounded(t, context.Background(), rpFileSource(t, paths[form], nil, false))
	}
	ref := rpFinal(t, outs["plain"])
	if len(ref) != len(traffic.Calls) {
		t.Errorf("%d calls out, %d calls in", len(ref), len(traffic.Calls))
	}
	for _, form := range []string{"gz", "dir"} {
		rpSameFinal(t, form, rpFinal(t, outs[form]), ref)
	}
	for _, form := range []string{"plain", "gz", "dir"} {
		if got := rpDeadLetters(t, outs[form]); !maps.Equal(got, wantDL) {
			t.Errorf("%s: dead letters %v, want %v", form, got, wantDL)
		}
	}

	// Idempotent: a second run over the same output changes no byte.
	before, _ := os.ReadFile(filepath.Join(outs["plain"], "calls.jsonl"))
	second := rpNewRun(t, outs["plain"], nil)
	second.bounded(t, context.Background(), rpFileSource(t, paths["plain"], nil, false))
	after, _ := os.ReadFile(filepath.Join(outs["plain"], "calls.jsonl"))
	if !bytes.Equal(before, after) {
		t.Errorf("second run changed calls.jsonl: %d -> %d bytes", len(before), len(after))
	}
	if second.p.Stats().CallsDelivered.Load() == 0 {
		t.Error("second run delivered nothing: it did not really run")
	}

	// Interrupted at several points and resumed: the same final output,
	// and the resumed run reads less than everything.
	for _, form := range []string{"plain", "dir"} {
		for _, stopAfter := range []int{10, 75, 130} {
			t.Run(fmt.Sprintf("resume-%s-after-%d", form, stopAfter), func(t *testing.T) {
				out := t.TempDir()
				cpf, _ := NewCheckpointFile(filepath.Join(out, "reprocess.checkpoint"))
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				first := rpNewRun(t, out, nil)
				first.bounded(t, ctx, &rpInterrupting{Source: rpFileSource(t, paths[form], cpf, false), n: stopAfter, cancel: cancel})
				settled := first.p.Stats().RecordsRead.Load() - int64(first.p.InFlight())
				resumed := rpNewRun(t, out, nil)
				resumed.bounded(t, context.Background(), rpFileSource(t, paths[form], cpf, true))
				rpSameFinal(t, "resumed", rpFinal(t, out), ref)
				if got := rpDeadLetters(t, out); !maps.Equal(got, wantDL) {
					t.Errorf("dead letters %v, want %v", got, wantDL)
				}
				// No double work: the resume reads exactly what was not
				// settled.
				if n := resumed.p.Stats().RecordsRead.Load(); n != int64(len(traffic.Messages))-settled || settled == 0 {
					t.Errorf("resumed run read %d records; %d of %d were settled before", n, settled, len(traffic.Messages))
				}
			})
		}
	}
}

// TestFileSourceS3PrefixAgainstMinIO reads the directory layout from a
// real MinIO bucket through the S3 protocol. CI starts MinIO with
// `source .ci/minio.sh start`; without it the test skips.
func TestFileSourceS3PrefixAgainstMinIO(t *testing.T) {
	endpoint := os.Getenv("CALLVEIL_MINIO_ENDPOINT")
	if endpoint == "" {
		t.Skip("CALLVEIL_MINIO_ENDPOINT not set: run `source .ci/minio.sh start` for a local MinIO (CI always does)")
	}
	access, secret := os.Getenv("CALLVEIL_MINIO_ACCESS_KEY"), os.Getenv("CALLVEIL_MINIO_SECRET_KEY")
	traffic, err := callgen.Generate(callgen.Config{Seed: 8, Calls: 12, Poison: 11})
	if err != nil {
		t.Fatal(err)
	}
	tree := rpInputs(t, traffic.Messages)["dir"]
	client, err := minio.New(endpoint, &minio.Options{Creds: credentials.NewStaticV4(access, secret, "")})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	bucket := fmt.Sprintf("cv-reprocess-%d", time.Now().UnixNano())
	if err := client.MakeBucket(ctx, bucket, minio.MakeBucketOptions{}); err != nil {
		t.Fatal(err)
	}
	err = filepath.WalkDir(tree, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasPrefix(d.Name(), ".") {
			return err
		}
		rel, _ := filepath.Rel(tree, path)
		_, err = client.FPutObject(ctx, bucket, "exports/2025-03/"+filepath.ToSlash(rel), path, minio.PutObjectOptions{})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	// An object outside the prefix must not be read.
	if _, err := client.PutObject(ctx, bucket, "other/x.json", strings.NewReader("{}"), 2, minio.PutObjectOptions{}); err != nil {
		t.Fatal(err)
	}
	input := "s3://" + bucket + "/exports/2025-03/"
	s3cfg := S3Config{Endpoint: endpoint, Insecure: true, AccessKeyID: access, SecretAccessKey: secret}
	cpf, _ := NewCheckpointFile(filepath.Join(t.TempDir(), "cp"))
	src, err := NewFileSource(ctx, FileSourceConfig{Input: input, S3: s3cfg, Checkpoint: cpf})
	if err != nil {
		t.Fatal(err)
	}
	recs := rpDrain(t, src)
	if len(recs) != len(traffic.Messages) {
		t.Fatalf("%d records from S3, want %d", len(recs), len(traffic.Messages))
	}
	for i, m := range traffic.Messages {
		if string(recs[i].Key) != string(m.Key) || !bytes.Equal(recs[i].Value, m.Value) || !recs[i].Time.Equal(m.Time) {
			t.Fatalf("record %d (%s) differs from the message", i, m.Shape)
		}
	}
	src.Close()

	// The full pipeline over S3 equals the run over the local directory.
	s3Out, dirOut := t.TempDir(), t.TempDir()
	src, err = NewFileSource(ctx, FileSourceConfig{Input: input, S3: s3cfg})
	if err != nil {
		t.Fatal(err)
	}
	rpNewRun(t, s3Out, nil).bounded(t, ctx, src)
	rpNewRun(t, dirOut, nil).bounded(t, ctx, rpFileSource(t, tree, nil, false))
	rpSameFinal(t, "s3", rpFinal(t, s3Out), rpFinal(t, dirOut))

	// TLS is the default: the plain-HTTP test server is not spoken to
	// without Insecure.
	s3cfg.Insecure = false
	if _, err := NewFileSource(ctx, FileSourceConfig{Input: input, S3: s3cfg}); err == nil {
		t.Error("listing over TLS from a plain-HTTP server succeeded")
	} else if strings.Contains(err.Error(), "exports/2025-03") {
		t.Errorf("the error quotes the prefix: %v", err)
	}
}
