package pipeline

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/sourcegraph/conc"

	"github.com/callveil/callveil/stages"
)

// Bound is one end of a Kafka range: an offset or a record time. The zero
// Bound is "open": a partition's first offset as a start, its end offset
// when the run starts as an end (so the range is bounded even on a live
// topic).
type Bound struct {
	Time     time.Time
	Offset   int64
	IsOffset bool
}

func (b Bound) isSet() bool { return b.IsOffset || !b.Time.IsZero() }

func (b Bound) String() string {
	switch {
	case b.IsOffset:
		return strconv.FormatInt(b.Offset, 10)
	case !b.Time.IsZero():
		return b.Time.UTC().Format(time.RFC3339Nano)
	}
	return ""
}

// RangeBounds holds bounds per topic; the "" entry applies to every topic
// that has none of its own.
type RangeBounds map[string]Bound

// ParseRangeBounds reads --from/--to values, each "VALUE" (every topic) or
// "TOPIC=VALUE", where VALUE is an RFC 3339 time or an offset (applied to
// every partition of the topic). Times select by record timestamp: a start
// is the first record at or after it, an end the first record at or after
// it, exclusive. Offsets are likewise inclusive start, exclusive end.
func ParseRangeBounds(values []string) (RangeBounds, error) {
	out := RangeBounds{}
	for _, v := range values {
		v = strings.TrimSpace(v)
		if v == "" {
			continue
		}
		topic, val := "", v
		if i := strings.LastIndexByte(v, '='); i >= 0 {
			topic, val = v[:i], v[i+1:]
			if topic == "" {
				return nil, errors.New("kafka range: empty topic before '='")
			}
		}
		var b Bound
		if n, err := strconv.ParseInt(val, 10, 64); err == nil {
			if n < 0 {
				return nil, errors.New("kafka range: an offset must not be negative")
			}
			b = Bound{Offset: n, IsOffset: true}
		} else if t, err := time.Parse(time.RFC3339Nano, val); err == nil {
			b = Bound{Time: t}
		} else {
			return nil, errors.New("kafka range: a bound must be an RFC 3339 time or an offset, optionally after TOPIC=")
		}
		if _, dup := out[topic]; dup {
			return nil, errors.New("kafka range: a topic has two bounds on the same side")
		}
		out[topic] = b
	}
	return out, nil
}

func (rb RangeBounds) forTopic(topic string) Bound {
	if b, ok := rb[topic]; ok {
		return b
	}
	return rb[""]
}

// String is a canonical form, part of the checkpoint's input identity.
func (rb RangeBounds) String() string {
	keys := make([]string, 0, len(rb))
	for k := range rb {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + rb[k].String()
	}
	return strings.Join(parts, ",")
}

// KafkaRangeConfig configures a KafkaRangeSource.
type KafkaRangeConfig struct {
	Brokers []string
	// Topics are read in full partition sets, e.g. the events and
	// transcripts topics.
	Topics   []string
	From, To RangeBounds
	// MaxPayloadBytes sizes fetches (as Config). Default 1 MiB.
	MaxPayloadBytes int
	// Checkpoint, when set, records the settled prefix of every partition
	// and the resolved range on every Settle.
	Checkpoint *CheckpointFile
	// Resume starts each partition after its checkpointed position and
	// keeps the checkpointed range ends.
	Resume bool
	// IdleCheck is how long a partition waits for a record before checking
	// whether it already passed its end (the last offsets of a range can
	// be transaction markers that are never delivered). Default 2s.
	IdleCheck time.Duration
}

// KafkaRangeSource reads a bounded range of the topics' partitions with
// plain partition readers: it joins no consumer group and commits nothing
// to Kafka, so the service's group offsets are untouched. Progress goes to
// the checkpoint instead. Records of all partitions are merged in record-
// time order, the order in which the live service met them roughly, which
// keeps the join as small as it was live.
type KafkaRangeSource struct {
	cfg   KafkaRangeConfig
	input string
	parts []*rangePartition
	ends  []Position

	stop context.CancelFunc
	wg   conc.WaitGroup

	state   *settledState
	fetched atomic.Int64
	total   int64
	// err is a failure met after records of a batch: the next Fetch
	// returns it. Used by the fetch loop only.
	err error
}

var _ Source = (*KafkaRangeSource)(nil)

type rangePartition struct {
	tp         topicPartition
	start, end int64
	ch         chan stages.Record
	err        error // set before ch is closed
	head       *stages.Record
	done       bool
}

