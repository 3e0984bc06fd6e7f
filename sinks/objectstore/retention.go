package objectstore

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/callveil/callveil/aggregates"
)

// Expired lists the aggregates objects (under <prefix>/aggregates/v1/)
// last modified more than RetentionDays before now: what the bucket's
// lifecycle rule will delete, and what `callveil retention --dry-run`
// shows. It deletes nothing. Checkpoints (_state/) are never listed. Only
// Endpoint/Insecure/Region/Bucket/Prefix/Credentials/Dir/RetentionDays of
// cfg are used; no bucket is created and no rule is changed.
func Expired(ctx context.Context, cfg Config, now time.Time) ([]Object, error) {
	cfg = cfg.withDefaults()
	if cfg.WriterID == "" {
		cfg.WriterID = "retention" // not used for listing; keeps validate simple
	}
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	var store blobStore = &dirStore{root: cfg.Dir}
	if cfg.Endpoint != "" {
		st, err := newS3Store(cfg)
		if err != nil {
			return nil, err
		}
		store = st
	}
	prefix := aggregates.DataPrefix(cfg.Prefix)
	objs, err := store.list(ctx, prefix)
	if err != nil {
		return nil, err
	}
	cutoff := now.Add(-time.Duration(cfg.RetentionDays) * 24 * time.Hour)
	var out []Object
	for _, o := range objs {
		if strings.HasPrefix(o.Key, prefix) && o.LastModified.Before(cutoff) {
			out = append(out, o)
		}
	}
	slices.SortFunc(out, func(a, b Object) int { return strings.Compare(a.Key, b.Key) })
	return out, nil
}
