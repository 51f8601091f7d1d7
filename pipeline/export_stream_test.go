package pipeline

import (
	"context"
	"io"
	"reflect"
	"testing"

	"bluebook/reports"
)

// TestExportTableStreamsLargeTables: a download table of more than
// reports.WorkbookMaxRows rows is not read into memory but streamed, with the database's
// column types, and a pass over the stream gives the same rows as reading it whole.
func TestExportTableStreamsLargeTables(t *testing.T) {
	db := testDB(t)
	ctx := context.Background()
	if _, err := db.Exec(`CREATE TABLE small AS SELECT range AS id FROM range(10);
		CREATE TABLE big AS SELECT range AS id, '企业' || range AS name, (range / 4)::DECIMAL(18,2) AS amount,
			DATE '2025-01-01' + (range % 365)::INT AS declared, range % 2 = 0 AS flag,
			CASE WHEN range % 3 = 0 THEN NULL ELSE range * 0.5 END AS score
		FROM range(?) ORDER BY range`, reports.WorkbookMaxRows+1); err != nil {
		t.Fatal(err)
	}
	tbl, stream, err := exportTable(ctx, db, "small")
	if err != nil || tbl == nil || stream != nil {
		t.Fatalf("small table: table %v, stream %v, err %v", tbl != nil, stream != nil, err)
	}
	tbl, stream, err = exportTable(ctx, db, "big")
	if err != nil || tbl != nil || stream == nil {
		t.Fatalf("big table: table %v, stream %v, err %v", tbl != nil, stream != nil, err)
	}
	if stream.Rows != reports.WorkbookMaxRows+1 {
		t.Errorf("stream of %d rows", stream.Rows)
	}
	wantTypes := []string{"BIGINT", "VARCHAR", "DECIMAL(18,2)", "DATE", "BOOLEAN", "DECIMAL(21,1)"}
	if !reflect.DeepEqual(stream.Types, wantTypes) {
		t.Errorf("types %v, want %v", stream.Types, wantTypes)
	}
	whole, err := queryTable(ctx, db, `SELECT * FROM big`)
	if err != nil {
		t.Fatal(err)
	}
	r, err := stream.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for i := 0; ; i++ {
		row, err := r.Next()
		if err == io.EOF {
			if i != len(whole.Rows) {
				t.Errorf("the stream gave %d rows, want %d", i, len(whole.Rows))
			}
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(row, whole.Rows[i]) {
			t.Fatalf("row %d: %v, want %v", i, row, whole.Rows[i])
		}
	}
}
