// Package objectstore is the sink that writes anonymised windowed
// aggregates (package aggregates) as Parquet to S3-compatible storage
// through minio-go, or to a local directory when no endpoint is set.
//
// Exactly-once effect under at-least-once delivery (sinks.Sink.Write is
// synchronous and offsets are committed once it returns nil): Write folds
// the batch into open windows, writes the windows the watermark has closed
// (deterministic keys: a rewrite replaces), then checkpoints the open
// windows to <prefix>/_state/v1/<writer>.state before returning nil. A new
// sink with the same WriterID loads that checkpoint; calls redelivered
// after a crash are absorbed by the per-window dedupe set (truncated keyed
// hashes of call keys, never the keys).
package objectstore

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/callveil/callveil/aggregates"
)

// DefaultRetentionDays is how long aggregates are kept by default.
const DefaultRetentionDays = 365

// Config configures an ObjectStoreSink. It is validated by New.
type Config struct {
	// Endpoint is the S3 endpoint as host[:port] ("s3.eu-central-1.amazonaws.com",
	// "127.0.0.1:9000"); an "https://" prefix is accepted. Empty selects the
	// local-directory backend (Dir).
	Endpoint string
	// Insecure switches TLS off. Off by default; meant for a local test
	// server on loopback.
	Insecure bool
	// Region of the bucket; empty lets the client discover it.
	Region string
	// Bucket holds the aggregates; created when missing. Required with
	// Endpoint.
	Bucket string
	// Prefix is prepended to every key ("" or e.g. "callveil").
	Prefix string
	// Credentials for the endpoint; see CredentialsFromEnv.
	Credentials Credentials
	// Dir is the local directory written instead of a bucket when
	// Endpoint is empty (the demo uses ./callveil-demo/). The same key
	// layout is used below it.
	Dir string
	// WriterID names this instance in object keys and its checkpoint. It
	// must be unique among instances writing to the same prefix at the
	// same time and stable across restarts of one instance (a pod
	// ordinal, a --writer-id flag): a restarted instance picks up only the
	// checkpoint of its own id. Lowercase letters, digits, '.', '_', '-'.
	WriterID string
	// Window, Lateness, K and HashSecret configure the aggregation; see
	// aggregates.Config for their defaults.
	Window     time.Duration
	Lateness   time.Duration
	K          int
	HashSecret []byte
	// RetentionDays is how long aggregates are kept (the bucket lifecycle
	// rule, and what Expired lists). 0 means DefaultRetentionDays.
	RetentionDays int
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Credentials are static S3 credentials. They never appear in errors.
type Credentials struct {
	AccessKeyID, SecretAccessKey, SessionToken string
}

// CredentialsFromEnv reads AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
// (optionally) AWS_SESSION_TOKEN.
func CredentialsFromEnv() Credentials {
	return Credentials{
		AccessKeyID:     os.Getenv("AWS_ACCESS_KEY_ID"),
		SecretAccessKey: os.Getenv("AWS_SECRET_ACCESS_KEY"),
		SessionToken:    os.Getenv("AWS_SESSION_TOKEN"),
	}
}

// ErrInvalidConfig is wrapped by every configuration error from New.
var ErrInvalidConfig = errors.New("objectstore: invalid config")

func (c Config) withDefaults() Config {
	if c.RetentionDays == 0 {
		c.RetentionDays = DefaultRetentionDays
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	c.Endpoint = strings.TrimPrefix(c.Endpoint, "https://")
	return c
}

func (c Config) validate() error {
	invalid := func(msg string) error { return fmt.Errorf("%w: %s", ErrInvalidConfig, msg) }
	switch {
	case !aggregates.ValidWriterID(c.WriterID):
		return invalid("writer id must be 1-63 of [a-z0-9._-], starting with a letter or digit")
	case c.RetentionDays < 0:
		return invalid("retention days must not be negative")
	case strings.Contains(c.Prefix, ".."):
		return invalid("prefix must not contain '..'")
	}
	if c.Endpoint == "" {
		if c.Dir == "" {
			return invalid("either an endpoint or a local directory is required")
		}
		return nil
	}
	switch {
	case strings.HasPrefix(c.Endpoint, "http://"):
		return invalid("endpoint is plain http: use host:port with Insecure for a local test server")
	case strings.Contains(c.Endpoint, "/"):
		return invalid("endpoint must be host[:port]")
	case c.Bucket == "":
		return invalid("bucket is required with an endpoint")
	case c.Credentials.AccessKeyID == "" || c.Credentials.SecretAccessKey == "":
		return invalid("credentials are required with an endpoint (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)")
	}
	return nil
}

func (c Config) aggregates() aggregates.Config {
	return aggregates.Config{Window: c.Window, Lateness: c.Lateness, K: c.K, HashSecret: c.HashSecret, Now: c.Now}
}
