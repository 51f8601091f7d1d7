package pipeline

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/xuri/excelize/v2"

	"bluebook/reports"
)

// TestNaturalPersonAmountsNeverPublished plants a 个体工商户 (丙商店, credit code 92…) at
// the top of the innovation ranking and of the public-welfare index, with amounts no other
// row has, runs the shipped queries and chapters, and looks for those amounts in every row
// that names it: pages, CSV, XLSX, Parquet and Arrow (docs/methodology.md §9). It must be listed,
// its amounts must not be, and the aggregates still count them.
func TestNaturalPersonAmountsNeverPublished(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	if err := copyTree(os.DirFS("../e2e/testdata/mini"), data); err != nil {
		t.Fatal(err)
	}
	const name, uscc = "丙商店", "92990103MA00000C3B"
	amounts := []float64{4321.9, 9876.5, 6789.1} // R&D expense, revenue, donation (万元)
	appendLine := func(rel, line string) {
		f, err := os.OpenFile(filepath.Join(data, rel), os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		fmt.Fprintln(f, line)
	}
	appendLine("innovation/innovation.csv", uscc+",2025,4321.9,9876.5,40,60,9,30,3,800,3000")
	appendLine("donations/donations.csv", "D9,"+uscc+",2025-08-01,6789.1,现金,教育,是")

	dir := t.TempDir()
	cfg := Config{
		Year: 2025, AsOf: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), City: "测试市",
		DataDir: data, DBPath: filepath.Join(dir, "bb.duckdb"), OutDir: filepath.Join(dir, "site"), MaxRejectShare: 0.2,
		Queries: os.DirFS("../queries"), QueriesDir: "queries", Reports: reports.DefaultFS(), ReportsDir: "reports",
	}
	if _, err := Run(ctx, cfg); err != nil && !errors.Is(err, ErrCheckFailed) {
		t.Fatal(err)
	}

	leaks := func(cell string) bool {
		cell = strings.TrimSpace(strings.ReplaceAll(cell, ",", ""))
		if x, err := strconv.ParseFloat(cell, 64); err == nil {
			for _, a := range amounts {
				if math.Abs(x-a) < 1e-6 {
					return true
				}
			}
		}
		for _, s := range []string{"4321.9", "9876.5", "6789.1", "0.43亿", "0.99亿", "0.68亿"} {
			if strings.Contains(cell, s) {
				return true
			}
		}
		return false
	}
	names := func(cells []string) bool {
		for _, c := range cells {
			if c == name || c == uscc {
				return true
			}
		}
		return false
	}
	listed := map[string]bool{}
	check := func(where string, cells []string) {
		if !names(cells) {
			return
		}
		listed[where] = true
		for _, c := range cells {
			if leaks(c) {
				t.Errorf("%s publishes an amount of %s: %q in %v", where, name, c, cells)
			}
		}
	}

	site := cfg.OutDir
	// Pages: every table row that names it.
	pages, _ := filepath.Glob(filepath.Join(site, "*.html"))
	for _, p := range pages {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, row := range strings.Split(string(b), "<tr")[1:] {
			row = row[:max(strings.Index(row, "</tr>"), 0)]
			var cells []string
			for _, c := range strings.Split(row, "<td")[1:] {
				c = c[strings.Index(c, ">")+1:]
				cells = append(cells, strings.TrimSpace(c[:max(strings.Index(c, "</td>"), 0)]))
			}
			check(filepath.Base(p), cells)
		}
	}
	// CSV downloads.
	csvs, _ := filepath.Glob(filepath.Join(site, "data", "*.csv"))
	for _, p := range csvs {
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			check(filepath.Base(p), strings.Split(sc.Text(), ","))
		}
		f.Close()
	}
	// The workbook.
	wb, err := excelize.OpenFile(filepath.Join(site, "data", "bluebook-tables.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	for _, sheet := range wb.GetSheetList() {
		rows, _ := wb.GetRows(sheet)
		for _, r := range rows {
			check("xlsx "+sheet, r)
		}
	}
	wb.Close()
	// Parquet, read back with DuckDB.
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	parquets, _ := filepath.Glob(filepath.Join(site, "data", "*.parquet"))
	for _, p := range parquets {
		tbl, err := queryTable(ctx, db, "SELECT * FROM read_parquet(?)", p)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range tbl.Rows {
			cells := make([]string, len(r))
			for i, v := range r {
				cells[i] = fmt.Sprint(v)
			}
			check(filepath.Base(p), cells)
		}
	}
	// Arrow.
	arrows, _ := filepath.Glob(filepath.Join(site, "data", "*.arrow"))
	for _, p := range arrows {
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		r, err := ipc.NewFileReader(f, ipc.WithAllocator(memory.DefaultAllocator))
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < r.NumRecords(); i++ {
			rec, err := r.Record(i)
			if err != nil {
				t.Fatal(err)
			}
			for row := 0; row < int(rec.NumRows()); row++ {
				var cells []string
				for _, col := range rec.Columns() {
					if col.IsNull(row) {
						cells = append(cells, "")
						continue
					}
					if s, ok := col.(*array.String); ok {
						cells = append(cells, s.Value(row))
						continue
					}
					cells = append(cells, col.ValueStr(row))
				}
				check(filepath.Base(p), cells)
			}
		}
		r.Close()
		f.Close()
	}

	// Listed (the test is not vacuous), and counted in the aggregates.
	for _, where := range []string{"innovation_points.csv", "public_welfare_index.csv", "public_welfare_index.parquet", "innovation_points.arrow", "03_innovation.html", "04_welfare.html"} {
		if !listed[where] {
			t.Errorf("%s does not list %s", where, name)
		}
	}
	out, err := sql.Open("duckdb", cfg.DBPath+"?access_mode=READ_ONLY")
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	var rd, total float64
	if err := out.QueryRow("SELECT rd_expense FROM innovation_summary WHERE year = 2025").Scan(&rd); err != nil || math.Abs(rd-(300+10+4321.9)) > 1e-6 {
		t.Errorf("innovation_summary.rd_expense = %v (%v), want 4631.9 with the 个体工商户", rd, err)
	}
	if err := out.QueryRow("SELECT max(listed_total_amount) FROM public_welfare_index").Scan(&total); err != nil || total < 6789.1 {
		t.Errorf("public_welfare_index.listed_total_amount = %v (%v), want the 个体工商户 counted", total, err)
	}
}
