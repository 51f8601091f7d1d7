package reports

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/xuri/excelize/v2"
)

// exportFixture is one table with every kind of value a result holds.
func exportFixture() []Export {
	day := time.Date(2025, 3, 7, 0, 0, 0, 0, time.UTC)
	stamp := time.Date(2025, 3, 7, 9, 30, 15, 0, time.UTC)
	t := &Table{
		Columns: []string{"rank", "name", "index", "mixed", "verified", "donated_on", "submitted_at", "nothing"},
		Rows: [][]any{
			{int64(1), xss, 56.759246, int64(3), true, day, stamp, nil},
			{int64(2), "示例市骏鑫贸易有限责任公司", nil, 2.5, false, nil, nil, nil},
			{nil, "逗号,与\"引号\"", 8.346273, nil, nil, day.AddDate(0, 0, 1), stamp.Add(time.Hour), nil},
		},
	}
	return []Export{
		{Name: "public_welfare_index", Title: "民营企业公益指数", Table: t, Parquet: true,
			Titles: map[string]string{"rank": "排名", "name": "企业名称", "index": "公益指数", "donated_on": "捐赠日期"}},
		{Name: "market_summary", Title: "民营经济主体[总量]:年度/汇总", Table: table("year,stock", []any{int64(2025), int64(14150)})},
	}
}

