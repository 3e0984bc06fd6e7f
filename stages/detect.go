package stages

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/valyala/fastjson"
)

// DefaultMaxPayloadBytes bounds a record's value when ParserConfig leaves
// it 0. The largest legitimate payloads are long transcripts with per-word
// timings; 1 MiB holds hours of them.
const DefaultMaxPayloadBytes = 1 << 20

// maxPayloadBytesCeiling stops a configuration typo from letting a single
// record pin hundreds of megabytes of parser memory.
const maxPayloadBytesCeiling = 64 << 20

// ParserConfig configures Parser.
type ParserConfig struct {
	// MaxPayloadBytes refuses larger records as too_large before any
	// parsing. 0 means DefaultMaxPayloadBytes.
	MaxPayloadBytes int
	// TranscriptCallProvider, when set, is the telephony provider of the
	// call id of every transcript that does not name one itself (by its
	// call-provider header or a "<provider>:" key prefix). Needed only
	// where two telephony providers' call ids could be equal: without it a
	// transcript is joined with the call whose provider call id equals its
	// key, whatever the provider.
	TranscriptCallProvider Provider
}

// Parser turns one Record into a CallEvent or a Transcript. It holds no
// mutable state besides a pool of reusable JSON parsers and is safe for
// concurrent use.
type Parser struct {
	maxPayloadBytes int
	callProvider    Provider
	// jsonParsers serve the fast JSON path (parse_json_fast.go); each
	// keeps its buffers between records.
	jsonParsers fastjson.ParserPool
	// encodingJSONOnly switches the fast JSON path off, so that tests can
	// hold it against the encoding/json path. Never set outside tests.
	encodingJSONOnly bool
}

// NewParser validates cfg.
func NewParser(cfg ParserConfig) (*Parser, error) {
	switch {
	case cfg.MaxPayloadBytes == 0:
		cfg.MaxPayloadBytes = DefaultMaxPayloadBytes
	case cfg.MaxPayloadBytes < 0:
		return nil, errors.New("parser: max payload bytes must be positive")
	case cfg.MaxPayloadBytes > maxPayloadBytesCeiling:
		return nil, errors.New("parser: max payload bytes above the 64 MiB ceiling")
	}
	if cfg.TranscriptCallProvider != "" && !cfg.TranscriptCallProvider.IsTelephony() {
		return nil, errors.New("parser: transcript call provider must be sipgate, twilio or aircall")
	}
	return &Parser{maxPayloadBytes: cfg.MaxPayloadBytes, callProvider: cfg.TranscriptCallProvider}, nil
}

// Parse reads one record. The checks run cheapest and most dangerous first:
// size, then audio (which must never be parsed into anything), then UTF-8,
// then the provider's shape. Every refusal is an *Error naming at most a
// field, never a value.
//
// Events that say nothing about a call's metadata (Sipgate dtmf, Aircall
// call.tagged/commented/voicemail_left, Sipgate history SMS/fax/voicemail
// entries, unfinished transcription jobs) are refused with
// unsupported_event: the pipeline may count and skip them.
func (p *Parser) Parse(rec Record) (Parsed, error) {
	parsed, err := p.parse(rec)
	if tr := parsed.Transcript; tr != nil && tr.CallProvider == "" {
		tr.CallProvider = p.callProvider
	}
	return parsed, err
}

