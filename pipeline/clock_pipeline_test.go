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
