package faults_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/callveil/callveil/internal/callgen"
	"github.com/callveil/callveil/stages"
)

// fuzzProviders are the header values the record fuzzer chooses from: the
// six providers, none, and one callveil does not read.
var fuzzProviders = []stages.Provider{"", stages.ProviderSipgate, stages.ProviderTwilio, stages.ProviderAircall,
	stages.ProviderAWSTranscribe, stages.ProviderDeepgram, stages.ProviderAssemblyAI, "vonage"}

// FuzzParseRecord fuzzes whole records, headers and key included, where
// the per-provider targets in stages fix the provider header: seeded with
// generated records of every shape (canary values in every personal field)
// and every poison kind. Parse never panics, fails only with a
// *stages.Error of a known reason, and its error never quotes the payload
// (no canary in the error text).
func FuzzParseRecord(f *testing.F) {
	traffic, err := callgen.Generate(callgen.Config{Seed: 5, Calls: 24, Poison: 11, Canary: true})
	if err != nil {
		f.Fatal(err)
	}
	seen := map[string]bool{}
	for _, m := range traffic.Messages {
		if seen[m.Shape] {
			continue
		}
		seen[m.Shape] = true
		f.Add(providerIndex(m.Headers[callgen.HeaderProvider]), providerIndex(m.Headers[callgen.HeaderCallProvider]), m.Key, m.Value)
	}
	parser, err := stages.NewParser(stages.ParserConfig{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, prov, callProv uint8, key, body []byte) {
		rec := stages.Record{Topic: "calls.events", Key: key, Value: body,
			Provider:     fuzzProviders[int(prov)%len(fuzzProviders)],
			CallProvider: fuzzProviders[int(callProv)%len(fuzzProviders)]}
		_, err := parser.Parse(rec)
		if err == nil {
			return
		}
		var se *stages.Error
		if !errors.As(err, &se) {
			t.Fatalf("error %T is not *stages.Error", err)
		}
		if !knownReasons[se.Reason] {
			t.Fatalf("unknown reason %q", se.Reason)
		}
		if strings.Contains(strings.ToUpper(err.Error()), "CANARY") {
			t.Fatalf("the error quotes the payload: %q", err.Error())
		}
	})
}

func providerIndex(p string) uint8 {
	for i, fp := range fuzzProviders {
		if string(fp) == p {
			return uint8(i)
		}
	}
	return 0
}
