package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestShowAndFailedCheckRows: `show` prints a model's rows (filtered, limited, with the
// count of all that match); `test` prints, under each failed check, its first offending
// rows and ends with a summary line, and the rows are kept in check_failures.
func TestShowAndFailedCheckRows(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	proj := filepath.Join(dir, "proj")
	if code, _, errs := bluebook(t, "init", "--project", proj); code != exitOK {
		t.Fatal(errs)
	}
	// A chapter of its own, so that the run does not depend on the shipped chapters.
	chapters, _ := filepath.Glob(filepath.Join(proj, "reports", "chapters", "*.md"))
	for _, c := range chapters {
		os.Remove(c)
	}
	if err := os.WriteFile(filepath.Join(proj, "reports", "chapters", "01_test.md"), []byte("# 测试\n\n```sql s\nSELECT count(*) AS n FROM market_summary\n```\n\n共{{s.n | count}}年。\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// A custom check that fails on every year of market_summary, and a header check that
	// fails on every year but 2025.
	planted := "-- severity: warn\n-- description: 中文说明：每一年都算违规\nSELECT year, stock FROM market_summary WHERE stock >= 0\n"
	if err := os.WriteFile(filepath.Join(proj, "queries", "checks", "every_year.sql"), []byte(planted), 0o644); err != nil {
		t.Fatal(err)
	}
	model := filepath.Join(proj, "queries", "market", "market_summary.sql")
	src, err := os.ReadFile(model)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(model, []byte("-- check: accepted_values(year, '2025')\n"+string(src)), 0o644); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "bb.duckdb")
	code, _, errs := bluebook(t, "run", "--project", proj, "--data", "testdata/mini", "--db", db, "--out", filepath.Join(dir, "site"),
		"--as-of", "2026-03-01", "--year", "2025", "--max-reject-share", "0.2")
	if code != exitCheck {
		t.Fatalf("run: exit %d, want %d (a failed error check): %s", code, exitCheck, errs)
	}

	code, out, errs := bluebook(t, "show", "--project", proj, "--db", db, "--year", "2025", "market_summary", "--where", "year >= 2022", "--limit", "2")
	if code != exitOK {
		t.Fatalf("show: exit %d: %s", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 5 || !strings.HasPrefix(lines[0], "year") || !strings.HasPrefix(lines[1], "2022") ||
		!strings.HasPrefix(lines[2], "2023") || lines[3] != "(2 rows)" || lines[4] != "(2 of 4 rows; --limit N for more)" {
		t.Errorf("show printed:\n%s", out)
	}
	if code, _, errs := bluebook(t, "show", "--project", proj, "--db", db, "market_sumary"); code != exitUsage || !strings.Contains(errs, `did you mean "market_summary"`) {
		t.Errorf("show of a misspelled model: exit %d, stderr %s", code, errs)
	}
	if code, _, errs := bluebook(t, "show", "--project", proj, "--db", db, "market_summary", "--where", "year IN (SELECT 1 FROM read_csv('/etc/passwd'))"); code != exitUsage || !strings.Contains(errs, "reading files is not allowed") {
		t.Errorf("show --where reading a file: exit %d, stderr %s", code, errs)
	}

	code, out, errs = bluebook(t, "test", "--project", proj, "--db", db, "--year", "2025", "--as-of", "2026-03-01")
	if code != exitCheck {
		t.Fatalf("test: exit %d, want %d: %s\n%s", code, exitCheck, errs, out)
	}
	for _, want := range []string{
		"FAIL  error market_summary.accepted_values(year, '2025')",
		"FAIL  warn  every_year",
		"      year  stock",
		"      2021  ",
		"checks: ",
		" failed (error), 1 failed (warn), 0 could not run",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("test output lacks %q:\n%s", want, out)
		}
	}
	last := lines[len(lines)-1]
	outLines := strings.Split(strings.TrimSpace(out), "\n")
	if last = outLines[len(outLines)-1]; !strings.HasSuffix(last, "0 could not run") {
		t.Errorf("test does not end with its summary: %q", last)
	}
	// A model broken after Chinese text: build prints the place first, with no prefix,
	// then what failed.
	if err := os.WriteFile(model, []byte("-- check: accepted_values(year, '2025')\n"+strings.Replace(string(src), "WITH per_year AS (", "-- 中文😀\nWITH per_year AS (\n    SELECT '中文' AS 名称, nosuch FROM market_cube\n), per_year0 AS (", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errs = bluebook(t, "build", "--project", proj, "--db", db, "--year", "2025", "--as-of", "2026-03-01", "--select", "market_summary")
	if want := "queries/market/market_summary.sql:" + fmt.Sprint(strings.Count(string(src)[:strings.Index(string(src), "WITH per_year AS (")], "\n")+4) +
		":24: Binder Error: Referenced column \"nosuch\" not found"; code != exitFailed || !strings.HasPrefix(errs, want) || !strings.HasSuffix(errs, "\nbluebook: build failed (1 error)\n") {
		t.Errorf("build of a broken model: exit %d, stderr %q; want %q first", code, errs, want)
	}
	// Under it the line and a caret under nosuch: the Chinese text two columns a character.
	if want := "\n        SELECT '中文' AS 名称, nosuch FROM market_cube\n" + strings.Repeat(" ", 4+4+23) + "^\n"; !strings.Contains(errs, want) {
		t.Errorf("build of a broken model: stderr %q lacks the line and caret %q", errs, want)
	}
	// A misspelled function: the suggestion comes from DuckDB's function list.
	if err := os.WriteFile(model, []byte(strings.Replace(string(src), "CAST(coalesce(stock, 0) AS BIGINT) AS stock", "CAST(coalese(stock, 0) AS BIGINT) AS stock", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errs = bluebook(t, "build", "--project", proj, "--db", db, "--year", "2025", "--as-of", "2026-03-01", "--select", "market_summary")
	if code != exitFailed || !strings.Contains(errs, `Scalar Function with name coalese does not exist! Did you mean "coalesce"?`) {
		t.Errorf("build with coalese: exit %d, stderr %q", code, errs)
	}
	rows := queryCSV(t, db, "SELECT name, row_number, row_json FROM check_failures WHERE name = 'every_year' AND run_id LIKE 'test-%' ORDER BY row_number")
	if len(rows) != 5 || rows[0][1] != "1" || !strings.Contains(rows[0][2], `"year":2021`) {
		t.Errorf("check_failures for every_year = %v, want its first 5 rows", rows)
	}

	// test --select reads build's selection syntax: the checks of the selected models,
	// header checks and the checks in queries/checks/ reading one of them.
	if err := os.WriteFile(model, []byte("-- check: accepted_values(year, '2025')\n"+string(src)), 0o644); err != nil {
		t.Fatal(err)
	}
	for spec, want := range map[string][]string{
		"market_summary": {"market_summary.accepted_values(year, '2025')", "market_summary.unique(year)", "market_summary.not_null(year, stock)", "every_year"},
		"+market_summary": {"market_summary.accepted_values(year, '2025')", "market_summary.unique(year)", "market_summary.not_null(year, stock)", "every_year",
			"market_cube.not_null(year, ownership)"},
		"market_by_size,market_summary": {"market_summary.accepted_values(year, '2025')", "market_summary.unique(year)", "market_summary.not_null(year, stock)", "every_year",
			"market_by_size.accepted_values(size_class, '大', '中', '小', '微', '未知')"},
	} {
		code, out, errs := bluebook(t, "test", "--project", proj, "--db", db, "--year", "2025", "--as-of", "2026-03-01", "--select", spec)
		if code != exitCheck {
			t.Errorf("test --select %s: exit %d, want %d: %s", spec, code, exitCheck, errs)
		}
		var names []string
		for _, l := range strings.Split(out, "\n") {
			if f := strings.Fields(l); len(f) >= 3 && (f[0] == "PASS" || f[0] == "FAIL" || f[0] == "ERROR") {
				names = append(names, strings.SplitN(l[12:], "  ", 2)[0])
			}
		}
		slices.Sort(names)
		slices.Sort(want)
		if !slices.Equal(names, want) {
			t.Errorf("test --select %s ran %q, want %q\n%s", spec, names, want, out)
		}
	}
	if code, _, errs := bluebook(t, "test", "--project", proj, "--db", db, "--select", "market_sumary+"); code != exitUsage || !strings.Contains(errs, `--select market_sumary+: no model named "market_sumary"; did you mean "market_summary"?`) {
		t.Errorf("test --select of a misspelled model: exit %d, stderr %s", code, errs)
	}
}
