// Package hubspotpace measures how well the HubSpot sink's client-side
// limiter uses an account's rolling request budget: against the hubspottest
// server enforcing N requests per window, the sink must provoke no 429 of
// its own and use at least 95% of the allowed rate while work is waiting.
//
// The window is scaled (1 s instead of HubSpot's 10 s) so the test is fast;
// HUBSPOTPACE_WINDOW=10s runs it against the real window:
//
//	HUBSPOTPACE_WINDOW=10s go test ./bench/hubspotpace -run TestPace -v
package hubspotpace
