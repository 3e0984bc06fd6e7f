package objectstore

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/callveil/callveil/aggregates"
	"github.com/callveil/callveil/aggregates/aggtest"
)

// failingStore fails checkpoint puts while armed, after the window objects
// of the same Write have been put: the crash window between writing a
// closed window and checkpointing.
type failingStore struct {
	blobStore
	armed bool
	fails int
}

func (f *failingStore) put(ctx context.Context, key string, data []byte, ct string) error {
	if f.armed && strings.HasSuffix(key, ".state") {
		f.fails++
		return errors.New("injected checkpoint failure")
	}
	return f.blobStore.put(ctx, key, data, ct)
}

func dirFiles(t *testing.T, dir string) map[string][]byte {
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, e os.DirEntry, err error) error {
		if err != nil || e.IsDir() || strings.HasSuffix(p, ".state") {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestFailedCheckpointThenRetryOrCrash: a Write whose checkpoint fails
// returns an error (offsets stay uncommitted). Whether the pipeline
// retries the batch on the same sink, or the process dies and a new sink
// resumes from the previous checkpoint, the window objects end up equal to
// those of a run without the failure.
func TestFailedCheckpointThenRetryOrCrash(t *testing.T) {
	calls := aggtest.Calls(44, 1500, time.Date(2026, 3, 2, 13, 0, 0, 0, time.UTC), 3*time.Hour, 5*time.Minute)
	now := func() time.Time { return time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC) }
	ctx := context.Background()
	run := func(t *testing.T, crash bool) map[string][]byte {
		cfg := Config{Dir: t.TempDir(), WriterID: "w1", HashSecret: aggtest.Secret(), Now: now}
		s, err := New(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		fs := &failingStore{blobStore: s.store}
		s.store = fs
		const batch = 100
		for i := 0; i < len(calls); i += batch {
			b := calls[i:min(i+batch, len(calls))]
			// Batch 600-700 closes the 13:00 window (starts pass 14:10).
			fs.armed = i == 600 && fs.fails == 0
			err := s.Write(ctx, b)
			if !fs.armed {
				if err != nil {
					t.Fatal(err)
				}
				continue
			}
			if err == nil {
				t.Fatal("Write returned nil with a failed checkpoint")
			}
			fs.armed = false
			if crash {
				if s, err = New(ctx, cfg); err != nil { // resumes from the previous checkpoint
					t.Fatal(err)
				}
			}
			if err := s.Write(ctx, b); err != nil { // the redelivered batch
				t.Fatal(err)
			}
		}
		if err := s.Close(ctx); err != nil {
			t.Fatal(err)
		}
		if fs.fails != 1 {
			t.Fatalf("injected %d failures, want 1", fs.fails)
		}
		return dirFiles(t, cfg.Dir)
	}
	clean := func() map[string][]byte {
		cfg := Config{Dir: t.TempDir(), WriterID: "w1", HashSecret: aggtest.Secret(), Now: now}
		s, err := New(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < len(calls); i += 100 {
			if err := s.Write(ctx, calls[i:min(i+100, len(calls))]); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.Close(ctx); err != nil {
			t.Fatal(err)
		}
		return dirFiles(t, cfg.Dir)
	}()
	if _, ok := clean[aggregates.ObjectKey("", time.Date(2026, 3, 2, 13, 0, 0, 0, time.UTC), time.Hour, "w1")]; !ok || len(clean) != 3 {
		t.Fatalf("clean run objects: %d", len(clean))
	}
	for _, crash := range []bool{false, true} {
		name := map[bool]string{false: "retry", true: "crash"}[crash]
		t.Run(name, func(t *testing.T) {
			got := run(t, crash)
			if len(got) != len(clean) {
				t.Fatalf("%d objects, clean run %d", len(got), len(clean))
			}
			for k, want := range clean {
				wr, err := aggregates.DecodeParquet(bytes.NewReader(want), int64(len(want)))
				if err != nil {
					t.Fatal(err)
				}
				gr, err := aggregates.DecodeParquet(bytes.NewReader(got[k]), int64(len(got[k])))
				if err != nil {
					t.Fatalf("%s: %v", k, err)
				}
				if len(gr) != len(wr) {
					t.Fatalf("%s: %d rows, want %d", k, len(gr), len(wr))
				}
				for i := range wr {
					if gr[i].Calls != wr[i].Calls || gr[i].DurationTotalSeconds != wr[i].DurationTotalSeconds ||
						gr[i].DistinctExternalNumbers != wr[i].DistinctExternalNumbers || gr[i].Final != wr[i].Final {
						t.Errorf("%s row %d: %+v, want %+v", k, i, gr[i], wr[i])
					}
				}
			}
		})
	}
}
