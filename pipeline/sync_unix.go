//go:build unix

package pipeline

import "syscall"

// SyncDisk writes every dirty page to disk: the benchmark calls it before each timed step,
// so that a step does not pay for the write-back of the database file the one before wrote.
func SyncDisk() { syscall.Sync() }
