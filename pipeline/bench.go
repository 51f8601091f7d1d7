package pipeline

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"bluebook/duck"
)

// BareIngest is the baseline for bluebook's ingest: every CSV file of dataDir read into a
// table by DuckDB's own reader (CREATE TABLE AS SELECT * FROM read_csv(...), every column
// as text, as bluebook reads it) with nothing around it: no header mapping, no rules, no
// rejects, no hashing. GBK files are read as latin-1 (DuckDB has no GBK decoder without
// the encodings extension), which costs the reader the same.
func BareIngest(ctx context.Context, dataDir, dbPath string) (time.Duration, int64, error) {
	os.Remove(dbPath)
	db, err := openDB(ctx, dbPath, Config{}, false)
	if err != nil {
		return 0, 0, err
	}
	defer db.Close()
	var files []string
	filepath.WalkDir(dataDir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".csv") && filepath.Dir(p) != filepath.Clean(dataDir) {
			files = append(files, p)
		}
		return nil
	})
	SyncDisk() // no write-back of an earlier step's database during the clock
	start := time.Now()
	var rows int64
	for i, f := range files {
		enc := "utf-8"
		if !isUTF8Sample(f) {
			enc = "latin-1"
		}
		var n int64
		if _, err := db.ExecContext(ctx, fmt.Sprintf("CREATE TABLE t%d AS SELECT * FROM read_csv(?, header = true, all_varchar = true, encoding = ?, ignore_errors = true)", i), f, enc); err != nil {
			return 0, 0, fmt.Errorf("bare read_csv %s: %w", f, err)
		}
		db.QueryRowContext(ctx, fmt.Sprintf("SELECT count(*) FROM t%d", i)).Scan(&n)
		rows += n
	}
	return time.Since(start), rows, nil
}

func isUTF8Sample(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return true
	}
	defer f.Close()
	b := make([]byte, 64<<10)
	n, _ := io.ReadFull(f, b)
	b = b[:n]
	for len(b) > 0 && !utf8.Valid(b) && len(b) > n-4 {
		b = b[:len(b)-1] // a character cut at the end of the sample
	}
	return utf8.Valid(b)
}

// BareModels is the baseline for bluebook's models stage: on a copy of a database that
// bluebook ingested, the same model SQL files are executed as CREATE TABLE AS statements,
// in the same order, with nothing around them (no parsing for dependencies, no
// transaction, no counting, no ledger).
func BareModels(ctx context.Context, cfg Config, srcDB, copyPath string) (time.Duration, error) {
	if err := copyFile(srcDB, copyPath); err != nil {
		return 0, err
	}
	defer os.Remove(copyPath)
	db, proj, err := openProject(ctx, copyPath, cfg)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	if err := lockDown(ctx, db, cfg); err != nil { // analyst SQL runs only in the sandbox
		return 0, err
	}
	SyncDisk() // the copy is on disk before the clock starts, not written back during it
	start := time.Now()
	for _, m := range proj.Models {
		kind := "TABLE"
		if m.Materialize == "view" {
			kind = "VIEW"
		}
		db.ExecContext(ctx, "DROP TABLE IF EXISTS "+duck.Ident(m.Name))
		db.ExecContext(ctx, "DROP VIEW IF EXISTS "+duck.Ident(m.Name))
		if _, err := db.ExecContext(ctx, "CREATE "+kind+" "+duck.Ident(m.Name)+" AS\n"+body(m.SQL)); err != nil {
			return 0, fmt.Errorf("bare %s: %w", m.Name, err)
		}
	}
	return time.Since(start), nil
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	return copyTo(dst, in)
}

// copyTo writes what in holds to a new file dst.
func copyTo(dst string, in io.Reader) error {
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// TimeCheck measures `bluebook check` in-process.
func TimeCheck(ctx context.Context, cfg Config) (time.Duration, error) {
	start := time.Now()
	_, err := Check(ctx, cfg)
	return time.Since(start), err
}

// TimeEdit measures what `bluebook serve` does after an edit of one model: it opens a
// session on the database, changes model's SQL (a trailing comment is enough to count as
// an edit) in the project folder queriesDir, and times the rebuild and re-render.
func TimeEdit(ctx context.Context, cfg Config, queriesDir, model string) (time.Duration, []string, error) {
	var path string
	filepath.WalkDir(queriesDir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Name() == model+".sql" {
			path = p
		}
		return nil
	})
	if path == "" {
		return 0, nil, fmt.Errorf("no model %s in %s", model, queriesDir)
	}
	sess, err := OpenSession(ctx, cfg)
	if sess == nil {
		return 0, nil, err
	}
	defer sess.Close()
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, nil, err
	}
	if err := os.WriteFile(path, append(b, []byte("\n-- edited by bluebook bench\n")...), 0o644); err != nil {
		return 0, nil, err
	}
	defer os.WriteFile(path, b, 0o644)
	start := time.Now()
	rr, err := sess.Rebuild(ctx)
	return time.Since(start), rr.Models, err
}

// StageDurations returns the duration of each stage of a run from the ledger.
func StageDurations(ctx context.Context, cfg Config, runID string) (map[string]time.Duration, error) {
	stages, err := Stages(ctx, cfg, runID)
	if err != nil {
		return nil, err
	}
	out := map[string]time.Duration{}
	for _, s := range stages {
		if s.Model == "" {
			out[s.Stage] = time.Duration(s.DurationMS * float64(time.Millisecond))
		}
	}
	return out, nil
}
