package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestScheduleSkipsBusyTicks runs the in-process scheduler every second while each run is
// held for 1.5 s at its render stage: runs happen, and a tick that comes during a run is
// skipped rather than queued or run alongside.
func TestScheduleSkipsBusyTicks(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "bb.duckdb")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var logs bytes.Buffer
	e := &env{stdout: &bytes.Buffer{}, stderr: &logs, hook: func(point string) {
		if point == "render:publish" {
			time.Sleep(1500 * time.Millisecond)
		}
	}}
	code := runEnv(ctx, e, []string{"schedule", "--cron", "@every 1s", "--data", "testdata/mini", "--db", db, "--out", filepath.Join(dir, "site"),
		"--as-of", "2026-03-01", "--year", "2025", "--max-reject-share", "0.2", "--force"})
	if code != 0 {
		t.Fatalf("schedule: exit %d\n%s", code, logs.String())
	}
	if !strings.Contains(logs.String(), "tick skipped") {
		t.Errorf("no tick was skipped while a run was going:\n%s", logs.String())
	}
	got := queryCSV(t, db, "SELECT count(*) FROM runs WHERE trigger = 'schedule' AND status = 'success'")
	if got[0][0] == "0" {
		t.Errorf("no scheduled run succeeded:\n%s", logs.String())
	}
}
