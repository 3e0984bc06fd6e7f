package pipeline_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/callveil/callveil/internal/callgen"
	"github.com/callveil/callveil/sinks"
	"github.com/callveil/callveil/sinks/hubspot"
	"github.com/callveil/callveil/sinks/hubspot/hubspottest"
)

func newHubSpotSink(t *testing.T, srv *hubspottest.Server) *hubspot.HubSpotSink {
	t.Helper()
	cfg := hubspot.DefaultConfig()
	cfg.URL, cfg.Token = srv.URL, "pat-test-token"
	cfg.RetryBaseDelay, cfg.RetryMaxDelay = 5*time.Millisecond, 50*time.Millisecond
	hs, err := hubspot.New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { hs.Close(context.Background()) })
	return hs
}

// Kafka → pipeline → HubSpot, with a restart in the middle and transient
// HubSpot faults: every call ends up as exactly one HubSpot Call, and the
// only personal values HubSpot ever sees are the two numbers.
func TestEndToEndHubSpotExactlyOneCallPerCallAcrossRestart(t *testing.T) {
	srv := hubspottest.Start(t, hubspottest.Options{Token: "pat-test-token"})
	h := newHarness(t, 3)
	traffic, err := callgen.Generate(callgen.Config{Seed: 21, Calls: 60, Poison: 5, Canary: true})
	if err != nil {
		t.Fatal(err)
	}
	h.produce(traffic.Messages)

	p1 := h.newPipeline(newHubSpotSink(t, srv))
	r1 := h.start(p1)
	h.waitFor("first calls in HubSpot", func() bool { return len(srv.Calls()) >= 15 })
	srv.Inject(hubspottest.Fault{Kind: hubspottest.FaultServerError, Status: 503, Count: 3, AfterEffect: true})
	if err := r1.shutdown(); err != nil {
		t.Fatal(err)
	}
	p2 := h.newPipeline(newHubSpotSink(t, srv))
	r2 := h.start(p2)
	h.waitFor("all calls in HubSpot", func() bool { return len(srv.Calls()) >= len(traffic.Calls) })
	h.waitFor("settled", func() bool { return p2.InFlight() == 0 })
	if err := r2.shutdown(); err != nil {
		t.Fatal(err)
	}

	byKey := map[string]int{}
	for _, c := range srv.Calls() {
		byKey[c.Properties[hubspot.DefaultKeyProperty]]++
	}
	for _, c := range traffic.Calls {
		if n := byKey[callKey(c)]; n != 1 {
			t.Errorf("call %d: %d HubSpot calls, want exactly 1", c.Index, n)
		}
	}
	if len(srv.Calls()) != len(traffic.Calls) {
		t.Errorf("HubSpot holds %d calls for %d calls", len(srv.Calls()), len(traffic.Calls))
	}
	// Canaries (case-insensitive: Deepgram lowercases words) reach HubSpot nowhere.
	var all strings.Builder
	for _, rq := range srv.Requests() {
		all.Write(rq.Body)
		all.WriteString(rq.Query)
	}
	body := strings.ToLower(all.String())
	for _, c := range traffic.Canaries() {
		if strings.Contains(body, strings.ToLower(c.Value)) {
			t.Errorf("canary of %s reached HubSpot", c.Field)
		}
	}
	for _, c := range traffic.Calls {
		if len(c.CallID) > 5 && strings.Contains(body, strings.ToLower(c.CallID)) {
			t.Errorf("provider call id of call %d reached HubSpot", c.Index)
		}
	}
}

// A 401 stops the service with a clear error and commits nothing.
func TestEndToEndHubSpotUnauthorizedStopsService(t *testing.T) {
	srv := hubspottest.Start(t, hubspottest.Options{Token: "pat-test-token", KeyProperty: hubspot.DefaultKeyProperty})
	h := newHarness(t, 1)
	traffic, err := callgen.Generate(callgen.Config{Seed: 22, Calls: 5, TranscriptShare: -1})
	if err != nil {
		t.Fatal(err)
	}
	h.produce(traffic.Messages)
	hs := newHubSpotSink(t, srv)
	srv.Inject(hubspottest.Fault{Kind: hubspottest.FaultUnauthorized, Count: 1000})
	p := h.newPipeline(hs)
	r := h.start(p)
	var err2 error
	select {
	case err2 = <-r.done:
		r.done <- err2
	case <-time.After(30 * time.Second):
		t.Fatal("service kept running after a 401")
	}
	var fatal *sinks.FatalError
	if !errors.As(err2, &fatal) {
		t.Fatalf("want a FatalError, got %v", err2)
	}
	if strings.Contains(err2.Error(), "pat-test-token") {
		t.Fatal("token in the error")
	}
	for topic, parts := range h.committed() {
		for part, off := range parts {
			if off > 0 {
				t.Errorf("%s/%d committed %d after a fatal sink error", topic, part, off)
			}
		}
	}
}
