package pipeline

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"bluebook/data"
	"bluebook/diag"
	"bluebook/duck"
	"bluebook/pipeline/ingest"
)

// loadCSVTable creates table name from CSV bytes through DuckDB's reader (which guesses
// the column types). The bytes pass through a temporary file: once db is locked down for
// analyst SQL, the one file of its scratch folder DuckDB may still read.
func loadCSVTable(ctx context.Context, db *sql.DB, name string, content []byte, allVarchar bool) error {
	load := func(file string) error {
		q := "CREATE OR REPLACE TABLE " + duck.Ident(name) + " AS SELECT * FROM read_csv(?, header = true, all_varchar = ?)"
		_, err := db.ExecContext(ctx, q, file, allVarchar)
		return err
	}
	scratch, err := scratchFile(ctx, db, scratchCSV)
	if err != nil {
		return err
	}
	if scratch != "" {
		return withScratch(scratch, func() error {
			if err := os.WriteFile(scratch, content, 0o600); err != nil {
				return err
			}
			return load(scratch)
		})
	}
	f, err := os.CreateTemp("", "bluebook-*.csv")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(content); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return load(f.Name())
}

// loadReference creates the ref_* tables from the data bluebook ships (or the project's
// calendar override), and ref_sources from the source contract.
func loadReference(ctx context.Context, db *sql.DB, cfg Config) error {
	if err := ingest.WriteRefSources(ctx, db); err != nil {
		return fmt.Errorf("load reference: %w", err)
	}
	for _, t := range data.Tables() {
		content, err := fs.ReadFile(data.FS(), t.File)
		if err != nil {
			return fmt.Errorf("reference %s: %w", t.File, err)
		}
		if t.Name == "ref_holidays" && cfg.Calendar != "" {
			if content, err = os.ReadFile(cfg.Calendar); err != nil {
				return fmt.Errorf("%w: calendar: %v", ErrConfig, err)
			}
		}
		if err := loadCSVTable(ctx, db, t.Name, content, t.AllVarchar); err != nil {
			return fmt.Errorf("load reference %s: %w", t.File, err)
		}
	}
	return nil
}

// loadSeeds creates one table per CSV file in queries/seeds/.
func loadSeeds(ctx context.Context, db *sql.DB, p *Project) error {
	for _, s := range p.Seeds {
		if err := loadCSVTable(ctx, db, s.Name, s.Data, false); err != nil {
			return &diag.Error{Path: s.Path, Line: 1, Col: 1, Err: fmt.Errorf("load seed: %s", cleanDuckErr(err))}
		}
	}
	return nil
}

// ModelRun is what building one model did.
type ModelRun struct {
	Name     string
	Rows     int64
	Duration time.Duration
	Err      error
	Reused   bool // the table of the run before, made from the same inputs (inputs.go)
}

// buildModels materialises models in order inside one transaction, so a failure leaves
// the previous tables in place. Errors point at the analyst's file.
func buildModels(ctx context.Context, db *sql.DB, models []*Model, hook func(string)) ([]ModelRun, error) {
	return buildModelsReusing(ctx, db, models, hook, nil)
}

// buildModelsReusing is buildModels that keeps the table or view of a model whose input key
// (keys, see inputs.go) is the one it was made with, and records the keys of those it
// builds. With nil keys every model is built.
func buildModelsReusing(ctx context.Context, db *sql.DB, models []*Model, hook func(string), keys map[string]string) ([]ModelRun, error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	type made struct {
		key  string
		rows int64
	}
	stored := map[string]made{}
	if keys != nil {
		if _, err := tx.ExecContext(ctx, modelInputsDDL); err != nil {
			return nil, fmt.Errorf("model inputs: %w", err)
		}
		rows, err := tx.QueryContext(ctx, `SELECT i.model, i.key, coalesce(i.rows, 0) FROM model_inputs i
			JOIN (SELECT table_name AS name FROM duckdb_tables() WHERE schema_name = 'main'
			      UNION ALL SELECT view_name FROM duckdb_views() WHERE schema_name = 'main' AND NOT internal) t
			  ON t.name = i.model`)
		if err != nil {
			return nil, fmt.Errorf("model inputs: %w", err)
		}
		for rows.Next() {
			var name string
			var mk made
			if err := rows.Scan(&name, &mk.key, &mk.rows); err != nil {
				rows.Close()
				return nil, fmt.Errorf("model inputs: %w", err)
			}
			stored[name] = mk
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("model inputs: %w", err)
		}
	}
	var runs []ModelRun
	for _, m := range models {
		if hook != nil {
			hook("model:" + m.Name)
		}
		start := time.Now()
		r := ModelRun{Name: m.Name}
		// (The key holds m.Materialize: a table made a view is made again, and the reverse.)
		if k := keys[m.Name]; k != "" && stored[m.Name].key == k {
			r.Rows, r.Reused, r.Duration = stored[m.Name].rows, true, time.Since(start)
			runs = append(runs, r)
			continue
		}
		if err := materialize(ctx, tx, m); err != nil {
			err = explainFunction(ctx, db, err) // db: the transaction is aborted
			r.Err = err
			r.Duration = time.Since(start)
			runs = append(runs, r)
			return runs, err
		}
		if m.Materialize == "table" {
			if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM "+duck.Ident(m.Name)).Scan(&r.Rows); err != nil {
				return runs, fmt.Errorf("count %s: %w", m.Name, err)
			}
		} else {
			r.Rows = -1 // a view holds no rows of its own; the ledger says "view"
		}
		if k := keys[m.Name]; k != "" {
			if _, err := tx.ExecContext(ctx, "INSERT INTO model_inputs VALUES (?, ?, ?)", m.Name, k, r.Rows); err != nil {
				return runs, fmt.Errorf("model inputs of %s: %w", m.Name, err)
			}
		}
		r.Duration = time.Since(start)
		runs = append(runs, r)
	}
	if err := tx.Commit(); err != nil {
		return runs, fmt.Errorf("commit models: %w", err)
	}
	return runs, nil
}

