package redactspeed

import (
	"slices"
	"testing"
	"time"

	"github.com/callveil/callveil/redact"
)

func corpusBytes(calls [][]string) (int64, int) {
	var n int64
	u := 0
	for _, c := range calls {
		for _, t := range c {
			n += int64(len(t))
			u++
		}
	}
	return n, u
}

// BenchmarkThroughput runs the naive baseline and the redactor over the
// same calls in one benchmark and reports their throughput ratio
// ("x-naive": redactor throughput / naive throughput, ≥ 1 means faster),
// MB/s of each, and the redactor's mean latency per utterance. The
// redactor works as the pipeline calls it: RedactCall per call with the
// language detected on the whole call.
func BenchmarkThroughput(b *testing.B) {
	for _, mode := range []struct {
		name string
		lang func(i int) string
	}{
		{"auto", func(int) string { return "auto" }},
		{"given-language", func(i int) string { return []string{"en", "de", "fr", "es", "it", "nl", "pt"}[i] }},
	} {
		b.Run(mode.name, func(b *testing.B) {
			r, err := redact.New(redact.Config{})
			if err != nil {
				b.Fatal(err)
			}
			naive := NewNaive()
			calls := Calls()
			bytes, utterances := corpusBytes(calls)
			var naiveDur, oursDur time.Duration
			sink := 0
			for b.Loop() {
				t0 := time.Now()
				for _, c := range calls {
					for _, u := range c {
						sink += len(naive.Redact(u))
					}
				}
				t1 := time.Now()
				for i, c := range calls {
					res := r.RedactCall(c, mode.lang(i), redact.Hints{})
					sink += len(res.Texts)
				}
				t2 := time.Now()
				naiveDur += t1.Sub(t0)
				oursDur += t2.Sub(t1)
			}
			if sink == 0 {
				b.Fatal("nothing redacted")
			}
			n := float64(b.N)
			b.ReportMetric(naiveDur.Seconds()/oursDur.Seconds(), "x-naive")
			b.ReportMetric(float64(bytes)*n/oursDur.Seconds()/1e6, "MB/s-callveil")
			b.ReportMetric(float64(bytes)*n/naiveDur.Seconds()/1e6, "MB/s-naive")
			b.ReportMetric(float64(oursDur.Nanoseconds())/n/float64(utterances), "ns/utterance")
		})
	}
}

// BenchmarkUtteranceLatency times every utterance of the corpus on its
// own, Redact with the call's language given, and the naive baseline on
// the same utterance right after it; it reports mean, p50 and p99 of each
// (ns per utterance) over all iterations.
func BenchmarkUtteranceLatency(b *testing.B) {
	r, err := redact.New(redact.Config{})
	if err != nil {
		b.Fatal(err)
	}
	naive := NewNaive()
	calls := Calls()
	langs := []string{"en", "de", "fr", "es", "it", "nl", "pt"}
	var ours, base []time.Duration
	sink := 0
	for b.Loop() {
		for i, c := range calls {
			for _, u := range c {
				t0 := time.Now()
				sink += len(r.Redact(u, langs[i], redact.Hints{}).Text)
				t1 := time.Now()
				sink += len(naive.Redact(u))
				t2 := time.Now()
				ours = append(ours, t1.Sub(t0))
				base = append(base, t2.Sub(t1))
			}
		}
	}
	if sink == 0 {
		b.Fatal("nothing returned")
	}
	for _, m := range []struct {
		name string
		ds   []time.Duration
	}{{"callveil", ours}, {"naive", base}} {
		mean, p50, p99 := latencyStats(m.ds)
		b.ReportMetric(mean, "ns-mean-"+m.name)
		b.ReportMetric(p50, "ns-p50-"+m.name)
		b.ReportMetric(p99, "ns-p99-"+m.name)
	}
}

// latencyStats returns mean, median and 99th percentile in nanoseconds.
func latencyStats(ds []time.Duration) (mean, p50, p99 float64) {
	if len(ds) == 0 {
		return 0, 0, 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	var sum time.Duration
	for _, d := range s {
		sum += d
	}
	q := func(p float64) float64 { return float64(s[int(p*float64(len(s)-1))].Nanoseconds()) }
	return float64(sum.Nanoseconds()) / float64(len(s)), q(0.50), q(0.99)
}

// BenchmarkUtterance reports the latency of one Redact call on a typical
// utterance with a spoken phone number, language given.
func BenchmarkUtterance(b *testing.B) {
	r, err := redact.New(redact.Config{})
	if err != nil {
		b.Fatal(err)
	}
	text := "yes it's oh seven seven double oh nine one two three four five six and my name is priya kowalski"
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		r.Redact(text, "en", redact.Hints{})
	}
}

// BenchmarkNew reports how long building a Redactor for all seven
// languages takes (build-s) and the heap it holds (heap-MB).
func BenchmarkNew(b *testing.B) {
	for b.Loop() {
		before := heapInUse()
		t0 := time.Now()
		r, err := redact.New(redact.Config{})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(time.Since(t0).Seconds(), "build-s")
		b.ReportMetric(float64(heapInUse()-before)/(1<<20), "heap-MB")
		_ = r.DetectLanguage("hello")
	}
}
