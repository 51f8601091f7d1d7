package pipeline

import (
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"testing"

	"bluebook/reports"

	_ "github.com/duckdb/duckdb-go/v2"
)

// TestPrintable: a name that prints is left as it is; one with a line break, a terminal
// escape or an invalid byte is quoted, and so is a FileError's path.
func TestPrintable(t *testing.T) {
	for in, want := range map[string]string{
		"registry/企业 名录.csv":      "registry/企业 名录.csv",
		"registry/a\nb.csv":       `"registry/a\nb.csv"`,
		"registry/\x1b[2Ja.csv":   `"registry/\x1b[2Ja.csv"`,
		"registry/\xff.csv":       `"registry/\xff.csv"`,
		"registry/a\u202eb.csv":   `"registry/a\u202eb.csv"`,
		"queries/m.sql\r\nforged": `"queries/m.sql\r\nforged"`,
	} {
		if got := Printable(in); got != want {
			t.Errorf("Printable(%q) = %s, want %s", in, got, want)
		}
	}
	fe := &FileError{Path: "queries/a\nb.sql", Line: 2, Col: 3, Err: errors.New("bad")}
	if got := fe.Error(); got != `"queries/a\nb.sql":2:3: bad` {
		t.Errorf("FileError = %s", got)
	}
}

// TestAdviseOutOfMemory: DuckDB out of memory (a real one: 4 MB and nowhere to spill) is
// reported with the memory_limit key to raise; any other error is left as it is.
func TestAdviseOutOfMemory(t *testing.T) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{"SET temp_directory = ''", "SET memory_limit = '4MB'"} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	_, err = db.Exec("CREATE TABLE t AS SELECT range::VARCHAR || 'abcdefghijklmnop' AS s FROM range(2000000)")
	if err == nil || !strings.Contains(err.Error(), "Out of Memory") {
		t.Fatalf("no out-of-memory error: %v", err)
	}
	got := Advise(err)
	if !strings.Contains(got.Error(), "raise memory_limit in bluebook.toml") || !errors.Is(got, err) {
		t.Errorf("advised = %v", got)
	}
	if AdviseText(got.Error()) != got.Error() {
		t.Errorf("advice given twice: %s", AdviseText(got.Error()))
	}
	other := errors.New("registry/a.csv:1: missing required column")
	if Advise(other) != other {
		t.Errorf("other error changed: %v", Advise(other))
	}
}

// TestChapterErrorsPrintAsOthers: a chapter error prints as any other error of a project
// (an unprintable path quoted, an unknown place as 1:1), and a list flattens nested lists
// and errors.Join, sorts by path and place, and gives chapter paths under reports/.
func TestChapterErrorsPrintAsOthers(t *testing.T) {
	for _, c := range []struct {
		chapter *reports.FileError
		file    *FileError
	}{
		{&reports.FileError{Path: "chapters/01_a\nb.md", Line: 2, Col: 3, Err: errors.New("bad")}, &FileError{Path: "chapters/01_a\nb.md", Line: 2, Col: 3, Err: errors.New("bad")}},
		{&reports.FileError{Path: "chapters/01_a.md", Err: errors.New("bad")}, &FileError{Path: "chapters/01_a.md", Err: errors.New("bad")}},
	} {
		if c.chapter.Error() != c.file.Error() {
			t.Errorf("chapter error prints %q, a file error %q", c.chapter.Error(), c.file.Error())
		}
	}
	list := ErrorList{
		&FileError{Path: "queries/b.sql", Line: 3, Col: 1, Err: errors.New("b3")},
		errors.Join(&reports.FileError{Path: "chapters/01_a.md", Line: 9, Col: 2, Err: errors.New("ch")},
			ErrorList{&FileError{Path: "queries/b.sql", Line: 1, Col: 7, Err: errors.New("b1")}, &FileError{Path: "queries/a.sql", Line: 5, Col: 5, Err: errors.New("a5")}}),
	}
	diags, ok := Diagnostics(list.Err())
	var got []string
	for _, d := range diags {
		got = append(got, d.Error())
	}
	want := "queries/a.sql:5:5: a5|queries/b.sql:1:7: b1|queries/b.sql:3:1: b3|reports/chapters/01_a.md:9:2: ch"
	if !ok || strings.Join(got, "|") != want {
		t.Errorf("Diagnostics = %v %q, want %q", ok, strings.Join(got, "|"), want)
	}
	if _, ok := Diagnostics(fmt.Errorf("run failed: %w", list.Err())); ok {
		t.Errorf("a wrapped list is taken for a list of diagnostics")
	}
	if got := DiagnosticText(fmt.Errorf("render: %w", list.Err())); strings.ReplaceAll(got, "\n", "|") != want {
		t.Errorf("DiagnosticText = %q, want %q", got, want)
	}
}
