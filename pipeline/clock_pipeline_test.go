package pipeline_test

import (
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/callveil/callveil/internal/callgen"
)

// TestPipelineJoinWaitsForAPartitionNotRead stalls every fetch of the
// transcripts partition for 6 TTLs after the events partition has been
// read (what a rebalance after a crash, or a partition read behind
// another, looks like to the join). On the wall clock every answered call
// left the join without its transcript, and the transcripts then came as
// orphans into dead letters (the crash-loop soak's foreign dead letters);
// on the stream's clock the join waits for the partition to be read.
func TestPipelineJoinWaitsForAPartitionNotRead(t *testing.T) {
	h := newHarness(t, 1)
	traffic, err := callgen.Generate(callgen.Config{Seed: 23, Calls: 40})
	if err != nil {
		t.Fatal(err)
	}
	events, transcripts := 0, 0
	for _, m := range traffic.Messages {
		if m.Topic == callgen.KindTranscripts {
			transcripts++
		} else {
			events++
		}
	}
	if transcripts == 0 {
		t.Fatal("the traffic has no transcripts: the test proves nothing")
	}
	h.produce(traffic.Messages)

	release := make(chan struct{})
	c := h.broker.Cluster()
	c.ControlKey(int16(kmsg.Fetch), func(req kmsg.Request) (kmsg.Response, error, bool) {
		c.KeepControl()
		for _, ft := range req.(*kmsg.FetchRequest).Topics {
			if ft.Topic == transcriptsTopic {
				c.SleepControl(func() { <-release })
			}
		}
		return nil, nil, false
	})
	released := false
	defer func() {
		if !released {
			close(release)
		}
	}()

	p := h.newPipeline()
	r := h.start(p)
	h.waitFor("every event read", func() bool { return p.Stats().RecordsRead.Load() >= int64(events) })
	time.Sleep(6 * h.ttl)
	if got := p.Stats().CallsDelivered.Load(); got > int64(len(traffic.Calls)-countTranscripts(traffic)) {
		t.Errorf("%d calls delivered while their transcripts were not read; at most the %d without one may go",
			got, len(traffic.Calls)-countTranscripts(traffic))
	}
	close(release)
	released = true
	h.waitSettled(p, len(traffic.Messages))
	if err := r.shutdown(); err != nil {
		t.Fatal(err)
	}

	if dls := h.deadLetters(); len(dls) != 0 {
		t.Errorf("%d dead letters, want none (transcripts taken for orphans)", len(dls))
	}
	if got := p.Stats().CallsDelivered.Load(); got != int64(len(traffic.Calls)) {
		t.Errorf("%d deliveries for %d calls: calls went out without their transcript and again with it", got, len(traffic.Calls))
	}
	outs := h.outputs()
	for _, call := range traffic.Calls {
		out, ok := outs[callKey(call)]
		if !ok {
			t.Errorf("call %d missing", call.Index)
			continue
		}
		if (call.Transcript != nil) != (out["transcript"] != nil) {
			t.Errorf("call %d: transcript present=%v, want %v", call.Index, out["transcript"] != nil, call.Transcript != nil)
		}
	}
}

func countTranscripts(tr *callgen.Traffic) int {
	n := 0
	for _, c := range tr.Calls {
		if c.Transcript != nil {
			n++
		}
	}
	return n
}

