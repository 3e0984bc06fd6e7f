// Package monitoring is what an operator watches: Prometheus metrics (the
// pipeline's Observer), the consumer lag, and the liveness and readiness
// probes, served together on the ops port. It does not import pipeline:
// the pipeline reaches it only through its Observer interface.
package monitoring

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/segmentio/kafka-go"

	"github.com/callveil/callveil/redact"
	"github.com/callveil/callveil/stages"
)

// otherLabel replaces any label value outside a metric's fixed vocabulary.
// Observer arguments are value-free by contract, but a label set that grew
// with its input would still be a cardinality bomb and, should a caller ever
// break the contract, a leak: so every label is checked against a closed
// list, and whatever is not on it is counted as "other".
const otherLabel = "other"

// reasonOrphanTranscript is pipeline.ReasonOrphanTranscript.
const reasonOrphanTranscript = "orphan_transcript"

// TopicPartition names one partition of a topic, as pipeline.TopicPartition
// does.
type TopicPartition struct {
	Topic     string
	Partition int
}

// maxPartitionLabel bounds the partition numbers used as label values.
const maxPartitionLabel = 1024

// MetricsConfig fixes the label vocabularies of a Metrics.
type MetricsConfig struct {
	// Topics are the topic names that may appear as labels (the configured
	// events, transcripts and dead-letter topics). Default: the default
	// topic names.
	Topics []string
	// Sinks are the sink names that may appear as labels. Default: file,
	// hubspot, objectstore.
	Sinks []string
	// Languages that may appear as labels. Default: the seven supported.
	Languages []string
}

// Metrics is a pipeline Observer that keeps Prometheus metrics in its own
// registry (never the global one, so two pipelines in one process, or two
// tests, do not share counters). Serve it with Handler.
type Metrics struct {
	reg *prometheus.Registry

	topics, sinks, languages, piiTypes vocabulary
	stagesV, outcomes, skipReasons     vocabulary
	reasons, degradedFields            vocabulary

	recordsRead    *prometheus.CounterVec
	recordsSettled *prometheus.CounterVec
	deadLetters    *prometheus.CounterVec
	skipped        *prometheus.CounterVec
	degraded       *prometheus.CounterVec
	stageSeconds   *prometheus.HistogramVec
	sinkSeconds    *prometheus.HistogramVec
	sinkRetries    *prometheus.CounterVec
	callsDelivered prometheus.Counter
	redactions     *prometheus.CounterVec
	languagesSeen  *prometheus.CounterVec
	joinPending    prometheus.Gauge
	joinClockLag   prometheus.Gauge
	committed      *prometheus.GaugeVec
}

// vocabulary is a closed set of label values.
type vocabulary map[string]bool

func vocab(vs ...string) vocabulary {
	m := vocabulary{}
	for _, v := range vs {
		m[v] = true
	}
	return m
}

// label returns v when it is in the vocabulary, else "other".
func (voc vocabulary) label(v string) string {
	if voc[v] {
		return v
	}
	return otherLabel
}

