package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/callveil/callveil/stages"
)

// Extra reasons the pipeline itself gives.
const (
	// ReasonOrphanTranscript: a transcript whose call never arrived within the join TTL.
	ReasonOrphanTranscript stages.Reason = "orphan_transcript"
)

// DeadLetter is the body of a dead-letter record. It says why and where a
// record was refused; it never carries the payload or any value from it
// (privacy by default), so an operator can find the record in its source
// topic, within that topic's retention, if they are allowed to.
type DeadLetter struct {
	Reason    stages.Reason   `json:"reason"`
	Provider  stages.Provider `json:"provider,omitempty"`
	Field     string          `json:"field,omitempty"`
	Detail    string          `json:"detail,omitempty"`
	Sink      string          `json:"sink,omitempty"`
	Topic     string          `json:"source_topic"`
	Partition int             `json:"source_partition"`
	Offset    int64           `json:"source_offset"`
	Time      time.Time       `json:"time"`
}

// deadLetterJob is one dead letter waiting to be written, with the token
// that becomes done once it is.
type deadLetterJob struct {
	letter DeadLetter
	token  Token
}

// letterFor says why a record was refused for err; the position and time
// are filled in by at.
func letterFor(err error) DeadLetter {
	var dl DeadLetter
	if se, ok := err.(*stages.Error); ok {
		dl.Reason, dl.Provider, dl.Field, dl.Detail = se.Reason, se.Provider, se.Field, se.Detail
	} else {
		// An error that is not a *stages.Error may carry anything; keep only
		// the fact that it happened.
		dl.Reason = stages.ReasonInvalidField
	}
	return dl
}

// at is dl for the record of tok, refused at t.
func (dl DeadLetter) at(tok Token, t time.Time) DeadLetter {
	dl.Topic, dl.Partition, dl.Offset, dl.Time = tok.tp.Topic, tok.tp.Partition, tok.offset, t.UTC()
	return dl
}

func (dl DeadLetter) message() kafka.Message {
	body, _ := json.Marshal(dl)
	return kafka.Message{
		// The key is the source position: value-free, and the same when a
		// record re-read after a crash is refused again, so a dead-letter
		// topic with cleanup.policy=compact,delete keeps one letter per
		// refused record, and consumers can deduplicate by key.
		Key:   []byte(dl.Topic + "/" + strconv.Itoa(dl.Partition) + "/" + strconv.FormatInt(dl.Offset, 10)),
		Value: body,
		Headers: []kafka.Header{
			{Key: "reason", Value: []byte(dl.Reason)},
			{Key: headerSourceTopic, Value: []byte(dl.Topic)},
			{Key: headerSourcePartition, Value: []byte(strconv.Itoa(dl.Partition))},
			{Key: headerSourceOffset, Value: []byte(strconv.FormatInt(dl.Offset, 10))},
		},
	}
}

// Headers of a dead-letter message that name the refused record's position.
const (
	headerSourceTopic     = "source-topic"
	headerSourcePartition = "source-partition"
	headerSourceOffset    = "source-offset"
)

// sourcePosition reads back, from a message written by message, the
// position of the record it refuses; ok is false for a message without it.
func sourcePosition(m kafka.Message) (tp TopicPartition, offset int64, ok bool) {
	found := 0
	for _, h := range m.Headers {
		var err error
		switch h.Key {
		case headerSourceTopic:
			tp.Topic = string(h.Value)
		case headerSourcePartition:
			tp.Partition, err = strconv.Atoi(string(h.Value))
		case headerSourceOffset:
			offset, err = strconv.ParseInt(string(h.Value), 10, 64)
		default:
			continue
		}
		if err != nil {
			return TopicPartition{}, 0, false
		}
		found++
	}
	return tp, offset, found == 3
}

// DeadLetterSink stores dead letters.
type DeadLetterSink interface {
	// WriteDeadLetters durably writes the letters; nil means all are
	// stored. Called by the pipeline's dead-letter loop only.
	WriteDeadLetters(ctx context.Context, letters []DeadLetter) error
	// Close is called once, after the last write.
	Close() error
}

