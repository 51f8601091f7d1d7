package pipeline

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"sort"
	"time"

	"bluebook/diag"
	"bluebook/duck"
	"bluebook/reports"
)

// queryTable runs q and converts its rows to plain Go values for the renderer.
func queryTable(ctx context.Context, db *sql.DB, q string, args ...any) (*reports.Table, error) {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	t := &reports.Table{Columns: cols}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		for i, v := range vals {
			vals[i] = duck.Plain(v)
		}
		t.Rows = append(t.Rows, vals)
	}
	return t, rows.Err()
}

// renderReport runs the chapters' queries and writes the site into a fresh folder, then
// swaps it in for cfg.OutDir, so a reader never sees a half-written report.
func renderReport(ctx context.Context, db *sql.DB, cfg Config, book *reports.Book, meta reports.Meta) error {
	t0 := time.Now()
	results := map[string]*reports.Table{}
	var errs ErrorList
	for _, q := range book.Queries() {
		t, err := queryTable(ctx, db, q.SQL)
		if err != nil {
			shown := path.Join(cfg.ReportsDir, q.File)
			fe := mapDuckErr(err, shown, q.SQL, 0)
			var f *diag.Error
			if errors.As(fe, &f) && f.Line > 0 {
				f.Line += q.Line - 1
			} else if errors.As(fe, &f) {
				f.Line = q.Line
			}
			errs = append(errs, fe)
			continue
		}
		results[q.ID] = t
	}
	if err := errs.Err(); err != nil {
		return err
	}
	out := absPath(cfg.OutDir)
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return fmt.Errorf("create %s: %w", filepath.Dir(out), err)
	}
	// What a killed run left beside the report (this run holds the output folder's lock).
	if err := recoverSwap(out); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(out), "."+filepath.Base(out)+".new-")
	if err != nil {
		return fmt.Errorf("create staging folder: %w", err)
	}
	defer os.RemoveAll(tmp)
	if err := os.Chmod(tmp, 0o755); err != nil { // readable by a web server, like any published folder
		return err
	}
	tQueries := time.Since(t0)
	var exports []reports.Export
	if !cfg.Preview {
		if exports, err = loadExports(ctx, db, cfg); err != nil {
			return err
		}
	}
	t1 := time.Now()
	if err := reports.Render(book, results, meta, reports.Options{Dir: tmp, Exports: exports}); err != nil {
		return fmt.Errorf("render: %w", chapterErrors(err, cfg.ReportsDir))
	}
	tPages := time.Since(t1)
	t1 = time.Now()
	for _, x := range exports {
		dst := filepath.Join(tmp, "data", x.Name+".parquet")
		if err := exportParquet(ctx, db, x.Name, dst); err != nil {
			return fmt.Errorf("export %s as Parquet: %w", x.Name, err)
		}
	}
	tParquet := time.Since(t1)
	t1 = time.Now()
	if cfg.SingleFile != "" && !cfg.Preview {
		if err := renderSingleFile(book, results, meta, cfg.SingleFile, cfg.ReportsDir); err != nil {
			return err
		}
	}
	cfg.logger().Debug("render timings", "queries", tQueries, "pages_and_downloads", tPages, "parquet", tParquet, "single_file", time.Since(t1), "exports", len(exports))
	cfg.hook("render:publish")
	return swapDir(tmp, out)
}

// renderSingleFile writes the whole report as one self-contained HTML file at path,
// replacing any previous one by rename. reportsDir is the reports folder as messages show
// it (cfg.ReportsDir).
func renderSingleFile(book *reports.Book, results map[string]*reports.Table, meta reports.Meta, path, reportsDir string) error {
	path = absPath(path)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(path), ".bluebook-single-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	if err := reports.Render(book, results, meta, reports.Options{Dir: tmp, SingleFile: true}); err != nil {
		return fmt.Errorf("render single file: %w", chapterErrors(err, reportsDir))
	}
	if err := os.Chmod(filepath.Join(tmp, "index.html"), 0o644); err != nil {
		return err
	}
	return os.Rename(filepath.Join(tmp, "index.html"), path)
}

// loadExports reads the tables listed in the seed export_tables (name, title) with their
// Chinese column titles from the seed column_titles, for the report's downloads.
func loadExports(ctx context.Context, db *sql.DB, cfg Config) ([]reports.Export, error) {
	seed := path.Join(cfg.QueriesDir, "seeds", "export_tables.csv")
	var n int
	db.QueryRowContext(ctx, `SELECT count(*) FROM duckdb_tables() WHERE table_name IN ('export_tables', 'column_titles') AND schema_name = 'main'`).Scan(&n)
	if n < 2 {
		return nil, nil // a project without downloads
	}
	titles := map[string]string{}
	t, err := queryTable(ctx, db, `SELECT "column", title FROM column_titles`)
	if err != nil {
		return nil, fmt.Errorf("read column_titles: %w", err)
	}
	for _, r := range t.Rows {
		if c, ok := r[0].(string); ok {
			titles[c], _ = r[1].(string)
		}
	}
	list, err := queryTable(ctx, db, `SELECT name, title FROM export_tables ORDER BY rowid`)
	if err != nil {
		return nil, &diag.Error{Path: seed, Line: 1, Col: 1, Err: fmt.Errorf("read: %s", cleanDuckErr(err))}
	}
	var exports []reports.Export
	var errs ErrorList
	for i, r := range list.Rows {
		name, _ := r[0].(string)
		title, _ := r[1].(string)
		if !modelName.MatchString(name) { // a table name, as for models
			errs = append(errs, &diag.Error{Path: seed, Line: i + 2, Col: 1, Err: fmt.Errorf("%q is not a table name", name)})
			continue
		}
		x := reports.Export{Name: name, Title: title, Titles: titles, Parquet: true}
		var err error
		if x.Table, x.Stream, err = exportTable(ctx, db, name); err != nil {
			errs = append(errs, &diag.Error{Path: seed, Line: i + 2, Col: 1, Err: fmt.Errorf("table %q: %s", name, cleanDuckErr(err))})
			continue
		}
		exports = append(exports, x)
	}
	return exports, errs.Err()
}

