package hubspot_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/callveil/callveil/sinks"
	"github.com/callveil/callveil/sinks/hubspot"
	"github.com/callveil/callveil/sinks/hubspot/hubspottest"
	"github.com/callveil/callveil/stages"
)

const (
	testToken = "pat-eu1-CANARYTOKEN-0000-1111-2222"
	keyProp   = hubspot.DefaultKeyProperty
)

// syncBuffer collects log output from the sink's logger.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

type fixture struct {
	srv  *hubspottest.Server
	cfg  hubspot.Config
	logs *syncBuffer
}

// newFixture starts a fake HubSpot that knows the key property and returns
// a config with fast retries for it.
func newFixture(t *testing.T, opts hubspottest.Options) *fixture {
	t.Helper()
	if opts.Token == "" {
		opts.Token = testToken
	}
	if opts.KeyProperty == "" {
		opts.KeyProperty = keyProp
	}
	srv := hubspottest.Start(t, opts)
	logs := &syncBuffer{}
	cfg := hubspot.DefaultConfig()
	cfg.URL = srv.URL
	cfg.Token = testToken
	cfg.RetryBaseDelay = 2 * time.Millisecond
	cfg.RetryMaxDelay = 20 * time.Millisecond
	cfg.Timeout = 2 * time.Second
	cfg.RequestsPer10s = 10_000 // pacing has its own tests
	cfg.SearchPerSecond = 1000
	cfg.Logger = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	return &fixture{srv: srv, cfg: cfg, logs: logs}
}

func (f *fixture) sink(t *testing.T) *hubspot.HubSpotSink {
	t.Helper()
	s, err := hubspot.New(context.Background(), f.cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() { _ = s.Close(context.Background()) })
	return s
}

func testCall(i int) stages.RedactedCall {
	return stages.RedactedCall{
		Call: stages.Call{
			Key:             fmt.Sprintf("%064x", 0xc0ffee00+i),
			From:            fmt.Sprintf("+4930%07d", 1000000+i),
			To:              "+4989123456",
			Start:           time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC).Add(time.Duration(i) * time.Minute),
			DurationSeconds: int64(60 + i),
			Direction:       stages.DirectionInbound,
			Status:          stages.StatusCompleted,
		},
		Language: "de",
		Transcript: []stages.Segment{
			{Speaker: "agent", Start: 0.5, End: 2, Text: fmt.Sprintf("Guten Tag, Anruf %d", i)},
			{Speaker: "caller", Start: 65, End: 70, Text: "Meine Nummer ist [PHONE]"},
		},
		Redactions: map[string]int{"PHONE": 1, "EMAIL": 2},
	}
}

func testCalls(n int) []stages.RedactedCall {
	out := make([]stages.RedactedCall, n)
	for i := range out {
		out[i] = testCall(i)
	}
	return out
}

type loggedInput struct {
	ID                 string            `json:"id"`
	IDProperty         string            `json:"idProperty"`
	Properties         map[string]string `json:"properties"`
	ObjectWriteTraceID string            `json:"objectWriteTraceId"`
}

func upsertRequests(srv *hubspottest.Server) []hubspottest.Request {
	var out []hubspottest.Request
	for _, r := range srv.Requests() {
		if r.Path == "/crm/v3/objects/calls/batch/upsert" {
			out = append(out, r)
		}
	}
	return out
}

func countPath(srv *hubspottest.Server, path string) int {
	n := 0
	for _, r := range srv.Requests() {
		if r.Path == path {
			n++
		}
	}
	return n
}

// assertStoredOnce checks every call is stored exactly once under its key.
func assertStoredOnce(t *testing.T, srv *hubspottest.Server, calls []stages.RedactedCall) {
	t.Helper()
	stored := srv.Calls()
	count := map[string]int{}
	for _, c := range stored {
		count[c.Properties[keyProp]]++
	}
	for _, c := range calls {
		if count[c.Key] != 1 {
			t.Errorf("call key %s…: stored %d times, want 1", c.Key[:8], count[c.Key])
		}
	}
	if len(stored) != len(calls) {
		t.Errorf("server holds %d calls, want %d", len(stored), len(calls))
	}
}

