package pipeline

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/sourcegraph/conc"

	"github.com/callveil/callveil/stages"
)

// Source is where records come from: a consumer group (the service), a
// bounded Kafka range or files (reprocessing). Every source implements
// every method; what one source cannot do it answers plainly (no ends, no
// generations, no progress), and Features says which answers mean
// something, so the pipeline never guesses from a source's type.
type Source interface {
	// Fetch blocks for the first record (or a notice), then adds the
	// records already waiting, up to len(buf), and reports in Fetched how
	// many it put in buf and the notice, if any, that follows them. It
	// never waits to fill buf. It returns an error only for a failure
	// (ctx's error when ctx ends); notices are never errors. Called by the
	// fetch loop only. Record.Topic, Partition and Offset identify the
	// record's position for Settle; offsets must grow within a partition,
	// except after a rewind (see OffsetTracker).
	Fetch(ctx context.Context, buf []stages.Record) (Fetched, error)
	// Settle makes progress durable, each source its own way (group
	// commits, a checkpoint file). Called by the committer only, never
	// concurrently with itself.
	Settle(ctx context.Context, s Settlement) error
	// Ends asks where every partition read now ends (see PartitionEnd).
	// Called by the expiry loop once per expiry period, never concurrently
	// with itself, and only when Features().Ends: a source without ends
	// returns (nil, nil).
	Ends(ctx context.Context) (map[TopicPartition]PartitionEnd, error)
	// GenerationsEnded counts the group generations that ended; it stays 0
	// for a source whose partitions never move. While it is ahead of the
	// Generations of the last PartitionsRevoked handled, the assignment is
	// in doubt, because another member may own any of the partitions by
	// now: the pipeline then emits no call at its TTL.
	GenerationsEnded() uint64
	// Progress is how far a bounded source has read (a zero Total when it
	// does not know). Safe to call from any goroutine (a progress bar).
	Progress() Progress
	// Features says what the source's answers mean; it never changes.
	Features() Features
	// Close releases the source after the last Settle.
	Close() error
}

// Features are what a Source does beyond fetching and settling.
type Features struct {
	// Rebalances: a consumer group can move the source's partitions to
	// another member (the service). Fetch then reports a PartitionsRevoked
	// after every rebalance, and GenerationsEnded counts. Reading such a
	// source, a call goes to the sinks as soon as its end is known and
	// again with its transcript (stages.JoinConfig.EmitOnEnd).
	Rebalances bool
	// Ends: Ends says where partitions end, so the join's clock runs on
	// the stream's time instead of the wall clock (see streamClock).
	Ends bool
	// Checkpoints: Settle records the runs of records settled beyond each
	// partition's prefix too (Settlement.Runs). A call delivered before an
	// interruption can have records on both sides of the prefix (held back
	// by a slower call); re-reading only its later records on resume would
	// emit it again, incomplete, so a resume skips every settled record. A
	// call waiting in the join for a transcript that never comes holds its
	// partition's prefix until the end of the input, so such a source is
	// settled every CommitInterval even when no prefix moved, and once
	// more at the end of the run, whose failure Run returns.
	Checkpoints bool
}

// Fetched is what one Fetch put in its buffer.
type Fetched struct {
	// N records were put at the start of the buffer.
	N int
	// Revoked, when set, follows the N records: every record before it
	// was read under the old assignment, and no record of the revoked
	// partitions from that assignment comes after it.
	Revoked *PartitionsRevoked
	// End, when set, follows the N records: a bounded source handed out
	// every record, and no Fetch follows.
	End bool
}

// Settlement is the progress the committer hands Source.Settle.
type Settlement struct {
	// Commits name, for every partition whose settled prefix moved since
	// the last Settle, where its records are settled (possibly none).
	Commits []Commit
	// Runs are the runs of records settled beyond the prefixes, for a
	// source with Features().Checkpoints only (nil for others).
	Runs []SettledRun
}

