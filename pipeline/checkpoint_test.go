package pipeline

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestCheckpointSaveLoadIsAtomicAndLeavesNoTempFiles(t *testing.T) {
	dir := t.TempDir()
	cpf, err := NewCheckpointFile(filepath.Join(dir, "sub", "reprocess.checkpoint"))
	if err != nil {
		t.Fatal(err)
	}
	if cp, err := cpf.Load(); err != nil || cp != nil {
		t.Fatalf("missing checkpoint: got %v, %v; want nil, nil", cp, err)
	}
	want := &Checkpoint{Input: "in.jsonl", Fingerprint: "abc", UnitsDone: 2,
		Positions: []Position{{Topic: "in.jsonl", Partition: 2, Offset: 17}}}
	for range 3 { // overwriting goes through a rename each time
		if err := cpf.Save(want); err != nil {
			t.Fatal(err)
		}
	}
	got, err := cpf.Load()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("loaded %+v, want %+v", got, want)
	}
	entries, _ := os.ReadDir(filepath.Join(dir, "sub"))
	if len(entries) != 1 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("directory holds %v, want only the checkpoint", names)
	}
}

func TestCheckpointLoadForRefusesOtherInputOrBrokenFile(t *testing.T) {
	dir := t.TempDir()
	cpf, _ := NewCheckpointFile(filepath.Join(dir, "cp"))
	if err := cpf.Save(&Checkpoint{Input: "a.jsonl", Fingerprint: "f1"}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, input, fp string
		wantErr         error
	}{
		{"same input", "a.jsonl", "f1", nil},
		{"other input", "b.jsonl", "f1", ErrCheckpointMismatch},
		{"input changed", "a.jsonl", "f2", ErrCheckpointMismatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cp, err := cpf.LoadFor(tt.input, tt.fp)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if tt.wantErr == nil && cp == nil {
				t.Fatal("no checkpoint loaded")
			}
		})
	}

	// A torn or foreign file is refused without quoting its content.
	const canary = "CANARY-4915112345678"
	if err := os.WriteFile(cpf.Path(), []byte(`{"version":1,"input":"`+canary), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := cpf.Load()
	if err == nil || strings.Contains(err.Error(), canary) {
		t.Fatalf("broken checkpoint: err = %v", err)
	}
	if err := os.WriteFile(cpf.Path(), []byte(`{"version":99}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := cpf.Load(); err == nil {
		t.Fatal("a checkpoint of an unknown version was accepted")
	}
	if err := cpf.Remove(); err != nil {
		t.Fatal(err)
	}
	if err := cpf.Remove(); err != nil {
		t.Fatalf("removing a missing checkpoint: %v", err)
	}
}
