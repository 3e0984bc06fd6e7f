// Package aggregates turns redacted calls into anonymised windowed
// aggregates: per window (call start time), per cell of dimensions
// (direction, status, language, caller and callee country), measures that
// say nothing about one person (counts, duration sketch, a keyed HyperLogLog
// of external numbers, redaction counts). Cells with fewer than K calls are
// merged into one "other" row per window, which is itself suppressed when it
// is still smaller than K.
//
// The package is pure: no I/O, no clock it reads by itself (the clock is a
// Config field), no package-level mutable state. The object-store sink in
// sinks/objectstore does the writing and the checkpointing.
package aggregates

import (
	"errors"
	"fmt"
	"regexp"
	"time"
)

// Defaults applied by New to zero-valued Config fields.
const (
	DefaultWindow   = time.Hour
	DefaultLateness = 15 * time.Minute
	DefaultK        = 5
	// MaxFutureSkew bounds how far after the clock a call may start. A call
	// further in the future would push the watermark ahead and turn every
	// honest call that follows into a late one, so it is refused instead.
	MaxFutureSkew = time.Hour
	// minSecretLen is the shortest HashSecret accepted: the keyed hashes
	// (dedupe, HyperLogLog) are only as unguessable as the key.
	minSecretLen = 16
)

// Config configures an Aggregator. It is validated by New.
type Config struct {
	// Window is the length of a window; windows are aligned to UTC
	// midnight, so Window must divide 24h. 0 means DefaultWindow (1h).
	Window time.Duration
	// Lateness is how long after a window's end (measured by the
	// watermark: the latest call start seen so far) calls are still
	// folded into it. 0 means DefaultLateness; it cannot be negative.
	Lateness time.Duration
	// K is the k-anonymity threshold: a cell with fewer calls is never
	// written as is. 0 means DefaultK; values below 2 are refused
	// because they would switch the protection off.
	K int
	// HashSecret keys the hashes of call keys (dedupe) and external
	// numbers (HyperLogLog). Required, at least 16 bytes. Callers pass the
	// same secret as the call-key HMAC; the aggregates use it with their
	// own domain-separation labels.
	HashSecret []byte
	// Now is the clock used to refuse calls from the future; nil means
	// time.Now.
	Now func() time.Time
}

// ErrInvalidConfig is wrapped by every configuration error from New.
var ErrInvalidConfig = errors.New("aggregates: invalid config")

func (c Config) withDefaults() Config {
	if c.Window == 0 {
		c.Window = DefaultWindow
	}
	if c.Lateness == 0 {
		c.Lateness = DefaultLateness
	}
	if c.K == 0 {
		c.K = DefaultK
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c
}

func (c Config) validate() error {
	switch {
	case c.Window < time.Minute:
		return fmt.Errorf("%w: window must be at least 1m", ErrInvalidConfig)
	case (24*time.Hour)%c.Window != 0:
		return fmt.Errorf("%w: window must divide 24h", ErrInvalidConfig)
	case c.Window%time.Second != 0:
		return fmt.Errorf("%w: window must be whole seconds", ErrInvalidConfig)
	case c.Lateness < 0:
		return fmt.Errorf("%w: lateness must not be negative", ErrInvalidConfig)
	case c.K < 2:
		return fmt.Errorf("%w: k must be at least 2", ErrInvalidConfig)
	case len(c.HashSecret) < minSecretLen:
		return fmt.Errorf("%w: hash secret must be at least %d bytes", ErrInvalidConfig, minSecretLen)
	}
	return nil
}

// writerIDPattern is what a writer id may look like: it becomes part of
// object keys, so it is restricted to a safe, fixed alphabet.
var writerIDPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_.-]{0,62}$`)

// ValidWriterID reports whether id can name a writer in object keys.
func ValidWriterID(id string) bool { return writerIDPattern.MatchString(id) }
