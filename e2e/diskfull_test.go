package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestDiskFull runs with the database on a 2 MB file system that fills up during ingest:
// the run fails with the system's reason, and once there is room again the next run
// records that reason in the ledger (the database could not take it) and completes.
// It needs root for the tmpfs mount and is skipped without it.
func TestDiskFull(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("slow: runs on generated demo data (go test without -short runs it)")
	}
	if os.Geteuid() != 0 {
		t.Skip("mounting a small tmpfs needs root")
	}
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	if code, _, errs := bluebook(t, "generate", "--out", data, "--scale", "2000"); code != 0 {
		t.Fatalf("generate: %s", errs)
	}
	mnt := filepath.Join(dir, "mnt")
	os.MkdirAll(mnt, 0o755)
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", mnt).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs here: %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", "-l", mnt).Run() })
	db := filepath.Join(mnt, "bb.duckdb")
	args := []string{"run", "--data", data, "--db", db, "--out", filepath.Join(dir, "site"), "--as-of", "2026-10-31", "--quiet"}
	code, _, errs := bluebook(t, args...)
	if code != exitFailed {
		t.Fatalf("run on a full disk: exit %d, want %d: %s", code, exitFailed, errs)
	}
	if !strings.Contains(strings.ToLower(errs), "space") {
		t.Errorf("the error does not say the disk is full: %s", errs)
	}
	if out, err := exec.Command("mount", "-o", "remount,size=200m", mnt).CombinedOutput(); err != nil {
		t.Fatalf("remount: %v %s", err, out)
	}
	code, _, errs = bluebook(t, args...)
	if code != 0 {
		t.Fatalf("run once there is room: exit %d: %s", code, errs)
	}
	got := queryCSV(t, db, "SELECT status, error FROM runs ORDER BY started")
	if len(got) != 2 || got[0][0] != "failed" || !strings.Contains(strings.ToLower(got[0][1]), "space") || got[1][0] != "success" {
		t.Errorf("ledger: %v; want the failed run with its reason, then a success", got)
	}
	if _, err := os.Stat(db + ".outcome.json"); !os.IsNotExist(err) {
		t.Errorf("the outcome file is left behind: %v", err)
	}
}
