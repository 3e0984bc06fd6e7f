// Command callgen writes generated call traffic fixtures (demo.jsonl,
// reprocess.jsonl, truth.json, README.md) into a directory:
//
//	go run ./internal/callgen/cmd/callgen -calls 40 -seed 1 -poison 11 -out testdata/calls/
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/callveil/callveil/internal/callgen"
	"github.com/callveil/callveil/stages"
)

func main() {
	def := callgen.FixtureConfig()
	var (
		calls     = flag.Int("calls", def.Calls, "number of calls")
		seed      = flag.Int64("seed", def.Seed, "random seed (same seed, same bytes)")
		poison    = flag.Int("poison", def.Poison, "number of poison records to mix in")
		large     = flag.Bool("large-poison", false, "add the 10 MB poison record")
		canary    = flag.Bool("canary", false, "put CANARY values into every personal or dropped field")
		share     = flag.Float64("transcript-share", 0, "share of answered calls with a transcript (0: default 0.9, <0: none)")
		languages = flag.String("languages", "", "comma-separated languages (default all: en,de,fr,es,it,nl,pt)")
		providers = flag.String("providers", "", "comma-separated providers (default all six)")
		out       = flag.String("out", "testdata/calls/", "output directory")
	)
	flag.Parse()
	cfg := callgen.Config{
		Seed: *seed, Calls: *calls, Poison: *poison, LargePoison: *large, Canary: *canary,
		TranscriptShare: *share,
	}
	if *languages != "" {
		cfg.Languages = strings.Split(*languages, ",")
	}
	if *providers != "" {
		for _, p := range strings.Split(*providers, ",") {
			cfg.Providers = append(cfg.Providers, stages.Provider(p))
		}
	}
	if err := callgen.WriteFixtures(*out, cfg); err != nil {
		fmt.Fprintln(os.Stderr, "callgen:", err)
		os.Exit(1)
	}
}
