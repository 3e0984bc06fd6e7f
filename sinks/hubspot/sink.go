// Package hubspot is the HubSpot Calls sink: every redacted call becomes one
// HubSpot call object, upserted by a unique custom property holding the call
// key (so replays update instead of duplicating) and associated with the
// contact that owns the external number.
//
// All requests of a sink share one client-side limiter sized to the
// account's rolling 10-second budget; 429, 5xx, network errors and timeouts
// are retried with jittered exponential backoff, and when retries run out
// Write returns a transient *UnavailableError so the pipeline commits
// nothing undelivered. 401/403 become *sinks.FatalError. A record HubSpot
// refuses (400) is isolated, by the batch error's objectWriteTraceId or by
// bisecting, and rejected alone.
package hubspot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"time"

	"github.com/callveil/callveil/sinks"
	"github.com/callveil/callveil/stages"
)

// AssociationTypeCallToContact is HubSpot's defined call → contact type.
const AssociationTypeCallToContact = 194

// MaxBatchInputs is HubSpot's limit of inputs per batch request.
const MaxBatchInputs = 100

const (
	pathUpsert    = "/crm/v3/objects/calls/batch/upsert"
	pathArchive   = "/crm/v3/objects/calls/batch/archive"
	pathSearch    = "/crm/v3/objects/calls/search"
	pathProps     = "/crm/v3/properties/calls"
	pathGroups    = "/crm/v3/properties/calls/groups"
	pathAssociate = "/crm/v4/associations/calls/contacts/batch/create"
	propertyGroup = "callveil"
)

// RequestError is a HubSpot answer that retrying will not change (a 4xx
// other than 401/403/429) for an operation that is not per record. It holds
// the status and HubSpot's error category, never the message, which can
// echo values.
type RequestError struct {
	Op       string
	Status   int
	Category string
}

func (e *RequestError) Error() string {
	return fmt.Sprintf("hubspot: %s: HubSpot answered %d (%s)", e.Op, e.Status, e.Category)
}

// HubSpotSink implements sinks.Sink for HubSpot Calls. It is safe for
// concurrent use; all its requests share one rate limiter.
type HubSpotSink struct {
	cfg      Config
	client   *client
	contacts *contactCache
	log      *slog.Logger
}

var _ sinks.Sink = (*HubSpotSink)(nil)