// KafkaGroupSource reads the events and transcripts topics as a member of
// a consumer group and commits to the group.
//
// It is built on kafka-go's ConsumerGroup, not on its group Reader: the
// Reader says nothing when a rebalance takes a partition away, so a member
// that lost a partition kept that partition's calls waiting in its join and
// emitted them at their TTL, without the transcript that now went to the
// new owner, overwriting the new owner's complete version in the sinks.
// Here every generation's partitions are read by one partition reader
// each, and after every rebalance Fetch reports a PartitionsRevoked, in
// order with the records, naming the partitions this member lost, so the
// pipeline can drop what it holds of them.
//
// A partition kept across two consecutive generations is not revoked: its
// new reader goes on from where the old one stopped, and the records
// already fetched (in the join, on their way to the sinks) stay valid. Any
// doubt (a generation missed, a new member id, a commit ahead of what this
// member read) revokes it, and it is read again from the last commit.
type KafkaGroupSource struct {
	brokers []string
	groupID string
	// dlTopic is where the pipeline writes dead letters, "" when it writes
	// them elsewhere (see lettersSince).
	dlTopic string
	// admin asks where partitions end (Ends), commits and fetches commits.
	admin    *kafka.Client
	maxBytes int
	log      *slog.Logger
	group    *kafka.ConsumerGroup

	// items carries records and revocation notices in one FIFO: a notice
	// comes after every record of the assignment it ends and before any
	// record of the next.
	items chan groupItem
	// ended counts generations that ended (see GenerationsEnded).
	ended atomic.Uint64

	mu sync.Mutex
	// gen is the live generation (nil between generations) and owned its
	// partitions; owned is replaced, never changed in place.
	gen   *kafka.Generation
	owned map[TopicPartition]*partitionLease

	stop      context.CancelFunc
	loop      conc.WaitGroup
	closeOnce sync.Once
}

// partitionLease is one stretch of ownership of a partition, possibly over
// several consecutive generations.
type partitionLease struct {
	// revoked is set before the notice that ends the lease is queued, so
	// Fetch skips the lease's records still queued ahead of the notice:
	// the notice drops the partition anyway.
	revoked atomic.Bool
	// next is the offset after the last record queued, -1 before any: where
	// the reader of the next generation goes on if the lease continues.
	next atomic.Int64
	// reader is the partition's current reader (for Lag).
	reader atomic.Pointer[kafka.Reader]
	// start is the offset the lease's reading began at, as the group
	// assigned it (kafka.FirstOffset where nothing was committed): for Ends.
	start atomic.Int64
	// replayBelow is the Settled of the commit the lease's reading began
	// at: records below it are read again as context only (Record.Replay),
	// and so are those past it in lettered (dead-lettered before).
	replayBelow atomic.Int64
	lettered    atomic.Pointer[map[int64]bool]
	// letteredSince is the commit's UnsettledSince that lettered was read
	// from, and letteredMax the highest offset in lettered: while the
	// settled end has not passed letteredMax, this lease's commits say
	// since letteredSince at the latest, so the next reader finds those
	// letters too (they were written before this lease fetched anything).
	letteredSince, letteredMax atomic.Int64
	// startSince is the UnsettledSince of the commit the lease began at.
	startSince atomic.Int64
}

type groupItem struct {
	msg    kafka.Message
	lease  *partitionLease
	notice *PartitionsRevoked
}

// PartitionsRevoked is the notice Fetch of a KafkaGroupSource reports
// after a rebalance (Fetched.Revoked), in order: every record fetched
// before it was read under the old assignment, and no record of the revoked
// partitions from that assignment comes after it. The pipeline drops the
// partitions' pending calls and offsets, then goes on fetching.
type PartitionsRevoked struct {
	// Partitions were owned before the rebalance and are not now (possibly
	// none).
	Partitions []TopicPartition
	// Generations is the number of the source's generations that ended
	// before the new assignment (see Source.GenerationsEnded).
	Generations uint64
}

