package reports_test

// One number, one rounding (docs/methodology.md §9): the demo blue book is built as
// `bluebook demo` builds it, every chapter is opened in headless Chromium, and what every
// chart shows — each pie's share labels and tooltips, each labelled bar, each tooltip — is
// read back from the drawn charts and compared with the chart's own data table. The
// placeholders (其他, 未知, 未注明 …) of every ranked block come last, unranked.

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"bluebook/data/demo"
	"bluebook/pipeline"
	"bluebook/queries"
	"bluebook/reports"
)

// demoDir is the folder of the demo book the tests of this file share; TestMain removes it.
var demoDir string

func TestMain(m *testing.M) {
	code := m.Run()
	if demoDir != "" {
		os.RemoveAll(demoDir)
	}
	os.Exit(code)
}

// demoSite builds the demo book once for the tests of this file, with the options of
// `bluebook demo` (scale 20000, seed 1, extraction date 2026-10-31), and returns its site.
var demoSite = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "bluebook-consistency-")
	if err != nil {
		return "", err
	}
	demoDir = dir
	ctx := context.Background()
	asOf := time.Date(2026, 10, 31, 0, 0, 0, 0, time.UTC)
	dataDir := filepath.Join(dir, "data")
	if _, err := demo.Generate(ctx, demo.Options{Dir: dataDir, Scale: 20000, Seed: 1, AsOf: asOf}); err != nil {
		return "", err
	}
	cfg := pipeline.Config{
		Queries: queries.FS(), QueriesDir: "queries", Reports: reports.DefaultFS(), ReportsDir: "reports",
		DataDir: dataDir, DBPath: filepath.Join(dir, "bluebook.duckdb"), OutDir: filepath.Join(dir, "site"),
		Year: pipeline.LastFinishedYear(asOf), AsOf: asOf, City: demo.City, Demo: true, Version: "test", MaxRejectShare: 0.05,
	}
	for _, d := range demo.Districts() {
		cfg.Districts = append(cfg.Districts, pipeline.District{Code: d.Code, Name: d.Name})
	}
	if _, err := pipeline.Run(ctx, cfg); err != nil && !errors.Is(err, pipeline.ErrCheckFailed) {
		return "", err
	}
	return cfg.OutDir, nil
})

func site(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the demo book")
	}
	dir, err := demoSite()
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

var chapterStems = []string{"00_overview", "01_market", "02_appeals", "03_innovation", "04_welfare", "05_chambers", "06_monitor", "90_methodology", "91_quality"}

// drawnChart is what the probe reads back from one drawn chart.
type drawnChart struct {
	ID     string       `json:"id"`
	Types  []string     `json:"types"`  // per series
	Names  [][]string   `json:"names"`  // per series and data point: the category or slice name
	Labels [][]*string  `json:"labels"` // the label drawn on each data point, null when none is shown
	Tips   [][]string   `json:"tips"`   // the tooltip text of each data point
	Absent []string     `json:"absent"` // labels the probe did not find among the chart's drawn text
	Values [][]*float64 `json:"values"`
}

// probe is added to a copy of a page: once the charts are drawn, it asks every chart for
// the label and tooltip of each data point through the formatters ECharts draws with, checks
// that each label is among the drawn SVG text, and writes the result as JSON into the page.
const probe = `<script>setTimeout(function () {
  var out = [];
  document.querySelectorAll(".chart").forEach(function (el) {
    var c = echarts.getInstanceByDom(el);
    if (!c) { return; }
    var o = c.getOption(), svgText = (el.querySelector("svg") || el).textContent;
    var r = { id: el.id.replace(/^chart-/, ""), types: [], names: [], labels: [], tips: [], absent: [], values: [] };
    (o.series || []).forEach(function (s, i) {
      var model = c.getModel().getSeriesByIndex(i), data = model.getData();
      var names = [], labels = [], tips = [], values = [];
      for (var j = 0; j < data.count(); j++) {
        var p = model.getDataParams(j);
        names.push(data.getName(j) || (o.xAxis && o.xAxis[0] && o.xAxis[0].data ? String(o.xAxis[0].data[j]) : "") || (o.yAxis && o.yAxis[0] && o.yAxis[0].data ? String(o.yAxis[0].data[j]) : ""));
        var v = Array.isArray(p.value) ? p.value[2] : p.value;
        values.push(typeof v === "number" ? v : null);
        var label = null;
        if (s.label && s.label.show && typeof s.label.formatter === "function") {
          label = s.label.formatter(p);
          label.split("\n").forEach(function (part) { if (svgText.indexOf(part) < 0) { r.absent.push(part); } });
        }
        labels.push(label);
        var tip = "";
        if (s.tooltip && typeof s.tooltip.formatter === "function") {
          tip = s.tooltip.formatter(p);
        } else if (s.tooltip && typeof s.tooltip.valueFormatter === "function") {
          tip = s.tooltip.valueFormatter(p.value, j);
        }
        tips.push(tip);
      }
      r.types.push(s.type); r.names.push(names); r.labels.push(labels); r.tips.push(tips); r.values.push(values);
    });
    out.push(r);
  });
  var pre = document.createElement("pre");
  pre.id = "probe-out";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
}, 500);</script></body>`

