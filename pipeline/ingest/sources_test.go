package ingest

import (
	"context"
	"errors"
	"strings"
	"testing"

	"bluebook/diag"
)

// TestOtherSourcesRules covers the rules of appeals, innovation and donations: duplicates
// (first occurrence by file name, then line), orphans, fallbacks with flags, dates in order.
func TestOtherSourcesRules(t *testing.T) {
	dir := t.TempDir()
	u1, u2 := uscc("91320505MA0000001"), uscc("91320505MA0000002")
	writeFile(t, dir, "registry/r.csv", []byte("uscc,name,ownership,established_on\n"+u1+",甲,民营,2020-01-01\n"))
	writeFile(t, dir, "appeals/a.csv", []byte(strings.Join([]string{
		"诉求编号,统一社会信用代码,提报时间,诉求类别,是否共性诉求,首次响应时间,办结时间,满意度",
		"A1," + u1 + ",2025-01-02 10:00,融资信贷,是,2025-01-03 09:00,2025-01-10,5",
		"A2," + u2 + ",2025/1/2 10:00:30,乱七八糟,N,,,",             // orphan, unknown category
		"A3," + u1 + ",2025-01-02 10:00,税费,,2025-01-01 09:00,,", // responded before submitted
		"A4," + u1 + ",2025-01-02 10:00,税费,,,2025-01-01,",       // closed before submitted
		"A5," + u1 + ",2025-01-02,税费,,,,很好",                     // unknown satisfaction
		"A6," + u1 + ",2025-07-02 10:00,税费,,,,",                 // future
		"A1," + u1 + ",2025-01-05 10:00,税费,,,,",                 // duplicate of line 2
		"A7," + u1 + ",2025-01-32,税费,,,,",                       // bad timestamp
	}, "\n")))
	writeFile(t, dir, "appeals/0.csv", []byte("工单编号,统一社会信用代码,受理时间\nA7,"+u1+",2025年1月3日 08:00\n"))
	writeFile(t, dir, "innovation/i.csv", []byte(strings.Join([]string{
		"统一社会信用代码,年度,研发费用（万元）,营业收入,研发人员数,职工总数",
		u1 + ",2024,0.1,10,5,10",
		u1 + ",2024,8.2,10,5,10",  // duplicate (uscc, year)
		u1 + ",2023,8.2,10,11,10", // staff < rd_staff
		u2 + ",2024年,1.7,10,,",    // orphan
		u1 + ",2022,-1,10,,",      // negative
	}, "\n")))
	writeFile(t, dir, "donations/d.csv", []byte(strings.Join([]string{
		"捐赠编号,统一社会信用代码,捐赠日期,捐赠金额（元）,公益项目类别,是否到账",
		"D1," + u1 + ",2025-01-01,1000,教育,是",
		"D2," + u1 + ",2025-01-01,82000,不知道,",
		"D3," + u1 + ",2025-01-01,0,教育,是",
		"D4," + u1 + ",2025-01-01,\"17,000\",万企兴万村,1",
		"D6," + u1 + ",2025-01-01,\"1,70\",万企兴万村,1",
	}, "\n")))
	writeFile(t, dir, "donations/e.csv", []byte("捐赠编号,统一社会信用代码,捐赠日期,捐赠金额\nD5,"+u1+",2025-01-01,0.1\n"))
	db := openDB(t)
	if _, err := runIngest(t, db, dir, nil); err != nil {
		t.Fatal(err)
	}
	equal(t, "rejects", query(t, db, "SELECT file, line, column_name, rule, value FROM rejects ORDER BY source, file, CAST(line AS INT)"), []string{
		"appeals/a.csv|4|responded_at|date_order|2025-01-01 09:00",
		"appeals/a.csv|5|closed_at|date_order|2025-01-01",
		"appeals/a.csv|6|satisfaction|unknown_value|很好",
		"appeals/a.csv|7|submitted_at|future_date|2025-07-02 10:00",
		"appeals/a.csv|8|appeal_id|duplicate_id|A1",
		"appeals/a.csv|9|submitted_at|bad_value|2025-01-32",
		"donations/d.csv|4|amount|out_of_range|0",
		"donations/d.csv|6|amount|bad_value|1,70",
		"innovation/i.csv|3|uscc,year|duplicate_id|" + u1 + ",2024",
		"innovation/i.csv|4|staff|out_of_range|10",
		"innovation/i.csv|6|rd_expense|out_of_range|-1",
	})
	equal(t, "appeals", query(t, db, "SELECT appeal_id, submitted_at, category, is_common, satisfaction, orphan, unknown_category, source_file, source_line FROM appeals ORDER BY appeal_id"), []string{
		"A1|2025-01-02 10:00:00|融资信贷|true|满意|false|false|appeals/a.csv|2",
		"A2|2025-01-02 10:00:30|其他|false|NULL|true|true|appeals/a.csv|3",
		"A7|2025-01-03 08:00:00|其他|false|NULL|false|true|appeals/0.csv|2",
	})
	equal(t, "innovation", query(t, db, "SELECT uscc, year, rd_expense, orphan FROM innovation ORDER BY source_line"), []string{
		u1 + "|2024|0.1|false",
		u2 + "|2024|1.7|true",
	})
	equal(t, "donations", query(t, db, "SELECT donation_id, amount, program, verified, orphan, unknown_program, verified_assumed FROM donations ORDER BY donation_id"), []string{
		"D1|0.1|教育|true|false|false|false",
		"D2|8.2|其他|false|false|true|false",
		"D4|1.7|万企兴万村|true|false|false|false",
		"D5|0.1|其他|true|false|true|true",
	})
	// Money is exact: 0.1 + 8.2 + 1.7 = 10.
	equal(t, "money", query(t, db, "SELECT sum(amount) = 10, typeof(sum(amount)) FROM donations WHERE donation_id IN ('D1', 'D2', 'D4')"), []string{"true|DECIMAL(38,6)"})
	equal(t, "note", query(t, db, "SELECT file, coalesce(note, '') FROM ingest_files WHERE source = 'donations' ORDER BY file"), []string{
		"donations/d.csv|",
		"donations/e.csv|no verified column: every row counted as verified",
	})
	equal(t, "ledger", query(t, db, "SELECT file, rows_read, rows_loaded, rows_rejected, rows_flagged FROM ingest_files WHERE source <> 'registry' ORDER BY file"), []string{
		"appeals/0.csv|1|1|0|1",
		"appeals/a.csv|8|2|6|1",
		"donations/d.csv|5|3|2|1",
		"donations/e.csv|1|1|0|1",
		"innovation/i.csv|5|2|3|1",
	})
}

