package e2e

import (
	"bytes"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestRunOnHandMadeFixture runs every stage on testdata/mini and checks answers counted by
// hand from its files (see testdata/README.md).
func TestRunOnHandMadeFixture(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := filepath.Join(dir, "bb.duckdb")
	site := filepath.Join(dir, "site")
	args := []string{"run", "--data", "testdata/mini", "--db", db, "--out", site, "--as-of", "2026-03-01", "--year", "2025"}

	// One registry row of eight is rejected (12.5 %), above the default 5 % threshold.
	code, _, errs := bluebook(t, args...)
	if code != exitFailed || !strings.Contains(errs, "registry") {
		t.Fatalf("exit %d, want %d with a message naming registry; stderr:\n%s", code, exitFailed, errs)
	}
	code, out, errs := bluebook(t, append(args, "--max-reject-share", "0.2")...)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if want := filepath.Join(site, "index.html"); !strings.Contains(out, want) {
		t.Errorf("stdout %q does not name %s", out, want)
	}

	// 个体: 丙商店, 丁餐馆, 戊修理.
	if got := queryCSV(t, db, "SELECT count(*) AS n FROM registry WHERE ownership = '个体'"); got[0][0] != "3" {
		t.Errorf("个体 count = %v, want 3", got)
	}
	// The malformed code BADCODE on line 9 is rejected as bad_uscc.
	if got := queryCSV(t, db, "SELECT file, line, column_name, rule FROM rejects"); len(got) != 1 ||
		strings.Join(got[0], " ") != "registry/registry.csv 9 uscc bad_uscc" {
		t.Errorf("rejects = %v, want [registry/registry.csv 9 uscc bad_uscc]", got)
	}
	// 2025 at C = 2025-12-31: alive private = 甲 乙 丙 戊 庚 (丁 left 2025-04-01, 己 is 国有) → 5;
	// new = 丙 戊 庚 → 3; exits = 丁 → 1; net 2; stock 2024 = 甲 乙 丁 → 3, growth 5/3 − 1;
	// all alive = 5 + 己 = 6, share 5/6.
	got := queryCSV(t, db, "SELECT stock, new, exits, net, round(growth, 6), round(private_share, 6) FROM market_summary WHERE year = 2025")
	if want := "5 3 1 2 0.666667 0.833333"; len(got) != 1 || strings.Join(got[0], " ") != want {
		t.Errorf("market_summary 2025 = %v, want %s", got, want)
	}
	// A1 (2025-03-03, deadline 2025-03-24) answered 03-10: on time; A2 (2025-09-26, deadline
	// 2025-10-23) answered 10-24: late; A3 is not common. Rate 1/2.
	got = queryCSV(t, db, "SELECT received, common_on_time, common_due, on_time_rate FROM appeal_kpis WHERE year = 2025")
	if want := "3 1 2 0.5"; len(got) != 1 || strings.Join(got[0], " ") != want {
		t.Errorf("appeal_kpis 2025 = %v, want %s", got, want)
	}

	// json and table formats answer too.
	code, out, _ = bluebook(t, "query", "--db", db, "--format", "json", "SELECT count(*) AS n FROM appeals")
	if code != 0 || !strings.Contains(out, `"n": 3`) {
		t.Errorf("json query: exit %d, output %s", code, out)
	}
	code, _, errs = bluebook(t, "query", "--db", db, "SELECT * FROM nosuch")
	if code != exitFailed || !strings.Contains(errs, "nosuch") {
		t.Errorf("bad query: exit %d, stderr %s", code, errs)
	}
}

func TestUsageErrors(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"nosuch"},
		{"run", "--data", "testdata/mini"},
		{"query", "--db", "nowhere.duckdb", "SELECT 1"},
		{"run", "--data", "testdata/mini", "--db", "x.duckdb", "--out", "x", "--as-of", "2026/03/01"},
		{"generate"},
	} {
		code, _, errs := bluebook(t, args...)
		if code != exitUsage {
			t.Errorf("%v: exit %d, want %d; stderr %s", args, code, exitUsage, errs)
		}
	}
	if code, out, _ := bluebook(t, "version"); code != 0 || !strings.HasPrefix(out, "bluebook ") {
		t.Errorf("version: %d %q", code, out)
	}
	if code, _, _ := bluebook(t, "run", "--help"); code != 0 {
		t.Errorf("run --help: exit %d", code)
	}
}

var chartDiv = regexp.MustCompile(`<div class="chart" id="`)