// NewMetrics builds the metrics and registers them, with Go runtime and
// process collectors, in a new registry.
func NewMetrics(cfg MetricsConfig) *Metrics {
	cfg = cfg.withDefaults()
	m := newVocabularies(cfg)
	m.newRecordMetrics()
	m.newDeliveryMetrics()
	m.newJoinMetrics()
	m.reg.MustRegister(m.recordsRead, m.recordsSettled, m.deadLetters, m.skipped, m.degraded, m.stageSeconds, m.sinkSeconds,
		m.sinkRetries, m.callsDelivered, m.redactions, m.languagesSeen, m.joinPending, m.joinClockLag, m.committed,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	// Series that exist from the start read 0 instead of being absent, so
	// rate() and alerts work before the first record.
	for _, t := range cfg.Topics {
		m.recordsRead.WithLabelValues(t)
		m.recordsSettled.WithLabelValues(t)
	}
	return m
}

// withDefaults fills in the label values of the default deployment for
// those cfg leaves empty.
func (cfg MetricsConfig) withDefaults() MetricsConfig {
	if len(cfg.Topics) == 0 {
		cfg.Topics = []string{"calls.events", "calls.transcripts", "calls.deadletter"}
	}
	if len(cfg.Sinks) == 0 {
		cfg.Sinks = []string{"file", "hubspot", "objectstore"}
	}
	if len(cfg.Languages) == 0 {
		cfg.Languages = []string{"en", "de", "fr", "es", "it", "nl", "pt"}
	}
	return cfg
}

// newVocabularies returns Metrics with its registry and the bounded sets
// of label values it accepts; any other value is counted as otherLabel, so
// that no input can grow the number of series or leak into a label.
func newVocabularies(cfg MetricsConfig) *Metrics {
	piiTypes := make([]string, len(redact.AllTypes))
	for i, t := range redact.AllTypes {
		piiTypes[i] = string(t)
	}
	return &Metrics{
		reg:         prometheus.NewRegistry(),
		topics:      vocab(cfg.Topics...),
		sinks:       vocab(cfg.Sinks...),
		languages:   vocab(append(slices.Clone(cfg.Languages), "none")...),
		piiTypes:    vocab(piiTypes...),
		stagesV:     vocab("parse", "join", "minimize_redact"),
		outcomes:    vocab("ok", "rejected", "error", "fatal"),
		skipReasons: vocab("no_call_data", "late_event", "objection", "tombstone"),
		reasons:     vocab(reasonCodes()...),
		// The parsers' own field names: a bounded set, no value.
		degradedFields: vocab(stages.DegradableFields()...),
	}
}

// reasonCodes lists every dead-letter reason code: the pipeline's own
// first, then the stages'.
func reasonCodes() []string {
	// pipeline.ReasonOrphanTranscript, the pipeline's own reason; a test
	// in pipeline/ holds the two together.
	reasons := []string{reasonOrphanTranscript}
	for _, r := range []stages.Reason{stages.ReasonMalformedJSON, stages.ReasonMalformedForm, stages.ReasonInvalidUTF8,
		stages.ReasonTooLarge, stages.ReasonUnknownProvider, stages.ReasonUnknownCallProvider, stages.ReasonAudioPayload,
		stages.ReasonMissingField, stages.ReasonInvalidField, stages.ReasonUnsupportedEvent, stages.ReasonSinkRejected,
		stages.ReasonStagePanic} {
		reasons = append(reasons, string(r))
	}
	return reasons
}

// metricsNamespace prefixes every metric name.
const metricsNamespace = "callveil"

// counterVec is a counter of the callveil namespace, by labels.
func counterVec(name, help string, labels ...string) *prometheus.CounterVec {
	return prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: metricsNamespace, Name: name, Help: help}, labels)
}

// newRecordMetrics builds the per-record counters: read, settled,
// dead-lettered, skipped and degraded.
func (m *Metrics) newRecordMetrics() {
	m.recordsRead = counterVec("records_read_total",
		"Records read from Kafka, by topic.", "topic")
	m.recordsSettled = counterVec("records_processed_total",
		"Records whose effects are durable (delivered, dead-lettered or skipped), by topic.", "topic")
	m.deadLetters = counterVec("records_dead_lettered_total",
		"Records written as dead letters, by source topic and reason code.", "topic", "reason")
	m.skipped = counterVec("records_skipped_total",
		"Records or calls that needed no output, by reason.", "reason")
	m.degraded = counterVec("records_degraded_total",
		"Fields of records that could not be read and were replaced or left out (a time by the record's time, a duration or offset by unknown, a value of the wrong JSON type left out) instead of losing the record, by field name.", "field")
}

// newDeliveryMetrics builds the metrics of work on calls: time per stage
// and per sink write, retries, and what was delivered.
func (m *Metrics) newDeliveryMetrics() {
	const ns = metricsNamespace
	m.stageSeconds = prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: ns, Name: "stage_duration_seconds",
		Help:    "Time one record or call spent in a stage.",
		Buckets: prometheus.ExponentialBuckets(20e-6, 4, 10)}, []string{"stage"})
	m.sinkSeconds = prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: ns, Name: "sink_write_duration_seconds",
		Help:    "Duration of one sink Write (a batch), by sink and outcome; the count is the number of attempts.",
		Buckets: prometheus.ExponentialBuckets(1e-3, 3, 10)}, []string{"sink", "outcome"})
	m.sinkRetries = counterVec("sink_retries_total",
		"Sink writes that failed transiently and were retried, by sink.", "sink")
	m.callsDelivered = prometheus.NewCounter(prometheus.CounterOpts{Namespace: ns, Name: "calls_delivered_total",
		Help: "Calls accepted by every sink."})
	m.redactions = counterVec("redactions_total",
		"Redacted spans in delivered calls, by PII type.", "type")
	m.languagesSeen = counterVec("language_detections_total",
		"Delivered calls by transcript language (none: no transcript).", "language")
}

