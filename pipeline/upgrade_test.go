package pipeline

import (
	"context"
	"strings"
	"testing"

	"bluebook/pipeline/ingest"
)

// TestOlderIngestSaysRun: a database whose sources an older bluebook ingested (here the
// registry's clean view without name_tail, which the contract has since gained) is refused
// before any model, with the missing column and what to do, instead of a binding error in
// appeal_new_phrases. With every column there the same models prepare.
func TestOlderIngestSaysRun(t *testing.T) {
	ctx := context.Background()
	cfg := indicatorConfig("2026-03-31")
	db, err := openDB(ctx, "", cfg, false)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := ingest.CreateEmpty(ctx, db); err != nil {
		t.Fatal(err)
	}
	if _, err := prepareModels(ctx, db, cfg); err != nil {
		t.Fatalf("a database with every contract column: %v", err)
	}
	if _, err := db.ExecContext(ctx, "CREATE OR REPLACE VIEW main.registry AS SELECT * EXCLUDE (name_tail) FROM raw.registry"); err != nil {
		t.Fatal(err)
	}
	_, err = prepareModels(ctx, db, cfg)
	if err == nil || !strings.Contains(err.Error(), "lacks registry.name_tail") || !strings.Contains(err.Error(), "`bluebook run`") {
		t.Fatalf("prepareModels on an older ingest: %v", err)
	}
}
