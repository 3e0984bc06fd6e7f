package hubspottest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

const maxBatchInputs = 100

var (
	callDirections = map[string]bool{"INBOUND": true, "OUTBOUND": true}
	callStatuses   = map[string]bool{"BUSY": true, "CALLING_CRM_USER": true, "CANCELED": true,
		"COMPLETED": true, "CONNECTING": true, "FAILED": true, "IN_PROGRESS": true,
		"MISSED": true, "NO_ANSWER": true, "QUEUED": true, "RINGING": true}
	propertyName = regexp.MustCompile(`^[a-z][a-z0-9_]{0,99}$`)
)

type upsertInput struct {
	ID                 string            `json:"id"`
	IDProperty         string            `json:"idProperty"`
	Properties         map[string]string `json:"properties"`
	ObjectWriteTraceID string            `json:"objectWriteTraceId,omitempty"`
}

type objectResult struct {
	ID                 string            `json:"id"`
	Properties         map[string]string `json:"properties"`
	CreatedAt          string            `json:"createdAt"`
	UpdatedAt          string            `json:"updatedAt"`
	Archived           bool              `json:"archived"`
	New                *bool             `json:"new,omitempty"`
	ObjectWriteTraceID string            `json:"objectWriteTraceId,omitempty"`
}

type batchError struct {
	Status   string              `json:"status"`
	Category string              `json:"category"`
	Message  string              `json:"message"`
	Context  map[string][]string `json:"context,omitempty"`
}

func decode(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(r.Body)
	if err := dec.Decode(v); err != nil {
		writeError(w, http.StatusBadRequest, "VALIDATION_ERROR", "Invalid input JSON on line 1", nil)
		return false
	}
	return true
}

// decodeBatch decodes a batch body, {"inputs": [...]}, and refuses, as
// HubSpot does, a batch of no inputs or of more than maxBatchInputs.
func decodeBatch[T any](w http.ResponseWriter, r *http.Request) ([]T, bool) {
	var req struct {
		Inputs []T `json:"inputs"`
	}
	if !decode(w, r, &req) {
		return nil, false
	}
	if len(req.Inputs) == 0 || len(req.Inputs) > maxBatchInputs {
		writeError(w, http.StatusBadRequest, "VALIDATION_ERROR",
			fmt.Sprintf("Batch input must contain between 1 and %d inputs", maxBatchInputs), nil)
		return nil, false
	}
	return req.Inputs, true
}

// archiveInput is one input of a batch archive.
type archiveInput struct {
	ID string `json:"id"`
}

// associationInput is one input of a batch association create.
type associationInput struct {
	From  struct{ ID string } `json:"from"`
	To    struct{ ID string } `json:"to"`
	Types []struct {
		AssociationCategory string `json:"associationCategory"`
		AssociationTypeID   int    `json:"associationTypeId"`
	} `json:"types"`
}

func stamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// validateValue mirrors HubSpot's property validation for the properties
// whose format it checks; the message echoes the value as HubSpot does, so
// tests can prove a client never copies it anywhere.
func validateValue(name, value string) *apiErrorDetail {
	bad := func(code, msg string) *apiErrorDetail {
		return &apiErrorDetail{Message: msg, Code: code, Context: map[string][]string{"propertyName": {name}}}
	}
	switch name {
	case "hs_timestamp":
		if _, err := strconv.ParseInt(value, 10, 64); err == nil {
			return nil
		}
		if _, err := time.Parse(time.RFC3339, value); err != nil {
			return bad("INVALID_DATE", fmt.Sprintf("%q is not a valid timestamp", value))
		}
	case "hs_call_duration":
		if n, err := strconv.ParseInt(value, 10, 64); err != nil || n < 0 {
			return bad("INVALID_INTEGER", fmt.Sprintf("%q is not a valid duration", value))
		}
	case "hs_call_direction":
		if !callDirections[value] {
			return bad("INVALID_OPTION", fmt.Sprintf("%s was not one of the allowed options", value))
		}
	case "hs_call_status":
		if !callStatuses[value] {
			return bad("INVALID_OPTION", fmt.Sprintf("%s was not one of the allowed options", value))
		}
	}
	return nil
}

func propertyErrorMessage(details []apiErrorDetail) string {
	parts := make([]string, len(details))
	for i, d := range details {
		parts[i] = d.Message
	}
	return "Property values were not valid: " + strings.Join(parts, "; ")
}

