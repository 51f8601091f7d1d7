package pipeline

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"bluebook/pipeline/ingest"
)

// The monitoring tests (docs/monitoring.md) replace the model monitor_counts by hand-made
// monthly series and build monitor_series and monitor_alerts from the shipped SQL on them.

// monitorDB builds every model on empty sources, then replaces monitor_counts by the rows
// of counts (SQL returning month, indicator, scope, scope_code, scope_name, value) and
// rebuilds the monitoring models on it.
func monitorDB(t *testing.T, counts string) (*sql.DB, *Project) {
	t.Helper()
	ctx := context.Background()
	cfg := indicatorConfig("2026-03-01")
	cfg.Queries = os.DirFS("../queries")
	db, err := openDB(ctx, "", cfg, false)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := ingest.CreateEmpty(ctx, db); err != nil {
		t.Fatal(err)
	}
	proj, err := prepareModels(ctx, db, cfg)
	if err != nil {
		t.Fatal(err)
	}
	up, err := proj.Select("+monitor_counts")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := buildModels(ctx, db, up, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, "CREATE OR REPLACE TABLE monitor_counts AS "+counts); err != nil {
		t.Fatalf("fixture: %v", err)
	}
	down, err := proj.Select("monitor_series+")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range down {
		if m.Name == "monitor_counts" {
			t.Fatal("monitor_counts is a descendant of monitor_series")
		}
	}
	if _, err := buildModels(ctx, db, down, nil); err != nil {
		t.Fatal(err)
	}
	return db, proj
}

// series returns the SQL rows of one hand-made series: values[k] is the value of the k-th
// month from 2020-01.
func series(indicator, scope, code string, values []int) string {
	var rows []string
	for k, v := range values {
		rows = append(rows, fmt.Sprintf("(DATE '2020-01-01' + INTERVAL %d MONTH, '%s', '%s', '%s', '%s', %d)", k, indicator, scope, code, code, v))
	}
	return strings.Join(rows, ",\n")
}

func countsSQL(parts ...string) string {
	return `SELECT CAST(month AS DATE) AS month, indicator, scope, scope_code, scope_name, CAST(value AS BIGINT) AS value
		FROM (VALUES ` + strings.Join(parts, ",\n") + `) t(month, indicator, scope, scope_code, scope_name, value)`
}

