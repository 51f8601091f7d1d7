package ingest

import (
	"bytes"
	"context"
	"database/sql/driver"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"bluebook/diag"
)

// hashInto fills fl.sha256 and fl.bytes from the file's content.
func hashInto(fl *fileLoad) error {
	st, err := os.Stat(fl.abs)
	if err != nil {
		return fileError(fl.rel, err)
	}
	h, err := hashFile(fl.abs)
	if err != nil {
		return fileError(fl.rel, err)
	}
	fl.sha256, fl.bytes = h, st.Size()
	return nil
}

// csvText renders cells as one CSV line, for the raw column of the rejects table.
func csvText(cells []string) string {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	_ = w.Write(cells) // writing to a bytes.Buffer cannot fail
	w.Flush()
	return strings.TrimRight(b.String(), "\n")
}

// stageDDL creates temp._ingest_stage, where rows parsed in Go (workbook sheets, CSV files
// of the careful path) wait for insertStage: n text columns _c0…, then the row's line,
// whether it is malformed, and its original text.
func stageDDL(n int) string {
	var defs []string
	for i := 0; i < n; i++ {
		defs = append(defs, "_c"+strconv.Itoa(i)+" VARCHAR")
	}
	defs = append(defs, "_tline VARCHAR", "_tmalformed BOOLEAN", "_traw VARCHAR")
	return "CREATE OR REPLACE TEMP TABLE _ingest_stage (" + strings.Join(defs, ", ") + ")"
}

// insertStage moves temp._ingest_stage (see stageDDL) into the staging rows table through
// the header map m, and drops it.
func insertStage(ctx context.Context, st *stage, fl *fileLoad, m *headerMap, prefix string) (int64, error) {
	rel := relation{
		from:      "temp._ingest_stage t",
		col:       func(i int) string { return "t._c" + strconv.Itoa(i) },
		line:      "t._tline",
		malformed: "t._tmalformed",
		raw:       "_p0",
		keepRaw:   true,
		pass:      []string{"t._traw"},
	}
	n, err := st.insert(ctx, fl, m, prefix, rel, nil)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", diag.Printable(fl.rel), err)
	}
	_, err = st.conn.ExecContext(ctx, "DROP TABLE temp._ingest_stage")
	return n, err
}

// excelSerialDate turns an Excel serial number in a date or timestamp column into text the
// date parser accepts. Whole numbers of eight digits are dates typed as numbers (20250307)
// and stay as they are; so does anything that is not a number.
func excelSerialDate(v string, date1904, withTime bool) string {
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f <= 0 || f >= 1e6 {
		return v
	}
	t, err := excelize.ExcelDateToTime(f, date1904)
	if err != nil {
		return v
	}
	t = t.Round(time.Second) // a serial time is binary floating point
	if withTime && t.Sub(t.Truncate(24*time.Hour)) != 0 {
		return t.Format("2006-01-02 15:04:05")
	}
	return t.Format("2006-01-02")
}

