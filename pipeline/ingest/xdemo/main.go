// Command xdemo is a scratch cross-check against data/demo (temporary, not committed).
package main

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"time"

	"bluebook/data/demo"
	"bluebook/pipeline/ingest"

	_ "github.com/duckdb/duckdb-go/v2"
)

func main() {
	scale, _ := strconv.Atoi(os.Args[1])
	dir := os.Args[2]
	asOf := time.Date(2026, 10, 31, 0, 0, 0, 0, time.UTC)
	ctx := context.Background()
	var sum demo.Summary
	var err error
	if _, serr := os.Stat(dir + "/registry"); serr != nil {
		t0 := time.Now()
		sum, err = demo.Generate(ctx, demo.Options{Dir: dir, Scale: scale, Seed: 1, AsOf: asOf})
		if err != nil {
			panic(err)
		}
		fmt.Println("generated", time.Since(t0), sum.Files, sum.Rows)
	}
	dsn := ""
	if len(os.Args) > 3 {
		dsn = os.Args[3]
	}
	db, err := sql.Open("duckdb", dsn+"?autoinstall_known_extensions=false")
	if err != nil {
		panic(err)
	}
	var ds []ingest.District
	for _, d := range demo.Districts() {
		ds = append(ds, ingest.District{Code: d.Code, Name: d.Name})
	}
	t0 := time.Now()
	res, err := ingest.Run(ctx, db, ingest.Options{DataDir: dir, AsOf: asOf, Districts: ds,
		Logger: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	fmt.Println("ingest", time.Since(t0), err)
	for _, s := range res.Sources {
		fmt.Printf("%+v\n", s)
	}
	// Compare with planted.csv.
	q := `WITH p AS (SELECT * FROM read_csv(?, all_varchar=true)),
r AS (SELECT source, file, line, column_name, rule FROM rejects)
SELECT 'planted-not-rejected' AS k, p.* FROM p WHERE p.rule IN ('missing_required','bad_value','bad_uscc','unknown_value','out_of_range','date_order','future_date','duplicate_uscc','duplicate_id','malformed_row')
  AND NOT EXISTS (SELECT 1 FROM r WHERE r.file = p.file AND r.line = p.line AND r.rule = p.rule)
UNION ALL
SELECT 'rejected-not-planted', r.source, r.file, r.line, r.column_name, r.rule FROM r WHERE NOT EXISTS (SELECT 1 FROM p WHERE r.file = p.file AND r.line = p.line)
LIMIT 40`
	flags := `WITH p AS (SELECT * FROM read_csv(?, all_varchar=true) WHERE rule NOT IN ('missing_required','bad_value','bad_uscc','unknown_value','out_of_range','date_order','future_date','duplicate_uscc','duplicate_id','malformed_row'))
SELECT p.source, p.file, p.line, p.rule, CASE p.rule
  WHEN 'uscc_check' THEN (SELECT any_value(NOT uscc_valid) FROM registry c WHERE c.source_file = p.file AND c.source_line = p.line)
  WHEN 'unknown_district' THEN (SELECT any_value(unknown_district) FROM registry c WHERE c.source_file = p.file AND c.source_line = p.line)
  WHEN 'industry_section' THEN (SELECT any_value(industry_section = '?') FROM registry c WHERE c.source_file = p.file AND c.source_line = p.line)
  WHEN 'missing_cancelled_on' THEN (SELECT any_value(missing_cancelled_on) FROM registry c WHERE c.source_file = p.file AND c.source_line = p.line)
  WHEN 'unknown_chamber' THEN coalesce((SELECT any_value(unknown_chamber) FROM registry c WHERE c.source_file = p.file AND c.source_line = p.line), (SELECT any_value(unknown_chamber) FROM chamber_activities c WHERE c.source_file = p.file AND c.source_line = p.line))
  WHEN 'orphan' THEN coalesce((SELECT any_value(orphan) FROM appeals c WHERE c.source_file = p.file AND c.source_line = p.line), (SELECT any_value(orphan) FROM innovation c WHERE c.source_file = p.file AND c.source_line = p.line), (SELECT any_value(orphan) FROM donations c WHERE c.source_file = p.file AND c.source_line = p.line), (SELECT any_value(orphan) FROM chamber_activities c WHERE c.source_file = p.file AND c.source_line = p.line))
  WHEN 'unknown_category' THEN (SELECT any_value(unknown_category) FROM appeals c WHERE c.source_file = p.file AND c.source_line = p.line)
  WHEN 'unknown_program' THEN (SELECT any_value(unknown_program) FROM donations c WHERE c.source_file = p.file AND c.source_line = p.line)
  END AS flagged FROM p`
	frows, err := db.Query(flags, dir+"/planted.csv")
	if err != nil {
		panic(err)
	}
	for frows.Next() {
		var a, b, c, d string
		var f sql.NullBool
		frows.Scan(&a, &b, &c, &d, &f)
		if !f.Valid || !f.Bool {
			fmt.Println("FLAG MISSING", a, b, c, d, f)
		}
	}
	var counts string
	db.QueryRow("SELECT string_agg(source || ':' || encoding, ' ') FROM ingest_files").Scan(&counts)
	fmt.Println(counts)
	rows, err := db.Query(q, dir+"/planted.csv")
	if err != nil {
		panic(err)
	}
	cols, _ := rows.Columns()
	fmt.Println(cols)
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		rows.Scan(ptrs...)
		fmt.Println(vals...)
	}
}
