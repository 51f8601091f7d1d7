package main

import (
	"encoding/json"
	"os"
	"path/filepath"
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
