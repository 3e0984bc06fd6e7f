package objectstore_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/callveil/callveil/aggregates"
	"github.com/callveil/callveil/aggregates/aggtest"
	"github.com/callveil/callveil/sinks/objectstore"
	"github.com/callveil/callveil/stages"
	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

var t0 = time.Date(2026, 3, 2, 13, 0, 0, 0, time.UTC)

// clock is after every fixture call, so none is refused as from the future.
func clock() time.Time { return t0.Add(72 * time.Hour) }

// minioEnv returns the test server's endpoint and credentials, set by
// .ci/minio.sh; the test skips when they are absent (CI always sets them).
func minioEnv(t *testing.T) (endpoint, access, secret string) {
	t.Helper()
	endpoint = os.Getenv("CALLVEIL_MINIO_ENDPOINT")
	if endpoint == "" {
		t.Skip("CALLVEIL_MINIO_ENDPOINT not set: run `source .ci/minio.sh start` for a local MinIO (CI always does)")
	}
	return endpoint, os.Getenv("CALLVEIL_MINIO_ACCESS_KEY"), os.Getenv("CALLVEIL_MINIO_SECRET_KEY")
}

// minioConfig is a sink config for a fresh, uniquely named bucket, with
// the credentials read through CredentialsFromEnv.
func minioConfig(t *testing.T, writer string) objectstore.Config {
	endpoint, access, secret := minioEnv(t)
	t.Setenv("AWS_ACCESS_KEY_ID", access)
	t.Setenv("AWS_SECRET_ACCESS_KEY", secret)
	return objectstore.Config{
		Endpoint: endpoint, Insecure: true, Bucket: uniqueBucket(t),
		Credentials: objectstore.CredentialsFromEnv(),
		WriterID:    writer, HashSecret: aggtest.Secret(), Lateness: 10 * time.Minute, Now: clock,
	}
}

func uniqueBucket(t *testing.T) string {
	var b [4]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	name := strings.ToLower(t.Name())
	name = strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			return r
		}
		return '-'
	}, name)
	if len(name) > 40 {
		name = name[:40]
	}
	return strings.Trim("cv-"+name, "-") + "-" + hex.EncodeToString(b[:])
}

// rawClient is an S3 client of the test's own, to look at the bucket
// independently of the sink.
func rawClient(t *testing.T) *minio.Client {
	endpoint, access, secret := minioEnv(t)
	c, err := minio.New(endpoint, &minio.Options{Creds: credentials.NewStaticV4(access, secret, "")})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// bucketObjects reads every object of a bucket: key -> bytes.
func bucketObjects(t *testing.T, c *minio.Client, bucket string) map[string][]byte {
	t.Helper()
	ctx := context.Background()
	out := map[string][]byte{}
	for o := range c.ListObjects(ctx, bucket, minio.ListObjectsOptions{Recursive: true}) {
		if o.Err != nil {
			t.Fatal(o.Err)
		}
		obj, err := c.GetObject(ctx, bucket, o.Key, minio.GetObjectOptions{})
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(obj)
		obj.Close()
		if err != nil {
			t.Fatal(err)
		}
		out[o.Key] = b
	}
	return out
}

// parquetObjects decodes the Parquet objects among objs: key -> rows.
func parquetObjects(t *testing.T, objs map[string][]byte) map[string][]aggregates.Row {
	t.Helper()
	out := map[string][]aggregates.Row{}
	for k, b := range objs {
		if !strings.HasSuffix(k, ".parquet") {
			continue
		}
		rows, err := aggregates.DecodeParquet(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			t.Fatalf("%s: %v", k, err)
		}
		out[k] = rows
	}
	return out
}

// writeBatches hands calls to the sink in batches of n, as the pipeline does.
func writeBatches(t *testing.T, s *objectstore.ObjectStoreSink, calls []stages.RedactedCall, n int) {
	t.Helper()
	for i := 0; i < len(calls); i += n {
		if err := s.Write(context.Background(), calls[i:min(i+n, len(calls))]); err != nil {
			t.Fatalf("Write batch at %d: %v", i, err)
		}
	}
}

// windowTruth counts calls per window start by brute force.
func windowTruth(calls []stages.RedactedCall, window time.Duration) map[time.Time]int64 {
	out := map[time.Time]int64{}
	for _, c := range calls {
		out[c.Start.UTC().Truncate(window)]++
	}
	return out
}

// sameRows compares the measures that must survive a crash unchanged.
func sameRows(t *testing.T, key string, got, want []aggregates.Row) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d rows, want %d", key, len(got), len(want))
		return
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.Calls != w.Calls || g.DurationTotalSeconds != w.DurationTotalSeconds || g.DistinctExternalNumbers != w.DistinctExternalNumbers ||
			g.DurationP50Seconds != w.DurationP50Seconds || g.DurationP99Seconds != w.DurationP99Seconds || g.Final != w.Final ||
			g.CallerCountry != w.CallerCountry || g.Direction != w.Direction || g.IsOther != w.IsOther || len(g.Redactions) != len(w.Redactions) {
			t.Errorf("%s row %d:\n got %+v\nwant %+v", key, i, g, w)
		}
		for k, v := range w.Redactions {
			if g.Redactions[k] != v {
				t.Errorf("%s row %d: redactions %v, want %v", key, i, g.Redactions, w.Redactions)
			}
		}
	}
}
