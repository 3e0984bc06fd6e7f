package sinks

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"

	"github.com/callveil/callveil/stages"
)

// FileSink appends redacted calls as JSON lines to one file. It is the
// demo's and the tests' sink, and a simple way to inspect output.
//
// Delivery is at least once, so the same call can be written again after a
// restart. FileSink remembers a hash of the last line written per call key
// (loaded from the file at open) and skips a call whose line is unchanged;
// a changed line (a call re-emitted with its late transcript) is appended,
// and the last line for a key is the current one.
type FileSink struct {
	f    *os.File
	w    *bufio.Writer
	last map[string]uint64
	path string
}

// FileSinkConfig configures a FileSink.
type FileSinkConfig struct {
	// Dir is created if missing; the sink writes Dir/calls.jsonl.
	Dir string
}

// NewFileSink opens (or creates) Dir/calls.jsonl for appending.
func NewFileSink(cfg FileSinkConfig) (*FileSink, error) {
	if cfg.Dir == "" {
		return nil, errors.New("file sink: an output directory is required")
	}
	if err := os.MkdirAll(cfg.Dir, 0o750); err != nil {
		return nil, fmt.Errorf("file sink: create output directory: %w", err)
	}
	path := filepath.Join(cfg.Dir, "calls.jsonl")
	last, err := loadLineHashes(path)
	if err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o640)
	if err != nil {
		return nil, fmt.Errorf("file sink: open output: %w", err)
	}
	return &FileSink{f: f, w: bufio.NewWriter(f), last: last, path: path}, nil
}

func loadLineHashes(path string) (map[string]uint64, error) {
	last := map[string]uint64{}
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return last, nil
	}
	if err != nil {
		return nil, fmt.Errorf("file sink: read existing output: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 64*1024*1024)
	for sc.Scan() {
		var k struct {
			Key string `json:"call_key"`
		}
		if json.Unmarshal(sc.Bytes(), &k) == nil && k.Key != "" {
			last[k.Key] = lineHash(sc.Bytes())
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("file sink: read existing output: %w", err)
	}
	return last, nil
}

func lineHash(b []byte) uint64 {
	h := fnv.New64a()
	h.Write(b)
	return h.Sum64()
}

// Name implements Sink.
func (s *FileSink) Name() string { return "file" }

// Path is the file the sink writes.
func (s *FileSink) Path() string { return s.path }

// Write implements Sink: the batch is on disk (fsynced) when it returns nil.
func (s *FileSink) Write(ctx context.Context, batch []stages.RedactedCall) error {
	if err := s.lockCurrent(); err != nil {
		return err
	}
	defer unlockFile(s.f)
	// Hashes are remembered only once the lines are synced, so a failed
	// write is retried in full rather than skipped as already written.
	written := make(map[string]uint64, len(batch))
	for i := range batch {
		line, err := json.Marshal(&batch[i])
		if err != nil {
			return fmt.Errorf("file sink: encode call: %w", err)
		}
		// Skip a line only when it equals the key's latest line: the one
		// written earlier in this batch, else the last one on disk. (A
		// batch can hold a call's provisional copy and then its complete
		// version again, as after a restart; comparing the complete one
		// with the line on disk alone skipped it, and the provisional
		// copy stayed the key's last line.)
		h := lineHash(line)
		prev, ok := written[batch[i].Key]
		if !ok {
			prev, ok = s.last[batch[i].Key]
		}
		if ok && prev == h {
			continue
		}
		s.w.Write(line)
		s.w.WriteByte('\n')
		written[batch[i].Key] = h
	}
	if err := s.w.Flush(); err != nil {
		return fmt.Errorf("file sink: write: %w", err)
	}
	if err := s.f.Sync(); err != nil {
		return fmt.Errorf("file sink: sync: %w", err)
	}
	for k, h := range written {
		s.last[k] = h
	}
	return nil
}

// lockCurrent locks the output file, first moving to a new file at the
// path should RemoveCallsFromFile have replaced the one the sink has open
// (lines appended to the old one would be lost with it).
func (s *FileSink) lockCurrent() error {
	for {
		if err := lockFile(s.f); err != nil {
			return fmt.Errorf("file sink: lock output: %w", err)
		}
		open, err1 := s.f.Stat()
		cur, err2 := os.Stat(s.path)
		if err1 == nil && err2 == nil && os.SameFile(open, cur) {
			return nil
		}
		unlockFile(s.f)
		if err2 != nil && !errors.Is(err2, os.ErrNotExist) {
			return fmt.Errorf("file sink: output: %w", errors.Unwrap(err2))
		}
		// Replaced (or removed): append to what is at the path now.
		f, err := os.OpenFile(s.path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o640)
		if err != nil {
			return fmt.Errorf("file sink: reopen output: %w", errors.Unwrap(err))
		}
		s.f.Close()
		s.f = f
		s.w.Reset(f)
	}
}

// Close implements Sink.
func (s *FileSink) Close(context.Context) error {
	if err := s.w.Flush(); err != nil {
		s.f.Close()
		return err
	}
	return s.f.Close()
}