func (p *Parser) parse(rec Record) (Parsed, error) {
	hdr := rec.Provider
	if hdr != "" && providerNamed(hdr) == nil {
		return Parsed{}, NewError(ReasonUnknownProvider, "", "provider", "provider header names no supported provider")
	}
	v := rec.Value
	if len(v) > p.maxPayloadBytes {
		return Parsed{}, NewError(ReasonTooLarge, hdr, "", "payload exceeds the configured maximum")
	}
	if hasAudioMagic(v) {
		return Parsed{}, NewError(ReasonAudioPayload, hdr, "", "payload is raw audio")
	}
	if !utf8.Valid(v) {
		return Parsed{}, NewError(ReasonInvalidUTF8, hdr, "", "payload is not valid UTF-8")
	}
	if containsBase64Audio(v) {
		return Parsed{}, NewError(ReasonAudioPayload, hdr, "", "payload embeds base64 audio")
	}
	body := bytes.TrimSpace(v)
	if len(body) == 0 {
		return Parsed{}, NewError(ReasonMissingField, hdr, "value", "payload is empty")
	}
	if body[0] == '{' || body[0] == '[' {
		return p.parseJSONRecord(rec, body)
	}
	return p.parseFormRecord(rec, body)
}

// jsonShapeProbe records which distinguishing top-level keys a JSON payload
// has, for the encoding/json path. Only presence matters; values stay
// undecoded, but for "results", whose keys detection reads.
type jsonShapeProbe struct {
	Resource   json.RawMessage `json:"resource"`
	Event      json.RawMessage `json:"event"`
	Data       json.RawMessage `json:"data"`
	Results    json.RawMessage `json:"results"`
	Metadata   json.RawMessage `json:"metadata"`
	JobName    json.RawMessage `json:"jobName"`
	ID         json.RawMessage `json:"id"`
	Text       json.RawMessage `json:"text"`
	Words      json.RawMessage `json:"words"`
	Utterances json.RawMessage `json:"utterances"`
	AudioURL   json.RawMessage `json:"audio_url"`
	Acoustic   json.RawMessage `json:"acoustic_model"`
	Source     json.RawMessage `json:"source"`
	Target     json.RawMessage `json:"target"`
	Created    json.RawMessage `json:"created"`
	CallID     json.RawMessage `json:"callId"`
	XCID       json.RawMessage `json:"xcid"`
	UserList   json.RawMessage `json:"user[]"`
	CallSid    json.RawMessage `json:"CallSid"`
	Sid        json.RawMessage `json:"sid"`
	AccountSid json.RawMessage `json:"account_sid"`
	APIVersion json.RawMessage `json:"api_version"`
}

// shape is the probe as the jsonShape that probeJSONShape reads on the
// fast path.
func (pr *jsonShapeProbe) shape() jsonShape {
	fields := [...]struct {
		raw json.RawMessage
		bit jsonShape
	}{
		{pr.Resource, shapeResource}, {pr.Event, shapeEvent}, {pr.Data, shapeData},
		{pr.Results, shapeResults}, {pr.Metadata, shapeMetadata}, {pr.JobName, shapeJobName},
		{pr.ID, shapeID}, {pr.Text, shapeText}, {pr.Words, shapeWords},
		{pr.Utterances, shapeUtterances}, {pr.AudioURL, shapeAudioURL},
		{pr.Acoustic, shapeAcoustic}, {pr.Source, shapeSource}, {pr.Target, shapeTarget},
		{pr.Created, shapeCreated}, {pr.CallID, shapeCallID}, {pr.XCID, shapeXCID},
		{pr.UserList, shapeUserList}, {pr.CallSid, shapeCallSid}, {pr.Sid, shapeSid},
		{pr.AccountSid, shapeAccountSid}, {pr.APIVersion, shapeAPIVersion},
	}
	var s jsonShape
	for _, f := range fields {
		if len(f.raw) > 0 {
			s |= f.bit
		}
	}
	return s | resultsShape(pr.Results)
}

type resultsShapeProbe struct {
	Channels    json.RawMessage `json:"channels"`
	Transcripts json.RawMessage `json:"transcripts"`
	Items       json.RawMessage `json:"items"`
}

