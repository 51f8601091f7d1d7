package pipeline

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"bluebook/reports"
)

// testDB opens a fresh in-memory DuckDB with a small source table t(x, name).
func testDB(t *testing.T) *sql.DB {
	t.Helper()
	db, err := openDB(context.Background(), "", Config{Year: 2025, AsOf: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)}, false)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Exec(`CREATE TABLE t AS SELECT * FROM (VALUES (1, 'a'), (2, 'b'), (3, NULL)) v(x, name)`); err != nil {
		t.Fatal(err)
	}
	return db
}

func loadResolve(t *testing.T, db *sql.DB, files fstest.MapFS) (*Project, error) {
	t.Helper()
	p, err := LoadProject(files, "queries")
	if err != nil {
		return nil, err
	}
	known, err := existingTables(context.Background(), db, p)
	if err != nil {
		t.Fatal(err)
	}
	return p, p.Resolve(context.Background(), db, known)
}

func file(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }

// TestModelErrors pins the exact path:line:col of the mistakes analysts make most.
func TestModelErrors(t *testing.T) {
	cases := []struct {
		name  string
		files fstest.MapFS
		build bool
		want  string
	}{
		{
			name:  "syntax error",
			files: fstest.MapFS{"market/a.sql": file("-- description: a\nSELECT 1,\n  FROM FROM t\n")},
			want:  `queries/market/a.sql:3:8: syntax error at or near "FROM"`,
		},
		{
			name:  "unknown column",
			files: fstest.MapFS{"b.sql": file("-- description: b\nSELECT\n  x,\n  nocol\nFROM t\n")},
			build: true,
			want:  `queries/b.sql:4:3: Binder Error: Referenced column "nocol" not found in FROM clause!`,
		},
		{
			name:  "unknown column after Chinese text on the same line",
			files: fstest.MapFS{"b2.sql": file("SELECT '民营经济' AS 名称, nocol FROM t\n")},
			build: true,
			want:  `queries/b2.sql:1:22: Binder Error: Referenced column "nocol" not found in FROM clause!`,
		},
		{
			name:  "unknown column on a long line DuckDB shortens",
			files: fstest.MapFS{"b3.sql": file("-- description: wide\nSELECT '民营经济' AS 名称, " + strings.Repeat("x, ", 40) + "nocol, " + strings.Repeat("x, ", 40) + "x FROM t\n")},
			build: true,
			want:  `queries/b3.sql:2:142: Binder Error: Referenced column "nocol" not found in FROM clause!`,
		},
		{
			name:  "unknown table",
			files: fstest.MapFS{"c.sql": file("-- description: c\nSELECT *\nFROM t\nJOIN nosuch USING (x)\n")},
			want:  `queries/c.sql:4:6: unknown table "nosuch": it is not a model in queries/, a seed in queries/seeds/ or a source table`,
		},
		{
			name:  "unknown table close to a model",
			files: fstest.MapFS{"market_summary.sql": file("SELECT 1 AS x\n"), "d.sql": file("SELECT * FROM market_sumary\n")},
			want:  `queries/d.sql:1:15: unknown table "market_sumary": it is not a model in queries/, a seed in queries/seeds/ or a source table; did you mean "market_summary"?`,
		},
		{
			name:  "cycle",
			files: fstest.MapFS{"a.sql": file("SELECT * FROM b\n"), "b.sql": file("SELECT * FROM c\n"), "c.sql": file("SELECT * FROM a\n")},
			want:  `queries/a.sql:1:15: dependency cycle: a -> b -> c -> a`,
		},
		{
			name:  "bad file name",
			files: fstest.MapFS{"Market-Summary.sql": file("SELECT 1\n")},
			want:  `queries/Market-Summary.sql:1:1: model name "Market-Summary" is not a valid table name`,
		},
		{
			name:  "two files with one stem",
			files: fstest.MapFS{"a/x.sql": file("SELECT 1\n"), "b/x.sql": file("SELECT 2\n")},
			want:  `queries/b/x.sql:1:1: table "x" is already defined by queries/a/x.sql`,
		},
		{
			name:  "not a select",
			files: fstest.MapFS{"e.sql": file("INSERT INTO t VALUES (4, 'd')\n")},
			want:  `queries/e.sql:1:1: a model must be a single SELECT`,
		},
		{
			name:  "bad header",
			files: fstest.MapFS{"f.sql": file("-- materialize: tabel\nSELECT 1\n")},
			want:  `queries/f.sql:1:17: materialize must be table or view, not "tabel"`,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			db := testDB(t)
			p, err := loadResolve(t, db, c.files)
			if err == nil && c.build {
				_, err = buildModels(context.Background(), db, p.Models, nil)
			}
			if err == nil {
				t.Fatalf("no error; want %s", c.want)
			}
			if !strings.HasPrefix(err.Error(), c.want) {
				t.Errorf("error\n got: %s\nwant: %s", err, c.want)
			}
		})
	}
}

