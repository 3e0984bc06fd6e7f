package pipeline_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/callveil/callveil/pipeline"
	"github.com/callveil/callveil/stages"
)

// produceToPartitions writes n records to every partition of both input
// topics; the key names the partition ("p3-…"), which the balancer obeys.
func produceToPartitions(t *testing.T, brokers []string, parts, n int) {
	t.Helper()
	w := &kafka.Writer{Addr: kafka.TCP(brokers...), BatchTimeout: 2 * time.Millisecond, RequiredAcks: kafka.RequireAll,
		Balancer: kafka.BalancerFunc(func(m kafka.Message, _ ...int) int {
			p, _ := strconv.Atoi(strings.TrimPrefix(strings.SplitN(string(m.Key), "-", 2)[0], "p"))
			return p
		})}
	defer w.Close()
	var msgs []kafka.Message
	for _, topic := range []string{eventsTopic, transcriptsTopic} {
		for p := range parts {
			for i := range n {
				msgs = append(msgs, kafka.Message{Topic: topic, Key: fmt.Appendf(nil, "p%d-%d", p, i), Value: []byte("{}")})
			}
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := w.WriteMessages(ctx, msgs...); err != nil {
		t.Fatal(err)
	}
}

// fetched is one record or notice Fetch reported.
type fetched struct {
	tp      pipeline.TopicPartition
	offset  int64
	revoked *pipeline.PartitionsRevoked
}

// fetchUntil calls Fetch until cond holds for what was fetched so far.
func fetchUntil(t *testing.T, src *pipeline.KafkaGroupSource, what string, cond func([]fetched) bool) []fetched {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 45*time.Second)
	defer cancel()
	var got []fetched
	buf := make([]stages.Record, 16)
	for !cond(got) {
		f, err := src.Fetch(ctx, buf)
		if err != nil {
			t.Fatalf("waiting for %s: %v (fetched %d)", what, err, len(got))
		}
		for _, rec := range buf[:f.N] {
			got = append(got, fetched{tp: pipeline.TopicPartition{Topic: rec.Topic, Partition: rec.Partition}, offset: rec.Offset})
		}
		if f.Revoked != nil {
			got = append(got, fetched{revoked: f.Revoked})
		}
	}
	return got
}

func records(fs []fetched) map[pipeline.TopicPartition][]int64 {
	out := map[pipeline.TopicPartition][]int64{}
	for _, f := range fs {
		if f.revoked == nil {
			out[f.tp] = append(out[f.tp], f.offset)
		}
	}
	return out
}

func notices(fs []fetched) []*pipeline.PartitionsRevoked {
	var out []*pipeline.PartitionsRevoked
	for _, f := range fs {
		if f.revoked != nil {
			out = append(out, f.revoked)
		}
	}
	return out
}

func offsetsFrom(from, to int64) []int64 {
	var out []int64
	for o := from; o < to; o++ {
		out = append(out, o)
	}
	return out
}

// A second member joins: the first one's Fetch names exactly the
// partitions it lost, in order with the records (nothing of them after the
// notice), goes on with the partitions it kept from where it was (no
// re-read), and refuses to commit what it no longer owns. When the second
// member leaves, the lost partitions come back, read again from the last
// commit. Closing leaves no goroutine behind.
func TestKafkaGroupSourceScaleOutRevokesAndScaleInReassigns(t *testing.T) {
	const parts, n = 4, 5
	h := newHarness(t, parts)
	cfg := pipeline.Config{Brokers: h.broker.Addrs(), Group: h.group, EventsTopic: eventsTopic, TranscriptsTopic: transcriptsTopic}
	produceToPartitions(t, h.broker.Addrs(), parts, n)

	s1, err := pipeline.NewKafkaGroupSource(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer s1.Close()
	all := 2 * parts * n
	got := records(fetchUntil(t, s1, "every record by the only member", func(fs []fetched) bool { return len(fs) >= all }))
	if len(got) != 2*parts {
		t.Fatalf("the only member read %d partitions, want %d", len(got), 2*parts)
	}
	for tp, offs := range got {
		if !slices.Equal(offs, offsetsFrom(0, n)) {
			t.Fatalf("%v: offsets %v", tp, offs)
		}
	}
	// Commit events/0 and /1 part way; they are owned, so this works.
	ctx := context.Background()
	if err := s1.Settle(ctx, pipeline.Settlement{Commits: []pipeline.Commit{{Topic: eventsTopic, Partition: 0, Offset: 2}, {Topic: eventsTopic, Partition: 1, Offset: 2}}}); err != nil {
		t.Fatalf("commit of owned partitions: %v", err)
	}

	// Scale out.
	s2, err := pipeline.NewKafkaGroupSource(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	fs := fetchUntil(t, s1, "the revocation", func(fs []fetched) bool { return len(notices(fs)) == 1 })
	if extra := records(fs); len(extra) != 0 {
		t.Fatalf("records fetched again before the notice: %v", extra)
	}
	rv := notices(fs)[0]
	if len(rv.Partitions) != parts {
		t.Fatalf("revoked %v, want half of the %d partitions", rv.Partitions, 2*parts)
	}
	revoked := map[pipeline.TopicPartition]bool{}
	numbers := map[string][]int{}
	for _, tp := range rv.Partitions {
		revoked[tp] = true
		numbers[tp.Topic] = append(numbers[tp.Topic], tp.Partition)
	}
	slices.Sort(numbers[eventsTopic])
	slices.Sort(numbers[transcriptsTopic])
	if !slices.Equal(numbers[eventsTopic], numbers[transcriptsTopic]) {
		t.Fatalf("revoked partitions not co-partitioned: %v", numbers)
	}
	if rv.Generations != 1 || s1.GenerationsEnded() < 1 {
		t.Fatalf("notice accounts for %d ended generations (source: %d), want 1", rv.Generations, s1.GenerationsEnded())
	}

	// The new member reads its partitions from the commit.
	mine := func(fs []fetched) map[pipeline.TopicPartition][]int64 { return records(fs) }
	from := func(tp pipeline.TopicPartition) int64 {
		if tp.Topic == eventsTopic && tp.Partition < 2 {
			return 2
		}
		return 0
	}
	want2 := 0
	for tp := range revoked {
		want2 += n - int(from(tp))
	}
	got2 := mine(fetchUntil(t, s2, "the new member's records", func(fs []fetched) bool { return len(fs) >= want2 }))
	for tp, offs := range got2 {
		if !revoked[tp] {
			t.Fatalf("the new member read %v, which the old one kept", tp)
		}
		if !slices.Equal(offs, offsetsFrom(from(tp), n)) {
			t.Fatalf("new member, %v: offsets %v, want from the commit %d", tp, offs, from(tp))
		}
	}

	// More records: the first member gets those of the partitions it kept,
	// going on at n, and none of the others.
	produceToPartitions(t, h.broker.Addrs(), parts, 1)
	fs = fetchUntil(t, s1, "new records of kept partitions", func(fs []fetched) bool { return len(fs) >= parts })
	for tp, offs := range records(fs) {
		if revoked[tp] {
			t.Fatalf("record of revoked %v fetched after the notice", tp)
		}
		if !slices.Equal(offs, []int64{n}) {
			t.Fatalf("kept %v: offsets %v, want only the new record %d", tp, offs, n)
		}
	}
	if len(notices(fs)) != 0 {
		t.Fatalf("unexpected notice: %+v", notices(fs))
	}

	// Commits of revoked partitions are refused, the others made.
	var cs []pipeline.Commit
	for _, tp := range []pipeline.TopicPartition{{Topic: eventsTopic, Partition: 0}, {Topic: eventsTopic, Partition: parts - 1}} {
		cs = append(cs, pipeline.Commit{Topic: tp.Topic, Partition: tp.Partition, Offset: 4})
	}
	err = s1.Settle(ctx, pipeline.Settlement{Commits: cs})
	var no *pipeline.NotOwnedError
	if !errors.As(err, &no) || len(no.Commits) != 1 || !revoked[pipeline.TopicPartition{Topic: no.Commits[0].Topic, Partition: no.Commits[0].Partition}] {
		t.Fatalf("commit of one owned and one revoked partition: %v", err)
	}
	committed := h.committed()[eventsTopic]
	for _, c := range cs {
		want := int64(4)
		if revoked[pipeline.TopicPartition{Topic: c.Topic, Partition: c.Partition}] {
			want = from(pipeline.TopicPartition{Topic: c.Topic, Partition: c.Partition})
			if want == 0 {
				want = -1 // never committed
			}
		}
		if committed[c.Partition] != want {
			t.Errorf("%s/%d committed %d, want %d", c.Topic, c.Partition, committed[c.Partition], want)
		}
	}

	// Scale in: the partitions come back, read again from the commit.
	if err := s2.Close(); err != nil {
		t.Fatal(err)
	}
	wantBack := 0
	for tp := range revoked {
		wantBack += n + 1 - int(from(tp))
	}
	fs = fetchUntil(t, s1, "the partitions back", func(fs []fetched) bool {
		return len(notices(fs)) == 1 && len(records(fs)) == len(revoked) && len(fs)-1 >= wantBack
	})
	if rv := notices(fs)[0]; len(rv.Partitions) != 0 || rv.Generations != 2 {
		t.Fatalf("scale-in notice %+v, want nothing revoked after 2 generations", rv)
	}
	if fs[0].revoked == nil {
		t.Fatal("a record of the new assignment came before its notice")
	}
	for tp, offs := range records(fs) {
		if !revoked[tp] {
			t.Fatalf("kept partition %v read again: %v", tp, offs)
		}
		if !slices.Equal(offs, offsetsFrom(from(tp), n+1)) {
			t.Fatalf("back %v: offsets %v, want from the commit %d", tp, offs, from(tp))
		}
	}
	if len(sourceGoroutines()) == 0 {
		t.Fatal("the goroutine census finds nothing while a source runs; it would prove nothing")
	}
	if err := s1.Close(); err != nil {
		t.Fatal(err)
	}
	// Every goroutine the sources started is gone: the generation loop, the
	// partition readers and kafka-go's group and reader goroutines (a few
	// seconds' grace: kafka-go closes connections asynchronously). The
	// test's own admin connections and the broker are not counted.
	deadline := time.Now().Add(5 * time.Second)
	for {
		left := sourceGoroutines()
		if len(left) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d goroutines of the sources left after Close:\n%s", len(left), strings.Join(left, "\n\n"))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// sourceGoroutines returns the stacks of goroutines started by a
// KafkaGroupSource, directly or through kafka-go's group and readers.
func sourceGoroutines() []string {
	buf := make([]byte, 4<<20)
	buf = buf[:runtime.Stack(buf, true)]
	var out []string
	for _, g := range strings.Split(string(buf), "\n\n") {
		for _, mark := range []string{"pipeline.(*KafkaGroupSource)", "kafka-go.(*ConsumerGroup)", "kafka-go.(*Generation)", "kafka-go.(*Reader)", "kafka-go.(*reader)"} {
			if strings.Contains(g, mark) {
				out = append(out, g)
				break
			}
		}
	}
	return out
}
