package ingest

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"bluebook/diag"
	"bluebook/duck"
)

// fileLoad is what loading one file into the staging rows table produced.
type fileLoad struct {
	rel      string // path below the data folder
	abs      string
	sha256   string
	hash     func() error // when not nil, fills sha256 (the hash is computed while the file loads)
	bytes    int64
	encoding string
	rows     int64     // rows read (appended to the rows table and not discarded)
	scan     *csvScan  // CSV files read by the fast path: where the rejects' raw text is
	note     string    // for ingest_files.note
	missing  []partCol // optional canonical columns the file (or a sheet) lacks
	skipped  []skipped // workbook sheets that were not read
	tempPath string    // a UTF-8 copy of the file (see scanCSV), removed when the source is done
	badText  bool      // some bytes could not be decoded: the rows holding U+FFFD are rejected
}

// part is the rows of one file, or of one sheet of a workbook (their source_line starts
// with prefix "Sheet1!"), that share a header.
type part struct {
	file, prefix string
}

// partCol is a canonical column in one part.
type partCol struct {
	part
	col string
}

// skipped is a workbook sheet that was not read, and why.
type skipped struct {
	sheet, reason string
}

// nullMark is read_csv's null string: no field holds it, so an empty field reads as empty text and
// only the fields null_padding adds to a record with too few fields read as NULL.
const nullMark = "\x01bluebook-no-null\x01"

// For tests: forceCareful makes loadCSV take the careful path after the fast one, as when
// DuckDB splits a file differently from the pre-scan; forceAlone makes loadCSVGroup load
// each file alone after reading them together, as when one of them is read differently.
var forceCareful, forceAlone = false, false

// csvFile is a CSV file scanned, its header mapped, waiting to be loaded.
type csvFile struct {
	fl   *fileLoad
	sc   *csvScan
	m    *headerMap
	opts scanOptions // how it was scanned, to scan it again
}

// scanCSVFile runs the pre-scan of one CSV file (see scanCSV) and maps its header. When the
// header lacks a required column as decoded in the detected encoding but has it in the
// other, the file is scanned again in that one; with a configured encoding, the error says
// the configuration does not fit the file (see misread).
func scanCSVFile(src Source, log *slog.Logger, fl *fileLoad, enc, knownHash, tmpDir string, lim Limits, progress func(int64)) (*csvFile, error) {
	o := scanOptions{enc: enc, tmpDir: tmpDir, limits: lim, progress: progress}
	if knownHash != "" {
		o.sum = func() (string, error) { return knownHash, nil }
	}
	cf, err := scanMapped(src, log, fl, o)
	if err == nil || cf == nil {
		return cf, err
	}
	other, err := misread(src, fl, enc, cf.sc, err)
	if other == "" {
		return nil, err
	}
	log.Info("ingest: header maps in the other encoding, read again", "file", fl.rel, "detected", cf.sc.encoding, "now", other)
	fl.removeTemp()
	o.enc, o.check, o.sum, o.progress = other, other == "utf-8", cf.sc.sum, nil
	cf, err = scanMapped(src, log, fl, o)
	if err != nil {
		return nil, err
	}
	return cf, nil
}

// scanMapped scans fl as o says and maps its header. With a mapping error it returns the
// scanned file too, for misread.
func scanMapped(src Source, log *slog.Logger, fl *fileLoad, o scanOptions) (*csvFile, error) {
	t0 := time.Now()
	sc, err := scanCSV(fl.abs, o)
	if err != nil {
		return nil, atFile(fl.rel, err)
	}
	log.Debug("ingest: scanned", "file", fl.rel, "encoding", sc.encoding, "records", sc.records, "malformed", len(sc.malformed), "irregular", sc.irregular, "elapsed", time.Since(t0))
	fl.bytes, fl.encoding = sc.bytes, sc.encoding
	fl.hash = func() error {
		h, err := sc.sum()
		if err != nil {
			return fileError(fl.rel, err)
		}
		fl.sha256 = h
		return nil
	}
	if sc.temp {
		fl.tempPath = sc.readPath
	}
	if sc.header == nil {
		return nil, &diag.Error{Path: fl.rel, Line: 1, Col: 1, Data: true, Err: errors.New("empty file: no header line")}
	}
	cf := &csvFile{fl: fl, sc: sc, opts: o}
	cf.m, err = mapHeader(src, fl.rel, "", 1, sc.header)
	if err != nil {
		var fe *diag.Error
		if errors.As(err, &fe) && strings.HasPrefix(fe.Err.Error(), "missing required column") {
			return cf, err
		}
		return nil, err
	}
	if sc.badLines > 0 {
		log.Warn("ingest: lines not valid in the file's encoding, rejected as bad_value", "file", fl.rel, "encoding", sc.encoding, "lines", sc.badLines, "first", sc.firstBad)
	}
	return cf, nil
}

