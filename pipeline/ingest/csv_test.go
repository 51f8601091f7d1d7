package ingest

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"bluebook/diag"
)

// TestCSVVariants: GBK through the fast path, an encoding override, quotes and commas in
// fields, a stray quote (careful path), two headers for one column, a header-only file.
func TestCSVVariants(t *testing.T) {
	dir := t.TempDir()
	u1, u2 := uscc("91320505MA0000001"), uscc("91320505MA0000002")
	writeFile(t, dir, "registry/a.csv", gbk(t, strings.Join([]string{
		"统一社会信用代码,企业名称,经济类型,成立日期,注销日期,吊销日期,登记状态,备注（说明）,备注",
		u1 + `,"甲""公司"", 有限",民营,2020-01-01,,2021-05-06,吊销，已注销,x,y`,
		u2 + ",乙,民营,2020-01-01,2021-01-01,2021-05-06,注销,,",
	}, "\r\n")+"\r\n"))
	writeFile(t, dir, "registry/b.csv", []byte("uscc,name,ownership,established_on\n"))
	writeFile(t, dir, "appeals/a.csv", []byte(strings.Join([]string{
		"appeal_id,uscc,submitted_at,content",
		"A1," + u1 + `,2025-01-01,他说"好"`, // a stray quote: the careful path
		"A2," + u1 + `,2025-01-01,"两行` + "\n" + `内容"`,
		"A3," + u1 + ",2025-13-01,",
	}, "\n")))
	writeFile(t, dir, "innovation/i.csv", gbk(t, "统一社会信用代码,年度,研发费用,营业收入\n"+u1+",2024,1,10\n"))
	minimalSources(t, dir)
	db := openDB(t)
	if _, err := runIngest(t, db, dir, func(o *Options) { o.Encoding = map[string]string{"innovation": "gbk"} }); err != nil {
		t.Fatal(err)
	}
	equal(t, "registry", query(t, db, "SELECT uscc, name, status, cancelled_on, source_line FROM registry ORDER BY uscc"), []string{
		u1 + `|甲"公司", 有限|cancelled|2021-05-06|2`,
		u2 + "|乙|cancelled|2021-01-01|3",
	})
	equal(t, "raw extras", query(t, db, "SELECT 备注_说明, 备注 FROM raw.registry ORDER BY source_file, source_row"), []string{"x|y", "NULL|NULL"})
	equal(t, "appeals", query(t, db, "SELECT appeal_id, content, source_line FROM appeals ORDER BY appeal_id"), []string{
		`A1|他说"好"|2`,
		"A2|两行\n内容|3",
	})
	equal(t, "rejects", query(t, db, "SELECT file, line, column_name, rule, raw FROM rejects ORDER BY file"), []string{
		// An appeal's raw line is masked like its text (rejects is analyst-readable): the
		// credit code goes too; file and line still find it.
		"appeals/a.csv|5|submitted_at|bad_value|A3,〔已遮蔽〕,2025-13-01,",
	})
	equal(t, "ledger", query(t, db, "SELECT file, encoding, rows_read FROM ingest_files WHERE source IN ('registry', 'innovation') ORDER BY file"), []string{
		"innovation/i.csv|gbk|1",
		"registry/a.csv|gb18030|2",
		"registry/b.csv|utf-8|0",
	})
}

