package privacy

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/sourcegraph/conc"

	"github.com/callveil/callveil/pipeline"
	"github.com/callveil/callveil/stages"
)

// Skip reasons, a fixed vocabulary for metrics and logs.
const (
	ReasonObjection = "objection"
	ReasonTombstone = "tombstone"
)

// Policy is the pipeline's CallPolicy: it keeps the privacy list in memory,
// kept current by tailing the privacy topic, and tells the pipeline to drop
// a minimised call that involves an objected number, or a forgotten number
// from before it was forgotten.
//
// What a skipped call leaves behind: nothing in any sink (HubSpot, object
// store, file), so an objected call is not counted in the aggregates
// either; its records are settled (committed) and counted in the pipeline's
// skipped counter with the reason. Its transcript is never redacted, so no
// redacted text of it exists even in memory beyond the join.
type Policy struct {
	secret []byte
	topic  string
	st     *state
	tl     *tailer
	stop   context.CancelFunc
	wg     conc.WaitGroup
	ready  chan struct{}
	// applied counts records folded in since the start (tests, metrics).
	applied atomic.Int64
}

// OpenPolicy creates the privacy topic if missing, starts tailing it from
// the beginning and returns once it has read up to the end offsets it found
// at the start, so a pipeline started after it never misses an objection
// made before. Changes made later are picked up while running. Close stops
// the tailing.
func OpenPolicy(ctx context.Context, cfg Config) (*Policy, error) {
	if _, err := cfg.openTopic(ctx); err != nil {
		return nil, err
	}
	st := newState()
	tl, err := newTailer(ctx, cfg, st)
	if err != nil {
		return nil, err
	}
	runCtx, stop := context.WithCancel(context.Background())
	p := &Policy{secret: append([]byte(nil), cfg.KeySecret...), topic: cfg.Topic, st: st, tl: tl,
		stop: stop, ready: make(chan struct{})}
	var pending atomic.Int64
	pending.Store(int64(len(tl.readers)))
	caughtUp := func() {
		if pending.Add(-1) == 0 {
			close(p.ready)
		}
	}
	if len(tl.readers) == 0 {
		close(p.ready)
	}
	for i := range tl.readers {
		p.wg.Go(func() { tl.follow(runCtx, i, caughtUp, &p.applied) })
	}
	wait, cancel := context.WithTimeout(ctx, cfg.ReadyTimeout)
	defer cancel()
	select {
	case <-p.ready:
		return p, nil
	case <-wait.Done():
		p.Close()
		return nil, fmt.Errorf("privacy: topic %s not read to its end within %s; refusing to process calls without the objection list", cfg.Topic, cfg.ReadyTimeout)
	}
}

// Close stops tailing and waits for the goroutines to end.
func (p *Policy) Close() error {
	p.stop()
	p.wg.Wait()
	p.tl.close()
	return nil
}

// Skip implements pipeline.CallPolicy.
func (p *Policy) Skip(call stages.Call) (bool, string) {
	p.st.mu.RLock()
	defer p.st.mu.RUnlock()
	if len(p.st.objections) == 0 && len(p.st.tombstones) == 0 {
		return false, ""
	}
	var hashes [2]string
	for i, n := range [2]string{call.From, call.To} {
		if n != "" {
			hashes[i] = NumberHash(p.secret, n)
		}
	}
	for _, h := range hashes {
		if _, ok := p.st.objections[h]; ok && h != "" {
			return true, ReasonObjection
		}
	}
	for _, h := range hashes {
		at, ok := p.st.tombstones[h]
		// A call without a start time cannot be shown to be newer than
		// the deletion: it is dropped.
		if ok && h != "" && (call.Start.IsZero() || !call.Start.After(at)) {
			return true, ReasonTombstone
		}
	}
	return false, ""
}

// Objected reports whether the E.164 number is on the objection list now.
func (p *Policy) Objected(e164 string) bool {
	p.st.mu.RLock()
	defer p.st.mu.RUnlock()
	_, ok := p.st.objections[NumberHash(p.secret, e164)]
	return ok
}

// Forgotten reports whether the E.164 number has a deletion tombstone.
func (p *Policy) Forgotten(e164 string) bool {
	p.st.mu.RLock()
	defer p.st.mu.RUnlock()
	_, ok := p.st.tombstones[NumberHash(p.secret, e164)]
	return ok
}

