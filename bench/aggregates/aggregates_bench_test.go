// Package aggregates_bench measures what the aggregates add to the per-call
// cost of the pipeline, as a ratio against redacting a typical transcript
// in the same process (never as wall-clock thresholds).
//
//	go test -run '^$' -bench . -benchtime 2s ./bench/aggregates/
package aggregates_bench

import (
	"testing"
	"time"

	"github.com/callveil/callveil/aggregates"
	"github.com/callveil/callveil/aggregates/aggtest"
	"github.com/callveil/callveil/redact"
	"github.com/callveil/callveil/stages"
)

// transcript is a typical support call of about 20 utterances, written for
// this benchmark (German and English, with a number and an address to
// redact, the shape of the Deepgram/AWS samples in /work/shared/samples).
func transcript() []string {
	base := []string{
		"Guten Tag, Sie sprechen mit dem Kundenservice, mein Name ist Jana Becker, was kann ich für Sie tun?",
		"Hallo, hier ist Thomas Krüger, ich rufe wegen meiner letzten Rechnung an.",
		"Gerne, können Sie mir bitte Ihre Kundennummer oder Ihre Telefonnummer nennen?",
		"Ja, meine Nummer ist 0151 23456789, die Kundennummer habe ich gerade nicht zur Hand.",
		"Kein Problem, ich habe Sie gefunden. Wohnen Sie noch in der Lindenstraße 12 in Köln?",
		"Genau, das stimmt noch. Die Rechnung ist aber viel höher als sonst.",
		"Ich sehe hier eine Nachberechnung für März, die wurde doppelt gebucht.",
		"Ach so, können Sie das korrigieren? Und schicken Sie mir eine Bestätigung an thomas.krueger@example.de?",
		"Das mache ich sofort, die Gutschrift sehen Sie auf der nächsten Rechnung.",
		"Super, vielen Dank. Muss ich sonst noch etwas tun?",
		"Nein, das war alles. Kann ich Ihnen sonst noch helfen?",
		"Thanks, one more thing: my colleague Sarah will call from +44 20 7946 0123 next week.",
		"That's fine, I have noted it on your account.",
		"Perfect. Have a nice day.",
		"Ihnen auch, auf Wiederhören.",
	}
	return append(base, base[2:7]...)
}

// folder runs the aggregation path the sink runs, minus its I/O: Add per
// call, a checkpoint (MarshalState) per batch of 100, and rows + Parquet
// encoding for every window the watermark closes.
type folder struct {
	agg  *aggregates.Aggregator
	t0   time.Time
	pool []stages.RedactedCall
	keys []string
	i    int
}

// callsPerWindow is a busy contact centre: 2000 calls an hour.
const callsPerWindow = 2000

func newFolder(b *testing.B) *folder {
	agg, err := aggregates.New(aggregates.Config{HashSecret: aggtest.Secret(), Now: func() time.Time { return time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC) }})
	if err != nil {
		b.Fatal(err)
	}
	t0 := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	f := &folder{agg: agg, t0: t0, pool: aggtest.Calls(1, 4096, t0, time.Hour, 0), keys: make([]string, 1<<16)}
	for i := range f.keys {
		f.keys[i] = aggtest.Key(2, i)
	}
	return f
}

func (f *folder) step(b *testing.B) {
	i := f.i
	f.i++
	c := f.pool[i%len(f.pool)]
	c.Key = f.keys[i%len(f.keys)]
	c.Start = f.t0.Add(time.Duration(i) * time.Hour / callsPerWindow)
	if _, err := f.agg.Add(&c); err != nil {
		b.Fatal(err)
	}
	if i%100 != 99 {
		return
	}
	for _, s := range f.agg.Due() {
		rows, err := f.agg.Rows(s, true)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := aggregates.EncodeParquet(rows); err != nil {
			b.Fatal(err)
		}
		f.agg.Drop(s)
	}
	if _, err := f.agg.MarshalState(); err != nil {
		b.Fatal(err)
	}
}

type redactor struct {
	r     *redact.Redactor
	texts []string
	hints redact.Hints
}

func newRedactor(b *testing.B) *redactor {
	r, err := redact.New(redact.Config{})
	if err != nil {
		b.Fatal(err)
	}
	return &redactor{r: r, texts: transcript(), hints: redact.Hints{Names: []string{"Thomas Krüger"}, Numbers: []string{"+4915123456789"}}}
}

func (r *redactor) step(b *testing.B) {
	if res := r.r.RedactCall(r.texts, "auto", r.hints); len(res.Texts) != len(r.texts) {
		b.Fatal("redactor dropped utterances")
	}
}

func BenchmarkFoldCall(b *testing.B) {
	f := newFolder(b)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		f.step(b)
	}
}

func BenchmarkRedactTranscript(b *testing.B) {
	r := newRedactor(b)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		r.step(b)
	}
}

// BenchmarkAggregationShare times both per call in one loop (chunks of 64
// calls, alternating, so that machine load hits both alike) and reports
// the aggregation's cost as a share of the redaction's: the budget is 0.10.
func BenchmarkAggregationShare(b *testing.B) {
	f, r := newFolder(b), newRedactor(b)
	const chunk = 64
	var foldNs, redactNs time.Duration
	b.ResetTimer()
	for range b.N {
		t := time.Now()
		for range chunk {
			f.step(b)
		}
		foldNs += time.Since(t)
		t = time.Now()
		for range chunk {
			r.step(b)
		}
		redactNs += time.Since(t)
	}
	calls := float64(b.N * chunk)
	b.ReportMetric(float64(foldNs)/calls, "fold-ns/call")
	b.ReportMetric(float64(redactNs)/calls, "redact-ns/call")
	b.ReportMetric(float64(foldNs)/float64(redactNs), "fold/redact")
}
