package reports

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// genRows yields n rows made on the fly (id, name, amount, date, flag), sampling the
// heap every sampleEvery rows.
type genRows struct {
	n, i     int
	row      []any
	maxHeap  uint64
	sampleAt int
}

const sampleEvery = 20000

func (g *genRows) Next() ([]any, error) {
	if g.i >= g.n {
		return nil, io.EOF
	}
	if g.i%sampleEvery == 0 {
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		g.maxHeap = max(g.maxHeap, m.HeapAlloc)
	}
	i := g.i
	g.i++
	var amount any = float64(i) / 7
	if i%5 == 0 {
		amount = nil
	}
	g.row = append(g.row[:0], int64(i), fmt.Sprintf("=企业%07d", i), amount, time.Date(2025, 1, 1+i%365, 0, 0, 0, 0, time.UTC), i%2 == 0)
	return g.row, nil
}

func (g *genRows) Close() error { return nil }

func genStream(n int, readers *[]*genRows) *Stream {
	return &Stream{
		Columns: []string{"id", "name", "amount", "declared", "flag"},
		Types:   []string{"BIGINT", "VARCHAR", "DECIMAL(18,2)", "DATE", "BOOLEAN"},
		Rows:    n,
		Open: func() (RowReader, error) {
			g := &genRows{n: n}
			*readers = append(*readers, g)
			return g, nil
		},
	}
}

// TestStreamedExportSameFiles: a streamed export writes the same CSV and the same Arrow
// data as the same rows held in memory, in batches of at most arrowBatchRows rows, and
// gets no workbook sheet.
func TestStreamedExportSameFiles(t *testing.T) {
	const n = arrowBatchRows + 1234
	var readers []*genRows
	stream := genStream(n, &readers)
	// the same rows in memory
	tbl := &Table{Columns: stream.Columns}
	g := &genRows{n: n}
	for {
		row, err := g.Next()
		if err == io.EOF {
			break
		}
		tbl.Rows = append(tbl.Rows, append([]any(nil), row...))
	}
	titles := map[string]string{"name": "企业名称"}
	dirS, dirT := t.TempDir(), t.TempDir()
	filesS, filesT := map[string][]byte{}, map[string][]byte{}
	pageS, err := writeExports([]Export{{Name: "big", Title: "大表", Stream: stream, Titles: titles}}, filesS, dirS)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := writeExports([]Export{{Name: "big", Title: "大表", Table: tbl, Titles: titles}}, filesT, dirT); err != nil {
		t.Fatal(err)
	}
	if _, ok := filesS["data/big.csv"]; ok {
		t.Error("the streamed CSV was built in memory")
	}
	csvS, err := os.ReadFile(filepath.Join(dirS, "data", "big.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(csvS, filesT["data/big.csv"]) {
		t.Errorf("the streamed CSV (%d bytes) differs from the in-memory one (%d bytes)", len(csvS), len(filesT["data/big.csv"]))
	}
	if !bytes.Contains(csvS, []byte("'=企业0000001")) {
		t.Error("the streamed CSV does not defuse a formula")
	}
	if it := pageS.Items[0]; it.Rows != n || it.Excel != "" || it.Sheet != "" || it.CSVSize != byteSize(len(csvS)) {
		t.Errorf("download page item %+v", it)
	}
	// Arrow: the declared types, every row, in batches.
	f, err := os.Open(filepath.Join(dirS, "data", "big.arrow"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := ipc.NewFileReader(f, ipc.WithAllocator(memory.DefaultAllocator))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if r.NumRecords() != 2 {
		t.Errorf("%d record batches, want 2", r.NumRecords())
	}
	total := 0
	for k := 0; k < r.NumRecords(); k++ {
		rec, err := r.RecordBatch(k)
		if err != nil {
			t.Fatal(err)
		}
		ids := rec.Column(0).(*array.Int64)
		amount := rec.Column(2).(*array.Float64)
		for j := 0; j < int(rec.NumRows()); j++ {
			if ids.Value(j) != int64(total+j) {
				t.Fatalf("row %d has id %d", total+j, ids.Value(j))
			}
			if (total+j)%5 == 0 != amount.IsNull(j) {
				t.Fatalf("row %d: amount null is %v", total+j, amount.IsNull(j))
			}
		}
		total += int(rec.NumRows())
	}
	if total != n {
		t.Errorf("%d rows in the Arrow file, want %d", total, n)
	}
	if len(readers) != 2 {
		t.Errorf("the stream was read %d times, want 2 (CSV, Arrow)", len(readers))
	}
}

// TestStreamedExportBoundedMemory: writing a streamed export of 2,000,000 rows (some 100 MB of
// CSV) keeps the heap small: it never holds the table.
func TestStreamedExportBoundedMemory(t *testing.T) {
	const n = 2000000
	var readers []*genRows
	dir := t.TempDir()
	runtime.GC()
	if _, err := writeExports([]Export{{Name: "big", Stream: genStream(n, &readers)}}, map[string][]byte{}, dir); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(filepath.Join(dir, "data", "big.csv"))
	if err != nil {
		t.Fatal(err)
	}
	var peak uint64
	for _, g := range readers {
		peak = max(peak, g.maxHeap)
	}
	// Held in memory, the CSV alone would be st.Size() bytes and the rows several times that.
	if limit := uint64(st.Size()) / 2; peak > limit {
		t.Errorf("heap reached %d MB while writing a %d MB CSV: the table is held in memory", peak>>20, st.Size()>>20)
	}
	t.Logf("CSV %d MB, heap peak %d MB", st.Size()>>20, peak>>20)
}
