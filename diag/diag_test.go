package diag

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// TestPrintable: a name that prints is left as it is; one with a line break, a terminal
// escape, an invalid byte or a bidirectional override is quoted.
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
}

// TestErrorText: every mistake prints as path:line:col: message. In an analyst's file an
// unknown line or column prints as 1; in a data file it is left out, and a workbook's row
// prints as Sheet!row. Names that do not print are quoted, a warning and a hint are
// marked.
func TestErrorText(t *testing.T) {
	bad := errors.New("bad")
	for _, c := range []struct {
		e    *Error
		want string
	}{
		{&Error{Path: "queries/m/a.sql", Line: 3, Col: 18, Err: bad}, "queries/m/a.sql:3:18: bad"},
		{&Error{Path: "queries/m/a.sql", Err: bad}, "queries/m/a.sql:1:1: bad"},
		{&Error{Path: "reports/chapters/01_a.md", Line: 7, Err: bad}, "reports/chapters/01_a.md:7:1: bad"},
		{&Error{Path: "queries/a\nb.sql", Line: 2, Col: 3, Err: bad}, `"queries/a\nb.sql":2:3: bad`},
		{&Error{Path: "reports/chapters/01_a.md", Line: 5, Col: 20, Err: bad, Warning: true}, "reports/chapters/01_a.md:5:20: warning: bad"},
		{&Error{Path: "queries/m/a.sql", Line: 3, Col: 8, Err: bad, Hint: `did you mean "stock"?`}, `queries/m/a.sql:3:8: bad; did you mean "stock"?`},
		{&Error{Path: "registry/x.csv", Err: bad, Data: true}, "registry/x.csv: bad"},
		{&Error{Path: "registry/x.csv", Col: 4, Err: bad, Data: true}, "registry/x.csv: bad"},
		{&Error{Path: "registry/x.csv", Line: 12, Err: bad, Data: true}, "registry/x.csv:12: bad"},
		{&Error{Path: "registry/x.csv", Line: 12, Col: 4, Err: bad, Data: true}, "registry/x.csv:12:4: bad"},
		{&Error{Path: "registry/x.xlsx", Sheet: "Sheet1", Line: 3, Err: bad, Data: true}, "registry/x.xlsx:Sheet1!3: bad"},
		{&Error{Path: "registry/x.xlsx", Sheet: "名录", Line: 3, Col: 2, Err: bad, Data: true}, "registry/x.xlsx:名录!3:2: bad"},
		{&Error{Path: "registry/x.xlsx", Sheet: "a\x1b[2J", Line: 3, Col: 2, Err: bad, Data: true}, `registry/x.xlsx:"a\x1b[2J!3":2: bad`},
	} {
		if got := c.e.Error(); got != c.want {
			t.Errorf("%+v prints\n%s\nwant\n%s", *c.e, got, c.want)
		}
		if !errors.Is(c.e, bad) {
			t.Errorf("%s does not unwrap to its message", c.e)
		}
	}
}

// TestSort: mistakes sort by path, sheet, line and column, wherever they are wrapped;
// errors that hold none keep their order, after them.
func TestSort(t *testing.T) {
	e := func(p, sheet string, line, col int) error {
		return &Error{Path: p, Sheet: sheet, Line: line, Col: col, Err: errors.New("x")}
	}
	other1, other2 := errors.New("other 1"), errors.New("other 2")
	list := []error{
		other1,
		e("queries/b.sql", "", 3, 1),
		fmt.Errorf("wrapped: %w", e("queries/a.sql", "", 9, 1)),
		e("data.xlsx", "Sheet2", 1, 1),
		other2,
		e("queries/b.sql", "", 1, 7),
		e("data.xlsx", "Sheet1", 5, 1),
		e("queries/b.sql", "", 1, 2),
	}
	Sort(list)
	var got []string
	for _, x := range list {
		got = append(got, x.Error())
	}
	want := "data.xlsx:Sheet1!5:1: x|data.xlsx:Sheet2!1:1: x|wrapped: queries/a.sql:9:1: x|queries/b.sql:1:2: x|queries/b.sql:1:7: x|queries/b.sql:3:1: x|other 1|other 2"
	if strings.Join(got, "|") != want {
		t.Errorf("sorted:\n%s\nwant\n%s", strings.Join(got, "|"), want)
	}
}

func TestCount(t *testing.T) {
	for _, c := range []struct {
		n    int
		noun string
		want string
	}{{0, "error", "0 errors"}, {1, "error", "1 error"}, {6, "error", "6 errors"}, {1, "warning", "1 warning"}, {3, "warning", "3 warnings"}} {
		if got := Count(c.n, c.noun); got != c.want {
			t.Errorf("Count(%d, %q) = %q, want %q", c.n, c.noun, got, c.want)
		}
	}
}