// TestRowsTableLayout: the rows table keeps what most rows do not need out of the way (see
// createRowsTable and helperDDL): source_file is an ENUM of the source's file names (one
// with a quote), _text is NULL on every row but the rejected one, and no ENUM type is left
// behind; the views and the rejects show the names as text. Columns mapped onto a closed
// list are stored as ENUMs and shown as text. A second, forced ingest builds the same.
func TestRowsTableLayout(t *testing.T) {
	dir := t.TempDir()
	u1, u2 := uscc("91320505MA0000001"), uscc("91320505MA0000002")
	hdr := "统一社会信用代码,企业名称,经济类型,成立日期\n"
	writeFile(t, dir, "registry/o'neil.csv", []byte(hdr+u1+",甲,民营,2020-01-01\n"+u2+",乙,民营,2020-13-01\n"))
	writeFile(t, dir, "registry/z.csv", []byte(hdr+u2+",丙,民营,2020-01-01\n"))
	minimalSources(t, dir)
	db := openDB(t)
	for _, force := range []bool{false, true} {
		if _, err := runIngest(t, db, dir, func(o *Options) { o.Force = force }); err != nil {
			t.Fatal(err)
		}
		equal(t, "clean", query(t, db, "SELECT uscc, source_file, typeof(source_file), source_line FROM registry ORDER BY uscc"), []string{
			u1 + "|registry/o'neil.csv|VARCHAR|2",
			u2 + "|registry/z.csv|VARCHAR|2",
		})
		equal(t, "raw", query(t, db, "SELECT source_file, typeof(source_file), source_row, rejected_value, source_raw FROM raw.registry ORDER BY source_file, source_row"), []string{
			"registry/o'neil.csv|VARCHAR|0|NULL|NULL",
			"registry/o'neil.csv|VARCHAR|1|2020-13-01|" + u2 + ",乙,民营,2020-13-01",
			"registry/z.csv|VARCHAR|0|NULL|NULL",
		})
		equal(t, "rejects", query(t, db, "SELECT file, line, value, raw FROM rejects"), []string{
			"registry/o'neil.csv|3|2020-13-01|" + u2 + ",乙,民营,2020-13-01",
		})
		equal(t, "rows table", query(t, db, "SELECT typeof(source_file), count(*) FILTER (WHERE _text IS NOT NULL) FROM raw.registry_rows GROUP BY 1"), []string{
			"ENUM('registry/o''neil.csv', 'registry/z.csv')|1",
		})
		equal(t, "types left", query(t, db, "SELECT count(*) FROM duckdb_types() WHERE schema_name = 'raw'"), []string{"0"})
		equal(t, "mapped columns", query(t, db, "SELECT DISTINCT typeof(_ownership), typeof(_specialized_level) FROM raw.registry_rows"), []string{
			"ENUM('民营', '个体', '国有', '集体', '外资', '港澳台')|ENUM('创新型中小企业', '专精特新中小企业', '小巨人', '单项冠军')",
		})
		equal(t, "mapped as text", query(t, db, "SELECT DISTINCT ownership, typeof(ownership) FROM registry"), []string{"民营|VARCHAR"})
	}
}

// TestManyFiles: a source of 300 files (more names than a 1-byte ENUM holds) loads every
// row with its file's name and line.
func TestManyFiles(t *testing.T) {
	dir := t.TempDir()
	u1 := uscc("91320505MA0000001")
	for i := 0; i < 300; i++ {
		writeFile(t, dir, fmt.Sprintf("appeals/day_%03d.csv", i), []byte(fmt.Sprintf("诉求编号,统一社会信用代码,提报时间\nA%03d,%s,2025-01-02 10:00\n", i, u1)))
	}
	minimalSources(t, dir)
	db := openDB(t)
	if _, err := runIngest(t, db, dir, nil); err != nil {
		t.Fatal(err)
	}
	equal(t, "appeals", query(t, db, `SELECT count(*), count(*) FILTER (WHERE source_file = 'appeals/day_' || substr(appeal_id, 2) || '.csv' AND source_line = '2')
		FROM appeals WHERE appeal_id LIKE 'A%'`), []string{"300|300"})
}

func TestEmptyFile(t *testing.T) {
	dir := t.TempDir()
	minimalSources(t, dir)
	writeFile(t, dir, "appeals/empty.csv", nil)
	_, err := runIngest(t, openDB(t), dir, nil)
	var fe *diag.Error
	if !errors.As(err, &fe) || err.Error() != "appeals/empty.csv:1:1: empty file: no header line" {
		t.Fatalf("error = %v", err)
	}
}

// TestNotUTF8AfterSample: a file plain ASCII in its first megabyte and GBK after it is
// detected on the whole file: DuckDB finds the GBK bytes, the file is checked in full and
// read as GB18030.
func TestNotUTF8AfterSample(t *testing.T) {
	dir := t.TempDir()
	minimalSources(t, dir)
	var b strings.Builder
	b.WriteString("appeal_id,uscc,submitted_at\n")
	for i := 0; b.Len() < 1<<20+100; i++ {
		fmt.Fprintf(&b, "N%d,x,2025-01-01\n", i)
	}
	writeFile(t, dir, "appeals/b.csv", append([]byte(b.String()), gbk(t, "B2,中文,2025-01-01\n")...))
	db := openDB(t)
	if _, err := runIngest(t, db, dir, nil); err != nil {
		t.Fatal(err)
	}
	equal(t, "row", query(t, db, "SELECT uscc FROM appeals WHERE appeal_id = 'B2'"), []string{"中文"})
	equal(t, "ledger", query(t, db, "SELECT encoding, rows_read, rows_rejected FROM ingest_files WHERE file = 'appeals/b.csv'"), []string{"gb18030|" + strconv.Itoa(strings.Count(b.String(), "\n")) + "|0"})
}

