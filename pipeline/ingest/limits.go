package ingest

import (
	"archive/zip"
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"bluebook/diag"
)

// Limits bound what one input file may cost to read, so that a hostile or broken file (a
// zip bomb, one cell of gigabytes, ten thousand columns) is refused with a message naming
// the file, the line or cell and the limit, instead of taking the machine's memory. A zero
// field takes its default (see DefaultLimits); the keys are those of the [limits] table of
// bluebook.toml.
type Limits struct {
	// FieldChars is the longest CSV field or workbook cell, in characters. Excel itself
	// stops at 32,767. Key max_field_chars.
	FieldChars int `toml:"max_field_chars"`
	// Columns is the most fields a CSV record, a header or a sheet row may have, and the
	// most columns of a Parquet file. Key max_columns.
	Columns int `toml:"max_columns"`
	// LineBytes is the longest CSV record, in bytes (of its UTF-8 text), quoted line breaks
	// included. Key max_line_bytes.
	LineBytes int64 `toml:"max_line_bytes"`
	// WorkbookBytes is the most a workbook's parts may hold uncompressed, together. Key
	// max_workbook_bytes.
	WorkbookBytes int64 `toml:"max_workbook_bytes"`
	// CompressionRatio is the most a workbook part of more than ratioGrace bytes may be
	// compressed (uncompressed size / compressed size). Key max_compression_ratio.
	CompressionRatio float64 `toml:"max_compression_ratio"`
}

// DefaultLimits are the limits in force where a field of Limits is zero.
//
//   - 32,767 characters a field: Excel's own limit for a cell, so that any export of a
//     spreadsheet fits.
//   - 1,000 columns: the sources have a few dozen; reading 10,000 columns took 105 s and
//     3.5 GB (every column is a column of the rows table and of the generated SQL).
//   - 2 MiB a record: DuckDB's default max_line_size; 64 fields of 32,767 CJK characters fit.
//   - 1 GiB of workbook parts: a sheet of Excel's 1,048,576 rows of 20 short columns is
//     about 0.8 GB of XML; larger tables belong in CSV or Parquet.
//   - a ratio of 100: what Apache POI accepts by default; the XML of real sheets compresses
//     5 to 30 times (a 2 MB bomb holding one 2 GiB cell: 1,000 times).
var DefaultLimits = Limits{
	FieldChars:       32767,
	Columns:          1000,
	LineBytes:        2 << 20,
	WorkbookBytes:    1 << 30,
	CompressionRatio: 100,
}

// ratioGrace is the uncompressed size up to which a workbook part is not held to the
// compression ratio: a small part costs little however well it compresses.
const ratioGrace = 1 << 20

// withDefaults returns l with every zero field set to its default.
func (l Limits) withDefaults() Limits {
	d := DefaultLimits
	if l.FieldChars > 0 {
		d.FieldChars = l.FieldChars
	}
	if l.Columns > 0 {
		d.Columns = l.Columns
	}
	if l.LineBytes > 0 {
		d.LineBytes = l.LineBytes
	}
	if l.WorkbookBytes > 0 {
		d.WorkbookBytes = l.WorkbookBytes
	}
	if l.CompressionRatio > 0 {
		d.CompressionRatio = l.CompressionRatio
	}
	return d
}

// Validate reports a negative limit, naming its key.
func (l Limits) Validate() error {
	switch {
	case l.FieldChars < 0:
		return errors.New("limits.max_field_chars must be positive")
	case l.Columns < 0:
		return errors.New("limits.max_columns must be positive")
	case l.LineBytes < 0:
		return errors.New("limits.max_line_bytes must be positive")
	case l.WorkbookBytes < 0:
		return errors.New("limits.max_workbook_bytes must be positive")
	case l.CompressionRatio < 0:
		return errors.New("limits.max_compression_ratio must be positive")
	}
	return nil
}

// limitError is the refusal of a file over a limit: what was found, and the limit's key
// and value, e.g. `a field of 40000 characters, over the limit of 32767 (limits.max_field_chars
// in bluebook.toml)`.
func limitError(found, key string, limit any) error {
	return fmt.Errorf("%s, over the limit of %v (limits.%s in bluebook.toml)", found, limit, key)
}

