package callgen

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/callveil/callveil/stages"
)

func mustGenerate(t testing.TB, cfg Config) *Traffic {
	t.Helper()
	tr, err := Generate(cfg)
	if err != nil {
		t.Fatalf("Generate: %v", err)
	}
	return tr
}

func TestNewValidatesConfig(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		ok   bool
	}{
		{"zero value", Config{}, true},
		{"plain", Config{Calls: 3}, true},
		{"only telephony: no transcripts", Config{Calls: 3, Providers: []stages.Provider{stages.ProviderTwilio}}, true},
		{"negative calls", Config{Calls: -1}, false},
		{"negative poison", Config{Poison: -1}, false},
		{"share above one", Config{Calls: 1, TranscriptShare: 1.5}, false},
		{"negative gap", Config{Calls: 1, MeanGap: -time.Second}, false},
		{"unknown provider", Config{Calls: 1, Providers: []stages.Provider{"vonage"}}, false},
		{"no telephony provider", Config{Calls: 1, Providers: []stages.Provider{stages.ProviderDeepgram}}, false},
		{"unsupported language", Config{Calls: 1, Languages: []string{"en", "pl"}}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := New(tc.cfg)
			if (err == nil) != tc.ok {
				t.Fatalf("New() error = %v, want ok=%v", err, tc.ok)
			}
			if err != nil && !errors.Is(err, ErrInvalidConfig) {
				t.Fatalf("error %v does not wrap ErrInvalidConfig", err)
			}
		})
	}
}

func messagesEqual(a, b []Message) (int, bool) {
	if len(a) != len(b) {
		return -1, false
	}
	for i := range a {
		x, y := a[i], b[i]
		if x.Topic != y.Topic || !bytes.Equal(x.Key, y.Key) || !bytes.Equal(x.Value, y.Value) ||
			!x.Time.Equal(y.Time) || x.Shape != y.Shape || x.Seq != y.Seq || len(x.Headers) != len(y.Headers) {
			return i, false
		}
		for k, v := range x.Headers {
			if y.Headers[k] != v {
				return i, false
			}
		}
	}
	return 0, true
}

func TestGenerateIsDeterministic(t *testing.T) {
	cfg := Config{Seed: 42, Calls: 60, Poison: 11, Canary: true}
	a, b := mustGenerate(t, cfg), mustGenerate(t, cfg)
	if i, ok := messagesEqual(a.Messages, b.Messages); !ok {
		t.Fatalf("same seed, different message at %d", i)
	}
	ta, _ := json.Marshal(a.Calls)
	tb, _ := json.Marshal(b.Calls)
	if !bytes.Equal(ta, tb) {
		t.Fatal("same seed, different truth")
	}

	cfg.Seed = 43
	c := mustGenerate(t, cfg)
	if _, ok := messagesEqual(a.Messages, c.Messages); ok {
		t.Fatal("different seeds gave identical traffic")
	}
}

func TestStreamingMatchesGenerate(t *testing.T) {
	cfg := Config{Seed: 7, Calls: 50, Poison: 5}
	want := mustGenerate(t, cfg)
	g, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var got []Message
	for {
		m, ok := g.Next()
		if !ok {
			break
		}
		got = append(got, m)
	}
	if i, ok := messagesEqual(want.Messages, got); !ok {
		t.Fatalf("Next differs from Generate at message %d (len %d vs %d)", i, len(want.Messages), len(got))
	}
	if _, ok := g.Next(); ok {
		t.Fatal("Next returned a message after the end")
	}
}

// The generator must hold only calls in flight: its pending queue stays
// small however long the run.
func TestStreamingHoldsOnlyCallsInFlight(t *testing.T) {
	g, err := New(Config{Seed: 3, Calls: 3000, TranscriptShare: -1})
	if err != nil {
		t.Fatal(err)
	}
	maxPending, n := 0, 0
	for {
		if _, ok := g.Next(); !ok {
			break
		}
		n++
		maxPending = max(maxPending, g.pending.Len())
	}
	if n < 3000*2 {
		t.Fatalf("only %d messages for 3000 calls", n)
	}
	// ~20 s between calls and calls of up to ~15 minutes: a few dozen
	// calls in flight, never a sizeable share of the run.
	if maxPending > 300 {
		t.Fatalf("pending queue grew to %d messages", maxPending)
	}
}

