package ingest

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"strings"

	"bluebook/duck"
)

// cleanColumns returns the columns of the clean table of src with their DuckDB types.
func cleanColumns(src Source) []Flag {
	var out []Flag
	for _, c := range src.Columns {
		out = append(out, Flag{Name: c.Name, Type: c.Type.SQLType(), Doc: c.Doc})
	}
	out = append(out, src.Extra...)
	return append(out, commonExtra()...)
}

// derivedColumn is a clean column the rows table does not store as text: the views compute
// it from a 1-byte code stored in its place (or from other columns). Three text columns
// fewer in the registry's rows table loaded it a tenth faster (each written, analysed and
// compressed for every row); a CASE over a small integer costs the views next to nothing.
// (Deriving status from status_raw in the view instead made every model scan pay a chain of
// starts_with: 3 s more models at 10⁷ rows.)
type derivedColumn struct {
	expr   string // SQL over the rows table
	stored *Flag  // a column stored in its place, if any
}

// derivedColumns gives the derived clean columns of src by name: those of the rules that
// need code (the registry's status and industry, see codeRules), and the columns mapped onto
// a closed list (Column.Values, see mappedColumns), stored as ENUMs.
func derivedColumns(src Source) map[string]derivedColumn {
	out := map[string]derivedColumn{}
	for _, c := range src.Columns {
		if r := codeRules[c.Rule]; r.derived != nil {
			for name, d := range r.derived(c) {
				out[name] = d
			}
		}
	}
	for name, pairs := range mappedColumns(src) {
		out[name] = derivedColumn{expr: "CAST(_" + name + " AS VARCHAR)", stored: &Flag{"_" + name, enumType(pairs), name + " as an ENUM of its canonical values", "", ""}}
	}
	return out
}

// storedColumns returns the columns the rows table of src stores besides the helper
// columns: the clean columns (source_file and source_line apart) that are not derived,
// then the columns stored in place of derived ones.
func storedColumns(src Source) []Flag {
	derived := derivedColumns(src)
	var out, extra []Flag
	for _, c := range cleanColumns(src) {
		if c.Name == "source_file" || c.Name == "source_line" {
			continue
		}
		if d, ok := derived[c.Name]; ok {
			if d.stored != nil {
				extra = append(extra, *d.stored)
			}
			continue
		}
		out = append(out, c)
	}
	return append(out, extra...)
}

// cleanExpr is the SQL of clean column name over the rows table of src.
func cleanExpr(src Source, name string) string {
	if d, ok := derivedColumns(src)[name]; ok {
		return d.expr
	}
	if name == "source_file" {
		return fileExpr
	}
	return duck.Ident(name)
}

// rowsName is the name of the table, in schema raw, that holds every row read of src:
// raw.<source>_rows. The clean table main.<source> and raw.<source> are views over it.
func rowsName(src Source) string { return src.Name + "_rows" }

// stagingName is the name, in schema raw, under which the rows table of src is built before
// it replaces the old one.
func stagingName(src Source) string { return "_ingest_new_" + src.Name }

// Helper columns of a rows table, after source_file (they start with '_', which no extra
// column name does).
//
//   - _base: the rowid of the first row of the row's file: rowid − _base is the record's
//     order in its file, and rowid − _base + 2 its editor line unless the row's line says
//     otherwise
//   - _k: NULL for a row that passed every rule; else the 1-based index of the first check it
//     failed (1 = malformed_row), 0 for a duplicate that lost, −1 for a row discarded (a file
//     DuckDB split differently from the pre-scan, read again by the careful path)
//   - _text: NULL for most rows; else the list [line, value, raw] (textLine, textValue,
//     textRaw): the line as the rejects and the clean table show it when it is not
//     rowid − _base + 2 (workbooks, Parquet, CSV files with blank lines or line breaks in
//     quoted fields, the careful path), the offending value of a rejected row, and its
//     original text when known. One list column, NULL on almost every row, costs next to
//     nothing to write, where three text columns, even all NULL, cost about 0.35 s each
//     per 10⁷ rows (string statistics and compression analysis; BenchmarkColumnWrite).
const helperDDL = "_base BIGINT, _k INTEGER, _text VARCHAR[]"