func TestWriteSendsExactlyTheAllowedProperties(t *testing.T) {
	f := newFixture(t, hubspottest.Options{})
	s := f.sink(t)

	inbound := testCall(1)
	outbound := testCall(2)
	outbound.Direction, outbound.Status = stages.DirectionOutbound, stages.StatusNoAnswer
	unknown := testCall(3)
	unknown.Direction, unknown.Status, unknown.To = stages.DirectionUnknown, stages.StatusUnknown, ""
	unknown.Transcript, unknown.Language, unknown.Redactions = nil, "", nil
	batch := []stages.RedactedCall{inbound, outbound, unknown}
	if err := s.Write(context.Background(), batch); err != nil {
		t.Fatalf("Write: %v", err)
	}

	reqs := upsertRequests(f.srv)
	if len(reqs) != 1 {
		t.Fatalf("got %d upsert requests, want 1", len(reqs))
	}
	// Top-level shape of each input: exactly these keys.
	var raw struct {
		Inputs []map[string]json.RawMessage `json:"inputs"`
	}
	if err := json.Unmarshal(reqs[0].Body, &raw); err != nil {
		t.Fatal(err)
	}
	for _, in := range raw.Inputs {
		keys := make([]string, 0, len(in))
		for k := range in {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		if got := strings.Join(keys, ","); got != "id,idProperty,objectWriteTraceId,properties" {
			t.Errorf("input keys = %s", got)
		}
	}
	var body struct{ Inputs []loggedInput }
	if err := json.Unmarshal(reqs[0].Body, &body); err != nil {
		t.Fatal(err)
	}
	allowed := map[string]bool{"hs_timestamp": true, "hs_call_title": true, "hs_call_body": true,
		"hs_call_duration": true, "hs_call_from_number": true, "hs_call_to_number": true,
		"hs_call_direction": true, "hs_call_status": true, keyProp: true}

	tests := []struct {
		name string
		call stages.RedactedCall
		want map[string]string // exact values for these; others checked by allowed set
		keys int
	}{
		{"inbound", inbound, map[string]string{
			keyProp: inbound.Key, "hs_timestamp": "2024-05-06T07:09:09.000Z", "hs_call_duration": "61000",
			"hs_call_from_number": inbound.From, "hs_call_to_number": inbound.To,
			"hs_call_direction": "INBOUND", "hs_call_status": "COMPLETED"}, 9},
		{"outbound", outbound, map[string]string{"hs_call_direction": "OUTBOUND", "hs_call_status": "NO_ANSWER",
			"hs_call_duration": "62000"}, 9},
		{"unknown direction and status are left out", unknown, map[string]string{"hs_call_from_number": unknown.From}, 6},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := body.Inputs[i]
			if in.ID != tt.call.Key || in.IDProperty != keyProp {
				t.Errorf("id/idProperty = %q/%q", in.ID, in.IDProperty)
			}
			for k := range in.Properties {
				if !allowed[k] {
					t.Errorf("property %q is not allowed", k)
				}
			}
			if len(in.Properties) != tt.keys {
				t.Errorf("sent %d properties, want %d: %v", len(in.Properties), tt.keys, in.Properties)
			}
			for k, v := range tt.want {
				if in.Properties[k] != v {
					t.Errorf("%s = %q, want %q", k, in.Properties[k], v)
				}
			}
		})
	}

	b := body.Inputs[0].Properties["hs_call_body"]
	for _, want := range []string{"Language: de", "EMAIL 2, PHONE 1", "<strong>agent</strong> [0:00]: Guten Tag, Anruf 1",
		"<strong>caller</strong> [1:05]: Meine Nummer ist [PHONE]"} {
		if !strings.Contains(b, want) {
			t.Errorf("body lacks %q:\n%s", want, b)
		}
	}
	if !strings.Contains(body.Inputs[2].Properties["hs_call_body"], "No transcript.") {
		t.Errorf("body of a call without transcript: %q", body.Inputs[2].Properties["hs_call_body"])
	}
	assertStoredOnce(t, f.srv, batch)
}

