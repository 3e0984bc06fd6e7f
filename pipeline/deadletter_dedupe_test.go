package pipeline

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/callveil/callveil/stages"
)

// A second run over the same input appends only letters the file does not
// hold yet; the write time is not part of a letter's identity.
func TestDedupeFileDeadLettersAppendsOnlyNewLetters(t *testing.T) {
	dir := t.TempDir()
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	a := DeadLetter{Reason: stages.ReasonMalformedJSON, Topic: "calls.events", Partition: 1, Offset: 7, Time: at}
	b := DeadLetter{Reason: stages.ReasonTooLarge, Topic: "calls.events", Partition: 1, Offset: 8, Time: at}
	c := DeadLetter{Reason: stages.ReasonMalformedJSON, Topic: "calls.events", Partition: 2, Offset: 7, Time: at}
	write := func(letters ...DeadLetter) {
		t.Helper()
		d, err := NewDedupeFileDeadLetters(dir)
		if err != nil {
			t.Fatal(err)
		}
		if err := d.WriteDeadLetters(context.Background(), letters); err != nil {
			t.Fatal(err)
		}
		if err := d.Close(); err != nil {
			t.Fatal(err)
		}
	}
	write(a, b, a) // a repeated within one batch is written once
	later := a
	later.Time = at.Add(time.Hour)
	write(later, b, c) // only c is new
	data, err := os.ReadFile(filepath.Join(dir, "deadletters.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(data, []byte("\n")); n != 3 {
		t.Fatalf("file holds %d letters, want 3 (a, b, c):\n%s", n, data)
	}
}
