package reports

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Stream is an exported table too large to hold in memory (an enterprise-level list at
// provincial scale: millions of rows). Its CSV and Arrow files are written in one pass
// each over rows read in batches, so the render's memory does not grow with the table;
// it gets no workbook sheet. The pipeline streams every table of more than
// WorkbookMaxRows rows.
type Stream struct {
	Columns []string
	// Types are the columns' database types as the driver names them (BIGINT, DOUBLE,
	// DECIMAL(18,2), DATE, TIMESTAMP, BOOLEAN, VARCHAR…): they fix the Arrow types,
	// which for an in-memory table are inferred from the values.
	Types []string
	Rows  int // the row count, for the download page and the workbook's 目录
	// Open starts one pass over the rows; each pass must give them in the same order.
	Open func() (RowReader, error)
}

// RowReader is one pass over a Stream's rows.
type RowReader interface {
	// Next returns the next row's values (nil, bool, int64, float64, string,
	// time.Time, as Table.Rows holds them), or io.EOF after the last. The slice may be
	// reused by the next call.
	Next() ([]any, error)
	Close() error
}

// WorkbookMaxRows is the most rows a table may have to get a sheet in the workbook (and,
// in the pipeline, to be held in memory).
const WorkbookMaxRows = workbookMaxRows

// columns are the export's column names.
func (e Export) columns() []string {
	if e.Stream != nil {
		return e.Stream.Columns
	}
	return e.Table.Columns
}

// rowCount is the export's number of rows.
func (e Export) rowCount() int {
	if e.Stream != nil {
		return e.Stream.Rows
	}
	return len(e.Table.Rows)
}

// kinds are the Arrow kinds of the export's columns.
func (e Export) kinds() []colKind {
	ks := make([]colKind, len(e.columns()))
	for i := range ks {
		if e.Stream != nil {
			ks[i] = typeKind(e.Stream.Types[i])
		} else {
			ks[i] = columnKind(e.Table, i)
		}
	}
	return ks
}

// typeKind maps a database type name to the kind of its Arrow column.
func typeKind(t string) colKind {
	t = strings.ToUpper(strings.TrimSpace(t))
	switch {
	case t == "BOOLEAN":
		return kindBool
	case t == "DATE":
		return kindDate
	case strings.HasPrefix(t, "TIMESTAMP"):
		return kindTime
	case t == "DOUBLE", t == "FLOAT", t == "REAL", strings.HasPrefix(t, "DECIMAL"), t == "HUGEINT", t == "UHUGEINT", t == "UBIGINT":
		return kindFloat // HUGEINT and UBIGINT may exceed int64: as the driver gives them, numbers
	case strings.HasSuffix(t, "INT"), t == "INTEGER":
		return kindInt // TINYINT, SMALLINT, INTEGER, BIGINT, UTINYINT…
	}
	return kindString
}

// tableRows reads an in-memory table as a RowReader.
type tableRows struct {
	t *Table
	i int
}

func (r *tableRows) Next() ([]any, error) {
	if r.i >= len(r.t.Rows) {
		return nil, io.EOF
	}
	r.i++
	return r.t.Rows[r.i-1], nil
}

func (r *tableRows) Close() error { return nil }

// open starts a pass over the export's rows.
func (e Export) open() (RowReader, error) {
	if e.Stream != nil {
		return e.Stream.Open()
	}
	return &tableRows{t: e.Table}, nil
}

// each calls fn for every row of one pass over the export.
func (e Export) each(fn func(row []any) error) (err error) {
	rr, err := e.open()
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, rr.Close()) }()
	for {
		row, err := rr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if len(row) != len(e.columns()) {
			return fmt.Errorf("a row has %d values for %d columns", len(row), len(e.columns()))
		}
		if err := fn(row); err != nil {
			return err
		}
	}
}

// writeStreamFile writes dir/name through a buffer with write and returns its size.
func writeStreamFile(dir, name string, write func(w io.Writer) error) (int, error) {
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return 0, err
	}
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return 0, err
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	err = write(bw)
	if err == nil {
		err = bw.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, err
	}
	st, err := os.Stat(p)
	if err != nil {
		return 0, err
	}
	return int(st.Size()), nil
}
