package pipeline

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync/atomic"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/sourcegraph/conc"
	"github.com/sourcegraph/conc/stream"

	"github.com/callveil/callveil/sinks"
	"github.com/callveil/callveil/stages"
)

func gomaxprocs() int { return runtime.GOMAXPROCS(0) }

// Stats are running counts, safe to read while the pipeline runs.
type Stats struct {
	RecordsRead    atomic.Int64
	CallsDelivered atomic.Int64
	DeadLetters    atomic.Int64
	Skipped        atomic.Int64
	Commits        atomic.Int64
	// Degraded counts fields of records that could not be read and were
	// replaced rather than losing the record (see stages.CallEvent.Degraded).
	Degraded atomic.Int64
	// CallsDropped counts pending calls dropped, not emitted, because a
	// rebalance gave their partition to another member.
	CallsDropped atomic.Int64
	// ContextCalls counts calls read again after a restart only as context
	// (their records all before the last commit) and not emitted again.
	ContextCalls atomic.Int64
	// CallsEarly counts provisional deliveries: answered calls sent to the
	// sinks as soon as their end was known, before their transcript (see
	// stages.JoinConfig.EmitOnEnd). CallsDelivered counts each call when
	// it is delivered complete.
	CallsEarly atomic.Int64
}

// Pipeline is the streaming service. Build it with New, run it with Run.
type Pipeline struct {
	cfg     Config
	log     *slog.Logger
	parser  *stages.Parser
	prepare *stages.PrepareCall

	tracker *OffsetTracker
	stats   Stats
	// settled counts records done since the last commit; the committer is
	// nudged through commitNow when it reaches CommitEvery.
	settled   atomic.Int64
	commitNow chan struct{}
}

// New validates cfg and builds the stages.
func New(cfg Config) (*Pipeline, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	parser, err := stages.NewParser(stages.ParserConfig{MaxPayloadBytes: cfg.MaxPayloadBytes, TranscriptCallProvider: cfg.TranscriptCallProvider})
	if err != nil {
		return nil, fmt.Errorf("pipeline: %w", err)
	}
	prepare, err := stages.NewPrepareCall(stages.PrepareCallConfig{
		KeySecret: cfg.KeySecret, DefaultRegion: cfg.DefaultRegion, Redact: cfg.Redact, Policy: cfg.Policy,
	})
	if err != nil {
		return nil, fmt.Errorf("pipeline: %w", err)
	}
	return &Pipeline{
		cfg: cfg, log: cfg.Logger, parser: parser, prepare: prepare,
		tracker: NewOffsetTracker(), commitNow: make(chan struct{}, 1),
	}, nil
}

// Stats returns the running counts.
func (p *Pipeline) Stats() *Stats { return &p.stats }

// InFlight is the number of records read and not yet settled.
func (p *Pipeline) InFlight() int { return p.tracker.InFlight() }

// delivery is one redacted call on its way to the sinks.
type delivery struct {
	call   stages.RedactedCall
	tokens []Token
}

// run is the state of one Run.
type run struct {
	p *Pipeline
	// join is owned by the join loop (see joinLoop), as are clock,
	// settledGenerations, asking and endsFailing.
	join       *stages.Join[Token]
	redactS    *stream.Stream
	deliveries chan delivery
	deadLetter chan deadLetterJob
	fatal      context.CancelCauseFunc
	// src is the source read, and feats its Features, read once.
	src   Source
	feats Features
	// settledGenerations is the Generations of the last PartitionsRevoked
	// handled.
	settledGenerations uint64
	// clock is the join's clock.
	clock *streamClock

	// joinIn carries parsed batches, revocations and the end to the join
	// loop, in fetch order; endsAsks and endsAnswers connect it with the
	// ends poller.
	joinIn      chan joinInput
	endsAsks    chan uint64
	endsAnswers chan endsAnswer
	// asking: an ask of the ends poller is unanswered.
	asking bool
	// endsFailing: the last answer of the ends poller was an error.
	endsFailing bool
}

