package pipeline

import (
	"context"
	"database/sql"
	"math"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"bluebook/pipeline/ingest"
)

// The indicator tests build every model in queries/ on a hand-made city
// (testdata/indicators/fixture.sql) and compare the tables with values worked out by hand
// from docs/methodology.md; the arithmetic is written beside each number.

// fixtureCode matches the short credit codes of the fixture: 'E01' (in the registry) and
// 'U97' (not in it).
var fixtureCode = regexp.MustCompile(`'([EU])(\d\d)'`)

// uscc expands a short fixture code to its 18-character credit code; the order of the
// short codes is the order of the long ones.
func uscc(short string) string { return "9132050000000000" + short[1:] }

func expandCodes(sql string) string {
	return fixtureCode.ReplaceAllStringFunc(sql, func(m string) string { return "'" + uscc(strings.Trim(m, "'")) + "'" })
}

// indicatorConfig is edition 2025 extracted on asOf.
func indicatorConfig(asOf string) Config {
	e, err := time.Parse("2006-01-02", asOf)
	if err != nil {
		panic(err)
	}
	return Config{Year: 2025, AsOf: e, City: "示例市", Queries: os.DirFS("../queries"), QueriesDir: "queries"}
}

// buildIndicators loads the fixture, applies edits (SQL run after it), and builds every
// model the way a run does.
func buildIndicators(t *testing.T, cfg Config, edits ...string) (*sql.DB, *Project) {
	t.Helper()
	ctx := context.Background()
	db, err := openDB(ctx, "", cfg, false)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	for _, f := range []string{"testdata/indicators/schema.sql", "testdata/indicators/fixture.sql"} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.ExecContext(ctx, expandCodes(string(b))); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
	}
	for _, e := range edits {
		if _, err := db.ExecContext(ctx, expandCodes(e)); err != nil {
			t.Fatalf("edit %q: %v", e, err)
		}
	}
	proj, err := prepareModels(ctx, db, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := buildModels(ctx, db, proj.Models, nil); err != nil {
		t.Fatal(err)
	}
	return db, proj
}

// snapshotAt turns the fixture into what an extraction on day e would have seen: nothing
// dated after e exists yet (ingest rejects such rows as future_date).
func snapshotAt(e string) string {
	d := "DATE '" + e + "'"
	return strings.Join([]string{
		"DELETE FROM registry WHERE established_on > " + d,
		"DELETE FROM appeals WHERE CAST(submitted_at AS DATE) > " + d,
		"UPDATE appeals SET responded_at = NULL WHERE CAST(responded_at AS DATE) > " + d,
		"UPDATE appeals SET closed_at = NULL WHERE CAST(closed_at AS DATE) > " + d,
		"DELETE FROM donations WHERE donated_on > " + d,
		"DELETE FROM chambers WHERE established_on > " + d,
		"DELETE FROM chamber_activities WHERE held_on > " + d,
	}, ";\n") + ";"
}

