package privacy_test

import (
	"bytes"
	"context"
	"sync"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/callveil/callveil/internal/embeddedkafka"
	"github.com/callveil/callveil/privacy"
)

var testSecret = []byte("privacy-test-secret-0123456789ab")

// startBroker starts an in-process Kafka-protocol broker (kfake) with the
// given topics, closed at the end of the test.
func startBroker(t *testing.T, partitions int, topics ...string) *embeddedkafka.Broker {
	t.Helper()
	b, err := embeddedkafka.Start(embeddedkafka.Config{Topics: topics, Partitions: partitions})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Close)
	return b
}

func testCtx(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func openStore(t *testing.T, brokers []string, now func() time.Time) *privacy.Store {
	t.Helper()
	s, err := privacy.OpenStore(testCtx(t), privacy.Config{Brokers: brokers, KeySecret: testSecret, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func openPolicy(t *testing.T, brokers []string) *privacy.Policy {
	t.Helper()
	p, err := privacy.OpenPolicy(testCtx(t), privacy.Config{Brokers: brokers, KeySecret: testSecret, ReadyTimeout: 20 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

// eventually polls cond for up to 20s.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// topicConfig returns one config value of a topic, as the broker reports it.
func topicConfig(t *testing.T, brokers []string, topic, name string) string {
	t.Helper()
	c := &kafka.Client{Addr: kafka.TCP(brokers...)}
	resp, err := c.DescribeConfigs(testCtx(t), &kafka.DescribeConfigsRequest{Resources: []kafka.DescribeConfigRequestResource{{
		ResourceType: kafka.ResourceTypeTopic, ResourceName: topic, ConfigNames: []string{name}}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range resp.Resources {
		if r.Error != nil {
			t.Fatal(r.Error)
		}
		for _, e := range r.ConfigEntries {
			if e.ConfigName == name {
				return e.ConfigValue
			}
		}
	}
	t.Fatalf("topic %s: no %s reported", topic, name)
	return ""
}

// readTopic returns every record of every partition of topic.
func readTopic(t *testing.T, brokers []string, topic string) []kafka.Message {
	t.Helper()
	conn, err := kafka.Dial("tcp", brokers[0])
	if err != nil {
		t.Fatal(err)
	}
	parts, err := conn.ReadPartitions(topic)
	conn.Close()
	if err != nil {
		t.Fatal(err)
	}
	var out []kafka.Message
	for _, p := range parts {
		pc, err := kafka.DialLeader(testCtx(t), "tcp", brokers[0], topic, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		last, err := pc.ReadLastOffset()
		if err != nil {
			t.Fatal(err)
		}
		for off := int64(0); off < last; {
			pc.SetReadDeadline(time.Now().Add(5 * time.Second))
			m, err := pc.ReadMessage(16 << 20)
			if err != nil {
				t.Fatal(err)
			}
			off = m.Offset + 1
			out = append(out, m)
		}
		pc.Close()
	}
	return out
}

// syncBuffer is a bytes.Buffer safe for concurrent writers (loggers).
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
