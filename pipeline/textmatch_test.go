package pipeline

import (
	"context"
	"database/sql"
	"os"
	"strings"
	"testing"
)

// oldTextSQL returns the SQL of a text model as it was before the Go step
// (testdata/appeal_text_sql), the reference the Go step is compared with.
func oldTextSQL(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/appeal_text_sql/" + name + ".sql")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// sameAsOldTextSQL compares the models appeal_text_matches and appeal_new_phrases, as built
// from the Go step's tables, with the old all-SQL models run on the same database, row for
// row (EXCEPT ALL both ways), and the stored phrase counts with the old SQL's, and returns
// the row counts of the two models.
func sameAsOldTextSQL(t *testing.T, db *sql.DB) (matches, newPhrases int) {
	t.Helper()
	// The phrase counts the Go step stores, against the old SQL's counts (its CTE c) above
	// the same thresholds.
	phrases := oldTextSQL(t, "appeal_new_phrases")
	phrases = phrases[:strings.Index(phrases, ",\nemerging AS (")] +
		"\nSELECT phrase, y, x, enterprises FROM c WHERE enterprises >= (SELECT min_enterprises FROM par)"
	for _, name := range []string{"appeal_text_matches", "appeal_new_phrases", "appeal_text_phrase_counts"} {
		old := "(\n" + phrases + "\n)"
		if name != "appeal_text_phrase_counts" {
			old = "(\n" + oldTextSQL(t, name) + "\n)"
		}
		var missing, extra, n int
		q := "SELECT (SELECT count(*) FROM (SELECT * FROM " + old + " o EXCEPT ALL SELECT * FROM " + name + ")), " +
			"(SELECT count(*) FROM (SELECT * FROM " + name + " EXCEPT ALL SELECT * FROM " + old + " o)), " +
			"(SELECT count(*) FROM " + name + ")"
		if err := db.QueryRow(q).Scan(&missing, &extra, &n); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if missing != 0 || extra != 0 {
			t.Errorf("%s: %d rows of the old SQL missing, %d rows it does not have", name, missing, extra)
		}
		switch name {
		case "appeal_text_matches":
			matches = n
		case "appeal_new_phrases":
			newPhrases = n
		}
	}
	return matches, newPhrases
}

// TestAppealTextGoMatchesOldSQL: on the hand-written fixture the Go step gives the old
// SQL's matches and new phrases exactly.
func TestAppealTextGoMatchesOldSQL(t *testing.T) {
	db, _ := buildIndicators(t, indicatorConfig("2026-03-31"), appealTextFixture...)
	m, p := sameAsOldTextSQL(t, db)
	if m == 0 || p == 0 {
		t.Errorf("fixture gives %d matches and %d new phrases; want some of each", m, p)
	}
}

// TestAppealTextCache: a second preparation computes no text; an edited appeal text is the
// only one computed, and the models built after it see the new text; a lexicon edit
// computes every text again.
func TestAppealTextCache(t *testing.T) {
	ctx := context.Background()
	cfg := indicatorConfig("2026-03-31")
	db, proj := buildIndicators(t, cfg, appealTextFixture...)

	// serve rebuilds the models that read an edited seed and their descendants: the
	// models reading the Go step's tables must be among those of the lexicon.
	for _, name := range []string{"appeal_text_matches", "appeal_new_phrases"} {
		if !containsDep(proj.Model(name).Deps, "appeal_text_lexicon") {
			t.Errorf("%s does not read appeal_text_lexicon (deps %v): serve would not rebuild it after a lexicon edit", name, proj.Model(name).Deps)
		}
	}

	res, err := prepareAppealText(ctx, db, proj, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if res.Texts != 7 || res.Computed != 0 || res.Phrases {
		t.Errorf("unchanged: %+v, want 7 texts, 0 computed, phrases reused", res)
	}

	// T16 (园区停车难。) now writes about financing: one text to compute.
	if _, err := db.Exec("UPDATE appeals SET content_masked = '融资难，园区停车难。' WHERE appeal_id = 'T16'"); err != nil {
		t.Fatal(err)
	}
	res, err = prepareAppealText(ctx, db, proj, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if res.Computed != 1 || !res.Phrases {
		t.Errorf("one text edited: %+v, want 1 computed and phrases recounted", res)
	}
	if _, err := buildModels(ctx, db, proj.Models, nil); err != nil {
		t.Fatal(err)
	}
	compareTable(t, db, "T16", "SELECT string_agg(term, ' ' ORDER BY term) FROM appeal_text_matches WHERE appeal_id = 'T16'", [][]any{{"融资难"}})
	var stale int
	if err := db.QueryRow(`SELECT count(*) FROM appeal_text_cache WHERE text_hash NOT IN (SELECT hash(txt) FROM appeal_text_docs)`).Scan(&stale); err != nil {
		t.Fatal(err)
	}
	if stale != 0 {
		t.Errorf("cache holds %d rows of texts no appeal has now (T16's old text, more than a tenth of the 7 texts)", stale)
	}
	sameAsOldTextSQL(t, db)

	// An entry added to the lexicon: a new version, every text computed again.
	if _, err := db.Exec("INSERT INTO appeal_lexicon (term, topic, synonym_of) VALUES ('停车难', '营商服务', NULL)"); err != nil {
		t.Fatal(err)
	}
	res, err = prepareAppealText(ctx, db, proj, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if res.Computed != res.Texts {
		t.Errorf("lexicon edited: %+v, want every text computed", res)
	}
	if _, err := buildModels(ctx, db, proj.Models, nil); err != nil {
		t.Fatal(err)
	}
	compareTable(t, db, "T16", "SELECT string_agg(term, ' ' ORDER BY term) FROM appeal_text_matches WHERE appeal_id = 'T16'", [][]any{{"停车难 融资难"}})
	sameAsOldTextSQL(t, db)
	var versions int
	if err := db.QueryRow("SELECT count(DISTINCT lexicon) FROM appeal_text_cache").Scan(&versions); err != nil {
		t.Fatal(err)
	}
	if versions != 1 {
		t.Errorf("cache holds %d lexicon versions, want only the one in force", versions)
	}
}

// TestAppealTextPhrases pins the phrase cutting on the mask token, non-Han characters and
// repeats within a text.
func TestAppealTextPhrases(t *testing.T) {
	var got []string
	forEachRun("甲乙〔已遮蔽〕丙丁戊，ab己", func(run string) {
		runPhrases(run, 2, 3, func(p string) { got = append(got, p) })
	})
	want := "甲乙 丙丁 丁戊 丙丁戊"
	if strings.Join(got, " ") != want {
		t.Errorf("phrases %q, want %q", strings.Join(got, " "), want)
	}
}

func containsDep(deps []string, name string) bool {
	for _, d := range deps {
		if d == name {
			return true
		}
	}
	return false
}

// TestCountPhrasesEnterprises counts, by hand, the appeals and enterprises of a phrase that
// an enterprise writes in two texts and in one text twice, and that two enterprises, an
// appeal without an enterprise and the year before share (the step reads one row per
// distinct text, so each enterprise must still count once per phrase).
func TestCountPhrasesEnterprises(t *testing.T) {
	ctx := context.Background()
	db, err := openDB(ctx, "", Config{}, false)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	docs := `(SELECT * FROM (VALUES
		('1', 'A', 2025, '数据出境很难'),
		('2', 'A', 2025, '数据出境很难'),
		('3', 'A', 2025, '办理数据出境'),
		('4', 'B', 2025, '数据出境很难'),
		('5', NULL, 2025, '数据出境很难'),
		('6', 'C', 2024, '数据出境很难'),
		('7', 'D', 2023, '数据出境很难')
	) v(appeal_id, uscc, year, txt))`
	texts := map[string]bool{}
	got, err := countPhrases(ctx, conn, docs, 2025, 2024, textParams{lo: 4, hi: 4, minAppeals: 1, minEnterprise: 1, ok: true},
		func(_ uint64, txt string) { texts[txt] = true })
	if err != nil {
		t.Fatal(err)
	}
	if len(texts) != 2 {
		t.Errorf("texts passed on: %v, want the 2 distinct ones", texts)
	}
	// 数据出境: appeals 1-5 in 2025 (5), appeal 6 in 2024 (1); enterprises A and B (2).
	// 据出境很 and the other pieces of 数据出境很难: appeals 1, 2, 4, 5 (4) and 6 (1); A and B.
	// 办理数据, 理数据出: appeal 3 only; A.
	want := map[string]phraseCount{
		"数据出境": {"数据出境", 5, 1, 2},
		"据出境很": {"据出境很", 4, 1, 2},
		"出境很难": {"出境很难", 4, 1, 2},
		"办理数据": {"办理数据", 1, 0, 1},
		"理数据出": {"理数据出", 1, 0, 1},
	}
	if len(got) != len(want) {
		t.Errorf("got %d phrases %v, want %d", len(got), got, len(want))
	}
	for _, c := range got {
		if w, ok := want[c.phrase]; !ok || c != w {
			t.Errorf("%s: got %+v, want %+v", c.phrase, c, w)
		}
	}
	// With the thresholds: at least 2 enterprises and 5 appeals leaves 数据出境.
	got, err = countPhrases(ctx, conn, docs, 2025, 2024, textParams{lo: 4, hi: 4, minAppeals: 5, minEnterprise: 2, ok: true}, func(uint64, string) {})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0] != want["数据出境"] {
		t.Errorf("thresholded: got %+v, want only 数据出境", got)
	}
}
