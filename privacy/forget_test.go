package privacy_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/callveil/callveil/privacy"
)

// laggingCRM is a CRM whose search index forgets archived calls only after
// lag more searches, as HubSpot's lags writes.
type laggingCRM struct {
	calls    map[string]time.Time
	archived map[string]int // id → search count when archived
	searches int
	lag      int
	archives int
}

func (c *laggingCRM) visible(id string) bool {
	at, gone := c.archived[id]
	return !gone || c.searches-at < c.lag
}

func (c *laggingCRM) CountWrittenCallsBefore(_ context.Context, before time.Time) (int, error) {
	n := 0
	for id, ts := range c.calls {
		if ts.Before(before) && c.visible(id) {
			n++
		}
	}
	return n, nil
}

func (c *laggingCRM) SearchWrittenCallsBefore(_ context.Context, before time.Time, max int) ([]string, error) {
	c.searches++
	var out []string
	for i := range len(c.calls) {
		id := fmt.Sprint(i)
		if c.calls[id].Before(before) && c.visible(id) && len(out) < max {
			out = append(out, id)
		}
	}
	return out, nil
}

func (c *laggingCRM) ArchiveCalls(_ context.Context, ids []string) error {
	c.archives++
	for _, id := range ids {
		if _, ok := c.archived[id]; !ok {
			c.archived[id] = c.searches
		}
	}
	return nil
}

func TestExpireCRMCallsInRoundsDespiteIndexLag(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		old, recent, lag int
		dryRun           bool
	}{
		{old: 0, recent: 5},
		{old: 3, recent: 5, dryRun: true},
		{old: 2500, recent: 10, lag: 0},
		{old: 2500, recent: 10, lag: 2},
		// A lag longer than the growing search window covers: it waits.
		{old: 12000, recent: 10, lag: 3},
	} {
		t.Run(fmt.Sprintf("old=%d lag=%d dry=%v", tc.old, tc.lag, tc.dryRun), func(t *testing.T) {
			crm := &laggingCRM{calls: map[string]time.Time{}, archived: map[string]int{}, lag: tc.lag}
			for i := range tc.old + tc.recent {
				ts := now.Add(-time.Duration(i+1) * time.Hour) // recent first
				if i >= tc.recent {
					ts = now.Add(-400 * 24 * time.Hour)
				}
				crm.calls[fmt.Sprint(i)] = ts
			}
			rep, err := privacy.ExpireCRMCalls(context.Background(), crm, now.Add(-365*24*time.Hour),
				privacy.ExpiryOptions{DryRun: tc.dryRun, IndexLagWait: time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			wantDeleted := tc.old
			if tc.dryRun {
				wantDeleted = 0
			}
			if rep.Matched != tc.old || rep.Deleted != wantDeleted || len(crm.archived) != wantDeleted {
				t.Errorf("matched %d deleted %d archived %d; want %d %d", rep.Matched, rep.Deleted, len(crm.archived), tc.old, wantDeleted)
			}
			for id := range crm.archived {
				if now.Sub(crm.calls[id]) < 365*24*time.Hour {
					t.Errorf("recent call %s archived", id)
				}
			}
		})
	}
}
