// Package hubspottest runs an in-process HTTP server that answers like the
// parts of the HubSpot CRM API callveil uses: calls batch upsert/archive/
// search/delete, the calls properties API, contacts search and v4
// call→contact associations. It keeps everything in memory, records every
// request for canary searches, enforces a rolling-window rate limit like
// HubSpot's, and can inject faults (429, 5xx, slow answers, connection
// resets, 401/403, per-record validation errors).
//
// Shapes follow HubSpot's public API reference and the recorded samples in
// shared/samples/hubspot (batch_create_201.recorded.json for the batch
// response and rate-limit headers, error_validation.docs-example.json and
// rate_limit_429_daily.docs-example.json for error bodies). It is a test
// double: it validates what matters to callveil, not everything HubSpot does.
package hubspottest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Options configures a Server. The zero value is a server that accepts any
// bearer token and enforces no rate limit.
type Options struct {
	// Token, when set, is the only accepted bearer token; other requests get
	// 401 like HubSpot answers an unknown private-app token.
	Token string
	// RateLimit is the number of requests allowed in any rolling RateWindow;
	// 0 disables enforcement. Requests over it get HubSpot's
	// TEN_SECONDLY_ROLLING 429.
	RateLimit int
	// RateWindow defaults to 10 s, HubSpot's window; tests scale it down.
	RateWindow time.Duration
	// SearchPerSecond limits the search endpoints (HubSpot: a few a second
	// per token) over a rolling second; 0 disables it.
	SearchPerSecond int
	// KeyProperty, when set, pre-creates a unique-valued string call
	// property of that name, as if an earlier run had created it.
	KeyProperty string
}

// Property is a calls property definition.
type Property struct {
	Name           string `json:"name"`
	Label          string `json:"label"`
	Description    string `json:"description,omitempty"`
	GroupName      string `json:"groupName"`
	Type           string `json:"type"`
	FieldType      string `json:"fieldType"`
	HasUniqueValue bool   `json:"hasUniqueValue"`
	FormField      bool   `json:"formField"`
	HubSpotDefined bool   `json:"hubspotDefined"`
}

