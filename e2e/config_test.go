package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestStrictConfig: every setting that cannot be right is a usage error (exit 2) naming
// the key or the flag, before anything is read or written.
func TestStrictConfig(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := filepath.Join(dir, "x.duckdb")
	site := filepath.Join(dir, "site")
	cases := []struct{ toml, want string }{
		{"[encoding]\nregistri = \"gbk\"\n", `encoding.registri: no source is called "registri"`},
		{"threads = 0\n", `threads = 0: must be at least 1`},
		{"threads = -2\n", `threads = -2: must be at least 1`},
		{"map_max_bytes = 0\n", `map_max_bytes = 0: must be a positive number of bytes`},
		{"calendar = \"no_such_calendar.csv\"\n", `calendar = "` + filepath.Join(dir, "no_such_calendar.csv") + `": no such file`},
		{"[params]\nyear = 1999\n", `params.year: "year" is set by bluebook itself`},
		{"[params]\nprev_year = 1998\n", `params.prev_year`},
		{"[params]\ncutoff = 2025-01-01\n", `params.cutoff`},
		{"[params]\nas_of = 2025-01-01\n", `params.as_of`},
		{"[params]\ncity = \"别市\"\n", `params.city`},
		{"max_reject_share = nan\n", `max_reject_share must be between 0 and 1`},
		{"db = \"nowhere/x.duckdb\"\n", `db (bluebook.toml) ` + filepath.Join(dir, "nowhere", "x.duckdb") + `: the folder ` + filepath.Join(dir, "nowhere") + ` does not exist`},
	}
	for i, c := range cases {
		path := filepath.Join(dir, fmt.Sprintf("c%d.toml", i))
		if err := os.WriteFile(path, []byte(c.toml), 0o644); err != nil {
			t.Fatal(err)
		}
		args := []string{"run", "--config", path, "--data", "testdata/mini", "--out", site}
		if !strings.HasPrefix(c.toml, "db =") {
			args = append(args, "--db", db)
		}
		code, _, errs := bluebook(t, args...)
		if code != exitUsage || !strings.Contains(errs, c.want) {
			t.Errorf("config %q: exit %d, stderr %q; want exit %d naming %q", c.toml, code, errs, exitUsage, c.want)
		}
	}
	missing := filepath.Join(dir, "nowhere", "x.duckdb")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"run", "--data", "testdata/mini", "--db", missing, "--out", site}, "--db " + missing + ": the folder"},
		{[]string{"build", "--db", missing}, "--db " + missing + ": the folder"},
		{[]string{"query", "--db", missing, "SELECT 1"}, "--db " + missing + ": the folder"},
		{[]string{"publish", "--year", "2025", "--db", missing}, "--db " + missing + ": the folder"},
		{[]string{"run", "--data", "testdata/mini", "--db", db, "--out", site, "--max-reject-share", "2"}, `invalid value "2" for flag -max-reject-share`},
		{[]string{"run", "--data", "testdata/mini", "--db", db, "--out", site, "--max-reject-share", "-1"}, `invalid value "-1" for flag -max-reject-share`},
	} {
		code, _, errs := bluebook(t, c.args...)
		if code != exitUsage || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d naming %q", c.args, code, errs, exitUsage, c.want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "nowhere")); err == nil {
		t.Error("a command created the missing folder of --db")
	}
}