// Counts returns how many objections and tombstones are in force.
func (p *Policy) Counts() (objections, tombstones int) {
	p.st.mu.RLock()
	defer p.st.mu.RUnlock()
	return len(p.st.objections), len(p.st.tombstones)
}

// tailer reads every partition of the privacy topic from the beginning,
// without a consumer group (every instance needs the whole list).
type tailer struct {
	cfg     Config
	st      *state
	readers []*kafka.Reader
	// ends are the partitions' end offsets when the tailer was made.
	ends []int64
}

func newTailer(ctx context.Context, cfg Config, st *state) (*tailer, error) {
	client := &kafka.Client{Addr: kafka.TCP(cfg.Brokers...), Timeout: 30 * time.Second}
	meta, err := client.Metadata(ctx, &kafka.MetadataRequest{Topics: []string{cfg.Topic}})
	if err != nil {
		return nil, fmt.Errorf("privacy: reading metadata of topic %s: %w", cfg.Topic, err)
	}
	var parts []int
	for _, t := range meta.Topics {
		if t.Name != cfg.Topic {
			continue
		}
		if t.Error != nil {
			return nil, fmt.Errorf("privacy: topic %s: %w", cfg.Topic, t.Error)
		}
		for _, p := range t.Partitions {
			parts = append(parts, p.ID)
		}
	}
	if len(parts) == 0 {
		return nil, fmt.Errorf("privacy: topic %s has no partitions", cfg.Topic)
	}
	req := make([]kafka.OffsetRequest, len(parts))
	for i, p := range parts {
		req[i] = kafka.LastOffsetOf(p)
	}
	offs, err := client.ListOffsets(ctx, &kafka.ListOffsetsRequest{Topics: map[string][]kafka.OffsetRequest{cfg.Topic: req}})
	if err != nil {
		return nil, fmt.Errorf("privacy: reading end offsets of topic %s: %w", cfg.Topic, err)
	}
	end := map[int]int64{}
	for _, po := range offs.Topics[cfg.Topic] {
		if po.Error != nil {
			return nil, fmt.Errorf("privacy: reading end offsets of topic %s: %w", cfg.Topic, po.Error)
		}
		end[po.Partition] = po.LastOffset
	}
	t := &tailer{cfg: cfg, st: st}
	for _, p := range parts {
		t.readers = append(t.readers, kafka.NewReader(kafka.ReaderConfig{
			Brokers: cfg.Brokers, Topic: cfg.Topic, Partition: p,
			StartOffset: kafka.FirstOffset, MinBytes: 1, MaxBytes: 1 << 20,
			MaxWait: 250 * time.Millisecond, ReadBackoffMin: 10 * time.Millisecond, ReadBackoffMax: 500 * time.Millisecond,
		}))
		t.ends = append(t.ends, end[p])
	}
	return t, nil
}

// follow applies records of reader i until ctx ends, calling caughtUp once
// when the end offset found at the start is reached. The last record of a
// partition is never compacted away (it is in the active segment), so
// reaching it is a sound test.
func (t *tailer) follow(ctx context.Context, i int, caughtUp func(), applied *atomic.Int64) {
	r, end := t.readers[i], t.ends[i]
	caught := end <= 0
	if caught {
		caughtUp()
	}
	for {
		m, err := r.ReadMessage(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			t.cfg.Logger.Warn("privacy topic read failed; retrying", "topic", t.cfg.Topic, "partition", r.Config().Partition, "error_kind", pipeline.ErrorKind(err))
			select {
			case <-ctx.Done():
				return
			case <-time.After(time.Second):
			}
			continue
		}
		t.st.apply(m)
		if applied != nil {
			applied.Add(1)
		}
		if !caught && m.Offset >= end-1 {
			caught = true
			caughtUp()
		}
	}
}

// readToEnd reads every partition up to its end offset once.
func (t *tailer) readToEnd(ctx context.Context) error {
	for i, r := range t.readers {
		for end := t.ends[i]; end > 0; {
			m, err := r.ReadMessage(ctx)
			if err != nil {
				return fmt.Errorf("privacy: reading topic %s: %w", t.cfg.Topic, err)
			}
			t.st.apply(m)
			if m.Offset >= end-1 {
				break
			}
		}
	}
	return nil
}

func (t *tailer) close() {
	for _, r := range t.readers {
		r.Close()
	}
}
