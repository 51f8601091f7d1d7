package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSeedWeightMovesRanking edits a weight in queries/seeds/innovation_indicators.csv and
// rebuilds: with all weight on T2 (研发费用, reference 1000 万元) the innovation ranking must
// follow R&D expense, checked against an independent query of the declarations.
func TestSeedWeightMovesRanking(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("slow: runs on generated demo data (go test without -short runs it)")
	}
	dir := t.TempDir()
	if code, _, errs := bluebook(t, "demo", "--dir", dir, "--scale", "3000", "--quiet"); code != 0 {
		t.Fatal(errs)
	}
	proj := filepath.Join(dir, "proj")
	if code, _, errs := bluebook(t, "init", "--project", proj); code != 0 {
		t.Fatal(errs)
	}
	db := filepath.Join(dir, "bluebook.duckdb")
	top := func() [][]string {
		return queryCSV(t, db, "SELECT uscc FROM innovation_points WHERE year = 2025 AND rank <= 5 ORDER BY rank")
	}
	before := top()

	seed := filepath.Join(proj, "queries", "seeds", "innovation_indicators.csv")
	b, err := os.ReadFile(seed)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	for i, l := range lines[1:] {
		f := strings.Split(l, ",")
		f[3] = "0"
		if f[0] == "t2" {
			f[3] = "100"
		}
		lines[i+1] = strings.Join(f, ",")
	}
	os.WriteFile(seed, []byte(strings.Join(lines, "\n")+"\n"), 0o644)
	if code, out, errs := bluebook(t, "build", "--project", proj, "--db", db, "--as-of", "2026-10-31", "--select", "innovation_points+"); code != 0 {
		t.Fatalf("build: %s\n%s", errs, out)
	}
	after := top()
	// Independently: private, non-orphan declarations of 2025 by R&D expense, then credit code.
	want := queryCSV(t, db, `SELECT i.uscc FROM innovation i JOIN registry r USING (uscc)
		WHERE i.year = 2025 AND r.ownership IN ('民营', '个体') AND NOT i.orphan
		ORDER BY least(i.rd_expense / 1000, 1) DESC, i.rd_expense DESC, i.uscc LIMIT 5`)
	if strings.Join(flat(after), " ") != strings.Join(flat(want), " ") {
		t.Errorf("top 5 after the weight change = %v, want %v", after, want)
	}
	if strings.Join(flat(after), " ") == strings.Join(flat(before), " ") {
		t.Errorf("the weight change did not move the ranking (%v)", before)
	}
}

func flat(rows [][]string) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r...)
	}
	return out
}
