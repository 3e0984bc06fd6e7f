package faults

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/callveil/callveil/internal/callgen"
	"github.com/callveil/callveil/pipeline"
)

// Topics names the topics one scenario uses.
type Topics struct {
	Events, Transcripts string
}

// Position identifies one record in Kafka: what a dead letter points at.
type Position struct {
	Topic     string
	Partition int
	Offset    int64
}

func (p Position) String() string { return fmt.Sprintf("%s/%d/%d", p.Topic, p.Partition, p.Offset) }

// NewProducer returns a franz-go client for producing test traffic. It uses
// franz-go rather than kafka-go so that every produced record comes back
// with its partition and offset: the identity its dead letter must carry.
// Keyed records go through the Kafka-compatible murmur2 partitioner, the
// same for both topics, so a call's events and transcript share a
// partition number as the pipeline's co-partitioning expects.
func NewProducer(brokers []string) (*kgo.Client, error) {
	return kgo.NewClient(kgo.SeedBrokers(brokers...), kgo.ProducerBatchMaxBytes(16<<20),
		kgo.ProducerLinger(2*time.Millisecond))
}

// KafkaRecord turns a generated message into a record for topics.
func KafkaRecord(m callgen.Message, t Topics) *kgo.Record {
	r := &kgo.Record{Topic: t.Events, Key: m.Key, Value: m.Value, Timestamp: m.Time}
	if m.Topic == callgen.KindTranscripts {
		r.Topic = t.Transcripts
	}
	for k, v := range m.Headers {
		r.Headers = append(r.Headers, kgo.RecordHeader{Key: k, Value: []byte(v)})
	}
	return r
}

// Produce writes msgs synchronously and returns each one's position, in
// order.
func Produce(ctx context.Context, cl *kgo.Client, t Topics, msgs []callgen.Message) ([]Position, error) {
	recs := make([]*kgo.Record, len(msgs))
	for i, m := range msgs {
		recs[i] = KafkaRecord(m, t)
	}
	res := cl.ProduceSync(ctx, recs...)
	if err := res.FirstErr(); err != nil {
		return nil, fmt.Errorf("produce: %w", err)
	}
	out := make([]Position, len(recs))
	for i, r := range recs {
		out[i] = Position{Topic: r.Topic, Partition: int(r.Partition), Offset: r.Offset}
	}
	return out, nil
}

// EndOffsets returns the next offset to be written of every partition of
// the topics.
func EndOffsets(ctx context.Context, cl *kgo.Client, topics ...string) (map[string]map[int32]int64, error) {
	req := kmsg.NewPtrListOffsetsRequest()
	req.ReplicaID = -1
	meta, err := partitionsOf(ctx, cl, topics...)
	if err != nil {
		return nil, err
	}
	for topic, n := range meta {
		rt := kmsg.NewListOffsetsRequestTopic()
		rt.Topic = topic
		for p := int32(0); p < n; p++ {
			rp := kmsg.NewListOffsetsRequestTopicPartition()
			rp.Partition = p
			rp.Timestamp = -1 // latest
			rt.Partitions = append(rt.Partitions, rp)
		}
		req.Topics = append(req.Topics, rt)
	}
	resp, err := req.RequestWith(ctx, cl)
	if err != nil {
		return nil, err
	}
	out := map[string]map[int32]int64{}
	for _, rt := range resp.Topics {
		out[rt.Topic] = map[int32]int64{}
		for _, rp := range rt.Partitions {
			if err := kerr.ErrorForCode(rp.ErrorCode); err != nil {
				return nil, fmt.Errorf("list offsets %s/%d: %w", rt.Topic, rp.Partition, err)
			}
			out[rt.Topic][rp.Partition] = rp.Offset
		}
	}
	return out, nil
}

func partitionsOf(ctx context.Context, cl *kgo.Client, topics ...string) (map[string]int32, error) {
	req := kmsg.NewPtrMetadataRequest()
	for _, t := range topics {
		rt := kmsg.NewMetadataRequestTopic()
		rt.Topic = kmsg.StringPtr(t)
		req.Topics = append(req.Topics, rt)
	}
	resp, err := req.RequestWith(ctx, cl)
	if err != nil {
		return nil, err
	}
	out := map[string]int32{}
	for _, t := range resp.Topics {
		if err := kerr.ErrorForCode(t.ErrorCode); err != nil {
			return nil, fmt.Errorf("metadata %s: %w", *t.Topic, err)
		}
		out[*t.Topic] = int32(len(t.Partitions))
	}
	return out, nil
}

