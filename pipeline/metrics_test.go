package pipeline_test

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/callveil/callveil/internal/callgen"
	"github.com/callveil/callveil/pipeline"
	"github.com/callveil/callveil/pipeline/monitoring"
	"github.com/callveil/callveil/sinks"
	"github.com/callveil/callveil/stages"
)

// scrape fetches url over HTTP and parses the text exposition format, as
// Prometheus would. It returns the families and the raw body.
func scrape(t *testing.T, url string) (map[string]*dto.MetricFamily, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("scrape: status %d", resp.StatusCode)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("scrape: not the exposition format: %v", err)
	}
	return fams, string(body)
}

// sumOf adds a family's counter, gauge or histogram-count values, over the
// series whose labels include every pair in match.
func sumOf(fams map[string]*dto.MetricFamily, name string, match map[string]string) float64 {
	f := fams[name]
	if f == nil {
		return 0
	}
	var sum float64
next:
	for _, m := range f.GetMetric() {
		for k, v := range match {
			if labelOf(m, k) != v {
				continue next
			}
		}
		switch {
		case m.Counter != nil:
			sum += m.GetCounter().GetValue()
		case m.Gauge != nil:
			sum += m.GetGauge().GetValue()
		case m.Histogram != nil:
			sum += float64(m.GetHistogram().GetSampleCount())
		}
	}
	return sum
}

func labelOf(m *dto.Metric, name string) string {
	for _, l := range m.GetLabel() {
		if l.GetName() == name {
			return l.GetValue()
		}
	}
	return ""
}

// labelValues lists the values a label takes in a family.
func labelValues(fams map[string]*dto.MetricFamily, name, label string) map[string]bool {
	out := map[string]bool{}
	for _, m := range fams[name].GetMetric() {
		out[labelOf(m, label)] = true
	}
	return out
}

