package stages

import (
	"container/list"
	"errors"
	"slices"
	"time"
)

// JoinConfig bounds the join's state. Every pending call is personal data
// held in memory, so both bounds are required and have defaults.
type JoinConfig struct {
	// MaxPending is the most calls waiting for their other half. When full,
	// the call idle longest is emitted early with what it has. Default 100000.
	MaxPending int
	// TTL is how long a call waits after its latest record: a call whose
	// transcript never comes is emitted without one after TTL; a transcript
	// whose call never comes is dead-lettered after TTL. It must exceed the
	// longest call plus the transcription delay. Time is what the caller
	// passes to Add and Expire (the pipeline passes the stream's arrival
	// time, which stands still while a partition is not read). Default 30
	// minutes.
	TTL time.Duration
	// KeySecret keys the call key (HMAC-SHA256); at least 16 bytes.
	KeySecret []byte
	// EmitOnEnd sends an answered call out as soon as its end is known,
	// before its transcript (a Joined with Provisional set and no Refs),
	// and keeps it waiting for the transcript as before: when it comes,
	// the call is emitted again, complete, with every record; at the TTL,
	// again as it is. Its records are therefore handed back exactly when
	// they would be without EmitOnEnd. The pipeline sets it for a
	// consumer group, where users expect a call in the CRM within seconds
	// of hang-up.
	EmitOnEnd bool
}

func (c *JoinConfig) validate() error {
	if c.MaxPending == 0 {
		c.MaxPending = 100_000
	}
	if c.TTL == 0 {
		c.TTL = 30 * time.Minute
	}
	switch {
	case c.MaxPending < 0:
		return errors.New("join: max pending must be positive")
	case c.TTL < 0:
		return errors.New("join: TTL must be positive")
	case len(c.KeySecret) < 16:
		return errors.New("join: key secret must be at least 16 bytes")
	}
	return nil
}

// Joined is what the join hands on: the events of one call and its
// transcript (either may be missing), with the references of every record
// that went into it. The caller marks those records done only once the
// joined call is delivered or dead-lettered.
type Joined[R any] struct {
	Key        string
	Events     []*CallEvent
	Transcript *Transcript
	Refs       []R
	// Orphan is set when a transcript's call never arrived: there is no
	// call metadata to emit, so the records go to dead letters.
	Orphan bool
	// Provisional is set on the early emission of an ended call that
	// still waits for its transcript (JoinConfig.EmitOnEnd). It carries
	// the events as they are and no Refs: the call stays pending, and is
	// emitted again, complete and with its records, later.
	Provisional bool
	// Redelivery is set when a transcript arrived for a call already
	// emitted without one: the call is emitted again, with it.
	Redelivery bool
	// Context is set when every record of the call was read again only
	// as context (Record.Replay): the call was delivered before the last
	// commit, and must not go out again.
	Context bool
	// Earlier holds, for a Redelivery, the references of the records of
	// the first emission. They were handed back then; they are here only
	// so the caller can tie the call's records together (the pipeline's
	// offset tracker does, to commit them consistently).
	Earlier []R
}

// Join pairs call events with transcripts by call key, in either order of
// arrival. It is not safe for concurrent use: the pipeline calls it from one
// goroutine (the parse stage's in-order callback) or under a lock.
//
// Invariant: every record reference passed to Add comes back exactly once,
// in some Joined returned by Add, Expire or Flush, unless the record is a
// late duplicate of a call already emitted (Add returns it in Settled), its
// call was forgotten (Forget returns it) or dropped (DropRefs).
type Join[R any] struct {
	cfg     JoinConfig
	pending map[string]*list.Element // of *joinEntry[R]
	order   *list.List               // by last touch, oldest first
	// emitted remembers calls emitted recently (same TTL and bound), so a
	// late transcript re-emits its call instead of becoming an orphan, and
	// late events do not create a second, partial call.
	emitted      map[string]*list.Element // of *emittedEntry[R]
	emittedOrder *list.List
	// byID maps the id key (IDKey) of every call with events, pending or
	// emitted, to its call key, so that a transcript keyed by the call id
	// alone finds its call (ambiguousCall when two providers' calls share
	// the id).
	byID map[string]string
}

// ambiguousCall marks an id key that two calls of different providers
// share; a call key is hex, so it never equals this.
const ambiguousCall = "ambiguous"

