package pipeline

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"bluebook/diag"
	"bluebook/duck"
	"bluebook/reports"
)

// CheckSpec is a data check declared in a model's header, like dbt's tests:
//
//	-- check: not_null(uscc)
//	-- check: unique(uscc, year)
//	-- check: accepted_values(stars, '★', '★★') warn
//	-- check: relationships(uscc, registry.uscc)
type CheckSpec struct {
	Kind     string // not_null, unique, accepted_values, relationships
	Args     []string
	Severity string // error or warn
	Model    string
	Path     string
	Line     int
}

// Name identifies the check in results, e.g. market_summary.not_null(year).
func (c CheckSpec) Name() string {
	return fmt.Sprintf("%s.%s(%s)", c.Model, c.Kind, strings.Join(c.Args, ", "))
}

var checkCall = regexp.MustCompile(`^([a-z_]+)\s*\((.*)\)\s*(error|warn)?$`)
var identifier = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

func parseCheckSpec(s string) (CheckSpec, error) {
	g := checkCall.FindStringSubmatch(strings.TrimSpace(s))
	if g == nil {
		return CheckSpec{}, fmt.Errorf("check %q is not of the form kind(args) [error|warn]", s)
	}
	c := CheckSpec{Kind: g[1], Severity: "error"}
	if g[3] != "" {
		c.Severity = g[3]
	}
	for _, a := range splitArgs(g[2]) {
		c.Args = append(c.Args, strings.TrimSpace(a))
	}
	need := func(ok bool, form string) error {
		if !ok {
			return fmt.Errorf("%s takes %s", c.Kind, form)
		}
		return nil
	}
	var err error
	switch c.Kind {
	case "not_null", "unique":
		err = need(len(c.Args) >= 1 && allIdents(c.Args), "one or more column names")
	case "accepted_values":
		err = need(len(c.Args) >= 2 && identifier.MatchString(c.Args[0]), "a column and the accepted values, e.g. accepted_values(stars, '★', '★★')")
	case "relationships":
		ok := len(c.Args) == 2 && identifier.MatchString(c.Args[0])
		if ok {
			parts := strings.Split(c.Args[1], ".")
			ok = len(parts) == 2 && identifier.MatchString(parts[0]) && identifier.MatchString(parts[1])
		}
		err = need(ok, "a column and table.column, e.g. relationships(uscc, registry.uscc)")
		if ok {
			parts := strings.Split(c.Args[1], ".")
			if why, closed := personalOf(strings.ToLower(parts[0]))[strings.ToLower(parts[1])]; closed {
				err = fmt.Errorf("%s is personal data and cannot be read by checks: %s", c.Args[1], why)
			}
		}
	default:
		err = fmt.Errorf("unknown check %q (known: not_null, unique, accepted_values, relationships; write other checks as SQL in queries/checks/)", c.Kind)
	}
	return c, err
}

// splitArgs splits on commas outside single quotes.
func splitArgs(s string) []string {
	var out []string
	var cur strings.Builder
	inq := false
	for _, r := range s {
		switch {
		case r == '\'':
			inq = !inq
			cur.WriteRune(r)
		case r == ',' && !inq:
			out = append(out, cur.String())
			cur.Reset()
		default:
			cur.WriteRune(r)
		}
	}
	if strings.TrimSpace(cur.String()) != "" {
		out = append(out, cur.String())
	}
	return out
}

func allIdents(xs []string) bool {
	for _, x := range xs {
		if !identifier.MatchString(x) {
			return false
		}
	}
	return true
}

// sql returns the query counting the offending rows and its bound arguments. Identifiers
// were validated by parseCheckSpec; values are bound as parameters.
func (c CheckSpec) sql() (string, []any) {
	t := duck.Ident(c.Model)
	switch c.Kind {
	case "not_null":
		var conds []string
		for _, a := range c.Args {
			conds = append(conds, duck.Ident(a)+" IS NULL")
		}
		return fmt.Sprintf("SELECT count(*) FROM %s WHERE %s", t, strings.Join(conds, " OR ")), nil
	case "unique":
		var cols []string
		for _, a := range c.Args {
			cols = append(cols, duck.Ident(a))
		}
		cl := strings.Join(cols, ", ")
		return fmt.Sprintf("SELECT coalesce(sum(n - 1), 0) FROM (SELECT count(*) AS n FROM %s GROUP BY %s HAVING count(*) > 1)", t, cl), nil
	case "accepted_values":
		var ph []string
		var args []any
		for _, v := range c.Args[1:] {
			ph = append(ph, "?")
			args = append(args, strings.Trim(strings.TrimSpace(v), "'"))
		}
		return fmt.Sprintf("SELECT count(*) FROM %s WHERE %s IS NOT NULL AND CAST(%s AS VARCHAR) NOT IN (%s)", t, duck.Ident(c.Args[0]), duck.Ident(c.Args[0]), strings.Join(ph, ", ")), args
	case "relationships":
		parts := strings.Split(c.Args[1], ".")
		return fmt.Sprintf("SELECT count(*) FROM %s a WHERE a.%s IS NOT NULL AND NOT EXISTS (SELECT 1 FROM %s b WHERE b.%s = a.%s)",
			t, duck.Ident(c.Args[0]), duck.Ident(parts[0]), duck.Ident(parts[1]), duck.Ident(c.Args[0])), nil
	}
	return "", nil
}