// New validates cfg and, unless SkipPropertyCheck, makes sure the key
// property exists with unique values (creating it when CreateProperty).
func New(ctx context.Context, cfg Config) (*HubSpotSink, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	s := &HubSpotSink{
		cfg:      cfg,
		client:   newClient(cfg),
		contacts: newContactCache(cfg.ContactCacheTTL, cfg.ContactCacheSize, time.Now),
		log:      cfg.Logger,
	}
	if !cfg.SkipPropertyCheck {
		if err := s.ensureKeyProperty(ctx); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// Name implements sinks.Sink.
func (s *HubSpotSink) Name() string { return sinkName }

// Close implements sinks.Sink. Nothing is buffered; idle connections of a
// client the sink made itself are released.
func (s *HubSpotSink) Close(context.Context) error {
	if s.cfg.HTTPClient == nil {
		s.client.http.CloseIdleConnections()
	}
	return nil
}

// String keeps the token out of %v of the sink.
func (s *HubSpotSink) String() string { return "hubspot.HubSpotSink{" + s.cfg.String() + "}" }

// GoString keeps the token out of %#v of the sink.
func (s *HubSpotSink) GoString() string { return s.String() }

type propertyDef struct {
	Name           string `json:"name"`
	Label          string `json:"label"`
	Description    string `json:"description,omitempty"`
	GroupName      string `json:"groupName"`
	Type           string `json:"type"`
	FieldType      string `json:"fieldType"`
	HasUniqueValue bool   `json:"hasUniqueValue"`
	FormField      bool   `json:"formField"`
}

func (s *HubSpotSink) ensureKeyProperty(ctx context.Context) error {
	const op = "check key property"
	get := func() (*propertyDef, error) {
		resp, err := s.client.do(ctx, op, http.MethodGet, pathProps+"/"+url.PathEscape(s.cfg.KeyProperty), nil, false)
		if err != nil {
			return nil, err
		}
		switch resp.status {
		case http.StatusOK:
			var p propertyDef
			if err := json.Unmarshal(resp.body, &p); err != nil {
				return nil, &RequestError{Op: op, Status: resp.status, Category: "MALFORMED_RESPONSE"}
			}
			return &p, nil
		case http.StatusNotFound:
			return nil, nil
		}
		return nil, &RequestError{Op: op, Status: resp.status, Category: categoryOf(resp.body)}
	}
	verify := func(p *propertyDef) error {
		if !p.HasUniqueValue {
			return &sinks.FatalError{Sink: sinkName, Msg: "the call key property exists in HubSpot but does not require unique values, so upserts cannot use it: choose another KeyProperty"}
		}
		return nil
	}
	p, err := get()
	if err != nil {
		return err
	}
	if p != nil {
		return verify(p)
	}
	if !s.cfg.CreateProperty {
		return &sinks.FatalError{Sink: sinkName, Msg: "the call key property does not exist in HubSpot and creating it is disabled: create it (unique values) or allow creation"}
	}
	// A group of our own keeps callveil's property easy to find.
	resp, err := s.client.do(ctx, "create property group", http.MethodPost, pathGroups,
		map[string]string{"name": propertyGroup, "label": "callveil"}, false)
	if err != nil {
		return err
	}
	if resp.status != http.StatusCreated && resp.status != http.StatusOK && resp.status != http.StatusConflict {
		return &RequestError{Op: "create property group", Status: resp.status, Category: categoryOf(resp.body)}
	}
	resp, err = s.client.do(ctx, "create key property", http.MethodPost, pathProps, propertyDef{
		Name:           s.cfg.KeyProperty,
		Label:          "callveil call key",
		Description:    "Keyed hash of the telephony provider's call id, written by callveil so replays update the same call.",
		GroupName:      propertyGroup,
		Type:           "string",
		FieldType:      "text",
		HasUniqueValue: true,
	}, false)
	if err != nil {
		return err
	}
	switch resp.status {
	case http.StatusCreated, http.StatusOK:
		s.log.Info("hubspot call key property created")
		return nil
	case http.StatusConflict: // created meanwhile by another instance
		if p, err = get(); err != nil {
			return err
		}
		if p == nil {
			return &RequestError{Op: op, Status: http.StatusNotFound, Category: "OBJECT_NOT_FOUND"}
		}
		return verify(p)
	}
	return &RequestError{Op: "create key property", Status: resp.status, Category: categoryOf(resp.body)}
}

// item is one call to upsert: the last occurrence of its key in the batch.
type item struct {
	idx   int // index into the Write batch
	trace string
	props map[string]string
}

type upsertInput struct {
	ID                 string            `json:"id"`
	IDProperty         string            `json:"idProperty"`
	Properties         map[string]string `json:"properties"`
	ObjectWriteTraceID string            `json:"objectWriteTraceId"`
}

type batchResponse struct {
	Results []struct {
		ID                 string            `json:"id"`
		Properties         map[string]string `json:"properties"`
		ObjectWriteTraceID string            `json:"objectWriteTraceId"`
	} `json:"results"`
	Errors []struct {
		Category string          `json:"category"`
		Context  json.RawMessage `json:"context"`
	} `json:"errors"`
}

// Write implements sinks.Sink.
func (s *HubSpotSink) Write(ctx context.Context, batch []stages.RedactedCall) error {
	if len(batch) == 0 {
		return nil
	}
	reasons := map[int]string{} // batch index → rejection reason
	last := map[string]int{}    // call key → index of its last occurrence
	for i := range batch {
		if r := precheck(&batch[i]); r != "" {
			reasons[i] = r
			continue
		}
		last[batch[i].Key] = i
	}
	var items []item
	for i := range batch {
		if _, bad := reasons[i]; bad || last[batch[i].Key] != i {
			continue
		}
		items = append(items, item{idx: i, trace: strconv.Itoa(i), props: callProperties(&batch[i], s.cfg.KeyProperty)})
	}

	ids := map[int]string{} // batch index → HubSpot call id
	for start := 0; start < len(items); start += MaxBatchInputs {
		chunk := items[start:min(start+MaxBatchInputs, len(items))]
		if err := s.upsert(ctx, chunk, ids, reasons); err != nil {
			return err
		}
	}
	if s.cfg.Associate && len(ids) > 0 {
		if err := s.associate(ctx, batch, ids); err != nil {
			return err
		}
	}

	// Earlier duplicates of a key share the fate of its last occurrence.
	for i := range batch {
		if _, done := reasons[i]; done {
			continue
		}
		if j, ok := last[batch[i].Key]; ok && j != i {
			if r, rejected := reasons[j]; rejected {
				reasons[i] = r
			}
		}
	}
	if len(reasons) == 0 {
		return nil
	}
	rej := &sinks.RejectedError{Sink: sinkName}
	for i, r := range reasons {
		rej.Rejections = append(rej.Rejections, sinks.Rejection{Index: i, Reason: r})
	}
	sort.Slice(rej.Rejections, func(a, b int) bool { return rej.Rejections[a].Index < rej.Rejections[b].Index })
	s.log.Warn("hubspot rejected calls", slog.Int("rejected", len(rej.Rejections)), slog.Int("batch", len(batch)))
	return rej
}

// upsert writes items (at most MaxBatchInputs), recording HubSpot ids in
// ids and refusals in reasons. A 400 for several items is narrowed down to
// the culprits: by the error's objectWriteTraceId when HubSpot names it,
// else by bisecting, which is safe because upserts are idempotent.
func (s *HubSpotSink) upsert(ctx context.Context, items []item, ids map[int]string, reasons map[int]string) error {
	const op = "upsert calls"
	inputs := make([]upsertInput, len(items))
	byTrace := make(map[string]item, len(items))
	byKey := make(map[string]item, len(items))
	for i, it := range items {
		key := it.props[s.cfg.KeyProperty]
		inputs[i] = upsertInput{ID: key, IDProperty: s.cfg.KeyProperty, Properties: it.props, ObjectWriteTraceID: it.trace}
		byTrace[it.trace] = it
		byKey[key] = it
	}
	resp, err := s.client.do(ctx, op, http.MethodPost, pathUpsert, map[string]any{"inputs": inputs}, false)
	if err != nil {
		return err
	}

	if resp.status >= 200 && resp.status < 300 {
		var br batchResponse
		if err := json.Unmarshal(resp.body, &br); err != nil {
			return &UnavailableError{Op: op, Status: resp.status, Attempts: 1, Cause: "malformed batch response"}
		}
		resolved := map[int]bool{}
		for _, r := range br.Results {
			it, ok := byTrace[r.ObjectWriteTraceID]
			if !ok {
				it, ok = byKey[r.Properties[s.cfg.KeyProperty]]
			}
			if ok && r.ID != "" {
				ids[it.idx] = r.ID
				resolved[it.idx] = true
			}
		}
		for _, e := range br.Errors {
			for _, t := range contextValues(e.Context, "objectWriteTraceId") {
				if it, ok := byTrace[t]; ok && !resolved[it.idx] {
					reasons[it.idx] = safeCategory(e.Category)
					resolved[it.idx] = true
				}
			}
		}
		var rest []item
		for _, it := range items {
			if !resolved[it.idx] {
				rest = append(rest, it)
			}
		}
		switch {
		case len(rest) == 0:
			return nil
		case len(rest) < len(items):
			// Errors HubSpot did not tie to an input: ask again for those.
			return s.upsert(ctx, rest, ids, reasons)
		}
		return &UnavailableError{Op: op, Status: resp.status, Attempts: 1, Cause: "batch response did not account for the calls"}
	}

	// A 4xx other than 401/403/429 (do handled those). Only statuses that
	// can be about the records are isolated per record; anything else (a
	// 404 from a wrong URL) would otherwise dead-letter every call.
	switch resp.status {
	case http.StatusBadRequest, http.StatusConflict, http.StatusRequestEntityTooLarge, http.StatusUnprocessableEntity:
	default:
		return &sinks.FatalError{Sink: sinkName, Msg: fmt.Sprintf("HubSpot answered %d to the calls upsert: check the HubSpot URL", resp.status)}
	}
	ae := parseAPIError(resp.body)
	for _, e := range ae.Errors {
		if e.Code == "PROPERTY_DOESNT_EXIST" {
			return &sinks.FatalError{Sink: sinkName, Msg: "a call property callveil writes does not exist in HubSpot (was the key property deleted?)"}
		}
	}
	reason := safeCategory(ae.Category)
	if reason == "UNKNOWN" {
		reason = "HTTP_" + strconv.Itoa(resp.status)
	}
	if len(items) == 1 {
		reasons[items[0].idx] = reason
		return nil
	}
	var named []string
	named = append(named, contextValues(ae.Context, "objectWriteTraceId")...)
	for _, e := range ae.Errors {
		named = append(named, contextValues(e.Context, "objectWriteTraceId")...)
	}
	culprits := map[int]bool{}
	for _, t := range named {
		if it, ok := byTrace[t]; ok {
			culprits[it.idx] = true
		}
	}
	if len(culprits) > 0 && len(culprits) < len(items) {
		var rest []item
		for _, it := range items {
			if culprits[it.idx] {
				reasons[it.idx] = reason
			} else {
				rest = append(rest, it)
			}
		}
		return s.upsert(ctx, rest, ids, reasons)
	}
	mid := len(items) / 2
	if err := s.upsert(ctx, items[:mid], ids, reasons); err != nil {
		return err
	}
	return s.upsert(ctx, items[mid:], ids, reasons)
}

type assocInput struct {
	From  objectRef   `json:"from"`
	To    objectRef   `json:"to"`
	Types []assocType `json:"types"`
}

type objectRef struct {
	ID string `json:"id"`
}

type assocType struct {
	AssociationCategory string `json:"associationCategory"`
	AssociationTypeID   int    `json:"associationTypeId"`
}

// associate links written calls to their contacts through the v4
// associations batch API (batch/upsert takes no associations). A contact
// that cannot be found, or vanished since it was cached, leaves the call
// written but unassociated; only transient failures fail the Write.
func (s *HubSpotSink) associate(ctx context.Context, batch []stages.RedactedCall, ids map[int]string) error {
	numberOf := map[int]string{}
	seen := map[string]bool{}
	var numbers []string
	for idx := range ids {
		if n := externalNumber(&batch[idx].Call); n != "" {
			numberOf[idx] = n
			if !seen[n] {
				seen[n] = true
				numbers = append(numbers, n)
			}
		}
	}
	if len(numbers) == 0 {
		return nil
	}
	contactOf, err := s.lookupContacts(ctx, numbers)
	if err != nil {
		var re *RequestError
		if errors.As(err, &re) {
			s.log.Warn("hubspot contact search refused; calls left unassociated", slog.Int("status", re.Status), slog.String("category", re.Category))
			return nil
		}
		return err
	}
	var inputs []assocInput
	numberOfContact := map[string][]string{}
	idxs := make([]int, 0, len(numberOf))
	for idx := range numberOf {
		idxs = append(idxs, idx)
	}
	sort.Ints(idxs)
	for _, idx := range idxs {
		contact := contactOf[numberOf[idx]]
		if contact == "" {
			continue
		}
		numberOfContact[contact] = append(numberOfContact[contact], numberOf[idx])
		inputs = append(inputs, assocInput{From: objectRef{ids[idx]}, To: objectRef{contact},
			Types: []assocType{{AssociationCategory: "HUBSPOT_DEFINED", AssociationTypeID: AssociationTypeCallToContact}}})
	}
	const op = "associate calls"
	for start := 0; start < len(inputs); start += MaxBatchInputs {
		chunk := inputs[start:min(start+MaxBatchInputs, len(inputs))]
		resp, err := s.client.do(ctx, op, http.MethodPost, pathAssociate, map[string]any{"inputs": chunk}, false)
		if err != nil {
			return err
		}
		if resp.status == http.StatusOK || resp.status == http.StatusCreated {
			continue
		}
		// 207 or a 4xx: forget the cached contacts involved (one may have been
		// deleted or merged) so the next call looks them up again.
		var failed []string
		if resp.status == http.StatusMultiStatus {
			var br batchResponse
			if json.Unmarshal(resp.body, &br) == nil {
				for _, e := range br.Errors {
					failed = append(failed, contextValues(e.Context, "toObjectId")...)
				}
			}
		}
		if len(failed) == 0 {
			for _, in := range chunk {
				failed = append(failed, in.To.ID)
			}
		}
		for _, c := range failed {
			for _, n := range numberOfContact[c] {
				s.contacts.drop(n)
			}
		}
		s.log.Warn("hubspot associations refused; calls left unassociated",
			slog.Int("status", resp.status), slog.Int("inputs", len(chunk)))
	}
	return nil
}

func parseAPIError(body []byte) apiError {
	var ae apiError
	_ = json.Unmarshal(body, &ae)
	return ae
}

func categoryOf(body []byte) string { return safeCategory(parseAPIError(body).Category) }

var categoryShape = regexp.MustCompile(`^[A-Z][A-Z0-9_]{0,63}$`)

// safeCategory passes HubSpot's error category through only when it looks
// like one (an upper-case code): it becomes a dead-letter reason.
func safeCategory(c string) string {
	if categoryShape.MatchString(c) {
		return c
	}
	return "UNKNOWN"
}

// contextValues reads context[key] from an error, whose values HubSpot
// sends as arrays of strings (sometimes numbers).
func contextValues(raw json.RawMessage, key string) []string {
	if len(raw) == 0 {
		return nil
	}
	var ctx map[string]json.RawMessage
	if json.Unmarshal(raw, &ctx) != nil {
		return nil
	}
	v, ok := ctx[key]
	if !ok {
		return nil
	}
	var list []any
	if json.Unmarshal(v, &list) != nil {
		var one any
		if json.Unmarshal(v, &one) != nil {
			return nil
		}
		list = []any{one}
	}
	out := make([]string, 0, len(list))
	for _, x := range list {
		switch t := x.(type) {
		case string:
			out = append(out, t)
		case float64:
			out = append(out, strconv.FormatFloat(t, 'f', -1, 64))
		}
	}
	return out
}