func (h *harness) observedPipeline(obs pipeline.Observer, ss ...sinks.Sink) *pipeline.Pipeline {
	h.t.Helper()
	red, err := sharedRedactor()
	if err != nil {
		h.t.Fatal(err)
	}
	p, err := pipeline.New(pipeline.Config{
		Brokers: h.broker.Addrs(), Group: h.group,
		EventsTopic: eventsTopic, TranscriptsTopic: transcriptsTopic, DeadLetterTopic: deadLetterTopic,
		KeySecret: testSecret, Join: stages.JoinConfig{TTL: h.ttl},
		Redact: stages.RedactConfig{Redactor: red}, Sinks: ss, Observer: obs,
		Logger:         slog.New(slog.NewTextHandler(h.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		CommitInterval: 50 * time.Millisecond, BatchLinger: 10 * time.Millisecond,
		RetryBackoff: 5 * time.Millisecond, MaxRetryBackoff: 50 * time.Millisecond,
		ShutdownTimeout: time.Second,
	})
	if err != nil {
		h.t.Fatal(err)
	}
	return p
}

// Records flow through a real pipeline over the Kafka protocol; the
// scraped counters move with them, agree with the generator's truth, and
// carry no personal value (canaries) in any label.
func TestMetricsScrapedCountersMoveAsRecordsFlow(t *testing.T) {
	h := newHarness(t, 3)
	traffic, err := callgen.Generate(callgen.Config{Seed: 31, Calls: 40, Poison: 11, Canary: true})
	if err != nil {
		t.Fatal(err)
	}
	m := monitoring.NewMetrics(monitoring.MetricsConfig{Topics: []string{eventsTopic, transcriptsTopic, deadLetterTopic}})
	lag := monitoring.NewLagCollector(h.broker.Addrs(), h.group, []string{eventsTopic, transcriptsTopic}, 5*time.Second)
	defer lag.Close()
	m.Registry().MustRegister(lag)
	srv := httptest.NewServer(monitoring.OpsMux(m, nil))
	defer srv.Close()

	fams, _ := scrape(t, srv.URL+"/metrics")
	if got := sumOf(fams, "callveil_records_read_total", nil); got != 0 {
		t.Fatalf("records read before any traffic = %v", got)
	}
	h.produce(traffic.Messages)
	fams, _ = scrape(t, srv.URL+"/metrics")
	if got := sumOf(fams, "callveil_consumer_lag", nil); got != float64(len(traffic.Messages)) {
		t.Errorf("lag before the pipeline ran = %v, want every produced record (%d)", got, len(traffic.Messages))
	}

	p := h.observedPipeline(m, h.fileSink())
	r := h.start(p)
	h.waitSettled(p, len(traffic.Messages))
	h.waitFor("lag back to 0 after commits", func() bool {
		f, _ := scrape(t, srv.URL+"/metrics")
		return sumOf(f, "callveil_consumer_lag_up", nil) == 1 && sumOf(f, "callveil_consumer_lag", nil) == 0
	})
	if err := r.shutdown(); err != nil {
		t.Fatal(err)
	}

	fams, body := scrape(t, srv.URL+"/metrics")
	var events, transcripts int
	for _, msg := range traffic.Messages {
		if msg.Topic == callgen.KindTranscripts {
			transcripts++
		} else {
			events++
		}
	}
	checks := []struct {
		name  string
		match map[string]string
		want  float64
	}{
		{"callveil_records_read_total", map[string]string{"topic": eventsTopic}, float64(events)},
		{"callveil_records_read_total", map[string]string{"topic": transcriptsTopic}, float64(transcripts)},
		{"callveil_records_processed_total", nil, float64(len(traffic.Messages))},
		{"callveil_records_dead_lettered_total", nil, float64(len(traffic.Poison))},
		{"callveil_stage_duration_seconds", map[string]string{"stage": "parse"}, float64(len(traffic.Messages))},
		{"callveil_calls_delivered_total", nil, float64(p.Stats().CallsDelivered.Load())},
		{"callveil_language_detections_total", nil, float64(p.Stats().CallsDelivered.Load())},
		{"callveil_join_pending_calls", nil, 0},
	}
	for _, c := range checks {
		if got := sumOf(fams, c.name, c.match); got != c.want {
			t.Errorf("%s%v = %v, want %v", c.name, c.match, got, c.want)
		}
	}
	if sumOf(fams, "callveil_calls_delivered_total", nil) < float64(len(traffic.Calls)) {
		t.Errorf("calls delivered below the %d calls", len(traffic.Calls))
	}
	// Dead letters per reason match the poison the generator put in.
	wantReasons := map[stages.Reason]int{}
	for _, pz := range traffic.Poison {
		wantReasons[pz.Reason]++
	}
	for reason, n := range wantReasons {
		if got := sumOf(fams, "callveil_records_dead_lettered_total", map[string]string{"reason": string(reason)}); got != float64(n) {
			t.Errorf("dead letters with reason %s = %v, want %d", reason, got, n)
		}
	}
	if sumOf(fams, "callveil_redactions_total", map[string]string{"type": "PERSON"}) == 0 {
		t.Error("no PERSON redaction counted, though the dialogues name people")
	}
	if sumOf(fams, "callveil_sink_write_duration_seconds", map[string]string{"sink": "file", "outcome": "ok"}) == 0 {
		t.Error("no successful file sink write observed")
	}
	if sumOf(fams, "callveil_committed_offset", nil) == 0 {
		t.Error("no committed offset reported")
	}
	langs := labelValues(fams, "callveil_language_detections_total", "language")
	wantLangs := map[string]bool{}
	for _, c := range traffic.Calls {
		if c.Transcript != nil {
			wantLangs[c.Language] = true
		}
	}
	for l := range wantLangs {
		if !langs[l] {
			t.Errorf("language %s of some transcripts not among the detections %v", l, langs)
		}
	}
	for l := range langs {
		if !map[string]bool{"en": true, "de": true, "fr": true, "es": true, "it": true, "nl": true, "pt": true, "none": true, "other": true}[l] {
			t.Errorf("language label %q outside the vocabulary", l)
		}
	}
	if fams["go_goroutines"] == nil {
		t.Error("Go runtime collector missing")
	}
	lower := strings.ToLower(body)
	for _, c := range traffic.Canaries() {
		if strings.Contains(lower, strings.ToLower(c.Value)) {
			t.Errorf("canary of %s appears in the metrics", c.Field)
		}
	}
	for _, c := range traffic.Calls {
		if strings.Contains(body, c.CallID) || (c.From != "" && strings.Contains(body, c.From)) {
			t.Errorf("call %d: id or number appears in the metrics", c.Index)
		}
	}
}

// Whatever a caller passes, labels stay within their vocabularies: a value
// that is not on the list is counted as "other" and never shows up.
func TestMetricsUnknownLabelValuesBecomeOther(t *testing.T) {
	const canary = "CANARY-+4915112345678-anna@example.org"
	tests := []struct {
		name   string
		call   func(m *monitoring.Metrics)
		family string
		label  string
	}{
		{"topic", func(m *monitoring.Metrics) { m.RecordRead(canary) }, "callveil_records_read_total", "topic"},
		{"settled topic", func(m *monitoring.Metrics) { m.RecordSettled(canary) }, "callveil_records_processed_total", "topic"},
		{"reason", func(m *monitoring.Metrics) { m.DeadLettered(eventsTopic, stages.Reason(canary)) }, "callveil_records_dead_lettered_total", "reason"},
		{"skip reason", func(m *monitoring.Metrics) { m.Skipped(canary) }, "callveil_records_skipped_total", "reason"},
		{"degraded field", func(m *monitoring.Metrics) { m.RecordDegraded(canary) }, "callveil_records_degraded_total", "field"},
		{"stage", func(m *monitoring.Metrics) { m.StageDone(canary, time.Millisecond) }, "callveil_stage_duration_seconds", "stage"},
		{"sink", func(m *monitoring.Metrics) { m.SinkWrite(canary, "ok", time.Millisecond) }, "callveil_sink_write_duration_seconds", "sink"},
		{"outcome", func(m *monitoring.Metrics) { m.SinkWrite("file", canary, time.Millisecond) }, "callveil_sink_write_duration_seconds", "outcome"},
		{"language", func(m *monitoring.Metrics) { m.CallDelivered(canary, nil) }, "callveil_language_detections_total", "language"},
		{"pii type", func(m *monitoring.Metrics) { m.CallDelivered("de", map[string]int{canary: 2}) }, "callveil_redactions_total", "type"},
		{"committed topic", func(m *monitoring.Metrics) { m.Committed(canary, 1, 5) }, "callveil_committed_offset", "topic"},
		{"partition", func(m *monitoring.Metrics) { m.Committed(eventsTopic, 1<<20, 5) }, "callveil_committed_offset", "partition"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := monitoring.NewMetrics(monitoring.MetricsConfig{})
			srv := httptest.NewServer(m.Handler())
			defer srv.Close()
			tc.call(m)
			fams, body := scrape(t, srv.URL)
			if strings.Contains(body, "CANARY") || strings.Contains(body, "4915112345678") {
				t.Fatal("a value outside the vocabulary reached the metrics")
			}
			if !labelValues(fams, tc.family, tc.label)["other"] {
				t.Errorf("%s{%s} has no \"other\" series: %v", tc.family, tc.label, labelValues(fams, tc.family, tc.label))
			}
		})
	}
	// Known values pass through unchanged.
	m := monitoring.NewMetrics(monitoring.MetricsConfig{})
	m.CallDelivered("nl", map[string]int{"IBAN": 3})
	m.SinkWrite("hubspot", "error", time.Millisecond)
	srv := httptest.NewServer(m.Handler())
	defer srv.Close()
	fams, _ := scrape(t, srv.URL)
	if got := sumOf(fams, "callveil_redactions_total", map[string]string{"type": "IBAN"}); got != 3 {
		t.Errorf("IBAN redactions = %v, want 3", got)
	}
	if got := sumOf(fams, "callveil_language_detections_total", map[string]string{"language": "nl"}); got != 1 {
		t.Errorf("nl detections = %v, want 1", got)
	}
	if got := sumOf(fams, "callveil_sink_retries_total", map[string]string{"sink": "hubspot"}); got != 1 {
		t.Errorf("hubspot retries = %v, want 1", got)
	}
}

// Two Metrics never share series: each has its own registry.
func TestMetricsOwnRegistry(t *testing.T) {
	a, b := monitoring.NewMetrics(monitoring.MetricsConfig{}), monitoring.NewMetrics(monitoring.MetricsConfig{})
	a.RecordRead("calls.events")
	sa := httptest.NewServer(a.Handler())
	defer sa.Close()
	sb := httptest.NewServer(b.Handler())
	defer sb.Close()
	fa, _ := scrape(t, sa.URL)
	fb, _ := scrape(t, sb.URL)
	if sumOf(fa, "callveil_records_read_total", nil) != 1 || sumOf(fb, "callveil_records_read_total", nil) != 0 {
		t.Error("metrics leak between instances")
	}
}

// monitoring.Metrics is the pipeline's Observer; monitoring does not
// import pipeline, so the pipeline's side holds the two together.
var (
	_ pipeline.Observer         = (*monitoring.Metrics)(nil)
	_ pipeline.DegradedObserver = (*monitoring.Metrics)(nil)
)

// The pipeline's own dead-letter reason is in the metrics' vocabulary, not
// counted as "other".
func TestMetricsKnowOrphanTranscript(t *testing.T) {
	m := monitoring.NewMetrics(monitoring.MetricsConfig{})
	m.DeadLettered(eventsTopic, pipeline.ReasonOrphanTranscript)
	srv := httptest.NewServer(m.Handler())
	defer srv.Close()
	fams, _ := scrape(t, srv.URL)
	want := map[string]string{"reason": string(pipeline.ReasonOrphanTranscript)}
	if got := sumOf(fams, "callveil_records_dead_lettered_total", want); got != 1 {
		t.Errorf("orphan_transcript dead letters = %v, want 1", got)
	}
}