// CustomCheck is a SQL file under queries/checks/ returning the offending rows.
type CustomCheck struct {
	Name        string
	Path        string
	SQL         string
	Severity    string
	Description string
}

func parseCustomCheck(shown, name, text string) (*CustomCheck, error) {
	if !modelName.MatchString(name) {
		return nil, &diag.Error{Path: shown, Line: 1, Col: 1, Err: fmt.Errorf("check name %q is not valid: use lower-case letters, digits and _", name)}
	}
	c := &CustomCheck{Name: name, Path: shown, SQL: text, Severity: "error"}
	for i, line := range strings.Split(text, "\n") {
		t := strings.TrimSpace(line)
		if t == "" {
			continue
		}
		if !strings.HasPrefix(t, "--") {
			break
		}
		g := headerLine.FindStringSubmatch(t)
		if g == nil {
			continue
		}
		switch g[1] {
		case "severity":
			if g[2] != "error" && g[2] != "warn" {
				return nil, &diag.Error{Path: shown, Line: i + 1, Col: runeIndex(line, g[2]) + 1, Err: fmt.Errorf("severity must be error or warn, not %q", g[2])}
			}
			c.Severity = g[2]
		case "description":
			c.Description = g[2]
		default:
			return nil, &diag.Error{Path: shown, Line: i + 1, Col: runeIndex(line, g[1]) + 1, Err: fmt.Errorf("unknown header key %q in a check (known: description, severity)", g[1])}
		}
	}
	return c, nil
}

// CheckResult is the outcome of one data check.
type CheckResult struct {
	Name     string
	Model    string
	Path     string
	Line     int
	Severity string
	Status   string // pass, fail or error
	Failing  int64
	Message  string
	// Kept: not run, because the model's input key is the one the same check passed with in
	// the last run that recorded keys (the table it reads is the same, so would the result be).
	Kept bool
	// Sample holds the first offending rows of a failed check (at most sampleRows),
	// also kept in the table check_failures.
	Sample *reports.Table
}

// sampleRows is how many offending rows of a failed check are shown and kept.
const sampleRows = 5

// rowsSQL returns the query listing the offending rows of c (not only counting them).
func (c CheckSpec) rowsSQL() (string, []any) {
	t := duck.Ident(c.Model)
	q, args := c.sql()
	switch c.Kind {
	case "not_null", "accepted_values":
		return strings.Replace(q, "SELECT count(*) FROM", "SELECT * FROM", 1), args
	case "unique":
		var cols []string
		for _, a := range c.Args {
			cols = append(cols, duck.Ident(a))
		}
		cl := strings.Join(cols, ", ")
		return fmt.Sprintf("SELECT %s, count(*) AS copies FROM %s GROUP BY %s HAVING count(*) > 1 ORDER BY copies DESC", cl, t, cl), nil
	case "relationships":
		return strings.Replace(q, "SELECT count(*) FROM", "SELECT a.* FROM", 1), args
	}
	return q, args
}

// sample returns the first offending rows of a failed check.
func sample(ctx context.Context, db *sql.DB, q string, args ...any) (*reports.Table, error) {
	return queryTable(ctx, db, "SELECT * FROM (\n"+q+"\n) LIMIT "+fmt.Sprint(sampleRows), args...)
}

// ErrCheckFailed reports that a check of severity error failed (exit code 3).
var ErrCheckFailed = errors.New("a data check of severity error failed")

