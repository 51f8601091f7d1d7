package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestCheckFindsPlantedMistakes plants, in a copy of the shipped queries and chapters,
// one mistake of each kind `check` must catch before any run, each after Chinese text and
// all at once, and asserts that `check` reports each at its line and column (columns in
// characters), with nothing before the path, and an exact count.
func TestCheckFindsPlantedMistakes(t *testing.T) {
	t.Parallel()
	proj := filepath.Join(t.TempDir(), "proj")
	if code, _, errs := bluebook(t, "init", "--project", proj); code != exitOK {
		t.Fatal(errs)
	}
	type planted struct {
		file  string // relative to the project
		token string // where the mistake must be reported: the first occurrence of token on its line
		after string // the line holding the mistake contains this
		msg   string // part of the message
	}
	var want []planted
	edit := func(file string, f func(string) string) {
		t.Helper()
		p := filepath.Join(proj, file)
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		out := f(string(b))
		if out == string(b) {
			t.Fatalf("%s: nothing planted", file)
		}
		if err := os.WriteFile(p, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	replace := func(old, new string) func(string) string {
		return func(s string) string {
			if !strings.Contains(s, old) {
				t.Fatalf("%q not found", old)
			}
			return strings.Replace(s, old, new, 1)
		}
	}
	write := func(file, text string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(proj, file), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	// A model: an unknown column after Chinese text and an emoji on the same line.
	const health = "queries/chambers/chamber_health.sql"
	edit(health, replace("WITH params AS (", "-- 中文注释：商会健康度😀\nWITH params AS (\n    SELECT '商会😀' AS 名称, chamber_idd FROM chambers\n), params0 AS ("))
	want = append(want, planted{health, "chamber_idd", "'商会😀' AS 名称, chamber_idd", `Referenced column "chamber_idd" not found`})
	// A model: a syntax error after a long Chinese comment.
	write("queries/market/planted_syntax.sql", "-- description: 中文说明，很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长\n-- 第二行中文注释\nSELECT '民营' AS 名称, count(*) AS n\nFROM registry WHERE registered_capital > > 100\n")
	want = append(want, planted{"queries/market/planted_syntax.sql", "> 100", "> > 100", `syntax error at or near ">"`})
	// A model: a misspelled function.
	write("queries/market/planted_function.sql", "-- description: 拼错函数\nSELECT '中文' AS 名称, coalese(registered_capital, 0) AS c FROM registry\n")
	want = append(want, planted{"queries/market/planted_function.sql", "coalese", "coalese(", `Did you mean "coalesce"?`})
	// Header checks: a wrong column, a wrong table.
	const summary = "queries/welfare/welfare_summary.sql"
	edit(summary, replace("-- check: unique(year)\n", "-- 中文：检查\n-- check: unique(year)\n-- check: not_null(year, totl_amount)\n-- check: relationships(year, welfare_yeers.year) warn\n-- check:  not_nul(year)\n"))
	want = append(want,
		planted{summary, "not_nul", "not_nul(year)", `unknown check "not_nul"`},
		planted{summary, "totl_amount", "not_null(year, totl_amount)", `has no column "totl_amount"`},
		planted{summary, "welfare_yeers.year", "welfare_yeers", `unknown table "welfare_yeers"`})
	// A check file of severity warn: an unknown table after Chinese text; another binds a wrong column.
	write("queries/checks/planted_warn.sql", "-- severity: warn\n-- description: 中文描述：注册资本为空\nSELECT '中文' AS 说明, uscc FROM registy WHERE registered_capital IS NULL\n")
	want = append(want, planted{"queries/checks/planted_warn.sql", "registy", "FROM registy", `unknown table "registy"`})
	write("queries/checks/planted_col.sql", "-- severity: warn\nSELECT '中文中文' AS 说明, stok FROM market_summary\n")
	want = append(want, planted{"queries/checks/planted_col.sql", "stok", "stok FROM", `Referenced column "stok" not found`})

	// Chapters: an unknown column and a format on text in {{…}}, a chart value of text, a
	// table column typo and a format on text, a block never closed.
	const market = "reports/chapters/01_market.md"
	edit(market, replace("年均{{five_years.cagr | change}}", "年均{{five_years.cagx | change}}"))
	want = append(want, planted{market, "cagx", "{{five_years.cagx", `query five_years has no column "cagx"`})
	edit(market, replace("{{summary.balance_word}}", "{{summary.balance_word | pct}}"))
	want = append(want, planted{market, "pct}}", "{{summary.balance_word | pct}}", "format pct needs a number, but column balance_word holds text"})
	edit(market, replace("x: year_label\nx_name: 年份\ny: stock\n", "x: year_label\nx_name: 年份\ny: year_label\n"))
	want = append(want, planted{market, "year_label", "y: year_label", `column "year_label" holds text; a chart needs numbers`})
	edit(market, replace("new_share=占全市新设比重:pct", "new_shar=占全市新设比重:pct"))
	want = append(want, planted{market, "new_shar", "new_shar=", `query district has no column "new_shar"`})
	edit(market, replace("district_name=区,", "district_name=区:pct,"))
	want = append(want, planted{market, "district_name", "district_name=区:pct", "format pct needs a number, but column district_name holds text"})
	edit("reports/chapters/05_chambers.md", func(s string) string {
		return s + "\n中文段落，然后一个没有结束的块。\n\n```sql planted\nSELECT 1 AS x\n"
	})
	want = append(want, planted{"reports/chapters/05_chambers.md", "```sql planted", "```sql planted", "block is never closed"})

	// A download of a table that is no model.
	edit("queries/seeds/export_tables.csv", func(s string) string {
		return s + "market_sumary,民营经济主体总量（拼错）\nmarket_by_district,民营经济主体分区情况（重复）\n"
	})
	want = append(want, planted{"queries/seeds/export_tables.csv", "market_sumary", "market_sumary,", `table "market_sumary" is not a model`},
		planted{"queries/seeds/export_tables.csv", "market_by_district", "market_by_district,民营经济主体分区情况（重复）", `table "market_by_district" is listed twice (first on line 3)`})

	code, _, stderr := bluebook(t, "check", "--project", proj)
	if code != exitFailed {
		t.Fatalf("check: exit %d, want %d\n%s", code, exitFailed, stderr)
	}
	for _, w := range want {
		b, err := os.ReadFile(filepath.Join(proj, w.file))
		if err != nil {
			t.Fatal(err)
		}
		line, col := 0, 0
		for i, l := range strings.Split(string(b), "\n") {
			if strings.Contains(l, w.after) {
				line, col = i+1, utf8.RuneCountInString(l[:strings.Index(l, w.token)])+1
				break
			}
		}
		if line == 0 {
			t.Fatalf("%s: no line holds %q", w.file, w.after)
		}
		at := fmt.Sprintf("\n%s:%d:%d: ", w.file, line, col)
		i := strings.Index("\n"+stderr, at)
		if i < 0 {
			t.Errorf("check does not report %s%s (%s); stderr:\n%s", w.file, at[len(w.file)+1:], w.msg, stderr)
			continue
		}
		if rest := ("\n" + stderr)[i+len(at):]; !strings.HasPrefix(rest[:strings.Index(rest, "\n")], "") || !strings.Contains(rest[:strings.Index(rest, "\n")], w.msg) {
			t.Errorf("%s%s: message %q lacks %q", w.file, at[len(w.file)+1:], rest[:strings.Index(rest, "\n")], w.msg)
		}
	}
	// Each error is its path:line:col line, then the source line and the caret under it
	// (both indented), and the count comes last. Warnings (chapter blocks of the shipped
	// chapters that still compute, with their own excerpts) are not counted.
	var heads, excerpts int
	warning := false
	for _, l := range strings.Split(strings.TrimSuffix(stderr, "\n"), "\n") {
		switch {
		case strings.HasPrefix(l, "    "):
			if !warning {
				excerpts++
			}
		case strings.Contains(l, ": warning: "):
			warning = true
		default:
			warning = false
			heads++
		}
	}
	if last := fmt.Sprintf("%d errors\n", len(want)); !strings.HasSuffix(stderr, last) || heads != len(want)+1 || excerpts != 2*len(want) {
		t.Errorf("check should print exactly the %d planted errors, each with its line and caret, and %q; stderr:\n%s", len(want), last, stderr)
	}
	if strings.Contains(stderr, "bluebook: ") {
		t.Errorf("an error line carries a prefix:\n%s", stderr)
	}
}