func TestReplayUpdatesInsteadOfDuplicating(t *testing.T) {
	f := newFixture(t, hubspottest.Options{})
	s := f.sink(t)
	batch := testCalls(150) // two upsert requests
	ctx := context.Background()
	if err := s.Write(ctx, batch); err != nil {
		t.Fatalf("first Write: %v", err)
	}
	before := f.srv.Calls()
	if err := s.Write(ctx, batch); err != nil {
		t.Fatalf("replay Write: %v", err)
	}
	assertStoredOnce(t, f.srv, batch)
	st := f.srv.Stats()
	if st.CallsCreated != 150 || st.CallsUpdated != 150 {
		t.Errorf("created %d updated %d, want 150/150", st.CallsCreated, st.CallsUpdated)
	}
	after := f.srv.Calls()
	for i := range before {
		if before[i].ID != after[i].ID {
			t.Fatalf("replay changed ids")
		}
	}
	if n := len(upsertRequests(f.srv)); n != 4 {
		t.Errorf("upsert requests = %d, want 4 (≤100 inputs each)", n)
	}
}

// A provisional copy of a call (sent at its end, before its transcript)
// that reaches HubSpot after the complete one, as it can when it was queued
// before a rebalance, must not clear the transcript: it names no body.
func TestLateProvisionalCopyKeepsTheTranscript(t *testing.T) {
	f := newFixture(t, hubspottest.Options{})
	s := f.sink(t)
	ctx := context.Background()
	complete := testCall(1)
	provisional := complete
	provisional.Language, provisional.Transcript, provisional.Redactions = "", nil, nil
	provisional.Provisional = true
	if err := s.Write(ctx, []stages.RedactedCall{complete}); err != nil {
		t.Fatalf("complete Write: %v", err)
	}
	if err := s.Write(ctx, []stages.RedactedCall{provisional}); err != nil {
		t.Fatalf("provisional Write: %v", err)
	}
	assertStoredOnce(t, f.srv, []stages.RedactedCall{complete})
	body := f.srv.Calls()[0].Properties["hs_call_body"]
	if !strings.Contains(body, "Anruf 1") || strings.Contains(body, "No transcript.") {
		t.Errorf("body after a late provisional copy: %q, want the transcript kept", body)
	}
	reqs := upsertRequests(f.srv)
	var last struct{ Inputs []loggedInput }
	if err := json.Unmarshal(reqs[len(reqs)-1].Body, &last); err != nil {
		t.Fatal(err)
	}
	if _, ok := last.Inputs[0].Properties["hs_call_body"]; ok {
		t.Errorf("provisional upsert names hs_call_body")
	}
}

func TestDuplicateKeysInOneBatchAreSentOnce(t *testing.T) {
	f := newFixture(t, hubspottest.Options{})
	s := f.sink(t)
	first := testCall(7)
	second := testCall(7)
	second.DurationSeconds = 999
	if err := s.Write(context.Background(), []stages.RedactedCall{first, testCall(8), second}); err != nil {
		t.Fatalf("Write: %v", err)
	}
	c, ok := f.srv.CallByProperty(keyProp, first.Key)
	if !ok || c.Properties["hs_call_duration"] != "999000" {
		t.Errorf("stored duration %q, want the last occurrence's 999000", c.Properties["hs_call_duration"])
	}
	if n := len(f.srv.Calls()); n != 2 {
		t.Errorf("stored %d calls, want 2", n)
	}
}