func TestSplitHeader(t *testing.T) {
	for _, c := range []struct{ in, base, unit string }{
		{"注册资本（万元）", "注册资本", "万元"},
		{" 注册资本(万元) ", "注册资本", "万元"},
		{"注册资本 【元】", "注册资本", "元"},
		{"USCC", "uscc", ""},
		{"Established On", "establishedon", ""},
		{"\uFEFF统一社会信用代码", "统一社会信用代码", ""},
		{"（元）", "", "元"},
	} {
		b, u := splitHeader(c.in)
		if b != c.base || u != c.unit {
			t.Errorf("splitHeader(%q) = %q, %q; want %q, %q", c.in, b, u, c.base, c.unit)
		}
	}
}

// TestMalformedWithQuotedNewlines: rows with too many and too few fields in a file whose
// quoted fields hold line breaks (DuckDB reads it without parallelism then).
func TestMalformedWithQuotedNewlines(t *testing.T) {
	dir := t.TempDir()
	minimalSources(t, dir)
	writeFile(t, dir, "chambers/c.csv", []byte(strings.Join([]string{
		"商会编号,商会名称,会员数",
		`C1,"第一
商会",10`,
		"C2,第二商会",
		`C3,"第三
""商会""",30,多余`,
		"",
		"C4,第四商会,-1",
		"C1,重复,1",
		"C5,第五,5",
	}, "\r\n")))
	db := openDB(t)
	if _, err := runIngest(t, db, dir, nil); err != nil {
		t.Fatal(err)
	}
	equal(t, "rejects", query(t, db, "SELECT line, column_name, rule, value, raw FROM rejects ORDER BY CAST(line AS INT)"), []string{
		"4|NULL|malformed_row|NULL|C2,第二商会",
		"5|NULL|malformed_row|NULL|C3,\"第三\n\"\"商会\"\"\",30,多余",
		"8|member_count|out_of_range|-1|C4,第四商会,-1",
		"9|chamber_id|duplicate_id|C1|C1,重复,1",
	})
	equal(t, "chambers", query(t, db, "SELECT chamber_id, name, member_count, source_line FROM chambers ORDER BY chamber_id"), []string{
		"C1|第一\n商会|10|2",
		"C5|第五|5|10",
	})
	equal(t, "ledger", query(t, db, "SELECT rows_read, rows_loaded, rows_rejected FROM ingest_files WHERE source = 'chambers'"), []string{"6|2|4"})
}