// resultsShape reads the keys of a "results" object; anything but an
// object (null included) has none, as on the fast path.
func resultsShape(raw json.RawMessage) jsonShape {
	var rp resultsShapeProbe
	if len(raw) == 0 || raw[0] != '{' || json.Unmarshal(raw, &rp) != nil {
		return 0
	}
	s := shapeResultsObject
	if len(rp.Channels) > 0 {
		s |= shapeResultsChannels
	}
	if len(rp.Transcripts) > 0 {
		s |= shapeResultsTranscripts
	}
	if len(rp.Items) > 0 {
		s |= shapeResultsItems
	}
	return s
}

func (p *Parser) parseJSONRecord(rec Record, body []byte) (Parsed, error) {
	if body[0] != '{' {
		return Parsed{}, NewError(ReasonUnknownProvider, rec.Provider, "", "a JSON array is no single provider payload")
	}
	if p.encodingJSONOnly {
		return p.parseJSONSlow(rec, body)
	}
	// A provider named by the header whose parser decodes the body itself
	// needs no tree and no shape probe: the probe could only fail where the
	// decoder fails the same way (a syntax error, malformed_json).
	if e := providerNamed(rec.Provider); e != nil && e.bodyOnly {
		parsed, err, _ := e.parseJSON(rec, jsonPayload{body: body})
		return parsed, err
	}
	if parsed, err, ok := p.parseJSONFast(rec, body); ok {
		return parsed, err
	}
	return p.parseJSONSlow(rec, body)
}

// parseJSONSlow is the encoding/json path: every payload the fast path
// gives up on, with encoding/json's own rules and typed errors.
func (p *Parser) parseJSONSlow(rec Record, body []byte) (Parsed, error) {
	var probe jsonShapeProbe
	if err := json.Unmarshal(body, &probe); err != nil {
		return Parsed{}, jsonDecodeError(rec.Provider, err)
	}
	doc := jsonPayload{body: body, shape: probe.shape()}
	e := providerNamed(rec.Provider)
	if e == nil {
		e = detectJSON(doc.shape)
	}
	if e == nil {
		return Parsed{}, errUnknownShape()
	}
	parsed, err, _ := e.parseJSON(rec, doc)
	return parsed, err
}

func (p *Parser) parseFormRecord(rec Record, body []byte) (Parsed, error) {
	prov := rec.Provider
	e := providerNamed(prov)
	if e != nil && e.parseForm == nil {
		// Aircall and the transcription providers only send JSON.
		return Parsed{}, NewError(ReasonMalformedJSON, prov, "", "expected a JSON object")
	}
	vals, err := decodeForm(prov, body)
	if err != nil {
		return Parsed{}, err
	}
	for _, vs := range vals {
		for _, v := range vs {
			if containsBase64Audio(v) {
				return Parsed{}, NewError(ReasonAudioPayload, prov, "", "payload embeds base64 audio")
			}
		}
	}
	if e == nil {
		if e = detectForm(vals); e == nil {
			return Parsed{}, errUnknownShape()
		}
	}
	return eventResult(e.parseForm(rec, vals))
}

func eventResult(ev *CallEvent, err error) (Parsed, error) {
	if err != nil {
		return Parsed{}, err
	}
	return Parsed{Event: ev}, nil
}

func transcriptResult(tr *Transcript, err error) (Parsed, error) {
	if err != nil {
		return Parsed{}, err
	}
	return Parsed{Transcript: tr}, nil
}

// ---- audio detection ----

// hasAudioMagic reports whether b starts like an audio container or
// stream. Checked on the raw value before anything else, and on the head of
// every long base64 run.
func hasAudioMagic(b []byte) bool {
	if len(b) < 4 {
		return false
	}
	switch {
	case (string(b[:4]) == "RIFF" || string(b[:4]) == "RF64") && len(b) >= 12 && string(b[8:12]) == "WAVE",
		string(b[:4]) == "OggS",
		string(b[:4]) == "fLaC",
		string(b[:4]) == "caff",
		string(b[:4]) == "\x1a\x45\xdf\xa3", // EBML: WebM / Matroska
		string(b[:3]) == "ID3" && b[3] >= 2 && b[3] <= 4,
		len(b) >= 5 && string(b[:5]) == "#!AMR",
		len(b) >= 12 && string(b[:4]) == "FORM" && (string(b[8:12]) == "AIFF" || string(b[8:12]) == "AIFC"),
		len(b) >= 8 && string(b[4:8]) == "ftyp": // MP4 / M4A / 3GP
		return true
	}
	return isMPEGAudioFrame(b)
}

