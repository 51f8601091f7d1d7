package ingest

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"bluebook/duck"
)

// refSourceColumn is one row of the table ref_sources: one column of a clean table with
// everything the contract says of it, so that analysts and chapters can read the contract
// in SQL (labels of sources, the rules a column follows, the reason a row was rejected or
// flagged).
type refSourceColumn struct {
	Source         string   `json:"source"`
	SourceTitle    string   `json:"source_title"`
	SourceOrder    int      `json:"source_order"`
	SourceRequired bool     `json:"source_required"`
	Column         string   `json:"column_name"`
	ColumnTitle    string   `json:"column_title"`
	ColumnOrder    int      `json:"column_order"`
	Kind           string   `json:"kind"` // input (a column of the files), added (derived or flag), common (source_file, source_line)
	Type           string   `json:"type"` // the contract's type of an input column
	DuckDBType     string   `json:"duckdb_type"`
	Required       bool     `json:"required"`
	Aliases        []string `json:"aliases"`
	Range          string   `json:"value_range"`
	Pattern        string   `json:"pattern"`
	Allowed        []string `json:"allowed"`
	Fallback       string   `json:"fallback"`
	AtLeast        string   `json:"at_least"`
	NotBefore      string   `json:"not_before"`
	RefSource      string   `json:"ref_source"`
	RefColumn      string   `json:"ref_column"`
	Rejects        []string `json:"rejects"`
	Flags          []string `json:"flags"`
	FlagWhen       string   `json:"flag_when"`
	Rule           string   `json:"rule"`
	Key            bool     `json:"is_key"`
	Masked         string   `json:"masked_as"`
	Personal       bool     `json:"personal"`
	Example        string   `json:"example"`
	Notes          string   `json:"notes"`
}

// refSourceTypes are the DuckDB types of ref_sources' columns, by JSON name.
var refSourceTypes = map[string]string{
	"source_order": "INTEGER", "column_order": "INTEGER", "source_required": "BOOLEAN", "required": "BOOLEAN",
	"is_key": "BOOLEAN", "personal": "BOOLEAN", "aliases": "VARCHAR[]", "allowed": "VARCHAR[]",
	"rejects": "VARCHAR[]", "flags": "VARCHAR[]",
}

