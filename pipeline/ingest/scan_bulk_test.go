package ingest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// scanWith scans body as scanCSV does, in chunks of step bytes, taking chunks whole where
// it can (bulk) or record by record.
func scanWith(body string, step int, bulk bool) *csvScan {
	res := &csvScan{quick: true}
	s := newScanState(res, bulk)
	var a lineAligner
	for i := 0; i < len(body); i += step {
		a.feed(s, []byte(body[i:min(i+step, len(body))]))
	}
	a.finish(s)
	s.finish()
	return res
}

// TestScanBulkAgrees: taking chunks whole finds the same records, lines, malformed records
// and multi-line spans as scanning record by record, whatever the chunk size.
func TestScanBulkAgrees(t *testing.T) {
	long := "a,b\n1," + strings.Repeat("x", longLine) + "\n2,3\n"
	for _, tc := range []struct {
		name, body string
		quick      bool
	}{
		{"plain", "a,b\n1,2\n3,4\n", true},
		{"crlf, no final line end", "a,b\r\n1,2\r\n3,4", true},
		{"header only", "a,b\n", true},
		{"quotes", "a,b\n\"1\",2\n3,4\n5,6\n", false},
		{"quoted line break", "a,b\n1,2\n\"x\ny\",2\n3,4\n5,6\n", false},
		{"quotes among plain lines", "a,b\n1,2\n\"q\",3\n4,5\n6,7,8\n9,10\n\"x\ny\",\"z\"\n\n11,12\n13\n", false},
		{"blank line", "a,b\n1,2\n\n3,4\n5,6\n", true},
		{"blank crlf line", "a,b\r\n1,2\r\n\r\n3,4\r\n", true},
		{"leading blank line", "\na,b\n1,2\n3,4\n", true},
		{"too few fields", "a,b,c\n1,2\n3,4,5\n6,7,8\n", true},
		{"too many fields", "a,b\n1,2\n3,4,5\n6,7\n", true},
		{"long line", long, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want := scanWith(tc.body, len(tc.body), false)
			for _, step := range []int{len(tc.body), 1, 2, 3, 7} {
				got := scanWith(tc.body, step, true)
				if got.records != want.records || fmt.Sprint(got.breaks) != fmt.Sprint(want.breaks) ||
					fmt.Sprint(got.malformed) != fmt.Sprint(want.malformed) || fmt.Sprint(got.spans) != fmt.Sprint(want.spans) ||
					got.maxFields != want.maxFields || got.maxLineSize() != want.maxLineSize() || got.quick != tc.quick {
					t.Errorf("step %d: got records %d breaks %v malformed %v spans %v fields %d line size %d quick %v\nwant records %d breaks %v malformed %v spans %v fields %d line size %d quick %v",
						step, got.records, got.breaks, got.malformed, got.spans, got.maxFields, got.maxLineSize(), got.quick,
						want.records, want.breaks, want.malformed, want.spans, want.maxFields, want.maxLineSize(), tc.quick)
				}
			}
		})
	}
	// Two records whose field counts cancel out within a chunk pass the bulk count; the
	// load finds them (see TestBulkScanFallback).
	res := &csvScan{}
	st := newScanState(res, true)
	var a lineAligner
	a.feed(st, []byte("a,b\n"))
	a.feed(st, []byte("1,2,3\n4\n"))
	a.finish(st)
	st.finish()
	if got := res; len(got.malformed) != 0 || got.records != 2 {
		t.Errorf("cancelling field counts: malformed %v records %d", got.malformed, got.records)
	}
}

// TestBulkScanFallback ingests a file the bulk scan gets wrong on purpose: past the first
// read buffer, two records whose field counts cancel out; DuckDB's strict read refuses the
// file, the scan is done again record by record, and both records are rejected at their lines.
func TestBulkScanFallback(t *testing.T) {
	dir := t.TempDir()
	minimalSources(t, dir)
	var b strings.Builder
	b.WriteString("统一社会信用代码,企业名称,经济类型,成立日期\n")
	n := 0
	for ; b.Len() < 6<<20; n++ {
		fmt.Fprintf(&b, "%s,某某科技有限公司%d,民营,2000-01-01\n", uscc(fmt.Sprintf("91440300%09d", n)), n)
	}
	b.WriteString(uscc("91440300999999998") + ",腾讯,民营,1998-11-11,多一列\n")
	b.WriteString(uscc("91440300999999999") + ",缺一列,民营\n")
	writeFile(t, dir, "registry/r.csv", []byte(b.String()))
	db := openDB(t)
	if _, err := runIngest(t, db, dir, nil); err != nil {
		t.Fatal(err)
	}
	equal(t, "rejects", query(t, db, "SELECT file, line, rule, raw FROM rejects ORDER BY line"), []string{
		fmt.Sprintf("registry/r.csv|%d|malformed_row|%s,腾讯,民营,1998-11-11,多一列", n+2, uscc("91440300999999998")),
		fmt.Sprintf("registry/r.csv|%d|malformed_row|%s,缺一列,民营", n+3, uscc("91440300999999999")),
	})
	equal(t, "files", query(t, db, "SELECT file, rows_read, rows_loaded, rows_rejected FROM ingest_files WHERE source = 'registry'"),
		[]string{fmt.Sprintf("registry/r.csv|%d|%d|2", n+2, n)})
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
