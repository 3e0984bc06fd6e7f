package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"github.com/segmentio/kafka-go"

	"github.com/callveil/callveil/internal/callgen"
	"github.com/callveil/callveil/internal/embeddedkafka"
	"github.com/callveil/callveil/pipeline/monitoring"
	"github.com/callveil/callveil/sinks/hubspot"
	"github.com/callveil/callveil/sinks/hubspot/hubspottest"
	"github.com/callveil/callveil/stages"
)

const (
	scaleEvents      = "calls.events"
	scaleTranscripts = "calls.transcripts"
	scaleDeadLetters = "calls.deadletter"
	scalePartitions  = 6
	scaleToken       = "pat-scaleout-token"
)

// buildBinary builds callveil once into a temporary directory.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "callveil")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// lockedBuffer collects a process's stderr.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

type instance struct {
	name string
	cmd  *exec.Cmd
	logs *lockedBuffer
	done chan error
}

func startInstance(t *testing.T, bin, name string, brokers []string, hubspotURL, metricsAddr string) *instance {
	t.Helper()
	cmd := exec.Command(bin, "--log-level", "debug", "run", "--metrics-addr", metricsAddr,
		"--brokers", strings.Join(brokers, ","), "--group", "scaleout",
		"--hubspot-url", hubspotURL, "--hubspot-no-associate", "--hubspot-requests-per-10s", "250",
		"--join-ttl", "5s", "--commit-interval", "200ms", "--commit-every", "50",
		"--parse-workers", "2", "--redact-workers", "2", "--shutdown-timeout", "10s")
	cmd.Env = append(os.Environ(), "HUBSPOT_TOKEN="+scaleToken, "CALLVEIL_KEY_SECRET="+string(scaleSecret))
	in := &instance{name: name, cmd: cmd, logs: &lockedBuffer{}, done: make(chan error, 1)}
	cmd.Stdout, cmd.Stderr = in.logs, in.logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { in.done <- cmd.Wait() }()
	t.Cleanup(func() {
		select {
		case err := <-in.done:
			in.done <- err
		default:
			cmd.Process.Kill()
			<-in.done
		}
	})
	return in
}

var scaleSecret = []byte("scaleout-test-secret-0123456789")

func produceScale(t *testing.T, brokers []string, msgs []callgen.Message) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := callgen.Produce(ctx, brokers, callgen.Topics{Events: scaleEvents, Transcripts: scaleTranscripts}, msgs); err != nil {
		t.Fatal(err)
	}
}

// lagOf returns end minus committed offsets over both input topics.
func lagOf(t *testing.T, brokers []string) int64 {
	t.Helper()
	lc := monitoring.NewLagCollector(brokers, "scaleout", []string{scaleEvents, scaleTranscripts}, 5*time.Second)
	defer lc.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	lags, err := lc.Lags(ctx)
	if err != nil {
		return -1
	}
	var sum int64
	for _, l := range lags {
		sum += l
	}
	if len(lags) != 2*scalePartitions {
		return -1
	}
	return sum
}

