//go:build !linux

package pipeline

// exchange is atomic on Linux only; elsewhere swapDir uses two renames, and a run that
// starts after a kill between them puts the old report back (recoverSwap).
func exchange(a, b string) error { return errExchangeUnsupported }
