package hubspottest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

func post(t *testing.T, s *Server, token, path string, body any) (int, http.Header, map[string]any) {
	t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(http.MethodPost, s.URL+path, bytes.NewReader(b))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := s.Client().Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out map[string]any
	_ = json.Unmarshal(raw, &out)
	return resp.StatusCode, resp.Header, out
}

func upsertBody(keys ...string) map[string]any {
	var inputs []map[string]any
	for i, k := range keys {
		inputs = append(inputs, map[string]any{"id": k, "idProperty": "k", "objectWriteTraceId": string(rune('a' + i)),
			"properties": map[string]string{"hs_timestamp": "2024-01-01T00:00:00.000Z", "hs_call_body": "body " + k}})
	}
	return map[string]any{"inputs": inputs}
}

func TestUpsertCreatesThenUpdates(t *testing.T) {
	s := Start(t, Options{Token: "tok", KeyProperty: "k"})
	status, _, body := post(t, s, "tok", "/crm/v3/objects/calls/batch/upsert", upsertBody("a1", "b2"))
	if status != http.StatusOK {
		t.Fatalf("status %d: %v", status, body)
	}
	for _, r := range body["results"].([]any) {
		if r.(map[string]any)["new"] != true {
			t.Errorf("first upsert result not new: %v", r)
		}
	}
	_, _, body = post(t, s, "tok", "/crm/v3/objects/calls/batch/upsert", upsertBody("a1"))
	if r := body["results"].([]any)[0].(map[string]any); r["new"] != false {
		t.Errorf("second upsert result new: %v", r)
	}
	if n := len(s.Calls()); n != 2 {
		t.Errorf("%d calls stored, want 2", n)
	}
	if status, _, _ := post(t, s, "tok", "/crm/v3/objects/calls/batch/upsert", upsertBody("x", "x")); status != http.StatusBadRequest {
		t.Errorf("duplicate ids in one batch: status %d, want 400", status)
	}
}

func TestValidation(t *testing.T) {
	s := Start(t, Options{KeyProperty: "k"})
	tests := []struct {
		name  string
		props map[string]string
		code  string
	}{
		{"unknown property", map[string]string{"hs_timestamp": "2024-01-01T00:00:00Z", "nope": "1"}, "PROPERTY_DOESNT_EXIST"},
		{"bad direction", map[string]string{"hs_timestamp": "2024-01-01T00:00:00Z", "hs_call_direction": "SIDEWAYS"}, "INVALID_OPTION"},
		{"bad duration", map[string]string{"hs_timestamp": "2024-01-01T00:00:00Z", "hs_call_duration": "1.5"}, "INVALID_INTEGER"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, _, body := post(t, s, "x", "/crm/v3/objects/calls/batch/upsert",
				map[string]any{"inputs": []any{map[string]any{"id": "z", "idProperty": "k", "properties": tt.props}}})
			if status != http.StatusBadRequest || body["category"] != "VALIDATION_ERROR" {
				t.Fatalf("status %d body %v", status, body)
			}
			if code := body["errors"].([]any)[0].(map[string]any)["code"]; code != tt.code {
				t.Errorf("code %v, want %s", code, tt.code)
			}
		})
	}
}

func TestAuthAndRequestLog(t *testing.T) {
	s := Start(t, Options{Token: "secret-tok", KeyProperty: "k"})
	if status, _, body := post(t, s, "wrong", "/crm/v3/objects/calls/search", map[string]any{}); status != http.StatusUnauthorized || body["category"] != "INVALID_AUTHENTICATION" {
		t.Errorf("wrong token: %d %v", status, body)
	}
	if status, _, _ := post(t, s, "", "/crm/v3/objects/calls/search", map[string]any{}); status != http.StatusUnauthorized {
		t.Errorf("no token: %d", status)
	}
	post(t, s, "secret-tok", "/crm/v3/objects/calls/batch/upsert", upsertBody("needle-77"))
	if len(s.RequestsContaining("secret-tok")) != 0 {
		t.Errorf("token kept in the request log")
	}
	hits := s.RequestsContaining("needle-77")
	if len(hits) != 1 || hits[0].Status != http.StatusOK || hits[0].Method != http.MethodPost {
		t.Errorf("canary search: %+v", hits)
	}
}

func TestRollingWindowRateLimit(t *testing.T) {
	s := Start(t, Options{RateLimit: 5, RateWindow: 300 * time.Millisecond})
	var statuses []int
	var remaining []string
	for i := 0; i < 7; i++ {
		status, h, body := post(t, s, "t", "/crm/v3/objects/calls/batch/archive", map[string]any{"inputs": []any{map[string]string{"id": "1"}}})
		statuses = append(statuses, status)
		remaining = append(remaining, h.Get("X-HubSpot-RateLimit-Remaining"))
		if status == http.StatusTooManyRequests && body["policyName"] != "TEN_SECONDLY_ROLLING" {
			t.Errorf("429 body %v", body)
		}
	}
	want := []int{204, 204, 204, 204, 204, 429, 429}
	for i := range want {
		if statuses[i] != want[i] {
			t.Fatalf("statuses %v, want %v", statuses, want)
		}
	}
	if strings.Join(remaining[:5], ",") != "4,3,2,1,0" {
		t.Errorf("remaining headers %v", remaining)
	}
	if s.Stats().RateLimited != 2 {
		t.Errorf("RateLimited = %d", s.Stats().RateLimited)
	}
	time.Sleep(320 * time.Millisecond)
	if status, _, _ := post(t, s, "t", "/crm/v3/objects/calls/batch/archive", map[string]any{"inputs": []any{map[string]string{"id": "1"}}}); status != http.StatusNoContent {
		t.Errorf("after the window: %d", status)
	}
}

