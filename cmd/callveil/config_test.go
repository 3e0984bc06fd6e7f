package main

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/alecthomas/kong"
)

const testKeySecret = "cfg-test-secret-0123456789abcdef"

// parseArgs parses args as main does, with env applied first and output
// captured; kong's exit is turned into a test failure.
func parseArgs(t *testing.T, env map[string]string, args ...string) (*CLI, *kong.Context, *bytes.Buffer, error) {
	t.Helper()
	// Variables a developer's shell may hold must not leak into the test.
	for _, e := range []string{"HUBSPOT_TOKEN", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "CALLVEIL_CONFIG"} {
		t.Setenv(e, "")
		os.Unsetenv(e)
	}
	for k, v := range env {
		t.Setenv(k, v)
	}
	var cli CLI
	out := &bytes.Buffer{}
	parser, err := newParser(&cli, kong.Writers(out, out), kong.Exit(func(code int) {
		t.Fatalf("kong exited with %d: %s", code, out)
	}))
	if err != nil {
		t.Fatal(err)
	}
	kctx, err := parser.Parse(args)
	return &cli, kctx, out, err
}

func writeYAML(t *testing.T, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "callveil.yaml")
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// Precedence: flag over CALLVEIL_* variable over YAML file over default,
// with the file named by --config or by CALLVEIL_CONFIG.
func TestConfigPrecedenceFlagOverEnvOverFileOverDefault(t *testing.T) {
	file := writeYAML(t, `
brokers: [yaml-1:9092, yaml-2:9092]
group: from-yaml
join_ttl: 45m
commit-every: 250
out-dir: /tmp/from-yaml
`)
	for _, via := range []string{"flag", "env"} {
		t.Run("config via "+via, func(t *testing.T) {
			env := map[string]string{"CALLVEIL_GROUP": "from-env", "CALLVEIL_COMMIT_EVERY": "7", "CALLVEIL_KEY_SECRET": testKeySecret}
			args := []string{"run", "--commit-every", "9"}
			if via == "flag" {
				args = append([]string{"--config", file}, args...)
			} else {
				env["CALLVEIL_CONFIG"] = file
			}
			cli, _, out, err := parseArgs(t, env, args...)
			if err != nil {
				t.Fatalf("parse: %v (%s)", err, out)
			}
			c := cli.Run.ServiceConfig
			checks := []struct {
				setting   string
				got, want any
			}{
				{"brokers (file over default)", c.Brokers, []string{"yaml-1:9092", "yaml-2:9092"}},
				{"group (env over file)", c.Group, "from-env"},
				{"join-ttl (file over default)", c.JoinTTL, 45 * time.Minute},
				{"commit-every (flag over env over file)", c.CommitEvery, 9},
				{"out-dir (file)", c.OutDir, "/tmp/from-yaml"},
				{"commit-interval (default)", c.CommitInterval, time.Second},
			}
			for _, ch := range checks {
				if gs, ok := ch.got.([]string); ok {
					if !slices.Equal(gs, ch.want.([]string)) {
						t.Errorf("%s = %v, want %v", ch.setting, ch.got, ch.want)
					}
					continue
				}
				if ch.got != ch.want {
					t.Errorf("%s = %v, want %v", ch.setting, ch.got, ch.want)
				}
			}
			if err := c.validate(); err != nil {
				t.Errorf("valid configuration refused: %v", err)
			}
		})
	}
}

// Every invalid configuration gives one error that names the setting and
// never quotes a secret.
func TestConfigInvalidGivesOneClearError(t *testing.T) {
	const shortSecret = "tooshort-secret"
	tests := []struct {
		name string
		yaml string
		env  map[string]string
		args []string
		// parse: the error comes from parsing (kong), else from validate.
		parse bool
		want  string
	}{
		{name: "unknown key", yaml: "brokers: [k:9092]\nkafka-brokers: [k:9092]\n", parse: true, want: `unknown setting(s) "kafka-brokers"`},
		{name: "bad duration in file", yaml: "join-ttl: 30\n", parse: true, want: "--join-ttl"},
		{name: "bad duration in env", env: map[string]string{"CALLVEIL_COMMIT_INTERVAL": "soon"}, parse: true, want: "--commit-interval"},
		{name: "bad duration flag", args: []string{"--shutdown-timeout", "forever"}, parse: true, want: "--shutdown-timeout"},
		{name: "not YAML", yaml: "brokers: [unclosed\n", parse: true, want: "not valid YAML"},
		{name: "nested value", yaml: "hubspot:\n  url: x\n", parse: true, want: `setting "hubspot" must be a value or a list`},
		{name: "missing key secret", env: map[string]string{"CALLVEIL_KEY_SECRET": ""}, want: "key-secret: required"},
		{name: "short key secret", env: map[string]string{"CALLVEIL_KEY_SECRET": shortSecret}, want: "key-secret: must be at least 16 bytes"},
		{name: "hubspot url without token", args: []string{"--hubspot-url", "https://hubspot.example.test"}, want: "no HubSpot token"},
		{name: "s3 endpoint without credentials", yaml: "s3-endpoint: minio:9000\n", want: "s3-endpoint is set but its credentials are not"},
		{name: "zero commit interval", env: map[string]string{"CALLVEIL_COMMIT_INTERVAL": "0s"}, want: "commit-interval: must be a positive duration"},
		{name: "unknown language", args: []string{"--language", "xx"}, want: "language: must be one of"},
		{name: "broker without port", env: map[string]string{"CALLVEIL_BROKERS": "kafka"}, want: `brokers: "kafka" is not host:port`},
		{name: "bad metrics address", args: []string{"--metrics-addr", "9464"}, want: "metrics-addr"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			env := map[string]string{"CALLVEIL_KEY_SECRET": testKeySecret}
			for k, v := range tc.env {
				env[k] = v
			}
			args := []string{"run"}
			if tc.yaml != "" {
				args = append([]string{"--config", writeYAML(t, tc.yaml)}, args...)
			}
			args = append(args, tc.args...)
			cli, _, _, err := parseArgs(t, env, args...)
			if tc.parse {
				if err == nil {
					t.Fatalf("parse accepted it; want an error naming %q", tc.want)
				}
			} else {
				if err != nil {
					t.Fatalf("parse: %v", err)
				}
				err = cli.Run.validate()
				if err == nil {
					t.Fatalf("validate accepted it; want %q", tc.want)
				}
			}
			msg := err.Error()
			if !strings.Contains(msg, tc.want) {
				t.Errorf("error %q does not say %q", msg, tc.want)
			}
			if strings.Count(strings.TrimSpace(msg), "\n") > 0 {
				t.Errorf("want one error, got several:\n%s", msg)
			}
			for _, secret := range []string{testKeySecret, shortSecret} {
				if strings.Contains(msg, secret) {
					t.Errorf("error quotes a secret: %q", msg)
				}
			}
		})
	}
}

