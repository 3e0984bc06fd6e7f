package pipeline

import (
	"context"
	"errors"
	"time"

	"github.com/callveil/callveil/sinks"
	"github.com/callveil/callveil/stages"
)

// deliverLoop batches redacted calls and writes each batch to every sink.
// A batch's records are settled only after every sink accepted it (or
// rejected a call for good, which dead-letters that call's records). While a
// sink fails, the loop retries with backoff and stops taking deliveries, so
// the bounded queues behind it fill and reading slows: backpressure, not
// memory growth.
func (r *run) deliverLoop(ctx context.Context) {
	p := r.p
	batch := make([]delivery, 0, p.cfg.BatchSize)
	var failed bool // after a fatal sink error nothing more is delivered
	linger := time.NewTimer(time.Hour)
	linger.Stop()
	flush := func() {
		if len(batch) == 0 {
			return
		}
		if !failed {
			failed = !r.writeBatch(ctx, batch)
		}
		batch = batch[:0]
	}
	for {
		select {
		case d, ok := <-r.deliveries:
			if !ok {
				flush()
				return
			}
			if len(batch) == 0 {
				linger.Reset(p.cfg.BatchLinger)
			}
			batch = append(batch, d)
			if len(batch) >= p.cfg.BatchSize {
				linger.Stop()
				flush()
			}
		case <-linger.C:
			flush()
		}
	}
}

// writeBatch writes batch to every sink and settles it. It returns false
// when a sink failed for good, or ctx ended first; the batch then stays
// unsettled and its records are read again by the next run.
func (r *run) writeBatch(ctx context.Context, batch []delivery) bool {
	p := r.p
	calls := make([]stages.RedactedCall, len(batch))
	for i, d := range batch {
		calls[i] = d.call
	}
	rejected := map[int]sinks.Rejection{}
	var rejectedBy = map[int]string{}
	for _, s := range p.cfg.Sinks {
		fatal, ok := r.writeSink(ctx, s, calls, rejected, rejectedBy)
		if fatal != nil {
			p.log.Error("sink failed for good; stopping", "sink", s.Name(), "error", fatal.Error())
			r.fatal(fatal)
			return false
		}
		if !ok {
			return false
		}
	}
	r.settleBatch(batch, rejected, rejectedBy)
	return true
}

// writeSink writes calls to one sink, retrying transient errors. Calls the
// sink rejects for good are added to rejected (by index in calls) and
// rejectedBy (the sink's name); a later sink's rejection of the same call
// replaces an earlier one. It returns the sink's fatal error, if any, and
// whether the write ended before ctx did.
func (r *run) writeSink(ctx context.Context, s sinks.Sink, calls []stages.RedactedCall,
	rejected map[int]sinks.Rejection, rejectedBy map[int]string) (*sinks.FatalError, bool) {
	p := r.p
	var fatal *sinks.FatalError
	ok := p.retry(ctx, s.Name(), func() error {
		start := time.Now()
		err := s.Write(ctx, calls)
		var rej *sinks.RejectedError
		switch {
		case err == nil:
			p.cfg.Observer.SinkWrite(s.Name(), "ok", time.Since(start))
		case errors.As(err, &rej):
			p.cfg.Observer.SinkWrite(s.Name(), "rejected", time.Since(start))
			for _, x := range rej.Rejections {
				rejected[x.Index] = x
				rejectedBy[x.Index] = s.Name()
			}
			return nil
		case errors.As(err, &fatal):
			p.cfg.Observer.SinkWrite(s.Name(), "fatal", time.Since(start))
			return nil
		default:
			p.cfg.Observer.SinkWrite(s.Name(), "error", time.Since(start))
		}
		return err
	})
	return fatal, ok
}

// settleBatch settles a batch every sink has taken: a rejected call's
// records are dead-lettered with the rejecting sink's reason, a
// provisional call only counted, and a delivered call's records settled.
func (r *run) settleBatch(batch []delivery, rejected map[int]sinks.Rejection, rejectedBy map[int]string) {
	for i, d := range batch {
		if x, ok := rejected[i]; ok {
			dl := DeadLetter{Reason: stages.ReasonSinkRejected, Sink: rejectedBy[i], Detail: x.Reason}
			r.settleOutcome(deadLettered(dl, d.tokens...))
			continue
		}
		r.settleOutcome(outcome{kind: outcomeDelivered, delivery: d})
	}
}