// isMPEGAudioFrame checks an MPEG audio (MP3) or ADTS (AAC) frame header,
// rejecting reserved field values so that random bytes rarely match.
func isMPEGAudioFrame(b []byte) bool {
	if len(b) < 3 || b[0] != 0xFF || b[1]&0xE0 != 0xE0 {
		return false
	}
	if b[1]&0x06 == 0 {
		// Layer bits 00: ADTS when the sync word is 12 bits long.
		return b[1]&0xF0 == 0xF0 && (b[2]>>2)&0x0F < 13
	}
	version := (b[1] >> 3) & 0x03
	bitrate := b[2] >> 4
	rate := (b[2] >> 2) & 0x03
	return version != 1 && bitrate != 0x0F && rate != 3
}

// audioBase64MinRun is the shortest base64 run inspected: shorter runs
// cannot hold a meaningful amount of audio, and ids, hashes and tokens stay
// below it.
const audioBase64MinRun = 128

// containsBase64Audio reports whether b holds a run of at least
// audioBase64MinRun base64 characters (standard or URL alphabet, tolerating
// JSON's "\/" escape) whose first 16 characters decode to an audio header.
//
// It runs on every record, so it does not look at every byte: a run that
// long starting anywhere in b[i:i+audioBase64MinRun] must cover byte
// i+audioBase64MinRun-1, so when that byte cannot be part of a run the
// whole window is skipped. Otherwise the run around it is found and
// checked. Each byte is looked at no more than about twice; no allocation.
func containsBase64Audio[T ~string | ~[]byte](b T) bool {
	n := len(b)
	inRun := func(k int) bool {
		c := b[k]
		return base64Values[c] >= 0 || c == '\\' && k+1 < n && b[k+1] == '/'
	}
	for i := 0; i+audioBase64MinRun <= n; {
		probe := i + audioBase64MinRun - 1
		if !inRun(probe) {
			i = probe + 1
			continue
		}
		// The run holding the probe starts after i: byte i-1 ended the
		// previous window or run, so it is not part of one.
		start := probe
		for start > i && inRun(start-1) {
			start--
		}
		if b[start] == '\\' {
			// A run begins with a base64 character; the escape's '/' is one.
			start++
		}
		end, audio := base64RunIsAudio(b, start)
		if audio {
			return true
		}
		i = end + 1
	}
	return false
}

// base64RunIsAudio reads the run of base64 characters from b[start] (a
// base64 character) and reports where it ends and whether it is long
// enough and its head decodes to an audio header.
func base64RunIsAudio[T ~string | ~[]byte](b T, start int) (end int, audio bool) {
	var head [16]byte
	n, run := 0, 0
	j := start
	for j < len(b) {
		c := b[j]
		if c == '\\' && j+1 < len(b) && b[j+1] == '/' {
			j++
			continue
		}
		if base64Values[c] < 0 {
			break
		}
		if n < len(head) {
			head[n] = c
			n++
		}
		run++
		j++
	}
	if run < audioBase64MinRun || n < len(head) {
		return j, false
	}
	var dec [12]byte
	for k := 0; k < 4; k++ {
		v := uint32(base64Values[head[4*k]])<<18 | uint32(base64Values[head[4*k+1]])<<12 |
			uint32(base64Values[head[4*k+2]])<<6 | uint32(base64Values[head[4*k+3]])
		dec[3*k], dec[3*k+1], dec[3*k+2] = byte(v>>16), byte(v>>8), byte(v)
	}
	return j, hasAudioMagic(dec[:])
}

