package stages

import (
	"bytes"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/valyala/fastjson"
)

// The fast JSON path.
//
// encoding/json costs tens of microseconds per provider payload: it scans
// each payload once to validate it and again per Unmarshal, and the shape
// probe, the envelope and the call data were three Unmarshals. The fast
// path parses a payload once with fastjson into a reusable tree, validates
// it once (fastjson.Validate is as strict as encoding/json's scanner on
// valid UTF-8, which Parse has already checked), and fills the very same
// structs the encoding/json path fills, so everything after decoding is
// shared code.
//
// It only takes payloads whose decoding is unambiguous. Wherever
// encoding/json has rules of its own — a key that matches a field only
// case-insensitively, a field given twice (the last one wins), a string
// escape that fastjson and encoding/json could read differently (lone
// surrogates), a value of the wrong type (a typed error naming the field),
// nesting deeper than fastjson's limit — the fast path gives up and the
// record goes through encoding/json from the start. Results and errors are
// therefore those of encoding/json by construction; the differential tests
// and fuzz targets in parse_json_fast_test.go check it.

// fastJSONDoc parses body with a pooled fastjson parser. ok is false when
// fastjson refuses the payload or it is not a strictly valid JSON object;
// the caller then leaves it to encoding/json. release must be called once
// the tree is no longer used.
func (p *Parser) fastJSONDoc(body []byte) (obj *fastjson.Object, release func(), ok bool) {
	fp := p.jsonParsers.Get()
	// Parse first: it refuses nesting beyond fastjson.MaxDepth, which
	// bounds the recursion of Validate below.
	v, err := fp.ParseBytes(body)
	if err != nil || fastjson.ValidateBytes(body) != nil {
		p.jsonParsers.Put(fp)
		return nil, nil, false
	}
	obj, err = v.Object()
	if err != nil {
		p.jsonParsers.Put(fp)
		return nil, nil, false
	}
	return obj, func() { p.jsonParsers.Put(fp) }, true
}

// parseJSONFast is parseJSONRecord on the fast path. ok is false when the
// payload needs encoding/json; otherwise parsed and err are final.
func (p *Parser) parseJSONFast(rec Record, body []byte) (parsed Parsed, err error, ok bool) {
	obj, release, ok := p.fastJSONDoc(body)
	if !ok {
		return Parsed{}, nil, false
	}
	defer release()

	doc := jsonPayload{body: body, obj: obj}
	e := providerNamed(rec.Provider)
	if e == nil || e.shapeKinds {
		// Only then is the shape needed: to detect the provider, or to
		// tell a provider's payload kinds apart.
		if doc.shape, ok = probeJSONShape(obj); !ok {
			return Parsed{}, nil, false
		}
	}
	if e == nil {
		if e = detectJSON(doc.shape); e == nil {
			return Parsed{}, errUnknownShape(), true
		}
	}
	return e.parseJSON(rec, doc)
}

// ---- shape probe ----

// jsonShape records which distinguishing top-level keys a JSON object has
// (one bit per key of jsonShapeProbe), and which keys its "results" object
// has, the only value whose content detection reads.
type jsonShape uint32

const (
	shapeResource jsonShape = 1 << iota
	shapeEvent
	shapeData
	shapeResults
	shapeMetadata
	shapeJobName
	shapeID
	shapeText
	shapeWords
	shapeUtterances
	shapeAudioURL
	shapeAcoustic
	shapeSource
	shapeTarget
	shapeCreated
	shapeCallID
	shapeXCID
	shapeUserList
	shapeCallSid
	shapeSid
	shapeAccountSid
	shapeAPIVersion
	// "results" is an object; and which of its keys it has.
	shapeResultsObject
	shapeResultsChannels
	shapeResultsTranscripts
	shapeResultsItems
)

// has reports whether any of bits is set; hasAll whether all are.
func (s jsonShape) has(bits jsonShape) bool    { return s&bits != 0 }
func (s jsonShape) hasAll(bits jsonShape) bool { return s&bits == bits }

