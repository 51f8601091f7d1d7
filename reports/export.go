package reports

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/xuri/excelize/v2"
)

// The site's downloads: every exported table as CSV (UTF-8 with a BOM, so
// Excel reads the Chinese right, headed by the Chinese column titles), as an
// Arrow IPC file (column names as in the database, types kept, nulls kept:
// pandas, Polars and R read it directly) and as a sheet of one workbook.
// Parquet copies are written by the pipeline, which has DuckDB at hand.

// workbookName is the one workbook holding every exported table.
const workbookName = "bluebook-tables.xlsx"

// exportName is the contract for Export.Name: it becomes a file name.
var exportName = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// checkExports checks the names and shapes of the exports before anything
// is written.
func checkExports(exports []Export) error {
	seen := map[string]bool{}
	var errs []error
	for i, e := range exports {
		switch {
		case !exportName.MatchString(e.Name):
			errs = append(errs, fmt.Errorf("render: export %d: bad name %q: use lower-case letters, digits and _, starting with a letter", i+1, e.Name))
		case seen[e.Name]:
			errs = append(errs, fmt.Errorf("render: export %s is given twice", e.Name))
		case e.Table == nil && e.Stream == nil:
			errs = append(errs, fmt.Errorf("render: export %s has no table", e.Name))
		case e.Table != nil && e.Stream != nil:
			errs = append(errs, fmt.Errorf("render: export %s has both a table and a stream", e.Name))
		case e.Stream != nil:
			if len(e.Stream.Types) != len(e.Stream.Columns) || e.Stream.Open == nil {
				errs = append(errs, fmt.Errorf("render: export %s: a stream needs a type per column and Open", e.Name))
			}
		default:
			if err := e.Table.check(); err != nil {
				errs = append(errs, fmt.Errorf("render: export %s: %w", e.Name, err))
			}
		}
		seen[e.Name] = true
	}
	return errors.Join(errs...)
}

// dataPageView is the 数据下载 page.
type dataPageView struct {
	Workbook, WorkbookSize string
	Parquet                bool // some table has a Parquet copy
	Items                  []exportView
}

// exportView is one exported table on the download page.
type exportView struct {
	N                  int
	Name, Title, Sheet string
	Rows, Cols         int
	CSV, CSVSize       string
	Arrow, ArrowSize   string
	Parquet            string
	Excel, ExcelSize   string // the table's own workbook, opening at its sheet; "" when too large
	NoExcel            string // why there is no Excel file (noExcelReason), "" when there is one
	Columns            []columnView
}

// columnView is one column in a table's field list.
type columnView struct {
	Name, Title, Type string
}