func TestEveryShapeLanguageAndOutcomeAppears(t *testing.T) {
	tr := mustGenerate(t, Config{Seed: 11, Calls: 300, Poison: 11})
	shapes := map[string]int{}
	for _, m := range tr.Messages {
		shapes[m.Shape]++
	}
	for _, s := range []string{ShapeSipgateForm, ShapeSipgateJSON, ShapeTwilioCallback, ShapeTwilioCallResource,
		ShapeAircallWebhook, ShapeAWSTranscribe, ShapeDeepgram, ShapeAssemblyAI} {
		if shapes[s] == 0 {
			t.Errorf("no %s payload in 300 calls", s)
		}
	}
	type combo struct {
		p stages.Provider
		s stages.Status
	}
	seen := map[combo]bool{}
	langs := map[string]bool{}
	transcriptLangs := map[stages.Provider]map[string]bool{}
	var withheld, before, noHeader, inbound, outbound int
	for _, c := range tr.Calls {
		seen[combo{c.Provider, c.Status}] = true
		langs[c.Language] = true
		if c.Withheld {
			withheld++
		}
		if c.Direction == stages.DirectionInbound {
			inbound++
		} else {
			outbound++
		}
		if tt := c.Transcript; tt != nil {
			if transcriptLangs[tt.Provider] == nil {
				transcriptLangs[tt.Provider] = map[string]bool{}
			}
			transcriptLangs[tt.Provider][tt.Language] = true
			if tt.ArrivesBeforeEnd {
				before++
			}
			if !tt.ProviderHeader {
				noHeader++
			}
		}
	}
	for _, l := range AllLanguages() {
		if !langs[l] {
			t.Errorf("language %s missing", l)
		}
	}
	for _, p := range []stages.Provider{stages.ProviderAWSTranscribe, stages.ProviderDeepgram, stages.ProviderAssemblyAI} {
		if len(transcriptLangs[p]) < 5 {
			t.Errorf("%s transcripts only in %d languages", p, len(transcriptLangs[p]))
		}
	}
	for _, want := range []combo{
		{stages.ProviderSipgate, stages.StatusCompleted}, {stages.ProviderSipgate, stages.StatusBusy},
		{stages.ProviderSipgate, stages.StatusCanceled}, {stages.ProviderSipgate, stages.StatusNoAnswer},
		{stages.ProviderTwilio, stages.StatusCompleted}, {stages.ProviderTwilio, stages.StatusBusy},
		{stages.ProviderTwilio, stages.StatusNoAnswer}, {stages.ProviderTwilio, stages.StatusCanceled},
		{stages.ProviderAircall, stages.StatusCompleted}, {stages.ProviderAircall, stages.StatusNoAnswer},
		{stages.ProviderAircall, stages.StatusCanceled},
	} {
		if !seen[want] {
			t.Errorf("no %s call with status %q", want.p, want.s)
		}
	}
	if withheld == 0 || before == 0 || noHeader == 0 || inbound == 0 || outbound == 0 {
		t.Errorf("withheld=%d transcriptsBeforeEnd=%d withoutProviderHeader=%d inbound=%d outbound=%d; want all > 0",
			withheld, before, noHeader, inbound, outbound)
	}
}

func TestMessagesAreInRealisticOrder(t *testing.T) {
	tr := mustGenerate(t, Config{Seed: 5, Calls: 200, Poison: 11})
	first, last := map[*CallTruth]int{}, map[*CallTruth]int{}
	finalEvent := map[*CallTruth]int{}
	transcriptAt := map[*CallTruth]int{}
	for i, m := range tr.Messages {
		if m.Seq != i {
			t.Fatalf("message %d has Seq %d", i, m.Seq)
		}
		if i > 0 && m.Time.Before(tr.Messages[i-1].Time) {
			t.Fatalf("message %d goes back in time", i)
		}
		if m.Call == nil {
			continue
		}
		if _, ok := first[m.Call]; !ok {
			first[m.Call] = i
		}
		last[m.Call] = i
		if m.Topic == KindEvents {
			finalEvent[m.Call] = i
		} else {
			transcriptAt[m.Call] = i
		}
	}
	// Calls overlap: some call has a record between another call's first
	// and last record.
	interleaved := 0
	for c, f := range first {
		for i := f + 1; i < last[c]; i++ {
			if tr.Messages[i].Call != nil && tr.Messages[i].Call != c {
				interleaved++
				break
			}
		}
	}
	if interleaved < len(tr.Calls)/4 {
		t.Errorf("only %d of %d calls interleave with others", interleaved, len(tr.Calls))
	}
	before, after := 0, 0
	for c, i := range transcriptAt {
		if (i < finalEvent[c]) != c.Transcript.ArrivesBeforeEnd {
			t.Errorf("call %d: ArrivesBeforeEnd=%v but transcript at %d, final event at %d", c.Index, c.Transcript.ArrivesBeforeEnd, i, finalEvent[c])
		}
		if i < finalEvent[c] {
			before++
		} else {
			after++
		}
	}
	if before == 0 || after < 4*before {
		t.Errorf("transcripts before end %d, after %d: want mostly after, some before", before, after)
	}
}