// Run runs the pipeline over src, writing dead letters to dls; it closes
// both. Over the consumer group (see JoinGroup) it is the streaming
// service: it runs until ctx is cancelled (graceful shutdown: in-flight
// work is drained within ShutdownTimeout and its offsets committed) or a
// sink fails for good (the error is returned); records still waiting in
// the join stay uncommitted and are read again by the next run. Over a
// bounded source it returns nil once every record is settled: at the end
// of input, calls still waiting in the join are emitted as they are (a
// transcript without its call is dead-lettered), since nothing more can
// complete them.
func (p *Pipeline) Run(ctx context.Context, src Source, dls DeadLetterSink) error {
	joinCfg := p.cfg.Join
	// Reading a consumer group (the service), a call goes to the sinks as
	// soon as its end is known and again with its transcript; a bounded
	// read (reprocess) reaches the transcripts in the same read, and one
	// write per call spares the CRM's rate limit.
	joinCfg.EmitOnEnd = joinCfg.EmitOnEnd || src.Features().Rebalances
	join, err := stages.NewJoin[Token](joinCfg)
	if err != nil {
		src.Close()
		dls.Close()
		return fmt.Errorf("pipeline: %w", err)
	}

	// fetchCtx stops reading; it ends on shutdown or on a fatal error.
	fetchCtx, stopFetch := context.WithCancelCause(ctx)
	defer stopFetch(nil)
	// drainCtx bounds delivery and dead letters: on shutdown they get
	// ShutdownTimeout to finish; at the end of a bounded source, as long as
	// they need.
	drainCtx, stopDrain := context.WithCancel(context.WithoutCancel(ctx))
	defer stopDrain()
	var timerWG conc.WaitGroup
	defer timerWG.Wait()
	timerWG.Go(func() { p.boundDrain(fetchCtx, drainCtx, stopDrain) })

	r := p.newRun(join, stopFetch, src)
	parseS := stream.New().WithMaxGoroutines(p.cfg.ParseWorkers)
	w := r.startWorkers(fetchCtx, drainCtx, src, dls)
	end, fetchErr := r.fetchLoop(fetchCtx, src, parseS)
	fetchErr = r.drain(w, parseS, src, end, fetchErr)
	stopDrain()

	err = errors.Join(fetchErr, src.Close(), dls.Close())
	if cause := context.Cause(fetchCtx); cause != nil && !errors.Is(cause, context.Canceled) {
		return cause
	}
	return err
}

// boundDrain gives delivery and dead letters ShutdownTimeout to finish once
// fetching stops, then ends drainCtx (with stopDrain) so that a stuck sink
// cannot hold shutdown. It returns at once when drainCtx ends first: a
// bounded source drains for as long as it needs.
func (p *Pipeline) boundDrain(fetchCtx, drainCtx context.Context, stopDrain context.CancelFunc) {
	select {
	case <-fetchCtx.Done():
	case <-drainCtx.Done():
		return
	}
	t := time.NewTimer(p.cfg.ShutdownTimeout)
	defer t.Stop()
	select {
	case <-t.C:
		stopDrain()
	case <-drainCtx.Done():
	}
}

// newRun holds the state of one Run call. fatal stops fetching with a
// cause; the source's features are read once here.
func (p *Pipeline) newRun(join *stages.Join[Token], fatal context.CancelCauseFunc, src Source) *run {
	feats := src.Features()
	return &run{
		p: p, join: join, fatal: fatal, src: src, feats: feats, clock: newStreamClock(feats.Ends),
		redactS:    stream.New().WithMaxGoroutines(p.cfg.RedactWorkers),
		deliveries: make(chan delivery, p.cfg.BatchSize),
		deadLetter: make(chan deadLetterJob, 1000),
	}
}

