package aggregates_test

import (
	"bytes"
	"errors"
	"maps"
	"math"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/DataDog/sketches-go/ddsketch"
	"github.com/DataDog/sketches-go/ddsketch/store"
	"github.com/axiomhq/hyperloglog"
	"github.com/callveil/callveil/aggregates"
	"github.com/callveil/callveil/aggregates/aggtest"
	"github.com/callveil/callveil/stages"
)

var t0 = time.Date(2026, 3, 2, 13, 0, 0, 0, time.UTC)

func newAgg(t testing.TB, mod func(*aggregates.Config)) *aggregates.Aggregator {
	t.Helper()
	cfg := aggregates.Config{HashSecret: aggtest.Secret(), Now: func() time.Time { return t0.Add(48 * time.Hour) }}
	if mod != nil {
		mod(&cfg)
	}
	a, err := aggregates.New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return a
}

func call(key string, start time.Time, dur int64, dir stages.Direction, from, to string) stages.RedactedCall {
	return stages.RedactedCall{Call: stages.Call{Key: key, Start: start, DurationSeconds: dur, Direction: dir,
		Status: stages.StatusCompleted, From: from, To: to}, Language: "de"}
}

func TestCountryFromE164Prefix(t *testing.T) {
	tests := []struct{ number, want string }{
		{"+493012345678", "DE"},
		{"+4915112345678", "DE"},
		{"+33123456789", "FR"},
		{"+442079460123", "GB"},
		{"+12125550100", "US"},
		{"+14165550123", "CA"}, // shared +1: Toronto area code picks Canada
		{"+43720880079", "AT"},
		{"+80012345678", aggregates.NonGeographic},
		{"+999123456", aggregates.Unknown}, // unassigned calling code
		{"", aggregates.Unknown},
		{"anonymous", aggregates.Unknown},
		{"493012345678", aggregates.Unknown}, // not E.164: no '+'
		{"+49 30 1234", aggregates.Unknown},
		{"sip:alice@example.com", aggregates.Unknown},
	}
	for _, tt := range tests {
		if got := aggregates.Country(tt.number); got != tt.want {
			t.Errorf("Country(%q) = %q, want %q", tt.number, got, tt.want)
		}
	}
}

func TestNewValidatesConfig(t *testing.T) {
	tests := []struct {
		name string
		mod  func(*aggregates.Config)
		ok   bool
	}{
		{"defaults", func(*aggregates.Config) {}, true},
		{"no secret", func(c *aggregates.Config) { c.HashSecret = nil }, false},
		{"short secret", func(c *aggregates.Config) { c.HashSecret = []byte("short") }, false},
		{"k=1 switches protection off", func(c *aggregates.Config) { c.K = 1 }, false},
		{"negative lateness", func(c *aggregates.Config) { c.Lateness = -time.Minute }, false},
		{"window not dividing a day", func(c *aggregates.Config) { c.Window = 7 * time.Hour }, false},
		{"window below a minute", func(c *aggregates.Config) { c.Window = 30 * time.Second }, false},
		{"15 minute window", func(c *aggregates.Config) { c.Window = 15 * time.Minute }, true},
		{"day window", func(c *aggregates.Config) { c.Window = 24 * time.Hour }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := aggregates.Config{HashSecret: aggtest.Secret()}
			tt.mod(&cfg)
			a, err := aggregates.New(cfg)
			if tt.ok != (err == nil) {
				t.Fatalf("New err = %v, want ok=%v", err, tt.ok)
			}
			if err != nil && !errors.Is(err, aggregates.ErrInvalidConfig) {
				t.Errorf("error %v does not wrap ErrInvalidConfig", err)
			}
			if err == nil && tt.name == "defaults" {
				got := a.Config()
				if got.Window != time.Hour || got.K != 5 || got.Lateness != aggregates.DefaultLateness {
					t.Errorf("defaults = window %v k %d lateness %v", got.Window, got.K, got.Lateness)
				}
			}
		})
	}
}

