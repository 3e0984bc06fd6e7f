package main

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/callveil/callveil/privacy"
	"github.com/callveil/callveil/sinks"
	"github.com/callveil/callveil/sinks/hubspot"
)

// ForgetCmd is `callveil forget --number +49…`: delete every HubSpot call
// callveil wrote for the number, remove its calls from --out-dir's
// calls.jsonl (the file sink), and record a hashed tombstone so running
// pipelines drop the number's pending calls and no replay or reprocess of
// older traffic brings them back. Aggregates are anonymised and are not
// touched. Idempotent; prints counts, never values.
type ForgetCmd struct {
	privacyAccessFlags `embed:""`
	numberInput        `embed:""`
	hubSpotAccessFlags `embed:""`
	OutDir             string `name:"out-dir" env:"CALLVEIL_OUT_DIR" help:"The file sink's directory (as given to run): the number's calls are removed from DIR/calls.jsonl."`

	AlsoObject   bool          `name:"also-object" help:"Also record an objection, so the number's future calls are not processed either."`
	RecheckAfter time.Duration `name:"recheck-after" env:"CALLVEIL_FORGET_RECHECK_AFTER" default:"10s" help:"Search HubSpot again after this wait (its search index lags writes by seconds); 0 disables."`

	io stdio `kong:"-"`
}

// Run forgets the numbers.
func (c *ForgetCmd) Run(g *globals) error {
	io := c.io.orDefault()
	numbers, err := c.numbers(io.in, c.DefaultRegion)
	if err != nil {
		return err
	}
	ctx, store, done, err := c.openSession(g.ctx)
	if err != nil {
		return err
	}
	defer done()

	var crm privacy.CRMCalls
	cfg, ok, err := c.hubSpotConfig(g.logger)
	if err != nil {
		return err
	}
	if ok {
		// Forget never creates the key property: without it callveil has
		// written nothing there.
		cfg.CreateProperty = false
		hs, err := hubspot.New(ctx, cfg)
		if err != nil {
			return err
		}
		defer hs.Close(context.Background())
		crm = hs
	}
	total := 0
	fileRemoved := 0
	for _, n := range numbers {
		rep, err := privacy.Forget(ctx, store, crm, n, privacy.ForgetOptions{AlsoObject: c.AlsoObject, RecheckAfter: c.RecheckAfter})
		if err != nil {
			return err
		}
		total += rep.CRMCallsDeleted
		fmt.Fprintln(io.out, store.Hash(n))
	}
	// After the tombstones: a running pipeline writes none of these calls
	// again once it has read them.
	if c.OutDir != "" {
		if fileRemoved, err = sinks.RemoveCallsFromFile(c.OutDir, numbers); err != nil {
			return err
		}
	}
	fmt.Fprintf(io.out, "forgot %d number(s): tombstone(s) written to topic %s", len(numbers), store.Topic())
	if c.AlsoObject {
		fmt.Fprint(io.out, ", objection(s) recorded")
	}
	if c.OutDir != "" {
		fmt.Fprintf(io.out, "; %d call(s) removed from %s", fileRemoved, filepath.Join(c.OutDir, "calls.jsonl"))
	} else {
		fmt.Fprint(io.out, "; no --out-dir given, so no file sink output searched")
	}
	if crm == nil {
		fmt.Fprintln(io.out, "; HubSpot not configured, no CRM calls searched")
		return nil
	}
	fmt.Fprintf(io.out, "; %d HubSpot call(s) deleted\n", total)
	return nil
}