// NewKafkaRangeSource resolves the range on every partition of the topics
// and starts reading.
func NewKafkaRangeSource(ctx context.Context, cfg KafkaRangeConfig) (*KafkaRangeSource, error) {
	switch {
	case len(cfg.Brokers) == 0:
		return nil, errors.New("kafka range: at least one broker is required")
	case len(cfg.Topics) == 0:
		return nil, errors.New("kafka range: at least one topic is required")
	}
	for t := range cfg.From {
		if t != "" && !slices.Contains(cfg.Topics, t) {
			return nil, errors.New("kafka range: --from names a topic that is not read")
		}
	}
	for t := range cfg.To {
		if t != "" && !slices.Contains(cfg.Topics, t) {
			return nil, errors.New("kafka range: --to names a topic that is not read")
		}
	}
	if cfg.MaxPayloadBytes == 0 {
		cfg.MaxPayloadBytes = 1 << 20
	}
	if cfg.IdleCheck == 0 {
		cfg.IdleCheck = 2 * time.Second
	}
	s := &KafkaRangeSource{
		cfg:   cfg,
		input: "kafka:" + strings.Join(cfg.Topics, ",") + " from[" + cfg.From.String() + "] to[" + cfg.To.String() + "]",
	}
	var resumed *Checkpoint
	if cfg.Resume && cfg.Checkpoint != nil {
		cp, err := cfg.Checkpoint.LoadFor(s.input, "")
		if err != nil {
			return nil, err
		}
		resumed = cp
	}
	s.state = newSettledState(resumed)
	if err := s.resolve(ctx, resumed); err != nil {
		return nil, err
	}
	runCtx, stop := context.WithCancel(context.Background())
	s.stop = stop
	for _, p := range s.parts {
		s.total += p.end - p.start
		if p.start >= p.end {
			p.done = true
			continue
		}
		p.ch = make(chan stages.Record, 256)
		s.wg.Go(func() { s.readPartition(runCtx, p) })
	}
	return s, nil
}

// resolve finds every partition's start and end offsets. With a
// checkpoint cp, a partition keeps the end it had when the run first
// started and starts from its checkpointed position where that is later.
func (s *KafkaRangeSource) resolve(ctx context.Context, cp *Checkpoint) error {
	dialer := &kafka.Dialer{Timeout: 10 * time.Second}
	parts, err := s.readPartitions(ctx, dialer)
	if err != nil {
		return err
	}
	var ends, starts positionMap
	if cp != nil {
		ends, starts = positionsOf(cp.Ends), positionsOf(cp.Positions)
	}
	for _, kp := range parts {
		tp := topicPartition{kp.Topic, kp.ID}
		p, err := s.resolvePartition(ctx, dialer, kp)
		if err != nil {
			return err
		}
		if end, ok := ends[tp]; ok {
			p.end = end // the range as it was when the run first started
		}
		if pos, ok := starts[tp]; ok && pos > p.start {
			p.start = pos
		}
		s.parts = append(s.parts, p)
		s.ends = append(s.ends, Position{Topic: tp.Topic, Partition: tp.Partition, Offset: p.end})
	}
	return nil
}

// readPartitions lists the configured topics' partitions from the first
// broker that answers, sorted by the topics' configured order, then by
// partition.
func (s *KafkaRangeSource) readPartitions(ctx context.Context, dialer *kafka.Dialer) ([]kafka.Partition, error) {
	var parts []kafka.Partition
	var lastErr error
	for _, b := range s.cfg.Brokers {
		conn, err := dialer.DialContext(ctx, "tcp", b)
		if err != nil {
			lastErr = err
			continue
		}
		parts, err = conn.ReadPartitions(s.cfg.Topics...)
		conn.Close()
		if err == nil {
			lastErr = nil
			break
		}
		lastErr = err
	}
	if lastErr != nil {
		return nil, fmt.Errorf("kafka range: read partitions: %w", lastErr)
	}
	slices.SortFunc(parts, func(a, b kafka.Partition) int {
		if a.Topic != b.Topic {
			return slices.Index(s.cfg.Topics, a.Topic) - slices.Index(s.cfg.Topics, b.Topic)
		}
		return a.ID - b.ID
	})
	return parts, nil
}

// resolvePartition turns the configured From and To bounds into kp's start
// and end offsets, within the offsets its leader holds now.
func (s *KafkaRangeSource) resolvePartition(ctx context.Context, dialer *kafka.Dialer, kp kafka.Partition) (*rangePartition, error) {
	conn, err := dialer.DialLeader(ctx, "tcp", s.cfg.Brokers[0], kp.Topic, kp.ID)
	if err != nil {
		return nil, fmt.Errorf("kafka range: dial partition leader: %w", err)
	}
	first, last, err := conn.ReadOffsets()
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("kafka range: read offsets: %w", err)
	}
	p := &rangePartition{tp: topicPartition{kp.Topic, kp.ID}}
	p.start, err = boundOffset(conn, s.cfg.From.forTopic(kp.Topic), first, first, last)
	if err == nil {
		p.end, err = boundOffset(conn, s.cfg.To.forTopic(kp.Topic), last, first, last)
	}
	conn.Close()
	if err != nil {
		return nil, fmt.Errorf("kafka range: resolve range: %w", err)
	}
	return p, nil
}

// boundOffset turns a bound into an offset within [first, last]; open is
// used for an unset bound.
func boundOffset(conn *kafka.Conn, b Bound, open, first, last int64) (int64, error) {
	off := open
	switch {
	case b.IsOffset:
		off = b.Offset
	case b.isSet():
		o, err := conn.ReadOffset(b.Time)
		if err != nil {
			return 0, err
		}
		off = o
		if o < 0 { // no record at or after the time
			off = last
		}
	}
	return min(max(off, first), last), nil
}

