package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alecthomas/kong"

	"github.com/callveil/callveil/aggregates"
	"github.com/callveil/callveil/internal/callgen"
	"github.com/callveil/callveil/internal/embeddedkafka"
	"github.com/callveil/callveil/pipeline"
	"github.com/callveil/callveil/redact"
	"github.com/callveil/callveil/stages"
)

const rpFixture = "../../testdata/calls/reprocess.jsonl"

var rpKeySecret = "reprocess-cmd-test-secret-0123"

// rpRedactor is built once per test binary: it loads language models.
var rpRedactor = sync.OnceValues(func() (*redact.Redactor, error) { return redact.New(redact.Config{}) })

// rpOutput captures what a run prints and logs.
type rpOutput struct {
	stdout, stderr, logs bytes.Buffer
}

func (o *rpOutput) all() string { return o.stdout.String() + o.stderr.String() + o.logs.String() }

func rpEnv(t *testing.T, out *rpOutput) reprocessEnv {
	t.Helper()
	red, err := rpRedactor()
	if err != nil {
		t.Fatal(err)
	}
	return reprocessEnv{
		logger: slog.New(slog.NewTextHandler(&out.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		stdout: &out.stdout, stderr: &out.stderr, redactor: red, commitInterval: 5 * time.Millisecond,
	}
}

func rpCmd(input, outDir string) *ReprocessCmd {
	c := &ReprocessCmd{
		Input: input, DryRun: true, KeySecretFlags: KeySecretFlags{KeySecret: rpKeySecret},
		TopicFlags:  TopicFlags{EventsTopic: "calls.events", TranscriptsTopic: "calls.transcripts", DeadLetterTopic: "calls.deadletter"},
		RecordFlags: RecordFlags{Language: "auto", MaxPayloadBytes: 1 << 20},
		RegionFlag:  RegionFlag{DefaultRegion: "DE"}, JoinTTL: 5 * time.Minute, JoinMaxPending: 100000,
		ProgressInterval: time.Hour,
	}
	c.OutDir = outDir
	return c
}

// rpFinal is the last output line per call key.
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

func rpReasons(t *testing.T, dir string) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "deadletters.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, line := range bytes.Split(bytes.TrimSpace(b), []byte("\n")) {
		var dl pipeline.DeadLetter
		if err := json.Unmarshal(line, &dl); err != nil {
			t.Fatal(err)
		}
		out = append(out, string(dl.Reason))
	}
	slices.Sort(out)
	return out
}

func rpSameFinal(t *testing.T, what string, got, want map[string]string) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d calls, want %d", what, len(got), len(want))
	}
	n := 0
	for k, w := range want {
		if got[k] != w {
			if n++; n <= 2 {
				t.Errorf("%s: call differs:\n got %.200s\nwant %.200s", what, got[k], w)
			}
		}
	}
}