// The committed fixtures must be exactly what the generator writes.
func TestCommittedFixturesAreUpToDate(t *testing.T) {
	dir := t.TempDir()
	if err := WriteFixtures(dir, FixtureConfig()); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{DemoFile, ReprocessFile, TruthFile, ReadmeFile} {
		want, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join("..", "..", "testdata", "calls", name))
		if err != nil {
			t.Fatalf("%v (regenerate: go run ./internal/callgen/cmd/callgen -out testdata/calls/)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("testdata/calls/%s is stale: regenerate with go run ./internal/callgen/cmd/callgen -out testdata/calls/", name)
		}
	}
}

func TestFixtureCoversAllProvidersAndLanguages(t *testing.T) {
	tr := mustGenerate(t, FixtureConfig())
	providers, langs := map[stages.Provider]bool{}, map[string]bool{}
	for _, c := range tr.Calls {
		providers[c.Provider] = true
		langs[c.Language] = true
		if c.Transcript != nil {
			providers[c.Transcript.Provider] = true
		}
	}
	if len(providers) != 6 || len(langs) != 7 {
		t.Fatalf("fixture covers providers %v and languages %v; want all 6 and 7", providers, langs)
	}
	if len(tr.Poison) == 0 {
		t.Fatal("fixture has no poison record")
	}
	for _, m := range tr.Messages {
		if len(m.Value) >= LargePoisonSize {
			t.Fatal("fixture contains the 10 MB record")
		}
	}
}

func TestDemoJSONLRoundTrip(t *testing.T) {
	tr := mustGenerate(t, Config{Seed: 9, Calls: 30, Poison: 11})
	var buf bytes.Buffer
	if err := WriteDemoJSONL(&buf, slices.Values(tr.Messages)); err != nil {
		t.Fatal(err)
	}
	lines := bytes.Count(buf.Bytes(), []byte("\n"))
	if lines != len(tr.Messages) {
		t.Fatalf("%d lines for %d messages", lines, len(tr.Messages))
	}
	back, err := ReadDemoJSONL(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if len(back) != len(tr.Messages) {
		t.Fatalf("read %d messages, wrote %d", len(back), len(tr.Messages))
	}
	b64 := 0
	for i, m := range back {
		w := tr.Messages[i]
		if !bytes.Equal(m.Value, w.Value) || !bytes.Equal(m.Key, w.Key) || m.Topic != w.Topic || !m.Time.Equal(w.Time) {
			t.Fatalf("message %d changed in the round trip", i)
		}
		if DemoLineOf(w).Payload == nil {
			b64++
		}
	}
	if b64 == 0 {
		t.Fatal("no payload needed base64; the binary poison records should")
	}
}

func TestReprocessLines(t *testing.T) {
	tr := mustGenerate(t, Config{Seed: 9, Calls: 30})
	var buf bytes.Buffer
	if err := WriteReprocessJSONL(&buf, slices.Values(tr.Messages)); err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(&buf)
	for i := 0; dec.More(); i++ {
		var l struct {
			CallID       string  `json:"call_id"`
			Provider     *string `json:"provider"`
			CallProvider string  `json:"call_provider"`
			Time         string  `json:"time"`
			Payload      string  `json:"payload"`
		}
		if err := dec.Decode(&l); err != nil {
			t.Fatal(err)
		}
		m := tr.Messages[i]
		// On events the call provider is the payload's provider; both are
		// unknown when the record had no provider header.
		wantCallProvider := m.Headers[HeaderCallProvider]
		if m.Topic == KindEvents {
			wantCallProvider = m.Headers[HeaderProvider]
		}
		if l.CallID != m.Call.CallID || l.Payload != string(m.Value) || l.CallProvider != wantCallProvider {
			t.Fatalf("line %d does not match its message", i)
		}
		if _, err := time.Parse(time.RFC3339, l.Time); err != nil {
			t.Fatalf("line %d: time %q is not RFC 3339", i, l.Time)
		}
		if (l.Provider != nil) != (m.Headers[HeaderProvider] != "") {
			t.Fatalf("line %d: provider present=%v, header %q", i, l.Provider != nil, m.Headers[HeaderProvider])
		}
	}
}