// TestMonitorByHand checks baseline, level correction, σ, z and level against values worked
// out by hand on four series of 49 months, k = 0 (2020-01) … 48 (2024-01).
//
// Series A, exits (adverse up), district D1: value(k) = 20 + k for k ≤ 47, value(48) = 100.
// A linear series: the median of the values at a set of months is the value at the median
// month, so a baseline is value(k) − (k − median month).
//
//	baseline(k) uses months k−13…k−11, k−25…k−23, k−37…k−35 that are ≥ 0, at least 6 of 9:
//	  k = 24: months 11,12,13 and 0,1 (−1 is outside the data) → 5 → no baseline.
//	  k = 25…34: months k−13…k−11 and k−25…k−23 → 6; median month = (k−23 + k−13)/2 = k−18
//	             → residual r = 18.
//	  k = 35: months 0, 10,11,12, 22,23,24 → 7; median month 12 → baseline 32, value 55, r = 23.
//	  k = 36: months 0,1, 11,12,13, 23,24,25 → 8; median month 12.5 → baseline 32.5, value 56,
//	          r = 23.5.
//	  k = 37…47: all 9; median month k−24 → r = 24.
//	m = 48: residuals of k = 24…47 (k = 24 has none): 18 ×10, 23, 23.5, 24 ×11 → 23 residuals.
//	  level correction = median = 12th of 23 sorted = 23.5.
//	  |r − 23.5|: 5.5 ×10, 0.5, 0, 0.5 ×11 → sorted 0, 0.5 ×12, 5.5 ×10 → MAD = 12th = 0.5;
//	  1.4826 × 0.5 = 0.7413.
//	  baseline(48) = value at month 24 = 44; Poisson floor √44 = 6.63325 > 0.7413 → σ = √44.
//	  expected = 44 + 23.5 = 67.5; z = (100 − 67.5)/√44 = 32.5/6.63325 = 4.89955 → red (≥ 3.5).
//	m = 47: residuals of k = 23…46: 18 ×10, 23, 23.5, 24 ×10 → 22; level = (23 + 23.5)/2 = 23.25.
//	  |r − 23.25|: 5.25 ×10, 0.25, 0.25, 0.75 ×10 → sorted 0.25 ×2, 0.75 ×10, 5.25 ×10 → MAD =
//	  (11th + 12th)/2 = 0.75; 1.4826 × 0.75 = 1.11195 < √43 = 6.55744 → σ = √43.
//	  baseline 43, expected 66.25, value 67 → z = 0.75/6.55744 = 0.114373 → no level.
//	  Without the level correction z would be (67 − 43)/6.557 = 3.66: red every month of a
//	  steady trend.
//	m = 37: residuals k = 25…36: 18 ×10, 23, 23.5 → 12 (just enough); level = (18+18)/2 = 18;
//	  MAD = median of 0 ×10, 5, 5.5 = 0 → σ = Poisson floor √33 = 5.74456 (baseline 57 − 24 = 33).
//	  expected 51, value 57 → z = 6/5.74456 = 1.044466 → no level.
//	m = 36: 11 residuals (k = 25…35) < 12 → baseline 32.5 but no expected, σ, z or level.
//
// Series B, new (adverse down), city: 30 every month, value(48) = 16. Every residual is 0:
// level 0, MAD 0, σ = √30 = 5.47723; z = −(16 − 30)/5.47723 = 2.55604 → yellow (≥ 2.5, < 3.5).
// Series C, exits (adverse up), city: 30 every month, value(48) = 10: z = (10 − 30)/√30 =
// −3.65148 → no level (a fall of exits is not adverse).
// Series D, arrears, city: 4 every month, value(48) = 40: z = 36/√4 = 18, but baseline 4 < 5
// → no level.
func TestMonitorByHand(t *testing.T) {
	a := make([]int, 49)
	b := make([]int, 49)
	c := make([]int, 49)
	d := make([]int, 49)
	for k := range 48 {
		a[k], b[k], c[k], d[k] = 20+k, 30, 30, 4
	}
	a[48], b[48], c[48], d[48] = 100, 16, 10, 40
	db, proj := monitorDB(t, countsSQL(
		series("exits", "district", "D1", a), series("new", "city", "city", b),
		series("exits", "city", "city", c), series("arrears", "city", "city", d)))

	compareTable(t, db, "series A", `SELECT month, value, baseline, expected, sigma, z, level FROM monitor_series
		WHERE indicator = 'exits' AND scope_code = 'D1' AND month IN ('2022-01-01', '2022-02-01', '2022-12-01', '2023-01-01', '2023-02-01', '2023-12-01', '2024-01-01') ORDER BY month`,
		[][]any{
			{"2022-01-01", 44, nil, nil, nil, nil, nil},
			{"2022-02-01", 45, 27.0, nil, nil, nil, nil},
			{"2022-12-01", 55, 32.0, nil, nil, nil, nil},
			{"2023-01-01", 56, 32.5, nil, nil, nil, nil},
			{"2023-02-01", 57, 33.0, 51.0, math.Sqrt(33), 6 / math.Sqrt(33), nil},
			{"2023-12-01", 67, 43.0, 66.25, math.Sqrt(43), 0.75 / math.Sqrt(43), nil},
			{"2024-01-01", 100, 44.0, 67.5, math.Sqrt(44), 32.5 / math.Sqrt(44), "red"},
		})
	compareTable(t, db, "series B, C, D in 2024-01", `SELECT indicator, scope_code, value, baseline, expected, sigma, z, level FROM monitor_series
		WHERE month = '2024-01-01' AND scope = 'city' ORDER BY indicator`,
		[][]any{
			{"arrears", "city", 40, 4.0, 4.0, 2.0, 18.0, nil},
			{"exits", "city", 10, 30.0, 30.0, math.Sqrt(30), -20 / math.Sqrt(30), nil},
			{"new", "city", 16, 30.0, 30.0, math.Sqrt(30), 14 / math.Sqrt(30), "yellow"},
		})
	// Only series A and B ever alarm, and only in 2024-01.
	compareTable(t, db, "alerts", `SELECT month, indicator, scope_code, level, sentence FROM monitor_alerts`,
		[][]any{
			{"2024-01-01", "exits", "D1", "red", "D12024年1月注销吊销民营主体100户，为预期值的1.5倍，红色预警"},
			{"2024-01-01", "new", "city", "yellow", "city2024年1月新设民营主体16户，仅为预期值的53%，黄色预警"},
		})
	var mon []*Model
	for _, m := range proj.Models {
		if strings.HasPrefix(m.Name, "monitor_") && m.Name != "monitor_counts" {
			mon = append(mon, m)
		}
	}
	checksPass(t, db, &Project{Models: mon})
}

