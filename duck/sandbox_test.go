package duck

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestLockDown pins what a locked-down instance refuses, with the message texts bluebook
// turns into advice (pipeline's explainLocked): files outside allowed_paths (also through
// "..", which allowed_directories would let pass), ATTACH, INSTALL, and any SET; and that
// it still reads and writes the exact allowed files, on every connection of the pool.
func TestLockDown(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	allowed := filepath.Join(dir, "scratch", "load.csv")
	other := filepath.Join(dir, "secret.csv")
	os.MkdirAll(filepath.Dir(allowed), 0o700)
	for _, f := range []string{allowed, other} {
		if err := os.WriteFile(f, []byte("a,b\n1,2\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	db := memDB(t)
	if locked, err := IsLockedDown(ctx, db); err != nil || locked {
		t.Fatalf("a fresh instance is locked down: %v %v", locked, err)
	}
	export := filepath.Join(dir, "scratch", "export.parquet")
	if err := LockDown(ctx, db, []string{allowed, export, filepath.Join(dir, "scratch", "tmp_export.parquet")}); err != nil {
		t.Fatal(err)
	}
	if locked, err := IsLockedDown(ctx, db); err != nil || !locked {
		t.Fatalf("IsLockedDown after LockDown: %v %v", locked, err)
	}
	paths, err := AllowedPaths(ctx, db)
	if err != nil || len(paths) != 3 || !slices.Contains(paths, allowed) {
		t.Errorf("AllowedPaths = %q, %v", paths, err)
	}
	var n int
	if err := db.QueryRow("SELECT count(*) FROM read_csv(" + Literal(allowed) + ")").Scan(&n); err != nil || n != 1 {
		t.Errorf("reading the allowed file: %d, %v", n, err)
	}
	if _, err := db.Exec("COPY (SELECT 1 AS x) TO " + Literal(export) + " (FORMAT parquet)"); err != nil {
		t.Errorf("writing an allowed file: %v", err)
	}
	// COPY writes tmp_<name> first, then renames it: both must be allowed.
	if _, err := db.Exec("COPY (SELECT 1) TO " + Literal(allowed)); err == nil || !strings.Contains(err.Error(), "tmp_load.csv") {
		t.Errorf("COPY to an allowed file without its tmp_ file: %v; want a refusal naming tmp_load.csv", err)
	}
	refused := map[string]string{
		"SELECT * FROM read_csv(" + Literal(other) + ")":                                                    "disabled by configuration",
		"SELECT * FROM read_csv(" + Literal(filepath.Join(filepath.Dir(allowed), "..", "secret.csv")) + ")": "disabled by configuration",
		"COPY (SELECT 1) TO " + Literal(other):                                                              "disabled by configuration",
		"ATTACH " + Literal(filepath.Join(dir, "x.duckdb")) + " AS x":                                       "disabled by configuration",
		"INSTALL spatial":                              "disabled",
		"SET enable_external_access = true":            "the configuration has been locked",
		"SET threads = 2":                              "the configuration has been locked",
		"SET allowed_paths = [" + Literal(other) + "]": "the configuration has been locked",
	}
	for i := 0; i < 2; i++ { // two connections: the settings belong to the instance
		conn, err := db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		for q, want := range refused {
			_, err := conn.ExecContext(ctx, q)
			if err == nil {
				t.Errorf("locked down, %s ran", q)
			} else if !strings.Contains(err.Error(), want) {
				t.Errorf("locked down, %s: %v; want a message containing %q", q, err, want)
			}
		}
	}
}