var _ Source = (*KafkaGroupSource)(nil)

// NotOwnedError is returned by Settle for commits of partitions the current
// generation does not own (revoked, or between generations): they were not
// made; the others were.
type NotOwnedError struct{ Commits []Commit }

func (e *NotOwnedError) Error() string {
	return fmt.Sprintf("pipeline: %d partition(s) not owned by this member now; not committed", len(e.Commits))
}

// NewKafkaGroupSource joins the group described by cfg.
func NewKafkaGroupSource(cfg Config) (*KafkaGroupSource, error) {
	if len(cfg.Brokers) == 0 {
		return nil, errors.New("pipeline: brokers: at least one broker address is required")
	}
	group, err := kafka.NewConsumerGroup(kafka.ConsumerGroupConfig{
		ID:      cfg.Group,
		Brokers: cfg.Brokers,
		Topics:  []string{cfg.EventsTopic, cfg.TranscriptsTopic},
		// One member gets the same partition numbers of both topics, so a
		// call's event and transcript, keyed alike and produced with the
		// same partitioner, meet in one instance (see CoPartitionBalancer
		// for why the range balancer alone does not guarantee it).
		GroupBalancers:    []kafka.GroupBalancer{CoPartitionBalancer{}, kafka.RangeGroupBalancer{}},
		HeartbeatInterval: time.Second,
		SessionTimeout:    10 * time.Second,
		RebalanceTimeout:  10 * time.Second,
		StartOffset:       kafka.FirstOffset,
	})
	if err != nil {
		return nil, fmt.Errorf("pipeline: consumer group: %w", err)
	}
	log := cfg.Logger
	if log == nil {
		log = slog.Default()
	}
	ctx, stop := context.WithCancel(context.Background())
	s := &KafkaGroupSource{
		brokers: cfg.Brokers,
		// A fetch must fit the largest record we may meet, even one we
		// then refuse as too large, or the partition would stall.
		maxBytes: max(16<<20, 2*cfg.MaxPayloadBytes),
		admin:    &kafka.Client{Addr: kafka.TCP(cfg.Brokers...), Timeout: 5 * time.Second},
		groupID:  cfg.Group,
		dlTopic:  deadLetterTopicOf(cfg),
		log:      log, group: group, stop: stop,
		items: make(chan groupItem, 256),
	}
	s.loop.Go(func() { s.run(ctx) })
	return s, nil
}

// JoinGroup is the streaming service's input: it joins the consumer group
// of the pipeline's Config and opens the dead letters it writes to,
// DeadLetterTopic unless Config.DeadLetters is set. Run(ctx, src, dls)
// then consumes until ctx is cancelled.
func (p *Pipeline) JoinGroup() (*KafkaGroupSource, DeadLetterSink, error) {
	src, err := NewKafkaGroupSource(p.cfg)
	if err != nil {
		return nil, nil, err
	}
	if p.cfg.DeadLetters != nil {
		return src, p.cfg.DeadLetters, nil
	}
	dls, err := NewKafkaDeadLetters(p.cfg.Brokers, p.cfg.DeadLetterTopic)
	if err != nil {
		src.Close()
		return nil, nil, err
	}
	return src, dls, nil
}

