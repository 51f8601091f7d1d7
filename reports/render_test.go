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
)

const xss = "<script>alert(1)</script>"

// sample is a hand-made set of results for the default chapters: a city
// of eight districts over five years. One district is named like a script
// tag, as an untrusted name from the registry could be.
type sample struct {
	year      int
	districts []string
}

func newSample(year int) sample {
	return sample{year: year, districts: []string{"东城区", "西城区", "南湖区", "北山区", "高新区", "滨江区", "经开区", xss}}
}

func table(cols string, rows ...[]any) *Table {
	return &Table{Columns: strings.Split(cols, ","), Rows: rows}
}

// results returns a result for every query of b, by ID.
func (s sample) results(t *testing.T, b *Book) map[string]*Table {
	t.Helper()
	y := s.year
	stock := []int64{98342, 105221, 112830, 118904, 124561}
	newN := []int64{15230, 16102, 17544, 16890, 17321}
	exits := []int64{7021, 8290, 9120, 10342, 11005}
	moved := []int64{312, 298, 335, 402, 371}
	share := []float64{0.912, 0.915, 0.918, 0.921, 0.9236}
	var trend, trendFull [][]any
	for i := range 5 {
		var g any
		if i > 0 {
			g = float64(stock[i])/float64(stock[i-1]) - 1
		}
		label := strconv.Itoa(y-4+i) + "年"
		trend = append(trend, []any{label, stock[i], g})
		trendFull = append(trendFull, []any{label, stock[i], newN[i], exits[i], moved[i], g})
	}
	growth := float64(stock[4])/float64(stock[3]) - 1
	net := newN[4] - exits[4]
	summary := []any{int64(y), stock[4], newN[4], exits[4], moved[4], net, net, "净增", growth, share[4],
		stock[4] - stock[3], float64(newN[4])/float64(newN[3]) - 1, float64(exits[4])/float64(exits[3]) - 1,
		share[4] - share[3], float64(newN[4]) / float64(exits[4]), "全年"}
	summaryCols := "year,stock,new,exits,moved_out,net,net_abs,net_word,growth,private_share,stock_diff,new_growth,exits_growth,share_change,new_per_exit,period"

	var districtRows, districtTrend, districtNew [][]any
	for i, d := range s.districts {
		st := int64(24000 - 2500*i)
		districtRows = append(districtRows, []any{int64(i + 1), d, st, float64(st) / 124561, 0.061 - 0.012*float64(i), int64(3400 - 300*i), 0.19 - 0.02*float64(i)})
		districtNew = append(districtNew, []any{d, int64(3400 - 300*i)})
	}
	for k := range 5 {
		for i, d := range s.districts {
			districtTrend = append(districtTrend, []any{strconv.Itoa(y-4+k) + "年", d, int64(18000 - 2000*i + 1300*k)})
		}
	}
	sections := [][]any{
		{"批发和零售业", int64(52310), int64(7012)}, {"住宿和餐饮业", int64(15220), int64(2301)},
		{"租赁和商务服务业", int64(11034), int64(1822)}, {"制造业", int64(9120), int64(905)},
		{"居民服务、修理和其他服务业", int64(8122), int64(1230)}, {"科学研究和技术服务业", int64(6210), int64(1108)},
		{"建筑业", int64(5122), int64(640)}, {"信息传输、软件和信息技术服务业", int64(4380), int64(811)},
		{"交通运输、仓储和邮政业", int64(3960), int64(420)}, {"农、林、牧、渔业", int64(2450), int64(201)},
	}
	sizes := [][]any{{"大型", int64(86)}, {"中型", int64(912)}, {"小型", int64(10233)}, {"微型", int64(98120)}, {"未能划型", int64(15210)}}

	byName := map[string]*Table{
		"summary":        table(summaryCols, summary),
		"trend":          table("year_label,stock,growth", trend...),
		"five_years":     table("first_year,first_stock,cagr,new_total", []any{int64(y - 4), stock[0], 0.0607, int64(83087)}),
		"ownership":      table("ownership_label,stock", []any{"民营企业", int64(38450)}, []any{"个体工商户", int64(86111)}),
		"ownership_mix":  table("enterprises,individuals,enterprise_share,individual_share", []any{int64(38450), int64(86111), 0.3087, 0.6913}),
		"district_top":   table("district_name,share", []any{"东城区", 0.1927}),
		"section_top":    table("section_name,share", []any{"批发和零售业", 0.42}),
		"size_mix":       table("small_micro_share,large_medium,unknown,unknown_share", []any{0.991, int64(998), int64(15210), 0.1221}),
		"district":       table("rank,district_name,stock,share,growth,new,new_share", districtRows...),
		"district_fast":  table("district_name,growth", []any{"高新区", 0.112}),
		"district_trend": table("year_label,district_name,stock", districtTrend...),
		"district_new":   table("district_name,new", districtNew...),
		"sections":       table("section_name,stock,new", sections...),
		"section_mix": table("first_name,first_share,second_name,second_share,third_name,third_share,top3_share,manufacturing_share,manufacturing,services_share",
			[]any{"批发和零售业", 0.42, "住宿和餐饮业", 0.122, "租赁和商务服务业", 0.0886, 0.6306, 0.0732, int64(9120), 0.85}),
		"sizes": table("size_label,stock", sizes...),
	}
	out := map[string]*Table{}
	for _, q := range b.Queries() {
		name := q.ID[strings.IndexByte(q.ID, '.')+1:]
		tab, ok := byName[name]
		if !ok {
			t.Fatalf("sample has no result for %s", q.ID)
		}
		if q.ID == "00_overview.summary" {
			tab = table("year,stock,new,exits,moved_out,net_abs,net_word,growth,private_share,new_growth,share_change,period",
				[]any{int64(y), stock[4], newN[4], exits[4], moved[4], net, "净增", growth, share[4], float64(newN[4])/float64(newN[3]) - 1, share[4] - share[3], "全年"})
		}
		if q.ID == "01_market.ownership" {
			tab = table("enterprises,individuals,new_enterprises,new_individuals,enterprise_share,enterprise_new_share",
				[]any{int64(38450), int64(86111), int64(5302), int64(12019), 0.3087, 0.3061})
		}
		if q.ID == "01_market.trend" {
			tab = table("year_label,stock,new,exits,moved_out,growth", trendFull...)
		}
		out[q.ID] = tab
	}
	return out
}