// newJoinMetrics builds the join's gauges and the committed offsets.
func (m *Metrics) newJoinMetrics() {
	const ns = metricsNamespace
	m.joinPending = prometheus.NewGauge(prometheus.GaugeOpts{Namespace: ns, Name: "join_pending_calls",
		Help: "Calls waiting in the join for their missing half."})
	m.joinClockLag = prometheus.NewGauge(prometheus.GaugeOpts{Namespace: ns, Name: "join_clock_lag_seconds",
		Help: "How far the join's clock is behind the wall clock: it stands still while a partition is not read or read behind its end, and no call expires meanwhile."})
	m.committed = prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: ns, Name: "committed_offset",
		Help: "Last offset this instance committed, by topic and partition."}, []string{"topic", "partition"})
}

// Registry is the metrics' own registry (for extra collectors such as a
// LagCollector, and for tests).
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Handler serves the registry in the Prometheus exposition formats.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// RecordRead implements Observer.
func (m *Metrics) RecordRead(topic string) {
	m.recordsRead.WithLabelValues(m.topics.label(topic)).Inc()
}

// RecordSettled implements Observer.
func (m *Metrics) RecordSettled(topic string) {
	m.recordsSettled.WithLabelValues(m.topics.label(topic)).Inc()
}

// DeadLettered implements Observer.
func (m *Metrics) DeadLettered(topic string, reason stages.Reason) {
	m.deadLetters.WithLabelValues(m.topics.label(topic), m.reasons.label(string(reason))).Inc()
}

// Skipped implements Observer.
func (m *Metrics) Skipped(reason string) {
	m.skipped.WithLabelValues(m.skipReasons.label(reason)).Inc()
}

// RecordDegraded implements DegradedObserver; field is one of
// stages.DegradableFields.
func (m *Metrics) RecordDegraded(field string) {
	m.degraded.WithLabelValues(m.degradedFields.label(field)).Inc()
}

// StageDone implements Observer.
func (m *Metrics) StageDone(stage string, d time.Duration) {
	m.stageSeconds.WithLabelValues(m.stagesV.label(stage)).Observe(d.Seconds())
}

// SinkWrite implements Observer. The pipeline retries every write whose
// outcome is "error", so those are counted as retries too.
func (m *Metrics) SinkWrite(sink, outcome string, d time.Duration) {
	s, o := m.sinks.label(sink), m.outcomes.label(outcome)
	m.sinkSeconds.WithLabelValues(s, o).Observe(d.Seconds())
	if o == "error" {
		m.sinkRetries.WithLabelValues(s).Inc()
	}
}

// CallDelivered implements Observer.
func (m *Metrics) CallDelivered(language string, redactions map[string]int) {
	m.callsDelivered.Inc()
	if language == "" {
		language = "none"
	}
	m.languagesSeen.WithLabelValues(m.languages.label(language)).Inc()
	for typ, n := range redactions {
		if n > 0 {
			m.redactions.WithLabelValues(m.piiTypes.label(typ)).Add(float64(n))
		}
	}
}

// JoinPending implements Observer.
func (m *Metrics) JoinPending(n int) { m.joinPending.Set(float64(n)) }

// JoinClockLag implements Observer.
func (m *Metrics) JoinClockLag(d time.Duration) { m.joinClockLag.Set(d.Seconds()) }

// Committed implements Observer.
func (m *Metrics) Committed(topic string, partition int, offset int64) {
	m.committed.WithLabelValues(m.topics.label(topic), partitionLabel(partition)).Set(float64(offset))
}

func partitionLabel(p int) string {
	if p < 0 || p >= maxPartitionLabel {
		return otherLabel
	}
	return strconv.Itoa(p)
}

// LagCollector reports the consumer group's lag per partition (end offset
// minus committed offset) at scrape time. It asks the brokers on every
// scrape, within Timeout, so it needs no goroutine of its own. The lag is
// the group's, not this instance's: with several instances, aggregate with
// max by (topic, partition), not sum.
type LagCollector struct {
	client  *kafka.Client
	group   string
	topics  []string
	timeout time.Duration
	lag     *prometheus.Desc
	up      *prometheus.Desc
}

// NewLagCollector builds a LagCollector for group on topics.
func NewLagCollector(brokers []string, group string, topics []string, timeout time.Duration) *LagCollector {
	if timeout <= 0 {
		timeout = 3 * time.Second
	}
	return &LagCollector{
		// An own transport: the default one is shared process-wide state.
		client: &kafka.Client{Addr: kafka.TCP(brokers...), Timeout: timeout,
			Transport: &kafka.Transport{DialTimeout: timeout, IdleTimeout: 30 * time.Second}},
		group: group, topics: slices.Clone(topics), timeout: timeout,
		lag: prometheus.NewDesc("callveil_consumer_lag", "Records not yet committed by the consumer group, by topic and partition.",
			[]string{"topic", "partition"}, nil),
		up: prometheus.NewDesc("callveil_consumer_lag_up", "1 when the last lag query succeeded.", nil, nil),
	}
}