// TestDemoInBrowser runs a small demo and opens the report in headless Chromium with the
// network unreachable: charts must be drawn and no script may fail.
func TestDemoInBrowser(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("slow: runs on generated demo data (go test without -short runs it)")
	}
	dir := t.TempDir()
	code, out, errs := bluebook(t, "demo", "--dir", dir, "--scale", "2000")
	if code != exitOK {
		t.Fatalf("demo: exit %d\n%s", code, errs)
	}
	index := strings.TrimSpace(out)
	if index != filepath.Join(dir, "site", "index.html") {
		t.Fatalf("demo printed %q", out)
	}
	pages, _ := filepath.Glob(filepath.Join(dir, "site", "*.html"))
	// The single file must work alone: nothing fetched, every chart drawn.
	pages = append(pages, filepath.Join(dir, "bluebook.html"))
	if len(pages) < 3 {
		t.Fatalf("site has %d pages: %v", len(pages), pages)
	}
	charts := 0
	for _, p := range pages {
		b, _ := os.ReadFile(p)
		html := string(b)
		if !strings.Contains(html, "演示数据") {
			t.Errorf("%s does not say the data are demo data", p)
		}
		if regexp.MustCompile(`(?i)<(script|link|img)[^>]+(src|href)="https?:`).MatchString(html) {
			t.Errorf("%s loads something from the network", p)
		}
		charts += len(chartDiv.FindAllString(html, -1))
	}
	if charts < 3 {
		t.Errorf("the site has %d charts, want at least 3", charts)
	}
	chromium := findChromium(t)
	for _, p := range pages {
		dom, console := renderInChromium(t, chromium, p)
		want := len(chartDiv.FindAllString(dom, -1))
		if got := strings.Count(dom, "<svg"); got < want {
			t.Errorf("%s: %d of %d charts were drawn", filepath.Base(p), got, want)
		}
		if console != "" {
			t.Errorf("%s: console errors:\n%s", filepath.Base(p), console)
		}
	}
}

// findChromium returns the Chromium binary; without one the test is skipped, except under
// CI, where it fails (scripts/setup.sh installs it).
func findChromium(t *testing.T) string {
	t.Helper()
	for _, name := range chromiumNames {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium is not installed; scripts/setup.sh installs it (apt-get install chromium fonts-wqy-zenhei)")
	}
	t.Skip("chromium is not installed: apt-get install chromium fonts-wqy-zenhei")
	return ""
}

// renderInChromium loads page offline (every host resolves nowhere), lets its scripts run,
// and returns the resulting DOM and any console errors or failed loads.
func renderInChromium(t *testing.T, chromium, page string) (dom, consoleErrors string) {
	t.Helper()
	netlog := filepath.Join(t.TempDir(), "netlog.json")
	cmd := exec.Command(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--no-first-run", "--user-data-dir="+t.TempDir(),
		"--host-resolver-rules=MAP * ~NOTFOUND", "--enable-logging=stderr", "--v=0", "--log-net-log="+netlog,
		"--virtual-time-budget=5000", "--dump-dom", "file://"+page)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %s: %v\n%s", page, err, errb.String())
	}
	var bad []string
	for _, line := range strings.Split(errb.String(), "\n") {
		if strings.Contains(line, "CONSOLE") && (strings.Contains(line, "Uncaught") || strings.Contains(line, "Error") || strings.Contains(line, "Failed to load")) {
			bad = append(bad, line)
		}
	}
	// Every request the page made to the network, Chromium's own housekeeping aside.
	log, _ := os.ReadFile(netlog)
	for _, m := range netURL.FindAllStringSubmatch(string(log), -1) {
		if !chromiumOwnHost.MatchString(m[2]) {
			bad = append(bad, "network request: "+m[1])
		}
	}
	return out.String(), strings.Join(bad, "\n")
}

var (
	netURL          = regexp.MustCompile(`"url":"(https?://([^/:"]+)[^"]*)"`)
	chromiumOwnHost = regexp.MustCompile(`(^|\.)(google\.com|googleapis\.com|gvt1\.com|gstatic\.com|googleusercontent\.com)$`)
)