// queryRows returns every row of q with values normalised for comparison: integers as
// int64, floating point as float64, dates as "2006-01-02", timestamps as
// "2006-01-02 15:04:05", NULL as nil.
func queryRows(t *testing.T, db *sql.DB, q string) [][]any {
	t.Helper()
	tbl, err := queryTable(context.Background(), db, q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	for _, r := range tbl.Rows {
		for i, v := range r {
			r[i] = dateText(v)
		}
	}
	return tbl.Rows
}

// dateText writes dates and timestamps as text, for comparison with the expected values.
func dateText(v any) any {
	if x, ok := v.(time.Time); ok {
		if x.Hour() == 0 && x.Minute() == 0 && x.Second() == 0 {
			return x.Format("2006-01-02")
		}
		return x.Format("2006-01-02 15:04:05")
	}
	return v
}

// equalValue compares a normalised value with an expected one: ints with ints, floats
// within 1e-9 (relative above 1), everything else exactly.
func equalValue(got, want any) bool {
	if w, ok := want.(int); ok {
		want = int64(w)
	}
	switch w := want.(type) {
	case nil:
		return got == nil
	case float64:
		var g float64
		switch x := got.(type) {
		case float64:
			g = x
		case int64:
			g = float64(x)
		default:
			return false
		}
		return math.Abs(g-w) <= 1e-9*math.Max(1, math.Abs(w))
	case int64:
		switch x := got.(type) {
		case int64:
			return x == w
		case float64:
			return x == float64(w)
		}
		return false
	}
	return got == want
}

// compareTable checks that q returns exactly want, row by row and column by column.
func compareTable(t *testing.T, db *sql.DB, name, q string, want [][]any) {
	t.Helper()
	got := queryRows(t, db, q)
	if len(got) != len(want) {
		t.Errorf("%s: %d rows, want %d\n got: %v", name, len(got), len(want), got)
	}
	for i := 0; i < len(got) && i < len(want); i++ {
		if len(got[i]) != len(want[i]) {
			t.Errorf("%s row %d: %d columns, want %d", name, i, len(got[i]), len(want[i]))
			continue
		}
		for j := range want[i] {
			if !equalValue(got[i][j], want[i][j]) {
				t.Errorf("%s row %d (%v) column %d: got %v (%T), want %v", name, i, got[i][0], j, got[i][j], got[i][j], want[i][j])
			}
		}
	}
}

// checksPass runs every declared and custom check and fails the test on any failure.
func checksPass(t *testing.T, db *sql.DB, proj *Project) {
	t.Helper()
	res, err := runChecks(context.Background(), db, proj, "test", nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		if r.Status != "pass" {
			t.Errorf("check %s (%s:%d): %s %s", r.Name, r.Path, r.Line, r.Status, r.Message)
		}
	}
}

func round6(x float64) float64 { return math.Round(x*1e6) / 1e6 }

// TestWorkdays pins the calendar: the deadline vectors of docs/domain.md and working days per year.
func TestWorkdays(t *testing.T) {
	db, _ := buildIndicators(t, indicatorConfig("2026-03-01"))
	// 251 = 262 weekdays of 2024 − 19 weekday days off + 8 make-up Sundays/Saturdays; 2025 and 2026 likewise.
	compareTable(t, db, "working days per year",
		`SELECT year, count(*) FILTER (WHERE is_workday) FROM workdays WHERE year BETWEEN 2024 AND 2026 GROUP BY year ORDER BY year`,
		[][]any{{2024, 251}, {2025, 248}, {2026, 248}})
	compareTable(t, db, "covered years",
		`SELECT min(year), max(year), count(DISTINCT year), count(*) FROM workdays`,
		// 2019-2026: the 2019 notice's rows dated 2018-12-29..31 do not make 2018 covered;
		// 8 years, two of them leap years: 6 × 365 + 2 × 366 = 2922 days.
		[][]any{{2019, 2026, 8, 2922}})
	compareTable(t, db, "deadline vectors",
		`SELECT strftime(s.date, '%Y-%m-%d'), strftime(d.date, '%Y-%m-%d')
		 FROM workdays s JOIN workdays d
		   ON d.span_start = s.span_start AND d.is_workday AND d.workday_ordinal = s.workday_ordinal + 15
		 WHERE s.date IN ('2024-09-27', '2025-01-20', '2025-09-26', '2026-02-10', '2026-09-18')
		 ORDER BY s.date`,
		[][]any{
			{"2024-09-27", "2024-10-23"},
			{"2025-01-20", "2025-02-14"},
			{"2025-09-26", "2025-10-23"},
			{"2026-02-10", "2026-03-09"},
			{"2026-09-18", "2026-10-15"},
		})
	compareTable(t, db, "make-up days and days off",
		`SELECT strftime(date, '%Y-%m-%d'), is_workday, kind FROM workdays
		 WHERE date IN ('2025-01-26', '2025-02-08', '2025-10-01', '2025-10-11', '2025-10-12', '2026-01-04') ORDER BY date`,
		[][]any{
			{"2025-01-26", true, "makeup_workday"}, // Sunday worked before 春节
			{"2025-02-08", true, "makeup_workday"}, // Saturday worked after 春节
			{"2025-10-01", false, "off"},
			{"2025-10-11", true, "makeup_workday"},
			{"2025-10-12", false, nil}, // an ordinary Sunday
			{"2026-01-04", true, "makeup_workday"},
		})
}

// appealDeadlineQuery lists appeal_deadlines in appeal_id order, dates as text.
const appealDeadlineQuery = `SELECT appeal_id, strftime(submitted_on, '%Y-%m-%d'), strftime(deadline, '%Y-%m-%d'),
	strftime(responded_on, '%Y-%m-%d'), strftime(as_at, '%Y-%m-%d'), responded, closed, outcome, on_time,
	response_workdays, rated, is_common, category, department, district_code
	FROM appeal_deadlines ORDER BY appeal_id`

const appealKPIQuery = `SELECT year, strftime(as_at, '%Y-%m-%d'), received, common_received, common_on_time, common_late,
	common_due, on_time_rate, not_yet_due, no_deadline, responded, closed, closure_rate, rated, satisfied,
	satisfaction_rate, median_response_workdays, p90_response_workdays
	FROM appeal_kpis ORDER BY year`

const marketSummaryQuery = `SELECT year, stock, new, exits, moved_out, net, growth, private_share FROM market_summary ORDER BY year`

// TestIndicatorsAfterTheYear is edition 2025 extracted on 2026-03-01: C = 2025-12-31, and
// the data already hold responses and closures made in 2026 that edition 2025 must not see.
func TestIndicatorsAfterTheYear(t *testing.T) {
	db, proj := buildIndicators(t, indicatorConfig("2026-03-01"))
	checksPass(t, db, proj)

	t.Run("appeal_deadlines", func(t *testing.T) {
		// Deadline = the 15th working day strictly after the submission date, counted on the
		// 2024-2026 calendars (docs/domain.md, "Working days and holidays"). Each row is measured as at the cut-off of its own
		// year: 2025-12-31 (= C) for 2025, 2024-12-31 and 2023-12-31 before.
		// response_workdays = working days in (submitted_on, responded_on].
		compareTable(t, db, "appeal_deadlines", appealDeadlineQuery, [][]any{
			// A01 Mon 01-20, before 春节 (01-28..02-04 off): 01-21,22,23,24 (4), Sun 01-26 make-up (5), 01-27 (6),
			// 02-05,06,07 (9), Sat 02-08 make-up (10), 02-10..14 (15) → 02-14; answered on the deadline → on time, 15.
			{"A01", "2025-01-20", "2025-02-14", "2025-02-14", "2025-12-31", true, true, "on_time", true, 15, true, true, "融资信贷", "金融办", "320505"},
			// A02 Fri 09-26, before 国庆 (10-01..08 off): Sun 09-28 make-up (1), 09-29,30 (3), 10-09,10 (5), Sat 10-11 (6),
			// 10-13..17 (11), 10-20..23 (15) → 10-23; answered 10-24 = 16th working day → late.
			{"A02", "2025-09-26", "2025-10-23", "2025-10-24", "2025-12-31", true, true, "late", false, 16, true, true, "账款拖欠", "工信局", "320505"},
			// A03 submitted on Sat 02-08, a make-up working day (not counted): 02-10..14 (5), 02-17..21 (10), 02-24..28 (15) → 02-28; answered 02-10 = 1.
			{"A03", "2025-02-08", "2025-02-28", "2025-02-10", "2025-12-31", true, true, "on_time", true, 1, true, true, "用工人才", "人社局", "320506"},
			// A04 individual, submitted on Sun 09-28 (make-up): 09-29,30 (2), 10-09,10 (4), Sat 10-11 (5), 10-13..17 (10),
			// 10-20..24 (15) → 10-24; answered Sat 10-11 (make-up) = 5th working day.
			{"A04", "2025-09-28", "2025-10-24", "2025-10-11", "2025-12-31", true, true, "on_time", true, 5, false, false, "市场准入", "市场监管局", "320506"},
			// A05 Sat 12-20: 12-22..26 (5), 12-29,30,31 (8), 2026-01-01..03 off, Sun 01-04 make-up (9), 01-05..09 (14), 01-12 (15).
			// Answered 2026-01-05, after C: not answered as at C, deadline ≥ C → not yet due; its 满意 is not counted (nothing done by C).
			{"A05", "2025-12-20", "2026-01-12", "2026-01-05", "2025-12-31", false, false, "not_yet_due", nil, nil, false, true, "政策落实", "发改委", "320507"},
			// A06 Thu 11-20: 11-21 (1), 11-24..28 (6), 12-01..05 (11), 12-08..11 (15); never answered, deadline < C → late.
			{"A06", "2025-11-20", "2025-12-11", nil, "2025-12-31", false, false, "late", false, nil, false, true, "要素保障", "自然资源局", "320507"},
			// A07 orphan (not in the registry, so no district), Mon 12-01: 12-02..05 (4), 12-08..12 (9), 12-15..19 (14), 12-22 (15);
			// answered 2026-01-10, after C, and the deadline passed before C → late.
			{"A07", "2025-12-01", "2025-12-22", "2026-01-10", "2025-12-31", false, false, "late", false, nil, false, true, "税费", "税务局", nil},
			// A08 Mon 03-03: 03-04..07 (4), 03-10..14 (9), 03-17..21 (14), 03-24 (15); no department → 未注明; district 999999 as registered.
			{"A08", "2025-03-03", "2025-03-24", "2025-03-04", "2025-12-31", true, true, "on_time", true, 1, true, false, "知识产权", "未注明", "999999"},
			// A09 Thu 04-03, before 清明 (04-04..06 off): 04-07..11 (5), 04-14..18 (10), 04-21..25 (15) → 04-25;
			// answered Sun 04-27, a make-up working day = 16th → late.
			{"A09", "2025-04-03", "2025-04-25", "2025-04-27", "2025-12-31", true, true, "late", false, 16, true, true, "科技创新", "科技局", "320505"},
			// A10 Thu 10-09: 10-10 (1), Sat 10-11 (2), 10-13..17 (7), 10-20..24 (12), 10-27,28,29 (15); answered 10-20 = 8th; never closed.
			{"A10", "2025-10-09", "2025-10-29", "2025-10-20", "2025-12-31", true, false, "on_time", true, 8, false, true, "涉企执法", "市场监管局", "320506"},
			// A11: docs/domain.md's vector 2024-09-27 → 2024-10-23, answered that day → on time, 15.
			{"A11", "2024-09-27", "2024-10-23", "2024-10-23", "2024-12-31", true, true, "on_time", true, 15, true, true, "融资信贷", "金融办", "320505"},
			// A12 Fri 2024-12-20: 12-23..27 (5), 12-30,31 (7), 2025-01-01 off, 01-02,03 (9), 01-06..10 (14), 01-13 (15).
			// As at its year's cut-off 2024-12-31 it was unanswered and not due: edition 2024's figure does not change later.
			{"A12", "2024-12-20", "2025-01-13", "2025-01-06", "2024-12-31", false, false, "not_yet_due", nil, nil, false, true, "账款拖欠", "工信局", "320505"},
			// A13 Fri 2024-03-15: 03-18..22 (5), 03-25..29 (10), 04-01..03 (13), 04-04..06 off, Sun 04-07 make-up (14), 04-08 (15).
			{"A13", "2024-03-15", "2024-04-08", "2024-03-18", "2024-12-31", true, true, "on_time", true, 1, true, false, "其他", "税务局", "320506"},
			// A15 Mon 12-15: 12-16..19 (4), 12-22..26 (9), 12-29..31 (12), Sun 2026-01-04 (13), 01-05,06 (15);
			// answered 2025-12-31 23:59:59: a timestamp on the day C is on or before C → on time, 12; closed 2026-01-02 → not closed.
			{"A15", "2025-12-15", "2026-01-06", "2025-12-31", "2025-12-31", true, false, "on_time", true, 12, true, true, "融资信贷", "金融办", "320507"},
			// A16 Wed 12-31 23:00 (the calendar date counts): Sun 2026-01-04 (1), 01-05..09 (6), 01-12..16 (11), 01-19..22 (15).
			{"A16", "2025-12-31", "2026-01-22", nil, "2025-12-31", false, false, "not_yet_due", nil, nil, false, false, "其他", "发改委", "320505"},
			// A17 Wed 2023-03-01 (no holiday in March 2023): 03-02,03 (2), 03-06..10 (7), 03-13..17 (12), 03-20,21,22 (15).
			{"A17", "2023-03-01", "2023-03-22", "2023-03-02", "2023-12-31", true, true, "on_time", true, 1, true, true, "税费", "税务局", "320506"},
		})
	})

	t.Run("appeal_kpis", func(t *testing.T) {
		compareTable(t, db, "appeal_kpis", appealKPIQuery, [][]any{
			{2021, "2021-12-31", 0, 0, 0, 0, 0, nil, 0, 0, 0, 0, nil, 0, 0, nil, nil, nil},
			{2022, "2022-12-31", 0, 0, 0, 0, 0, nil, 0, 0, 0, 0, nil, 0, 0, nil, nil, nil},
			// 2023: A17 alone, common, on time, closed, 满意, 1 working day.
			{2023, "2023-12-31", 1, 1, 1, 0, 1, 1.0, 0, 0, 1, 1, 1.0, 1, 1, 1.0, 1.0, 1.0},
			// 2024: A11 (common, on time), A12 (common, not yet due at 2024-12-31), A13 (individual).
			// Closed by 2024-12-31: A11, A13 → 2/3. Rated: A11 满意, A13 基本满意 (A12's rating came after) → 2/2.
			// Response times [1, 15]: median h = 1×0.5 → 1 + 0.5×14 = 8; p90 h = 0.9 → 1 + 0.9×14 = 13.6.
			{2024, "2024-12-31", 3, 2, 1, 0, 1, 1.0, 1, 0, 2, 2, 2.0 / 3, 2, 2, 1.0, 8.0, 13.6},
			// 2025: 12 received (A01-A10, A15, A16), 9 common. On time A01 A03 A10 A15 (4); late A02 A06 A07 A09 (4)
			// → 4/8 = 0.5; not yet due A05. Answered by C: A01 A02 A03 A04 A08 A09 A10 A15 (8).
			// Closed by C: A01 A02 A03 A04 A08 A09 (6) → 6/12. Rated: A01 满意, A02 基本满意, A03 不满意, A08 满意,
			// A09 不满意, A15 满意 (6; A05's comes after C) → satisfied 4/6.
			// Response times sorted [1, 1, 5, 8, 12, 15, 16, 16]: median h = 7×0.5 = 3.5 → 8 + 0.5×(12−8) = 10;
			// p90 h = 7×0.9 = 6.3 → 16 + 0.3×(16−16) = 16.
			{2025, "2025-12-31", 12, 9, 4, 4, 8, 0.5, 1, 0, 8, 6, 0.5, 6, 4, 4.0 / 6, 10.0, 16.0},
		})
	})

	t.Run("appeal breakdowns", func(t *testing.T) {
		// Districts of the 2025 appeals through the registry: 320505 A01 A02 A09 A16; 320506 A03 A04 A10;
		// 320507 A05 A06 A15; 999999 (E10, not configured) → 其他: A08; U97 not in the registry → 未知: A07.
		compareTable(t, db, "appeal_by_district",
			`SELECT district_code, district_name, received, common_on_time, common_due FROM appeal_by_district`,
			[][]any{
				{"320505", "虎丘区", 4, 1, 3}, // A01 on time; A02, A09 late
				{"320506", "吴中区", 3, 2, 2}, // A03, A10 on time (A04 is individual)
				{"320507", "相城区", 3, 1, 2}, // A15 on time, A06 late; A05 not yet due
				{"其他", "其他", 1, 0, 0},
				{"未知", "未知", 1, 0, 1}, // A07 late
			})
		compareTable(t, db, "appeal_by_kind",
			`SELECT kind, received, on_time_rate, responded, closed FROM appeal_by_kind`,
			[][]any{
				// common: 9 received, on time 4 of 8 due; answered A01 A02 A03 A09 A10 A15; closed A01 A02 A03 A09
				{"共性诉求", 9, 0.5, 6, 4},
				// individual: A04, A08 on time, A16 not yet due → 2/2; answered and closed A04, A08
				{"个性诉求", 3, 1.0, 2, 2},
			})
		compareTable(t, db, "appeal_by_month",
			`SELECT count(*), sum(received), sum(received) FILTER (WHERE month = 12), sum(received) FILTER (WHERE month = 12 AND category = '融资信贷') FROM appeal_by_month`,
			// 12 months × 12 categories; 12 appeals; December: A05 A07 A15 A16 (A06 is 11-20); 融资信贷 in December: A15
			[][]any{{144, 12, 4, 1}})
	})

	t.Run("innovation_points", func(t *testing.T) {
		// score = weight × min(value / reference, 1): T1 20/0.10, T2 15/1000, T3 10/0.30, T4 15/5, T5 5/20, T6 5/2,
		// G1 10/0.30, G2 5/500, G3 5/2000, S1 5/1, S2 5/4 (seeds/innovation_indicators.csv).
		// Columns: credit code, year, rank, points, t1 t2 t3 t4 t5 t6 g1 g2 g3 s1 s2.
		compareTable(t, db, "innovation_points",
			`SELECT uscc, year, rank, points, t1, t2, t3, t4, t5, t6, g1, g2, g3, s1, s2 FROM innovation_points ORDER BY year DESC, rank NULLS LAST, uscc`,
			[][]any{
				// E01: 600/4000 = 0.15 → 20; 600/1000 → 9; 30/100 = 0.3 → 10; 2/5 → 6; 10/20 → 2.5; 1/2 → 2.5;
				// 4000/3200 − 1 = 0.25 → 10×0.25/0.3 = 8.333333…; 250/500 → 2.5; 1000/2000 → 2.5; high-tech 5; 小巨人 3/4 → 3.75.
				// Σ = 72.0833333… → 72.083333.
				{uscc("E01"), 2025, 1, 72.083333, 20.0, 9.0, 10.0, 6.0, 2.5, 2.5, 25.0 / 3, 2.5, 2.5, 5.0, 3.75},
				// E02: 1200/5000 = 0.24 → 20; 1.2 → capped 15; staff 0 → 0; 5/5 → 15; 40/20 → capped 5; 2024 revenue 0 → G1 0;
				// high-tech 5; 专精特新中小企业 2/4 → 2.5. Σ = 62.5.
				{uscc("E02"), 2025, 2, 62.5, 20.0, 15.0, 0.0, 15.0, 5.0, 0.0, 0.0, 0.0, 0.0, 5.0, 2.5},
				// E03: 1000/20000 = 0.05 → 10; 15; staff missing → 0; 10/5 → 15; 20000/25000 − 1 < 0 → 0; 单项冠军 4/4 → 5. Σ = 45.
				{uscc("E03"), 2025, 3, 45.0, 10.0, 15.0, 0.0, 15.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 5.0},
				// E09 (cancelled in 2025, still private): 2000.1/20000.5 > 0.1 → 20; 15. Σ = 35; ties with E22, more R&D → first.
				{uscc("E09"), 2025, 4, 35.0, 20.0, 15.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0},
				// E22: 1000/5000.000001 → 20; 15; its previous declaration is 2023, not 2024 → G1 0. Σ = 35.
				{uscc("E22"), 2025, 5, 35.0, 20.0, 15.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0},
				// E18: 300/3000 = 0.1 → 20; 0.3×15 = 4.5. Σ = 24.5; ties with E17, R&D 300 > 200 → first.
				{uscc("E18"), 2025, 6, 24.5, 20.0, 4.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0},
				// E17: 200/2000 = 0.1 → 20; 3; 6/20 → 1.5. Σ = 24.5.
				{uscc("E17"), 2025, 7, 24.5, 20.0, 3.0, 0.0, 0.0, 1.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0},
				// E21: 36.9/300 = 0.123 → 20; 0.0369×15 = 0.5535. Σ = 20.5535.
				{uscc("E21"), 2025, 8, 20.5535, 20.0, 0.5535, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0},
				// E05: 12.3/100 = 0.123 → 20; 0.0123×15 = 0.1845; no 2024 declaration → G1 0. Σ = 20.1845.
				{uscc("E05"), 2025, 9, 20.1845, 20.0, 0.1845, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0},
				// E06: 10/99.999999 > 0.1 → 20; 0.15. Σ = 20.15 (ranked on points; below the 100 万元 floor for the bands).
				{uscc("E06"), 2025, 10, 20.15, 20.0, 0.15, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0},
				// E04: 6/120 = 0.05 → 10; 0.006×15 = 0.09; 120/100 − 1 = 0.2 → 10×0.2/0.3 = 6.666667. Σ = 16.7566666… → 16.756667.
				{uscc("E04"), 2025, 11, 16.756667, 10.0, 0.09, 0.0, 0.0, 0.0, 0.0, 20.0 / 3, 0.0, 0.0, 0.0, 0.0},
				// E19 and E20 declare the same: 50/1000 = 0.05 → 10; 0.75. Σ = 10.75; tie on points and R&D → credit code.
				{uscc("E19"), 2025, 12, 10.75, 10.0, 0.75, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0},
				{uscc("E20"), 2025, 13, 10.75, 10.0, 0.75, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0},
				// E07: revenue 0 → T1 0; 30/1000 → 0.45; 3/10 = 0.3 → 10. Σ = 10.45.
				{uscc("E07"), 2025, 14, 10.45, 0.0, 0.45, 10.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0},
				// E14: no R&D; 3 standards / 2 → capped 5. Σ = 5.
				{uscc("E14"), 2025, 15, 5.0, 0.0, 0.0, 0.0, 0.0, 0.0, 5.0, 0.0, 0.0, 0.0, 0.0, 0.0},
				// E16: 20/1000 = 0.02 → 4; 0.3. Σ = 4.3.
				{uscc("E16"), 2025, 16, 4.3, 4.0, 0.3, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0},
				// E12 (国有): 100/1000 = 0.1 → 20; 1.5. Σ = 21.5, points but no rank.
				{uscc("E12"), 2025, nil, 21.5, 20.0, 1.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0},
				// U99 (orphan): 500/2500 = 0.2 → 20; 7.5. Σ = 27.5, no rank.
				{uscc("U99"), 2025, nil, 27.5, 20.0, 7.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0},
				// 2024 (registry attributes S1, S2 are the current ones):
				// E01: 320/3200 = 0.1 → 20; 4.8; no 2023 declaration → G1 0; 5; 3.75. Σ = 33.55.
				{uscc("E01"), 2024, 1, 33.55, 20.0, 4.8, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 5.0, 3.75},
				// E03: 500/25000 = 0.02 → 4; 7.5; 5. Σ = 16.5.
				{uscc("E03"), 2024, 2, 16.5, 4.0, 7.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 5.0},
				// E02: revenue 0 → T1 0; 1.5; 5; 2.5. Σ = 9.
				{uscc("E02"), 2024, 3, 9.0, 0.0, 1.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 5.0, 2.5},
				{uscc("E04"), 2024, 4, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0},
				// 2023: E22 400/4000 = 0.1 → 20; 6. Σ = 26.
				{uscc("E22"), 2023, 1, 26.0, 20.0, 6.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0},
			})
	})

	t.Run("rd_intensity_ranking", func(t *testing.T) {
		// Private declarations with revenue ≥ 100 万元, bands (0, 5000], (5000, 20000], (20000, ∞);
		// within a band: intensity desc, R&D desc, credit code; incentive = top ceil(0.10 × n).
		// Not ranked: E06 (99.999999 < 100), E07 (revenue 0), E12 (国有), U99 (orphan); 2024 E02 (revenue 0).
		// Columns: credit code, year, band, rank, n, quota, incentive, intensity.
		compareTable(t, db, "rd_intensity_ranking",
			`SELECT uscc, year, band, band_rank, band_size, incentive_quota, incentive, intensity FROM rd_intensity_ranking ORDER BY year DESC, band, band_rank`,
			[][]any{
				// 2025 band 1: 11 declarations → quota ceil(1.1) = 2.
				{uscc("E02"), 2025, 1, 1, 11, 2, true, 0.24}, // revenue exactly 5000: the band holds its upper bound
				{uscc("E01"), 2025, 1, 2, 11, 2, true, 0.15},
				// E21 36.9/300 and E05 12.3/100 are both exactly 0.123 (as binary doubles they differ):
				// a tie, broken by R&D 36.9 > 12.3.
				{uscc("E21"), 2025, 1, 3, 11, 2, false, 0.123},
				{uscc("E05"), 2025, 1, 4, 11, 2, false, 0.123}, // revenue exactly 100: ranked
				{uscc("E18"), 2025, 1, 5, 11, 2, false, 0.1},   // 0.1 tie, R&D 300
				{uscc("E17"), 2025, 1, 6, 11, 2, false, 0.1},   // R&D 200
				{uscc("E19"), 2025, 1, 7, 11, 2, false, 0.05},  // 0.05, R&D 50, tie with E20 → credit code
				{uscc("E20"), 2025, 1, 8, 11, 2, false, 0.05},
				{uscc("E04"), 2025, 1, 9, 11, 2, false, 0.05}, // 6/120, R&D 6
				{uscc("E16"), 2025, 1, 10, 11, 2, false, 0.02},
				{uscc("E14"), 2025, 1, 11, 11, 2, false, 0.0},
				// band 2: 5000.000001 is above 5000; 20000 exactly is the top of band 2. n = 2 → quota 1.
				{uscc("E22"), 2025, 2, 1, 2, 1, true, 1000 / 5000.000001},
				{uscc("E03"), 2025, 2, 2, 2, 1, false, 0.05},
				// band 3: 20000.5. n = 1 → quota 1.
				{uscc("E09"), 2025, 3, 1, 1, 1, true, 2000.1 / 20000.5},
				// 2024: band 1 E01 (3200, 0.1) and E04 (revenue exactly 100, intensity 0); band 3 E03 (25000).
				{uscc("E01"), 2024, 1, 1, 2, 1, true, 0.1},
				{uscc("E04"), 2024, 1, 2, 2, 1, false, 0.0},
				{uscc("E03"), 2024, 3, 1, 1, 1, true, 0.02},
				{uscc("E22"), 2023, 1, 1, 1, 1, true, 0.1},
			})
	})

	t.Run("public_welfare_index", func(t *testing.T) {
		// Verified 2025 donations of private subjects, Σ ≥ 10 万元 → eligible (n = 6):
		//   E19 20+10 = 30 (教育, 医疗); E20 20+10 = 30 (万企兴万村 20, 教育); E07 0.1+8.2+1.7 = 10 exactly (教育, 医疗);
		//   E08 55+5 = 60 (光彩事业, 万企兴万村 5); E10 the same as E08; E15 15+5 = 20 (救灾, 扶老助残).
		// Left out: E17 9.999999 (< 10), E14 5, E12 国有, U98 orphan, E01's 200 unverified, E01's 2026 gift.
		// D3 (years with a verified gift in 2023-2025): E19 3 (its 2022 gift is outside), E08 E10 2, E20 1 (its
		// 2024 gift is unverified), E07 E15 1. D5 = 2 programmes for everyone.
		// D2 revenue: E19 E20 innovation 1000 (not the registry's 900) → 0.03; E07 innovation revenue 0 → registry
		// 200 → 0.05; E08 E10 registry 500 → 0.12; E15 registry revenue 0 and no declaration → imputed with the
		// median of [0.03, 0.03, 0.05, 0.12, 0.12] (h = 4×0.5 = 2) = 0.05.
		L := math.Log
		// Quantiles (quantile_cont) over 6 values: P5 at h = 5×0.05 = 0.25, P95 at h = 5×0.95 = 4.75.
		// D1 = ln(1+Σ) sorted [ln11, ln21, ln31, ln31, ln61, ln61]: P5 = ln11 + 0.25(ln21 − ln11), P95 = ln61.
		p5d1, p95d1 := L(11)+0.25*(L(21)-L(11)), L(61)
		d1 := func(x float64) float64 { return 100 * (math.Min(math.Max(x, p5d1), p95d1) - p5d1) / (p95d1 - p5d1) }
		// D2 sorted [0.03, 0.03, 0.05, 0.05, 0.12, 0.12]: P5 = 0.03, P95 = 0.12; 0.05 → 100×0.02/0.09.
		d2mid := 100 * 0.02 / 0.09
		// D3 sorted [1, 1, 1, 2, 2, 3]: P5 = 1, P95 = 2 + 0.75×1 = 2.75; 3 → clipped → 100; 2 → 100×1/1.75.
		d3two := 100 / 1.75
		// D4 = ln(1 + 万企兴万村) sorted [0, 0, 0, ln6, ln6, ln21]: P5 = 0, P95 = ln6 + 0.75(ln21 − ln6);
		// ln21 (E20) clipped → 100; ln6 → 100 ln6 / P95.
		d4six := 100 * L(6) / (L(6) + 0.75*(L(21)-L(6)))
		// D5 = 2 for all: P95 = P5 → every score 100.
		// index = 0.35 D1 + 0.25 D2 + 0.15 D3 + 0.15 D4 + 0.10 D5, rounded to 6 decimals.
		idx := func(s1, s2, s3, s4, s5 float64) float64 {
			return round6(0.35*s1 + 0.25*s2 + 0.15*s3 + 0.15*s4 + 0.10*s5)
		}
		e08 := idx(100, 100, d3two, d4six, 100) // ≈ 88.41 → ★★★★★
		e19 := idx(d1(L(31)), 0, 100, 0, 100)   // ≈ 44.73 → ★★★
		e20 := idx(d1(L(31)), 0, 0, 100, 100)   // 0.15×100 on D4 instead of D3: the same index as E19
		e15 := idx(d1(L(21)), d2mid, 0, 0, 100) // ≈ 26.50 → ★★
		e07 := idx(0, d2mid, 0, 0, 100)         // ≈ 15.56 → ★
		if e19 != e20 {
			t.Fatalf("fixture: E19 and E20 should tie (%v, %v)", e19, e20)
		}
		// Ties: E08 and E10 are identical → credit code; E19 and E20 tie on index and Σ (30), D3 3 > 1 → E19 first.
		// Columns: code, rank, index, stars, Σ (exact), D1..D5 raw, D1..D5, imputed, revenue source.
		compareTable(t, db, "public_welfare_index",
			`SELECT uscc, rank, index, stars, CAST(total_amount AS VARCHAR), d1_raw, d2_raw, d3_raw, d4_raw, d5_raw,
			        d1, d2, d3, d4, d5, d2_imputed, d2_revenue_source FROM public_welfare_index ORDER BY rank`,
			[][]any{
				{uscc("E08"), 1, e08, "★★★★★", "60.000000", L(61), 0.12, 2.0, L(6), 2.0, 100.0, 100.0, d3two, d4six, 100.0, false, "registry"},
				{uscc("E10"), 2, e08, "★★★★★", "60.000000", L(61), 0.12, 2.0, L(6), 2.0, 100.0, 100.0, d3two, d4six, 100.0, false, "registry"},
				{uscc("E19"), 3, e19, "★★★", "30.000000", L(31), 0.03, 3.0, 0.0, 2.0, d1(L(31)), 0.0, 100.0, 0.0, 100.0, false, "innovation"},
				{uscc("E20"), 4, e20, "★★★", "30.000000", L(31), 0.03, 1.0, L(21), 2.0, d1(L(31)), 0.0, 0.0, 100.0, 100.0, false, "innovation"},
				{uscc("E15"), 5, e15, "★★", "20.000000", L(21), 0.05, 1.0, 0.0, 2.0, d1(L(21)), d2mid, 0.0, 0.0, 100.0, true, "imputed"},
				{uscc("E07"), 6, e07, "★", "10.000000", L(11), 0.05, 1.0, 0.0, 2.0, 0.0, d2mid, 0.0, 0.0, 100.0, false, "registry"},
			})
	})

	t.Run("stars at the boundaries", func(t *testing.T) {
		// The model joins seeds/welfare_stars.csv with ASOF (largest min_index ≤ index): a boundary belongs to the higher band.
		compareTable(t, db, "stars",
			`SELECT v.i, st.stars FROM (SELECT CAST(x AS DOUBLE) AS i FROM (VALUES (80.0), (79.999999), (60.0), (40.0), (20.0), (19.999999), (0.0)) w(x)) v
			 ASOF LEFT JOIN welfare_stars st ON v.i >= st.min_index ORDER BY v.i DESC`,
			[][]any{{80.0, "★★★★★"}, {79.999999, "★★★★"}, {60.0, "★★★★"}, {40.0, "★★★"}, {20.0, "★★"}, {19.999999, "★"}, {0.0, "★"}})
	})

	t.Run("welfare_summary", func(t *testing.T) {
		// Verified gifts of private subjects by year (orphans, 国有 and unverified left out):
		// 2021 D26 2 (万企兴万村, E04); 2022 D05 3; 2023 D04 3; 2024 D03 3 + D14 1 + D17 1 = 5 (D08 unverified);
		// 2025 20+10+20+10+0.1+8.2+1.7+55+5+55+5+15+5+5+9.999999 = 224.999999 from 15 gifts by
		// E19 E20 E07 E08 E10 E15 E14 E17 (8); 万企兴万村: E20 20, E08 5, E10 5, E14 5 = 35 from 4 enterprises.
		compareTable(t, db, "welfare_summary",
			`SELECT year, CAST(total_amount AS VARCHAR), donations, donors, rural_enterprises, CAST(rural_amount AS VARCHAR),
			        index_enterprises, CAST(total_change AS VARCHAR), total_yoy FROM welfare_summary ORDER BY year`,
			[][]any{
				// 2020 is outside the data (the first year shown is 2021): no change and no rate,
				// never the whole 2021 total as if 2020 were 0 (methodology §9).
				{2021, "2.000000", 1, 1, 1, "2.000000", nil, nil, nil},
				{2022, "3.000000", 1, 1, 0, "0.000000", nil, "1.000000", 3.0/2 - 1},
				{2023, "3.000000", 1, 1, 0, "0.000000", nil, "0.000000", 0.0},
				{2024, "5.000000", 3, 3, 0, "0.000000", nil, "2.000000", 5.0/3 - 1},
				{2025, "224.999999", 15, 8, 4, "35.000000", 6, "219.999999", 224.999999/5 - 1},
			})
	})

	t.Run("chamber_health", func(t *testing.T) {
		// Hollow: fewer than 3 activities in the year, or no 会员大会 in the year and the year before.
		// CH04 was founded in 2026 and CH02 in 2022-06: no rows before. CH01's 2026 会员大会 is after C.
		// The orphan chamber CH99's activity and fees belong to no chamber.
		// Columns: chamber, year, activities, 会员大会, had one in two years, hollow, due, collected, rate.
		compareTable(t, db, "chamber_health",
			`SELECT chamber_id, year, activities, general_assemblies, had_general_assembly_2y, hollow,
			        CAST(fees_due AS DOUBLE), CAST(fees_collected AS DOUBLE), fee_collection_rate FROM chamber_health ORDER BY chamber_id, year`,
			[][]any{
				{"CH01", 2021, 0, 0, false, true, nil, nil, nil},
				{"CH01", 2022, 0, 0, false, true, nil, nil, nil},
				{"CH01", 2023, 0, 0, false, true, nil, nil, nil},
				{"CH01", 2024, 1, 1, true, true, 10.0, 6.0, 0.6},  // one activity < 3
				{"CH01", 2025, 4, 0, true, false, 10.0, 8.0, 0.8}, // 4 activities, 会员大会 in 2024
				{"CH02", 2022, 0, 0, false, true, nil, nil, nil},  // founded 2022-06-01
				{"CH02", 2023, 0, 0, false, true, nil, nil, nil},
				{"CH02", 2024, 0, 0, false, true, nil, nil, nil},
				{"CH02", 2025, 3, 0, false, true, 7.5, 5.0, 5 / 7.5}, // 3 activities (12-31 counts) but no 会员大会; 2.5 due, nothing collected
				{"CH03", 2021, 0, 0, false, true, nil, nil, nil},
				{"CH03", 2022, 0, 0, false, true, nil, nil, nil},
				{"CH03", 2023, 3, 1, true, false, nil, nil, nil},
				{"CH03", 2024, 0, 0, true, true, nil, nil, nil}, // 会员大会 in 2023 but no activity in 2024
				{"CH03", 2025, 2, 1, true, true, nil, nil, nil}, // 2 < 3
			})
		compareTable(t, db, "chamber_summary",
			`SELECT kind, chambers, hollow, hollow_share, CAST(fees_due AS DOUBLE), CAST(fees_collected AS DOUBLE), fee_collection_rate
			 FROM chamber_summary WHERE year = 2025`,
			[][]any{
				{"全部", 3, 2, 2.0 / 3, 17.5, 13.0, 13 / 17.5}, // due 10 + 7.5, collected 8 + 5
				{"区域商会", 1, 1, 1.0, nil, nil, nil},
				{"异地商会", 1, 1, 1.0, 7.5, 5.0, 5 / 7.5},
				{"行业商会", 1, 0, 0.0, 10.0, 8.0, 0.8},
			})
	})

	t.Run("market_summary", func(t *testing.T) {
		// Private subjects alive at 31 December (at C for 2025):
		// 2020: E01 E02 E03 E04 E05 E09 E16 E17 E18 E19 E20 E21 E25 = 13
		// 2021: + E06 E07 (founded on 12-31) E22, − E25 (moved out 2021-03-03) = 15
		// 2022: + E08; E24 founded 02-02 and revoked 12-31, so not alive on 12-31 = 16
		// 2023: + E10 = 17
		// 2024: − E08 (revoked 2024-03-01); E11 left with no date: alive at no date = 16
		// 2025: + E14 E15, − E09 (cancelled 06-30), − E10 (moved out 08-01); E26 is founded in 2026 = 16
		// Non-private alive: E12, E13 always; E23 (集体) 2021-05-05 .. 2023-05-05.
		compareTable(t, db, "market_summary", marketSummaryQuery, [][]any{
			{2021, 15, 3, 0, 1, 3, 15.0/13 - 1, 15.0 / 18}, // new E06 E07 E22; E25 moved out
			{2022, 16, 2, 1, 0, 1, 16.0/15 - 1, 16.0 / 19}, // new E08 E24; exit E24
			{2023, 17, 1, 0, 0, 1, 17.0/16 - 1, 17.0 / 19}, // new E10; E23's exit is not private
			{2024, 16, 1, 1, 0, 0, 16.0/17 - 1, 16.0 / 18}, // new E11; exit E08
			{2025, 16, 2, 1, 1, 1, 0.0, 16.0 / 18},         // new E14 E15; exit E09; moved out E10
		})
	})

	t.Run("quality", func(t *testing.T) {
		compareTable(t, db, "quality_flags",
			`SELECT source, flag, rows_flagged FROM quality_flags WHERE rows_flagged > 0 ORDER BY source, flag`,
			[][]any{
				{"appeals", "orphan", 1},           // A07
				{"appeals", "unknown_category", 1}, // A13
				{"chamber_activities", "orphan", 1},
				{"chamber_activities", "unknown_chamber", 1},
				{"donations", "orphan", 1},  // D23
				{"innovation", "orphan", 1}, // U99
				{"registry", "missing_cancelled_on", 1},
				{"registry", "unknown_district", 1},
				{"registry", "uscc_invalid", 1},
			})
		compareTable(t, db, "quality_files",
			`SELECT source, balanced, duplicates, invalid_uscc, orphans FROM quality_files ORDER BY source`,
			[][]any{
				{"appeals", true, 0, 0, 1},
				{"donations", true, 0, 0, 1},
				{"innovation", true, 0, 0, 1},
				{"registry", true, 1, 2, 0}, // a bad_uscc reject and E20's wrong check character
			})
		compareTable(t, db, "quality_left_undated", `SELECT status, ownership, entities FROM quality_left_undated`,
			[][]any{{"cancelled", "个体", 1}}) // E11
		compareTable(t, db, "quality_donations",
			`SELECT year, unverified, CAST(unverified_amount AS VARCHAR), verified_orphan, verified_not_private FROM quality_donations WHERE year >= 2024 ORDER BY year`,
			[][]any{
				{2024, 1, "5.000000", 0, 0},   // D08
				{2025, 1, "200.000000", 1, 1}, // D24; D23 (U98); D22 (国有)
				{2026, 0, "0.000000", 0, 0},   // D25
			})
		compareTable(t, db, "quality_nulls",
			`SELECT column_name, required, rows_loaded, nulls, rejected_missing FROM quality_nulls WHERE source = 'appeals' AND column_name IN ('submitted_at', 'department', 'closed_at')`,
			[][]any{
				{"submitted_at", true, 16, 0, 1}, // one row rejected as missing_required
				{"department", false, 16, 1, 0},  // A08
				{"closed_at", false, 16, 4, 0},   // A06 A07 A10 A16
			})
	})
}

// TestIndicatorsDuringTheYear is edition 2025 extracted on 2025-10-10 (C = E): the data are
// what existed that day, and appeals whose deadline is still ahead are not yet due.
func TestIndicatorsDuringTheYear(t *testing.T) {
	db, proj := buildIndicators(t, indicatorConfig("2025-10-10"), snapshotAt("2025-10-10"))
	checksPass(t, db, proj)
	compareTable(t, db, "appeal_deadlines", appealDeadlineQuery, [][]any{
		{"A01", "2025-01-20", "2025-02-14", "2025-02-14", "2025-10-10", true, true, "on_time", true, 15, true, true, "融资信贷", "金融办", "320505"},
		// A02: answered 10-24 and closed 10-30, after E, so not in the data; deadline 10-23 ≥ C → not yet due;
		// its rating does not count yet.
		{"A02", "2025-09-26", "2025-10-23", nil, "2025-10-10", false, false, "not_yet_due", nil, nil, false, true, "账款拖欠", "工信局", "320505"},
		{"A03", "2025-02-08", "2025-02-28", "2025-02-10", "2025-10-10", true, true, "on_time", true, 1, true, true, "用工人才", "人社局", "320506"},
		// A04 individual, deadline 10-24 ≥ C.
		{"A04", "2025-09-28", "2025-10-24", nil, "2025-10-10", false, false, "not_yet_due", nil, nil, false, false, "市场准入", "市场监管局", "320506"},
		{"A08", "2025-03-03", "2025-03-24", "2025-03-04", "2025-10-10", true, true, "on_time", true, 1, true, false, "知识产权", "未注明", "999999"},
		{"A09", "2025-04-03", "2025-04-25", "2025-04-27", "2025-10-10", true, true, "late", false, 16, true, true, "科技创新", "科技局", "320505"},
		// A10 submitted the day before E, deadline 10-29.
		{"A10", "2025-10-09", "2025-10-29", nil, "2025-10-10", false, false, "not_yet_due", nil, nil, false, true, "涉企执法", "市场监管局", "320506"},
		// Earlier years are measured at their own 31 December, as in the first case.
		{"A11", "2024-09-27", "2024-10-23", "2024-10-23", "2024-12-31", true, true, "on_time", true, 15, true, true, "融资信贷", "金融办", "320505"},
		{"A12", "2024-12-20", "2025-01-13", "2025-01-06", "2024-12-31", false, false, "not_yet_due", nil, nil, false, true, "账款拖欠", "工信局", "320505"},
		{"A13", "2024-03-15", "2024-04-08", "2024-03-18", "2024-12-31", true, true, "on_time", true, 1, true, false, "其他", "税务局", "320506"},
		{"A17", "2023-03-01", "2023-03-22", "2023-03-02", "2023-12-31", true, true, "on_time", true, 1, true, true, "税费", "税务局", "320506"},
	})
	compareTable(t, db, "appeal_kpis", appealKPIQuery, [][]any{
		{2021, "2021-12-31", 0, 0, 0, 0, 0, nil, 0, 0, 0, 0, nil, 0, 0, nil, nil, nil},
		{2022, "2022-12-31", 0, 0, 0, 0, 0, nil, 0, 0, 0, 0, nil, 0, 0, nil, nil, nil},
		{2023, "2023-12-31", 1, 1, 1, 0, 1, 1.0, 0, 0, 1, 1, 1.0, 1, 1, 1.0, 1.0, 1.0},
		{2024, "2024-12-31", 3, 2, 1, 0, 1, 1.0, 1, 0, 2, 2, 2.0 / 3, 2, 2, 1.0, 8.0, 13.6},
		// 2025 as at 10-10: 7 received (A01 A02 A03 A04 A08 A09 A10), common A01 A02 A03 A09 A10.
		// On time A01 A03, late A09 → 2/3; not yet due A02 A10. Answered and closed: A01 A03 A08 A09 → 4, 4/7.
		// Rated: A01 满意, A03 不满意, A08 满意, A09 不满意 → 2/4. Response times [1, 1, 15, 16]:
		// median h = 3×0.5 = 1.5 → 1 + 0.5×14 = 8; p90 h = 2.7 → 15 + 0.7×1 = 15.7.
		{2025, "2025-10-10", 7, 5, 2, 1, 3, 2.0 / 3, 2, 0, 4, 4, 4.0 / 7, 4, 2, 0.5, 8.0, 15.7},
	})
	// Stock at C = 2025-10-10: 2024's 16 + E14 − E09 − E10 = 15 (E15 and E26 do not exist yet);
	// all entities alive 15 + E12 + E13 = 17.
	compareTable(t, db, "market_summary", marketSummaryQuery+" DESC LIMIT 1", [][]any{
		{2025, 15, 1, 1, 1, 0, 15.0/16 - 1, 15.0 / 17},
	})
}

// TestDeadlineWithoutCalendar: a date the calendar does not cover gets no deadline, never a
// guessed one, and the not_null(deadline) check of appeal_deadlines fails the run's checks.
// The calendar's years are those whose notice is present (2019-2026): 2018 has three rows
// from the 2019 notice but is not covered; 2027 has none. A calendar with a missing year in
// the middle splits into spans, and no deadline is counted across the gap.
func TestDeadlineWithoutCalendar(t *testing.T) {
	cal, err := os.ReadFile("../data/cn_holidays.csv")
	if err != nil {
		t.Fatal(err)
	}
	var kept []string
	for _, line := range strings.Split(strings.TrimSpace(string(cal)), "\n") {
		if !strings.HasPrefix(line, "2022-") {
			kept = append(kept, line)
		}
	}
	path := t.TempDir() + "/holidays_without_2022.csv"
	if err := os.WriteFile(path, []byte(strings.Join(kept, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := indicatorConfig("2026-03-01")
	cfg.Calendar = path
	db, proj := buildIndicators(t, cfg, `INSERT INTO appeals (appeal_id, uscc, submitted_at, category, is_common) VALUES
		('X18', 'E01', TIMESTAMP '2018-06-01 10:00:00', '其他', true),
		('X21', 'E01', TIMESTAMP '2021-12-28 10:00:00', '其他', true),
		('X23', 'E01', TIMESTAMP '2023-03-01 10:00:00', '其他', true),
		('X26', 'E01', TIMESTAMP '2026-12-28 10:00:00', '其他', true)`)
	compareTable(t, db, "deadlines",
		`SELECT appeal_id, strftime(deadline, '%Y-%m-%d'), outcome FROM appeal_deadlines WHERE appeal_id LIKE 'X%' ORDER BY appeal_id`,
		[][]any{
			{"X18", nil, nil},
			{"X21", nil, nil}, // its 15th working day would fall in 2022, which this calendar lacks
			{"X23", "2023-03-22", "late"},
			{"X26", nil, nil}, // the 15th working day would fall in 2027
		})
	compareTable(t, db, "no_deadline in the 2021 KPIs", `SELECT no_deadline FROM appeal_kpis WHERE year = 2021`, [][]any{{1}})
	res, err := runChecks(context.Background(), db, proj, "test", nil)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range res {
		if r.Name == "appeal_deadlines.not_null(deadline)" {
			found = true
			if r.Status != "fail" || r.Failing != 3 || r.Severity != "error" {
				t.Errorf("%s: %s, %d failing, severity %s; want fail, 3, error", r.Name, r.Status, r.Failing, r.Severity)
			}
		}
	}
	if !found {
		t.Error("appeal_deadlines has no not_null(deadline) check")
	}
}

// TestChambersOptional: with the optional chamber sources empty every model still builds
// and the chamber tables are empty.
func TestChambersOptional(t *testing.T) {
	db, proj := buildIndicators(t, indicatorConfig("2026-03-01"),
		"DELETE FROM chambers; DELETE FROM chamber_activities; DELETE FROM chamber_fees")
	checksPass(t, db, proj)
	compareTable(t, db, "chamber tables", `SELECT (SELECT count(*) FROM chamber_health), (SELECT count(*) FROM chamber_summary)`, [][]any{{0, 0}})
}

// TestModelsOnEmptySources: every model builds, and every check passes, when every source
// table is empty (what `bluebook check` binds against).
func TestModelsOnEmptySources(t *testing.T) {
	var edits []string
	for _, tb := range []string{"registry", "appeals", "innovation", "donations", "chambers", "chamber_activities", "chamber_fees", "districts", "rejects", "ingest_files"} {
		edits = append(edits, "DELETE FROM "+tb)
	}
	db, proj := buildIndicators(t, indicatorConfig("2026-03-01"), strings.Join(edits, ";\n"))
	checksPass(t, db, proj)
	// The appeal and welfare trends keep their five years (zeros); the market tables are empty
	// without registry rows.
	compareTable(t, db, "five-year tables",
		`SELECT (SELECT count(*) FROM appeal_kpis), (SELECT count(*) FROM welfare_summary), (SELECT count(*) FROM innovation_summary),
		        (SELECT count(*) FROM market_summary), (SELECT count(*) FROM public_welfare_index)`,
		[][]any{{5, 5, 5, 0, 0}})
}

// BenchmarkModels times building every model on a city of 1,000,000 registry rows
// (testdata/indicators/scale.sql): go test ./pipeline/ -run '^$' -bench Models -benchtime 1x
func BenchmarkModels(b *testing.B) {
	ctx := context.Background()
	cfg := indicatorConfig("2026-03-01")
	db, err := openDB(ctx, "", cfg, false)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	for _, f := range []string{"testdata/indicators/schema.sql", "testdata/indicators/scale.sql"} {
		q, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := db.ExecContext(ctx, string(q)); err != nil {
			b.Fatalf("%s: %v", f, err)
		}
	}
	proj, err := prepareModels(ctx, db, cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		runs, err := buildModels(ctx, db, proj.Models, nil)
		if err != nil {
			b.Fatal(err)
		}
		if i == b.N-1 {
			for _, r := range runs {
				if r.Duration > 200*time.Millisecond {
					b.Logf("%-28s %8d rows %v", r.Name, r.Rows, r.Duration.Round(time.Millisecond))
				}
			}
		}
	}
}

// TestFixtureSchemaMatchesIngest: every column of the fixture's tables exists, with the same
// type, in the tables ingest creates, so the models are tested on the real contract.
func TestFixtureSchemaMatchesIngest(t *testing.T) {
	ctx := context.Background()
	columns := func(db *sql.DB) map[string]string {
		out := map[string]string{}
		for _, r := range queryRows(t, db, `SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = 'main'`) {
			out[r[0].(string)+"."+r[1].(string)] = r[2].(string)
		}
		return out
	}
	ours, err := openDB(ctx, "", Config{}, false)
	if err != nil {
		t.Fatal(err)
	}
	defer ours.Close()
	schema, err := os.ReadFile("testdata/indicators/schema.sql")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ours.ExecContext(ctx, string(schema)); err != nil {
		t.Fatal(err)
	}
	theirs, err := openDB(ctx, "", Config{}, false)
	if err != nil {
		t.Fatal(err)
	}
	defer theirs.Close()
	if err := ingest.CreateEmpty(ctx, theirs); err != nil {
		t.Fatal(err)
	}
	want := columns(theirs)
	if len(want) == 0 {
		t.Skip("ingest.CreateEmpty created no tables")
	}
	for col, typ := range columns(ours) {
		if got, ok := want[col]; !ok {
			t.Errorf("fixture column %s (%s) is not created by ingest", col, typ)
		} else if got != typ {
			t.Errorf("fixture column %s is %s, ingest creates %s", col, typ, got)
		}
	}
	// registry.name_tail is generated in the fixture by ingest's own expression.
	if !strings.Contains(string(schema), "name_tail VARCHAR AS ("+ingest.NameTailExpr("name")+")") {
		t.Errorf("testdata/indicators/schema.sql: registry.name_tail is not generated as %s", ingest.NameTailExpr("name"))
	}
}
