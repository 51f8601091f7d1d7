package ingest

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"math/rand"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// writeBigRegistry writes a registry CSV of n rows (about 170 bytes each, Chinese text,
// a few bad rows) to path, in GBK when gbk is set.
func writeBigRegistry(tb testing.TB, path string, n int, gbk bool) {
	tb.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		tb.Fatal(err)
	}
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	var w *bufio.Writer
	if gbk {
		w = bufio.NewWriterSize(simplifiedchinese.GBK.NewEncoder().Writer(f), 1<<20)
	} else {
		w = bufio.NewWriterSize(f, 1<<20)
	}
	rng := rand.New(rand.NewSource(1))
	w.WriteString("统一社会信用代码,企业名称,经济类型,企业类型,行业代码,区划代码,成立日期,登记状态,注销日期,核准日期,注册资本（万元）,从业人数,营业收入（万元）,专精特新等级,高新技术企业,所属商会编号\n")
	owners := []string{"民营", "私营", "个体工商户", "国有", "外资"}
	status := []string{"存续（在营、开业、在册）", "在业", "注销", "吊销，未注销", "迁出"}
	for i := 0; i < n; i++ {
		code := uscc("91320505" + fmt.Sprintf("%09d", i))
		if i%1000 == 999 {
			code = code[:10] // a bad credit code now and then
		}
		st := status[rng.Intn(len(status))]
		cancelled := ""
		if st != "在业" && !strings.HasPrefix(st, "存续") {
			cancelled = "2024-0" + strconv.Itoa(1+rng.Intn(9)) + "-15"
		}
		fmt.Fprintf(w, "%s,苏州某某科技有限公司%d,%s,1100,C%d,3205%02d,20%02d-%02d-%02d,%s,%s,2024/3/%d,%d.%02d,%d,%d.%02d,,否,\n",
			code, i, owners[rng.Intn(len(owners))], 1300+rng.Intn(3100), 5+rng.Intn(5), 10+rng.Intn(14), 1+rng.Intn(12), 1+rng.Intn(28),
			st, cancelled, 1+rng.Intn(28), rng.Intn(100000), rng.Intn(100), rng.Intn(500), rng.Intn(1000000), rng.Intn(100))
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
}

// peakRSS returns the process's peak resident set size in bytes (Linux), 0 elsewhere.
func peakRSS() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "VmHWM:") {
			kb, _ := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(l, "VmHWM:"), "kB")), 64)
			return kb * 1024
		}
	}
	return 0
}

