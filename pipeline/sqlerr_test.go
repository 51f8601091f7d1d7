package pipeline

import (
	"database/sql"
	"testing"
)

// TestTypeMismatchInWords: a date minus a text says which operand has which type and how
// to fix it, instead of DuckDB's list of every candidate, at the operator's place.
func TestTypeMismatchInWords(t *testing.T) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	text := "-- 中文说明\nSELECT '中文' AS a, CAST(getvariable('cutoff') AS DATE) - established FROM (SELECT '2020-01-01' AS established)"
	_, err = db.Exec("CREATE TABLE m AS\n" + text)
	if err == nil {
		t.Fatal("no error")
	}
	got := mapDuckErr(err, "queries/m.sql", text, 1).Error()
	want := "queries/m.sql:2:55: Binder Error: - cannot be applied to these operands: the left one is a date (DATE), the right one text (VARCHAR); turn the text into a date first (CAST(x AS DATE)); for the days between two dates use date_diff('day', start, end)"
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}
