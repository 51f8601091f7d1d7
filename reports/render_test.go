package reports

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"bluebook/diag"
)

const xss = "<script>alert(1)</script>"

func table(cols string, rows ...[]any) *Table {
	var names []string
	if cols != "" {
		names = strings.Split(cols, ",")
	}
	return &Table{Columns: names, Rows: rows}
}

// fixture is the little book in testdata/book with hand-made results: a
// general report (numbered 总), a ranking chapter and an appendix (附1).
// Enterprise names come from the data, so one is a script tag.
type fixture struct {
	year    int
	cutoff  time.Time
	results map[string]*Table
}

func newFixture(year int) fixture {
	y := int64(year)
	var trend [][]any
	for i := range 5 {
		trend = append(trend, []any{strconv.Itoa(year-4+i) + "年", int64(11000 + 800*i)})
	}
	top := [][]any{
		{int64(1), xss, "东城区", 67.58, "★★★"},
		{int64(2), "示例市昌安塑料制品有限公司", "西城区", 59.99, "★★"},
		{int64(3), "老孔早餐店", "东城区", 58.72, "★"},
	}
	return fixture{
		year:   year,
		cutoff: time.Date(year, 12, 31, 0, 0, 0, 0, time.UTC),
		results: map[string]*Table{
			"00_overview.head": table("stock,growth,share,on_time,on_time_change,rd,rd_growth",
				[]any{int64(14150), 0.0662, 0.9493, 0.909, -0.004, 61043.95, nil}),
			"00_overview.trend": table("year_label,stock", trend...),
			"00_overview.flags": table("has_chambers,has_innovation", []any{false, int64(y)}),
			"01_rank.top":       table("rank,name,district,points,stars", top...),
			"01_rank.districts": table("district,n", []any{"东城区", int64(12)}, []any{"西城区", int64(7)}, []any{xss, int64(3)}, []any{"其他", nil}),
			"01_rank.money":     table("year_label,amount", []any{"2024年", 8500.0}, []any{"2025年", 123456.0}),
			"01_rank.none":      table("year_label"),
			"90_notes.params":   table("name,value", []any{"甲", 0.35}, []any{"乙", 0.65}),
		},
	}
}

func (f fixture) meta() Meta {
	return Meta{
		City:    "示例市",
		Year:    f.year,
		Cutoff:  f.cutoff,
		AsOf:    time.Date(f.year+1, 1, 15, 0, 0, 0, 0, time.UTC),
		Demo:    true,
		RunID:   "20260115-0930-ab12",
		BuiltAt: time.Date(f.year+1, 1, 15, 9, 30, 0, 0, time.UTC),
		Version: "v0.1.0",
		Sources: []Source{
			{Name: "appeals", Label: "企业诉求", Order: 2, Files: 12, Rows: 20431, Rejected: 37},
			{Name: "registry", Label: "市场主体登记", Order: 1, Files: 3, Rows: 131204, Rejected: 212},
		},
		Palette: map[string]string{"东城区": "#1f4e8c", "西城区": "#3a8f6b", xss: "#b8433f", "其他": "#9e9e9e"},
	}
}