func TestKeyPropertyCheck(t *testing.T) {
	tests := []struct {
		name        string
		existing    *hubspottest.Property
		create      bool
		skip        bool
		wantFatal   bool
		wantUnique  bool
		wantCreates int
	}{
		{name: "exists", existing: &hubspottest.Property{Name: keyProp, Label: "k", GroupName: "callinformation",
			Type: "string", FieldType: "text", HasUniqueValue: true}, create: true, wantUnique: true},
		{name: "missing is created", create: true, wantUnique: true, wantCreates: 1},
		{name: "missing without creation is fatal", create: false, wantFatal: true},
		{name: "exists without unique values is fatal", existing: &hubspottest.Property{Name: keyProp, Label: "k",
			GroupName: "callinformation", Type: "string", FieldType: "text"}, create: true, wantFatal: true},
		{name: "check skipped", skip: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := hubspottest.Start(t, hubspottest.Options{Token: testToken})
			if tt.existing != nil {
				srv.AddProperty(*tt.existing)
			}
			cfg := hubspot.DefaultConfig()
			cfg.URL, cfg.Token = srv.URL, testToken
			cfg.CreateProperty, cfg.SkipPropertyCheck = tt.create, tt.skip
			_, err := hubspot.New(context.Background(), cfg)
			var fe *sinks.FatalError
			if got := errors.As(err, &fe); got != tt.wantFatal {
				t.Fatalf("New err = %v, want fatal %t", err, tt.wantFatal)
			}
			if !tt.wantFatal && err != nil {
				t.Fatalf("New: %v", err)
			}
			if tt.skip && len(srv.Requests()) != 0 {
				t.Errorf("skipped check still sent %d requests", len(srv.Requests()))
			}
			p, ok := srv.Property(keyProp)
			if tt.wantUnique && (!ok || !p.HasUniqueValue || p.Type != "string") {
				t.Errorf("property = %+v, %t", p, ok)
			}
			if n := countPath(srv, "/crm/v3/properties/calls"); n != tt.wantCreates {
				t.Errorf("create requests = %d, want %d", n, tt.wantCreates)
			}
		})
	}
}

func TestTransientFaultsAreSurvivedWithoutLossOrDuplicates(t *testing.T) {
	upsert := "/crm/v3/objects/calls/batch/upsert"
	tests := []struct {
		name   string
		faults []hubspottest.Fault
		tune   func(*hubspot.Config)
	}{
		{name: "429 without Retry-After", faults: []hubspottest.Fault{{Kind: hubspottest.FaultRateLimited, Count: 3}}},
		{name: "429 with Retry-After", faults: []hubspottest.Fault{{Kind: hubspottest.FaultRateLimited, Count: 1, RetryAfter: time.Second}},
			tune: func(c *hubspot.Config) { c.RetryMaxDelay = 2 * time.Second }},
		{name: "5xx burst", faults: []hubspottest.Fault{{Kind: hubspottest.FaultServerError, Count: 2, Status: 502},
			{Kind: hubspottest.FaultServerError, Count: 2, Status: 503}}},
		{name: "5xx after the write landed", faults: []hubspottest.Fault{{Kind: hubspottest.FaultServerError, Count: 2, AfterEffect: true, PathPrefix: upsert}}},
		{name: "connection reset", faults: []hubspottest.Fault{{Kind: hubspottest.FaultReset, Count: 2, PathPrefix: upsert}}},
		{name: "connection reset after the write landed", faults: []hubspottest.Fault{{Kind: hubspottest.FaultReset, Count: 2, AfterEffect: true, PathPrefix: upsert}}},
		{name: "timeout while the slow write still lands", faults: []hubspottest.Fault{{Kind: hubspottest.FaultSlow, Count: 1, Delay: 300 * time.Millisecond, PathPrefix: upsert}},
			tune: func(c *hubspot.Config) { c.Timeout = 100 * time.Millisecond }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, hubspottest.Options{})
			if tt.tune != nil {
				tt.tune(&f.cfg)
			}
			s := f.sink(t)
			for _, fault := range tt.faults {
				f.srv.Inject(fault)
			}
			batch := testCalls(30)
			start := time.Now()
			if err := s.Write(context.Background(), batch); err != nil {
				t.Fatalf("Write: %v", err)
			}
			if tt.name == "429 with Retry-After" && time.Since(start) < 900*time.Millisecond {
				t.Errorf("Retry-After of 1s not honoured: Write took %v", time.Since(start))
			}
			if tt.faults[0].Kind == hubspottest.FaultSlow {
				// Let the handler that outlived the client's timeout finish.
				time.Sleep(350 * time.Millisecond)
			}
			assertStoredOnce(t, f.srv, batch)
			if st := f.srv.Stats(); st.InjectedFaults == 0 {
				t.Errorf("no fault was injected")
			}
		})
	}
}

