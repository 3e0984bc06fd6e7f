package pipeline

import (
	"context"
	"time"

	"github.com/callveil/callveil/stages"
)

// The join loop (run.joinLoop) is the one goroutine that owns the join, its
// clock (streamClock) and settledGenerations; nothing else touches them, so
// they need no lock. Everything that changes them reaches it as an input:
//
//   - parsed records and revocations on run.joinIn, sent by the parse
//     stream's callbacks, which run in fetch order: the join sees records
//     and revocations in the order they were fetched;
//   - expiry ticks from its own ticker;
//   - answers of Source.Ends on run.endsAnswers, from the ends poller
//     (run.pollEnds), which does the slow broker call off the loop;
//   - the end of input on run.joinIn, sent by run.drain once parsing is done.

// joinInput is one input of the join loop on run.joinIn: a parsed batch, a
// revocation, or the end.
type joinInput struct {
	batch   *parsedBatch
	revoked *PartitionsRevoked
	// end: no input follows; the loop returns. flush: first emit the calls
	// still waiting, as they are (the end of a bounded source).
	end, flush bool
}

// parsedBatch is one parse task's records, in fetch order.
type parsedBatch struct {
	toks   []Token
	recs   []stages.Record
	parsed []stages.Parsed
	errs   []error
}

// endsAnswer is one answer of Source.Ends, asked under generation
// gen (the settledGenerations of the ask) at the wall time asked.
type endsAnswer struct {
	gen             uint64
	ends            map[TopicPartition]PartitionEnd
	err             error
	asked, answered time.Time
}

// joinParsed hands a parsed batch to the join loop. Called by the parse
// stream's callbacks, in fetch order; it blocks while the loop is busy,
// which holds parsing back.
func (r *run) joinParsed(toks []Token, recs []stages.Record, parsed []stages.Parsed, errs []error) {
	r.joinIn <- joinInput{batch: &parsedBatch{toks: toks, recs: recs, parsed: parsed, errs: errs}}
}

// expiryPeriod is how often the join loop expires calls (and asks where the
// partitions end).
func (r *run) expiryPeriod() time.Duration {
	return min(max(r.p.cfg.Join.TTL/4, 10*time.Millisecond), time.Second)
}

// joinLoop runs the join until its end input (see joinInput). It expires
// calls whose other half did not come within the TTL, on the join's clock
// (see streamClock), which it moves with the partitions' ends; once ctx
// (fetching) ends, nothing expires any more.
func (r *run) joinLoop(ctx context.Context) {
	t := time.NewTicker(r.expiryPeriod())
	defer t.Stop()
	ticks, stopped := t.C, ctx.Done()
	for {
		select {
		case in := <-r.joinIn:
			switch {
			case in.end:
				if in.flush {
					r.emit(r.join.Flush())
				}
				return
			case in.revoked != nil:
				r.applyRevoked(in.revoked)
			default:
				r.joinBatch(in.batch)
			}
		case a := <-r.endsAnswers:
			r.applyEnds(a, ticks != nil)
			if ticks != nil {
				r.expire()
			}
		case <-ticks:
			r.askEnds()
			r.expire()
		case <-stopped:
			ticks, stopped = nil, nil
		}
	}
}

// joinBatch joins a parsed batch and emits the calls it completed.
func (r *run) joinBatch(b *parsedBatch) {
	var ready []stages.Joined[Token]
	for i := range b.recs {
		ready = append(ready, r.afterParse(b.toks[i], b.recs[i].Replay, b.parsed[i], b.errs[i])...)
	}
	r.emit(ready)
}

// applyRevoked drops the pending calls of revoked partitions from the join
// (see revoke) and ends the doubt about the assignment for the generations
// the notice accounts for.
func (r *run) applyRevoked(n *PartitionsRevoked) {
	p := r.p
	gone := make(map[TopicPartition]bool, len(n.Partitions))
	for _, tp := range n.Partitions {
		gone[tp] = true
	}
	dropped := 0
	if len(gone) > 0 {
		dropped = r.join.DropRefs(func(tok Token) bool { return gone[tok.tp] })
	}
	r.clock.rebalanced(n.Partitions)
	r.settledGenerations = n.Generations
	p.stats.CallsDropped.Add(int64(dropped))
	p.cfg.Observer.JoinPending(r.join.Pending())
	if len(gone) > 0 {
		// calls_dropped is not on privacy.DefaultAllowedKeys yet:
		// the service's filter shows it as dropped; Stats has it.
		p.log.Info("partitions revoked; their pending calls dropped", "partitions", len(gone), "calls_dropped", dropped)
	}
}

// expire emits the calls that expired on the join's clock.
func (r *run) expire() {
	if r.inDoubt() {
		// A rebalance is under way or its revocations not yet handled:
		// a call that expired now might belong to a partition another
		// member owns and joins completely. Wait.
		return
	}
	wall := r.p.cfg.Now()
	now := r.clock.now(wall)
	ready := r.join.Expire(now)
	r.p.cfg.Observer.JoinPending(r.join.Pending())
	if r.ends != nil && !now.IsZero() {
		r.p.cfg.Observer.JoinClockLag(wall.Sub(now))
	}
	r.emit(ready)
}

// askEnds asks the ends poller where the partitions end, under the current
// settledGenerations. Nothing is asked while the assignment is in doubt, nor
// while an ask is still unanswered: Ends is never called concurrently with
// itself.
func (r *run) askEnds() {
	if r.ends == nil || r.asking || r.inDoubt() {
		return
	}
	select {
	case r.endsAsks <- r.settledGenerations:
		r.asking = true
	default:
	}
}

// applyEnds moves the join's clock with an answer of the ends poller,
// unless a rebalance happened since it was asked (the answer may then name
// partitions of another assignment). A failure is logged once, and so is
// the recovery, while expiring (not after fetching stopped).
func (r *run) applyEnds(a endsAnswer, expiring bool) {
	r.asking = false
	switch {
	case a.err != nil && !r.endsFailing && expiring:
		r.p.log.Warn("cannot ask where partitions end; the join's clock stands still until the broker answers", "error_kind", ErrorKind(a.err))
		r.endsFailing = true
	case a.err == nil && r.endsFailing:
		r.p.log.Info("partition ends known again; the join's clock runs")
		r.endsFailing = false
	}
	if a.err == nil && r.settledGenerations == a.gen && !r.inDoubt() {
		r.clock.ends(a.ends, a.asked, a.answered)
	}
}

// pollEnds is the ends poller: for each ask of the join loop (the
// generation it was asked under) it asks the source where its partitions
// end, and sends the answer back with that generation. The broker call is
// slow network I/O, so it runs here and not on the join loop. It returns
// when ctx ends.
func (r *run) pollEnds(ctx context.Context) {
	timeout := max(r.expiryPeriod(), time.Second)
	for {
		var gen uint64
		select {
		case <-ctx.Done():
			return
		case gen = <-r.endsAsks:
		}
		a := endsAnswer{gen: gen, asked: r.p.cfg.Now()}
		actx, cancel := context.WithTimeout(ctx, timeout)
		a.ends, a.err = r.ends.Ends(actx)
		cancel()
		a.answered = r.p.cfg.Now()
		select {
		case r.endsAnswers <- a:
		case <-ctx.Done():
			return
		}
	}
}

// inDoubt reports whether a rebalance is under way or its revocations
// not yet handled. Join loop only: it reads settledGenerations.
func (r *run) inDoubt() bool {
	return r.rebalancing != nil && r.rebalancing.GenerationsEnded() != r.settledGenerations
}