func TestAddOutcomes(t *testing.T) {
	a := newAgg(t, func(c *aggregates.Config) { c.Lateness = 10 * time.Minute })
	steps := []struct {
		name   string
		c      stages.RedactedCall
		want   aggregates.Outcome
		reason stages.Reason
	}{
		{"first call", call("k1", t0.Add(5*time.Minute), 60, stages.DirectionInbound, "+493012345678", ""), aggregates.Added, ""},
		{"redelivered", call("k1", t0.Add(5*time.Minute), 60, stages.DirectionInbound, "+493012345678", ""), aggregates.Duplicate, ""},
		{"same key other window is another call", call("k1", t0.Add(65*time.Minute), 60, stages.DirectionInbound, "", ""), aggregates.Added, ""},
		// watermark is now 14:05 - 10m = 13:55: window 13:00 still open.
		{"late but within lateness", call("k2", t0.Add(50*time.Minute), 60, "", "", ""), aggregates.Added, ""},
		{"advance watermark past 14:00", call("k3", t0.Add(71*time.Minute), 60, "", "", ""), aggregates.Added, ""},
		{"too late", call("k4", t0.Add(59*time.Minute), 60, "", "", ""), aggregates.Late, ""},
		{"redelivery of a closed window's call", call("k1", t0.Add(5*time.Minute), 60, stages.DirectionInbound, "", ""), aggregates.Late, ""},
		{"no key", call("", t0.Add(80*time.Minute), 60, "", "", ""), 0, stages.ReasonMissingField},
		{"no start", call("k5", time.Time{}, 60, "", "", ""), 0, stages.ReasonMissingField},
		{"start far in the future", call("k6", t0.Add(72*time.Hour), 60, "", "", ""), 0, stages.ReasonInvalidField},
	}
	for _, s := range steps {
		got, err := a.Add(&s.c)
		var se *stages.Error
		if s.reason != "" {
			if !errors.As(err, &se) || se.Reason != s.reason {
				t.Fatalf("%s: err = %v, want reason %s", s.name, err, s.reason)
			}
			continue
		}
		if err != nil || got != s.want {
			t.Fatalf("%s: Add = %v, %v; want %v", s.name, got, err, s.want)
		}
	}
	want := aggregates.Stats{Added: 4, Duplicates: 1, Late: 2}
	if got := a.Stats(); got != want {
		t.Errorf("Stats = %+v, want %+v", got, want)
	}
}

func TestWindowsCloseAtWatermark(t *testing.T) {
	a := newAgg(t, func(c *aggregates.Config) { c.Lateness = 10 * time.Minute })
	add := func(key string, at time.Duration) {
		c := call(key, t0.Add(at), 1, "", "", "")
		if _, err := a.Add(&c); err != nil {
			t.Fatal(err)
		}
	}
	add("a", 30*time.Minute)
	add("b", 69*time.Minute) // watermark 13:59: 13:00-14:00 stays open
	if due := a.Due(); len(due) != 0 {
		t.Fatalf("Due = %v before the watermark passed the window end", due)
	}
	add("c", 70*time.Minute) // watermark 14:00: closes 13:00-14:00
	due := a.Due()
	if len(due) != 1 || !due[0].Equal(t0) {
		t.Fatalf("Due = %v, want [%v]", due, t0)
	}
	if w := a.Watermark(); !w.Equal(t0.Add(time.Hour)) {
		t.Errorf("Watermark = %v", w)
	}
	a.Drop(due[0])
	if open := a.Open(); len(open) != 1 || !open[0].Equal(t0.Add(time.Hour)) {
		t.Errorf("Open after Drop = %v", open)
	}
}