// TestPipelineRestartReadsStraddlingCallsAgainWhole stops the pipeline
// while calls whose transcripts have not arrived hold the events
// partition's settled end back, and delivered calls overlap that end (as
// they always do while traffic flows). The commit's offset is lowered to
// the first record of those calls, and its metadata says where the settled
// records end: the next run reads them again as context, emits the calls
// that straddled the end whole, and nothing else of them — no transcript
// read again without its events (an orphan), no call emitted twice.
func TestPipelineRestartReadsStraddlingCallsAgainWhole(t *testing.T) {
	h := newHarness(t, 1)
	h.ttl = time.Minute // nothing expires: the held calls wait for their transcripts
	// Every answered call gets a transcript: none waits for its TTL.
	traffic, err := callgen.Generate(callgen.Config{Seed: 31, Calls: 120, TranscriptShare: 1})
	if err != nil {
		t.Fatal(err)
	}
	var first, later []callgen.Message
	for _, m := range traffic.Messages {
		if m.Topic == callgen.KindTranscripts && m.Call.Index >= 60 {
			later = append(later, m)
			continue
		}
		first = append(first, m)
	}
	h.produce(first)
	p1 := h.newPipeline()
	r1 := h.start(p1)
	h.waitFor("the first run to read everything", func() bool { return p1.Stats().RecordsRead.Load() >= int64(len(first)) })
	for last := int64(-1); last != p1.Stats().CallsDelivered.Load(); {
		last = p1.Stats().CallsDelivered.Load()
		time.Sleep(300 * time.Millisecond)
	}
	if p1.InFlight() == 0 {
		t.Fatal("no call waits for its transcript: the test proves nothing")
	}
	if err := r1.shutdown(); err != nil {
		t.Fatal(err)
	}
	delivered1 := p1.Stats().CallsDelivered.Load()

	h.produce(later)
	p2 := h.newPipeline()
	r2 := h.start(p2)
	// Every call went out at its end already (without its transcript);
	// done when every call is out complete.
	h.waitFor("every call out complete", func() bool {
		outs := h.outputs()
		for _, call := range traffic.Calls {
			if out, ok := outs[callKey(call)]; !ok || (call.Transcript != nil) != (out["transcript"] != nil) {
				return false
			}
		}
		return p2.InFlight() == 0
	})
	if err := r2.shutdown(); err != nil {
		t.Fatal(err)
	}

	if dls := h.deadLetters(); len(dls) != 0 {
		t.Errorf("%d dead letters, want none: records read again without their call", len(dls))
	}
	if p2.Stats().ContextCalls.Load() == 0 {
		t.Error("the second run read no call as context: the test did not make the commit straddle calls")
	}
	t.Logf("first run delivered %d calls, second %d (%d read again as context only)",
		delivered1, p2.Stats().CallsDelivered.Load(), p2.Stats().ContextCalls.Load())
	outs := h.outputs()
	for _, call := range traffic.Calls {
		out := outs[callKey(call)]
		if (call.Transcript != nil) != (out["transcript"] != nil) {
			t.Errorf("call %d: transcript present=%v, want %v", call.Index, out["transcript"] != nil, call.Transcript != nil)
		}
		if got := int64(out["duration_s"].(float64)); got != call.DurationSeconds {
			t.Errorf("call %d: duration %d, want %d (emitted from part of its events)", call.Index, got, call.DurationSeconds)
		}
	}
}

// TestPipelineRestartDoesNotRefuseAPoisonRecordTwice: a poison record
// refused while an earlier call still waits lies past the settled end, so a
// restart reads it again. The commit says since when records past the end
// were fetched, and the next reader finds their letters in the dead-letter
// topic and reads them as context: one letter per poison record, however
// often members restart.
func TestPipelineRestartDoesNotRefuseAPoisonRecordTwice(t *testing.T) {
	h := newHarness(t, 1)
	h.ttl = time.Minute
	traffic, err := callgen.Generate(callgen.Config{Seed: 41, Calls: 10, TranscriptShare: 1})
	if err != nil {
		t.Fatal(err)
	}
	var call *callgen.CallTruth
	for _, c := range traffic.Calls {
		if c.Transcript != nil {
			call = c
			break
		}
	}
	var events, transcript []callgen.Message
	for _, m := range traffic.Messages {
		switch {
		case m.Call != call:
		case m.Topic == callgen.KindTranscripts:
			transcript = append(transcript, m)
		default:
			events = append(events, m)
		}
	}
	poison := callgen.Message{Topic: callgen.KindEvents, Key: []byte("poison"), Value: []byte(`{"CallSid": `),
		Headers: map[string]string{"provider": "twilio"}}
	h.produce(append(events, poison))

	p1 := h.newPipeline()
	r1 := h.start(p1)
	h.waitFor("the poison record refused", func() bool { return p1.Stats().DeadLetters.Load() == 1 })
	time.Sleep(200 * time.Millisecond) // a commit or two: the call still waits, so the letter lies past the settled end
	if err := r1.shutdown(); err != nil {
		t.Fatal(err)
	}

	// A second run, starting later than the dead-letter lookup's allowance
	// for clock skew, ends before the call is complete: its commits must
	// still let the next reader find the first run's letter.
	time.Sleep(6 * time.Second)
	p2 := h.newPipeline()
	r2 := h.start(p2)
	h.waitFor("the second run to read everything", func() bool { return p2.Stats().RecordsRead.Load() >= int64(len(events)+1) })
	time.Sleep(200 * time.Millisecond)
	if err := r2.shutdown(); err != nil {
		t.Fatal(err)
	}

	h.produce(transcript)
	p3 := h.newPipeline()
	r3 := h.start(p3)
	h.waitFor("the call out", func() bool { return len(h.outputs()) == 1 && p3.InFlight() == 0 })
	if err := r3.shutdown(); err != nil {
		t.Fatal(err)
	}
	if n := p2.Stats().DeadLetters.Load() + p3.Stats().DeadLetters.Load(); n != 0 {
		t.Errorf("the restarted pipelines wrote %d dead letters, want none: the record was refused already", n)
	}
	if dls := h.deadLetters(); len(dls) != 1 {
		t.Errorf("%d dead letters for one poison record", len(dls))
	}
}
