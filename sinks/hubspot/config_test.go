package hubspot_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/callveil/callveil/sinks/hubspot"
)

func TestConfigValidation(t *testing.T) {
	tests := []struct {
		name    string
		mutate  func(*hubspot.Config)
		wantErr string
	}{
		{"defaults with token", func(c *hubspot.Config) {}, ""},
		{"no token", func(c *hubspot.Config) { c.Token = "" }, "Token is required"},
		{"token with newline", func(c *hubspot.Config) { c.Token = "pat-x\n" }, "whitespace"},
		{"plain http to a remote host", func(c *hubspot.Config) { c.URL = "http://api.example.com" }, "https"},
		{"plain http to loopback", func(c *hubspot.Config) { c.URL = "http://127.0.0.1:1" }, ""},
		{"credentials in URL", func(c *hubspot.Config) { c.URL = "https://u:p@api.hubapi.com" }, "credentials"},
		{"bad key property", func(c *hubspot.Config) { c.KeyProperty = "Call Key" }, "KeyProperty"},
		{"negative budget", func(c *hubspot.Config) { c.RequestsPer10s = -1 }, "RequestsPer10s"},
		{"negative retries", func(c *hubspot.Config) { c.MaxRetries = -1 }, "MaxRetries"},
		{"backoff bounds swapped", func(c *hubspot.Config) { c.RetryBaseDelay, c.RetryMaxDelay = 10, 5 }, "RetryBaseDelay"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := hubspot.DefaultConfig()
			cfg.Token = "pat-SECRET-VALUE"
			cfg.SkipPropertyCheck = true
			tt.mutate(&cfg)
			_, err := hubspot.New(context.Background(), cfg)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("New: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want it to mention %q", err, tt.wantErr)
			}
			if strings.Contains(err.Error(), "SECRET") {
				t.Errorf("token in error: %v", err)
			}
		})
	}
}

func TestTokenFromEnvOrFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("good", "pat-FROMFILE\n")
	empty := write("empty", " \n")
	twoLines := write("two", "pat-a\npat-b\n")
	tests := []struct {
		name, env, file, want, wantErr string
	}{
		{name: "file wins over env", env: "pat-FROMENV", file: good, want: "pat-FROMFILE"},
		{name: "env", env: " pat-FROMENV \n", want: "pat-FROMENV"},
		{name: "neither", wantErr: "no token"},
		{name: "empty file", env: "pat-FROMENV", file: empty, wantErr: "empty"},
		{name: "two tokens in file", file: twoLines, wantErr: "one token"},
		{name: "missing file", file: filepath.Join(dir, "nope"), wantErr: "reading token file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(hubspot.TokenEnv, tt.env)
			got, err := hubspot.TokenFromEnvOrFile(tt.file)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				if strings.Contains(err.Error(), "pat-") {
					t.Errorf("token in error: %v", err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("got %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}
