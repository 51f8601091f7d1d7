package ingest

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// writeWorkbook writes a minimal workbook of one sheet, Sheet1, whose <sheetData> is
// written by rows (cells as inline strings), with archive/zip: excelize would cut a cell
// at 32,767 characters, and a zip bomb needs its part streamed.
func writeWorkbook(t testing.TB, path string, rows func(w io.Writer) error) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zw := zip.NewWriter(f)
	parts := []struct{ name, body string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{"xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`},
	}
	for _, p := range parts {
		w, err := zw.Create(p.name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(w, p.body); err != nil {
			t.Fatal(err)
		}
	}
	w, err := zw.Create("xl/worksheets/sheet1.xml")
	if err != nil {
		t.Fatal(err)
	}
	bw := bufio.NewWriter(w)
	io.WriteString(bw, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
	if err := rows(bw); err != nil {
		t.Fatal(err)
	}
	io.WriteString(bw, `</sheetData></worksheet>`)
	if err := bw.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
}

// xlsxRow writes row r of inline-string cells; a cell given as a func writes its own text.
func xlsxRow(w io.Writer, r int, cells ...any) {
	fmt.Fprintf(w, `<row r="%d">`, r)
	for i, c := range cells {
		fmt.Fprintf(w, `<c r="%c%d" t="inlineStr"><is><t>`, 'A'+i, r)
		switch v := c.(type) {
		case string:
			io.WriteString(w, v)
		case func(io.Writer):
			v(w)
		}
		io.WriteString(w, `</t></is></c>`)
	}
	io.WriteString(w, `</row>`)
}

// repeat writes n copies of s.
func repeat(s string, n int) func(io.Writer) {
	return func(w io.Writer) {
		chunk := strings.Repeat(s, 64<<10)
		for ; n >= 64<<10; n -= 64 << 10 {
			io.WriteString(w, chunk)
		}
		io.WriteString(w, strings.Repeat(s, n))
	}
}

// wantLimit runs the ingest of dir and wants an error holding every part of want.
func wantLimit(t *testing.T, dir string, mod func(*Options), want ...string) {
	t.Helper()
	_, err := runIngest(t, openDB(t), dir, mod)
	if err == nil {
		t.Fatalf("no error; want %q", want)
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			t.Fatalf("error = %v\nwant it to hold %q", err, w)
		}
	}
}

// TestLimitZipBomb: a workbook whose 64 KiB hold one cell of 64 MiB is refused from its
// zip directory, before excelize inflates anything (the 2 GiB version took 23 GB).
func TestLimitZipBomb(t *testing.T) {
	dir := t.TempDir()
	minimalSources(t, dir)
	writeWorkbook(t, filepath.Join(dir, "donations", "bomb.xlsx"), func(w io.Writer) error {
		xlsxRow(w, 1, "捐赠编号", "统一社会信用代码", "捐赠日期", "捐赠金额", "备注")
		xlsxRow(w, 2, "B1", "914403001922038216", "2025-01-01", "1", repeat("A", 64<<20))
		return nil
	})
	wantLimit(t, dir, nil, "donations/bomb.xlsx: workbook part xl/worksheets/sheet1.xml is compressed",
		"over the limit of 100 (limits.max_compression_ratio in bluebook.toml)")
	// Over the total size as well.
	wantLimit(t, dir, func(o *Options) { o.Limits.CompressionRatio = 1e6; o.Limits.WorkbookBytes = 32 << 20 },
		"donations/bomb.xlsx: the workbook's parts hold", "over the limit of 33554432 (limits.max_workbook_bytes in bluebook.toml)")
	// Within both, the cell is found in the part's XML before excelize reads it.
	wantLimit(t, dir, func(o *Options) { o.Limits.CompressionRatio = 1e6 },
		"donations/bomb.xlsx: workbook part xl/worksheets/sheet1.xml holds a text of more than 331766 bytes",
		"(limits.max_field_chars in bluebook.toml)")
}

// TestLimitWorkbookSplitCell: one cell's text split into rich-text runs, comments and CDATA
// sections, each short, is still found before excelize joins it, and a workbook of many
// ordinary cells passes.
func TestLimitWorkbookSplitCell(t *testing.T) {
	dir := t.TempDir()
	minimalSources(t, dir)
	split := func(w io.Writer) {
		for i := 0; i < 30; i++ {
			fmt.Fprintf(w, "<r><t>%s</t></r><!-- <c> --><![CDATA[x<c>]]>", strings.Repeat("长", 10000))
		}
	}
	writeWorkbook(t, filepath.Join(dir, "donations", "split.xlsx"), func(w io.Writer) error {
		xlsxRow(w, 1, "捐赠编号", "统一社会信用代码", "捐赠日期", "捐赠金额", "备注")
		io.WriteString(w, `<row r="2"><c r="A2" t="inlineStr"><is>`)
		split(w)
		io.WriteString(w, `</is></c></row>`)
		return nil
	})
	wantLimit(t, dir, func(o *Options) { o.Limits.CompressionRatio = 1e6 },
		"donations/split.xlsx: workbook part xl/worksheets/sheet1.xml holds a cell's text of more than 331766 bytes, over the limit of 32767 (limits.max_field_chars in bluebook.toml)")

	writeWorkbook(t, filepath.Join(dir, "donations", "split.xlsx"), func(w io.Writer) error {
		xlsxRow(w, 1, "捐赠编号", "统一社会信用代码", "捐赠日期", "捐赠金额", "备注")
		for r := 2; r < 400; r++ {
			xlsxRow(w, r, "S"+strconv.Itoa(r), "914403001922038216", "2025-01-01", "1", strings.Repeat("长", 1000))
		}
		return nil
	})
	db := openDB(t)
	if _, err := runIngest(t, db, dir, nil); err != nil {
		t.Fatal(err)
	}
	equal(t, "loaded", query(t, db, "SELECT count(*) FROM donations WHERE source_file = 'donations/split.xlsx'"), []string{"398"})
}

// TestLimitWorkbookCells: a cell longer than 32,767 characters, and a row of more cells than
// max_columns, are refused with the sheet, row and column.
func TestLimitWorkbookCells(t *testing.T) {
	dir := t.TempDir()
	minimalSources(t, dir)
	writeWorkbook(t, filepath.Join(dir, "donations", "long.xlsx"), func(w io.Writer) error {
		xlsxRow(w, 1, "捐赠编号", "统一社会信用代码", "捐赠日期", "捐赠金额", "备注")
		xlsxRow(w, 2, "B1", "914403001922038216", "2025-01-01", "1", "短")
		xlsxRow(w, 3, "B2", "914403001922038216", "2025-01-01", "1", repeat("长", 32768))
		return nil
	})
	wantLimit(t, dir, nil, "donations/long.xlsx:Sheet1!3:5: a cell of 32768 characters, over the limit of 32767 (limits.max_field_chars in bluebook.toml)")
	// The limit is the configured one.
	db := openDB(t)
	if _, err := runIngest(t, db, dir, func(o *Options) { o.Limits.FieldChars = 40000 }); err != nil {
		t.Fatal(err)
	}
	equal(t, "loaded", query(t, db, "SELECT count(*) FROM raw.donations WHERE source_file = 'donations/long.xlsx'"), []string{"2"})
	wantLimit(t, dir, func(o *Options) { o.Limits.Columns = 4 }, "donations/long.xlsx:Sheet1!1:5: a row of 5 cells, over the limit of 4 (limits.max_columns in bluebook.toml)")
}

// TestLimitManyColumns: a CSV file of 10,000 columns is refused at its header (reading it
// took 105 s and 3.5 GB), as is a record with more fields than the limit.
func TestLimitManyColumns(t *testing.T) {
	dir := t.TempDir()
	minimalSources(t, dir)
	writeFile(t, dir, "registry/wide.csv", wideCSV(10000, 100))
	wantLimit(t, dir, nil, "registry/wide.csv:1: a header of 10000 fields, over the limit of 1000 (limits.max_columns in bluebook.toml)")

	dir = t.TempDir()
	minimalSources(t, dir)
	writeFile(t, dir, "appeals/b.csv", []byte("诉求编号,统一社会信用代码,提报时间\nA1,914403001922038216,2025-01-02\nA2,914403001922038216,2025-01-02"+strings.Repeat(",", 1200)+"\n"))
	wantLimit(t, dir, nil, "appeals/b.csv:3: a record of 1203 fields, over the limit of 1000 (limits.max_columns in bluebook.toml)")
}

// wideCSV is a registry file of cols columns (the four required ones first) and rows rows.
func wideCSV(cols, rows int) []byte {
	var b bytes.Buffer
	b.WriteString("统一社会信用代码,企业名称,经济类型,成立日期")
	for i := 4; i < cols; i++ {
		fmt.Fprintf(&b, ",列%d", i)
	}
	b.WriteByte('\n')
	for r := 0; r < rows; r++ {
		b.WriteString("914403001922038216,华为,民营,2000-01-01")
		b.WriteString(strings.Repeat(",x", cols-4))
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// TestLimitFieldLength: a field of more than 32,767 characters is refused with its line and
// column, quoted or not, and wherever it sits in a run of ordinary lines; fields under the
// limit in a long record pass.
func TestLimitFieldLength(t *testing.T) {
	dir := t.TempDir()
	minimalSources(t, dir)
	head := "诉求编号,统一社会信用代码,提报时间,诉求内容\n"
	ok := "A1,914403001922038216,2025-01-02," + strings.Repeat("长", 30000) + "\n"
	var b strings.Builder
	b.WriteString(head)
	for i := 0; i < 1000; i++ {
		b.WriteString("A" + strconv.Itoa(i) + ",914403001922038216,2025-01-02,短\n")
	}
	writeFile(t, dir, "appeals/a.csv", []byte(head+ok+b.String()[len(head):]+"A9,914403001922038216,2025-01-02,"+strings.Repeat("长", 32768)+"\n"))
	wantLimit(t, dir, nil, "appeals/a.csv:1003:4: a field of 32768 characters, over the limit of 32767 (limits.max_field_chars in bluebook.toml)")

	writeFile(t, dir, "appeals/a.csv", []byte(head+`A9,914403001922038216,2025-01-02,"`+strings.Repeat("长\n", 20000)+`"`+"\n"))
	wantLimit(t, dir, nil, "appeals/a.csv:2:4: a field of 40000 characters")

	writeFile(t, dir, "appeals/a.csv", []byte(head+ok+strings.Replace(ok, "A1", "A2", 1)))
	db := openDB(t)
	if _, err := runIngest(t, db, dir, nil); err != nil {
		t.Fatal(err)
	}
	equal(t, "loaded", query(t, db, "SELECT count(*), max(length(content)) FROM appeals WHERE source_file = 'appeals/a.csv'"), []string{"2|30000"})
}

// TestLimitLineLength: a record longer than max_line_bytes is refused with its line: one
// long line, a file without any line end (refused before it is read whole), and a quote
// left open.
func TestLimitLineLength(t *testing.T) {
	dir := t.TempDir()
	minimalSources(t, dir)
	head := "诉求编号,统一社会信用代码,提报时间,诉求内容\n"
	// 100 fields of 24,000 bytes: none over a limit but the line's.
	long := "A1,914403001922038216,2025-01-02" + strings.Repeat(","+strings.Repeat("长", 8000), 100) + "\n"
	writeFile(t, dir, "appeals/a.csv", []byte(head+"A0,914403001922038216,2025-01-02,x\n"+long))
	wantLimit(t, dir, nil, fmt.Sprintf("appeals/a.csv:3: a record of %d bytes, over the limit of 2097152 (limits.max_line_bytes in bluebook.toml)", len(long)-1))

	writeFile(t, dir, "appeals/a.csv", []byte(strings.Repeat("长", 8<<20)))
	wantLimit(t, dir, nil, "appeals/a.csv:1: a line of at least", "(limits.max_line_bytes in bluebook.toml)")

	writeFile(t, dir, "appeals/a.csv", []byte(head+`A1,914403001922038216,2025-01-02,"open`+"\n"+strings.Repeat("A2,914403001922038216,2025-01-02,x\n", 100000)))
	wantLimit(t, dir, nil, "appeals/a.csv:2: a record of", "over lines 2 to", "(a quote left open?), over the limit of 2097152 (limits.max_line_bytes in bluebook.toml)")
}

// TestLimitParquetColumns: a Parquet file of more columns than the limit is refused.
func TestLimitParquetColumns(t *testing.T) {
	dir := t.TempDir()
	minimalSources(t, dir)
	db := openDB(t)
	var cols []string
	cols = append(cols, "'914403001922038216' AS uscc, 'x' AS name, '民营' AS ownership, DATE '2000-01-01' AS established_on")
	for i := 0; i < 1200; i++ {
		cols = append(cols, fmt.Sprintf("%d AS c%d", i, i))
	}
	p := filepath.Join(dir, "registry", "wide.parquet")
	if _, err := db.Exec("COPY (SELECT " + strings.Join(cols, ", ") + ") TO '" + p + "' (FORMAT parquet)"); err != nil {
		t.Fatal(err)
	}
	wantLimit(t, dir, nil, "registry/wide.parquet: 1204 columns, over the limit of 1000 (limits.max_columns in bluebook.toml)")
}

// TestLimitsValidate: a negative limit is refused with its key.
func TestLimitsValidate(t *testing.T) {
	_, err := runIngest(t, openDB(t), t.TempDir(), func(o *Options) { o.Limits.LineBytes = -1 })
	if err == nil || !strings.Contains(err.Error(), "limits.max_line_bytes must be positive") {
		t.Fatalf("error = %v", err)
	}
}

// TestLimitPeakMemory runs the ingest of a small data folder in child processes, alone and
// with a hostile file beside it (the zip bomb, 10,000 columns), and compares their peak
// resident memory (VmHWM): a hostile file must not cost more than a little over the normal
// run. Linux only (it reads /proc).
func TestLimitPeakMemory(t *testing.T) {
	if os.Getenv("BLUEBOOK_PEAK_CHILD") != "" {
		peakChild(t)
		return
	}
	if _, err := os.Stat("/proc/self/status"); err != nil {
		t.Skip("no /proc: peak memory is measured on Linux")
	}
	base := t.TempDir()
	minimalSources(t, base)
	bomb := t.TempDir()
	minimalSources(t, bomb)
	writeWorkbook(t, filepath.Join(bomb, "donations", "bomb.xlsx"), func(w io.Writer) error {
		xlsxRow(w, 1, "捐赠编号", "统一社会信用代码", "捐赠日期", "捐赠金额", "备注")
		xlsxRow(w, 2, "B1", "914403001922038216", "2025-01-01", "1", repeat("A", 256<<20))
		return nil
	})
	wide := t.TempDir()
	minimalSources(t, wide)
	writeFile(t, wide, "registry/wide.csv", wideCSV(10000, 2000))

	peak := func(dir string) (int64, string) {
		cmd := exec.Command(os.Args[0], "-test.run=^TestLimitPeakMemory$", "-test.count=1")
		cmd.Env = append(os.Environ(), "BLUEBOOK_PEAK_CHILD="+dir)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("child: %v\n%s", err, out)
		}
		var kb int64
		var msg string
		for _, l := range strings.Split(string(out), "\n") {
			if v, ok := strings.CutPrefix(l, "peak-kb "); ok {
				kb, _ = strconv.ParseInt(v, 10, 64)
			}
			if v, ok := strings.CutPrefix(l, "ingest-error "); ok {
				msg = v
			}
		}
		if kb == 0 {
			t.Fatalf("child printed no peak:\n%s", out)
		}
		return kb, msg
	}
	normal, msg := peak(base)
	if msg != "" {
		t.Fatalf("normal run failed: %s", msg)
	}
	for name, dir := range map[string]string{"bomb": bomb, "wide": wide} {
		kb, msg := peak(dir)
		t.Logf("%s: peak %d MiB (normal run %d MiB): %s", name, kb>>10, normal>>10, msg)
		if !strings.Contains(msg, "limits.") {
			t.Errorf("%s: error %q names no limit", name, msg)
		}
		// 64 MiB of slack: allocator and runtime noise, far below what either file cost.
		if kb > normal+64<<10 {
			t.Errorf("%s: peak %d MiB, normal run %d MiB", name, kb>>10, normal>>10)
		}
	}
}

// peakChild ingests the folder BLUEBOOK_PEAK_CHILD and prints its error and its VmHWM.
func peakChild(t *testing.T) {
	db := openDB(t)
	_, err := Run(context.Background(), db, Options{DataDir: os.Getenv("BLUEBOOK_PEAK_CHILD"), AsOf: asOf(), MaxRejectShare: 1})
	if err != nil {
		fmt.Printf("ingest-error %s\n", strings.ReplaceAll(err.Error(), "\n", " "))
	}
	status, rerr := os.ReadFile("/proc/self/status")
	if rerr != nil {
		t.Fatal(rerr)
	}
	for _, l := range strings.Split(string(status), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			fmt.Printf("peak-kb %s\n", strings.TrimSuffix(strings.TrimSpace(v), " kB"))
		}
	}
}