// Call is a stored call object.
type Call struct {
	ID         string
	Properties map[string]string
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// Association is one recorded call→contact association.
type Association struct {
	CallID    string
	ContactID string
	Category  string
	TypeID    int
}

// Request is one logged request. Header never holds Authorization.
type Request struct {
	Time   time.Time
	Method string
	Path   string
	Query  string
	Header http.Header
	Body   []byte
	// Status is the status the server answered (0 for a reset connection).
	Status int
}

// Stats counts what the server did.
type Stats struct {
	Requests int
	// RateLimited counts 429s the server's own rolling-window enforcement
	// gave, as opposed to injected ones.
	RateLimited       int
	SearchRateLimited int
	InjectedFaults    int
	CallsCreated      int
	CallsUpdated      int
}

// FaultKind says what an injected fault does.
type FaultKind int

const (
	// FaultRateLimited answers 429 (with Retry-After when set).
	FaultRateLimited FaultKind = iota + 1
	// FaultServerError answers a 5xx (Status, default 503).
	FaultServerError
	// FaultSlow waits Delay, then handles the request normally, even when
	// the client has given up: a timed-out write may still land.
	FaultSlow
	// FaultReset closes the connection without an answer.
	FaultReset
	// FaultUnauthorized answers 401.
	FaultUnauthorized
	// FaultForbidden answers 403 MISSING_SCOPES.
	FaultForbidden
)

// Fault is applied to the next Count requests whose path starts with
// PathPrefix ("" matches all).
type Fault struct {
	Kind       FaultKind
	Count      int
	PathPrefix string
	// RetryAfter is sent (in whole seconds, rounded up) with
	// FaultRateLimited; 0 sends no Retry-After.
	RetryAfter time.Duration
	// Status for FaultServerError; default 503.
	Status int
	// Delay for FaultSlow.
	Delay time.Duration
	// AfterEffect, for FaultServerError and FaultReset, first applies the
	// request and only then fails: the write happened but the client cannot
	// know, which is what makes retries need idempotency.
	AfterEffect bool
}

// RejectMode says how records matched by RejectRecords are refused.
type RejectMode int

const (
	// RejectWholeBatch answers 400 VALIDATION_ERROR for the whole upsert
	// without saying which input was bad (as HubSpot does for property
	// validation errors), and writes nothing.
	RejectWholeBatch RejectMode = iota + 1
	// RejectMultiStatus writes the other inputs and answers 207 with one
	// error per bad input, identified by its objectWriteTraceId.
	RejectMultiStatus
)

// Server is the fake HubSpot. Create it with NewServer or Start.
type Server struct {
	// URL is the base URL to give a client instead of https://api.hubapi.com.
	URL string

	opts    Options
	srv     *httptest.Server
	closing chan struct{}
	once    sync.Once

	mu           sync.Mutex
	nextID       int64
	calls        map[string]*Call
	archived     map[string]bool
	unique       map[string]map[string]string // property → value → call id
	props        map[string]Property
	groups       map[string]bool
	contacts     map[string]map[string]string // id → properties
	assocs       map[Association]bool
	log          []Request
	faults       []*Fault
	rejectMode   RejectMode
	rejectMatch  func(props map[string]string) bool
	window       []time.Time
	searchWindow []time.Time
	stats        Stats
}

// Standard call properties the server knows, all HubSpot-defined.
var standardCallProperties = []string{
	"hs_timestamp", "hs_call_title", "hs_call_body", "hs_call_duration",
	"hs_call_from_number", "hs_call_to_number", "hs_call_direction",
	"hs_call_status", "hs_call_recording_url", "hubspot_owner_id",
	"hs_object_id", "hs_createdate", "hs_lastmodifieddate",
}

// NewServer starts a server; Close it when done.
func NewServer(opts Options) *Server {
	if opts.RateWindow <= 0 {
		opts.RateWindow = 10 * time.Second
	}
	s := &Server{
		opts:     opts,
		closing:  make(chan struct{}),
		nextID:   1000,
		calls:    map[string]*Call{},
		archived: map[string]bool{},
		unique:   map[string]map[string]string{},
		props:    map[string]Property{},
		groups:   map[string]bool{"callinformation": true},
		contacts: map[string]map[string]string{},
		assocs:   map[Association]bool{},
	}
	for _, name := range standardCallProperties {
		s.props[name] = Property{Name: name, Label: name, GroupName: "callinformation",
			Type: "string", FieldType: "text", HubSpotDefined: true}
	}
	if opts.KeyProperty != "" {
		s.AddProperty(Property{Name: opts.KeyProperty, Label: opts.KeyProperty, GroupName: "callinformation",
			Type: "string", FieldType: "text", HasUniqueValue: true})
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /crm/v3/objects/calls/batch/upsert", s.handleUpsert)
	mux.HandleFunc("POST /crm/v3/objects/calls/batch/archive", s.handleArchive)
	mux.HandleFunc("POST /crm/v3/objects/calls/search", s.handleCallSearch)
	mux.HandleFunc("DELETE /crm/v3/objects/calls/{id}", s.handleDelete)
	mux.HandleFunc("GET /crm/v3/properties/calls", s.handleListProperties)
	mux.HandleFunc("GET /crm/v3/properties/calls/{name}", s.handleGetProperty)
	mux.HandleFunc("POST /crm/v3/properties/calls", s.handleCreateProperty)
	mux.HandleFunc("POST /crm/v3/properties/calls/groups", s.handleCreateGroup)
	mux.HandleFunc("POST /crm/v3/objects/contacts/search", s.handleContactSearch)
	mux.HandleFunc("POST /crm/v4/associations/calls/contacts/batch/create", s.handleAssociate)
	s.srv = httptest.NewServer(s.middleware(mux))
	s.URL = s.srv.URL
	return s
}

// Start is NewServer with Close registered on tb's cleanup.
func Start(tb testing.TB, opts Options) *Server {
	tb.Helper()
	s := NewServer(opts)
	tb.Cleanup(s.Close)
	return s
}

// Close stops the server; slow handlers return at once.
func (s *Server) Close() {
	s.once.Do(func() {
		close(s.closing)
		s.srv.CloseClientConnections()
		s.srv.Close()
	})
}

// Client returns an HTTP client for the server.
func (s *Server) Client() *http.Client { return s.srv.Client() }

// --- knobs -----------------------------------------------------------------

// Inject queues a fault. Faults apply in the order injected.
func (s *Server) Inject(f Fault) {
	if f.Count <= 0 {
		f.Count = 1
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &f)
}

// ClearFaults drops all pending faults.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

// RejectRecords makes upserts refuse every input whose properties match;
// match == nil turns rejection off.
func (s *Server) RejectRecords(mode RejectMode, match func(props map[string]string) bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rejectMode, s.rejectMatch = mode, match
}

// AddProperty defines (or redefines) a calls property.
func (s *Server) AddProperty(p Property) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.props[p.Name] = p
	if p.HasUniqueValue && s.unique[p.Name] == nil {
		s.unique[p.Name] = map[string]string{}
	}
}

// AddContact seeds a contact and returns its id. Empty values are not set.
func (s *Server) AddContact(phone, mobilephone string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.newIDLocked()
	props := map[string]string{"hs_object_id": id}
	if phone != "" {
		props["phone"] = phone
	}
	if mobilephone != "" {
		props["mobilephone"] = mobilephone
	}
	s.contacts[id] = props
	return id
}

// --- inspection ------------------------------------------------------------

// Calls returns copies of the live (not archived) calls, ordered by id.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Call, 0, len(s.calls))
	for _, c := range s.calls {
		out = append(out, copyCall(c))
	}
	sort.Slice(out, func(i, j int) bool { return idLess(out[i].ID, out[j].ID) })
	return out
}