// run follows the group's generations until ctx ends.
func (s *KafkaGroupSource) run(ctx context.Context) {
	var prev *generationState
	var received uint64
	for {
		gen, err := s.group.Next(ctx)
		if err != nil {
			if ctx.Err() != nil || errors.Is(err, kafka.ErrGroupClosed) {
				return
			}
			// kafka-go backs off and joins again by itself.
			s.log.Warn("consumer group: joining failed; retrying", "error_kind", ErrorKind(err))
			continue
		}
		cur, starts, revoked := assign(prev, gen)
		s.mu.Lock()
		s.gen, s.owned = gen, cur.leases
		s.mu.Unlock()
		// The generation's end makes its assignment doubtful at once, and
		// it is counted before kafka-go can join the next one: it waits for
		// every function started here to return.
		gen.Start(func(gctx context.Context) {
			<-gctx.Done()
			s.mu.Lock()
			if s.gen == gen {
				s.gen, s.owned = nil, nil
			}
			s.mu.Unlock()
			s.ended.Add(1)
		})
		if prev != nil {
			for _, l := range revoked {
				l.revoked.Store(true)
			}
			notice := &PartitionsRevoked{Partitions: slices.Collect(maps.Keys(revoked)), Generations: received}
			// Counts only, under keys the privacy log filter lets through.
			s.log.Info("consumer group rebalanced", "partitions", len(cur.leases))
			select {
			case s.items <- groupItem{notice: notice}:
			case <-ctx.Done():
				return
			}
		} else {
			s.log.Info("consumer group joined", "partitions", len(cur.leases))
		}
		// Readers start only after the notice is queued, so no record of
		// the new assignment can overtake it.
		for tp, l := range cur.leases {
			from := starts[tp]
			gen.Start(func(gctx context.Context) { s.readPartition(gctx, tp, l, from) })
		}
		prev = cur
		received++
	}
}

// generationState is what run remembers of the previous generation.
type generationState struct {
	id     int32
	member string
	leases map[TopicPartition]*partitionLease
}

// assign maps gen's assignment onto leases, continuing those of prev where
// the ownership provably did not lapse, and returns where each partition's
// reader starts and the leases of prev that end.
func assign(prev *generationState, gen *kafka.Generation) (cur *generationState, starts map[TopicPartition]int64, revoked map[TopicPartition]*partitionLease) {
	cur = &generationState{id: gen.ID, member: gen.MemberID, leases: map[TopicPartition]*partitionLease{}}
	starts = map[TopicPartition]int64{}
	// Consecutive generation ids of the same member: nobody else can have
	// owned a partition this member owned in both (a member that misses a
	// generation sees a gap; one evicted from the group comes back with a
	// new member id).
	consecutive := prev != nil && gen.ID == prev.id+1 && gen.MemberID == prev.member
	for topic, pas := range gen.Assignments {
		for _, pa := range pas {
			tp := TopicPartition{Topic: topic, Partition: pa.ID}
			if consecutive {
				if l := prev.leases[tp]; l != nil {
					next := l.next.Load()
					switch {
					case next < 0:
						// Nothing was read under the lease: start where the
						// group says.
						l.start.Store(pa.Offset)
						cur.leases[tp], starts[tp] = l, pa.Offset
						continue
					case pa.Offset < 0 || pa.Offset <= next:
						// The commit is ours (behind what we read): go on.
						cur.leases[tp], starts[tp] = l, next
						continue
					}
				}
			}
			l := &partitionLease{}
			l.next.Store(-1)
			l.start.Store(pa.Offset)
			cur.leases[tp], starts[tp] = l, pa.Offset
		}
	}
	revoked = map[TopicPartition]*partitionLease{}
	if prev != nil {
		for tp, l := range prev.leases {
			if cur.leases[tp] != l {
				revoked[tp] = l
			}
		}
	}
	return cur, starts, revoked
}