// runWorkers are the goroutines that run beside the fetch loop. Each is
// owned by Run and stopped by run.drain, in flow order.
type runWorkers struct {
	sinks, deadLetters, commit, join, poll conc.WaitGroup
	stopCommit, stopPoll                   context.CancelFunc
}

// startWorkers starts the sinks, the dead-letter writer, the committer, the
// join loop and its ends poller, in that order. The committer's context is
// not derived from ctx: it must keep committing settled records until drain
// stops it after the sinks and dead letters are done. The join loop stops
// expiring when fetchCtx ends, and returns only on its end input (drain),
// so the parse stream's callbacks can always hand it their records.
func (r *run) startWorkers(fetchCtx, drainCtx context.Context, src Source, dls DeadLetterSink) *runWorkers {
	p := r.p
	w := &runWorkers{}
	r.joinIn = make(chan joinInput, joinInputs)
	r.endsAsks = make(chan uint64, 1)
	r.endsAnswers = make(chan endsAnswer)
	w.sinks.Go(func() { r.deliverLoop(drainCtx) })
	w.deadLetters.Go(func() { p.runDeadLetters(drainCtx, dls, r.deadLetter) })
	commitCtx, stopCommit := context.WithCancel(context.Background())
	w.stopCommit = stopCommit
	w.commit.Go(func() { p.commitLoop(commitCtx, src) })
	w.join.Go(func() { r.joinLoop(fetchCtx) })
	pollCtx, stopPoll := context.WithCancel(fetchCtx)
	w.stopPoll = stopPoll
	if r.feats.Ends {
		w.poll.Go(func() { r.pollEnds(pollCtx) })
	}
	return w
}

// joinInputs is how many inputs may wait for the join loop: the parse
// stream's callbacks need not wait for each batch to be joined. The parse
// stream still bounds the records in flight: a callback blocks once these
// are taken.
const joinInputs = 16

// drain stops the workers once the fetch loop has returned fetchErr, in
// flow order: parsing (and the join), expiry (the ends poller, then the join
// loop, which flushes), redaction, then the sinks and
// dead letters, then the final commit. Each stage's input is closed only
// after everything that writes to it has stopped. At the end of a bounded
// source (end) the calls still in the join are emitted as they are. It
// returns fetchErr joined with the final commit's error (see commit).
func (r *run) drain(w *runWorkers, parseS *stream.Stream, src Source, end bool, fetchErr error) error {
	parseS.Wait()
	w.stopPoll()
	w.poll.Wait()
	r.joinIn <- joinInput{end: true, flush: end}
	w.join.Wait()
	r.redactS.Wait()
	close(r.deliveries)
	w.sinks.Wait()
	close(r.deadLetter)
	w.deadLetters.Wait()
	w.stopCommit()
	w.commit.Wait()
	return errors.Join(fetchErr, r.p.commit(context.Background(), src))
}

// fetchLoop fetches records and the notices between them, in order: each
// batch of records goes to parse, each revocation to revoke. It returns
// when ctx ends, at the end of a bounded source (end true), or on a fetch
// error.
func (r *run) fetchLoop(ctx context.Context, src Source, parseS *stream.Stream) (end bool, err error) {
	buf := make([]stages.Record, fetchBatchSize)
	for {
		f, err := src.Fetch(ctx, buf)
		if err != nil {
			if ctx.Err() != nil {
				return false, nil
			}
			return false, err
		}
		if f.N > 0 {
			r.parse(slices.Clone(buf[:f.N]), parseS)
		}
		switch {
		case f.Revoked != nil:
			r.revoke(f.Revoked, parseS)
		case f.End:
			return true, nil
		}
	}
}

