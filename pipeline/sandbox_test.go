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
)

// hostile is an analyst statement that must not run, and what the analyst is told.
type hostile struct {
	name string
	sql  string
	want string // in the message
	col  int    // the column on the statement's first line the message points at; 0: any
}

// hostileStatements are what an analyst might try in a model, a check or a chapter.
// outside is a folder outside the project that nothing may create files in.
func hostileStatements(outside string) []hostile {
	o := func(name string) string { return filepath.Join(outside, name) }
	notSelect := "must be a single SELECT"
	files := errReadFiles
	return []hostile{
		{"read_csv", "SELECT * FROM read_csv('/etc/passwd')", files, 15},
		{"read_text", "SELECT content FROM read_text('/etc/hostname')", files, 21},
		{"read_blob", "SELECT size FROM read_blob('/etc/hostname')", files, 18},
		{"glob", "SELECT file FROM glob('" + os.Getenv("HOME") + "/*')", files, 18},
		{"read_parquet outside", "SELECT * FROM read_parquet('" + o("x.parquet") + "')", files, 15},
		{"sniff_csv", "SELECT * FROM sniff_csv('/etc/passwd')", files, 15},
		{"COPY TO", "COPY (SELECT 1 AS x) TO '" + o("copy.csv") + "'", notSelect, 1},
		{"EXPORT DATABASE", "EXPORT DATABASE '" + o("export") + "'", notSelect, 1},
		{"ATTACH", "ATTACH '" + o("attached.duckdb") + "' AS x", notSelect, 1},
		{"DETACH", "DETACH published", notSelect, 1},
		{"INSTALL", "INSTALL httpfs", notSelect, 1},
		{"LOAD", "LOAD httpfs", notSelect, 1},
		{"SET", "SET enable_external_access = true", notSelect, 1},
		{"PRAGMA", "PRAGMA threads = 1", notSelect, 1},
		{"CALL", "CALL pragma_version()", notSelect, 1},
		{"CREATE SECRET", "CREATE SECRET s (TYPE s3, KEY_ID 'a', SECRET 'b')", notSelect, 1},
		{"DELETE", "DELETE FROM registry", notSelect, 1},
		{"SELECT then DROP", "SELECT 1 AS x; DROP TABLE registry", notSelect, 1},
		{"two SELECTs", "SELECT 1 AS x; SELECT 2 AS y", "found 2 statements", 0},
		{"query()", "SELECT * FROM query('SELECT * FROM raw.appeals')", "table function query is not allowed", 15},
		{"raw schema", "SELECT * FROM raw.appeals", "raw.appeals holds every row", 15},
		{"personal column", "SELECT a.content FROM appeals a", "appeals.content is personal data", 8},
		{"personal star", "SELECT * FROM appeals", "* would read appeals.content", 8},
		{"recipient", "SELECT recipient FROM donations", "donations.recipient is personal data", 8},
		{"replacement scan", "SELECT * FROM '/etc/passwd'", "/etc/passwd", 0},
		{"ingest working table", "SELECT * FROM temp._ingest_rawtext", "ingest's working tables", 15},
	}
}

// sandboxProject writes a small project into dir: one model, one chapter that uses it,
// and the hostile statement st in a model, a check or a chapter (where). It returns the
// path (as shown) and line the statement starts at.
func sandboxProject(t *testing.T, dir, where, st string) (string, int) {
	t.Helper()
	write := func(rel, text string) {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	os.RemoveAll(filepath.Join(dir, "queries"))
	os.RemoveAll(filepath.Join(dir, "reports"))
	write("queries/base.sql", "-- description: private subjects\nSELECT count(*) AS n FROM registry\n")
	write("reports/chapters/01_base.md", "# 测试\n\n```sql base\nSELECT n FROM base\n```\n\n共 {{base.n | count}} 户。\n")
	switch where {
	case "model":
		write("queries/evil.sql", "-- description: hostile\n"+st+"\n")
		return "queries/evil.sql", 2
	case "check":
		write("queries/checks/evil.sql", "-- description: hostile\n"+st+"\n")
		return "queries/checks/evil.sql", 2
	case "chapter":
		write("reports/chapters/02_evil.md", "# 恶意\n\n```sql evil\n"+st+"\n```\n")
		return "reports/chapters/02_evil.md", 4
	}
	return "", 0
}

func sandboxConfig(project, db string) Config {
	return Config{
		Year: 2025, AsOf: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), City: "测试市",
		DataDir: "../e2e/testdata/mini", DBPath: db, OutDir: filepath.Join(filepath.Dir(db), "site"), MaxRejectShare: 0.2,
		ProjectDir: project, Queries: os.DirFS(filepath.Join(project, "queries")), QueriesDir: "queries",
		Reports: os.DirFS(filepath.Join(project, "reports")), ReportsDir: "reports", Force: true,
	}
}

