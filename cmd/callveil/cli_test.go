package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/alecthomas/kong"

	"github.com/callveil/callveil/privacy"
	"github.com/callveil/callveil/sinks"
	"github.com/callveil/callveil/stages"
)

// A bad flag gives the error and one hint, not the whole help.
func TestParseErrorIsShort(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"run", "--bogus"}, "run 'callveil run --help' for usage"},
		{[]string{"objection", "remove", "--nope"}, "run 'callveil objection remove --help' for usage"},
		{[]string{"frobnicate"}, "run 'callveil --help' for usage"},
	} {
		var cli CLI
		var kongOut bytes.Buffer
		parser, err := newParser(&cli, kong.Writers(&kongOut, &kongOut), kong.Exit(func(code int) { t.Fatalf("kong exited with %d", code) }))
		if err != nil {
			t.Fatal(err)
		}
		_, err = parser.Parse(tc.args)
		if err == nil {
			t.Fatalf("%v: parsed", tc.args)
		}
		var out bytes.Buffer
		if code := reportParseError(&out, err); code != 2 {
			t.Errorf("%v: exit %d, want 2", tc.args, code)
		}
		lines := strings.Split(strings.TrimSpace(kongOut.String()+out.String()), "\n")
		if len(lines) != 2 || !strings.HasPrefix(lines[0], "callveil: error: ") || lines[1] != tc.want {
			t.Errorf("%v: got\n%s%s\nwant the error and %q", tc.args, kongOut.String(), out.String(), tc.want)
		}
	}
}

func TestVersionFlag(t *testing.T) {
	res := runCLI(t, nil, "", "--version")
	if res.exit != 0 || !strings.HasPrefix(res.out, "callveil ") || strings.Count(strings.TrimSpace(res.out), "\n") != 0 {
		t.Errorf("--version: exit %d, output %q", res.exit, res.out)
	}
}

// Each command's help lists the flags it uses, and only those.
func TestHelpListsOnlyFlagsTheCommandUses(t *testing.T) {
	for _, tc := range []struct {
		cmd        string
		has, lacks []string
	}{
		{"forget", []string{"--out-dir", "--hubspot-token-file", "--brokers", "--broker-wait"},
			[]string{"--s3-endpoint", "--aggregates-dir", "--aggregate-window", "--writer-id", "--k-anonymity", "--hubspot-no-associate", "--hubspot-skip-property-check"}},
		{"retention", []string{"--s3-endpoint", "--aggregates-dir", "--retention-days", "--hubspot-token-file"},
			[]string{"--out-dir", "--aggregate-window", "--writer-id", "--k-anonymity", "--hubspot-no-associate"}},
		{"run", []string{"--out-dir", "--s3-endpoint", "--writer-id", "--hubspot-no-associate", "--broker-wait"}, nil},
		{"objection list", []string{"--brokers", "--key-secret"}, []string{"--default-region", "--number", "--out-dir"}},
		{"objection add", []string{"--default-region", "--number", "--stdin"}, []string{"--out-dir", "--hubspot-token-file"}},
	} {
		res := runCLI(t, nil, "", append(strings.Fields(tc.cmd), "--help")...)
		if res.exit != 0 {
			t.Fatalf("%s --help: exit %d", tc.cmd, res.exit)
		}
		for _, f := range tc.has {
			if !strings.Contains(res.out, f+"=") && !strings.Contains(res.out, f+" ") {
				t.Errorf("%s --help lacks %s", tc.cmd, f)
			}
		}
		for _, f := range tc.lacks {
			if strings.Contains(res.out, f) {
				t.Errorf("%s --help lists %s, which it does not use", tc.cmd, f)
			}
		}
	}
}

