package pipeline

import (
	"regexp"
	"testing"
)

// TestQualityDatesPrintYearsAsYears: the year columns of innovation and chamber fees are
// kept in quality_profile as 1 January and 31 December of their years; the appendix prints
// them as years (2025年), not as the dates 2025年1月1日 and 2025年12月31日, and real date
// columns as dates.
func TestQualityDatesPrintYearsAsYears(t *testing.T) {
	db, _ := buildIndicators(t, indicatorConfig("2026-03-31"))
	rows, err := db.Query("SELECT column_name, earliest_text, latest_text FROM report_quality_dates WHERE earliest IS NOT NULL")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	year, date := regexp.MustCompile(`^\d{4}年$`), regexp.MustCompile(`^\d{4}年\d{1,2}月\d{1,2}日$`)
	years, dates := 0, 0
	for rows.Next() {
		var col, lo, hi string
		if err := rows.Scan(&col, &lo, &hi); err != nil {
			t.Fatal(err)
		}
		want := date
		if col == "year" {
			want, years = year, years+1
		} else {
			dates++
		}
		if !want.MatchString(lo) || !want.MatchString(hi) {
			t.Errorf("%s: printed %s … %s", col, lo, hi)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if years == 0 || dates == 0 {
		t.Errorf("fixture gives %d year columns and %d date columns; want some of each", years, dates)
	}
}