func TestMissingColumnError(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "registry/x.csv", []byte("企业名称,经济类型,成立日期\n甲,民营,2020-01-01\n"))
	minimalSources(t, dir)
	_, err := runIngest(t, openDB(t), dir, nil)
	const want = `registry/x.csv:1:1: missing required column "uscc" (accepted headers: uscc, 统一社会信用代码, 信用代码)`
	if err == nil || err.Error() != want {
		t.Fatalf("error = %v\nwant    %s", err, want)
	}
	var fe *diag.Error
	if !errors.As(err, &fe) || fe.Path != "registry/x.csv" {
		t.Errorf("not a *diag.Error naming the file: %#v", err)
	}
}

func TestBadUnitError(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "registry/x.csv", []byte("uscc,企业名称,经济类型,成立日期,注册资本（千元）\n"))
	minimalSources(t, dir)
	_, err := runIngest(t, openDB(t), dir, nil)
	const want = `registry/x.csv:1:5: header "注册资本（千元）": unit "千元" is not accepted for the money column "registered_capital" (use 万元 or 元)`
	if err == nil || err.Error() != want {
		t.Fatalf("error = %v\nwant    %s", err, want)
	}
}

func TestForeignFileType(t *testing.T) {
	dir := t.TempDir()
	minimalSources(t, dir)
	writeFile(t, dir, "appeals/notes.txt", []byte("hello"))
	writeFile(t, dir, "appeals/.DS_Store", []byte("ignored"))
	_, err := runIngest(t, openDB(t), dir, nil)
	const want = `appeals/notes.txt: file type ".txt" is not accepted in a source folder (use .csv, .xlsx or .parquet, or move the file out)`
	if err == nil || err.Error() != want {
		t.Fatalf("error = %v\nwant    %s", err, want)
	}
}

func TestMissingRequiredSource(t *testing.T) {
	dir := t.TempDir()
	minimalSources(t, dir)
	writeFile(t, dir, "x", nil)
	db := openDB(t)
	_, err := Run(context.Background(), db, Options{DataDir: dir + "/nope"})
	var se *SourceError
	if !errors.As(err, &se) || se.Source != "districts" && se.Source != "registry" {
		t.Fatalf("error = %v, want a SourceError for registry", err)
	}
	if !strings.Contains(err.Error(), "registry") {
		t.Errorf("error %q does not name the folder", err)
	}
}

func TestRejectShare(t *testing.T) {
	dir := t.TempDir()
	minimalSources(t, dir)
	writeFile(t, dir, "appeals/b.csv", []byte("诉求编号,统一社会信用代码,提报时间\nB1,x,\nB2,x,bad\n"))
	db := openDB(t)
	_, err := runIngest(t, db, dir, func(o *Options) { o.MaxRejectShare = 0.05 })
	const want = "source appeals: 66.7% of 3 rows rejected, above the limit of 5.0% (top rules: bad_value: 1, missing_required: 1)"
	if err == nil || err.Error() != want {
		t.Fatalf("error = %v\nwant    %s", err, want)
	}
}
