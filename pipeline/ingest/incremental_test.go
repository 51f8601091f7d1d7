package ingest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"bluebook/duck"
)

func skippedOf(res Result) string {
	var out []string
	for _, s := range res.Sources {
		if s.Skipped {
			out = append(out, s.Name)
		}
	}
	return strings.Join(out, ",")
}

func TestIncremental(t *testing.T) {
	dir := t.TempDir()
	u1, u2 := uscc("91320505MA0000001"), uscc("91320505MA0000002")
	writeFile(t, dir, "registry/r.csv", []byte("uscc,name,ownership,established_on\n"+u1+",甲,民营,2020-01-01\n"+u2+",乙,民营,2020-01-01\n"))
	writeFile(t, dir, "appeals/a.csv", []byte("appeal_id,uscc,submitted_at\nA1,"+u1+",2025-01-01\nA2,"+u2+",2025-01-01\nA3,bad,\n"))
	minimalSources(t, dir)
	db := openDB(t)
	landing := filepath.Join(t.TempDir(), "landing")
	mod := func(o *Options) { o.LandingDir = landing }

	res, err := runIngest(t, db, dir, mod)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Changed || skippedOf(res) != "" {
		t.Fatalf("first run: changed=%v skipped=%q", res.Changed, skippedOf(res))
	}
	landed, _ := os.ReadDir(landing)
	if len(landed) != 4 {
		t.Errorf("landing has %d files, want 4 (one per input file)", len(landed))
	}

	// Nothing changed: nothing is read again, and the tables are as they were.
	res, err = runIngest(t, db, dir, mod)
	if err != nil {
		t.Fatal(err)
	}
	if res.Changed || skippedOf(res) != "districts,chambers,registry,appeals,innovation,donations,chamber_activities,chamber_fees" {
		t.Fatalf("second run: changed=%v skipped=%q", res.Changed, skippedOf(res))
	}
	if res.Sources[3].RowsRead != 3 || res.Sources[3].RowsRejected != 1 {
		t.Errorf("skipped appeals reports %+v", res.Sources[3])
	}
	equal(t, "rejects kept", query(t, db, "SELECT file, line, rule FROM rejects"), []string{"appeals/a.csv|4|missing_required"})

	// The registry loses u2: only the registry is read again, and the appeal of u2
	// becomes an orphan without appeals being read.
	time.Sleep(10 * time.Millisecond)
	writeFile(t, dir, "registry/r.csv", []byte("uscc,name,ownership,established_on\n"+u1+",甲,民营,2020-01-01\n"))
	res, err = runIngest(t, db, dir, mod)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Changed || skippedOf(res) != "districts,chambers,appeals,innovation,donations,chamber_activities,chamber_fees" {
		t.Fatalf("third run: changed=%v skipped=%q", res.Changed, skippedOf(res))
	}
	equal(t, "orphans", query(t, db, "SELECT appeal_id, orphan FROM appeals ORDER BY appeal_id"), []string{"A1|false", "A2|true"})
	equal(t, "flag counts", query(t, db, "SELECT rows_flagged FROM ingest_files WHERE source = 'appeals'"), []string{"2"})
	landed, _ = os.ReadDir(landing)
	if len(landed) != 5 {
		t.Errorf("landing has %d files, want 5", len(landed))
	}

	// A new extraction date changes the future_date rule: everything is read again.
	res, err = runIngest(t, db, dir, func(o *Options) { o.AsOf = o.AsOf.AddDate(0, 0, 1) })
	if err != nil {
		t.Fatal(err)
	}
	if skippedOf(res) != "districts,chambers,chamber_activities,chamber_fees" {
		t.Fatalf("new as-of: skipped=%q", skippedOf(res))
	}
	// Force reads everything.
	res, err = runIngest(t, db, dir, func(o *Options) { o.AsOf = o.AsOf.AddDate(0, 0, 1); o.Force = true })
	if err != nil {
		t.Fatal(err)
	}
	if skippedOf(res) != "" {
		t.Fatalf("forced: skipped=%q", skippedOf(res))
	}
	// New configured districts: only the districts table and the registry's flag change.
	res, err = runIngest(t, db, dir, func(o *Options) {
		o.AsOf = o.AsOf.AddDate(0, 0, 1)
		o.Districts = []District{{"320505", "虎丘区"}}
	})
	if err != nil {
		t.Fatal(err)
	}
	if skippedOf(res) != "chambers,registry,appeals,innovation,donations,chamber_activities,chamber_fees" {
		t.Fatalf("new districts: skipped=%q", skippedOf(res))
	}
	equal(t, "districts", query(t, db, "SELECT district_code FROM districts"), []string{"320505"})
}