// TestReprocessFixtureDryRun is the README's command, in process: no
// server, the committed fixture, a dry run to a directory, twice.
func TestReprocessFixtureDryRun(t *testing.T) {
	fixture, err := callgen.Generate(callgen.FixtureConfig())
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var out rpOutput
	cmd := rpCmd(rpFixture, dir)
	cmd.ProgressInterval = time.Millisecond
	if err := cmd.run(context.Background(), rpEnv(t, &out)); err != nil {
		t.Fatalf("reprocess: %v\n%s", err, out.all())
	}
	final := rpFinal(t, dir)
	for _, c := range fixture.Calls {
		if _, ok := final[stages.CallKey([]byte(rpKeySecret), c.Provider, c.CallID)]; !ok {
			t.Errorf("call %d (%s) missing from calls.jsonl", c.Index, c.Provider)
		}
	}
	if len(final) != len(fixture.Calls) {
		t.Errorf("%d calls written, fixture has %d", len(final), len(fixture.Calls))
	}
	var want []string
	for _, p := range fixture.Poison {
		want = append(want, string(p.Reason))
	}
	slices.Sort(want)
	if got := rpReasons(t, dir); !slices.Equal(got, want) {
		t.Errorf("dead-letter reasons %v, want %v", got, want)
	}
	summary := out.stdout.String()
	for _, s := range []string{"done", "151 records read", "11 dead-lettered", "0 skipped by objection", filepath.Join(dir, "calls.jsonl")} {
		if !strings.Contains(summary, s) {
			t.Errorf("summary lacks %q:\n%s", s, summary)
		}
	}
	if !strings.Contains(out.stderr.String(), "records read") {
		t.Errorf("no progress line on a non-terminal stderr:\n%s", out.stderr.String())
	}
	if _, err := os.Stat(filepath.Join(dir, "reprocess.checkpoint")); err != nil {
		t.Errorf("default checkpoint: %v", err)
	}

	// Second run: nothing new in either file, and no changed aggregates.
	calls1, _ := os.ReadFile(filepath.Join(dir, "calls.jsonl"))
	dls1, _ := os.ReadFile(filepath.Join(dir, "deadletters.jsonl"))
	agg1 := rpAggregates(t, dir)
	if len(agg1) == 0 {
		t.Fatal("the dry run wrote no aggregates")
	}
	var out2 rpOutput
	if err := rpCmd(rpFixture, dir).run(context.Background(), rpEnv(t, &out2)); err != nil {
		t.Fatal(err)
	}
	calls2, _ := os.ReadFile(filepath.Join(dir, "calls.jsonl"))
	dls2, _ := os.ReadFile(filepath.Join(dir, "deadletters.jsonl"))
	if !bytes.Equal(calls1, calls2) || !bytes.Equal(dls1, dls2) {
		t.Errorf("second run changed the output: calls %d->%d bytes, dead letters %d->%d bytes", len(calls1), len(calls2), len(dls1), len(dls2))
	}
	if agg2 := rpAggregates(t, dir); !reflect.DeepEqual(agg1, agg2) {
		t.Errorf("second run changed the aggregates: %d objects before, %d after", len(agg1), len(agg2))
	}
	if !strings.Contains(out2.stdout.String(), "151 records read") {
		t.Errorf("second run did not reprocess: %s", out2.stdout.String())
	}
}

// TestReprocessKafkaRangeEqualsFiles reads the fixture from an embedded
// broker with --brokers and compares with the run over the file.
func TestReprocessKafkaRangeEqualsFiles(t *testing.T) {
	fixture, err := callgen.Generate(callgen.FixtureConfig())
	if err != nil {
		t.Fatal(err)
	}
	b, err := embeddedkafka.Start(embeddedkafka.Config{Topics: []string{"calls.events", "calls.transcripts"}, Partitions: 3})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := produceTraffic(ctx, b.Addrs(), fixture.Messages); err != nil {
		t.Fatal(err)
	}

	fileDir, kafkaDir := t.TempDir(), t.TempDir()
	var out rpOutput
	if err := rpCmd(rpFixture, fileDir).run(ctx, rpEnv(t, &out)); err != nil {
		t.Fatal(err)
	}
	kc := rpCmd("", kafkaDir)
	kc.Brokers = b.Addrs()
	if err := kc.run(ctx, rpEnv(t, &out)); err != nil {
		t.Fatalf("%v\n%s", err, out.all())
	}
	rpSameFinal(t, "kafka", rpFinal(t, kafkaDir), rpFinal(t, fileDir))
	if got, want := rpReasons(t, kafkaDir), rpReasons(t, fileDir); !slices.Equal(got, want) {
		t.Errorf("dead letters %v, want %v", got, want)
	}
}