type joinEntry[R any] struct {
	key string
	// idKey is the IDKey of the call's events ("" before the first).
	idKey      string
	events     []*CallEvent
	transcript *Transcript
	refs       []R
	touched    time.Time
	// live: at least one record was not read as context.
	live bool
	// replayed: at least one record was read as context.
	replayed bool
	// sent: the call went out provisionally (JoinConfig.EmitOnEnd).
	sent bool
}

type emittedEntry[R any] struct {
	key     string
	idKey   string
	events  []*CallEvent
	refs    []R
	hasText bool
	at      time.Time
}

// NewJoin validates cfg and returns an empty join.
func NewJoin[R any](cfg JoinConfig) (*Join[R], error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	return &Join[R]{
		cfg:          cfg,
		pending:      map[string]*list.Element{},
		order:        list.New(),
		emitted:      map[string]*list.Element{},
		emittedOrder: list.New(),
		byID:         map[string]string{},
	}, nil
}

// IDKey is the join's key for a call id whose telephony provider is not
// known: a keyed HMAC of the id alone. It never equals a CallKey (no
// provider is empty).
func IDKey(secret []byte, callID string) string { return CallKey(secret, "", callID) }

// Key returns the join key of a parsed record: the call key (CallKey of
// provider and call id) for an event and for a transcript that names the
// telephony provider of its call id (header, key prefix, or the parser's
// default), and the IDKey of the call id for a transcript that does not:
// Add then joins it with the call whose provider call id it is, whatever
// the provider. The call key is the same either way; it is what sinks see.
func (j *Join[R]) Key(p Parsed) (string, error) {
	switch {
	case p.Event != nil:
		return CallKey(j.cfg.KeySecret, p.Event.Provider, p.Event.CallID), nil
	case p.Transcript != nil:
		tr := p.Transcript
		if tr.CallProvider != "" && !tr.CallProvider.IsTelephony() {
			return "", NewError(ReasonUnknownCallProvider, tr.Provider, "call-provider", "transcript names no telephony provider for its call id")
		}
		if tr.CallID == "" {
			return "", NewError(ReasonMissingField, tr.Provider, "key", "transcript record has no call id")
		}
		if tr.CallProvider == "" {
			return IDKey(j.cfg.KeySecret, tr.CallID), nil
		}
		return CallKey(j.cfg.KeySecret, tr.CallProvider, tr.CallID), nil
	}
	return "", NewError(ReasonUnsupportedEvent, "", "", "record carries neither a call event nor a transcript")
}

// AddResult is what Add returns.
type AddResult[R any] struct {
	// Ready holds calls complete now (at most one, plus any evicted early
	// because the join was full).
	Ready []Joined[R]
	// Settled holds references of records that need no output: late events
	// of a call already emitted. They may be marked done at once.
	Settled []R
}

// AddContext merges a record read again only as context (Record.Replay):
// it completes a call with its live records, but a call of context records
// alone comes out with Context set.
func (j *Join[R]) AddContext(key string, p Parsed, ref R, now time.Time) AddResult[R] {
	return j.add(key, p, ref, now, false)
}

// Add merges one parsed record into the join. now is the join's clock at
// the record: the processing time, or the record's own time where the
// caller runs the join on the stream's time (the pipeline does, see its
// streamClock). A call waits TTL from the latest now of its records.
func (j *Join[R]) Add(key string, p Parsed, ref R, now time.Time) AddResult[R] {
	return j.add(key, p, ref, now, true)
}