// base64Values maps a byte to its 6-bit value in the standard or URL-safe
// alphabet, -1 for other bytes. Read-only.
var base64Values = func() (t [256]int8) {
	for c := range t {
		t[c] = int8(base64Value(byte(c)))
	}
	return t
}()

func base64Value(c byte) int {
	switch {
	case c >= 'A' && c <= 'Z':
		return int(c - 'A')
	case c >= 'a' && c <= 'z':
		return int(c-'a') + 26
	case c >= '0' && c <= '9':
		return int(c-'0') + 52
	case c == '+' || c == '-':
		return 62
	case c == '/' || c == '_':
		return 63
	}
	return -1
}

// ---- record key ----

// maxCallIDLen bounds call ids from keys and payloads; provider ids are
// far shorter, and a bound keeps the join's map keys small.
const maxCallIDLen = 256

// splitRecordKey reads a Kafka key "<provider>:<call id>" or "<call id>".
// The prefix is only taken when it names a telephony provider, so call ids
// that contain ':' survive.
func splitRecordKey(p Provider, key []byte) (Provider, string, error) {
	if len(key) == 0 {
		return "", "", nil
	}
	if len(key) > maxCallIDLen+16 || !utf8.Valid(key) {
		return "", "", NewError(ReasonInvalidField, p, "key", "record key is not a plausible call id")
	}
	k := string(key)
	var prefix Provider
	if i := strings.IndexByte(k, ':'); i > 0 && Provider(k[:i]).IsTelephony() {
		prefix, k = Provider(k[:i]), k[i+1:]
	}
	if err := checkCallID(p, "key", k); err != nil {
		return "", "", err
	}
	return prefix, k, nil
}

// checkCallID refuses ids that are too long or carry control characters.
func checkCallID(p Provider, field, id string) error {
	if len(id) > maxCallIDLen {
		return NewError(ReasonInvalidField, p, field, "call id too long")
	}
	for _, r := range id {
		if r < 0x20 || r == 0x7f || r == utf8.RuneError {
			return NewError(ReasonInvalidField, p, field, "call id has control characters")
		}
	}
	return nil
}

// eventCallID picks a call event's id: the Kafka key carries the provider
// call id; the payload's own id is the fallback when the key is empty.
func eventCallID(rec Record, p Provider, field, payloadID string) (string, error) {
	_, id, err := splitRecordKey(p, rec.Key)
	if err != nil {
		return "", err
	}
	if id == "" {
		id = strings.TrimSpace(payloadID)
		if err := checkCallID(p, field, id); err != nil {
			return "", err
		}
	}
	if id == "" {
		return "", NewError(ReasonMissingField, p, field, "no call id in key or payload")
	}
	return id, nil
}

// transcriptCallRef finds which call a transcript belongs to. Only the key
// counts: AWS jobName, AssemblyAI id and Deepgram request_id name the
// transcription job, not the call.
func transcriptCallRef(rec Record, p Provider) (Provider, string, error) {
	prefix, id, err := splitRecordKey(p, rec.Key)
	if err != nil {
		return "", "", err
	}
	if id == "" {
		return "", "", NewError(ReasonMissingField, p, "key", "transcript record has no call id key")
	}
	callProv := rec.CallProvider
	switch {
	case callProv == "":
		callProv = prefix
	case !callProv.IsTelephony():
		return "", "", NewError(ReasonUnknownCallProvider, p, "call-provider", "call-provider header names no telephony provider")
	}
	return callProv, id, nil
}

// ---- JSON helpers ----

// jsonDecodeError maps a decoding error to a reason. Field paths from
// encoding/json are built from this package's struct tags, never from
// payload keys, but are still filtered to a plain name alphabet.
func jsonDecodeError(p Provider, err error) *Error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return NewError(ReasonInvalidField, p, safeFieldName(te.Field), "unexpected JSON type")
	}
	var se *Error
	if errors.As(err, &se) {
		return se
	}
	return NewError(ReasonMalformedJSON, p, "", "payload is not a valid JSON object")
}