// loadXLSX reads every sheet of a workbook whose first non-empty row maps onto the source's
// required columns, through excelize's row iterator and the Appender. Other sheets are
// recorded as skipped. Cells are read raw (unformatted); in date and timestamp columns an
// Excel serial number (a date cell) becomes an ISO date, and a date typed as text is kept
// for the same parser as CSV text.
func loadXLSX(ctx context.Context, st *stage, fl *fileLoad) error {
	if err := hashInto(fl); err != nil {
		return err
	}
	fl.encoding = "xlsx"
	// The workbook's parts are checked before excelize inflates any of them (see
	// checkWorkbook); excelize's own limit stays as a second guard.
	if err := checkWorkbook(fl.abs, st.limits); err != nil {
		return fileError(fl.rel, err)
	}
	f, err := excelize.OpenFile(fl.abs, excelize.Options{UnzipSizeLimit: st.limits.WorkbookBytes,
		UnzipXMLSizeLimit: min(excelize.StreamChunkSize, st.limits.WorkbookBytes)})
	if err != nil {
		return fileError(fl.rel, fmt.Errorf("open workbook: %w", err))
	}
	defer f.Close()
	date1904 := false
	if props, err := f.GetWorkbookProps(); err == nil && props.Date1904 != nil {
		date1904 = *props.Date1904
	}
	var firstErr error
	read := 0
	for si, sheet := range f.GetSheetList() {
		n, err := loadSheet(ctx, st, fl, f, si, sheet, date1904)
		if err != nil {
			var fe *diag.Error
			if errors.As(err, &fe) && strings.HasPrefix(fe.Err.Error(), "missing required column") {
				fl.skipped = append(fl.skipped, skipped{sheet: sheet, reason: fe.Err.Error()})
				if firstErr == nil {
					firstErr = err
				}
				continue
			}
			return err
		}
		if n < 0 {
			fl.skipped = append(fl.skipped, skipped{sheet: sheet, reason: "empty sheet"})
			continue
		}
		read++
	}
	if read == 0 {
		if firstErr == nil {
			firstErr = fileError(fl.rel, errors.New("no sheet has a header row"))
		}
		return firstErr
	}
	return nil
}

// loadSheet appends one sheet to the staging rows table; it returns -1 for a sheet with no
// non-empty row, and a *diag.Error when the header misses a required column.
func loadSheet(ctx context.Context, st *stage, fl *fileLoad, f *excelize.File, si int, sheet string, date1904 bool) (int64, error) {
	conn, src := st.conn, st.src
	rows, err := f.Rows(sheet)
	if err != nil {
		return 0, fileError(fl.rel, fmt.Errorf("sheet %q: %w", sheet, err))
	}
	defer rows.Close()
	var m *headerMap
	var dateCols map[int]bool // header position → timestamp column (true) or date column (false)
	var rowsRead int64
	rowNum := 0
	var appendErr error
	var pending [][]string
	var lines []int
	flush := func() error {
		if len(pending) == 0 {
			return nil
		}
		err := appendRows(conn, "_ingest_stage", func(add func(...driver.Value) error) error {
			vals := make([]driver.Value, len(m.header)+3)
			for k, cells := range pending {
				for i := range m.header {
					vals[i] = nil
					if i < len(cells) && cells[i] != "" {
						v := cells[i]
						if withTime, ok := dateCols[i]; ok {
							v = excelSerialDate(strings.TrimSpace(v), date1904, withTime)
						}
						vals[i] = v
					}
				}
				vals[len(m.header)] = sheet + "!" + strconv.Itoa(lines[k])
				vals[len(m.header)+1] = false
				vals[len(m.header)+2] = csvText(cells)
				if err := add(vals...); err != nil {
					return err
				}
			}
			return nil
		})
		pending, lines = pending[:0], lines[:0]
		return err
	}
	for rows.Next() {
		rowNum++
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return 0, &diag.Error{Path: fl.rel, Sheet: sheet, Line: rowNum, Data: true, Err: err}
		}
		if err := checkCells(cells, st.limits); err != nil {
			err.Path, err.Sheet, err.Line = fl.rel, sheet, rowNum
			return 0, err
		}
		empty := true
		for _, c := range cells {
			if strings.TrimSpace(c) != "" {
				empty = false
				break
			}
		}
		if empty {
			continue
		}
		if m == nil {
			m, err = mapHeader(src, fl.rel, sheet, rowNum, cells)
			if err != nil {
				return 0, err
			}
			if _, err := conn.ExecContext(ctx, stageDDL(len(cells))); err != nil {
				return 0, err
			}
			dateCols = map[int]bool{}
			for name, pos := range m.cols {
				c, _ := src.Column(name)
				if c.Type == Date || c.Type == Timestamp {
					for _, p := range pos {
						dateCols[p] = c.Type == Timestamp
					}
				}
			}
			continue
		}
		pending = append(pending, append([]string(nil), cells...))
		lines = append(lines, rowNum)
		rowsRead++
		if len(pending) >= 8192 {
			if appendErr = flush(); appendErr != nil {
				return 0, appendErr
			}
		}
	}
	if err := rows.Error(); err != nil {
		return 0, fileError(fl.rel, fmt.Errorf("sheet %q: %w", sheet, err))
	}
	if m == nil {
		return -1, nil
	}
	if err := flush(); err != nil {
		return 0, err
	}
	n, err := insertStage(ctx, st, fl, m, sheet+"!")
	if err != nil {
		return 0, err
	}
	if n != rowsRead {
		return 0, fmt.Errorf("%s: internal error: sheet %s: %d rows read, %d appended", diag.Printable(fl.rel), diag.Printable(sheet), rowsRead, n)
	}
	fl.rows += rowsRead
	return rowsRead, nil
}