// TestKAnonymity: cells below k are merged into the "other" row; the
// "other" row is suppressed when it is still below k.
func TestKAnonymity(t *testing.T) {
	const k = 5
	de, fr, gb := "+493012345678", "+33123456789", "+442079460123"
	tests := []struct {
		name string
		// calls per caller number (each its own cell: caller country differs)
		cells     map[string]int
		wantRows  map[string]int64 // caller country -> calls ("other" for the merged row)
		wantTotal int64
	}{
		{"k-1 calls: suppressed", map[string]int{de: k - 1}, map[string]int64{}, 0},
		{"k calls: written", map[string]int{de: k}, map[string]int64{"DE": k}, k},
		{"two small cells merge into other", map[string]int{de: 3, fr: 3}, map[string]int64{aggregates.Other: 6}, 6},
		{"big cell kept, small other suppressed", map[string]int{de: 7, fr: 2, gb: 2}, map[string]int64{"DE": 7}, 7},
		{"big cell kept, other reaches k", map[string]int{de: 7, fr: 3, gb: 2}, map[string]int64{"DE": 7, aggregates.Other: 5}, 12},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newAgg(t, func(c *aggregates.Config) { c.K = k })
			i := 0
			for number, n := range tt.cells {
				for range n {
					i++
					c := call(aggtest.Key(1, i), t0.Add(time.Duration(i)*time.Minute), 30, stages.DirectionInbound, number, "+493022233300")
					if _, err := a.Add(&c); err != nil {
						t.Fatal(err)
					}
				}
			}
			rows, err := a.Rows(t0, true)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]int64{}
			var total int64
			for _, r := range rows {
				if r.Calls < k {
					t.Errorf("row with %d < k calls written: %+v", r.Calls, r)
				}
				if r.IsOther != (r.CallerCountry == aggregates.Other) || r.IsOther && (r.Direction != aggregates.Other || r.Language != aggregates.Other) {
					t.Errorf("other row not marked consistently: %+v", r)
				}
				got[r.CallerCountry] = r.Calls
				total += r.Calls
			}
			if !maps.Equal(got, tt.wantRows) || total != tt.wantTotal {
				t.Errorf("rows by caller country = %v (total %d), want %v (total %d)", got, total, tt.wantRows, tt.wantTotal)
			}
		})
	}
}

// TestMeasuresMatchInputs compares every written row with measures
// computed by brute force from the same calls.
func TestMeasuresMatchInputs(t *testing.T) {
	calls := aggtest.Calls(7, 3000, t0, time.Hour, 0)
	a := newAgg(t, func(c *aggregates.Config) { c.K = 2 })
	type truth struct {
		durations  []float64
		externals  map[string]bool
		redactions map[string]int64
	}
	want := map[aggregates.Dimensions]*truth{}
	for i := range calls {
		c := &calls[i]
		if _, err := a.Add(c); err != nil {
			t.Fatal(err)
		}
		d := aggregates.Dimensions{Direction: string(c.Direction), Status: string(c.Status), Language: c.Language,
			CallerCountry: aggregates.Country(c.From), CalleeCountry: aggregates.Country(c.To)}
		if d.Direction == "" {
			d.Direction = aggregates.Unknown
		}
		if d.Language == "" {
			d.Language = aggregates.Unknown
		}
		w := want[d]
		if w == nil {
			w = &truth{externals: map[string]bool{}, redactions: map[string]int64{}}
			want[d] = w
		}
		w.durations = append(w.durations, float64(c.DurationSeconds))
		switch c.Direction {
		case stages.DirectionInbound:
			w.externals[c.From] = true
		case stages.DirectionOutbound:
			w.externals[c.To] = true
		}
		for k, n := range c.Redactions {
			if n > 0 {
				w.redactions[k] += int64(n)
			}
		}
	}
	rows, err := a.Rows(t0, true)
	if err != nil {
		t.Fatal(err)
	}
	var seenCalls int64
	for _, r := range rows {
		seenCalls += r.Calls
		if r.IsOther {
			continue
		}
		w := want[aggregates.Dimensions{Direction: r.Direction, Status: r.Status, Language: r.Language, CallerCountry: r.CallerCountry, CalleeCountry: r.CalleeCountry}]
		if w == nil {
			t.Fatalf("row for a cell no call has: %+v", r)
		}
		sort.Float64s(w.durations)
		var total float64
		for _, d := range w.durations {
			total += d
		}
		if r.Calls != int64(len(w.durations)) || float64(r.DurationTotalSeconds) != total {
			t.Errorf("cell %s/%s/%s: calls %d total %d, want %d %v", r.Direction, r.Status, r.CallerCountry, r.Calls, r.DurationTotalSeconds, len(w.durations), total)
		}
		if math.Abs(r.DurationMeanSeconds-total/float64(len(w.durations))) > 1e-9 {
			t.Errorf("mean %v, want %v", r.DurationMeanSeconds, total/float64(len(w.durations)))
		}
		for _, q := range []struct {
			q   float64
			got float64
		}{{0.5, r.DurationP50Seconds}, {0.9, r.DurationP90Seconds}, {0.99, r.DurationP99Seconds}} {
			exact := w.durations[int(q.q*float64(len(w.durations)-1))]
			if math.Abs(q.got-exact) > aggregates.DurationSketchAccuracy*exact+1e-9 {
				t.Errorf("p%v = %v, exact %v: beyond 1%%", q.q*100, q.got, exact)
			}
		}
		if r.DistinctExternalNumbers != int64(len(w.externals)) {
			// HLL is exact in its sparse range, which these cells are in.
			t.Errorf("distinct = %d, want %d", r.DistinctExternalNumbers, len(w.externals))
		}
		if !maps.Equal(r.Redactions, w.redactions) {
			t.Errorf("redactions = %v, want %v", r.Redactions, w.redactions)
		}
		// The stored sketches decode and agree with the row's own figures.
		sk, err := ddsketch.DecodeDDSketch(r.DurationSketch, store.DefaultProvider, nil)
		if err != nil || sk.GetCount() != float64(r.Calls) {
			t.Errorf("duration sketch: err %v count %v, want %d", err, sk.GetCount(), r.Calls)
		}
		h := hyperloglog.New14()
		if err := h.UnmarshalBinary(r.ExternalNumbersHLL); err != nil || int64(h.Estimate()) != r.DistinctExternalNumbers {
			t.Errorf("hll: err %v estimate %d, want %d", err, h.Estimate(), r.DistinctExternalNumbers)
		}
	}
	if seenCalls > int64(len(calls)) || seenCalls < int64(len(calls))-1 {
		// With k=2 at most one call (a lone "other" cell) is suppressed.
		t.Errorf("rows hold %d calls of %d", seenCalls, len(calls))
	}
}