// decodeProviderJSON decodes a provider payload into v. A value of the
// wrong JSON type in a field that neither identifies the call nor says
// what the event is (strict: paths as encoding/json names them) costs
// only that field: encoding/json skips it, decodes everything else and
// reports the first such value, whose field is returned as degraded
// (left out, counted, never the value). In a strict field (a whole
// "results" given as text, say, but not one word inside it), or where the
// payload is no object at all, it is the typed error jsonDecodeError
// makes. Later values of the wrong type are skipped too; only the first
// is named, so a record counts once.
func decodeProviderJSON(p Provider, body []byte, v any, strict ...string) (degraded string, err error) {
	if err := json.Unmarshal(body, v); err != nil {
		var te *json.UnmarshalTypeError
		if !errors.As(err, &te) || te.Field == "" || slices.Contains(strict, te.Field) {
			return "", jsonDecodeError(p, err)
		}
		degraded = safeFieldName(te.Field)
	}
	rv := reflect.ValueOf(v).Elem()
	plan, ok := stringPlans[rv.Type()]
	if !ok {
		plan = planStrings(rv.Type(), "")
	}
	for _, f := range badStringFields(rv, plan, nil) {
		if slices.Contains(strict, f) {
			return "", NewError(ReasonInvalidField, p, f, "unexpected JSON type")
		}
		if degraded == "" {
			degraded = f
		}
	}
	return degraded, nil
}

var (
	payloadStringType = reflect.TypeFor[payloadString]()
	// payloadStringBad is the index of payloadString.Bad.
	payloadStringBad = func() int { f, _ := payloadStringType.FieldByName("Bad"); return f.Index[0] }()
)

// stringPlan lists the fields of one struct type that are, or hold,
// payloadStrings, each with its path from the payload's root. Plans are
// made once for the decoded types (stringPlans), so checking a decoded
// payload for Bad strings parses no struct tags and builds no strings:
// transcripts take this path on every record.
type stringPlan []plannedField

type plannedField struct {
	index int
	path  string
	// kind: the field is a payloadString (str), a struct (sub), a
	// pointer to one (ptr) or a slice of either (slice).
	str, ptr, slice bool
	sub             stringPlan
}

// stringPlans holds the plans of every type decodeProviderJSON decodes.
// It is filled before main and only read after.
var stringPlans = func() map[reflect.Type]stringPlan {
	m := map[reflect.Type]stringPlan{}
	for _, t := range []reflect.Type{
		reflect.TypeFor[twilioCallResource](), reflect.TypeFor[aircallWebhook](), reflect.TypeFor[aircallCall](),
		reflect.TypeFor[sipgateHistoryEntry](), reflect.TypeFor[assemblyAITranscript](),
		reflect.TypeFor[awsTranscribeOutput](), reflect.TypeFor[deepgramResponse](),
	} {
		m[t] = planStrings(t, "")
	}
	return m
}()

// planStrings makes the plan of struct type t whose fields' paths start
// with prefix; nil when t holds no payloadString.
func planStrings(t reflect.Type, prefix string) stringPlan {
	var plan stringPlan
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
		if name == "" || name == "-" || !sf.IsExported() {
			continue
		}
		if prefix != "" {
			name = prefix + "." + name
		}
		f := plannedField{index: i, path: name}
		ft := sf.Type
		if ft.Kind() == reflect.Slice {
			f.slice, ft = true, ft.Elem()
		}
		if ft.Kind() == reflect.Pointer {
			f.ptr, ft = true, ft.Elem()
		}
		switch {
		case ft == payloadStringType:
			f.str = true
		case ft.Kind() == reflect.Struct:
			if f.sub = planStrings(ft, name); f.sub == nil {
				continue
			}
		default:
			continue
		}
		plan = append(plan, f)
	}
	return plan
}

