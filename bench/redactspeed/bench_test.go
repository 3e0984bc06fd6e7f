package redactspeed

import (
	"slices"
	"strings"
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

// LongLine returns one line of n bytes: the utterances of the first
// (English) call of Calls() joined with spaces and repeated, as a
// transcript that arrives as a single segment (a provider that does not
// split, or a hostile sender).
func LongLine(n int) string {
	unit := strings.Join(Calls()[0], " ")
	var b strings.Builder
	b.Grow(n + len(unit))
	for b.Len() < n {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(unit)
	}
	return b.String()[:n]
}

// BenchmarkLongLine redacts one single-line transcript of 10 KB, 100 KB,
// 1 MB and 10 MB, as the pipeline does (RedactCall, language detected),
// and reports the time per MB (s/MB): redaction is linear in the length
// of a segment when the figure is the same for every size.
func BenchmarkLongLine(b *testing.B) {
	r, err := redact.New(redact.Config{})
	if err != nil {
		b.Fatal(err)
	}
	for _, size := range []struct {
		name string
		n    int
	}{{"10KB", 10 << 10}, {"100KB", 100 << 10}, {"1MB", 1 << 20}, {"10MB", 10 << 20}} {
		b.Run(size.name, func(b *testing.B) {
			line := LongLine(size.n)
			b.SetBytes(int64(len(line)))
			sink := 0
			t0 := time.Now()
			for b.Loop() {
				res := r.RedactCall([]string{line}, "auto", redact.Hints{})
				sink += len(res.Texts[0])
			}
			if sink == 0 {
				b.Fatal("nothing returned")
			}
			mb := float64(len(line)) / 1e6
			b.ReportMetric(time.Since(t0).Seconds()/float64(b.N)/mb, "s/MB")
		})
	}
}

// BenchmarkHostileLine redacts 1 MB single lines built to make detectors
// work hard (long runs of separated digits, spoken digits, cue words,
// names, punctuation) and reports s/MB: every window of a segment costs
// bounded work, so none of them may be far slower per MB than
// BenchmarkLongLine.
func BenchmarkHostileLine(b *testing.B) {
	r, err := redact.New(redact.Config{})
	if err != nil {
		b.Fatal(err)
	}
	for _, h := range []struct{ name, unit string }{
		{"digits-dash", "1-2-3-4-5-6-7-8-9-0-"},
		{"digits-space", "1 2 3 4 5 6 7 8 9 0 "},
		{"digits-dot", "12.34.56.78."},
		{"spoken-digits", "one two three four five six seven eight nine oh "},
		{"cue-words", "phone number born date of birth my name is "},
		{"names", "John Smith Mary Jones Peter Miller "},
		{"punctuation", ".,;:!?-/"},
	} {
		b.Run(h.name, func(b *testing.B) {
			line := strings.Repeat(h.unit, 1<<20/len(h.unit)+1)[:1<<20]
			b.SetBytes(int64(len(line)))
			t0 := time.Now()
			for b.Loop() {
				r.RedactCall([]string{line}, "auto", redact.Hints{})
			}
			b.ReportMetric(time.Since(t0).Seconds()/float64(b.N)/(float64(len(line))/1e6), "s/MB")
		})
	}
}
