package reports

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

// TestBandChart renders a band chart (the monitoring's series with its expected band): the
// band is the upper bound's area with the lower bound's area in white over it, the value is
// drawn last, and the data table lists all four columns in the order given; a band chart
// without exactly four y columns is an error.
func TestBandChart(t *testing.T) {
	src := "# 第六章 监测\n\n```sql s\nSELECT 1\n```\n" +
		"```chart\ntype: band\ntitle: 东湖区注销吊销民营主体\ndata: s\nx: month\ny: value, expected, lower, upper\n" +
		"series_names: 实际值, 预期值, 预警下限, 预警上限\ny_name: 户\nformat: int\n```\n"
	b, err := Load(fstest.MapFS{"chapters/06_m.md": {Data: []byte(src)}})
	if err != nil {
		t.Fatal(err)
	}
	data := map[string]*Table{"06_m.s": table("month,value,expected,lower,upper",
		[]any{"2026-07", int64(12), 11.5, 4.0, 19.0}, []any{"2026-08", int64(45), 11.5, 4.5, 18.5})}
	dir := t.TempDir()
	if err := Render(b, data, Meta{City: "示例市", Year: 2025}, Options{Dir: dir}); err != nil {
		t.Fatal(err)
	}
	b2, _ := os.ReadFile(filepath.Join(dir, "06_m.html"))
	page := string(b2)
	iUpper, iLower := strings.Index(page, `"name":"预警上限"`), strings.Index(page, `"name":"预警下限"`)
	iExpected, iValue := strings.Index(page, `"name":"预期值"`), strings.Index(page, `"name":"实际值"`)
	if iUpper < 0 || !(iUpper < iLower && iLower < iExpected && iExpected < iValue) {
		t.Errorf("series order upper %d, lower %d, expected %d, value %d: want the band first and the value last", iUpper, iLower, iExpected, iValue)
	}
	for _, want := range []string{`"areaStyle":{"color":"` + bandFill + `","opacity":1}`, `"areaStyle":{"color":"#ffffff","opacity":1}`,
		`"type":"dashed"`, "图 6-1", "<th scope=\"col\">实际值", "<th scope=\"col\">预警上限"} {
		if !strings.Contains(page, want) {
			t.Errorf("06_m.html lacks %s", want)
		}
	}
	if n := strings.Count(page, `"areaStyle"`); n != 2 {
		t.Errorf("%d series with an area, want 2 (the band's bounds)", n)
	}
	bad := strings.Replace(src, "y: value, expected, lower, upper", "y: value, expected, upper", 1)
	bad = strings.Replace(bad, "series_names: 实际值, 预期值, 预警下限, 预警上限\n", "", 1)
	if _, err := Load(fstest.MapFS{"chapters/06_m.md": {Data: []byte(bad)}}); err == nil || !strings.Contains(err.Error(), "four y columns") {
		t.Errorf("band with three y columns: got %v", err)
	}
}

// TestChartAxisNameFromQuery: a chart's y_name may hold {{query.column}}: the monitoring's
// band charts name each series' unit (户 or 件) from the query that lists the charts, in the
// axis and in the data table's headers.
func TestChartAxisNameFromQuery(t *testing.T) {
	src := "# 第六章 监测\n\n```sql slots\nSELECT 1\n```\n\n```sql s\nSELECT 1\n```\n" +
		"```chart\ntype: band\ntitle: 全市企业诉求\ndata: s\nx: month\ny: value, expected, lower, upper\n" +
		"series_names: 实际值, 预期值, 预警下限, 预警上限\ny_name: {{slots.unit1}}\nformat: int\n```\n"
	b, err := Load(fstest.MapFS{"chapters/06_m.md": {Data: []byte(src)}})
	if err != nil {
		t.Fatal(err)
	}
	data := map[string]*Table{
		"06_m.slots": table("unit1", []any{"件"}),
		"06_m.s": table("month,value,expected,lower,upper",
			[]any{"2026-07", int64(12), 11.5, 4.0, 19.0}, []any{"2026-08", int64(45), 11.5, 4.5, 18.5}),
	}
	dir := t.TempDir()
	if err := Render(b, data, Meta{City: "示例市", Year: 2025}, Options{Dir: dir}); err != nil {
		t.Fatal(err)
	}
	b2, _ := os.ReadFile(filepath.Join(dir, "06_m.html"))
	page := string(b2)
	for _, want := range []string{`"name":"件"`, "实际值（件）", "预警上限（件）"} {
		if !strings.Contains(page, want) {
			t.Errorf("06_m.html lacks %s", want)
		}
	}
	if strings.Contains(page, "slots.unit1") {
		t.Error("the axis name is printed as written, not filled from the query")
	}
	// an unknown query in y_name is an error at load, as in a title
	bad := strings.Replace(src, "{{slots.unit1}}", "{{nosuch.unit1}}", 1)
	if _, err := Load(fstest.MapFS{"chapters/06_m.md": {Data: []byte(bad)}}); err == nil || !strings.Contains(err.Error(), "nosuch") {
		t.Errorf("y_name naming an unknown query: got %v", err)
	}
}
