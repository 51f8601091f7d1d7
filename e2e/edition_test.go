package e2e

import (
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEditionRevisionFootnote publishes the 2024 edition, corrects the registry so that
// 2024's figures change, and checks that the 2025 report compares with the published 2024
// figures and footnotes the revision; publishing a year twice needs --revision.
func TestEditionRevisionFootnote(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("slow: runs on generated demo data (go test without -short runs it)")
	}
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	if code, _, errs := bluebook(t, "generate", "--out", data, "--scale", "2000"); code != 0 {
		t.Fatal(errs)
	}
	db := filepath.Join(dir, "bb.duckdb")
	run := func(year string) {
		t.Helper()
		code, _, errs := bluebook(t, "run", "--data", data, "--db", db, "--out", filepath.Join(dir, "site"), "--as-of", "2026-10-31", "--year", year, "--quiet")
		if code != 0 {
			t.Fatalf("run %s: exit %d: %s", year, code, errs)
		}
	}
	run("2024")
	if code, out, errs := bluebook(t, "publish", "--year", "2024", "--db", db); code != 0 || !strings.Contains(out, "published edition 2024 revision 1") {
		t.Fatalf("publish: exit %d: %s%s", code, out, errs)
	}
	ed := filepath.Join(dir, "editions", "2024")
	var m struct {
		Year   int `json:"year"`
		Tables []struct {
			Name string `json:"name"`
		} `json:"tables"`
		Inputs []map[string]any `json:"inputs"`
	}
	b, err := os.ReadFile(filepath.Join(ed, "manifest.json"))
	if err != nil || json.Unmarshal(b, &m) != nil || m.Year != 2024 || len(m.Tables) < 20 || len(m.Inputs) < 4 {
		t.Fatalf("manifest: %v %s", err, b)
	}
	for _, f := range []string{"report/index.html", "tables/market_summary.parquet", "queries/market/market_summary.sql", "reports/chapters/00_overview.md"} {
		if _, err := os.Stat(filepath.Join(ed, f)); err != nil {
			t.Errorf("the edition lacks %s", f)
		}
	}
	if code, _, errs := bluebook(t, "publish", "--year", "2024", "--db", db); code != exitUsage || !strings.Contains(errs, "--revision") {
		t.Errorf("publishing 2024 again: exit %d, stderr %q; want %d asking for --revision", code, errs, exitUsage)
	}

	// A correction of last year's data: drop every tenth registry row.
	reg := filepath.Join(data, "registry", "registry.csv")
	b, _ = os.ReadFile(reg)
	lines := strings.Split(string(b), "\n")
	var kept []string
	for i, l := range lines {
		if i == 0 || i%10 != 0 {
			kept = append(kept, l)
		}
	}
	os.WriteFile(reg, []byte(strings.Join(kept, "\n")), 0o644)
	run("2025")
	overview, err := os.ReadFile(filepath.Join(dir, "site", "00_overview.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(overview), "上年数据已修订") || !strings.Contains(string(overview), "民营经济主体存量") {
		t.Errorf("the 2025 overview does not footnote the revised 2024 figures")
	}
	// The published stock is the base of the change shown.
	pub := queryCSV(t, db, "SELECT stock FROM read_parquet('"+filepath.Join(ed, "tables", "market_summary.parquet")+"') WHERE year = 2024")
	now := queryCSV(t, db, "SELECT stock FROM market_summary WHERE year = 2024")
	if pub[0][0] == now[0][0] {
		t.Fatalf("the correction did not change 2024's stock (%s)", now[0][0])
	}
}

// TestEditionFreezesWhatRan: a query edited after the run does not reach the edition,
// which holds the run's own query, chapters and configuration; a run whose files were not
// kept cannot be published, and neither can one a later run has overtaken.
func TestEditionFreezesWhatRan(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	proj := filepath.Join(dir, "project")
	if code, _, errs := bluebook(t, "init", "--project", proj); code != 0 {
		t.Fatalf("init: %s", errs)
	}
	db := filepath.Join(dir, "bb.duckdb")
	args := []string{"run", "--project", proj, "--data", "testdata/mini", "--db", db, "--out", filepath.Join(dir, "site"),
		"--as-of", "2026-03-01", "--year", "2025", "--max-reject-share", "0.2", "--quiet"}
	if code, _, errs := bluebook(t, args...); code != 0 {
		t.Fatalf("run: exit %d: %s", code, errs)
	}
	query := filepath.Join(proj, "queries", "market", "market_summary.sql")
	ran, err := os.ReadFile(query)
	if err != nil {
		t.Fatal(err)
	}
	edited := append([]byte("-- an edit made after the run\n"), ran...)
	if err := os.WriteFile(query, edited, 0o644); err != nil {
		t.Fatal(err)
	}
	chapter := filepath.Join(proj, "reports", "chapters", "01_market.md")
	if err := os.WriteFile(chapter, []byte("# 改过的章节\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, errs := bluebook(t, "publish", "--project", proj, "--year", "2025", "--db", db); code != 0 {
		t.Fatalf("publish: exit %d: %s%s", code, out, errs)
	}
	ed := filepath.Join(dir, "editions", "2025")
	got, err := os.ReadFile(filepath.Join(ed, "queries", "market", "market_summary.sql"))
	if err != nil || string(got) != string(ran) {
		t.Errorf("the edition's market_summary.sql is not the one the run used (err %v):\n%s", err, got)
	}
	if got, err := os.ReadFile(filepath.Join(ed, "reports", "chapters", "01_market.md")); err != nil || strings.Contains(string(got), "改过的章节") {
		t.Errorf("the edition's 01_market.md is not the one the run used (err %v)", err)
	}
	b, err := os.ReadFile(filepath.Join(ed, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Files []struct{ Path, SHA256 string } `json:"files"`
	}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	listed := map[string]string{}
	for _, f := range m.Files {
		listed[f.Path] = f.SHA256
	}
	if sum := sha256.Sum256(ran); listed["queries/market/market_summary.sql"] != hex.EncodeToString(sum[:]) {
		t.Errorf("manifest.json lists market_summary.sql as %q, want the hash of the run's query", listed["queries/market/market_summary.sql"])
	}
	for _, f := range []string{"bluebook.toml", "settings.json", "queries/seeds/thresholds.csv"} {
		if _, err := os.Stat(filepath.Join(ed, f)); err != nil || listed[f] == "" {
			t.Errorf("the edition lacks %s (%v)", f, err)
		}
	}

	// Without the run's files, publishing refuses rather than take them from disk.
	conn, err := sql.Open("duckdb", db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec("DELETE FROM run_files"); err != nil {
		t.Fatal(err)
	}
	conn.Close()
	if code, _, errs := bluebook(t, "publish", "--project", proj, "--year", "2025", "--db", db, "--revision"); code == 0 || !strings.Contains(errs, "were not kept") {
		t.Errorf("publish without the run's files: exit %d, stderr %q; want a refusal", code, errs)
	}
	// A later run that fails after changing the database: the edition would not be the run's.
	os.WriteFile(query, []byte("SELECT no_such_column FROM registry\n"), 0o644)
	if code, _, _ := bluebook(t, args...); code == 0 {
		t.Fatal("a run with a broken query succeeded")
	}
	if code, _, errs := bluebook(t, "publish", "--project", proj, "--year", "2025", "--db", db, "--revision"); code == 0 || !strings.Contains(errs, "came after run") {
		t.Errorf("publish after a failed run: exit %d, stderr %q; want a refusal naming the later run", code, errs)
	}
}
