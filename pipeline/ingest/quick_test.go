package ingest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestQuickScanDecides checks which files the quick pre-scan takes on its own and which it
// leaves to the full scan, and the record counts it finds.
func TestQuickScanDecides(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		quick      bool
		records    int64
	}{
		{"plain", "a,b\n1,2\n3,4\n", true, 2},
		{"crlf, no final line end", "a,b\r\n1,2\r\n3,4", true, 2},
		{"header only", "a,b\n", true, 0},
		{"quotes", "a,b\n\"1\",2\n", false, 1},
		{"blank line", "a,b\n1,2\n\n3,4\n", false, 2},
		{"blank crlf line", "a,b\r\n1,2\r\n\r\n3,4\r\n", false, 2},
		{"leading blank line", "\na,b\n1,2\n", false, 1},
		{"too few fields", "a,b,c\n1,2\n3,4,5\n", false, 2},
		{"fields that cancel out", "a,b\n1,2,3\n4\n", true, 2}, // read_csv's strict mode catches it
	} {
		t.Run(tc.name, func(t *testing.T) {
			q := newQuickScan()
			// Feed byte by byte too: chunk edges must not matter.
			for _, step := range []int{len(tc.body), 1, 2} {
				q = newQuickScan()
				for i := 0; i < len(tc.body); i += step {
					q.feed([]byte(tc.body[i:min(i+step, len(tc.body))]))
				}
				res := &csvScan{}
				if got := q.finish(res); got != tc.quick {
					t.Fatalf("step %d: quick = %v (%s), want %v", step, got, q.why, tc.quick)
				}
				if tc.quick && res.records != tc.records {
					t.Errorf("step %d: records = %d, want %d", step, res.records, tc.records)
				}
			}
		})
	}
	q := newQuickScan()
	q.feed([]byte("a,b\n1," + strings.Repeat("x", longLine) + "\n"))
	if q.finish(&csvScan{}) || !strings.Contains(q.why, "1 MB") {
		t.Errorf("a line of 1 MB passed the quick scan (%s)", q.why)
	}
}

// TestQuickScanFallback ingests files the quick scan gets wrong on purpose: two records whose
// field counts cancel out; DuckDB's strict read refuses the file, and the full scan rejects
// both records at their lines.
func TestQuickScanFallback(t *testing.T) {
	dir := t.TempDir()
	minimalSources(t, dir)
	writeFile(t, dir, "registry/r.csv", []byte("统一社会信用代码,企业名称,经济类型,成立日期\n"+
		"914403001922038216,华为,民营,2000-01-01\n"+
		"91440300708461136T,腾讯,民营,1998-11-11,多一列\n"+
		"91110000802100433B,缺一列,民营\n"))
	db := openDB(t)
	if _, err := runIngest(t, db, dir, nil); err != nil {
		t.Fatal(err)
	}
	equal(t, "rejects", query(t, db, "SELECT file, line, rule, raw FROM rejects ORDER BY line"), []string{
		"registry/r.csv|3|malformed_row|91440300708461136T,腾讯,民营,1998-11-11,多一列",
		"registry/r.csv|4|malformed_row|91110000802100433B,缺一列,民营",
	})
	equal(t, "files", query(t, db, "SELECT file, rows_read, rows_loaded, rows_rejected FROM ingest_files WHERE source = 'registry'"),
		[]string{"registry/r.csv|3|1|2"})
}

// TestLineText reads lines of a file larger than one read buffer, a line straddling the
// buffer edge among them, as the raw text of rejects of a quickly scanned file.
func TestLineText(t *testing.T) {
	path := filepath.Join(t.TempDir(), "big.csv")
	var b strings.Builder
	for i := 1; b.Len() < 9<<20; i++ {
		fmt.Fprintf(&b, "line %d,%s\r\n", i, strings.Repeat("字", i%50))
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	all := strings.Split(strings.TrimSuffix(b.String(), "\r\n"), "\r\n")
	// The lines around the 4 MB and 8 MB edges, the first and the last.
	want := []int64{1}
	off := 0
	for i, l := range all {
		next := off + len(l) + 2
		if off < 4<<20 && next >= 4<<20 || off < 8<<20 && next >= 8<<20 {
			want = append(want, int64(i), int64(i+1), int64(i+2))
		}
		off = next
	}
	want = append(want, int64(len(all)))
	got, err := lineText(path, want)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range want {
		if got[n] != all[n-1] {
			t.Errorf("line %d = %.40q, want %.40q", n, got[n], all[n-1])
		}
	}
}
