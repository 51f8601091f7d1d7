//go:build !unix

package pipeline

import (
	"errors"
	"os"
)

// On systems without flock, bluebook relies on DuckDB's own file lock, which also admits
// one writing process; the lock file then only records the holder for messages.
var errWouldBlock = errors.New("lock is held")

func tryLock(f *os.File) error { return nil }

func unlock(f *os.File) {}