// forget removes the number's calls from --out-dir's calls.jsonl too.
func TestForgetRemovesCallsFromOutDir(t *testing.T) {
	brokers := startTestBroker(t)
	const victim, other = "+4915123456789", "+4930123456"
	dir := t.TempDir()
	fs, err := sinks.NewFileSink(sinks.FileSinkConfig{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now().Add(-time.Hour).UTC()
	if err := fs.Write(context.Background(), []stages.RedactedCall{
		{Call: stages.Call{Key: "k-victim", From: victim, To: other, Start: start}},
		{Call: stages.Call{Key: "k-other", From: other, To: "+4930999999", Start: start}},
	}); err != nil {
		t.Fatal(err)
	}
	fs.Close(context.Background())
	env := map[string]string{"CALLVEIL_KEY_SECRET": privacyTestSecret, "CALLVEIL_BROKERS": strings.Join(brokers, ",")}
	res := runCLI(t, env, "", "forget", "--number", victim, "--out-dir", dir)
	if res.err != nil || !strings.Contains(res.out, "1 call(s) removed from "+filepath.Join(dir, "calls.jsonl")) {
		t.Fatalf("forget: %v\n%s", res.err, res.out)
	}
	b, err := os.ReadFile(filepath.Join(dir, "calls.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), victim) || !strings.Contains(string(b), "k-other") {
		t.Errorf("calls.jsonl after forget:\n%s", b)
	}
	// Without --out-dir it says that no file was searched.
	res = runCLI(t, env, "", "forget", "--number", victim)
	if res.err != nil || !strings.Contains(res.out, "no --out-dir given") {
		t.Errorf("forget without --out-dir: %v\n%s", res.err, res.out)
	}
}

// The counts say what changed: withdrawing a number never objected
// withdraws nothing and says so.
func TestObjectionCountsAreReal(t *testing.T) {
	brokers := startTestBroker(t)
	env := map[string]string{"CALLVEIL_KEY_SECRET": privacyTestSecret, "CALLVEIL_BROKERS": strings.Join(brokers, ",")}
	const a = "+4915123456789"
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"objection", "remove", "--number", a}, "0 objection(s) withdrawn in topic calls.privacy (1 number(s) were not on the objection list)"},
		{[]string{"objection", "add", "--number", a}, "1 objection(s) recorded in topic calls.privacy;"},
		{[]string{"objection", "add", "--number", a}, "0 objection(s) recorded in topic calls.privacy (1 number(s) already on the list)"},
		{[]string{"objection", "remove", "--number", a}, "1 objection(s) withdrawn in topic calls.privacy;"},
	} {
		res := runCLI(t, env, "", tc.args...)
		if res.err != nil || !strings.Contains(res.out, tc.want) {
			t.Errorf("%v: %v\n%s\nwant %q", tc.args, res.err, res.out, tc.want)
		}
	}
}

// A bad line on stdin is named, and nothing of the list is applied.
func TestStdinBadLinesAreNamedAndNothingIsRecorded(t *testing.T) {
	brokers := startTestBroker(t)
	env := map[string]string{"CALLVEIL_KEY_SECRET": privacyTestSecret, "CALLVEIL_BROKERS": strings.Join(brokers, ",")}
	res := runCLI(t, env, "+4915123456789\nnot a number\n\n+447700900123\n12\n", "objection", "add", "--stdin")
	if res.err == nil {
		t.Fatalf("bad lines accepted:\n%s", res.out)
	}
	for _, want := range []string{"stdin line(s) 2, 5", "nothing was done", "2 good line(s)"} {
		if !strings.Contains(res.err.Error(), want) {
			t.Errorf("error %q does not say %q", res.err, want)
		}
	}
	st, err := privacy.OpenStore(context.Background(), privacy.Config{Brokers: brokers, KeySecret: []byte(privacyTestSecret)})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	snap, err := st.Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Objections) != 0 {
		t.Errorf("%d objection(s) recorded from a list with bad lines", len(snap.Objections))
	}
}

// Errors a user can act on: the brokers tried, the input path, the
// checkpoint file.
func TestStartErrorsNameWhatFailed(t *testing.T) {
	dir := t.TempDir()
	badCheckpoint := filepath.Join(dir, "bad.checkpoint")
	os.WriteFile(badCheckpoint, []byte("not a checkpoint"), 0o600)
	input := filepath.Join(dir, "in.jsonl")
	os.WriteFile(input, []byte("{}\n"), 0o600)
	env := map[string]string{"CALLVEIL_KEY_SECRET": privacyTestSecret}
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"forget", "--number", "+4915123456789", "--brokers", "127.0.0.1:1", "--broker-wait", "300ms"},
			[]string{"127.0.0.1:1", "attempt(s) over 300ms", "--broker-wait"}},
		{[]string{"run", "--brokers", "127.0.0.1:1", "--broker-wait", "200ms", "--out-dir", dir},
			[]string{"no Kafka broker reachable at 127.0.0.1:1"}},
		{[]string{"objection", "list", "--brokers", "127.0.0.1:1,127.0.0.1:2", "--broker-wait", "0s"},
			[]string{"127.0.0.1:1, 127.0.0.1:2"}},
		{[]string{"reprocess", "--input", filepath.Join(dir, "missing.jsonl"), "--dry-run", "--out-dir", dir},
			[]string{"--input " + maskDigitRuns(filepath.Join(dir, "missing.jsonl")), "no such file"}},
		{[]string{"reprocess", "--input", input, "--dry-run", "--out-dir", dir, "--resume", "--checkpoint", badCheckpoint},
			[]string{"checkpoint " + maskDigitRuns(badCheckpoint) + " cannot be resumed"}},
	} {
		res := runCLI(t, env, "", tc.args...)
		if res.err == nil {
			t.Fatalf("%v: no error\n%s", tc.args, res.out)
		}
		for _, w := range tc.want {
			if !strings.Contains(res.err.Error(), w) {
				t.Errorf("%v: error %q does not say %q", tc.args, res.err, w)
			}
		}
		if strings.Contains(res.err.Error(), "15123456789") {
			t.Errorf("error holds the number: %v", res.err)
		}
	}
}
