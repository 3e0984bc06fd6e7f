package hubspot

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/callveil/callveil/stages"
)

func TestContactCacheIsBoundedInTimeAndSize(t *testing.T) {
	now := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	c := newContactCache(time.Minute, 3, func() time.Time { return now })
	for _, n := range []string{"+1", "+2", "+3"} {
		c.put(n, "id"+n)
	}
	if _, ok := c.get("+1"); !ok { // +1 is now most recently used
		t.Fatal("+1 missing")
	}
	c.put("+4", "") // negative answers are cached too; evicts +2, the least recently used
	if _, ok := c.get("+2"); ok {
		t.Error("+2 survived beyond the size bound")
	}
	if id, ok := c.get("+4"); !ok || id != "" {
		t.Errorf("+4 = %q, %t", id, ok)
	}
	if c.len() != 3 {
		t.Errorf("len = %d, want 3", c.len())
	}
	now = now.Add(time.Minute)
	for _, n := range []string{"+1", "+3", "+4"} {
		if _, ok := c.get(n); ok {
			t.Errorf("%s survived its TTL", n)
		}
	}
	if c.len() != 0 {
		t.Errorf("expired entries kept: %d", c.len())
	}
}

func TestCallBodyEscapesAndTruncates(t *testing.T) {
	c := stages.RedactedCall{
		Language:   "en",
		Redactions: map[string]int{"NAME<x>": 1},
		Transcript: []stages.Segment{{Speaker: "<b>agent</b>", Start: 125, Text: `<script>alert("x")</script> & co`}},
	}
	b := callBody(&c)
	if strings.Contains(b, "<script>") || strings.Contains(b, "<b>agent") || strings.Contains(b, "NAME<x>") {
		t.Errorf("markup not escaped: %s", b)
	}
	if !strings.Contains(b, "[2:05]: &lt;script&gt;") || !strings.Contains(b, "&amp; co") {
		t.Errorf("escaped text missing: %s", b)
	}

	long := strings.Repeat("word ", 200) // ~1 KB a segment
	c.Transcript = nil
	for i := 0; i < 200; i++ {
		c.Transcript = append(c.Transcript, stages.Segment{Speaker: "s", Start: float64(i), Text: long})
	}
	b = callBody(&c)
	if len(b) > maxBodyBytes {
		t.Errorf("body %d bytes, limit %d", len(b), maxBodyBytes)
	}
	if !strings.Contains(b, "more segment(s)]") {
		t.Errorf("no truncation note")
	}
}

func TestPaceNeverExceedsTheWindow(t *testing.T) {
	for _, n := range []int{10, 11, 100, 190, 250} {
		lim := paceFor(n, 10*time.Second)
		// Burst 1 plus a window's refill must stay within n.
		if got := 1 + float64(lim)*10; got > float64(n) {
			t.Errorf("n=%d: up to %.2f requests per window", n, got)
		}
		if n >= 100 && float64(lim)*10 < 0.95*float64(n) {
			t.Errorf("n=%d: pace %.2f/window wastes the budget", n, float64(lim)*10)
		}
	}
}

func TestSendWindowCapsAnyRollingWindow(t *testing.T) {
	w := &sendWindow{max: 5, window: 150 * time.Millisecond}
	ctx := context.Background()
	start := time.Now()
	for i := 0; i < 5; i++ {
		if err := w.acquire(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if d := time.Since(start); d > 50*time.Millisecond {
		t.Fatalf("first 5 sends took %v", d)
	}
	if err := w.acquire(ctx); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < 150*time.Millisecond {
		t.Errorf("6th send after %v, inside the window of the first", d)
	}
	short, cancel := context.WithTimeout(ctx, 10*time.Millisecond)
	defer cancel()
	for i := 0; i < 4; i++ {
		_ = w.acquire(ctx)
	}
	if err := w.acquire(short); err == nil {
		t.Errorf("acquire on a full window ignored the context")
	}
}