// TestConfigValidation: an unknown key, a wrong type or a missing data folder fails at
// once with exit code 2 and a message naming the key or the path.
func TestConfigValidation(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cases := []struct{ toml, want string }{
		{"city = \"示例市\"\nmax_reject = 0.1\n", `unknown key max_reject`},
		{"year = \"2025\"\n", `(last key "year"): incompatible types`},
		{"max_reject_share = 2.0\n", `max_reject_share must be between 0 and 1`},
		{"[encoding]\nregistry = \"latin1\"\n", `encoding.registry = "latin1"`},
		{"[[districts]]\ncode = \"9901\"\nname = \"x\"\n", `districts[0]: code must be 6 digits`},
		{"[params]\n\"bad-name\" = 1\n", `params.bad-name`},
	}
	for i, c := range cases {
		path := filepath.Join(dir, fmt.Sprintf("c%d.toml", i))
		os.WriteFile(path, []byte(c.toml), 0o644)
		code, _, errs := bluebook(t, "run", "--config", path, "--data", "testdata/mini", "--db", filepath.Join(dir, "x.duckdb"), "--out", filepath.Join(dir, "site"))
		if code != exitUsage || !strings.Contains(errs, c.want) {
			t.Errorf("config %q: exit %d, stderr %q; want exit %d naming %q", c.toml, code, errs, exitUsage, c.want)
		}
	}
	code, _, errs := bluebook(t, "run", "--data", filepath.Join(dir, "nowhere"), "--db", filepath.Join(dir, "x.duckdb"), "--out", filepath.Join(dir, "site"))
	if code != exitUsage || !strings.Contains(errs, "nowhere") {
		t.Errorf("missing data folder: exit %d, stderr %q", code, errs)
	}
}

