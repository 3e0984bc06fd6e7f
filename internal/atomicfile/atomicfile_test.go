package atomicfile

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestCommitReplaces(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "f")
	if err := os.WriteFile(path, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	tmp, err := os.CreateTemp(dir, ".f.tmp-*")
	if err != nil {
		t.Fatal(err)
	}
	_, err = tmp.WriteString("new")
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
	dir := t.TempDir()
	path := filepath.Join(dir, "f")
	if err := os.WriteFile(path, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	tmp, err := os.CreateTemp(dir, ".f.tmp-*")
	if err != nil {
		t.Fatal(err)
	}
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