// readPartition feeds one partition's records to Fetch until the
// generation ends. It returns only then: kafka-go ends a generation as
// soon as any function started in it returns.
func (s *KafkaGroupSource) readPartition(ctx context.Context, tp TopicPartition, l *partitionLease, from int64) {
	rd := kafka.NewReader(kafka.ReaderConfig{
		Brokers: s.brokers, Topic: tp.Topic, Partition: tp.Partition,
		MinBytes: 1, MaxBytes: s.maxBytes, MaxWait: 250 * time.Millisecond,
		ReadBackoffMin: 10 * time.Millisecond, ReadBackoffMax: 500 * time.Millisecond,
	})
	defer rd.Close()
	if l.next.Load() < 0 && from >= 0 {
		// Reading starts from the group's commit: learn where its settled
		// records end (see Settle).
		md, ok := s.settledAt(ctx, tp)
		if !ok {
			<-ctx.Done()
			return // the generation ended
		}
		s.resumeLease(ctx, tp, l, md)
	}
	if err := rd.SetOffset(from); err != nil {
		// Only a group reader refuses SetOffset; keep the generation alive.
		s.log.Error("partition reader: cannot set the offset", "error_kind", ErrorKind(err))
		<-ctx.Done()
		return
	}
	l.reader.Store(rd)
	s.feedLease(ctx, rd, l)
}

// resumeLease sets up a lease that starts from the group's commit md:
// records below md.settled are replays, and records dead-lettered since
// the commit's unsettled records began are learnt from the dead-letter
// topic, so that they are not lettered twice.
func (s *KafkaGroupSource) resumeLease(ctx context.Context, tp TopicPartition, l *partitionLease, md commitMetadata) {
	l.replayBelow.Store(md.settled)
	l.startSince.Store(md.unsettledSince)
	if md.unsettledSince <= 0 || s.dlTopic == "" {
		return
	}
	lctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	lettered, err := s.lettersSince(lctx, tp, md.settled, time.UnixMilli(md.unsettledSince))
	cancel()
	if err != nil {
		// Their records are refused again: a repeated letter,
		// nothing lost.
		s.log.Warn("partition reader: cannot read the dead letters written since the last commit", "error_kind", ErrorKind(err))
		return
	}
	l.lettered.Store(&lettered)
	if len(lettered) > 0 {
		l.letteredMax.Store(slices.Max(slices.Collect(maps.Keys(lettered))))
		l.letteredSince.Store(md.unsettledSince)
	}
}

// feedLease hands rd's records to Fetch until ctx ends, retrying failed
// fetches with backoff. l.next moves only once Fetch has taken a record.
func (s *KafkaGroupSource) feedLease(ctx context.Context, rd *kafka.Reader, l *partitionLease) {
	backoff := 10 * time.Millisecond
	for {
		m, err := rd.FetchMessage(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			s.log.Warn("partition reader: fetch failed; retrying", "error_kind", ErrorKind(err))
			select {
			case <-ctx.Done():
				return
			case <-time.After(backoff):
			}
			backoff = min(2*backoff, time.Second)
			continue
		}
		backoff = 10 * time.Millisecond
		select {
		case s.items <- groupItem{msg: m, lease: l}:
			l.next.Store(m.Offset + 1)
		case <-ctx.Done():
			return
		}
	}
}

// Fetch implements Source. Besides records it reports a PartitionsRevoked
// after every rebalance; the notice ends a batch, so it keeps its place in
// fetch order.
func (s *KafkaGroupSource) Fetch(ctx context.Context, buf []stages.Record) (Fetched, error) {
	var f Fetched
	for f.N < len(buf) {
		var it groupItem
		if f.N == 0 {
			select {
			case <-ctx.Done():
				return Fetched{}, fmt.Errorf("pipeline: fetch: %w", ctx.Err())
			case it = <-s.items:
			}
		} else {
			select {
			case it = <-s.items:
			default:
				return f, nil
			}
		}
		if it.notice != nil {
			f.Revoked = it.notice
			return f, nil
		}
		if it.lease.revoked.Load() {
			// Read under an assignment that has ended; the notice behind
			// it drops the partition.
			continue
		}
		buf[f.N] = it.record()
		f.N++
	}
	return f, nil
}

func (it groupItem) record() stages.Record {
	rec := RecordOf(it.msg)
	rec.Replay = it.msg.Offset < it.lease.replayBelow.Load()
	if m := it.lease.lettered.Load(); m != nil && (*m)[it.msg.Offset] {
		rec.Replay = true
	}
	return rec
}

