package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The crash test re-executes this test binary as a bluebook process (TestMain below), so
// it kills a real process with SIGKILL at a known point: the process prints "PAUSED
// <point>" and sleeps when it reaches BLUEBOOK_TEST_PAUSE_AT.
func TestMain(m *testing.M) {
	if os.Getenv("BLUEBOOK_TEST_SUBPROCESS") == "1" {
		// As main does: SIGTERM and SIGINT cancel the run, which records itself.
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		at := os.Getenv("BLUEBOOK_TEST_PAUSE_AT")
		events := os.Getenv("BLUEBOOK_TEST_EVENTS") == "1"
		e := &env{stdout: os.Stdout, stderr: os.Stderr, hook: func(point string) {
			if events {
				fmt.Fprintf(os.Stdout, "EVENT %s\n", point)
			}
			if point == at {
				fmt.Fprintf(os.Stdout, "PAUSED %s\n", point)
				select { // until killed, or stopped by a signal
				case <-ctx.Done():
				case <-time.After(time.Hour):
				}
			}
		}}
		code := runEnv(ctx, e, os.Args[1:])
		stop()
		os.Exit(code)
	}
	os.Exit(m.Run())
}

func subprocess(pauseAt string, args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "BLUEBOOK_TEST_SUBPROCESS=1", "BLUEBOOK_TEST_PAUSE_AT="+pauseAt)
	return cmd
}

// TestKillDuringRun kills runs with SIGKILL during ingest, models and render: the
// database stays usable, the last good report stays intact, and the next run completes.
func TestKillDuringRun(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	if code, _, errs := bluebook(t, "generate", "--out", data, "--scale", "3000"); code != 0 {
		t.Fatalf("generate: %s", errs)
	}
	db := filepath.Join(dir, "bb.duckdb")
	site := filepath.Join(dir, "site")
	runArgs := []string{"run", "--data", data, "--db", db, "--out", site, "--as-of", "2026-10-31", "--quiet"}
	code, _, errs := bluebook(t, runArgs...)
	if code != 0 {
		t.Fatalf("first run: exit %d: %s", code, errs)
	}
	goodRun := lastRunID(t, db, "success")
	for _, point := range []string{"ingest:registry", "model:market_summary", "render:publish"} {
		t.Run(point, func(t *testing.T) {
			cmd := startPaused(t, point, append(runArgs, "--force")...)
			// While it holds the database, a second run exits at once with code 4 naming it.
			code, _, errs := bluebook(t, runArgs...)
			if code != exitLocked || !strings.Contains(errs, fmt.Sprintf("PID %d", cmd.Process.Pid)) {
				t.Errorf("concurrent run: exit %d, stderr %q; want %d naming PID %d", code, errs, exitLocked, cmd.Process.Pid)
			}
			if code, _, errs := bluebook(t, "query", "--db", db, "SELECT 1"); code != exitLocked || !strings.Contains(errs, "held by bluebook PID") {
				t.Errorf("query during a run: exit %d, stderr %q", code, errs)
			}
			cmd.Process.Signal(syscall.SIGKILL)
			cmd.Wait()

			// The last good report is intact and says which run built it.
			index, err := os.ReadFile(filepath.Join(site, "index.html"))
			if err != nil {
				t.Fatalf("report gone after a kill at %s: %v", point, err)
			}
			if !strings.Contains(string(index), goodRun) {
				t.Errorf("after a kill at %s the report does not come from the last good run %s", point, goodRun)
			}
			// The database is usable and the next run completes.
			code, _, errs = bluebook(t, append(runArgs, "--force")...)
			if code != 0 {
				t.Fatalf("run after a kill at %s: exit %d: %s", point, code, errs)
			}
			goodRun = lastRunID(t, db, "success")
			if stale, _ := filepath.Glob(filepath.Join(dir, ".site.new-*")); len(stale) > 0 {
				t.Errorf("staging folders of the killed run remain: %v", stale)
			}
			index, _ = os.ReadFile(filepath.Join(site, "index.html"))
			if !strings.Contains(string(index), goodRun) {
				t.Errorf("the report after recovery does not name run %s", goodRun)
			}
			if got := queryCSV(t, db, "SELECT count(*) FROM runs WHERE status = 'killed'"); len(got) != 1 || got[0][0] == "0" {
				t.Errorf("the killed run is not recorded as killed: %v", got)
			}
		})
	}
}

func lastRunID(t *testing.T, db, status string) string {
	t.Helper()
	got := queryCSV(t, db, "SELECT id FROM runs WHERE status = '"+status+"' ORDER BY started DESC LIMIT 1")
	if len(got) != 1 {
		t.Fatalf("no %s run in the ledger", status)
	}
	return got[0][0]
}
