package pipeline_bench

import (
	"testing"

	"github.com/callveil/callveil/internal/callgen"
	"github.com/callveil/callveil/stages"
)

// eventRecords is the events-topic traffic of BenchmarkEventsTopicVsRawFetch
// as stage input, grouped by how it reaches the parser: provider header (or
// none) and body encoding.
func eventRecords(b *testing.B, calls int) (all []stages.Record, byClass map[string][]stages.Record) {
	b.Helper()
	tr, err := callgen.Generate(callgen.Config{Seed: 99, Calls: calls, TranscriptShare: -1,
		Providers: []stages.Provider{stages.ProviderSipgate, stages.ProviderTwilio, stages.ProviderAircall}})
	if err != nil {
		b.Fatal(err)
	}
	byClass = map[string][]stages.Record{}
	for _, m := range tr.Messages {
		rec := stages.Record{Topic: eventsTopic, Key: m.Key, Value: m.Value, Time: m.Time,
			Provider: stages.Provider(m.Headers[callgen.HeaderProvider])}
		class := string(rec.Provider)
		if class == "" {
			class = "no-header"
		}
		if len(m.Value) > 0 && m.Value[0] == '{' {
			class += "-json"
		} else {
			class += "-form"
		}
		all = append(all, rec)
		byClass[class] = append(byClass[class], rec)
	}
	return all, byClass
}

// BenchmarkParseEventsTraffic reports the parse stage's cost per record on
// the events-topic mix and per class of record:
//
//	go test -run '^$' -bench ParseEventsTraffic -benchmem ./bench/pipeline
func BenchmarkParseEventsTraffic(b *testing.B) {
	all, byClass := eventRecords(b, 3000)
	p, err := stages.NewParser(stages.ParserConfig{})
	if err != nil {
		b.Fatal(err)
	}
	run := func(name string, recs []stages.Record) {
		b.Run(name, func(b *testing.B) {
			size := 0
			for _, r := range recs {
				size += len(r.Value)
			}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if _, err := p.Parse(recs[i%len(recs)]); err != nil {
					b.Fatal(err)
				}
				i++
			}
			b.SetBytes(int64(size / len(recs)))
		})
	}
	run("mix", all)
	for _, class := range []string{"aircall-json", "twilio-form", "twilio-json", "sipgate-form", "sipgate-json",
		"no-header-form", "no-header-json"} {
		if len(byClass[class]) > 0 {
			run(class, byClass[class])
		}
	}
}

// BenchmarkMinimizeEventsTraffic reports MinimizeMetadata's cost per call
// on the calls of the events-topic traffic, merged as the join does. Each
// iteration is one pass over all calls with a fresh MinimizeMetadata, as a
// pipeline sees them: every call once, so only numbers that really recur
// across calls (company lines) are found in its number cache.
//
//	go test -run '^$' -bench MinimizeEventsTraffic -benchmem ./bench/pipeline
func BenchmarkMinimizeEventsTraffic(b *testing.B) {
	all, _ := eventRecords(b, 3000)
	p, err := stages.NewParser(stages.ParserConfig{})
	if err != nil {
		b.Fatal(err)
	}
	byCall := map[string]*stages.CallFacts{}
	var facts []*stages.CallFacts
	for _, r := range all {
		got, err := p.Parse(r)
		if err != nil {
			b.Fatal(err)
		}
		k := string(got.Event.Provider) + "\x00" + got.Event.CallID
		f := byCall[k]
		if f == nil {
			f = &stages.CallFacts{}
			byCall[k] = f
			facts = append(facts, f)
		}
		f.Merge(got.Event)
	}
	b.ReportAllocs()
	for b.Loop() {
		m, err := stages.NewMinimizeMetadata(stages.MinimizeConfig{KeySecret: secret})
		if err != nil {
			b.Fatal(err)
		}
		for _, f := range facts {
			if _, err := m.Minimize(f); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(facts)), "ns/call")
}
