package sinks

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"testing"

	"github.com/callveil/callveil/stages"
)

// lastLines reads calls.jsonl: the last line per call key, and the count.
func lastLines(t *testing.T, fs *FileSink) (map[string]map[string]any, int) {
	t.Helper()
	f, err := os.Open(fs.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out, n := map[string]map[string]any{}, 0
	for sc := bufio.NewScanner(f); sc.Scan(); n++ {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatal(err)
		}
		out[m["call_key"].(string)] = m
	}
	return out, n
}

// After a restart a call written complete can come again in one batch:
// first its provisional copy (read again, its end seen before its
// transcript), then complete, unchanged. The complete line must be written
// again after the provisional one, or the provisional copy stays the key's
// last line and the transcript is gone from the output for good.
func TestFileSinkWritesACallAgainAfterItsProvisionalCopy(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	complete := fileCall("k1", "+4915100000001", "+4915100000002", "hello")
	provisional := complete
	provisional.Transcript, provisional.Provisional = nil, true

	fs, err := NewFileSink(FileSinkConfig{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if err := fs.Write(ctx, []stages.RedactedCall{provisional}); err != nil {
		t.Fatal(err)
	}
	if err := fs.Write(ctx, []stages.RedactedCall{complete}); err != nil {
		t.Fatal(err)
	}
	fs.Close(ctx)

	// The next run's sink loads the last lines from the file.
	fs, err = NewFileSink(FileSinkConfig{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer fs.Close(ctx)
	if err := fs.Write(ctx, []stages.RedactedCall{provisional, complete}); err != nil {
		t.Fatal(err)
	}
	out, n := lastLines(t, fs)
	if out["k1"]["transcript"] == nil {
		t.Error("the provisional copy is the call's last line: its transcript is gone")
	}
	if n != 4 {
		t.Errorf("%d lines, want 4 (provisional, complete, provisional, complete)", n)
	}

	// An unchanged call is still not written twice, within a batch or
	// across batches.
	if err := fs.Write(ctx, []stages.RedactedCall{complete, complete}); err != nil {
		t.Fatal(err)
	}
	if _, n := lastLines(t, fs); n != 4 {
		t.Errorf("%d lines after writing the unchanged call again, want 4", n)
	}
}
