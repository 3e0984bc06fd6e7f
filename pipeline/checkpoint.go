package pipeline

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/callveil/callveil/internal/atomicfile"
)

// checkpointVersion is bumped when the checkpoint layout changes; an older
// or newer file is refused rather than misread.
const checkpointVersion = 1

// ErrCheckpointMismatch is returned when --resume finds a checkpoint written
// for another input (another file, directory, bucket, topic range, or the
// same directory after files were added, removed or changed).
var ErrCheckpointMismatch = errors.New("checkpoint: written for another input (or the input changed since); remove it or start without --resume")

// Checkpoint is the durable progress of a bounded run (callveil
// reprocess). It holds positions only: offsets, counts and a fingerprint,
// never a file name, object key, call id or payload value, since input
// names can carry provider ids (transcripts stored as <call-id>.json).
type Checkpoint struct {
	Version int `json:"version"`
	// Input identifies what is being read: the --input path or s3:// URL,
	// or the Kafka topics and range as given. A resume refuses another.
	Input string `json:"input"`
	// Fingerprint hashes what the input consisted of when the run started
	// (the sorted names and sizes of files or objects), so a resume over a
	// changed directory is refused instead of skipping the wrong records.
	Fingerprint string `json:"fingerprint,omitempty"`
	// Positions holds, per Kafka topic partition (or file unit, whose
	// Partition is its index in name order), the offset before which every
	// record is settled.
	Positions []Position `json:"positions,omitempty"`
	// Ends are the resolved end offsets of a Kafka range, so a resume reads
	// the same range even if the topics grew meanwhile.
	Ends []Position `json:"ends,omitempty"`
	// Settled lists runs of records settled beyond the prefixes (see
	// Features.Checkpoints); a resume skips them as well.
	Settled []SettledRun `json:"settled,omitempty"`
	// UnitsDone counts the leading file units (in name order) that are
	// completely settled; they are not opened again on resume.
	UnitsDone int `json:"units_done,omitempty"`
}

// Position is one partition's (or file unit's) offset.
type Position struct {
	Topic     string `json:"topic"`
	Partition int    `json:"partition"`
	Offset    int64  `json:"offset"`
}

// positionMap is the in-memory form of []Position.
type positionMap map[topicPartition]int64

func (m positionMap) list() []Position {
	out := make([]Position, 0, len(m))
	for tp, off := range m {
		out = append(out, Position{Topic: tp.Topic, Partition: tp.Partition, Offset: off})
	}
	// A stable order keeps successive checkpoints diffable.
	slices.SortFunc(out, func(a, b Position) int {
		if a.Topic != b.Topic {
			if a.Topic < b.Topic {
				return -1
			}
			return 1
		}
		return a.Partition - b.Partition
	})
	return out
}

func positionsOf(ps []Position) positionMap {
	m := positionMap{}
	for _, p := range ps {
		m[topicPartition{p.Topic, p.Partition}] = p.Offset
	}
	return m
}

// CheckpointFile stores a Checkpoint at a path, atomically.
type CheckpointFile struct {
	path string
}

// NewCheckpointFile returns a checkpoint stored at path; the file is not
// touched until Load or Save.
func NewCheckpointFile(path string) (*CheckpointFile, error) {
	if path == "" {
		return nil, errors.New("checkpoint: a path is required")
	}
	return &CheckpointFile{path: path}, nil
}

// Path is where the checkpoint is stored.
func (f *CheckpointFile) Path() string { return f.path }

// Load reads the checkpoint; it returns (nil, nil) when there is none yet.
func (f *CheckpointFile) Load() (*Checkpoint, error) {
	b, err := os.ReadFile(f.path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("checkpoint: read: %w", err)
	}
	var cp Checkpoint
	if err := json.Unmarshal(b, &cp); err != nil {
		return nil, errors.New("checkpoint: the file is not a valid checkpoint")
	}
	if cp.Version != checkpointVersion {
		return nil, fmt.Errorf("checkpoint: unsupported version %d", cp.Version)
	}
	return &cp, nil
}

// LoadFor loads the checkpoint for resuming input: it returns (nil, nil)
// when there is none, and ErrCheckpointMismatch when it belongs to another
// input or fingerprint.
func (f *CheckpointFile) LoadFor(input, fingerprint string) (*Checkpoint, error) {
	cp, err := f.Load()
	if err != nil || cp == nil {
		return nil, err
	}
	if cp.Input != input || cp.Fingerprint != fingerprint {
		return nil, ErrCheckpointMismatch
	}
	return cp, nil
}

