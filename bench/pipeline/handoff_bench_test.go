package pipeline_bench

import (
	"testing"

	"github.com/sourcegraph/conc/stream"

	"github.com/callveil/callveil/stages"
)

// BenchmarkParseHandoff measures what the pipeline's fetch loop pays per
// record for handing parsing to a conc stream (one task and one ordered
// callback per record, as pipeline.fetchLoop does today) against handing
// over micro-batches of records, on the events-topic traffic. "inline" is
// the parse cost alone, with no handoff. The difference between the
// per-record and batched figures is the handoff cost a pipeline-level
// change could save.
//
//	go test -run '^$' -bench ParseHandoff -benchmem ./bench/pipeline
func BenchmarkParseHandoff(b *testing.B) {
	all, _ := eventRecords(b, 3000)
	p, err := stages.NewParser(stages.ParserConfig{})
	if err != nil {
		b.Fatal(err)
	}
	const workers = 4 // pipeline.Config.ParseWorkers' default
	consume := func(parsed stages.Parsed, err error) {
		if err != nil || parsed.Event == nil {
			b.Fatal("parse failed")
		}
	}
	perRecord := func(b *testing.B) {
		for b.Loop() {
			s := stream.New().WithMaxGoroutines(workers)
			for _, rec := range all {
				s.Go(func() stream.Callback {
					parsed, err := p.Parse(rec)
					return func() { consume(parsed, err) }
				})
			}
			s.Wait()
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(all)), "ns/record")
	}
	batched := func(size int) func(b *testing.B) {
		return func(b *testing.B) {
			type result struct {
				parsed stages.Parsed
				err    error
			}
			for b.Loop() {
				s := stream.New().WithMaxGoroutines(workers)
				for start := 0; start < len(all); start += size {
					batch := all[start:min(start+size, len(all))]
					s.Go(func() stream.Callback {
						out := make([]result, len(batch))
						for i, rec := range batch {
							out[i].parsed, out[i].err = p.Parse(rec)
						}
						return func() {
							for _, r := range out {
								consume(r.parsed, r.err)
							}
						}
					})
				}
				s.Wait()
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(all)), "ns/record")
		}
	}
	b.Run("inline", func(b *testing.B) {
		for b.Loop() {
			for _, rec := range all {
				consume(p.Parse(rec))
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(all)), "ns/record")
	})
	b.Run("stream-per-record", perRecord)
	b.Run("stream-batch-16", batched(16))
	b.Run("stream-batch-64", batched(64))
}
