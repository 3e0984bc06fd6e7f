package redactspeed

import (
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