// refSources returns the rows of ref_sources, source by source in the contract's order.
func refSources() []refSourceColumn {
	var out []refSourceColumn
	for _, s := range Sources() {
		base := refSourceColumn{Source: s.Name, SourceTitle: s.Title, SourceOrder: s.Order, SourceRequired: s.Required}
		v := buildValidation(s, fileRules{asOf: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)}, &params{})
		flagOf := map[string]Flag{}
		for _, f := range s.Extra {
			flagOf[f.Name] = f
		}
		n := 0
		for _, c := range s.Columns {
			n++
			r := base
			r.Column, r.ColumnTitle, r.ColumnOrder, r.Kind = c.Name, c.Title(), n, "input"
			r.Type, r.DuckDBType, r.Required, r.Aliases = string(c.Type), c.Type.SQLType(), c.Required, nonNil(c.Aliases)
			r.Range, r.Pattern, r.AtLeast, r.NotBefore, r.Rule = string(c.Range), c.Pattern, c.AtLeast, c.After, c.Rule
			r.Masked, r.Personal, r.Example = c.Masked, c.Personal != "", c.Example
			r.Notes = strings.Join(columnNotes(c), "; ")
			r.Allowed = []string{}
			for _, p := range c.Values {
				if !slices.Contains(r.Allowed, p[1]) {
					r.Allowed = append(r.Allowed, p[1])
				}
			}
			r.Flags = []string{}
			if fb := c.Fallback; fb != nil {
				r.Allowed, r.Fallback = append(r.Allowed, fb.Values...), fb.Other
				r.Flags = append(r.Flags, fb.Flag)
			}
			if c.Ref != nil {
				r.RefSource, r.RefColumn = c.Ref.Source, c.Ref.Column
				r.Flags = append(r.Flags, c.Ref.Flags...)
			}
			if c.AbsentFlag != "" {
				r.Flags = append(r.Flags, c.AbsentFlag)
			}
			if cr := codeRules[c.Rule]; cr.clean != nil {
				for name := range cr.clean(c) {
					if flagOf[name].Flags != "" {
						r.Flags = append(r.Flags, name)
					}
				}
				slices.Sort(r.Flags)
			}
			r.Rejects = []string{}
			for _, ck := range v.checks {
				if ck.column == c.Name && !slices.Contains(r.Rejects, ck.rule) {
					r.Rejects = append(r.Rejects, ck.rule)
				}
			}
			if slices.Contains(s.Key, c.Name) {
				r.Key = true
				r.Rejects = append(r.Rejects, s.dupRule())
			}
			out = append(out, r)
		}
		for _, f := range s.Extra {
			n++
			r := base
			r.Column, r.ColumnTitle, r.ColumnOrder, r.Kind, r.DuckDBType, r.Notes = f.Name, f.Title, n, "added", f.Type, f.Doc
			r.Aliases, r.Allowed, r.Rejects, r.Flags = []string{}, []string{}, []string{}, []string{}
			if f.Flags != "" {
				r.FlagWhen = fmt.Sprintf(f.Flags, f.Name)
			}
			out = append(out, r)
		}
		for _, f := range commonExtra() {
			n++
			r := base
			r.Column, r.ColumnTitle, r.ColumnOrder, r.Kind, r.DuckDBType, r.Notes = f.Name, f.Title, n, "common", f.Type, f.Doc
			r.Aliases, r.Allowed, r.Rejects, r.Flags = []string{}, []string{}, []string{}, []string{}
			out = append(out, r)
		}
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// refSourcesStructure is the from_json structure of a ref_sources row, in column order.
func refSourcesStructure() string {
	var parts []string
	for _, f := range refSourceFields() {
		t := refSourceTypes[f]
		if t == "" {
			t = "VARCHAR"
		}
		if strings.HasSuffix(t, "[]") {
			t = "[\"" + strings.TrimSuffix(t, "[]") + "\"]"
		} else {
			t = "\"" + t + "\""
		}
		parts = append(parts, "\""+f+"\": "+t)
	}
	return "[{" + strings.Join(parts, ", ") + "}]"
}

// refSourceFields are the JSON names of refSourceColumn's fields, in order.
func refSourceFields() []string {
	b, _ := json.Marshal(refSourceColumn{})
	var m []string
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.Token() // {
	for dec.More() {
		k, _ := dec.Token()
		m = append(m, k.(string))
		var skip any
		dec.Decode(&skip)
	}
	return m
}

// WriteRefSources (re)creates the tables main.ref_sources and main.ref_reject_rules (the
// reject rules with their Chinese labels) from the source contract. CreateEmpty calls it (ingest, check), and so does the models stage, which
// loads the reference tables, so that models and chapters can read it on any database.
func WriteRefSources(ctx context.Context, db interface {
	ExecContext(context.Context, string, ...any) (sql.Result, error)
}) error {
	q, arg, err := refSourcesSQL()
	if err != nil {
		return err
	}
	if _, err := db.ExecContext(ctx, q, arg); err != nil {
		return fmt.Errorf("create ref_sources: %w", err)
	}
	type ruleRow struct {
		Rule     string `json:"rule"`
		Title    string `json:"title"`
		Meaning  string `json:"meaning"`
		Position int    `json:"position"`
	}
	var rows []ruleRow
	for i, r := range RejectRules() {
		rows = append(rows, ruleRow{r.Name, r.Title, r.Doc, i + 1})
	}
	rules, err := json.Marshal(rows)
	if err != nil {
		return fmt.Errorf("ref_reject_rules: %w", err)
	}
	q = `CREATE OR REPLACE TABLE main.ref_reject_rules AS SELECT unnest(from_json(CAST($1 AS JSON),
		'[{"rule": "VARCHAR", "title": "VARCHAR", "meaning": "VARCHAR", "position": "INTEGER"}]'), recursive := true)`
	if _, err := db.ExecContext(ctx, q, string(rules)); err != nil {
		return fmt.Errorf("create ref_reject_rules: %w", err)
	}
	return nil
}

// refSourcesSQL returns the statement that (re)creates main.ref_sources, and its argument.
func refSourcesSQL() (string, any, error) {
	rows, err := json.Marshal(refSources())
	if err != nil {
		return "", nil, fmt.Errorf("ref_sources: %w", err)
	}
	q := "CREATE OR REPLACE TABLE main.ref_sources AS SELECT unnest(from_json(CAST($1 AS JSON), " + duck.Literal(refSourcesStructure()) + "), recursive := true)"
	return q, string(rows), nil
}
