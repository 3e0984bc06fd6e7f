package sinks

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/callveil/callveil/internal/atomicfile"
)

// RemoveCallsFromFile rewrites dir/calls.jsonl (the FileSink's output)
// without every call that has one of the E.164 numbers as its from or to
// number: each line of such a call, under its call key, goes, including
// earlier versions of it. It is what `callveil forget` does to the file
// sink. The file is replaced atomically (a synced temporary file renamed
// over it), under the lock a FileSink appends under, and a running
// FileSink moves to the new file before its next write. A missing file
// removes nothing. Lines that are not calls are kept as they are. Errors
// never quote a line.
func RemoveCallsFromFile(dir string, e164s []string) (removed int, err error) {
	path := filepath.Join(dir, "calls.jsonl")
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("file sink: open %s: %w", path, errors.Unwrap(err))
	}
	defer f.Close()
	if err := lockFile(f); err != nil {
		return 0, fmt.Errorf("file sink: lock %s: %w", path, err)
	}
	defer unlockFile(f)
	numbers := make(map[string]bool, len(e164s))
	for _, n := range e164s {
		numbers[n] = true
	}
	// First pass: the keys of the calls to remove.
	keys := map[string]bool{}
	err = scanCallLines(f, func(_ []byte, c *callLine) error {
		if c != nil && (numbers[c.From] || numbers[c.To]) {
			keys[c.Key] = true
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("file sink: read %s: %w", path, err)
	}
	if len(keys) == 0 {
		return 0, nil
	}
	if _, err := f.Seek(0, 0); err != nil {
		return 0, fmt.Errorf("file sink: read %s: %w", path, err)
	}
	tmp, err := os.CreateTemp(dir, ".calls.jsonl.tmp-*")
	if err != nil {
		return 0, fmt.Errorf("file sink: rewrite %s: %w", path, errors.Unwrap(err))
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	w := bufio.NewWriter(tmp)
	err = scanCallLines(f, func(line []byte, c *callLine) error {
		if c != nil && (keys[c.Key] || numbers[c.From] || numbers[c.To]) {
			return nil
		}
		w.Write(line)
		return w.WriteByte('\n')
	})
	if err == nil {
		err = w.Flush()
	}
	if err == nil {
		err = tmp.Chmod(0o640)
	}
	if err = atomicfile.Commit(tmp, path, err); err != nil {
		return 0, fmt.Errorf("file sink: rewrite %s: %w", path, err)
	}
	atomicfile.SyncDir(dir)
	return len(keys), nil
}

// callLine is what forgetting needs of an output line.
type callLine struct {
	Key  string `json:"call_key"`
	From string `json:"from"`
	To   string `json:"to"`
}

// scanCallLines calls fn for each line of f, with the call it holds or nil
// when the line is not a call.
func scanCallLines(f *os.File, fn func(line []byte, c *callLine) error) error {
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 64*1024*1024)
	for sc.Scan() {
		var c callLine
		cp := &c
		if json.Unmarshal(sc.Bytes(), &c) != nil || c.Key == "" {
			cp = nil
		}
		if err := fn(sc.Bytes(), cp); err != nil {
			return err
		}
	}
	return sc.Err()
}