// badStringFields appends to out the paths (JSON names joined by dots,
// without slice indexes, as encoding/json names fields) of the Bad
// payloadStrings in the struct v, each once.
func badStringFields(v reflect.Value, plan stringPlan, out []string) []string {
	for _, f := range plan {
		fv := v.Field(f.index)
		if !f.slice {
			out = f.check(fv, out)
			continue
		}
		for i := 0; i < fv.Len(); i++ {
			out = f.check(fv.Index(i), out)
		}
	}
	return out
}

// check looks at one value of the field (one element, for a slice).
func (f *plannedField) check(v reflect.Value, out []string) []string {
	if f.ptr {
		if v.IsNil() {
			return out
		}
		v = v.Elem()
	}
	if !f.str {
		return badStringFields(v, f.sub, out)
	}
	// Bad is read in place: v.Interface() would copy the value to the heap.
	if v.Field(payloadStringBad).Bool() && !slices.Contains(out, f.path) {
		out = append(out, f.path)
	}
	return out
}

func safeFieldName(f string) string {
	if len(f) > 80 {
		f = f[:80]
	}
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '.' || r == '[' || r == ']' {
			return r
		}
		return -1
	}, f)
}

// payloadString accepts a JSON string, number or bool as text, null as
// absent; providers are inconsistent about quoting ids and durations. An
// object or array is Bad, not an error (an error from an Unmarshaler stops
// encoding/json's whole decode): decodeProviderJSON refuses the record
// only when the field identifies the call or its event.
type payloadString struct {
	S   string
	Set bool
	Bad bool
}

func (s *payloadString) UnmarshalJSON(b []byte) error {
	switch {
	case string(b) == "null":
		*s = payloadString{}
	case len(b) > 0 && b[0] == '"':
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*s = payloadString{S: v, Set: true}
	case len(b) > 0 && (b[0] == '{' || b[0] == '['):
		*s = payloadString{Bad: true}
	default:
		*s = payloadString{S: string(b), Set: true}
	}
	return nil
}

// payloadNumber accepts a JSON number or a numeric string; null is absent.
// Anything else (a string that is no number, a bool, an object) is Bad,
// not an error: no field read as a number identifies a call, so the
// reader decides (a time is read leniently from Raw, an offset counts as
// degraded).
type payloadNumber struct {
	F   float64
	Set bool
	// Bad: present but not a number; Raw holds a string value then.
	Bad bool
	Raw string
}

func (n *payloadNumber) UnmarshalJSON(b []byte) error {
	var s string
	switch {
	case string(b) == "null":
		*n = payloadNumber{}
		return nil
	case len(b) > 0 && b[0] == '"':
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		s = strings.TrimSpace(s)
		if s == "" {
			*n = payloadNumber{}
			return nil
		}
	case len(b) > 0 && (b[0] == '-' || b[0] >= '0' && b[0] <= '9'):
		s = string(b)
	default:
		*n = payloadNumber{Bad: true}
		return nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		*n = payloadNumber{Bad: true, Raw: s}
		return nil
	}
	*n = payloadNumber{F: f, Set: true}
	return nil
}

// seconds reads a non-negative number of seconds, scaled by unit. One out
// of range, or not a number, reads as 0 and field is noted in deg: an
// offset or a duration never costs a call or a transcript.
func (n payloadNumber) seconds(deg *[]string, field string, unit float64) float64 {
	if n.Bad {
		noteDegraded(deg, field)
		return 0
	}
	if !n.Set {
		return 0
	}
	v := n.F * unit
	if v < 0 || v > 1e7 {
		noteDegraded(deg, field)
		return 0
	}
	return v
}

// parseDurationSeconds reads a whole or fractional count of seconds given as
// text (Twilio sends "4").
func parseDurationSeconds(p Provider, field, s string) (time.Duration, bool, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || f < 0 || f > 1e7 {
		return 0, false, NewError(ReasonInvalidField, p, field, "expected a non-negative number of seconds")
	}
	return time.Duration(f * float64(time.Second)), true, nil
}

