package stages

// decodeEvent is the encoding/json path shared by the call-event parsers:
// decode body into a fresh T (strict as decodeProviderJSON takes it), build
// the event from it, and note the one field of the wrong type that the
// decoding left out. build's refusals stand as they are: a refused payload
// returns no event, so nothing is noted on it.
func decodeEvent[T any](rec Record, p Provider, body []byte, build func(Record, *T) (*CallEvent, error), strict ...string) (*CallEvent, error) {
	var v T
	degraded, err := decodeProviderJSON(p, body, &v, strict...)
	if err != nil {
		return nil, err
	}
	ev, err := build(rec, &v)
	if ev != nil && degraded != "" {
		noteDegraded(&ev.Degraded, degraded)
	}
	return ev, err
}

// newTranscript starts the transcript of the call rec's key names
// (transcriptCallRef), noting the field decodeProviderJSON left out, if
// any, as degraded.
func newTranscript(rec Record, p Provider, degraded string) (*Transcript, error) {
	callProv, callID, err := transcriptCallRef(rec, p)
	if err != nil {
		return nil, err
	}
	tr := &Transcript{Provider: p, CallID: callID, CallProvider: callProv}
	if degraded != "" {
		noteDegraded(&tr.Degraded, degraded)
	}
	return tr, nil
}
