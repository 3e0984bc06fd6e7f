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
