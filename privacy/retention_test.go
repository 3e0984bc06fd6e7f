package privacy_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/callveil/callveil/privacy"
)

func TestEnsureTopicRetention(t *testing.T) {
	b := startBroker(t, 1)
	brokers := b.Addrs()
	c := &kafka.Client{Addr: kafka.TCP(brokers...)}
	create := func(topic string, cfg map[string]string) {
		t.Helper()
		tc := kafka.TopicConfig{Topic: topic, NumPartitions: 1, ReplicationFactor: 1}
		for k, v := range cfg {
			tc.ConfigEntries = append(tc.ConfigEntries, kafka.ConfigEntry{ConfigName: k, ConfigValue: v})
		}
		resp, err := c.CreateTopics(testCtx(t), &kafka.CreateTopicsRequest{Topics: []kafka.TopicConfig{tc}})
		if err != nil || resp.Errors[topic] != nil {
			t.Fatalf("create %s: %v %v", topic, err, resp.Errors[topic])
		}
	}
	const week = 7 * 24 * time.Hour
	create("dl-short", map[string]string{"retention.ms": "86400000"})
	create("dl-long", map[string]string{"retention.ms": "2592000000"})
	create("dl-forever", map[string]string{"retention.ms": "-1"})
	create("dl-compacted", map[string]string{"cleanup.policy": "compact", "retention.ms": "3600000"})
	create("dl-default", nil)

	for _, tc := range []struct {
		topic     string
		maxAge    time.Duration
		wantErr   string
		created   bool
		retention time.Duration
	}{
		{topic: "dl-missing", maxAge: 3 * 24 * time.Hour, created: true, retention: 3 * 24 * time.Hour},
		{topic: "dl-short", maxAge: week, retention: 24 * time.Hour},
		{topic: "dl-long", maxAge: week, wantErr: "longer than"},
		{topic: "dl-forever", maxAge: week, wantErr: "forever"},
		{topic: "dl-compacted", maxAge: week, wantErr: "without a time bound"},
		// The broker's default (7 days) is exactly the bound: fine.
		{topic: "dl-default", maxAge: week, retention: week},
		{topic: "dl-default", maxAge: 24 * time.Hour, wantErr: "longer than"},
	} {
		t.Run(tc.topic+"/"+tc.maxAge.String(), func(t *testing.T) {
			got, err := privacy.EnsureTopicRetention(testCtx(t), brokers, tc.topic, tc.maxAge)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !strings.Contains(err.Error(), tc.topic) {
					t.Fatalf("err = %v; want one naming %s and saying %q", err, tc.topic, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Created != tc.created || got.Retention != tc.retention {
				t.Errorf("got %+v; want created=%v retention=%s", got, tc.created, tc.retention)
			}
			// What the broker says now, not what we think we set.
			if ms := topicConfig(t, brokers, tc.topic, "retention.ms"); ms != itoaMs(tc.retention) {
				t.Errorf("broker reports retention.ms=%s, want %s", ms, itoaMs(tc.retention))
			}
		})
	}
	// Applying twice is idempotent: the created topic now passes the check.
	if got, err := privacy.EnsureTopicRetention(testCtx(t), brokers, "dl-missing", 3*24*time.Hour); err != nil || got.Created {
		t.Errorf("second run: %+v, %v", got, err)
	}
}

func itoaMs(d time.Duration) string { return strconv.FormatInt(d.Milliseconds(), 10) }

func TestParseAge(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"365d", 365 * 24 * time.Hour, true},
		{"52w", 52 * 7 * 24 * time.Hour, true},
		{"720h", 720 * time.Hour, true},
		{"0d", 0, false},
		{"-3d", 0, false},
		{"d", 0, false},
		{"forever", 0, false},
		{"", 0, false},
	} {
		got, err := privacy.ParseAge(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ParseAge(%q) = %s, %v; want %s ok=%v", tc.in, got, err, tc.want, tc.ok)
		}
	}
}