// shapeKeys are jsonShapeProbe's JSON names, lower-cased, with their bits.
// encoding/json fills a probe field from any key equal to its name under
// case folding, so presence is decided on folded keys. Read-only.
var shapeKeys = []struct {
	name string
	bit  jsonShape
}{
	{"resource", shapeResource}, {"event", shapeEvent}, {"data", shapeData},
	{"results", shapeResults}, {"metadata", shapeMetadata}, {"jobname", shapeJobName},
	{"id", shapeID}, {"text", shapeText}, {"words", shapeWords},
	{"utterances", shapeUtterances}, {"audio_url", shapeAudioURL},
	{"acoustic_model", shapeAcoustic}, {"source", shapeSource}, {"target", shapeTarget},
	{"created", shapeCreated}, {"callid", shapeCallID}, {"xcid", shapeXCID},
	{"user[]", shapeUserList}, {"callsid", shapeCallSid}, {"sid", shapeSid},
	{"account_sid", shapeAccountSid}, {"api_version", shapeAPIVersion},
}

// probeJSONShape reads the top-level keys and those of "results". ok is
// false when "results" appears twice (encoding/json would read the last).
func probeJSONShape(obj *fastjson.Object) (jsonShape, bool) {
	var s jsonShape
	var results *fastjson.Value
	ok := true
	obj.Visit(func(k []byte, v *fastjson.Value) {
		bit := foldedKeyBit(k)
		if bit == shapeResults {
			if s.has(shapeResults) {
				ok = false
			}
			results = v
		}
		s |= bit
	})
	if results != nil && results.Type() == fastjson.TypeObject {
		s |= fastResultsShape(results.GetObject())
	}
	return s, ok
}

// fastResultsShape is resultsShape on the fast path: encoding/json
// matches resultsShapeProbe's keys under case folding.
func fastResultsShape(obj *fastjson.Object) jsonShape {
	s := shapeResultsObject
	obj.Visit(func(k []byte, _ *fastjson.Value) {
		switch {
		case strings.EqualFold(string(k), "channels"):
			s |= shapeResultsChannels
		case strings.EqualFold(string(k), "transcripts"):
			s |= shapeResultsTranscripts
		case strings.EqualFold(string(k), "items"):
			s |= shapeResultsItems
		}
	})
	return s
}

// foldedKeyBit returns the shape bit of a key that equals a probe name
// under case folding, 0 for any other key.
func foldedKeyBit(k []byte) jsonShape {
	for _, c := range k {
		if c >= utf8.RuneSelf {
			// Unicode folding (the Kelvin sign folds to 'k'): rare, and
			// strings.EqualFold has the exact rule encoding/json uses.
			for _, sk := range shapeKeys {
				if strings.EqualFold(string(k), sk.name) {
					return sk.bit
				}
			}
			return 0
		}
	}
	if len(k) > 16 {
		return 0
	}
	var buf [16]byte
	lower := buf[:len(k)]
	for i, c := range k {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		lower[i] = c
	}
	for _, sk := range shapeKeys {
		if string(lower) == sk.name {
			return sk.bit
		}
	}
	return 0
}

// ---- struct filling ----

// fastFields finds the values of a struct's JSON fields (names, as in the
// struct tags) in obj: out[i] gets the value of names[i], nil when absent.
// It reports false when encoding/json's own rules would decide: a key that
// equals a field name only under case folding, or a field given twice.
func fastFields(obj *fastjson.Object, names []string, out []*fastjson.Value) bool {
	ok := true
	obj.Visit(func(k []byte, v *fastjson.Value) {
		if !ok {
			return
		}
		ascii := true
		for _, c := range k {
			if c >= utf8.RuneSelf {
				ascii = false
				break
			}
		}
		for i, name := range names {
			if ascii && len(k) != len(name) {
				continue
			}
			if string(k) == name {
				if out[i] != nil {
					ok = false
				}
				out[i] = v
				return
			}
			if strings.EqualFold(string(k), name) {
				ok = false
				return
			}
		}
	})
	return ok
}

