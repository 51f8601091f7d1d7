package pipeline

import (
	"context"
	"database/sql"
	"fmt"
	"path"
	"sort"
	"strings"

	"bluebook/diag"
	"bluebook/duck"
	"bluebook/reports"
)

// Chapters only read models: every number the report prints is a model column, checked
// by its headers, downloadable, frozen by publish and covered by the indicator tests. A
// chapter's query may select, filter, order and format; `check` enforces it:
//   - an error when the query reads a table that is neither a model (main or published.*),
//     a seed of queries/seeds/ nor a reference table (ref_*, fixed data shipped with
//     bluebook, such as the sources' titles) (nor the run's check results, which the quality appendix
//     lists, nor the sheets ingest skipped: records of the run that the quality appendix
//     lists, which no model can read): a source table, a table of the appeal text step;
//   - a warning when it computes over rows: GROUP BY, an aggregate function (count(*)
//     included: a count is a number the report prints) or a window function.

// chapterRecords are tables a chapter may read although they are not models: what a run
// records about itself (the checks run after the models; the skipped sheets exist only when
// ingest ran, not on the empty sources the models are checked against).
var chapterRecords = map[string]bool{"check_results": true, "check_failures": true, "ingest_skipped_sheets": true}

// reportModelHint tells where a chapter's computation belongs.
func reportModelHint(q reports.Query) string {
	stem := strings.TrimSuffix(path.Base(q.File), ".md")
	if i := strings.IndexByte(stem, '_'); i >= 0 {
		stem = stem[i+1:]
	}
	name := q.ID
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		name = name[i+1:]
	}
	return fmt.Sprintf("compute it in a model (such as queries/report/report_%s_%s.sql) and select from that", stem, name)
}

// chapterReadErrors returns an error for each table q reads that a chapter may not read
// (see above), at its place in the chapter file. known lists the tables in the database
// that are not models.
func chapterReadErrors(cfg Config, q reports.Query, refs []tableRef, proj *Project, known map[string]bool) []error {
	seeds := seedNames(proj)
	var errs []error
	for _, r := range refs {
		if r.Schema != "" && !strings.EqualFold(r.Schema, "main") {
			continue // published.x is a model; other schemas are refused by analyze
		}
		name := strings.ToLower(r.Name)
		if proj.Model(name) != nil || seeds[name] || chapterRecords[name] || strings.HasPrefix(name, "ref_") || !known[name] {
			continue // an unknown table is reported when the query is bound
		}
		kind := "table"
		for _, s := range sourceTables {
			if s == name {
				kind = "source table"
			}
		}
		line, col := position(q.SQL, r.Offset)
		errs = append(errs, &diag.Error{Path: path.Join(cfg.ReportsDir, q.File), Line: max(line, 1) + q.Line - 1, Col: col,
			Err: fmt.Errorf("a chapter's query reads the %s %q: chapters read only models (queries/) and seeds; %s", kind, name, reportModelHint(q))})
	}
	return errs
}

// aggregateFunctions returns the names of DuckDB's aggregate functions.
func aggregateFunctions(ctx context.Context, db *sql.DB) (map[string]bool, error) {
	rows, err := db.QueryContext(ctx, `SELECT DISTINCT lower(function_name) FROM duckdb_functions() WHERE function_type = 'aggregate'`)
	if err != nil {
		return nil, fmt.Errorf("list aggregate functions: %w", err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, fmt.Errorf("list aggregate functions: %w", err)
		}
		out[n] = true
	}
	return out, rows.Err()
}

// chapterComputes returns a warning when q computes over rows (GROUP BY, an aggregate or
// a window function), at the first place it does, or nil.
func chapterComputes(ctx context.Context, db *sql.DB, cfg Config, q reports.Query, aggregates map[string]bool) error {
	p, err := duck.Parse(ctx, db, q.SQL)
	if err != nil || p.Failed {
		return nil // analyze reported it
	}
	var found []issue
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case []any:
			for _, c := range x {
				walk(c)
			}
		case duck.Node:
			walk(map[string]any(x))
		case map[string]any:
			n := duck.Node(x)
			switch {
			case n.Type() == duck.SelectNode:
				if list, ok := n.Fields()[duck.GroupBy].([]any); ok && len(list) > 0 {
					found = append(found, issue{off: max(duck.FirstOffset(list[0]), 0), msg: "GROUP BY"})
				} else if n.GroupByAll() {
					found = append(found, issue{off: max(duck.FirstOffset(n.Fields()["select_list"]), 0), msg: "GROUP BY ALL"})
				}
			case n.Class() == duck.Window:
				found = append(found, issue{off: max(n.Offset(), 0), msg: "the window function " + strings.ToLower(n.FunctionName())})
			case n.Class() == duck.Function && aggregates[strings.ToLower(n.FunctionName())]:
				shown := strings.ToLower(n.FunctionName())
				if shown == "count_star" {
					shown = "count"
				}
				found = append(found, issue{off: max(n.Offset(), 0), msg: "the aggregate function " + shown})
			}
			for _, c := range x {
				walk(c)
			}
		}
	}
	for _, st := range p.Statements {
		walk(st)
	}
	if len(found) == 0 {
		return nil
	}
	sort.SliceStable(found, func(i, j int) bool { return found[i].off < found[j].off })
	line, col := position(q.SQL, found[0].off)
	return &diag.Error{Path: path.Join(cfg.ReportsDir, q.File), Line: max(line, 1) + q.Line - 1, Col: col, Warning: true,
		Err: fmt.Errorf("a chapter's query computes over rows (%s): a chapter should only select, filter, order and format model columns; %s", found[0].msg, reportModelHint(q))}
}
