package main

import (
	"context"
	"fmt"
	"time"

	"bluebook/data/demo"
	"bluebook/pipeline"
)

// cmdMonitor renders the quarterly monitoring report from the database a run left.
func cmdMonitor(ctx context.Context, e *env, args []string) error {
	fs, c := newFlags(e, "monitor", "monitor --db FILE --out DIR [--quarter 2026Q3] [--single-file FILE]")
	dbPath := fs.String("db", "", "DuckDB database file a run left (opened read-only)")
	out := fs.String("out", "", "folder for the report (index.html and the page 运行监测)")
	quarter := fs.String("quarter", "", "the quarter to report, e.g. 2026Q3 (default: the last complete quarter of the data)")
	single := fs.String("single-file", "", "also write the report as one self-contained HTML file (to print with bluebook pdf)")
	cfg, err := c.parse(e, fs, args)
	if err != nil {
		return err
	}
	if err := dbFlag(&cfg, *dbPath, "monitor"); err != nil {
		return err
	}
	if *out == "" {
		return usageError{"monitor needs --out DIR"}
	}
	cfg.OutDir, cfg.SingleFile = *out, *single
	var end time.Time
	if *quarter != "" {
		if end, err = pipeline.ParseQuarter(*quarter); err != nil {
			return usageError{err.Error()}
		}
	}
	dir, err := pipeline.Monitor(ctx, cfg, end, demo.City)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, dir+"/index.html")
	return nil
}
