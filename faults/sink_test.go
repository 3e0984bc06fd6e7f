package faults_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/callveil/callveil/aggregates"
	"github.com/callveil/callveil/faults"
	"github.com/callveil/callveil/internal/callgen"
	"github.com/callveil/callveil/internal/embeddedkafka"
	"github.com/callveil/callveil/pipeline"
	"github.com/callveil/callveil/sinks"
	"github.com/callveil/callveil/sinks/hubspot"
	"github.com/callveil/callveil/sinks/hubspot/hubspottest"
	"github.com/callveil/callveil/stages"
)

// HubSpot faults over many rate windows: the server's and the sink's
// 10-second window are scaled to 100ms, so 6 s of storm are 60 windows,
// ten minutes of HubSpot time. During the storm every window brings 429s
// (with and without Retry-After), 5xx after the write happened, slow
// answers past the client timeout (the write lands anyway) and connection
// resets. Every call ends up in HubSpot exactly once, the in-flight
// records stay bounded, and throughput after the storm recovers to that
// before it.
func TestHubSpotStormsEveryCallOnceBoundedThroughputRecovers(t *testing.T) {
	const window = 100 * time.Millisecond
	storm := 6 * time.Second
	calls := 120
	if soakFull() {
		storm, calls = 60*time.Second, 600
	}
	srv := hubspottest.Start(t, hubspottest.Options{Token: "pat-storm", RateLimit: 20, RateWindow: window})
	cfg := hubspot.DefaultConfig()
	cfg.URL, cfg.Token, cfg.Associate = srv.URL, "pat-storm", false
	cfg.RequestsPer10s, cfg.RateWindow = 20, window
	cfg.RetryBaseDelay, cfg.RetryMaxDelay, cfg.Timeout = 5*time.Millisecond, 200*time.Millisecond, 150*time.Millisecond
	hs, err := hubspot.New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer hs.Close(context.Background())

	broker, err := embeddedkafka.Start(embeddedkafka.Config{
		Topics: []string{testTopics.Events, testTopics.Transcripts, testDeadLetterTopic}, Partitions: 3,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer broker.Close()
	// Three equal parts: before, during and after the storm.
	var parts [3]*callgen.Traffic
	for i := range parts {
		if parts[i], err = callgen.Generate(callgen.Config{Seed: int64(300 + i), Calls: calls,
			Start: time.Date(2025, 3, 3+i, 8, 0, 0, 0, time.UTC)}); err != nil {
			t.Fatal(err)
		}
	}
	red, err := sharedRedactor()
	if err != nil {
		t.Fatal(err)
	}
	p, err := pipeline.New(pipeline.Config{
		Brokers: broker.Addrs(), Group: "storm",
		EventsTopic: testTopics.Events, TranscriptsTopic: testTopics.Transcripts, DeadLetterTopic: testDeadLetterTopic,
		KeySecret: faultsSecret, Join: stages.JoinConfig{TTL: 2 * time.Second},
		Redact: stages.RedactConfig{Redactor: red}, Sinks: []sinks.Sink{hs}, BatchSize: 2,
		Logger:         slog.New(slog.DiscardHandler),
		CommitInterval: 100 * time.Millisecond, BatchLinger: 10 * time.Millisecond,
		RetryBackoff: 10 * time.Millisecond, MaxRetryBackoff: 300 * time.Millisecond, ShutdownTimeout: 5 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	src, dls, err := p.JoinGroup()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx, src, dls) }()
	defer func() {
		cancel()
		<-done
	}()

	// Peak in-flight records and heap, sampled by a goroutine this test
	// owns and stops.
	var peakInFlight int
	var peakHeap uint64
	stopSampling := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		var ms runtime.MemStats
		for {
			select {
			case <-stopSampling:
				return
			case <-time.After(20 * time.Millisecond):
			}
			peakInFlight = max(peakInFlight, p.InFlight())
			runtime.ReadMemStats(&ms)
			peakHeap = max(peakHeap, ms.HeapInuse)
		}
	}()

	keysOf := func(tr *callgen.Traffic) []string {
		var ks []string
		for _, c := range tr.Calls {
			ks = append(ks, stages.CallKey(faultsSecret, c.Provider, c.CallID))
		}
		return ks
	}
	deliver := func(tr *callgen.Traffic, timeout time.Duration) time.Duration {
		t.Helper()
		start := time.Now()
		produceTraffic(t, broker.Addrs(), tr)
		waitCalls(t, srv, keysOf(tr), timeout, done)
		return time.Since(start)
	}

	before := deliver(parts[0], time.Minute)

	// The storm: each window, one burst of faults.
	rng := rand.New(rand.NewPCG(7, 7))
	requestsBefore := srv.Stats().Requests
	stormDone := make(chan struct{})
	go func() {
		defer close(stormDone)
		end := time.Now().Add(storm)
		for time.Now().Before(end) {
			switch rng.IntN(5) {
			case 0:
				srv.Inject(hubspottest.Fault{Kind: hubspottest.FaultRateLimited, Count: 8})
			case 1:
				srv.Inject(hubspottest.Fault{Kind: hubspottest.FaultRateLimited, Count: 2, RetryAfter: time.Second})
			case 2:
				srv.Inject(hubspottest.Fault{Kind: hubspottest.FaultServerError, Status: 502 + rng.IntN(3), Count: 3, AfterEffect: rng.IntN(2) == 0})
			case 3:
				srv.Inject(hubspottest.Fault{Kind: hubspottest.FaultSlow, Delay: 300 * time.Millisecond, Count: 2})
			case 4:
				srv.Inject(hubspottest.Fault{Kind: hubspottest.FaultReset, Count: 2, AfterEffect: rng.IntN(2) == 0})
			}
			time.Sleep(window)
		}
	}()
	// The middle part arrives in slices throughout the storm, so that
	// requests keep meeting faults in every window.
	msgs := parts[1].Messages
	slices := int(storm / (2 * window))
	for i := 0; i < slices; i++ {
		chunk := &callgen.Traffic{Messages: msgs[i*len(msgs)/slices : (i+1)*len(msgs)/slices]}
		produceMessages(t, broker.Addrs(), chunk.Messages)
		time.Sleep(2 * window)
	}
	<-stormDone
	srv.ClearFaults()
	injected := srv.Stats().InjectedFaults
	stormRequests := srv.Stats().Requests - requestsBefore
	waitCalls(t, srv, keysOf(parts[1]), 2*time.Minute, done)

	after := deliver(parts[2], time.Minute)
	close(stopSampling)
	<-sampled

	all := append(append(keysOf(parts[0]), keysOf(parts[1])...), keysOf(parts[2])...)
	byKey := map[string]int{}
	for _, c := range srv.Calls() {
		byKey[c.Properties[hubspot.DefaultKeyProperty]]++
	}
	for _, k := range all {
		if byKey[k] != 1 {
			t.Errorf("a call is in HubSpot %d times", byKey[k])
		}
	}
	if st := srv.Stats(); st.CallsCreated != len(all) {
		t.Errorf("HubSpot created %d calls for %d", st.CallsCreated, len(all))
	}
	t.Logf("storm %s (%d windows): %d of %d requests met an injected fault, %d server-side 429s; %d calls exactly once",
		storm, int(storm/window), injected, stormRequests, srv.Stats().RateLimited, len(all))
	t.Logf("before: %d calls in %s; after: %d calls in %s; peak in-flight records %d, peak heap %d MiB",
		calls, before.Round(time.Millisecond), calls, after.Round(time.Millisecond), peakInFlight, peakHeap>>20)
	if injected < 10 || 3*injected < stormRequests {
		t.Errorf("only %d of %d requests met a fault: the storm did not happen", injected, stormRequests)
	}
	if after > 2*before+2*time.Second {
		t.Errorf("throughput did not recover: %s for a part after the storm, %s before", after, before)
	}
	// Bounded: the pipeline never holds more than the traffic of one part
	// in flight (queues are bounded; a failing sink stops the reading).
	if peakInFlight > 3*len(parts[1].Messages) {
		t.Errorf("peak in-flight records %d: not bounded", peakInFlight)
	}
}

// produceMessages produces msgs as they are.
func produceMessages(t *testing.T, brokers []string, msgs []callgen.Message) {
	t.Helper()
	cl, err := faults.NewProducer(brokers)
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := faults.Produce(ctx, cl, testTopics, msgs); err != nil {
		t.Fatal(err)
	}
}

// waitCalls waits until HubSpot has every key, failing on timeout or if the
// pipeline stops.
func waitCalls(t *testing.T, srv *hubspottest.Server, keys []string, timeout time.Duration, done chan error) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		missing := 0
		for _, k := range keys {
			if _, ok := srv.CallByProperty(hubspot.DefaultKeyProperty, k); !ok {
				missing++
			}
		}
		if missing == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d calls not in HubSpot after %s", missing, len(keys), timeout)
		}
		select {
		case err := <-done:
			done <- err
			t.Fatalf("the pipeline stopped: %v", err)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// MinIO stopped mid-window and restarted: `callveil run` writing
// aggregates to a real MinIO keeps running while MinIO is down (its
// writes fail and are retried; reading stops behind them), stays within
// bounded memory (peak RSS of the process, VmHWM), and once MinIO is back
// the aggregates equal those of an undisturbed process writing to a local
// directory from the same traffic.
func TestMinIOStoppedAndRestartedMidWindow(t *testing.T) {
	minioBin := findMinIO()
	if minioBin == "" {
		t.Skip("no minio binary ($CALLVEIL_CI_CACHE/bin, PATH, $(go env GOPATH)/bin): run .ci/minio.sh install")
	}
	bin := callveilBinary(t)
	dir := t.TempDir()
	outage := 8 * time.Second
	calls := 300
	if soakFull() {
		outage, calls = 60*time.Second, 3000
	}
	mc := startMinIO(t, minioBin, filepath.Join(dir, "minio-data"), freePort(t))

	broker, err := embeddedkafka.Start(embeddedkafka.Config{
		Topics: []string{testTopics.Events, testTopics.Transcripts, "dl.s3", "dl.dir"}, Partitions: 3,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer broker.Close()
	secretFile := filepath.Join(dir, "secret")
	if err := os.WriteFile(secretFile, faultsSecret, 0o600); err != nil {
		t.Fatal(err)
	}
	common := func(group, dl string) []string {
		return []string{"run", "--brokers", strings.Join(broker.Addrs(), ","), "--group", group,
			"--events-topic", testTopics.Events, "--transcripts-topic", testTopics.Transcripts, "--deadletter-topic", dl,
			"--key-secret-file", secretFile, "--join-ttl", "20s", "--commit-interval", "250ms",
			"--metrics-addr", "127.0.0.1:0", "--writer-id", "w0",
			// Windows stay open for the whole test (lateness beyond the
			// traffic's span), so neither process can count a call as
			// late because it saw the traffic in another order.
			"--aggregate-window", "1h", "--aggregate-lateness", "1000h", "--k-anonymity", "2"}
	}
	s3Args := append(common("s3", "dl.s3"), "--s3-endpoint", mc.endpoint, "--s3-insecure", "--s3-bucket", "callveil-faults")
	dirArgs := append(common("dir", "dl.dir"), "--aggregates-dir", filepath.Join(dir, "agg"))
	s3Child, err := faults.StartChild(bin, s3Args, []string{"AWS_ACCESS_KEY_ID=" + mc.access, "AWS_SECRET_ACCESS_KEY=" + mc.secret}, filepath.Join(dir, "s3.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer s3Child.Kill()
	dirChild, err := faults.StartChild(bin, dirArgs, nil, filepath.Join(dir, "dir.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer dirChild.Kill()

	admin, err := kgo.NewClient(kgo.SeedBrokers(broker.Addrs()...))
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	waitCaughtUp := func(group string, c *faults.Child, timeout time.Duration) {
		t.Helper()
		deadline := time.Now().Add(timeout)
		for {
			ok, err := faults.CaughtUp(context.Background(), admin, group, testTopics.Events, testTopics.Transcripts)
			if err == nil && ok {
				return
			}
			if exited, werr := c.Exited(); exited {
				t.Fatalf("%s: callveil exited (%v)\n%s", group, werr, c.LogTail(2000))
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: not caught up after %s (%v)\n%s", group, timeout, err, c.LogTail(2000))
			}
			time.Sleep(200 * time.Millisecond)
		}
	}

	half := func(i int) *callgen.Traffic {
		tr, err := callgen.Generate(callgen.Config{Seed: int64(400 + i), Calls: calls / 2, Poison: 3,
			Start: time.Date(2025, 3, 3, 8+i, 0, 0, 0, time.UTC), MeanGap: 5 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		return tr
	}
	produceTraffic(t, broker.Addrs(), half(0))
	waitCaughtUp("s3", s3Child, 2*time.Minute)
	waitCaughtUp("dir", dirChild, 2*time.Minute)

	// Stop MinIO hard, mid-window: the second half's calls fall into the
	// window the first half opened.
	mc.stop(t)
	produceTraffic(t, broker.Addrs(), half(1))
	time.Sleep(outage)
	if exited, werr := s3Child.Exited(); exited {
		t.Fatalf("callveil stopped while MinIO was down (%v)\n%s", werr, s3Child.LogTail(2000))
	}
	if ok, _ := faults.CaughtUp(context.Background(), admin, "s3", testTopics.Events, testTopics.Transcripts); ok {
		t.Error("offsets were committed to the end while the aggregates could not be written")
	}
	rssDuringOutage := s3Child.PeakRSSKiB()
	mc.start(t)
	waitCaughtUp("s3", s3Child, 2*time.Minute)
	waitCaughtUp("dir", dirChild, 2*time.Minute)
	for _, c := range []*faults.Child{s3Child, dirChild} {
		if err := c.Stop(60 * time.Second); err != nil {
			t.Fatalf("graceful stop: %v\n%s", err, c.LogTail(2000))
		}
	}

	got := readBucketAggregates(t, mc, "callveil-faults")
	want, err := faults.ReadAggregates(filepath.Join(dir, "agg"))
	if err != nil {
		t.Fatal(err)
	}
	diff := faults.CompareAggregates(got, want)
	t.Logf("outage %s: peak RSS %d MiB (during the outage %d MiB), baseline process %d MiB; aggregates: %d objects, %d rows, %d calls, %d mismatches",
		outage, s3Child.PeakRSSKiB()>>10, rssDuringOutage>>10, dirChild.PeakRSSKiB()>>10, diff.Objects, diff.Rows, diff.Calls, len(diff.Mismatches))
	if diff.Objects == 0 || diff.Calls == 0 {
		t.Fatal("the baseline wrote no aggregates: the comparison proves nothing")
	}
	if len(diff.Mismatches) > 0 {
		t.Errorf("aggregates after the outage differ from the baseline: %v", diff.Mismatches)
	}
	// Bounded: the process that waited out the outage needs no more than
	// twice the memory of the one that did not (plus slack for the S3
	// client).
	if s3Child.PeakRSSKiB() > 2*dirChild.PeakRSSKiB()+64<<10 {
		t.Errorf("peak RSS %d MiB while MinIO was down, baseline %d MiB", s3Child.PeakRSSKiB()>>10, dirChild.PeakRSSKiB()>>10)
	}
}

// minioProc is a MinIO server this test starts and stops.
type minioProc struct {
	bin, data, endpoint, access, secret string
	cmd                                 *exec.Cmd
	done                                chan struct{}
}

func findMinIO() string {
	cache := os.Getenv("CALLVEIL_CI_CACHE")
	if cache == "" {
		if home, err := os.UserHomeDir(); err == nil {
			cache = filepath.Join(home, ".cache", "callveil-ci")
		}
	}
	cands := []string{filepath.Join(cache, "bin", "minio")}
	if p, err := exec.LookPath("minio"); err == nil {
		cands = append(cands, p)
	}
	if out, err := exec.Command("go", "env", "GOPATH").Output(); err == nil {
		cands = append(cands, filepath.Join(strings.TrimSpace(string(out)), "bin", "minio"))
	}
	for _, c := range cands {
		if st, err := os.Stat(c); err == nil && !st.IsDir() && st.Mode()&0o111 != 0 {
			return c
		}
	}
	return ""
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

func startMinIO(t *testing.T, bin, data string, port int) *minioProc {
	t.Helper()
	m := &minioProc{bin: bin, data: data, endpoint: fmt.Sprintf("127.0.0.1:%d", port),
		access: "callveil-faults", secret: "callveil-faults-secret-0123"}
	m.start(t)
	t.Cleanup(func() { m.stop(t) })
	return m
}

func (m *minioProc) start(t *testing.T) {
	t.Helper()
	cmd := exec.Command(m.bin, "server", "--quiet", "--address", m.endpoint, m.data)
	cmd.Env = append(os.Environ(), "MINIO_ROOT_USER="+m.access, "MINIO_ROOT_PASSWORD="+m.secret, "MINIO_BROWSER=off", "MINIO_UPDATE=off")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	m.cmd, m.done = cmd, make(chan struct{})
	go func() {
		_ = cmd.Wait()
		close(m.done)
	}()
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get("http://" + m.endpoint + "/minio/health/ready")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("minio did not become ready: %s", out.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// stop kills MinIO (no graceful shutdown: an outage, not maintenance).
func (m *minioProc) stop(t *testing.T) {
	if m.cmd == nil {
		return
	}
	_ = m.cmd.Process.Signal(syscall.SIGKILL)
	<-m.done
	m.cmd = nil
}

// readBucketAggregates reads every Parquet object of bucket, keyed like
// faults.ReadAggregates keys a directory.
func readBucketAggregates(t *testing.T, m *minioProc, bucket string) map[string][]aggregates.Row {
	t.Helper()
	c, err := minio.New(m.endpoint, &minio.Options{Creds: credentials.NewStaticV4(m.access, m.secret, "")})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	out := map[string][]aggregates.Row{}
	for obj := range c.ListObjects(ctx, bucket, minio.ListObjectsOptions{Recursive: true}) {
		if obj.Err != nil {
			t.Fatal(obj.Err)
		}
		if !strings.HasSuffix(obj.Key, ".parquet") {
			continue
		}
		o, err := c.GetObject(ctx, bucket, obj.Key, minio.GetObjectOptions{})
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(o)
		o.Close()
		if err != nil {
			t.Fatal(err)
		}
		rows, err := aggregates.DecodeParquet(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			t.Fatal(err)
		}
		out[filepath.FromSlash(obj.Key)] = rows
	}
	return out
}
