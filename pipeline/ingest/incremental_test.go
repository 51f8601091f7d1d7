package ingest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
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