// exportTable reads a table for the downloads: whole when it has at most
// reports.WorkbookMaxRows rows, else as a stream that reads it again for each file, so
// the render's memory does not grow with an enterprise-level table.
func exportTable(ctx context.Context, db *sql.DB, name string) (*reports.Table, *reports.Stream, error) {
	q := "SELECT * FROM " + duck.Ident(name)
	var n int
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM "+duck.Ident(name)).Scan(&n); err != nil {
		return nil, nil, err
	}
	if n <= reports.WorkbookMaxRows {
		t, err := queryTable(ctx, db, q)
		return t, nil, err
	}
	rows, err := db.QueryContext(ctx, q+" LIMIT 0")
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	types, err := rows.ColumnTypes()
	if err != nil {
		return nil, nil, err
	}
	s := &reports.Stream{Rows: n}
	for _, t := range types {
		s.Columns = append(s.Columns, t.Name())
		s.Types = append(s.Types, t.DatabaseTypeName())
	}
	s.Open = func() (reports.RowReader, error) {
		rows, err := db.QueryContext(ctx, q)
		if err != nil {
			return nil, err
		}
		return &sqlRows{rows: rows, vals: make([]any, len(s.Columns))}, nil
	}
	return nil, s, rows.Err()
}

// sqlRows reads query rows one at a time as plain values (a reports.RowReader).
type sqlRows struct {
	rows *sql.Rows
	vals []any // the current row, reused: valid until the next call of Next
	ptrs []any // &vals[i], for Scan
}

func (r *sqlRows) Next() ([]any, error) {
	if !r.rows.Next() {
		if err := r.rows.Err(); err != nil {
			return nil, err
		}
		return nil, io.EOF
	}
	if r.ptrs == nil {
		r.ptrs = make([]any, len(r.vals))
		for i := range r.vals {
			r.ptrs[i] = &r.vals[i]
		}
	}
	clear(r.vals)
	if err := r.rows.Scan(r.ptrs...); err != nil {
		return nil, err
	}
	for i, v := range r.vals {
		r.vals[i] = duck.Plain(v)
	}
	return r.vals, nil
}

func (r *sqlRows) Close() error { return r.rows.Close() }

// errExchangeUnsupported reports that the system cannot exchange two paths atomically.
var errExchangeUnsupported = errors.New("atomic exchange not supported")

// swapDir replaces the folder dst by src. Where the system can, the two are exchanged in
// one atomic step (src then holds the old report, which is removed), so dst holds a
// complete report at every instant, even if the process is killed. Elsewhere the old
// folder is moved aside to dst.old-<time> and the new one moved in; a kill between the two
// renames leaves no dst, which recoverSwap mends at the start of the next run.
func swapDir(src, dst string) error {
	st, err := os.Lstat(dst)
	switch {
	case err == nil && st.IsDir():
		err := exchange(src, dst)
		if err == nil {
			os.RemoveAll(src) // the old report
			return nil
		}
		if !errors.Is(err, errExchangeUnsupported) {
			return fmt.Errorf("publish report: %w", err)
		}
	case err == nil:
		return fmt.Errorf("publish report: %s exists and is not a folder; move it away", dst)
	case !errors.Is(err, os.ErrNotExist):
		return fmt.Errorf("publish report: %w", err)
	default:
		if err := os.Rename(src, dst); err != nil {
			return fmt.Errorf("publish report: %w", err)
		}
		return nil
	}
	old := dst + ".old-" + time.Now().Format("20060102150405.000000000")
	if err := os.Rename(dst, old); err != nil {
		return fmt.Errorf("move old report aside: %w", err)
	}
	if err := os.Rename(src, dst); err != nil {
		os.Rename(old, dst)
		return fmt.Errorf("publish report: %w", err)
	}
	os.RemoveAll(old)
	return nil
}

// recoverSwap mends what a run killed while publishing left beside the report folder out:
// when out is missing but an old report moved aside by the two-rename swap remains, the
// newest one is put back; staging folders are removed. It is called with the output
// folder's lock held, so no other run is publishing there.
func recoverSwap(out string) error {
	dir, base := filepath.Dir(out), filepath.Base(out)
	olds, _ := filepath.Glob(filepath.Join(dir, base+".old-*"))
	sort.Strings(olds) // the suffix is a timestamp: the last is the newest
	if _, err := os.Lstat(out); errors.Is(err, os.ErrNotExist) && len(olds) > 0 {
		if err := os.Rename(olds[len(olds)-1], out); err != nil {
			return fmt.Errorf("put back the report moved aside by an interrupted publication: %w", err)
		}
		olds = olds[:len(olds)-1]
	}
	stale, _ := filepath.Glob(filepath.Join(dir, "."+base+".new-*"))
	for _, d := range append(olds, stale...) {
		if err := os.RemoveAll(d); err != nil {
			return fmt.Errorf("remove what an interrupted publication left: %w", err)
		}
	}
	return nil
}