func renderExports(t *testing.T) string {
	t.Helper()
	f := newFixture(2025)
	dir := t.TempDir()
	if err := Render(loadFixture(t), f.results, f.meta(), Options{Dir: dir, Exports: exportFixture()}); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestExportCSV(t *testing.T) {
	dir := renderExports(t)
	data, err := os.ReadFile(filepath.Join(dir, "data", "public_welfare_index.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(data, []byte("\xEF\xBB\xBF")) {
		t.Fatal("the CSV does not start with a UTF-8 BOM")
	}
	want := "\uFEFF排名,企业名称,公益指数,mixed,verified,捐赠日期,submitted_at,nothing\r\n" +
		"1,<script>alert(1)</script>,56.759246,3,true,2025-03-07,2025-03-07 09:30:15,\r\n" +
		"2,示例市骏鑫贸易有限责任公司,,2.5,false,,,\r\n" +
		",\"逗号,与\"\"引号\"\"\",8.346273,,,2025-03-08,2025-03-07 10:30:15,\r\n"
	if string(data) != want {
		t.Errorf("CSV:\n%q\nwant\n%q", data, want)
	}
}

func TestExportArrow(t *testing.T) {
	dir := renderExports(t)
	f, err := os.Open(filepath.Join(dir, "data", "public_welfare_index.arrow"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := ipc.NewFileReader(f, ipc.WithAllocator(memory.DefaultAllocator))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	schema := r.Schema()
	wantTypes := []arrow.Type{arrow.INT64, arrow.STRING, arrow.FLOAT64, arrow.FLOAT64, arrow.BOOL, arrow.DATE32, arrow.TIMESTAMP, arrow.STRING}
	if len(schema.Fields()) != len(wantTypes) {
		t.Fatalf("schema %v", schema)
	}
	for i, fld := range schema.Fields() {
		if fld.Type.ID() != wantTypes[i] {
			t.Errorf("column %s is %s, want %s", fld.Name, fld.Type, wantTypes[i])
		}
		if !fld.Nullable {
			t.Errorf("column %s is not nullable", fld.Name)
		}
	}
	if fld := schema.Field(1); fld.Name != "name" {
		t.Errorf("column 1 is named %q", fld.Name)
	} else if v, ok := fld.Metadata.GetValue("title"); !ok || v != "企业名称" {
		t.Errorf("column name has title %q", v)
	}
	if v, _ := schema.Metadata().GetValue("title"); v != "民营企业公益指数" {
		t.Errorf("schema title %q", v)
	}
	if r.NumRecords() != 1 {
		t.Fatalf("%d record batches", r.NumRecords())
	}
	rec, err := r.RecordBatch(0)
	if err != nil {
		t.Fatal(err)
	}
	if rec.NumRows() != 3 {
		t.Fatalf("%d rows", rec.NumRows())
	}
	rank := rec.Column(0).(*array.Int64)
	name := rec.Column(1).(*array.String)
	index := rec.Column(2).(*array.Float64)
	mixed := rec.Column(3).(*array.Float64)
	verified := rec.Column(4).(*array.Boolean)
	donated := rec.Column(5).(*array.Date32)
	submitted := rec.Column(6).(*array.Timestamp)
	nothing := rec.Column(7)
	if rank.Value(0) != 1 || !rank.IsNull(2) {
		t.Error("rank values or nulls are wrong")
	}
	if name.Value(0) != xss || name.Value(2) != `逗号,与"引号"` {
		t.Errorf("names %q, %q", name.Value(0), name.Value(2))
	}
	if index.Value(0) != 56.759246 || !index.IsNull(1) {
		t.Error("index values or nulls are wrong")
	}
	if mixed.Value(0) != 3 || mixed.Value(1) != 2.5 || !mixed.IsNull(2) {
		t.Error("a column of int64 and float64 is not Float64 with the values")
	}
	if !verified.Value(0) || verified.Value(1) || !verified.IsNull(2) {
		t.Error("booleans are wrong")
	}
	if got := donated.Value(0).ToTime(); !got.Equal(time.Date(2025, 3, 7, 0, 0, 0, 0, time.UTC)) || !donated.IsNull(1) {
		t.Errorf("date %v", got)
	}
	unit := submitted.DataType().(*arrow.TimestampType).Unit
	if got := submitted.Value(0).ToTime(unit); !got.Equal(time.Date(2025, 3, 7, 9, 30, 15, 0, time.UTC)) {
		t.Errorf("timestamp %v", got)
	}
	if nothing.NullN() != 3 {
		t.Error("a column of NULLs lost its nulls")
	}
}

func TestExportWorkbook(t *testing.T) {
	dir := renderExports(t)
	f, err := excelize.OpenFile(filepath.Join(dir, "data", "bluebook-tables.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// The second title has characters Excel forbids in a sheet name.
	want := []string{"目录", "民营企业公益指数", "民营经济主体_总量__年度_汇总"}
	if got := f.GetSheetList(); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("sheets %v, want %v", got, want)
	}
	cell := func(sheet, ref string) string {
		t.Helper()
		v, err := f.GetCellValue(sheet, ref)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for ref, want := range map[string]string{"A1": "排名", "B1": "企业名称", "D1": "mixed", "B2": xss, "A2": "1", "A4": "", "F2": "2025-03-07"} {
		if got := cell("民营企业公益指数", ref); got != want {
			t.Errorf("%s = %q, want %q", ref, got, want)
		}
	}
	if typ, _ := f.GetCellType("民营企业公益指数", "C2"); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Errorf("the index is stored as %v, not a number", typ)
	}
	if got := cell("目录", "C2"); got != "public_welfare_index" {
		t.Errorf("目录 C2 = %q", got)
	}
	if got := cell("目录", "D3"); got != "1" {
		t.Errorf("目录 D3 (rows of market_summary) = %q", got)
	}
}

func TestExportPage(t *testing.T) {
	dir := renderExports(t)
	page := readFile(t, dir, "data.html")
	for _, want := range []string{
		`href="data/public_welfare_index.csv"`, `href="data/public_welfare_index.arrow"`, `href="data/public_welfare_index.parquet"`,
		`href="data/market_summary.csv"`, `href="data/bluebook-tables.xlsx"`, "数据下载", "<code>submitted_at</code>", "<td>企业名称</td>", "<td>日期</td>",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("data.html lacks %q", want)
		}
	}
	if strings.Contains(page, `href="data/market_summary.parquet"`) {
		t.Error("data.html links a Parquet file the pipeline was not asked to write")
	}
	if index := readFile(t, dir, "index.html"); !strings.Contains(index, `href="data.html"`) {
		t.Error("the contents do not link the download page")
	}
	if notes := readFile(t, dir, "90_notes.html"); !strings.Contains(notes, `href="data.html" rel="next"`) {
		t.Error("the last chapter does not lead to the download page")
	}
}

func TestExportErrors(t *testing.T) {
	f := newFixture(2025)
	for _, exports := range [][]Export{
		{{Name: "../evil", Table: table("a")}},
		{{Name: "Upper", Table: table("a")}},
		{{Name: "a", Table: table("a")}, {Name: "a", Table: table("a")}},
		{{Name: "a"}},
		{{Name: "a", Table: &Table{Columns: []string{"x"}, Rows: [][]any{{1, 2}}}}},
	} {
		dir := filepath.Join(t.TempDir(), "site")
		if err := Render(loadFixture(t), f.results, f.meta(), Options{Dir: dir, Exports: exports}); err == nil {
			t.Errorf("exports %+v: no error", exports)
		}
		if _, err := os.Stat(dir); !os.IsNotExist(err) {
			t.Errorf("exports %+v: files written despite the error", exports)
		}
	}
}

// TestWorkbookLeavesOutLargeTables: a table of more than workbookMaxRows rows gets no sheet
// (it would make the workbook slow to write and open); the 目录 sheet and the download page
// say where it is, and its CSV is complete.
func TestWorkbookLeavesOutLargeTables(t *testing.T) {
	big := &Table{Columns: []string{"n"}}
	for i := 0; i <= workbookMaxRows; i++ {
		big.Rows = append(big.Rows, []any{int64(i)})
	}
	exports := append(exportFixture(), Export{Name: "innovation_points", Title: "创新积分", Table: big})
	f := newFixture(2025)
	dir := t.TempDir()
	if err := Render(loadFixture(t), f.results, f.meta(), Options{Dir: dir, Exports: exports}); err != nil {
		t.Fatal(err)
	}
	wb, err := excelize.OpenFile(filepath.Join(dir, "data", "bluebook-tables.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	if got := len(wb.GetSheetList()); got != 3 {
		t.Errorf("the workbook has %d sheets (%v), want 目录 and the two small tables", got, wb.GetSheetList())
	}
	note, _ := wb.GetCellValue(indexSheet, "B4")
	if !strings.Contains(note, "innovation_points.csv") {
		t.Errorf("目录 row of the large table says %q", note)
	}
	csv, _ := os.ReadFile(filepath.Join(dir, "data", "innovation_points.csv"))
	if n := bytes.Count(csv, []byte("\n")); n != workbookMaxRows+2 {
		t.Errorf("the large table's CSV has %d lines, want %d", n, workbookMaxRows+2)
	}
	// The download page says why in the row's text, not in a tooltip: a "Excel —" with
	// no visible reason left readers guessing.
	page, _ := os.ReadFile(filepath.Join(dir, "data.html"))
	if want := `<br><span class="no-excel">行数超过1万行，未制作Excel文件，仅提供CSV与Arrow</span>`; !strings.Contains(string(page), want) {
		t.Errorf("the download page does not say why the large table has no Excel file: want %s", want)
	}
	if strings.Contains(string(page), "Excel —") {
		t.Error("the download page still shows a bare \"Excel —\"")
	}
}
