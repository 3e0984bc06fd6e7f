package pipeline

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/callveil/callveil/internal/callgen"
	"github.com/callveil/callveil/internal/embeddedkafka"
	"github.com/callveil/callveil/stages"
)

const (
	rpEvents      = "calls.events"
	rpTranscripts = "calls.transcripts"
)

func TestParseRangeBounds(t *testing.T) {
	at := time.Date(2025, 3, 3, 8, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		in      []string
		want    RangeBounds
		wantErr bool
	}{
		{"none", nil, RangeBounds{}, false},
		{"time for all", []string{"2025-03-03T08:00:00Z"}, RangeBounds{"": {Time: at}}, false},
		{"offset for all", []string{"1200"}, RangeBounds{"": {Offset: 1200, IsOffset: true}}, false},
		{"per topic", []string{"calls.events=5", "calls.transcripts=2025-03-03T10:00:00+02:00"},
			RangeBounds{"calls.events": {Offset: 5, IsOffset: true}, "calls.transcripts": {Time: at}}, false},
		{"default and override", []string{"0", "calls.events=7"},
			RangeBounds{"": {IsOffset: true}, "calls.events": {Offset: 7, IsOffset: true}}, false},
		{"negative offset", []string{"-1"}, nil, true},
		{"garbage", []string{"yesterday"}, nil, true},
		{"empty topic", []string{"=5"}, nil, true},
		{"twice", []string{"calls.events=1", "calls.events=2"}, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseRangeBounds(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if err != nil {
				return
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for k, w := range tt.want {
				if g := got[k]; g.IsOffset != w.IsOffset || g.Offset != w.Offset || !g.Time.Equal(w.Time) {
					t.Errorf("%q: got %+v, want %+v", k, g, w)
				}
			}
		})
	}
}

// rpBroker starts an embedded broker holding msgs, produced as the demo
// does (same key partitioner on both topics).
func rpBroker(t *testing.T, msgs []callgen.Message) *embeddedkafka.Broker {
	t.Helper()
	b, err := embeddedkafka.Start(embeddedkafka.Config{Topics: []string{rpEvents, rpTranscripts}, Partitions: 3})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Close)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := callgen.Produce(ctx, b.Addrs(), callgen.Topics{Events: rpEvents, Transcripts: rpTranscripts}, msgs); err != nil {
		t.Fatal(err)
	}
	return b
}

