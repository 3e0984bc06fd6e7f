// Command redacteval scores the callveil redactor on the labelled corpus
// in testdata/redact and prints per-language, per-type recall, precision,
// the share of negative lines left untouched and latency, next to a naive
// three-regexp baseline.
//
//	go run ./bench/redacteval              # tables for a terminal
//	go run ./bench/redacteval -markdown    # the table in testdata/redact/README.md
//	go run ./bench/redacteval -failures 20 # the 20 worst lines, with text
//	go run ./bench/redacteval -gold-lang   # pass the labelled language instead of "auto"
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
)

const corpusRel = "testdata/redact/corpus.jsonl"

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "redacteval:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("redacteval", flag.ContinueOnError)
	corpusPath := fs.String("corpus", "", "corpus file (default: "+corpusRel+" under the module root)")
	markdown := fs.Bool("markdown", false, "print Markdown tables")
	failures := fs.Int("failures", 0, "also print the N worst lines with their text")
	goldLang := fs.Bool("gold-lang", false, `pass each line's labelled language instead of "auto"`)
	if err := fs.Parse(args); err != nil {
		return err
	}
	path := *corpusPath
	if path == "" {
		var err error
		if path, err = findCorpus(); err != nil {
			return err
		}
	}
	corpus, err := LoadCorpus(path)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	lib, err := newLibraryRedactor()
	if err != nil {
		return err
	}
	opts := Options{GoldLanguage: *goldLang}
	rep, err := Evaluate(ctx, "callveil redact", corpus, lib, opts)
	if err != nil {
		return err
	}
	base, err := Evaluate(ctx, "regex baseline", corpus, newRegexBaseline(), opts)
	if err != nil {
		return err
	}
	writeReport(stdout, rep, base, *markdown)
	if *failures > 0 {
		writeFailures(stdout, rep, corpus, lib, *failures)
	}
	return nil
}

// findCorpus looks for the corpus from the working directory up to the
// module root, so the command works from any directory of the repository.
func findCorpus() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		p := filepath.Join(dir, corpusRel)
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	return "", errors.New("corpus not found; pass -corpus")
}
