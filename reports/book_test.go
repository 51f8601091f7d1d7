package reports_test

// The shipped chapters only run against the real models, so this test builds
// the whole blue book from generated demo data through the pipeline, after
// planting in that data what must never be shown as it is: enterprise names
// that are script tags, and appeal contents and donation recipients (personal
// data). It is an external test package because pipeline imports reports.

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"errors"
	"fmt"
	"io/fs"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/duckdb/duckdb-go/v2"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"bluebook/data/demo"
	"bluebook/pipeline"
	"bluebook/queries"
	"bluebook/reports"
)

const (
	xss     = "<script>alert(1)</script>"
	planted = "PLANTED个人信息13800138000" // in every appeal's content, every donation's recipient and a rejected raw line
)

func TestDefaultBook(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a demo book")
	}
	ctx := context.Background()
	dir := t.TempDir()
	if d := os.Getenv("BLUEBOOK_BOOK_DIR"); d != "" {
		// keep the book to look at: d/site, d/one/index.html, d/site2 (with downloads)
		if err := os.RemoveAll(d); err != nil {
			t.Fatal(err)
		}
		dir = d
	}
	asOf := time.Date(2026, 10, 31, 0, 0, 0, 0, time.UTC)
	dataDir := filepath.Join(dir, "data")
	if _, err := demo.Generate(ctx, demo.Options{Dir: dataDir, Scale: 2000, Seed: 7, AsOf: asOf}); err != nil {
		t.Fatal(err)
	}
	plant(t, dataDir)

	cfg := pipeline.Config{
		Queries: queries.FS(), QueriesDir: "queries", Reports: reports.DefaultFS(), ReportsDir: "reports",
		DataDir: dataDir, DBPath: filepath.Join(dir, "bluebook.duckdb"), OutDir: filepath.Join(dir, "site"),
		Year: 2025, AsOf: asOf, City: demo.City, Demo: true, Version: "test", MaxRejectShare: 0.05,
	}
	for _, d := range demo.Districts() {
		cfg.Districts = append(cfg.Districts, pipeline.District{Code: d.Code, Name: d.Name})
	}
	if _, err := pipeline.Run(ctx, cfg); err != nil && !errors.Is(err, pipeline.ErrCheckFailed) {
		t.Fatal(err)
	}

	// The site the pipeline wrote.
	site := cfg.OutDir
	charts, kinds := 0, map[string]bool{}
	for _, stem := range []string{"00_overview", "01_market", "02_appeals", "03_innovation", "04_welfare", "05_chambers", "06_monitor", "90_methodology", "91_quality"} {
		page := read(t, filepath.Join(site, stem+".html"))
		charts += strings.Count(page, `<div class="chart" id=`)
		for _, m := range regexp.MustCompile(`"series":\[\{"name":"[^"]*","type":"(\w+)"`).FindAllStringSubmatch(page, -1) {
			kinds[m[1]] = true
		}
		if strings.Contains(page, "{{") {
			t.Errorf("%s has an unresolved {{", stem)
		}
		if strings.Contains(page, "（本图无数据）") {
			t.Errorf("%s has an empty chart on the demo data", stem)
		}
	}
	if charts < 15 {
		t.Errorf("the book has %d charts, want at least 15", charts)
	}
	for _, k := range []string{"line", "bar", "pie", "heatmap"} {
		if !kinds[k] {
			t.Errorf("no %s chart in the book (kinds: %v)", k, kinds)
		}
	}
	index := read(t, filepath.Join(site, "index.html"))
	for _, want := range []string{"图 总-1", "图 3-2", "表 4-1", "表 附1-1", "图 附2-1", "附录二 数据质量"} {
		if !strings.Contains(index, want) {
			t.Errorf("index.html lacks %q", want)
		}
	}
	// Every enterprise name is a script tag: the top-50 tables and the
	// ranking charts show it as text.
	for _, stem := range []string{"03_innovation", "04_welfare"} {
		page := read(t, filepath.Join(site, stem+".html"))
		if !strings.Contains(page, "<td>&lt;script&gt;alert(1)&lt;/script&gt;") {
			t.Errorf("%s: the top-50 table does not show the name as text", stem)
		}
		if !strings.Contains(page, `\u003cscript\u003ealert(1)\u003c/script\u003e`) {
			t.Errorf("%s: the ranking chart does not carry the name JSON-escaped", stem)
		}
	}
	checkNoLeak(t, site)

	// The same book as one file and as a site with downloads, from the
	// same database.
	book, err := reports.Load(reports.DefaultFS())
	if err != nil {
		t.Fatal(err)
	}
	db := openDB(t, cfg)
	// The planted data did reach the database, where no chapter may read it.
	for _, q := range []string{
		"SELECT count(*) FROM appeals WHERE content = '" + planted + "'",
		"SELECT count(*) FROM donations WHERE recipient = '" + planted + "'",
		"SELECT count(*) FROM rejects WHERE raw LIKE '%" + planted + "%'",
		"SELECT count(*) FROM public_welfare_index WHERE starts_with(name, '" + xss + "')",
		"SELECT count(*) FROM innovation_points WHERE rank <= 50 AND starts_with(name, '" + xss + "')",
	} {
		if n := query(t, db, q).Rows[0][0].(int64); n == 0 {
			t.Errorf("nothing planted: %s", q)
		}
	}
	results := map[string]*reports.Table{}
	for _, q := range book.Queries() {
		results[q.ID] = query(t, db, q.SQL)
	}
	meta := reports.Meta{City: demo.City, Year: 2025, Cutoff: time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC), AsOf: asOf, Demo: true,
		Palette: map[string]string{"其他": "#9e9e9e", "未知": "#bdbdbd"}}

	one := filepath.Join(dir, "one")
	if err := reports.Render(book, results, meta, reports.Options{Dir: one, SingleFile: true}); err != nil {
		t.Fatal(err)
	}
	page := read(t, filepath.Join(one, "index.html"))
	if n := len(page); n > 3<<20 {
		t.Errorf("the single file is %d bytes", n)
	}
	if m := regexp.MustCompile(`(?i)\s(src|href)\s*=\s*["']?(https?:|//|assets/|data/|[0-9a-z_]+\.html)[^"' >]*`).FindString(page); m != "" {
		t.Errorf("the single file refers to another file: %s", m)
	}
	if got := strings.Count(page, `<div class="chart" id=`); got != charts {
		t.Errorf("the single file has %d charts, the site %d", got, charts)
	}
	checkNoLeak(t, one)
	drawn(t, filepath.Join(one, "index.html"), charts)
	for _, stem := range []string{"03_innovation", "04_welfare"} {
		hovered(t, filepath.Join(site, stem+".html"))
	}

	titles := map[string]string{}
	for _, row := range query(t, db, `SELECT "column", title FROM column_titles`).Rows {
		titles[row[0].(string)] = row[1].(string)
	}
	// The tables offered for download are listed in queries/seeds/export_tables.csv:
	// never a source table, appeal_deadlines (a row per appeal) or rejects (raw lines).
	var exports []reports.Export
	for _, row := range query(t, db, "SELECT name, title FROM export_tables").Rows {
		name := row[0].(string)
		if regexp.MustCompile(`^(registry|appeals|innovation|donations|chambers|chamber_activities|chamber_fees|districts|appeal_deadlines|rejects|market_entities)$`).MatchString(name) {
			t.Errorf("export_tables.csv offers %s for download", name)
		}
		tab := query(t, db, "SELECT * FROM "+name)
		for _, c := range tab.Columns {
			if titles[c] == "" {
				t.Errorf("queries/seeds/column_titles.csv has no title for %s.%s", name, c)
			}
		}
		exports = append(exports, reports.Export{Name: name, Title: row[1].(string), Table: tab, Titles: titles, Parquet: true})
	}
	if len(exports) < 20 {
		t.Errorf("export_tables.csv lists %d tables", len(exports))
	}
	withData := filepath.Join(dir, "site2")
	if err := reports.Render(book, results, meta, reports.Options{Dir: withData, Exports: exports}); err != nil {
		t.Fatal(err)
	}
	csvFile := read(t, filepath.Join(withData, "data", "public_welfare_index.csv"))
	if !strings.HasPrefix(csvFile, "\uFEFF统一社会信用代码,名称,") || !strings.Contains(csvFile, xss) {
		t.Errorf("public_welfare_index.csv starts %q", csvFile[:min(len(csvFile), 80)])
	}
	checkNoLeak(t, withData)
}