// chromiumPath finds headless Chromium, or skips the test.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("chromium not installed")
	return ""
}

// probed opens a copy of page with the probe and returns the charts read back and the DOM.
func probed(t *testing.T, chromium, page string) ([]drawnChart, string) {
	t.Helper()
	copyPath := filepath.Join(filepath.Dir(page), "probe-"+filepath.Base(page))
	if err := os.WriteFile(copyPath, []byte(strings.Replace(read(t, page), "</body>", probe, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	defer os.Remove(copyPath)
	cmd := exec.Command(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--no-first-run", "--user-data-dir="+t.TempDir(),
		"--host-resolver-rules=MAP * ~NOTFOUND", "--virtual-time-budget=10000", "--dump-dom", "file://"+copyPath)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %s: %v\n%s", page, err, errb.String())
	}
	dom := out.String()
	m := regexp.MustCompile(`(?s)<pre id="probe-out">(.*?)</pre>`).FindStringSubmatch(dom)
	if m == nil {
		t.Fatalf("%s: the probe did not run", filepath.Base(page))
	}
	var charts []drawnChart
	if err := json.Unmarshal([]byte(html.UnescapeString(m[1])), &charts); err != nil {
		t.Fatalf("%s: %v", filepath.Base(page), err)
	}
	return charts, dom
}

// figureTable returns the head and rows of the data table of the figure with the given id.
func figureTable(page, id string) (head []string, rows [][]string) {
	m := regexp.MustCompile(`(?s)<figure class="figure" id="` + regexp.QuoteMeta(id) + `">(.*?)</figure>`).FindStringSubmatch(page)
	if m == nil {
		return nil, nil
	}
	return htmlTable(m[1])
}

var (
	reRow  = regexp.MustCompile(`(?s)<tr[^>]*>(.*?)</tr>`)
	reCell = regexp.MustCompile(`(?s)<t[hd][^>]*>(.*?)</t[hd]>`)
	reTag  = regexp.MustCompile(`<[^>]+>`)
)

var (
	reHead = regexp.MustCompile(`(?s)<thead>(.*?)</thead>`)
	reBody = regexp.MustCompile(`(?s)<tbody>(.*?)</tbody>`)
)

// htmlTable reads the first table of a piece of HTML: the cells of its column header (the
// last row of its thead: a first row may repeat the caption for print) and its body rows.
func htmlTable(s string) (head []string, rows [][]string) {
	cells := func(tr string) []string {
		var out []string
		for _, c := range reCell.FindAllStringSubmatch(tr, -1) {
			out = append(out, strings.TrimSpace(html.UnescapeString(reTag.ReplaceAllString(c[1], ""))))
		}
		return out
	}
	if m := reHead.FindStringSubmatch(s); m != nil {
		if trs := reRow.FindAllStringSubmatch(m[1], -1); len(trs) > 0 {
			head = cells(trs[len(trs)-1][1])
		}
	}
	if m := reBody.FindStringSubmatch(s); m != nil {
		for _, tr := range reRow.FindAllStringSubmatch(m[1], -1) {
			rows = append(rows, cells(tr[1]))
		}
	}
	return head, rows
}

// bodyRows returns the <tr> elements of a table's body, for their attributes.
func bodyRows(s string) []string {
	if m := reBody.FindStringSubmatch(s); m != nil {
		return reRow.FindAllString(m[1], -1)
	}
	return nil
}

var reShown = regexp.MustCompile(`^(-?\d+(?:\.(\d+))?)(万元|亿元|万|亿|%)?$`)

// sameNumber reports whether a label shows the number of a data-table cell as the book
// rounds it: the same text, or the cell's exact value in the label's unit rounded to the
// label's decimals. A percentage must be the same text.
func sameNumber(label, cell string) bool {
	if label == cell {
		return true
	}
	m := reShown.FindStringSubmatch(label)
	if m == nil || m[3] == "%" {
		return false
	}
	x, err := strconv.ParseFloat(strings.ReplaceAll(cell, ",", ""), 64)
	if err != nil {
		return false
	}
	switch m[3] {
	case "万", "亿元":
		x /= 1e4
	case "亿":
		x /= 1e8
	}
	return strconv.FormatFloat(x, 'f', len(m[2]), 64) == m[1]
}

// TestChartLabelsMatchTables: every pie's share (label and tooltip) is its data table's
// 占比, every label and tooltip of a bar or line shows the number of its data table.
func TestChartLabelsMatchTables(t *testing.T) {
	dir := site(t)
	chromium := chromiumPath(t)
	pies, bars, maps := 0, 0, 0
	for _, stem := range chapterStems {
		pagePath := filepath.Join(dir, stem+".html")
		page := read(t, pagePath)
		charts, _ := probed(t, chromium, pagePath)
		for _, c := range charts {
			for _, a := range c.Absent {
				t.Errorf("%s %s: label %q is not drawn", stem, c.ID, a)
			}
			head, rows := figureTable(page, c.ID)
			if head == nil {
				t.Errorf("%s %s: no data table", stem, c.ID)
				continue
			}
			for i, typ := range c.Types {
				switch typ {
				case "pie":
					pies++
					share := map[string]string{}
					for _, r := range rows {
						share[r[0]] = r[len(r)-1]
					}
					for j, name := range c.Names[i] {
						want, ok := share[name]
						if !ok {
							t.Errorf("%s %s: slice %q is not in the data table", stem, c.ID, name)
							continue
						}
						if l := c.Labels[i][j]; l == nil || *l != name+"\n"+want {
							t.Errorf("%s %s: slice %q is labelled %q, its table says %s", stem, c.ID, name, deref(l), want)
						}
						if !strings.HasSuffix(c.Tips[i][j], "（"+want+"）") {
							t.Errorf("%s %s: the tooltip of slice %q is %q, its table says %s", stem, c.ID, name, c.Tips[i][j], want)
						}
					}
				case "map":
					// A district's label is its name over its value; the value is its table cell.
					cells := map[string]string{}
					for _, r := range rows {
						cells[r[0]] = r[i+1]
					}
					for j, name := range c.Names[i] {
						cell, ok := cells[name]
						if !ok {
							t.Errorf("%s %s: district %q is on the map but not in the data table", stem, c.ID, name)
							continue
						}
						maps++
						l := c.Labels[i][j]
						if l == nil || !strings.HasPrefix(*l, name+"\n") || !sameNumber(strings.TrimPrefix(*l, name+"\n"), cell) {
							t.Errorf("%s %s: district %q is labelled %q, its table says %s", stem, c.ID, name, deref(l), cell)
						}
						if want := name + "：" + strings.TrimPrefix(deref(l), name+"\n"); c.Tips[i][j] != want {
							t.Errorf("%s %s: the tooltip of district %q is %q, want %q", stem, c.ID, name, c.Tips[i][j], want)
						}
					}
				case "bar", "line":
					if i+1 >= len(head) {
						t.Errorf("%s %s: series %d has no column in the data table %v", stem, c.ID, i, head)
						continue
					}
					if len(rows) != len(c.Names[i]) {
						t.Errorf("%s %s: %d categories drawn, %d rows in the data table", stem, c.ID, len(c.Names[i]), len(rows))
						continue
					}
					for j := range c.Names[i] {
						cell := rows[j][i+1]
						if l := c.Labels[i][j]; l != nil {
							bars++
							if !sameNumber(*l, cell) {
								t.Errorf("%s %s: %s of %q is labelled %q, its table says %s", stem, c.ID, head[i+1], rows[j][0], *l, cell)
							}
						}
						if tip := c.Tips[i][j]; tip != "—" && !sameNumber(tip, cell) {
							t.Errorf("%s %s: %s of %q has the tooltip %q, its table says %s", stem, c.ID, head[i+1], rows[j][0], tip, cell)
						}
					}
				}
			}
		}
	}
	if pies == 0 || bars == 0 || maps == 0 {
		t.Errorf("checked %d pies, %d labelled bars and %d districts on maps; the demo book has all three", pies, bars, maps)
	}
}

func deref(s *string) string {
	if s == nil {
		return "(no label)"
	}
	return *s
}

// placeholder mirrors the renderer's list of placeholder names (reports/placeholder.go).
func placeholder(name string) bool {
	switch strings.TrimSpace(name) {
	case "其他", "未知", "未注明", "未能划型", "不详", "未分类", "未填报", "未登记", "—":
		return true
	}
	return strings.HasPrefix(strings.TrimSpace(name), "其他")
}

var reBlockTable = regexp.MustCompile(`(?s)<(figure class="figure"|section class="table-block") id="([^"]+)">(.*?)</(figure|section)>`)

// TestPlaceholdersLast: in every table and chart of the demo book, the placeholder rows
// (其他, 未知, 未注明 …) come after the others, under a rule line, without a rank; every
// bar chart and pie draws them last, and no pie draws a zero slice or one labelled 0.0%
// (the figure's note names them).
func TestPlaceholdersLast(t *testing.T) {
	dir := site(t)
	seen := 0
	for _, stem := range chapterStems {
		page := read(t, filepath.Join(dir, stem+".html"))
		for _, m := range reBlockTable.FindAllStringSubmatch(page, -1) {
			id, body := m[2], m[3]
			tm := regexp.MustCompile(`(?s)<table class="three-line">.*?</table>`).FindString(body)
			head, rows := htmlTable(tm)
			if len(head) == 0 {
				continue
			}
			rank, label := -1, -1
			for i, h := range head {
				switch {
				case rank < 0 && (h == "排名" || h == "序号" || h == "名次" || h == "档内排名"):
					rank = i
				case label < 0:
					label = i
				}
			}
			if label < 0 {
				continue
			}
			trs := bodyRows(tm)
			firstPH := -1
			for j, r := range rows {
				if len(r) <= label || strings.Contains(trs[j], `class="empty"`) {
					continue
				}
				if placeholder(r[label]) {
					seen++
					if firstPH < 0 {
						firstPH = j
						if j > 0 && !strings.Contains(trs[j], `class="placeholder"`) {
							t.Errorf("%s %s: placeholder row %q is not under a rule line", stem, id, r[label])
						}
					}
					if rank >= 0 && r[rank] != "" {
						t.Errorf("%s %s: placeholder row %q has rank %s", stem, id, r[label], r[rank])
					}
					continue
				}
				if firstPH >= 0 {
					t.Errorf("%s %s: %q comes after the placeholder %q", stem, id, r[label], rows[firstPH][label])
				}
			}
			// The ranks of the real rows have no gap where a placeholder was.
			if rank >= 0 {
				prev := 0.0
				for j, r := range rows {
					if firstPH >= 0 && j >= firstPH {
						break
					}
					x, err := strconv.ParseFloat(r[rank], 64)
					if err != nil {
						continue
					}
					if x > prev+1 {
						t.Errorf("%s %s: rank %s follows rank %v", stem, id, r[rank], prev)
					}
					prev = x
				}
			}
		}
	}
	if seen == 0 {
		t.Error("no placeholder row in the demo book: nothing was checked")
	}

	chromium := chromiumPath(t)
	for _, stem := range chapterStems {
		charts, _ := probed(t, chromium, filepath.Join(dir, stem+".html"))
		for _, c := range charts {
			for i, typ := range c.Types {
				if typ != "bar" && typ != "pie" {
					continue
				}
				names := c.Names[i]
				first := -1
				for j, n := range names {
					if placeholder(n) {
						if first < 0 {
							first = j
						}
					} else if first >= 0 {
						t.Errorf("%s %s: %q is drawn after the placeholder %q", stem, c.ID, n, names[first])
					}
					if typ == "pie" && c.Values[i][j] != nil && *c.Values[i][j] == 0 {
						t.Errorf("%s %s: the pie draws the zero slice %q", stem, c.ID, n)
					}
					if l := c.Labels[i][j]; typ == "pie" && l != nil && strings.HasSuffix(*l, "\n0.0%") {
						t.Errorf("%s %s: the pie draws the slice %q labelled 0.0%%", stem, c.ID, n)
					}
				}
			}
		}
	}
}

var reCellNumber = regexp.MustCompile(`^-?\d+(?:\.(\d+))?(%|万|亿|万元|亿元)?$`)

// TestOneDecimalsPerColumn: in every table of the demo book, the numbers of a column have
// one number of decimals (never 4 beside 2.5).
func TestOneDecimalsPerColumn(t *testing.T) {
	dir := site(t)
	checked := 0
	for _, stem := range chapterStems {
		page := read(t, filepath.Join(dir, stem+".html"))
		for _, m := range reBlockTable.FindAllStringSubmatch(page, -1) {
			head, rows := htmlTable(regexp.MustCompile(`(?s)<table class="three-line">.*?</table>`).FindString(m[3]))
			for k := range head {
				if head[k] == "取值" {
					continue // a list of parameters (附录一), each as it is set
				}
				decimals := map[int]string{}
				for _, r := range rows {
					if k >= len(r) {
						continue
					}
					if c := reCellNumber.FindStringSubmatch(r[k]); c != nil && c[2] == "" {
						decimals[len(c[1])] = r[k]
					}
				}
				checked++
				if len(decimals) > 1 {
					t.Errorf("%s %s: column %s mixes decimals: %v", stem, m[2], head[k], decimals)
				}
			}
		}
	}
	if checked == 0 {
		t.Error("no table column checked")
	}
}

// TestNoChangeAgainstAYearOutsideTheData: the first year of the donations has no change on
// the year before (a year the data do not cover), in the download as on the page.
func TestNoChangeAgainstAYearOutsideTheData(t *testing.T) {
	dir := site(t)
	f, err := os.Open(filepath.Join(dir, "data", "welfare_summary.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := -1
	for i, h := range rows[0] {
		if strings.HasPrefix(h, "捐赠额增减") {
			col = i
		}
	}
	if col < 0 || len(rows) < 3 {
		t.Fatalf("welfare_summary.csv: no 捐赠额增减 column or too few rows: %v", rows[0])
	}
	if rows[1][col] != "" {
		t.Errorf("welfare_summary.csv: the first year %s has 捐赠额增减 %s against a year outside the data (total %s)", rows[1][0], rows[1][col], rows[1][1])
	}
	if rows[2][col] == "" {
		t.Errorf("welfare_summary.csv: the second year %s has no 捐赠额增减", rows[2][0])
	}
}

// TestLabelsKeepThresholds: a label never crosses a threshold by rounding. The number of
// enterprises the innovation chapter says reached 60 points is the number of scores of 60
// and above in its top-50 table and in its top-ten chart (59.987 is shown 59.9, not 60.0),
// and every star grade of the welfare index agrees with the index shown beside it.
func TestLabelsKeepThresholds(t *testing.T) {
	dir := site(t)
	page := read(t, filepath.Join(dir, "03_innovation.html"))
	text := html.UnescapeString(reTag.ReplaceAllString(page, ""))
	m := regexp.MustCompile(`积分在60分及以上的企业(\d+)家`).FindStringSubmatch(text)
	if m == nil {
		t.Fatal("03_innovation does not say how many enterprises reached 60 points")
	}
	high, _ := strconv.Atoi(m[1])
	atLeast60 := func(s string) bool {
		x, err := strconv.ParseFloat(s, 64)
		return err == nil && x >= 60
	}
	for _, b := range reBlockTable.FindAllStringSubmatch(page, -1) {
		head, rows := htmlTable(b[3])
		col := -1
		for i, h := range head {
			if h == "创新积分" {
				col = i
			}
		}
		if col < 0 || len(rows) < 50 || high > 50 {
			continue
		}
		n := 0
		for _, r := range rows {
			if atLeast60(r[col]) {
				n++
			}
		}
		if n != high {
			t.Errorf("03_innovation %s: %d scores of 60 and above in the table, the text says %d", b[2], n, high)
		}
	}
	charts, _ := probed(t, chromiumPath(t), filepath.Join(dir, "03_innovation.html"))
	scoreCharts := 0
	for _, c := range charts {
		head, _ := figureTable(page, c.ID)
		if len(head) != 2 || !strings.HasPrefix(head[1], "创新积分") || len(c.Labels) != 1 {
			continue
		}
		scoreCharts++
		n := 0
		for _, l := range c.Labels[0] {
			if l != nil && atLeast60(*l) {
				n++
			}
		}
		if high <= len(c.Labels[0]) && n != high {
			t.Errorf("03_innovation %s: %d labels of 60 and above, the text says %d enterprises reached 60", c.ID, n, high)
		}
	}
	if scoreCharts == 0 {
		t.Error("03_innovation: no chart of scores checked")
	}

	welfare := read(t, filepath.Join(dir, "04_welfare.html"))
	grades := []struct {
		min   float64
		stars string
	}{{80, "★★★★★"}, {60, "★★★★"}, {40, "★★★"}, {20, "★★"}, {0, "★"}}
	checked := 0
	for _, b := range reBlockTable.FindAllStringSubmatch(welfare, -1) {
		head, rows := htmlTable(b[3])
		ix, st := -1, -1
		for i, h := range head {
			switch h {
			case "公益指数":
				ix = i
			case "星级":
				st = i
			}
		}
		if ix < 0 || st < 0 {
			continue
		}
		for _, r := range rows {
			x, err := strconv.ParseFloat(r[ix], 64)
			if err != nil {
				continue
			}
			checked++
			for _, g := range grades {
				if x >= g.min {
					if r[st] != g.stars {
						t.Errorf("04_welfare %s: index %s is shown with %s", b[2], r[ix], r[st])
					}
					break
				}
			}
		}
	}
	if checked == 0 {
		t.Error("04_welfare: no index with a star grade checked")
	}
}

// TestStockFlowOnThePage: every 净增 (净减) the market chapter and the overview print is the
// change of the stock, stock(Y) − stock(Y−1) of the market_summary download (methodology
// §9), never the balance of new entities and exits.
func TestStockFlowOnThePage(t *testing.T) {
	dir := site(t)
	f, err := os.Open(filepath.Join(dir, "data", "market_summary.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) < 3 {
		t.Fatalf("market_summary.csv has %d rows", len(rows))
	}
	stock := func(r []string) int {
		n, err := strconv.Atoi(r[1])
		if err != nil {
			t.Fatalf("market_summary.csv: stock %q: %v", r[1], err)
		}
		return n
	}
	diff := stock(rows[len(rows)-1]) - stock(rows[len(rows)-2])
	found := 0
	for _, stem := range []string{"00_overview", "01_market"} {
		text := html.UnescapeString(reTag.ReplaceAllString(read(t, filepath.Join(dir, stem+".html")), ""))
		for _, m := range regexp.MustCompile(`净(增|减)([0-9.]+万?)户`).FindAllStringSubmatch(text, -1) {
			found++
			want := diff
			if m[1] == "减" {
				want = -diff
			}
			if !sameNumber(m[2], strconv.Itoa(want)) {
				t.Errorf("%s says 净%s%s户; the stock changed by %d", stem, m[1], m[2], diff)
			}
		}
	}
	if found < 2 {
		t.Errorf("found %d figures called 净增 or 净减 in the overview and the market chapter, want both to say it", found)
	}
}

// TestReaderLanguage: no page a reader reads carries an identifier — a snake_case word, the
// name of a table (a model, a seed, a source table such as rejects) or a column of the
// indicator tables (the keys of column_titles.csv: uscc, month, established_on …) — in its
// visible text (scripts, styles and the colophon footer with the run id and version left
// out), and the data checks of the quality appendix are 通过 where nothing failed. Allowed:
// a data file's name (registry.csv), single letters of formulas (z, x, p) and words in
// capitals (GB/T 4754, MAD, P95, T1). data.html is the data dictionary of the downloads: the
// database names of its columns are what an Arrow or Parquet reader needs, so it is not
// scanned.
func TestReaderLanguage(t *testing.T) {
	dir := site(t)
	names := map[string]bool{"uscc": true, "rejects": true}
	proj, err := pipeline.LoadProject(queries.FS(), "queries")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range proj.Models {
		names[m.Name] = true
	}
	for _, sd := range proj.Seeds {
		names[sd.Name] = true
		if sd.Name != "column_titles" {
			continue
		}
		recs, err := csv.NewReader(bytes.NewReader(sd.Data)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range recs[1:] {
			col := r[0]
			if i := strings.LastIndex(col, "."); i >= 0 {
				col = col[i+1:]
			}
			names[col] = true
		}
	}
	for _, src := range []string{"registry", "appeals", "innovation", "donations", "chambers", "chamber_activities", "chamber_fees", "districts"} {
		names[src] = true
	}
	word := regexp.MustCompile(`[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z]+)?`)
	pages, err := filepath.Glob(filepath.Join(dir, "*.html"))
	if err != nil || len(pages) < 10 {
		t.Fatalf("%d pages in %s: %v", len(pages), dir, err)
	}
	for _, path := range pages {
		stem := strings.TrimSuffix(filepath.Base(path), ".html")
		if stem == "data" {
			continue
		}
		page := read(t, path)
		page = regexp.MustCompile(`(?s)<script.*?</script>|<style.*?</style>|<footer.*?</footer>`).ReplaceAllString(page, "")
		text := html.UnescapeString(reTag.ReplaceAllString(page, " "))
		for _, m := range word.FindAllStringSubmatch(text, -1) {
			switch ext := strings.ToLower(m[1]); {
			case ext == ".csv" || ext == ".xlsx" || ext == ".xls":
				continue // a data file's name
			case strings.Contains(m[0], "_"):
				t.Errorf("%s shows the identifier %q", stem, m[0])
			case names[m[0]] && len(m[0]) > 1:
				t.Errorf("%s shows the table or column name %q", stem, m[0])
			}
		}
	}
	page := read(t, filepath.Join(dir, "91_quality.html"))
	for _, b := range reBlockTable.FindAllStringSubmatch(page, -1) {
		head, rows := htmlTable(b[3])
		res, bad := -1, -1
		for i, h := range head {
			switch {
			case h == "结果" || h == "级别":
				res = i
			case strings.HasPrefix(h, "不符合"):
				bad = i
			}
		}
		if res < 0 || bad < 0 {
			continue
		}
		for _, r := range rows {
			if r[bad] == "0" && r[res] != "通过" {
				t.Errorf("91_quality: a check with no failing row shows %q, want 通过: %v", r[res], r)
			}
		}
	}
}

// headerProbe lays every page out at the width of a phone (the narrowest the book is read at)
// and reports each table header whose text breaks between two characters of one word:
// a break is fine before （ or after ）, /, a space or a hyphen.
const headerProbe = `<script>setTimeout(function () {
  var bad = [];
  document.querySelectorAll("details").forEach(function (d) { d.open = true; });
  document.querySelectorAll("table.three-line th").forEach(function (th) {
    var text = th.textContent, node = th.firstChild;
    if (!node || node.nodeType !== 3) { return; }
    var r = document.createRange(), prevTop = null;
    for (var i = 0; i < node.length; i++) {
      r.setStart(node, i); r.setEnd(node, i + 1);
      var rects = r.getClientRects();
      if (!rects.length) { continue; }
      var top = Math.round(rects[0].top);
      if (prevTop !== null && top > prevTop + 2) {
        var c = text.charAt(i), p = text.charAt(i - 1);
        if ("（(".indexOf(c) < 0 && "）)/ -、".indexOf(p) < 0) { bad.push(text.slice(0, i) + "|" + text.slice(i)); }
      }
      prevTop = top;
    }
  });
  var pre = document.createElement("pre");
  pre.id = "probe-out";
  pre.textContent = JSON.stringify(bad);
  document.body.appendChild(pre);
}, 300);</script></body>`

// TestHeadersBreakBetweenWords: on a narrow screen, no table header breaks inside a word
// (创新积/分, 研发费用（万/元）).
func TestHeadersBreakBetweenWords(t *testing.T) {
	dir := site(t)
	chromium := chromiumPath(t)
	for _, stem := range chapterStems {
		page := filepath.Join(dir, stem+".html")
		copyPath := filepath.Join(dir, "hdr-"+stem+".html")
		if err := os.WriteFile(copyPath, []byte(strings.Replace(read(t, page), "</body>", headerProbe, 1)), 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
			"--disable-component-update", "--disable-sync", "--no-first-run", "--user-data-dir="+t.TempDir(),
			"--host-resolver-rules=MAP * ~NOTFOUND", "--window-size=420,900", "--virtual-time-budget=5000", "--dump-dom", "file://"+copyPath)
		out, err := cmd.Output()
		os.Remove(copyPath)
		if err != nil {
			t.Fatalf("chromium %s: %v", stem, err)
		}
		m := regexp.MustCompile(`(?s)<pre id="probe-out">(.*?)</pre>`).FindSubmatch(out)
		if m == nil {
			t.Fatalf("%s: the probe did not run", stem)
		}
		var bad []string
		if err := json.Unmarshal([]byte(html.UnescapeString(string(m[1]))), &bad); err != nil {
			t.Fatal(err)
		}
		for _, b := range bad {
			t.Errorf("%s: a header breaks inside a word: %s", stem, b)
		}
	}
}
