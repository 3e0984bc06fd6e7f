package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/alecthomas/kong"
	"gopkg.in/yaml.v3"

	"github.com/callveil/callveil/sinks/hubspot"
)

// Configuration comes from, highest precedence first: command-line flags,
// CALLVEIL_* environment variables, the YAML file named by --config
// (CALLVEIL_CONFIG), and the defaults. Kong itself lets a configuration
// resolver override environment variables, so the YAML resolver below
// steps aside for every flag whose variable is set.
//
// The YAML file is flat: its keys are the flag names (with - or _), its
// values scalars or lists:
//
//	brokers: [kafka-1:9092, kafka-2:9092]
//	join-ttl: 45m
//	out-dir: /var/lib/callveil
//
// A key that names no flag is an error, so a typo never silently leaves a
// setting at its default.

// ConfigCmd is `callveil config`.
type ConfigCmd struct {
	Print ConfigPrintCmd `cmd:"" help:"Print the effective configuration of 'callveil run' (secrets masked), with where each value came from."`
}

// ConfigPrintCmd resolves the service's settings exactly as `run` does.
type ConfigPrintCmd struct {
	ServiceConfig `embed:""`
}

// Run prints the settings as YAML that --config accepts, then validates
// them: an invalid configuration is printed and reported.
func (c *ConfigPrintCmd) Run(kctx *kong.Context) error {
	printConfig(kctx.Stdout, kctx)
	return c.validate()
}

// newParser builds the command-line parser. Tests build it too.
func newParser(cli *CLI, opts ...kong.Option) (*kong.Kong, error) {
	base := []kong.Option{
		kong.Name("callveil"),
		kong.Description("Keep the value of phone calls without keeping the people in them."),
		kong.Vars{"version": versionString()},
		kong.Configuration(loadYAMLConfig),
	}
	return kong.New(cli, append(base, opts...)...)
}

// yamlConfig is a parsed --config file.
type yamlConfig struct {
	path   string
	values map[string]any // flag name → string or []any of strings
}

// loadYAMLConfig is the kong.ConfigurationLoader for --config.
func loadYAMLConfig(r io.Reader) (kong.Resolver, error) {
	path := "config file"
	if f, ok := r.(*os.File); ok {
		path = f.Name()
	}
	var doc yaml.Node
	dec := yaml.NewDecoder(r)
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return &yamlConfig{path: path, values: map[string]any{}}, nil
		}
		// yaml.v3 errors name a line and the kind of problem, never a
		// whole value.
		return nil, fmt.Errorf("%s: not valid YAML: %w", path, err)
	}
	cfg := &yamlConfig{path: path, values: map[string]any{}}
	if len(doc.Content) == 0 {
		return cfg, nil
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s: must be a mapping of setting names to values", path)
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		name := strings.ReplaceAll(k.Value, "_", "-")
		if _, dup := cfg.values[name]; dup {
			return nil, fmt.Errorf("%s: line %d: setting %q given twice", path, k.Line, name)
		}
		switch v.Kind {
		case yaml.ScalarNode:
			// Scalars stay strings: a bare number for a duration would
			// otherwise be read as nanoseconds.
			cfg.values[name] = v.Value
		case yaml.SequenceNode:
			list := make([]any, 0, len(v.Content))
			for _, item := range v.Content {
				if item.Kind != yaml.ScalarNode {
					return nil, fmt.Errorf("%s: line %d: setting %q: list items must be plain values", path, item.Line, name)
				}
				list = append(list, item.Value)
			}
			cfg.values[name] = list
		default:
			return nil, fmt.Errorf("%s: line %d: setting %q must be a value or a list", path, v.Line, name)
		}
	}
	return cfg, nil
}