// CallByProperty finds the live call whose property equals value.
func (s *Server) CallByProperty(name, value string) (Call, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.calls {
		if v, ok := c.Properties[name]; ok && v == value {
			return copyCall(c), true
		}
	}
	return Call{}, false
}

// ArchivedCallIDs lists archived call ids, ordered.
func (s *Server) ArchivedCallIDs() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := slices.AppendSeq(make([]string, 0, len(s.archived)), maps.Keys(s.archived))
	sort.Slice(out, func(i, j int) bool { return idLess(out[i], out[j]) })
	return out
}

// Property returns a calls property definition.
func (s *Server) Property(name string) (Property, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.props[name]
	return p, ok
}

// Associations returns the recorded associations, ordered.
func (s *Server) Associations() []Association {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := slices.AppendSeq(make([]Association, 0, len(s.assocs)), maps.Keys(s.assocs))
	sort.Slice(out, func(i, j int) bool {
		if out[i].CallID != out[j].CallID {
			return idLess(out[i].CallID, out[j].CallID)
		}
		return idLess(out[i].ContactID, out[j].ContactID)
	})
	return out
}

// Requests returns a copy of the request log.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.log...)
}

// RequestsContaining returns the logged requests whose path, query, headers
// or body contain needle: the canary search.
func (s *Server) RequestsContaining(needle string) []Request {
	var out []Request
	for _, r := range s.Requests() {
		if strings.Contains(r.Path, needle) || strings.Contains(r.Query, needle) || bytes.Contains(r.Body, []byte(needle)) {
			out = append(out, r)
			continue
		}
		for k, vs := range r.Header {
			if strings.Contains(k, needle) || strings.Contains(strings.Join(vs, "\n"), needle) {
				out = append(out, r)
				break
			}
		}
	}
	return out
}

// Stats returns the counters.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stats
}

// --- plumbing ----------------------------------------------------------------

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (w *statusRecorder) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusRecorder) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (s *Server) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		hdr := r.Header.Clone()
		hdr.Del("Authorization")
		s.mu.Lock()
		s.stats.Requests++
		idx := len(s.log)
		s.log = append(s.log, Request{Time: time.Now(), Method: r.Method, Path: r.URL.Path,
			Query: r.URL.RawQuery, Header: hdr, Body: body})
		s.mu.Unlock()

		rec := &statusRecorder{ResponseWriter: w}
		s.serve(rec, r, next)
		s.mu.Lock()
		s.log[idx].Status = rec.status
		s.mu.Unlock()
	})
}

func (s *Server) serve(w *statusRecorder, r *http.Request, next http.Handler) {
	if !s.authorized(r) {
		writeError(w, http.StatusUnauthorized, "INVALID_AUTHENTICATION",
			"Authentication credentials not found. This API supports OAuth 2.0 authentication.", nil)
		return
	}
	if !s.admit(w, r) {
		return
	}
	if f := s.takeFault(r.URL.Path); f != nil {
		s.applyFault(w, r, f, next)
		return
	}
	next.ServeHTTP(w, r)
}

func (s *Server) authorized(r *http.Request) bool {
	auth := r.Header.Get("Authorization")
	tok, ok := strings.CutPrefix(auth, "Bearer ")
	if !ok || tok == "" {
		return false
	}
	return s.opts.Token == "" || tok == s.opts.Token
}

func isSearch(path string) bool { return strings.HasSuffix(path, "/search") }

// admit enforces the rolling windows. Requests answered 429 here do not
// count toward the window.
func (s *Server) admit(w http.ResponseWriter, r *http.Request) bool {
	now := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if isSearch(r.URL.Path) && s.opts.SearchPerSecond > 0 {
		s.searchWindow = prune(s.searchWindow, now.Add(-time.Second))
		if len(s.searchWindow) >= s.opts.SearchPerSecond {
			s.stats.SearchRateLimited++
			writeJSON(w, http.StatusTooManyRequests, map[string]any{"status": "error",
				"message": "You have reached your secondly limit.", "errorType": "RATE_LIMIT",
				"correlationId": correlationID(now), "policyName": "SECONDLY"})
			return false
		}
		s.searchWindow = append(s.searchWindow, now)
	}
	if s.opts.RateLimit <= 0 {
		return true
	}
	s.window = prune(s.window, now.Add(-s.opts.RateWindow))
	if len(s.window) >= s.opts.RateLimit {
		s.stats.RateLimited++
		s.rateHeaders(w, 0)
		writeJSON(w, http.StatusTooManyRequests, map[string]any{"status": "error",
			"message": "You have reached your ten_secondly_rolling limit.", "errorType": "RATE_LIMIT",
			"correlationId": correlationID(now), "policyName": "TEN_SECONDLY_ROLLING"})
		return false
	}
	s.window = append(s.window, now)
	if !isSearch(r.URL.Path) {
		s.rateHeaders(w, s.opts.RateLimit-len(s.window))
	}
	return true
}

