package privacy

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/segmentio/kafka-go"
)

// DefaultBrokerWait is how long the commands keep trying to reach Kafka at
// start: long enough for a broker that is still starting (a compose stack
// coming up), short enough that a wrong address is reported promptly.
const DefaultBrokerWait = 30 * time.Second

// ErrBrokersUnreachable is what WaitForBrokers' error wraps when no broker
// answered in time.
var ErrBrokersUnreachable = errors.New("no Kafka broker reachable")

// WaitForBrokers asks the brokers for cluster metadata until one answers,
// retrying with backoff (100 ms doubling to 2 s) for up to wait; wait <= 0
// tries once. It returns nil as soon as the cluster answers, ctx's error
// wrapped when ctx ends first (SIGINT), and otherwise an error that names
// every broker tried, how long, and the last failure. Broker addresses are
// configuration, not personal data.
func WaitForBrokers(ctx context.Context, brokers []string, wait time.Duration) error {
	if len(brokers) == 0 {
		return errors.New("kafka: brokers: at least one broker address is required")
	}
	deadline := time.Now().Add(wait)
	backoff := 100 * time.Millisecond
	tries := 0
	for {
		tries++
		err := probeBrokers(ctx, brokers, min(10*time.Second, max(time.Until(deadline), time.Second)))
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return fmt.Errorf("kafka: stopped while waiting for brokers %s: %w", strings.Join(brokers, ", "), ctx.Err())
		}
		left := time.Until(deadline)
		if left <= 0 {
			return fmt.Errorf("kafka: %w at %s after %d attempt(s) over %s (last error: %v); check --brokers (CALLVEIL_BROKERS) or raise --broker-wait",
				ErrBrokersUnreachable, strings.Join(brokers, ", "), tries, wait.Round(time.Millisecond), err)
		}
		t := time.NewTimer(min(backoff, left))
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("kafka: stopped while waiting for brokers %s: %w", strings.Join(brokers, ", "), ctx.Err())
		case <-t.C:
		}
		backoff = min(2*backoff, 2*time.Second)
	}
}

// probeBrokers asks for metadata once: any broker answering with at least
// one broker in the cluster is enough.
func probeBrokers(ctx context.Context, brokers []string, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	client := &kafka.Client{Addr: kafka.TCP(brokers...), Timeout: timeout}
	meta, err := client.Metadata(ctx, &kafka.MetadataRequest{Topics: []string{}})
	if err != nil {
		return err
	}
	if len(meta.Brokers) == 0 {
		return errors.New("the cluster reported no brokers")
	}
	return nil
}
