//go:build unix

package sinks

import (
	"os"
	"syscall"
)

// lockFile takes an exclusive advisory lock on f, waiting for it. The file
// sink holds it while it appends a batch, and RemoveCallsFromFile while it
// rewrites the file, so neither loses the other's lines.
func lockFile(f *os.File) error { return syscall.Flock(int(f.Fd()), syscall.LOCK_EX) }

func unlockFile(f *os.File) error { return syscall.Flock(int(f.Fd()), syscall.LOCK_UN) }
