package callgen

import (
	"encoding/base64"
	"encoding/binary"
	"strconv"
	"strings"
	"time"

	"github.com/callveil/callveil/stages"
)

// LargePoisonSize is the size of the optional too-large poison record.
const LargePoisonSize = 10 << 20

// poisonKind is one way a record can be bad, with the reason callveil must
// dead-letter it for.
type poisonKind struct {
	name   string
	reason stages.Reason
	topic  Kind
	build  func(g *Generator) (key string, headers map[string]string, value []byte)
}

// poisonKinds lists the bad records, in the order Poison cycles through
// them. Each is bad in exactly one way, so its reason is unambiguous.
func poisonKinds(large bool) []poisonKind {
	kinds := []poisonKind{
		{"malformed-json", stages.ReasonMalformedJSON, KindEvents, func(g *Generator) (string, map[string]string, []byte) {
			// An Aircall webhook cut off mid-object (a truncated write).
			id := strconv.Itoa(780000000 + g.r.IntN(999999))
			v := `{"resource":"call","event":"call.ended","timestamp":1741000000,"token":"` + g.hex(32) +
				`","data":{"id":` + id + `,"direction":"inbound","status":"done","started_at":1741000000,"raw_digits":"+49 30 `
			return id, map[string]string{HeaderProvider: "aircall"}, []byte(v)
		}},
		{"malformed-form", stages.ReasonMalformedForm, KindEvents, func(g *Generator) (string, map[string]string, []byte) {
			id := strings.ToUpper(g.hex(16))
			v := "event=newCall&from=%zz4915112345&to=49301234567&direction=in&callId=" + id + "&user%5B%5D=%E0%A4%A"
			return id, map[string]string{HeaderProvider: "sipgate"}, []byte(v)
		}},
		{"invalid-utf8", stages.ReasonInvalidUTF8, KindTranscripts, func(g *Generator) (string, map[string]string, []byte) {
			key := "CA" + g.hex(32)
			v := `{"metadata":{"request_id":"` + g.uuid() + `","duration":3.2,"channels":1},"results":{"channels":[{"alternatives":[{"transcript":"Hallo ` + "\xff\xfe\xfd" + ` Welt","confidence":0.9,"words":[]}]}]}}`
			return key, map[string]string{HeaderProvider: "deepgram", HeaderCallProvider: "twilio"}, []byte(v)
		}},
		{"unknown-shape", stages.ReasonUnknownProvider, KindEvents, func(g *Generator) (string, map[string]string, []byte) {
			// A JSON webhook of a telephony system callveil does not read,
			// without a provider header.
			key := g.uuid()
			v := `{"event_type":"call.hangup","payload":{"call_control_id":"` + key + `","from":"+4915112345678","to":"+493012345678","hangup_cause":"normal_clearing"}}`
			return key, map[string]string{}, []byte(v)
		}},
		{"unknown-provider-header", stages.ReasonUnknownProvider, KindEvents, func(g *Generator) (string, map[string]string, []byte) {
			key := g.uuid()
			v := `{"type":"event","event":{"type":"call.finished","call":{"id":"` + key + `","duration":42}}}`
			return key, map[string]string{HeaderProvider: "vonage"}, []byte(v)
		}},
		{"audio-base64", stages.ReasonAudioPayload, KindTranscripts, func(g *Generator) (string, map[string]string, []byte) {
			key := "CA" + g.hex(32)
			v := `{"call_sid":"` + key + `","content_type":"audio/wav","audio":"` + base64.StdEncoding.EncodeToString(wavBytes(g, 1200)) + `"}`
			return key, map[string]string{HeaderProvider: "deepgram", HeaderCallProvider: "twilio"}, []byte(v)
		}},
		{"audio-ogg", stages.ReasonAudioPayload, KindTranscripts, func(g *Generator) (string, map[string]string, []byte) {
			key := strings.ToUpper(g.hex(16))
			return key, map[string]string{HeaderProvider: "assemblyai", HeaderCallProvider: "sipgate"}, oggBytes(g, 1500)
		}},
		{"deep-nesting", stages.ReasonMalformedJSON, KindTranscripts, func(g *Generator) (string, map[string]string, []byte) {
			// Deeper than any JSON decoder allows (encoding/json stops at
			// 10000): must be refused, not recursed into.
			const depth = 20000
			key := "CA" + g.hex(32)
			v := `{"jobName":"x","results":{"items":` + strings.Repeat("[", depth) + strings.Repeat("]", depth) + `}}`
			return key, map[string]string{HeaderProvider: "aws-transcribe", HeaderCallProvider: "twilio"}, []byte(v)
		}},
		{"wrong-type", stages.ReasonInvalidField, KindEvents, func(g *Generator) (string, map[string]string, []byte) {
			// The call's own id as an object: the call cannot be read. (A
			// time or duration of the wrong type no longer refuses a call:
			// it is replaced and counted as degraded.)
			id := strconv.Itoa(780000000 + g.r.IntN(999999))
			v := `{"resource":"call","event":"call.ended","timestamp":1741000000,"token":"` + g.hex(32) +
				`","data":{"id":{"value":` + id + `},"direction":"inbound","status":"done","started_at":1741000000,"answered_at":null,"ended_at":1741000060,"duration":60,"raw_digits":"+49 151 23456789","number":{"digits":"+49 30 1234567"}}}`
			return id, map[string]string{HeaderProvider: "aircall"}, []byte(v)
		}},
		{"missing-field", stages.ReasonMissingField, KindEvents, func(g *Generator) (string, map[string]string, []byte) {
			// A Twilio status callback without CallSid, produced without a
			// Kafka key: no call id anywhere, nothing to join on.
			key := ""
			var f formBody
			f.add("Direction", "inbound")
			f.add("Timestamp", twilioTimestamp(time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC)))
			f.add("CallStatus", "completed")
			f.add("CallDuration", "42")
			f.add("From", "+4915112345678")
			f.add("To", "+493012345678")
			f.add("AccountSid", "AC"+g.hex(32))
			return key, map[string]string{HeaderProvider: "twilio"}, f.bytes()
		}},
		{"unknown-call-provider", stages.ReasonUnknownCallProvider, KindTranscripts, func(g *Generator) (string, map[string]string, []byte) {
			key := g.uuid()
			v := `{"jobName":"call-` + g.hex(8) + `","accountId":"123456789012","results":{"transcripts":[{"transcript":"Hello."}],"items":[{"start_time":"0.5","end_time":"0.9","alternatives":[{"confidence":"0.99","content":"Hello"}],"type":"pronunciation"},{"alternatives":[{"confidence":"0.0","content":"."}],"type":"punctuation"}]},"status":"COMPLETED"}`
			return key, map[string]string{HeaderProvider: "aws-transcribe", HeaderCallProvider: "vonage"}, []byte(v)
		}},
	}
	if large {
		kinds = append(kinds, poisonKind{"too-large", stages.ReasonTooLarge, KindTranscripts, func(g *Generator) (string, map[string]string, []byte) {
			// A well-formed AssemblyAI transcript, just 10 MB of it.
			key := "CA" + g.hex(32)
			head := `{"id":"` + g.uuid() + `","status":"completed","language_code":"en_us","text":"`
			tail := `","words":[],"utterances":null,"audio_duration":36000}`
			filler := strings.Repeat("la ", (LargePoisonSize-len(head)-len(tail))/3+1)
			return key, map[string]string{HeaderProvider: "assemblyai", HeaderCallProvider: "twilio"}, []byte(head + filler + tail)
		}})
	}
	return kinds
}

