package reports

import (
	"bytes"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestWorkbookNumberFormats: the workbook shows shares as percentages, amounts in 万元 with
// thousands separators and two decimals, and large counts with thousands separators; a
// year and a code stay as they are, and the cell keeps the exact value.
func TestWorkbookNumberFormats(t *testing.T) {
	e := Export{Name: "demo_table", Title: "演示表", Titles: map[string]string{
		"year": "年度", "district_code": "区划代码", "stock": "存量", "share": "占比", "amount": "捐赠额（万元）",
		"on_time_rate": "按时响应率", "per_10k": "每万户诉求量"},
		Table: &Table{Columns: []string{"year", "district_code", "stock", "share", "amount", "on_time_rate", "per_10k"},
			Rows: [][]any{
				{int64(2025), int64(990102), int64(14150), 0.2161, 13664.732549, 0.875, 147.2},
				{int64(2024), int64(990103), int64(9000), 0.1585, 1867.02, nil, 160.5},
			}}}
	data, err := exportWorkbook([]Export{e}, []string{"演示表"})
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for cell, want := range map[string]string{
		"A2": "2025", "B2": "990102", "C2": "14,150", "D2": "21.6%", "E2": "13,664.73", "F2": "87.5%", "G2": "147.2",
		"C3": "9,000", "E3": "1,867.02",
	} {
		got, err := f.GetCellValue("演示表", cell)
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("%s shows %q, want %q", cell, got, want)
		}
	}
	raw, _ := f.GetCellValue("演示表", "E2", excelize.Options{RawCellValue: true})
	if raw != "13664.732549" {
		t.Errorf("E2 holds %q, want the exact value 13664.732549", raw)
	}
}

// TestExcelLinkOpensItsSheet: each table's Excel link on the download page is a workbook
// that opens at the table's sheet (its first and only sheet), with the number formats.
func TestExcelLinkOpensItsSheet(t *testing.T) {
	e := Export{Name: "demo_table", Title: "演示表", Titles: map[string]string{"share": "占比"},
		Table: &Table{Columns: []string{"name", "share"}, Rows: [][]any{{"甲", 0.25}}}}
	files := map[string][]byte{}
	page, err := writeExports([]Export{e}, files, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if got := page.Items[0].Excel; got != "data/demo_table.xlsx" {
		t.Fatalf("the Excel link is %q, want data/demo_table.xlsx", got)
	}
	f, err := excelize.OpenReader(bytes.NewReader(files["data/demo_table.xlsx"]))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if sheets := f.GetSheetList(); len(sheets) != 1 || sheets[0] != "演示表" || f.GetActiveSheetIndex() != 0 {
		t.Errorf("the table's workbook has the sheets %v (active %d), want only 演示表", sheets, f.GetActiveSheetIndex())
	}
	if v, _ := f.GetCellValue("演示表", "B2"); v != "25.0%" {
		t.Errorf("B2 shows %q, want 25.0%%", v)
	}
	if _, ok := files["data/"+workbookName]; !ok {
		t.Error("the workbook of all tables is gone")
	}
}