// TestDistinctEstimateLargeCell checks the HLL estimate where it is an
// estimate (dense range): within 3% (about 4 standard errors at p=14).
func TestDistinctEstimateLargeCell(t *testing.T) {
	a := newAgg(t, nil)
	const n = 50000
	for i := range n {
		c := call(aggtest.Key(2, i), t0.Add(time.Duration(i)*time.Millisecond), 10, stages.DirectionInbound,
			"+4930"+strings.Repeat("0", 3)+itoa(1000000+i), "+493022233300")
		if _, err := a.Add(&c); err != nil {
			t.Fatal(err)
		}
	}
	rows, err := a.Rows(t0, true)
	if err != nil || len(rows) != 1 {
		t.Fatalf("rows %d err %v", len(rows), err)
	}
	if got := float64(rows[0].DistinctExternalNumbers); math.Abs(got-n)/n > 0.03 {
		t.Errorf("distinct estimate %v for %d numbers", got, n)
	}
}

func itoa(i int) string {
	var b []byte
	for i > 0 {
		b = append(b, byte('0'+i%10))
		i /= 10
	}
	slices.Reverse(b)
	return string(b)
}

// TestCheckpointResumeEqualsUninterrupted: an aggregator restored from a
// checkpoint and fed the replayed tail plus the rest ends with the same
// rows as one that saw every call once.
func TestCheckpointResumeEqualsUninterrupted(t *testing.T) {
	calls := aggtest.Calls(11, 4000, t0, 3*time.Hour, 20*time.Minute)
	run := func(a *aggregates.Aggregator, cs []stages.RedactedCall) map[time.Time][]aggregates.Row {
		out := map[time.Time][]aggregates.Row{}
		for i := range cs {
			if _, err := a.Add(&cs[i]); err != nil {
				t.Fatal(err)
			}
			for _, s := range a.Due() {
				rows, err := a.Rows(s, true)
				if err != nil {
					t.Fatal(err)
				}
				out[s] = rows
				a.Drop(s)
			}
		}
		for _, s := range a.Open() {
			rows, err := a.Rows(s, false)
			if err != nil {
				t.Fatal(err)
			}
			out[s] = rows
		}
		return out
	}
	want := run(newAgg(t, nil), calls)

	first := newAgg(t, nil)
	got := run(first, calls[:2500])
	state, err := first.MarshalState()
	if err != nil {
		t.Fatal(err)
	}
	resumed := newAgg(t, nil)
	if err := resumed.RestoreState(state); err != nil {
		t.Fatal(err)
	}
	// Replay from an earlier (committed) offset: 2100..2500 are redelivered.
	maps.Copy(got, run(resumed, calls[2100:]))
	if st := resumed.Stats(); st.Duplicates+st.Late < 400 {
		t.Errorf("replayed calls absorbed %d, want 400", st.Duplicates+st.Late)
	}
	if len(got) != len(want) {
		t.Fatalf("windows %d, want %d", len(got), len(want))
	}
	for s, w := range want {
		g := got[s]
		if len(g) != len(w) {
			t.Fatalf("window %v: %d rows, want %d", s, len(g), len(w))
		}
		for i := range w {
			if g[i].Calls != w[i].Calls || g[i].DurationTotalSeconds != w[i].DurationTotalSeconds ||
				g[i].DistinctExternalNumbers != w[i].DistinctExternalNumbers || g[i].DurationP90Seconds != w[i].DurationP90Seconds ||
				!maps.Equal(g[i].Redactions, w[i].Redactions) || g[i].Final != w[i].Final {
				t.Errorf("window %v row %d: %+v, want %+v", s, i, g[i], w[i])
			}
		}
	}
}

