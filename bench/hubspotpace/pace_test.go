package hubspotpace

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/callveil/callveil/sinks/hubspot"
	"github.com/callveil/callveil/sinks/hubspot/hubspottest"
	"github.com/callveil/callveil/stages"
)

const (
	token = "pat-pace-test"
	limit = 100 // HubSpot Free/Starter: 100 requests per rolling 10 s
)

// window is the rolling window the server enforces and the sink paces for.
func window(tb testing.TB) time.Duration {
	if v := os.Getenv("HUBSPOTPACE_WINDOW"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			tb.Fatalf("HUBSPOTPACE_WINDOW=%q is not a duration", v)
		}
		return d
	}
	return time.Second
}

func call(worker, i int) stages.RedactedCall {
	return stages.RedactedCall{
		Call: stages.Call{
			Key:             fmt.Sprintf("%08x%056x", worker, i),
			From:            fmt.Sprintf("+4930%03d%05d", worker, i),
			To:              "+4989123456",
			Start:           time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Second),
			DurationSeconds: 42,
			Direction:       stages.DirectionInbound,
			Status:          stages.StatusCompleted,
		},
		Language:   "en",
		Transcript: []stages.Segment{{Speaker: "agent", Start: 0, End: 1, Text: "hello"}},
	}
}

type paceResult struct {
	requests  int
	enforced  int // 429s the server's limit gave
	perSecond float64
	allowed   float64
	maxWindow int // most requests the server admitted in any window
}

func (r paceResult) utilisation() float64 { return r.perSecond / r.allowed }

// runPace keeps `workers` goroutines writing through one sink until the
// server has admitted `total` requests' worth of Writes, then reads the
// server's request log. batchSize 1 with association off makes one request
// per Write; larger batches with association add searches and
// association requests that share the same budget.
func runPace(tb testing.TB, win time.Duration, writes, workers, batchSize int, associate bool) paceResult {
	tb.Helper()
	srv := hubspottest.Start(tb, hubspottest.Options{Token: token, RateLimit: limit, RateWindow: win,
		SearchPerSecond: 100, KeyProperty: hubspot.DefaultKeyProperty})
	cfg := hubspot.DefaultConfig()
	cfg.URL, cfg.Token = srv.URL, token
	cfg.RequestsPer10s, cfg.RateWindow = limit, win
	cfg.Associate = associate
	cfg.SearchPerSecond = 100
	sink, err := hubspot.New(context.Background(), cfg)
	if err != nil {
		tb.Fatalf("New: %v", err)
	}
	defer sink.Close(context.Background())

	jobs := make(chan []stages.RedactedCall)
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for batch := range jobs {
				if err := sink.Write(context.Background(), batch); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	for i := 0; i < writes; i++ {
		batch := make([]stages.RedactedCall, batchSize)
		for j := range batch {
			batch[j] = call(i%workers, i*batchSize+j)
		}
		if associate {
			srv.AddContact(batch[0].From, "")
		}
		jobs <- batch
	}
	close(jobs)
	wg.Wait()
	close(errs)
	for err := range errs {
		tb.Fatalf("Write: %v", err)
	}

	var times []time.Time
	for _, r := range srv.Requests() {
		if r.Status != 429 {
			times = append(times, r.Time)
		}
	}
	res := paceResult{requests: len(times), enforced: srv.Stats().RateLimited, allowed: float64(limit) / win.Seconds()}
	if n := len(times); n > 1 {
		res.perSecond = float64(n-1) / times[n-1].Sub(times[0]).Seconds()
	}
	for i, j := 0, 0; i < len(times); i++ {
		for times[i].Sub(times[j]) >= win {
			j++
		}
		res.maxWindow = max(res.maxWindow, i-j+1)
	}
	return res
}

// TestPace: with work waiting, the sink uses ≥95% of the allowed rate and
// provokes no 429 — one writer, several writers sharing the sink, and a mix
// of upserts, contact searches and associations.
func TestPace(t *testing.T) {
	if testing.Short() {
		t.Skip("paces against a rolling window for several seconds")
	}
	win := window(t)
	windows := 3
	tests := []struct {
		name      string
		writes    int
		workers   int
		batchSize int
		associate bool
	}{
		{"one writer", windows * limit, 1, 1, false},
		{"four writers share the budget", windows * limit, 4, 1, false},
		{"upsert+search+associate", windows * limit / 3, 2, 10, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runPace(t, win, tt.writes, tt.workers, tt.batchSize, tt.associate)
			t.Logf("window %v: %d requests at %.2f/s of %.2f/s allowed = %.1f%%; busiest window %d/%d; enforced 429s %d",
				win, r.requests, r.perSecond, r.allowed, 100*r.utilisation(), r.maxWindow, limit, r.enforced)
			if r.enforced != 0 {
				t.Errorf("the sink's own pacing provoked %d 429(s)", r.enforced)
			}
			if r.maxWindow > limit {
				t.Errorf("%d requests admitted in one window, limit %d", r.maxWindow, limit)
			}
			// Utilisation is a speed figure: on a loaded machine goroutines
			// wake late and it drops for reasons that are not callveil's,
			// so CI reports it (here and in BenchmarkPace) instead of
			// asserting it; CALLVEIL_PACE_STRICT=1 asserts the ≥ 95% goal
			// on a quiet machine.
			if os.Getenv("CALLVEIL_PACE_STRICT") == "1" && r.utilisation() < 0.95 {
				t.Errorf("used %.1f%% of the allowed rate, want ≥ 95%%", 100*r.utilisation())
			}
		})
	}
}

// BenchmarkPace reports the share of the allowed rate used (a ratio to the
// server's budget in the same process) and the 429s provoked.
//
//	go test ./bench/hubspotpace -run '^$' -bench Pace -benchtime 300x
func BenchmarkPace(b *testing.B) {
	win := window(b)
	b.ResetTimer()
	r := runPace(b, win, b.N, 2, 1, false)
	b.ReportMetric(100*r.utilisation(), "%allowed")
	b.ReportMetric(float64(r.enforced), "429s")
	b.ReportMetric(r.perSecond, "req/s")
}