func (s *Server) rateHeaders(w http.ResponseWriter, remaining int) {
	h := w.Header()
	h.Set("X-HubSpot-RateLimit-Max", strconv.Itoa(s.opts.RateLimit))
	h.Set("X-HubSpot-RateLimit-Remaining", strconv.Itoa(remaining))
	h.Set("X-HubSpot-RateLimit-Interval-Milliseconds", strconv.FormatInt(s.opts.RateWindow.Milliseconds(), 10))
}

func prune(ts []time.Time, after time.Time) []time.Time {
	i := 0
	for i < len(ts) && !ts[i].After(after) {
		i++
	}
	return append(ts[:0], ts[i:]...)
}

func (s *Server) takeFault(path string) *Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, f := range s.faults {
		if !strings.HasPrefix(path, f.PathPrefix) {
			continue
		}
		f.Count--
		if f.Count <= 0 {
			s.faults = append(s.faults[:i], s.faults[i+1:]...)
		}
		s.stats.InjectedFaults++
		c := *f
		return &c
	}
	return nil
}

func (s *Server) applyFault(w *statusRecorder, r *http.Request, f *Fault, next http.Handler) {
	switch f.Kind {
	case FaultRateLimited:
		if f.RetryAfter > 0 {
			secs := int64((f.RetryAfter + time.Second - 1) / time.Second)
			w.Header().Set("Retry-After", strconv.FormatInt(secs, 10))
		}
		writeJSON(w, http.StatusTooManyRequests, map[string]any{"status": "error",
			"message": "You have reached your ten_secondly_rolling limit.", "errorType": "RATE_LIMIT",
			"correlationId": correlationID(time.Now()), "policyName": "TEN_SECONDLY_ROLLING"})
	case FaultServerError:
		if f.AfterEffect {
			next.ServeHTTP(httptest.NewRecorder(), r)
		}
		status := f.Status
		if status == 0 {
			status = http.StatusServiceUnavailable
		}
		writeError(w, status, "INTERNAL_ERROR", "internal error", nil)
	case FaultSlow:
		select {
		case <-time.After(f.Delay):
		case <-s.closing:
			return
		}
		next.ServeHTTP(w, r)
	case FaultReset:
		if f.AfterEffect {
			next.ServeHTTP(httptest.NewRecorder(), r)
		}
		hj, ok := w.ResponseWriter.(http.Hijacker)
		if !ok {
			panic("hubspottest: response writer cannot hijack")
		}
		conn, _, err := hj.Hijack()
		if err == nil {
			_ = conn.Close()
		}
	case FaultUnauthorized:
		writeError(w, http.StatusUnauthorized, "INVALID_AUTHENTICATION",
			"Authentication credentials not found.", nil)
	case FaultForbidden:
		writeError(w, http.StatusForbidden, "MISSING_SCOPES",
			"This app hasn't been granted all required scopes to make this call.", nil)
	}
}

func (s *Server) newIDLocked() string {
	s.nextID++
	return strconv.FormatInt(s.nextID, 10)
}

func correlationID(t time.Time) string {
	return fmt.Sprintf("00000000-0000-4000-8000-%012d", t.UnixNano()%1_000_000_000_000)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// apiErrorDetail is one entry of an error body's "errors" array.
type apiErrorDetail struct {
	Message string              `json:"message"`
	In      string              `json:"in,omitempty"`
	Code    string              `json:"code,omitempty"`
	Context map[string][]string `json:"context,omitempty"`
}

func writeError(w http.ResponseWriter, status int, category, message string, details []apiErrorDetail) {
	body := map[string]any{"status": "error", "message": message, "category": category,
		"correlationId": correlationID(time.Now())}
	if len(details) > 0 {
		body["errors"] = details
	}
	writeJSON(w, status, body)
}

func copyCall(c *Call) Call {
	p := make(map[string]string, len(c.Properties))
	for k, v := range c.Properties {
		p[k] = v
	}
	return Call{ID: c.ID, Properties: p, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt}
}

// idLess orders numeric ids numerically.
func idLess(a, b string) bool {
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}