// fastString fills dst as payloadString.UnmarshalJSON would from v (nil:
// the key was absent). false: leave it to encoding/json.
func fastString(v *fastjson.Value, dst *payloadString) bool {
	if v == nil {
		return true
	}
	switch v.Type() {
	case fastjson.TypeNull:
		*dst = payloadString{}
	case fastjson.TypeString:
		s, ok := fastStringValue(v)
		if !ok {
			return false
		}
		*dst = payloadString{S: s, Set: true}
	case fastjson.TypeNumber:
		var buf [32]byte
		*dst = payloadString{S: string(v.MarshalTo(buf[:0])), Set: true}
	case fastjson.TypeTrue:
		*dst = payloadString{S: "true", Set: true}
	case fastjson.TypeFalse:
		*dst = payloadString{S: "false", Set: true}
	default:
		return false
	}
	return true
}

// fastStrings fills dst[i] from f[i] by fastString, in order, and stops at
// the first that must be left to encoding/json.
func fastStrings(f []*fastjson.Value, dst ...*payloadString) bool {
	for i, d := range dst {
		if !fastString(f[i], d) {
			return false
		}
	}
	return true
}

// fastStringValue returns a JSON string's content as encoding/json reads
// it. fastjson decodes escapes itself and keeps the ones it cannot (lone
// surrogates) as written, where encoding/json writes U+FFFD; a backslash in
// the decoded text may be such a leftover, so those strings are refused.
func fastStringValue(v *fastjson.Value) (string, bool) {
	b, err := v.StringBytes()
	if err != nil || bytes.IndexByte(b, '\\') >= 0 {
		return "", false
	}
	return string(b), true
}

// fastNumber fills dst as payloadNumber.UnmarshalJSON would from v.
func fastNumber(v *fastjson.Value, dst *payloadNumber) bool {
	if v == nil {
		return true
	}
	switch v.Type() {
	case fastjson.TypeNull:
		*dst = payloadNumber{}
		return true
	case fastjson.TypeString:
		b, err := v.StringBytes()
		if err != nil || bytes.IndexByte(b, '\\') >= 0 {
			return false
		}
		s := strings.TrimSpace(string(b))
		if s == "" {
			*dst = payloadNumber{}
			return true
		}
		return parseFastFloat(s, dst)
	case fastjson.TypeNumber:
		var buf [32]byte
		return parseFastFloat(string(v.MarshalTo(buf[:0])), dst)
	}
	return false
}

func parseFastFloat(s string, dst *payloadNumber) bool {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return false
	}
	*dst = payloadNumber{F: f, Set: true}
	return true
}

// fastObject returns v's object: nil for absent or null (encoding/json
// leaves a pointer nil), ok=false for any other type.
func fastObject(v *fastjson.Value) (*fastjson.Object, bool) {
	if v == nil {
		return nil, true
	}
	switch v.Type() {
	case fastjson.TypeNull:
		return nil, true
	case fastjson.TypeObject:
		o, err := v.Object()
		return o, err == nil
	}
	return nil, false
}

// ---- providers ----

// Field names in struct order; read-only.
var (
	aircallWebhookFields = []string{"resource", "event", "timestamp", "data"}
	aircallCallFields    = []string{"id", "direction", "status", "missed_call_reason", "started_at",
		"answered_at", "ended_at", "duration", "raw_digits", "number", "user", "contact"}
	aircallNumberFields  = []string{"digits", "country"}
	aircallUserFields    = []string{"name"}
	aircallContactFields = []string{"first_name", "last_name", "phone_numbers"}
	aircallPhoneFields   = []string{"value"}
	twilioResourceFields = []string{"sid", "status", "direction", "from", "to", "start_time",
		"end_time", "date_created", "duration", "caller_name", "forwarded_from"}
	sipgateHistoryFields = []string{"id", "callId", "type", "source", "target", "sourceAlias",
		"targetAlias", "responderAlias", "created", "direction", "status", "callStatus", "duration"}
)

func fastAircallWebhook(obj *fastjson.Object, w *aircallWebhook) bool {
	var f [4]*fastjson.Value
	if !fastFields(obj, aircallWebhookFields, f[:]) ||
		!fastString(f[0], &w.Resource) || !fastString(f[1], &w.Event) || !fastNumber(f[2], &w.Timestamp) {
		return false
	}
	data, ok := fastObject(f[3])
	if !ok {
		return false
	}
	if data == nil {
		// Absent or null: aircallEvent refuses it as missing.
		return true
	}
	w.call = &aircallCall{}
	return fastAircallCall(data, w.call)
}