// writeExports adds data/<name>.csv, data/<name>.arrow and the workbook to files and
// returns the download page. A streamed export's CSV and Arrow files are written to dir at
// once, row batch by row batch, instead.
func writeExports(exports []Export, files map[string][]byte, dir string) (*dataPageView, error) {
	page := &dataPageView{Workbook: "data/" + workbookName}
	sheets := sheetNames(exports)
	for i, e := range exports {
		sheet := sheets[i]
		if !inWorkbook(e) {
			sheet = ""
		}
		v := exportView{N: i + 1, Name: e.Name, Title: cmpOr(e.Title, e.Name), Sheet: sheet,
			Rows: e.rowCount(), Cols: len(e.columns()),
			CSV: "data/" + e.Name + ".csv", Arrow: "data/" + e.Name + ".arrow"}
		kinds := e.kinds()
		var csvSize, arrowSize int
		if e.Stream != nil {
			var err error
			if csvSize, err = writeStreamFile(dir, v.CSV, func(w io.Writer) error { return writeCSV(w, e) }); err != nil {
				return nil, fmt.Errorf("render: export %s as CSV: %w", e.Name, err)
			}
			if arrowSize, err = writeStreamFile(dir, v.Arrow, func(w io.Writer) error { return writeArrow(w, e, kinds) }); err != nil {
				return nil, fmt.Errorf("render: export %s as Arrow: %w", e.Name, err)
			}
		} else {
			csvData, err := exportCSV(e)
			if err != nil {
				return nil, fmt.Errorf("render: export %s as CSV: %w", e.Name, err)
			}
			var buf bytes.Buffer
			if err := writeArrow(&buf, e, kinds); err != nil {
				return nil, fmt.Errorf("render: export %s as Arrow: %w", e.Name, err)
			}
			files[v.CSV], files[v.Arrow] = csvData, buf.Bytes()
			csvSize, arrowSize = len(csvData), buf.Len()
		}
		v.CSVSize, v.ArrowSize = byteSize(csvSize), byteSize(arrowSize)
		if e.Parquet {
			v.Parquet = "data/" + e.Name + ".parquet"
			page.Parquet = true
		}
		for k, c := range e.columns() {
			v.Columns = append(v.Columns, columnView{Name: c, Title: e.title(c), Type: typeLabel(arrowType(kinds[k]))})
		}
		if sheet == "" {
			v.NoExcel = noExcelReason(e)
		} else {
			xlsx, err := tableWorkbook(e, sheet)
			if err != nil {
				return nil, fmt.Errorf("render: export %s as a workbook: %w", e.Name, err)
			}
			v.Excel, v.ExcelSize = "data/"+e.Name+".xlsx", byteSize(len(xlsx))
			files[v.Excel] = xlsx
		}
		page.Items = append(page.Items, v)
	}
	wb, err := exportWorkbook(exports, sheets)
	if err != nil {
		return nil, fmt.Errorf("render: export workbook: %w", err)
	}
	files[page.Workbook] = wb
	page.WorkbookSize = byteSize(len(wb))
	return page, nil
}

// title is the Chinese title of a column, or the column's own name; a title keyed
// "table.column" is this table's own and wins over the column's common one.
func (e Export) title(col string) string {
	if t := strings.TrimSpace(e.Titles[e.Name+"."+col]); t != "" {
		return t
	}
	if t := strings.TrimSpace(e.Titles[col]); t != "" {
		return t
	}
	return col
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// byteSize renders a file size for the download page.
func byteSize(n int) string {
	switch {
	case n < 1024:
		return fmt.Sprintf("%d B", n)
	case n < 1024*1024:
		return fmt.Sprintf("%.1f KB", float64(n)/1024)
	}
	return fmt.Sprintf("%.1f MB", float64(n)/1024/1024)
}

// exportCSV writes the table as CSV (writeCSV) in memory.
func exportCSV(e Export) ([]byte, error) {
	var buf bytes.Buffer
	err := writeCSV(&buf, e)
	return buf.Bytes(), err
}

// writeCSV writes the export as CSV: a UTF-8 BOM, a header of Chinese titles, values as
// plain as possible (numbers unformatted, dates ISO, NULL empty).
func writeCSV(out io.Writer, e Export) error {
	if _, err := io.WriteString(out, "\uFEFF"); err != nil {
		return err
	}
	w := csv.NewWriter(out)
	w.UseCRLF = true // what Excel writes and expects
	cols := e.columns()
	head := make([]string, len(cols))
	for i, c := range cols {
		head[i] = csvText(e.title(c))
	}
	if err := w.Write(head); err != nil {
		return err
	}
	rec := make([]string, len(cols))
	err := e.each(func(row []any) error {
		for i, v := range row {
			rec[i] = csvValue(v)
		}
		return w.Write(rec)
	})
	if err != nil {
		return err
	}
	w.Flush()
	return w.Error()
}

// csvValue renders one value for CSV.
func csvValue(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return csvText(x)
	case bool:
		return strconv.FormatBool(x)
	case time.Time:
		if isDate(x) {
			return x.Format(time.DateOnly)
		}
		return x.Format("2006-01-02 15:04:05")
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return ""
		}
		// Twelve significant digits drop the floating-point noise of a sum or a
		// ratio (13.200000000000017 → 13.2) and keep every digit the data have.
		r, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'g', 12, 64), 64)
		return strconv.FormatFloat(r, 'f', -1, 64)
	}
	if f, ok := toFloat(v); ok {
		if i, isInt := v.(int64); isInt {
			return strconv.FormatInt(i, 10)
		}
		return csvValue(f)
	}
	return csvText(plainValue(v))
}

