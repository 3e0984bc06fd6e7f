package pipeline

import (
	"context"
	"encoding/json"
	"os"
	"time"

	"github.com/segmentio/kafka-go"
)

// CopyDeadLetterTopic reads every letter on the dead-letter topic, up to
// each partition's end when called, to a JSON-lines file at path, and
// returns how many it wrote.
func CopyDeadLetterTopic(ctx context.Context, brokers []string, topic, path string) (int, error) {
	f, err := os.Create(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	conn, err := kafka.DialContext(ctx, "tcp", brokers[0])
	if err != nil {
		return 0, err
	}
	parts, err := conn.ReadPartitions(topic)
	conn.Close()
	if err != nil {
		return 0, err
	}
	n := 0
	enc := json.NewEncoder(f)
	for _, part := range parts {
		pc, err := kafka.DialLeader(ctx, "tcp", brokers[0], topic, part.ID)
		if err != nil {
			return n, err
		}
		last, err := pc.ReadLastOffset()
		if err != nil {
			pc.Close()
			return n, err
		}
		for off := int64(0); off < last; {
			pc.SetReadDeadline(time.Now().Add(5 * time.Second))
			m, err := pc.ReadMessage(16 << 20)
			if err != nil {
				pc.Close()
				return n, err
			}
			off = m.Offset + 1
			enc.Encode(json.RawMessage(m.Value))
			n++
		}
		pc.Close()
	}
	return n, nil
}