// parse registers fetched records with the tracker, in fetch order, and
// hands them to a parse worker; the parse stream's callbacks run in fetch
// order and feed the join.
func (r *run) parse(recs []stages.Record, parseS *stream.Stream) {
	p := r.p
	toks := make([]Token, len(recs))
	for i, rec := range recs {
		p.stats.RecordsRead.Add(1)
		p.cfg.Observer.RecordRead(rec.Topic)
		toks[i] = p.tracker.Begin(rec.Topic, rec.Partition, rec.Offset)
		if rec.Replay {
			// Settled before the last commit; read as context only.
			p.tracker.Hold(toks[i])
		}
	}
	parseS.Go(func() stream.Callback {
		parsed := make([]stages.Parsed, len(recs))
		errs := make([]error, len(recs))
		for i, rec := range recs {
			start := time.Now()
			parsed[i], errs[i] = p.parseSafely(rec)
			p.cfg.Observer.StageDone("parse", time.Since(start))
		}
		return func() { r.joinParsed(toks, recs, parsed, errs) }
	})
}

// parseSafely parses rec, turning a panic into a value-free error: the
// panic value may hold payload bytes, so it is not kept.
func (p *Pipeline) parseSafely(rec stages.Record) (parsed stages.Parsed, err error) {
	defer func() {
		if recover() != nil {
			err = stages.NewError(stages.ReasonStagePanic, rec.Provider, "", "parse stage panicked")
		}
	}()
	return p.parser.Parse(rec)
}

// fetchBatchSize is the most records one parse task takes. Records that
// are already waiting go to a worker together: one hand-off per batch
// instead of per record (measured: 10.5 µs a record one by one against
// 3.9 µs in batches of 64, bench/pipeline BenchmarkParseHandoff). A lone
// record is never held back to fill a batch.
const fetchBatchSize = 64

// redactBatchSize is the most calls one redaction task takes.
const redactBatchSize = 16

// revoke forgets the partitions a rebalance gave to another member. Their
// new owner reads them again from the last commit, so nothing of them may
// come out of this member any more:
//
//   - The tracker drops them now, in fetch order: tokens of their records
//     go stale (afterParse discards such records, Done ignores them), their
//     offsets are never committed again, and a later assignment of the same
//     partition starts afresh.
//   - The join drops their pending calls without emitting them, in the
//     parse stream's callback order, that is after every record fetched
//     before the notice has been joined: the callback hands the notice to
//     the join loop behind those records (applyRevoked).
//
// Until that is done, and from the moment the source's generation ended,
// the join loop expires nothing (the assignment is in doubt).
//
// Residual windows: calls emitted before the generation ended (complete,
// or expired without their transcript while this member still owned the
// partition), and calls completed by records fetched before the notice,
// may still be on their way to the sinks and be delivered after the new
// owner's version. They were decided under this member's ownership; an
// expired one may then overwrite the new owner's complete version if this
// member's delivery is slower than the new owner's whole re-read. A call
// evicted early because the join is full (MaxPending) is emitted even
// while the assignment is in doubt. While a rebalance does not complete
// (coordinator unreachable), nothing expires; the join's bound still holds.
func (r *run) revoke(n *PartitionsRevoked, parseS *stream.Stream) {
	r.p.tracker.Drop(n.Partitions)
	parseS.Go(func() stream.Callback {
		return func() { r.joinIn <- joinInput{revoked: n} }
	})
}

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
	if r.feats.Ends && !now.IsZero() {
		r.p.cfg.Observer.JoinClockLag(wall.Sub(now))
	}
	r.emit(ready)
}

