package hubspot

import (
	"context"
	"errors"
	"net/http"
	"sort"
)

// ErrNotE164 is returned by SearchCallsByNumber for a number that is not
// E.164; the number itself is not repeated.
var ErrNotE164 = errors.New("hubspot: number must be E.164 (+ and up to 15 digits)")

// SearchCallsByNumber returns the ids of the calls whose from or to number
// is e164, for `callveil forget`. HubSpot's search index lags writes by a
// few seconds, so a call written just now may be missing.
func (s *HubSpotSink) SearchCallsByNumber(ctx context.Context, number string) ([]string, error) {
	if !e164.MatchString(number) {
		return nil, ErrNotE164
	}
	return s.searchCalls(ctx, "search calls by number", []filterGroup{
		{Filters: []searchFilter{{PropertyName: propFrom, Operator: "EQ", Value: number}}},
		{Filters: []searchFilter{{PropertyName: propTo, Operator: "EQ", Value: number}}},
	})
}

// SearchCallsByKey returns the ids of the calls carrying call key key.
func (s *HubSpotSink) SearchCallsByKey(ctx context.Context, key string) ([]string, error) {
	if !callKey.MatchString(key) {
		return nil, errors.New("hubspot: call key must be hex")
	}
	return s.searchCalls(ctx, "search calls by key", []filterGroup{
		{Filters: []searchFilter{{PropertyName: s.cfg.KeyProperty, Operator: "EQ", Value: key}}},
	})
}

func (s *HubSpotSink) searchCalls(ctx context.Context, op string, groups []filterGroup) ([]string, error) {
	seen := map[string]bool{}
	err := s.searchAll(ctx, op, pathSearch, searchBody{
		FilterGroups: groups,
		Properties:   []string{"hs_object_id"},
		Sorts:        []searchSort{{PropertyName: "hs_object_id", Direction: "ASCENDING"}},
	}, func(id string, _ map[string]string) { seen[id] = true })
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(seen))
	for id := range seen {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return idLess(ids[i], ids[j]) })
	return ids, nil
}

// ArchiveCalls archives (HubSpot's delete) the calls with the given ids, at
// most MaxBatchInputs a request. Archiving an id that is already gone is
// not an error.
func (s *HubSpotSink) ArchiveCalls(ctx context.Context, ids []string) error {
	const op = "archive calls"
	for start := 0; start < len(ids); start += MaxBatchInputs {
		chunk := ids[start:min(start+MaxBatchInputs, len(ids))]
		inputs := make([]objectRef, len(chunk))
		for i, id := range chunk {
			inputs[i] = objectRef{ID: id}
		}
		resp, err := s.client.do(ctx, op, http.MethodPost, pathArchive, map[string]any{"inputs": inputs}, false)
		if err != nil {
			return err
		}
		if resp.status != http.StatusNoContent && resp.status != http.StatusOK {
			return &RequestError{Op: op, Status: resp.status, Category: categoryOf(resp.body)}
		}
	}
	return nil
}