func TestRestoreRefusesMismatchedCheckpoint(t *testing.T) {
	a := newAgg(t, nil)
	c := call("k", t0, 1, "", "", "")
	if _, err := a.Add(&c); err != nil {
		t.Fatal(err)
	}
	state, err := a.MarshalState()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		mod   func(*aggregates.Config)
		state []byte
	}{
		{"other secret", func(c *aggregates.Config) { c.HashSecret = []byte("another-secret-0123456789abcdef") }, state},
		{"other window", func(c *aggregates.Config) { c.Window = 30 * time.Minute }, state},
		{"garbage", nil, []byte("{not json")},
		{"truncated seen set", nil, bytes.Replace(state, []byte(`"seen":"`), []byte(`"seen":"AAAA`), 1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := newAgg(t, tt.mod).RestoreState(tt.state); err == nil {
				t.Error("RestoreState accepted a mismatched checkpoint")
			}
		})
	}
}

// TestNoPersonalDataInOutputs puts canaries in every personal field
// (numbers, call key, transcript, speaker, language, redaction type names)
// and scans the checkpoint and the Parquet bytes for them.
func TestNoPersonalDataInOutputs(t *testing.T) {
	a := newAgg(t, nil)
	canaries := []string{"+4915199990001", "4915199990001", "+4930999900002", "Canary Mustermann", "canary@example.org", "CA-canary-provider-id"}
	for i := range 6 {
		c := stages.RedactedCall{
			Call: stages.Call{
				Key:  "deadbeefcafe" + itoa(100000+i) + "canarykey",
				From: canaries[0], To: canaries[2], Start: t0.Add(time.Duration(i) * time.Minute),
				DurationSeconds: 42, Direction: stages.DirectionInbound, Status: stages.StatusCompleted,
			},
			Language:   "Canary Mustermann", // a broken detector must not leak text through a dimension
			Transcript: []stages.Segment{{Speaker: canaries[3], Text: "call " + canaries[0] + " or mail " + canaries[4] + " re " + canaries[5]}},
			Redactions: map[string]int{canaries[4]: 1, "PERSON": 2},
		}
		canaries = append(canaries, c.Key)
		if _, err := a.Add(&c); err != nil {
			t.Fatal(err)
		}
	}
	rows, err := a.Rows(t0, true)
	if err != nil || len(rows) != 1 {
		t.Fatalf("rows %v err %v", rows, err)
	}
	if rows[0].Language != aggregates.Unknown || rows[0].Redactions["OTHER"] != 6 || rows[0].Redactions["PERSON"] != 12 {
		t.Errorf("unsafe values not normalised: language %q redactions %v", rows[0].Language, rows[0].Redactions)
	}
	pq, err := aggregates.EncodeParquet(rows)
	if err != nil {
		t.Fatal(err)
	}
	state, err := a.MarshalState()
	if err != nil {
		t.Fatal(err)
	}
	for name, b := range map[string][]byte{"parquet": pq, "state": state} {
		for _, c := range canaries {
			if bytes.Contains(bytes.ToLower(b), bytes.ToLower([]byte(c))) {
				t.Errorf("%s holds canary %q", name, c)
			}
		}
	}
	// The scan can fail: the country and the "PERSON" key are in the bytes.
	if !bytes.Contains(pq, []byte("PERSON")) || !bytes.Contains(pq, []byte("DE")) {
		t.Error("scan sanity: expected plain column values in the parquet bytes")
	}
}