// Save writes cp atomically: to a temporary file in the same directory,
// synced, then renamed over the old one, so a crash leaves either the old
// or the new checkpoint and never a torn one.
func (f *CheckpointFile) Save(cp *Checkpoint) error {
	cp.Version = checkpointVersion
	b, err := json.Marshal(cp)
	if err != nil {
		return fmt.Errorf("checkpoint: encode: %w", err)
	}
	dir := filepath.Dir(f.path)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(f.path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	_, err = tmp.Write(append(b, '\n'))
	if err := atomicfile.Commit(tmp, f.path, err); err != nil {
		return fmt.Errorf("checkpoint: write: %w", err)
	}
	// The rename is durable only once the directory entry is synced.
	atomicfile.SyncDir(dir)
	return nil
}

// Remove deletes the checkpoint (a fresh run over the same input).
func (f *CheckpointFile) Remove() error {
	if err := os.Remove(f.path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("checkpoint: %w", err)
	}
	return nil
}

// SettledRun is a run of settled records beyond a partition's settled
// prefix: every record with From <= offset < To is settled.
type SettledRun struct {
	Topic     string `json:"topic"`
	Partition int    `json:"partition"`
	From      int64  `json:"from"`
	To        int64  `json:"to"`
}

// offsetRun is [From, To).
type offsetRun struct{ From, To int64 }

// settledRuns returns the runs of done records after each partition's done
// prefix: records whose effects are durable although an earlier record is
// still in flight (a call waiting in the join). For Settlement.Runs.
func (t *OffsetTracker) settledRuns() []SettledRun {
	t.mu.Lock()
	defer t.mu.Unlock()
	var out []SettledRun
	for tp, p := range t.parts {
		var runs []offsetRun
		for i, off := range p.inflight {
			switch {
			case !p.done[i]:
			case i > 0 && p.done[i-1] && len(runs) > 0:
				// Consecutive fetched records: offsets between them were
				// never records (blank lines, compacted offsets).
				runs[len(runs)-1].To = off + 1
			default:
				runs = append(runs, offsetRun{off, off + 1})
			}
		}
		for _, r := range runs {
			out = append(out, SettledRun{Topic: tp.Topic, Partition: tp.Partition, From: r.From, To: r.To})
		}
	}
	return out
}

// settledState is what a bounded source knows about settled records: the
// state resumed from (immutable, read by the fetch path), and the live
// prefixes and runs beyond them (updated by Settle).
type settledState struct {
	mu         sync.Mutex
	skipBelow  positionMap
	resumeRuns map[topicPartition][]offsetRun
	prefix     positionMap
	// liveRuns are the Runs of the last Settlement: this run's records
	// settled beyond the prefixes.
	liveRuns []SettledRun
}

func newSettledState(cp *Checkpoint) *settledState {
	s := &settledState{skipBelow: positionMap{}, resumeRuns: map[topicPartition][]offsetRun{}, prefix: positionMap{}}
	if cp == nil {
		return s
	}
	for _, p := range cp.Positions {
		tp := topicPartition{p.Topic, p.Partition}
		s.skipBelow[tp], s.prefix[tp] = p.Offset, p.Offset
	}
	for _, r := range cp.Settled {
		tp := topicPartition{r.Topic, r.Partition}
		s.resumeRuns[tp] = append(s.resumeRuns[tp], offsetRun{r.From, r.To})
	}
	return s
}

// settledBefore reports whether an earlier run settled the record at off.
// Safe without the lock: the resume state never changes.
func (s *settledState) settledBefore(tp topicPartition, off int64) bool {
	if off < s.skipBelow[tp] {
		return true
	}
	for _, r := range s.resumeRuns[tp] {
		if r.From <= off && off < r.To {
			return true
		}
	}
	return false
}

// advance raises prefixes to the committed offsets and takes the live runs
// of st. Caller holds mu.
func (s *settledState) advance(st Settlement) {
	s.liveRuns = st.Runs
	for _, c := range st.Commits {
		tp := topicPartition{c.Topic, c.Partition}
		if c.Offset > s.prefix[tp] {
			s.prefix[tp] = c.Offset
		}
	}
}

// forget drops a partition (a file unit fully done). Caller holds mu.
func (s *settledState) forget(tp topicPartition) { delete(s.prefix, tp) }

// snapshot returns the positions and settled runs to checkpoint: runs of
// the resumed checkpoint and of the last Settlement, beyond the live
// prefixes, for the partitions keep accepts. Caller holds mu.
func (s *settledState) snapshot(keep func(topicPartition) bool) ([]Position, []SettledRun) {
	all := map[topicPartition][]offsetRun{}
	for tp, rs := range s.resumeRuns {
		all[tp] = append(all[tp], rs...)
	}
	for _, r := range s.liveRuns {
		tp := topicPartition{r.Topic, r.Partition}
		all[tp] = append(all[tp], offsetRun{r.From, r.To})
	}
	var runs []SettledRun
	for tp, rs := range all {
		if !keep(tp) {
			continue
		}
		slices.SortFunc(rs, func(a, b offsetRun) int { return cmpInt64(a.From, b.From) })
		var merged []offsetRun
		for _, r := range rs {
			r.From = max(r.From, s.prefix[tp])
			if r.From >= r.To {
				continue
			}
			if n := len(merged); n > 0 && r.From <= merged[n-1].To {
				merged[n-1].To = max(merged[n-1].To, r.To)
				continue
			}
			merged = append(merged, r)
		}
		for _, r := range merged {
			runs = append(runs, SettledRun{Topic: tp.Topic, Partition: tp.Partition, From: r.From, To: r.To})
		}
	}
	slices.SortFunc(runs, func(a, b SettledRun) int {
		if a.Topic != b.Topic {
			return strings.Compare(a.Topic, b.Topic)
		}
		if a.Partition != b.Partition {
			return a.Partition - b.Partition
		}
		return cmpInt64(a.From, b.From)
	})
	prefix := positionMap{}
	for tp, off := range s.prefix {
		if keep(tp) {
			prefix[tp] = off
		}
	}
	return prefix.list(), runs
}

func cmpInt64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
