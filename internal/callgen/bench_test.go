package callgen

import (
	"testing"
)

// BenchmarkNext measures streaming generation per message with the default
// mix (90% of answered calls transcribed). Run as
//
//	go test -run '^$' -bench Next -benchtime 100000x ./internal/callgen/
//
// for the 100k-message figure.
func BenchmarkNext(b *testing.B) {
	g, err := New(Config{Seed: 1, Calls: 1 << 30})
	if err != nil {
		b.Fatal(err)
	}
	var bytes int64
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		m, _ := g.Next()
		bytes += int64(len(m.Value))
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
	b.ReportMetric(float64(bytes)/float64(b.N), "payload-B/msg")
}

// BenchmarkNextEventsOnly is the same without transcripts: the cost of
// call events alone, a baseline for how much the transcripts weigh.
func BenchmarkNextEventsOnly(b *testing.B) {
	g, err := New(Config{Seed: 1, Calls: 1 << 30, TranscriptShare: -1})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		g.Next()
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}
