package pipeline

import (
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
)

// TestSwapAlwaysComplete swaps a report folder in many times while a reader keeps looking
// for its index.html: the reader never finds it missing.
func TestSwapAlwaysComplete(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "site")
	write := func(d, text string) {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(d, "index.html"), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(out, "first")
	var missing, reads atomic.Int64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case <-stop:
				return
			default:
			}
			if _, err := os.ReadFile(filepath.Join(out, "index.html")); err != nil {
				missing.Add(1)
			}
			reads.Add(1)
		}
	}()
	for i := range 300 {
		tmp, err := os.MkdirTemp(dir, ".site.new-")
		if err != nil {
			t.Fatal(err)
		}
		write(tmp, "report "+string(rune('a'+i%26)))
		if err := swapDir(tmp, out); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(tmp); !os.IsNotExist(err) {
			t.Fatalf("the old report was not removed: %v", err)
		}
	}
	close(stop)
	<-done
	if missing.Load() > 0 {
		t.Errorf("index.html was missing in %d of %d reads during the swaps", missing.Load(), reads.Load())
	}
	if b, _ := os.ReadFile(filepath.Join(out, "index.html")); string(b) != "report "+string(rune('a'+299%26)) {
		t.Errorf("after the swaps the report is %q", b)
	}
}

// TestRecoverSwap: a kill between the two renames of the fallback swap leaves no report
// folder but the old one moved aside; the next run puts it back and removes staging.
func TestRecoverSwap(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "site")
	for _, d := range []string{out + ".old-20260101000000.000000001", out + ".old-20260101000000.000000002", filepath.Join(dir, ".site.new-123")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(d, "index.html"), []byte(filepath.Base(d)), 0o644)
	}
	if err := recoverSwap(out); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(out, "index.html"))
	if err != nil || string(b) != "site.old-20260101000000.000000002" {
		t.Errorf("report after recovery: %q, %v; want the newest one moved aside", b, err)
	}
	left, _ := filepath.Glob(filepath.Join(dir, "*"))
	hidden, _ := filepath.Glob(filepath.Join(dir, ".site*"))
	if len(left) != 1 || len(hidden) != 0 {
		t.Errorf("left beside the report: %v %v", left, hidden)
	}
	// With a report in place, what is moved aside is only removed.
	os.MkdirAll(out+".old-1", 0o755)
	if err := recoverSwap(out); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(out, "index.html")); string(b) != "site.old-20260101000000.000000002" {
		t.Errorf("a report in place was replaced: %q", b)
	}
}
