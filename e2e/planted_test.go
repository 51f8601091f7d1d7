package e2e

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// plantedFlags reads from the source contract (ref_sources) how each flag a planted row
// may name shows in the clean tables, by source and name: the flag_when of the flag column
// of that name, or of the flags set by the rule of that name (uscc_check: NOT uscc_valid).
func plantedFlags(t *testing.T, db string) map[string]string {
	out := map[string]string{}
	for _, r := range queryCSV(t, db, `SELECT f.source, n.name, f.flag_when FROM ref_sources f
		JOIN (SELECT source, column_name AS name, column_name AS flag FROM ref_sources WHERE flag_when <> ''
		      UNION ALL SELECT source, rule, unnest(flags) FROM ref_sources WHERE rule <> '') n
		  ON n.source = f.source AND n.flag = f.column_name
		WHERE f.flag_when <> ''`) {
		out[r[0]+"."+r[1]] = r[2]
	}
	return out
}

// TestDemoPlantedRows generates demo data (scale 2,000), runs every stage, and checks that each dirty
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
	checkPlantedRows(t, dir)
}

// checkPlantedRows checks the planted dirty rows of the demo run in dir (see
// TestDemoPlantedRows; TestMonitorPlantedAnomalies checks them at the default scale).
func checkPlantedRows(t *testing.T, dir string) {
	t.Helper()
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
	flagCondition := plantedFlags(t, db)
	// Every reject is one the contract documents for its column (ref_sources.rejects; a
	// duplicate names its whole key, a malformed row or undecodable bytes no column).
	for _, r := range queryCSV(t, db, `SELECT j.source, j.file, j.line, j.rule, j.column_name FROM rejects j
		WHERE j.column_name IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ref_sources c WHERE c.source = j.source
		  AND c.column_name = split_part(j.column_name, ',', 1) AND list_contains(c.rejects, j.rule))`) {
		t.Errorf("%s:%s: rejected as %s on %s.%s, which ref_sources does not list for that column", r[1], r[2], r[3], r[0], r[4])
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
		if cond, isFlag := flagCondition[source+"."+rule]; isFlag {
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
