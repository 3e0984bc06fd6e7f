package pipeline_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/callveil/callveil/internal/callgen"
	"github.com/callveil/callveil/sinks/hubspot"
	"github.com/callveil/callveil/sinks/hubspot/hubspottest"
	"github.com/callveil/callveil/sinks/objectstore"
	"github.com/callveil/callveil/stages"
)

// publishedPayload reads a provider payload copied from the provider's
// documentation or SDK fixtures (testdata/providers/SOURCES.md).
func publishedPayload(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "providers", "published", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// publishedTraffic is every published payload as a user would produce it:
// events keyed by the provider call id, transcripts keyed by the call id
// of their call alone, no provider or call-provider header anywhere.
type publishedCall struct {
	provider   stages.Provider
	id         string
	transcript bool
}

func publishedTraffic(t *testing.T) ([]callgen.Message, []publishedCall) {
	ev := func(key, file string) callgen.Message {
		return callgen.Message{Topic: callgen.KindEvents, Key: []byte(key), Value: publishedPayload(t, file)}
	}
	tr := func(key, file string) callgen.Message {
		return callgen.Message{Topic: callgen.KindTranscripts, Key: []byte(key), Value: publishedPayload(t, file)}
	}
	const twilioSid = "CAf19604a3eec3e63d157870c5f7f3b3a0"
	msgs := []callgen.Message{
		ev(twilioSid, "twilio_status_callback_completed.form"),
		ev("CAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "twilio_call_resource_fetch.json"),
		ev("780836699", "aircall_call.ended.outbound.json"),
		ev("123456", "sipgate_push_newCall.form"),
		// The SDK's test webhook has an empty callId: the key carries it.
		ev("4711", "sipgate_push_newCall.sdk-test.json"),
		tr(twilioSid, "aws-transcribe_diarization_output_batch.json"),
		tr("780836699", "deepgram_prerecorded_nova2_smart_format.json"),
		tr("123456", "assemblyai_transcript_completed_go_sdk.json"),
	}
	calls := []publishedCall{
		{stages.ProviderTwilio, twilioSid, true},
		{stages.ProviderTwilio, "CAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false},
		{stages.ProviderAircall, "780836699", true},
		{stages.ProviderSipgate, "123456", true},
		{stages.ProviderSipgate, "4711", false},
	}
	return msgs, calls
}

// Published provider payloads through Kafka, the real pipeline and a
// server answering like HubSpot: no record is dead-lettered, every
// transcript keyed only by its call id joins its call (whatever the
// telephony provider), and Twilio's documented status callback, with its
// "Thurs, 20 July 1989" Timestamp, is read to that time.
func TestEndToEndPublishedProviderPayloads(t *testing.T) {
	srv := hubspottest.Start(t, hubspottest.Options{Token: "pat-test-token"})
	h := newHarness(t, 3)
	msgs, calls := publishedTraffic(t)
	h.produce(msgs)
	p := h.newPipeline(newHubSpotSink(t, srv))
	r := h.start(p)
	h.waitSettled(p, len(msgs))
	if err := r.shutdown(); err != nil {
		t.Fatal(err)
	}

	if dls := h.deadLetters(); len(dls) != 0 {
		for _, dl := range dls {
			t.Errorf("dead letter: %s", dl.Value)
		}
	}
	if n := p.Stats().Skipped.Load(); n != 0 {
		t.Errorf("%d records skipped, want none", n)
	}
	if n := p.Stats().Degraded.Load(); n != 0 {
		t.Errorf("%d fields degraded, want none: every published time is readable", n)
	}
	byKey := map[string]hubspottest.Call{}
	for _, c := range srv.Calls() {
		byKey[c.Properties[hubspot.DefaultKeyProperty]] = c
	}
	if len(byKey) != len(calls) || len(srv.Calls()) != len(calls) {
		t.Errorf("HubSpot holds %d calls (%d keys) for %d calls", len(srv.Calls()), len(byKey), len(calls))
	}
	for _, c := range calls {
		got, ok := byKey[stages.CallKey(testSecret, c.provider, c.id)]
		if !ok {
			t.Errorf("%s call %s not in HubSpot", c.provider, c.id)
			continue
		}
		body := got.Properties["hs_call_body"]
		if hasText := !strings.Contains(body, "No transcript."); hasText != c.transcript {
			t.Errorf("%s call %s: transcript in HubSpot %v, want %v", c.provider, c.id, hasText, c.transcript)
		}
	}
	// The documented callback: completed, 42 s talk time, ending at its
	// Timestamp (not at the record's time, the fallback).
	cb := byKey[stages.CallKey(testSecret, stages.ProviderTwilio, "CAf19604a3eec3e63d157870c5f7f3b3a0")]
	if ts := cb.Properties["hs_timestamp"]; !strings.HasPrefix(ts, "1989-07-20T18:30:01") {
		t.Errorf("documented callback: hs_timestamp %q, want the call's start from its Timestamp (1989-07-20T18:30:01Z)", ts)
	}
	if d := cb.Properties["hs_call_duration"]; d != "42000" {
		t.Errorf("documented callback: duration %q ms, want 42000", d)
	}
}

// A call reaches HubSpot within 5 s of its end event, long before the
// join's TTL, without its transcript; when the transcript comes (keyed by
// the call id alone), the same HubSpot call is updated with it: one call
// created, never two, and the aggregates count the call once.
func TestEndToEndHubSpotCallAtItsEndThenUpdatedWithTranscript(t *testing.T) {
	const within = 5 * time.Second
	srv := hubspottest.Start(t, hubspottest.Options{Token: "pat-test-token"})
	h := newHarness(t, 3)
	h.ttl = 30 * time.Minute // the service's default: no call may wait for it
	agg, err := objectstore.New(context.Background(), objectstore.Config{Dir: t.TempDir(), WriterID: "t", HashSecret: testSecret})
	if err != nil {
		t.Fatal(err)
	}
	p := h.newPipeline(newHubSpotSink(t, srv), agg)
	r := h.start(p)
	h.waitFor("the group joined", func() bool { return bytes.Contains(h.logs.Bytes(), []byte("consumer group joined")) })

	const sid = "CAf19604a3eec3e63d157870c5f7f3b3a0"
	key := stages.CallKey(testSecret, stages.ProviderTwilio, sid)
	inHubSpot := func(withTranscript bool) func() bool {
		return func() bool {
			for _, c := range srv.Calls() {
				if c.Properties[hubspot.DefaultKeyProperty] == key {
					// The early copy carries no body (see callProperties).
					body, ok := c.Properties["hs_call_body"]
					return withTranscript == (ok && !strings.Contains(body, "No transcript."))
				}
			}
			return false
		}
	}
	ended := time.Now()
	h.produce([]callgen.Message{{Topic: callgen.KindEvents, Key: []byte(sid), Value: publishedPayload(t, "twilio_status_callback_completed.form")}})
	h.waitFor("the call in HubSpot", inHubSpot(false))
	took := time.Since(ended)
	t.Logf("call in HubSpot %v after its end event was produced", took.Round(time.Millisecond))
	if took > within {
		t.Errorf("call in HubSpot %v after its end, want within %v", took, within)
	}

	h.produce([]callgen.Message{{Topic: callgen.KindTranscripts, Key: []byte(sid), Value: publishedPayload(t, "aws-transcribe_diarization_output_batch.json")}})
	h.waitFor("the call updated with its transcript", inHubSpot(true))
	h.waitSettled(p, 2)
	if err := r.shutdown(); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.Calls()); n != 1 {
		t.Errorf("HubSpot holds %d calls, want 1", n)
	}
	if n := srv.Stats().CallsCreated; n != 1 {
		t.Errorf("HubSpot created %d calls, want 1 (the second write updates)", n)
	}
	if st := p.Stats(); st.CallsEarly.Load() != 1 || st.CallsDelivered.Load() != 1 {
		t.Errorf("early %d, delivered %d; want 1 and 1", st.CallsEarly.Load(), st.CallsDelivered.Load())
	}
	if st := agg.Stats(); st.Added != 1 || st.Duplicates != 0 {
		t.Errorf("aggregates added %d (duplicates %d), want the call counted once", st.Added, st.Duplicates)
	}
	if dls := h.deadLetters(); len(dls) != 0 {
		t.Errorf("%d dead letters", len(dls))
	}
}