func (j *Join[R]) add(key string, p Parsed, ref R, now time.Time, live bool) AddResult[R] {
	var res AddResult[R]
	var idKey string
	switch {
	case p.Transcript != nil && p.Transcript.CallProvider == "":
		// Keyed by the call id alone: the call with that id, if its
		// events came; otherwise it waits under the id key for them.
		if ck := j.byID[key]; ck != "" && ck != ambiguousCall {
			key = ck
		}
	case p.Event != nil:
		idKey = IDKey(j.cfg.KeySecret, p.Event.CallID)
		j.register(idKey, key)
	}
	if el, ok := j.emitted[key]; ok {
		em := el.Value.(*emittedEntry[R])
		if p.Transcript == nil || em.hasText {
			// A late or repeated event, or a second transcript: the call
			// has gone out already. (A transcript read as context for a
			// call that went out without one still completes it: after a
			// restart, the call's events can be read live and its late
			// transcript, settled by the run before, as context.)
			res.Settled = append(res.Settled, ref)
			return res
		}
		// The call went out without its transcript; send it again with it.
		em.hasText = true
		res.Ready = append(res.Ready, Joined[R]{Key: key, Events: em.events, Transcript: p.Transcript, Refs: []R{ref}, Redelivery: true, Earlier: em.refs})
		return res
	}
	e := j.entry(key, now, &res)
	if p.Event != nil {
		e.events = append(e.events, p.Event)
		if e.idKey == "" {
			e.idKey = idKey
			j.adoptWaiting(e)
		}
	}
	if p.Transcript != nil {
		// A repeated transcript replaces the first: same call, same text.
		e.transcript = p.Transcript
	}
	e.refs = append(e.refs, ref)
	e.live = e.live || live
	e.replayed = e.replayed || !live
	switch {
	case (e.transcript != nil && hasEnded(e.events)) || endedUnanswered(e.events):
		res.Ready = append(res.Ready, j.emit(key, now))
	case j.cfg.EmitOnEnd && !e.sent && !e.replayed && e.transcript == nil && hasEnded(e.events):
		// Out now, without its transcript; the complete call follows.
		// A call with a record read as context went out complete
		// before the last commit (a call's records settle only with
		// its complete version): it straddled the commit and is read
		// again to go out whole, so a provisional copy would only put
		// a worse version in front of the one already out.
		e.sent = true
		res.Ready = append(res.Ready, Joined[R]{Key: key, Events: slices.Clone(e.events), Provisional: true})
	}
	return res
}

// register notes that the call key belongs to the call id of idKey.
func (j *Join[R]) register(idKey, key string) {
	switch ck := j.byID[idKey]; ck {
	case "":
		j.byID[idKey] = key
	case key, ambiguousCall:
	default:
		// Two providers' calls with the same id: a transcript keyed by
		// the id alone cannot tell them apart (it waits, and becomes an
		// orphan); one that names its provider still joins.
		j.byID[idKey] = ambiguousCall
	}
}

// unregister forgets idKey's call key when it is key's, once key is
// neither pending nor remembered as emitted.
func (j *Join[R]) unregister(idKey, key string) {
	if idKey == "" || j.byID[idKey] != key {
		return
	}
	if _, ok := j.pending[key]; ok {
		return
	}
	if _, ok := j.emitted[key]; ok {
		return
	}
	delete(j.byID, idKey)
}

// adoptWaiting moves a transcript that came keyed by the call id alone,
// before any event of its call, into the call's entry e.
func (j *Join[R]) adoptWaiting(e *joinEntry[R]) {
	if j.byID[e.idKey] != e.key {
		return
	}
	el, ok := j.pending[e.idKey]
	if !ok {
		return
	}
	w := el.Value.(*joinEntry[R])
	if len(w.events) > 0 {
		return
	}
	j.order.Remove(el)
	delete(j.pending, e.idKey)
	if e.transcript == nil {
		e.transcript = w.transcript
	}
	e.refs = append(w.refs, e.refs...)
	e.live = e.live || w.live
	e.replayed = e.replayed || w.replayed
}

// entry returns the pending entry for key, creating it (and evicting the
// oldest when full), and marks it touched.
func (j *Join[R]) entry(key string, now time.Time, res *AddResult[R]) *joinEntry[R] {
	if el, ok := j.pending[key]; ok {
		e := el.Value.(*joinEntry[R])
		if now.After(e.touched) {
			e.touched = now
		}
		j.order.MoveToBack(el)
		return e
	}
	for len(j.pending) >= j.cfg.MaxPending {
		oldest := j.order.Front().Value.(*joinEntry[R])
		res.Ready = append(res.Ready, j.emit(oldest.key, now))
	}
	e := &joinEntry[R]{key: key, touched: now}
	j.pending[key] = j.order.PushBack(e)
	return e
}

func hasEnded(evs []*CallEvent) bool {
	for _, ev := range evs {
		if ev.Phase == PhaseEnded {
			return true
		}
	}
	return false
}

// endedUnanswered reports whether the call ended without a conversation
// (no answer, busy, canceled, failed): no transcript will come, so waiting
// the TTL for one would only hold its records (and the partition's
// commits) back. Should a transcript come after all, it re-emits the call.
func endedUnanswered(evs []*CallEvent) bool {
	for _, ev := range evs {
		if ev.Phase != PhaseEnded {
			continue
		}
		switch ev.Status {
		case StatusNoAnswer, StatusBusy, StatusCanceled, StatusFailed:
			return true
		}
	}
	return false
}

