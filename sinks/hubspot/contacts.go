package hubspot

import (
	"container/list"
	"context"
	"encoding/json"
	"net/http"
	"sort"
	"sync"
	"time"
)

// contactCache remembers number → contact id ("" for "no contact") for a
// bounded time and a bounded number of entries, least recently used out
// first. It lives in memory only; the numbers in it are the ones callveil
// sends to HubSpot anyway.
type contactCache struct {
	ttl time.Duration
	max int
	now func() time.Time

	mu  sync.Mutex
	ll  *list.List // front = most recently used
	idx map[string]*list.Element
}

type cacheEntry struct {
	number    string
	contactID string
	expires   time.Time
}

func newContactCache(ttl time.Duration, size int, now func() time.Time) *contactCache {
	return &contactCache{ttl: ttl, max: size, now: now, ll: list.New(), idx: map[string]*list.Element{}}
}

func (c *contactCache) get(number string) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.idx[number]
	if !ok {
		return "", false
	}
	e := el.Value.(*cacheEntry)
	if !c.now().Before(e.expires) {
		c.ll.Remove(el)
		delete(c.idx, number)
		return "", false
	}
	c.ll.MoveToFront(el)
	return e.contactID, true
}

func (c *contactCache) put(number, contactID string) {
	if c.max <= 0 || c.ttl <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	exp := c.now().Add(c.ttl)
	if el, ok := c.idx[number]; ok {
		e := el.Value.(*cacheEntry)
		e.contactID, e.expires = contactID, exp
		c.ll.MoveToFront(el)
		return
	}
	c.idx[number] = c.ll.PushFront(&cacheEntry{number: number, contactID: contactID, expires: exp})
	for c.ll.Len() > c.max {
		old := c.ll.Back()
		c.ll.Remove(old)
		delete(c.idx, old.Value.(*cacheEntry).number)
	}
}

func (c *contactCache) drop(number string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.idx[number]; ok {
		c.ll.Remove(el)
		delete(c.idx, number)
	}
}

func (c *contactCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ll.Len()
}

// Contact search: numbers go in IN filters on phone and mobilephone (two
// filter groups, OR-ed), so one search resolves many numbers; the search
// endpoint's own per-second budget makes one search per number far too slow.
const (
	numbersPerSearch  = 50
	maxSearchPages    = 20
	searchPageLimit   = 100
	contactPathSearch = "/crm/v3/objects/contacts/search"
)

type searchFilter struct {
	PropertyName string   `json:"propertyName"`
	Operator     string   `json:"operator"`
	Value        string   `json:"value,omitempty"`
	Values       []string `json:"values,omitempty"`
}

type filterGroup struct {
	Filters []searchFilter `json:"filters"`
}

type searchSort struct {
	PropertyName string `json:"propertyName"`
	Direction    string `json:"direction"`
}

type searchBody struct {
	FilterGroups []filterGroup `json:"filterGroups"`
	Properties   []string      `json:"properties"`
	Sorts        []searchSort  `json:"sorts,omitempty"`
	Limit        int           `json:"limit"`
	After        string        `json:"after,omitempty"`
}

type searchResult struct {
	Total   int `json:"total"`
	Results []struct {
		ID         string            `json:"id"`
		Properties map[string]string `json:"properties"`
	} `json:"results"`
	Paging *struct {
		Next *struct {
			After string `json:"after"`
		} `json:"next"`
	} `json:"paging"`
}

// searchAll runs a search and follows paging; each page is one request
// under both budgets.
func (s *HubSpotSink) searchAll(ctx context.Context, op, path string, body searchBody,
	each func(id string, props map[string]string)) error {
	body.Limit = searchPageLimit
	for page := 0; page < maxSearchPages; page++ {
		resp, err := s.client.do(ctx, op, http.MethodPost, path, body, true)
		if err != nil {
			return err
		}
		if resp.status != http.StatusOK {
			return &RequestError{Op: op, Status: resp.status, Category: categoryOf(resp.body)}
		}
		var res searchResult
		if err := json.Unmarshal(resp.body, &res); err != nil {
			return &RequestError{Op: op, Status: resp.status, Category: "MALFORMED_RESPONSE"}
		}
		for _, r := range res.Results {
			each(r.ID, r.Properties)
		}
		if res.Paging == nil || res.Paging.Next == nil || res.Paging.Next.After == "" {
			return nil
		}
		body.After = res.Paging.Next.After
	}
	return &RequestError{Op: op, Status: http.StatusOK, Category: "TOO_MANY_RESULTS"}
}

// lookupContacts resolves numbers to contact ids ("" = none), from the
// cache where it can. When several contacts share a number the oldest
// (lowest id) wins, so replays pick the same one.
func (s *HubSpotSink) lookupContacts(ctx context.Context, numbers []string) (map[string]string, error) {
	out := make(map[string]string, len(numbers))
	var missing []string
	for _, n := range numbers {
		if id, ok := s.contacts.get(n); ok {
			out[n] = id
			continue
		}
		missing = append(missing, n)
	}
	sort.Strings(missing)
	for start := 0; start < len(missing); start += numbersPerSearch {
		chunk := missing[start:min(start+numbersPerSearch, len(missing))]
		want := make(map[string]bool, len(chunk))
		for _, n := range chunk {
			want[n] = true
		}
		found := map[string]string{}
		body := searchBody{
			FilterGroups: []filterGroup{
				{Filters: []searchFilter{{PropertyName: "phone", Operator: "IN", Values: chunk}}},
				{Filters: []searchFilter{{PropertyName: "mobilephone", Operator: "IN", Values: chunk}}},
			},
			Properties: []string{"phone", "mobilephone"},
			Sorts:      []searchSort{{PropertyName: "hs_object_id", Direction: "ASCENDING"}},
		}
		err := s.searchAll(ctx, "search contacts", contactPathSearch, body, func(id string, props map[string]string) {
			for _, p := range []string{"phone", "mobilephone"} {
				n := props[p]
				if !want[n] {
					continue
				}
				if cur, ok := found[n]; !ok || idLess(id, cur) {
					found[n] = id
				}
			}
		})
		if err != nil {
			return nil, err
		}
		for _, n := range chunk {
			out[n] = found[n]
			s.contacts.put(n, found[n])
		}
	}
	return out, nil
}

// idLess orders HubSpot's numeric ids numerically.
func idLess(a, b string) bool {
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}