// TestReprocessInterruptedThenResumed: Ctrl-C once something is
// checkpointed, then --resume: the same outputs as one uninterrupted run.
func TestReprocessInterruptedThenResumed(t *testing.T) {
	traffic, err := callgen.Generate(callgen.Config{Seed: 21, Calls: 300, Poison: 11})
	if err != nil {
		t.Fatal(err)
	}
	input := filepath.Join(t.TempDir(), "traffic.jsonl.gz")
	f, err := os.Create(input)
	if err != nil {
		t.Fatal(err)
	}
	zw := gzip.NewWriter(f)
	if err := callgen.WriteReprocessJSONL(zw, slices.Values(traffic.Messages)); err != nil {
		t.Fatal(err)
	}
	zw.Close()
	f.Close()

	ref := t.TempDir()
	var out rpOutput
	if err := rpCmd(input, ref).run(context.Background(), rpEnv(t, &out)); err != nil {
		t.Fatal(err)
	}

	dir := t.TempDir()
	cp := filepath.Join(dir, "reprocess.checkpoint")
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		// The operator's Ctrl-C, once a first checkpoint is written.
		for ctx.Err() == nil {
			if _, err := os.Stat(cp); err == nil {
				cancel()
				return
			}
			time.Sleep(time.Millisecond)
		}
	}()
	var first rpOutput
	err = rpCmd(input, dir).run(ctx, rpEnv(t, &first))
	cancel()
	if !errors.Is(err, errInterrupted) {
		t.Fatalf("interrupted run: err = %v (the run may have finished before the interrupt)", err)
	}
	if !strings.Contains(first.stdout.String(), "interrupted") || !strings.Contains(first.stdout.String(), "--resume") {
		t.Errorf("summary does not say how to continue:\n%s", first.stdout.String())
	}
	resume := rpCmd(input, dir)
	resume.Resume = true
	var second rpOutput
	if err := resume.run(context.Background(), rpEnv(t, &second)); err != nil {
		t.Fatal(err)
	}
	rpSameFinal(t, "resumed", rpFinal(t, dir), rpFinal(t, ref))
	if got, want := rpReasons(t, dir), rpReasons(t, ref); !slices.Equal(got, want) {
		t.Errorf("dead letters %v, want %v", got, want)
	}
	if strings.Contains(second.stdout.String(), " "+strconv.Itoa(len(traffic.Messages))+" records read") {
		t.Errorf("the resumed run read everything again:\n%s", second.stdout.String())
	}
}

func TestReprocessRefusesBadFlagsWithoutEchoingSecrets(t *testing.T) {
	const secret = "CANARY-secret-value-0123456789"
	tests := []struct {
		name   string
		mutate func(*ReprocessCmd)
		want   string
	}{
		{"no input", func(c *ReprocessCmd) { c.Input = "" }, "--input"},
		{"input and range", func(c *ReprocessCmd) { c.From = []string{"0"} }, "--from"},
		{"dry run without out dir", func(c *ReprocessCmd) { c.OutDir = "" }, "--out-dir"},
		{"short secret", func(c *ReprocessCmd) { c.KeySecret = "CANARY-short" }, "16 bytes"},
		{"two secrets", func(c *ReprocessCmd) { c.KeySecretFile = "/nonexistent" }, "not both"},
		{"bad range", func(c *ReprocessCmd) {
			c.Input, c.Brokers, c.From = "", []string{"127.0.0.1:1"}, []string{"last tuesday"}
		}, "RFC 3339"},
		// The path is named (the user must see which), with a number in it
		// masked.
		{"missing input", func(c *ReprocessCmd) { c.Input = filepath.Join(t.TempDir(), "caller-4915112345678.jsonl") }, "caller-….jsonl: no such file"},
		{"negative workers", func(c *ReprocessCmd) { c.Workers = -1 }, "--workers"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := rpCmd(rpFixture, t.TempDir())
			c.KeySecret = secret
			tt.mutate(c)
			var out rpOutput
			err := c.run(context.Background(), rpEnv(t, &out))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want one mentioning %q", err, tt.want)
			}
			if strings.Contains(err.Error()+out.all(), "CANARY") || strings.Contains(err.Error()+out.all(), "4915112345678") {
				t.Errorf("a secret or a name leaked: %v\n%s", err, out.all())
			}
		})
	}
}