func TestHubSpotDownReturnsTransientError(t *testing.T) {
	f := newFixture(t, hubspottest.Options{})
	f.cfg.MaxRetries = 3
	s := f.sink(t)
	f.srv.Inject(hubspottest.Fault{Kind: hubspottest.FaultServerError, Count: 1000})
	err := s.Write(context.Background(), testCalls(5))
	var ue *hubspot.UnavailableError
	if !errors.As(err, &ue) {
		t.Fatalf("Write err = %v, want *UnavailableError", err)
	}
	var re *sinks.RejectedError
	var fe *sinks.FatalError
	if errors.As(err, &re) || errors.As(err, &fe) {
		t.Fatalf("a transient outage must not reject or be fatal: %v", err)
	}
	if ue.Attempts != 4 || ue.Status != 503 {
		t.Errorf("attempts %d status %d, want 4/503", ue.Attempts, ue.Status)
	}
	if len(f.srv.Calls()) != 0 {
		t.Errorf("calls stored during the outage")
	}
	// Back up: the pipeline's retry delivers everything.
	f.srv.ClearFaults()
	if err := s.Write(context.Background(), testCalls(5)); err != nil {
		t.Fatalf("Write after recovery: %v", err)
	}
	assertStoredOnce(t, f.srv, testCalls(5))
}

func TestContextCancelStopsRetrying(t *testing.T) {
	f := newFixture(t, hubspottest.Options{})
	f.cfg.RetryBaseDelay, f.cfg.RetryMaxDelay, f.cfg.MaxRetries = time.Second, 5*time.Second, 10
	s := f.sink(t)
	f.srv.Inject(hubspottest.Fault{Kind: hubspottest.FaultServerError, Count: 1000})
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	err := s.Write(ctx, testCalls(1))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Write err = %v, want deadline exceeded", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Write returned after %v", d)
	}
}

func TestRejectsOnlyTheBadRecord(t *testing.T) {
	const poison = "POISON-CANARY-7731"
	for _, mode := range []struct {
		name string
		mode hubspottest.RejectMode
	}{{"whole batch 400, bisected", hubspottest.RejectWholeBatch}, {"207 multi-status", hubspottest.RejectMultiStatus}} {
		t.Run(mode.name, func(t *testing.T) {
			f := newFixture(t, hubspottest.Options{})
			s := f.sink(t)
			f.srv.RejectRecords(mode.mode, func(p map[string]string) bool { return strings.Contains(p["hs_call_body"], poison) })
			batch := testCalls(40)
			bad := []int{13, 31}
			for _, i := range bad {
				batch[i].Transcript[0].Text = "text " + poison
			}
			err := s.Write(context.Background(), batch)
			var re *sinks.RejectedError
			if !errors.As(err, &re) {
				t.Fatalf("Write err = %v, want *RejectedError", err)
			}
			if len(re.Rejections) != len(bad) {
				t.Fatalf("rejections = %+v, want indexes %v", re.Rejections, bad)
			}
			for i, r := range re.Rejections {
				if r.Index != bad[i] || r.Reason != "VALIDATION_ERROR" {
					t.Errorf("rejection %d = %+v, want index %d VALIDATION_ERROR", i, r, bad[i])
				}
			}
			var good []stages.RedactedCall
			for i, c := range batch {
				if i != bad[0] && i != bad[1] {
					good = append(good, c)
				}
			}
			assertStoredOnce(t, f.srv, good)
			if strings.Contains(err.Error(), poison) || strings.Contains(f.logs.String(), poison) {
				t.Errorf("the value HubSpot echoed leaked into the error or logs")
			}
			// Bisecting 40 with two culprits stays far below one request per record.
			if n := len(upsertRequests(f.srv)); n > 24 {
				t.Errorf("%d upsert requests to isolate 2 bad records of 40", n)
			}
		})
	}
}

