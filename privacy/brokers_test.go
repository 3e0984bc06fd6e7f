package privacy_test

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/callveil/callveil/privacy"
)

// deadAddr is a local address where nothing listens.
func deadAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

func TestWaitForBrokersRetriesThenNamesTheBrokers(t *testing.T) {
	dead := deadAddr(t)
	const wait = 600 * time.Millisecond
	start := time.Now()
	err := privacy.WaitForBrokers(context.Background(), []string{dead, "127.0.0.1:1"}, wait)
	took := time.Since(start)
	if !errors.Is(err, privacy.ErrBrokersUnreachable) {
		t.Fatalf("got %v", err)
	}
	if took < wait {
		t.Errorf("gave up after %s, before the %s wait", took, wait)
	}
	if took > wait+5*time.Second {
		t.Errorf("kept trying for %s, long past the %s wait", took, wait)
	}
	for _, want := range []string{dead, "127.0.0.1:1", "attempt(s)"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %q", err, want)
		}
	}
	if strings.Contains(err.Error(), " 1 attempt(s)") {
		t.Errorf("no retry: %v", err)
	}
}

func TestWaitForBrokersStopsWithTheContext(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	err := privacy.WaitForBrokers(ctx, []string{deadAddr(t)}, time.Minute)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v", err)
	}
	if time.Since(start) > 5*time.Second {
		t.Errorf("took %s to notice the context ended", time.Since(start))
	}
}

func TestWaitForBrokersReturnsOnceABrokerAnswers(t *testing.T) {
	brokers := startBroker(t, 1).Addrs()
	if err := privacy.WaitForBrokers(context.Background(), brokers, 0); err != nil {
		t.Fatal(err)
	}
}
