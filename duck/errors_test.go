package duck

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestErrorPlace runs statements that fail in DuckDB, wrapped as the pipeline wraps
// models and checks, and asserts that ErrorPlace puts each error at the analyst's line and
// column (in characters) of the token marked by the case: after Chinese text,
// emoji, zero-width joiners, combining marks, a flag, fullwidth punctuation, tabs, a
// byte-order mark, on a line DuckDB shortens on both sides, and on line 300. A parser
// error is placed by DuckDB at a character offset that its own LINE/caret rendering
// takes for a byte offset; a binder error at a byte offset.
func TestErrorPlace(t *testing.T) {
	t.Parallel()
	db := memDB(t)
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
				gotLine, off, ok := ErrorPlace(err.Error(), c.text, wrap)
				if !ok || off < 0 {
					t.Fatalf("no place in %v", err)
				}
				fl := 1 + strings.Count(c.text[:off], "\n")
				fs := strings.LastIndex(c.text[:off], "\n") + 1
				fc := 1 + utf8.RuneCountInString(strings.TrimPrefix(c.text[fs:off], "\uFEFF"))
				if fl != gotLine && !strings.HasPrefix(err.Error(), "Parser Error") {
					t.Errorf("line %d, but the place is on line %d", gotLine, fl)
				}
				i := strings.Index(c.text, c.token)
				line := 1 + strings.Count(c.text[:i], "\n")
				start := strings.LastIndex(c.text[:i], "\n") + 1
				col := 1 + utf8.RuneCountInString(strings.TrimPrefix(c.text[start:i], "\uFEFF"))
				if fl != line || fc != col {
					t.Errorf("at %d:%d, want %d:%d (%v)", fl, fc, line, col, err)
				}
			})
		}
	}
}

// TestMessageShapes pins the layout of DuckDB's messages that CleanMessage, NoFunctionMatch,
// RefusedFileAccess and RefusedSetting read.
func TestMessageShapes(t *testing.T) {
	t.Parallel()
	db := memDB(t)
	if _, err := db.Exec("CREATE TABLE reg (uscc VARCHAR, established DATE)"); err != nil {
		t.Fatal(err)
	}
	run := func(q string) string {
		t.Helper()
		_, err := db.Exec(q)
		if err == nil {
			t.Fatalf("%s ran", q)
		}
		return err.Error()
	}
	// A binder error: its kind, the explanation, then the LINE/caret context.
	msg := run("SELECT nosuch\nFROM reg")
	if !strings.HasPrefix(msg, "Binder Error: ") || !strings.Contains(msg, "\n\nLINE 1: SELECT nosuch\n") {
		t.Errorf("binder error's layout changed: %q", msg)
	}
	clean := CleanMessage(msg)
	if strings.Contains(clean, "LINE") || strings.Contains(clean, "\n") || !strings.Contains(clean, `"nosuch"`) {
		t.Errorf("CleanMessage(%q) = %q", msg, clean)
	}
	// A parser error.
	msg = run("SELECT 1 FROM FROM reg")
	if !strings.HasPrefix(msg, "Parser Error: syntax error at or near \"FROM\"") || !strings.Contains(msg, "LINE 1: ") {
		t.Errorf("parser error's layout changed: %q", msg)
	}
	// No function for these argument types: the name and the types.
	msg = CleanMessage(run("SELECT established - uscc FROM reg"))
	name, types, start, ok := NoFunctionMatch(msg)
	if !ok || name != "-" || strings.Join(types, "|") != "DATE|VARCHAR" || !strings.HasPrefix(msg[start:], "No function matches") {
		t.Errorf("NoFunctionMatch(%q) = %q, %q, %d, %v", msg, name, types, start, ok)
	}
	name, types, _, ok = NoFunctionMatch(CleanMessage(run("SELECT substr(established, 1) FROM reg")))
	if !ok || name != "substr" || strings.Join(types, "|") != "DATE|INTEGER_LITERAL" {
		t.Errorf("NoFunctionMatch for substr(DATE, 1) = %q, %q, %v", name, types, ok)
	}
	if _, _, _, ok := NoFunctionMatch("Binder Error: something else"); ok {
		t.Error("NoFunctionMatch matches any message")
	}
	// A locked-down instance's refusals.
	if err := LockDown(context.Background(), db, nil); err != nil {
		t.Fatal(err)
	}
	for q, want := range map[string]func(string) bool{
		"SELECT * FROM read_csv('/etc/passwd')": RefusedFileAccess,
		"COPY reg TO '/tmp/x.csv'":              RefusedFileAccess,
		"SET threads = 3":                       RefusedSetting,
	} {
		if msg := run(q); !want(msg) {
			t.Errorf("%s: %q not recognised as the refusal it is", q, msg)
		}
	}
	if RefusedFileAccess("Catalog Error: Table with name x does not exist!") || RefusedSetting("Catalog Error: x") {
		t.Error("an ordinary error taken for a refusal")
	}
}

// TestCatalogMessages pins the messages of a misspelled function, a missing table and an
// exhausted memory limit, and the catalog FunctionNames reads.
func TestCatalogMessages(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := memDB(t)
	_, err := db.Exec("SELECT coalese(1, 2)")
	if err == nil {
		t.Fatal("coalese ran")
	}
	msg := CleanMessage(err.Error())
	kind, name, start, end, ok := UnknownFunction(msg)
	if !ok || kind != "Scalar" || name != "coalese" || !strings.HasPrefix(msg[start:], "Scalar Function with name coalese does not exist!") || !strings.HasSuffix(msg[:end], "?") {
		t.Errorf("UnknownFunction(%q) = %q, %q, %d, %d, %v", msg, kind, name, start, end, ok)
	}
	_, err = db.Exec("SELECT * FROM rnage(3)")
	if kind, name, _, _, ok := UnknownFunction(CleanMessage(err.Error())); !ok || kind != "Table" || name != "rnage" {
		t.Errorf("a misspelled table function: %v → %q, %q, %v", err, kind, name, ok)
	}
	for _, kind := range []string{"Scalar", "Aggregate", "Table"} {
		names, err := FunctionNames(ctx, db, kind)
		want := map[string]string{"Scalar": "coalesce", "Aggregate": "sum", "Table": "range"}[kind]
		if err != nil || !slices.Contains(names, want) {
			t.Errorf("FunctionNames(%s): %d names without %s, %v", kind, len(names), want, err)
		}
	}
	_, err = db.Exec("SELECT * FROM no_such_model")
	if err == nil || !Missing(err.Error()) {
		t.Errorf("a missing table: %v", err)
	}
	if _, err := db.Exec("SET memory_limit = '20MB'"); err != nil {
		t.Fatal(err)
	}
	_, err = db.Exec("SELECT list(range || repeat('x', 100)) FROM range(3000000)")
	if err == nil || !OutOfMemory(err.Error()) {
		t.Errorf("over the memory limit: %v", err)
	}
}

// TestInvalidUnicode pins read_csv's message for a file that is not UTF-8 (ingest then
// reads it again as GBK or reports it).
func TestInvalidUnicode(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "gbk.csv")
	if err := os.WriteFile(path, []byte("name\n\xc3\xf1\xd3\xaa\n"), 0o644); err != nil { // 民营 in GBK
		t.Fatal(err)
	}
	_, err := memDB(t).Exec("SELECT * FROM read_csv(" + Literal(path) + ", header = true, all_varchar = true)")
	if err == nil || !InvalidUnicode(err.Error()) {
		t.Errorf("reading GBK as UTF-8: %v", err)
	}
}