func rpRangeSource(t *testing.T, b *embeddedkafka.Broker, from, to []string, cpf *CheckpointFile, resume bool) *KafkaRangeSource {
	t.Helper()
	f, err := ParseRangeBounds(from)
	if err != nil {
		t.Fatal(err)
	}
	tb, err := ParseRangeBounds(to)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	src, err := NewKafkaRangeSource(ctx, KafkaRangeConfig{Brokers: b.Addrs(), Topics: []string{rpEvents, rpTranscripts},
		From: f, To: tb, Checkpoint: cpf, Resume: resume, IdleCheck: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return src
}

// rpGroupOffsets reads a consumer group's committed offsets.
func rpGroupOffsets(t *testing.T, b *embeddedkafka.Broker, group string) map[string]map[int]int64 {
	t.Helper()
	c := &kafka.Client{Addr: kafka.TCP(b.Addrs()...)}
	res, err := c.OffsetFetch(context.Background(), &kafka.OffsetFetchRequest{GroupID: group,
		Topics: map[string][]int{rpEvents: {0, 1, 2}, rpTranscripts: {0, 1, 2}}})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]map[int]int64{}
	for topic, ps := range res.Topics {
		out[topic] = map[int]int64{}
		for _, p := range ps {
			out[topic][p.Partition] = p.CommittedOffset
		}
	}
	return out
}

func TestReprocessKafkaRangeAndFilesReproduceTheService(t *testing.T) {
	traffic, err := callgen.Generate(callgen.Config{Seed: 5, Calls: 40, Poison: 11})
	if err != nil {
		t.Fatal(err)
	}
	b := rpBroker(t, traffic.Messages)

	// The service: the consumer group, with a TTL short enough that calls
	// without a transcript are emitted during the test.
	svcDir := t.TempDir()
	svc := rpNewRun(t, svcDir, func(c *Config) {
		c.Brokers, c.Group, c.EventsTopic, c.TranscriptsTopic = b.Addrs(), "svc", rpEvents, rpTranscripts
		c.Join.TTL = 2 * time.Second
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	gsrc, gdls, err := svc.p.JoinGroup()
	if err != nil {
		t.Fatal(err)
	}
	go func() { done <- svc.p.Run(ctx, gsrc, gdls) }()
	deadline := time.Now().Add(90 * time.Second)
	for svc.p.Stats().RecordsRead.Load() < int64(len(traffic.Messages)) || svc.p.InFlight() > 0 {
		if time.Now().After(deadline) {
			cancel()
			t.Fatal("service did not settle every record")
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	svc.sink.Close(context.Background())
	want := rpFinal(t, svcDir)
	wantDL := rpDeadLetters(t, svcDir)
	if len(want) != len(traffic.Calls) || len(wantDL) == 0 {
		t.Fatalf("service wrote %d calls (of %d) and %d dead-letter reasons", len(want), len(traffic.Calls), len(wantDL))
	}
	groupBefore := rpGroupOffsets(t, b, "svc")

	// Reprocess the Kafka range.
	rangeDir := t.TempDir()
	cpf, _ := NewCheckpointFile(filepath.Join(rangeDir, "cp"))
	rangeRun := rpNewRun(t, rangeDir, nil)
	rangeRun.bounded(t, context.Background(), rpRangeSource(t, b, nil, nil, cpf, false))
	rpSameFinal(t, "kafka range", rpFinal(t, rangeDir), want)
	if got := rpDeadLetters(t, rangeDir); !maps.Equal(got, wantDL) {
		t.Errorf("kafka range dead letters %v, want %v", got, wantDL)
	}
	if n := rangeRun.p.Stats().RecordsRead.Load(); n != int64(len(traffic.Messages)) {
		t.Errorf("range read %d records, want %d", n, len(traffic.Messages))
	}
	// It neither joined nor committed to the service's group.
	if after := rpGroupOffsets(t, b, "svc"); fmt.Sprint(after) != fmt.Sprint(groupBefore) {
		t.Errorf("group offsets changed: %v -> %v", groupBefore, after)
	}
	groups, err := (&kafka.Client{Addr: kafka.TCP(b.Addrs()...)}).ListGroups(context.Background(), &kafka.ListGroupsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if len(groups.Groups) != 1 || groups.Groups[0].GroupID != "svc" {
		t.Errorf("groups on the broker: %+v, want only the service's", groups.Groups)
	}

	// Reprocess the same traffic from files in every form.
	paths := rpInputs(t, traffic.Messages)
	for _, form := range []string{"plain", "gz", "dir"} {
		dir := t.TempDir()
		rpNewRun(t, dir, nil).bounded(t, context.Background(), rpFileSource(t, paths[form], nil, false))
		rpSameFinal(t, "files/"+form, rpFinal(t, dir), want)
		if got := rpDeadLetters(t, dir); !maps.Equal(got, wantDL) {
			t.Errorf("files/%s dead letters %v, want %v", form, got, wantDL)
		}
	}

	// Interrupted and resumed over Kafka: the same outputs.
	for _, stopAfter := range []int{60, 120} {
		t.Run(fmt.Sprintf("resume-after-%d", stopAfter), func(t *testing.T) {
			dir := t.TempDir()
			cpf, _ := NewCheckpointFile(filepath.Join(dir, "cp"))
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			first := rpNewRun(t, dir, nil)
			first.bounded(t, ctx, &rpInterrupting{Source: rpRangeSource(t, b, nil, nil, cpf, false), n: stopAfter, cancel: cancel})
			settled := first.p.Stats().RecordsRead.Load() - int64(first.p.InFlight())
			cp, err := cpf.Load()
			if err != nil || cp == nil {
				t.Fatalf("checkpoint after the interruption: %v, %v", cp, err)
			}
			resumed := rpNewRun(t, dir, nil)
			resumed.bounded(t, context.Background(), rpRangeSource(t, b, nil, nil, cpf, true))
			rpSameFinal(t, "resumed", rpFinal(t, dir), want)
			if got := rpDeadLetters(t, dir); !maps.Equal(got, wantDL) {
				t.Errorf("dead letters %v, want %v", got, wantDL)
			}
			if n := resumed.p.Stats().RecordsRead.Load(); n != int64(len(traffic.Messages))-settled || settled == 0 {
				t.Errorf("resumed run read %d records; %d of %d were settled before", n, settled, len(traffic.Messages))
			}
		})
	}
}

func TestKafkaRangeBoundsSelectRecords(t *testing.T) {
	traffic, err := callgen.Generate(callgen.Config{Seed: 6, Calls: 20})
	if err != nil {
		t.Fatal(err)
	}
	b := rpBroker(t, traffic.Messages)
	mid := traffic.Messages[len(traffic.Messages)/2].Time
	late := traffic.Messages[3*len(traffic.Messages)/4].Time
	count := func(keep func(callgen.Message) bool) int {
		n := 0
		for _, m := range traffic.Messages {
			if keep(m) {
				n++
			}
		}
		return n
	}
	// inWindow counts offsets in [from, to) over every partition.
	inWindow := func(from, to int64) int {
		n := 0
		for _, topic := range []string{rpEvents, rpTranscripts} {
			for part := range 3 {
				conn, err := kafka.DialLeader(context.Background(), "tcp", b.Addrs()[0], topic, part)
				if err != nil {
					t.Fatal(err)
				}
				last, err := conn.ReadLastOffset()
				conn.Close()
				if err != nil {
					t.Fatal(err)
				}
				n += int(max(0, min(to, last)-from))
			}
		}
		return n
	}
	ts := func(tm time.Time) string { return tm.UTC().Format(time.RFC3339Nano) }
	tests := []struct {
		name     string
		from, to []string
		want     int
		check    func(stages.Record) error
	}{
		{"everything", nil, nil, len(traffic.Messages), nil},
		{"from a time", []string{ts(mid)}, nil, count(func(m callgen.Message) bool { return !m.Time.Before(mid) }),
			func(r stages.Record) error {
				if r.Time.Before(mid) {
					return errors.New("record before --from")
				}
				return nil
			}},
		{"time window", []string{ts(mid)}, []string{ts(late)},
			count(func(m callgen.Message) bool { return !m.Time.Before(mid) && m.Time.Before(late) }), nil},
		{"events only from a time, transcripts all", []string{rpEvents + "=" + ts(mid)}, nil,
			count(func(m callgen.Message) bool { return m.Topic == callgen.KindTranscripts || !m.Time.Before(mid) }), nil},
		{"offsets", []string{"1"}, []string{"3"}, inWindow(1, 3), func(r stages.Record) error {
			if r.Offset < 1 || r.Offset >= 3 {
				return errors.New("offset outside [1,3)")
			}
			return nil
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := rpRangeSource(t, b, tt.from, tt.to, nil, false)
			defer src.Close()
			recs := rpDrain(t, src)
			if len(recs) != tt.want {
				t.Errorf("%d records, want %d", len(recs), tt.want)
			}
			if pr := src.Progress(); pr.Done != int64(len(recs)) || pr.Total != int64(len(recs)) {
				t.Errorf("progress %+v after %d records", pr, len(recs))
			}
			for i, r := range recs {
				if i > 0 && r.Time.Before(recs[i-1].Time) {
					t.Fatalf("record %d is older than the one before: not merged by time", i)
				}
				if tt.check != nil {
					if err := tt.check(r); err != nil {
						t.Fatalf("record %d: %v", i, err)
					}
				}
			}
		})
	}
}
