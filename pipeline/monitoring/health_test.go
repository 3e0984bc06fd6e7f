package monitoring_test

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/callveil/callveil/internal/embeddedkafka"
	"github.com/callveil/callveil/pipeline/monitoring"
	"github.com/callveil/callveil/sinks"
	"github.com/callveil/callveil/sinks/hubspot"
	"github.com/callveil/callveil/sinks/hubspot/hubspottest"
	"github.com/callveil/callveil/stages"
)

const (
	eventsTopic      = "calls.events"
	transcriptsTopic = "calls.transcripts"
)

// freePort returns a TCP port that was free a moment ago.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func startBrokerOn(t *testing.T, port int) *embeddedkafka.Broker {
	t.Helper()
	var b *embeddedkafka.Broker
	var err error
	// The port was just released by the previous broker; give the kernel
	// a moment if it is not free yet.
	for i := 0; i < 50; i++ {
		b, err = embeddedkafka.Start(embeddedkafka.Config{
			Topics: []string{eventsTopic, transcriptsTopic}, Partitions: 2, Ports: []int{port}})
		if err == nil {
			return b
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("broker on port %d: %v", port, err)
	return nil
}

type readyzAnswer struct {
	status int
	report monitoring.ReadinessReport
}

func getReadyz(t *testing.T, url string) readyzAnswer {
	t.Helper()
	resp, err := http.Get(url + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var a readyzAnswer
	a.status = resp.StatusCode
	if err := json.NewDecoder(resp.Body).Decode(&a.report); err != nil {
		t.Fatal(err)
	}
	return a
}

// /readyz follows the broker: ready while it answers, not ready once it is
// gone, ready again when a broker comes back on the same port. /healthz
// stays 200 throughout: the process is alive.
func TestReadinessFollowsBrokerGoingAwayAndReturning(t *testing.T) {
	port := freePort(t)
	b := startBrokerOn(t, port)
	addr := b.Addrs()
	r, err := monitoring.NewReadiness(monitoring.ReadinessConfig{Brokers: addr, Topics: []string{eventsTopic, transcriptsTopic},
		Timeout: time.Second, CacheFor: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	srv := httptest.NewServer(monitoring.OpsMux(monitoring.NewMetrics(monitoring.MetricsConfig{}), r))
	defer srv.Close()

	healthy := func() {
		t.Helper()
		resp, err := http.Get(srv.URL + "/healthz")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("/healthz = %d", resp.StatusCode)
		}
	}
	waitReady := func(want bool) readyzAnswer {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for {
			a := getReadyz(t, srv.URL)
			if a.report.Ready == want {
				return a
			}
			if time.Now().After(deadline) {
				t.Fatalf("readiness stayed %v (%d %v), want %v", a.report.Ready, a.status, a.report.Problems, want)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}

	if a := waitReady(true); a.status != http.StatusOK {
		t.Fatalf("ready but status %d", a.status)
	}
	healthy()

	b.Close()
	a := waitReady(false)
	if a.status != http.StatusServiceUnavailable || a.report.Problems["kafka"] == "" {
		t.Fatalf("broker gone: %d %v", a.status, a.report.Problems)
	}
	healthy()

	b2 := startBrokerOn(t, port)
	defer b2.Close()
	if a := waitReady(true); a.status != http.StatusOK {
		t.Fatalf("broker back: status %d", a.status)
	}
}

// A missing input topic is a readiness problem, named without any value.
func TestReadinessMissingTopic(t *testing.T) {
	b, err := embeddedkafka.Start(embeddedkafka.Config{Topics: []string{eventsTopic}, Partitions: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	// kfake would create the topic on a metadata request that allows it;
	// the readiness request must not, so the topic stays missing.
	r, err := monitoring.NewReadiness(monitoring.ReadinessConfig{Brokers: b.Addrs(), Topics: []string{eventsTopic, "calls.transcripts-missing"}, CacheFor: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	rep := r.Check(context.Background())
	if rep.Ready || rep.Problems["kafka"] != "topic missing" {
		t.Fatalf("report = %+v", rep)
	}
}

// fakePinger is a sink whose reachability the test switches.
type fakePinger struct {
	down  atomic.Bool
	pings atomic.Int64
}

func (f *fakePinger) Name() string                                       { return "file" }
func (f *fakePinger) Write(context.Context, []stages.RedactedCall) error { return nil }
func (f *fakePinger) Close(context.Context) error                        { return nil }
func (f *fakePinger) Ping(context.Context) error {
	f.pings.Add(1)
	if f.down.Load() {
		return errors.New("down")
	}
	return nil
}

// Sinks that can ping are asked; results are cached for CacheFor so that
// probes do not spend a rate-limited sink's budget.
func TestReadinessPingsSinksAndCaches(t *testing.T) {
	b, err := embeddedkafka.Start(embeddedkafka.Config{Topics: []string{eventsTopic}, Partitions: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	now := time.Unix(1_700_000_000, 0)
	clock := func() time.Time { return now }
	fp := &fakePinger{}
	r, err := monitoring.NewReadiness(monitoring.ReadinessConfig{Brokers: b.Addrs(), Topics: []string{eventsTopic},
		Sinks: []sinks.Sink{fp}, CacheFor: 5 * time.Second, Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	steps := []struct {
		advance time.Duration
		down    bool
		ready   bool
		pings   int64
	}{
		{0, false, true, 1},
		{time.Second, true, true, 1}, // cached: the sink is not asked again
		{5 * time.Second, true, false, 2},
		{6 * time.Second, false, true, 3},
	}
	for i, s := range steps {
		now = now.Add(s.advance)
		fp.down.Store(s.down)
		rep := r.Check(context.Background())
		if rep.Ready != s.ready || fp.pings.Load() != s.pings {
			t.Errorf("step %d: ready=%v pings=%d, want %v %d (%v)", i, rep.Ready, fp.pings.Load(), s.ready, s.pings, rep.Problems)
		}
		if !s.ready && rep.Problems["sink:file"] != "unreachable" {
			t.Errorf("step %d: problems %v", i, rep.Problems)
		}
	}
}

// The HubSpot sink's Ping is one GET of the key property: ok while HubSpot
// answers with the token, an error on 401 and on 5xx, and it never puts
// the token in its error.
func TestHubSpotPing(t *testing.T) {
	const token = "pat-ping-secret-token"
	srv := hubspottest.Start(t, hubspottest.Options{Token: token, KeyProperty: hubspot.DefaultKeyProperty})
	cfg := hubspot.DefaultConfig()
	cfg.URL, cfg.Token = srv.URL, token
	hs, err := hubspot.New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer hs.Close(context.Background())
	tests := []struct {
		name  string
		fault *hubspottest.Fault
		ok    bool
	}{
		{"reachable", nil, true},
		{"unauthorized", &hubspottest.Fault{Kind: hubspottest.FaultUnauthorized, Count: 1}, false},
		{"server error", &hubspottest.Fault{Kind: hubspottest.FaultServerError, Status: 503, Count: 1}, false},
		{"reset", &hubspottest.Fault{Kind: hubspottest.FaultReset, Count: 3}, false},
		{"reachable again", nil, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := len(srv.Requests())
			if tc.fault != nil {
				srv.Inject(*tc.fault)
			}
			err := hs.Ping(context.Background())
			if (err == nil) != tc.ok {
				t.Fatalf("Ping = %v, want ok=%v", err, tc.ok)
			}
			if err != nil && strings.Contains(err.Error(), token) {
				t.Fatal("token in the ping error")
			}
			reqs := srv.Requests()[before:]
			if tc.fault != nil && tc.fault.Kind == hubspottest.FaultReset {
				// net/http itself may resend an idempotent GET once on a
				// reused connection that was reset; that is not our retry.
				srv.ClearFaults()
				return
			}
			if len(reqs) != 1 || reqs[0].Method != http.MethodGet {
				t.Fatalf("ping sent %d requests, want one GET (no retries)", len(reqs))
			}
		})
	}
}