func TestFaultsApplyInOrderAndByPath(t *testing.T) {
	s := Start(t, Options{KeyProperty: "k"})
	s.Inject(Fault{Kind: FaultRateLimited, Count: 1, RetryAfter: 1500 * time.Millisecond})
	s.Inject(Fault{Kind: FaultServerError, Count: 2, Status: 502, PathPrefix: "/crm/v3/objects/calls/batch/upsert"})
	status, h, _ := post(t, s, "t", "/crm/v3/objects/calls/search", map[string]any{})
	if status != 429 || h.Get("Retry-After") != "2" {
		t.Errorf("first: %d Retry-After %q", status, h.Get("Retry-After"))
	}
	if status, _, _ := post(t, s, "t", "/crm/v3/objects/calls/search", map[string]any{}); status != 200 {
		t.Errorf("search not matching the 5xx prefix: %d", status)
	}
	for i := 0; i < 2; i++ {
		if status, _, _ := post(t, s, "t", "/crm/v3/objects/calls/batch/upsert", upsertBody("a")); status != 502 {
			t.Errorf("upsert %d: %d", i, status)
		}
	}
	if status, _, _ := post(t, s, "t", "/crm/v3/objects/calls/batch/upsert", upsertBody("a")); status != 200 {
		t.Errorf("after faults: %d", status)
	}
	if len(s.Calls()) != 1 {
		t.Errorf("a failed-before-effect upsert was applied")
	}
}

func TestSearchArchiveAndAssociations(t *testing.T) {
	s := Start(t, Options{KeyProperty: "k"})
	contact := s.AddContact("+4930111", "+49170222")
	post(t, s, "t", "/crm/v3/objects/calls/batch/upsert", upsertBody("a", "b"))
	call, _ := s.CallByProperty("k", "a")

	_, _, body := post(t, s, "t", "/crm/v3/objects/contacts/search", map[string]any{
		"filterGroups": []any{
			map[string]any{"filters": []any{map[string]any{"propertyName": "phone", "operator": "IN", "values": []string{"+49170222"}}}},
			map[string]any{"filters": []any{map[string]any{"propertyName": "mobilephone", "operator": "IN", "values": []string{"+49170222"}}}},
		}, "properties": []string{"mobilephone"}})
	res := body["results"].([]any)
	if len(res) != 1 || res[0].(map[string]any)["id"] != contact {
		t.Fatalf("contact search: %v", body)
	}

	status, _, _ := post(t, s, "t", "/crm/v4/associations/calls/contacts/batch/create", map[string]any{"inputs": []any{
		map[string]any{"from": map[string]string{"id": call.ID}, "to": map[string]string{"id": contact},
			"types": []any{map[string]any{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 194}}},
		map[string]any{"from": map[string]string{"id": call.ID}, "to": map[string]string{"id": "999999"},
			"types": []any{map[string]any{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 194}}},
	}})
	if status != http.StatusMultiStatus || len(s.Associations()) != 1 {
		t.Errorf("associate: %d %v", status, s.Associations())
	}

	_, _, body = post(t, s, "t", "/crm/v3/objects/calls/search", map[string]any{"filterGroups": []any{
		map[string]any{"filters": []any{map[string]any{"propertyName": "k", "operator": "EQ", "value": "a"}}}}})
	if body["total"].(float64) != 1 {
		t.Errorf("call search: %v", body)
	}
	req, _ := http.NewRequest(http.MethodDelete, s.URL+"/crm/v3/objects/calls/"+call.ID, nil)
	req.Header.Set("Authorization", "Bearer t")
	resp, err := s.Client().Do(req)
	if err != nil || resp.StatusCode != http.StatusNoContent {
		t.Fatalf("DELETE: %v %v", resp, err)
	}
	resp.Body.Close()
	if len(s.Calls()) != 1 || len(s.ArchivedCallIDs()) != 1 || len(s.Associations()) != 0 {
		t.Errorf("after delete: calls %d archived %v assocs %v", len(s.Calls()), s.ArchivedCallIDs(), s.Associations())
	}
	// The archived key is free again: a new upsert creates a new call.
	_, _, body = post(t, s, "t", "/crm/v3/objects/calls/batch/upsert", upsertBody("a"))
	if body["results"].([]any)[0].(map[string]any)["new"] != true {
		t.Errorf("upsert after archive: %v", body)
	}
}