func TestParquetRoundTrip(t *testing.T) {
	a := newAgg(t, nil)
	calls := aggtest.Calls(3, 500, t0, time.Hour, 0)
	for i := range calls {
		if _, err := a.Add(&calls[i]); err != nil {
			t.Fatal(err)
		}
	}
	rows, err := a.Rows(t0, true)
	if err != nil || len(rows) < 2 {
		t.Fatalf("rows %d err %v", len(rows), err)
	}
	b, err := aggregates.EncodeParquet(rows)
	if err != nil {
		t.Fatal(err)
	}
	back, err := aggregates.DecodeParquet(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	if len(back) != len(rows) {
		t.Fatalf("read %d rows, wrote %d", len(back), len(rows))
	}
	for i := range rows {
		w, g := rows[i], back[i]
		if !g.WindowStart.Equal(w.WindowStart) || !g.WindowEnd.Equal(w.WindowEnd) || g.Calls != w.Calls ||
			g.CallerCountry != w.CallerCountry || !bytes.Equal(g.ExternalNumbersHLL, w.ExternalNumbersHLL) ||
			!bytes.Equal(g.DurationSketch, w.DurationSketch) || !maps.Equal(g.Redactions, w.Redactions) || g.IsOther != w.IsOther {
			t.Errorf("row %d: read %+v, wrote %+v", i, g, w)
		}
	}
}

func TestObjectKeys(t *testing.T) {
	start := time.Date(2026, 1, 5, 13, 0, 0, 0, time.UTC)
	tests := []struct{ prefix, key, state, data string }{
		{"", "aggregates/v1/dt=2026-01-05/hour=13/20260105T130000Z-3600s-w1.parquet", "_state/v1/w1.state", "aggregates/v1/"},
		{"team/", "team/aggregates/v1/dt=2026-01-05/hour=13/20260105T130000Z-3600s-w1.parquet", "team/_state/v1/w1.state", "team/aggregates/v1/"},
	}
	for _, tt := range tests {
		if got := aggregates.ObjectKey(tt.prefix, start.In(time.FixedZone("CET", 3600)), time.Hour, "w1"); got != tt.key {
			t.Errorf("ObjectKey = %q, want %q", got, tt.key)
		}
		if got := aggregates.StateKey(tt.prefix, "w1"); got != tt.state {
			t.Errorf("StateKey = %q, want %q", got, tt.state)
		}
		if got := aggregates.DataPrefix(tt.prefix); got != tt.data {
			t.Errorf("DataPrefix = %q, want %q", got, tt.data)
		}
	}
	for _, id := range []string{"w1", "pod-0", "callveil.eu-1"} {
		if !aggregates.ValidWriterID(id) {
			t.Errorf("ValidWriterID(%q) = false", id)
		}
	}
	for _, id := range []string{"", "W1", "a/b", "../x", "+4930123", strings.Repeat("a", 70)} {
		if aggregates.ValidWriterID(id) {
			t.Errorf("ValidWriterID(%q) = true", id)
		}
	}
}

// A call sent out provisionally (before its transcript) is not counted;
// the complete call, with the language only its transcript brings, is
// counted once, and a repeat of either changes nothing.
func TestAggregatorCountsCompleteCallOnce(t *testing.T) {
	t0 := time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC)
	a, err := aggregates.New(aggregates.Config{HashSecret: aggtest.Secret(), Now: func() time.Time { return t0.Add(48 * time.Hour) }})
	if err != nil {
		t.Fatal(err)
	}
	early := stages.RedactedCall{Call: stages.Call{Key: "k1", Start: t0, DurationSeconds: 60}, Provisional: true}
	complete := early
	complete.Provisional, complete.Language = false, "de"
	for i, tc := range []struct {
		c    stages.RedactedCall
		want aggregates.Outcome
	}{{early, aggregates.Provisional}, {complete, aggregates.Added}, {early, aggregates.Provisional}, {complete, aggregates.Duplicate}} {
		got, err := a.Add(&tc.c)
		if err != nil || got != tc.want {
			t.Fatalf("step %d: %v %v, want %v", i, got, err, tc.want)
		}
	}
	if st := a.Stats(); st.Added != 1 {
		t.Fatalf("added %d, want 1", st.Added)
	}
}