// BenchmarkIngestRegistry compares a full ingest of a 1M-row registry CSV (UTF-8, then the
// same rows in GBK) with a bare CREATE TABLE AS SELECT * FROM read_csv(...) of the UTF-8
// file, in the same process; each iteration runs the three back to back, so that a noisy
// machine slows them alike, each after a sync of the disk. Each loads into a new database file, as bluebook run does (set
// BLUEBOOK_BENCH_MEMORY=1 to load into memory instead). Set BLUEBOOK_BENCH_ROWS to change
// the size.
func BenchmarkIngestRegistry(b *testing.B) {
	rows := 1_000_000
	if s := os.Getenv("BLUEBOOK_BENCH_ROWS"); s != "" {
		rows, _ = strconv.Atoi(s)
	}
	dir := b.TempDir()
	for _, enc := range []string{"utf8", "gbk"} {
		data := filepath.Join(dir, enc)
		writeBigRegistry(b, filepath.Join(data, "registry", "registry.csv"), rows, enc == "gbk")
		minimalSources(b, data)
	}
	var logger *slog.Logger
	if os.Getenv("BLUEBOOK_BENCH_LOG") != "" {
		logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	var bare, utf8, gbk time.Duration
	fileDB := os.Getenv("BLUEBOOK_BENCH_MEMORY") == ""
	n := 0
	open := func() *sql.DB {
		if !fileDB {
			return openDB(b)
		}
		n++
		db, err := sql.Open("duckdb", filepath.Join(dir, "bench"+strconv.Itoa(n)+".duckdb")+"?autoinstall_known_extensions=false")
		if err != nil {
			b.Fatal(err)
		}
		return db
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		syncDisk() // the previous step's database file is on disk, not being written back during this one
		db := open()
		start := time.Now()
		if _, err := db.Exec("CREATE TABLE t AS SELECT * FROM read_csv(?, all_varchar = true)", filepath.Join(dir, "utf8", "registry", "registry.csv")); err != nil {
			b.Fatal(err)
		}
		bare += time.Since(start)
		db.Close()
		for _, enc := range []string{"utf8", "gbk"} {
			syncDisk()
			db := open()
			start := time.Now()
			res, err := Run(context.Background(), db, Options{DataDir: filepath.Join(dir, enc), AsOf: asOf(), TempDir: dir, Logger: logger, MaxRejectShare: 1})
			if err != nil {
				b.Fatal(err)
			}
			if enc == "utf8" {
				utf8 += time.Since(start)
			} else {
				gbk += time.Since(start)
			}
			if got := res.Sources[2].RowsRead; got != int64(rows) {
				b.Fatalf("read %d rows, want %d", got, rows)
			}
			db.Close()
		}
	}
	total := float64(rows) * float64(b.N)
	b.ReportMetric(total/bare.Seconds(), "bare_rows/s")
	b.ReportMetric(total/utf8.Seconds(), "utf8_rows/s")
	b.ReportMetric(total/gbk.Seconds(), "gbk_rows/s")
	b.ReportMetric(bare.Seconds()/utf8.Seconds(), "utf8/bare")
	b.ReportMetric(bare.Seconds()/gbk.Seconds(), "gbk/bare")
	b.ReportMetric(peakRSS()/(1<<20), "peakRSS_MB")
}

// BenchmarkIngestDir ingests the data folder BLUEBOOK_BENCH_DATA (e.g. written by `bluebook
// generate`) into a file-backed database, as `bluebook run` does; it is skipped without it.
// BLUEBOOK_BENCH_LOG=1 logs each step.
func BenchmarkIngestDir(b *testing.B) {
	data := os.Getenv("BLUEBOOK_BENCH_DATA")
	if data == "" {
		b.Skip("BLUEBOOK_BENCH_DATA is not set")
	}
	var logger *slog.Logger
	if os.Getenv("BLUEBOOK_BENCH_LOG") != "" {
		logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	for i := 0; i < b.N; i++ {
		path := filepath.Join(b.TempDir(), "bench.duckdb")
		db, err := sql.Open("duckdb", path+"?autoinstall_known_extensions=false")
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		if _, err := Run(context.Background(), db, Options{DataDir: data, AsOf: time.Date(2026, 10, 31, 0, 0, 0, 0, time.UTC), Logger: logger, MaxRejectShare: 1}); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(time.Since(start).Seconds(), "ingest_s")
		db.Close()
	}
}

// BenchmarkColumnWrite measures what one more column costs to write into a database file,
// by its type and content (the table of "Third round" in BENCHMARKS.md): each sub-benchmark
// reports its time less that of the same table without the column. It is why rows tables
// store constant and mostly-NULL helpers as an ENUM and a list, and mapped columns as
// ENUMs. BLUEBOOK_BENCH_ROWS sets the rows (default 10⁶; the table used 10⁷).
func BenchmarkColumnWrite(b *testing.B) {
	rows := 1_000_000
	if s := os.Getenv("BLUEBOOK_BENCH_ROWS"); s != "" {
		rows, _ = strconv.Atoi(s)
	}
	const four = "(['民营', '个体', '国有', '集体'])[range % 4 + 1]"
	const enum4 = "ENUM('民营', '个体', '国有', '集体')"
	cases := []struct{ name, col string }{
		{"none", ""},
		{"text_constant", ", 'registry/registry.csv' AS c"},
		{"text_4_values", ", " + four + " AS c"},
		{"enum_4_values", ", CAST(" + four + " AS " + enum4 + ") AS c"},
		{"enum_constant", ", CAST('民营' AS " + enum4 + ") AS c"},
		{"text_null", ", NULL::VARCHAR AS c"},
		{"list_null", ", NULL::VARCHAR[] AS c"},
		{"integer_null", ", NULL::INTEGER AS c"},
	}
	dir := b.TempDir()
	times := map[string]time.Duration{}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, c := range cases {
			path := filepath.Join(dir, c.name+".duckdb")
			os.Remove(path)
			db, err := sql.Open("duckdb", path+"?autoinstall_known_extensions=false")
			if err != nil {
				b.Fatal(err)
			}
			syncDisk()
			start := time.Now()
			if _, err := db.Exec(fmt.Sprintf("CREATE TABLE t AS SELECT range AS a, CAST(range AS VARCHAR) AS s%s FROM range(%d)", c.col, rows)); err != nil {
				b.Fatal(err)
			}
			times[c.name] += time.Since(start)
			db.Close()
		}
	}
	for _, c := range cases[1:] {
		b.ReportMetric((times[c.name]-times["none"]).Seconds()/float64(b.N), c.name+"_s")
	}
}
