package hubspot

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/callveil/callveil/sinks"
)

const (
	sinkName = "hubspot"
	// maxResponseBytes caps what is read of one answer.
	maxResponseBytes = 8 << 20
	// headroom is the share of the rolling-window budget left unused so
	// that arrival jitter between client and server never tips a window
	// over the limit: the bucket refills 0.98·N−1 per window on top of a
	// burst of one, so at most 0.98·N requests (98 of 100) fall in any
	// window and two slots (200 ms at HubSpot's pace) absorb jitter.
	headroom = 0.02
)

// UnavailableError says HubSpot could not be reached or kept refusing
// (429, 5xx, network errors, timeouts) after the allowed retries. It is
// transient: the pipeline keeps offsets uncommitted and tries again later.
// It carries no value from a request or an answer.
type UnavailableError struct {
	Op       string // fixed operation name, e.g. "upsert calls"
	Status   int    // last HTTP status, 0 for network errors
	Attempts int
	Cause    string // fixed text
}

func (e *UnavailableError) Error() string {
	return fmt.Sprintf("hubspot: %s: unavailable after %d attempt(s): %s", e.Op, e.Attempts, e.Cause)
}

// apiError is HubSpot's error body; every field is optional.
type apiError struct {
	Status      string          `json:"status"`
	Message     string          `json:"message"`
	Category    string          `json:"category"`
	ErrorType   string          `json:"errorType"`
	PolicyName  string          `json:"policyName"`
	Context     json.RawMessage `json:"context"`
	Errors      []apiErrorEntry `json:"errors"`
	SubCategory json.RawMessage `json:"subCategory"`
}

type apiErrorEntry struct {
	Message  string          `json:"message"`
	In       string          `json:"in"`
	Code     string          `json:"code"`
	Category string          `json:"category"`
	Context  json.RawMessage `json:"context"`
}

// response is a finished HTTP exchange with a status other than those the
// client handles itself (401, 403, 429, 5xx).
type response struct {
	status int
	body   []byte
}

// client sends requests to HubSpot through one shared limiter, retrying
// what is worth retrying.
type client struct {
	cfg    Config
	http   *http.Client
	lim    *rate.Limiter
	search *rate.Limiter
	sends  *sendWindow

	mu        sync.Mutex
	notBefore time.Time // set by Retry-After and an exhausted budget; holds every request
}

func newClient(cfg Config) *client {
	hc := cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{}
	}
	return &client{
		cfg:    cfg,
		http:   hc,
		lim:    rate.NewLimiter(paceFor(cfg.RequestsPer10s, cfg.RateWindow), 1),
		search: rate.NewLimiter(rate.Limit(float64(cfg.SearchPerSecond)*(1-headroom)), 1),
		sends:  &sendWindow{max: capFor(cfg.RequestsPer10s), window: cfg.RateWindow},
	}
}

// capFor is the most requests sent in any rolling window: the bucket's own
// maximum, so the guard only binds when sends bunch up.
func capFor(n int) int { return int(float64(n) * (1 - headroom)) }

// sendWindow caps the requests sent in any rolling window. HubSpot counts
// arrivals over a rolling window, while a token bucket bounds reservations:
// a request whose goroutine wakes late (a loaded machine) or that waited in
// a retry can arrive bunched with later ones and tip a window over the
// limit. The bucket paces; this log of send times enforces the window.
type sendWindow struct {
	mu     sync.Mutex
	max    int
	window time.Duration
	sends  []time.Time // oldest first
}

// acquire waits until a send fits in the window and records it.
func (w *sendWindow) acquire(ctx context.Context) error {
	for {
		w.mu.Lock()
		now := time.Now()
		i := 0
		for i < len(w.sends) && now.Sub(w.sends[i]) >= w.window {
			i++
		}
		w.sends = append(w.sends[:0], w.sends[i:]...)
		if len(w.sends) < w.max {
			w.sends = append(w.sends, now)
			w.mu.Unlock()
			return nil
		}
		d := w.window - now.Sub(w.sends[0])
		w.mu.Unlock()
		if err := sleep(ctx, d); err != nil {
			return err
		}
	}
}

// lower shrinks the window's cap to a smaller server budget.
func (w *sendWindow) lower(limit int, window time.Duration) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if c := capFor(limit); float64(c)/window.Seconds() < float64(w.max)/w.window.Seconds() {
		w.max, w.window = c, window
	}
}

// paceFor turns "n requests in any rolling window" into a token-bucket
// rate that cannot exceed it: burst 1 plus rate·window stays below n.
func paceFor(n int, window time.Duration) rate.Limit {
	// Config requires n >= 10, so this stays well above zero.
	perWindow := float64(n)*(1-headroom) - 1
	return rate.Limit(perWindow / window.Seconds())
}

// wait blocks until this request may go: after any shared pause, then the
// search budget (for searches), then the shared budget, then the window.
func (c *client) wait(ctx context.Context, search bool) error {
	c.mu.Lock()
	d := time.Until(c.notBefore)
	c.mu.Unlock()
	if d > 0 {
		if err := sleep(ctx, d); err != nil {
			return err
		}
	}
	if search {
		if err := c.search.Wait(ctx); err != nil {
			return ctxErr(ctx)
		}
	}
	if err := c.lim.Wait(ctx); err != nil {
		return ctxErr(ctx)
	}
	return c.sends.acquire(ctx)
}

// ctxErr maps a limiter error to the context's own error: rate.Limiter
// also fails when the deadline comes before the token would.
func ctxErr(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return context.DeadlineExceeded
}

