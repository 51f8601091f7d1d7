package ingest

import (
	"context"
	"fmt"
	"testing"
)

// TestRefSources: ref_sources holds one row per clean column of every source, with the
// contract's labels, headers and rules, typed (lists as lists).
func TestRefSources(t *testing.T) {
	db := openDB(t)
	ctx := context.Background()
	if err := CreateEmpty(ctx, db); err != nil {
		t.Fatal(err)
	}
	want := 0
	for _, s := range Sources() {
		want += len(cleanColumns(s))
	}
	var n int
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM ref_sources").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != want {
		t.Errorf("ref_sources has %d rows, want %d (one per clean column)", n, want)
	}
	// Every clean column of every clean table is there, in the table's order.
	var missing int
	err := db.QueryRowContext(ctx, `SELECT count(*) FROM duckdb_columns() c WHERE c.schema_name = 'main' AND c.database_name = current_database()
		AND c.table_name IN (SELECT source FROM ref_sources)
		AND NOT EXISTS (SELECT 1 FROM ref_sources r WHERE r.source = c.table_name AND r.column_name = c.column_name AND r.column_order = c.column_index AND r.duckdb_type = c.data_type)`).Scan(&missing)
	if err != nil {
		t.Fatal(err)
	}
	if missing != 0 {
		t.Errorf("%d clean columns are not in ref_sources with their position and type", missing)
	}
	var title, rule, refSrc string
	var rejects, flags, aliases []any
	var required bool
	err = db.QueryRowContext(ctx, `SELECT source_title, rule, rejects, aliases, required FROM ref_sources WHERE source = 'registry' AND column_name = 'uscc'`).Scan(&title, &rule, &rejects, &aliases, &required)
	if err != nil {
		t.Fatal(err)
	}
	if title != "市场主体登记" || rule != "uscc_check" || !required || len(aliases) != 2 || aliases[0] != "统一社会信用代码" {
		t.Errorf("registry.uscc: title %q, rule %q, required %v, aliases %v", title, rule, required, aliases)
	}
	if len(rejects) != 3 || rejects[0] != "missing_required" || rejects[1] != "bad_uscc" || rejects[2] != "duplicate_uscc" {
		t.Errorf("registry.uscc rejects %v, want [missing_required bad_uscc duplicate_uscc]", rejects)
	}
	// Every column has a Chinese title.
	if got := query(t, db, "SELECT source || '.' || column_name FROM ref_sources WHERE coalesce(column_title, '') = ''"); len(got) > 0 {
		t.Errorf("columns without a Chinese title: %v", got)
	}
	err = db.QueryRowContext(ctx, `SELECT ref_source, flags FROM ref_sources WHERE source = 'appeals' AND column_name = 'uscc'`).Scan(&refSrc, &flags)
	if err != nil {
		t.Fatal(err)
	}
	if refSrc != "registry" || len(flags) != 1 || flags[0] != "orphan" {
		t.Errorf("appeals.uscc: ref %q flags %v", refSrc, flags)
	}
}

// TestRejectRulesComplete: every rule a check of any source can reject a row under, and
// every duplicate rule, is one of RejectRules, with a Chinese title; and ref_reject_rules
// holds them in order.
func TestRejectRulesComplete(t *testing.T) {
	known := map[string]bool{}
	for _, r := range RejectRules() {
		if r.Title == "" || r.Doc == "" {
			t.Errorf("rule %s has no title or meaning", r.Name)
		}
		known[r.Name] = true
	}
	for _, s := range Sources() {
		v := buildValidation(s, fileRules{asOf: asOf()}, &params{})
		for _, c := range v.checks {
			if !known[c.rule] {
				t.Errorf("%s: check %s on %q is not in RejectRules", s.Name, c.rule, c.column)
			}
		}
		if len(s.Key) > 0 && !known[s.dupRule()] {
			t.Errorf("%s: duplicate rule %s is not in RejectRules", s.Name, s.dupRule())
		}
	}
	db := openDB(t)
	if err := WriteRefSources(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	got := query(t, db, "SELECT position, rule, title FROM ref_reject_rules ORDER BY position")
	var want []string
	for i, r := range RejectRules() {
		want = append(want, fmt.Sprintf("%d|%s|%s", i+1, r.Name, r.Title))
	}
	equal(t, "ref_reject_rules", got, want)
}