// `config print` shows every setting with its source, secrets masked,
// and as YAML that --config accepts again.
func TestConfigPrintMasksSecretsAndNamesSources(t *testing.T) {
	file := writeYAML(t, "group: from-yaml\nkey-secret: "+testKeySecret+"-from-file\n")
	env := map[string]string{"CALLVEIL_JOIN_TTL": "2m", "HUBSPOT_TOKEN": "pat-print-secret-token"}
	_, kctx, out, err := parseArgs(t, env, "--config", file, "config", "print", "--commit-every", "5")
	if err != nil {
		t.Fatal(err)
	}
	if err := kctx.Run(); err != nil {
		t.Fatalf("config print: %v\n%s", err, out)
	}
	text := out.String()
	for _, want := range []string{
		`group: "from-yaml" # config file`,
		`join-ttl: "2m0s" # env CALLVEIL_JOIN_TTL`,
		`commit-every: 5 # flag --commit-every`,
		`commit-interval: "1s" # default`,
		`# key-secret: set (config file), not shown`,
		`# HUBSPOT_TOKEN: set (masked)`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
	for _, secret := range []string{testKeySecret, "pat-print-secret-token"} {
		if strings.Contains(text, secret) {
			t.Fatalf("config print shows a secret:\n%s", text)
		}
	}
	// What it prints reads back as a configuration file, minus comments.
	if _, err := loadYAMLConfig(strings.NewReader(text)); err != nil {
		t.Errorf("printed configuration is not loadable: %v", err)
	}
}

// What `config print` prints is a --config file that gives back the same
// configuration, secrets excepted: they are left out, never read back as
// their mask, and an unset path is not read back as the file's folder.
func TestConfigPrintRoundTrips(t *testing.T) {
	file := writeYAML(t, "group: from-yaml\nkey-secret: "+testKeySecret+"\nout-dir: /var/lib/callveil\n")
	env := map[string]string{"CALLVEIL_JOIN_TTL": "2m", "CALLVEIL_BROKERS": "k1:9092,k2:9092", "HUBSPOT_TOKEN": "pat-roundtrip-token"}
	printed, kctx, out, err := parseArgs(t, env, "--config", file, "config", "print",
		"--commit-every", "5", "--metrics-addr", "", "--hubspot-no-associate", "--language", "de", "--log-level", "debug")
	if err != nil {
		t.Fatal(err)
	}
	if err := kctx.Run(); err != nil {
		t.Fatalf("config print: %v\n%s", err, out)
	}
	for k := range env {
		os.Unsetenv(k)
	}
	again := writeYAML(t, out.String())
	loaded, _, out2, err := parseArgs(t, nil, "--config", again, "run")
	if err != nil {
		t.Fatalf("the printed configuration does not load: %v\n%s\n%s", err, out2, out)
	}
	got, want := loaded.Run.ServiceConfig, printed.Config.Print.ServiceConfig
	if got.KeySecret != "" {
		t.Errorf("key-secret read back as %q: a mask must not become the secret", got.KeySecret)
	}
	if got.KeySecretFile != "" || got.HubSpotTokenFile != "" {
		t.Errorf("unset paths read back as %q, %q", got.KeySecretFile, got.HubSpotTokenFile)
	}
	want.KeySecret = ""
	if !reflect.DeepEqual(got, want) {
		t.Errorf("round trip changed the configuration:\n got  %+v\n want %+v\nprinted:\n%s", got, want, out)
	}
	if loaded.LogLevel != printed.LogLevel {
		t.Errorf("log-level %v, want %v", loaded.LogLevel, printed.LogLevel)
	}
	if strings.Contains(out.String(), testKeySecret) || strings.Contains(out.String(), "pat-roundtrip-token") {
		t.Fatalf("config print shows a secret:\n%s", out)
	}
}