type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// materialize creates m as a table or view. The file's SQL starts on the second line of
// the statement, so DuckDB's line numbers map back by subtracting one.
func materialize(ctx context.Context, x execer, m *Model) error {
	kind := "TABLE"
	other := "VIEW"
	if m.Materialize == "view" {
		kind, other = "VIEW", "TABLE"
	}
	var n int
	if err := x.QueryRowContext(ctx, "SELECT count(*) FROM duckdb_"+map[string]string{"VIEW": "views", "TABLE": "tables"}[other]+"() WHERE schema_name = 'main' AND "+map[string]string{"VIEW": "view_name", "TABLE": "table_name"}[other]+" = ?", m.Name).Scan(&n); err != nil {
		return fmt.Errorf("inspect %s: %w", m.Name, err)
	}
	if n > 0 {
		if _, err := x.ExecContext(ctx, "DROP "+other+" "+duck.Ident(m.Name)); err != nil {
			return fmt.Errorf("drop old %s %s: %w", other, m.Name, err)
		}
	}
	// Whatever the table was made from is forgotten: only buildModelsReusing records it again.
	if _, err := x.ExecContext(ctx, modelInputsDDL); err != nil {
		return fmt.Errorf("model inputs: %w", err)
	}
	if _, err := x.ExecContext(ctx, "DELETE FROM model_inputs WHERE model = ?", m.Name); err != nil {
		return fmt.Errorf("model inputs of %s: %w", m.Name, err)
	}
	text := body(m.SQL)
	if kind == "VIEW" {
		var err error
		if text, err = pinVariables(ctx, x, text); err != nil {
			return fmt.Errorf("%s: %w", m.Name, err)
		}
	}
	q := "CREATE OR REPLACE " + kind + " " + duck.Ident(m.Name) + " AS\n" + text + "\n"
	if _, err := x.ExecContext(ctx, q); err != nil {
		return mapDuckErr(err, m.Path, m.SQL, 1)
	}
	return nil
}

// getvariableCall is a call of getvariable() with a constant name, as models write it.
var getvariableCall = regexp.MustCompile(`(?i)\bgetvariable\(\s*'([A-Za-z_][A-Za-z0-9_]*)'\s*\)`)

// pinVariables replaces each getvariable('name') of a view's SQL by the value the variable
// has now, as a typed literal. A view is computed when it is read, and whoever reads it (the
// DuckDB shell, bluebook query with another --year) may have other variables or none: pinned,
// it shows what the run made, like a table. The literal is padded with spaces to the call's
// length when it is shorter, so that DuckDB's error positions still point into the file.
func pinVariables(ctx context.Context, x execer, text string) (string, error) {
	var err error
	out := getvariableCall.ReplaceAllStringFunc(text, func(call string) string {
		if err != nil {
			return call
		}
		name := getvariableCall.FindStringSubmatch(call)[1]
		var typ string
		var val sql.NullString
		if e := x.QueryRowContext(ctx, "SELECT typeof(getvariable('"+name+"')), CAST(getvariable('"+name+"') AS VARCHAR)").Scan(&typ, &val); e != nil {
			err = fmt.Errorf("variable %s: %w", name, e)
			return call
		}
		lit := "NULL"
		if val.Valid {
			quoted := "'" + strings.ReplaceAll(val.String, "'", "''") + "'"
			switch typ {
			case "VARCHAR":
				lit = quoted
			case "DATE", "TIMESTAMP":
				lit = typ + " " + quoted
			default:
				lit = "CAST(" + quoted + " AS " + typ + ")"
				if typ == "BIGINT" || typ == "INTEGER" {
					lit = val.String + "::" + typ
				}
			}
		}
		if pad := utf8.RuneCountInString(call) - utf8.RuneCountInString(lit) - 2; pad >= 0 {
			return "(" + lit + strings.Repeat(" ", pad) + ")"
		}
		return "(" + lit + ")"
	})
	return out, err
}

// absPath is filepath.Abs that keeps the input on error.
func absPath(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}