// checkWorkbook inspects the zip central directory of the workbook at path before excelize
// opens it: the parts' total uncompressed size and each large part's compression ratio.
// The central directory's sizes can be trusted: Go's zip reader fails a part that inflates
// past its declared size. It then streams every XML part once, without keeping it, for a
// run of bytes without markup longer than a cell may be (see markupRuns): the text of one
// cell, which excelize would hold in memory whole. The error names the part.
func checkWorkbook(path string, l Limits) error {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return fmt.Errorf("open workbook: %w", err)
	}
	defer zr.Close()
	var total uint64
	for _, f := range zr.File {
		total += f.UncompressedSize64
		if f.UncompressedSize64 > ratioGrace {
			ratio := float64(f.UncompressedSize64) / float64(max(f.CompressedSize64, 1))
			if ratio > l.CompressionRatio {
				return limitError(fmt.Sprintf("workbook part %s is compressed %.0f times (%d bytes hold %d)",
					diag.Printable(f.Name), ratio, f.CompressedSize64, f.UncompressedSize64), "max_compression_ratio", l.CompressionRatio)
			}
		}
	}
	if total > uint64(l.WorkbookBytes) {
		return limitError(fmt.Sprintf("the workbook's parts hold %d bytes uncompressed", total), "max_workbook_bytes", l.WorkbookBytes)
	}
	// A character of a cell takes at most 10 bytes of XML (&#x10FFFF;).
	maxRun := 10*int64(l.FieldChars) + 4096
	for _, f := range zr.File {
		if !strings.HasSuffix(strings.ToLower(f.Name), ".xml") || f.UncompressedSize64 <= uint64(maxRun) {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return fmt.Errorf("open workbook part %s: %w", diag.Printable(f.Name), err)
		}
		what, err := oversized(rc, maxRun)
		rc.Close()
		if err != nil {
			return fmt.Errorf("read workbook part %s: %w", diag.Printable(f.Name), err)
		}
		if what != "" {
			return limitError(fmt.Sprintf("workbook part %s holds %s of more than %d bytes", diag.Printable(f.Name), what, maxRun),
				"max_field_chars", l.FieldChars)
		}
	}
	return nil
}

// oversized streams the XML r, keeping nothing, and names the first thing in it longer
// than limit bytes that excelize would hold in memory whole: a text node, a tag (its
// attributes), a comment, CDATA section or processing instruction, or the text of one cell
// or shared string (all the text inside a <c> or <si> element, which excelize joins however
// many rich-text runs, comments or CDATA sections split it into). It returns "" when there
// is none.
func oversized(r io.Reader, limit int64) (string, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	var node int64  // bytes of the text node under way
	var cell int64  // text bytes inside the current <c> or <si>
	inCell := false // inside a <c> or <si> element
	var name []byte // the tag under way's name
	var tail []byte // the last bytes of a construct read in pieces, to find its end
	for {
		b, err := br.ReadSlice('<')
		n := int64(len(b))
		if err == nil {
			n-- // the '<'
		}
		node += n
		if inCell {
			cell += n
		}
		switch {
		case node > limit:
			return "a text", nil
		case cell > limit:
			return "a cell's text", nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case err == io.EOF:
			return "", nil
		case err != nil:
			return "", err
		}
		node = 0
		// A markup construct, up to its end: a comment, a CDATA section, a processing
		// instruction (their content is text to the cell), or a tag.
		head, _ := br.Peek(8)
		what, end, isText := "a tag", []byte(">"), false
		switch {
		case bytes.HasPrefix(head, []byte("!--")):
			what, end, isText = "a comment", []byte("-->"), true
		case bytes.HasPrefix(head, []byte("![CDATA[")):
			what, end, isText = "a CDATA section", []byte("]]>"), true
		case bytes.HasPrefix(head, []byte("?")):
			what, end, isText = "a processing instruction", []byte("?>"), true
		}
		var size int64
		closing := false
		tail = tail[:0]
		for {
			t, err := br.ReadSlice('>')
			if size == 0 && !isText {
				var n []byte
				n, closing = tagName(t)
				name = append(name[:0], n...)
			}
			size += int64(len(t))
			if isText && inCell {
				cell += int64(len(t))
			}
			switch {
			case size > limit:
				return what, nil
			case cell > limit:
				return "a cell's text", nil
			case errors.Is(err, bufio.ErrBufferFull):
				tail = append(tail[:0], t[max(0, len(t)-2):]...)
				continue
			case err == io.EOF:
				return "", nil
			case err != nil:
				return "", err
			}
			done := bytes.HasSuffix(t, end)
			if !done && len(t) < len(end) && len(tail) > 0 {
				done = bytes.HasSuffix(append(tail, t...), end)
			}
			if done {
				if !isText {
					if bytes.Equal(name, []byte("c")) || bytes.Equal(name, []byte("si")) {
						inCell, cell = !closing && !bytes.HasSuffix(t, []byte("/>")), 0
					}
				}
				break
			}
			tail = append(tail[:0], t[max(0, len(t)-2):]...)
		}
	}
}

// tagName is the local name of the tag whose text (after '<') begins b ("c" for <c r="A1">,
// <x:c> and </c>), part of b, and whether it is a closing tag.
func tagName(b []byte) (name []byte, closing bool) {
	if len(b) > 0 && b[0] == '/' {
		closing, b = true, b[1:]
	}
	i := 0
	for i < len(b) && b[i] != ' ' && b[i] != '\t' && b[i] != '\r' && b[i] != '\n' && b[i] != '/' && b[i] != '>' {
		i++
	}
	name = b[:i]
	if j := bytes.LastIndexByte(name, ':'); j >= 0 {
		name = name[j+1:]
	}
	return name, closing
}

// overChars reports whether s has more than n characters (counted only when its bytes could).
func overChars(s string, n int) bool {
	return len(s) > n && utf8.RuneCountInString(s) > n
}