func TestAuthFailuresAreFatal(t *testing.T) {
	tests := []struct {
		name  string
		fault *hubspottest.Fault
		token string
	}{
		{name: "wrong token 401", token: "pat-wrong"},
		{name: "401 mid-run", fault: &hubspottest.Fault{Kind: hubspottest.FaultUnauthorized}},
		{name: "403 missing scopes", fault: &hubspottest.Fault{Kind: hubspottest.FaultForbidden}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, hubspottest.Options{})
			if tt.token != "" {
				f.cfg.Token = tt.token
			}
			f.cfg.SkipPropertyCheck = true
			s := f.sink(t)
			if tt.fault != nil {
				f.srv.Inject(*tt.fault)
			}
			err := s.Write(context.Background(), testCalls(3))
			var fe *sinks.FatalError
			if !errors.As(err, &fe) {
				t.Fatalf("Write err = %v, want *sinks.FatalError", err)
			}
			if strings.Contains(err.Error(), f.cfg.Token) {
				t.Errorf("token in error")
			}
			if n := len(f.srv.Requests()); n != 1 {
				t.Errorf("%d requests, want 1: auth failures are not retried", n)
			}
		})
	}
}

func TestAssociatesWithTheContactOfTheExternalNumber(t *testing.T) {
	f := newFixture(t, hubspottest.Options{})
	s := f.sink(t)
	inbound := testCall(1) // external = From
	outbound := testCall(2)
	outbound.Direction = stages.DirectionOutbound // external = To
	outbound.To = "+33142000000"
	stranger := testCall(3) // no contact owns its From
	unknownDir := testCall(4)
	unknownDir.Direction = stages.DirectionUnknown

	inContact := f.srv.AddContact(inbound.From, "")
	older := f.srv.AddContact("", outbound.To) // mobilephone match, oldest wins
	f.srv.AddContact(outbound.To, "")
	f.srv.AddContact(unknownDir.From, "")
	staffLine := f.srv.AddContact(inbound.To, "") // our own line: must not be used for inbound

	batch := []stages.RedactedCall{inbound, outbound, stranger, unknownDir}
	if err := s.Write(context.Background(), batch); err != nil {
		t.Fatalf("Write: %v", err)
	}
	idOf := func(c stages.RedactedCall) string {
		got, ok := f.srv.CallByProperty(keyProp, c.Key)
		if !ok {
			t.Fatalf("call %s… not stored", c.Key[:8])
		}
		return got.ID
	}
	want := []hubspottest.Association{
		{CallID: idOf(inbound), ContactID: inContact, Category: "HUBSPOT_DEFINED", TypeID: 194},
		{CallID: idOf(outbound), ContactID: older, Category: "HUBSPOT_DEFINED", TypeID: 194},
	}
	got := f.srv.Associations()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("associations = %+v\nwant %+v", got, want)
	}
	for _, a := range got {
		if a.ContactID == staffLine {
			t.Errorf("associated with the company's own number")
		}
	}
	assertStoredOnce(t, f.srv, batch)

	// A replay is served from the contact cache: no second search.
	searches := countPath(f.srv, "/crm/v3/objects/contacts/search")
	if err := s.Write(context.Background(), batch); err != nil {
		t.Fatalf("replay Write: %v", err)
	}
	if n := countPath(f.srv, "/crm/v3/objects/contacts/search"); n != searches {
		t.Errorf("replay searched again: %d → %d", searches, n)
	}
	if n := len(f.srv.Associations()); n != 2 {
		t.Errorf("replay changed associations to %d", n)
	}
}

