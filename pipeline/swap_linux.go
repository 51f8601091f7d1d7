//go:build linux

package pipeline

import (
	"errors"

	"golang.org/x/sys/unix"
)

// exchange swaps the two paths atomically (renameat2 with RENAME_EXCHANGE): at every
// instant each name holds a complete folder. It reports errExchangeUnsupported where the
// file system cannot (then swapDir falls back to two renames).
func exchange(a, b string) error {
	err := unix.Renameat2(unix.AT_FDCWD, a, unix.AT_FDCWD, b, unix.RENAME_EXCHANGE)
	if errors.Is(err, unix.EINVAL) || errors.Is(err, unix.ENOSYS) || errors.Is(err, unix.ENOTSUP) {
		return errExchangeUnsupported
	}
	return err
}