// TestMaxRejectShareZero: max_reject_share = 0 allows no rejected row, and a limit
// tightened below a source's stored share fails the run even though the source did not
// change (the incremental skip does not hide it).
func TestMaxRejectShareZero(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	if err := copyDir("testdata/mini", data); err != nil {
		t.Fatal(err)
	}
	// 30 more good registry rows: the one bad row of testdata/mini is 1 of 38 (2.6 %),
	// under the default limit of 5 %.
	f, err := os.OpenFile(filepath.Join(data, "registry", "registry.csv"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 30 {
		code := uscc(fmt.Sprintf("91990102MA%07d", 100+i))
		fmt.Fprintf(f, "%s,测试%d公司,民营,C3911,990102,2020-01-01,存续,,10,5,100\n", code, i)
	}
	f.Close()
	db := filepath.Join(dir, "bb.duckdb")
	args := []string{"run", "--data", data, "--db", db, "--out", filepath.Join(dir, "site"), "--as-of", "2026-03-01", "--year", "2025", "--quiet"}
	if code, _, errs := bluebook(t, args...); code != exitOK {
		t.Fatalf("default limit: exit %d: %s", code, errs)
	}
	if got := queryCSV(t, db, "SELECT count(*) FROM rejects WHERE source = 'registry'"); got[0][0] != "1" {
		t.Fatalf("registry rejects = %v, want 1", got)
	}
	zero := filepath.Join(dir, "zero.toml")
	os.WriteFile(zero, []byte("max_reject_share = 0\n"), 0o644)
	for _, c := range []struct {
		name  string
		extra []string
		limit string
	}{
		{"--max-reject-share 0.02 on unchanged files", []string{"--max-reject-share", "0.02"}, "2.0%"},
		{"max_reject_share = 0 in bluebook.toml", []string{"--config", zero}, "0.0%"},
		{"--max-reject-share 0", []string{"--max-reject-share", "0"}, "0.0%"},
	} {
		code, _, errs := bluebook(t, append(args, c.extra...)...)
		if code != exitFailed || !strings.Contains(errs, "registry") || !strings.Contains(errs, "above the limit of "+c.limit) {
			t.Errorf("%s: exit %d, stderr %q; want %d naming registry and the limit %s", c.name, code, errs, exitFailed, c.limit)
		}
	}
	if code, _, errs := bluebook(t, args...); code != exitOK {
		t.Errorf("back to the default limit: exit %d: %s", code, errs)
	}
}

// uscc completes a 17-character unified social credit code with its check character
// (GB 32100-2015).
func uscc(code17 string) string {
	const chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	weights := []int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}
	sum := 0
	for i, c := range code17 {
		sum += strings.IndexRune(chars, c) * weights[i]
	}
	return code17 + string(chars[(31-sum%31)%31])
}

// TestSeedValidation: a threshold that cannot be right (a negative appeal deadline) fails
// `check` at its file:line:col, as a bad value of the data would be rejected.
func TestSeedValidation(t *testing.T) {
	t.Parallel()
	proj := filepath.Join(t.TempDir(), "proj")
	if code, _, errs := bluebook(t, "init", "--project", proj); code != 0 {
		t.Fatal(errs)
	}
	seed := filepath.Join(proj, "queries", "seeds", "thresholds.csv")
	b, err := os.ReadFile(seed)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(b), "\n")
	at := -1
	for i, l := range lines {
		if strings.HasPrefix(l, "appeal_deadline_workdays,") {
			at = i
			lines[i] = strings.Replace(l, ",15,", ",-15,", 1)
		}
	}
	if at < 0 {
		t.Fatal("no appeal_deadline_workdays in thresholds.csv")
	}
	lines = append(lines[:len(lines)-1], "rd_min_revenue,50,重复的一行", "")
	os.WriteFile(seed, []byte(strings.Join(lines, "\n")), 0o644)
	code, _, errs := bluebook(t, "check", "--project", proj)
	shown := "seeds/thresholds.csv" // after queries/, however the project's folder is shown
	for _, want := range []string{
		fmt.Sprintf(`%s:%d:26: appeal_deadline_workdays = "-15": too small; it must be a whole number of working days from 1 to 366`, shown, at+1),
		fmt.Sprintf(`%s:%d:1: rd_min_revenue is already set on line`, shown, len(lines)-1),
	} {
		if code != exitFailed || !strings.Contains(errs, want) {
			t.Errorf("check: exit %d, stderr %q; want %d and %q", code, errs, exitFailed, want)
		}
	}
}

// TestCommandMessages: `query` does not call its error a failed run, and `publish` prints
// the path of the edition it wrote.
func TestCommandMessages(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := filepath.Join(dir, "bb.duckdb")
	code, _, errs := bluebook(t, "run", "--data", "testdata/mini", "--db", db, "--out", filepath.Join(dir, "site"),
		"--as-of", "2026-03-01", "--year", "2025", "--max-reject-share", "0.2", "--quiet")
	if code != exitOK {
		t.Fatalf("run: exit %d: %s", code, errs)
	}
	code, _, errs = bluebook(t, "query", "--db", db, "SELECT * FROM nosuch")
	if code != exitFailed || !strings.HasPrefix(errs, "bluebook: query failed: ") || strings.Contains(errs, "run failed") {
		t.Errorf("bad query: exit %d, stderr %q; want %d and a message beginning with \"bluebook: query failed: \"", code, errs, exitFailed)
	}
	code, out, errs := bluebook(t, "publish", "--year", "2025", "--db", db)
	if want := filepath.Join(dir, "editions", "2025"); code != exitOK || !strings.HasSuffix(strings.TrimSpace(out), " in "+want) {
		t.Errorf("publish: exit %d, stdout %q, stderr %q; want the path %s", code, out, errs, want)
	}
}