func TestAssociationOffSendsNoSearch(t *testing.T) {
	f := newFixture(t, hubspottest.Options{})
	f.cfg.Associate = false
	s := f.sink(t)
	f.srv.AddContact(testCall(1).From, "")
	if err := s.Write(context.Background(), testCalls(3)); err != nil {
		t.Fatal(err)
	}
	if n := countPath(f.srv, "/crm/v3/objects/contacts/search") + countPath(f.srv, "/crm/v4/associations/calls/contacts/batch/create"); n != 0 {
		t.Errorf("%d search/association requests with association off", n)
	}
}

func TestManyNumbersNeedFewSearches(t *testing.T) {
	f := newFixture(t, hubspottest.Options{SearchPerSecond: 4})
	f.cfg.SearchPerSecond = 4
	s := f.sink(t)
	batch := testCalls(100)
	for i := 0; i < 100; i += 3 {
		f.srv.AddContact(batch[i].From, "")
	}
	if err := s.Write(context.Background(), batch); err != nil {
		t.Fatal(err)
	}
	if n := countPath(f.srv, "/crm/v3/objects/contacts/search"); n != 2 {
		t.Errorf("%d contact searches for 100 numbers, want 2", n)
	}
	if n := len(f.srv.Associations()); n != 34 {
		t.Errorf("%d associations, want 34", n)
	}
	if st := f.srv.Stats(); st.SearchRateLimited != 0 {
		t.Errorf("search limit hit %d times", st.SearchRateLimited)
	}
}

func TestCanariesNeverReachHubSpotOrLogs(t *testing.T) {
	f := newFixture(t, hubspottest.Options{})
	s := f.sink(t)
	const sipCanary = "sip:canary-alice-CANARYNAME@example.com"
	c := testCall(5)
	c.From = sipCanary // not E.164: must be dropped, never sent
	c.To = "anonymous-CANARYANON"
	if err := s.Write(context.Background(), []stages.RedactedCall{c}); err != nil {
		t.Fatal(err)
	}
	for _, canary := range []string{"CANARYNAME", "CANARYANON", testToken} {
		if hits := f.srv.RequestsContaining(canary); len(hits) > 0 {
			t.Errorf("%q reached HubSpot in %d request(s)", canary, len(hits))
		}
		if strings.Contains(f.logs.String(), canary) {
			t.Errorf("%q in logs", canary)
		}
	}
	// The numbers that are sent are exactly the E.164 ones given.
	good := testCall(6)
	if err := s.Write(context.Background(), []stages.RedactedCall{good}); err != nil {
		t.Fatal(err)
	}
	if len(f.srv.RequestsContaining(good.From)) == 0 {
		t.Errorf("E.164 number not sent")
	}

	// A key that is not a hex HMAC (a raw provider id) is refused, not sent.
	raw := testCall(9)
	raw.Key = "CA-RAW-PROVIDER-ID-CANARY"
	err := s.Write(context.Background(), []stages.RedactedCall{raw})
	var re *sinks.RejectedError
	if !errors.As(err, &re) || len(re.Rejections) != 1 || re.Rejections[0].Reason != "invalid_call_key" {
		t.Fatalf("Write err = %v, want one invalid_call_key rejection", err)
	}
	if len(f.srv.RequestsContaining("RAW-PROVIDER-ID")) > 0 || strings.Contains(err.Error(), "RAW-PROVIDER") {
		t.Errorf("raw provider id leaked")
	}
}

func TestTokenNeverPrinted(t *testing.T) {
	f := newFixture(t, hubspottest.Options{})
	s := f.sink(t)
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("config", "cfg", f.cfg)
	outputs := []string{
		fmt.Sprint(f.cfg), fmt.Sprintf("%v|%+v|%#v|%s|%q", f.cfg, f.cfg, f.cfg, f.cfg, f.cfg),
		fmt.Sprintf("%v|%+v|%#v", s, s, s), f.cfg.String(), buf.String(),
	}
	for _, out := range outputs {
		if strings.Contains(out, "CANARYTOKEN") {
			t.Errorf("token printed: %s", out)
		}
	}
	if !strings.Contains(buf.String(), "[REDACTED]") {
		t.Errorf("slog output does not show the mask: %s", buf.String())
	}
	for _, r := range f.srv.Requests() {
		if r.Header.Get("Authorization") != "" {
			t.Errorf("request log kept Authorization")
		}
	}
}

