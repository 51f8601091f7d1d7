package ingest

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"
)

// openDB opens a fresh in-memory DuckDB for one test.
func openDB(t testing.TB) *sql.DB {
	t.Helper()
	db, err := sql.Open("duckdb", "?autoinstall_known_extensions=false")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// writeFile writes content to dir/rel, creating folders.
func writeFile(t testing.TB, dir, rel string, content []byte) {
	t.Helper()
	p := filepath.Join(dir, rel)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, content, 0o644); err != nil {
		t.Fatal(err)
	}
}

// minimalSources writes one valid row to each required source.
func minimalSources(t testing.TB, dir string) {
	t.Helper()
	for rel, body := range map[string]string{
		"registry/r.csv":   "统一社会信用代码,企业名称,经济类型,成立日期\n914403001922038216,华为,民营,2000-01-01\n",
		"appeals/a.csv":    "诉求编号,统一社会信用代码,提报时间\nA1,914403001922038216,2025-01-02 10:00\n",
		"innovation/i.csv": "统一社会信用代码,年度,研发费用,营业收入\n914403001922038216,2024,1,10\n",
		"donations/d.csv":  "捐赠编号,统一社会信用代码,捐赠日期,捐赠金额\nD1,914403001922038216,2025-01-01,1\n",
	} {
		if _, err := os.Stat(filepath.Join(dir, filepath.Dir(rel))); err == nil {
			continue
		}
		writeFile(t, dir, rel, []byte(body))
	}
}

// query returns the rows of q as strings, columns joined by '|'.
func query(t testing.TB, db *sql.DB, q string, args ...any) []string {
	t.Helper()
	rows, err := db.Query(q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		s := make([]string, len(vals))
		for i, v := range vals {
			switch x := v.(type) {
			case nil:
				s[i] = "NULL"
			case time.Time:
				if x.Hour() == 0 && x.Minute() == 0 && x.Second() == 0 {
					s[i] = x.Format("2006-01-02")
				} else {
					s[i] = x.Format("2006-01-02 15:04:05")
				}
			default:
				s[i] = fmt.Sprint(x)
			}
		}
		out = append(out, strings.Join(s, "|"))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func asOf() time.Time { return time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC) }

func runIngest(t testing.TB, db *sql.DB, dir string, mod func(*Options)) (Result, error) {
	t.Helper()
	opt := Options{DataDir: dir, AsOf: asOf(), MaxRejectShare: 1,
		Districts: []District{{"320505", "虎丘区"}, {"320506", "吴中区"}}}
	if mod != nil {
		mod(&opt)
	}
	return Run(context.Background(), db, opt)
}

// equal fails the test when got and want differ, showing both.
func equal(t testing.TB, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s:\ngot:\n  %s\nwant:\n  %s", what, strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}
