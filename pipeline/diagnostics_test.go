package pipeline

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"bluebook/diag"
	"bluebook/pipeline/ingest"
	"bluebook/reports"

	_ "github.com/duckdb/duckdb-go/v2"
)

// TestAdviseOutOfMemory: DuckDB out of memory (a real one: 4 MB and nowhere to spill) is
// reported with the memory_limit key to raise; any other error is left as it is.
func TestAdviseOutOfMemory(t *testing.T) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{"SET temp_directory = ''", "SET memory_limit = '4MB'"} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	_, err = db.Exec("CREATE TABLE t AS SELECT range::VARCHAR || 'abcdefghijklmnop' AS s FROM range(2000000)")
	if err == nil || !strings.Contains(err.Error(), "Out of Memory") {
		t.Fatalf("no out-of-memory error: %v", err)
	}
	got := Advise(err)
	if !strings.Contains(got.Error(), "raise memory_limit in bluebook.toml") || !errors.Is(got, err) {
		t.Errorf("advised = %v", got)
	}
	if AdviseText(got.Error()) != got.Error() {
		t.Errorf("advice given twice: %s", AdviseText(got.Error()))
	}
	other := errors.New("registry/a.csv:1: missing required column")
	if Advise(other) != other {
		t.Errorf("other error changed: %v", Advise(other))
	}
}

// TestChapterErrorsPrintAsOthers: a chapter error (relative to the reports folder, as
// the reports package makes it) is given its path under the project's reports folder,
// and a list flattens nested lists and errors.Join and sorts by path and place.
func TestChapterErrorsPrintAsOthers(t *testing.T) {
	_, chapterErr := reports.Load(fstest.MapFS{"chapters/01_a.md": {Data: []byte("# 标题\n\n{{nosuch.x}}\n")}})
	if chapterErr == nil {
		t.Fatal("a chapter naming an unknown query loaded")
	}
	list := ErrorList{
		&diag.Error{Path: "queries/b.sql", Line: 3, Col: 1, Err: errors.New("b3")},
		errors.Join(chapterErrors(chapterErr, reportsFolder),
			ErrorList{&diag.Error{Path: "queries/b.sql", Line: 1, Col: 7, Err: errors.New("b1")}, &diag.Error{Path: "queries/a.sql", Line: 5, Col: 5, Err: errors.New("a5")}}),
	}
	diags, ok := Diagnostics(list.Err())
	var got []string
	for _, d := range diags {
		got = append(got, d.Error())
	}
	want := `queries/a.sql:5:5: a5|queries/b.sql:1:7: b1|queries/b.sql:3:1: b3|reports/chapters/01_a.md:3:3: unknown query "nosuch"; this chapter declares: (none; declare one with ` + "```sql NAME)"
	if !ok || strings.Join(got, "|") != want {
		t.Errorf("Diagnostics = %v %q, want %q", ok, strings.Join(got, "|"), want)
	}
	if _, ok := Diagnostics(fmt.Errorf("run failed: %w", list.Err())); ok {
		t.Errorf("a wrapped list is taken for a list of diagnostics")
	}
	if got := DiagnosticText(fmt.Errorf("render: %w", list.Err())); strings.ReplaceAll(got, "\n", "|") != want {
		t.Errorf("DiagnosticText = %q, want %q", got, want)
	}
}

// TestOneDiagnosticType: a mistake in a chapter (from the reports package), in a model's
// SQL (bound by DuckDB) and in a data file (from ingest) is one type, *diag.Error; each
// prints as path:line:col: message, with nothing before the path, and together they are
// the diagnostics of a failed command, sorted by file and place, under the words of the
// command that failed.
func TestOneDiagnosticType(t *testing.T) {
	_, chapterErr := reports.Load(fstest.MapFS{"chapters/01_a.md": {Data: []byte("# 标题\n\n{{nosuch.x}}\n")}})
	chapterErr = chapterErrors(chapterErr, reportsFolder)

	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	const model = "SELECT 年份, stok\nFROM (SELECT 2025 AS 年份, 1 AS stock)"
	_, err = db.Exec(model)
	if err == nil {
		t.Fatal("a query naming a missing column ran")
	}
	modelErr := mapDuckErr(err, "queries/market/x.sql", model, 0)

	data := t.TempDir()
	for rel, body := range map[string]string{
		"registry/x.csv":   "uscc_wrong,企业名称\n1,甲\n",
		"appeals/a.csv":    "诉求编号,统一社会信用代码,提报时间\nA1,914403001922038216,2025-01-02 10:00\n",
		"innovation/i.csv": "统一社会信用代码,年度,研发费用,营业收入\n914403001922038216,2024,1,10\n",
		"donations/d.csv":  "捐赠编号,统一社会信用代码,捐赠日期,捐赠金额\nD1,914403001922038216,2025-01-01,1\n",
	} {
		p := filepath.Join(data, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_, dataErr := ingest.Run(context.Background(), db, ingest.Options{DataDir: data, AsOf: time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC), MaxRejectShare: 1})
	if dataErr == nil {
		t.Fatal("a file without its required column was ingested")
	}

	want := map[string]string{
		"chapter": `reports/chapters/01_a.md:3:3: unknown query "nosuch"; this chapter declares: (none; declare one with ` + "```sql NAME)",
		"model":   `queries/market/x.sql:1:12: Binder Error: Referenced column "stok" not found in FROM clause!`,
		"data":    `registry/x.csv:1:1: missing required column "uscc" (accepted headers: uscc, 统一社会信用代码, 信用代码)`,
	}
	for what, err := range map[string]error{"chapter": chapterErr, "model": modelErr, "data": dataErr} {
		var d *diag.Error
		if !errors.As(err, &d) {
			t.Fatalf("the %s error %v (%T) holds no *diag.Error", what, err, err)
		}
		if !strings.HasPrefix(d.Error(), want[what]) {
			t.Errorf("the %s error prints\n%s\nwant it to begin\n%s", what, d.Error(), want[what])
		}
	}

	failed := fmt.Errorf("%w: ingest: %w", ErrRunFailed, dataErr)
	list, words, ok := WrappedDiagnostics(failed)
	if !ok || words != "run failed: ingest" || len(list) != 1 || list[0].Error() != want["data"] {
		t.Errorf("a failed ingest gives diagnostics %v, %q, %q; want the data error under %q", ok, words, list, "run failed: ingest")
	}

	// Out of memory reading a data file: the advice stays, the mistake is not printed twice.
	oom := &diag.Error{Path: "registry/x.csv", Err: errors.New("Out of Memory Error: failed to allocate"), Data: true}
	list, words, ok = WrappedDiagnostics(Advise(fmt.Errorf("%w: ingest: %w", ErrRunFailed, oom)))
	if !ok || words != "run failed: ingest ("+memoryAdvice+")" || len(list) != 1 || list[0].Error() != "registry/x.csv: Out of Memory Error: failed to allocate" {
		t.Errorf("out of memory in ingest gives diagnostics %v, %q, %q", ok, words, list)
	}

	list, ok = Diagnostics(ErrorList{dataErr, chapterErr, modelErr}.Err())
	var got []string
	for _, d := range list {
		got = append(got, strings.SplitN(d.Error(), "!", 2)[0])
	}
	sorted := []string{strings.SplitN(want["model"], "!", 2)[0], want["data"], want["chapter"]}
	if !ok || strings.Join(got, "\n") != strings.Join(sorted, "\n") {
		t.Errorf("diagnostics (%v):\n%s\nwant\n%s", ok, strings.Join(got, "\n"), strings.Join(sorted, "\n"))
	}
}