// The elements of a rows table's _text (see helperDDL).
const (
	textLine  = "_text[1]"
	textValue = "_text[2]"
	textRaw   = "_text[3]"
)

// fileExpr is the SQL of a row's source_file over a rows table, as text (see createRowsTable).
const fileExpr = "CAST(source_file AS VARCHAR)"

// lineExpr is the SQL of a row's source_line over a rows table.
const lineExpr = "coalesce(" + textLine + ", CAST(rowid - _base + 2 AS VARCHAR))"

// rowsDDL returns the CREATE TABLE statement of a rows table raw.<table> of src: the clean
// columns typed (source_line excepted), then the helper columns, source_file of type
// fileType (VARCHAR, or the ENUM of createRowsTable). Extra columns (headers that map to no
// canonical column) are added per file.
func rowsDDL(src Source, table, fileType string, orReplace bool) string {
	var defs []string
	for _, c := range storedColumns(src) {
		defs = append(defs, duck.Ident(c.Name)+" "+c.Type)
	}
	verb := "CREATE TABLE IF NOT EXISTS"
	if orReplace {
		verb = "CREATE OR REPLACE TABLE"
	}
	return fmt.Sprintf("%s raw.%s (%s, source_file %s, %s)", verb, duck.Ident(table), strings.Join(defs, ", "), fileType, helperDDL)
}

