package faults_test

import (
	"context"
	"errors"
	"log/slog"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/callveil/callveil/faults"
	"github.com/callveil/callveil/internal/callgen"
	"github.com/callveil/callveil/internal/embeddedkafka"
	"github.com/callveil/callveil/pipeline"
	"github.com/callveil/callveil/sinks"
	"github.com/callveil/callveil/stages"
)

var faultsSecret = []byte("faults-broker-secret-0123456789")

var testTopics = faults.Topics{Events: "calls.events", Transcripts: "calls.transcripts"}

const testDeadLetterTopic = "calls.deadletter"

// brokerFault is one way the broker misbehaves while active: fn is a kfake
// control function for requests of key (-1: all); it returns handled=false
// to let the broker answer normally.
type brokerFault struct {
	name string
	key  int16
	fn   func(c *kfake.Cluster, rng *rand.Rand, req kmsg.Request) (kmsg.Response, error, bool)
	// lasts is how long the fault is active; default 4s.
	lasts time.Duration
}

var errDropConnection = errors.New("faults: connection dropped")

// Broker faults: while a fault is active (the first seconds of a run) the
// broker drops connections, answers with retriable errors or stalls; the
// pipeline recovers without loss: every call is delivered, every poison
// record dead-lettered, and every offset committed once the fault lifts.
func TestBrokerFaultsPipelineRecoversWithoutLoss(t *testing.T) {
	faultsFor := []brokerFault{
		{name: "fetch connections dropped", key: int16(kmsg.Fetch), fn: func(_ *kfake.Cluster, rng *rand.Rand, _ kmsg.Request) (kmsg.Response, error, bool) {
			if rng.IntN(2) == 0 {
				return nil, errDropConnection, true
			}
			return nil, nil, false
		}},
		{name: "offset commits fail", key: int16(kmsg.OffsetCommit), fn: func(_ *kfake.Cluster, _ *rand.Rand, req kmsg.Request) (kmsg.Response, error, bool) {
			return offsetCommitError(req.(*kmsg.OffsetCommitRequest), kerr.CoordinatorLoadInProgress.Code), nil, true
		}},
		{name: "dead-letter produce fails", key: int16(kmsg.Produce), fn: func(_ *kfake.Cluster, rng *rand.Rand, req kmsg.Request) (kmsg.Response, error, bool) {
			if rng.IntN(3) == 0 {
				return nil, errDropConnection, true
			}
			return produceError(req.(*kmsg.ProduceRequest), kerr.NotEnoughReplicas.Code), nil, true
		}},
		// The group coordinator unreachable for 8s (a coordinator
		// failover, a network partition): every group request fails.
		// kafka-go retries, then reports the error from FetchMessage
		// while it keeps healing; the service must wait, not stop.
		{name: "group coordinator unreachable for 8s", key: -1, fn: func(_ *kfake.Cluster, _ *rand.Rand, req kmsg.Request) (kmsg.Response, error, bool) {
			switch req.(type) {
			case *kmsg.HeartbeatRequest, *kmsg.JoinGroupRequest, *kmsg.SyncGroupRequest, *kmsg.FindCoordinatorRequest, *kmsg.OffsetFetchRequest:
				return nil, errDropConnection, true
			}
			return nil, nil, false
		}, lasts: 8 * time.Second},
		{name: "every request delayed", key: -1, fn: func(_ *kfake.Cluster, rng *rand.Rand, _ kmsg.Request) (kmsg.Response, error, bool) {
			// Control functions run on the broker's loop: this stalls
			// the whole broker, as a GC pause or a slow disk would.
			time.Sleep(time.Duration(20+rng.IntN(80)) * time.Millisecond)
			return nil, nil, false
		}},
		{name: "all connections dropped at random", key: -1, fn: func(_ *kfake.Cluster, rng *rand.Rand, req kmsg.Request) (kmsg.Response, error, bool) {
			switch req.(type) {
			case *kmsg.ApiVersionsRequest, *kmsg.MetadataRequest:
				return nil, nil, false
			}
			if rng.IntN(4) == 0 {
				return nil, errDropConnection, true
			}
			return nil, nil, false
		}},
	}
	for i, f := range faultsFor {
		t.Run(f.name, func(t *testing.T) {
			runBrokerFault(t, f, int64(100+i))
		})
	}
}