func TestDependencyOrderSelectAndChecks(t *testing.T) {
	ctx := context.Background()
	db := testDB(t)
	files := fstest.MapFS{
		"z_base.sql":   file("-- materialize: view\n-- check: not_null(x)\nSELECT x FROM t\n"),
		"m_mid.sql":    file("-- check: unique(y)\nWITH q AS (SELECT x FROM z_base) SELECT x * 2 AS y FROM q\n"),
		"a_top.sql":    file("-- check: accepted_values(s, '12') warn\nSELECT sum(y) * max(weight) AS s FROM m_mid, w\n"),
		"other.sql":    file("-- check: not_null(name)\nSELECT name FROM t\n"),
		"rel.sql":      file("-- check: relationships(x, t.x)\nSELECT x FROM t\n"),
		"seeds/w.csv":  file("code,weight\nt1,2\n"),
		"README.md":    file("notes\n"),
		"checks/c.sql": file("-- severity: warn\n-- description: names are present\nSELECT * FROM t WHERE name IS NULL\n"),
	}
	p, err := LoadProject(files, "queries")
	if err != nil {
		t.Fatal(err)
	}
	if err := loadSeeds(ctx, db, p); err != nil {
		t.Fatal(err)
	}
	known, err := existingTables(ctx, db, p)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Resolve(ctx, db, known); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(p.Model("m_mid").Deps, ","); got != "z_base" {
		t.Errorf("m_mid deps = %q, want z_base (the CTE q is not a dependency)", got)
	}
	if got := strings.Join(p.Model("a_top").Deps, ","); got != "m_mid,w" {
		t.Errorf("a_top deps = %q, want m_mid,w", got)
	}
	pos := map[string]int{}
	for i, m := range p.Models {
		pos[m.Name] = i
	}
	if !(pos["z_base"] < pos["m_mid"] && pos["m_mid"] < pos["a_top"]) {
		t.Errorf("order %v does not follow dependencies", pos)
	}
	for spec, want := range map[string]string{
		"m_mid":         "m_mid",
		"m_mid+":        "m_mid a_top",
		"+m_mid":        "z_base m_mid",
		"z_base+":       "z_base m_mid a_top",
		"other, +a_top": "z_base m_mid a_top other",
	} {
		ms, err := p.Select(spec)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, m := range ms {
			names = append(names, m.Name)
		}
		if got := strings.Join(names, " "); got != want && !sameSet(got, want) {
			t.Errorf("Select(%q) = %q, want %q", spec, got, want)
		}
	}
	if _, err := p.Select("nosuch+"); err == nil {
		t.Error("Select of an unknown model should fail")
	}
	runs, err := buildModels(ctx, db, p.Models, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range runs {
		if r.Name == "m_mid" && r.Rows != 3 {
			t.Errorf("m_mid rows = %d, want 3", r.Rows)
		}
	}
	var s float64
	if err := db.QueryRow("SELECT s FROM a_top").Scan(&s); err != nil || s != 24 {
		t.Errorf("a_top.s = %v (%v), want (2+4+6)*2 = 24", s, err)
	}
	res, err := runChecks(ctx, db, p, "run-1", nil)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, r := range res {
		got[r.Name] = r.Status + "/" + r.Severity
	}
	want := map[string]string{
		"z_base.not_null(x)":             "pass/error",
		"m_mid.unique(y)":                "pass/error",
		"a_top.accepted_values(s, '12')": "fail/warn",
		"other.not_null(name)":           "fail/error",
		"c":                              "fail/warn",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("check %s = %q, want %q (all: %v)", k, got[k], v, got)
		}
	}
	var n int
	if err := db.QueryRow("SELECT count(*) FROM check_results WHERE run_id = 'run-1' AND status = 'fail'").Scan(&n); err != nil || n != 3 {
		t.Errorf("check_results failures = %d (%v), want 3", n, err)
	}

	// With the models' input keys: a check that passed with the same key in the last run
	// that recorded keys is kept; a failed one, a custom one, a relationships one (it reads
	// a second table), one whose key changed, or any after a run without keys (run-1) runs.
	keys := map[string]string{"z_base": "k1", "m_mid": "k1", "a_top": "k1", "other": "k1", "rel": "k1"}
	kept := func(runID string, keys map[string]string) string {
		t.Helper()
		res, err := runChecks(ctx, db, p, runID, keys)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, r := range res {
			if r.Kept {
				out = append(out, r.Name)
			}
		}
		sort.Strings(out)
		return strings.Join(out, " ")
	}
	if got := kept("run-2", keys); got != "" {
		t.Errorf("run-2 (the run before had no keys) kept %q, want none", got)
	}
	if got := kept("run-3", keys); got != "m_mid.unique(y) z_base.not_null(x)" {
		t.Errorf("run-3 kept %q, want the two checks that passed", got)
	}
	// x gets a NULL, and z_base's key says so: its check runs, fails, and is not kept next time.
	if _, err := db.Exec("INSERT INTO t (x, name) VALUES (NULL, 'n')"); err != nil {
		t.Fatal(err)
	}
	keys["z_base"], keys["m_mid"] = "k2", "k2"
	if got := kept("run-4", keys); got != "" {
		t.Errorf("run-4 (keys changed) kept %q, want none", got)
	}
	if err := db.QueryRow("SELECT count(*) FROM check_results WHERE run_id = 'run-4' AND name = 'z_base.not_null(x)' AND status = 'fail' AND input_key = 'k2'").Scan(&n); err != nil || n != 1 {
		t.Errorf("run-4: z_base.not_null(x) failing with key k2 recorded %d times (%v), want 1", n, err)
	}
	if got := kept("run-5", keys); got != "m_mid.unique(y)" {
		t.Errorf("run-5 kept %q, want m_mid.unique(y) alone (it passed with k2; z_base's check failed)", got)
	}
}

