package privacy_test

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/callveil/callveil/internal/callgen"
	"github.com/callveil/callveil/internal/embeddedkafka"
	"github.com/callveil/callveil/pipeline"
	"github.com/callveil/callveil/pipeline/monitoring"
	"github.com/callveil/callveil/privacy"
	"github.com/callveil/callveil/redact"
	"github.com/callveil/callveil/sinks"
	"github.com/callveil/callveil/sinks/hubspot"
	"github.com/callveil/callveil/sinks/hubspot/hubspottest"
	"github.com/callveil/callveil/sinks/objectstore"
	"github.com/callveil/callveil/stages"
)

const (
	eventsTopic      = "calls.events"
	transcriptsTopic = "calls.transcripts"
	deadLetterTopic  = "calls.deadletter"
	hubSpotToken     = "pat-privacy-test-token"
)

// sharedRedactor is built once: building loads language models.
var sharedRedactor = sync.OnceValues(func() (*redact.Redactor, error) { return redact.New(redact.Config{}) })

// world is everything a whole-pipeline test runs against: a Kafka-protocol
// broker, a HubSpot-like HTTP server, a debug log and the pipeline's
// metrics.
type world struct {
	t       *testing.T
	broker  *embeddedkafka.Broker
	hub     *hubspottest.Server
	logs    *syncBuffer
	metrics *monitoring.Metrics
	skips   *skipCounter
}

func newWorld(t *testing.T) *world {
	t.Helper()
	w := &world{t: t, broker: startBroker(t, 3, eventsTopic, transcriptsTopic, deadLetterTopic),
		hub: hubspottest.Start(t, hubspottest.Options{Token: hubSpotToken}), logs: &syncBuffer{},
		metrics: monitoring.NewMetrics(monitoring.MetricsConfig{})}
	w.skips = &skipCounter{Observer: w.metrics, by: map[string]*atomic.Int64{
		privacy.ReasonObjection: {}, privacy.ReasonTombstone: {}}}
	return w
}

// skipCounter counts policy skips by reason and passes everything on.
type skipCounter struct {
	pipeline.Observer
	by map[string]*atomic.Int64
}

func (s *skipCounter) Skipped(reason string) {
	if c, ok := s.by[reason]; ok {
		c.Add(1)
	}
	s.Observer.Skipped(reason)
}

