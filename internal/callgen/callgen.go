// Package callgen generates realistic call traffic for callveil: provider
// payloads exactly as Sipgate, Twilio and Aircall send call events and as
// AWS Transcribe, Deepgram and AssemblyAI deliver transcripts, interleaved
// the way they reach Kafka, together with the ground truth a test needs to
// check what callveil made of them (numbers, times, durations, statuses,
// the personal data put into each transcript, canaries, poison records).
//
// Generation is deterministic: the same Config gives the same bytes. The
// formats follow /work/shared/formats.md and the provider samples under
// /work/shared/samples (Sipgate README and Node SDK test, twilio-python
// fixture, a captured Aircall webhook, the AWS Transcribe developer guide,
// deepgram-go-sdk and assemblyai-go-sdk test data); every value in them is
// synthetic.
//
// Use Generate for small runs (tests, fixtures) and New + Next or All for
// large ones: the Generator keeps only the calls in flight in memory.
package callgen

import (
	"container/heap"
	"errors"
	"fmt"
	"iter"
	"math"
	"math/rand/v2"
	"time"

	"github.com/callveil/callveil/stages"
)

// Kind says which input a message belongs to: call events or transcripts.
// It is the role of the topic, not a Kafka topic name.
type Kind int

const (
	KindEvents Kind = iota + 1
	KindTranscripts
)

func (k Kind) String() string {
	switch k {
	case KindEvents:
		return "events"
	case KindTranscripts:
		return "transcripts"
	}
	return "unknown"
}

