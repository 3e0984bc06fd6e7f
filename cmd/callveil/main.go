// Command callveil runs the callveil pipeline: call events and transcripts
// in from Kafka, minimised and redacted calls out to sinks.
//
//	callveil demo                 # embedded broker, sample calls, ./callveil-demo/
//	callveil run --brokers ...    # the streaming service
//	callveil redact [--jsonl]     # redact text from stdin
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"github.com/alecthomas/kong"

	"github.com/callveil/callveil/privacy"
)

// CLI is the command tree. Every flag also reads a CALLVEIL_* variable, and
// a YAML file (--config) may set any flag; flags win over variables, which
// win over the file (see config.go).
type CLI struct {
	Version    kong.VersionFlag `name:"version" help:"Print the version and exit."`
	LogLevel   slog.Level       `name:"log-level" env:"CALLVEIL_LOG_LEVEL" default:"info" help:"Log level: debug, info, warn, error. Logs never carry personal data."`
	ConfigFile kong.ConfigFlag  `name:"config" env:"CALLVEIL_CONFIG" placeholder:"FILE" help:"YAML file of settings (keys are flag names); flags and CALLVEIL_* variables override it."`

	Run       RunCmd       `cmd:"" help:"Run the streaming service against Kafka."`
	Demo      DemoCmd      `cmd:"" help:"Run the pipeline on sample calls with an embedded broker; no servers needed."`
	Redact    RedactCmd    `cmd:"" help:"Redact personal data in text read from stdin."`
	Reprocess ReprocessCmd `cmd:"" help:"Run the pipeline over past traffic (a Kafka range or files) and exit."`
	Objection ObjectionCmd `cmd:"" help:"Manage objections: numbers whose calls are not processed beyond minimisation."`
	Forget    ForgetCmd    `cmd:"" help:"Delete everything callveil wrote for a number and keep it from coming back."`
	Retention RetentionCmd `cmd:"" help:"Show or apply retention of what callveil stores."`
	Config    ConfigCmd    `cmd:"" help:"Show the effective configuration (secrets masked)."`
}

// globals are what every command gets from main.
type globals struct {
	ctx    context.Context
	logger *slog.Logger
}

func main() {
	var cli CLI
	parser, err := newParser(&cli)
	if err != nil {
		fmt.Fprintln(os.Stderr, "callveil:", err)
		os.Exit(2)
	}
	kctx, err := parser.Parse(os.Args[1:])
	if err != nil {
		os.Exit(reportParseError(os.Stderr, err))
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// Every log line goes through the allow-list: an attribute whose key is
	// not known to be value-free is dropped before it is formatted.
	logger := slog.New(privacy.NewAllowListHandler(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: cli.LogLevel})))
	if err := kctx.Run(&globals{ctx: ctx, logger: logger}); err != nil {
		fmt.Fprintln(os.Stderr, "callveil:", err)
		os.Exit(1)
	}
}

// version is the release, set at build time with
// -ldflags "-X main.version=v1.2.3"; without it the build info says.
var version = ""

// versionString is what --version prints: the release, else the module
// version and VCS revision Go recorded in the binary.
func versionString() string {
	if version != "" {
		return "callveil " + version
	}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "callveil (unknown version)"
	}
	v := bi.Main.Version
	if v == "" {
		v = "(devel)"
	}
	var rev, modified string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				modified = "+dirty"
			}
		}
	}
	if rev != "" {
		v += " " + rev[:min(12, len(rev))] + modified
	}
	return "callveil " + v + " " + bi.GoVersion
}

// reportParseError writes a command-line error and one hint where help
// is, instead of the whole help text, and returns the exit status (2, a
// usage error).
func reportParseError(w io.Writer, err error) int {
	fmt.Fprintln(w, "callveil: error:", err)
	cmd := "callveil"
	var pe *kong.ParseError
	if errors.As(err, &pe) && pe.Context != nil {
		if sel := pe.Context.Selected(); sel != nil {
			cmd = sel.FullPath()
		}
	}
	fmt.Fprintf(w, "run '%s --help' for usage\n", cmd)
	return 2
}