// KafkaDeadLetters writes dead letters to a topic.
type KafkaDeadLetters struct {
	w *kafka.Writer
}

// NewKafkaDeadLetters writes to topic on brokers.
func NewKafkaDeadLetters(brokers []string, topic string) (*KafkaDeadLetters, error) {
	if len(brokers) == 0 || topic == "" {
		return nil, errors.New("pipeline: dead letters need brokers and a topic")
	}
	return &KafkaDeadLetters{w: &kafka.Writer{
		Addr:     kafka.TCP(brokers...),
		Topic:    topic,
		Balancer: &kafka.Hash{},
		// Writes are synchronous; a long batch timeout would delay each.
		BatchTimeout:           5 * time.Millisecond,
		RequiredAcks:           kafka.RequireAll,
		AllowAutoTopicCreation: true,
	}}, nil
}

// WriteDeadLetters implements DeadLetterSink.
func (k *KafkaDeadLetters) WriteDeadLetters(ctx context.Context, letters []DeadLetter) error {
	msgs := make([]kafka.Message, len(letters))
	for i, dl := range letters {
		msgs[i] = dl.message()
	}
	return k.w.WriteMessages(ctx, msgs...)
}

// Close implements DeadLetterSink.
func (k *KafkaDeadLetters) Close() error { return k.w.Close() }

// FileDeadLetters appends dead letters as JSON lines to a file (dry runs,
// reprocessing to a directory).
type FileDeadLetters struct {
	mu sync.Mutex
	f  *os.File
}

// NewFileDeadLetters opens dir/deadletters.jsonl for appending.
func NewFileDeadLetters(dir string) (*FileDeadLetters, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("dead letters: %w", err)
	}
	f, err := os.OpenFile(filepath.Join(dir, "deadletters.jsonl"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o640)
	if err != nil {
		return nil, fmt.Errorf("dead letters: %w", err)
	}
	return &FileDeadLetters{f: f}, nil
}

// WriteDeadLetters implements DeadLetterSink.
func (d *FileDeadLetters) WriteDeadLetters(_ context.Context, letters []DeadLetter) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	var buf []byte
	for _, dl := range letters {
		b, err := json.Marshal(dl)
		if err != nil {
			return err
		}
		buf = append(append(buf, b...), '\n')
	}
	if _, err := d.f.Write(buf); err != nil {
		return err
	}
	return d.f.Sync()
}

// Close implements DeadLetterSink.
func (d *FileDeadLetters) Close() error { return d.f.Close() }

// runDeadLetters writes dead letters in batches until jobs is closed and
// drained, marking each token done once its letter is written. Writes are
// retried with backoff until they succeed or ctx ends; letters not written
// by then stay unsettled, so their records are read again after a restart.
func (p *Pipeline) runDeadLetters(ctx context.Context, w DeadLetterSink, jobs <-chan deadLetterJob) {
	batch := make([]deadLetterJob, 0, 100)
	letters := make([]DeadLetter, 0, 100)
	for job := range jobs {
		batch = append(batch[:0], job)
	fill:
		for len(batch) < cap(batch) {
			select {
			case j, ok := <-jobs:
				if !ok {
					break fill
				}
				batch = append(batch, j)
			default:
				break fill
			}
		}
		// A record whose partition went to another member (or is being
		// read again) since it was refused is refused by its new reader:
		// a letter from here would be a second one. Bounded sources never
		// lose partitions.
		batch = slices.DeleteFunc(batch, func(j deadLetterJob) bool { return !p.tracker.Current(j.token) })
		if len(batch) == 0 {
			continue
		}
		letters = letters[:0]
		for _, j := range batch {
			letters = append(letters, j.letter)
		}
		if !p.retry(ctx, "deadletter", func() error { return w.WriteDeadLetters(ctx, letters) }) {
			continue
		}
		for _, j := range batch {
			p.stats.DeadLetters.Add(1)
			p.cfg.Observer.DeadLettered(j.letter.Topic, j.letter.Reason)
			p.log.Debug("dead letter written", "reason", string(j.letter.Reason), "topic", j.letter.Topic, "partition", j.letter.Partition, "offset", j.letter.Offset)
			p.settle(j.token)
		}
	}
}