func sameSet(a, b string) bool {
	fa, fb := strings.Fields(a), strings.Fields(b)
	if len(fa) != len(fb) {
		return false
	}
	m := map[string]int{}
	for _, x := range fa {
		m[x]++
	}
	for _, x := range fb {
		m[x]--
	}
	for _, v := range m {
		if v != 0 {
			return false
		}
	}
	return true
}

func TestModelBuildFailureKeepsPreviousTables(t *testing.T) {
	ctx := context.Background()
	db := testDB(t)
	good := fstest.MapFS{"a.sql": file("SELECT 1 AS v\n"), "b.sql": file("SELECT v + 1 AS w FROM a\n")}
	p, err := loadResolve(t, db, good)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := buildModels(ctx, db, p.Models, nil); err != nil {
		t.Fatal(err)
	}
	bad := fstest.MapFS{"a.sql": file("SELECT 10 AS v\n"), "b.sql": file("SELECT v + nosuch AS w FROM a\n")}
	p, err = loadResolve(t, db, bad)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := buildModels(ctx, db, p.Models, nil); err == nil {
		t.Fatal("expected the build to fail")
	}
	var v int
	if err := db.QueryRow("SELECT v FROM a").Scan(&v); err != nil || v != 1 {
		t.Errorf("a.v = %d (%v): a failed build must leave the previous tables", v, err)
	}
}