// TestDecodeGB18030 decodes a stream of several chunks on several goroutines and compares
// the result with the plain sequential decoder.
func TestDecodeGB18030(t *testing.T) {
	var b strings.Builder
	for i := 0; b.Len() < 9<<20; i++ {
		b.WriteString("统一社会信用代码,苏州某某科技有限公司,民营企业,𠀀,")
		b.WriteString(strings.Repeat("x", i%7))
		b.WriteString("\n")
	}
	want := b.String()
	in, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(want))
	if err != nil {
		t.Fatal(err)
	}
	var got strings.Builder
	var consumed int
	err = decodeGB18030(bytes.NewReader(in), 3, '\n', func(d []byte, n int) error {
		got.Write(d)
		consumed += n
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got.String() != want || consumed != len(in) {
		t.Errorf("decoded %d bytes from %d input bytes; want %d from %d", got.Len(), consumed, len(want), len(in))
	}
}

// TestLinesInParallel: a file big enough for DuckDB to read on several threads keeps the
// editor line of every row (the rows table numbers rows by rowid), with duplicates and bad
// rows spread over it, also when malformed rows make DuckDB pad, and also in GBK.
func TestLinesInParallel(t *testing.T) {
	const n = 250_000
	for _, enc := range []string{"utf8", "gbk"} {
		dir := t.TempDir()
		writeBigRegistry(t, dir+"/registry/r.csv", n, enc == "gbk")
		minimalSources(t, dir)
		if enc == "gbk" {
			// A second file with a malformed row, read with null_padding.
			writeFile(t, dir, "registry/s.csv", gbk(t, "统一社会信用代码,企业名称,经济类型,成立日期\n"+uscc("91320505MA0000001")+",甲,民营\n"+uscc("91320505MA0000002")+",乙,民营,2020-01-01\n"))
		}
		db := openDB(t)
		if _, err := runIngest(t, db, dir, func(o *Options) { o.TempDir = t.TempDir() }); err != nil {
			t.Fatal(err)
		}
		equal(t, enc+" lines", query(t, db, `SELECT count(*), count(*) FILTER (WHERE name <> '苏州某某科技有限公司' || (CAST(source_line AS INT) - 2))
			FROM registry WHERE source_file = 'registry/r.csv'`), []string{fmt.Sprintf("%d|0", n-n/1000)})
		equal(t, enc+" rejects", query(t, db, `SELECT rule, count(*), count(*) FILTER (WHERE NOT starts_with(raw, value)),
			count(*) FILTER (WHERE NOT contains(raw, '苏州某某科技有限公司' || (CAST(line AS INT) - 2) || ',')) FROM rejects WHERE file = 'registry/r.csv' GROUP BY rule`), []string{
			fmt.Sprintf("bad_uscc|%d|0|0", n/1000),
		})
		if enc == "gbk" {
			equal(t, "padded", query(t, db, "SELECT file, line, rule FROM rejects WHERE file = 'registry/s.csv'"), []string{"registry/s.csv|2|malformed_row"})
			equal(t, "second file", query(t, db, "SELECT name, source_line FROM registry WHERE source_file = 'registry/s.csv'"), []string{"乙|3"})
		}
	}
}

// TestDecodeGBKChunk: the fast decoder agrees with x/text on every two-byte code it takes,
// takes nearly all of them, and gives up (for x/text to decode the chunk) on four-byte
// sequences and invalid or cut codes.
func TestDecodeGBKChunk(t *testing.T) {
	var in []byte
	taken := 0
	for c0 := 0x81; c0 <= 0xFE; c0++ {
		for c1 := 0x40; c1 <= 0xFE; c1++ {
			pair := []byte{byte(c0), byte(c1), 'a' + byte(c1%26)}
			w, _ := simplifiedchinese.GB18030.NewDecoder().Bytes(pair)
			g, ok := decodeGBKChunk(pair)
			if !ok {
				continue
			}
			if !bytes.Equal(g, w) {
				t.Fatalf("% x: got %q, x/text %q", pair, g, w)
			}
			taken++
			in = append(in, pair...)
		}
		in = append(in, 0x80, '\n')
	}
	if taken < 20000 {
		t.Errorf("only %d two-byte codes decoded by the fast path", taken)
	}
	want, err := simplifiedchinese.GB18030.NewDecoder().Bytes(in)
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := decodeGBKChunk(in); !ok || !bytes.Equal(got, want) {
		t.Fatalf("chunk: ok=%v, decoded %d bytes, x/text %d", ok, len(got), len(want))
	}
	for _, bad := range [][]byte{{0x81, 0x30, 0x81, 0x30}, {0xFF}, {'a', 0xB0}, {0xB0, '\n'}} {
		if _, ok := decodeGBKChunk(bad); ok {
			t.Errorf("% x: decoded", bad)
		}
	}
}

// TestManyBreaks: a file with more line breaks than fit a CASE (blank lines, quoted line
// breaks) keeps every editor line and resolves duplicates by line.
func TestManyBreaks(t *testing.T) {
	dir := t.TempDir()
	minimalSources(t, dir)
	var b strings.Builder
	b.WriteString("商会编号,商会名称,会员数\n")
	for i := 0; i < 200; i++ {
		if i%2 == 0 {
			fmt.Fprintf(&b, "C%d,商会%d,%d\n\n", i%150, i, i)
		} else {
			fmt.Fprintf(&b, "C%d,\"商会\n%d\",%d\n", i%150, i, i)
		}
	}
	writeFile(t, dir, "chambers/c.csv", []byte(b.String()))
	db := openDB(t)
	if _, err := runIngest(t, db, dir, nil); err != nil {
		t.Fatal(err)
	}
	// Record i starts on line 2 + 2i: each record takes two lines (a blank line or a quoted break).
	equal(t, "lines", query(t, db, `SELECT count(*), count(*) FILTER (WHERE CAST(source_line AS INT) <> 2 + 2 * member_count) FROM chambers`), []string{"150|0"})
	equal(t, "duplicates", query(t, db, `SELECT count(*), min(CAST(line AS INT)), max(CAST(line AS INT)), count(*) FILTER (WHERE CAST(split_part(raw, ',', 1)[2:] AS INT) + 150 <> (CAST(line AS INT) - 2) / 2)
		FROM rejects WHERE rule = 'duplicate_id'`), []string{"50|302|400|0"})
}

// TestFilesTogether: files that share a header are read by one read_csv; their lines,
// files, duplicates across files and ledger are as when each is read alone, and so they
// are when that read is thrown away and each file read alone.
func TestFilesTogether(t *testing.T) {
	for _, alone := range []bool{false, true} {
		dir := t.TempDir()
		minimalSources(t, dir)
		u1 := "914403001922038216" // in the registry of minimalSources
		hdr := "诉求编号,统一社会信用代码,提报时间\n"
		writeFile(t, dir, "appeals/a.csv", []byte(hdr+"A1,"+u1+",2025-01-02 10:00\nA2,"+u1+",2025-13-02\n"))
		writeFile(t, dir, "appeals/b.csv", gbk(t, hdr+"B1,"+u1+",2025-01-03\nA1,"+u1+",2025-01-04\nB2,x,2025-01-05\n"))
		writeFile(t, dir, "appeals/c.csv", []byte(hdr))
		writeFile(t, dir, "appeals/d.csv", []byte(hdr+"D1,"+u1+",2025-01-06\n"))
		forceAlone = alone
		db := openDB(t)
		_, err := runIngest(t, db, dir, func(o *Options) { o.TempDir = t.TempDir() })
		forceAlone = false
		if err != nil {
			t.Fatal(err)
		}
		equal(t, "appeals", query(t, db, "SELECT appeal_id, orphan, source_file, source_line FROM appeals ORDER BY appeal_id"), []string{
			"A1|false|appeals/a.csv|2", "B1|false|appeals/b.csv|2", "B2|true|appeals/b.csv|4", "D1|false|appeals/d.csv|2",
		})
		equal(t, "rejects", query(t, db, "SELECT file, line, rule, raw FROM rejects ORDER BY file, line"), []string{
			"appeals/a.csv|3|bad_value|A2,〔已遮蔽〕,2025-13-02", // masked, as every appeal's raw line
			"appeals/b.csv|3|duplicate_id|A1,〔已遮蔽〕,2025-01-04",
		})
		equal(t, "ledger", query(t, db, "SELECT file, encoding, rows_read, rows_loaded, rows_rejected, rows_flagged FROM ingest_files WHERE source = 'appeals' ORDER BY file"), []string{
			// Every loaded row is flagged: no category column, so unknown_category.
			"appeals/a.csv|utf-8|2|1|1|1", "appeals/b.csv|gb18030|3|2|1|2", "appeals/c.csv|utf-8|0|0|0|0", "appeals/d.csv|utf-8|1|1|0|1",
		})
		equal(t, "raw", query(t, db, "SELECT count(*), count(*) FILTER (WHERE rejected) FROM raw.appeals"), []string{"6|2"})
	}
}

// TestLongLine: a record longer than DuckDB's default line size goes through read_csv
// (with limits raised above it).
func TestLongLine(t *testing.T) {
	dir := t.TempDir()
	minimalSources(t, dir)
	long := strings.Repeat("长", 1<<20) // 3 MB
	writeFile(t, dir, "appeals/l.csv", []byte("诉求编号,统一社会信用代码,提报时间,诉求内容\nL1,914403001922038216,2025-01-02,"+long+"\nL2,914403001922038216,2025-01-03,短\n"))
	db := openDB(t)
	if _, err := runIngest(t, db, dir, func(o *Options) { o.Limits = Limits{FieldChars: 2 << 20, LineBytes: 8 << 20} }); err != nil {
		t.Fatal(err)
	}
	equal(t, "appeals", query(t, db, "SELECT appeal_id, length(content), source_line FROM appeals WHERE source_file = 'appeals/l.csv' ORDER BY 1"), []string{
		"L1|1048576|2", "L2|1|3",
	})
}

// TestQuoteLeftOpenAtEnd: a record whose quoted field is still open at the end of the file
// (the last line cut, or a closing quote forgotten) swallowed the rest of the file into one
// field; it is rejected as malformed_row with its text, not loaded as if it were whole.
func TestQuoteLeftOpenAtEnd(t *testing.T) {
	dir := t.TempDir()
	minimalSources(t, dir)
	writeFile(t, dir, "chambers/c.csv", []byte(strings.Join([]string{
		"商会编号,商会名称,会员数",
		"C1,第一商会,10",
		`C2,第二商会,"20`,
		"C3,第三商会,30",
	}, "\n")+"\n"))
	db := openDB(t)
	if _, err := runIngest(t, db, dir, nil); err != nil {
		t.Fatal(err)
	}
	equal(t, "rejects", query(t, db, "SELECT line, rule, raw FROM rejects ORDER BY CAST(line AS INT)"), []string{
		"3|malformed_row|C2,第二商会,\"20\nC3,第三商会,30",
	})
	equal(t, "chambers", query(t, db, "SELECT chamber_id, member_count FROM chambers ORDER BY chamber_id"), []string{"C1|10"})
}