// createRowsTable creates (or replaces) the rows table raw.<table> of src for rows read from
// files, whose source_file is an ENUM of their names: a 1-byte code per row, where a text
// column repeating one name costs about 1 s per 10⁷ rows to write. The names go in through
// an appender (never into the SQL text); the ENUM type made of them is dropped again at
// once, as the column keeps its values in its own type. The views cast source_file back
// to text.
func createRowsTable(ctx context.Context, conn *sql.Conn, src Source, table string, files []string) error {
	if len(files) == 0 {
		_, err := conn.ExecContext(ctx, rowsDDL(src, table, "VARCHAR", true))
		return err
	}
	if _, err := conn.ExecContext(ctx, "CREATE OR REPLACE TEMP TABLE _ingest_file_names (file VARCHAR)"); err != nil {
		return err
	}
	err := appendRows(conn, "_ingest_file_names", func(add func(...driver.Value) error) error {
		for _, f := range files {
			if err := add(f); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	const typ = "raw._ingest_file_names"
	return execAll(ctx, conn, []string{
		"DROP TYPE IF EXISTS " + typ,
		"CREATE TYPE " + typ + " AS ENUM (SELECT DISTINCT file FROM temp._ingest_file_names ORDER BY file)",
		rowsDDL(src, table, typ, true),
		"DROP TYPE " + typ,
		"DROP TABLE temp._ingest_file_names",
	})
}

// cleanView returns the CREATE VIEW statement of the clean table main.<source>: the rows
// that passed every rule, with exactly the contract's columns.
func cleanView(src Source) string {
	var cols []string
	for _, c := range cleanColumns(src) {
		if c.Name == "source_line" {
			cols = append(cols, lineExpr+" AS source_line")
			continue
		}
		cols = append(cols, cleanExpr(src, c.Name)+" AS "+duck.Ident(c.Name))
	}
	return fmt.Sprintf("CREATE OR REPLACE VIEW main.%s AS SELECT %s FROM raw.%s WHERE _k IS NULL",
		duck.Ident(src.Name), strings.Join(cols, ", "), duck.Ident(rowsName(src)))
}

// rawView returns the CREATE VIEW statement of raw.<source>: every row read, rejected ones
// included, with the clean values, the unknown columns as text, and where each row came from.
func rawView(src Source) string {
	exclude := []string{"_base", "_k", "_text"}
	var derived []string
	all := derivedColumns(src)
	for _, c := range cleanColumns(src) {
		if d, ok := all[c.Name]; ok {
			derived = append(derived, d.expr+" AS "+duck.Ident(c.Name)+",")
			if d.stored != nil {
				exclude = append(exclude, d.stored.Name)
			}
		}
	}
	return fmt.Sprintf(`CREATE OR REPLACE VIEW raw.%s AS SELECT * EXCLUDE (%s) REPLACE (%s AS source_file), %s
  %s AS source_line, rowid - _base AS source_row, coalesce(_k = 1, false) AS malformed, %s AS source_raw,
  CASE WHEN _k IS NOT NULL THEN %s END AS rejected_value, _k IS NOT NULL AS rejected
FROM raw.%s WHERE _k IS DISTINCT FROM -1`, duck.Ident(src.Name), strings.Join(exclude, ", "), fileExpr, strings.Join(derived, " "), lineExpr, textRaw, textValue, duck.Ident(rowsName(src)))
}

// bookkeepingDDL creates the tables ingest keeps about itself.
func bookkeepingDDL() []string {
	return []string{
		"CREATE SCHEMA IF NOT EXISTS raw",
		`CREATE TABLE IF NOT EXISTS main.rejects (source VARCHAR, file VARCHAR, line VARCHAR, column_name VARCHAR,
			rule VARCHAR, value VARCHAR, raw VARCHAR)`,
		`CREATE TABLE IF NOT EXISTS main.ingest_files (source VARCHAR, file VARCHAR, sha256 VARCHAR, bytes BIGINT,
			encoding VARCHAR, rows_read BIGINT, rows_loaded BIGINT, rows_rejected BIGINT, rows_flagged BIGINT,
			ingested_at TIMESTAMP, note VARCHAR)`,
		"CREATE TABLE IF NOT EXISTS main.ingest_skipped_sheets (source VARCHAR, file VARCHAR, sheet VARCHAR, reason VARCHAR)",
		// parents: the fingerprints of the sources the flags were computed against.
		"CREATE TABLE IF NOT EXISTS main.ingest_state (source VARCHAR, fingerprint VARCHAR, ingested_at TIMESTAMP, parents VARCHAR)",
		// A database written by the first version of this package lacks the column.
		"ALTER TABLE main.ingest_state ADD COLUMN IF NOT EXISTS parents VARCHAR",
	}
}

// execer is what execAll and relationKind need of a *sql.DB, *sql.Conn or *sql.Tx.
type execer interface {
	ExecContext(context.Context, string, ...any) (sql.Result, error)
	QueryRowContext(context.Context, string, ...any) *sql.Row
}

// execAll runs statements in order on q.
func execAll(ctx context.Context, q interface {
	ExecContext(context.Context, string, ...any) (sql.Result, error)
}, stmts []string) error {
	for _, s := range stmts {
		if _, err := q.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("%s: %w", firstLine(s), err)
		}
	}
	return nil
}

// firstLine returns the first line of a statement, for error messages.
func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i] + " …"
	}
	return s
}

// relationKind says whether schema.name is a "table", a "view" or "" (absent).
func relationKind(ctx context.Context, q execer, schema, name string) (string, error) {
	var kind string
	err := q.QueryRowContext(ctx, `SELECT coalesce((SELECT 'table' FROM duckdb_tables() WHERE database_name = current_database()
			AND schema_name = $1 AND table_name = $2 AND NOT temporary),
		(SELECT 'view' FROM duckdb_views() WHERE database_name = current_database() AND schema_name = $1 AND view_name = $2 AND NOT temporary), '')`,
		schema, name).Scan(&kind)
	return kind, err
}

