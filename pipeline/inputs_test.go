package pipeline

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"bluebook/duck"
	"bluebook/reports"
)

// textRunData writes the mini data folder with appeals that have texts: 2024 and 2025
// appeals of the seven registered enterprises, each term raised by all of them, so that the
// text models have rows above the disclosure threshold. edited changes one text.
func textRunData(t *testing.T, dir string, edited bool) {
	t.Helper()
	if err := copyTree(os.DirFS("../e2e/testdata/mini"), dir); err != nil {
		t.Fatal(err)
	}
	ents := []string{"91990102MA00000A1P", "91990102MA00000B2U", "92990103MA00000C3B", "92990103MA00000D4F",
		"92990104MA00000E52", "91990104MA00000F69", "91990102MA00000G7G"}
	texts := map[int][]string{
		2024: {"贷款审批慢，融资难，联系人王先生13912345678", "拖欠货款半年，负责人刘女士"},
		2025: {"融资难融资贵，银行抽贷断贷", "拖欠货款，对方公司王总不接电话", "数据出境申报流程不清楚，经办人陈先生0571-87654321"},
	}
	var b strings.Builder
	b.WriteString("诉求编号,统一社会信用代码,提报时间,诉求类别,诉求内容\n")
	n := 0
	for _, year := range []int{2024, 2025} {
		for i, e := range ents {
			for j, txt := range texts[year] {
				n++
				if edited && n == 1 {
					txt = "贷款审批慢，担保费用高"
				}
				fmt.Fprintf(&b, "T%d,%s,%d-%02d-%02d 10:00,融资信贷,%s\n", n, e, year, 1+j, 1+i, txt)
			}
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "appeals", "texts.csv"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestRunKeepsTextAnalysisWhenAppealsUnchanged: a second run in which another source changed
// (a donation added) reads no appeal text and keeps the text models' tables (the log says
// the step was skipped by the ingest fingerprint; the ledger records the models as reused),
// while the models that read the donations are built again. A run after an appeal text
// changed matches that one text and rebuilds the text models. After each run every model
// table is the same as a run from scratch on the same data gives.
func TestRunKeepsTextAnalysisWhenAppealsUnchanged(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	textRunData(t, data, false)
	dir := t.TempDir()
	var logs bytes.Buffer
	cfg := Config{
		Year: 2025, AsOf: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), City: "测试市",
		DataDir: data, DBPath: filepath.Join(dir, "bb.duckdb"), OutDir: filepath.Join(dir, "site"), MaxRejectShare: 0.2,
		Queries: os.DirFS("../queries"), QueriesDir: "queries", Reports: reports.DefaultFS(), ReportsDir: "reports",
		Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelInfo})),
	}
	run := func(cfg Config) *Result {
		t.Helper()
		logs.Reset()
		res, err := Run(ctx, cfg)
		if err != nil && !errors.Is(err, ErrCheckFailed) {
			t.Fatal(err)
		}
		if res.Skipped {
			t.Fatal("the run was skipped")
		}
		return res
	}
	status := func(res *Result) map[string]string {
		t.Helper()
		st, err := Stages(ctx, cfg, res.RunID)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		for _, s := range st {
			if s.Stage == "models" && s.Model != "" {
				out[s.Model] = s.Status
			}
		}
		return out
	}
	textModels := []string{"appeal_text_docs", "appeal_text_lexicon", "appeal_text_matches", "appeal_term_counts",
		"appeal_topics", "appeal_emerging_terms", "appeal_category_terms", "appeal_new_phrases"}

	// First run: everything built, every text matched.
	res := run(cfg)
	st := status(res)
	for _, m := range textModels {
		if st[m] != "ok" {
			t.Errorf("first run: %s is %q, want ok", m, st[m])
		}
	}
	if !strings.Contains(logs.String(), "appeal text: step done") {
		t.Errorf("first run: the text step did not run:\n%s", logs.String())
	}
	sameAsFromScratch(t, cfg, "first run")

	// Another source changed: the text step reads nothing, the text models are kept.
	f, err := os.OpenFile(filepath.Join(data, "donations", "donations.csv"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintln(f, "D9,91990102MA00000G7G,2025-08-01,12.5,现金,教育,是")
	f.Close()
	res = run(cfg)
	if !strings.Contains(logs.String(), "step skipped") || !strings.Contains(logs.String(), `by="ingest fingerprint"`) {
		t.Errorf("donation added: the text step was not skipped by the ingest fingerprint:\n%s", logs.String())
	}
	if strings.Contains(logs.String(), "appeal text: step done") {
		t.Error("donation added: the text step ran")
	}
	st = status(res)
	for _, m := range textModels {
		if st[m] != "reused" {
			t.Errorf("donation added: %s is %q, want reused", m, st[m])
		}
	}
	rebuilt := 0
	for m, s := range st {
		if s == "ok" && strings.Contains(m, "donation") {
			rebuilt++
		}
	}
	if rebuilt == 0 {
		t.Errorf("donation added: no model of the donations was built again: %v", st)
	}
	t.Logf("donation added: %d of %d models reused", strings.Count(fmt.Sprint(st), ":reused"), len(st))
	// Their checks passed with the same keys in the run before: kept, not run again.
	keptChecks := func(res *Result) map[string]bool {
		out := map[string]bool{}
		for _, c := range res.Checks {
			if c.Kept {
				out[c.Model] = true
			}
		}
		return out
	}
	kept := keptChecks(res)
	for _, m := range []string{"appeal_text_docs", "appeal_text_matches", "appeal_term_counts"} {
		if !kept[m] {
			t.Errorf("donation added: the checks of %s ran again", m)
		}
	}
	if !strings.Contains(logs.String(), "kept=") || strings.Contains(logs.String(), "kept=0 ") {
		t.Errorf("donation added: the log does not say checks were kept:\n%s", logs.String())
	}
	sameAsFromScratch(t, cfg, "donation added")

	// An appeal text changed: that text is matched, the text models are built again.
	textRunData(t, data, true)
	res = run(cfg)
	if !strings.Contains(logs.String(), "appeal text: step done") || !strings.Contains(logs.String(), "computed=1") {
		t.Errorf("text edited: the text step did not match exactly one text:\n%s", logs.String())
	}
	st = status(res)
	for _, m := range textModels {
		want := "ok"
		if m == "appeal_text_lexicon" {
			want = "reused" // it reads the seeds only
		}
		if st[m] != want {
			t.Errorf("text edited: %s is %q, want %s", m, st[m], want)
		}
	}
	kept = keptChecks(res)
	for _, m := range []string{"appeal_text_docs", "appeal_text_matches", "appeal_term_counts"} {
		if kept[m] {
			t.Errorf("text edited: the checks of %s were kept", m)
		}
	}
	sameAsFromScratch(t, cfg, "text edited")
}

// sameAsFromScratch runs cfg on a new database and compares every model table with the
// one in cfg's database, row for row.
func sameAsFromScratch(t *testing.T, cfg Config, when string) {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	fresh := cfg
	fresh.DBPath, fresh.OutDir, fresh.Logger = filepath.Join(dir, "fresh.duckdb"), filepath.Join(dir, "site"), nil
	if _, err := Run(ctx, fresh); err != nil && !errors.Is(err, ErrCheckFailed) {
		t.Fatal(err)
	}
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{"ATTACH '" + cfg.DBPath + "' AS a (READ_ONLY)", "ATTACH '" + fresh.DBPath + "' AS b (READ_ONLY)"} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	// The models with an input key: the others (the quality appendix's tables of files and
	// runs, say) hold paths and times of their own database.
	var models []string
	rows, err := db.Query(`SELECT model FROM a.main.model_inputs ORDER BY model`)
	if err != nil {
		t.Errorf("%s: no model input keys: %v", when, err)
		return
	}
	for rows.Next() {
		var m string
		rows.Scan(&m)
		models = append(models, m)
	}
	rows.Close()
	texts := 0
	for _, m := range models {
		if strings.HasPrefix(m, "appeal_te") || m == "appeal_term_counts" {
			var n int
			db.QueryRow("SELECT count(*) FROM a.main." + duck.Ident(m)).Scan(&n)
			texts += n
		}
		var diff int
		q := fmt.Sprintf(`SELECT (SELECT count(*) FROM (SELECT * FROM a.main.%[1]s EXCEPT ALL SELECT * FROM b.main.%[1]s))
			+ (SELECT count(*) FROM (SELECT * FROM b.main.%[1]s EXCEPT ALL SELECT * FROM a.main.%[1]s))`, duck.Ident(m))
		if err := db.QueryRow(q).Scan(&diff); err != nil {
			t.Fatalf("%s: %s: %v", when, m, err)
		}
		if diff != 0 {
			t.Errorf("%s: %s differs from a run from scratch in %d rows", when, m, diff)
		}
	}
	if texts == 0 {
		t.Errorf("%s: the text models are empty", when)
	}
}
