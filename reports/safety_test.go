package reports

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/xuri/excelize/v2"
)

// formulaNames are enterprise names a spreadsheet would run as formulas.
var formulaNames = []string{
	`=HYPERLINK("http://example.invalid/?x","点击")`,
	"+1+cmd|' /C calc'!A0",
	"-2+3",
	"@SUM(1+1)*cmd|' /C calc'!A0",
	"\t=1+1",
	"\r=1+1",
}

func formulaExport() Export {
	t := &Table{Columns: []string{"name", "amount", "note"}}
	for _, n := range formulaNames {
		t.Rows = append(t.Rows, []any{n, -5.5, "=note"})
	}
	t.Rows = append(t.Rows, []any{"示例市骏鑫贸易有限责任公司", int64(-3), nil})
	return Export{Name: "innovation_points", Title: "创新积分", Table: t, Titles: map[string]string{"note": "=备注"}}
}

// TestCSVFormulaCells: in a CSV download a text cell beginning with =, +, -, @, a tab or a
// carriage return starts with an apostrophe (headers included); numbers stay numbers.
func TestCSVFormulaCells(t *testing.T) {
	b, err := exportCSV(formulaExport())
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\uFEFF")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if recs[0][2] != "'=备注" {
		t.Errorf("header %q is not defused", recs[0][2])
	}
	for i, n := range formulaNames {
		row := recs[i+1]
		// encoding/csv drops a lone carriage return when it writes CRLF lines.
		if want := "'" + strings.ReplaceAll(n, "\r", ""); row[0] != want {
			t.Errorf("name %q is written %q", n, row[0])
		}
		if row[1] != "-5.5" {
			t.Errorf("the number -5.5 is written %q", row[1])
		}
		if row[2] != "'=note" {
			t.Errorf("note is written %q", row[2])
		}
	}
	last := recs[len(recs)-1]
	if last[0] != "示例市骏鑫贸易有限责任公司" || last[1] != "-3" {
		t.Errorf("a plain row is written %q", last)
	}
}

// TestWorkbookFormulaCellsStayText: the XLSX download stores such names as text, never as
// formulas.
func TestWorkbookFormulaCellsStayText(t *testing.T) {
	e := formulaExport()
	b, err := exportWorkbook([]Export{e}, sheetNames([]Export{e}))
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheet := f.GetSheetList()[1]
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for r, row := range rows {
		for c, v := range row {
			ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
			if formula, _ := f.GetCellFormula(sheet, ref); formula != "" {
				t.Errorf("%s holds the formula %q", ref, formula)
			}
			for _, n := range formulaNames {
				if v == n {
					found++
				}
			}
		}
	}
	if found != len(formulaNames) {
		t.Errorf("%d of %d names kept as text in the workbook", found, len(formulaNames))
	}
}

// TestNamesWithControlsShownEscaped: control characters and bidirectional overrides in a
// name are shown as visible escapes in the pages and kept as they are in Arrow.
func TestNamesWithControlsShownEscaped(t *testing.T) {
	const name = "甲公司\u202E司公乙\u2066x\u0007"
	f := newFixture(2025)
	f.results["01_rank.top"].Rows[1][1] = name
	dir := t.TempDir()
	tbl := &Table{Columns: []string{"name"}, Rows: [][]any{{name}}}
	exports := []Export{{Name: "public_welfare_index", Title: "民营企业公益指数", Table: tbl}}
	if err := Render(loadFixture(t), f.results, f.meta(), Options{Dir: dir, Exports: exports}); err != nil {
		t.Fatal(err)
	}
	pages, _ := filepath.Glob(filepath.Join(dir, "*.html"))
	shown := false
	for _, p := range pages {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		page := string(b)
		for _, r := range []string{"\u202E", "\u2066", "\u0007"} {
			if strings.Contains(page, r) {
				t.Errorf("%s holds the raw character %U", filepath.Base(p), []rune(r)[0])
			}
		}
		if strings.Contains(page, `甲公司\u202E司公乙\u2066x\u0007`) {
			shown = true
		}
	}
	if !shown {
		t.Error("no page shows the name with its escapes")
	}
	af, err := os.Open(filepath.Join(dir, "data", "public_welfare_index.arrow"))
	if err != nil {
		t.Fatal(err)
	}
	defer af.Close()
	r, err := ipc.NewFileReader(af, ipc.WithAllocator(memory.DefaultAllocator))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	rec, err := r.Record(0)
	if err != nil {
		t.Fatal(err)
	}
	if got := rec.Column(0).(*array.String).Value(0); got != name {
		t.Errorf("Arrow holds %q, want the name as it is", got)
	}
}
