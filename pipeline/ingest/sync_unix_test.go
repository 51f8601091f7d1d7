//go:build unix

package ingest

import "syscall"

// syncDisk writes the dirty pages of earlier steps to disk before a timed step.
func syncDisk() { syscall.Sync() }
