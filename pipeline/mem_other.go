//go:build !linux

package pipeline

// totalRAM is unknown here: DuckDB keeps its own default (80% of RAM).
func totalRAM() uint64 { return 0 }
