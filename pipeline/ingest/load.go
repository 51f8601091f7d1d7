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

	"github.com/duckdb/duckdb-go/v2"
)

// fileLoad is what loading one file into its raw table produced.
type fileLoad struct {
	rel      string // path below the data folder
	abs      string
	sha256   string
	bytes    int64
	encoding string
	rows     int64     // rows appended to the raw table
	scan     *csvScan  // CSV files read by the fast path: offsets for the rejects' raw text
	note     string    // for ingest_files.note
	missing  []partCol // optional canonical columns the file (or a sheet) lacks
	scaled   []partCol // money columns whose header unit was 元
	skipped  []skipped // workbook sheets that were not read
	tempPath string    // a UTF-8 copy of a GBK file, removed when the source is done
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

// quoteIdent quotes a SQL identifier. Identifiers come from the source definitions or from
// extraName, which keeps only letters, digits and '_'; quoting is a second guard.
func quoteIdent(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// quoteLit quotes a SQL string literal. It is used only for generated names (temp tables,
// column placeholders), never for values from the data.
func quoteLit(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// selectList returns the expressions that turn the positional columns of one file (named
// by col) into the raw table's columns, and records in fl which columns were missing.
func selectList(src Source, m *headerMap, col func(int) string, fl *fileLoad, prefix string) []string {
	var out []string
	for _, c := range src.Columns {
		pos := m.cols[c.Name]
		switch len(pos) {
		case 0:
			fl.missing = append(fl.missing, partCol{part{fl.rel, prefix}, c.Name})
			continue
		case 1:
			out = append(out, col(pos[0])+" AS "+quoteIdent(c.Name))
		default:
			// Several headers map to one column: the first non-empty value in header order.
			var parts []string
			for _, p := range pos {
				parts = append(parts, "CASE WHEN trim("+col(p)+") <> '' THEN "+col(p)+" END")
			}
			out = append(out, "coalesce("+strings.Join(parts, ", ")+") AS "+quoteIdent(c.Name))
		}
		if m.scale[c.Name] {
			fl.scaled = append(fl.scaled, partCol{part{fl.rel, prefix}, c.Name})
		}
	}
	for _, e := range m.extras {
		out = append(out, col(e.pos)+" AS "+quoteIdent(e.name))
	}
	return out
}

// addExtraColumns adds the raw table columns for headers that map to no canonical column.
func addExtraColumns(ctx context.Context, conn *sql.Conn, src Source, m *headerMap) error {
	for _, e := range m.extras {
		q := fmt.Sprintf("ALTER TABLE raw.%s ADD COLUMN IF NOT EXISTS %s VARCHAR", quoteIdent(stagingName(src)), quoteIdent(e.name))
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("add raw column %s: %w", e.name, err)
		}
	}
	return nil
}

// loadCSV loads one CSV file into raw.<source>. A file quoted by RFC 4180 goes straight
// through DuckDB's read_csv, with the editor line of each record taken from the pre-scan;
// a file with a stray or unclosed quote is parsed in Go and appended, so that every record
// keeps its editor line and malformed rows can be rejected one by one.
func loadCSV(ctx context.Context, conn *sql.Conn, log *slog.Logger, src Source, fl *fileLoad, enc, tmpDir string, progress func(int64)) error {
	t0 := time.Now()
	sc, err := scanCSV(fl.abs, enc, tmpDir, progress)
	if err != nil {
		return &FileError{Path: fl.rel, Err: err}
	}
	log.Debug("ingest: scanned", "file", fl.rel, "records", sc.records, "malformed", len(sc.malformed), "irregular", sc.irregular, "elapsed", time.Since(t0))
	fl.sha256, fl.bytes, fl.encoding = sc.sha256, sc.bytes, sc.encoding
	if sc.temp {
		fl.tempPath = sc.readPath
	}
	if sc.header == nil {
		return &FileError{Path: fl.rel, Line: "1", Col: 1, Err: errors.New("empty file: no header line")}
	}
	m, err := mapHeader(src, fl.rel, "1", sc.header)
	if err != nil {
		return err
	}
	if err := addExtraColumns(ctx, conn, src, m); err != nil {
		return err
	}
	if sc.irregular == "" {
		n, err := loadCSVFast(ctx, conn, src, fl, sc, m)
		if err == nil && n == sc.records {
			fl.rows, fl.scan = n, sc
			return nil
		}
		if err != nil && strings.Contains(err.Error(), "Invalid unicode") {
			return &FileError{Path: fl.rel, Err: fmt.Errorf("not valid %s (set the encoding of source %s to gbk or utf-8): %w", sc.encoding, src.Name, err)}
		}
		// DuckDB split the file differently from the pre-scan: take the careful path.
		if _, derr := conn.ExecContext(ctx, fmt.Sprintf("DELETE FROM raw.%s WHERE source_file = $1", quoteIdent(stagingName(src))), fl.rel); derr != nil {
			return derr
		}
		fl.scan = nil
		fl.missing, fl.scaled = nil, nil
	}
	n, err := loadCSVSlow(ctx, conn, src, fl, sc, m)
	if err != nil {
		return err
	}
	fl.rows = n
	return nil
}

// loadCSVFast reads a CSV file with RFC 4180 quoting through read_csv, every column as
// VARCHAR. Records with too many or too few fields (known from the pre-scan) are read with
// null_padding into as many columns as the longest record has, and marked malformed;
// DuckDB reads such a file in parallel unless a quoted field holds a line break.
func loadCSVFast(ctx context.Context, conn *sql.Conn, src Source, fl *fileLoad, sc *csvScan, m *headerMap) (int64, error) {
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
		if _, err := conn.ExecContext(ctx, "CREATE OR REPLACE TEMP TABLE _ingest_malformed (rec BIGINT)"); err != nil {
			return 0, err
		}
		err := appendRows(conn, "_ingest_malformed", func(add func(...driver.Value) error) error {
			for _, r := range sc.malformed {
				if err := add(r); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return 0, err
		}
		malformed = "t._r IN (SELECT rec FROM temp._ingest_malformed)"
	}
	for i := 0; i < ncols; i++ {
		cols = append(cols, quoteLit("c"+strconv.Itoa(i))+": 'VARCHAR'")
	}
	sel := selectList(src, m, func(i int) string { return "t.c" + strconv.Itoa(i) }, fl, "")
	line := "CAST(t._r + 2 AS VARCHAR)"
	join := ""
	if len(sc.breaks) > 0 {
		if err := loadBreaks(ctx, conn, sc.breaks); err != nil {
			return 0, err
		}
		line = "CAST(t._r + 2 + coalesce(b.delta, 0) AS VARCHAR)"
		join = " ASOF LEFT JOIN temp._ingest_breaks b ON t._r >= b.rec"
	}
	q := fmt.Sprintf(`INSERT INTO raw.%s BY NAME
SELECT %s, $2 AS source_file, %s AS source_line, t._r AS source_row, %s AS malformed
FROM (SELECT *, ordinality - 1 AS _r FROM read_csv($1, columns = {%s}, header = true, delim = ',', quote = '"', escape = '"',
      auto_detect = false, strict_mode = true, max_line_size = 16777216%s) WITH ORDINALITY) t%s`,
		quoteIdent(stagingName(src)), strings.Join(sel, ", "), line, malformed, strings.Join(cols, ", "), padding, join)
	res, err := conn.ExecContext(ctx, q, sc.readPath, fl.rel)
	if err != nil {
		return 0, fmt.Errorf("%s: read_csv: %w", fl.rel, err)
	}
	return res.RowsAffected()
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
	return conn.Raw(func(dc any) error {
		a, err := duckdb.NewAppender(dc.(driver.Conn), "temp", "main", name)
		if err != nil {
			return fmt.Errorf("appender for %s: %w", name, err)
		}
		ferr := fill(a.AppendRow)
		cerr := a.Close()
		if ferr != nil {
			return ferr
		}
		return cerr
	})
}

// loadCSVSlow parses a CSV file whose quoting DuckDB would not accept (a stray quote, a
// quote left open) with encoding/csv (lazy quotes, any field count) and appends it: a
// record whose field count differs from the header's is kept, flagged malformed, with
// its original text.
func loadCSVSlow(ctx context.Context, conn *sql.Conn, src Source, fl *fileLoad, sc *csvScan, m *headerMap) (int64, error) {
	n := len(sc.header)
	var defs []string
	for i := 0; i < n; i++ {
		defs = append(defs, "c"+strconv.Itoa(i)+" VARCHAR")
	}
	defs = append(defs, "_line BIGINT", "_row BIGINT", "_malformed BOOLEAN", "_raw VARCHAR")
	if _, err := conn.ExecContext(ctx, "CREATE OR REPLACE TEMP TABLE _ingest_stage ("+strings.Join(defs, ", ")+")"); err != nil {
		return 0, err
	}
	f, err := os.Open(sc.readPath)
	if err != nil {
		return 0, &FileError{Path: fl.rel, Err: err}
	}
	defer f.Close()
	ra, err := os.Open(sc.readPath)
	if err != nil {
		return 0, &FileError{Path: fl.rel, Err: err}
	}
	defer ra.Close()
	cr := csv.NewReader(bufio.NewReaderSize(f, 1<<20))
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	cr.ReuseRecord = true
	var rows int64
	err = appendRows(conn, "_ingest_stage", func(add func(...driver.Value) error) error {
		vals := make([]driver.Value, n+4)
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
				return &FileError{Path: fl.rel, Line: strconv.Itoa(line), Col: col, Err: err}
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
			for i := 0; i < n; i++ {
				if i < len(rec) && rec[i] != "" {
					vals[i] = rec[i]
				} else {
					vals[i] = nil
				}
			}
			vals[n], vals[n+1], vals[n+2], vals[n+3] = int64(line), rows, len(rec) != n, raw
			if err := add(vals...); err != nil {
				return err
			}
			rows++
		}
	})
	if err != nil {
		return 0, err
	}
	sel := selectList(src, m, func(i int) string { return "t.c" + strconv.Itoa(i) }, fl, "")
	q := fmt.Sprintf(`INSERT INTO raw.%s BY NAME
SELECT %s, $1 AS source_file, CAST(t._line AS VARCHAR) AS source_line, t._row AS source_row, t._malformed AS malformed, t._raw AS source_raw
FROM temp._ingest_stage t`, quoteIdent(stagingName(src)), strings.Join(sel, ", "))
	if _, err := conn.ExecContext(ctx, q, fl.rel); err != nil {
		return 0, fmt.Errorf("%s: %w", fl.rel, err)
	}
	_, err = conn.ExecContext(ctx, "DROP TABLE temp._ingest_stage")
	return rows, err
}
