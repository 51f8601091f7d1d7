package ingest

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// TestCreateEmpty checks that every contract table exists without data, with the column
// names and types in testdata/schema.golden, and that a run leaves the same schema.
func TestCreateEmpty(t *testing.T) {
	db := openDB(t)
	if err := CreateEmpty(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	if err := CreateEmpty(context.Background(), db); err != nil {
		t.Fatalf("second CreateEmpty: %v", err)
	}
	const q = `SELECT table_name || ': ' || string_agg(column_name || ' ' || data_type, ', ' ORDER BY ordinal_position)
		FROM information_schema.columns WHERE table_schema = 'main' GROUP BY table_name ORDER BY table_name`
	got := strings.Join(query(t, db, q), "\n") + "\n"
	golden := filepath.Join("testdata", "schema.golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("schema after CreateEmpty differs from %s (go test -update to rewrite):\n%s", golden, got)
	}
	for _, tb := range []string{"registry", "rejects", "ingest_files", "raw.registry"} {
		if n := query(t, db, "SELECT count(*) FROM "+tb); n[0] != "0" {
			t.Errorf("%s has %s rows", tb, n[0])
		}
	}

	// A run leaves the same clean schema.
	dir := t.TempDir()
	minimalSources(t, dir)
	db2 := openDB(t)
	if _, err := runIngest(t, db2, dir, nil); err != nil {
		t.Fatal(err)
	}
	if got2 := strings.Join(query(t, db2, q), "\n") + "\n"; got2 != got {
		t.Errorf("schema after Run differs from CreateEmpty's:\n%s", got2)
	}
}

func TestProgress(t *testing.T) {
	dir := t.TempDir()
	minimalSources(t, dir)
	last := map[string][2]int64{}
	_, err := runIngest(t, openDB(t), dir, func(o *Options) {
		o.Progress = func(source string, done, total int64) { last[source] = [2]int64{done, total} }
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"registry", "appeals", "innovation", "donations"} {
		if p := last[s]; p[0] == 0 || p[0] != p[1] {
			t.Errorf("progress of %s ended at %d/%d", s, p[0], p[1])
		}
	}
}
