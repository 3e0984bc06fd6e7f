package main

import (
	"context"
	"fmt"

	"github.com/callveil/callveil/privacy"
)

// ObjectionCmd is `callveil objection add|remove|list`: the numbers whose
// calls callveil does not process beyond minimisation. A call with an
// objected number as caller or callee reaches no sink at all: no redacted
// transcript, nothing in the CRM, and it is not counted in the aggregates
// either. Numbers are stored only as keyed hashes in the privacy topic,
// which every running instance follows, so a change applies within
// seconds, without a restart.
type ObjectionCmd struct {
	Add    ObjectionAddCmd    `cmd:"" help:"Record an objection for a number (from now on its calls are not processed)."`
	Remove ObjectionRemoveCmd `cmd:"" help:"Withdraw a number's objection."`
	List   ObjectionListCmd   `cmd:"" help:"Print the number of objections and their keyed hashes (numbers are not stored, so they cannot be listed)."`
}

// objectionChange is what `objection add` and `objection remove` take:
// the same flags, told apart only by the direction of the change.
type objectionChange struct {
	privacyAccessFlags `embed:""`
	numberInput        `embed:""`

	io stdio `kong:"-"`
}

// ObjectionAddCmd is `callveil objection add`.
type ObjectionAddCmd struct {
	objectionChange `embed:""`
}

// Run records the objections.
func (c *ObjectionAddCmd) Run(g *globals) error { return c.change(g.ctx, true) }

// ObjectionRemoveCmd is `callveil objection remove`.
type ObjectionRemoveCmd struct {
	objectionChange `embed:""`
}

// Run withdraws the objections.
func (c *ObjectionRemoveCmd) Run(g *globals) error { return c.change(g.ctx, false) }

// change adds (add) or withdraws the objections of the numbers given.
func (c *objectionChange) change(ctx context.Context, add bool) error {
	io := c.io.orDefault()
	numbers, err := c.numbers(io.in, c.DefaultRegion)
	if err != nil {
		return err
	}
	ctx, store, done, err := c.openSession(ctx)
	if err != nil {
		return err
	}
	defer done()
	// What is on the list now, so the counts say what changed.
	snap, err := store.Snapshot(ctx)
	if err != nil {
		return err
	}
	listed := make(map[string]bool, len(snap.Objections))
	for _, h := range snap.Objections {
		listed[h] = true
	}
	changed, unchanged := 0, 0
	for _, n := range numbers {
		h := store.Hash(n)
		if add {
			err = store.Add(ctx, privacy.KindObjection, n)
		} else {
			// Written even when not listed (harmless): an objection added
			// since the snapshot is withdrawn too.
			err = store.RemoveObjection(ctx, n)
		}
		if err != nil {
			return err
		}
		if listed[h] == add {
			unchanged++
		} else {
			changed++
			listed[h] = add
		}
		// The hash, never the number: it is what `list` shows.
		fmt.Fprintln(io.out, h)
	}
	if add {
		fmt.Fprintf(io.out, "%d objection(s) recorded in topic %s", changed, store.Topic())
		if unchanged > 0 {
			fmt.Fprintf(io.out, " (%d number(s) already on the list)", unchanged)
		}
	} else {
		fmt.Fprintf(io.out, "%d objection(s) withdrawn in topic %s", changed, store.Topic())
		if unchanged > 0 {
			fmt.Fprintf(io.out, " (%d number(s) were not on the objection list)", unchanged)
		}
	}
	fmt.Fprintln(io.out, "; running instances apply it within seconds")
	return nil
}

// ObjectionListCmd is `callveil objection list`.
type ObjectionListCmd struct {
	privacyAccessFlags `embed:""`
	CountOnly          bool `name:"count-only" help:"Print only the counts."`

	io stdio `kong:"-"`
}

// Run prints counts and hashes. It cannot print numbers: only keyed hashes
// are stored. To check one number, hash it with `objection add` (adding is
// idempotent) or compare the hash `forget`/`add` printed.
func (c *ObjectionListCmd) Run(g *globals) error {
	io := c.io.orDefault()
	ctx, store, done, err := c.openSession(g.ctx)
	if err != nil {
		return err
	}
	defer done()
	snap, err := store.Snapshot(ctx)
	if err != nil {
		return err
	}
	if !c.CountOnly {
		for _, h := range snap.Objections {
			fmt.Fprintln(io.out, h)
		}
	}
	fmt.Fprintf(io.out, "%d objection(s), %d deletion tombstone(s) in topic %s (keyed hashes: numbers are not stored and cannot be listed)\n",
		len(snap.Objections), len(snap.Tombstones), store.Topic())
	return nil
}
