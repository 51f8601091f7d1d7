package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestScheduleSkipsBusyTicks runs the in-process scheduler every second and holds its first
// run at the render stage until a tick has come and been skipped; the run then completes.
// The test waits on the scheduler's own log lines, never on the clock, so a slow machine
// only makes it take longer.
func TestScheduleSkipsBusyTicks(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "bb.duckdb")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	logs := newLogWatch()
	reached, release := make(chan struct{}), make(chan struct{})
	var hold sync.Once
	e := &env{stdout: &bytes.Buffer{}, stderr: logs, hook: func(point string) {
		if point == "render:publish" {
			hold.Do(func() {
				close(reached)
				<-release
			})
		}
	}}
	done := make(chan int, 1)
	go func() {
		done <- runEnv(ctx, e, []string{"schedule", "--cron", "@every 1s", "--data", filepath.Join("e2e", "testdata", "mini"), "--db", db, "--out", filepath.Join(dir, "site"),
			"--as-of", "2026-03-01", "--year", "2025", "--max-reject-share", "0.2", "--force"})
	}()
	failed := logs.seen("bluebook: ") // a run's error, as report prints it
	wait := func(what string, ch <-chan struct{}) {
		t.Helper()
		select {
		case <-ch:
		case <-failed:
			t.Fatalf("a run failed while waiting for %s:\n%s", what, logs)
		case code := <-done:
			t.Fatalf("schedule exited with %d while waiting for %s:\n%s", code, what, logs)
		case <-time.After(safetyNet):
			t.Fatalf("no %s after %v (a safety net only):\n%s", what, safetyNet, logs)
		}
	}
	wait("run reaching render:publish", reached)
	wait("skipped tick", logs.seen("tick skipped"))
	close(release)
	wait("finished run", logs.seen("schedule: run finished"))
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("schedule: exit %d\n%s", code, logs)
	}
	got := queryCSV(t, db, "SELECT count(*) FROM runs WHERE trigger = 'schedule' AND status = 'success'")
	if got[0][0] == "0" {
		t.Errorf("no scheduled run succeeded:\n%s", logs)
	}
}

// safetyNet bounds a wait that an event ends: it only turns a hang into a failure, and
// is long enough for any loaded machine.
const safetyNet = 5 * time.Minute

// logWatch is a log writer that a test can wait on for a line containing some text.
type logWatch struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	waiters map[string]chan struct{}
}

func newLogWatch() *logWatch { return &logWatch{waiters: map[string]chan struct{}{}} }

func (w *logWatch) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	for text, ch := range w.waiters {
		if strings.Contains(w.buf.String(), text) {
			close(ch)
			delete(w.waiters, text)
		}
	}
	return len(p), nil
}

// seen returns a channel closed once the log holds text.
func (w *logWatch) seen(text string) <-chan struct{} {
	w.mu.Lock()
	defer w.mu.Unlock()
	ch := make(chan struct{})
	if strings.Contains(w.buf.String(), text) {
		close(ch)
	} else {
		w.waiters[text] = ch
	}
	return ch
}

func (w *logWatch) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}
