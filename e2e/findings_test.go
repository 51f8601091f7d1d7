package e2e

import (
	"encoding/csv"
	"html"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"bluebook/reports"
)

// indicatorSeries reads the findings' indicators per year straight from the chapters' summary
// tables, written here a second time (not read from report_indicator_values), so that a wrong
// join or a wrong year in the findings models shows as a finding that is not true of the data.
func indicatorSeries(t *testing.T, db string) map[string]map[int]float64 {
	t.Helper()
	rows := queryCSV(t, db, `
		SELECT 'stock', year, stock FROM market_summary
		UNION ALL SELECT 'new', year, new FROM market_summary
		UNION ALL SELECT 'exits', year, exits FROM market_summary
		UNION ALL SELECT 'private_share', year, private_share FROM market_summary
		UNION ALL SELECT 'appeals_received', year, received FROM appeal_kpis
		UNION ALL SELECT 'on_time_rate', year, on_time_rate FROM appeal_kpis
		UNION ALL SELECT 'closure_rate', year, closure_rate FROM appeal_kpis
		UNION ALL SELECT 'satisfaction_rate', year, satisfaction_rate FROM appeal_kpis
		UNION ALL SELECT 'rd_expense', year, rd_expense FROM innovation_summary WHERE declarations > 0
		UNION ALL SELECT 'rd_intensity', year, rd_intensity FROM innovation_summary WHERE declarations > 0
		UNION ALL SELECT 'invention_patents', year, invention_patents FROM innovation_summary WHERE declarations > 0
		UNION ALL SELECT 'donation_amount', year, total_amount FROM welfare_summary
		UNION ALL SELECT 'donors', year, donors FROM welfare_summary
		UNION ALL SELECT 'chamber_activities', year, activities FROM chamber_summary WHERE kind = '全部'
		UNION ALL SELECT 'hollow_share', year, hollow_share FROM chamber_summary WHERE kind = '全部'`)
	out := map[string]map[int]float64{}
	for _, r := range rows {
		y, _ := strconv.Atoi(r[1])
		if r[2] == "" || y < 2021 || y > 2025 {
			continue
		}
		x, err := strconv.ParseFloat(r[2], 64)
		if err != nil {
			t.Fatalf("%s %s: %q is not a number", r[0], r[1], r[2])
		}
		if out[r[0]] == nil {
			out[r[0]] = map[int]float64{}
		}
		out[r[0]][y] = x
	}
	return out
}

// shippedRules reads queries/seeds/finding_rules.csv: rule -> sentence template.
func shippedRules(t *testing.T) map[string]string {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "queries", "seeds", "finding_rules.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	out := map[string]string{}
	for _, r := range recs[1:] {
		out[r[col["rule"]]] = r[col["sentence"]]
	}
	return out
}

func near(a, b float64) bool {
	return math.Abs(a-b) <= 1e-9*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

func num(t *testing.T, s string) float64 {
	t.Helper()
	x, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("%q is not a number", s)
	}
	return x
}