// csvText defuses a text cell a spreadsheet would take for a formula (OWASP's rule for
// CSV injection): one beginning with =, +, -, @, a tab or a carriage return gets a
// leading apostrophe, which Excel and LibreOffice hide and read as "this is text".
// Numbers never pass here: they stay numbers.
func csvText(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// isDate reports whether t is a plain date (midnight, no time of day).
func isDate(t time.Time) bool {
	return t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0
}

// colKind is what a column holds, inferred from its Go values.
type colKind int

const (
	kindNull colKind = iota
	kindInt
	kindFloat
	kindBool
	kindDate
	kindTime
	kindString
)

// columnKind infers the Arrow type of column i: int64 → Int64, float64 (or
// a mix of int64 and float64) → Float64, bool → Boolean, time.Time → Date32
// when every value is a plain date and Timestamp otherwise, string (or any
// other mix) → String. A column of NULLs only is String.
func columnKind(t *Table, i int) colKind {
	k := kindNull
	for _, row := range t.Rows {
		var vk colKind
		switch x := row[i].(type) {
		case nil:
			continue
		case int64, int, int32, int16, int8, uint8, uint16, uint32:
			vk = kindInt
		case float64, float32:
			vk = kindFloat
		case bool:
			vk = kindBool
		case time.Time:
			vk = kindDate
			if !isDate(x) {
				vk = kindTime
			}
		case string:
			vk = kindString
		default:
			if _, ok := toFloat(x); ok {
				vk = kindFloat
			} else {
				vk = kindString
			}
		}
		switch {
		case k == kindNull || k == vk:
			k = vk
		case (k == kindInt && vk == kindFloat) || (k == kindFloat && vk == kindInt):
			k = kindFloat
		case (k == kindDate && vk == kindTime) || (k == kindTime && vk == kindDate):
			k = kindTime
		default:
			return kindString
		}
	}
	if k == kindNull {
		return kindString
	}
	return k
}

func arrowType(k colKind) arrow.DataType {
	switch k {
	case kindInt:
		return arrow.PrimitiveTypes.Int64
	case kindFloat:
		return arrow.PrimitiveTypes.Float64
	case kindBool:
		return arrow.FixedWidthTypes.Boolean
	case kindDate:
		return arrow.FixedWidthTypes.Date32
	case kindTime:
		return &arrow.TimestampType{Unit: arrow.Microsecond} // DuckDB TIMESTAMP: no time zone
	}
	return arrow.BinaryTypes.String
}

// typeLabel names an Arrow type for the download page.
func typeLabel(t arrow.DataType) string {
	switch t.ID() {
	case arrow.INT64:
		return "整数"
	case arrow.FLOAT64:
		return "数值"
	case arrow.BOOL:
		return "是/否"
	case arrow.DATE32:
		return "日期"
	case arrow.TIMESTAMP:
		return "时间"
	}
	return "文本"
}

// arrowBatchRows is the most rows of one Arrow record batch.
const arrowBatchRows = 1 << 16

// writeArrow writes the export as an Arrow IPC file, in record batches of at most
// arrowBatchRows rows. Column names are the database's; each field carries its Chinese
// title as metadata "title", and the schema the table's name and title.
func writeArrow(out io.Writer, e Export, kinds []colKind) error {
	cols := e.columns()
	fields := make([]arrow.Field, len(cols))
	for i, c := range cols {
		fields[i] = arrow.Field{Name: c, Type: arrowType(kinds[i]), Nullable: true,
			Metadata: arrow.NewMetadata([]string{"title"}, []string{e.title(c)})}
	}
	schema := arrow.NewSchema(fields, ptr(arrow.NewMetadata([]string{"name", "title"}, []string{e.Name, cmpOr(e.Title, e.Name)})))
	w, err := ipc.NewFileWriter(out, ipc.WithSchema(schema), ipc.WithAllocator(memory.DefaultAllocator))
	if err != nil {
		return err
	}
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	n := 0
	flush := func() error {
		rec := b.NewRecordBatch()
		defer rec.Release()
		n = 0
		return w.Write(rec)
	}
	err = e.each(func(row []any) error {
		for i, v := range row {
			appendArrow(b.Field(i), kinds[i], v)
		}
		if n++; n == arrowBatchRows {
			return flush()
		}
		return nil
	})
	if err == nil && (n > 0 || e.rowCount() == 0) {
		err = flush() // the last batch; an empty table gets one empty batch
	}
	if err != nil {
		w.Close()
		return err
	}
	return w.Close()
}

// appendArrow appends one value to a column builder of kind k.
func appendArrow(fb array.Builder, k colKind, v any) {
	if v == nil {
		fb.AppendNull()
		return
	}
	switch k {
	case kindInt:
		if n, ok := v.(int64); ok {
			fb.(*array.Int64Builder).Append(n)
		} else {
			x, _ := toFloat(v)
			fb.(*array.Int64Builder).Append(int64(x))
		}
	case kindFloat:
		x, _ := toFloat(v)
		fb.(*array.Float64Builder).Append(x)
	case kindBool:
		b, _ := v.(bool)
		fb.(*array.BooleanBuilder).Append(b)
	case kindDate, kindTime:
		tm, ok := v.(time.Time)
		if !ok {
			fb.AppendNull()
			return
		}
		if k == kindDate {
			fb.(*array.Date32Builder).Append(arrow.Date32FromTime(tm))
			return
		}
		// the wall clock as written, as DuckDB's TIMESTAMP has it
		wall := time.Date(tm.Year(), tm.Month(), tm.Day(), tm.Hour(), tm.Minute(), tm.Second(), tm.Nanosecond(), time.UTC)
		fb.(*array.TimestampBuilder).Append(arrow.Timestamp(wall.UnixMicro()))
	default:
		fb.(*array.StringBuilder).Append(csvValue(v))
	}
}

func ptr[T any](v T) *T { return &v }

// sheetNames gives each export a workbook sheet: its Chinese title with the
// characters Excel forbids replaced, cut to Excel's 31 characters, made
// unique.
func sheetNames(exports []Export) []string {
	used := map[string]bool{strings.ToLower(indexSheet): true}
	names := make([]string, len(exports))
	for i, e := range exports {
		base := strings.Map(func(r rune) rune {
			if strings.ContainsRune(`[]:*?/\`, r) {
				return '_'
			}
			return r
		}, cmpOr(strings.TrimSpace(e.Title), e.Name))
		base = strings.Trim(base, "'")
		if base == "" {
			base = e.Name
		}
		name := truncRunes(base, 31)
		for n := 2; used[strings.ToLower(name)]; n++ {
			suffix := fmt.Sprintf("(%d)", n)
			name = truncRunes(base, 31-utf8.RuneCountInString(suffix)) + suffix
		}
		used[strings.ToLower(name)] = true
		names[i] = name
	}
	return names
}

func truncRunes(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		r = r[:n]
	}
	return string(r)
}

// workbookMaxRows is the most rows a table may have to get a sheet in the workbook.
// Larger tables (enterprise-level lists at city scale) would make the workbook slow to
// write and to open; they stay in CSV, Parquet and Arrow, and the 目录 sheet says so.
const workbookMaxRows = 10000

func inWorkbook(e Export) bool { return e.Stream == nil && len(e.Table.Rows) <= workbookMaxRows }

// noExcelReason says on the download page, in Chinese, why a table that is not
// inWorkbook has no Excel file, and which formats it has instead.
func noExcelReason(e Export) string {
	formats := "CSV与Arrow"
	if e.Parquet {
		formats = "CSV、Arrow与Parquet"
	}
	if e.rowCount() > workbookMaxRows {
		return "行数超过" + wanRows(workbookMaxRows) + "行，未制作Excel文件，仅提供" + formats
	}
	// A stream of few rows: the caller chose not to hold the table in memory.
	return "按数据流逐批导出，未制作Excel文件，仅提供" + formats
}

// wanRows writes a row count as the download page words a limit: 10000 → 1万.
func wanRows(n int) string {
	if n >= 10000 && n%10000 == 0 {
		return strconv.Itoa(n/10000) + "万"
	}
	return strconv.Itoa(n)
}

// indexSheet is the workbook's first sheet: the list of tables.
const indexSheet = "目录"

// exportWorkbook writes every export as a sheet of one workbook, after a
// 目录 sheet that lists them, with excelize's StreamWriter.
func exportWorkbook(exports []Export, sheets []string) ([]byte, error) {
	return writeWorkbook(exports, sheets, true)
}

// tableWorkbook writes one table as a workbook of one sheet, the table's, which a
// spreadsheet opens at once: the Excel link of each table on the download page.
func tableWorkbook(e Export, sheet string) ([]byte, error) {
	return writeWorkbook([]Export{e}, []string{sheet}, false)
}

// writeWorkbook writes the workbook of exports, after a 目录 sheet when withIndex.
func writeWorkbook(exports []Export, sheets []string, withIndex bool) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	first := indexSheet
	if !withIndex {
		first = sheets[0]
	}
	if err := f.SetSheetName("Sheet1", first); err != nil {
		return nil, err
	}
	head, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E9EEF6"}},
		Border: []excelize.Border{{Type: "bottom", Color: "1D232B", Style: 1}}, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}})
	if err != nil {
		return nil, err
	}
	date, err := f.NewStyle(&excelize.Style{NumFmt: 14, CustomNumFmt: ptr("yyyy-mm-dd")})
	if err != nil {
		return nil, err
	}
	stamp, err := f.NewStyle(&excelize.Style{CustomNumFmt: ptr("yyyy-mm-dd hh:mm:ss")})
	if err != nil {
		return nil, err
	}
	// Number formats: shares as percentages, amounts in 万元 with thousands separators and
	// two decimals, large counts with thousands separators (the cell keeps the exact value).
	var styles numberStyles
	for _, s := range []struct {
		id  *int
		fmt string
	}{{&styles.percent, "0.0%"}, {&styles.money, "#,##0.00"}, {&styles.thousands, "#,##0"}} {
		if *s.id, err = f.NewStyle(&excelize.Style{CustomNumFmt: ptr(s.fmt)}); err != nil {
			return nil, err
		}
	}
	if err != nil {
		return nil, err
	}

	if withIndex {
		if err := writeIndexSheet(f, exports, sheets, head); err != nil {
			return nil, err
		}
	}
	if err := writeTableSheets(f, exports, sheets, head, date, stamp, styles); err != nil {
		return nil, err
	}
	// The first sheet (目录, or the table's) is the active one. (SetActiveSheet would make
	// excelize read every streamed sheet back: half the export time.)
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// numberStyles are the workbook's number formats (columnNumberKind).
type numberStyles struct{ percent, money, thousands int }

// writeIndexSheet streams the 目录 sheet: the list of tables.
func writeIndexSheet(f *excelize.File, exports []Export, sheets []string, head int) error {
	sw, err := f.NewStreamWriter(indexSheet)
	if err != nil {
		return err
	}
	for col, w := range []float64{8, 34, 28, 10, 10} {
		if err := sw.SetColWidth(col+1, col+1, w); err != nil {
			return err
		}
	}
	if err := sw.SetRow("A1", cells(head, "序号", "工作表", "文件名", "行数", "列数")); err != nil {
		return err
	}
	for i, e := range exports {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		sheet := sheets[i]
		if !inWorkbook(e) {
			sheet = fmt.Sprintf("（超过%d行，未放入工作簿，见 %s.csv）", workbookMaxRows, e.Name)
		}
		if err := sw.SetRow(cell, []any{i + 1, sheet, e.Name, e.rowCount(), len(e.columns())}); err != nil {
			return err
		}
	}
	return sw.Flush()
}

// writeTableSheets streams a sheet per table of exports (those inWorkbook), with the
// columns' number formats.
func writeTableSheets(f *excelize.File, exports []Export, sheets []string, head, date, stamp int, styles numberStyles) error {
	for i, e := range exports {
		if !inWorkbook(e) {
			continue
		}
		if _, err := f.NewSheet(sheets[i]); err != nil {
			return err
		}
		sw, err := f.NewStreamWriter(sheets[i])
		if err != nil {
			return err
		}
		t := e.Table
		titles := make([]string, len(t.Columns))
		numFmt := make([]int, len(t.Columns)) // a number format's style per column, 0 for none
		for k, c := range t.Columns {
			titles[k] = e.title(c)
			switch columnNumberKind(t, k, c, titles[k]) {
			case "percent":
				numFmt[k] = styles.percent
			case "money":
				numFmt[k] = styles.money
			case "thousands":
				numFmt[k] = styles.thousands
			}
			if err := sw.SetColWidth(k+1, k+1, columnWidth(t, k, titles[k])); err != nil {
				return err
			}
		}
		if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
			return err
		}
		if err := sw.SetRow("A1", cells(head, titles...), excelize.RowOpts{Height: 30}); err != nil {
			return err
		}
		row := make([]any, len(t.Columns))
		for r, vals := range t.Rows {
			for k, v := range vals {
				row[k] = sheetValue(v, date, stamp)
				if _, isNum := toFloat(v); isNum && numFmt[k] != 0 && row[k] != nil {
					row[k] = excelize.Cell{StyleID: numFmt[k], Value: row[k]}
				}
			}
			cell, _ := excelize.CoordinatesToCellName(1, r+2)
			if err := sw.SetRow(cell, row); err != nil {
				return err
			}
		}
		if err := sw.Flush(); err != nil {
			return err
		}
	}
	return nil
}

// cells makes a header row of styled cells.
func cells(style int, texts ...string) []any {
	out := make([]any, len(texts))
	for i, s := range texts {
		out[i] = excelize.Cell{StyleID: style, Value: s}
	}
	return out
}

// columnNumberKind says how the workbook formats a column of numbers: "percent" for a
// ratio (a column named share, *_share, *_rate, *_yoy, growth, *_growth or *intensity whose
// values lie within ±10), "money" for an amount in 万元 (its title says 万元), "thousands"
// for whole numbers reaching 10000 (a year or a code never does), "" otherwise.
func columnNumberKind(t *Table, k int, name, title string) string {
	floats, ints, ratio, big := 0, 0, true, false
	for _, row := range t.Rows {
		switch x := row[k].(type) {
		case float64:
			floats++
			if math.Abs(x) > 10 {
				ratio = false
			}
		case int64:
			ints++
			if x >= 10000 || x <= -10000 {
				big = true
			}
		}
	}
	switch {
	case floats > 0 && ints == 0 && ratio && (name == "share" || name == "growth" || strings.HasSuffix(name, "_share") ||
		strings.HasSuffix(name, "_rate") || strings.HasSuffix(name, "_yoy") || strings.HasSuffix(name, "_growth") ||
		strings.HasSuffix(name, "intensity")):
		return "percent"
	case floats > 0 && strings.Contains(title, "万元"):
		return "money"
	case ints > 0 && floats == 0 && big && !strings.Contains(name, "code") && name != "year":
		return "thousands"
	}
	return ""
}

// sheetValue is a cell value for the workbook: numbers stay numbers,
// dates are dates, NULL is an empty cell.
func sheetValue(v any, date, stamp int) any {
	switch x := v.(type) {
	case nil:
		return nil
	case time.Time:
		if isDate(x) {
			return excelize.Cell{StyleID: date, Value: x}
		}
		return excelize.Cell{StyleID: stamp, Value: x}
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil
		}
		return x
	case string, bool, int64:
		return x
	}
	if f, ok := toFloat(v); ok {
		return f
	}
	return plainValue(v)
}

// columnWidth guesses a column width in Excel's units (about one Latin
// character) from the title and the first hundred values: a Chinese
// character counts two.
func columnWidth(t *Table, k int, title string) float64 {
	w := textWidth(title)
	for _, row := range t.Rows[:min(len(t.Rows), 100)] {
		w = max(w, textWidth(csvValue(row[k])))
	}
	return float64(min(max(w+2, 8), 60))
}

func textWidth(s string) int {
	n := 0
	for _, r := range s {
		if wide(r) {
			n += 2
		} else {
			n++
		}
	}
	return n
}
