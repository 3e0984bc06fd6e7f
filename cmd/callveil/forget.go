package main

import (
	"context"
	"fmt"
	"time"

	"github.com/callveil/callveil/privacy"
	"github.com/callveil/callveil/sinks/hubspot"
)

// ForgetCmd is `callveil forget --number +49…`: delete every HubSpot call
// callveil wrote for the number, and record a hashed tombstone so running
// pipelines drop the number's pending calls and no replay or reprocess of
// older traffic brings them back. Idempotent; prints counts, never values.
type ForgetCmd struct {
	privacyAccessFlags `embed:""`
	numberInput        `embed:""`
	SinkFlags          `embed:""`

	AlsoObject   bool          `name:"also-object" help:"Also record an objection, so the number's future calls are not processed either."`
	RecheckAfter time.Duration `name:"recheck-after" env:"CALLVEIL_FORGET_RECHECK_AFTER" default:"10s" help:"Search HubSpot again after this wait (its search index lags writes by seconds); 0 disables."`

	io stdio `kong:"-"`
}

// Run forgets the numbers.
func (c *ForgetCmd) Run(g *globals) error {
	io := c.io
	if io.out == nil {
		io = defaultStdio()
	}
	numbers, err := c.numbers(io.in, c.DefaultRegion)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(g.ctx, commandTimeout)
	defer cancel()
	store, err := c.openStore(ctx)
	if err != nil {
		return err
	}
	defer store.Close()

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
	for _, n := range numbers {
		rep, err := privacy.Forget(ctx, store, crm, n, privacy.ForgetOptions{AlsoObject: c.AlsoObject, RecheckAfter: c.RecheckAfter})
		if err != nil {
			return err
		}
		total += rep.CRMCallsDeleted
		fmt.Fprintln(io.out, store.Hash(n))
	}
	fmt.Fprintf(io.out, "forgot %d number(s): tombstone(s) written to topic %s", len(numbers), store.Topic())
	if c.AlsoObject {
		fmt.Fprint(io.out, ", objection(s) recorded")
	}
	if crm == nil {
		fmt.Fprintln(io.out, "; HubSpot not configured, no CRM calls searched")
		return nil
	}
	fmt.Fprintf(io.out, "; %d HubSpot call(s) deleted\n", total)
	return nil
}
