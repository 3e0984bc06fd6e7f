package hubspot

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"time"
)

// Ping reports whether HubSpot is reachable with the configured token: one
// GET of the key property's definition (a cheap read that needs only the
// scope the sink needs anyway), without retries, through the sink's shared
// rate limiter so that readiness probes never push the sink over its
// budget. A 404 (the property not created yet) still proves HubSpot answers
// and accepts the token; 401/403 and 5xx, 429 or no answer do not.
// Readiness probes call it; cache its result rather than call it often.
func (s *HubSpotSink) Ping(ctx context.Context) error {
	const op = "ping"
	if err := s.client.wait(ctx, false); err != nil {
		return fmt.Errorf("hubspot: %s: %w", op, err)
	}
	status, hdr, _, cause := s.client.once(ctx, http.MethodGet, pathProps+"/"+url.PathEscape(s.cfg.KeyProperty), nil)
	if cause != "" {
		return &UnavailableError{Op: op, Attempts: 1, Cause: cause}
	}
	switch {
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return &RequestError{Op: op, Status: status, Category: "auth"}
	case status == http.StatusTooManyRequests || status >= 500:
		if d, ok := retryAfter(hdr); ok && status == http.StatusTooManyRequests {
			s.client.pauseUntil(time.Now().Add(d))
		}
		return &UnavailableError{Op: op, Status: status, Attempts: 1, Cause: "HubSpot did not serve the request"}
	case status == http.StatusOK || status == http.StatusNotFound:
		s.client.observe(hdr)
		return nil
	default:
		return &RequestError{Op: op, Status: status, Category: "unexpected"}
	}
}