// Committed returns the group's committed offsets for the topics
// (partitions without a commit are absent). It asks through kafka-go's
// client, whose OffsetFetch version names topics (franz-go's newest names
// them by id).
func Committed(ctx context.Context, cl *kgo.Client, group string, topics ...string) (map[string]map[int32]int64, error) {
	meta, err := partitionsOf(ctx, cl, topics...)
	if err != nil {
		return nil, err
	}
	req := &kafka.OffsetFetchRequest{GroupID: group, Topics: map[string][]int{}}
	for topic, n := range meta {
		for p := 0; p < int(n); p++ {
			req.Topics[topic] = append(req.Topics[topic], p)
		}
	}
	kc := &kafka.Client{Addr: kafka.TCP(cl.OptValue(kgo.SeedBrokers).([]string)...), Timeout: 10 * time.Second}
	resp, err := kc.OffsetFetch(ctx, req)
	if err != nil {
		return nil, err
	}
	if resp.Error != nil {
		return nil, resp.Error
	}
	out := map[string]map[int32]int64{}
	for topic, ps := range resp.Topics {
		for _, p := range ps {
			if p.Error != nil || p.CommittedOffset < 0 {
				continue
			}
			if out[topic] == nil {
				out[topic] = map[int32]int64{}
			}
			out[topic][int32(p.Partition)] = p.CommittedOffset
		}
	}
	return out, nil
}

// CaughtUp reports whether the group has committed every partition of the
// topics up to its end: every record is settled.
func CaughtUp(ctx context.Context, cl *kgo.Client, group string, topics ...string) (bool, error) {
	end, err := EndOffsets(ctx, cl, topics...)
	if err != nil {
		return false, err
	}
	got, err := Committed(ctx, cl, group, topics...)
	if err != nil {
		return false, err
	}
	for topic, parts := range end {
		for p, off := range parts {
			if off > 0 && got[topic][p] != off {
				return false, nil
			}
		}
	}
	return true, nil
}

// ReadDeadLetters reads the whole dead-letter topic.
func ReadDeadLetters(ctx context.Context, brokers []string, topic string) ([]pipeline.DeadLetter, error) {
	recs, err := ReadTopic(ctx, brokers, topic)
	if err != nil {
		return nil, err
	}
	out := make([]pipeline.DeadLetter, 0, len(recs))
	for _, r := range recs {
		var dl pipeline.DeadLetter
		if err := json.Unmarshal(r.Value, &dl); err != nil {
			return nil, fmt.Errorf("dead letter %s/%d/%d: %w", r.Topic, r.Partition, r.Offset, err)
		}
		out = append(out, dl)
	}
	return out, nil
}

// ReadTopic reads every record of topic up to its current end.
func ReadTopic(ctx context.Context, brokers []string, topic string) ([]*kgo.Record, error) {
	admin, err := kgo.NewClient(kgo.SeedBrokers(brokers...))
	if err != nil {
		return nil, err
	}
	end, err := EndOffsets(ctx, admin, topic)
	admin.Close()
	if err != nil {
		return nil, err
	}
	want := int64(0)
	for _, off := range end[topic] {
		want += off
	}
	if want == 0 {
		return nil, nil
	}
	cl, err := kgo.NewClient(kgo.SeedBrokers(brokers...), kgo.ConsumeTopics(topic),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()), kgo.FetchMaxWait(100*time.Millisecond))
	if err != nil {
		return nil, err
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	var out []*kgo.Record
	seen := map[int32]int64{}
	for {
		done := true
		for p, off := range end[topic] {
			if seen[p] < off {
				done = false
			}
		}
		if done {
			return out, nil
		}
		fs := cl.PollFetches(ctx)
		if ctx.Err() != nil {
			return nil, fmt.Errorf("reading %s: %w (got %d of %d records)", topic, ctx.Err(), len(out), want)
		}
		var ferr error
		fs.EachError(func(_ string, _ int32, err error) { ferr = err })
		if ferr != nil {
			return nil, ferr
		}
		fs.EachRecord(func(r *kgo.Record) {
			if r.Offset < end[topic][r.Partition] {
				out = append(out, r)
			}
			seen[r.Partition] = max(seen[r.Partition], r.Offset+1)
		})
	}
}
