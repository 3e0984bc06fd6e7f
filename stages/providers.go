package stages

import (
	"net/url"

	"github.com/valyala/fastjson"
)

// The provider table: every provider Parse reads, in detection order, with
// how its payloads are recognised and how they are parsed. Both JSON paths
// and the form path read this one table, so recognising a provider and
// parsing it cannot drift apart (providers_test.go holds every sample to
// it).

// providerEntry is one provider's row in providerTable.
type providerEntry struct {
	name Provider
	// matchJSON reports whether a JSON object of this shape is the
	// provider's. Entries are tried in table order; the first match wins.
	matchJSON func(jsonShape) bool
	// matchForm does the same for a form body; nil where the provider
	// sends no forms.
	matchForm func(url.Values) bool
	// shapeKinds: parseJSON tells the provider's payload kinds apart by
	// the shape, so the shape is probed even when the header names it.
	shapeKinds bool
	// bodyOnly: parseJSON decodes the body itself and never reads the
	// fastjson tree, so a header naming the provider skips the tree.
	bodyOnly bool
	// parseJSON parses a JSON object. ok is false only on the fast path
	// (doc.obj set), where it means: leave this payload to encoding/json.
	parseJSON func(rec Record, doc jsonPayload) (parsed Parsed, err error, ok bool)
	// parseForm parses a form body; nil where matchForm is.
	parseForm func(rec Record, vals url.Values) (*CallEvent, error)
}

// providerTable is read-only.
var providerTable = []providerEntry{
	{name: ProviderAircall, matchJSON: aircallShape, parseJSON: aircallJSON},
	{name: ProviderDeepgram, matchJSON: deepgramShape, bodyOnly: true, parseJSON: transcriptJSON(parseDeepgram)},
	{name: ProviderAWSTranscribe, matchJSON: awsTranscribeShape, bodyOnly: true, parseJSON: transcriptJSON(parseAWSTranscribe)},
	{name: ProviderAssemblyAI, matchJSON: assemblyAIShape, bodyOnly: true, parseJSON: transcriptJSON(parseAssemblyAI)},
	{name: ProviderSipgate, matchJSON: sipgateShape, matchForm: sipgateForm, shapeKinds: true,
		parseJSON: sipgateJSON, parseForm: parseSipgatePush},
	{name: ProviderTwilio, matchJSON: twilioShape, matchForm: twilioForm, shapeKinds: true,
		parseJSON: twilioJSON, parseForm: parseTwilioCallback},
}

// providerNamed returns the entry of the provider a header names, nil for
// "" or a name no entry has.
func providerNamed(name Provider) *providerEntry {
	for i := range providerTable {
		if providerTable[i].name == name {
			return &providerTable[i]
		}
	}
	return nil
}

// detectJSON returns the first entry that claims a JSON object of shape s,
// nil when none does.
func detectJSON(s jsonShape) *providerEntry {
	for i := range providerTable {
		if providerTable[i].matchJSON(s) {
			return &providerTable[i]
		}
	}
	return nil
}

// detectForm returns the first entry that claims a form body, nil when
// none does.
func detectForm(vals url.Values) *providerEntry {
	for i := range providerTable {
		if m := providerTable[i].matchForm; m != nil && m(vals) {
			return &providerTable[i]
		}
	}
	return nil
}

// errUnknownShape is the refusal of a payload no entry claims.
func errUnknownShape() error {
	return NewError(ReasonUnknownProvider, "", "", "payload shape matches no supported provider")
}

// ---- shape matchers ----

// A "results" key settles the payload as a transcript's: no telephony or
// AssemblyAI shape is considered once it is present.

func aircallShape(s jsonShape) bool { return s.hasAll(shapeResource | shapeEvent | shapeData) }

func deepgramShape(s jsonShape) bool { return s.has(shapeResultsChannels) }

func awsTranscribeShape(s jsonShape) bool {
	return s.has(shapeResultsObject) && !s.has(shapeResultsChannels) &&
		s.has(shapeResultsTranscripts|shapeResultsItems|shapeJobName)
}

func assemblyAIShape(s jsonShape) bool {
	return !s.has(shapeResults) && (s.has(shapeAcoustic|shapeAudioURL) ||
		s.has(shapeID) && s.has(shapeText|shapeWords|shapeUtterances))
}

