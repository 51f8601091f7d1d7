package pipeline

import (
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"regexp"
	"strings"
	"testing/fstest"
	"time"
	"unicode/utf8"

	"bluebook/diag"
	"bluebook/duck"
	"bluebook/pipeline/ingest"
	"bluebook/reports"
)

// Check parses and binds everything analysts write against empty source tables, without
// data, and returns every mistake at once, each at its path:line:col: the models (in
// dependency order; a model that reads a broken one is not bound, its errors would only
// repeat), the checks of their headers (columns and tables named) and queries/checks/
// (both severities), the chapter queries, and the chapters' figures, charts and tables
// against the columns and types their queries return. A chapter's query that reads a
// table other than a model, a seed or a reference table is an error; one that computes
// over rows is returned among the warnings (chapterrules.go), which never fail the check.
func Check(ctx context.Context, cfg Config) (warnings []error, err error) {
	var warns ErrorList
	err = check(ctx, cfg, &warns)
	AttachSource(cfg, err)
	if list, ok := Diagnostics(warns.Err()); ok {
		AttachSource(cfg, ErrorList(list))
		warnings = list
	}
	return warnings, err
}

// check is Check before the source lines of its errors are attached (AttachSource).
func check(ctx context.Context, cfg Config, warns *ErrorList) error {
	db, err := openDB(ctx, "", cfg, false)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := ingest.CreateEmpty(ctx, db); err != nil {
		return fmt.Errorf("create empty source tables: %w", err)
	}
	var errs ErrorList
	// The mistakes LoadProject finds (a header line, a file name, a seed value) are
	// reported, then set aside so that the models are prepared as a run prepares them.
	loaded, loadErr := LoadProject(cfg.Queries, cfg.QueriesDir)
	if loaded == nil {
		return loadErr
	}
	errs = append(errs, loadErr)
	pcfg := cfg
	if loadErr != nil {
		if pcfg.Queries, err = setAside(ctx, db, cfg, loadErr); err != nil {
			return err
		}
	}
	proj, err := prepareModels(ctx, db, pcfg)
	if proj == nil {
		if loadErr != nil {
			return errs.Err() // what could not be set aside fails the same way again
		}
		return err
	}
	errs = append(errs, err)
	known, err := existingTables(ctx, db, proj)
	if err != nil {
		return err
	}
	failed := map[string]bool{}
	for name := range proj.Unresolved {
		failed[name] = true
	}
	// Chapter queries are parsed before anything runs; one that breaks a rule is not run.
	aggregates, err := aggregateFunctions(ctx, db)
	if err != nil {
		return err
	}
	book, bookErr := reports.Load(cfg.Reports)
	errs = append(errs, chapterErrors(bookErr, cfg.ReportsDir))
	var queries []reports.Query
	chapterReads := map[string][]tableRef{}
	if book != nil {
		for _, q := range book.Queries() {
			if ferrs := checkQuery(ctx, db, cfg, q); len(ferrs) > 0 {
				errs = append(errs, ferrs...)
				continue
			}
			refs, _ := analyze(ctx, db, q.File, q.SQL, q.SQL, "a chapter's query")
			chapterReads[q.ID] = refs
			errs = append(errs, chapterReadErrors(cfg, q, refs, proj, known)...)
			if w := chapterComputes(ctx, db, cfg, q, aggregates); w != nil {
				*warns = append(*warns, w)
			}
			queries = append(queries, q)
		}
	}
	if err := lockDown(ctx, db, cfg); err != nil {
		return err
	}
	blocked := func(deps []string) bool {
		for _, d := range deps {
			if failed[strings.ToLower(d)] {
				return true
			}
		}
		return false
	}
	for _, m := range proj.Models {
		if failed[m.Name] {
			continue
		}
		if blocked(m.Deps) {
			failed[m.Name] = true // its own errors show once the model it reads is fixed
			continue
		}
		if err := materialize(ctx, db, m); err != nil {
			errs = append(errs, explainFunction(ctx, db, err))
			failed[m.Name] = true
			continue
		}
	}
	// Header checks once every model is there (relationships may name any of them).
	for _, m := range proj.Models {
		if !failed[m.Name] {
			errs = append(errs, bindHeaderChecks(ctx, db, proj, m, known, failed)...)
		}
	}
	for _, c := range proj.Checks {
		refs, ferrs := analyze(ctx, db, c.Path, c.SQL, body(c.SQL), "a check")
		if len(ferrs) == 0 {
			_, ferrs = proj.resolveRefs(c.Path, c.SQL, refs, seedNames(proj), known)
		}
		if len(ferrs) > 0 || blocked(refNames(refs)) {
			continue // reported by Resolve, or reads a broken model
		}
		q := "SELECT count(*) FROM (\n" + body(c.SQL) + "\n)"
		var n int64
		if err := db.QueryRowContext(ctx, q).Scan(&n); err != nil {
			errs = append(errs, explainFunction(ctx, db, mapDuckErr(err, c.Path, c.SQL, 1)))
		}
	}
	ready := &Project{} // the models that built: published.* views of them
	for _, m := range proj.Models {
		if !failed[m.Name] {
			ready.Models = append(ready.Models, m)
		}
	}
	if _, err := attachPublished(ctx, db, cfg, ready); err != nil {
		return err
	}
	if err := ensureCheckResults(ctx, db); err != nil {
		return err
	}
	if err := ensureCheckFailures(ctx, db); err != nil {
		return err
	}
	if err := ensureLedger(ctx, db); err != nil {
		return err
	}
	// The downloads: every table export_tables.csv lists must be a table that builds.
	if _, err := loadExports(ctx, db, cfg); err != nil {
		for _, e := range flatten([]error{err}) {
			var f *diag.Error
			if errors.As(e, &f) {
				if g := quotedTable.FindStringSubmatch(f.Err.Error()); g != nil && failed[g[1]] {
					continue // the model failed, and was reported
				} else if g != nil && proj.Model(g[1]) == nil {
					f.Err = fmt.Errorf("table %q is not a model in queries/, so it cannot be downloaded%s", g[1], suggest(g[1], proj, nil))
				}
			}
			errs = append(errs, e)
		}
	}
	errs = append(errs, duplicateExports(ctx, db, cfg)...)
	schemas := map[string]reports.Schema{}
	for _, q := range queries {
		var reads []string
		for _, r := range chapterReads[q.ID] {
			if r.Schema == "" || r.Schema == "main" || strings.EqualFold(r.Schema, "published") {
				reads = append(reads, r.Name) // published.x is a view of model x
			}
		}
		if blocked(reads) {
			continue
		}
		sch, err := bindSchema(ctx, db, q.SQL)
		if err != nil {
			fe := mapDuckErr(err, path.Join(cfg.ReportsDir, q.File), q.SQL, 0)
			var f *diag.Error
			if errors.As(fe, &f) {
				f.Line = max(f.Line, 1) + q.Line - 1
			}
			errs = append(errs, explainFunction(ctx, db, fe))
			continue
		}
		schemas[q.ID] = sch
	}
	if book != nil {
		errs = append(errs, chapterErrors(book.Validate(schemas), cfg.ReportsDir))
	}
	return errs.Err()
}

