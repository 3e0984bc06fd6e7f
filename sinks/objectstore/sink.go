package objectstore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/callveil/callveil/aggregates"
	"github.com/callveil/callveil/sinks"
	"github.com/callveil/callveil/stages"
)

const (
	sinkName           = "objectstore"
	parquetContentType = "application/vnd.apache.parquet"
	stateContentType   = "application/json"
)

func fatal(msg string) error { return &sinks.FatalError{Sink: sinkName, Msg: msg} }

// ObjectStoreSink writes anonymised windowed aggregates. It implements
// sinks.Sink; like every sink it is called from one goroutine.
type ObjectStoreSink struct {
	cfg    Config
	store  blobStore
	agg    *aggregates.Aggregator
	closed bool
	// written counts window objects put, for Stats.
	written int64
}

var _ sinks.Sink = (*ObjectStoreSink)(nil)

// New validates cfg, prepares the backend (for S3: the bucket, created
// when missing, and the retention lifecycle rule) and loads this writer's
// checkpoint, if there is one. A checkpoint that cannot be read or does not
// match the configuration (window length, hash secret) is an error: folding
// on from nothing would count calls twice.
func New(ctx context.Context, cfg Config) (*ObjectStoreSink, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	agg, err := aggregates.New(cfg.aggregates())
	if err != nil {
		return nil, err
	}
	s := &ObjectStoreSink{cfg: cfg, agg: agg}
	if cfg.Endpoint == "" {
		s.store = &dirStore{root: cfg.Dir}
	} else {
		st, err := newS3Store(cfg)
		if err != nil {
			return nil, err
		}
		if err := st.ensureBucket(ctx, cfg.Region); err != nil {
			return nil, err
		}
		if err := st.ensureRetention(ctx, aggregates.DataPrefix(cfg.Prefix), cfg.RetentionDays); err != nil {
			return nil, err
		}
		s.store = st
	}
	state, err := s.store.get(ctx, aggregates.StateKey(cfg.Prefix, cfg.WriterID))
	switch {
	case errors.Is(err, errNotFound):
	case err != nil:
		return nil, err
	default:
		if err := agg.RestoreState(state); err != nil {
			return nil, fatal("checkpoint of this writer id cannot be resumed (other window length or hash secret, or corrupt)")
		}
	}
	return s, nil
}

// Name implements sinks.Sink.
func (s *ObjectStoreSink) Name() string { return sinkName }

// Stats are value-free counters for logs and metrics.
type Stats struct {
	aggregates.Stats
	// ObjectsWritten counts window objects put (rewrites included).
	ObjectsWritten int64
	// OpenWindows is the number of windows held in the checkpoint.
	OpenWindows int
}

// Stats returns the counters since New.
func (s *ObjectStoreSink) Stats() Stats {
	return Stats{Stats: s.agg.Stats(), ObjectsWritten: s.written, OpenWindows: len(s.agg.Open())}
}

// Write implements sinks.Sink. It folds the batch into the open windows,
// writes the windows the watermark has closed, and checkpoints the rest;
// it returns nil only once that checkpoint is durable, so every call whose
// offset the pipeline then commits is in a written window or in the
// checkpoint. On any error the batch may be redelivered as a whole: calls
// already folded in are absorbed by the dedupe (open windows) or counted
// as late (windows already written).
func (s *ObjectStoreSink) Write(ctx context.Context, batch []stages.RedactedCall) error {
	if s.closed {
		return fatal("write after close")
	}
	var rejected []sinks.Rejection
	for i := range batch {
		if _, err := s.agg.Add(&batch[i]); err != nil {
			var se *stages.Error
			if !errors.As(err, &se) {
				return fmt.Errorf("objectstore: aggregate: %w", err)
			}
			rejected = append(rejected, sinks.Rejection{Index: i, Reason: string(se.Reason)})
		}
	}
	for _, start := range s.agg.Due() {
		if err := s.writeWindow(ctx, start, true); err != nil {
			return err
		}
		s.agg.Drop(start)
	}
	if err := s.checkpoint(ctx); err != nil {
		return err
	}
	if len(rejected) > 0 {
		return &sinks.RejectedError{Sink: sinkName, Rejections: rejected}
	}
	return nil
}

// Close implements sinks.Sink: it writes every open window (final=false:
// not yet closed by the watermark) and checkpoints them, so that a later
// run with the same writer id adds to them and rewrites the same objects.
func (s *ObjectStoreSink) Close(ctx context.Context) error {
	if s.closed {
		return nil
	}
	for _, start := range s.agg.Open() {
		if err := s.writeWindow(ctx, start, false); err != nil {
			return err
		}
	}
	if err := s.checkpoint(ctx); err != nil {
		return err
	}
	s.closed = true
	return nil
}

// writeWindow puts a window's object. A window whose cells are all
// suppressed is still written, with no rows, so that it replaces an
// earlier early-flushed version that may have had rows.
func (s *ObjectStoreSink) writeWindow(ctx context.Context, start time.Time, final bool) error {
	rows, err := s.agg.Rows(start, final)
	if err != nil {
		return fmt.Errorf("objectstore: window rows: %w", err)
	}
	data, err := aggregates.EncodeParquet(rows)
	if err != nil {
		return err
	}
	key := aggregates.ObjectKey(s.cfg.Prefix, start, s.agg.Config().Window, s.cfg.WriterID)
	if err := s.store.put(ctx, key, data, parquetContentType); err != nil {
		return err
	}
	s.written++
	return nil
}

func (s *ObjectStoreSink) checkpoint(ctx context.Context) error {
	state, err := s.agg.MarshalState()
	if err != nil {
		return fmt.Errorf("objectstore: checkpoint: %w", err)
	}
	return s.store.put(ctx, aggregates.StateKey(s.cfg.Prefix, s.cfg.WriterID), state, stateContentType)
}
