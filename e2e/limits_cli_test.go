package e2e

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"

	"bluebook/pipeline"
)

// TestLimitsConfig: the [limits] table of bluebook.toml reaches the ingest (a file over a
// limit fails the run naming the key), and a wrong limit is a usage error naming its key.
func TestLimitsConfig(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cases := []struct {
		toml string
		code int
		want string
	}{
		{"[limits]\nmax_columns = 5\n", exitFailed, "registry/registry.csv:1: a header of 11 fields, over the limit of 5 (limits.max_columns in bluebook.toml)"},
		{"[limits]\nmax_columns = -1\n", exitUsage, "limits.max_columns must be positive"},
		{"[limits]\nmax_colums = 5\n", exitUsage, "unknown key limits.max_colums"},
	}
	for i, c := range cases {
		path := filepath.Join(dir, fmt.Sprintf("c%d.toml", i))
		if err := os.WriteFile(path, []byte(c.toml), 0o644); err != nil {
			t.Fatal(err)
		}
		code, _, errs := bluebook(t, "run", "--config", path, "--data", "testdata/mini", "--db", filepath.Join(dir, fmt.Sprintf("c%d.duckdb", i)),
			"--out", filepath.Join(dir, "site"), "--as-of", "2026-03-01", "--year", "2025", "--max-reject-share", "0.2")
		if code != c.code || !strings.Contains(errs, c.want) {
			t.Errorf("config %q: exit %d, stderr %q; want exit %d naming %q", c.toml, code, errs, c.code, c.want)
		}
	}
}

// TestStatusHistoryQuoted: a report path and a recorded error holding a line break and a
// terminal escape are printed quoted by status and history, on one line each.
func TestStatusHistoryQuoted(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := filepath.Join(dir, "bb.duckdb")
	site := filepath.Join(dir, "site\n\x1b[2Jforged")
	code, _, errs := bluebook(t, "run", "--data", "testdata/mini", "--db", db, "--out", site, "--as-of", "2026-03-01", "--year", "2025", "--max-reject-share", "0.2")
	if code != exitOK {
		t.Fatalf("run: exit %d: %s", code, errs)
	}
	// A failed run whose error holds a raw name (as an error from any library may).
	conn, err := sql.Open("duckdb", db)
	if err != nil {
		t.Fatal(err)
	}
	_, err = conn.Exec(`INSERT INTO runs (id, started, finished, status, error) VALUES ('r-forged', now()::TIMESTAMP + INTERVAL 1 MINUTE, now()::TIMESTAMP + INTERVAL 2 MINUTE, 'failed', $1)`,
		"open registry/a\n2026-12-02 INFO run succeeded\x1b[2J.csv: Out of Memory Error: failed to allocate")
	conn.Close()
	if err != nil {
		t.Fatal(err)
	}
	// status while a run holds the database: the holder's command line is quoted too.
	lock, err := pipeline.AcquireLock(db, pipeline.LockInfo{PID: os.Getpid(), Started: time.Now(), Command: "bluebook run --out site\n\x1b[2Jforged"})
	if err != nil {
		t.Fatal(err)
	}
	code, out, errs := bluebook(t, "status", "--db", db)
	lock.Release()
	if code != exitOK || strings.Contains(out, "\x1b") || !strings.Contains(out, `--out site\n\x1b[2Jforged`) {
		t.Errorf("status of a held database: exit %d, stderr %q, stdout:\n%s", code, errs, out)
	}
	for _, cmd := range []string{"status", "history"} {
		code, out, errs := bluebook(t, cmd, "--db", db)
		if code != exitOK {
			t.Fatalf("%s: exit %d: %s", cmd, code, errs)
		}
		if strings.Contains(out, "\x1b") || strings.Contains(out, "\nforged") || strings.Contains(out, "\n2026-12-02 INFO") {
			t.Errorf("%s prints a name raw:\n%s", cmd, out)
		}
		if !strings.Contains(out, `registry/a\n2026-12-02 INFO run succeeded\x1b[2J.csv`) {
			t.Errorf("%s does not quote the error:\n%s", cmd, out)
		}
		if cmd == "status" {
			if !strings.Contains(out, `site\n\x1b[2Jforged/index.html"`) {
				t.Errorf("status does not quote the report path:\n%s", out)
			}
			if !strings.Contains(out, "memory_limit in bluebook.toml") {
				t.Errorf("status does not name memory_limit for an out-of-memory error:\n%s", out)
			}
		}
	}
}

// TestLimitsTightenedRecheck: a limit tightened after a good run checks the unchanged
// files again (neither the run's no-op nor the ingest's skip of an unchanged source hides
// a file now over the limit), and loosened again, the run succeeds.
func TestLimitsTightenedRecheck(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	args := func(config string) []string {
		return []string{"run", "--config", config, "--data", "testdata/mini", "--db", filepath.Join(dir, "bb.duckdb"),
			"--out", filepath.Join(dir, "site"), "--as-of", "2026-03-01", "--year", "2025", "--max-reject-share", "0.2"}
	}
	loose, tight := filepath.Join(dir, "loose.toml"), filepath.Join(dir, "tight.toml")
	os.WriteFile(loose, []byte("[limits]\nmax_columns = 1000\n"), 0o644)
	os.WriteFile(tight, []byte("[limits]\nmax_columns = 5\n"), 0o644)
	if code, _, errs := bluebook(t, args(loose)...); code != exitOK {
		t.Fatalf("first run: exit %d: %s", code, errs)
	}
	code, _, errs := bluebook(t, args(tight)...)
	if code != exitFailed || !strings.Contains(errs, "limits.max_columns") {
		t.Errorf("run with a tightened limit on unchanged files: exit %d, stderr %q; want the file refused", code, errs)
	}
}
