package ingest

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
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

// stagingName is the name under which the new raw and clean tables of src are built
// before they replace the old ones.
func stagingName(src Source) string { return "_ingest_new_" + src.Name }

// cleanDDL returns the CREATE TABLE statement of the clean table of src, named main.<table>.
func cleanDDL(src Source, table string, orReplace bool) string {
	var defs []string
	for _, c := range cleanColumns(src) {
		defs = append(defs, quoteIdent(c.Name)+" "+c.Type)
	}
	verb := "CREATE TABLE IF NOT EXISTS"
	if orReplace {
		verb = "CREATE OR REPLACE TABLE"
	}
	return fmt.Sprintf("%s main.%s (%s)", verb, quoteIdent(table), strings.Join(defs, ", "))
}

// rawDDL returns the CREATE TABLE statement of raw.<source>: every canonical column as
// VARCHAR, then where each row came from; it is named raw.<table>. Columns for unknown
// headers are added per file.
func rawDDL(src Source, table string, orReplace bool) string {
	var defs []string
	for _, c := range src.Columns {
		defs = append(defs, quoteIdent(c.Name)+" VARCHAR")
	}
	defs = append(defs, "source_file VARCHAR", "source_line VARCHAR", "source_row BIGINT", "malformed BOOLEAN", "source_raw VARCHAR")
	verb := "CREATE TABLE IF NOT EXISTS"
	if orReplace {
		verb = "CREATE OR REPLACE TABLE"
	}
	return fmt.Sprintf("%s raw.%s (%s)", verb, quoteIdent(table), strings.Join(defs, ", "))
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

// CreateEmpty creates every clean table, every raw table and the bookkeeping tables
// (rejects, ingest_files, ingest_skipped_sheets, ingest_state) with no rows where they do
// not exist yet, so that queries can be bound without data (`bluebook check`).
func CreateEmpty(ctx context.Context, db *sql.DB) error {
	stmts := bookkeepingDDL()
	for _, src := range Sources() {
		stmts = append(stmts, rawDDL(src, src.Name, false), cleanDDL(src, src.Name, false))
	}
	if err := execAll(ctx, db, stmts); err != nil {
		return fmt.Errorf("ingest: create empty tables: %w", err)
	}
	return nil
}
