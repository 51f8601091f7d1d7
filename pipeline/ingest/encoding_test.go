package ingest

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
)

// appealsText is an appeals file of n rows (appeal ids E1…En, Chinese content), with the
// content of row bad (its line is bad+1) holding three bytes that are not UTF-8. Rows are
// padded to about pad bytes.
func appealsText(n, bad, pad int) []byte {
	var b strings.Builder
	b.WriteString("诉求编号,统一社会信用代码,提报时间,诉求内容\n")
	for i := 1; i <= n; i++ {
		content := "企业反映用电报装时间较长" + strings.Repeat("请", pad/3)
		if i == bad {
			content = "企业反映\xff\xfe\xfd用电报装"
		}
		fmt.Fprintf(&b, "E%d,914403001922038216,2025-01-02 10:00,%s\n", i, content)
	}
	return []byte(b.String())
}

// TestBadBytesNamed: three invalid bytes on line 10 of a UTF-8 file (once in its first
// megabyte, once past it, where DuckDB finds them) no longer make the file GB18030: every
// row loads but that one, rejected as bad_value at line 10, and the ledger says so.
func TestBadBytesNamed(t *testing.T) {
	for _, c := range []struct {
		name      string
		rows, bad int
		pad       int
	}{
		{"in the sample", 20, 9, 0},
		{"past the sample", 3000, 2900, 400},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			minimalSources(t, dir)
			writeFile(t, dir, "appeals/b.csv", appealsText(c.rows, c.bad, c.pad))
			db := openDB(t)
			tmp := t.TempDir()
			if _, err := runIngest(t, db, dir, func(o *Options) { o.TempDir = tmp }); err != nil {
				t.Fatal(err)
			}
			if left, _ := os.ReadDir(tmp); len(left) > 0 {
				t.Errorf("temp files left behind: %v", left)
			}
			line := strconv.Itoa(c.bad + 1)
			equal(t, "rejects", query(t, db, "SELECT line, column_name, rule, value FROM rejects WHERE file = 'appeals/b.csv'"), []string{
				line + "|NULL|bad_value|企业反映\uFFFD\uFFFD\uFFFD用电报装",
			})
			equal(t, "ledger", query(t, db, "SELECT encoding, rows_read, rows_loaded, rows_rejected, note FROM ingest_files WHERE file = 'appeals/b.csv'"), []string{
				fmt.Sprintf("utf-8|%d|%d|1|1 line not valid UTF-8 (first: line %s), rejected as bad_value", c.rows, c.rows-1, line),
			})
			equal(t, "clean", query(t, db, "SELECT count(*), min(content) FROM appeals WHERE source_file = 'appeals/b.csv' AND appeal_id = 'E1'"), []string{
				"1|企业反映用电报装时间较长" + strings.Repeat("请", c.pad/3),
			})
		})
	}
}

// TestBadBytesGBK: a byte that is not GBK in a GBK file rejects its row as bad_value with
// its line; the rest loads.
func TestBadBytesGBK(t *testing.T) {
	dir := t.TempDir()
	minimalSources(t, dir)
	body := gbk(t, "诉求编号,统一社会信用代码,提报时间,诉求内容\nG1,914403001922038216,2025-01-02 10:00,用电报装\n")
	body = append(body, gbk(t, "G2,914403001922038216,2025-01-02 10:00,用电")...)
	body = append(body, 0xFF)
	body = append(body, gbk(t, "报装\nG3,914403001922038216,2025-01-02 10:00,融资\n")...)
	writeFile(t, dir, "appeals/g.csv", body)
	db := openDB(t)
	if _, err := runIngest(t, db, dir, nil); err != nil {
		t.Fatal(err)
	}
	equal(t, "rejects", query(t, db, "SELECT line, rule, value FROM rejects WHERE file = 'appeals/g.csv'"), []string{"3|bad_value|用电\uFFFD报装"})
	equal(t, "clean", query(t, db, "SELECT appeal_id, content FROM appeals WHERE source_file = 'appeals/g.csv' ORDER BY 1"), []string{"G1|用电报装", "G3|融资"})
}