// TestCalendarGap: an appeal in a year the working-day calendar does not cover fails the
// run with a message naming the year and the file to extend; the deadline is never guessed.
func TestCalendarGap(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	if err := copyDir("testdata/mini", data); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(filepath.Join(data, "appeals", "appeals.csv"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("A4,91990102MA00000A1P,2027-01-11 09:00,税费,是,,,\n")
	f.Close()
	code, _, errs := bluebook(t, "run", "--data", data, "--db", filepath.Join(dir, "bb.duckdb"), "--out", filepath.Join(dir, "site"),
		"--as-of", "2027-02-01", "--year", "2026", "--max-reject-share", "0.2")
	if code != exitFailed || !strings.Contains(errs, "no official holidays for 2027") || !strings.Contains(errs, "cn_holidays.csv") {
		t.Errorf("exit %d, stderr %q; want a failure naming 2027 and cn_holidays.csv", code, errs)
	}
}

// TestLineage: the lineage of the repository's own queries, in each format.
func TestLineage(t *testing.T) {
	t.Parallel()
	code, out, errs := bluebook(t, "lineage", "--project", "..", "--format", "mermaid")
	if code != 0 {
		t.Fatalf("lineage: %s", errs)
	}
	for _, edge := range []string{"market_cube --> market_summary", "registry --> market_entities", "innovation_indicators --> innovation_points", "workdays --> appeal_deadlines"} {
		if !strings.Contains(out, edge) {
			t.Errorf("mermaid lineage lacks %q", edge)
		}
	}
	if code, out, _ := bluebook(t, "lineage", "--project", "..", "--format", "dot"); code != 0 || !strings.Contains(out, `"market_cube" -> "market_summary";`) {
		t.Errorf("dot lineage: exit %d\n%s", code, out)
	}
	if code, out, _ := bluebook(t, "lineage", "--project", ".."); code != 0 || !strings.Contains(out, "market_summary (table, queries/market/market_summary.sql)") {
		t.Errorf("text lineage: exit %d\n%s", code, out)
	}
}

// lineageText reads the text lineage: each node printed with its own line, and what it reads.
func lineageText(t *testing.T, out string) map[string][]string {
	t.Helper()
	g := map[string][]string{}
	last := ""
	for _, l := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
		if dep, ok := strings.CutPrefix(l, "  <- "); ok {
			g[last] = append(g[last], strings.SplitN(dep, " [", 2)[0])
			continue
		}
		last = l[:strings.Index(l, " (")] // a path may hold " (": (built-in reports)/…
		if _, dup := g[last]; dup {
			t.Errorf("lineage prints %s twice", last)
		}
		g[last] = nil
	}
	return g
}

// TestLineageChaptersAndChecks: the lineage of the shipped project (the repository's
// queries/ and reports/) holds its checks and
// chapters (which chapter shows which model, as dbt's exposures), and lineage --select
// reads build's selection syntax: market_summary+ is the model with everything
// downstream of it (models, checks, chapters), +chapter:01_market what the chapter is
// built from.
func TestLineageChaptersAndChecks(t *testing.T) {
	t.Parallel()
	code, out, errs := bluebook(t, "lineage", "--project", "..")
	if code != exitOK {
		t.Fatalf("lineage: exit %d: %s", code, errs)
	}
	g := lineageText(t, out)
	for node, want := range map[string]string{
		"chapter:01_market":                          "market_summary",
		"chapter:00_overview":                        "market_summary",
		"check:market_summary.unique(year)":          "market_summary",
		"check:market_summary.not_null(year, stock)": "market_summary",
		"check:appeal_lexicon_entries":               "appeal_lexicon",
		"market_summary":                             "market_cube",
	} {
		if !slices.Contains(g[node], want) {
			t.Errorf("lineage: %s reads %q, want %s among them", node, g[node], want)
		}
	}
	if !strings.Contains(out, "\nchapter:01_market (chapter, ") || !strings.Contains(out, "\ncheck:market_summary.unique(year) (check, error, ") {
		t.Errorf("lineage does not say what a chapter and a check are:\n%s", out)
	}
	// What market_summary+ must hold, worked out from the whole graph.
	want := map[string]bool{"market_summary": true}
	for grew := true; grew; {
		grew = false
		for node, deps := range g {
			for _, d := range deps {
				if want[d] && !want[node] {
					want[node], grew = true, true
				}
			}
		}
	}
	code, out, errs = bluebook(t, "lineage", "--project", "..", "--select", "market_summary+")
	if code != exitOK {
		t.Fatalf("lineage --select market_summary+: exit %d: %s", code, errs)
	}
	sel := lineageText(t, out)
	got := map[string]bool{}
	for k := range sel {
		got[k] = true
	}
	if !maps.Equal(got, want) {
		t.Errorf("lineage --select market_summary+ lists %v, want %v", slices.Sorted(maps.Keys(sel)), slices.Sorted(maps.Keys(want)))
	}
	for _, n := range []string{"chapter:01_market", "check:market_summary.unique(year)"} {
		if _, ok := sel[n]; !ok {
			t.Errorf("lineage --select market_summary+ lacks %s", n)
		}
	}
	code, out, errs = bluebook(t, "lineage", "--project", "..", "--select", "+chapter:01_market,appeal_kpis")
	if code != exitOK {
		t.Fatalf("lineage --select +chapter:01_market: exit %d: %s", code, errs)
	}
	sel = lineageText(t, out)
	for _, n := range []string{"chapter:01_market", "market_summary", "market_cube", "market_entities", "appeal_kpis"} {
		if _, ok := sel[n]; !ok {
			t.Errorf("lineage --select +chapter:01_market,appeal_kpis lacks %s:\n%s", n, out)
		}
	}
	// What it must hold: the chapter, what it reads at any depth, and appeal_kpis alone.
	want = map[string]bool{}
	var up func(n string)
	up = func(n string) {
		if _, printed := g[n]; printed && !want[n] {
			want[n] = true
			for _, d := range g[n] {
				up(d)
			}
		}
	}
	up("chapter:01_market")
	want["appeal_kpis"] = true
	got = map[string]bool{}
	for k := range sel {
		got[k] = true
	}
	if !maps.Equal(got, want) || got["chapter:02_appeals"] {
		t.Errorf("lineage --select +chapter:01_market,appeal_kpis lists %v, want %v", slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(want)))
	}
	code, out, _ = bluebook(t, "lineage", "--project", "..", "--select", "market_summary+", "--format", "mermaid")
	if code != exitOK || !strings.Contains(out, "market_summary --> chapter_01_market\n") || !strings.Contains(out, `chapter_01_market{{"chapter:01_market"}}`) {
		t.Errorf("mermaid lineage --select market_summary+: exit %d\n%s", code, out)
	}
	if code, _, errs := bluebook(t, "lineage", "--project", "..", "--select", "market_sumary+"); code != exitUsage || !strings.Contains(errs, `no model, seed, source, check or chapter named "market_sumary"`) || !strings.Contains(errs, `did you mean "market_summary"?`) {
		t.Errorf("lineage --select of a misspelled model: exit %d, stderr %s", code, errs)
	}
}

// TestLargeAmounts: amounts near the top of DECIMAL(18,6) (a 150亿元 R&D budget) build
// without overflow; the bug showed at 10^7 registry rows.
func TestLargeAmounts(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	if err := copyDir("testdata/mini", data); err != nil {
		t.Fatal(err)
	}
	inn := filepath.Join(data, "innovation", "innovation.csv")
	b, _ := os.ReadFile(inn)
	os.WriteFile(inn, []byte(strings.Replace(string(b), ",2025,300,3000,", ",2025,1500000.123456,30000000,", 1)), 0o644)
	db := filepath.Join(dir, "bb.duckdb")
	code, _, errs := bluebook(t, "run", "--data", data, "--db", db, "--out", filepath.Join(dir, "site"), "--as-of", "2026-03-01", "--year", "2025", "--max-reject-share", "0.2")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if got := queryCSV(t, db, "SELECT round(intensity, 9) FROM rd_intensity_ranking WHERE year = 2025 AND uscc = '91990102MA00000A1P'"); got[0][0] != "0.050000004" {
		t.Errorf("intensity = %v, want 1500000.123456 / 30000000 = 0.050000004", got)
	}
}
