package objectstore_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/callveil/callveil/aggregates"
	"github.com/callveil/callveil/aggregates/aggtest"
	"github.com/callveil/callveil/sinks"
	"github.com/callveil/callveil/sinks/objectstore"
	"github.com/callveil/callveil/stages"
	"github.com/minio/minio-go/v7"
)

// TestMinIOWritesWindowsAsParquet goes through the S3 protocol end to end:
// the bucket is created, the retention rule installed, windows closed by
// the watermark are written, Close writes the open one, and every object
// reads back as Parquet with the calls of its window.
func TestMinIOWritesWindowsAsParquet(t *testing.T) {
	cfg := minioConfig(t, "w1")
	cfg.K = 2
	raw := rawClient(t)
	ctx := context.Background()
	if ok, err := raw.BucketExists(ctx, cfg.Bucket); err != nil || ok {
		t.Fatalf("bucket exists before New: %v %v", ok, err)
	}
	s, err := objectstore.New(ctx, cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	if ok, err := raw.BucketExists(ctx, cfg.Bucket); err != nil || !ok {
		t.Fatalf("bucket not created: %v %v", ok, err)
	}
	lc, err := raw.GetBucketLifecycle(ctx, cfg.Bucket)
	if err != nil || len(lc.Rules) != 1 || lc.Rules[0].Expiration.Days != objectstore.DefaultRetentionDays ||
		lc.Rules[0].RuleFilter.Prefix != "aggregates/v1/" || lc.Rules[0].Status != "Enabled" {
		t.Fatalf("lifecycle = %+v, %v", lc, err)
	}

	calls := aggtest.Calls(21, 1200, t0, 3*time.Hour, 5*time.Minute)
	writeBatches(t, s, calls[:1000], 100)
	objs := parquetObjects(t, bucketObjects(t, raw, cfg.Bucket))
	// Starts reach about 15:30 by call 1000: the 13:00 and 14:00 windows
	// have closed, 15:00 is still open (only in the checkpoint).
	want13 := aggregates.ObjectKey("", t0, time.Hour, "w1")
	want14 := aggregates.ObjectKey("", t0.Add(time.Hour), time.Hour, "w1")
	if len(objs) != 2 || objs[want13] == nil || objs[want14] == nil {
		t.Fatalf("objects before Close = %v", slices.Sorted(mapsKeys(objs)))
	}
	writeBatches(t, s, calls[1000:], 100)
	if err := s.Close(ctx); err != nil {
		t.Fatalf("Close: %v", err)
	}
	all := bucketObjects(t, raw, cfg.Bucket)
	if _, ok := all[aggregates.StateKey("", "w1")]; !ok {
		t.Error("no checkpoint object")
	}
	objs = parquetObjects(t, all)
	truth := windowTruth(calls, time.Hour)
	if len(objs) != len(truth) {
		t.Fatalf("%d window objects, want %d", len(objs), len(truth))
	}
	for start, n := range truth {
		key := aggregates.ObjectKey("", start, time.Hour, "w1")
		rows, ok := objs[key]
		if !ok {
			t.Fatalf("missing %s", key)
		}
		var got int64
		for _, r := range rows {
			got += r.Calls
			if !r.WindowStart.Equal(start) || !r.WindowEnd.Equal(start.Add(time.Hour)) {
				t.Errorf("%s: row window %v-%v", key, r.WindowStart, r.WindowEnd)
			}
			if wantFinal := !start.Equal(t0.Add(2 * time.Hour)); r.Final != wantFinal {
				t.Errorf("%s: final = %v, want %v", key, r.Final, wantFinal)
			}
		}
		// k=2: at most one call (a lone leftover cell) is suppressed.
		if got > n || got < n-1 {
			t.Errorf("%s: rows hold %d calls, window had %d", key, got, n)
		}
	}
	if st := s.Stats(); st.Added != int64(len(calls)) || st.ObjectsWritten != 3 {
		t.Errorf("stats = %+v", st)
	}
}

func mapsKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// TestMinIOCrashResumeEqualsCleanRun drops a sink mid-window without Close
// (the process dies), after the pipeline committed only some of the
// batches the sink had accepted; a new sink with the same writer id gets
// the uncommitted tail again plus the rest. The objects must equal those of
// a run without the crash, with no extra object.
func TestMinIOCrashResumeEqualsCleanRun(t *testing.T) {
	ctx := context.Background()
	calls := aggtest.Calls(33, 2400, t0, 4*time.Hour, 15*time.Minute)
	const batch = 80

	clean := minioConfig(t, "w7")
	s, err := objectstore.New(ctx, clean)
	if err != nil {
		t.Fatal(err)
	}
	writeBatches(t, s, calls, batch)
	if err := s.Close(ctx); err != nil {
		t.Fatal(err)
	}
	cleanAdded := s.Stats().Added

	crash := minioConfig(t, "w7")
	s1, err := objectstore.New(ctx, crash)
	if err != nil {
		t.Fatal(err)
	}
	// The sink accepted up to call 1360 (mid 15:00 window)...
	writeBatches(t, s1, calls[:1360], batch)
	// ...but the pipeline had committed offsets only up to call 1120
	// when the process died: s1 is dropped without Close.
	firstAdded := s1.Stats().Added
	s1 = nil
	s2, err := objectstore.New(ctx, crash)
	if err != nil {
		t.Fatal(err)
	}
	writeBatches(t, s2, calls[1120:], batch)
	if err := s2.Close(ctx); err != nil {
		t.Fatal(err)
	}
	// Every call counted exactly once across both lives of the writer.
	if st := s2.Stats(); firstAdded+st.Added != cleanAdded || st.Duplicates == 0 {
		t.Errorf("added %d before and %d after the crash (%+v), clean run %d", firstAdded, st.Added, st.Stats, cleanAdded)
	}

	raw := rawClient(t)
	want, got := bucketObjects(t, raw, clean.Bucket), bucketObjects(t, raw, crash.Bucket)
	wantKeys, gotKeys := slices.Sorted(mapsKeys(want)), slices.Sorted(mapsKeys(got))
	if !slices.Equal(gotKeys, wantKeys) {
		t.Fatalf("keys after crash:\n%v\nclean run:\n%v", gotKeys, wantKeys)
	}
	if len(windowTruth(calls, time.Hour))+1 != len(gotKeys) {
		t.Errorf("%d objects for %d windows + 1 checkpoint", len(gotKeys), len(windowTruth(calls, time.Hour)))
	}
	wantRows, gotRows := parquetObjects(t, want), parquetObjects(t, got)
	var total int64
	for k, w := range wantRows {
		sameRows(t, k, gotRows[k], w)
		for _, r := range w {
			total += r.Calls
		}
	}
	if total < int64(len(calls))*9/10 {
		t.Errorf("clean run rows hold only %d of %d calls: the comparison is too weak", total, len(calls))
	}
}

// TestMinIOObjectsHoldNoPersonalData scans the bytes of every object in
// the bucket, checkpoint included, for canary values of every personal
// field, before and after Close.
func TestMinIOObjectsHoldNoPersonalData(t *testing.T) {
	cfg := minioConfig(t, "w1")
	ctx := context.Background()
	s, err := objectstore.New(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	canaries := []string{
		"+4915199990001", "4915199990001", "015199990001", // external number, several spellings
		"+4930999900002", "4930999900002", // company line
		"Canary Mustermann", "canary.mustermann@example.org", "DE89370400440532013000",
		"CAcanary0123456789abcdef0123456789", // a Twilio-shaped provider call id in the text
		"Kanarienvogelstraße 7",
	}
	var calls []stages.RedactedCall
	for i := range 12 {
		c := stages.RedactedCall{
			Call: stages.Call{
				Key:  aggtest.Key(99, i),
				From: canaries[0], To: canaries[3], Start: t0.Add(time.Duration(i*9) * time.Minute),
				DurationSeconds: int64(30 + i), Direction: stages.DirectionInbound, Status: stages.StatusCompleted,
			},
			Language: "de",
			Transcript: []stages.Segment{{Speaker: canaries[5], Text: fmt.Sprintf("Hier %s, %s, IBAN %s, ref %s, wohne %s",
				canaries[5], canaries[6], canaries[7], canaries[8], canaries[9])}},
			Redactions: map[string]int{"PERSON": 1, canaries[6]: 1},
		}
		if i%4 == 3 {
			c.Language = canaries[5] // a broken language value
		}
		canaries = append(canaries, c.Key)
		calls = append(calls, c)
	}
	// Two hours: the first window closes during Write, the second at Close.
	calls = append(calls, stages.RedactedCall{Call: stages.Call{Key: aggtest.Key(99, 100), From: canaries[0], Start: t0.Add(2*time.Hour + 15*time.Minute), Direction: stages.DirectionInbound}})
	writeBatches(t, s, calls, 5)
	raw := rawClient(t)
	scan := func(when string) {
		objs := bucketObjects(t, raw, cfg.Bucket)
		var sawParquet, sawState bool
		for k, b := range objs {
			sawParquet = sawParquet || strings.HasSuffix(k, ".parquet") && bytes.Contains(b, []byte("caller_country"))
			sawState = sawState || strings.HasSuffix(k, ".state") && bytes.Contains(b, []byte(`"seen"`))
			for _, c := range canaries {
				if bytes.Contains(bytes.ToLower(b), bytes.ToLower([]byte(c))) {
					t.Errorf("%s: object %s holds canary %q", when, k, c)
				}
			}
		}
		// The scan can fail: it reads plain column names and checkpoint fields.
		if !sawParquet || !sawState {
			t.Fatalf("%s: scanned %d objects without a readable parquet (%v) and state (%v)", when, len(objs), sawParquet, sawState)
		}
	}
	scan("after writes")
	if err := s.Close(ctx); err != nil {
		t.Fatal(err)
	}
	scan("after close")
}

// TestMinIOTLSByDefault: without Insecure the client speaks TLS, which the
// plain-HTTP test server cannot answer.
func TestMinIOTLSByDefault(t *testing.T) {
	cfg := minioConfig(t, "w1")
	cfg.Insecure = false
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := objectstore.New(ctx, cfg); err == nil {
		t.Fatal("New over TLS against a plain-HTTP server succeeded")
	}
}

// TestMinIOBadCredentialsAreFatal: retrying cannot fix credentials, and
// the error names neither the key nor the secret.
func TestMinIOBadCredentialsAreFatal(t *testing.T) {
	cfg := minioConfig(t, "w1")
	cfg.Credentials.SecretAccessKey = "wrong-secret-canary-7f3a"
	_, err := objectstore.New(context.Background(), cfg)
	var fe *sinks.FatalError
	if !errors.As(err, &fe) {
		t.Fatalf("err = %v, want *sinks.FatalError", err)
	}
	if strings.Contains(err.Error(), "canary") || strings.Contains(err.Error(), cfg.Credentials.AccessKeyID) {
		t.Errorf("error leaks credentials: %v", err)
	}
}

// TestMinIORetention: the lifecycle rule keeps other rules, follows the
// configured period, and Expired lists what the period lets go.
func TestMinIORetention(t *testing.T) {
	cfg := minioConfig(t, "w1")
	cfg.Prefix = "team"
	cfg.RetentionDays = 30
	ctx := context.Background()
	raw := rawClient(t)
	if err := raw.MakeBucket(ctx, cfg.Bucket, minio.MakeBucketOptions{}); err != nil {
		t.Fatal(err)
	}
	s, err := objectstore.New(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	writeBatches(t, s, aggtest.Calls(5, 200, t0, 2*time.Hour, 0), 50)
	if err := s.Close(ctx); err != nil {
		t.Fatal(err)
	}
	// A second start with another period updates the one rule.
	cfg.RetentionDays = 90
	if _, err := objectstore.New(ctx, cfg); err != nil {
		t.Fatal(err)
	}
	lc, err := raw.GetBucketLifecycle(ctx, cfg.Bucket)
	if err != nil || len(lc.Rules) != 1 || lc.Rules[0].Expiration.Days != 90 || lc.Rules[0].RuleFilter.Prefix != "team/aggregates/v1/" {
		t.Fatalf("lifecycle = %+v, %v", lc, err)
	}
	tests := []struct {
		name string
		now  time.Time
		want int
	}{
		{"nothing older than 90 days yet", time.Now(), 0},
		{"all data objects after 91 days", time.Now().Add(91 * 24 * time.Hour), 2},
	}
	for _, tt := range tests {
		got, err := objectstore.Expired(ctx, cfg, tt.now)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != tt.want {
			t.Errorf("%s: Expired = %v, want %d objects", tt.name, got, tt.want)
		}
		for _, o := range got {
			if !strings.HasPrefix(o.Key, "team/aggregates/v1/") {
				t.Errorf("%s: listed %s outside the data prefix", tt.name, o.Key)
			}
		}
	}
}
