package callgen

import (
	"context"
	"time"

	"github.com/segmentio/kafka-go"
)

// Topics names the Kafka topic of each kind of message.
type Topics struct {
	Events, Transcripts string
}

// KafkaMessage is m as a producer writes it: the topic of its kind, the
// provider call id as key, the headers, the payload and the record time.
func (t Topics) KafkaMessage(m Message) kafka.Message {
	km := kafka.Message{Topic: t.Events, Key: m.Key, Value: m.Value, Time: m.Time}
	if m.Topic == KindTranscripts {
		km.Topic = t.Transcripts
	}
	for k, v := range m.Headers {
		km.Headers = append(km.Headers, kafka.Header{Key: k, Value: []byte(v)})
	}
	return km
}

// KafkaMessages converts msgs with KafkaMessage.
func (t Topics) KafkaMessages(msgs []Message) []kafka.Message {
	out := make([]kafka.Message, len(msgs))
	for i, m := range msgs {
		out[i] = t.KafkaMessage(m)
	}
	return out
}

// Produce writes msgs to the brokers and returns once all are acknowledged.
// Both topics get the same key-hash partitioner, so a call's events and
// transcript land on the same partition number, as callveil requires.
func Produce(ctx context.Context, brokers []string, t Topics, msgs []Message) error {
	w := &kafka.Writer{Addr: kafka.TCP(brokers...), Balancer: &kafka.Hash{},
		BatchTimeout: 2 * time.Millisecond, BatchBytes: 32 << 20, RequiredAcks: kafka.RequireAll}
	defer w.Close()
	return w.WriteMessages(ctx, t.KafkaMessages(msgs)...)
}