func mustFormat(t *testing.T, v float64, format string) string {
	t.Helper()
	s, err := reports.Format(v, format)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestFindingsFollowTheData generates the demo under two seeds and checks that every finding
// of report_findings is true of its data — the values, the base year, the size and the words
// of its change, recomputed here from the summary tables — that the overview prints the chosen
// findings and the recommendations they select, that each chapter opens with its first two
// findings, and that the two data sets give different findings.
func TestFindingsFollowTheData(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("slow: runs on generated demo data (go test without -short runs it)")
	}
	rules := shippedRules(t)
	units := map[string]string{}
	for _, r := range queryCSVFile(t, filepath.Join("..", "queries", "seeds", "finding_indicators.csv")) {
		units[r[0]] = r[4]
	}
	chosen := map[string]string{}
	for _, seed := range []string{"11", "12"} {
		dir := filepath.Join(t.TempDir(), "demo"+seed)
		if code, _, errs := bluebook(t, "demo", "--dir", dir, "--scale", "3000", "--seed", seed, "--quiet"); code != 0 {
			t.Fatalf("demo --seed %s: %s", seed, errs)
		}
		db := filepath.Join(dir, "bluebook.duckdb")
		series := indicatorSeries(t, db)
		// 主要发现 reads in the book's order: the chapters' first findings chapter by
		// chapter, then the second ones (docs/methodology.md §10, "Choice").
		order := queryCSV(t, db, `SELECT chapter_rank, chapter FROM report_findings WHERE overview_rank IS NOT NULL ORDER BY overview_rank`)
		for i := 1; i < len(order); i++ {
			r0, _ := strconv.Atoi(order[i-1][0])
			c0, _ := strconv.Atoi(order[i-1][1])
			r1, _ := strconv.Atoi(order[i][0])
			c1, _ := strconv.Atoi(order[i][1])
			if r1 < r0 || (r1 == r0 && c1 < c0) {
				t.Errorf("seed %s: overview finding %d (chapter %d, rank %d) printed after chapter %d, rank %d", seed, i+1, c1, r1, c0, r0)
			}
		}
		rows := queryCSV(t, db, `SELECT rule, finding, indicator, format, year, value, base_year, base, change, direction,
			head, sentence, coalesce(CAST(overview_rank AS VARCHAR), '') FROM report_findings ORDER BY overview_rank NULLS LAST, rule, indicator`)
		if len(rows) < 5 {
			t.Fatalf("seed %s: only %d findings", seed, len(rows))
		}
		var overview []string
		for _, r := range rows {
			rule, kind, ind, format, sentence := r[0], r[1], r[2], r[3], r[11]
			year, _ := strconv.Atoi(r[4])
			baseYear, _ := strconv.Atoi(r[6])
			s := series[ind]
			if s == nil {
				t.Errorf("seed %s: finding %s on %s, an indicator the summary tables do not have", seed, rule, ind)
				continue
			}
			last, first := 0, 9999
			for y := range s {
				last, first = max(last, y), min(first, y)
			}
			v, b := s[year], s[baseYear]
			where := "seed " + seed + ": " + sentence
			if year != last || !near(v, num(t, r[5])) || !near(b, num(t, r[7])) {
				t.Errorf("%s: year %d value %s base %d:%s; the data have year %d value %v base %v", where, year, r[5], baseYear, r[7], last, v, b)
				continue
			}
			change := v/b - 1
			word := "change"
			if format == "pct" {
				change, word = v-b, "pp"
			}
			if !near(change, num(t, r[8])) || (change > 0) != (r[9] == "up") {
				t.Errorf("%s: change %s %s, the data give %v", where, r[8], r[9], change)
			}
			earlier := func(f func(a, b float64) bool) (int, bool) { // the extreme year before, and whether v beats it
				ext := 0
				for y, x := range s {
					if y < year && (ext == 0 || f(x, s[ext]) || (x == s[ext] && y > ext)) {
						ext = y
					}
				}
				return ext, ext != 0 && f(v, s[ext])
			}
			above := func(a, b float64) bool { return a > b }
			below := func(a, b float64) bool { return a < b }
			holds := false
			switch kind {
			case "change_1y":
				holds = baseYear == year-1
			case "change_5y":
				holds = baseYear == first && year-first >= 2
			case "record_high":
				ext, beats := earlier(above)
				holds = beats && baseYear == ext && len(s) >= 3 && strings.Contains(sentence, "以来最高")
			case "record_low":
				ext, beats := earlier(below)
				holds = beats && baseYear == ext && len(s) >= 3 && strings.Contains(sentence, "以来最低")
			case "turn_up":
				holds = baseYear == year-1 && s[year-1] < s[year-2] && v > s[year-1]
			case "turn_down":
				holds = baseYear == year-1 && s[year-1] > s[year-2] && v < s[year-1]
			case "from_peak":
				ext, _ := earlier(above)
				holds = baseYear == ext && v < b
			default:
				t.Errorf("%s: unknown finding kind %s", where, kind)
			}
			if !holds {
				t.Errorf("%s: the %s finding does not hold for %s: %v", where, kind, ind, s)
			}
			tmpl := rules[rule]
			if tmpl == "" {
				t.Errorf("%s: rule %s is not in the shipped seed", where, rule)
				continue
			}
			unit := units[ind]
			want := map[string]string{
				"{value}":  mustFormat(t, v, format) + unit,
				"{base}":   mustFormat(t, b, format) + unit,
				"{change}": mustFormat(t, change, word),
				"{year}":   strconv.Itoa(year),
			}
			if format != "count" {
				want["{value}"], want["{base}"] = mustFormat(t, v, format), mustFormat(t, b, format)
			}
			for ph, text := range want {
				if strings.Contains(tmpl, ph) && !strings.Contains(sentence, text) {
					t.Errorf("%s: lacks %s = %q", where, ph, text)
				}
			}
			if r[12] != "" {
				overview = append(overview, sentence)
			}
		}
		if len(overview) == 0 {
			t.Fatalf("seed %s: no finding chosen for the overview", seed)
		}
		page, err := os.ReadFile(filepath.Join(dir, "site", "00_overview.html"))
		if err != nil {
			t.Fatal(err)
		}
		text := html.UnescapeString(regexp.MustCompile(`<[^>]*>`).ReplaceAllString(string(page), ""))
		for _, s := range overview {
			if !strings.Contains(text, s) {
				t.Errorf("seed %s: the overview lacks its finding %q", seed, s)
			}
		}
		for _, r := range queryCSV(t, db, "SELECT title, text FROM report_recommendations ORDER BY rank") {
			if !strings.Contains(text, r[0]+"。 "+r[1]) && !strings.Contains(text, r[0]+"。"+r[1]) {
				t.Errorf("seed %s: the overview lacks the recommendation %s", seed, r[0])
			}
		}
		// Each chapter opens with its first findings.
		stems := map[string]string{"1": "01_market", "2": "02_appeals", "3": "03_innovation", "4": "04_welfare", "5": "05_chambers"}
		for _, r := range queryCSV(t, db, "SELECT chapter, sentence FROM report_findings WHERE chapter_rank <= 2") {
			page, err := os.ReadFile(filepath.Join(dir, "site", stems[r[0]]+".html"))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(page), html.EscapeString(r[1])) {
				t.Errorf("seed %s: %s lacks its finding %q", seed, stems[r[0]], r[1])
			}
		}
		// The donations' fall from their peak (the demo plants one) heads the welfare paragraph.
		if d := series["donation_amount"]; d != nil {
			peak := 0.0
			for y, x := range d {
				if y < 2025 {
					peak = math.Max(peak, x)
				}
			}
			if d[2025] < 0.7*peak && !strings.Contains(text, "已核实公益捐赠额较") {
				t.Errorf("seed %s: donations fell from %v to %v but no heading says so", seed, peak, d[2025])
			}
		}
		chosen[seed] = strings.Join(overview, "\n")
	}
	if chosen["11"] == chosen["12"] {
		t.Errorf("two seeds gave the same findings:\n%s", chosen["11"])
	}
}