// dropRelation drops schema.name, a table or a view (an earlier version of this package
// left tables where views are now).
func dropRelation(ctx context.Context, q execer, schema, name string) error {
	kind, err := relationKind(ctx, q, schema, name)
	if err != nil || kind == "" {
		return err
	}
	_, err = q.ExecContext(ctx, fmt.Sprintf("DROP %s %s.%s", strings.ToUpper(kind), duck.Ident(schema), duck.Ident(name)))
	return err
}

// CreateEmpty creates every clean table, every raw table and the bookkeeping tables
// (rejects, ingest_files, ingest_skipped_sheets, ingest_state) with no rows where they do
// not exist yet, and (re)writes the table ref_sources from the contract (see refSources), so
// that queries can be bound without data (`bluebook check`). The clean tables main.<source>
// and raw.<source> are views over raw.<source>_rows.
func CreateEmpty(ctx context.Context, db *sql.DB) error {
	if err := execAll(ctx, db, bookkeepingDDL()); err != nil {
		return fmt.Errorf("ingest: create empty tables: %w", err)
	}
	// Make the schema durable before any table depends on it: DuckDB 1.5.6 cannot replay a
	// WAL that creates schema raw and then a table whose column has a user type of raw (the
	// rows tables' ENUMs), so a first run killed after that left a database that no longer
	// opened ("Schema with name raw does not exist!"). TestWALReplayAfterFirstIngest and
	// TestDuckDBWALSchemaTypeBug pin both sides. On an existing database this is cheap.
	if _, err := db.ExecContext(ctx, "CHECKPOINT"); err != nil {
		return fmt.Errorf("ingest: checkpoint: %w", err)
	}
	// The contract itself, for analysts and chapters (see refSources).
	if err := WriteRefSources(ctx, db); err != nil {
		return err
	}
	for _, src := range Sources() {
		stmts := []string{rowsDDL(src, rowsName(src), "VARCHAR", false)}
		for _, v := range []struct{ schema, ddl string }{{"main", cleanView(src)}, {"raw", rawView(src)}} {
			kind, err := relationKind(ctx, db, v.schema, src.Name)
			if err != nil {
				return fmt.Errorf("ingest: create empty tables: %w", err)
			}
			if kind == "" {
				stmts = append(stmts, v.ddl)
			}
		}
		if err := execAll(ctx, db, stmts); err != nil {
			return fmt.Errorf("ingest: create empty tables: %w", err)
		}
	}
	return nil
}

// MissingColumns lists the contract's clean columns ("registry.name_tail") that the clean
// views of the sources ingest made in db (those with a rows table) lack: the database was
// ingested by an older bluebook, whose rows tables the next `bluebook run` writes again (an
// upgrade changes the fingerprints). Models that read such a column would fail to bind.
func MissingColumns(ctx context.Context, db *sql.DB) ([]string, error) {
	rows, err := db.QueryContext(ctx, `SELECT c.table_name, c.column_name
		FROM information_schema.columns c
		WHERE c.table_catalog = current_database() AND c.table_schema = 'main'
		  AND EXISTS (SELECT 1 FROM duckdb_tables() t WHERE t.database_name = current_database()
		              AND t.schema_name = 'raw' AND t.table_name = c.table_name || '_rows')`)
	if err != nil {
		return nil, fmt.Errorf("ingest: list the sources' columns: %w", err)
	}
	defer rows.Close()
	have := map[string]map[string]bool{}
	for rows.Next() {
		var table, col string
		if err := rows.Scan(&table, &col); err != nil {
			return nil, fmt.Errorf("ingest: list the sources' columns: %w", err)
		}
		if have[table] == nil {
			have[table] = map[string]bool{}
		}
		have[table][col] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("ingest: list the sources' columns: %w", err)
	}
	var missing []string
	for _, src := range Sources() {
		cols, ok := have[src.Name]
		if !ok {
			continue
		}
		for _, c := range cleanColumns(src) {
			if !cols[c.Name] {
				missing = append(missing, src.Name+"."+c.Name)
			}
		}
	}
	return missing, nil
}
