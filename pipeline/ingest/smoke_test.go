package ingest

import "testing"

func TestSmoke(t *testing.T) {
	dir := t.TempDir()
	minimalSources(t, dir)
	db := openDB(t)
	res, err := runIngest(t, db, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%+v", res)
	for _, tb := range []string{"registry", "appeals", "innovation", "donations", "districts", "rejects", "ingest_files"} {
		t.Log(tb, query(t, db, "SELECT * FROM "+tb))
	}
}
