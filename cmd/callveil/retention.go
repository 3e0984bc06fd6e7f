package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/callveil/callveil/privacy"
	"github.com/callveil/callveil/sinks/hubspot"
	"github.com/callveil/callveil/sinks/objectstore"
)

// RetentionCmd is `callveil retention`: shows, and where callveil applies
// it itself, enforces how long its stores keep data.
//
//   - aggregates (object store): the bucket's lifecycle rule, installed by
//     `run`, deletes them after --retention-days; this command lists what
//     is due (--dry-run) and, for the local-directory backend, which has no
//     lifecycle rules, deletes it.
//   - HubSpot calls written by callveil: deleted only when asked with
//     --hubspot-older-than (off by default: the CRM is the user's system of
//     record).
//
// Join state is bounded by --join-ttl of `run`, and the dead-letter topic
// by --deadletter-max-age, checked by `run` at start.
type RetentionCmd struct {
	objectStoreFlags   `embed:""`
	hubSpotAccessFlags `embed:""`

	HubSpotOlderThan string `name:"hubspot-older-than" help:"Delete HubSpot calls callveil wrote whose call time is older than this (e.g. 365d). Off by default."`
	DryRun           bool   `name:"dry-run" help:"Only count what is due; delete nothing."`

	io  stdio            `kong:"-"`
	now func() time.Time `kong:"-"`
}

// Run applies or shows retention.
func (c *RetentionCmd) Run(g *globals) error {
	io := c.io.orDefault()
	now := time.Now
	if c.now != nil {
		now = c.now
	}
	ctx, cancel := context.WithTimeout(g.ctx, 30*time.Minute)
	defer cancel()
	did := false

	if cfg, ok := c.objectStoreConfig(); ok {
		did = true
		if err := c.aggregates(ctx, io, cfg, now()); err != nil {
			return err
		}
	}
	if c.HubSpotOlderThan != "" {
		did = true
		age, err := privacy.ParseAge(c.HubSpotOlderThan)
		if err != nil {
			return fmt.Errorf("hubspot-older-than: %w", err)
		}
		cfg, ok, err := c.hubSpotConfig(g.logger)
		if err != nil {
			return err
		}
		if !ok {
			return errors.New("hubspot-older-than: no HubSpot token (HUBSPOT_TOKEN or --hubspot-token-file)")
		}
		cfg.CreateProperty = false
		hs, err := hubspot.New(ctx, cfg)
		if err != nil {
			return err
		}
		defer hs.Close(context.Background())
		rep, err := privacy.ExpireCRMCalls(ctx, hs, now().Add(-age), privacy.ExpiryOptions{DryRun: c.DryRun})
		if err != nil {
			return err
		}
		if c.DryRun {
			fmt.Fprintf(io.out, "hubspot: %d call(s) written by callveil before %s would be deleted (dry run)\n", rep.Matched, rep.Before.UTC().Format(time.RFC3339))
		} else {
			fmt.Fprintf(io.out, "hubspot: %d call(s) written by callveil before %s deleted\n", rep.Deleted, rep.Before.UTC().Format(time.RFC3339))
		}
	}
	if !did {
		return errors.New("nothing to do: configure the aggregates store (--s3-endpoint or --aggregates-dir) and/or give --hubspot-older-than")
	}
	return nil
}

// aggregates lists the aggregates past their retention and, for the local
// directory backend and without --dry-run, deletes them.
func (c *RetentionCmd) aggregates(ctx context.Context, io stdio, cfg objectstore.Config, now time.Time) error {
	due, err := objectstore.Expired(ctx, cfg, now)
	if err != nil {
		return err
	}
	var bytes int64
	for _, o := range due {
		bytes += o.Size
	}
	days := cfg.RetentionDays
	if days == 0 {
		days = objectstore.DefaultRetentionDays
	}
	switch {
	case c.DryRun:
		fmt.Fprintf(io.out, "aggregates: %d object(s), %d bytes older than %d days would be deleted (dry run)\n", len(due), bytes, days)
	case cfg.Endpoint != "":
		fmt.Fprintf(io.out, "aggregates: %d object(s), %d bytes older than %d days; the bucket's lifecycle rule (set by run) deletes them\n", len(due), bytes, days)
	default:
		root := filepath.Clean(cfg.Dir)
		for _, o := range due {
			p := filepath.Join(root, filepath.FromSlash(o.Key))
			if !strings.HasPrefix(p, root+string(filepath.Separator)) {
				return errors.New("aggregates: an object key escapes the directory")
			}
			if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
				return fmt.Errorf("aggregates: deleting an expired object: %w", errors.Unwrap(err))
			}
		}
		fmt.Fprintf(io.out, "aggregates: %d object(s), %d bytes older than %d days deleted\n", len(due), bytes, days)
	}
	return nil
}
