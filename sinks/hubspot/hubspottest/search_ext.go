package hubspottest

import (
	"strconv"
	"time"
)

// rangeOperators are the search filter operators that compare order, as
// HubSpot's search API has them: callveil's retention finds old calls with
// hs_timestamp LT <cutoff>. (BETWEEN, which needs highValue, is not
// supported.)
var rangeOperators = map[string]bool{"LT": true, "LTE": true, "GT": true, "GTE": true}

// matchRange applies a range operator. Values compare as HubSpot compares
// datetime and number properties: a filter value in epoch milliseconds (or
// ISO 8601) against the stored value (callveil stores hs_timestamp as ISO
// 8601; numbers as decimal text). A property that is missing or not
// comparable never matches.
func matchRange(f filter, stored string, ok bool) bool {
	if !ok || !rangeOperators[f.Operator] {
		return false
	}
	have, ok1 := comparable(stored)
	want, ok2 := comparable(f.Value)
	if !ok1 || !ok2 {
		return false
	}
	switch f.Operator {
	case "LT":
		return have < want
	case "LTE":
		return have <= want
	case "GT":
		return have > want
	case "GTE":
		return have >= want
	}
	return false
}

// comparable reads a decimal number (epoch milliseconds for datetimes) or
// an ISO 8601 time, the latter as epoch milliseconds.
func comparable(s string) (int64, bool) {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n, true
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UnixMilli(), true
	}
	return 0, false
}