// ---- transcript helpers ----

// sttWord is one timed token from a speech-to-text result.
type sttWord struct {
	Speaker    string
	Start, End float64
	Text       string
}

// groupWordsBySpeaker joins consecutive words of the same speaker into one
// segment. Words must be in spoken order.
func groupWordsBySpeaker(words []sttWord) []Segment {
	var segs []Segment
	var text strings.Builder
	flush := func() {
		if len(segs) > 0 {
			segs[len(segs)-1].Text = text.String()
		}
		text.Reset()
	}
	for _, w := range words {
		if w.Text == "" {
			continue
		}
		if len(segs) == 0 || segs[len(segs)-1].Speaker != w.Speaker {
			flush()
			segs = append(segs, Segment{Speaker: w.Speaker, Start: w.Start, End: w.End})
		} else if text.Len() > 0 {
			text.WriteByte(' ')
		}
		text.WriteString(w.Text)
		last := &segs[len(segs)-1]
		last.End = max(last.End, w.End)
	}
	flush()
	return segs
}

// sortWordsByStart orders words from several channels into spoken order;
// stable so words of one channel keep their order on equal times.
func sortWordsByStart(words []sttWord) {
	slices.SortStableFunc(words, func(a, b sttWord) int {
		switch {
		case a.Start < b.Start:
			return -1
		case a.Start > b.Start:
			return 1
		}
		return 0
	})
}

// wordsHaveSpeakers reports whether any word carries a speaker label.
func wordsHaveSpeakers(words []sttWord) bool {
	for _, w := range words {
		if w.Speaker != "" {
			return true
		}
	}
	return false
}

// wholeTranscriptSegment is the fallback without speaker labels: one
// segment with the provider's full text.
func wholeTranscriptSegment(text string, words []sttWord, end float64) []Segment {
	text = strings.TrimSpace(text)
	if text == "" {
		return nil
	}
	seg := Segment{Text: text, End: end}
	if len(words) > 0 {
		seg.Start = words[0].Start
		seg.End = max(seg.End, words[len(words)-1].End)
	}
	return []Segment{seg}
}

// normalizeLanguageCode turns provider codes ("en_us", "en-US") into BCP 47
// form ("en-US").
func normalizeLanguageCode(code string) string {
	code = strings.TrimSpace(strings.ReplaceAll(code, "_", "-"))
	if len(code) > 35 {
		return ""
	}
	parts := strings.Split(code, "-")
	for i, part := range parts {
		for _, r := range part {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
				return ""
			}
		}
		if i == 0 {
			parts[i] = strings.ToLower(part)
		} else if len(part) == 2 {
			parts[i] = strings.ToUpper(part)
		}
	}
	return strings.Join(parts, "-")
}

// addHintNumber and addHintName collect metadata values for the redactor.
func addHintNumber(h *Hints, v string) {
	v = strings.TrimSpace(v)
	if v == "" || strings.EqualFold(v, "anonymous") {
		return
	}
	if i := strings.IndexByte(v, ':'); i >= 0 {
		// "client:alice" names a person; "sip:bob@host" too.
		ident := v[i+1:]
		if j := strings.IndexByte(ident, '@'); j >= 0 {
			ident = ident[:j]
		}
		if ident != "" && (ident[0] == '+' || ident[0] >= '0' && ident[0] <= '9') {
			h.Numbers = appendUniqueStrings(h.Numbers, []string{ident})
		} else {
			addHintName(h, ident)
		}
		return
	}
	h.Numbers = appendUniqueStrings(h.Numbers, []string{v})
}

func addHintName(h *Hints, v string) {
	v = strings.TrimSpace(v)
	if v == "" {
		return
	}
	h.Names = appendUniqueStrings(h.Names, []string{v})
}
