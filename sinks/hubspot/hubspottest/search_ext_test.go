package hubspottest

import "testing"

func TestRangeOperators(t *testing.T) {
	const ts = "2025-03-03T08:00:00.000Z" // 1740988800000 ms
	for _, tc := range []struct {
		op, value string
		stored    string
		present   bool
		want      bool
	}{
		{"LT", "1740988800001", ts, true, true},
		{"LT", "1740988800000", ts, true, false},
		{"LTE", "1740988800000", ts, true, true},
		{"GT", "1740988799999", ts, true, true},
		{"GTE", "2025-03-03T08:00:00Z", ts, true, true},
		{"GT", "2025-03-03T08:00:00Z", ts, true, false},
		{"LT", "120000", "60000", true, true}, // numbers (hs_call_duration)
		{"LT", "1740988800001", "", false, false},
		{"LT", "1740988800001", "not a time", true, false},
		{"BETWEEN", "0", ts, true, false},
	} {
		f := filter{PropertyName: "p", Operator: tc.op, Value: tc.value}
		props := map[string]string{}
		if tc.present {
			props["p"] = tc.stored
		}
		if got := f.match(props); got != tc.want {
			t.Errorf("%s %s against %q = %v, want %v", tc.op, tc.value, tc.stored, got, tc.want)
		}
	}
	req := &searchRequest{}
	req.FilterGroups = append(req.FilterGroups, struct {
		Filters []filter `json:"filters"`
	}{Filters: []filter{{PropertyName: "p", Operator: "LT", Value: "1"}}})
	if msg := req.valid(); msg != "" {
		t.Errorf("LT refused: %s", msg)
	}
	req.FilterGroups[0].Filters[0].Operator = "CONTAINS_TOKEN"
	if req.valid() == "" {
		t.Error("an unsupported operator was accepted")
	}
}
