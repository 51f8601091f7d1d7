package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestBenchCommand runs `bench` at a small scale: every step is measured, the run and the
// bare baselines in two interleaved rounds, and the JSON line holds what the table shows.
func TestBenchCommand(t *testing.T) {
	t.Setenv("BLUEBOOK_TEST_SUBPROCESS", "1") // the children bench starts are this test binary
	out := filepath.Join(t.TempDir(), "bench.jsonl")
	code, stdout, stderr := bluebook(t, "bench", "--scale", "2000", "--repeat", "2", "--json", out, "--quiet")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var res benchResult
	if err := json.Unmarshal(b, &res); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	if res.Scale != 2000 || res.Repeat != 2 || res.DBBytes == 0 || res.DataBytes == 0 {
		t.Errorf("result header: %+v", res)
	}
	got := map[string]benchStep{}
	for _, s := range res.Steps {
		got[s.Name] = s
		if s.Seconds <= 0 {
			t.Errorf("step %q took %v s", s.Name, s.Seconds)
		}
		if !strings.Contains(stdout, "| "+s.Name+" |") {
			t.Errorf("step %q is not in the table:\n%s", s.Name, stdout)
		}
	}
	for _, name := range []string{"generate", "ingest", "models", "ingest + models", "checks", "render", "full run", "no-op rerun", "check", "serve: one-model edit"} {
		if _, ok := got[name]; !ok {
			t.Errorf("no step %q", name)
		}
	}
	for _, name := range []string{"ingest", "models", "ingest + models"} {
		if got[name].Bare <= 0 {
			t.Errorf("step %q has no bare DuckDB time", name)
		}
	}
	if got["full run"].PeakMB <= 0 || got["generate"].PeakMB <= 0 {
		t.Errorf("no peak memory: %+v %+v", got["full run"], got["generate"])
	}
	if code, _, _ := bluebook(t, "bench", "--repeat", "0"); code != exitUsage {
		t.Errorf("--repeat 0: exit %d, want %d", code, exitUsage)
	}
}

// TestChildPeak: the peak memory bench reports for a child is the child's own, not the
// bench's: with 400 MB held here, `bluebook version` measures well under 100 MB.
func TestChildPeak(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("VmHWM is read from /proc")
	}
	t.Setenv("BLUEBOOK_TEST_SUBPROCESS", "1") // the child is this test binary
	held := make([]byte, 400<<20)
	for i := range held {
		held[i] = byte(i)
	}
	_, peak, err := child(t.Context(), "version")
	if err != nil {
		t.Fatal(err)
	}
	if peak <= 0 || peak > 100 {
		t.Errorf("peak of `bluebook version` = %.0f MB, want above 0 and under 100 MB (this process holds %d MB)", peak, len(held)>>20)
	}
	runtime.KeepAlive(held)
}
