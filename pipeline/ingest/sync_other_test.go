//go:build !unix

package ingest

func syncDisk() {}
