package pipeline

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path"
	"path/filepath"
	"time"

	"github.com/duckdb/duckdb-go/v2"

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
			vals[i] = plain(v)
		}
		t.Rows = append(t.Rows, vals)
	}
	return t, rows.Err()
}

// plain converts a value from the DuckDB driver to nil, bool, int64, float64, string or time.Time.
func plain(v any) any {
	switch x := v.(type) {
	case nil, bool, int64, float64, string, time.Time:
		return x
	case int8:
		return int64(x)
	case int16:
		return int64(x)
	case int32:
		return int64(x)
	case int:
		return int64(x)
	case uint8:
		return int64(x)
	case uint16:
		return int64(x)
	case uint32:
		return int64(x)
	case uint64:
		return int64(x)
	case float32:
		return float64(x)
	case *big.Int:
		if x.IsInt64() {
			return x.Int64()
		}
		f, _ := new(big.Float).SetInt(x).Float64()
		return f
	case duckdb.Decimal:
		return x.Float64()
	case []byte:
		return string(x)
	default:
		return fmt.Sprint(x)
	}
}

// renderReport runs the chapters' queries and writes the site into a fresh folder, then
// swaps it in for cfg.OutDir, so a reader never sees a half-written report.
func renderReport(ctx context.Context, db *sql.DB, cfg Config, book *reports.Book, meta reports.Meta) error {
	results := map[string]*reports.Table{}
	var errs ErrorList
	for _, q := range book.Queries() {
		t, err := queryTable(ctx, db, q.SQL)
		if err != nil {
			shown := path.Join(cfg.ReportsDir, q.File)
			fe := mapDuckErr(err, shown, q.SQL, 0)
			var f *FileError
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
	// Staging folders of runs that were killed are stale: this run holds the lock.
	for _, pattern := range []string{"." + filepath.Base(out) + ".new-*", filepath.Base(out) + ".old-*"} {
		stale, _ := filepath.Glob(filepath.Join(filepath.Dir(out), pattern))
		for _, d := range stale {
			os.RemoveAll(d)
		}
	}
	tmp, err := os.MkdirTemp(filepath.Dir(out), "."+filepath.Base(out)+".new-")
	if err != nil {
		return fmt.Errorf("create staging folder: %w", err)
	}
	defer os.RemoveAll(tmp)
	if err := reports.Render(book, results, meta, reports.Options{Dir: tmp}); err != nil {
		return fmt.Errorf("render: %w", err)
	}
	cfg.hook("render:publish")
	return swapDir(tmp, out)
}

// swapDir replaces dst by src with renames: the old folder is moved aside, the new one
// moved in, the old one removed. A reader sees either the old or the new report.
func swapDir(src, dst string) error {
	old := ""
	if _, err := os.Stat(dst); err == nil {
		old = dst + ".old-" + time.Now().Format("20060102150405.000000000")
		if err := os.Rename(dst, old); err != nil {
			return fmt.Errorf("move old report aside: %w", err)
		}
	}
	if err := os.Rename(src, dst); err != nil {
		if old != "" {
			os.Rename(old, dst)
		}
		return fmt.Errorf("publish report: %w", err)
	}
	if old != "" {
		os.RemoveAll(old)
	}
	return nil
}
