package main

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/alecthomas/kong"

	"github.com/callveil/callveil/internal/embeddedkafka"
	"github.com/callveil/callveil/privacy"
	"github.com/callveil/callveil/sinks/hubspot"
	"github.com/callveil/callveil/sinks/hubspot/hubspottest"
	"github.com/callveil/callveil/sinks/objectstore"
	"github.com/callveil/callveil/stages"
)

const privacyTestSecret = "privacy-cli-secret-0123456789abcdef"

// kongExit is what the test's kong.Exit panics with.
type kongExit struct{ code int }

// cliResult is what one in-process run of callveil printed and returned.
type cliResult struct {
	out  string // stdout and stderr of kong and the command, and the log
	err  error
	exit int // kong's exit code (help), -1 when it did not exit
}

// runCLI runs callveil in-process as main does: env applied, stdin given,
// everything it writes captured.
func runCLI(t *testing.T, env map[string]string, stdin string, args ...string) cliResult {
	t.Helper()
	for _, e := range []string{"HUBSPOT_TOKEN", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "CALLVEIL_KEY_SECRET", "CALLVEIL_CONFIG"} {
		t.Setenv(e, "")
		os.Unsetenv(e)
	}
	for k, v := range env {
		t.Setenv(k, v)
	}
	var out bytes.Buffer
	res := cliResult{exit: -1}
	var cli CLI
	parser, err := newParser(&cli, kong.Writers(&out, &out), kong.Exit(func(code int) { panic(kongExit{code}) }))
	if err != nil {
		t.Fatal(err)
	}
	func() {
		defer func() {
			if r := recover(); r != nil {
				e, ok := r.(kongExit)
				if !ok {
					panic(r)
				}
				res.exit = e.code
			}
		}()
		kctx, err := parser.Parse(args)
		if err != nil {
			res.err = err
			return
		}
		io := stdio{in: strings.NewReader(stdin), out: &out, err: &out}
		cli.Objection.Add.io, cli.Objection.Remove.io, cli.Objection.List.io = io, io, io
		cli.Forget.io, cli.Retention.io = io, io
		logger := slog.New(slog.NewTextHandler(&out, &slog.HandlerOptions{Level: slog.LevelDebug}))
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		res.err = kctx.Run(&globals{ctx: ctx, logger: logger})
	}()
	if res.err != nil {
		out.WriteString("callveil: " + res.err.Error() + "\n") // as main prints it
	}
	res.out = out.String()
	return res
}