func (w *world) logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(w.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

func (w *world) produce(msgs []callgen.Message) {
	w.t.Helper()
	if err := callgen.Produce(testCtx(w.t), w.broker.Addrs(), callgen.Topics{Events: eventsTopic, Transcripts: transcriptsTopic}, msgs); err != nil {
		w.t.Fatal(err)
	}
}

func (w *world) hubSpotSink() *hubspot.HubSpotSink {
	w.t.Helper()
	cfg := hubspot.DefaultConfig()
	cfg.URL, cfg.Token, cfg.Logger = w.hub.URL, hubSpotToken, w.logger()
	cfg.RetryBaseDelay, cfg.RetryMaxDelay = 5*time.Millisecond, 50*time.Millisecond
	hs, err := hubspot.New(context.Background(), cfg)
	if err != nil {
		w.t.Fatal(err)
	}
	w.t.Cleanup(func() { hs.Close(context.Background()) })
	return hs
}

// running is a pipeline started in the background.
type running struct {
	p    *pipeline.Pipeline
	stop context.CancelFunc
	done chan error
}

func (w *world) start(group string, policy pipeline.CallPolicy, ss ...sinks.Sink) *running {
	w.t.Helper()
	red, err := sharedRedactor()
	if err != nil {
		w.t.Fatal(err)
	}
	cfg := pipeline.Config{
		Brokers: w.broker.Addrs(), Group: group,
		EventsTopic: eventsTopic, TranscriptsTopic: transcriptsTopic, DeadLetterTopic: deadLetterTopic,
		KeySecret: testSecret, Join: stages.JoinConfig{TTL: 500 * time.Millisecond},
		Redact: stages.RedactConfig{Redactor: red}, Sinks: ss, Observer: w.skips,
		Logger: w.logger(), CommitInterval: 50 * time.Millisecond, BatchLinger: 10 * time.Millisecond,
		RetryBackoff: 5 * time.Millisecond, MaxRetryBackoff: 50 * time.Millisecond, ShutdownTimeout: 2 * time.Second,
	}
	if policy != nil {
		cfg.Policy = policy
	}
	p, err := pipeline.New(cfg)
	if err != nil {
		w.t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{p: p, stop: cancel, done: make(chan error, 1)}
	src, dls, err := p.JoinGroup()
	if err != nil {
		cancel()
		w.t.Fatal(err)
	}
	go func() { r.done <- p.Run(ctx, src, dls) }()
	w.t.Cleanup(func() { cancel(); r.done <- <-r.done })
	return r
}

// waitSettled waits until the pipeline has read at least records records
// and settled all it read.
func (w *world) waitSettled(r *running, records int) {
	w.t.Helper()
	eventually60(w.t, "every record settled", func() bool {
		return r.p.Stats().RecordsRead.Load() >= int64(records) && r.p.InFlight() == 0
	})
}

func (r *running) shutdown() error {
	r.stop()
	err := <-r.done
	r.done <- err
	return err
}

func eventually60(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func callKey(c *callgen.CallTruth) string { return stages.CallKey(testSecret, c.Provider, c.CallID) }

// external is the number of the party outside the company.
func external(c *callgen.CallTruth) string {
	if c.Direction == stages.DirectionOutbound {
		return c.To
	}
	return c.From
}

func involves(c *callgen.CallTruth, n string) bool { return n != "" && (c.From == n || c.To == n) }

// hubSpotKeys counts HubSpot calls per call key.
func (w *world) hubSpotKeys() map[string]int {
	out := map[string]int{}
	for _, c := range w.hub.Calls() {
		out[c.Properties[hubspot.DefaultKeyProperty]]++
	}
	return out
}

// pickExternal returns the external number of the first call that has one
// and shares no number with any call of avoid.
func pickExternal(t *testing.T, tr *callgen.Traffic, avoid ...*callgen.Traffic) string {
	t.Helper()
next:
	for _, c := range tr.Calls {
		n := external(c)
		if n == "" {
			continue
		}
		for _, a := range avoid {
			for _, o := range a.Calls {
				if involves(o, n) {
					continue next
				}
			}
		}
		return n
	}
	t.Fatal("no suitable call")
	return ""
}

// An objected number's calls reach no sink: neither when the objection was
// there before the pipeline started, nor when `objection add` happens while
// it runs (picked up from the privacy topic without a restart). The number
// appears in no request to HubSpot at all, not even a contact search.
func TestObjectedNumbersNeverReachHubSpot(t *testing.T) {
	w := newWorld(t)
	before, err := callgen.Generate(callgen.Config{Seed: 31, Calls: 30, TranscriptShare: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	later, err := callgen.Generate(callgen.Config{Seed: 32, Calls: 30, TranscriptShare: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	early := pickExternal(t, before, later)
	store := openStore(t, w.broker.Addrs(), nil)
	ctx := testCtx(t)
	if err := store.Add(ctx, privacy.KindObjection, early); err != nil {
		t.Fatal(err)
	}
	pol := openPolicy(t, w.broker.Addrs())
	r := w.start("objections", pol, w.hubSpotSink())

	w.produce(before.Messages)
	w.waitSettled(r, len(before.Messages))
	assertOnlyAllowedCalls(t, w, before, early)

	// Objection added while running, for a number of calls still to come.
	late := pickExternal(t, later, before)
	if err := store.Add(ctx, privacy.KindObjection, late); err != nil {
		t.Fatal(err)
	}
	eventually(t, "running policy sees the new objection", func() bool { return pol.Objected(late) })
	w.produce(later.Messages)
	w.waitSettled(r, len(before.Messages)+len(later.Messages))
	if err := r.shutdown(); err != nil {
		t.Fatal(err)
	}
	assertOnlyAllowedCalls(t, w, later, late)

	skipped := 0
	for _, tr := range []struct {
		t *callgen.Traffic
		n string
	}{{before, early}, {later, late}} {
		for _, c := range tr.t.Calls {
			if involves(c, tr.n) {
				skipped++
			}
		}
	}
	if skipped == 0 {
		t.Fatal("test traffic has no objected call")
	}
	if got := w.skips.by[privacy.ReasonObjection].Load(); got != int64(skipped) {
		t.Errorf("pipeline skipped %d calls for objections, want %d", got, skipped)
	}
	for _, n := range []string{early, late} {
		if reqs := w.hub.RequestsContaining(n); len(reqs) > 0 {
			t.Errorf("an objected number reached HubSpot in %d request(s)", len(reqs))
		}
		if strings.Contains(w.logs.String(), n) {
			t.Error("an objected number reached the log")
		}
	}
}

// assertOnlyAllowedCalls checks that HubSpot holds exactly one call for
// every call of tr not involving objected, and none for those that do.
func assertOnlyAllowedCalls(t *testing.T, w *world, tr *callgen.Traffic, objected string) {
	t.Helper()
	keys := w.hubSpotKeys()
	for _, c := range tr.Calls {
		want := 1
		if involves(c, objected) {
			want = 0
		}
		if got := keys[callKey(c)]; got != want {
			t.Errorf("call %d (objected=%v): %d HubSpot calls, want %d", c.Index, want == 0, got, want)
		}
	}
}

// forget deletes all of a number's calls from HubSpot, only those, and
// leaves a tombstone so that replaying the whole topic (a new consumer
// group, as `reprocess` does) does not bring them back. A second forget
// deletes nothing more.
func TestForgetDeletesAndReplayDoesNotRecreate(t *testing.T) {
	w := newWorld(t)
	tr, err := callgen.Generate(callgen.Config{Seed: 41, Calls: 40, TranscriptShare: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	w.produce(tr.Messages)
	hs := w.hubSpotSink()
	r := w.start("first-run", nil, hs)
	w.waitSettled(r, len(tr.Messages))
	if err := r.shutdown(); err != nil {
		t.Fatal(err)
	}
	total := len(w.hub.Calls())
	if total != len(tr.Calls) {
		t.Fatalf("HubSpot holds %d calls for %d calls", total, len(tr.Calls))
	}
	// The number on most calls (a company line, if the traffic repeats
	// one): forgetting it must delete every one of them, and only them.
	seen := map[string]int{}
	victim := ""
	for _, c := range tr.Calls {
		for _, n := range []string{c.From, c.To} {
			if n == "" {
				continue
			}
			if seen[n]++; seen[n] > seen[victim] {
				victim = n
			}
		}
	}
	wantGone := seen[victim]
	if wantGone == 0 || wantGone == len(tr.Calls) {
		t.Fatalf("test needs a number on some but not all calls; %d of %d", wantGone, len(tr.Calls))
	}
	store := openStore(t, w.broker.Addrs(), nil)
	ctx := testCtx(t)
	rep, err := privacy.Forget(ctx, store, hs, victim, privacy.ForgetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.CRMCallsDeleted != wantGone || !rep.CRMSearched {
		t.Errorf("forget deleted %d calls, want %d", rep.CRMCallsDeleted, wantGone)
	}
	assertForgotten := func(stage string) {
		t.Helper()
		keys := w.hubSpotKeys()
		for _, c := range tr.Calls {
			want := 1
			if involves(c, victim) {
				want = 0
			}
			if got := keys[callKey(c)]; got != want {
				t.Errorf("%s: call %d: %d HubSpot calls, want %d", stage, c.Index, got, want)
			}
		}
		for _, c := range w.hub.Calls() {
			if c.Properties["hs_call_from_number"] == victim || c.Properties["hs_call_to_number"] == victim {
				t.Errorf("%s: HubSpot still holds a call of the forgotten number", stage)
			}
		}
	}
	assertForgotten("after forget")
	again, err := privacy.Forget(ctx, store, hs, victim, privacy.ForgetOptions{})
	if err != nil || again.CRMCallsDeleted != 0 {
		t.Errorf("second forget: deleted %d, err %v; want 0, nil", again.CRMCallsDeleted, err)
	}

	// Replay everything from the start with a policy that has read the
	// tombstone.
	pol := openPolicy(t, w.broker.Addrs())
	replay := w.start("replay", pol, hs)
	w.waitSettled(replay, len(tr.Messages))
	if err := replay.shutdown(); err != nil {
		t.Fatal(err)
	}
	assertForgotten("after replay")
	if got := w.skips.by[privacy.ReasonTombstone].Load(); got != int64(wantGone) {
		t.Errorf("replay skipped %d calls for the tombstone, want %d", got, wantGone)
	}
	if len(w.hub.Calls()) != total-wantGone {
		t.Errorf("HubSpot holds %d calls after replay, want %d", len(w.hub.Calls()), total-wantGone)
	}
}

// A call still waiting in the join when its number is forgotten is dropped
// without output when it completes: its pending state goes nowhere.
func TestForgetDropsACallPendingInTheJoin(t *testing.T) {
	w := newWorld(t)
	tr, err := callgen.Generate(callgen.Config{Seed: 43, Calls: 1, TranscriptShare: -1,
		Providers: []stages.Provider{stages.ProviderAircall}})
	if err != nil {
		t.Fatal(err)
	}
	c := tr.Calls[0]
	var events []callgen.Message
	for _, m := range tr.Messages {
		if m.Topic == callgen.KindEvents {
			events = append(events, m)
		}
	}
	if len(events) < 2 {
		t.Fatalf("need a call with several events, got %d", len(events))
	}
	pol := openPolicy(t, w.broker.Addrs())
	hs := w.hubSpotSink()
	r := w.start("pending", pol, hs)
	// Everything but the final event: the call waits in the join.
	w.produce(events[:len(events)-1])
	eventually60(t, "first events read", func() bool { return r.p.Stats().RecordsRead.Load() >= int64(len(events)-1) })
	if r.p.InFlight() == 0 {
		t.Fatal("the call is not pending")
	}
	store := openStore(t, w.broker.Addrs(), nil)
	if _, err := privacy.Forget(testCtx(t), store, hs, external(c), privacy.ForgetOptions{}); err != nil {
		t.Fatal(err)
	}
	eventually(t, "policy sees the tombstone", func() bool { return pol.Forgotten(external(c)) })
	w.produce(events[len(events)-1:])
	w.waitSettled(r, len(events))
	if err := r.shutdown(); err != nil {
		t.Fatal(err)
	}
	if n := len(w.hub.Calls()); n != 0 {
		t.Errorf("HubSpot holds %d calls; the pending call of a forgotten number must be dropped", n)
	}
	if got := w.skips.by[privacy.ReasonTombstone].Load(); got != 1 {
		t.Errorf("%d tombstone skips, want 1", got)
	}
}

// aggregatesStore is where the canary test's aggregates go: a real MinIO
// when CALLVEIL_TEST_S3_ENDPOINT (or CI's CALLVEIL_MINIO_ENDPOINT) is set,
// else the sink's local-directory backend. contents returns every byte
// stored.
type aggregatesStore struct {
	cfg      objectstore.Config
	contents func() []byte
}

func newAggregatesStore(t *testing.T) aggregatesStore {
	t.Helper()
	cfg := objectstore.Config{WriterID: "canary", HashSecret: testSecret, Lateness: time.Minute,
		Now: func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }}
	endpoint := os.Getenv("CALLVEIL_TEST_S3_ENDPOINT")
	if endpoint == "" {
		endpoint = os.Getenv("CALLVEIL_MINIO_ENDPOINT")
	}
	if endpoint == "" {
		t.Log("aggregates: local-directory backend (set CALLVEIL_TEST_S3_ENDPOINT or CALLVEIL_MINIO_ENDPOINT for MinIO)")
		cfg.Dir = t.TempDir()
		return aggregatesStore{cfg: cfg, contents: func() []byte {
			var all []byte
			filepath.WalkDir(cfg.Dir, func(p string, d os.DirEntry, err error) error {
				if err == nil && !d.IsDir() {
					b, _ := os.ReadFile(p)
					all = append(append(all, p...), b...)
				}
				return nil
			})
			return all
		}}
	}
	t.Log("aggregates: S3 at", endpoint)
	access, secret := os.Getenv("CALLVEIL_MINIO_ACCESS_KEY"), os.Getenv("CALLVEIL_MINIO_SECRET_KEY")
	cfg.Endpoint, cfg.Insecure, cfg.Bucket = endpoint, true, "privacy-canary-"+strconv.FormatInt(time.Now().UnixNano(), 36)
	cfg.Credentials = objectstore.Credentials{AccessKeyID: access, SecretAccessKey: secret}
	return aggregatesStore{cfg: cfg, contents: func() []byte {
		mc, err := minio.New(endpoint, &minio.Options{Creds: credentials.NewStaticV4(access, secret, "")})
		if err != nil {
			t.Fatal(err)
		}
		var all []byte
		for o := range mc.ListObjects(context.Background(), cfg.Bucket, minio.ListObjectsOptions{Recursive: true}) {
			if o.Err != nil {
				t.Fatal(o.Err)
			}
			obj, err := mc.GetObject(context.Background(), cfg.Bucket, o.Key, minio.GetObjectOptions{})
			if err != nil {
				t.Fatal(err)
			}
			b, err := io.ReadAll(obj)
			if err != nil {
				t.Fatal(err)
			}
			all = append(append(all, o.Key...), b...)
		}
		return all
	}}
}

// The whole pipeline on canary traffic: Kafka in, HubSpot and the
// aggregates store out, poison records to dead letters, an objection in
// force. Every canary is then searched (case-insensitively: Deepgram
// lowercases words) in everything callveil produced: debug logs, the
// metrics exposition, dead letters (values and headers), the privacy
// topic, error strings, every stored aggregate byte and every request
// HubSpot received. None may be found anywhere; the calls' two numbers
// only in HubSpot's number properties and its contact search.
func TestCanariesReachOnlyTheirAllowedPlaces(t *testing.T) {
	w := newWorld(t)
	tr, err := callgen.Generate(callgen.Config{Seed: 51, Calls: 40, Poison: 11, Canary: true})
	if err != nil {
		t.Fatal(err)
	}
	store := openStore(t, w.broker.Addrs(), nil)
	objected := pickExternal(t, tr)
	if err := store.Add(testCtx(t), privacy.KindObjection, objected); err != nil {
		t.Fatal(err)
	}
	pol := openPolicy(t, w.broker.Addrs())
	agg := newAggregatesStore(t)
	aggSink, err := objectstore.New(context.Background(), agg.cfg)
	if err != nil {
		t.Fatal(err)
	}
	hs := w.hubSpotSink()
	w.produce(tr.Messages)
	r := w.start("canary", pol, hs, aggSink)
	w.waitSettled(r, len(tr.Messages))
	var errs []string
	if err := r.shutdown(); err != nil {
		errs = append(errs, err.Error())
	}
	if err := aggSink.Close(context.Background()); err != nil {
		errs = append(errs, err.Error())
	}
	if r.p.Stats().DeadLetters.Load() < int64(len(tr.Poison)) || r.p.Stats().CallsDelivered.Load() == 0 {
		t.Fatalf("run did not exercise dead letters and delivery: %d dead letters, %d calls",
			r.p.Stats().DeadLetters.Load(), r.p.Stats().CallsDelivered.Load())
	}

	// Everything callveil produced, by place.
	places := map[string]string{}
	places["log"] = w.logs.String()
	scrape := httptest.NewRecorder()
	w.metrics.Handler().ServeHTTP(scrape, httptest.NewRequest("GET", "/metrics", nil))
	places["metrics"] = scrape.Body.String()
	for _, topic := range []string{deadLetterTopic, privacy.DefaultTopic} {
		var sb strings.Builder
		for _, m := range readTopic(t, w.broker.Addrs(), topic) {
			sb.Write(m.Key)
			sb.Write(m.Value)
			for _, h := range m.Headers {
				sb.WriteString(h.Key + "=" + string(h.Value))
			}
		}
		places[topic] = sb.String()
	}
	places["errors"] = strings.Join(errs, "\n")
	places["aggregates"] = string(agg.contents())
	if len(places["aggregates"]) == 0 {
		t.Fatal("no aggregates were stored")
	}
	var hubBodies strings.Builder
	for _, rq := range w.hub.Requests() {
		hubBodies.WriteString(rq.Method + " " + rq.Path + "?" + rq.Query + "\n")
		hubBodies.Write(rq.Body)
	}
	places["hubspot"] = hubBodies.String()
	if !strings.Contains(places["metrics"], "objection") {
		t.Error("metrics do not show the objection skip: is the observer wired?")
	}

	canaries := tr.Canaries()
	if len(canaries) < 100 {
		t.Fatalf("only %d canaries", len(canaries))
	}
	for place, text := range places {
		lower := strings.ToLower(text)
		found := 0
		for _, c := range canaries {
			if strings.Contains(lower, strings.ToLower(c.Value)) {
				found++
				if found <= 3 {
					t.Errorf("canary of %s found in %s", c.Field, place)
				}
			}
		}
		if found > 3 {
			t.Errorf("... %d canaries in all in %s", found, place)
		}
		for _, c := range tr.Calls {
			if len(c.CallID) > 5 && strings.Contains(lower, strings.ToLower(c.CallID)) {
				t.Errorf("provider call id of call %d found in %s", c.Index, place)
			}
			if place == "hubspot" {
				continue // numbers checked property by property below
			}
			for _, n := range []string{c.From, c.To} {
				if n != "" && (strings.Contains(text, n) || strings.Contains(text, n[1:])) {
					t.Errorf("a number of call %d found in %s", c.Index, place)
				}
			}
		}
	}
	// Dead letters carry no payload bytes: no 24-byte stretch of any
	// poison record's payload occurs in them.
	checked := 0
	for _, m := range tr.Messages {
		if m.Poison == nil || len(m.Value) < 24 || len(m.Value) > 1<<20 {
			continue
		}
		checked++
		for i := 0; i+24 <= len(m.Value); i += 4 {
			if strings.Contains(places[deadLetterTopic], string(m.Value[i:i+24])) {
				t.Errorf("dead letters hold payload bytes of poison record %s", m.Poison.Name)
				break
			}
		}
	}
	if checked == 0 {
		t.Error("no poison payload was checked against the dead letters")
	}
	assertNumbersOnlyInNumberFields(t, w.hub, tr)
	if reqs := w.hub.RequestsContaining(objected); len(reqs) > 0 {
		t.Errorf("the objected number reached HubSpot in %d request(s)", len(reqs))
	}
}

// assertNumbersOnlyInNumberFields walks every JSON body HubSpot received
// and allows a call's number only as the value of hs_call_from_number or
// hs_call_to_number, or as a value of a phone/mobilephone contact search.
func assertNumbersOnlyInNumberFields(t *testing.T, srv *hubspottest.Server, tr *callgen.Traffic) {
	t.Helper()
	numbers := map[string]bool{}
	for _, c := range tr.Calls {
		for _, n := range []string{c.From, c.To} {
			if n != "" {
				numbers[n] = true
			}
		}
	}
	var bad, allowed int
	for _, rq := range srv.Requests() {
		if len(rq.Body) == 0 {
			continue
		}
		var v any
		if err := jsonUnmarshal(rq.Body, &v); err != nil {
			t.Fatalf("request to %s is not JSON", rq.Path)
		}
		walkStrings(v, "", func(path, s string) {
			for n := range numbers {
				if !strings.Contains(s, n[1:]) {
					continue
				}
				ok := s == n && (strings.HasSuffix(path, ".hs_call_from_number") || strings.HasSuffix(path, ".hs_call_to_number") ||
					strings.HasSuffix(path, ".values[]") || strings.HasSuffix(path, ".value"))
				if ok {
					allowed++
				} else {
					bad++
					if bad <= 3 {
						t.Errorf("a number reached HubSpot at %s of %s", path, rq.Path)
					}
				}
			}
		})
	}
	if allowed == 0 {
		t.Error("no number reached HubSpot's number properties: the check checked nothing")
	}
	if bad > 3 {
		t.Errorf("... %d misplaced numbers in all", bad)
	}
}
