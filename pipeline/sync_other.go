//go:build !unix

package pipeline

// SyncDisk does nothing where there is no sync(2).
func SyncDisk() {}