// TestMonitorThresholdsFromSeed: the levels follow the seed, not constants in the SQL.
func TestMonitorThresholdsFromSeed(t *testing.T) {
	b := make([]int, 49)
	for k := range b {
		b[k] = 30
	}
	b[48] = 16 // z = 2.556
	db, proj := monitorDB(t, countsSQL(series("new", "city", "city", b)))
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, "UPDATE monitor_thresholds SET value = 2.5 WHERE name = 'red_z'"); err != nil {
		t.Fatal(err)
	}
	down, _ := proj.Select("monitor_series+")
	if _, err := buildModels(ctx, db, down, nil); err != nil {
		t.Fatal(err)
	}
	compareTable(t, db, "level with red_z = 2.5", `SELECT level FROM monitor_series WHERE month = '2024-01-01'`, [][]any{{"red"}})
}

// poisson draws a Poisson variate of mean lambda (Knuth for small means, the normal
// approximation with continuity above 200).
func poisson(r *rand.Rand, lambda float64) int {
	if lambda > 200 {
		return max(0, int(math.Round(lambda+math.Sqrt(lambda)*r.NormFloat64())))
	}
	l, k, p := math.Exp(-lambda), 0, 1.0
	for {
		p *= r.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

// TestMonitorStableProcess: on series drawn from a stable process — Poisson counts with a
// smooth seasonal pattern and a steady trend, nothing abnormal — at most 1 % of the judged
// series-months are flagged and at most 0.2 % red. Five seeds; each has 60 series of 8 years
// with means from 6 to 400 a month, a yearly sine of amplitude up to 25 % with any phase,
// trends from −5 % to +5 % a year, both adverse directions.
func TestMonitorStableProcess(t *testing.T) {
	var parts []string
	for seed := uint64(1); seed <= 5; seed++ {
		r := rand.New(rand.NewPCG(seed, 17))
		for s := range 60 {
			mean := 6 * math.Pow(400.0/6, r.Float64())
			trend := -0.05 + 0.10*r.Float64()
			amp, phase := 0.25*r.Float64(), 2*math.Pi*r.Float64()
			indicator := []string{"exits", "new"}[s%2]
			vals := make([]int, 96)
			for k := range vals {
				lambda := mean * (1 + amp*math.Sin(2*math.Pi*float64(k)/12+phase)) * math.Pow(1+trend, float64(k)/12)
				vals[k] = poisson(r, lambda)
			}
			parts = append(parts, series(indicator, "section", fmt.Sprintf("S%d_%02d", seed, s), vals))
		}
	}
	db, _ := monitorDB(t, countsSQL(parts...))
	got := queryRows(t, db, `SELECT count(*), count(level), count(*) FILTER (WHERE level = 'red')
		FROM monitor_series WHERE z IS NOT NULL AND baseline >= 5`)
	judged, flagged, red := got[0][0].(int64), got[0][1].(int64), got[0][2].(int64)
	t.Logf("stable process: %d judged series-months, %d flagged (%.2f %%), %d red (%.2f %%)",
		judged, flagged, 100*float64(flagged)/float64(judged), red, 100*float64(red)/float64(judged))
	if judged < 10000 {
		t.Fatalf("only %d judged series-months", judged)
	}
	if float64(flagged) > 0.01*float64(judged) {
		t.Errorf("%d of %d judged series-months flagged (> 1 %%)", flagged, judged)
	}
	if float64(red) > 0.002*float64(judged) {
		t.Errorf("%d of %d judged series-months red (> 0.2 %%)", red, judged)
	}
}

// TestMonitorCounts: monitor_counts on the indicator fixture holds complete months only (a
// month is complete when its last day is on or before the extraction date), every scope
// every month (zeros included), and the counts of the definitions, computed here another
// way from the source tables.
func TestMonitorCounts(t *testing.T) {
	for _, c := range []struct{ asOf, last string }{
		{"2026-02-27", "2026-01-01"}, // February is not over
		{"2026-02-28", "2026-02-01"}, // its last day: complete
		{"2026-03-01", "2026-02-01"},
	} {
		db, proj := buildIndicators(t, indicatorConfig(c.asOf), snapshotAt(c.asOf))
		compareTable(t, db, "last month at "+c.asOf, `SELECT max(month) FROM monitor_counts`, [][]any{{c.last}})
		// every indicator × scope has one row per month from its source's first month
		compareTable(t, db, "dense at "+c.asOf, `SELECT count(*) FROM (
			SELECT indicator, scope, scope_code, count(*) AS n, min(month) AS lo, max(month) AS hi FROM monitor_counts GROUP BY ALL)
			WHERE n <> date_diff('month', lo, hi) + 1`, [][]any{{0}})
		want := `WITH last AS (SELECT max(month) AS m FROM monitor_counts),
			r AS (SELECT * FROM registry WHERE ownership IN ('民营', '个体')),
			a AS (SELECT a.*, r.industry_section FROM appeal_deadlines a LEFT JOIN registry r USING (uscc)),
			want AS (
				SELECT 'new' AS indicator, date_trunc('month', established_on) AS month, count(*) AS n FROM r GROUP BY ALL
				UNION ALL SELECT 'exits', date_trunc('month', cancelled_on), count(*) FROM r WHERE status IN ('revoked', 'cancelled') AND cancelled_on IS NOT NULL GROUP BY ALL
				UNION ALL SELECT 'appeals', date_trunc('month', submitted_on), count(*) FROM a GROUP BY ALL
				UNION ALL SELECT 'arrears', date_trunc('month', submitted_on), count(*) FROM a WHERE category = '账款拖欠' GROUP BY ALL
				UNION ALL SELECT 'late', date_trunc('month', deadline), count(*) FROM a WHERE deadline IS NOT NULL AND (responded_on IS NULL OR responded_on > deadline) GROUP BY ALL)
			SELECT w.indicator, w.month, w.n, c.value FROM want w
			CROSS JOIN last
			LEFT JOIN monitor_counts c ON c.scope = 'city' AND c.indicator = w.indicator AND c.month = w.month
			WHERE w.month <= last.m AND c.value IS DISTINCT FROM w.n`
		compareTable(t, db, "city counts at "+c.asOf, want, nil)
		compareTable(t, db, "scopes add up at "+c.asOf, `SELECT count(*) FROM (
			SELECT c.indicator, c.month, c.value, sum(d.value) AS d FROM monitor_counts c
			JOIN monitor_counts d ON d.indicator = c.indicator AND d.month = c.month AND d.scope = 'district'
			WHERE c.scope = 'city' GROUP BY ALL) WHERE d > value`, [][]any{{0}})
		if n := queryRows(t, db, `SELECT count(*) FROM monitor_counts WHERE value > 0`)[0][0].(int64); n == 0 {
			t.Errorf("at %s: no month has a count", c.asOf)
		}
		checksPass(t, db, proj)
	}
}

// TestMonitorOverviewQuarter: the overview's monitoring issue (report_overview_monitor) cites
// the red alerts of the quarter chapter 6 shows (the last complete one, 2024 Q1 in a series
// ending in March 2024), in the chapter's order, not those of an earlier quarter; 均 only when
// it names several. Flat series of 30 a month: a month of 60 is z = 30/√30 = 5.48, red.
func TestMonitorOverviewQuarter(t *testing.T) {
	flat := func(spikes ...int) []int {
		v := make([]int, 51) // 2020-01 … 2024-03
		for k := range v {
			v[k] = 30
		}
		for _, k := range spikes {
			v[k] = 60
		}
		return v
	}
	q := `SELECT q_label, red, top, more, jun FROM report_overview_monitor`
	// one red alert in 2024 Q1 (2024-01) and one in 2023 Q4 (2023-12), not cited
	db, _ := monitorDB(t, countsSQL(series("exits", "city", "city", flat(48)), series("exits", "district", "D2", flat(47))))
	compareTable(t, db, "one alert", q, [][]any{
		{"2024年第一季度", 1, "city2024年1月注销吊销民营主体60户，为预期值的2.0倍", "", ""},
	})
	// two in 2024 Q1: the newest first, as in chapter 6's alerts table, and 均
	db, _ = monitorDB(t, countsSQL(series("exits", "city", "city", flat(48)), series("exits", "district", "D1", flat(49)), series("exits", "district", "D2", flat(47))))
	compareTable(t, db, "two alerts", q, [][]any{
		{"2024年第一季度", 2, "D12024年2月注销吊销民营主体60户，为预期值的2.0倍；city2024年1月注销吊销民营主体60户，为预期值的2.0倍", "", "均"},
	})
}
