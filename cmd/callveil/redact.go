package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/callveil/callveil/redact"
)

// RedactCmd redacts personal data in text read from stdin.
//
//	callveil redact --jsonl < in.jsonl > out.jsonl
//	    in:  {"id": "...", "text": "...", "language": "auto"}   (language optional)
//	    out: {"id": "...", "language": "de", "text": "<redacted>", "spans": [{"start": 12, "end": 30, "type": "PHONE_NUMBER"}]}
//	callveil redact < transcript.txt   (plain text: the whole input is one call)
//
// A bad JSON line (not an object, "id" or "text" not a string, an
// unsupported language) is skipped and reported on stderr as
// "callveil: redact: input line N: <reason>" when it is met; every good
// line is still written, and the command exits 1 at the end.
type RedactCmd struct {
	JSONL        bool     `name:"jsonl" help:"Read JSON lines {id, text, language} and write {id, language, text, spans} per line."`
	Languages    []string `name:"languages" sep:"," help:"Languages to detect and redact (default: en,de,fr,es,it,nl,pt)."`
	Language     string   `name:"language" default:"auto" help:"Language of plain-text input, or auto."`
	Pseudonyms   bool     `name:"pseudonyms" help:"Replace with stable per-call pseudonyms ([PERSON_1]) instead of type tags."`
	HighAccuracy bool     `name:"high-accuracy" help:"Use lingua's high-accuracy language models (about 120 MB more memory)."`
}

// Run builds the redactor and streams stdin to stdout.
func (c *RedactCmd) Run() error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	cfg := redact.Config{Languages: c.Languages}
	if c.Pseudonyms {
		cfg.Style = redact.StylePseudonyms
	}
	if c.HighAccuracy {
		cfg.Detection = redact.DetectHighAccuracy
	}
	r, err := redact.New(cfg)
	if err != nil {
		return fmt.Errorf("redact: %w", err)
	}
	if c.JSONL {
		return redact.StreamJSONL(ctx, r, os.Stdin, os.Stdout, func(e *redact.LineError) {
			fmt.Fprintln(os.Stderr, "callveil:", e)
		})
	}
	if !r.SupportsLanguage(c.Language) {
		return fmt.Errorf("redact: --language: must be auto or one of %s", strings.Join(r.Languages(), ", "))
	}
	return redact.StreamPlain(ctx, r, os.Stdin, os.Stdout, c.Language)
}
