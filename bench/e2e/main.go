package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

func main() {
	short := flag.Bool("short", false, "CI size: 300 calls, 1 and 2 workers (< 60 s)")
	calls := flag.Int("calls", 0, "calls to generate (default 2000)")
	workers := flag.String("workers", "", "comma-separated redact worker counts (default 1,2,4,8)")
	out := flag.String("out", "bench/e2e/out", "directory for report.md and throughput.svg")
	ttl := flag.Duration("join-ttl", 0, "pipeline join TTL (default 1s)")
	cpuprofile := flag.String("cpuprofile", "", "also write the profiled run's CPU profile to this file")
	flag.Parse()

	cfg := Config{}
	if *short {
		cfg = Short()
	}
	if *calls > 0 {
		cfg.Calls = *calls
	}
	if *workers != "" {
		cfg.Workers = nil
		for _, f := range strings.Split(*workers, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil || n < 1 {
				fmt.Fprintln(os.Stderr, "e2e: -workers: want positive integers, comma-separated")
				os.Exit(2)
			}
			cfg.Workers = append(cfg.Workers, n)
		}
	}
	cfg.JoinTTL = *ttl
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "e2e:", err)
			os.Exit(1)
		}
		defer f.Close()
		cfg.CPUProfile = f
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	start := time.Now()
	rep, err := Run(ctx, cfg, os.Stderr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		os.Exit(1)
	}
	rep.WriteMarkdown(os.Stdout)
	if err := os.MkdirAll(*out, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		os.Exit(1)
	}
	for name, write := range map[string]func(*os.File){
		"report.md":      func(f *os.File) { rep.WriteMarkdown(f) },
		"throughput.svg": func(f *os.File) { rep.WriteSVG(f) },
	} {
		f, err := os.Create(filepath.Join(*out, name))
		if err != nil {
			fmt.Fprintln(os.Stderr, "e2e:", err)
			os.Exit(1)
		}
		write(f)
		f.Close()
	}
	fmt.Fprintf(os.Stderr, "e2e: done in %s; wrote %s\n", time.Since(start).Round(time.Second), *out)
}
