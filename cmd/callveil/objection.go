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

// ObjectionAddCmd is `callveil objection add`.
type ObjectionAddCmd struct {
	privacyAccessFlags `embed:""`
	numberInput        `embed:""`

	io stdio `kong:"-"`
}

// Run records the objections.
func (c *ObjectionAddCmd) Run(g *globals) error {
	return changeObjections(g.ctx, &c.privacyAccessFlags, &c.numberInput, c.io, true)
}

// ObjectionRemoveCmd is `callveil objection remove`.
type ObjectionRemoveCmd struct {
	privacyAccessFlags `embed:""`
	numberInput        `embed:""`

	io stdio `kong:"-"`
}

// Run withdraws the objections.
func (c *ObjectionRemoveCmd) Run(g *globals) error {
	return changeObjections(g.ctx, &c.privacyAccessFlags, &c.numberInput, c.io, false)
}

func changeObjections(ctx context.Context, f *privacyAccessFlags, in *numberInput, io stdio, add bool) error {
	if io.out == nil {
		io = defaultStdio()
	}
	numbers, err := in.numbers(io.in, f.DefaultRegion)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, commandTimeout)
	defer cancel()
	store, err := f.openStore(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	for _, n := range numbers {
		if add {
			err = store.Add(ctx, privacy.KindObjection, n)
		} else {
			err = store.RemoveObjection(ctx, n)
		}
		if err != nil {
			return err
		}
		// The hash, never the number: it is what `list` shows.
		fmt.Fprintln(io.out, store.Hash(n))
	}
	verb := "recorded"
	if !add {
		verb = "withdrawn"
	}
	fmt.Fprintf(io.out, "%d objection(s) %s in topic %s; running instances apply it within seconds\n", len(numbers), verb, store.Topic())
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
	io := c.io
	if io.out == nil {
		io = defaultStdio()
	}
	ctx, cancel := context.WithTimeout(g.ctx, commandTimeout)
	defer cancel()
	store, err := c.openStore(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
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