// Describe implements prometheus.Collector.
func (c *LagCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.lag; ch <- c.up }

// Collect implements prometheus.Collector.
func (c *LagCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
	defer cancel()
	lags, err := c.Lags(ctx)
	up := 1.0
	if err != nil {
		up = 0
	}
	ch <- prometheus.MustNewConstMetric(c.up, prometheus.GaugeValue, up)
	for tp, lag := range lags {
		ch <- prometheus.MustNewConstMetric(c.lag, prometheus.GaugeValue, float64(lag), tp.Topic, partitionLabel(tp.Partition))
	}
}

// Close releases the collector's connections.
func (c *LagCollector) Close() {
	if t, ok := c.client.Transport.(*kafka.Transport); ok {
		t.CloseIdleConnections()
	}
}

// Lags queries the group's committed offsets and the partitions' end
// offsets. A partition without a commit counts from its first offset.
func (c *LagCollector) Lags(ctx context.Context) (map[TopicPartition]int64, error) {
	meta, err := c.client.Metadata(ctx, &kafka.MetadataRequest{Topics: c.topics})
	if err != nil {
		return nil, err
	}
	parts, firstReq, lastReq := offsetRequests(meta)
	if len(parts) == 0 {
		return nil, nil
	}
	firsts, err := c.client.ListOffsets(ctx, &kafka.ListOffsetsRequest{Topics: firstReq})
	if err != nil {
		return nil, err
	}
	ends, err := c.client.ListOffsets(ctx, &kafka.ListOffsetsRequest{Topics: lastReq})
	if err != nil {
		return nil, err
	}
	committed, err := c.client.OffsetFetch(ctx, &kafka.OffsetFetchRequest{GroupID: c.group, Topics: parts})
	if err != nil {
		return nil, err
	}
	if committed.Error != nil && !errors.Is(committed.Error, kafka.GroupIdNotFound) {
		// A group that never committed is not known yet: all is lag.
		return nil, committed.Error
	}
	return lags(ends, committedOffsets(committed), firstOffsets(firsts)), nil
}

// offsetRequests lists the partitions of the topics meta names without
// error, and the ListOffsets requests for their first and last offsets.
// First and last offsets go in two requests: a broker refuses a
// ListOffsets that names one partition twice.
func offsetRequests(meta *kafka.MetadataResponse) (parts map[string][]int, firstReq, lastReq map[string][]kafka.OffsetRequest) {
	parts = map[string][]int{}
	firstReq, lastReq = map[string][]kafka.OffsetRequest{}, map[string][]kafka.OffsetRequest{}
	for _, t := range meta.Topics {
		if t.Error != nil {
			continue
		}
		for _, p := range t.Partitions {
			parts[t.Name] = append(parts[t.Name], p.ID)
			firstReq[t.Name] = append(firstReq[t.Name], kafka.FirstOffsetOf(p.ID))
			lastReq[t.Name] = append(lastReq[t.Name], kafka.LastOffsetOf(p.ID))
		}
	}
	return parts, firstReq, lastReq
}

// committedOffsets are the group's commits, leaving out partitions the
// broker answered with an error.
func committedOffsets(committed *kafka.OffsetFetchResponse) map[TopicPartition]int64 {
	commit := map[TopicPartition]int64{}
	for topic, ps := range committed.Topics {
		for _, p := range ps {
			if p.Error == nil {
				commit[TopicPartition{topic, p.Partition}] = p.CommittedOffset
			}
		}
	}
	return commit
}

// firstOffsets are the partitions' first offsets, leaving out partitions
// the broker answered with an error.
func firstOffsets(firsts *kafka.ListOffsetsResponse) map[TopicPartition]int64 {
	start := map[TopicPartition]int64{}
	for topic, ps := range firsts.Topics {
		for _, p := range ps {
			if p.Error == nil {
				start[TopicPartition{topic, p.Partition}] = p.FirstOffset
			}
		}
	}
	return start
}

// lags is each partition's end offset less its commit, or less its first
// offset where it has no commit or one the log's retention has passed;
// never negative.
func lags(ends *kafka.ListOffsetsResponse, commit, start map[TopicPartition]int64) map[TopicPartition]int64 {
	out := map[TopicPartition]int64{}
	for topic, ps := range ends.Topics {
		for _, p := range ps {
			if p.Error != nil {
				continue
			}
			tp := TopicPartition{topic, p.Partition}
			from, ok := commit[tp]
			if first := start[tp]; !ok || from < first {
				from = first
			}
			out[tp] = max(p.LastOffset-from, 0)
		}
	}
	return out
}