// askEnds asks the ends poller where the partitions end, under the current
// settledGenerations. Nothing is asked while the assignment is in doubt, nor
// while an ask is still unanswered: Ends is never called concurrently with
// itself.
func (r *run) askEnds() {
	if !r.feats.Ends || r.asking || r.inDoubt() {
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
		a.ends, a.err = r.src.Ends(actx)
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
	return r.feats.Rebalances && r.src.GenerationsEnded() != r.settledGenerations
}

// afterParse runs on the join loop, in fetch order.
// A replayed record (stages.Record.Replay) only goes to the join, as
// context: whatever else it led to (a dead letter, a skip) is durable
// already.
func (r *run) afterParse(tok Token, replay bool, parsed stages.Parsed, err error) []stages.Joined[Token] {
	p := r.p
	if !p.tracker.Current(tok) {
		// Its partition was revoked (or fetched again) since: the record's
		// effects would never be committed here, and its partition's
		// owner handles it.
		return nil
	}
	// Every record moves its partition's time, refused ones too.
	r.clock.observe(tok.tp, tok.offset)
	if replay {
		return r.joinContext(tok, parsed, err)
	}
	if o, ok := refusal(tok, parsed, err); ok {
		r.settleOutcome(o)
		return nil
	}
	r.countDegraded(parsed)
	return r.addToJoin(tok, parsed)
}

// refusal is the outcome for a record that carries no call data (an
// unsupported event, a parse error, an empty result): skipped or
// dead-lettered; ok reports whether the record is refused. A record it
// refuses never reaches the join.
func refusal(tok Token, parsed stages.Parsed, err error) (o outcome, ok bool) {
	var se *stages.Error
	if errors.As(err, &se) && se.Reason == stages.ReasonUnsupportedEvent {
		// A well-formed event that says nothing about a call's numbers,
		// time or outcome (Sipgate dtmf, Aircall call.tagged, an unfinished
		// transcription job): counted and settled, not an error.
		return skipped("unsupported_event", tok), true
	}
	if err != nil {
		return failed(err, tok), true
	}
	if parsed.Event == nil && parsed.Transcript == nil {
		return skipped("no_call_data", tok), true
	}
	return outcome{}, false
}

// countDegraded counts the fields parsing had to leave out or guess.
func (r *run) countDegraded(parsed stages.Parsed) {
	p := r.p
	if fields := parsed.Degraded(); len(fields) > 0 {
		p.stats.Degraded.Add(int64(len(fields)))
		if do, ok := p.cfg.Observer.(DegradedObserver); ok {
			for _, f := range fields {
				do.RecordDegraded(f)
			}
		}
	}
}

// addToJoin adds a parsed record to the join and returns the
// calls it completed. Records the join settles as too late are skipped;
// one without a join key is dead-lettered.
func (r *run) addToJoin(tok Token, parsed stages.Parsed) []stages.Joined[Token] {
	p := r.p
	start := time.Now()
	key, err := r.join.Key(parsed)
	if err != nil {
		r.settleOutcome(failed(err, tok))
		return nil
	}
	res := r.join.Add(key, parsed, tok, r.clock.touch(tok.tp, tok.offset, p.cfg.Now()))
	p.cfg.Observer.StageDone("join", time.Since(start))
	p.cfg.Observer.JoinPending(r.join.Pending())
	for _, t := range res.Settled {
		r.settleOutcome(skipped("late_event", t))
	}
	return res.Ready
}

// joinContext adds a replayed record to the join as context; one that
// joins no call is released at once (see OffsetTracker.Hold).
func (r *run) joinContext(tok Token, parsed stages.Parsed, err error) []stages.Joined[Token] {
	if err != nil || (parsed.Event == nil && parsed.Transcript == nil) {
		r.settleOutcome(asContext(false, tok))
		return nil
	}
	key, err := r.join.Key(parsed)
	if err != nil {
		r.settleOutcome(asContext(false, tok))
		return nil
	}
	res := r.join.AddContext(key, parsed, tok, r.clock.touch(tok.tp, tok.offset, r.p.cfg.Now()))
	r.settleOutcome(asContext(false, res.Settled...))
	return res.Ready
}

// emit sends joined calls to the redaction workers; orphans go to dead letters.
func (r *run) emit(ready []stages.Joined[Token]) {
	calls := r.callsToRedact(ready)
	for len(calls) > 0 {
		chunk := calls[:min(len(calls), redactBatchSize)]
		calls = calls[len(chunk):]
		r.redactS.Go(func() stream.Callback { return r.redactChunk(chunk) })
	}
}

// callsToRedact settles what needs no redaction (context calls are
// released, orphans dead-lettered) and returns the calls to deliver, in the
// order they were joined. Complete calls have their records tied to them
// here, before they leave the join's goroutine.
func (r *run) callsToRedact(ready []stages.Joined[Token]) []stages.Joined[Token] {
	calls := make([]stages.Joined[Token], 0, len(ready))
	for _, j := range ready {
		if j.Context {
			// Delivered (or dead-lettered) before the last commit, and
			// read again only to complete calls that straddled it.
			r.settleOutcome(asContext(true, j.Refs...))
			continue
		}
		if j.Provisional {
			// No records: they come back with the complete call. Nothing
			// to tie either. While the assignment is in doubt the call may
			// belong to another member, whose complete version this copy
			// must not overwrite; it is left out (the complete call, from
			// whichever member, follows anyway).
			if !r.inDoubt() {
				calls = append(calls, j)
			}
			continue
		}
		if j.Orphan {
			r.settleOutcome(orphan(j))
			continue
		}
		r.tieCall(j)
		calls = append(calls, j)
	}
	return calls
}

// orphan is the outcome for a transcript that no call event joined: each
// of its records is dead-lettered.
func orphan(j stages.Joined[Token]) outcome {
	o := deadLettered(DeadLetter{Reason: ReasonOrphanTranscript, Detail: "no call event arrived within the join TTL"}, j.Refs...)
	o.release = true
	return o
}

// redacted is the result of minimising and redacting one joined call.
type redacted struct {
	d    delivery
	skip string
	err  error
}

// redactChunk minimises and redacts a chunk of calls on a redaction worker.
// The returned callback runs in emit order on the stream's callback
// goroutine, so deliveries, skips and dead letters keep the join's order.
func (r *run) redactChunk(chunk []stages.Joined[Token]) stream.Callback {
	p := r.p
	results := make([]redacted, len(chunk))
	for i, j := range chunk {
		start := time.Now()
		// PrepareCall turns a panic into a value-free error itself.
		call, skip, err := p.prepare.Apply(j.Events, j.Transcript)
		results[i] = redacted{d: delivery{call: call, tokens: j.Refs}, skip: skip, err: err}
		p.cfg.Observer.StageDone("minimize_redact", time.Since(start))
	}
	return func() {
		for i, j := range chunk {
			r.settleOutcome(redactedOutcome(j, results[i]))
		}
	}
}

// redactedOutcome delivers a redacted call, or settles its records as
// skipped by policy or dead-lettered on error. A provisional call is only
// ever delivered: its complete version is counted when it comes.
func redactedOutcome(j stages.Joined[Token], res redacted) outcome {
	switch {
	case j.Provisional && (res.skip != "" || res.err != nil):
		// The complete call meets the same policy or
		// error, and counts it then.
		return outcome{}
	case j.Provisional:
		res.d.call.Provisional = true
		return outcome{kind: outcomeDeliver, delivery: res.d}
	case res.skip != "":
		return skipped(res.skip, j.Refs...)
	case res.err != nil:
		return failed(res.err, j.Refs...)
	default:
		return outcome{kind: outcomeDeliver, delivery: res.d}
	}
}

// tieCall ties the records of a joined call together (see
// OffsetTracker.Tie): while any of them lies past its partition's settled
// end, the commit's resume offsets stay at or before all of them, so a
// crash never leaves part of the call behind the resume offsets — a
// hang-up without its set-up, a transcript without its events, events
// without their transcript — to be emitted again, incomplete, over the
// complete version (found by the crash-loop test in faults/). A redelivered
// call (late transcript) is tied to the records of its first emission as
// well, both ways.
func (r *run) tieCall(j stages.Joined[Token]) {
	all := j.Refs
	if j.Redelivery {
		all = append(append([]Token(nil), j.Refs...), j.Earlier...)
	}
	r.p.tracker.Tie(all, all)
}

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

// outcomeKind is what becomes of records once a step of the pipeline has
// decided about them.
type outcomeKind int

const (
	// outcomeNone: nothing to settle now. A provisional call that the
	// policy skips or redaction refuses: its complete version meets the
	// same decision and is settled then.
	outcomeNone outcomeKind = iota
	// outcomeDeliver: the call goes to the sinks; its records are settled
	// once every sink has taken it (outcomeDelivered).
	outcomeDeliver
	// outcomeDelivered: every sink has taken the call.
	outcomeDelivered
	// outcomeSkip: the records are done, counted once as skipped for
	// reason.
	outcomeSkip
	// outcomeDeadLetter: each record gets a dead letter, and is done once
	// the letter is written (runDeadLetters).
	outcomeDeadLetter
	// outcomeContext: records read again only as context (see
	// OffsetTracker.Hold); their hold ends, nothing comes out.
	outcomeContext
)

// outcome is what one step decided about some records. Steps return
// outcomes; run.settleOutcome alone acts on them: it counts them, settles
// the records, and sends calls to the sinks and letters to dead letters.
type outcome struct {
	kind   outcomeKind
	tokens []Token
	// reason is why the records were skipped (outcomeSkip), the metric's
	// label.
	reason string
	// letter says why the records were refused (outcomeDeadLetter);
	// settleOutcome fills in each record's position and the time.
	letter DeadLetter
	// delivery is the call (outcomeDeliver, outcomeDelivered); its
	// records are delivery.tokens.
	delivery delivery
	// contextCall: the records are a whole call read again as context
	// (outcomeContext), counted in Stats.ContextCalls.
	contextCall bool
	// release ends the records' hold before they are dead-lettered: an
	// orphan transcript may hold records read as context.
	release bool
}

func skipped(reason string, toks ...Token) outcome {
	return outcome{kind: outcomeSkip, reason: reason, tokens: toks}
}

func deadLettered(dl DeadLetter, toks ...Token) outcome {
	return outcome{kind: outcomeDeadLetter, letter: dl, tokens: toks}
}

// failed dead-letters toks for err (see letterFor).
func failed(err error, toks ...Token) outcome { return deadLettered(letterFor(err), toks...) }

func asContext(call bool, toks ...Token) outcome {
	return outcome{kind: outcomeContext, contextCall: call, tokens: toks}
}

// settleOutcome is the one place outcomes take effect. It runs on the
// goroutine of the step that decided: the join loop, the redaction
// stream's callbacks, the sinks' loop. Each is ordered on its own, and
// everything settleOutcome touches is safe for all of them.
func (r *run) settleOutcome(o outcome) {
	p := r.p
	switch o.kind {
	case outcomeDeliver:
		r.deliveries <- o.delivery
	case outcomeDelivered:
		if o.delivery.call.Provisional {
			// Counted when it is delivered complete.
			p.stats.CallsEarly.Add(1)
			return
		}
		p.stats.CallsDelivered.Add(1)
		p.cfg.Observer.CallDelivered(o.delivery.call.Language, o.delivery.call.Redactions)
		for _, tok := range o.delivery.tokens {
			p.settle(tok)
		}
	case outcomeSkip:
		p.stats.Skipped.Add(1)
		p.cfg.Observer.Skipped(o.reason)
		for _, tok := range o.tokens {
			p.settle(tok)
		}
	case outcomeDeadLetter:
		if o.release {
			p.tracker.Release(o.tokens)
		}
		now := p.cfg.Now().UTC()
		for _, tok := range o.tokens {
			r.deadLetter <- deadLetterJob{letter: o.letter.at(tok, now), token: tok}
		}
	case outcomeContext:
		if o.contextCall {
			p.stats.ContextCalls.Add(1)
		}
		p.tracker.Release(o.tokens)
	}
}

// settle marks one record done and nudges the committer every CommitEvery.
func (p *Pipeline) settle(tok Token) {
	p.tracker.Done(tok)
	p.cfg.Observer.RecordSettled(tok.tp.Topic)
	if p.settled.Add(1) >= int64(p.cfg.CommitEvery) {
		p.settled.Store(0)
		select {
		case p.commitNow <- struct{}{}:
		default:
		}
	}
}

// commitLoop commits every CommitInterval or when nudged.
func (p *Pipeline) commitLoop(ctx context.Context, src Source) {
	t := time.NewTicker(p.cfg.CommitInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-p.commitNow:
		}
		// A commit in progress is not cut short by shutdown: it has its
		// own timeout, and the final commit follows anyway. A failure is
		// logged, and the next commit tries again.
		p.commit(context.Background(), src)
	}
}