func fastAircallCall(obj *fastjson.Object, c *aircallCall) bool {
	var f [12]*fastjson.Value
	if !fastFields(obj, aircallCallFields, f[:]) ||
		!fastString(f[0], &c.ID) || !fastString(f[1], &c.Direction) || !fastString(f[2], &c.Status) ||
		!fastString(f[3], &c.MissedCallReason) || !fastNumber(f[4], &c.StartedAt) ||
		!fastNumber(f[5], &c.AnsweredAt) || !fastNumber(f[6], &c.EndedAt) ||
		!fastNumber(f[7], &c.Duration) || !fastString(f[8], &c.RawDigits) {
		return false
	}
	return fastNested(f[9], &c.Number, fastAircallNumber) &&
		fastNested(f[10], &c.User, fastAircallUser) &&
		fastNested(f[11], &c.Contact, fastAircallContact)
}

// fastNested fills the pointer field *dst from v by fill, as encoding/json
// would: absent or null leaves it nil, an object gets a fresh value that
// fill fills, any other type is left to encoding/json.
func fastNested[T any](v *fastjson.Value, dst **T, fill func(*fastjson.Object, *T) bool) bool {
	o, ok := fastObject(v)
	if !ok || o == nil {
		return ok
	}
	*dst = new(T)
	return fill(o, *dst)
}

func fastAircallNumber(obj *fastjson.Object, n *aircallNumber) bool {
	var f [2]*fastjson.Value
	return fastFields(obj, aircallNumberFields, f[:]) && fastString(f[0], &n.Digits) && fastString(f[1], &n.Country)
}

func fastAircallUser(obj *fastjson.Object, u *aircallUser) bool {
	var f [1]*fastjson.Value
	return fastFields(obj, aircallUserFields, f[:]) && fastString(f[0], &u.Name)
}

func fastAircallContact(obj *fastjson.Object, c *aircallContact) bool {
	var f [3]*fastjson.Value
	if !fastFields(obj, aircallContactFields, f[:]) || !fastString(f[0], &c.FirstName) || !fastString(f[1], &c.LastName) {
		return false
	}
	pn := f[2]
	if pn == nil || pn.Type() == fastjson.TypeNull {
		return true
	}
	if pn.Type() != fastjson.TypeArray {
		return false
	}
	items, _ := pn.Array()
	c.PhoneNumbers = make([]aircallPhoneNumber, len(items))
	for i, it := range items {
		// A null item stays the zero value, as encoding/json leaves it.
		o, ok := fastObject(it)
		if !ok || o != nil && !fastAircallPhone(o, &c.PhoneNumbers[i]) {
			return false
		}
	}
	return true
}

func fastAircallPhone(obj *fastjson.Object, p *aircallPhoneNumber) bool {
	var f [1]*fastjson.Value
	return fastFields(obj, aircallPhoneFields, f[:]) && fastString(f[0], &p.Value)
}

func fastTwilioCallResource(obj *fastjson.Object, c *twilioCallResource) bool {
	var f [11]*fastjson.Value
	if !fastFields(obj, twilioResourceFields, f[:]) {
		return false
	}
	return fastStrings(f[:], &c.Sid, &c.Status, &c.Direction, &c.From, &c.To, &c.StartTime,
		&c.EndTime, &c.DateCreated, &c.Duration, &c.CallerName, &c.ForwardedFrom)
}

func fastSipgateHistory(obj *fastjson.Object, e *sipgateHistoryEntry) bool {
	var f [13]*fastjson.Value
	if !fastFields(obj, sipgateHistoryFields, f[:]) {
		return false
	}
	return fastStrings(f[:], &e.ID, &e.CallID, &e.Type, &e.Source, &e.Target, &e.SourceAlias,
		&e.TargetAlias, &e.ResponderAlias, &e.Created, &e.Direction, &e.Status, &e.CallStatus) &&
		fastNumber(f[12], &e.Duration)
}
