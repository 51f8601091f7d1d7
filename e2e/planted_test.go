package e2e

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// flagCondition says how each planted flag shows in the clean tables.
var flagCondition = map[string]string{
	"uscc_check":           "NOT uscc_valid",
	"orphan":               "orphan",
	"unknown_category":     "unknown_category",
	"unknown_program":      "unknown_program",
	"unknown_chamber":      "unknown_chamber",
	"unknown_district":     "unknown_district",
	"industry_section":     "industry_section = '?'",
	"missing_cancelled_on": "missing_cancelled_on",
}

// TestDemoPlantedRows generates demo data, runs every stage, and checks that each dirty
// row the generator planted on purpose is rejected under its rule at its file and line, or
// loaded with its flag set, and that rows read = loaded + rejected for every file.
func TestDemoPlantedRows(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("slow: runs on generated demo data (go test without -short runs it)")
	}
	dir := t.TempDir()
	if code, _, errs := bluebook(t, "demo", "--dir", dir, "--scale", "2000", "--quiet"); code != 0 {
		t.Fatalf("demo: %s", errs)
	}
	db := filepath.Join(dir, "bluebook.duckdb")
	f, err := os.Open(filepath.Join(dir, "data", "planted.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	planted, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	rejected := map[string]string{}
	for _, r := range queryCSV(t, db, "SELECT file, line, rule FROM rejects") {
		rejected[r[0]+":"+r[1]] = r[2]
	}
	rejects, flags := 0, 0
	for _, p := range planted[1:] {
		source, file, line, rule := p[0], p[1], p[2], p[4]
		if strings.HasPrefix(rule, "anomaly_") {
			continue // an anomaly planted for the monitoring (monitor_demo_test.go)
		}
		if rule == "emerging_phrase" {
			continue // the new problem planted in the appeal texts (appeal_text_demo_test.go)
		}
		if cond, isFlag := flagCondition[rule]; isFlag {
			flags++
			got := queryCSV(t, db, "SELECT count(*) FROM "+source+" WHERE source_file = '"+file+"' AND source_line = '"+line+"' AND "+cond)
			if got[0][0] != "1" {
				t.Errorf("%s:%s: planted %s is not loaded with its flag (%s)", file, line, rule, cond)
			}
			continue
		}
		rejects++
		if got := rejected[file+":"+line]; got != rule {
			t.Errorf("%s:%s: planted %s, rejects says %q", file, line, rule, got)
		}
	}
	if rejects < 15 || flags < 10 {
		t.Errorf("only %d planted rejects and %d flags were checked", rejects, flags)
	}
	for _, r := range queryCSV(t, db, "SELECT file, rows_read, rows_loaded, rows_rejected FROM ingest_files WHERE rows_read <> rows_loaded + rows_rejected") {
		t.Errorf("%s: rows read %s ≠ loaded %s + rejected %s", r[0], r[1], r[2], r[3])
	}
	if got := queryCSV(t, db, "SELECT count(*) FROM rejects"); got[0][0] != strconv.Itoa(rejects) {
		t.Errorf("rejects holds %s rows, but %d were planted", got[0][0], rejects)
	}
}
