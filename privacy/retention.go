package privacy

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/segmentio/kafka-go"
)

// TopicRetention is what EnsureTopicRetention found or set.
type TopicRetention struct {
	Topic string
	// Created is true when the topic did not exist and was created.
	Created bool
	// Retention is the topic's retention.ms as a duration.
	Retention time.Duration
}

// EnsureTopicRetention makes sure topic (the dead-letter topic) deletes
// what it holds after at most maxAge. A missing topic is created with
// cleanup.policy=delete and retention.ms=maxAge. An existing topic is only
// checked (DescribeConfigs), never altered — it is the operator's — and an
// error naming the topic is returned when its retention is unbounded
// (retention.ms=-1, or a cleanup.policy without "delete") or longer than
// maxAge. Partitions and replication of a created topic are the cluster's
// defaults.
func EnsureTopicRetention(ctx context.Context, brokers []string, topic string, maxAge time.Duration) (TopicRetention, error) {
	out := TopicRetention{Topic: topic}
	switch {
	case len(brokers) == 0:
		return out, errors.New("privacy: retention: at least one broker address is required")
	case topic == "":
		return out, errors.New("privacy: retention: topic is required")
	case maxAge < time.Millisecond:
		return out, fmt.Errorf("privacy: retention of topic %s: maximum age must be at least 1ms", topic)
	}
	client := &kafka.Client{Addr: kafka.TCP(brokers...), Timeout: 30 * time.Second}
	ms := strconv.FormatInt(maxAge.Milliseconds(), 10)
	resp, err := client.CreateTopics(ctx, &kafka.CreateTopicsRequest{Topics: []kafka.TopicConfig{{
		Topic: topic, NumPartitions: -1, ReplicationFactor: -1,
		ConfigEntries: []kafka.ConfigEntry{
			{ConfigName: "cleanup.policy", ConfigValue: "delete"},
			{ConfigName: "retention.ms", ConfigValue: ms},
		},
	}}})
	if err != nil {
		return out, fmt.Errorf("privacy: creating topic %s: %w", topic, err)
	}
	switch err := resp.Errors[topic]; {
	case err == nil:
		out.Created, out.Retention = true, time.Duration(maxAge.Milliseconds())*time.Millisecond
		return out, nil
	case !errors.Is(err, kafka.TopicAlreadyExists):
		return out, fmt.Errorf("privacy: creating topic %s: %w", topic, err)
	}
	cfgs, err := describeTopic(ctx, client, topic, "cleanup.policy", "retention.ms")
	if err != nil {
		return out, err
	}
	if policy := cfgs["cleanup.policy"]; !strings.Contains(policy, "delete") {
		return out, fmt.Errorf("privacy: topic %s keeps records without a time bound (cleanup.policy=%q); set cleanup.policy=delete and retention.ms<=%d", topic, policy, maxAge.Milliseconds())
	}
	raw, ok := cfgs["retention.ms"]
	if !ok {
		return out, fmt.Errorf("privacy: topic %s: the broker did not report retention.ms", topic)
	}
	n, err := strconv.ParseInt(raw, 10, 64)
	if err != nil {
		return out, fmt.Errorf("privacy: topic %s: retention.ms is not a number", topic)
	}
	if n < 0 {
		return out, fmt.Errorf("privacy: topic %s keeps records forever (retention.ms=%d); set retention.ms<=%d", topic, n, maxAge.Milliseconds())
	}
	out.Retention = time.Duration(n) * time.Millisecond
	if out.Retention > maxAge {
		return out, fmt.Errorf("privacy: topic %s keeps records for %s, longer than the allowed %s; lower retention.ms to at most %d", topic, out.Retention, maxAge, maxAge.Milliseconds())
	}
	return out, nil
}
