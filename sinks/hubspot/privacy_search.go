package hubspot

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"time"
)

// The searches below find only calls callveil wrote: each filter group also
// requires the key property to have a value (HAS_PROPERTY), so calls that
// users or other integrations logged in the CRM are never touched by
// `callveil forget` or `callveil retention`.

// SearchWrittenCallsByNumber returns the ids of the calls callveil wrote
// whose from or to number is e164 (`callveil forget`). HubSpot's search
// index lags writes by a few seconds.
func (s *HubSpotSink) SearchWrittenCallsByNumber(ctx context.Context, number string) ([]string, error) {
	if !e164.MatchString(number) {
		return nil, ErrNotE164
	}
	written := searchFilter{PropertyName: s.cfg.KeyProperty, Operator: "HAS_PROPERTY"}
	return s.searchCalls(ctx, "search written calls by number", []filterGroup{
		{Filters: []searchFilter{{PropertyName: propFrom, Operator: "EQ", Value: number}, written}},
		{Filters: []searchFilter{{PropertyName: propTo, Operator: "EQ", Value: number}, written}},
	})
}

func (s *HubSpotSink) writtenBefore(before time.Time) []filterGroup {
	return []filterGroup{{Filters: []searchFilter{
		// HubSpot compares datetime properties with epoch milliseconds.
		{PropertyName: propTimestamp, Operator: "LT", Value: strconv.FormatInt(before.UnixMilli(), 10)},
		{PropertyName: s.cfg.KeyProperty, Operator: "HAS_PROPERTY"},
	}}}
}

// CountWrittenCallsBefore returns how many calls callveil wrote have an
// hs_timestamp before the given time (one search request: HubSpot's total).
func (s *HubSpotSink) CountWrittenCallsBefore(ctx context.Context, before time.Time) (int, error) {
	const op = "count written calls before"
	resp, err := s.client.do(ctx, op, http.MethodPost, pathSearch, searchBody{
		FilterGroups: s.writtenBefore(before), Properties: []string{"hs_object_id"}, Limit: 1,
	}, true)
	if err != nil {
		return 0, err
	}
	if resp.status != http.StatusOK {
		return 0, &RequestError{Op: op, Status: resp.status, Category: categoryOf(resp.body)}
	}
	var res searchResult
	if err := json.Unmarshal(resp.body, &res); err != nil {
		return 0, &RequestError{Op: op, Status: resp.status, Category: "MALFORMED_RESPONSE"}
	}
	return res.Total, nil
}

// SearchWrittenCallsBefore returns the ids of up to max calls callveil
// wrote with an hs_timestamp before the given time, oldest first. HubSpot
// pages a search no further than 10,000 results, so a caller deleting more
// archives a round and searches again.
func (s *HubSpotSink) SearchWrittenCallsBefore(ctx context.Context, before time.Time, max int) ([]string, error) {
	const op = "search written calls before"
	if max <= 0 || max > 10_000 {
		return nil, errors.New("hubspot: max must be between 1 and 10000")
	}
	body := searchBody{
		FilterGroups: s.writtenBefore(before), Properties: []string{"hs_object_id"},
		Sorts: []searchSort{{PropertyName: propTimestamp, Direction: "ASCENDING"}}, Limit: min(searchPageLimit, max),
	}
	var ids []string
	for len(ids) < max {
		resp, err := s.client.do(ctx, op, http.MethodPost, pathSearch, body, true)
		if err != nil {
			return nil, err
		}
		if resp.status != http.StatusOK {
			return nil, &RequestError{Op: op, Status: resp.status, Category: categoryOf(resp.body)}
		}
		var res searchResult
		if err := json.Unmarshal(resp.body, &res); err != nil {
			return nil, &RequestError{Op: op, Status: resp.status, Category: "MALFORMED_RESPONSE"}
		}
		for _, r := range res.Results {
			if len(ids) < max {
				ids = append(ids, r.ID)
			}
		}
		if res.Paging == nil || res.Paging.Next == nil || res.Paging.Next.After == "" {
			break
		}
		body.After = res.Paging.Next.After
	}
	return ids, nil
}