// TestMemoryLimit: DuckDB gets half the RAM unless memory_limit is configured.
func TestMemoryLimit(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct{ limit, want string }{{"", ""}, {"3GB", "2.7 GiB"}} {
		db, err := openDB(ctx, "", Config{MemoryLimit: c.limit}, false)
		if err != nil {
			t.Fatal(err)
		}
		var got string
		db.QueryRow("SELECT current_setting('memory_limit')").Scan(&got)
		db.Close()
		if c.want != "" && got != c.want {
			t.Errorf("memory_limit %q: DuckDB has %s, want %s", c.limit, got, c.want)
		}
		if c.want == "" && totalRAM() > 0 {
			half := float64(totalRAM()) / 2 / (1 << 30)
			var gib float64
			fmt.Sscanf(got, "%f GiB", &gib)
			if gib < half*0.95 || gib > half*1.05 {
				t.Errorf("default memory_limit = %s, want about %.1f GiB (half the RAM)", got, half)
			}
		}
	}
}

// TestCheckReportsEveryErrorAtOnce: `bluebook check` prints the parse and reference errors
// of some files and the binder errors of the others in one pass.
func TestCheckReportsEveryErrorAtOnce(t *testing.T) {
	cfg := Config{Year: 2025, AsOf: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), QueriesDir: "queries", ReportsDir: "reports",
		Reports: reports.DefaultFS(),
		Queries: fstest.MapFS{
			"a.sql":       file("SELECT 1 AS a,\n  FROM FROM registry\n"),
			"b.sql":       file("SELECT uscc,\n  nosuch\nFROM registry\n"),
			"c.sql":       file("SELECT * FROM registy\n"),
			"d.sql":       file("SELECT count(*) AS n FROM appeals\n"),
			"e_after.sql": file("SELECT n FROM d\n"),
		}}
	_, err := Check(context.Background(), cfg)
	if err == nil {
		t.Fatal("no error")
	}
	got := err.Error()
	for _, want := range []string{
		`queries/a.sql:2:8: syntax error at or near "FROM"`,
		`queries/b.sql:2:3: Binder Error: Referenced column "nosuch" not found`,
		`queries/c.sql:1:15: unknown table "registy"`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("check output lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "d.sql") || strings.Contains(got, "e_after.sql") {
		t.Errorf("check reports a correct model:\n%s", got)
	}
}