// removeTemp removes the UTF-8 copy of the file, if any.
func (fl *fileLoad) removeTemp() {
	if fl.tempPath != "" {
		os.Remove(fl.tempPath)
		fl.tempPath = ""
	}
}

// groupable says whether cf can be read by one read_csv with other files of the same
// header: it is read in parallel, needs no padding and no line breaks.
func (cf *csvFile) groupable() bool {
	return cf.sc.irregular == "" && len(cf.sc.breaks) == 0 && len(cf.sc.malformed) == 0 && cf.sc.records > 0 && !cf.sc.badText
}

// loadCSVGroup loads CSV files that follow each other in name order and share a header
// through one read_csv of them all: one statement instead of one per file. If DuckDB reads
// any of them differently from its pre-scan, the group's rows are discarded and each file is
// loaded alone.
func loadCSVGroup(ctx context.Context, st *stage, log *slog.Logger, group []*csvFile) error {
	if len(group) == 1 || forceCareful {
		for _, cf := range group {
			if err := loadCSV(ctx, st, log, cf); err != nil {
				return err
			}
		}
		return nil
	}
	t0 := time.Now()
	first := group[0]
	var paths, file, base []string
	var args []any
	next := st.next
	noTrim := true
	lineSize := int64(0)
	for i, cf := range group {
		lineSize = max(lineSize, cf.sc.maxLineSize())
		args = append(args, cf.sc.readPath)
		paths = append(paths, "$"+strconv.Itoa(i+1))
	}
	for i, cf := range group {
		args = append(args, cf.fl.rel)
		file = append(file, fmt.Sprintf(" WHEN $%d THEN $%d", i+1, len(group)+i+1))
		base = append(base, fmt.Sprintf(" WHEN $%d THEN %d", i+1, next))
		next += cf.sc.records
		noTrim = noTrim && !cf.sc.spaces
	}
	var cols []string
	for i := range first.sc.header {
		cols = append(cols, duck.Literal("_c"+strconv.Itoa(i))+": 'VARCHAR'")
	}
	rel := relation{
		from: fmt.Sprintf(`read_csv([%s], columns = {%s}, header = true, delim = ',', quote = '"', escape = '"',
      auto_detect = false, strict_mode = true, nullstr = %s, filename = '_file'%s) t`,
			strings.Join(paths, ", "), strings.Join(cols, ", "), duck.Literal(nullMark), lineSizeOption(lineSize)),
		col:       func(i int) string { return "t._c" + strconv.Itoa(i) },
		line:      "NULL",
		malformed: "false",
		raw:       "NULL",
		noTrim:    noTrim,
		file:      "CASE t._file" + strings.Join(file, "") + " END",
		base:      "CASE t._file" + strings.Join(base, "") + " END",
	}
	quick := true
	for _, cf := range group {
		quick = quick && cf.sc.quick
	}
	if quick {
		quickRaw(&rel, len(first.sc.header))
	}
	start := st.next
	n, err := st.insert(ctx, first.fl, first.m, "", rel, args)
	ok := err == nil && n == next-start
	if ok {
		// Each file's rows must sit where its _base says.
		rows, err := st.conn.QueryContext(ctx, fmt.Sprintf(`SELECT `+fileExpr+`, min(rowid) - min(_base), max(rowid) - min(_base), count(*)
			FROM %s WHERE rowid >= $1 GROUP BY source_file`, st.table()), start)
		if err != nil {
			return err
		}
		got := map[string][3]int64{}
		for rows.Next() {
			var f string
			var v [3]int64
			if err := rows.Scan(&f, &v[0], &v[1], &v[2]); err != nil {
				rows.Close()
				return err
			}
			got[f] = v
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, cf := range group {
			if got[cf.fl.rel] != [3]int64{0, cf.sc.records - 1, cf.sc.records} {
				ok = false
			}
		}
	}
	ok = ok && !forceAlone
	if err != nil {
		log.Debug("ingest: files read together failed, read alone", "first", first.fl.rel, "err", err)
	}
	log.Debug("ingest: read_csv", "files", len(group), "first", first.fl.rel, "rows", n, "together", ok, "elapsed", time.Since(t0))
	if ok {
		for _, cf := range group {
			cf.fl.rows, cf.fl.scan = cf.sc.records, cf.sc
			if cf != first {
				for _, c := range first.fl.missing {
					cf.fl.missing = append(cf.fl.missing, partCol{part{cf.fl.rel, ""}, c.col})
				}
			}
		}
		return nil
	}
	if n > 0 {
		if err := st.discard(ctx, n); err != nil {
			return err
		}
	}
	first.fl.missing = nil
	for _, cf := range group {
		if err := loadCSV(ctx, st, log, cf); err != nil {
			return err
		}
	}
	return nil
}

// loadCSV loads one scanned CSV file into the staging rows table. A file quoted by RFC 4180
// goes straight through DuckDB's read_csv, with the editor line of each record taken from
// the pre-scan; a file with a stray or unclosed quote is parsed in Go and appended, so that
// every record keeps its editor line and malformed rows can be rejected one by one.
func loadCSV(ctx context.Context, st *stage, log *slog.Logger, cf *csvFile) error {
	err := loadCSVOnce(ctx, st, log, cf)
	if err == nil || !strings.Contains(strings.ToLower(err.Error()), "invalid unicode") {
		return err
	}
	fl, sc := cf.fl, cf.sc
	if sc.checked || sc.encoding == "gbk" || sc.encoding == "gb18030" {
		return fileError(fl.rel, fmt.Errorf("not valid %s: %w", encodingName(sc.encoding), err))
	}
	// DuckDB found an invalid sequence past the first megabyte: check the whole file, into a
	// copy where each one is U+FFFD (or read it as GB18030, see scanCSV), and load that.
	o := cf.opts
	o.check, o.sum, o.progress = true, sc.sum, nil
	full, err := scanCSV(fl.abs, o)
	if err != nil {
		return atFile(fl.rel, err)
	}
	fl.removeTemp()
	if full.temp {
		fl.tempPath = full.readPath
	}
	fl.encoding = full.encoding
	log.Warn("ingest: not valid UTF-8 past the first megabyte, checked in full", "file", fl.rel, "encoding", full.encoding, "lines", full.badLines, "first", full.firstBad)
	m, err := mapHeader(st.src, fl.rel, "", 1, full.header)
	if err != nil {
		return err
	}
	fl.missing = nil
	return loadCSVOnce(ctx, st, log, &csvFile{fl: fl, sc: full, m: m, opts: o})
}

// loadCSVOnce is loadCSV without the second reading of a file DuckDB finds not valid UTF-8.
func loadCSVOnce(ctx context.Context, st *stage, log *slog.Logger, cf *csvFile) error {
	fl, sc, m := cf.fl, cf.sc, cf.m
	fl.badText = sc.badText
	if sc.irregular == "" {
		t0 := time.Now()
		n, err := loadCSVFast(ctx, st, fl, sc, m)
		log.Debug("ingest: read_csv", "file", fl.rel, "rows", n, "elapsed", time.Since(t0))
		if err == nil && n == sc.records && !forceCareful {
			fl.rows, fl.scan, fl.note = n, sc, badTextNote(sc)
			return nil
		}
		if errors.Is(err, errNumbering) {
			return fileError(fl.rel, err)
		}
		if err != nil && duck.InvalidUnicode(err.Error()) {
			return err
		}
		// DuckDB split the file differently from the pre-scan: take the careful path.
		if n > 0 {
			if err := st.discard(ctx, n); err != nil {
				return err
			}
		}
		fl.missing = nil
		if sc.quick && !forceCareful {
			// The quick scan missed something (two records whose field counts cancel
			// out, a lone carriage return): scan every record and try again.
			full, err := sc.rescan()
			if err != nil {
				return atFile(fl.rel, err)
			}
			log.Debug("ingest: quick scan disagreed with read_csv, scanned again", "file", fl.rel, "records", full.records, "malformed", len(full.malformed))
			return loadCSVOnce(ctx, st, log, &csvFile{fl: fl, sc: full, m: m, opts: cf.opts})
		}
	}
	n, err := loadCSVSlow(ctx, st, fl, sc, m)
	if err != nil {
		return err
	}
	fl.rows, fl.note = n, badTextNote(sc)
	return nil
}

// loadCSVFast reads a CSV file with RFC 4180 quoting through read_csv, every column as
// VARCHAR, in parallel. Records with too many or too few fields (known from the pre-scan)
// are read with null_padding into as many columns as the longest record has: a record with
// too few fields has NULL in its last column (an empty field reads as empty text, see
// nullMark), one with too many has text in a column past the header's. DuckDB reads such a file in
// parallel unless a quoted field holds a line break. A file whose records do not each sit
// on the line after the previous one (blank lines, line breaks in quoted fields) is read
// with ordinality, its lines computed from the pre-scan's break list.
func loadCSVFast(ctx context.Context, st *stage, fl *fileLoad, sc *csvScan, m *headerMap) (int64, error) {
	var cols []string
	ncols := len(sc.header)
	padding := ""
	malformed := "false"
	if len(sc.malformed) > 0 {
		ncols = max(ncols, sc.maxFields)
		padding = ", null_padding = true"
		if sc.multiline {
			padding += ", parallel = false"
		}
		malformed = "t._c" + strconv.Itoa(len(sc.header)-1) + " IS NULL"
		if ncols > len(sc.header) {
			malformed += " OR t._c" + strconv.Itoa(len(sc.header)) + " IS NOT NULL"
		}
	}
	for i := 0; i < ncols; i++ {
		cols = append(cols, duck.Literal("_c"+strconv.Itoa(i))+": 'VARCHAR'")
	}
	csv := fmt.Sprintf(`read_csv($1, columns = {%s}, header = true, delim = ',', quote = '"', escape = '"',
      auto_detect = false, strict_mode = true, nullstr = %s%s%s)`, strings.Join(cols, ", "), duck.Literal(nullMark), lineSizeOption(sc.maxLineSize()), padding)
	rel := relation{
		from:      csv + " t",
		col:       func(i int) string { return "t._c" + strconv.Itoa(i) },
		line:      "NULL",
		malformed: malformed,
		raw:       "NULL",
		noTrim:    !sc.spaces,
	}
	if sc.quick {
		quickRaw(&rel, ncols)
	}
	switch n := len(sc.breaks); {
	case n > 0 && n <= 64:
		// A few breaks: the line is a step function of the record number.
		var b strings.Builder
		b.WriteString("t._r + 2 + CASE")
		for i := n - 1; i >= 0; i-- {
			fmt.Fprintf(&b, " WHEN t._r >= %d THEN %d", sc.breaks[i].rec, sc.breaks[i].delta)
		}
		b.WriteString(" ELSE 0 END")
		rel.from = "(SELECT *, ordinality - 1 AS _r FROM " + csv + " WITH ORDINALITY) t"
		rel.line = b.String()
	case n > 64:
		if err := loadBreaks(ctx, st.conn, sc.breaks); err != nil {
			return 0, err
		}
		rel.from = "(SELECT *, ordinality - 1 AS _r FROM " + csv + " WITH ORDINALITY) t ASOF LEFT JOIN temp._ingest_breaks b ON t._r >= b.rec"
		rel.line = "t._r + 2 + coalesce(b.delta, 0)"
		rel.order = "t._r" // the join does not keep the order of the file
	}
	n, err := st.insert(ctx, fl, m, "", rel, []any{sc.readPath})
	if err != nil {
		return n, fmt.Errorf("%s: read_csv: %w", diag.Printable(fl.rel), err)
	}
	return n, nil
}

// quickRaw makes the raw text of a rejected row of a quickly scanned file (no quotes: each
// line is its fields joined by commas) from its fields, instead of reading it from the file
// afterwards (see run.fillRawText).
func quickRaw(rel *relation, fields int) {
	var parts []string
	for i := 0; i < fields; i++ {
		rel.pass = append(rel.pass, "t._c"+strconv.Itoa(i))
		parts = append(parts, "_p"+strconv.Itoa(i))
	}
	rel.raw = "concat_ws(',', " + strings.Join(parts, ", ") + ")"
}

// loadBreaks fills temp._ingest_breaks with the line breaks of one file.
func loadBreaks(ctx context.Context, conn *sql.Conn, breaks []lineBreak) error {
	if _, err := conn.ExecContext(ctx, "CREATE OR REPLACE TEMP TABLE _ingest_breaks (rec BIGINT, delta BIGINT)"); err != nil {
		return err
	}
	return appendRows(conn, "_ingest_breaks", func(add func(...driver.Value) error) error {
		for _, b := range breaks {
			if err := add(b.rec, b.delta); err != nil {
				return err
			}
		}
		return nil
	})
}

// appendRows appends to the temp table name through DuckDB's Appender.
func appendRows(conn *sql.Conn, name string, fill func(add func(...driver.Value) error) error) error {
	return duck.Append(conn, "temp", "main", name, fill)
}

// loadCSVSlow parses a CSV file whose quoting DuckDB would not accept (a stray quote, a
// quote left open) with encoding/csv (lazy quotes, any field count) and appends it: a
// record whose field count differs from the header's is kept, flagged malformed, with
// its original text.
func loadCSVSlow(ctx context.Context, st *stage, fl *fileLoad, sc *csvScan, m *headerMap) (int64, error) {
	conn := st.conn
	n := len(sc.header)
	if _, err := conn.ExecContext(ctx, stageDDL(n)); err != nil {
		return 0, err
	}
	f, err := os.Open(sc.readPath)
	if err != nil {
		return 0, fileError(fl.rel, err)
	}
	defer f.Close()
	ra, err := os.Open(sc.readPath)
	if err != nil {
		return 0, fileError(fl.rel, err)
	}
	defer ra.Close()
	cr := csv.NewReader(bufio.NewReaderSize(f, 1<<20))
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	cr.ReuseRecord = true
	var rows int64
	err = appendRows(conn, "_ingest_stage", func(add func(...driver.Value) error) error {
		vals := make([]driver.Value, n+3)
		first := true
		for {
			start := cr.InputOffset()
			rec, err := cr.Read()
			if err == io.EOF {
				return nil
			}
			if err != nil && !errors.Is(err, csv.ErrFieldCount) {
				line, col := 0, 0
				var pe *csv.ParseError
				if errors.As(err, &pe) {
					line, col = pe.Line, pe.Column
				}
				return &diag.Error{Path: fl.rel, Line: line, Col: col, Data: true, Err: err}
			}
			if first {
				first = false
				continue
			}
			line, _ := cr.FieldPos(0)
			end := cr.InputOffset()
			buf := make([]byte, end-start)
			if _, err := ra.ReadAt(buf, start); err != nil && err != io.EOF {
				return err
			}
			raw := string(bytes.Trim(buf, "\r\n"))
			// DuckDB's appender stores a string that is not valid UTF-8 as NULL: each
			// invalid byte becomes U+FFFD, which rejects the row (see fileRules.badText).
			bad := !utf8.ValidString(raw)
			if bad {
				raw = validUTF8(raw)
				if line != int(sc.lastBadSlow) {
					sc.badLines++
					sc.lastBadSlow = int64(line)
					if sc.firstBad == 0 || int64(line) < sc.firstBad {
						sc.firstBad = int64(line)
					}
				}
				sc.badText = true
			}
			for i := 0; i < n; i++ {
				if i < len(rec) && rec[i] != "" {
					vals[i] = rec[i]
					if bad {
						vals[i] = validUTF8(rec[i])
					}
				} else {
					vals[i] = nil
				}
			}
			// A record whose quote is still open at the end of the file swallowed the rest
			// of the file into one field: malformed, whatever its field count.
			open := sc.openQuote > 0 && int64(line) == sc.openQuote
			vals[n], vals[n+1], vals[n+2] = strconv.Itoa(line), len(rec) != n || open, raw
			if err := add(vals...); err != nil {
				return err
			}
			rows++
		}
	})
	if err != nil {
		return 0, err
	}
	fl.badText = sc.badText
	got, err := insertStage(ctx, st, fl, m, "")
	if err != nil {
		return 0, err
	}
	if got != rows {
		return 0, fmt.Errorf("%s: internal error: %d rows parsed, %d appended", diag.Printable(fl.rel), rows, got)
	}
	return rows, nil
}
