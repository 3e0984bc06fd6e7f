package sinks

import (
	"context"
	"errors"
)

// Ping reports whether the output file is still usable: open, and still a
// regular file (not removed and replaced by something else). It writes
// nothing. Readiness probes call it.
func (s *FileSink) Ping(context.Context) error {
	fi, err := s.f.Stat()
	if err != nil {
		return errors.New("file sink: output file unusable")
	}
	if !fi.Mode().IsRegular() {
		return errors.New("file sink: output is not a regular file")
	}
	return nil
}