// TestFingerprintInputs: the run's fingerprint changes with a chapter, a query or the
// version, and not with npm's packages under reports/node_modules (the ECharts used is the
// one built into bluebook).
func TestFingerprintInputs(t *testing.T) {
	base := func() Config {
		return Config{
			DataDir: t.TempDir(), Version: "v1", Year: 2025,
			Queries: fstest.MapFS{"models/a.sql": file("SELECT 1 AS x\n")},
			Reports: fstest.MapFS{"chapters/01.md": file("# 一\n"), "node_modules/echarts/package.json": file(`{"version": "5.6.0"}`)},
		}
	}
	fp := func(cfg Config) string {
		t.Helper()
		s, err := fingerprint(cfg)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	want := fp(base())
	npm := base()
	npm.Reports.(fstest.MapFS)["node_modules/echarts/package.json"] = file(`{"version": "5.6.1"}`)
	if fp(npm) != want {
		t.Error("a change under reports/node_modules changed the fingerprint")
	}
	for name, change := range map[string]func(*Config){
		"chapter": func(c *Config) { c.Reports.(fstest.MapFS)["chapters/01.md"] = file("# 二\n") },
		"query":   func(c *Config) { c.Queries.(fstest.MapFS)["models/a.sql"] = file("SELECT 2 AS x\n") },
		"version": func(c *Config) { c.Version = "v2" },
	} {
		c := base()
		change(&c)
		if fp(c) == want {
			t.Errorf("a changed %s left the fingerprint as it was", name)
		}
	}
}

// TestViewPinsVariables: a view model is made with the run's variables written into it, so
// a reader with other variables (bluebook query --year 2024) or none (the DuckDB shell) sees
// what the run made; an error after such a call is still reported at its place in the file.
func TestViewPinsVariables(t *testing.T) {
	ctx := context.Background()
	db := testDB(t) // year 2025, cut-off 2025-12-31
	files := fstest.MapFS{
		"v.sql": file("-- materialize: view\nSELECT x, getvariable('year') AS y, getvariable('cutoff') AS c, getvariable( 'city' ) AS city, getvariable('nope') AS n FROM t WHERE x <= getvariable('year') - 2023\n"),
	}
	p, err := loadResolve(t, db, files)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := buildModels(ctx, db, p.Models, nil); err != nil {
		t.Fatal(err)
	}
	read := func(db *sql.DB) string {
		t.Helper()
		var out string
		if err := db.QueryRow(`SELECT string_agg(x || ' ' || y || ' ' || c || ' ' || coalesce(city, '-') || ' ' || coalesce(n, '-'), '; ' ORDER BY x) || ' ' || typeof(any_value(y)) || ' ' || typeof(any_value(c)) FROM v`).Scan(&out); err != nil {
			t.Fatal(err)
		}
		return out
	}
	want := "1 2025 2025-12-31 - -; 2 2025 2025-12-31 - - BIGINT DATE"
	if got := read(db); got != want {
		t.Errorf("read by the run: %q, want %q", got, want)
	}
	// Another connection with another year, on the same database.
	path := filepath.Join(t.TempDir(), "v.duckdb")
	fdb, err := openDB(ctx, path, Config{Year: 2025, AsOf: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), City: "甲'市"}, false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fdb.Exec(`CREATE TABLE t AS SELECT * FROM (VALUES (1, 'a'), (2, 'b'), (3, NULL)) v(x, name)`); err != nil {
		t.Fatal(err)
	}
	if _, err := buildModels(ctx, fdb, p.Models, nil); err != nil {
		t.Fatal(err)
	}
	fdb.Close()
	other, err := openDB(ctx, path, Config{Year: 2024, AsOf: time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)}, false)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if got, want := read(other), "1 2025 2025-12-31 甲'市 -; 2 2025 2025-12-31 甲'市 - BIGINT DATE"; got != want {
		t.Errorf("read with year 2024: %q, want %q", got, want)
	}

	// An error after a pinned call, on the same line: reported at its column in the file.
	files["w.sql"] = file("-- materialize: view\nSELECT getvariable('year') AS y, nosuch FROM t\n")
	p, err = loadResolve(t, db, files)
	if err != nil {
		t.Fatal(err)
	}
	err = materialize(ctx, db, p.Model("w"))
	if err == nil || !strings.HasPrefix(err.Error(), "queries/w.sql:2:34:") {
		t.Errorf("error = %v, want it at queries/w.sql:2:34", err)
	}
	// The same with Chinese text before the call: columns count characters.
	files["w.sql"] = file("-- materialize: view\nSELECT '数据出境' AS 名称, getvariable('year') AS y, nosuch FROM t\n")
	if p, err = loadResolve(t, db, files); err != nil {
		t.Fatal(err)
	}
	err = materialize(ctx, db, p.Model("w"))
	if err == nil || !strings.HasPrefix(err.Error(), "queries/w.sql:2:48:") {
		t.Errorf("error = %v, want it at queries/w.sql:2:48", err)
	}
}
