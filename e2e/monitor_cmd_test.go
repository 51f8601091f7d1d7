package e2e

import (
	"crypto/sha256"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMonitorCommand renders the quarterly monitoring report from a demo database: the
// cover names the report and its quarter, the page shows the quarter's alerts with their
// charts, the single file is written, the database is left byte for byte as it was, and a
// malformed quarter is a usage error.
func TestMonitorCommand(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("slow: runs on generated demo data (go test without -short runs it)")
	}
	dir := t.TempDir()
	if code, _, errs := bluebook(t, "demo", "--dir", dir, "--scale", "20000", "--quiet"); code != 0 {
		t.Fatalf("demo: %s", errs)
	}
	db := filepath.Join(dir, "bluebook.duckdb")
	sum := func() [32]byte {
		b, err := os.ReadFile(db)
		if err != nil {
			t.Fatal(err)
		}
		return sha256.Sum256(b)
	}
	before := sum()
	out, single := filepath.Join(dir, "q3"), filepath.Join(dir, "q3.html")
	code, stdout, errs := bluebook(t, "monitor", "--db", db, "--out", out, "--single-file", single)
	if code != 0 {
		t.Fatalf("monitor: exit %d: %s", code, errs)
	}
	if !strings.Contains(stdout, filepath.Join(out, "index.html")) {
		t.Errorf("monitor printed %q, want the path of index.html", stdout)
	}
	if sum() != before {
		t.Error("monitor changed the database")
	}
	read := func(p string) string {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	index := read(filepath.Join(out, "index.html"))
	for _, want := range []string{"示例市</span>民营经济运行监测季度报告<span class=\"year\">（2026年第三季度）", "2026年9月30日", "演示数据"} {
		if !strings.Contains(index, want) {
			t.Errorf("index.html lacks %q", want)
		}
	}
	page := read(filepath.Join(out, "01_monitor.html"))
	// the demo plants the exits surge of 东湖区 in August 2026 (data/demo/anomalies.go)
	for _, want := range []string{"2026年第三季度示例市民营经济运行监测", "东湖区2026年8月注销吊销民营主体", "红色预警", "图 1-1", "2026年9月各范围监测指标预警状态"} {
		if !strings.Contains(page, want) {
			t.Errorf("01_monitor.html lacks %q", want)
		}
	}
	if n := strings.Count(page, `<div class="chart" id=`); n == 0 {
		t.Error("no chart on the monitoring page")
	}
	// each chart in its series' unit; the city's exits, alerted in August and September,
	// get one chart titled with both months (not two charts a month apart)
	if strings.Contains(page, "户或件") || !strings.Contains(page, "实际值（户）") || !strings.Contains(page, "实际值（件）") {
		t.Error("the band charts do not name their series' unit (户 for subjects, 件 for appeals)")
	}
	if !strings.Contains(page, "全市注销吊销民营主体（2026年9月黄色、2026年8月黄色预警）") || strings.Contains(page, "全市注销吊销民营主体（2026年8月黄色预警）") {
		t.Error("the city's exits alerted twice in the quarter do not have one chart titled with both months")
	}
	if s := read(single); !strings.Contains(s, "东湖区2026年8月注销吊销民营主体") {
		t.Error("the single file lacks the alert")
	}
	// an earlier quarter: its own alerts and status month
	code, _, errs = bluebook(t, "monitor", "--db", db, "--out", filepath.Join(dir, "q1"), "--quarter", "2026Q1")
	if code != 0 {
		t.Fatalf("monitor --quarter 2026Q1: %s", errs)
	}
	if p := read(filepath.Join(dir, "q1", "01_monitor.html")); !strings.Contains(p, "2026年3月各范围监测指标预警状态") || strings.Contains(p, "东湖区2026年8月") {
		t.Error("the report of 2026Q1 does not show March 2026 alone")
	}
	if code, _, _ := bluebook(t, "monitor", "--db", db, "--out", filepath.Join(dir, "x"), "--quarter", "2026-3"); code != 2 {
		t.Errorf("--quarter 2026-3: exit %d, want 2", code)
	}
	// a quarter the data does not cover is refused, naming those it covers
	if code, _, errs := bluebook(t, "monitor", "--db", db, "--out", filepath.Join(dir, "x"), "--quarter", "2030Q1"); code != 2 || !strings.Contains(errs, "to 2026Q4") {
		t.Errorf("--quarter 2030Q1: exit %d, want 2 naming the quarters covered: %s", code, errs)
	}
	if sum() != before {
		t.Error("monitor changed the database")
	}
}