// readPartition feeds one partition's records of the range into p.ch.
func (s *KafkaRangeSource) readPartition(ctx context.Context, p *rangePartition) {
	defer close(p.ch)
	r := kafka.NewReader(kafka.ReaderConfig{
		Brokers: s.cfg.Brokers, Topic: p.tp.Topic, Partition: p.tp.Partition,
		MinBytes: 1, MaxBytes: max(16<<20, 2*s.cfg.MaxPayloadBytes), MaxWait: 250 * time.Millisecond,
		ReadBackoffMin: 10 * time.Millisecond, ReadBackoffMax: 500 * time.Millisecond,
	})
	defer r.Close()
	if err := r.SetOffset(p.start); err != nil {
		p.err = err
		return
	}
	for {
		fctx, cancel := context.WithTimeout(ctx, s.cfg.IdleCheck)
		m, err := r.FetchMessage(fctx)
		cancel()
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			if errors.Is(err, context.DeadlineExceeded) {
				if r.Offset() >= p.end {
					return
				}
				continue
			}
			p.err = err
			return
		}
		if m.Offset >= p.end {
			return
		}
		if !s.state.settledBefore(p.tp, m.Offset) {
			select {
			case p.ch <- RecordOf(m):
			case <-ctx.Done():
				return
			}
		}
		if m.Offset+1 >= p.end {
			return
		}
	}
}

// Fetch implements Source: records in time order, the one with the
// earliest time among the partitions' next records first. A record is
// handed out only once every partition not done has its next record at
// hand, so only the first record of a batch waits: the batch ends at a
// partition with none waiting.
func (s *KafkaRangeSource) Fetch(ctx context.Context, buf []stages.Record) (Fetched, error) {
	if s.err != nil {
		return Fetched{}, s.err
	}
	var f Fetched
	for f.N < len(buf) {
		ready, err := s.fillHeads(ctx, f.N == 0)
		if err != nil && f.N > 0 {
			// Hand out what was fetched; the next call fails.
			s.err = err
			return f, nil
		}
		if err != nil || !ready {
			return f, err
		}
		var best *rangePartition
		for _, p := range s.parts {
			if p.head != nil && (best == nil || p.head.Time.Before(best.head.Time)) {
				best = p
			}
		}
		if best == nil {
			f.End = true
			return f, nil
		}
		buf[f.N] = *best.head
		best.head = nil
		f.N++
		s.fetched.Add(1)
	}
	return f, nil
}

// fillHeads gives every partition not done its next record, waiting for
// them when wait is set; without, it reports false as soon as a partition
// has none waiting.
func (s *KafkaRangeSource) fillHeads(ctx context.Context, wait bool) (bool, error) {
	for _, p := range s.parts {
		if p.done || p.head != nil {
			continue
		}
		var rec stages.Record
		var ok bool
		if wait {
			select {
			case rec, ok = <-p.ch:
			case <-ctx.Done():
				return false, ctx.Err()
			}
		} else {
			select {
			case rec, ok = <-p.ch:
			default:
				return false, nil
			}
		}
		if !ok {
			p.done = true
			if p.err != nil {
				return false, fmt.Errorf("kafka range: fetch: %w", p.err)
			}
			continue
		}
		p.head = &rec
	}
	return true, nil
}

// Settle implements Source: positions go to the checkpoint, never to
// Kafka. Written under the lock so that saves cannot overtake each other.
func (s *KafkaRangeSource) Settle(_ context.Context, st Settlement) error {
	s.state.mu.Lock()
	defer s.state.mu.Unlock()
	s.state.advance(st)
	if s.cfg.Checkpoint == nil {
		return nil
	}
	positions, runs := s.state.snapshot(func(topicPartition) bool { return true })
	return s.cfg.Checkpoint.Save(&Checkpoint{Input: s.input, Positions: positions, Settled: runs, Ends: s.ends})
}

// Ends implements Source: a bounded range runs the join on the wall clock.
func (s *KafkaRangeSource) Ends(context.Context) (map[TopicPartition]PartitionEnd, error) {
	return nil, nil
}

// GenerationsEnded implements Source: no group moves a range's partitions.
func (s *KafkaRangeSource) GenerationsEnded() uint64 { return 0 }

// Features implements Source: progress goes to the checkpoint, if any.
func (s *KafkaRangeSource) Features() Features {
	return Features{Checkpoints: s.cfg.Checkpoint != nil}
}

// Close implements Source: it stops the partition readers.
func (s *KafkaRangeSource) Close() error {
	s.stop()
	// Unblock readers waiting to hand over a record.
	for _, p := range s.parts {
		if p.ch != nil {
			for range p.ch {
			}
		}
	}
	s.wg.Wait()
	return nil
}

// Progress implements Source: records fetched of the records in the range.
func (s *KafkaRangeSource) Progress() Progress {
	return Progress{Done: s.fetched.Load(), Total: s.total, Unit: "records"}
}

// Input is the source's identity in its checkpoint.
func (s *KafkaRangeSource) Input() string { return s.input }