// runChecks runs every declared and custom check of p and stores the results in
// check_results. keys are the models' input keys (inputs.go; nil: none): a declared check
// of a model whose key is the one it passed with in the last run that recorded keys is not
// run again but kept, since it would read the same rows; it is recorded with the key again.
// Custom checks, which may read anything, and relationships checks, which read a second
// table, always run.
func runChecks(ctx context.Context, db *sql.DB, p *Project, runID string, keys map[string]string) ([]CheckResult, error) {
	if err := ensureCheckResults(ctx, db); err != nil {
		return nil, err
	}
	passed, err := passedChecks(ctx, db, keys)
	if err != nil {
		return nil, err
	}
	var res []CheckResult
	for _, m := range p.Models {
		for _, c := range m.Checks {
			q, args := c.sql()
			r := CheckResult{Name: c.Name(), Model: c.Model, Path: c.Path, Line: c.Line, Severity: c.Severity}
			// (relationships reads a second table, which the model's key does not cover)
			if k := keys[m.Name]; k != "" && c.Kind != "relationships" && passed[checkKey{r.Model, r.Name, k}] {
				r.Status, r.Kept = "pass", true
			} else if err := db.QueryRowContext(ctx, q, args...).Scan(&r.Failing); err != nil {
				r.Status, r.Message = "error", cleanDuckErr(err)
			} else if r.Failing > 0 {
				r.Status = "fail"
				r.Message = fmt.Sprintf("%d offending rows", r.Failing)
				rq, rargs := c.rowsSQL()
				r.Sample, _ = sample(ctx, db, rq, rargs...) // the count is what decides; the rows illustrate it
			} else {
				r.Status = "pass"
			}
			res = append(res, r)
		}
	}
	for _, c := range p.Checks {
		r := CheckResult{Name: c.Name, Path: c.Path, Line: 1, Severity: c.Severity}
		q := "SELECT count(*) FROM (\n" + body(c.SQL) + "\n)"
		if err := db.QueryRowContext(ctx, q).Scan(&r.Failing); err != nil {
			r.Status = "error"
			r.Message = explainFunction(ctx, db, mapDuckErr(err, c.Path, c.SQL, 1)).Error()
		} else if r.Failing > 0 {
			r.Status = "fail"
			r.Message = fmt.Sprintf("%d offending rows", r.Failing)
			if c.Description != "" {
				r.Message += ": " + c.Description
			}
			r.Sample, _ = sample(ctx, db, body(c.SQL))
		} else {
			r.Status = "pass"
		}
		res = append(res, r)
	}
	if err := ensureCheckFailures(ctx, db); err != nil {
		return res, err
	}
	now := time.Now()
	for _, r := range res {
		var key any // NULL: a custom check, or a model without a key
		if k := keys[r.Model]; k != "" && r.Model != "" {
			key = k
		}
		if _, err := db.ExecContext(ctx, `INSERT INTO check_results (run_id, name, model, path, line, severity, status, failing_rows, message, checked_at, input_key)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			runID, r.Name, r.Model, r.Path, r.Line, r.Severity, r.Status, r.Failing, r.Message, now, key); err != nil {
			return res, fmt.Errorf("record check %s: %w", r.Name, err)
		}
		if r.Sample == nil {
			continue
		}
		for i, row := range r.Sample.Rows {
			obj := map[string]any{}
			for j, c := range r.Sample.Columns {
				obj[c] = row[j]
			}
			b, err := json.Marshal(obj)
			if err != nil {
				return res, fmt.Errorf("record the rows of check %s: %w", r.Name, err)
			}
			if _, err := db.ExecContext(ctx, `INSERT INTO check_failures VALUES (?, ?, ?, ?, ?, ?, ?)`,
				runID, r.Name, r.Path, r.Line, i+1, string(b), now); err != nil {
				return res, fmt.Errorf("record the rows of check %s: %w", r.Name, err)
			}
		}
	}
	return res, nil
}

// checkKey names a declared check of a model and the model's input key.
type checkKey struct{ model, name, key string }

// passedChecks returns the declared checks that passed in the last run that recorded input
// keys, with the keys they passed with (none when keys is empty).
func passedChecks(ctx context.Context, db *sql.DB, keys map[string]string) (map[checkKey]bool, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	rows, err := db.QueryContext(ctx, `SELECT model, name, input_key FROM check_results
		WHERE status = 'pass' AND input_key IS NOT NULL
		  AND run_id = (SELECT arg_max(run_id, checked_at) FROM check_results WHERE input_key IS NOT NULL)`)
	if err != nil {
		return nil, fmt.Errorf("read the last checks: %w", err)
	}
	defer rows.Close()
	out := map[checkKey]bool{}
	for rows.Next() {
		var k checkKey
		if err := rows.Scan(&k.model, &k.name, &k.key); err != nil {
			return nil, fmt.Errorf("read the last checks: %w", err)
		}
		out[k] = true
	}
	return out, rows.Err()
}

// ensureCheckFailures creates the table that keeps the first offending rows of each
// failed check, one JSON object per row.
func ensureCheckFailures(ctx context.Context, db *sql.DB) error {
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS check_failures (
		run_id VARCHAR, name VARCHAR, path VARCHAR, line INTEGER, row_number INTEGER,
		row_json VARCHAR, checked_at TIMESTAMP)`); err != nil {
		return fmt.Errorf("create check_failures: %w", err)
	}
	return nil
}

// ensureCheckResults creates the table check results are recorded in.
func ensureCheckResults(ctx context.Context, db *sql.DB) error {
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS check_results (
		run_id VARCHAR, name VARCHAR, model VARCHAR, path VARCHAR, line INTEGER, severity VARCHAR,
		status VARCHAR, failing_rows BIGINT, message VARCHAR, checked_at TIMESTAMP, input_key VARCHAR);
		ALTER TABLE check_results ADD COLUMN IF NOT EXISTS input_key VARCHAR`); err != nil {
		return fmt.Errorf("create check_results: %w", err)
	}
	return nil
}
