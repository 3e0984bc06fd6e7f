package pipeline

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
