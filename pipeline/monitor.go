package pipeline

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"regexp"
	"strconv"
	"testing/fstest"
	"time"

	"bluebook/reports"
)

// monitorChapter is the chapter the quarterly monitoring report is made of.
const monitorChapter = "chapters/06_monitor.md"

var quarterSpec = regexp.MustCompile(`^(\d{4})Q([1-4])$`)

// ParseQuarter reads "2026Q3" and returns the first day of its last month.
func ParseQuarter(s string) (time.Time, error) {
	g := quarterSpec.FindStringSubmatch(s)
	if g == nil {
		return time.Time{}, fmt.Errorf("%w: --quarter %q: write the year and the quarter, e.g. 2026Q3", ErrConfig, s)
	}
	y, _ := strconv.Atoi(g[1])
	q, _ := strconv.Atoi(g[2])
	return time.Date(y, time.Month(3*q), 1, 0, 0, 0, 0, time.UTC), nil
}

// Monitor renders the quarterly monitoring report (季度运行监测报告) from the database a
// run left: the chapter 运行监测 alone, for the quarter ending in the month quarterEnd
// (zero: the last complete quarter of the data), into cfg.OutDir and, with cfg.SingleFile,
// as one file. The database is opened read-only and never changed; the edition year and
// extraction date are those of its last successful run.
func Monitor(ctx context.Context, cfg Config, quarterEnd time.Time) (string, error) {
	if err := CheckLock(cfg.DBPath); err != nil {
		return "", err
	}
	probe, err := openDB(ctx, cfg.DBPath, Config{}, true)
	if err != nil {
		return "", err
	}
	var year sql.NullInt64
	var asOf sql.NullTime
	err = probe.QueryRowContext(ctx, `SELECT year, as_of FROM runs WHERE status IN ('success', 'check_failed') ORDER BY started DESC LIMIT 1`).Scan(&year, &asOf)
	probe.Close()
	if err != nil || !year.Valid || !asOf.Valid {
		return "", fmt.Errorf("%w: %s holds no successful run to report on (run `bluebook run` first)", ErrRunFailed, cfg.DBPath)
	}
	cfg.Year, cfg.AsOf = int(year.Int64), asOf.Time
	if !quarterEnd.IsZero() {
		if cfg.Params == nil {
			cfg.Params = map[string]any{}
		}
		cfg.Params["monitor_quarter_end"] = quarterEnd.Format("2006-01-02")
	}
	db, err := openDB(ctx, cfg.DBPath, cfg, true)
	if err != nil {
		return "", err
	}
	defer db.Close()
	text, err := fs.ReadFile(cfg.Reports, monitorChapter)
	if err != nil {
		return "", fmt.Errorf("%w: the monitoring chapter %s: %v", ErrConfig, monitorChapter, err)
	}
	book, err := reports.Load(fstest.MapFS{monitorChapter: {Data: text}})
	if err != nil {
		return "", fmt.Errorf("report templates: %w", err)
	}
	meta, err := reportMeta(ctx, db, cfg, &Result{RunID: "monitor-" + time.Now().Format("20060102-150405")})
	if err != nil {
		return "", err
	}
	cfg.Preview = true // no downloads: the quarterly report is the chapter alone
	if err := renderReport(ctx, db, cfg, book, meta); err != nil {
		return "", fmt.Errorf("%w: render: %w", ErrRunFailed, err)
	}
	if cfg.SingleFile != "" {
		results := map[string]*reports.Table{}
		for _, q := range book.Queries() {
			t, err := queryTable(ctx, db, q.SQL)
			if err != nil {
				return "", fmt.Errorf("%w: %s: %v", ErrRunFailed, q.ID, err)
			}
			results[q.ID] = t
		}
		if err := renderSingleFile(book, results, meta, cfg.SingleFile); err != nil {
			return "", err
		}
	}
	return absPath(cfg.OutDir), nil
}
