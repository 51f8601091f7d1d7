package pipeline

import (
	"strings"
	"testing"
	"testing/fstest"

	"bluebook/diag"
)

// TestExcerpt: the source line under an error and a caret under its column, padded by
// display width (a Chinese character two columns, a combining mark none), tabs kept as
// tabs, a long line cut around the caret, control characters defused.
func TestExcerpt(t *testing.T) {
	const in = excerptIndent
	for _, c := range []struct {
		line string
		col  int
		want string
	}{
		{"SELEKT 1", 1, in + "SELEKT 1\n" + in + "^"},
		{"SELECT '中文' AS 名称, nosuch", 20, in + "SELECT '中文' AS 名称, nosuch\n" + in + strings.Repeat(" ", 23) + "^"},
		{"\t\tnosuch\tAS n", 3, in + "\t\tnosuch\tAS n\n" + in + "\t\t^"},
		{"SELECT\t'中文'\tAS 名称,\tnosuch", 20, in + "SELECT\t'中文'\tAS 名称,\tnosuch\n" + in + "      \t      \t        \t^"},
		{"é́x", 3, in + "é́x\n" + in + " ^"}, // e + two combining acute accents: one column
		{"SELECT 1 +", 11, in + "SELECT 1 +\n" + in + strings.Repeat(" ", 10) + "^"},
		{"a\x1b[2Jb", 6, in + "a\uFFFD[2Jb\n" + in + "     ^"},
		{strings.Repeat("中", 100) + " x", 102, in + "..." + strings.Repeat("中", 29) + " x\n" + in + "   " + strings.Repeat(" ", 59) + "^"},
		{"x " + strings.Repeat("中", 100), 3, in + "x " + strings.Repeat("中", 30) + "...\n" + in + "  ^"},
	} {
		if got := excerpt(c.line, c.col); got != c.want {
			t.Errorf("excerpt(%q, %d) =\n%s\nwant\n%s", c.line, c.col, got, c.want)
		}
	}
}

// TestAttachSource: the source line is read from the project's folders, for model and
// chapter errors alike (a chapter error under reports/, as the pipeline gives it), a
// byte-order mark and a CR left out; a data file's error is given none, whatever its path.
func TestAttachSource(t *testing.T) {
	cfg := Config{
		Queries:    fstest.MapFS{"m/a.sql": {Data: []byte("\uFEFFSELECT 1\r\nFROM 中文\r\n")}},
		QueriesDir: "queries",
		Reports:    fstest.MapFS{"chapters/01_x.md": {Data: []byte("# 标题\n\n{{q.n}}\n")}},
		ReportsDir: "reports",
	}
	a := &diag.Error{Path: "queries/m/a.sql", Line: 2, Col: 6}
	b := &diag.Error{Path: "reports/chapters/01_x.md", Line: 3, Col: 1}
	c := &diag.Error{Path: "queries/m/a.sql", Line: 1, Col: 1}
	d := &diag.Error{Path: "queries/m/a.sql", Line: 9, Col: 1}
	e := &diag.Error{Path: "queries/m/a.sql", Line: 2, Col: 1, Data: true}
	AttachSource(cfg, ErrorList{a, b, c, d, e})
	for _, x := range []struct {
		e    *diag.Error
		want string
	}{{a, "FROM 中文"}, {b, "{{q.n}}"}, {c, "SELECT 1"}, {d, ""}, {e, ""}} {
		if x.e.Source != x.want {
			t.Errorf("%s:%d: source %q, want %q", x.e.Path, x.e.Line, x.e.Source, x.want)
		}
	}
	if got, want := Excerpt(a), "    FROM 中文\n         ^"; got != want {
		t.Errorf("excerpt:\n%s\nwant\n%s", got, want)
	}
}