// checkCells refuses a sheet row with more cells than l.Columns or a cell longer than
// l.FieldChars: a *diag.Error whose Col names the cell, for the caller to fill in.
func checkCells(cells []string, l Limits) *diag.Error {
	if len(cells) > l.Columns {
		return &diag.Error{Col: l.Columns + 1, Data: true, Err: limitError(fmt.Sprintf("a row of %d cells", len(cells)), "max_columns", l.Columns)}
	}
	for i, c := range cells {
		if overChars(c, l.FieldChars) {
			return &diag.Error{Col: i + 1, Data: true, Err: limitError(fmt.Sprintf("a cell of %d characters", utf8.RuneCountInString(c)), "max_field_chars", l.FieldChars)}
		}
	}
	return nil
}

// loadParquet reads a Parquet file with read_parquet, every column cast to VARCHAR, and
// then applies the same rules as to text. The line of a row is its 1-based row number.
func loadParquet(ctx context.Context, st *stage, fl *fileLoad) error {
	if err := hashInto(fl); err != nil {
		return err
	}
	fl.encoding = "parquet"
	rows, err := st.conn.QueryContext(ctx, "SELECT * FROM read_parquet($1) LIMIT 0", fl.abs)
	if err != nil {
		return fileError(fl.rel, fmt.Errorf("read_parquet: %w", err))
	}
	header, err := rows.Columns()
	rows.Close()
	if err != nil {
		return fileError(fl.rel, err)
	}
	if len(header) > st.limits.Columns {
		return fileError(fl.rel, limitError(fmt.Sprintf("%d columns", len(header)), "max_columns", st.limits.Columns))
	}
	m, err := mapHeader(st.src, fl.rel, "", 1, header)
	if err != nil {
		return err
	}
	// Columns are renamed positionally (t(_c0, _c1, …)), so no name from the file is ever
	// spliced into the statement.
	var alias, pass, text []string
	for i := range header {
		alias = append(alias, "_c"+strconv.Itoa(i))
		pass = append(pass, "t._c"+strconv.Itoa(i))
		text = append(text, "coalesce(CAST(_p"+strconv.Itoa(i)+" AS VARCHAR), '')")
	}
	rel := relation{
		from:      "read_parquet($1, file_row_number = true) AS t(" + strings.Join(alias, ", ") + ", _frn)",
		col:       func(i int) string { return "CAST(t._c" + strconv.Itoa(i) + " AS VARCHAR)" },
		line:      "t._frn + 1",
		malformed: "false",
		raw:       "concat_ws(',', " + strings.Join(text, ", ") + ")",
		keepRaw:   len(st.src.Key) > 0,
		pass:      pass,
	}
	fl.rows, err = st.insert(ctx, fl, m, "", rel, []any{fl.abs})
	if err != nil {
		return fileError(fl.rel, fmt.Errorf("read_parquet: %w", err))
	}
	return nil
}
