package ingest

import (
	"strconv"
	"testing"
)

// TestSectionNumberExpr evaluates the registry view's section expression in DuckDB for every
// value of the stored division (a UTINYINT) and NULL, against the ranges of sectionRanges:
// the letter of the section whose divisions include d, '?' for 0, 98-255 and NULL.
func TestSectionNumberExpr(t *testing.T) {
	db := openDB(t)
	got := query(t, db, "SELECT coalesce(CAST(d AS VARCHAR), 'NULL') || '=' || "+sectionNumberExpr("d")+
		" FROM (SELECT CAST(x AS UTINYINT) AS d FROM range(256) t(x) UNION ALL SELECT NULL) ORDER BY d NULLS LAST")
	var want []string
	for d := 0; d < 256; d++ {
		letter := "?"
		for _, s := range sectionRanges() {
			if d >= s.First && d <= s.Last {
				letter = s.Section
			}
		}
		want = append(want, strconv.Itoa(d)+"="+letter)
	}
	want = append(want, "NULL=?")
	equal(t, "sections", got, want)
}