// GenerationsEnded implements Source.
func (s *KafkaGroupSource) GenerationsEnded() uint64 { return s.ended.Load() }

// Features implements Source: a group rebalances and knows its partitions'
// ends; its progress is the group's commit (no checkpoint).
func (s *KafkaGroupSource) Features() Features { return Features{Rebalances: true, Ends: true} }

// Progress implements Source: a group's input has no end to measure
// against.
func (s *KafkaGroupSource) Progress() Progress { return Progress{Unit: "records"} }

// Settle implements Source. It commits st.Commits through the live
// generation (its id and member id), and only partitions that generation
// owns: the others' new owner commits them (a commit of ours would be
// refused, or could move its offset back). Those come back in a
// *NotOwnedError. Commit.Offset is the committed offset; Commit.Settled
// goes in the commit's metadata, where the next reader of the partition
// finds it (settledAt).
func (s *KafkaGroupSource) Settle(ctx context.Context, st Settlement) error {
	cs := st.Commits
	s.mu.Lock()
	gen, owned := s.gen, s.owned
	s.mu.Unlock()
	topics := map[string][]kafka.OffsetCommit{}
	var notOwned []Commit
	for _, c := range cs {
		l := owned[TopicPartition{c.Topic, c.Partition}]
		if l == nil {
			notOwned = append(notOwned, c)
			continue
		}
		if rb := l.replayBelow.Load(); c.Settled < rb {
			// The lease has not read up to the commit it began at: that
			// commit still says where settled records end, and since when
			// those past it were fetched.
			c.Settled, c.UnsettledSince = rb, l.startSince.Load()
			c.Offset = min(c.Offset, rb)
		}
		if since := l.letteredSince.Load(); since > 0 && l.letteredMax.Load() >= c.Settled &&
			(c.UnsettledSince == 0 || since < c.UnsettledSince) {
			c.UnsettledSince = since
		}
		topics[c.Topic] = append(topics[c.Topic], kafka.OffsetCommit{
			Partition: c.Partition, Offset: c.Offset, Metadata: c.metadata()})
	}
	if len(topics) > 0 {
		resp, err := s.admin.OffsetCommit(ctx, &kafka.OffsetCommitRequest{
			GroupID: s.groupID, GenerationID: int(gen.ID), MemberID: gen.MemberID, Topics: topics})
		if err != nil {
			return fmt.Errorf("pipeline: commit: %w", err)
		}
		for _, ps := range resp.Topics {
			for _, p := range ps {
				if p.Error != nil {
					return fmt.Errorf("pipeline: commit: %w", p.Error)
				}
			}
		}
	}
	if len(notOwned) > 0 {
		return &NotOwnedError{Commits: notOwned}
	}
	return nil
}

// settledAt asks the group's commit of tp for its Settled (see Settle),
// retrying until it is answered or ctx ends (ok false). A commit without
// one (none yet, or made by another client) settles nothing beyond its
// offset.
func (s *KafkaGroupSource) settledAt(ctx context.Context, tp TopicPartition) (md commitMetadata, ok bool) {
	backoff := 10 * time.Millisecond
	for {
		resp, err := s.admin.OffsetFetch(ctx, &kafka.OffsetFetchRequest{GroupID: s.groupID, Topics: map[string][]int{tp.Topic: {tp.Partition}}})
		if err == nil && resp.Error != nil {
			err = resp.Error
		}
		if err == nil {
			for _, p := range resp.Topics[tp.Topic] {
				if p.Partition != tp.Partition || p.Error != nil {
					continue
				}
				return parseCommitMetadata(p.Metadata), true
			}
			err = errors.New("no answer for the partition")
		}
		if ctx.Err() != nil {
			return md, false
		}
		s.log.Warn("partition reader: cannot fetch the group's commit; retrying", "error_kind", ErrorKind(err))
		select {
		case <-ctx.Done():
			return md, false
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, time.Second)
	}
}