// queryCSVFile reads a CSV file's records without its header.
func queryCSVFile(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs[1:]
}

// TestFindingSeedsChecked: an unknown indicator, finding kind or placeholder in the findings
// seeds fails `check` at the file, line and column of the cell.
func TestFindingSeedsChecked(t *testing.T) {
	t.Parallel()
	proj := filepath.Join(t.TempDir(), "proj")
	if code, _, errs := bluebook(t, "init", "--project", proj); code != exitOK {
		t.Fatal(errs)
	}
	edit := func(name string, f func(lines []string)) {
		p := filepath.Join(proj, "queries", "seeds", name)
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(string(b), "\n")
		f(lines)
		if err := os.WriteFile(p, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	edit("finding_rules.csv", func(l []string) {
		l[2] = strings.Replace(l[2], ",*,", ",on_tme_rate,", 1)
		l[3] = strings.Replace(l[3], "{prev_change}", "{prev_chg}", 1)
		l[4] = strings.Replace(l[4], "turn_down,", "turn_dwn,", 1)
	})
	edit("recommendations.csv", func(l []string) { l[1] = "stocks," + strings.SplitN(l[1], ",", 2)[1] })
	code, _, stderr := bluebook(t, "check", "--project", proj)
	if code != exitFailed {
		t.Fatalf("check: exit %d, want %d\n%s", code, exitFailed, stderr)
	}
	for _, want := range []string{
		`queries/seeds/finding_rules.csv:3:21: unknown indicator "on_tme_rate": it must be * or an indicator of queries/seeds/finding_indicators.csv; did you mean "on_time_rate"?`,
		`queries/seeds/finding_rules.csv:4:`, `unknown placeholder {prev_chg}`,
		`queries/seeds/finding_rules.csv:5:`, `finding "turn_dwn" is not one of`,
		`queries/seeds/recommendations.csv:2:1: unknown indicator "stocks"`,
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("check output lacks %q:\n%s", want, stderr)
		}
	}
}