// commit hands src what is settled: the prefixes that moved, and for a
// source that checkpoints (Features.Checkpoints) the runs settled beyond
// them, settled then even when no prefix moved. It returns such a
// source's failure, for Run to report after the final commit; a group
// commit that fails is only logged (the next one, or after a restart the
// next member, reads again what it left uncommitted).
func (p *Pipeline) commit(ctx context.Context, src Source) error {
	checkpoints := src.Features().Checkpoints
	cs := p.tracker.Committable()
	if len(cs) == 0 && !checkpoints {
		return nil
	}
	st := Settlement{Commits: cs}
	if checkpoints {
		st.Runs = p.tracker.settledRuns()
	}
	cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	err := src.Settle(cctx, st)
	var notOwned *NotOwnedError
	switch {
	case errors.As(err, &notOwned):
		cs = p.notOwned(cs, notOwned.Commits)
	case err != nil && checkpoints:
		p.tracker.Uncommit(cs)
		p.log.Warn("checkpoint save failed; will retry", "error_kind", ErrorKind(err))
		return err
	case err != nil:
		p.tracker.Uncommit(cs)
		p.log.Warn("offset commit failed; will retry", "partitions", len(cs), "error_kind", ErrorKind(err))
		return nil
	}
	if len(cs) == 0 {
		return nil
	}
	p.stats.Commits.Add(1)
	for _, c := range cs {
		p.cfg.Observer.Committed(c.Topic, c.Partition, c.Offset)
	}
	return nil
}