func (s *Server) handleUpsert(w http.ResponseWriter, r *http.Request) {
	inputs, ok := decodeBatch[upsertInput](w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()

	queryIDProp := r.URL.Query().Get("idProperty")
	seen := map[string]bool{}
	var details []apiErrorDetail
	for i := range inputs {
		in := &inputs[i]
		if in.IDProperty == "" {
			in.IDProperty = queryIDProp
		}
		p, ok := s.props[in.IDProperty]
		if !ok || !p.HasUniqueValue {
			writeError(w, http.StatusBadRequest, "VALIDATION_ERROR",
				"idProperty must name an existing property with unique values", nil)
			return
		}
		if in.ID == "" {
			writeError(w, http.StatusBadRequest, "VALIDATION_ERROR", "Each input needs an id", nil)
			return
		}
		if seen[in.ID] {
			writeError(w, http.StatusBadRequest, "VALIDATION_ERROR", "Duplicate IDs found in batch input: "+in.ID, nil)
			return
		}
		seen[in.ID] = true
		names := make([]string, 0, len(in.Properties))
		for k := range in.Properties {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			if _, ok := s.props[k]; !ok {
				details = append(details, apiErrorDetail{Message: fmt.Sprintf("Property %q does not exist", k),
					Code: "PROPERTY_DOESNT_EXIST", Context: map[string][]string{"propertyName": {k}}})
				continue
			}
			if d := validateValue(k, in.Properties[k]); d != nil {
				details = append(details, *d)
			}
		}
	}
	if len(details) > 0 {
		writeError(w, http.StatusBadRequest, "VALIDATION_ERROR", propertyErrorMessage(details), details)
		return
	}

	rejected := map[int]bool{}
	if s.rejectMatch != nil {
		for i, in := range inputs {
			if s.rejectMatch(in.Properties) {
				rejected[i] = true
			}
		}
	}
	if len(rejected) > 0 && s.rejectMode == RejectWholeBatch {
		var ds []apiErrorDetail
		for i := range inputs {
			if rejected[i] {
				ds = append(ds, apiErrorDetail{Message: fmt.Sprintf("%s is not valid", inputs[i].Properties["hs_call_body"]),
					Code: "INVALID_VALUE"})
			}
		}
		writeError(w, http.StatusBadRequest, "VALIDATION_ERROR", propertyErrorMessage(ds), ds)
		return
	}

	now := time.Now()
	results := []objectResult{}
	var errs []batchError
	for i, in := range inputs {
		if rejected[i] {
			errs = append(errs, batchError{Status: "error", Category: "VALIDATION_ERROR",
				Message: fmt.Sprintf("Property values were not valid: %s", in.Properties["hs_call_body"]),
				Context: map[string][]string{"objectWriteTraceId": {in.ObjectWriteTraceID}}})
			continue
		}
		c, isNew, err := s.upsertLocked(in, now)
		if err != nil {
			errs = append(errs, batchError{Status: "error", Category: "VALIDATION_ERROR", Message: err.Error(),
				Context: map[string][]string{"objectWriteTraceId": {in.ObjectWriteTraceID}}})
			continue
		}
		props := map[string]string{"hs_object_id": c.ID, "hs_createdate": stamp(c.CreatedAt),
			"hs_lastmodifieddate": stamp(c.UpdatedAt)}
		for k, v := range in.Properties {
			props[k] = v
		}
		isNewCopy := isNew
		results = append(results, objectResult{ID: c.ID, Properties: props, CreatedAt: stamp(c.CreatedAt),
			UpdatedAt: stamp(c.UpdatedAt), New: &isNewCopy, ObjectWriteTraceID: in.ObjectWriteTraceID})
	}
	body := map[string]any{"status": "COMPLETE", "results": results, "startedAt": stamp(now),
		"completedAt": stamp(time.Now())}
	status := http.StatusOK
	if len(errs) > 0 {
		body["errors"] = errs
		body["numErrors"] = len(errs)
		status = http.StatusMultiStatus
	}
	writeJSON(w, status, body)
}

func (s *Server) upsertLocked(in upsertInput, now time.Time) (*Call, bool, error) {
	if id, ok := s.unique[in.IDProperty][in.ID]; ok {
		c := s.calls[id]
		for k, v := range in.Properties {
			s.setLocked(c, k, v)
		}
		c.UpdatedAt = now
		s.stats.CallsUpdated++
		return c, false, nil
	}
	if _, ok := in.Properties["hs_timestamp"]; !ok {
		return nil, false, fmt.Errorf("hs_timestamp is required")
	}
	c := &Call{ID: s.newIDLocked(), Properties: map[string]string{}, CreatedAt: now, UpdatedAt: now}
	s.calls[c.ID] = c
	for k, v := range in.Properties {
		s.setLocked(c, k, v)
	}
	s.setLocked(c, in.IDProperty, in.ID)
	c.Properties["hs_object_id"] = c.ID
	s.stats.CallsCreated++
	return c, true, nil
}

func (s *Server) setLocked(c *Call, k, v string) {
	if idx := s.unique[k]; idx != nil {
		if old, ok := c.Properties[k]; ok {
			delete(idx, old)
		}
		idx[v] = c.ID
	}
	c.Properties[k] = v
}

func (s *Server) archiveLocked(id string) {
	c, ok := s.calls[id]
	if !ok {
		return
	}
	for k, v := range c.Properties {
		if idx := s.unique[k]; idx != nil && idx[v] == id {
			delete(idx, v)
		}
	}
	delete(s.calls, id)
	s.archived[id] = true
	for a := range s.assocs {
		if a.CallID == id {
			delete(s.assocs, a)
		}
	}
}

func (s *Server) handleArchive(w http.ResponseWriter, r *http.Request) {
	inputs, ok := decodeBatch[archiveInput](w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	for _, in := range inputs {
		s.archiveLocked(in.ID)
	}
	s.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleDelete(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.archiveLocked(r.PathValue("id"))
	s.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

// --- properties ----------------------------------------------------------------

func (s *Server) handleListProperties(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Property, 0, len(s.props))
	for _, p := range s.props {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	writeJSON(w, http.StatusOK, map[string]any{"results": out})
}

func (s *Server) handleGetProperty(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	p, ok := s.props[r.PathValue("name")]
	s.mu.Unlock()
	if !ok {
		writeError(w, http.StatusNotFound, "OBJECT_NOT_FOUND", "Unable to find property", nil)
		return
	}
	writeJSON(w, http.StatusOK, p)
}

func (s *Server) handleCreateProperty(w http.ResponseWriter, r *http.Request) {
	var p Property
	if !decode(w, r, &p) {
		return
	}
	if !propertyName.MatchString(p.Name) || p.Label == "" || p.Type == "" || p.FieldType == "" || p.GroupName == "" {
		writeError(w, http.StatusBadRequest, "VALIDATION_ERROR",
			"name, label, type, fieldType and groupName are required", nil)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.props[p.Name]; ok {
		writeError(w, http.StatusConflict, "OBJECT_ALREADY_EXISTS", "Property already exists", nil)
		return
	}
	if !s.groups[p.GroupName] {
		writeError(w, http.StatusBadRequest, "VALIDATION_ERROR", "Property group does not exist", nil)
		return
	}
	p.HubSpotDefined = false
	s.props[p.Name] = p
	if p.HasUniqueValue {
		s.unique[p.Name] = map[string]string{}
	}
	writeJSON(w, http.StatusCreated, p)
}

func (s *Server) handleCreateGroup(w http.ResponseWriter, r *http.Request) {
	var g struct {
		Name  string `json:"name"`
		Label string `json:"label"`
	}
	if !decode(w, r, &g) {
		return
	}
	if !propertyName.MatchString(g.Name) || g.Label == "" {
		writeError(w, http.StatusBadRequest, "VALIDATION_ERROR", "name and label are required", nil)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.groups[g.Name] {
		writeError(w, http.StatusConflict, "OBJECT_ALREADY_EXISTS", "Property group already exists", nil)
		return
	}
	s.groups[g.Name] = true
	writeJSON(w, http.StatusCreated, map[string]any{"name": g.Name, "label": g.Label, "displayOrder": -1, "archived": false})
}

// --- search ----------------------------------------------------------------------

type filter struct {
	PropertyName string   `json:"propertyName"`
	Operator     string   `json:"operator"`
	Value        string   `json:"value"`
	Values       []string `json:"values"`
}

type searchRequest struct {
	FilterGroups []struct {
		Filters []filter `json:"filters"`
	} `json:"filterGroups"`
	Properties []string `json:"properties"`
	Limit      int      `json:"limit"`
	After      string   `json:"after"`
}

// Limits from HubSpot's search docs (2024 expansion).
const (
	maxFilterGroups  = 5
	maxFiltersGroup  = 10
	maxFiltersTotal  = 25
	maxInValues      = 100
	maxSearchResults = 100
)

func (f filter) match(props map[string]string) bool {
	v, ok := props[f.PropertyName]
	switch f.Operator {
	case "EQ":
		return ok && v == f.Value
	case "NEQ":
		return !ok || v != f.Value
	case "HAS_PROPERTY":
		return ok
	case "IN":
		for _, want := range f.Values {
			if ok && v == want {
				return true
			}
		}
	default:
		return matchRange(f, v, ok) // search_ext.go
	}
	return false
}

func (req *searchRequest) valid() string {
	if len(req.FilterGroups) > maxFilterGroups {
		return "too many filterGroups"
	}
	total := 0
	for _, g := range req.FilterGroups {
		if len(g.Filters) > maxFiltersGroup {
			return "too many filters in a group"
		}
		total += len(g.Filters)
		for _, f := range g.Filters {
			switch f.Operator {
			case "EQ", "NEQ", "HAS_PROPERTY":
			case "IN":
				if len(f.Values) == 0 || len(f.Values) > maxInValues {
					return "IN needs 1 to 100 values"
				}
			default:
				if !rangeOperators[f.Operator] { // search_ext.go
					return "unsupported operator"
				}
			}
		}
	}
	if total > maxFiltersTotal {
		return "too many filters"
	}
	if req.Limit > maxSearchResults {
		return "limit must be at most 100"
	}
	return ""
}

func (req *searchRequest) matches(props map[string]string) bool {
	if len(req.FilterGroups) == 0 {
		return true
	}
	for _, g := range req.FilterGroups {
		all := true
		for _, f := range g.Filters {
			if !f.match(props) {
				all = false
				break
			}
		}
		if all {
			return true
		}
	}
	return false
}

func (s *Server) search(w http.ResponseWriter, r *http.Request, objects func() map[string]map[string]string) {
	var req searchRequest
	if !decode(w, r, &req) {
		return
	}
	if msg := req.valid(); msg != "" {
		writeError(w, http.StatusBadRequest, "VALIDATION_ERROR", msg, nil)
		return
	}
	if req.Limit <= 0 {
		req.Limit = 10
	}
	offset := 0
	if req.After != "" {
		n, err := strconv.Atoi(req.After)
		if err != nil || n < 0 {
			writeError(w, http.StatusBadRequest, "VALIDATION_ERROR", "after must be a number", nil)
			return
		}
		offset = n
	}
	s.mu.Lock()
	all := objects()
	s.mu.Unlock()
	ids := make([]string, 0)
	for id, props := range all {
		if req.matches(props) {
			ids = append(ids, id)
		}
	}
	sort.Slice(ids, func(i, j int) bool { return idLess(ids[i], ids[j]) })
	total := len(ids)
	if offset > len(ids) {
		offset = len(ids)
	}
	page := ids[offset:]
	if len(page) > req.Limit {
		page = page[:req.Limit]
	}
	results := make([]objectResult, 0, len(page))
	for _, id := range page {
		props := map[string]string{"hs_object_id": id}
		for _, name := range req.Properties {
			if v, ok := all[id][name]; ok {
				props[name] = v
			}
		}
		results = append(results, objectResult{ID: id, Properties: props, CreatedAt: stamp(time.Time{}),
			UpdatedAt: stamp(time.Time{})})
	}
	body := map[string]any{"total": total, "results": results}
	if next := offset + len(page); next < total {
		body["paging"] = map[string]any{"next": map[string]any{"after": strconv.Itoa(next)}}
	}
	writeJSON(w, http.StatusOK, body)
}

func (s *Server) handleCallSearch(w http.ResponseWriter, r *http.Request) {
	s.search(w, r, func() map[string]map[string]string {
		out := make(map[string]map[string]string, len(s.calls))
		for id, c := range s.calls {
			out[id] = copyCall(c).Properties
		}
		return out
	})
}

func (s *Server) handleContactSearch(w http.ResponseWriter, r *http.Request) {
	s.search(w, r, func() map[string]map[string]string {
		out := make(map[string]map[string]string, len(s.contacts))
		for id, p := range s.contacts {
			cp := make(map[string]string, len(p))
			for k, v := range p {
				cp[k] = v
			}
			out[id] = cp
		}
		return out
	})
}

// --- associations ----------------------------------------------------------------

func (s *Server) handleAssociate(w http.ResponseWriter, r *http.Request) {
	inputs, ok := decodeBatch[associationInput](w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	results := []map[string]any{}
	var errs []batchError
	for _, in := range inputs {
		_, callOK := s.calls[in.From.ID]
		_, contactOK := s.contacts[in.To.ID]
		if !callOK || !contactOK || len(in.Types) == 0 {
			errs = append(errs, batchError{Status: "error", Category: "VALIDATION_ERROR",
				Message: "Object not found or no association type given",
				Context: map[string][]string{"fromObjectId": {in.From.ID}, "toObjectId": {in.To.ID}}})
			continue
		}
		for _, t := range in.Types {
			s.assocs[Association{CallID: in.From.ID, ContactID: in.To.ID, Category: t.AssociationCategory,
				TypeID: t.AssociationTypeID}] = true
		}
		from, _ := strconv.ParseInt(in.From.ID, 10, 64)
		to, _ := strconv.ParseInt(in.To.ID, 10, 64)
		results = append(results, map[string]any{"fromObjectTypeId": "0-48", "fromObjectId": from,
			"toObjectTypeId": "0-1", "toObjectId": to, "labels": []string{}})
	}
	body := map[string]any{"status": "COMPLETE", "results": results, "startedAt": stamp(now), "completedAt": stamp(time.Now())}
	status := http.StatusCreated
	if len(errs) > 0 {
		body["errors"] = errs
		body["numErrors"] = len(errs)
		status = http.StatusMultiStatus
	}
	writeJSON(w, status, body)
}
