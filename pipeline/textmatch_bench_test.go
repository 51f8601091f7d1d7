//go:build unix

package pipeline

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// cpuSeconds is the CPU time (user + system) of the process so far, DuckDB's threads
// included: the machine the benchmarks run on is shared, so wall time says little.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Utime.Sec+ru.Stime.Sec) + float64(ru.Utime.Usec+ru.Stime.Usec)/1e6
}

// BenchmarkAppealText measures the appeal text analysis on 10^6 appeals with text
// (BENCHMARKS.md, "Appeal text analysis"): the masked texts of a built bluebook database
// (BLUEBOOK_TEXT_BENCH_DB, e.g. the demo at --scale 200000) copied with new ids until 2024
// and 2025 each hold BLUEBOOK_TEXT_BENCH_PER_YEAR appeals (default 500,000), then
//
//   - the Go step with an empty cache (a first run), with nothing changed (keyed by the
//     appeals' ingest fingerprint, and by a digest of the texts), and with 10 texts edited;
//   - the eight text models on its tables, then again with their inputs unchanged (kept)
//     and with the registry changed (appeal_new_phrases built again);
//   - the old all-SQL appeal_text_matches and appeal_new_phrases (pipeline/testdata).
//
// BLUEBOOK_TEXT_BENCH_DB=demo/bluebook.duckdb go test ./pipeline/ -run '^$' -bench AppealText -benchtime 1x
func BenchmarkAppealText(b *testing.B) {
	src := os.Getenv("BLUEBOOK_TEXT_BENCH_DB")
	if src == "" {
		b.Skip("set BLUEBOOK_TEXT_BENCH_DB to a built bluebook database")
	}
	per := 500000
	if v := os.Getenv("BLUEBOOK_TEXT_BENCH_PER_YEAR"); v != "" {
		per, _ = strconv.Atoi(v)
	}
	ctx := context.Background()
	cfg := indicatorConfig("2026-03-31")
	if os.Getenv("BLUEBOOK_TEXT_BENCH_DEBUG") != "" {
		cfg.Logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	// In memory, unless BLUEBOOK_TEXT_BENCH_FILE names a new database file to keep (to look
	// at the tables afterwards, with bluebook query).
	db, err := openDB(ctx, os.Getenv("BLUEBOOK_TEXT_BENCH_FILE"), cfg, false)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	schema, err := os.ReadFile("testdata/indicators/schema.sql")
	if err != nil {
		b.Fatal(err)
	}
	setup := []string{
		string(schema),
		"ATTACH '" + src + "' AS src (READ_ONLY)",
		`CREATE TEMP TABLE bench_texts AS SELECT row_number() OVER (ORDER BY appeal_id) AS i, uscc, category, content_masked AS txt
		   FROM src.main.appeals WHERE nullif(trim(content_masked), '') IS NOT NULL`,
		`INSERT INTO appeals (appeal_id, uscc, submitted_at, category, content_masked)
		 SELECT 'B' || y || '-' || g, t.uscc, make_timestamp(y, 1 + g % 12, 1 + g % 28, 10, 0, 0), t.category, t.txt
		 FROM range(` + strconv.Itoa(per) + `) r(g), (VALUES (2024), (2025)) v(y), bench_texts t
		 WHERE t.i = g % (SELECT count(*) FROM bench_texts) + 1`,
		"DETACH src",
		// The fingerprints ingest leaves: the Go step and the models key on them (inputs.go).
		"CREATE TABLE IF NOT EXISTS ingest_state (source VARCHAR, fingerprint VARCHAR, ingested_at TIMESTAMP, parents VARCHAR)",
		"INSERT INTO ingest_state VALUES ('appeals', 'bench-1', now(), 'registry=bench-r1'), ('registry', 'bench-r1', now(), '')",
	}
	for _, q := range setup {
		if _, err := db.ExecContext(ctx, q); err != nil {
			b.Fatalf("%.80s: %v", q, err)
		}
	}
	var n, distinct int
	if err := db.QueryRow("SELECT count(*), count(DISTINCT content_masked) FROM appeals WHERE content_masked IS NOT NULL").Scan(&n, &distinct); err != nil {
		b.Fatal(err)
	}
	fmt.Fprintf(os.Stderr, "%d appeals with text, %d distinct texts\n", n, distinct)

	measure := func(what string, f func() error) {
		c0, t0 := cpuSeconds(), time.Now()
		if err := f(); err != nil {
			b.Fatalf("%s: %v", what, err)
		}
		cpu := cpuSeconds() - c0
		fmt.Fprintf(os.Stderr, "%-40s %6.2f s CPU %6.2f s wall\n", what, cpu, time.Since(t0).Seconds())
	}
	var proj *Project
	measure("prepareModels (Go step, empty cache)", func() (err error) { proj, err = prepareModels(ctx, db, cfg); return err })
	var res appealTextResult
	measure("Go step, nothing changed (fingerprint)", func() (err error) { res, err = prepareAppealText(ctx, db, proj, cfg); return err })
	fmt.Fprintf(os.Stderr, "  %+v\n", res)
	// The same without a fingerprint of the appeals: a digest of the texts is the key.
	if _, err := db.Exec("DELETE FROM ingest_state WHERE source = 'appeals'"); err != nil {
		b.Fatal(err)
	}
	measure("Go step, key now a digest", func() (err error) { res, err = prepareAppealText(ctx, db, proj, cfg); return err })
	fmt.Fprintf(os.Stderr, "  %+v\n", res)
	measure("Go step, nothing changed (digest)", func() (err error) { res, err = prepareAppealText(ctx, db, proj, cfg); return err })
	fmt.Fprintf(os.Stderr, "  %+v\n", res)
	if _, err := db.Exec("UPDATE appeals SET content_masked = content_masked || '补充说明。' WHERE appeal_id IN (SELECT appeal_id FROM appeals WHERE content_masked IS NOT NULL ORDER BY appeal_id LIMIT 10)"); err != nil {
		b.Fatal(err)
	}
	if _, err := db.Exec("INSERT INTO ingest_state VALUES ('appeals', 'bench-2', now(), 'registry=bench-r1')"); err != nil {
		b.Fatal(err)
	}
	measure("Go step, 10 texts edited", func() (err error) { res, err = prepareAppealText(ctx, db, proj, cfg); return err })
	fmt.Fprintf(os.Stderr, "  %+v\n", res)
	if _, err := db.Exec("DELETE FROM appeal_text_cache; DELETE FROM appeal_text_state"); err != nil {
		b.Fatal(err)
	}
	measure("Go step, empty cache", func() (err error) { res, err = prepareAppealText(ctx, db, proj, cfg); return err })
	fmt.Fprintf(os.Stderr, "  %+v\n", res)
	downstream, err := proj.Select("appeal_text_docs+ appeal_text_lexicon+")
	if err != nil {
		b.Fatal(err)
	}
	// The eight text models; the chapters' models downstream of them read other models too.
	var models []*Model
	for _, m := range downstream {
		if strings.HasPrefix(m.Name, "appeal_") {
			models = append(models, m)
		}
	}
	keys, err := modelInputKeys(ctx, db, proj, cfg)
	if err != nil {
		b.Fatal(err)
	}
	for _, m := range models {
		measure("model "+m.Name, func() error { _, err := buildModelsReusing(ctx, db, []*Model{m}, nil, keys); return err })
	}
	// Their checks, which every run makes (run.go), whether the models were built again or not.
	measure("the eight models' checks", func() error {
		res, err := runChecks(ctx, db, &Project{Models: models}, "bench", nil)
		for _, r := range res {
			if r.Status != "pass" {
				b.Errorf("check %s: %s %s", r.Name, r.Status, r.Message)
			}
		}
		return err
	})
	// A run in which the appeals did not change (another source did): the tables and views
	// are kept.
	measure("the eight models, inputs unchanged", func() error {
		runs, err := buildModelsReusing(ctx, db, models, nil, keys)
		for _, r := range runs {
			if !r.Reused {
				b.Errorf("%s built again", r.Name)
			}
		}
		return err
	})
	// The registry changed: appeal_new_phrases (which reads it) is built again.
	if _, err := db.Exec("UPDATE ingest_state SET fingerprint = 'bench-r2' WHERE source = 'registry'"); err != nil {
		b.Fatal(err)
	}
	if keys, err = modelInputKeys(ctx, db, proj, cfg); err != nil {
		b.Fatal(err)
	}
	measure("the eight models, registry changed", func() error {
		runs, err := buildModelsReusing(ctx, db, models, nil, keys)
		for _, r := range runs {
			if r.Reused == (r.Name == "appeal_new_phrases") {
				b.Errorf("%s: reused %v", r.Name, r.Reused)
			}
		}
		return err
	})
	if os.Getenv("BLUEBOOK_TEXT_BENCH_OLD") != "" {
		for _, name := range []string{"appeal_text_matches", "appeal_new_phrases"} {
			old, err := os.ReadFile("testdata/appeal_text_sql/" + name + ".sql")
			if err != nil {
				b.Fatal(err)
			}
			measure("old SQL "+name, func() error {
				_, err := db.Exec("CREATE TEMP TABLE old_" + name + " AS SELECT * FROM (\n" + string(old) + "\n)")
				return err
			})
			// The same rows as the model built on the Go step's tables?
			var missing, extra, rows int
			if err := db.QueryRow("SELECT (SELECT count(*) FROM (SELECT * FROM old_"+name+" EXCEPT ALL SELECT * FROM "+name+")), "+
				"(SELECT count(*) FROM (SELECT * FROM "+name+" EXCEPT ALL SELECT * FROM old_"+name+")), (SELECT count(*) FROM "+name+")").Scan(&missing, &extra, &rows); err != nil {
				b.Fatal(err)
			}
			fmt.Fprintf(os.Stderr, "  %s: %d rows; %d of the old SQL's missing, %d it does not have\n", name, rows, missing, extra)
			if missing != 0 || extra != 0 {
				b.Errorf("%s differs from the old SQL", name)
			}
		}
	}
	for i := 0; i < b.N; i++ {
	}
}