func (s sample) meta() Meta {
	palette := map[string]string{}
	for i, d := range s.districts {
		palette[d] = []string{"#1f4e8c", "#d0822e", "#3a8f6b", "#b8433f", "#6c5a9e", "#2f9bb3", "#9c8a3a", "#c36a9b"}[i]
	}
	return Meta{
		City:    "示例市",
		Year:    s.year,
		Cutoff:  time.Date(s.year, 12, 31, 0, 0, 0, 0, time.UTC),
		AsOf:    time.Date(s.year+1, 1, 15, 0, 0, 0, 0, time.UTC),
		Demo:    true,
		RunID:   "20260115-0930-ab12",
		BuiltAt: time.Date(s.year+1, 1, 15, 9, 30, 0, 0, time.UTC),
		Version: "v0.1.0",
		Sources: []Source{
			{Name: "registry", Label: "市场主体登记", Files: 3, Rows: 131204, Rejected: 212},
			{Name: "appeals", Label: "企业诉求", Files: 12, Rows: 20431, Rejected: 37},
		},
		Palette: palette,
	}
}

func TestRenderDefault(t *testing.T) {
	b, err := Load(DefaultFS())
	if err != nil {
		t.Fatal(err)
	}
	s := newSample(2025)
	dir := t.TempDir()
	if err := Render(b, s.results(t, b), s.meta(), Options{Dir: dir}); err != nil {
		t.Fatal(err)
	}
	read := func(name string) string {
		t.Helper()
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	if js := read("assets/echarts.min.js"); len(js) < 500000 || !strings.Contains(js, "echarts") {
		t.Errorf("assets/echarts.min.js is %d bytes", len(js))
	}
	read("assets/bluebook.css")
	remoteSrc := regexp.MustCompile(`(?i)<(script|link|img)[^>]+(src|href)\s*=\s*["']?(https?:)?//`)
	pages := []string{"index.html", "00_overview.html", "01_market.html"}
	for _, name := range pages {
		page := read(name)
		if m := remoteSrc.FindString(page); m != "" {
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
		if name == "index.html" {
			continue
		}
		if !strings.Contains(page, "echarts.init") || !strings.Contains(page, `src="assets/echarts.min.js"`) {
			t.Errorf("%s does not draw its charts with the bundled ECharts", name)
		}
		if strings.Contains(page, "{{") {
			t.Errorf("%s has an unresolved {{", name)
		}
	}
	index := read("index.html")
	for _, want := range []string{"示例市民营经济发展蓝皮书（2025）", "2025年12月31日", "20260115-0930-ab12", "市场主体登记",
		`href="01_market.html"`, `href="01_market.html#fig-1-1"`, "图 1-1", "表 1-1", "第一章 市场主体"} {
		if !strings.Contains(index, want) {
			t.Errorf("index.html lacks %q", want)
		}
	}
	market := read("01_market.html")
	// The district named like a script tag is shown as text in the table
	// and travels escaped in the chart data.
	if !strings.Contains(market, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Error("01_market.html does not show the script-like name as text")
	}
	if !strings.Contains(market, `\u003cscript\u003ealert(1)\u003c/script\u003e`) {
		t.Error("01_market.html chart data do not carry the name JSON-escaped")
	}
	for _, want := range []string{
		"实有民营经济主体<strong>12.46万户</strong>，比上年末增长4.8%",
		"占比较上年末上升0.3个百分点",
		"图 1-1", "图 1-6", "表 1-1", "查看数据", `id="fig-1-3"`, "window.onbeforeprint",
		`"stack":"total"`,
		"资料来源：示例市市场监督管理局",
		`href="00_overview.html" rel="prev"`, `href="index.html"`,
	} {
		if !strings.Contains(market, want) {
			t.Errorf("01_market.html lacks %q", want)
		}
	}
	// A district keeps its palette colour.
	if !strings.Contains(market, `"name":"南湖区"`) || !strings.Contains(market, "#3a8f6b") {
		t.Error("district colours from the palette are not used")
	}
	overview := read("00_overview.html")
	if !strings.Contains(overview, `"yAxisIndex":1`) {
		t.Error("the linebar chart has no line on the second axis")
	}
}

func TestRenderInProgress(t *testing.T) {
	b, err := Load(DefaultFS())
	if err != nil {
		t.Fatal(err)
	}
	s := newSample(2025)
	m := s.meta()
	m.Demo = false
	m.InProgress = true
	m.Cutoff = time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)
	dir := t.TempDir()
	if err := Render(b, s.results(t, b), m, Options{Dir: dir}); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"index.html", "00_overview.html", "01_market.html"} {
		data, _ := os.ReadFile(filepath.Join(dir, name))
		if !strings.Contains(string(data), "截至2025年6月30日") {
			t.Errorf("%s does not say 截至2025年6月30日", name)
		}
		if strings.Contains(string(data), "演示数据") {
			t.Errorf("%s speaks of demo data", name)
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
	var fe *FileError
	if !errors.As(err, &fe) || fe.Line != 7 {
		t.Errorf("first error %v is not a *FileError at line 7", fe)
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

// TestWriteSampleSite writes the default chapters with the sample data to
// $BLUEBOOK_SAMPLE_SITE (e.g. /tmp/bbsite) for a look in a browser.
func TestWriteSampleSite(t *testing.T) {
	dir := os.Getenv("BLUEBOOK_SAMPLE_SITE")
	if dir == "" {
		t.Skip("set BLUEBOOK_SAMPLE_SITE=/tmp/bbsite to write a sample site")
	}
	b, err := Load(DefaultFS())
	if err != nil {
		t.Fatal(err)
	}
	s := newSample(2025)
	if err := Render(b, s.results(t, b), s.meta(), Options{Dir: dir}); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s", dir)
}