// assertRefused checks that err tells the analyst what was refused, at the statement.
func assertRefused(t *testing.T, err error, h hostile, path string, line int) {
	t.Helper()
	if err == nil {
		t.Errorf("%s: no error", h.name)
		return
	}
	msg := err.Error()
	at := fmt.Sprintf("%s:%d:", path, line)
	if h.col > 0 {
		at = fmt.Sprintf("%s:%d:%d: ", path, line, h.col)
	}
	if !strings.Contains(msg, at) || !strings.Contains(msg, h.want) {
		t.Errorf("%s: message lacks %q or %q:\n%s", h.name, at, h.want, msg)
	}
}

// assertUntouched checks that nothing was written outside and the database is intact.
func assertUntouched(t *testing.T, outside, db string) {
	t.Helper()
	if entries, _ := os.ReadDir(outside); len(entries) > 0 {
		t.Errorf("files were created outside the project: %v", entries)
	}
	if db == "" {
		return
	}
	c, err := sql.Open("duckdb", db+"?access_mode=READ_ONLY")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var n int
	if err := c.QueryRow("SELECT count(*) FROM registry").Scan(&n); err != nil || n == 0 {
		t.Errorf("registry was damaged: %d rows, %v", n, err)
	}
}

// TestHostileStatements tries every hostile statement in a model, a check and a chapter
// under check, build, run and serve (a Session's rebuild): each is refused before it runs,
// at the analyst's file, line and column, and nothing is written or damaged.
func TestHostileStatements(t *testing.T) {
	ctx := context.Background()
	outside := t.TempDir()
	statements := hostileStatements(outside)
	wheres := []string{"model", "check", "chapter"}

	t.Run("check", func(t *testing.T) {
		project := t.TempDir()
		for _, h := range statements {
			for _, where := range wheres {
				path, line := sandboxProject(t, project, where, h.sql)
				_, err := Check(ctx, sandboxConfig(project, ""))
				assertRefused(t, err, h, path, line)
			}
		}
		assertUntouched(t, outside, "")
	})

	t.Run("run and build", func(t *testing.T) {
		project := t.TempDir()
		db := filepath.Join(t.TempDir(), "bb.duckdb")
		sandboxProject(t, project, "", "")
		if _, err := Run(ctx, sandboxConfig(project, db)); err != nil {
			t.Fatalf("the harmless project does not run: %v", err)
		}
		for _, h := range statements {
			for _, where := range wheres {
				path, line := sandboxProject(t, project, where, h.sql)
				_, err := Run(ctx, sandboxConfig(project, db))
				assertRefused(t, err, h, path, line)
				if where == "chapter" {
					continue // build runs no chapter
				}
				_, err = Build(ctx, sandboxConfig(project, db), "")
				assertRefused(t, err, h, path, line)
			}
		}
		assertUntouched(t, outside, db)
	})

	t.Run("serve", func(t *testing.T) {
		project := t.TempDir()
		db := filepath.Join(t.TempDir(), "bb.duckdb")
		sandboxProject(t, project, "", "")
		s, err := OpenSession(ctx, sandboxConfig(project, db))
		if err != nil {
			t.Fatalf("the harmless project does not serve: %v", err)
		}
		for _, h := range statements {
			for _, where := range wheres {
				path, line := sandboxProject(t, project, where, h.sql)
				_, err := s.Rebuild(ctx)
				assertRefused(t, err, h, path, line)
			}
		}
		// Back to the harmless project: the locked session still rebuilds and renders.
		sandboxProject(t, project, "", "")
		if _, err := s.Rebuild(ctx); err != nil {
			t.Errorf("the session does not rebuild after the hostile edits: %v", err)
		}
		s.Close()
		assertUntouched(t, outside, db)
	})
}

