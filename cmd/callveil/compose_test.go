package main

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/alecthomas/kong"
	"gopkg.in/yaml.v3"
)

// No Docker engine runs here, so docker-compose.yml and the Dockerfile are
// checked for what can be checked without one: the compose file parses,
// Kafka runs in KRaft mode with listeners both containers and the host can
// use, both input topics get the same partition count, and every CALLVEIL_*
// variable handed to callveil is one callveil reads (a typo would silently
// leave a setting at its default).
func TestComposeFileShape(t *testing.T) {
	raw, err := os.ReadFile("../../docker-compose.yml")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Services map[string]struct {
			Image       string            `yaml:"image"`
			Build       any               `yaml:"build"`
			Command     any               `yaml:"command"`
			Environment map[string]string `yaml:"environment"`
			DependsOn   map[string]any    `yaml:"depends_on"`
			Profiles    []string          `yaml:"profiles"`
		} `yaml:"services"`
		Volumes map[string]any `yaml:"volumes"`
		Secrets map[string]any `yaml:"secrets"`
	}
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("docker-compose.yml is not valid YAML: %v", err)
	}
	for _, name := range []string{"kafka", "topics", "minio", "callveil", "produce"} {
		if _, ok := doc.Services[name]; !ok {
			t.Errorf("service %s missing", name)
		}
	}
	kafka := doc.Services["kafka"].Environment
	if !strings.Contains(kafka["KAFKA_PROCESS_ROLES"], "controller") || kafka["KAFKA_CONTROLLER_QUORUM_VOTERS"] == "" {
		t.Error("kafka is not in KRaft mode")
	}
	for k := range kafka {
		if strings.Contains(strings.ToUpper(k), "ZOOKEEPER") {
			t.Errorf("ZooKeeper setting %s in a KRaft setup", k)
		}
	}
	adv := kafka["KAFKA_ADVERTISED_LISTENERS"]
	if !strings.Contains(adv, "kafka:29092") || !strings.Contains(adv, "localhost:9092") {
		t.Errorf("advertised listeners %q: containers need kafka:29092, the host localhost:9092", adv)
	}
	// Same partition count for both input topics (co-partitioning).
	topics, _ := doc.Services["topics"].Command.([]any)
	script := ""
	for _, c := range topics {
		script += c.(string)
	}
	if !regexp.MustCompile(`for t in calls\.events calls\.transcripts;`).MatchString(script) {
		t.Error("the two input topics are not created by one command with one partition count")
	}
	for _, svc := range []string{"callveil", "topics"} {
		for k, v := range doc.Services[svc].Environment {
			if strings.Contains(v, "kafka:9092") {
				t.Errorf("%s %s uses kafka:9092, the host listener's port; containers use kafka:29092", svc, k)
			}
		}
	}
	if !strings.Contains(script, "kafka:29092") {
		t.Error("topics are not created through the container listener")
	}
	// Every CALLVEIL_* variable is one the CLI reads.
	var cli CLI
	parser, err := newParser(&cli, kong.Exit(func(int) { t.Fatal("kong exited") }))
	if err != nil {
		t.Fatal(err)
	}
	known := map[string]bool{}
	kong.Visit(parser.Model, func(n kong.Visitable, next kong.Next) error {
		if f, ok := n.(*kong.Flag); ok {
			for _, e := range f.Envs {
				known[e] = true
			}
		}
		return next(nil)
	})
	cv := doc.Services["callveil"]
	for k := range cv.Environment {
		if strings.HasPrefix(k, "CALLVEIL_") && !known[k] {
			t.Errorf("callveil service sets %s, which callveil does not read", k)
		}
	}
	if cv.Build == nil || doc.Services["produce"].Build == nil {
		t.Error("callveil is not built from the Dockerfile")
	}
	cmd, _ := doc.Services["produce"].Command.([]any)
	if len(cmd) < 4 || cmd[0] != "demo" || !containsAny(cmd, "--produce-only") || !containsAny(cmd, "kafka:29092") {
		t.Errorf("produce service command %v: want demo --brokers kafka:29092 --produce-only", cmd)
	}
	if _, ok := doc.Secrets["callveil_key"]; !ok || cv.Environment["CALLVEIL_KEY_SECRET_FILE"] == "" {
		t.Error("the key secret is not passed as a file")
	}
	// Every image is pinned to a version: "latest" or no tag changes
	// under the user between two `docker compose up`.
	for name, svc := range doc.Services {
		if svc.Image == "" {
			continue
		}
		_, tag, ok := strings.Cut(svc.Image, ":")
		if !ok || tag == "latest" || !regexp.MustCompile(`[0-9]`).MatchString(tag) {
			t.Errorf("service %s: image %q is not pinned to a version", name, svc.Image)
		}
	}
}

// The Docker build context leaves out the key secret, VCS metadata and
// local output, and git ignores the secret and local output.
func TestIgnoreFilesKeepSecretsAndOutputOut(t *testing.T) {
	patterns := func(path string) map[string]bool {
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]bool{}
		for _, l := range strings.Split(string(raw), "\n") {
			l = strings.TrimSpace(l)
			if l != "" && !strings.HasPrefix(l, "#") {
				out[strings.TrimSuffix(strings.TrimPrefix(l, "/"), "/")] = true
			}
		}
		return out
	}
	docker := patterns("../../.dockerignore")
	for _, p := range []string{".git", "callveil.key", "callveil-demo", "reprocessed"} {
		if !docker[p] {
			t.Errorf(".dockerignore does not exclude %s", p)
		}
	}
	git := patterns("../../.gitignore")
	for _, p := range []string{"callveil.key", "callveil-demo", "reprocessed"} {
		if !git[p] {
			t.Errorf(".gitignore does not ignore %s", p)
		}
	}
}

func containsAny(xs []any, want string) bool {
	for _, x := range xs {
		if s, ok := x.(string); ok && s == want {
			return true
		}
	}
	return false
}

// The Dockerfile is multi-stage, builds a static binary and runs it as a
// non-root user.
func TestDockerfileShape(t *testing.T) {
	raw, err := os.ReadFile("../../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	df := string(raw)
	checks := []struct {
		what string
		re   string
	}{
		{"two stages", `(?s)FROM golang:\S+ AS build.*FROM \S+`},
		{"a pinned Go toolchain", `FROM golang:1\.\d+\.\d+ AS build`},
		{"the version in the binary", `-X main\.version=`},
		{"static build", `CGO_ENABLED=0 go build`},
		{"the callveil command", `\./cmd/callveil`},
		{"non-root user", `(?m)^USER (nonroot|65532)`},
		{"binary as entrypoint", `ENTRYPOINT \["/callveil"\]`},
	}
	for _, c := range checks {
		if !regexp.MustCompile(c.re).MatchString(df) {
			t.Errorf("Dockerfile: %s not found", c.what)
		}
	}
	if regexp.MustCompile(`(?m)^USER (root|0)\b`).MatchString(df) {
		t.Error("Dockerfile runs as root")
	}
}