// Validate implements kong.Resolver: every key must name a flag of some
// command.
func (y *yamlConfig) Validate(app *kong.Application) error {
	known := map[string]bool{}
	kong.Visit(app, func(node kong.Visitable, next kong.Next) error {
		if f, ok := node.(*kong.Flag); ok {
			known[f.Name] = true
		}
		return next(nil)
	})
	var unknown []string
	for k := range y.values {
		if !known[k] || notASetting(k) {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return fmt.Errorf("%s: unknown setting(s) %s", y.path, strings.Join(quoteAll(unknown), ", "))
	}
	return nil
}

// Resolve implements kong.Resolver. A flag whose environment variable is
// set is left to the variable (env beats the file).
func (y *yamlConfig) Resolve(_ *kong.Context, _ *kong.Path, flag *kong.Flag) (any, error) {
	for _, env := range flag.Envs {
		if _, ok := os.LookupEnv(env); ok {
			return nil, nil
		}
	}
	v, ok := y.values[flag.Name]
	if !ok {
		return nil, nil
	}
	return v, nil
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}

// secretFlag tells the flags whose values are secrets. Paths to secret
// files are not secrets.
var secretFlag = regexp.MustCompile(`(secret|token|password|passwd|credential|access-key)`)

func isSecretFlag(name string) bool {
	return secretFlag.MatchString(name) && !strings.HasSuffix(name, "-file")
}

// mask shows only that a secret is set.
func mask(v string) string {
	if v == "" {
		return ""
	}
	return "********"
}

// printConfig writes the selected command's settings as a YAML file that
// --config reads back to the same configuration, with the source of each
// value as a comment. Secrets are not in it: a set secret is a comment
// saying so (a masked value read back would become the secret), and an
// unset path is a comment too (an empty path in a file is read as the
// file's folder).
func printConfig(w io.Writer, kctx *kong.Context) {
	fromFlag, fromFile := map[*kong.Flag]bool{}, map[*kong.Flag]bool{}
	for _, p := range kctx.Path {
		if p.Flag != nil {
			if p.Resolved {
				fromFile[p.Flag] = true
			} else {
				fromFlag[p.Flag] = true
			}
		}
	}
	fmt.Fprintln(w, "# callveil run: effective configuration; a valid --config file (secrets left out)")
	flags := slices.Concat(kctx.Flags())
	for _, f := range flags {
		if notASetting(f.Name) {
			continue
		}
		source := "default"
		switch {
		case fromFlag[f]:
			source = "flag --" + f.Name
		case envSet(f.Envs) != "":
			source = "env " + envSet(f.Envs)
		case fromFile[f]:
			source = "config file"
		}
		v := kctx.FlagValue(f)
		s, isString := v.(string)
		switch {
		case isSecretFlag(f.Name) && isString:
			state := "not set"
			if s != "" {
				state = "set (" + source + "), not shown"
			}
			fmt.Fprintf(w, "# %s: %s; give it with %s or %s-file\n", f.Name, state, strings.Join(f.Envs, ", "), f.Name)
		case f.Tag.Type == "path" && isString && s == "":
			fmt.Fprintf(w, "# %s: not set # %s\n", f.Name, source)
		default:
			fmt.Fprintf(w, "%s: %s # %s\n", f.Name, yamlValue(f.Name, v), source)
		}
	}
	// Secrets that only come from the environment.
	for _, env := range []string{hubspot.TokenEnv, "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"} {
		state := "not set"
		if os.Getenv(env) != "" {
			state = "set (masked)"
		}
		fmt.Fprintf(w, "# %s: %s\n", env, state)
	}
}

// notASetting tells the flags that are actions, not settings.
func notASetting(name string) bool {
	return name == "help" || name == "config" || name == "version"
}

func envSet(envs []string) string {
	for _, e := range envs {
		if _, ok := os.LookupEnv(e); ok {
			return e
		}
	}
	return ""
}

// yamlValue renders v as a YAML flow value, masked for secret flags.
func yamlValue(name string, v any) string {
	if isSecretFlag(name) {
		if s, ok := v.(string); ok {
			v = mask(s)
		}
	}
	switch x := v.(type) {
	case fmt.Stringer:
		v = x.String()
	}
	b, err := json.Marshal(v)
	if err != nil {
		return `""`
	}
	return string(b)
}

var languages = []string{"auto", "en", "de", "fr", "es", "it", "nl", "pt"}

// validate checks the service's settings. Each problem names its setting
// and never quotes a secret.
func (c *ServiceConfig) validate() error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if len(c.Brokers) == 0 {
		bad("brokers: at least one broker address is required")
	}
	for _, b := range c.Brokers {
		if _, port, err := net.SplitHostPort(b); err != nil || port == "" {
			bad("brokers: %q is not host:port", b)
		}
	}
	for name, v := range map[string]string{"group": c.Group, "events-topic": c.EventsTopic,
		"transcripts-topic": c.TranscriptsTopic, "deadletter-topic": c.DeadLetterTopic} {
		if strings.TrimSpace(v) == "" {
			bad("%s: must not be empty", name)
		}
	}
	if c.EventsTopic == c.TranscriptsTopic || c.DeadLetterTopic == c.EventsTopic || c.DeadLetterTopic == c.TranscriptsTopic {
		bad("events-topic, transcripts-topic, deadletter-topic: must be three different topics")
	}
	if _, err := readSecret(c.KeySecret, c.KeySecretFile); err != nil {
		errs = append(errs, err)
	}
	if !regexp.MustCompile(`^[A-Z]{2}$`).MatchString(c.DefaultRegion) {
		bad("default-region: must be an ISO 3166 alpha-2 code such as DE")
	}
	if !slices.Contains(languages, c.Language) {
		bad("language: must be one of %s", strings.Join(languages, ", "))
	}
	for name, d := range map[string]interface{ Seconds() float64 }{"join-ttl": c.JoinTTL,
		"commit-interval": c.CommitInterval, "shutdown-timeout": c.ShutdownTimeout} {
		if d.Seconds() <= 0 {
			bad("%s: must be a positive duration such as 30s", name)
		}
	}
	for name, n := range map[string]int{"join-max-pending": c.JoinMaxPending, "parse-workers": c.ParseWorkers,
		"max-payload-bytes": c.MaxPayloadBytes, "commit-every": c.CommitEvery, "hubspot-requests-per-10s": c.HubSpotRate} {
		if n <= 0 {
			bad("%s: must be positive", name)
		}
	}
	if c.RedactWorkers < 0 {
		bad("redact-workers: must be 0 (automatic) or positive")
	}
	if c.MetricsAddr != "" {
		if _, _, err := net.SplitHostPort(c.MetricsAddr); err != nil {
			bad("metrics-addr: must be host:port (or empty to turn metrics off)")
		}
	}
	// A sink configured without the secret it needs.
	hubspotToken := os.Getenv(hubspot.TokenEnv) != "" || c.HubSpotTokenFile != ""
	if c.HubSpotURL != hubspot.DefaultConfig().URL && !hubspotToken {
		bad("hubspot-url is set but no HubSpot token is: set %s or --hubspot-token-file", hubspot.TokenEnv)
	}
	if c.S3Endpoint != "" && (os.Getenv("AWS_ACCESS_KEY_ID") == "" || os.Getenv("AWS_SECRET_ACCESS_KEY") == "") {
		bad("s3-endpoint is set but its credentials are not: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")
	}
	return errors.Join(errs...)
}