func startTestBroker(t *testing.T) []string {
	t.Helper()
	b, err := embeddedkafka.Start(embeddedkafka.Config{Partitions: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Close)
	return b.Addrs()
}

func TestObjectionCommands(t *testing.T) {
	brokers := startTestBroker(t)
	env := map[string]string{"CALLVEIL_KEY_SECRET": privacyTestSecret, "CALLVEIL_BROKERS": strings.Join(brokers, ",")}
	hash := func(n string) string { return privacy.NumberHash([]byte(privacyTestSecret), n) }
	const a, b, c = "+4915123456789", "+447700900123", "+4930123456"

	res := runCLI(t, env, "", "objection", "add", "--number", "+49 151 2345 6789")
	if res.err != nil || !strings.Contains(res.out, hash(a)) {
		t.Fatalf("add: %v\n%s", res.err, res.out)
	}
	// Many numbers on stdin, national format read with the default region.
	res = runCLI(t, env, "# objections from the web form\n+44 7700 900123\n\n030 123456\n", "objection", "add", "--stdin")
	if res.err != nil || !strings.Contains(res.out, hash(b)) || !strings.Contains(res.out, hash(c)) || !strings.Contains(res.out, "2 objection(s) recorded") {
		t.Fatalf("add --stdin: %v\n%s", res.err, res.out)
	}
	res = runCLI(t, env, "", "objection", "remove", "--number", a)
	if res.err != nil {
		t.Fatalf("remove: %v\n%s", res.err, res.out)
	}
	res = runCLI(t, env, "", "objection", "list")
	if res.err != nil {
		t.Fatalf("list: %v\n%s", res.err, res.out)
	}
	if !strings.Contains(res.out, "2 objection(s)") || strings.Contains(res.out, hash(a)) ||
		!strings.Contains(res.out, hash(b)) || !strings.Contains(res.out, hash(c)) {
		t.Errorf("list output wrong:\n%s", res.out)
	}
	// The running pipeline's policy agrees with the command.
	pol, err := privacy.OpenPolicy(context.Background(), privacy.Config{Brokers: brokers, KeySecret: []byte(privacyTestSecret)})
	if err != nil {
		t.Fatal(err)
	}
	defer pol.Close()
	if pol.Objected(a) || !pol.Objected(b) || !pol.Objected(c) {
		t.Errorf("policy: objected a=%v b=%v c=%v; want false true true", pol.Objected(a), pol.Objected(b), pol.Objected(c))
	}
	for _, n := range []string{a, b, c, a[3:], c[3:]} {
		if strings.Contains(res.out, n) {
			t.Error("list printed a number")
		}
	}
}

// hubSpotWithCalls starts a HubSpot test server holding calls written by
// callveil's sink: one per start time, all with number n as caller.
func hubSpotWithCalls(t *testing.T, n string, starts ...time.Time) *hubspottest.Server {
	t.Helper()
	srv := hubspottest.Start(t, hubspottest.Options{Token: "pat-cli-token", KeyProperty: hubspot.DefaultKeyProperty})
	cfg := hubspot.DefaultConfig()
	cfg.URL, cfg.Token, cfg.Associate = srv.URL, "pat-cli-token", false
	hs, err := hubspot.New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	var batch []stages.RedactedCall
	for i, s := range starts {
		batch = append(batch, stages.RedactedCall{Call: stages.Call{
			Key:  stages.CallKey([]byte(privacyTestSecret), stages.ProviderTwilio, fmt.Sprintf("CA%032d", i)),
			From: n, To: "+4930123456", Start: s, DurationSeconds: 60, Direction: stages.DirectionInbound, Status: stages.StatusCompleted,
		}})
	}
	if err := hs.Write(context.Background(), batch); err != nil {
		t.Fatal(err)
	}
	return srv
}

func TestForgetCommand(t *testing.T) {
	brokers := startTestBroker(t)
	const victim = "+4915123456789"
	now := time.Now().UTC().Truncate(time.Second)
	srv := hubSpotWithCalls(t, victim, now.Add(-time.Hour), now.Add(-2*time.Hour), now.Add(-3*time.Hour))
	env := map[string]string{"CALLVEIL_KEY_SECRET": privacyTestSecret, "CALLVEIL_BROKERS": strings.Join(brokers, ","),
		"HUBSPOT_TOKEN": "pat-cli-token", "CALLVEIL_HUBSPOT_URL": srv.URL}
	for i, want := range []string{"3 HubSpot call(s) deleted", "0 HubSpot call(s) deleted"} {
		res := runCLI(t, env, "", "forget", "--number", "0151 23456789", "--recheck-after", "0")
		if res.err != nil || !strings.Contains(res.out, want) {
			t.Fatalf("forget run %d: %v\n%s", i+1, res.err, res.out)
		}
		if strings.Contains(res.out, victim) || strings.Contains(res.out, "23456789") {
			t.Errorf("forget printed the number")
		}
	}
	if n := len(srv.Calls()); n != 0 {
		t.Errorf("HubSpot still holds %d calls", n)
	}
	pol, err := privacy.OpenPolicy(context.Background(), privacy.Config{Brokers: brokers, KeySecret: []byte(privacyTestSecret)})
	if err != nil {
		t.Fatal(err)
	}
	defer pol.Close()
	if !pol.Forgotten(victim) || pol.Objected(victim) {
		t.Errorf("tombstone=%v objection=%v; want true false", pol.Forgotten(victim), pol.Objected(victim))
	}
}

func TestRetentionCommandHubSpot(t *testing.T) {
	now := time.Now().UTC().Truncate(time.Second)
	day := 24 * time.Hour
	srv := hubSpotWithCalls(t, "+4915123456789", now.Add(-400*day), now.Add(-366*day), now.Add(-364*day), now.Add(-time.Hour))
	env := map[string]string{"HUBSPOT_TOKEN": "pat-cli-token", "CALLVEIL_HUBSPOT_URL": srv.URL}

	res := runCLI(t, env, "", "retention", "--hubspot-older-than", "365d", "--dry-run")
	if res.err != nil || !strings.Contains(res.out, "hubspot: 2 call(s)") || !strings.Contains(res.out, "dry run") {
		t.Fatalf("dry run: %v\n%s", res.err, res.out)
	}
	if n := len(srv.Calls()); n != 4 {
		t.Fatalf("dry run deleted calls: %d left", n)
	}
	res = runCLI(t, env, "", "retention", "--hubspot-older-than", "365d")
	if res.err != nil || !strings.Contains(res.out, "2 call(s) written by callveil before") {
		t.Fatalf("apply: %v\n%s", res.err, res.out)
	}
	cutoff := now.Add(-365 * day)
	left := srv.Calls()
	if len(left) != 2 {
		t.Fatalf("%d calls left, want 2", len(left))
	}
	for _, c := range left {
		ts, _ := time.Parse(time.RFC3339, c.Properties["hs_timestamp"])
		if ts.Before(cutoff) {
			t.Errorf("a call from %s survived retention", ts)
		}
	}
	// Without the flag, HubSpot is never touched: the CRM is the user's.
	before := len(srv.Requests())
	res = runCLI(t, env, "", "retention")
	if res.err == nil || len(srv.Requests()) != before {
		t.Errorf("retention without --hubspot-older-than: err %v, %d requests", res.err, len(srv.Requests())-before)
	}
}

func TestRetentionCommandAggregatesDir(t *testing.T) {
	dir := t.TempDir()
	fixed := time.Date(2025, 3, 3, 12, 0, 0, 0, time.UTC)
	sink, err := objectstore.New(context.Background(), objectstore.Config{Dir: dir, WriterID: "w0",
		HashSecret: []byte(privacyTestSecret), Now: func() time.Time { return fixed.Add(time.Hour) }})
	if err != nil {
		t.Fatal(err)
	}
	var batch []stages.RedactedCall
	for i := range 12 {
		batch = append(batch, stages.RedactedCall{Call: stages.Call{
			Key:  stages.CallKey([]byte(privacyTestSecret), stages.ProviderTwilio, fmt.Sprint(i)),
			From: fmt.Sprintf("+4915123456%03d", i), To: "+4930123456", Start: fixed.Add(time.Duration(i) * time.Minute),
			DurationSeconds: 30, Direction: stages.DirectionInbound, Status: stages.StatusCompleted}})
	}
	if err := sink.Write(context.Background(), batch); err != nil {
		t.Fatal(err)
	}
	if err := sink.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	// Age every data object past retention; the checkpoint too, which must
	// survive anyway.
	var data []string
	old := time.Now().Add(-400 * 24 * time.Hour)
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			os.Chtimes(p, old, old)
			if !strings.Contains(p, "_state") {
				data = append(data, p)
			}
		}
		return nil
	})
	if len(data) == 0 {
		t.Fatal("the sink wrote no aggregates")
	}
	res := runCLI(t, nil, "", "retention", "--aggregates-dir", dir, "--dry-run")
	want := fmt.Sprintf("aggregates: %d object(s)", len(data))
	if res.err != nil || !strings.Contains(res.out, want) || !strings.Contains(res.out, "dry run") {
		t.Fatalf("dry run: %v\n%s", res.err, res.out)
	}
	for _, p := range data {
		if _, err := os.Stat(p); err != nil {
			t.Fatal("dry run deleted an object")
		}
	}
	res = runCLI(t, nil, "", "retention", "--aggregates-dir", dir)
	if res.err != nil || !strings.Contains(res.out, want) || !strings.Contains(res.out, "deleted") {
		t.Fatalf("apply: %v\n%s", res.err, res.out)
	}
	for _, p := range data {
		if _, err := os.Stat(p); err == nil {
			t.Error("an expired aggregates object survived")
		}
	}
}