// setAside returns the project's queries/ with the mistakes of loadErr set aside, so that
// the rest can be prepared and bound: a header line in error is blanked (the lines keep
// their numbers), a seed with a wrong value is loaded as it is into db and left out of the
// copy (so that what reads it still finds it), any other file in error is left out.
func setAside(ctx context.Context, db *sql.DB, cfg Config, loadErr error) (fs.FS, error) {
	prefix := cfg.QueriesDir + "/"
	bad := map[string][]int{} // file (in the FS) -> header lines in error; nil: leave the file out
	for _, e := range flatten([]error{loadErr}) {
		f, ok := e.(*diag.Error)
		if !ok || !strings.HasPrefix(f.Path, prefix) {
			return nil, loadErr
		}
		name := strings.TrimPrefix(f.Path, prefix)
		if _, seen := bad[name]; seen && bad[name] == nil {
			continue
		}
		if strings.HasSuffix(name, ".sql") && f.Line >= 1 && !isFileLevel(f) {
			bad[name] = append(bad[name], f.Line)
			continue
		}
		bad[name] = nil
	}
	out := fstest.MapFS{}
	err := fs.WalkDir(cfg.Queries, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(cfg.Queries, p)
		if err != nil {
			return fmt.Errorf("read %s: %w", p, err)
		}
		lines, isBad := bad[p]
		switch {
		case !isBad:
			out[p] = &fstest.MapFile{Data: data}
		case lines != nil:
			text := strings.Split(string(data), "\n")
			for _, l := range lines {
				if l <= len(text) {
					text[l-1] = "--"
				}
			}
			out[p] = &fstest.MapFile{Data: []byte(strings.Join(text, "\n"))}
		case strings.HasPrefix(p, "seeds/") && strings.HasSuffix(p, ".csv") && modelName.MatchString(strings.TrimSuffix(path.Base(p), ".csv")):
			// Loaded now, as it is: its own errors are reported, what reads it still binds.
			if err := loadCSVTable(ctx, db, strings.TrimSuffix(path.Base(p), ".csv"), data, false); err != nil {
				return nil // it cannot be read at all; its error says why
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// isFileLevel reports whether a LoadProject error concerns the whole file (its name, a
// second file for one table, no SELECT) rather than one header line.
func isFileLevel(f *diag.Error) bool {
	msg := f.Err.Error()
	for _, s := range []string{"is not a valid table name", "is already defined by", "not a model (.sql)", "the file has no SELECT", "check name"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

// seedNames returns the names of p's seeds.
func seedNames(p *Project) map[string]bool {
	out := map[string]bool{}
	for _, s := range p.Seeds {
		out[s.Name] = true
	}
	return out
}

// duplicateExports reports a table export_tables.csv lists twice (the report would
// refuse it), at the second line.
func duplicateExports(ctx context.Context, db *sql.DB, cfg Config) []error {
	rows, err := db.QueryContext(ctx, `SELECT name, CAST(rowid AS BIGINT) FROM export_tables ORDER BY rowid`)
	if err != nil {
		return nil // no downloads in this project
	}
	defer rows.Close()
	seen := map[string]int64{}
	var errs []error
	for rows.Next() {
		var name sql.NullString
		var id int64
		if err := rows.Scan(&name, &id); err != nil {
			return []error{fmt.Errorf("read export_tables: %w", err)}
		}
		if first, dup := seen[name.String]; dup && name.Valid {
			errs = append(errs, &diag.Error{Path: path.Join(cfg.QueriesDir, "seeds", "export_tables.csv"), Line: int(id) + 2, Col: 1,
				Err: fmt.Errorf("table %q is listed twice (first on line %d); list each table once", name.String, first+2)})
			continue
		}
		seen[name.String] = id
	}
	return errs
}

// refNames returns the names of the main-schema tables in refs.
func refNames(refs []tableRef) []string {
	var out []string
	for _, r := range refs {
		if r.Schema == "" || r.Schema == "main" {
			out = append(out, r.Name)
		}
	}
	return out
}

// bindSchema binds q without running it over any row and returns its result columns.
func bindSchema(ctx context.Context, db *sql.DB, q string) (reports.Schema, error) {
	rows, err := db.QueryContext(ctx, q)
	if err != nil {
		return reports.Schema{}, err
	}
	defer rows.Close()
	cols, err := rows.ColumnTypes()
	if err != nil {
		return reports.Schema{}, err
	}
	var s reports.Schema
	for _, c := range cols {
		s.Columns = append(s.Columns, c.Name())
		s.Kinds = append(s.Kinds, reports.KindOf(c.DatabaseTypeName()))
	}
	return s, nil
}

// bindHeaderChecks checks the -- check: lines of model m (built, empty) without data: the
// columns they name are columns of m, a relationships target is a table with that column,
// and the check's own query binds. Each mistake is reported on its header line, at the
// argument.
func bindHeaderChecks(ctx context.Context, db *sql.DB, p *Project, m *Model, known, failed map[string]bool) []error {
	if len(m.Checks) == 0 {
		return nil
	}
	cols, err := tableColumns(ctx, db, m.Name)
	if err != nil {
		return []error{err}
	}
	lines := strings.Split(m.SQL, "\n")
	var errs []error
	at := func(c CheckSpec, arg string) *diag.Error {
		col := 1
		if c.Line >= 1 && c.Line <= len(lines) {
			line := lines[c.Line-1]
			if i := strings.Index(line, c.Kind); i >= 0 {
				if j := strings.Index(line[i:], arg); j >= 0 {
					col = utf8.RuneCountInString(line[:i+j]) + 1
				}
			}
		}
		return &diag.Error{Path: c.Path, Line: c.Line, Col: col}
	}
	for _, c := range m.Checks {
		var names []string
		switch c.Kind {
		case "not_null", "unique":
			names = c.Args
		case "accepted_values", "relationships":
			names = c.Args[:1]
		}
		bad := false
		for _, n := range names {
			if !cols[strings.ToLower(n)] {
				fe := at(c, n)
				fe.Err = fmt.Errorf("check %s: %s has no column %q (it has: %s)%s", c.Kind, m.Name, n, strings.Join(sortedKeys(cols), ", "), reports.Closest(n, sortedKeys(cols)))
				errs = append(errs, fe)
				bad = true
			}
		}
		if c.Kind == "relationships" && len(c.Args) == 2 {
			parts := strings.SplitN(c.Args[1], ".", 2)
			table := strings.ToLower(parts[0])
			if failed[table] || p.Model(table) != nil && !built(ctx, db, table) {
				continue // the model it names failed, and that was reported
			}
			if p.Model(table) == nil && !known[table] {
				fe := at(c, c.Args[1])
				fe.Err = fmt.Errorf("check relationships: unknown table %q: it is not a model, a seed or a source table%s", parts[0], suggest(table, p, known))
				errs = append(errs, fe)
				bad = true
			} else if tcols, err := tableColumns(ctx, db, table); err == nil && !tcols[strings.ToLower(parts[1])] {
				fe := at(c, c.Args[1])
				fe.Err = fmt.Errorf("check relationships: %s has no column %q (it has: %s)%s", parts[0], parts[1], strings.Join(sortedKeys(tcols), ", "), reports.Closest(parts[1], sortedKeys(tcols)))
				errs = append(errs, fe)
				bad = true
			}
		}
		if bad {
			continue
		}
		q, args := c.sql()
		var n int64
		if err := db.QueryRowContext(ctx, q, args...).Scan(&n); err != nil {
			fe := at(c, c.Kind)
			fe.Err = fmt.Errorf("check %s: %s", c.Kind, cleanDuckErr(err))
			errs = append(errs, fe)
		}
	}
	return errs
}

// built reports whether table exists in db's main schema.
func built(ctx context.Context, db *sql.DB, table string) bool {
	var n int
	err := db.QueryRowContext(ctx, "SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'main' AND lower(table_name) = lower(?)", table).Scan(&n)
	if err == nil && n == 0 {
		err = db.QueryRowContext(ctx, "SELECT count(*) FROM duckdb_views() WHERE schema_name = 'main' AND lower(view_name) = lower(?)", table).Scan(&n)
	}
	return err == nil && n > 0
}

// tableColumns returns the lower-cased column names of a main-schema table or view.
func tableColumns(ctx context.Context, db *sql.DB, table string) (map[string]bool, error) {
	rows, err := db.QueryContext(ctx, "SELECT lower(column_name) FROM duckdb_columns() WHERE schema_name = 'main' AND lower(table_name) = lower(?)", table)
	if err != nil {
		return nil, fmt.Errorf("columns of %s: %w", table, err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, fmt.Errorf("columns of %s: %w", table, err)
		}
		out[c] = true
	}
	return out, rows.Err()
}

// querier is a database or a transaction, to read DuckDB's catalog.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

var quotedTable = regexp.MustCompile(`^table "([^"]+)"`)

// explainFunction replaces DuckDB's suggestion for a misspelled function (its closest
// name by a similarity of its own, which offers acos for coalese) by the function of
// DuckDB's own list (duckdb_functions()) closest by edit distance.
func explainFunction(ctx context.Context, db querier, err error) error {
	var fe *diag.Error
	if !errors.As(err, &fe) {
		return err
	}
	msg := fe.Err.Error()
	kind, name, start, end, ok := duck.UnknownFunction(msg)
	if !ok {
		return err
	}
	name = strings.ToLower(name)
	names, qerr := duck.FunctionNames(ctx, db, kind)
	if qerr != nil {
		return err
	}
	best, bestD := "", 0
	for _, f := range names {
		d := reports.EditDistance(name, f)
		if best == "" || d < bestD || d == bestD && f < best {
			best, bestD = f, d
		}
	}
	hint := ""
	if best != "" && bestD <= max(2, len([]rune(name))/3) {
		hint = fmt.Sprintf(" Did you mean %q?", best)
	}
	fe.Err = errors.New(msg[:start] + fmt.Sprintf("%s Function with name %s does not exist!%s", kind, name, hint) + msg[end:])
	return err
}

// Build runs the selected models (and nothing else) against the database.
func Build(ctx context.Context, cfg Config, spec string) ([]ModelRun, error) {
	runs, err := build(ctx, cfg, spec)
	AttachSource(cfg, err)
	return runs, err
}

// build is Build before the source lines of its errors are attached (AttachSource).
func build(ctx context.Context, cfg Config, spec string) ([]ModelRun, error) {
	db, proj, err := openProject(ctx, cfg.DBPath, cfg)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	if err := lockDown(ctx, db, cfg); err != nil {
		return nil, err
	}
	models, err := proj.Select(spec)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrConfig, err)
	}
	runs, err := buildModels(ctx, db, models, nil)
	if err != nil {
		return runs, fmt.Errorf("build failed: %w", err)
	}
	return runs, nil
}

// Test runs the data checks against the database: every check when spec is empty, else
// the checks of the models spec selects (the selection syntax of build): their header
// checks and the checks in queries/checks/ that read one of them.
func Test(ctx context.Context, cfg Config, spec string) ([]CheckResult, error) {
	res, err := test(ctx, cfg, spec)
	AttachSource(cfg, err)
	return res, err
}

// test is Test before the source lines of its errors are attached (AttachSource).
func test(ctx context.Context, cfg Config, spec string) ([]CheckResult, error) {
	db, proj, err := openProject(ctx, cfg.DBPath, cfg)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	if err := lockDown(ctx, db, cfg); err != nil {
		return nil, err
	}
	if strings.TrimSpace(spec) != "" {
		if proj, err = selectChecks(ctx, db, proj, spec); err != nil {
			return nil, err
		}
	}
	res, err := runChecks(ctx, db, proj, "test-"+time.Now().Format("20060102-150405"), nil)
	if err != nil {
		return res, err
	}
	for _, r := range res {
		if r.Status != "pass" && r.Severity == "error" {
			return res, ErrCheckFailed
		}
	}
	return res, nil
}

// selectChecks returns a project holding the models spec selects (with their header
// checks) and the checks in queries/checks/ that read one of them.
func selectChecks(ctx context.Context, db *sql.DB, proj *Project, spec string) (*Project, error) {
	models, err := proj.Select(spec)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrConfig, err)
	}
	sub := &Project{Models: models, Seeds: proj.Seeds, byName: map[string]*Model{}}
	for _, m := range models {
		sub.byName[m.Name] = m
	}
	for _, c := range proj.Checks {
		refs, _ := analyze(ctx, db, c.Path, c.SQL, body(c.SQL), "a check")
		for _, r := range refs {
			if (r.Schema == "" || strings.EqualFold(r.Schema, "main")) && sub.byName[strings.ToLower(r.Name)] != nil {
				sub.Checks = append(sub.Checks, c)
				break
			}
		}
	}
	return sub, nil
}

// Show prints the rows of model (like dbt show): at most limit rows (10 when limit is 0
// or less) that satisfy where (a SQL condition on its columns, "" for every row), read
// from the database read-only, then how many rows match in all.
func Show(ctx context.Context, cfg Config, model, where string, limit int, w io.Writer) error {
	proj, err := LoadProject(cfg.Queries, cfg.QueriesDir)
	if proj == nil {
		return err
	}
	name := strings.ToLower(model)
	if proj.Model(name) == nil {
		return fmt.Errorf("%w: no model named %q in %s%s", ErrConfig, model, cfg.QueriesDir, suggest(name, proj, nil))
	}
	if limit <= 0 {
		limit = 10
	}
	if err := CheckLock(cfg.DBPath); err != nil {
		return err
	}
	db, err := openDB(ctx, cfg.DBPath, cfg, true)
	if err != nil {
		return err
	}
	defer db.Close()
	from := "FROM " + duck.Ident(name)
	if strings.TrimSpace(where) != "" {
		from += " WHERE (\n" + where + "\n)"
	}
	q := "SELECT * " + from
	// The condition is analyst SQL: it may read what a model may, nothing else.
	if _, errs := analyze(ctx, db, "--where", q, q, "show"); len(errs) > 0 {
		return fmt.Errorf("%w: --where %q: %v", ErrConfig, where, ErrorList(errs).Err())
	}
	t, err := queryTable(ctx, db, q+" LIMIT "+fmt.Sprint(limit))
	if err != nil {
		if duck.Missing(err.Error()) {
			return fmt.Errorf("model %s is not in %s yet: build it first (bluebook build --db %s --select %s)", name, cfg.DBPath, cfg.DBPath, name)
		}
		return fmt.Errorf("show %s: %s", name, cleanDuckErr(err))
	}
	var total int64
	if err := db.QueryRowContext(ctx, "SELECT count(*) "+from).Scan(&total); err != nil {
		return fmt.Errorf("count %s: %s", name, cleanDuckErr(err))
	}
	if err := writeTable(w, t, "table"); err != nil {
		return err
	}
	if total > int64(len(t.Rows)) {
		fmt.Fprintf(w, "(%d of %d rows; --limit N for more)\n", len(t.Rows), total)
	}
	return nil
}

// WriteSample prints the first offending rows of a failed check, indented under it.
func WriteSample(w io.Writer, r CheckResult) error {
	if r.Sample == nil || len(r.Sample.Rows) == 0 {
		return nil
	}
	var b strings.Builder
	if err := writeTable(&b, r.Sample, "table"); err != nil {
		return err
	}
	lines := strings.Split(strings.TrimRight(b.String(), "\n"), "\n")
	lines = lines[:len(lines)-1] // the "(N rows)" line: the check says how many in all
	for _, l := range lines {
		fmt.Fprintf(w, "      %s\n", l)
	}
	if r.Failing > int64(len(r.Sample.Rows)) {
		fmt.Fprintf(w, "      (first %d of %d; all of them: bluebook query, or the table check_failures keeps these)\n", len(r.Sample.Rows), r.Failing)
	}
	return nil
}

// TestSummary is the last line of `bluebook test`: how many checks passed, failed and
// could not run, by severity.
func TestSummary(res []CheckResult) string {
	var pass, failErr, failWarn, broken int
	for _, r := range res {
		switch {
		case r.Status == "pass":
			pass++
		case r.Status == "error":
			broken++
		case r.Severity == "error":
			failErr++
		default:
			failWarn++
		}
	}
	return fmt.Sprintf("%d checks: %d passed, %d failed (error), %d failed (warn), %d could not run", len(res), pass, failErr, failWarn, broken)
}

// Query runs one SQL statement against the database read-only and prints the result as
// table, csv (with a header row) or json (an array of objects).
func Query(ctx context.Context, cfg Config, q, format string, w io.Writer) error {
	if err := CheckLock(cfg.DBPath); err != nil {
		return err
	}
	db, err := openDB(ctx, cfg.DBPath, cfg, true)
	if err != nil {
		return err
	}
	defer db.Close()
	t, err := queryTable(ctx, db, q)
	if err != nil {
		return fmt.Errorf("query failed: %s", cleanDuckErr(err))
	}
	return writeTable(w, t, format)
}

func writeTable(w io.Writer, t *reports.Table, format string) error {
	cell := func(v any) string {
		switch x := v.(type) {
		case nil:
			return ""
		case time.Time:
			if x.Hour() == 0 && x.Minute() == 0 && x.Second() == 0 && x.Nanosecond() == 0 {
				return x.Format("2006-01-02")
			}
			return x.Format("2006-01-02 15:04:05")
		case float64:
			return fmt.Sprint(x)
		}
		return fmt.Sprint(v)
	}
	switch format {
	case "csv":
		cw := csv.NewWriter(w)
		cw.Write(t.Columns)
		for _, r := range t.Rows {
			rec := make([]string, len(r))
			for i, v := range r {
				rec[i] = cell(v)
			}
			cw.Write(rec)
		}
		cw.Flush()
		return cw.Error()
	case "json":
		out := make([]map[string]any, 0, len(t.Rows))
		for _, r := range t.Rows {
			o := map[string]any{}
			for i, c := range t.Columns {
				if tv, ok := r[i].(time.Time); ok {
					o[c] = cell(tv)
				} else {
					o[c] = r[i]
				}
			}
			out = append(out, o)
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(out)
	case "", "table":
		// Columns padded by display width, so that Chinese text (two columns a character
		// in a terminal) stays aligned.
		recs := [][]string{t.Columns}
		for _, r := range t.Rows {
			rec := make([]string, len(r))
			for i, v := range r {
				rec[i] = cell(v)
				if v == nil {
					rec[i] = "NULL"
				}
			}
			recs = append(recs, rec)
		}
		widths := make([]int, len(t.Columns))
		for _, rec := range recs {
			for i, c := range rec {
				widths[i] = max(widths[i], duck.DisplayWidth(c))
			}
		}
		var b strings.Builder
		for _, rec := range recs {
			for i, c := range rec {
				b.WriteString(c)
				if i < len(rec)-1 {
					b.WriteString(strings.Repeat(" ", widths[i]-duck.DisplayWidth(c)+2))
				}
			}
			b.WriteByte('\n')
		}
		if _, err := io.WriteString(w, b.String()); err != nil {
			return err
		}
		fmt.Fprintf(w, "(%d rows)\n", len(t.Rows))
		return nil
	}
	return fmt.Errorf("%w: --format must be table, csv or json", ErrConfig)
}
