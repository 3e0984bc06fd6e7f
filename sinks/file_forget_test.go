package sinks

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/callveil/callveil/stages"
)

func fileCall(key, from, to, text string) stages.RedactedCall {
	return stages.RedactedCall{
		Call:       stages.Call{Key: key, From: from, To: to, Start: time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)},
		Transcript: []stages.Segment{{Speaker: "a", Start: 0, End: 1.5, Text: text}},
	}
}

// Forgetting a number removes every line of its calls from calls.jsonl,
// keeps everything else, and a sink still open on the file keeps writing
// to the rewritten file.
func TestRemoveCallsFromFile(t *testing.T) {
	const victim, other, third = "+4915100000001", "+4915100000002", "+4915100000003"
	dir := t.TempDir()
	fs, err := NewFileSink(FileSinkConfig{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer fs.Close(context.Background())
	ctx := context.Background()
	if err := fs.Write(ctx, []stages.RedactedCall{
		fileCall("k1", victim, other, "first version"),
		fileCall("k2", other, third, "kept"),
		fileCall("k3", third, victim, "callee side"),
	}); err != nil {
		t.Fatal(err)
	}
	// A later version of k1, as when its transcript arrives late.
	if err := fs.Write(ctx, []stages.RedactedCall{fileCall("k1", victim, other, "second version")}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "calls.jsonl")
	before, _ := os.ReadFile(path)
	if n := strings.Count(string(before), "\n"); n != 4 {
		t.Fatalf("setup: %d lines, want 4", n)
	}

	removed, err := RemoveCallsFromFile(dir, []string{victim})
	if err != nil {
		t.Fatal(err)
	}
	if removed != 2 {
		t.Errorf("removed %d calls, want 2 (k1, k3)", removed)
	}
	if err := fs.Write(ctx, []stages.RedactedCall{fileCall("k4", other, third, "after forget")}); err != nil {
		t.Fatal(err)
	}
	after, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	got := string(after)
	if strings.Contains(got, victim) || strings.Contains(got, `"k1"`) || strings.Contains(got, `"k3"`) {
		t.Errorf("forgotten calls still in the file:\n%s", got)
	}
	for _, want := range []string{`"call_key":"k2"`, `"call_key":"k4"`} {
		if !strings.Contains(got, want) {
			t.Errorf("file lost %s:\n%s", want, got)
		}
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o640 {
		t.Errorf("rewritten file mode %v (%v), want 0640", fi.Mode().Perm(), err)
	}

	// Idempotent, and a missing file is no error.
	if n, err := RemoveCallsFromFile(dir, []string{victim}); err != nil || n != 0 {
		t.Errorf("second run: %d, %v", n, err)
	}
	if n, err := RemoveCallsFromFile(t.TempDir(), []string{victim}); err != nil || n != 0 {
		t.Errorf("no file: %d, %v", n, err)
	}
}
