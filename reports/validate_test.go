package reports

import (
	"strings"
	"testing"
	"testing/fstest"
)

// TestValidateWithoutData: the chapters are checked against the bound result columns of
// their queries, without a row: every kind of reference, chart field and table column,
// the types a chart needs and the type a format needs, each at its line and column.
func TestValidateWithoutData(t *testing.T) {
	src := "# 测试\n\n" +
		"```sql q\nSELECT 1\n```\n\n" +
		"```sql h\nSELECT 1\n```\n\n" +
		"{{if q.flagg}}\n中文{{q.n | count}}，{{q.name | pct}}，{{q.day | date}}，{{q.n | date}}。\n{{end}}\n\n" +
		"```kpi\nlabel: 中文\nvalue: {{q.nn | count}}户\n```\n\n" +
		"```chart\ntype: pie\ntitle: 饼图\ndata: q\nx: name\ny: name\n```\n\n" +
		"```chart\ntype: heatmap\ntitle: 热力图\ndata: h\nx: month\ny: category\nvalue: category\n```\n\n" +
		"```chart\ntype: linebar\ntitle: 组合图\ndata: q\nx: name\ny: n\nline: day\n```\n\n" +
		"```table\ntitle: 表\ndata: q\ncolumns: name=名称, n=数量:pct, day=日期:int\n```\n"
	b, err := Load(fstest.MapFS{"chapters/01_t.md": {Data: []byte(src)}})
	if err != nil {
		t.Fatal(err)
	}
	schemas := map[string]Schema{
		"01_t.q": {Columns: []string{"name", "n", "day", "flag"}, Kinds: []ColumnKind{KindText, KindNumber, KindDate, KindBool}},
		"01_t.h": {Columns: []string{"month", "category", "n"}, Kinds: []ColumnKind{KindText, KindText, KindNumber}},
	}
	err = b.Validate(schemas)
	if err == nil {
		t.Fatal("no error")
	}
	// Places checked by hand: the column of a {{…}}, the format after "|", the field of a
	// chart, the column of a table; n=数量:pct is a number, no error there.
	want := []string{
		`chapters/01_t.md:11:8: query q has no column "flagg" (it has: name, n, day, flag); did you mean "flag"?`,
		`chapters/01_t.md:12:30: format pct needs a number, but column name holds text`,
		`chapters/01_t.md:12:61: format date needs a date, but column n holds numbers`,
		`chapters/01_t.md:17:12: query q has no column "nn" (it has: name, n, day, flag); did you mean "n"?`,
		`chapters/01_t.md:25:4: column "name" holds text; a chart needs numbers`,
		`chapters/01_t.md:34:8: column "category" holds text; a chart needs numbers`,
		`chapters/01_t.md:43:7: column "day" holds dates; a chart needs numbers`,
		`chapters/01_t.md:49:29: format int needs a number, but column day holds dates`,
	}
	got := strings.Split(err.Error(), "\n")
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// Without a schema (the query failed to bind, and that was reported) nothing is said.
	if err := b.Validate(map[string]Schema{}); err != nil {
		t.Errorf("errors without schemas: %v", err)
	}
}