// TestEncodingMisdeclared: an [encoding] that does not fit the file is named as such, not
// as a missing column; a header that really lacks a column still says so.
func TestEncodingMisdeclared(t *testing.T) {
	utf := appealsText(5, 0, 0)
	gb := gbk(t, string(utf))
	for _, c := range []struct {
		name, enc string
		body      []byte
		want      string
	}{
		{"utf-8 declared gbk", "gbk", utf, `appeals/b.csv:1:1: the header reads as UTF-8, not as GBK/GB18030: encoding.appeals = "gbk" in bluebook.toml does not fit this file (set it to "utf-8", or remove it to detect the encoding); read as GBK/GB18030, missing required column "appeal_id"`},
		{"gbk declared utf-8", "utf-8", gb, `appeals/b.csv:1:1: the header reads as GBK/GB18030, not as UTF-8: encoding.appeals = "utf-8" in bluebook.toml does not fit this file (set it to "gb18030", or remove it to detect the encoding)`},
		{"column missing", "", []byte("诉求编号,提报时间\nE1,2025-01-02\n"), `appeals/b.csv:1:1: missing required column "uscc"`},
		{"column missing in GBK", "", gbk(t, "诉求编号,提报时间\nE1,2025-01-02\n"), `appeals/b.csv:1:1: missing required column "uscc"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFile(t, dir, "appeals/b.csv", c.body) // the only appeals file
			minimalSources(t, dir)
			_, err := runIngest(t, openDB(t), dir, func(o *Options) {
				if c.enc != "" {
					o.Encoding = map[string]string{"appeals": c.enc}
				}
			})
			if err == nil || !strings.HasPrefix(err.Error(), c.want) {
				t.Fatalf("error = %v\nwant it to begin %s", err, c.want)
			}
			if c.enc == "" && strings.Contains(err.Error(), "encoding") {
				t.Errorf("a missing column blamed on the encoding: %v", err)
			}
			if c.name == "column missing in GBK" && !strings.Contains(err.Error(), "(the file was read as GBK/GB18030: line 1 is not valid UTF-8)") {
				t.Errorf("the error does not say how the file was read: %v", err)
			}
		})
	}
}

// TestDetectedWrongly: a UTF-8 file whose first lines hold so many broken bytes that the
// sample looks like GBK, but whose header maps as UTF-8, is read as UTF-8 (the header maps
// only so), its broken rows rejected.
func TestDetectedWrongly(t *testing.T) {
	dir := t.TempDir()
	minimalSources(t, dir)
	body := "诉求编号,统一社会信用代码,提报时间,诉求内容\nE1,914403001922038216,2025-01-02 10:00,\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8\nE2,914403001922038216,2025-01-02 10:00,好\n"
	if d := detectEncoding([]byte(body), true); d.enc != "gb18030" || d.badLine != 2 {
		t.Fatalf("the sample should look like GB18030 from line 2: %+v", d)
	}
	writeFile(t, dir, "appeals/b.csv", []byte(body))
	db := openDB(t)
	if _, err := runIngest(t, db, dir, nil); err != nil {
		t.Fatal(err)
	}
	equal(t, "rows", query(t, db, "SELECT appeal_id, rejected FROM raw.appeals WHERE source_file = 'appeals/b.csv' ORDER BY 1"), []string{"E1|true", "E2|false"})
	equal(t, "encoding", query(t, db, "SELECT encoding FROM ingest_files WHERE file = 'appeals/b.csv'"), []string{"utf-8"})
}

// TestCROnly: a file whose lines end with a lone carriage return (classic Mac OS), in UTF-8
// and in GBK, reads with the right rows and lines.
func TestCROnly(t *testing.T) {
	text := "诉求编号,统一社会信用代码,提报时间,诉求内容\rM1,914403001922038216,2025-01-02 10:00,用电\rM2,914403001922038216,2025-13-02,融资\rM3,914403001922038216,2025-01-03,\"两行\r内容\"\rM4,914403001922038216,2025-01-04,税费\r"
	for name, body := range map[string][]byte{"utf-8": []byte(text), "gbk": gbk(t, text)} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			minimalSources(t, dir)
			writeFile(t, dir, "appeals/mac.csv", body)
			db := openDB(t)
			if _, err := runIngest(t, db, dir, nil); err != nil {
				t.Fatal(err)
			}
			equal(t, "rows", query(t, db, "SELECT appeal_id, source_line, content FROM appeals WHERE source_file = 'appeals/mac.csv' ORDER BY 1"), []string{
				"M1|2|用电", "M3|4|两行\n内容", "M4|6|税费",
			})
			equal(t, "rejects", query(t, db, "SELECT line, column_name, rule FROM rejects WHERE file = 'appeals/mac.csv'"), []string{"3|submitted_at|bad_value"})
		})
	}
}

// TestBadBytesCarefulPath: invalid bytes past the first megabyte of a file that the careful
// path reads (a stray quote) are not stored as NULL: the row is rejected as bad_value.
func TestBadBytesCarefulPath(t *testing.T) {
	dir := t.TempDir()
	minimalSources(t, dir)
	body := strings.Replace(string(appealsText(3000, 2900, 400)), "E2,", `E2x"y,`, 1)
	writeFile(t, dir, "appeals/b.csv", []byte(body))
	db := openDB(t)
	if _, err := runIngest(t, db, dir, nil); err != nil {
		t.Fatal(err)
	}
	equal(t, "rejects", query(t, db, "SELECT line, column_name, rule, value FROM rejects WHERE file = 'appeals/b.csv'"), []string{
		"2901|NULL|bad_value|企业反映\uFFFD\uFFFD\uFFFD用电报装",
	})
	equal(t, "ledger", query(t, db, "SELECT rows_read, rows_rejected, note FROM ingest_files WHERE file = 'appeals/b.csv'"), []string{
		"3000|1|1 line not valid UTF-8 (first: line 2901), rejected as bad_value",
	})
}
