package pipeline

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"bluebook/diag"
	"bluebook/duck"
	"bluebook/reports"
)

// The analysts' session. Ingest may read the data folder; everything after it (models,
// checks, chapter queries, the preview's rebuilds) runs on a DuckDB instance that cannot
// touch the file system, attach databases, install extensions or change its settings.
// DuckDB's settings belong to the database instance, not to a connection, so once
// lockDown has run the instance stays locked until the process closes it: every
// connection of the pool, every rebuild of `serve`.
//
// The pipeline still moves a few files in and out after that point (seeds and reference
// tables in, Parquet downloads out, last year's published Parquet in). DuckDB's
// allowed_directories is not used for them: in DuckDB 1.5 a path such as
// "<allowed>/../x" passes its prefix test. Instead allowed_paths names exact files, which
// DuckDB normalises before comparing: the two fixed files of a scratch folder private to
// the process, and the Parquet files of the published edition the run compares with.

// scratchFiles are the only file names the pipeline reads or writes in its scratch
// folder once the database is locked.
const (
	scratchCSV     = "load.csv"
	scratchParquet = "export.parquet"
)

// lockDown seals db for analyst SQL: no file or network access except the exact scratch
// and published files, no extension installs, no setting changes. It is idempotent, so
// every entry point calls it before the first analyst query.
func lockDown(ctx context.Context, db *sql.DB, cfg Config) error {
	if locked, err := isLocked(ctx, db); err != nil || locked {
		return err
	}
	scratch, err := newScratchName(cfg)
	if err != nil {
		return err
	}
	allowed := []string{filepath.Join(scratch, scratchCSV), filepath.Join(scratch, scratchParquet),
		filepath.Join(scratch, "tmp_"+scratchParquet)}
	if cfg.DBPath != "" {
		if folder, _ := latestEdition(cfg.editionsDir(), cfg.Year-1); folder != "" {
			files, _ := filepath.Glob(filepath.Join(folder, "tables", "*.parquet"))
			allowed = append(allowed, files...)
		}
	}
	return duck.LockDown(ctx, db, allowed)
}

// isLocked reports whether lockDown already ran on db's instance.
func isLocked(ctx context.Context, db *sql.DB) (bool, error) { return duck.IsLockedDown(ctx, db) }

// newScratchName chooses the scratch folder of a database instance: beside the database
// file (which one process at a time holds), or a fresh random name in the system's
// temporary folder for an in-memory database. The folder itself is created, private to
// the user, only while a file passes through it (see withScratch).
func newScratchName(cfg Config) (string, error) {
	if cfg.DBPath != "" {
		return absPath(cfg.DBPath) + ".scratch", nil
	}
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("scratch folder name: %w", err)
	}
	return filepath.Join(os.TempDir(), "bluebook-scratch-"+hex.EncodeToString(b)), nil
}

// scratchFile returns the path of name in db's scratch folder when db is locked down, or
// "" when it is not (then any temporary file will do).
func scratchFile(ctx context.Context, db *sql.DB, name string) (string, error) {
	locked, err := isLocked(ctx, db)
	if err != nil || !locked {
		return "", err
	}
	paths, err := duck.AllowedPaths(ctx, db)
	if err != nil {
		return "", err
	}
	for _, p := range paths {
		dir := filepath.Base(filepath.Dir(p))
		if filepath.Base(p) == name && (strings.HasSuffix(dir, ".scratch") || strings.HasPrefix(dir, "bluebook-scratch-")) {
			return p, nil
		}
	}
	return "", fmt.Errorf("the locked database has no scratch file %s", name)
}

// withScratch creates the folder of file (mode 0700; an existing folder must be a real
// folder of ours, not a link), runs f, then removes file and the folder.
func withScratch(file string, f func() error) error {
	dir := filepath.Dir(file)
	if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("create scratch folder: %w", err)
	}
	st, err := os.Lstat(dir)
	if err != nil {
		return fmt.Errorf("scratch folder: %w", err)
	}
	if !st.IsDir() || st.Mode().Perm()&0o077 != 0 {
		return fmt.Errorf("scratch folder %s is not a private folder; remove it", dir)
	}
	os.Remove(file)
	defer os.Remove(dir) // only when empty
	defer os.Remove(file)
	defer os.Remove(filepath.Join(dir, "tmp_"+filepath.Base(file)))
	return f()
}

// exportParquet writes table as a Parquet file at dst. On a locked database the file is
// written into the scratch folder (the one place DuckDB may write) and moved to dst.
func exportParquet(ctx context.Context, db *sql.DB, table, dst string) error {
	write := func(p string) error {
		_, err := db.ExecContext(ctx, "COPY (SELECT * FROM "+duck.Ident(table)+") TO "+duck.Literal(p)+" (FORMAT parquet)")
		return err
	}
	tmp, err := scratchFile(ctx, db, scratchParquet)
	if err != nil {
		return err
	}
	if tmp == "" {
		return write(dst)
	}
	return withScratch(tmp, func() error {
		if err := write(tmp); err != nil {
			return err
		}
		if err := os.Rename(tmp, dst); err == nil {
			return nil
		}
		return copyFile(tmp, dst) // another file system
	})
}

// sandbox checks that every chapter query is one SELECT that reads nothing it may not,
// then locks db down. Run and serve call it after ingest and before the first analyst
// query; a chapter that cannot be loaded is left for the render stage to report.
func sandbox(ctx context.Context, db *sql.DB, cfg Config) error {
	if book, err := reports.Load(cfg.Reports); err == nil {
		if err := checkChapters(ctx, db, cfg, book); err != nil {
			return err
		}
	}
	return lockDown(ctx, db, cfg)
}

// checkChapters parses every chapter query with DuckDB's parser, without running it:
// each must be one SELECT reading only what analyst SQL may read.
func checkChapters(ctx context.Context, db *sql.DB, cfg Config, book *reports.Book) error {
	var errs ErrorList
	for _, q := range book.Queries() {
		errs = append(errs, checkQuery(ctx, db, cfg, q)...)
	}
	return errs.Err()
}

// checkQuery checks one chapter query (see analyze), at its place in the chapter file.
func checkQuery(ctx context.Context, db *sql.DB, cfg Config, q reports.Query) []error {
	_, errs := analyze(ctx, db, path.Join(cfg.ReportsDir, q.File), q.SQL, q.SQL, "a chapter's query")
	for _, e := range errs {
		var f *diag.Error
		if errors.As(e, &f) {
			f.Line = max(f.Line, 1) + q.Line - 1
		}
	}
	return errs
}
