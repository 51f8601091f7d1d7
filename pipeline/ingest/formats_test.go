package ingest

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// TestXLSX reads a workbook with two matching sheets in different layouts (one with a
// title row above the header) and one sheet that does not match, with date cells, a
// date typed as text and a 元 amount.
func TestXLSX(t *testing.T) {
	dir := t.TempDir()
	minimalSources(t, dir)
	u1 := uscc("91320505MA0000001")
	f := excelize.NewFile()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(f.SetSheetRow("Sheet1", "A1", &[]any{"捐赠编号", "统一社会信用代码", "捐赠日期", "捐赠金额(元)", "是否到账", "备注"}))
	must(f.SetSheetRow("Sheet1", "A2", &[]any{"X1", u1, time.Date(2025, 3, 7, 0, 0, 0, 0, time.UTC), 1000, true, "a"}))
	must(f.SetSheetRow("Sheet1", "A3", &[]any{"X2", u1, "2025年3月8日", 82000, "否"}))
	// Row 4 empty, row 5 bad.
	must(f.SetSheetRow("Sheet1", "A5", &[]any{"X3", u1, "2025-02-30", 17000}))
	must(f.SetSheetRow("Sheet1", "A6", &[]any{"X4", u1, 20250309, 17000, "Y"}))
	_, err := f.NewSheet("说明")
	must(err)
	must(f.SetSheetRow("说明", "A1", &[]any{"本表说明", "字段"}))
	_, err = f.NewSheet("二月")
	must(err)
	must(f.SetSheetRow("二月", "B3", &[]any{"捐赠编号", "统一社会信用代码", "捐赠日期", "捐赠金额"}))
	must(f.SetSheetRow("二月", "B4", &[]any{"X5", u1, 45700.0, "0.5"}))
	must(f.SetSheetRow("二月", "B5", &[]any{"X1", u1, 45700.0, "0.5"}))
	must(f.SaveAs(filepath.Join(dir, "donations", "book.xlsx")))

	db := openDB(t)
	if _, err := runIngest(t, db, dir, nil); err != nil {
		t.Fatal(err)
	}
	equal(t, "donations", query(t, db, "SELECT donation_id, donated_on, amount, verified, verified_assumed, source_file, source_line FROM donations WHERE source_file LIKE '%.xlsx' ORDER BY donation_id"), []string{
		"X1|2025-03-07|0.1|true|false|donations/book.xlsx|Sheet1!2",
		"X2|2025-03-08|8.2|false|false|donations/book.xlsx|Sheet1!3",
		"X4|2025-03-09|1.7|true|false|donations/book.xlsx|Sheet1!6",
		"X5|2025-02-12|0.5|true|true|donations/book.xlsx|二月!4",
	})
	equal(t, "rejects", query(t, db, "SELECT file, line, column_name, rule, value, raw FROM rejects ORDER BY line"), []string{
		"donations/book.xlsx|Sheet1!5|donated_on|bad_value|2025-02-30|X3," + u1 + ",2025-02-30,17000",
		"donations/book.xlsx|二月!5|donation_id|duplicate_id|X1|,X1," + u1 + ",45700,0.5",
	})
	equal(t, "skipped", query(t, db, "SELECT file, sheet, reason FROM ingest_skipped_sheets"), []string{
		`donations/book.xlsx|说明|missing required column "donation_id" (accepted headers: donation_id, 捐赠编号)`,
	})
	equal(t, "ledger", query(t, db, "SELECT file, encoding, rows_read, rows_loaded, rows_rejected FROM ingest_files WHERE file LIKE '%xlsx'"), []string{
		"donations/book.xlsx|xlsx|6|4|2",
	})
	equal(t, "extra column", query(t, db, "SELECT count(*) FROM raw.donations WHERE 备注 = 'a'"), []string{"1"})
	equal(t, "note", query(t, db, "SELECT note FROM ingest_files WHERE file LIKE '%xlsx'"), []string{"no verified column in sheet 二月: every row there counted as verified"})
	equal(t, "money", query(t, db, "SELECT sum(amount) FROM donations WHERE donation_id IN ('X1', 'X2', 'X4')"), []string{"10"})
}

func TestParquet(t *testing.T) {
	dir := t.TempDir()
	minimalSources(t, dir)
	u1 := uscc("91320505MA0000001")
	db := openDB(t)
	p := filepath.Join(dir, "innovation", "i.parquet")
	if _, err := db.Exec(`COPY (SELECT * FROM (VALUES
		(?, 2023, 0.1::DECIMAL(10,2), 10.0::DOUBLE, 3::BIGINT, DATE '2024-01-01'),
		(?, 2024, 8.2::DECIMAL(10,2), 10.0::DOUBLE, NULL, NULL),
		('bad', NULL, 1.7::DECIMAL(10,2), 10.0::DOUBLE, 1::BIGINT, NULL)
	) t("统一社会信用代码", "年度", "研发费用", "营业收入", "研发人员数", "填报日期")) TO '`+p+`' (FORMAT parquet)`, u1, u1); err != nil {
		t.Fatal(err)
	}
	if _, err := runIngest(t, db, dir, nil); err != nil {
		t.Fatal(err)
	}
	equal(t, "innovation", query(t, db, "SELECT uscc, year, rd_expense, revenue, rd_staff, source_line FROM innovation WHERE source_file LIKE '%parquet' ORDER BY year"), []string{
		u1 + "|2023|0.1|10|3|1",
		u1 + "|2024|8.2|10|NULL|2",
	})
	equal(t, "rejects", query(t, db, "SELECT file, line, column_name, rule, raw FROM rejects"), []string{
		"innovation/i.parquet|3|year|missing_required|bad,,1.70,10.0,1,",
	})
	equal(t, "raw extra", query(t, db, "SELECT count(填报日期) FROM raw.innovation"), []string{"1"})
}

// TestXLSXTimestamps: a date-time cell, a time typed as text, a numeric yyyymmdd.
func TestXLSXTimestamps(t *testing.T) {
	dir := t.TempDir()
	u1 := uscc("91320505MA0000001")
	writeFile(t, dir, "registry/r.csv", []byte("uscc,name,ownership,established_on\n"+u1+",甲,民营,2020-01-01\n"))
	minimalSources(t, dir)
	if err := os.Remove(filepath.Join(dir, "appeals", "a.csv")); err != nil {
		t.Fatal(err)
	}
	f := excelize.NewFile()
	rows := [][]any{
		{"诉求编号", "统一社会信用代码", "提报时间", "首次响应时间", "是否共性诉求"},
		{"A1", u1, time.Date(2025, 3, 7, 9, 30, 0, 0, time.UTC), "2025/3/8 10:05", true},
		{"A2", u1, 20250309, "2025年3月10日 08:00:00", false},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.SaveAs(filepath.Join(dir, "appeals", "a.xlsx")); err != nil {
		t.Fatal(err)
	}
	db := openDB(t)
	if _, err := runIngest(t, db, dir, nil); err != nil {
		t.Fatal(err)
	}
	equal(t, "appeals", query(t, db, "SELECT appeal_id, submitted_at, responded_at, is_common, source_line FROM appeals ORDER BY appeal_id"), []string{
		"A1|2025-03-07 09:30:00|2025-03-08 10:05:00|true|Sheet1!2",
		"A2|2025-03-09|2025-03-10 08:00:00|false|Sheet1!3",
	})
}