// TestFailedSourceKeepsTables: a run that fails on a source leaves that source's tables,
// rejects and ledger as the last successful run left them, and no staging table behind.
func TestFailedSourceKeepsTables(t *testing.T) {
	dir := t.TempDir()
	minimalSources(t, dir)
	db := openDB(t)
	if _, err := runIngest(t, db, dir, nil); err != nil {
		t.Fatal(err)
	}
	writeFile(t, dir, "appeals/b.csv", []byte("诉求编号,提报时间\nA9,2025-01-01\n"))
	if _, err := runIngest(t, db, dir, nil); err == nil {
		t.Fatal("no error for a file without the uscc column")
	}
	equal(t, "appeals", query(t, db, "SELECT appeal_id FROM appeals"), []string{"A1"})
	equal(t, "ledger", query(t, db, "SELECT file FROM ingest_files WHERE source = 'appeals'"), []string{"appeals/a.csv"})
	equal(t, "leftovers", query(t, db, "SELECT count(*) FROM duckdb_tables() WHERE table_name LIKE '%ingest_new%' OR (temporary AND table_name LIKE '_ingest%')"), []string{"0"})
	if err := os.Remove(filepath.Join(dir, "appeals", "b.csv")); err != nil {
		t.Fatal(err)
	}
	res, err := runIngest(t, db, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if s := skippedOf(res); !strings.Contains(s, "appeals") {
		t.Errorf("appeals not skipped after the failed run was undone: skipped %q", s)
	}
}

// TestStaleFlagsMended: a run changes the registry, then fails on appeals before reaching
// innovation; the next run reads only appeals, yet innovation's orphan flags follow the
// new registry.
func TestStaleFlagsMended(t *testing.T) {
	dir := t.TempDir()
	u1, u2 := uscc("91320505MA0000001"), uscc("91320505MA0000002")
	writeFile(t, dir, "registry/r.csv", []byte("uscc,name,ownership,established_on\n"+u1+",甲,民营,2020-01-01\n"+u2+",乙,民营,2020-01-01\n"))
	writeFile(t, dir, "innovation/i.csv", []byte("uscc,year,rd_expense,revenue\n"+u2+",2024,1,10\n"))
	minimalSources(t, dir)
	db := openDB(t)
	if _, err := runIngest(t, db, dir, nil); err != nil {
		t.Fatal(err)
	}
	writeFile(t, dir, "registry/r.csv", []byte("uscc,name,ownership,established_on\n"+u1+",甲,民营,2020-01-01\n"))
	writeFile(t, dir, "appeals/bad.csv", []byte("appeal_id\n"))
	if _, err := runIngest(t, db, dir, nil); err == nil {
		t.Fatal("no error")
	}
	equal(t, "stale until the next run", query(t, db, "SELECT orphan FROM innovation"), []string{"false"})
	if err := os.Remove(filepath.Join(dir, "appeals", "bad.csv")); err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	writeFile(t, dir, "appeals/gbk.csv", gbk(t, "诉求编号,统一社会信用代码,提报时间\nG1,"+u1+",2025-01-01\nG2,"+u1+",\"2025-01-01\"x\n"))
	res, err := runIngest(t, db, dir, func(o *Options) { o.TempDir = tmp })
	if err != nil {
		t.Fatal(err)
	}
	if s := skippedOf(res); !strings.Contains(s, "innovation") || !strings.Contains(s, "registry") {
		t.Errorf("skipped %q", s)
	}
	equal(t, "mended", query(t, db, "SELECT orphan FROM innovation"), []string{"true"})
	equal(t, "count", query(t, db, "SELECT rows_flagged FROM ingest_files WHERE source = 'innovation'"), []string{"1"})
	// The UTF-8 copy of the GBK file (read by the careful path: a stray quote) is gone.
	if left, _ := os.ReadDir(tmp); len(left) > 0 {
		t.Errorf("temp files left: %v", left)
	}
	equal(t, "gbk careful path", query(t, db, "SELECT file, line, rule FROM rejects WHERE file = 'appeals/gbk.csv'"), []string{"appeals/gbk.csv|3|bad_value"})
}

// TestCarefulAfterFast: when DuckDB splits a file differently from the pre-scan, the rows it
// appended are discarded and the careful path reads the file again; nothing is counted
// twice, and the lines and the rows of later files stay right.
func TestCarefulAfterFast(t *testing.T) {
	dir := t.TempDir()
	u1, u2 := uscc("91320505MA0000001"), uscc("91320505MA0000002")
	writeFile(t, dir, "registry/a.csv", []byte("uscc,name,ownership,established_on\n"+u1+",甲,民营,2020-01-01\n\n"+u2+",乙,民营,2020-13-01\n"))
	writeFile(t, dir, "registry/b.csv", []byte("uscc,name,ownership,established_on\n"+u2+",丙,民营,2020-01-01\n"+u1+",丁,民营,2020-01-01\n"))
	minimalSources(t, dir)
	forceCareful = true
	defer func() { forceCareful = false }()
	db := openDB(t)
	if _, err := runIngest(t, db, dir, nil); err != nil {
		t.Fatal(err)
	}
	// The registry keeps the later file's row of a repeated code.
	equal(t, "registry", query(t, db, "SELECT name, source_file, source_line FROM registry ORDER BY source_file, source_line"), []string{
		"丙|registry/b.csv|2", "丁|registry/b.csv|3",
	})
	equal(t, "rejects", query(t, db, "SELECT file, line, rule, raw FROM rejects WHERE source = 'registry' ORDER BY file, line"), []string{
		"registry/a.csv|2|duplicate_uscc|" + u1 + ",甲,民营,2020-01-01",
		"registry/a.csv|4|bad_value|" + u2 + ",乙,民营,2020-13-01",
	})
	equal(t, "ledger", query(t, db, "SELECT file, rows_read, rows_loaded, rows_rejected FROM ingest_files WHERE source = 'registry' ORDER BY file"), []string{
		"registry/a.csv|2|0|2", "registry/b.csv|2|2|0",
	})
	equal(t, "raw", query(t, db, "SELECT count(*) FROM raw.registry"), []string{"4"})
}

// TestOldLayout: a database left by the first version of this package (clean and raw
// tables rather than views) is taken over by the next run.
func TestOldLayout(t *testing.T) {
	dir := t.TempDir()
	minimalSources(t, dir)
	db := openDB(t)
	for _, src := range Sources() {
		var cols, raw []string
		for _, c := range cleanColumns(src) {
			cols = append(cols, duck.Ident(c.Name)+" "+c.Type)
		}
		for _, c := range src.Columns {
			raw = append(raw, duck.Ident(c.Name)+" VARCHAR")
		}
		for _, q := range []string{"CREATE SCHEMA IF NOT EXISTS raw",
			"CREATE TABLE main." + duck.Ident(src.Name) + " (" + strings.Join(cols, ", ") + ")",
			"CREATE TABLE raw." + duck.Ident(src.Name) + " (" + strings.Join(raw, ", ") + ", source_file VARCHAR, source_line VARCHAR, source_row BIGINT, malformed BOOLEAN, source_raw VARCHAR)",
			"CREATE TABLE main.\"_ingest_new_" + src.Name + "\" (x INTEGER)"} {
			if _, err := db.Exec(q); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := runIngest(t, db, dir, nil); err != nil {
		t.Fatal(err)
	}
	equal(t, "kinds", query(t, db, `SELECT schema_name || '.' || view_name FROM duckdb_views() WHERE NOT internal AND view_name IN ('registry', 'appeals') ORDER BY 1`), []string{
		"main.appeals", "main.registry", "raw.appeals", "raw.registry",
	})
	equal(t, "registry", query(t, db, "SELECT name FROM registry"), []string{"华为"})
	equal(t, "leftovers", query(t, db, "SELECT count(*) FROM duckdb_tables() WHERE table_name LIKE '%ingest_new%'"), []string{"0"})
}