// plant rewrites the demo data: every enterprise name is prefixed by a
// script tag; every appeal's content and donation's recipient is the planted
// string, which also fills a rejected appeal line.
func plant(t *testing.T, dataDir string) {
	t.Helper()
	rewriteCSV(t, filepath.Join(dataDir, "registry", "registry.csv"), false, "企业名称", func(v string) string { return xss + v })
	files, _ := filepath.Glob(filepath.Join(dataDir, "appeals", "*.csv"))
	for _, f := range files {
		rewriteCSV(t, f, false, "诉求内容", func(string) string { return planted })
	}
	rewriteCSV(t, filepath.Join(dataDir, "donations", "donations.csv"), true, "受赠方", func(string) string { return planted })
	// A line with too many fields: rejected, its raw line holding the content.
	f, err := os.OpenFile(files[len(files)-1], os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(f, "SQ-PLANTED,91990100MA00000000,2026/1/5 09:00,税费,是,热线,市税务局,,,,%s,多余,字段\n", planted)
	f.Close()
}

// rewriteCSV applies fn to one column of a CSV file (GB18030 when gbk), and
// writes it back as UTF-8.
func rewriteCSV(t *testing.T, path string, gbk bool, column string, fn func(string) string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if gbk {
		if data, err = simplifiedchinese.GB18030.NewDecoder().Bytes(data); err != nil {
			t.Fatal(err)
		}
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	col := -1
	for i, h := range rows[0] {
		if h == column {
			col = i
		}
	}
	if col < 0 {
		t.Fatalf("%s has no column %s: %v", path, column, rows[0])
	}
	for _, row := range rows[1:] {
		if col < len(row) {
			row[col] = fn(row[col])
		}
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.WriteAll(rows)
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// checkNoLeak fails when any file under dir carries the planted personal
// data or the raw script tag outside a data file. Workbooks are read cell by
// cell (their XML is compressed).
func checkNoLeak(t *testing.T, dir string) {
	t.Helper()
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		name, _ := filepath.Rel(dir, path)
		if strings.HasSuffix(path, ".xlsx") {
			f, err := excelize.OpenFile(path)
			if err != nil {
				return err
			}
			defer f.Close()
			for _, sheet := range f.GetSheetList() {
				rows, _ := f.GetRows(sheet)
				for _, row := range rows {
					for _, cell := range row {
						if strings.Contains(cell, "PLANTED") {
							t.Errorf("%s, sheet %s, holds the planted personal data", name, sheet)
							return nil
						}
					}
				}
			}
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if bytes.Contains(data, []byte("PLANTED")) {
			t.Errorf("%s holds the planted personal data", name)
		}
		if strings.HasSuffix(path, ".html") && bytes.Contains(data, []byte(xss)) {
			t.Errorf("%s holds the raw script tag", name)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// drawn opens page in headless Chromium with every host unreachable and
// checks that its charts were drawn, that no script failed, and that no
// script element came from the data (the DOM serialises a name shown as
// text escaped). Without Chromium it does nothing.
func drawn(t *testing.T, page string, charts int) (dom string) {
	t.Helper()
	chromium := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			chromium = p
			break
		}
	}
	if chromium == "" {
		t.Log("chromium not installed: the book is not opened in a browser")
		return ""
	}
	cmd := exec.Command(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--no-first-run", "--user-data-dir="+t.TempDir(),
		"--host-resolver-rules=MAP * ~NOTFOUND", "--enable-logging=stderr", "--v=0",
		"--virtual-time-budget=8000", "--dump-dom", "file://"+page)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %s: %v\n%s", page, err, errb.String())
	}
	dom = out.String()
	if got := strings.Count(dom, "<svg"); got < charts {
		t.Errorf("%s: %d of %d charts drawn", filepath.Base(page), got, charts)
	}
	if strings.Contains(dom, xss) {
		t.Errorf("%s: a script element from the data is in the page", filepath.Base(page))
	}
	for _, line := range strings.Split(errb.String(), "\n") {
		if strings.Contains(line, "CONSOLE") && (strings.Contains(line, "Uncaught") || strings.Contains(line, "Error")) {
			t.Errorf("%s: %s", filepath.Base(page), line)
		}
	}
	return dom
}

// hovered opens a copy of a chapter page that shows the tooltip of the
// first item of every chart, and checks that the tooltips name the
// script-tag enterprises as text: no element inside a chart comes from the
// data.
func hovered(t *testing.T, page string) {
	t.Helper()
	probe := `<script>setTimeout(function () {
  var named = 0, injected = 0;
  document.querySelectorAll(".chart").forEach(function (el) {
    var c = echarts.getInstanceByDom(el);
    if (!c) { return; }
    c.dispatchAction({ type: "showTip", seriesIndex: 0, dataIndex: 0 });
    injected += el.querySelectorAll("script, img, iframe").length;
    el.querySelectorAll("div").forEach(function (d) { if (d.textContent.indexOf("alert(1)") >= 0) { named++; } });
  });
  document.title = "tips " + named + " " + injected;
}, 300);</script></body>`
	copy := filepath.Join(filepath.Dir(page), "hover-"+filepath.Base(page))
	if err := os.WriteFile(copy, []byte(strings.Replace(read(t, page), "</body>", probe, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	defer os.Remove(copy)
	dom := drawn(t, copy, 0)
	if dom == "" {
		return
	}
	m := regexp.MustCompile(`<title>tips (\d+) (\d+)</title>`).FindStringSubmatch(dom)
	switch {
	case m == nil:
		t.Errorf("%s: the tooltip probe did not run", filepath.Base(page))
	case m[1] == "0":
		t.Errorf("%s: no tooltip shows the script-tag name", filepath.Base(page))
	case m[2] != "0":
		t.Errorf("%s: %s elements from the data inside the charts", filepath.Base(page), m[2])
	}
}

func read(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// openDB opens the run's database on one connection with the run's variables.
func openDB(t *testing.T, cfg pipeline.Config) *sql.DB {
	t.Helper()
	db, err := sql.Open("duckdb", cfg.DBPath)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.SetMaxOpenConns(1)
	for _, s := range []string{
		fmt.Sprintf("SET VARIABLE year = %d", cfg.Year),
		fmt.Sprintf("SET VARIABLE prev_year = %d", cfg.Year-1),
		fmt.Sprintf("SET VARIABLE cutoff = DATE '%s'", cfg.Cutoff().Format(time.DateOnly)),
		fmt.Sprintf("SET VARIABLE as_of = DATE '%s'", cfg.AsOf.Format(time.DateOnly)),
	} {
		if _, err := db.Exec(s); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

// query runs q and converts the values as the pipeline does.
func query(t *testing.T, db *sql.DB, q string) *reports.Table {
	t.Helper()
	rows, err := db.Query(q)
	if err != nil {
		t.Fatalf("%v\n%s", err, q)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	tab := &reports.Table{Columns: cols}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		for i, v := range vals {
			switch x := v.(type) {
			case int8:
				vals[i] = int64(x)
			case int16:
				vals[i] = int64(x)
			case int32:
				vals[i] = int64(x)
			case uint8:
				vals[i] = int64(x)
			case uint16:
				vals[i] = int64(x)
			case uint32:
				vals[i] = int64(x)
			case uint64:
				vals[i] = int64(x)
			case float32:
				vals[i] = float64(x)
			case *big.Int:
				f, _ := new(big.Float).SetInt(x).Float64()
				vals[i] = f
			case duckdb.Decimal:
				vals[i] = x.Float64()
			case []byte:
				vals[i] = string(x)
			}
		}
		tab.Rows = append(tab.Rows, vals)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return tab
}
