package main

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// startPaused starts bluebook args in a child process and returns once it has paused at
// the hook point (it sleeps there until signalled).
func startPaused(t *testing.T, point string, args ...string) *exec.Cmd {
	t.Helper()
	cmd := subprocess(point, args...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	paused := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if strings.HasPrefix(sc.Text(), "PAUSED ") {
				paused <- true
				break
			}
		}
		paused <- false
		for sc.Scan() {
		}
	}()
	select {
	case ok := <-paused:
		if !ok {
			cmd.Wait()
			t.Fatalf("%v ended without reaching %s: %s", args, point, stderr.String())
		}
	case <-time.After(5 * time.Minute): // a safety net for a hung child, not a speed bound
		cmd.Process.Kill()
		t.Fatalf("%v never reached %s", args, point)
	}
	return cmd
}

// TestOutFolderLock: two runs with different databases and one report folder. While the
// first holds the folder, the second exits 4 naming it, and the report is the first's.
func TestOutFolderLock(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	if code, _, errs := bluebook(t, "generate", "--out", data, "--scale", "500"); code != 0 {
		t.Fatalf("generate: %s", errs)
	}
	site := filepath.Join(dir, "site")
	args := func(db string) []string {
		return []string{"run", "--data", data, "--db", filepath.Join(dir, db), "--out", site, "--as-of", "2026-10-31", "--quiet"}
	}
	first := startPaused(t, "render:publish", args("a.duckdb")...)
	code, _, errs := bluebook(t, args("b.duckdb")...)
	if code != exitLocked || !strings.Contains(errs, fmt.Sprintf("PID %d", first.Process.Pid)) || !strings.Contains(errs, site) {
		t.Errorf("second run on the same report folder: exit %d, stderr %q; want %d naming %s and PID %d", code, errs, exitLocked, site, first.Process.Pid)
	}
	first.Process.Signal(syscall.SIGKILL)
	first.Wait()
	// Once the holder is gone the folder is free.
	if code, _, errs := bluebook(t, args("b.duckdb")...); code != 0 {
		t.Fatalf("run after the holder died: exit %d: %s", code, errs)
	}
	if _, err := os.Stat(filepath.Join(site, "index.html")); err != nil {
		t.Fatal(err)
	}
}

// TestInterruptedRun: SIGTERM in the middle of the models stops the run; it exits 1 and
// records itself as interrupted, not killed, and the next run completes.
func TestInterruptedRun(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	if code, _, errs := bluebook(t, "generate", "--out", data, "--scale", "500"); code != 0 {
		t.Fatalf("generate: %s", errs)
	}
	db := filepath.Join(dir, "bb.duckdb")
	args := []string{"run", "--data", data, "--db", db, "--out", filepath.Join(dir, "site"), "--as-of", "2026-10-31", "--quiet"}
	cmd := startPaused(t, "model:market_summary", args...)
	cmd.Process.Signal(syscall.SIGTERM)
	err := cmd.Wait()
	var exit *exec.ExitError
	if err == nil || !errors.As(err, &exit) || exit.ExitCode() != exitFailed {
		t.Fatalf("a run stopped by SIGTERM: %v; want exit %d", err, exitFailed)
	}
	got := queryCSV(t, db, "SELECT status, error FROM runs ORDER BY started")
	if len(got) != 1 || got[0][0] != "interrupted" || !strings.Contains(got[0][1], "signal") {
		t.Errorf("ledger after SIGTERM: %v; want one run, interrupted", got)
	}
	if code, _, errs := bluebook(t, args...); code != 0 {
		t.Fatalf("the next run: exit %d: %s", code, errs)
	}
	if got := queryCSV(t, db, "SELECT count(*) FROM runs WHERE status = 'killed'"); got[0][0] != "0" {
		t.Errorf("the interrupted run was taken for killed")
	}
}
