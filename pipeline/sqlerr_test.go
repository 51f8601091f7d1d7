package pipeline

import (
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestMapDuckErrPositions runs statements that fail in DuckDB, wrapped as the pipeline
// wraps models and checks, and asserts that mapDuckErr puts each error at the analyst's
// line and column (in characters) of the token marked by the case: after Chinese text,
// emoji, zero-width joiners, combining marks, a flag, fullwidth punctuation, tabs, a
// byte-order mark, on a line DuckDB shortens on both sides, and on line 300. A parser
// error is placed by DuckDB at a character offset that its own LINE/caret rendering
// takes for a byte offset; a binder error at a byte offset.
func TestMapDuckErrPositions(t *testing.T) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("CREATE TABLE reg (uscc VARCHAR, capital DOUBLE)"); err != nil {
		t.Fatal(err)
	}
	chinese := "-- 说明：民营经济主体，中文注释很长很长很长很长很长很长很长很长很长很长很长很长。\n"
	cases := []struct {
		name, text, token string // the error must be reported at the first occurrence of token
	}{
		{"binder after Chinese", chinese + "SELECT '民营经济' AS 名称, nosuch FROM reg", "nosuch"},
		{"binder after emoji and joiners", "SELECT '😀👨\u200d👩\u200d👧🇨🇳é́，①「」' AS a, nosuch FROM reg", "nosuch"},
		{"binder after tabs", "SELECT\t'中文'\tAS a,\n\t\tnosuch\tAS n\n\tFROM\treg", "nosuch"},
		{"binder after a BOM", "\uFEFFSELECT '中' AS a, nosuch FROM reg", "nosuch"},
		{"binder on a line shortened both sides", "SELECT '" + strings.Repeat("中", 100) + "' AS a, nosuch, '" + strings.Repeat("文", 100) + "' AS b FROM reg", "nosuch"},
		{"binder on a repetitive line shortened both sides", "SELECT " + strings.Repeat("capital + ", 30) + "nosuch + " + strings.Repeat("capital + ", 30) + "1 AS x FROM reg", "nosuch"},
		{"binder on line 300", strings.Repeat(chinese, 299) + "SELECT '中文' AS a, nosuch FROM reg", "nosuch"},
		{"parser after Chinese", chinese + chinese + "SELECT '民营经济' AS 名称 FROM reg WHERE capital > > 1", "> 1"},
		{"parser after emoji", "SELECT '😀😀😀😀' AS a FROM reg WHERE capital > > 1", "> 1"},
		{"parser after a BOM", "\uFEFFSELECT '中' AS a FROM reg WHERE = 1", "= 1"},
		{"parser on line 300", strings.Repeat(chinese, 299) + "SELECT '中文' AS a FROM FROM reg", "FROM reg"},
	}
	for _, c := range cases {
		for wrap, prefix := range []string{"", "CREATE OR REPLACE TABLE m AS\n"} {
			t.Run(fmt.Sprintf("%s/wrap%d", c.name, wrap), func(t *testing.T) {
				_, err := db.Exec(prefix + c.text)
				if err == nil {
					t.Fatal("no error")
				}
				var fe *FileError
				if !errors.As(mapDuckErr(err, "queries/m.sql", c.text, wrap), &fe) {
					t.Fatalf("not a FileError: %v", err)
				}
				i := strings.Index(c.text, c.token)
				line := 1 + strings.Count(c.text[:i], "\n")
				start := strings.LastIndex(c.text[:i], "\n") + 1
				col := 1 + utf8.RuneCountInString(strings.TrimPrefix(c.text[start:i], "\uFEFF"))
				if fe.Line != line || fe.Col != col {
					t.Errorf("at %d:%d, want %d:%d (%v)", fe.Line, fe.Col, line, col, err)
				}
			})
		}
	}
}

// TestTypeMismatchInWords: a date minus a text says which operand has which type and how
// to fix it, instead of DuckDB's list of every candidate, at the operator's place.
func TestTypeMismatchInWords(t *testing.T) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	text := "-- 中文说明\nSELECT '中文' AS a, CAST(getvariable('cutoff') AS DATE) - established FROM (SELECT '2020-01-01' AS established)"
	_, err = db.Exec("CREATE TABLE m AS\n" + text)
	if err == nil {
		t.Fatal("no error")
	}
	got := mapDuckErr(err, "queries/m.sql", text, 1).Error()
	want := "queries/m.sql:2:55: Binder Error: - cannot be applied to these operands: the left one is a date (DATE), the right one text (VARCHAR); turn the text into a date first (CAST(x AS DATE)); for the days between two dates use date_diff('day', start, end)"
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}
