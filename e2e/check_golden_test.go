package e2e

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var updateGolden = flag.Bool("update", false, "rewrite testdata/check/*/stderr")

// TestCheckGolden runs `bluebook check` on each project of testdata/check and compares what
// it prints on stderr with the case's stderr file, byte for byte (run with -update to
// rewrite them, then read the diff). Every mistake sits after Chinese text, and the cases
// cover emoji, zero-width joiners, combining marks, tabs, a byte-order mark, a line DuckDB
// shortens and line 300, for each kind of error:
//
//   - syntax: syntax errors in models and in a warn-severity check file;
//   - binder: unknown columns (binder), a misspelled function (catalog) with the suggestion
//     taken from DuckDB's function list, a check file reading a wrong column;
//   - chapter: a syntax and a binder error in chapter blocks, an unknown column and a
//     format that does not fit in {{…}}, a chart value of text, a table column typo and a
//     format on text, a block never closed (at its opening line), all reported together;
//   - chapterreads: chapter blocks that read a source table (errors, at the
//     table's name) and blocks that aggregate, rank or group (warnings, printed first);
//   - noise: a dependency cycle reported once (not the models that read it), a broken
//     model reported once (not the model, the model after it, the check file or the
//     header check that read it), a model reading itself, a header check naming a wrong
//     column of a model that comes later.
func TestCheckGolden(t *testing.T) {
	t.Parallel()
	dirs, err := filepath.Glob(filepath.Join("testdata", "check", "*"))
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no cases in testdata/check: %v", err)
	}
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			t.Parallel()
			code, _, stderr := bluebook(t, "check", "--project", dir)
			if code != exitFailed {
				t.Errorf("exit %d, want %d", code, exitFailed)
			}
			golden := filepath.Join(dir, "stderr")
			if *updateGolden {
				if err := os.WriteFile(golden, []byte(stderr), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if stderr != string(want) {
				t.Errorf("stderr differs from %s\n got:\n%s\nwant:\n%s", golden, stderr, want)
			}
		})
	}
}

// TestCheckHelpOwnFlags: `check --help` lists the flags check uses, not those of a run
// (re-reading inputs, the reject share, the landing copy); `init` writes queries/checks/.
func TestCheckHelpOwnFlags(t *testing.T) {
	t.Parallel()
	code, _, stderr := bluebook(t, "check", "--help")
	if code != exitOK {
		t.Fatalf("check --help: exit %d", code)
	}
	for _, flagName := range []string{"-project", "-year", "-as-of"} {
		if !strings.Contains(stderr, flagName) {
			t.Errorf("check --help does not list %s:\n%s", flagName, stderr)
		}
	}
	for _, flagName := range []string{"-force", "-max-reject-share", "-no-landing", "-data", "-db"} {
		if strings.Contains(stderr, flagName+" ") || strings.Contains(stderr, flagName+"\n") {
			t.Errorf("check --help lists %s, which check does not use:\n%s", flagName, stderr)
		}
	}
	proj := filepath.Join(t.TempDir(), "proj")
	if code, _, errs := bluebook(t, "init", "--project", proj); code != exitOK {
		t.Fatal(errs)
	}
	if st, err := os.Stat(filepath.Join(proj, "queries", "checks")); err != nil || !st.IsDir() {
		t.Errorf("init did not create queries/checks/: %v", err)
	}
}

// TestCheckWarningsOnly: a chapter block that computes over rows (an aggregate, a window
// function, GROUP BY) is a warning: check prints it at its place, with the count, and
// still succeeds; a block that only selects from models and seeds gets none.
func TestCheckWarningsOnly(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "proj")
	src := filepath.Join("testdata", "check", "chapterreads")
	for _, f := range []string{"queries/ok_model.sql", "queries/seeds/firmlist.csv"} {
		data, err := os.ReadFile(filepath.Join(src, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, f)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	chapter := "# 第一章 测试\n\n```sql agg\n-- 合计（应在模型中计算）\nSELECT '合计' AS 名称, count(*) AS n FROM ok_model\n```\n\n" +
		"```sql fine\nSELECT '企业' AS 名称, uscc FROM ok_model WHERE uscc <> '中文' ORDER BY uscc\n```\n\n共{{agg.n}}户。\n"
	if err := os.MkdirAll(filepath.Join(dir, "reports", "chapters"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "reports", "chapters", "01_test.md"), []byte(chapter), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := bluebook(t, "check", "--project", dir)
	if code != exitOK {
		t.Fatalf("exit %d, want %d (warnings only):\n%s", code, exitOK, stderr)
	}
	want := "reports/chapters/01_test.md:5:20: warning: a chapter's query computes over rows (the aggregate function count): " +
		"a chapter should only select, filter, order and format model columns; compute it in a model (such as queries/report/report_test_agg.sql) and select from that\n" +
		"    SELECT '合计' AS 名称, count(*) AS n FROM ok_model\n" +
		"    " + strings.Repeat(" ", 23) + "^\n1 warning\n" // the caret under count: Chinese characters are two columns wide
	if stderr != want {
		t.Errorf("stderr:\n%s\nwant:\n%s", stderr, want)
	}
	if !strings.HasPrefix(stdout, "ok:") {
		t.Errorf("stdout: %q", stdout)
	}
}

// TestCheckShippedProjectClean: the project `init` writes passes `check` without a warning:
// every chapter block of the shipped report only selects, filters and orders model columns
// (chapter 6 picks its quarter from report_monitor_* by a filter, the quality appendix reads
// views over check_results, the overview compares with published.* row by row).
func TestCheckShippedProjectClean(t *testing.T) {
	t.Parallel()
	proj := filepath.Join(t.TempDir(), "proj")
	if code, _, errs := bluebook(t, "init", "--project", proj); code != exitOK {
		t.Fatal(errs)
	}
	code, stdout, stderr := bluebook(t, "check", "--project", proj)
	if code != exitOK {
		t.Fatalf("check: exit %d:\n%s", code, stderr)
	}
	if stderr != "" {
		t.Errorf("check on the shipped project printed:\n%s", stderr)
	}
	if !strings.HasPrefix(stdout, "ok:") {
		t.Errorf("stdout: %q", stdout)
	}
}