func TestForgetSearchAndArchive(t *testing.T) {
	f := newFixture(t, hubspottest.Options{})
	s := f.sink(t)
	batch := testCalls(3)
	batch[2].From = "+447700900123"
	batch[1].To = "+447700900123" // same number as callee of another call
	if err := s.Write(context.Background(), batch); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	ids, err := s.SearchCallsByNumber(ctx, "+447700900123")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{}
	for _, c := range []stages.RedactedCall{batch[1], batch[2]} {
		got, _ := f.srv.CallByProperty(keyProp, c.Key)
		want = append(want, got.ID)
	}
	sort.Strings(want)
	if fmt.Sprint(ids) != fmt.Sprint(want) {
		t.Fatalf("SearchCallsByNumber = %v, want %v", ids, want)
	}
	byKey, err := s.SearchCallsByKey(ctx, batch[0].Key)
	if err != nil || len(byKey) != 1 {
		t.Fatalf("SearchCallsByKey = %v, %v", byKey, err)
	}
	if err := s.ArchiveCalls(ctx, ids); err != nil {
		t.Fatal(err)
	}
	if got := f.srv.ArchivedCallIDs(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("archived %v, want %v", got, want)
	}
	if again, _ := s.SearchCallsByNumber(ctx, "+447700900123"); len(again) != 0 {
		t.Errorf("archived calls still found: %v", again)
	}
	if _, err := s.SearchCallsByNumber(ctx, "0301234567"); !errors.Is(err, hubspot.ErrNotE164) {
		t.Errorf("non-E.164 search err = %v", err)
	}
}

func TestSearchPagesThroughManyCalls(t *testing.T) {
	f := newFixture(t, hubspottest.Options{})
	s := f.sink(t)
	batch := testCalls(230)
	if err := s.Write(context.Background(), batch); err != nil {
		t.Fatal(err)
	}
	ids, err := s.SearchCallsByNumber(context.Background(), batch[0].To) // all share To
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != 230 {
		t.Errorf("found %d calls, want 230", len(ids))
	}
	if n := countPath(f.srv, "/crm/v3/objects/calls/search"); n != 3 {
		t.Errorf("%d search pages, want 3", n)
	}
}

func TestHonoursServerRateLimitHeaders(t *testing.T) {
	// The account's real budget (server) is lower than configured: the sink
	// must slow to it after the first answer and provoke no 429.
	f := newFixture(t, hubspottest.Options{RateLimit: 20, RateWindow: 200 * time.Millisecond})
	f.cfg.RequestsPer10s = 1000
	f.cfg.RateWindow = 200 * time.Millisecond
	f.cfg.Associate = false
	s := f.sink(t)
	for i := 0; i < 60; i++ {
		if err := s.Write(context.Background(), []stages.RedactedCall{testCall(i)}); err != nil {
			t.Fatal(err)
		}
	}
	if st := f.srv.Stats(); st.RateLimited > 2 {
		t.Errorf("server enforced 429 %d times after the sink learnt the limit", st.RateLimited)
	}
	assertStoredOnce(t, f.srv, testCalls(60))
}

func TestUnexpectedStatusIsFatalNotDeadLettered(t *testing.T) {
	f := newFixture(t, hubspottest.Options{})
	f.cfg.SkipPropertyCheck = true
	f.cfg.URL = f.srv.URL + "/wrong-prefix"
	s := f.sink(t)
	err := s.Write(context.Background(), testCalls(10))
	var fe *sinks.FatalError
	var re *sinks.RejectedError
	if !errors.As(err, &fe) || errors.As(err, &re) {
		t.Fatalf("Write err = %v, want *sinks.FatalError", err)
	}
	if n := len(f.srv.Requests()); n != 1 {
		t.Errorf("%d requests, want 1 (no bisecting on 404)", n)
	}
}