// TestHarmlessMetadataQuery: reading the settings changes nothing and is allowed.
func TestHarmlessMetadataQuery(t *testing.T) {
	project := t.TempDir()
	sandboxProject(t, project, "chapter", "SELECT count(*) AS n FROM duckdb_settings() WHERE name = 'enable_external_access'")
	if _, err := Check(context.Background(), sandboxConfig(project, "")); err != nil {
		t.Fatal(err)
	}
}

// TestLockDown: below the parse-tree rules, the database itself refuses files, attached
// databases, extension installs and setting changes once locked, for every connection;
// the pipeline's own seed loads and Parquet exports still work, through the scratch folder.
func TestLockDown(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	cfg := Config{Year: 2025, DBPath: filepath.Join(dir, "bb.duckdb")}
	db, err := openDB(ctx, cfg.DBPath, cfg, false)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	secret := filepath.Join(dir, "secret.csv")
	os.WriteFile(secret, []byte("a\n1\n"), 0o600)
	if err := lockDown(ctx, db, cfg); err != nil {
		t.Fatal(err)
	}
	if err := lockDown(ctx, db, cfg); err != nil {
		t.Fatalf("a second lockDown: %v", err)
	}
	db.SetMaxOpenConns(4)
	conns := make([]*sql.Conn, 3) // settings hold for every connection of the instance
	for i := range conns {
		if conns[i], err = db.Conn(ctx); err != nil {
			t.Fatal(err)
		}
		defer conns[i].Close()
	}
	for _, q := range []string{
		"SELECT * FROM read_csv('" + secret + "')",
		"SELECT * FROM read_csv('" + dir + "/bb.duckdb.scratch/../secret.csv')",
		"SELECT * FROM read_text('/etc/hostname')",
		"SELECT * FROM glob('/etc/*')",
		"COPY (SELECT 1) TO '" + filepath.Join(dir, "out.csv") + "'",
		"ATTACH '" + filepath.Join(dir, "x.duckdb") + "' AS x",
		"INSTALL httpfs",
		"SET enable_external_access = true",
		"SET allowed_directories = ['/']",
		"RESET lock_configuration",
		"CREATE SECRET s (TYPE s3, KEY_ID 'a', SECRET 'b')",
		"EXPORT DATABASE '" + filepath.Join(dir, "export") + "'",
	} {
		for i, c := range conns {
			if _, err := c.ExecContext(ctx, q); err == nil {
				t.Errorf("connection %d ran %s", i, q)
			} else if fe := mapDuckErr(err, "queries/x.sql", q, 0); i == 0 && !strings.Contains(fe.Error(), "not allowed in queries") {
				t.Errorf("%s: the analyst is told %q", q, fe.Error())
			}
		}
	}
	for _, f := range []string{"out.csv", "x.duckdb", "export"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err == nil {
			t.Errorf("%s was created", f)
		}
	}
	// What the pipeline itself still does on the locked database.
	if err := loadCSVTable(ctx, db, "seed_t", []byte("k,v\na,1.5\n"), false); err != nil {
		t.Fatalf("load a seed on the locked database: %v", err)
	}
	var v float64
	if err := db.QueryRowContext(ctx, "SELECT v FROM seed_t").Scan(&v); err != nil || v != 1.5 {
		t.Errorf("seed_t.v = %v, %v", v, err)
	}
	out := filepath.Join(dir, "seed_t.parquet")
	if err := exportParquet(ctx, db, "seed_t", out); err != nil {
		t.Fatalf("export Parquet from the locked database: %v", err)
	}
	if st, err := os.Stat(out); err != nil || st.Size() == 0 {
		t.Errorf("no Parquet written: %v", err)
	}
	if _, err := os.Stat(cfg.DBPath + ".scratch"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the scratch folder is left behind: %v", err)
	}
}

// TestHeaderCheckCannotReadPersonalColumns: a check declared in a model's header cannot
// compare with a personal column either.
func TestHeaderCheckCannotReadPersonalColumns(t *testing.T) {
	q := fstest.MapFS{"m.sql": &fstest.MapFile{Data: []byte("-- check: relationships(uscc, appeals.content)\nSELECT 'x' AS uscc\n")}}
	_, err := LoadProject(q, "queries")
	if err == nil || !strings.Contains(err.Error(), "queries/m.sql:1:") || !strings.Contains(err.Error(), "appeals.content is personal data") {
		t.Errorf("got %v", err)
	}
}
