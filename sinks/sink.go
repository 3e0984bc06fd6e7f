// Package sinks holds the places redacted calls go: a local JSON-lines file,
// HubSpot, and S3-compatible object storage. Every sink implements Sink.
package sinks

import (
	"context"
	"fmt"

	"github.com/callveil/callveil/stages"
)

// Sink receives redacted calls. The pipeline calls Write from a single
// goroutine per sink, with batches in offset order, and commits a record's
// offset only after every sink's Write has returned nil for it (or rejected
// it, which dead-letters it).
type Sink interface {
	// Name is a short fixed name for logs and metrics ("file", "hubspot").
	Name() string
	// Write delivers a batch. It returns nil when every call is durably
	// accepted. A *RejectedError says that some calls were refused for good
	// (they go to dead letters) while all others were accepted. Any other
	// error means no call in the batch counts as delivered: the pipeline
	// keeps the offsets uncommitted, backs off and tries again, so Write
	// must be idempotent for calls it has seen before.
	Write(ctx context.Context, batch []stages.RedactedCall) error
	// Close flushes and releases resources. Called once, after the last Write.
	Close(ctx context.Context) error
}

// Rejection is one call a sink refused for good.
type Rejection struct {
	// Index into the batch passed to Write.
	Index int
	// Reason is a fixed code (e.g. HubSpot's error category), never a value.
	Reason string
}

// RejectedError reports calls refused for good; the rest of the batch was
// delivered.
type RejectedError struct {
	Sink       string
	Rejections []Rejection
}

func (e *RejectedError) Error() string {
	return fmt.Sprintf("sinks: %s rejected %d call(s)", e.Sink, len(e.Rejections))
}

// FatalError is an error after which retrying cannot help (bad credentials,
// missing permissions): the service stops with a clear message.
type FatalError struct {
	Sink string
	// Msg is a fixed, value-free explanation.
	Msg string
}

func (e *FatalError) Error() string { return "sinks: " + e.Sink + ": " + e.Msg }
