package pipeline

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/segmentio/kafka-go"
)

// commitMetadata is what a commit's metadata carries besides the offset
// (see Commit): "callveil/settled=N" and, while records past N are not
// settled, ";since=MS".
type commitMetadata struct {
	settled        int64 // -1 when absent
	unsettledSince int64 // Unix milliseconds, 0 when absent
}

const settledMetadata = "callveil/settled="

// letterClockSkew is how far the clocks of two members may differ: a
// dead-letter topic is read from this much before the time a commit says.
const letterClockSkew = 5 * time.Second

func (c Commit) metadata() string {
	s := settledMetadata + strconv.FormatInt(c.Settled, 10)
	if c.UnsettledSince > 0 {
		s += ";since=" + strconv.FormatInt(c.UnsettledSince, 10)
	}
	return s
}

// parseCommitMetadata reads what metadata says; a commit made by another
// client (or none) says nothing.
func parseCommitMetadata(metadata string) commitMetadata {
	md := commitMetadata{settled: -1}
	rest, ok := strings.CutPrefix(metadata, settledMetadata)
	if !ok {
		return md
	}
	settled, since, _ := strings.Cut(rest, ";since=")
	n, err := strconv.ParseInt(settled, 10, 64)
	if err != nil {
		return md
	}
	md.settled = n
	if ms, err := strconv.ParseInt(since, 10, 64); err == nil && ms > 0 {
		md.unsettledSince = ms
	}
	return md
}

// lettersSince returns the offsets, at or past from, of tp's records that
// the dead-letter topic holds a letter for, written since (less
// letterClockSkew for clocks that differ between members). A member that
// died after refusing them, before the commit passed them, refused them
// already: the next reader reads them as context instead of refusing them
// again, so a poison record has one dead letter however often members
// crash. Only letters written since are read, a few TTLs of the topic in
// practice.
func (s *KafkaGroupSource) lettersSince(ctx context.Context, tp TopicPartition, from int64, since time.Time) (map[int64]bool, error) {
	meta, err := s.admin.Metadata(ctx, &kafka.MetadataRequest{Topics: []string{s.dlTopic}})
	if err != nil {
		return nil, err
	}
	var parts []int
	for _, t := range meta.Topics {
		if t.Name == s.dlTopic && t.Error == nil {
			for _, p := range t.Partitions {
				parts = append(parts, p.ID)
			}
		}
	}
	startReq := map[string][]kafka.OffsetRequest{}
	endReq := map[string][]kafka.OffsetRequest{}
	for _, p := range parts {
		startReq[s.dlTopic] = append(startReq[s.dlTopic], kafka.TimeOffsetOf(p, since.Add(-letterClockSkew)))
		endReq[s.dlTopic] = append(endReq[s.dlTopic], kafka.LastOffsetOf(p))
	}
	out := map[int64]bool{}
	if len(parts) == 0 {
		return out, nil
	}
	starts, err := s.listOffsets(ctx, startReq, func(po kafka.PartitionOffsets) int64 {
		for off := range po.Offsets {
			return off
		}
		return -1
	})
	if err != nil {
		return nil, err
	}
	ends, err := s.listOffsets(ctx, endReq, func(po kafka.PartitionOffsets) int64 { return po.LastOffset })
	if err != nil {
		return nil, err
	}
	for _, p := range parts {
		dl := TopicPartition{s.dlTopic, p}
		start, end := starts[dl], ends[dl]
		if start < 0 || start >= end {
			continue
		}
		if err := s.scanLetters(ctx, p, start, end, func(src TopicPartition, off int64) {
			if src == tp && off >= from {
				out[off] = true
			}
		}); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// scanLetters reads the dead-letter topic's partition p in [start, end) and
// hands each letter's source position to fn.
func (s *KafkaGroupSource) scanLetters(ctx context.Context, p int, start, end int64, fn func(TopicPartition, int64)) error {
	rd := kafka.NewReader(kafka.ReaderConfig{Brokers: s.brokers, Topic: s.dlTopic, Partition: p,
		MinBytes: 1, MaxBytes: 16 << 20, MaxWait: 100 * time.Millisecond})
	defer rd.Close()
	if err := rd.SetOffset(start); err != nil {
		return err
	}
	for next := start; next < end; {
		m, err := rd.FetchMessage(ctx)
		if err != nil {
			return fmt.Errorf("pipeline: reading dead letters: %w", err)
		}
		next = m.Offset + 1
		if tp, off, ok := sourcePosition(m); ok {
			fn(tp, off)
		}
	}
	return nil
}

// deadLetterTopicOf is the topic the pipeline writes dead letters to, ""
// when cfg sends them to another sink.
func deadLetterTopicOf(cfg Config) string {
	if cfg.DeadLetters != nil {
		return ""
	}
	return cfg.DeadLetterTopic
}
