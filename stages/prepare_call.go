package stages

// CallPolicy decides, per minimised call, whether it may go any further:
// objections ("don't process my calls") and deletion tombstones ("forget
// me") are enforced here, after minimisation and before the transcript is
// even redacted. Called by redact workers; must be safe for concurrent use.
type CallPolicy interface {
	// Skip reports whether call must not reach any sink, and a fixed
	// reason ("objection", "tombstone") for metrics and logs.
	Skip(call Call) (skip bool, reason string)
}

// PrepareCallConfig configures PrepareCall.
type PrepareCallConfig struct {
	// KeySecret keys the call key; required, at least 16 bytes.
	KeySecret []byte
	// DefaultRegion reads national numbers when the provider names no
	// region; see MinimizeConfig.
	DefaultRegion string
	// Redact configures redaction; Redact.Redactor is required.
	Redact RedactConfig
	// Policy may stop a minimised call before its transcript is redacted;
	// nil lets every call through.
	Policy CallPolicy
}

// PrepareCall turns one joined call (its events and its transcript) into
// the RedactedCall sinks receive: it merges the events into CallFacts,
// minimises them to a Call, asks the policy whether the call may go on, and
// only then redacts the transcript. The raw facts, hints and transcript
// text go no further than this stage. Safe for concurrent use.
type PrepareCall struct {
	minimal *MinimizeMetadata
	redact  *RedactTranscript
	policy  CallPolicy
}

// NewPrepareCall validates cfg and returns the stage. Its errors are those
// of NewMinimizeMetadata and NewRedactTranscript, unchanged.
func NewPrepareCall(cfg PrepareCallConfig) (*PrepareCall, error) {
	minimal, err := NewMinimizeMetadata(MinimizeConfig{KeySecret: cfg.KeySecret, DefaultRegion: cfg.DefaultRegion})
	if err != nil {
		return nil, err
	}
	red, err := NewRedactTranscript(cfg.Redact)
	if err != nil {
		return nil, err
	}
	return &PrepareCall{minimal: minimal, redact: red, policy: cfg.Policy}, nil
}

// Apply prepares one call from its events (in any order, repeats allowed)
// and its transcript (nil when there is none). When the policy stops the
// call, skip holds its reason and out is empty; the transcript is then not
// redacted at all. A panic anywhere in the stage (a parser's odd value, the
// redactor, the policy) becomes a ReasonStagePanic error that names no
// value, so one poisoned call is dead-lettered instead of ending the
// process.
func (s *PrepareCall) Apply(events []*CallEvent, tr *Transcript) (out RedactedCall, skip string, err error) {
	defer func() {
		if recover() != nil {
			out, skip = RedactedCall{}, ""
			err = NewError(ReasonStagePanic, "", "", "redact stage panicked")
		}
	}()
	var facts CallFacts
	for _, ev := range events {
		facts.Merge(ev)
	}
	call, err := s.minimal.Minimize(&facts)
	if err != nil {
		return RedactedCall{}, "", err
	}
	if s.policy != nil {
		if no, reason := s.policy.Skip(call); no {
			return RedactedCall{}, reason, nil
		}
	}
	return s.redact.Apply(call, tr, facts.Hints), "", nil
}