// MarshalText writes the kind as "events" or "transcripts".
func (k Kind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// UnmarshalText reads "events" or "transcripts".
func (k *Kind) UnmarshalText(b []byte) error {
	switch string(b) {
	case "events":
		*k = KindEvents
	case "transcripts":
		*k = KindTranscripts
	default:
		return errors.New("callgen: unknown topic kind")
	}
	return nil
}

// Header names set on generated records.
const (
	// HeaderProvider names the provider that produced the payload.
	HeaderProvider = "provider"
	// HeaderCallProvider, on transcripts, names the telephony provider
	// whose call id the key carries.
	HeaderCallProvider = "call-provider"
)

// Message is one Kafka record to produce.
type Message struct {
	Topic Kind
	// Key is the provider call id (for transcripts: the telephony
	// provider's call id the transcript belongs to).
	Key []byte
	// Headers holds "provider" and, on transcripts, "call-provider". Some
	// records deliberately lack "provider" so shape detection is exercised.
	Headers map[string]string
	// Value is the payload, byte for byte as the provider sends it.
	Value []byte
	// Time is when the record reaches Kafka (its record timestamp).
	Time time.Time
	// Seq is the message's position in the traffic, from 0.
	Seq int
	// Shape names the payload format, e.g. "twilio/status-callback" or
	// "poison/malformed-json".
	Shape string
	// Call is the ground truth of the call the message belongs to; nil for
	// poison records. All messages of a call share it.
	Call *CallTruth
	// Poison is set on poison records.
	Poison *PoisonTruth
}

// Config sets what Generate produces. The zero value plus a number of Calls
// is a sensible run: all providers, all languages, 90% transcripts, no
// poison, no canaries.
type Config struct {
	Seed int64
	// Calls is the number of calls to generate.
	Calls int
	// Providers restricts which providers appear (telephony and
	// transcription); empty means all six. Without a transcription
	// provider no transcripts are generated.
	Providers []stages.Provider
	// Languages (ISO 639-1, of en de fr es it nl pt) of the dialogues;
	// empty means all seven.
	Languages []string
	// TranscriptShare is the share of answered calls that get a
	// transcript: 0 means the default 0.9, a negative value means none.
	TranscriptShare float64
	// Poison is the number of poison records to mix in. They cycle
	// through every poison kind, so Poison >= 11 gives one of each.
	Poison int
	// LargePoison adds a 10 MB record to the poison kinds. Off by default:
	// it is big.
	LargePoison bool
	// Canary puts a distinct "CANARY-<field>-<n>" value into every personal
	// or dropped field and lists them in the truth.
	Canary bool
	// Start is the time of the first call; zero means 2025-03-03T08:00:00Z
	// (fixed, so output does not depend on the clock).
	Start time.Time
	// MeanGap is the mean time between call starts; zero means 20s, which
	// gives some ten calls in flight at once.
	MeanGap time.Duration
}

// Errors returned by New for an invalid Config.
var (
	ErrInvalidConfig = errors.New("callgen: invalid config")
)

const defaultTranscriptShare = 0.9

func allProviders() []stages.Provider {
	return []stages.Provider{
		stages.ProviderSipgate, stages.ProviderTwilio, stages.ProviderAircall,
		stages.ProviderAWSTranscribe, stages.ProviderDeepgram, stages.ProviderAssemblyAI,
	}
}

// AllLanguages returns the seven dialogue languages.
func AllLanguages() []string { return []string{"en", "de", "fr", "es", "it", "nl", "pt"} }

// Traffic is a whole generated run.
type Traffic struct {
	Messages []Message
	// Calls in the order they started (CallTruth.Index).
	Calls  []*CallTruth
	Poison []*PoisonTruth
}

// Canaries lists every canary of every call.
func (t *Traffic) Canaries() []Canary {
	var out []Canary
	for _, c := range t.Calls {
		out = append(out, c.Canaries...)
	}
	return out
}

// Generate produces a whole run in memory. For large runs use New and Next.
func Generate(cfg Config) (*Traffic, error) {
	g, err := New(cfg)
	if err != nil {
		return nil, err
	}
	t := &Traffic{}
	for m := range g.All() {
		if m.Call != nil && (len(t.Calls) == 0 || t.Calls[len(t.Calls)-1].Index < m.Call.Index) {
			t.Calls = append(t.Calls, m.Call)
		}
		if m.Poison != nil {
			t.Poison = append(t.Poison, m.Poison)
		}
		t.Messages = append(t.Messages, m)
	}
	return t, nil
}

// Generator streams a run one message at a time, in record-time order. It
// holds only the calls in flight, so 100k+ records cost little memory. A
// Generator is not safe for concurrent use.
type Generator struct {
	cfg          Config
	r            *rand.Rand
	packs        map[string]*langPack
	telephony    []stages.Provider
	transcribers []stages.Provider
	languages    []string
	// Cyclers hand out providers and languages in shuffled rounds, so that
	// even a 40-call fixture covers every one of them.
	telephonyCycle, transcriberCycle cycler[stages.Provider]
	languageCycle                    cycler[string]
	share                            float64
	meanGap                          time.Duration

	pending    pendingHeap
	order      int // tie-break for equal record times: creation order
	seq        int
	callsMade  int
	nextCallAt time.Time
	poisonAt   []time.Time
	poisonMade int
	poisonKind []poisonKind
	canaryN    int
	aircallID  int64
}

// New validates cfg and returns a Generator positioned at the first message.
func New(cfg Config) (*Generator, error) {
	if cfg.Calls < 0 {
		return nil, fmt.Errorf("%w: Calls must not be negative", ErrInvalidConfig)
	}
	if cfg.Poison < 0 {
		return nil, fmt.Errorf("%w: Poison must not be negative", ErrInvalidConfig)
	}
	if cfg.TranscriptShare > 1 || math.IsNaN(cfg.TranscriptShare) {
		return nil, fmt.Errorf("%w: TranscriptShare must be at most 1", ErrInvalidConfig)
	}
	if cfg.MeanGap < 0 {
		return nil, fmt.Errorf("%w: MeanGap must not be negative", ErrInvalidConfig)
	}
	g := &Generator{
		cfg:     cfg,
		r:       rand.New(rand.NewPCG(uint64(cfg.Seed), 0x63616c6c7665696c)), // "callveil"
		packs:   languagePacks(),
		share:   cfg.TranscriptShare,
		meanGap: cfg.MeanGap,
	}
	if g.share == 0 {
		g.share = defaultTranscriptShare
	}
	if g.meanGap == 0 {
		g.meanGap = 20 * time.Second
	}
	providers := cfg.Providers
	if len(providers) == 0 {
		providers = allProviders()
	}
	seen := map[stages.Provider]bool{}
	for _, p := range providers {
		if seen[p] {
			continue
		}
		seen[p] = true
		switch p {
		case stages.ProviderSipgate, stages.ProviderTwilio, stages.ProviderAircall:
			g.telephony = append(g.telephony, p)
		case stages.ProviderAWSTranscribe, stages.ProviderDeepgram, stages.ProviderAssemblyAI:
			g.transcribers = append(g.transcribers, p)
		default:
			return nil, fmt.Errorf("%w: unknown provider %q", ErrInvalidConfig, p)
		}
	}
	if cfg.Calls > 0 && len(g.telephony) == 0 {
		return nil, fmt.Errorf("%w: calls need at least one telephony provider", ErrInvalidConfig)
	}
	g.languages = cfg.Languages
	if len(g.languages) == 0 {
		g.languages = AllLanguages()
	}
	for _, l := range g.languages {
		if g.packs[l] == nil {
			return nil, fmt.Errorf("%w: unsupported language %q", ErrInvalidConfig, l)
		}
	}
	g.telephonyCycle = cycler[stages.Provider]{items: g.telephony}
	g.transcriberCycle = cycler[stages.Provider]{items: g.transcribers}
	g.languageCycle = cycler[string]{items: g.languages}
	start := cfg.Start
	if start.IsZero() {
		start = time.Date(2025, 3, 3, 8, 0, 0, 0, time.UTC)
	}
	g.nextCallAt = start.UTC()
	g.aircallID = 780836000 + int64(g.r.IntN(100000))

	// Poison records are spread over the span the calls will take.
	g.poisonKind = poisonKinds(cfg.LargePoison)
	span := time.Duration(max(cfg.Calls, 1)) * g.meanGap
	for range cfg.Poison {
		// Kafka record timestamps have millisecond precision.
		at := g.nextCallAt.Add(time.Duration(g.r.Int64N(int64(span)))).Truncate(time.Millisecond)
		g.poisonAt = append(g.poisonAt, at)
	}
	sortTimes(g.poisonAt)
	return g, nil
}

// All yields the remaining messages. It consumes the Generator.
func (g *Generator) All() iter.Seq[Message] {
	return func(yield func(Message) bool) {
		for {
			m, ok := g.Next()
			if !ok || !yield(m) {
				return
			}
		}
	}
}

// Next returns the next message in record-time order; false when the run
// is over.
func (g *Generator) Next() (Message, bool) {
	for {
		var at time.Time
		isCall := false
		switch {
		case g.callsMade < g.cfg.Calls && (g.poisonMade >= len(g.poisonAt) || !g.poisonAt[g.poisonMade].Before(g.nextCallAt)):
			at, isCall = g.nextCallAt, true
		case g.poisonMade < len(g.poisonAt):
			at = g.poisonAt[g.poisonMade]
		default:
			at = time.Time{}
		}
		if at.IsZero() || (g.pending.Len() > 0 && !at.Before(g.pending[0].msg.Time)) {
			break
		}
		if isCall {
			g.addCall()
		} else {
			g.addPoison(at)
		}
	}
	if g.pending.Len() == 0 {
		return Message{}, false
	}
	it := heap.Pop(&g.pending).(pendingItem)
	it.msg.Seq = g.seq
	if it.msg.Poison != nil {
		it.msg.Poison.Seq = g.seq
	}
	g.seq++
	return it.msg, true
}

func (g *Generator) push(m Message) {
	heap.Push(&g.pending, pendingItem{msg: m, order: g.order})
	g.order++
}

// pendingHeap orders messages created but not yet returned by record time,
// then by creation order, which keeps a call's events in order even when
// two share a timestamp.
type pendingItem struct {
	msg   Message
	order int
}

type pendingHeap []pendingItem

func (h pendingHeap) Len() int { return len(h) }
func (h pendingHeap) Less(i, j int) bool {
	if !h[i].msg.Time.Equal(h[j].msg.Time) {
		return h[i].msg.Time.Before(h[j].msg.Time)
	}
	return h[i].order < h[j].order
}
func (h pendingHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *pendingHeap) Push(x any)   { *h = append(*h, x.(pendingItem)) }
func (h *pendingHeap) Pop() any {
	old := *h
	it := old[len(old)-1]
	*h = old[:len(old)-1]
	return it
}

func sortTimes(ts []time.Time) {
	// Insertion sort: poison counts are small and this keeps the
	// dependency list short.
	for i := 1; i < len(ts); i++ {
		for j := i; j > 0 && ts[j].Before(ts[j-1]); j-- {
			ts[j], ts[j-1] = ts[j-1], ts[j]
		}
	}
}

// canary returns a fresh canary for field and records it on the call.
func (g *Generator) canary(c *CallTruth, field string) string {
	g.canaryN++
	v := fmt.Sprintf("CANARY-%s-%d", field, g.canaryN)
	c.Canaries = append(c.Canaries, Canary{Value: v, Field: field, Call: c.Index})
	return v
}

func (g *Generator) canaryEmail(c *CallTruth, field string) string {
	g.canaryN++
	v := fmt.Sprintf("canary-%d@canary.example", g.canaryN)
	c.Canaries = append(c.Canaries, Canary{Value: v, Field: field, Call: c.Index})
	return v
}

func (g *Generator) canaryURL(c *CallTruth, field string) string {
	g.canaryN++
	v := fmt.Sprintf("https://canary.example/%d.mp3", g.canaryN)
	c.Canaries = append(c.Canaries, Canary{Value: v, Field: field, Call: c.Index})
	return v
}

// personal returns real, or a canary for field in canary mode.
func (g *Generator) personal(c *CallTruth, field, real string) string {
	if g.cfg.Canary {
		return g.canary(c, field)
	}
	return real
}

func (g *Generator) personalEmail(c *CallTruth, field, real string) string {
	if g.cfg.Canary {
		return g.canaryEmail(c, field)
	}
	return real
}

func (g *Generator) personalURL(c *CallTruth, field, real string) string {
	if g.cfg.Canary {
		return g.canaryURL(c, field)
	}
	return real
}

// hex draws n lowercase hex digits.
func (g *Generator) hex(n int) string {
	const digits = "0123456789abcdef"
	b := make([]byte, n)
	for i := range b {
		b[i] = digits[g.r.IntN(16)]
	}
	return string(b)
}

// uuid draws a random (version 4 layout) UUID.
func (g *Generator) uuid() string {
	h := []byte(g.hex(32))
	h[12] = '4'
	h[16] = "89ab"[g.r.IntN(4)]
	s := string(h)
	return s[:8] + "-" + s[8:12] + "-" + s[12:16] + "-" + s[16:20] + "-" + s[20:]
}

// cycler returns its items in rounds, each round a fresh shuffle.
type cycler[T any] struct {
	items []T
	perm  []int
	pos   int
}

func (c *cycler[T]) next(r *rand.Rand) T {
	if c.pos == len(c.perm) {
		c.perm = r.Perm(len(c.items))
		c.pos = 0
	}
	v := c.items[c.perm[c.pos]]
	c.pos++
	return v
}

// seconds draws a whole number of seconds in [lo, hi].
func (g *Generator) seconds(lo, hi int) time.Duration {
	return time.Duration(lo+g.r.IntN(hi-lo+1)) * time.Second
}