// emit removes key from pending and returns it as Joined.
func (j *Join[R]) emit(key string, now time.Time) Joined[R] {
	el := j.pending[key]
	e := el.Value.(*joinEntry[R])
	j.order.Remove(el)
	delete(j.pending, key)
	out := Joined[R]{Key: key, Events: e.events, Transcript: e.transcript, Refs: e.refs, Context: !e.live}
	if len(e.events) == 0 {
		out.Orphan = true
		return out
	}
	j.remember(key, e.idKey, e.events, e.refs, e.transcript != nil, now)
	return out
}

func (j *Join[R]) remember(key, idKey string, evs []*CallEvent, refs []R, hasText bool, now time.Time) {
	for len(j.emitted) >= j.cfg.MaxPending {
		j.forgetEmitted(j.emittedOrder.Front())
	}
	if hasText {
		refs = nil // no redelivery can follow; nothing to tie to
	}
	j.emitted[key] = j.emittedOrder.PushBack(&emittedEntry[R]{key: key, idKey: idKey, events: evs, refs: refs, hasText: hasText, at: now})
}

// forgetEmitted drops the memory of one emitted call.
func (j *Join[R]) forgetEmitted(el *list.Element) {
	em := el.Value.(*emittedEntry[R])
	delete(j.emitted, em.key)
	j.emittedOrder.Remove(el)
	j.unregister(em.idKey, em.key)
}

// Expire emits every call idle for TTL and forgets emitted calls older than
// TTL. Called periodically by the pipeline. Calls are looked at in the order
// their latest records were added; where the caller's times are not in that
// order (records of one partition touched later than another's), a call
// may wait for one ahead of it: later, never earlier, than its TTL.
func (j *Join[R]) Expire(now time.Time) []Joined[R] {
	var out []Joined[R]
	for el := j.order.Front(); el != nil; el = j.order.Front() {
		e := el.Value.(*joinEntry[R])
		if now.Sub(e.touched) < j.cfg.TTL {
			break
		}
		out = append(out, j.emit(e.key, now))
	}
	for el := j.emittedOrder.Front(); el != nil; el = j.emittedOrder.Front() {
		if now.Sub(el.Value.(*emittedEntry[R]).at) < j.cfg.TTL {
			break
		}
		j.forgetEmitted(el)
	}
	return out
}

// Pending returns the number of calls waiting in the join.
func (j *Join[R]) Pending() int { return len(j.pending) }

// Forget drops any pending state for key (deletion requests) and returns
// the references it held, so their records can be settled.
func (j *Join[R]) Forget(key string) []R {
	var refs []R
	idKey := ""
	if el, ok := j.pending[key]; ok {
		e := el.Value.(*joinEntry[R])
		refs, idKey = e.refs, e.idKey
		j.order.Remove(el)
		delete(j.pending, key)
	}
	if el, ok := j.emitted[key]; ok {
		idKey = el.Value.(*emittedEntry[R]).idKey
		j.forgetEmitted(el)
	}
	j.unregister(idKey, key)
	return refs
}

// DropRefs removes, without emitting them, the pending calls holding at
// least one reference for which drop returns true, and returns how many it
// removed. The pipeline uses it when a consumer-group rebalance takes
// partitions away: those calls' records are not settled, and the
// partitions' new owner reads them again from the last commit and joins
// them there, so emitting them here (incomplete, at their TTL) would race
// the new owner's complete version. Their references are not handed back:
// they belong to records this member no longer tracks. The memory of
// emitted calls is kept: it only ever suppresses duplicates.
func (j *Join[R]) DropRefs(drop func(R) bool) (dropped int) {
	for el := j.order.Front(); el != nil; {
		next := el.Next()
		e := el.Value.(*joinEntry[R])
		for _, ref := range e.refs {
			if drop(ref) {
				j.order.Remove(el)
				delete(j.pending, e.key)
				j.unregister(e.idKey, e.key)
				dropped++
				break
			}
		}
		el = next
	}
	return dropped
}

// Flush emits every pending call as it is: the end of a bounded input,
// where nothing more can complete them.
func (j *Join[R]) Flush() []Joined[R] {
	var out []Joined[R]
	for el := j.order.Front(); el != nil; el = j.order.Front() {
		out = append(out, j.emit(el.Value.(*joinEntry[R]).key, time.Time{}))
	}
	return out
}