func sipgateShape(s jsonShape) bool {
	return !s.has(shapeResults) && (s.hasAll(shapeSource|shapeTarget) ||
		s.has(shapeEvent) && s.has(shapeCallID|shapeXCID|shapeUserList))
}

func twilioShape(s jsonShape) bool {
	return !s.has(shapeResults) && (s.has(shapeCallSid) ||
		s.has(shapeSid) && s.has(shapeAccountSid|shapeAPIVersion))
}

// twilioForm comes before sipgateForm: a form naming Twilio's CallSid or
// AccountSid is Twilio's whatever else it holds.
func twilioForm(v url.Values) bool { return v.Has("CallSid") || v.Has("AccountSid") }

func sipgateForm(v url.Values) bool {
	return !twilioForm(v) && v.Has("event") && (v.Has("callId") || v.Has("xcid") || v.Has("user[]"))
}

// ---- JSON parsers ----

// jsonPayload is a JSON object record as a provider's parseJSON gets it:
// the body, its shape (probed where detection or shapeKinds needs it) and,
// on the fast path, its fastjson tree (nil on the encoding/json path).
type jsonPayload struct {
	body  []byte
	obj   *fastjson.Object
	shape jsonShape
}

func aircallJSON(rec Record, doc jsonPayload) (Parsed, error, bool) {
	return treeEvent(rec, doc, parseAircall, fastAircallWebhook, aircallEvent)
}

// sipgateJSON tells a history entry (it has source, target or created)
// from a push relayed as a JSON object of its form fields.
func sipgateJSON(rec Record, doc jsonPayload) (Parsed, error, bool) {
	if doc.shape.has(shapeSource | shapeTarget | shapeCreated) {
		return treeEvent(rec, doc, parseSipgateHistory, fastSipgateHistory, sipgateHistoryEvent)
	}
	return formEvent(rec, doc, ProviderSipgate, parseSipgatePush)
}

// twilioJSON tells a status callback relayed as a JSON object of its form
// fields (it has CallSid) from a call resource.
func twilioJSON(rec Record, doc jsonPayload) (Parsed, error, bool) {
	if doc.shape.has(shapeCallSid) {
		return formEvent(rec, doc, ProviderTwilio, parseTwilioCallback)
	}
	return treeEvent(rec, doc, parseTwilioCallResource, fastTwilioCallResource, twilioCallResourceEvent)
}

// treeEvent parses a call event on whichever path doc is on: decode reads
// the body with encoding/json; on the fast path fill fills the same struct
// from the tree and event reads it.
func treeEvent[T any](rec Record, doc jsonPayload, decode func(Record, []byte) (*CallEvent, error),
	fill func(*fastjson.Object, *T) bool, event func(Record, *T) (*CallEvent, error)) (Parsed, error, bool) {
	if doc.obj == nil {
		parsed, err := eventResult(decode(rec, doc.body))
		return parsed, err, true
	}
	var v T
	if !fill(doc.obj, &v) {
		return Parsed{}, nil, false
	}
	parsed, err := eventResult(event(rec, &v))
	return parsed, err, true
}

// formEvent flattens a JSON object of form fields and hands it to the
// provider's form parser.
func formEvent(rec Record, doc jsonPayload, p Provider, parse func(Record, url.Values) (*CallEvent, error)) (Parsed, error, bool) {
	var vals url.Values
	if doc.obj == nil {
		var err error
		if vals, err = jsonObjectToForm(p, doc.body); err != nil {
			return Parsed{}, err, true
		}
	} else {
		var ok bool
		if vals, ok = fastJSONObjectToForm(doc.obj); !ok {
			return Parsed{}, nil, false
		}
	}
	parsed, err := eventResult(parse(rec, vals))
	return parsed, err, true
}

// transcriptJSON wraps a transcript decoder. Transcripts are not on the
// events topic, so they keep their own encoding/json decoder on both paths.
func transcriptJSON(decode func(Record, []byte) (*Transcript, error)) func(Record, jsonPayload) (Parsed, error, bool) {
	return func(rec Record, doc jsonPayload) (Parsed, error, bool) {
		parsed, err := transcriptResult(decode(rec, doc.body))
		return parsed, err, true
	}
}
