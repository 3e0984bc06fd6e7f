// Command callveil runs the callveil pipeline: call events and transcripts
// in from Kafka, minimised and redacted calls out to sinks.
//
//	callveil demo                 # embedded broker, sample calls, ./callveil-demo/
//	callveil run --brokers ...    # the streaming service
//	callveil redact [--jsonl]     # redact text from stdin
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/alecthomas/kong"
)

// CLI is the command tree. Every flag also reads a CALLVEIL_* variable.
type CLI struct {
	LogLevel slog.Level `name:"log-level" env:"CALLVEIL_LOG_LEVEL" default:"info" help:"Log level: debug, info, warn, error. Logs never carry personal data."`

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
	kctx := kong.Parse(&cli,
		kong.Name("callveil"),
		kong.Description("Keep the value of phone calls without keeping the people in them."),
		kong.UsageOnError(),
	)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: cli.LogLevel}))
	err := kctx.Run(&globals{ctx: ctx, logger: logger})
	if err != nil {
		fmt.Fprintln(os.Stderr, "callveil:", err)
		os.Exit(1)
	}
}
