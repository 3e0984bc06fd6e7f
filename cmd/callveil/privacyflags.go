package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/callveil/callveil/privacy"
)

// PrivacyFlags are the privacy settings of the streaming commands (`run`,
// `reprocess`): embed them with `embed:""`. Brokers, the key secret and the
// default region are the command's own.
type PrivacyFlags struct {
	PrivacyTopic     string `name:"privacy-topic" env:"CALLVEIL_PRIVACY_TOPIC" default:"calls.privacy" help:"Compacted topic of objections and deletion tombstones (keyed hashes, never numbers); created when missing."`
	DeadLetterMaxAge string `name:"deadletter-max-age" env:"CALLVEIL_DEADLETTER_MAX_AGE" default:"14d" help:"Longest retention allowed on the dead-letter topic: set when the topic is created, checked at start otherwise."`
	BrokerWaitFlag   `embed:""`
}

// BrokerWaitFlag is how long a command retries unreachable brokers at start.
type BrokerWaitFlag struct {
	BrokerWait time.Duration `name:"broker-wait" env:"CALLVEIL_BROKER_WAIT" default:"30s" help:"At start, keep retrying unreachable Kafka brokers (with backoff) this long before giving up; Ctrl-C stops it. 0: try once."`
}

// waitForBrokers returns once a broker answers, or fails naming the brokers
// tried.
func (f *BrokerWaitFlag) waitForBrokers(ctx context.Context, brokers []string) error {
	return privacy.WaitForBrokers(ctx, brokers, f.BrokerWait)
}

// OpenPolicy opens the objection/tombstone policy for the pipeline
// (pipeline.Config.Policy); it returns once the list is read to its end.
// The caller closes it after the pipeline stopped.
func (f *PrivacyFlags) OpenPolicy(ctx context.Context, brokers []string, secret []byte, logger *slog.Logger) (*privacy.Policy, error) {
	if err := f.waitForBrokers(ctx, brokers); err != nil {
		return nil, err
	}
	p, err := privacy.OpenPolicy(ctx, privacy.Config{Brokers: brokers, Topic: f.PrivacyTopic, KeySecret: secret, Logger: logger})
	if err != nil {
		return nil, fmt.Errorf("%w (brokers %s)", err, strings.Join(brokers, ", "))
	}
	return p, nil
}

// EnsureDeadLetterRetention creates the dead-letter topic with a bounded
// retention, or checks an existing one; an unbounded or longer retention is
// an error naming the topic.
func (f *PrivacyFlags) EnsureDeadLetterRetention(ctx context.Context, brokers []string, topic string) error {
	maxAge, err := privacy.ParseAge(f.DeadLetterMaxAge)
	if err != nil {
		return fmt.Errorf("deadletter-max-age: %w", err)
	}
	if err := f.waitForBrokers(ctx, brokers); err != nil {
		return err
	}
	if _, err = privacy.EnsureTopicRetention(ctx, brokers, topic, maxAge); err != nil {
		return fmt.Errorf("%w (brokers %s)", err, strings.Join(brokers, ", "))
	}
	return nil
}

// privacyAccessFlags are what the privacy commands need to reach the
// privacy topic; names and variables are those of `run`, so one
// environment configures both.
type privacyAccessFlags struct {
	BrokersFlag    `embed:""`
	PrivacyTopic   string `name:"privacy-topic" env:"CALLVEIL_PRIVACY_TOPIC" default:"calls.privacy" help:"Compacted topic of objections and deletion tombstones."`
	KeySecretFlags `embed:""`
	BrokerWaitFlag `embed:""`
}

func (f *privacyAccessFlags) openStore(ctx context.Context) (*privacy.Store, error) {
	secret, err := readSecret(f.KeySecret, f.KeySecretFile)
	if err != nil {
		return nil, err
	}
	if err := f.waitForBrokers(ctx, f.Brokers); err != nil {
		return nil, err
	}
	st, err := privacy.OpenStore(ctx, privacy.Config{Brokers: f.Brokers, Topic: f.PrivacyTopic, KeySecret: secret})
	if err != nil {
		return nil, fmt.Errorf("%w (brokers %s)", err, strings.Join(f.Brokers, ", "))
	}
	return st, nil
}

// openSession opens the privacy store for one command, which has
// commandTimeout to finish: done closes the store, then releases the
// timeout.
func (f *privacyAccessFlags) openSession(ctx context.Context) (_ context.Context, _ *privacy.Store, done func(), _ error) {
	ctx, cancel := context.WithTimeout(ctx, commandTimeout)
	store, err := f.openStore(ctx)
	if err != nil {
		cancel()
		return nil, nil, nil, err
	}
	return ctx, store, func() {
		store.Close()
		cancel()
	}, nil
}

// numberInput is how a command takes phone numbers: one --number, or many
// from stdin (one per line), which keeps them out of shell history and
// process lists.
type numberInput struct {
	Number     string `name:"number" help:"Phone number (E.164 like +4915123456789, or national format in --default-region)."`
	Stdin      bool   `name:"stdin" help:"Read numbers from stdin, one per line, instead of --number (keeps them out of shell history)."`
	RegionFlag `embed:""`
}

// numbers returns the E.164 numbers given. Errors name the line, never the
// input.
func (in *numberInput) numbers(stdin io.Reader, region string) ([]string, error) {
	norm, err := privacy.NewNormalizer(region)
	if err != nil {
		return nil, errors.New("default-region: not a known ISO 3166 region")
	}
	switch {
	case in.Stdin && in.Number != "":
		return nil, errors.New("give either --number or --stdin, not both")
	case in.Number != "":
		n, err := norm.E164(in.Number)
		if err != nil {
			return nil, fmt.Errorf("--number: %w", err)
		}
		return []string{n}, nil
	case !in.Stdin:
		return nil, errors.New("a number is required: --number or --stdin")
	}
	// Every line is checked before anything is recorded: a list is applied
	// whole or not at all, and every bad line is named at once.
	var out []string
	var bad []string
	var badErr error
	sc := bufio.NewScanner(stdin)
	for line := 1; sc.Scan(); line++ {
		raw := strings.TrimSpace(sc.Text())
		if raw == "" || strings.HasPrefix(raw, "#") {
			continue
		}
		n, err := norm.E164(raw)
		if err != nil {
			bad, badErr = append(bad, strconv.Itoa(line)), err
			continue
		}
		out = append(out, n)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading stdin: %w", err)
	}
	if len(bad) > 0 {
		return nil, fmt.Errorf("stdin line(s) %s: %w; nothing was done, not even for the %d good line(s): fix the bad line(s) and run again",
			strings.Join(bad, ", "), badErr, len(out))
	}
	if len(out) == 0 {
		return nil, errors.New("no number on stdin")
	}
	return out, nil
}

// commandTimeout bounds one privacy command.
const commandTimeout = 5 * time.Minute

// stdio are the streams a command uses; tests replace them.
type stdio struct {
	in       io.Reader
	out, err io.Writer
}

func defaultStdio() stdio { return stdio{in: os.Stdin, out: os.Stdout, err: os.Stderr} }

// orDefault is s, or the process's standard streams when s is the zero
// value (a command run from the CLI rather than from a test).
func (s stdio) orDefault() stdio {
	if s.out == nil {
		return defaultStdio()
	}
	return s
}