// Close implements Source: it leaves the group (ending the generation and
// its partition readers) and stops following it.
func (s *KafkaGroupSource) Close() error {
	var err error
	s.closeOnce.Do(func() {
		// Stop following first, so nothing is started in a generation
		// after the group closed it.
		s.stop()
		s.loop.Wait()
		err = s.group.Close()
	})
	return err
}

// Ends implements Source for the partitions of the live generation
// (none between generations). One ListOffsets request asks for their high
// watermarks; a second, only for partitions read from the log's start
// (nothing committed yet), asks where the log starts.
func (s *KafkaGroupSource) Ends(ctx context.Context) (map[TopicPartition]PartitionEnd, error) {
	s.mu.Lock()
	owned := s.owned
	s.mu.Unlock()
	out := make(map[TopicPartition]PartitionEnd, len(owned))
	if len(owned) == 0 {
		return out, nil
	}
	last := map[string][]kafka.OffsetRequest{}
	first := map[string][]kafka.OffsetRequest{}
	for tp, l := range owned {
		last[tp.Topic] = append(last[tp.Topic], kafka.LastOffsetOf(tp.Partition))
		if l.start.Load() == kafka.FirstOffset {
			first[tp.Topic] = append(first[tp.Topic], kafka.FirstOffsetOf(tp.Partition))
		}
	}
	hwm, err := s.listOffsets(ctx, last, func(po kafka.PartitionOffsets) int64 { return po.LastOffset })
	if err != nil {
		return nil, err
	}
	logStart := map[TopicPartition]int64{}
	if len(first) > 0 {
		if logStart, err = s.listOffsets(ctx, first, func(po kafka.PartitionOffsets) int64 { return po.FirstOffset }); err != nil {
			return nil, err
		}
	}
	for tp, l := range owned {
		end, ok := hwm[tp]
		if !ok {
			return nil, fmt.Errorf("pipeline: ends: no answer for a partition")
		}
		start := l.start.Load()
		switch start {
		case kafka.FirstOffset:
			start = logStart[tp]
		case kafka.LastOffset:
			start = end
		}
		out[tp] = PartitionEnd{HighWatermark: end, Start: start}
	}
	return out, nil
}

func (s *KafkaGroupSource) listOffsets(ctx context.Context, req map[string][]kafka.OffsetRequest, pick func(kafka.PartitionOffsets) int64) (map[TopicPartition]int64, error) {
	resp, err := s.admin.ListOffsets(ctx, &kafka.ListOffsetsRequest{Topics: req})
	if err != nil {
		return nil, fmt.Errorf("pipeline: ends: %w", err)
	}
	out := map[TopicPartition]int64{}
	for topic, pos := range resp.Topics {
		for _, po := range pos {
			if po.Error != nil {
				return nil, fmt.Errorf("pipeline: ends: %w", po.Error)
			}
			out[TopicPartition{topic, po.Partition}] = pick(po)
		}
	}
	return out, nil
}

// Lag is the summed lag of the partitions owned now, as last seen by their
// readers (for metrics).
func (s *KafkaGroupSource) Lag() int64 {
	s.mu.Lock()
	owned := s.owned
	s.mu.Unlock()
	var lag int64
	for _, l := range owned {
		if rd := l.reader.Load(); rd != nil {
			lag += rd.Stats().Lag
		}
	}
	return lag
}

// RecordOf turns a Kafka message into a stages.Record, reading the
// provider headers.
func RecordOf(m kafka.Message) stages.Record {
	rec := stages.Record{Topic: m.Topic, Partition: m.Partition, Offset: m.Offset, Key: m.Key, Value: m.Value, Time: m.Time}
	for _, h := range m.Headers {
		switch h.Key {
		case "provider":
			rec.Provider = stages.Provider(h.Value)
		case "call-provider":
			rec.CallProvider = stages.Provider(h.Value)
		}
	}
	return rec
}