// TestReprocessOutputsCarryNoPersonalData runs canary traffic and looks
// for every canary in what the command prints, logs and writes besides
// the redacted calls themselves.
func TestReprocessOutputsCarryNoPersonalData(t *testing.T) {
	traffic, err := callgen.Generate(callgen.Config{Seed: 9, Calls: 30, Poison: 11, Canary: true})
	if err != nil {
		t.Fatal(err)
	}
	input := filepath.Join(t.TempDir(), "canary.jsonl")
	var buf bytes.Buffer
	if err := callgen.WriteReprocessJSONL(&buf, slices.Values(traffic.Messages)); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(input, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var out rpOutput
	cmd := rpCmd(input, dir)
	cmd.ProgressInterval = time.Millisecond
	if err := cmd.run(context.Background(), rpEnv(t, &out)); err != nil {
		t.Fatal(err)
	}
	dls, _ := os.ReadFile(filepath.Join(dir, "deadletters.jsonl"))
	cp, _ := os.ReadFile(filepath.Join(dir, "reprocess.checkpoint"))
	haystack := out.all() + string(dls) + string(cp)
	canaries := traffic.Canaries()
	if len(canaries) == 0 {
		t.Fatal("no canaries generated")
	}
	for _, c := range canaries {
		if strings.Contains(haystack, c.Value) {
			t.Errorf("canary of %s leaked into output, logs, dead letters or checkpoint", c.Field)
		}
	}
	for _, c := range traffic.Calls {
		if strings.Contains(haystack, c.CallID) {
			t.Errorf("call id of call %d leaked", c.Index)
		}
	}
}

// TestReprocessFlagsParse checks the command's flags through kong, as
// main parses them (duplicate flag names fail here).
func TestReprocessFlagsParse(t *testing.T) {
	var cli CLI
	parser, err := kong.New(&cli, kong.Name("callveil"), kong.Exit(func(int) { t.Fatal("kong exited") }), kong.Writers(io.Discard, io.Discard))
	if err != nil {
		t.Fatal(err)
	}
	_, err = parser.Parse([]string{"reprocess", "--input", "in.jsonl", "--dry-run", "--out-dir", "out", "--workers", "2",
		"--resume", "--checkpoint", "cp", "--language", "de"})
	if err != nil {
		t.Fatal(err)
	}
	r := cli.Reprocess
	if r.Input != "in.jsonl" || !r.DryRun || r.OutDir != "out" || r.Workers != 2 || !r.Resume || !strings.HasSuffix(r.Checkpoint, "cp") || r.Language != "de" {
		t.Errorf("parsed %+v", r)
	}
	if r.JoinTTL != 5*time.Minute || r.EventsTopic != "calls.events" {
		t.Errorf("defaults: join-ttl %v, events-topic %q", r.JoinTTL, r.EventsTopic)
	}
	_, err = parser.Parse([]string{"reprocess", "--brokers", "k1:9092,k2:9092", "--from", "calls.events=10,2025-03-01T00:00:00Z", "--to", "2025-03-02T00:00:00Z"})
	if err != nil {
		t.Fatal(err)
	}
	if len(cli.Reprocess.Brokers) != 2 || len(cli.Reprocess.From) != 2 || len(cli.Reprocess.To) != 1 {
		t.Errorf("parsed brokers %v from %v to %v", cli.Reprocess.Brokers, cli.Reprocess.From, cli.Reprocess.To)
	}
}

// rpAggregates decodes every aggregates object under dir (Parquet, rows
// per object key); the checkpoint is left out, since it records run state.
func rpAggregates(t *testing.T, dir string) map[string][]aggregates.Row {
	t.Helper()
	out := map[string][]aggregates.Row{}
	root := filepath.Join(dir, "aggregates")
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".parquet") {
			return err
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		st, err := f.Stat()
		if err != nil {
			return err
		}
		rows, err := aggregates.DecodeParquet(f, st.Size())
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		out[rel] = rows
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