func (c *client) pauseUntil(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t.After(c.notBefore) {
		c.notBefore = t
	}
}

// observe reads X-HubSpot-RateLimit-*: an exhausted budget (other apps of
// the account share it) pauses everything for one slot, and a server limit
// below the configured one lowers the pace. It never raises it.
func (c *client) observe(h http.Header) {
	limit, errMax := strconv.Atoi(h.Get("X-HubSpot-RateLimit-Max"))
	ms, errMs := strconv.Atoi(h.Get("X-HubSpot-RateLimit-Interval-Milliseconds"))
	if errMax != nil || errMs != nil || limit < 10 || ms <= 0 {
		return
	}
	interval := time.Duration(ms) * time.Millisecond
	if server := paceFor(limit, interval); server < c.lim.Limit() {
		c.lim.SetLimit(server)
		c.sends.lower(limit, interval)
	}
	if rem, err := strconv.Atoi(h.Get("X-HubSpot-RateLimit-Remaining")); err == nil && rem <= 0 {
		c.pauseUntil(time.Now().Add(interval / time.Duration(limit)))
	}
}

// retryAfter parses Retry-After (seconds or an HTTP date).
func retryAfter(h http.Header) (time.Duration, bool) {
	v := h.Get("Retry-After")
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.Atoi(v); err == nil && secs >= 0 {
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(time.Until(t), 0), true
	}
	return 0, false
}

// backoff is exponential with equal jitter: half fixed, half random, so
// retries of many clients spread out but never collapse to zero.
func (c *client) backoff(attempt int) time.Duration {
	d := c.cfg.RetryBaseDelay << min(attempt, 20)
	if d > c.cfg.RetryMaxDelay || d <= 0 {
		d = c.cfg.RetryMaxDelay
	}
	half := d / 2
	if half <= 0 {
		return d
	}
	return half + rand.N(half+1)
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// do sends one logical request. op is a fixed name for errors. It returns
// a *response for 2xx and for 4xx other than 401/403/429; a
// *sinks.FatalError for 401/403; an *UnavailableError once retries of
// 429/5xx/network errors/timeouts are used up; or the context's error.
func (c *client) do(ctx context.Context, op, method, path string, body any, search bool) (*response, error) {
	var payload []byte
	if body != nil {
		var err error
		if payload, err = json.Marshal(body); err != nil {
			return nil, fmt.Errorf("hubspot: %s: encoding request failed", op)
		}
	}
	for attempt := 0; ; attempt++ {
		if err := c.wait(ctx, search); err != nil {
			return nil, fmt.Errorf("hubspot: %s: %w", op, err)
		}
		status, hdr, respBody, cause := c.once(ctx, method, path, payload)
		if cause != "" && ctx.Err() != nil {
			return nil, fmt.Errorf("hubspot: %s: %w", op, ctx.Err())
		}
		var pause time.Duration
		switch {
		case cause != "":
			// network error or timeout: retry
		case status == http.StatusUnauthorized:
			return nil, &sinks.FatalError{Sink: sinkName,
				Msg: "HubSpot refused the token (401 Unauthorized): check HUBSPOT_TOKEN or --hubspot-token-file and that the private app is installed"}
		case status == http.StatusForbidden:
			return nil, &sinks.FatalError{Sink: sinkName,
				Msg: "the HubSpot private app lacks a required scope (403 Forbidden): see sinks/hubspot/README.md for the scopes"}
		case status == http.StatusTooManyRequests:
			cause = "rate limited (429)"
			if d, ok := retryAfter(hdr); ok {
				pause = d
				c.pauseUntil(time.Now().Add(d))
			}
		case status >= 500:
			cause = fmt.Sprintf("server error (%d)", status)
		default:
			c.observe(hdr)
			return &response{status: status, body: respBody}, nil
		}
		if attempt >= c.cfg.MaxRetries {
			return nil, &UnavailableError{Op: op, Status: status, Attempts: attempt + 1, Cause: cause}
		}
		d := c.backoff(attempt)
		if pause > 0 {
			// Honour Retry-After; when it is longer than any backoff we would
			// choose, hand the wait back to the pipeline rather than block
			// one Write for it. The shared pause still holds later requests.
			if pause > c.cfg.RetryMaxDelay {
				return nil, &UnavailableError{Op: op, Status: status, Attempts: attempt + 1, Cause: cause}
			}
			d = pause
		}
		c.cfg.Logger.LogAttrs(ctx, slog.LevelWarn, "hubspot request retried",
			slog.String("op", op), slog.Int("status", status), slog.String("cause", cause), slog.Int("attempt", attempt+1))
		if err := sleep(ctx, d); err != nil {
			return nil, fmt.Errorf("hubspot: %s: %w", op, err)
		}
	}
}

// once performs a single HTTP attempt. cause is "" on a completed exchange,
// else a fixed description; the underlying error is dropped because
// net/http errors quote the URL.
func (c *client) once(ctx context.Context, method, path string, payload []byte) (int, http.Header, []byte, string) {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	var rd io.Reader
	if payload != nil {
		rd = bytes.NewReader(payload)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.cfg.URL+path, rd)
	if err != nil {
		return 0, nil, nil, "building request failed"
	}
	req.Header.Set("Authorization", "Bearer "+c.cfg.Token)
	req.Header.Set("Accept", "application/json")
	if payload != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, nil, nil, describeNetErr(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes))
	if err != nil {
		return 0, nil, nil, describeNetErr(err)
	}
	return resp.StatusCode, resp.Header, body, ""
}

func describeNetErr(err error) string {
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()) {
		return "timeout"
	}
	return "connection error"
}