func (g *Generator) addPoison(at time.Time) {
	k := g.poisonKind[g.poisonMade%len(g.poisonKind)]
	g.poisonMade++
	key, headers, value := k.build(g)
	pt := &PoisonTruth{Name: k.name, Reason: k.reason, Topic: k.topic}
	g.push(Message{Topic: k.topic, Key: []byte(key), Headers: headers, Value: value, Time: at, Shape: "poison/" + k.name, Poison: pt})
}

// wavBytes is a RIFF/WAVE header (PCM, 8 kHz, mono, 16 bit) and n bytes of
// noise: what a recording looks like when it is pushed where a transcript
// belongs.
func wavBytes(g *Generator, n int) []byte {
	b := make([]byte, 44+n)
	copy(b[0:], "RIFF")
	binary.LittleEndian.PutUint32(b[4:], uint32(36+n))
	copy(b[8:], "WAVEfmt ")
	binary.LittleEndian.PutUint32(b[16:], 16)
	binary.LittleEndian.PutUint16(b[20:], 1)    // PCM
	binary.LittleEndian.PutUint16(b[22:], 1)    // mono
	binary.LittleEndian.PutUint32(b[24:], 8000) // sample rate
	binary.LittleEndian.PutUint32(b[28:], 16000)
	binary.LittleEndian.PutUint16(b[32:], 2)
	binary.LittleEndian.PutUint16(b[34:], 16)
	copy(b[36:], "data")
	binary.LittleEndian.PutUint32(b[40:], uint32(n))
	for i := 44; i < len(b); i++ {
		b[i] = byte(g.r.IntN(256))
	}
	return b
}

// oggBytes is an Ogg page header ("OggS", version 0, beginning of stream)
// followed by an Opus head and n bytes of noise.
func oggBytes(g *Generator, n int) []byte {
	b := []byte("OggS\x00\x02")
	b = append(b, make([]byte, 8)...) // granule position
	b = binary.LittleEndian.AppendUint32(b, uint32(g.r.Uint32()))
	b = binary.LittleEndian.AppendUint32(b, 0) // page sequence
	b = binary.LittleEndian.AppendUint32(b, uint32(g.r.Uint32()))
	b = append(b, 1, 19)
	b = append(b, "OpusHead\x01\x01\x38\x01\x80\x3e\x00\x00\x00\x00\x00"...)
	for range n {
		b = append(b, byte(g.r.IntN(256)))
	}
	return b
}
