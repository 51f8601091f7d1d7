package pipeline

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"regexp"
	"strconv"
	"strings"
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
// extraction date are those of its last successful run; when that run was a demo, the
// report says so and names the city demoCity unless the configuration names one.
func Monitor(ctx context.Context, cfg Config, quarterEnd time.Time, demoCity string) (string, error) {
	if err := CheckLock(cfg.DBPath); err != nil {
		return "", err
	}
	probe, err := openDB(ctx, cfg.DBPath, Config{}, true)
	if err != nil {
		return "", err
	}
	var year sql.NullInt64
	var asOf sql.NullTime
	var trigger sql.NullString
	err = probe.QueryRowContext(ctx, `SELECT year, as_of, trigger FROM runs WHERE status IN ('success', 'check_failed') ORDER BY started DESC LIMIT 1`).Scan(&year, &asOf, &trigger)
	probe.Close()
	if err != nil || !year.Valid || !asOf.Valid {
		return "", fmt.Errorf("%w: %s holds no successful run to report on (run `bluebook run` first)", ErrRunFailed, cfg.DBPath)
	}
	cfg.Year, cfg.AsOf = int(year.Int64), asOf.Time
	if trigger.String == "demo" {
		// the report says so on every page, and names the demo's city unless one is configured
		cfg.Demo = true
		if cfg.City == "" || cfg.City == "本市" {
			cfg.City = demoCity
		}
	}
	db, err := openDB(ctx, cfg.DBPath, cfg, true)
	if err != nil {
		return "", err
	}
	// The quarters the data covers, from the model the chapter reads them from: the last
	// complete one when none is named, and a named one must be among them.
	var first, last, latest sql.NullTime
	if err := db.QueryRowContext(ctx, `SELECT min(quarter_end), max(quarter_end), max(quarter_end) FILTER (WHERE is_latest) FROM report_monitor_quarters`).Scan(&first, &last, &latest); err != nil {
		db.Close()
		return "", fmt.Errorf("%w: read report_monitor_quarters: %s", ErrRunFailed, cleanDuckErr(err))
	}
	if !latest.Valid {
		db.Close()
		return "", fmt.Errorf("%w: monitor_series holds no complete month", ErrRunFailed)
	}
	if quarterEnd.IsZero() {
		quarterEnd = latest.Time
	} else if quarterEnd.Before(first.Time) || quarterEnd.After(last.Time) {
		db.Close()
		return "", fmt.Errorf("%w: --quarter %s: the monitoring data covers %s to %s", ErrConfig,
			quarterName(quarterEnd), quarterName(first.Time), quarterName(last.Time))
	}
	db.Close()
	// The chapter reads the quarter (and the month of its status table) from this variable.
	params := map[string]any{}
	for k, v := range cfg.Params {
		params[k] = v
	}
	params["monitor_quarter_end"] = quarterEnd.Format("2006-01-02")
	cfg.Params = params
	if db, err = openDB(ctx, cfg.DBPath, cfg, true); err != nil {
		return "", err
	}
	defer db.Close()
	text, err := fs.ReadFile(cfg.Reports, monitorChapter)
	if err != nil {
		return "", fmt.Errorf("%w: the monitoring chapter %s: %v", ErrConfig, monitorChapter, err)
	}
	// The report is the chapter alone: chapter 1, titled after the quarter.
	body := string(text)
	if i := strings.IndexByte(body, '\n'); i >= 0 {
		body = body[i:]
	}
	const file = "chapters/01_monitor.md"
	book, err := reports.Load(fstest.MapFS{file: {Data: []byte("# {{p.q_label}}{{city}}民营经济运行监测" + body)}})
	if err != nil {
		return "", fmt.Errorf("report templates (%s): %w", monitorChapter, chapterErrors(err, cfg.ReportsDir))
	}
	meta, err := reportMeta(ctx, db, cfg, &Result{RunID: "monitor-" + time.Now().Format("20060102-150405")})
	if err != nil {
		return "", err
	}
	quarter := (int(quarterEnd.Month())-1)/3 + 1
	meta.Report = &reports.ReportTitle{
		Title:   "民营经济运行监测季度报告",
		Period:  fmt.Sprintf("%d年第%s季度", quarterEnd.Year(), []string{"一", "二", "三", "四"}[quarter-1]),
		Series:  "运行监测 · QUARTERLY MONITORING",
		English: "Quarterly Monitoring Report on the Private Economy",
	}
	meta.Cutoff = quarterEnd.AddDate(0, 1, -1) // the quarter's last day
	meta.InProgress = false
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
		if err := renderSingleFile(book, results, meta, cfg.SingleFile, cfg.ReportsDir); err != nil {
			return "", err
		}
	}
	return absPath(cfg.OutDir), nil
}

// quarterName writes the quarter ending in the month of t as --quarter takes it (2026Q3).
func quarterName(t time.Time) string {
	return fmt.Sprintf("%dQ%d", t.Year(), (int(t.Month())-1)/3+1)
}