// notOwned hands out again the commits of partitions the source does not
// own now (between generations, or a partition revoked and not yet dropped
// from the tracker) and returns the others, which were made. Uncommit does
// nothing for partitions the tracker has dropped.
func (p *Pipeline) notOwned(cs, notOwned []Commit) []Commit {
	p.tracker.Uncommit(notOwned)
	p.log.Debug("offsets of partitions not owned now left uncommitted", "partitions", len(notOwned))
	return slices.DeleteFunc(cs, func(c Commit) bool { return slices.Contains(notOwned, c) })
}

// ErrorKind names an error's type, never its text (which may quote input):
// the value-free "error_kind" of every log line about a Kafka or sink error.
func ErrorKind(err error) string {
	var ke kafka.Error
	if errors.As(err, &ke) {
		return ke.Title()
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return "timeout"
	}
	if errors.Is(err, context.Canceled) {
		return "canceled"
	}
	return fmt.Sprintf("%T", err)
}

// retry runs op until it succeeds or ctx ends, with exponential backoff and
// jitter. It reports whether op succeeded.
func (p *Pipeline) retry(ctx context.Context, what string, op func() error) bool {
	wait := p.cfg.RetryBackoff
	for attempt := 1; ; attempt++ {
		err := op()
		if err == nil {
			return true
		}
		p.log.Warn("write failed; retrying", "target", what, "attempt", attempt, "error_kind", ErrorKind(err))
		jitter := time.Duration(rand.Int64N(int64(wait)/2 + 1))
		select {
		case <-ctx.Done():
			return false
		case <-time.After(wait/2 + jitter):
		}
		wait = min(2*wait, p.cfg.MaxRetryBackoff)
	}
}