// Secrets in the environment never show in --help, usage or error output,
// whatever goes wrong; neither does a number given on the command line.
func TestCommandsNeverEchoSecretsOrNumbers(t *testing.T) {
	const (
		keySecret = "KEYSECRET-canary-0123456789abcdef"
		token     = "pat-na1-TOKENCANARY-0000"
		s3Secret  = "S3SECRET-canary-abcdef"
		number    = "+4915199887766"
	)
	hub := hubspottest.Start(t, hubspottest.Options{Token: "another-token", KeyProperty: hubspot.DefaultKeyProperty})
	secretFile := filepath.Join(t.TempDir(), "secret")
	os.WriteFile(secretFile, []byte(keySecret+"\n"), 0o600)
	env := map[string]string{"CALLVEIL_KEY_SECRET": keySecret, "HUBSPOT_TOKEN": token,
		"AWS_ACCESS_KEY_ID": "AKIACANARY", "AWS_SECRET_ACCESS_KEY": s3Secret, "CALLVEIL_HUBSPOT_URL": hub.URL,
		"CALLVEIL_BROKER_WAIT": "0s"}
	dead := "127.0.0.1:1" // nothing listens: connection refused
	for _, args := range [][]string{
		{"--help"},
		{"objection", "--help"},
		{"objection", "add", "--help"},
		{"forget", "--help"},
		{"retention", "--help"},
		{"run", "--help"},
		{"objection", "add", "--number", "+49 151 CANARY 99887766"},
		{"objection", "add", "--number", number, "--brokers", dead},
		{"objection", "add", "--number", number, "--stdin"},
		{"objection", "list", "--brokers", dead},
		{"objection", "add", "--number", number, "--key-secret", "short", "--brokers", dead},
		{"objection", "add", "--number", number, "--key-secret-file", secretFile, "--brokers", dead},
		{"forget", "--number", number, "--brokers", dead},
		{"forget", "--number", "not-a-number-" + number},
		{"retention", "--hubspot-older-than", "365d"}, // 401: the server wants another token
		{"retention", "--hubspot-older-than", "forever"},
		{"retention", "--s3-endpoint", "127.0.0.1:1", "--s3-insecure", "--dry-run"},
		{"objection", "frobnicate"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			res := runCLI(t, env, number+"\n", args...)
			if res.exit == -1 && res.err == nil {
				t.Fatalf("neither help nor an error:\n%s", res.out)
			}
			lower := strings.ToLower(res.out)
			for _, s := range []string{keySecret, token, s3Secret, number, number[3:], "99887766"} {
				if strings.Contains(lower, strings.ToLower(s)) {
					t.Errorf("output holds %q:\n%s", s, res.out)
				}
			}
		})
	}
}