func runBrokerFault(t *testing.T, f brokerFault, seed int64) {
	broker, err := embeddedkafka.Start(embeddedkafka.Config{
		Topics: []string{testTopics.Events, testTopics.Transcripts, testDeadLetterTopic}, Partitions: 3,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer broker.Close()
	traffic, err := callgen.Generate(callgen.Config{Seed: seed, Calls: 80, Poison: 11})
	if err != nil {
		t.Fatal(err)
	}
	keys, poison := produceTraffic(t, broker.Addrs(), traffic)

	var active atomic.Bool
	var hits atomic.Int64
	var rngMu sync.Mutex
	rng := rand.New(rand.NewPCG(uint64(seed), 1))
	c := broker.Cluster()
	c.ControlKey(f.key, func(req kmsg.Request) (kmsg.Response, error, bool) {
		c.KeepControl()
		if !active.Load() {
			return nil, nil, false
		}
		rngMu.Lock()
		defer rngMu.Unlock()
		hits.Add(1)
		return f.fn(c, rng, req)
	})

	red, err := sharedRedactor()
	if err != nil {
		t.Fatal(err)
	}
	out := faults.NewMemorySink()
	group := "faults-" + f.name
	p, err := pipeline.New(pipeline.Config{
		Brokers: broker.Addrs(), Group: group,
		EventsTopic: testTopics.Events, TranscriptsTopic: testTopics.Transcripts, DeadLetterTopic: testDeadLetterTopic,
		KeySecret: faultsSecret, Join: stages.JoinConfig{TTL: 5 * time.Second},
		Redact: stages.RedactConfig{Redactor: red}, Sinks: []sinks.Sink{out},
		Logger:         slog.New(slog.DiscardHandler),
		CommitInterval: 100 * time.Millisecond, BatchLinger: 10 * time.Millisecond,
		RetryBackoff: 10 * time.Millisecond, MaxRetryBackoff: 200 * time.Millisecond, ShutdownTimeout: 5 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	active.Store(true)
	gsrc, gdls, err := p.JoinGroup()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx, gsrc, gdls) }()
	defer func() {
		cancel()
		<-done
	}()

	// The fault lasts while the pipeline works through the traffic.
	lasts := f.lasts
	if lasts == 0 {
		lasts = 4 * time.Second
	}
	select {
	case err := <-done:
		t.Fatalf("the pipeline stopped during the fault: %v", err)
	case <-time.After(lasts):
	}
	active.Store(false)
	if hits.Load() == 0 {
		t.Fatal("the fault never triggered: the test proves nothing")
	}

	admin, err := kgo.NewClient(kgo.SeedBrokers(broker.Addrs()...))
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	deadline := time.Now().Add(60 * time.Second)
	for {
		ok, err := faults.CaughtUp(context.Background(), admin, group, testTopics.Events, testTopics.Transcripts)
		if err == nil && ok && len(out.Calls()) >= len(keys) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after the fault: %d of %d calls delivered, caught up=%v (%v)", len(out.Calls()), len(keys), ok, err)
		}
		select {
		case err := <-done:
			t.Fatalf("the pipeline stopped: %v", err)
		case <-time.After(100 * time.Millisecond):
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("pipeline: %v", err)
	}
	done <- nil

	got := out.Calls()
	for _, k := range keys {
		if _, ok := got[k]; !ok {
			t.Errorf("call lost")
		}
	}
	dls, err := faults.ReadDeadLetters(context.Background(), broker.Addrs(), testDeadLetterTopic)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[faults.Position]stages.Reason{}
	for _, dl := range dls {
		seen[faults.Position{Topic: dl.Topic, Partition: dl.Partition, Offset: dl.Offset}] = dl.Reason
	}
	for pos, want := range poison {
		if g, ok := seen[pos]; !ok || g != want {
			t.Errorf("poison record %s: dead letter reason %q, want %q", pos, g, want)
		}
	}
	foreign := 0
	for pos := range seen {
		if _, ok := poison[pos]; !ok {
			foreign++
		}
	}
	if foreign > 0 {
		t.Errorf("%d dead letters for records that are not poison", foreign)
	}
	t.Logf("%d requests met the fault; %d calls, %d poison records; %d dead letters (%d duplicates)",
		hits.Load(), len(keys), len(poison), len(dls), len(dls)-len(seen))
}

// produceTraffic produces the traffic and returns the call keys and the
// poison records' positions with their expected reasons.
func produceTraffic(t *testing.T, brokers []string, traffic *callgen.Traffic) ([]string, map[faults.Position]stages.Reason) {
	t.Helper()
	cl, err := faults.NewProducer(brokers)
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	pos, err := faults.Produce(ctx, cl, testTopics, traffic.Messages)
	if err != nil {
		t.Fatal(err)
	}
	poison := map[faults.Position]stages.Reason{}
	for i, m := range traffic.Messages {
		if m.Poison != nil {
			poison[pos[i]] = m.Poison.Reason
		}
	}
	var keys []string
	for _, c := range traffic.Calls {
		keys = append(keys, stages.CallKey(faultsSecret, c.Provider, c.CallID))
	}
	return keys, poison
}

func offsetCommitError(req *kmsg.OffsetCommitRequest, code int16) *kmsg.OffsetCommitResponse {
	resp := req.ResponseKind().(*kmsg.OffsetCommitResponse)
	for _, rt := range req.Topics {
		st := kmsg.NewOffsetCommitResponseTopic()
		st.Topic, st.TopicID = rt.Topic, rt.TopicID
		for _, rp := range rt.Partitions {
			sp := kmsg.NewOffsetCommitResponseTopicPartition()
			sp.Partition, sp.ErrorCode = rp.Partition, code
			st.Partitions = append(st.Partitions, sp)
		}
		resp.Topics = append(resp.Topics, st)
	}
	return resp
}

func produceError(req *kmsg.ProduceRequest, code int16) *kmsg.ProduceResponse {
	resp := req.ResponseKind().(*kmsg.ProduceResponse)
	for _, rt := range req.Topics {
		st := kmsg.NewProduceResponseTopic()
		st.Topic, st.TopicID = rt.Topic, rt.TopicID
		for _, rp := range rt.Partitions {
			sp := kmsg.NewProduceResponseTopicPartition()
			sp.Partition, sp.ErrorCode, sp.BaseOffset = rp.Partition, code, -1
			st.Partitions = append(st.Partitions, sp)
		}
		resp.Topics = append(resp.Topics, st)
	}
	return resp
}
