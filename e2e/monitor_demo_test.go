package e2e

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestMonitorPlantedAnomalies generates the demo at its default scale (20,000 registry rows,
// where the generator's floor of 5,000 appeals brings the city's 账款拖欠 appeals to the
// minimum baseline of 5 a month) with and without the anomalies the generator plants for the
// monitoring, runs every stage, and checks that each anomaly listed in planted.csv raises a
// red alert in its month, indicator and scope, and that in the data without it the same
// series-month scores at least 3 σ lower. It also checks the demo's planted dirty rows at that
// scale (checkPlantedRows) and logs the share of judged series-months flagged in the data
// without anomalies (the false-alarm rate).
func TestMonitorPlantedAnomalies(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("slow: runs on generated demo data (go test without -short runs it)")
	}
	dir := t.TempDir()
	with, without := filepath.Join(dir, "with"), filepath.Join(dir, "without")
	if code, _, errs := bluebook(t, "demo", "--dir", with, "--quiet"); code != 0 {
		t.Fatalf("demo: %s", errs)
	}
	if code, _, errs := bluebook(t, "demo", "--dir", without, "--quiet", "--no-anomalies"); code != 0 {
		t.Fatalf("demo --no-anomalies: %s", errs)
	}
	checkPlantedRows(t, with)
	f, err := os.Open(filepath.Join(with, "data", "planted.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	planted, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]bool{}
	for _, p := range planted[1:] {
		rule := p[4]
		if !strings.HasPrefix(rule, "anomaly_") {
			continue
		}
		kinds[rule] = true
		indicator, month, scope, code := p[3], p[5]+"-01", p[6], p[7]
		q := "SELECT coalesce(level, 'none'), value, round(expected, 1), round(z, 2), z FROM monitor_series WHERE indicator = '" + indicator +
			"' AND month = '" + month + "' AND scope = '" + scope + "' AND scope_code = '" + code + "'"
		got := queryCSV(t, filepath.Join(with, "bluebook.duckdb"), q)
		if len(got) != 1 || got[0][0] != "red" {
			t.Errorf("%s (%s, %s %s, %s): got %v, want a red alert", rule, indicator, scope, code, month, got)
		} else {
			t.Logf("%s: %s %s %s %s: value %s, expected %s, z %s: red", rule, indicator, scope, code, month, got[0][1], got[0][2], got[0][3])
		}
		// The alert is the anomaly's doing: without it the same series-month is at least 3
		// standard deviations lower (it may still alarm by chance: a Poisson tail).
		base := queryCSV(t, filepath.Join(without, "bluebook.duckdb"), q)
		if len(base) != 1 || len(got) != 1 {
			t.Errorf("%s: without the anomaly the series-month is %v", rule, base)
			continue
		}
		zWith, _ := strconv.ParseFloat(got[0][4], 64)
		zWithout, _ := strconv.ParseFloat(base[0][4], 64)
		t.Logf("%s: without the anomaly: value %s, expected %s, z %s, level %s", rule, base[0][1], base[0][2], base[0][3], base[0][0])
		if zWith-zWithout < 3 {
			t.Errorf("%s: z %.2f with the anomaly, %.2f without: the anomaly adds less than 3", rule, zWith, zWithout)
		}
	}
	for _, k := range []string{"anomaly_exits_surge", "anomaly_new_fall", "anomaly_arrears_surge"} {
		if !kinds[k] {
			t.Errorf("planted.csv lists no %s", k)
		}
	}
	rate := queryCSV(t, filepath.Join(without, "bluebook.duckdb"), `SELECT count(*), count(level), count(*) FILTER (WHERE level = 'red'),
		count(*) FILTER (WHERE year(month) <> 2021), count(level) FILTER (WHERE year(month) <> 2021), count(*) FILTER (WHERE level = 'red' AND year(month) <> 2021)
		FROM monitor_series WHERE z IS NOT NULL AND baseline >= 5`)
	t.Logf("demo without anomalies: %s judged series-months, %s flagged, %s red; outside 2021 (the generator starts most exits in January 2021): %s judged, %s flagged, %s red",
		rate[0][0], rate[0][1], rate[0][2], rate[0][3], rate[0][4], rate[0][5])
}
