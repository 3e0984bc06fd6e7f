package atomicfile

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// oldFileAndTemp makes a folder holding path with "old" in it, and a
// temporary file beside it.
func oldFileAndTemp(t *testing.T) (dir, path string, tmp *os.File) {
	t.Helper()
	dir = t.TempDir()
	path = filepath.Join(dir, "f")
	if err := os.WriteFile(path, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	tmp, err := os.CreateTemp(dir, ".f.tmp-*")
	if err != nil {
		t.Fatal(err)
	}
	return dir, path, tmp
}

func TestCommitReplaces(t *testing.T) {
	dir, path, tmp := oldFileAndTemp(t)
	_, err := tmp.WriteString("new")
	if err := Commit(tmp, path, err); err != nil {
		t.Fatal(err)
	}
	SyncDir(dir)
	if b, _ := os.ReadFile(path); string(b) != "new" {
		t.Fatalf("content %q, want new", b)
	}
	if _, err := os.Stat(tmp.Name()); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("temporary file still there: %v", err)
	}
}

func TestCommitKeepsTargetOnWriteError(t *testing.T) {
	_, path, tmp := oldFileAndTemp(t)
	want := errors.New("write failed")
	if err := Commit(tmp, path, want); err != want {
		t.Fatalf("Commit = %v, want the write error", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "old" {
		t.Fatalf("content %q, want old", b)
	}
	if err := tmp.Close(); err == nil {
		t.Fatal("tmp left open")
	}
}
