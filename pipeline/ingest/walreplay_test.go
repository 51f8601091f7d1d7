package ingest

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// snapshot copies a database file and its WAL as they are on disk now, while the database
// is open: what a process killed at this instant would leave behind.
func snapshot(t *testing.T, path, dst string) {
	t.Helper()
	for _, suffix := range []string{"", ".wal"} {
		b, err := os.ReadFile(path + suffix)
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst+suffix, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func openFile(t *testing.T, path string) (*sql.DB, error) {
	t.Helper()
	db, err := sql.Open("duckdb", path+"?autoinstall_known_extensions=false")
	if err != nil {
		return nil, err
	}
	if err := db.Ping(); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// TestWALReplayAfterFirstIngest is the first run killed at the end of ingest on a new
// database: the database file and WAL as they are on disk then must open. DuckDB 1.5.6
// cannot replay a WAL that creates a schema and then a table whose column has a user type
// of that schema ("Schema with name raw does not exist!", pinned below); the ingest makes
// the schema durable with a checkpoint before any such table.
func TestWALReplayAfterFirstIngest(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	minimalSources(t, data)
	path := filepath.Join(dir, "bb.duckdb")
	db, err := sql.Open("duckdb", path+"?autoinstall_known_extensions=false")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// No automatic checkpoint during the test: everything stays in the WAL, as in a
	// small first run.
	if _, err := db.Exec("SET checkpoint_threshold = '1GB'"); err != nil {
		t.Fatal(err)
	}
	if _, err := Run(context.Background(), db, Options{DataDir: data, AsOf: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	killed := filepath.Join(dir, "killed.duckdb")
	snapshot(t, path, killed)
	if _, err := os.Stat(killed + ".wal"); err != nil {
		t.Fatalf("the test needs a WAL to replay: %v", err)
	}
	again, err := openFile(t, killed)
	if err != nil {
		t.Fatalf("the database a first run killed after ingest leaves cannot be opened: %v", err)
	}
	defer again.Close()
	if got := query(t, again, "SELECT count(*) FROM registry"); got[0] != "1" {
		t.Errorf("registry after replay: %v", got)
	}
}

// TestDuckDBWALSchemaTypeBug pins the DuckDB behaviour the checkpoint above works around.
// When an upgrade fixes it, this test says so: the checkpoint can then stay (it is cheap)
// or go.
func TestDuckDBWALSchemaTypeBug(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a.duckdb")
	db, err := openFile(t, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{"SET checkpoint_threshold = '1GB'", "CREATE SCHEMA s", "CREATE TYPE s.t AS ENUM ('a')", "CREATE TABLE s.x (c s.t)"} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	snapshot(t, path, filepath.Join(dir, "b.duckdb"))
	b, err := openFile(t, filepath.Join(dir, "b.duckdb"))
	if err == nil {
		b.Close()
		t.Fatalf("DuckDB now replays a schema and a table of its user type from one WAL: the bug is fixed; update this test and the comment in CreateEmpty")
	}
	if !strings.Contains(err.Error(), "Failure while replaying WAL") {
		t.Errorf("the WAL replay failure reads differently now: %v", err)
	}
}
