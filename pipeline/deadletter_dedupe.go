package pipeline

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
)

// DedupeFileDeadLetters appends to <dir>/deadletters.jsonl only letters not
// already there, so reprocessing the same input twice leaves the file
// unchanged (the write time is not part of a letter's identity).
type DedupeFileDeadLetters struct {
	inner DeadLetterSink
	mu    sync.Mutex
	seen  map[string]bool
}

// NewDedupeFileDeadLetters reads the letters already in
// <dir>/deadletters.jsonl, then appends new ones there.
func NewDedupeFileDeadLetters(dir string) (*DedupeFileDeadLetters, error) {
	seen := map[string]bool{}
	f, err := os.Open(filepath.Join(dir, "deadletters.jsonl"))
	switch {
	case errors.Is(err, os.ErrNotExist):
	case err != nil:
		return nil, fmt.Errorf("dead letters: %w", err)
	default:
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			var dl DeadLetter
			if json.Unmarshal(sc.Bytes(), &dl) == nil {
				seen[deadLetterIdentity(dl)] = true
			}
		}
		f.Close()
		if err := sc.Err(); err != nil {
			return nil, fmt.Errorf("dead letters: read existing file: %w", err)
		}
	}
	inner, err := NewFileDeadLetters(dir)
	if err != nil {
		return nil, err
	}
	return &DedupeFileDeadLetters{inner: inner, seen: seen}, nil
}

func deadLetterIdentity(dl DeadLetter) string {
	return string(dl.Reason) + "\x00" + string(dl.Provider) + "\x00" + dl.Field + "\x00" + dl.Detail + "\x00" + dl.Sink +
		"\x00" + dl.Topic + "\x00" + strconv.Itoa(dl.Partition) + "\x00" + strconv.FormatInt(dl.Offset, 10)
}

// WriteDeadLetters implements DeadLetterSink.
func (d *DedupeFileDeadLetters) WriteDeadLetters(ctx context.Context, letters []DeadLetter) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	var fresh []DeadLetter
	ids := make([]string, 0, len(letters))
	for _, dl := range letters {
		id := deadLetterIdentity(dl)
		if d.seen[id] || containsString(ids, id) {
			continue
		}
		fresh = append(fresh, dl)
		ids = append(ids, id)
	}
	if len(fresh) == 0 {
		return nil
	}
	if err := d.inner.WriteDeadLetters(ctx, fresh); err != nil {
		return err
	}
	for _, id := range ids {
		d.seen[id] = true
	}
	return nil
}

func containsString(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// Close implements DeadLetterSink.
func (d *DedupeFileDeadLetters) Close() error { return d.inner.Close() }