// Three `callveil run` processes share six partitions per topic in one
// consumer group; one is SIGKILLed mid-stream. Every call still ends up in
// HubSpot exactly once (the key property is unique, and a call re-read
// after the kill is upserted, not added), with its transcript joined even
// though the survivors took over the dead instance's partitions, and never
// overwritten afterwards by a version without it (a survivor that lost a
// partition in the rebalance must drop, not emit, the calls it held of it),
// and every record is committed in the end.
func TestScaleOutThreeProcessesOneKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs three processes (~30 s); skipped in -short mode")
	}
	bin := buildBinary(t)
	broker, err := embeddedkafka.Start(embeddedkafka.Config{
		Topics: []string{scaleEvents, scaleTranscripts, scaleDeadLetters}, Partitions: scalePartitions})
	if err != nil {
		t.Fatal(err)
	}
	defer broker.Close()
	srv := hubspottest.Start(t, hubspottest.Options{Token: scaleToken, KeyProperty: hubspot.DefaultKeyProperty})

	traffic, err := callgen.Generate(callgen.Config{Seed: 88, Calls: 150, Poison: 6, Canary: true, MeanGap: 10 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	var insts []*instance
	// i0 serves /metrics, /healthz and /readyz; the others run without.
	opsAddr := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	for i := range 3 {
		addr := ""
		if i == 0 {
			addr = opsAddr
		}
		insts = append(insts, startInstance(t, bin, fmt.Sprintf("i%d", i), broker.Addrs(), srv.URL, addr))
	}
	// All three members in a stable group, each owning the same partition
	// numbers of both topics (the real kafka-go group protocol, real
	// member ids), before any traffic flows.
	waitGroup(t, broker.Addrs(), 3, 60*time.Second)

	half := quietPoint(traffic.Messages)
	produceScale(t, broker.Addrs(), traffic.Messages[:half])
	waitFor := func(what string, limit time.Duration, cond func() bool) {
		t.Helper()
		deadline := time.Now().Add(limit)
		for !cond() {
			for _, in := range insts {
				select {
				case err := <-in.done:
					in.done <- err
					if in.name != "i1" { // i1 is the one we kill
						t.Fatalf("instance %s exited early (%v):\n%s", in.name, err, in.logs)
					}
				default:
				}
			}
			if time.Now().After(deadline) {
				for _, in := range insts {
					t.Logf("--- %s logs (tail):\n%s", in.name, tail(in.logs.String(), 3000))
				}
				t.Fatalf("timed out waiting for %s", what)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	waitFor("first calls in HubSpot", 60*time.Second, func() bool { return len(srv.Calls()) >= 20 })
	// Kill one instance mid-stream: no graceful drain, no final commit.
	if err := insts[1].cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	if half < len(traffic.Messages) {
		produceScale(t, broker.Addrs(), traffic.Messages[half:])
	}
	waitFor("every call in HubSpot", 90*time.Second, func() bool { return len(srv.Calls()) >= len(traffic.Calls) })
	waitFor("every record committed", 60*time.Second, func() bool { return lagOf(t, broker.Addrs()) == 0 })
	// The running service's ops endpoints: ready (Kafka and HubSpot
	// reachable), and counters that moved.
	if code := httpStatus(t, "http://"+opsAddr+"/readyz"); code != http.StatusOK {
		t.Errorf("/readyz = %d, want 200", code)
	}
	resp, err := http.Get("http://" + opsAddr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := parser.TextToMetricFamilies(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	if f := fams["callveil_records_read_total"]; f == nil || sumCounter(f) == 0 {
		t.Error("i0 reports no records read")
	}
	if f := fams["callveil_consumer_lag"]; f == nil || len(f.GetMetric()) != 2*scalePartitions {
		t.Error("i0 reports no lag per partition")
	}
	for _, i := range []int{0, 2} {
		insts[i].cmd.Process.Signal(syscall.SIGTERM)
	}
	for _, i := range []int{0, 2} {
		select {
		case err := <-insts[i].done:
			insts[i].done <- err
			if err != nil {
				t.Errorf("instance %s: %v\n%s", insts[i].name, err, tail(insts[i].logs.String(), 3000))
			}
		case <-time.After(30 * time.Second):
			t.Fatalf("instance %s did not stop on SIGTERM", insts[i].name)
		}
	}

	if dir := os.Getenv("CALLVEIL_SCALEOUT_LOGS"); dir != "" {
		for _, in := range insts {
			os.WriteFile(filepath.Join(dir, in.name+".log"), []byte(in.logs.String()), 0o644)
		}
	}
	byKey := map[string][]hubspottest.Call{}
	for _, c := range srv.Calls() {
		k := c.Properties[hubspot.DefaultKeyProperty]
		byKey[k] = append(byKey[k], c)
	}
	if len(srv.Calls()) != len(traffic.Calls) {
		t.Errorf("HubSpot holds %d calls for %d generated calls", len(srv.Calls()), len(traffic.Calls))
	}
	// Every upsert HubSpot received, by call key: was the call ever
	// delivered with its transcript joined?
	withTranscript := map[string]bool{}
	for _, rq := range srv.Requests() {
		if !strings.HasSuffix(rq.Path, "/batch/upsert") || rq.Status/100 != 2 {
			continue
		}
		var body struct {
			Inputs []struct {
				ID         string            `json:"id"`
				Properties map[string]string `json:"properties"`
			} `json:"inputs"`
		}
		if err := json.Unmarshal(rq.Body, &body); err != nil {
			t.Fatal(err)
		}
		for _, in := range body.Inputs {
			if !strings.Contains(in.Properties["hs_call_body"], "No transcript.") {
				withTranscript[in.ID] = true
			}
		}
	}
	for _, c := range traffic.Calls {
		key := stages.CallKey(scaleSecret, c.Provider, c.CallID)
		got := byKey[key]
		if len(got) != 1 {
			t.Errorf("call %d (%s): %d HubSpot calls, want exactly 1", c.Index, c.Provider, len(got))
			continue
		}
		if c.Transcript == nil {
			continue
		}
		if !withTranscript[key] {
			t.Errorf("call %d (%s): never delivered with its transcript joined", c.Index, c.Provider)
		} else if strings.Contains(got[0].Properties["hs_call_body"], "No transcript.") {
			// A member that lost the call's partition in a rebalance
			// emitted what it held of the call at its TTL, after the new
			// owner had delivered the complete version.
			t.Errorf("call %d (%s): delivered with its transcript, then overwritten by a version without it", c.Index, c.Provider)
		}
	}
	// Both survivors took part, and the killed one had started.
	for _, in := range insts {
		if !strings.Contains(in.logs.String(), "callveil running") {
			t.Errorf("instance %s never started:\n%s", in.name, tail(in.logs.String(), 2000))
		}
	}
	// No personal value in any process's logs.
	var logs strings.Builder
	for _, in := range insts {
		logs.WriteString(strings.ToLower(in.logs.String()))
	}
	for _, cn := range traffic.Canaries() {
		if strings.Contains(logs.String(), strings.ToLower(cn.Value)) {
			t.Errorf("canary of %s in the logs", cn.Field)
		}
	}
}

// quietPoint is a message index near the middle of the traffic that no
// call straddles: every call has all its records before it or all after.
// Producing in two parts there keeps a call's halves from being minutes
// apart in the test, which the short join TTL the test uses would (rightly)
// treat as a transcript that never came.
func quietPoint(msgs []callgen.Message) int {
	first, last := map[*callgen.CallTruth]int{}, map[*callgen.CallTruth]int{}
	for i, m := range msgs {
		if m.Call == nil {
			continue
		}
		if _, ok := first[m.Call]; !ok {
			first[m.Call] = i
		}
		last[m.Call] = i
	}
	best, bestDist := len(msgs), len(msgs)
	for k := len(msgs) / 3; k <= 2*len(msgs)/3; k++ {
		quiet := true
		for c, f := range first {
			if f < k && last[c] >= k {
				quiet = false
				break
			}
		}
		if d := max(k-len(msgs)/2, len(msgs)/2-k); quiet && d < bestDist {
			best, bestDist = k, d
		}
	}
	return best
}

// waitGroup waits until the consumer group is stable with n members that
// all own partitions, and checks that each owns the same partition numbers
// of both input topics.
func waitGroup(t *testing.T, brokers []string, n int, limit time.Duration) {
	t.Helper()
	c := &kafka.Client{Addr: kafka.TCP(brokers...), Timeout: 5 * time.Second}
	deadline := time.Now().Add(limit)
	for {
		res, err := c.DescribeGroups(context.Background(), &kafka.DescribeGroupsRequest{GroupIDs: []string{"scaleout"}})
		if err == nil && len(res.Groups) == 1 && res.Groups[0].GroupState == "Stable" && len(res.Groups[0].Members) == n {
			owned, ok := 0, true
			for _, m := range res.Groups[0].Members {
				parts := map[string][]int{}
				for _, tp := range m.MemberAssignments.Topics {
					parts[tp.Topic] = append(parts[tp.Topic], tp.Partitions...)
				}
				ev, tr := parts[scaleEvents], parts[scaleTranscripts]
				slices.Sort(ev)
				slices.Sort(tr)
				if len(ev) == 0 {
					ok = false
				}
				if !slices.Equal(ev, tr) {
					t.Fatalf("member owns events partitions %v but transcripts partitions %v: not co-partitioned", ev, tr)
				}
				owned += len(ev)
			}
			if ok && owned == scalePartitions {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("consumer group not stable with %d members in %s", n, limit)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func httpStatus(t *testing.T, url string) int {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func sumCounter(f *dto.MetricFamily) float64 {
	var s float64
	for _, m := range f.GetMetric() {
		s += m.GetCounter().GetValue()
	}
	return s
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[len(s)-n:]
}