func loadFixture(t *testing.T) *Book {
	t.Helper()
	b, err := Load(os.DirFS("testdata/book"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// readAll reads the files of a rendered site.
func readFile(t *testing.T, dir, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

var remoteRef = regexp.MustCompile(`(?i)<(script|link|img|iframe)[^>]+(src|href)\s*=\s*["']?(https?:)?//`)

func TestRenderSite(t *testing.T) {
	f := newFixture(2025)
	dir := t.TempDir()
	if d := os.Getenv("BLUEBOOK_SAMPLE_SITE"); d != "" {
		dir = d
	}
	if err := Render(loadFixture(t), f.results, f.meta(), Options{Dir: dir}); err != nil {
		t.Fatal(err)
	}
	if js := readFile(t, dir, "assets/echarts.min.js"); len(js) < 500000 || !strings.Contains(js, "echarts") {
		t.Errorf("assets/echarts.min.js is %d bytes", len(js))
	}
	readFile(t, dir, "assets/bluebook.css")
	for _, name := range []string{"index.html", "00_overview.html", "01_rank.html", "90_notes.html"} {
		page := readFile(t, dir, name)
		if m := remoteRef.FindString(page); m != "" {
			t.Errorf("%s loads from the network: %s", name, m)
		}
		if strings.Contains(page, "go-echarts.github.io") {
			t.Errorf("%s names go-echarts' asset host", name)
		}
		if strings.Contains(page, xss) {
			t.Errorf("%s contains the raw script tag from the data", name)
		}
		if !strings.Contains(page, "演示数据") {
			t.Errorf("%s does not say the data are demo data", name)
		}
		if strings.Contains(page, "{{") {
			t.Errorf("%s has an unresolved {{", name)
		}
		if name != "index.html" && (!strings.Contains(page, "echarts.init") || !strings.Contains(page, `src="assets/echarts.min.js"`)) {
			t.Errorf("%s does not draw its charts with the bundled ECharts", name)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "data.html")); !os.IsNotExist(err) {
		t.Error("data.html written without exports")
	}
	index := readFile(t, dir, "index.html")
	for _, want := range []string{"示例市民营经济发展蓝皮书（2025）", "2025年12月31日", "20260115-0930-ab12",
		"<dt>数据来源</dt><dd>市场主体登记、企业诉求</dd>", // the cover lists the sources, registry first
		`href="01_rank.html"`, `href="01_rank.html#fig-1-1"`, `href="00_overview.html#fig-0-2"`,
		"图 总-1", "图 总-2", "表 1-1", "图 1-4", "表 附1-1", "图 附1-1", "第一章 排行", "附录一 说明"} {
		if !strings.Contains(index, want) {
			t.Errorf("index.html lacks %q", want)
		}
	}
	// The run id and the software version are told in the 版本说明 of the 目录 page only:
	// not on the cover, not in the footer of any page (the <head>'s generator tag is not read).
	about := regexp.MustCompile(`(?s)<section class="about" id="about".*?</section>`).FindString(index)
	for _, want := range []string{"运行编号</dt><dd>20260115-0930-ab12<", "生成软件</dt><dd>bluebook v0.1.0<"} {
		if !strings.Contains(about, want) {
			t.Errorf("the 版本说明 of index.html lacks %q:\n%s", want, about)
		}
	}
	for _, name := range []string{"index.html", "00_overview.html", "01_rank.html"} {
		page := strings.Replace(readFile(t, dir, name), about, "", 1)
		page = regexp.MustCompile(`(?s)<head>.*?</head>`).ReplaceAllString(page, "")
		for _, tech := range []string{"20260115-0930-ab12", "v0.1.0", "由运行"} {
			if strings.Contains(page, tech) {
				t.Errorf("%s shows %q outside the 版本说明", name, tech)
			}
		}
	}
	if strings.Contains(index, "图 总-3") || strings.Contains(index, "隐藏时不占图号") {
		t.Error("a chart inside a false {{if}} is listed")
	}

	overview := readFile(t, dir, "00_overview.html")
	for _, want := range []string{
		"2025年全年，全市实有主体1.42万户",
		`<span class="kpi-num">1.42</span><span class="kpi-unit">万户</span>`,
		`<div class="kpi-change up">比上年末增长6.6%</div>`,
		`<div class="kpi-change down">比上年回落0.4个百分点</div>`,
		`<span class="kpi-num">6.10</span><span class="kpi-unit">亿元</span>`,
		"本年度未报送商会数据。", "图 总-2", `<div class="kpi-note">尚无上年数据时不显示变化</div>`,
		"<ul><li>甲</li><li>乙</li><li>丙</li></ul>", // one list across {{if}}; [[…]] with a NULL left out
	} {
		if !strings.Contains(overview, want) {
			t.Errorf("00_overview.html lacks %q", want)
		}
	}
	for _, unwanted := range []string{"商会情况正常", "创新情况暂缺", "比上年—"} {
		if strings.Contains(overview, unwanted) {
			t.Errorf("00_overview.html shows %q", unwanted)
		}
	}

	rank := readFile(t, dir, "01_rank.html")
	// The enterprise named like a script tag is text in the table and
	// travels escaped in the chart data.
	if !strings.Contains(rank, "<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>") {
		t.Error("01_rank.html does not show the script-like name as text in the table")
	}
	if !strings.Contains(rank, `\u003cscript\u003ealert(1)\u003c/script\u003e`) {
		t.Error("01_rank.html chart data do not carry the name JSON-escaped")
	}
	for _, want := range []string{
		"图 1-1", "图 1-4", "表 1-1", "表 1-2", "查看数据", `id="fig-1-3"`, "window.onbeforeprint",
		`<a href="90_notes.html#tab-90-1">附录一</a>`, "本年度无记录",
		`<td class="num">67.58</td>`, `<td class="nw">★★★</td>`,
		`"color":"#3a8f6b"`, // 西城区 keeps its colour
		`"name":"亿元"`,       // 123456 万元 is shown on an axis in 亿元
		`href="00_overview.html" rel="prev"`, `href="90_notes.html" rel="next"`,
	} {
		if !strings.Contains(rank, want) {
			t.Errorf("01_rank.html lacks %q", want)
		}
	}
	notes := readFile(t, dir, "90_notes.html")
	if !strings.Contains(notes, "表 附1-1") || !strings.Contains(notes, "图 附1-1") {
		t.Error("the appendix is not numbered 附1")
	}
}

func TestRenderInProgress(t *testing.T) {
	for _, tc := range []struct {
		cutoff time.Time
		period string
	}{
		{time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC), "2025年1—6月，全市实有主体"},
		{time.Date(2025, 6, 15, 0, 0, 0, 0, time.UTC), "2025年1月1日—6月15日，全市实有主体"},
		{time.Date(2025, 1, 31, 0, 0, 0, 0, time.UTC), "2025年1月，全市实有主体"},
	} {
		f := newFixture(2025)
		f.cutoff = tc.cutoff
		m := f.meta()
		m.Demo = false
		dir := t.TempDir()
		if err := Render(loadFixture(t), f.results, m, Options{Dir: dir}); err != nil {
			t.Fatal(err)
		}
		c := chineseDate(tc.cutoff)
		for _, name := range []string{"index.html", "00_overview.html", "01_rank.html"} {
			page := readFile(t, dir, name)
			if !strings.Contains(page, "截至"+c) {
				t.Errorf("%s does not say 截至%s", name, c)
			}
			if strings.Contains(page, "演示数据") {
				t.Errorf("%s speaks of demo data", name)
			}
		}
		if overview := readFile(t, dir, "00_overview.html"); !strings.Contains(overview, tc.period) {
			t.Errorf("cut-off %s: 00_overview.html lacks %q", c, tc.period)
		}
	}
}

// TestSingleFile renders the book as one file: everything inline, the
// contents and links as anchors, nothing else written.
func TestSingleFile(t *testing.T) {
	f := newFixture(2025)
	dir := t.TempDir()
	exports := []Export{{Name: "top", Title: "排行", Table: f.results["01_rank.top"]}}
	if err := Render(loadFixture(t), f.results, f.meta(), Options{Dir: dir, SingleFile: true, Exports: exports}); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 || entries[0].Name() != "index.html" {
		t.Fatalf("single file mode wrote %v", entries)
	}
	page := readFile(t, dir, "index.html")
	if n := len(page); n < 1_000_000 || n > 1_300_000 {
		t.Errorf("the single file is %d bytes; ECharts alone is about 1 MB", n)
	}
	if regexp.MustCompile(`(?i)\s(src|href)\s*=\s*["']?(https?:|//|assets/|data/|[0-9a-z_]+\.html)`).MatchString(page) {
		t.Errorf("the single file refers to another file: %s",
			regexp.MustCompile(`(?i)\s(src|href)\s*=\s*["']?(https?:|//|assets/|data/|[0-9a-z_]+\.html)[^"' >]*`).FindString(page))
	}
	if strings.Contains(page, "<link") || strings.Count(page, "<script") != 3 {
		t.Error("the single file should hold its stylesheet and three scripts (ECharts, the charts, the printed book's page numbers and tables) inline")
	}
	if strings.Contains(page, xss) {
		t.Error("the single file contains the raw script tag from the data")
	}
	for _, want := range []string{
		`<article class="chapter" id="00_overview">`, `<article class="chapter" id="01_rank">`, `<article class="chapter" id="90_notes">`,
		`href="#01_rank"`, `href="#fig-1-1"`, `href="#tab-90-1"`, `<a href="#tab-90-1">附录一</a>`, `<a href="#toc">目录</a>`,
		`id="chart-fig-0-1"`, `id="chart-fig-90-1"`, `"id":"fig-90-1"`, ".kpi-num", "本文件为单文件版，不附数据文件",
		`version="5.6.0"`, "图 总-1", "表 附1-1",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the single file lacks %q", want)
		}
	}
}

// TestRenderErrors checks the errors only results reveal: they name the
// template position, and nothing is written.
func TestRenderErrors(t *testing.T) {
	src := "# 第一章 {{city}}\n\n```sql q\nSELECT 1\n```\n\n值{{q.nope}}，{{q.name | pct}}。\n\n" +
		"```chart\ntype: bar\ntitle: 图\ndata: q\nx: name\ny: value, missing\n```\n\n" +
		"```table\ntitle: 表\ndata: q\ncolumns: name=名称, gone=无\n```\n"
	b, err := Load(fstest.MapFS{"chapters/01_x.md": {Data: []byte(src)}})
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "site")
	data := map[string]*Table{"01_x.q": table("name,value", []any{"甲", 1.0})}
	err = Render(b, data, Meta{City: "示例市", Year: 2025}, Options{Dir: dir})
	if err == nil {
		t.Fatal("Render succeeded")
	}
	want := `chapters/01_x.md:7:6: query q has no column "nope" (it has: name, value)
chapters/01_x.md:7:24: {{q.name | pct}}: column name: format pct needs a number, got text "甲"
chapters/01_x.md:14:11: query q has no column "missing" (it has: name, value)
chapters/01_x.md:20:19: query q has no column "gone" (it has: name, value)`
	if err.Error() != want {
		t.Errorf("got\n%s\nwant\n%s", err, want)
	}
	var fe *diag.Error
	if !errors.As(err, &fe) || fe.Line != 7 {
		t.Errorf("first error %v is not a *diag.Error at line 7", fe)
	}
	if _, statErr := os.Stat(dir); !os.IsNotExist(statErr) {
		t.Error("Render wrote files despite errors")
	}
	// A query with no result at all is an error too.
	if err := Render(b, map[string]*Table{}, Meta{City: "示例市", Year: 2025}, Options{Dir: dir}); err == nil || !strings.Contains(err.Error(), "01_x.q") {
		t.Errorf("missing result: got %v", err)
	}
}

// TestChartKinds renders one chart of every kind and checks the options.
func TestChartKinds(t *testing.T) {
	src := `# 第九章 图表

` + "```sql wide\nSELECT 1\n```\n```sql long\nSELECT 1\n```\n```sql cells\nSELECT 1\n```\n" + `
` + "```chart\ntype: rose\ntitle: 玫瑰图\ndata: wide\nx: k\ny: a\n```\n" +
		"```chart\ntype: heatmap\ntitle: 热力图\ndata: cells\nx: month\ny: cat\nvalue: n\nformat: count\n```\n" +
		"```chart\ntype: line\ntitle: 分区折线\ndata: long\nx: year\nseries: district\ny: v\n```\n" +
		"```chart\ntype: hbar\ntitle: 排行\ndata: wide\nx: k\ny: a\nformat: pct\n```\n"
	b, err := Load(fstest.MapFS{"chapters/09_kinds.md": {Data: []byte(src)}})
	if err != nil {
		t.Fatal(err)
	}
	data := map[string]*Table{
		"09_kinds.wide":  table("k,a,b", []any{"东城区", 0.5, 1.0}, []any{"西城区", 0.25, nil}),
		"09_kinds.long":  table("year,district,v", []any{int64(2024), "东城区", int64(3)}, []any{int64(2025), "东城区", int64(4)}, []any{int64(2025), "西城区", int64(5)}),
		"09_kinds.cells": table("month,cat,n", []any{"1月", "融资", int64(12)}, []any{"2月", "融资", int64(30)}, []any{"1月", "用地", int64(0)}),
	}
	dir := t.TempDir()
	if d := os.Getenv("BLUEBOOK_SAMPLE_SITE"); d != "" {
		dir = filepath.Join(d, "kinds")
	}
	meta := Meta{City: "示例市", Year: 2025, Palette: map[string]string{"西城区": "#abcdef"}}
	if err := Render(b, data, meta, Options{Dir: dir}); err != nil {
		t.Fatal(err)
	}
	page, _ := os.ReadFile(filepath.Join(dir, "09_kinds.html"))
	for _, want := range []string{`"roseType":"radius"`, `"type":"heatmap"`, `"visualMap"`, `"inverse":true`,
		`"color":"#abcdef"`, `"data":["2024","2025"]`, "图 9-4", `<td class="num">50.0%</td>`, `<td class="num">—</td>`} {
		if !strings.Contains(string(page), want) {
			t.Errorf("09_kinds.html lacks %s", want)
		}
	}
}

func TestHelpers(t *testing.T) {
	for _, tc := range []struct{ in, num, unit string }{
		{"1.42万户", "1.42", "万户"}, {"91.0%", "91.0%", ""}, {"6.10亿元", "6.10", "亿元"}, {"—", "—", ""}, {"12家", "12", "家"},
	} {
		if num, unit := splitUnit(tc.in); num != tc.num || unit != tc.unit {
			t.Errorf("splitUnit(%q) = %q, %q", tc.in, num, unit)
		}
	}
	for in, want := range map[string]string{"比上年末增长6.6%": "up", "同比下降3.2%": "down", "比上年上升1.2个百分点": "up",
		"比上年回落0.4个百分点": "down", "比上年末持平": "flat", "": "flat"} {
		if got := trendOf(in); got != want {
			t.Errorf("trendOf(%q) = %s, want %s", in, got, want)
		}
	}
	for _, tc := range []struct {
		format, name string
		max          float64
		kind, unit   string
	}{
		{"count", "户", 14150, "count_wan", "万户"}, {"count", "户", 9000, "count", "户"},
		{"money", "万元", 61043.95, "money_yi", "亿元"}, {"money", "", 257.3, "money_wan", "万元"},
		{"pct", "", 0.9, "pct", ""}, {"int", "家", 12, "int", "家"},
	} {
		if kind, unit := axisUnit(tc.format, tc.name, tc.max); kind != tc.kind || unit != tc.unit {
			t.Errorf("axisUnit(%s, %s, %v) = %s, %s", tc.format, tc.name, tc.max, kind, unit)
		}
	}
	for in, want := range map[string]string{"02_appeals.html#fig-2-1": "#fig-2-1", "02_appeals.html": "#02_appeals",
		"index.html": "#toc", "https://example.org/a.html": "https://example.org/a.html", "#x": "#x"} {
		if got := anchorLink(in); got != want {
			t.Errorf("anchorLink(%q) = %q, want %q", in, got, want)
		}
	}
	// A stacked chart's axis reaches the sum of its bars.
	d := chartData{cats: []string{"a"}, names: []string{"x", "y"}, values: [][]any{{6000.0}, {5000.0}}, isLine: []bool{false, false}}
	if got := d.axisMax(false, true); got != 11000 {
		t.Errorf("stacked axisMax = %v", got)
	}
	if got := d.axisMax(false, false); got != 6000 {
		t.Errorf("axisMax = %v", got)
	}
}
