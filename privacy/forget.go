package privacy

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// CRMCalls is what deletion needs from the CRM sink; *hubspot.HubSpotSink
// implements it. Searches find only calls callveil wrote.
type CRMCalls interface {
	SearchWrittenCallsByNumber(ctx context.Context, e164 string) ([]string, error)
	ArchiveCalls(ctx context.Context, ids []string) error
}

// ForgetOptions tunes Forget.
type ForgetOptions struct {
	// AlsoObject records an objection too, so future calls of the number
	// are not processed either. Off by default: forgetting is about the
	// past; the person may well want to be served on their next call.
	AlsoObject bool
	// RecheckAfter, when positive, searches the CRM a second time after
	// this wait: HubSpot's search index lags writes by seconds, and a
	// pipeline may have been writing one of the number's calls when the
	// tombstone was written.
	RecheckAfter time.Duration
}

// ForgetReport says what Forget did, in counts only.
type ForgetReport struct {
	// CRMCallsDeleted counts CRM calls archived (0 on a repeat run).
	CRMCallsDeleted int
	// CRMSearched is false when no CRM was configured.
	CRMSearched bool
	// Objection is true when an objection was recorded as well.
	Objection bool
}

// Forget deletes what callveil wrote for the E.164 number and keeps it from
// coming back:
//
//  1. it writes a tombstone (the number's keyed hash and the time) first,
//     so that every running pipeline drops the number's calls from then on
//     — including calls waiting in the join, which are dropped without
//     output when they complete — and a later replay or reprocess of older
//     traffic writes none of them again;
//  2. it searches the CRM for calls callveil wrote with that number as
//     from or to number and archives them (HubSpot's delete), repeating the
//     search once after RecheckAfter.
//
// It is idempotent: a second run writes an equal tombstone and deletes
// nothing more. Aggregates in the object store are anonymised (counts and
// sketches of keyed hashes, k-anonymous) and are not touched. Dead letters
// carry no number. The raw provider topics are the user's, bounded by their
// own retention.
func Forget(ctx context.Context, store *Store, crm CRMCalls, e164 string, opt ForgetOptions) (ForgetReport, error) {
	var rep ForgetReport
	if store == nil {
		return rep, errors.New("privacy: forget: a privacy store is required")
	}
	if err := store.Add(ctx, KindTombstone, e164); err != nil {
		return rep, err
	}
	if opt.AlsoObject {
		if err := store.Add(ctx, KindObjection, e164); err != nil {
			return rep, err
		}
		rep.Objection = true
	}
	if crm == nil {
		return rep, nil
	}
	rep.CRMSearched = true
	pass := func() error {
		ids, err := crm.SearchWrittenCallsByNumber(ctx, e164)
		if err != nil {
			return fmt.Errorf("privacy: forget: searching the CRM: %w", err)
		}
		if len(ids) == 0 {
			return nil
		}
		if err := crm.ArchiveCalls(ctx, ids); err != nil {
			return fmt.Errorf("privacy: forget: deleting CRM calls: %w", err)
		}
		rep.CRMCallsDeleted += len(ids)
		return nil
	}
	if err := pass(); err != nil {
		return rep, err
	}
	if opt.RecheckAfter > 0 {
		select {
		case <-ctx.Done():
			return rep, ctx.Err()
		case <-time.After(opt.RecheckAfter):
		}
		if err := pass(); err != nil {
			return rep, err
		}
	}
	return rep, nil
}

// CRMExpiry is what CRM retention needs; *hubspot.HubSpotSink implements
// it. Searches find only calls callveil wrote.
type CRMExpiry interface {
	CountWrittenCallsBefore(ctx context.Context, before time.Time) (int, error)
	SearchWrittenCallsBefore(ctx context.Context, before time.Time, max int) ([]string, error)
	ArchiveCalls(ctx context.Context, ids []string) error
}

// ExpiryReport counts what ExpireCRMCalls found and deleted.
type ExpiryReport struct {
	Before  time.Time
	Matched int
	Deleted int
}

// expiryRound is how many calls one round archives before searching again.
const expiryRound = 1000

// maxSearchResults is how far HubSpot pages one search.
const maxSearchResults = 10_000

// ExpiryOptions tunes ExpireCRMCalls.
type ExpiryOptions struct {
	// DryRun only counts.
	DryRun bool
	// IndexLagWait is how long to wait when a search returns only calls
	// already archived (HubSpot's index lags deletes). Default 2s.
	IndexLagWait time.Duration
}

// ExpireCRMCalls deletes the calls callveil wrote whose hs_timestamp is
// before the given time; with DryRun it only counts them. It deletes in
// rounds (search, archive, search again) because a search pages no further
// than 10,000 results. Archived calls can still show in the next search
// while the index catches up, so each search asks for as many more results
// as were archived already; a search that returns a full page of archived
// calls only waits and tries again (bounded).
func ExpireCRMCalls(ctx context.Context, crm CRMExpiry, before time.Time, opt ExpiryOptions) (ExpiryReport, error) {
	rep := ExpiryReport{Before: before}
	if opt.IndexLagWait == 0 {
		opt.IndexLagWait = 2 * time.Second
	}
	n, err := crm.CountWrittenCallsBefore(ctx, before)
	if err != nil {
		return rep, fmt.Errorf("privacy: retention: counting CRM calls: %w", err)
	}
	rep.Matched = n
	if opt.DryRun || n == 0 {
		return rep, nil
	}
	done := map[string]bool{}
	for stale := 0; ; {
		want := min(maxSearchResults, expiryRound+len(done))
		ids, err := crm.SearchWrittenCallsBefore(ctx, before, want)
		if err != nil {
			return rep, fmt.Errorf("privacy: retention: searching CRM calls: %w", err)
		}
		var fresh []string
		for _, id := range ids {
			if !done[id] {
				fresh = append(fresh, id)
			}
		}
		if len(fresh) == 0 {
			if len(ids) < want {
				return rep, nil // everything still listed was archived already
			}
			if stale++; stale > 30 {
				return rep, errors.New("privacy: retention: the CRM's search keeps listing deleted calls; run again later")
			}
			select {
			case <-ctx.Done():
				return rep, ctx.Err()
			case <-time.After(opt.IndexLagWait):
			}
			continue
		}
		stale = 0
		if err := crm.ArchiveCalls(ctx, fresh); err != nil {
			return rep, fmt.Errorf("privacy: retention: deleting CRM calls: %w", err)
		}
		for _, id := range fresh {
			done[id] = true
		}
		rep.Deleted += len(fresh)
	}
}

// ParseAge reads an age such as "365d", "52w", "90d" or a Go duration
// ("720h"). Days are 24 hours.
func ParseAge(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	bad := fmt.Errorf("privacy: age %q: use a number of days (365d), weeks (52w) or a duration (720h)", s)
	if len(s) > 1 {
		unit := map[byte]time.Duration{'d': 24 * time.Hour, 'w': 7 * 24 * time.Hour}[s[len(s)-1]]
		if unit > 0 {
			n, err := strconv.Atoi(s[:len(s)-1])
			if err != nil || n <= 0 || n > 100*366 {
				return 0, bad
			}
			return time.Duration(n) * unit, nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, bad
	}
	return d, nil
}
