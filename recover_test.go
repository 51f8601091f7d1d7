package main

import (
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2"
)

// damageWAL leaves at path a database whose WAL DuckDB 1.5.6 cannot replay (a schema and a
// table of its user type in one WAL), as a process killed at that instant would: the
// files are copied while the database is open.
func damageWAL(t *testing.T, path string) {
	t.Helper()
	work := path + ".work"
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(work, b, 0o644); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("duckdb", work)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"SET checkpoint_threshold = '1GB'", "CREATE SCHEMA s", "CREATE TYPE s.t AS ENUM ('a')", "CREATE TABLE s.x (c s.t)"} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	for _, suffix := range []string{"", ".wal"} {
		b, err := os.ReadFile(work + suffix)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path+suffix, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	os.Remove(work)
	os.Remove(work + ".wal")
}

// TestRecover damages a database three ways (an unreplayable WAL, a flipped byte, a
// truncated file): every command names the file and the remedy, `recover` moves the files
// aside, keeps what it can of the history and reloads the landing copies, and the next
// run completes.
func TestRecover(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	if code, _, errs := bluebook(t, "generate", "--out", data, "--scale", "500"); code != 0 {
		t.Fatalf("generate: %s", errs)
	}
	for _, tc := range []struct {
		name        string
		damage      func(t *testing.T, path string)
		keepHistory bool
	}{
		{"unreplayable WAL", damageWAL, true},
		{"flipped byte", func(t *testing.T, path string) {
			f, err := os.OpenFile(path, os.O_RDWR, 0)
			if err != nil {
				t.Fatal(err)
			}
			b := make([]byte, 1)
			f.ReadAt(b, 8192+100) // the catalog's first block
			f.WriteAt([]byte{b[0] ^ 0xff}, 8192+100)
			f.Close()
		}, false},
		{"truncated file", func(t *testing.T, path string) {
			st, _ := os.Stat(path)
			if err := os.Truncate(path, st.Size()/2); err != nil {
				t.Fatal(err)
			}
		}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tdir := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "_"))
			os.MkdirAll(tdir, 0o755)
			db, site := filepath.Join(tdir, "bb.duckdb"), filepath.Join(tdir, "site")
			args := []string{"run", "--data", data, "--db", db, "--out", site, "--as-of", "2026-10-31", "--quiet"}
			if code, _, errs := bluebook(t, args...); code != 0 {
				t.Fatalf("first run: %s", errs)
			}
			registry := queryCSV(t, db, "SELECT count(*) FROM registry")[0][0]
			tc.damage(t, db)

			for _, cmd := range [][]string{args, {"status", "--db", db}, {"query", "--db", db, "SELECT 1"}} {
				code, _, errs := bluebook(t, cmd...)
				if code == 0 || !strings.Contains(errs, db) || !strings.Contains(errs, "bluebook recover --db "+db) {
					t.Errorf("%s on a damaged database: exit %d, stderr %q; want a failure naming the file and `bluebook recover`", cmd[0], code, errs)
				}
			}
			code, out, errs := bluebook(t, "recover", "--db", db, "--quiet")
			if code != 0 {
				t.Fatalf("recover: exit %d: %s", code, errs)
			}
			moved, _ := filepath.Glob(db + ".damaged-*")
			if len(moved) != 1 {
				t.Fatalf("damaged files moved to %v", moved)
			}
			if _, err := os.Stat(filepath.Join(moved[0], "bb.duckdb")); err != nil {
				t.Errorf("the damaged file is not kept: %v", err)
			}
			if got := queryCSV(t, db, "SELECT count(*) FROM registry")[0][0]; got != registry {
				t.Errorf("registry rows reloaded from the landing copies: %s, want %s (%s)", got, registry, out)
			}
			if got := queryCSV(t, db, "SELECT count(*) FROM runs WHERE status = 'success'")[0][0]; (got == "1") != tc.keepHistory {
				t.Errorf("successful runs kept in the history: %s (keep: %v)", got, tc.keepHistory)
			}
			if tc.keepHistory {
				if got := queryCSV(t, db, "SELECT count(*) FROM run_files")[0][0]; got == "0" {
					t.Errorf("the files the runs used are not kept")
				}
			}
			// The next run is no no-op: it rebuilds models and report.
			code, _, errs = bluebook(t, args...)
			if code != 0 {
				t.Fatalf("run after recover: exit %d: %s", code, errs)
			}
			if got := queryCSV(t, db, "SELECT status FROM runs ORDER BY started DESC LIMIT 1")[0][0]; got != "success" {
				t.Errorf("the run after recover: %s", got)
			}
			if got := queryCSV(t, db, "SELECT count(*) FROM market_summary")[0][0]; got == "0" {
				t.Errorf("models not rebuilt after recover")
			}
			code, out, _ = bluebook(t, "recover", "--db", db)
			if code != 0 || !strings.Contains(out, "nothing to recover") {
				t.Errorf("recover on a healthy database: exit %d, %q", code, out)
			}
		})
	}
}
