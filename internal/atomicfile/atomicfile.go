// Package atomicfile replaces a file so that a reader, or a crash, sees the
// old content or the new, never half of it: the new content is written to a
// temporary file in the same folder, synced, closed and renamed over the
// target.
package atomicfile

import "os"

// Commit finishes tmp, a temporary file in path's folder that the caller
// has written: it syncs tmp, closes it and renames it over path, in that
// order, each step only if all before it succeeded. err is the error of
// the caller's writing; Commit returns the first error (err first of all).
// tmp is closed in every case; on an error it is left for the caller to
// remove.
func Commit(tmp *os.File, path string, err error) error {
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	return err
}

// SyncDir syncs the folder dir, so that a rename in it survives a crash.
// It is best effort: a folder that cannot be opened or synced is no error
// (some file systems refuse to sync a folder).
func SyncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
