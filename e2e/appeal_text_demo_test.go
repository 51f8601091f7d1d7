package e2e

import (
	"archive/zip"
	"database/sql"
	"encoding/csv"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"bluebook/data/demo"
)

// contactPattern finds the personal details the demo writes into appeal texts (after
// full-width digits are folded), standing alone (group 1): mobile numbers (starred or not),
// landlines, identity numbers (the demo's start 3301), bank cards and e-mail addresses. Credit
// codes are left out: an enterprise's code is published where the blue book names it.
var contactPattern = regexp.MustCompile(`(?:^|[^0-9A-Za-z*])(1[3-9][0-9]\*{4}[0-9]{4}|1[3-9][0-9]{9}|0[0-9]{3}-[0-9]{8}|3301[0-9]{13}[0-9X]|62[0-9]{17}|[a-z]+[0-9]+@[a-z.]+[a-z])(?:$|[^0-9A-Za-z*])`)

// foldDigits writes full-width digits as ASCII ones.
func foldDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '０' && r <= '９' {
			return r - '０' + '0'
		}
		return r
	}, s)
}

// TestDemoAppealTexts runs the demo and checks that the planted new problem is found as an
// emerging term or a new phrase of the edition year, and that no phone number, identity
// number, bank card or e-mail address written into an appeal appears in any model table,
// any page of the site or the single file, or any download.
func TestDemoAppealTexts(t *testing.T) {
	t.Parallel()
	dir := demoDir(t)
	dbPath := filepath.Join(dir, "bluebook.duckdb")

	// planted.csv documents the new problem.
	planted, err := os.ReadFile(filepath.Join(dir, "data", "planted.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(planted), ",诉求内容,emerging_phrase") {
		t.Errorf("planted.csv names no emerging_phrase row")
	}

	// The personal details in the appeal files, as written and folded.
	secrets := map[string]bool{}
	files, _ := filepath.Glob(filepath.Join(dir, "data", "appeals", "*.csv"))
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(fh).ReadAll()
		fh.Close()
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range recs[1:] {
			text := r[len(r)-1]
			folded := foldDigits(text)
			orig := []rune(text)
			for _, loc := range contactPattern.FindAllStringSubmatchIndex(folded, -1) {
				piece := folded[loc[2]:loc[3]]
				secrets[piece] = true
				// the same piece as written (full-width digits have other bytes)
				pre := len([]rune(folded[:loc[2]]))
				secrets[string(orig[pre:pre+len([]rune(piece))])] = true
			}
		}
	}
	if len(secrets) < 20 {
		t.Fatalf("only %d personal details in the demo appeals, want many", len(secrets))
	}
	check := func(where, content string) {
		t.Helper()
		for s := range secrets {
			if strings.Contains(content, s) {
				t.Errorf("%s contains the personal detail %q", where, s)
			}
		}
		// No appeal text is published, masked or not: a download holds no mask token.
		if strings.Contains(where, "data"+string(filepath.Separator)) && strings.Contains(content, "〔已遮蔽〕") {
			t.Errorf("%s holds masked appeal text", where)
		}
	}

	db, err := sql.Open("duckdb", dbPath+"?access_mode=read_only")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	textOf := func(q string) string {
		t.Helper()
		rows, err := db.Query(q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		defer rows.Close()
		cols, _ := rows.Columns()
		var b strings.Builder
		for rows.Next() {
			vals := make([]sql.NullString, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for _, v := range vals {
				b.WriteString(v.String)
				b.WriteByte('\n')
			}
		}
		return b.String()
	}

	// The planted problem is an emerging term or a new phrase of 2025.
	found := textOf(`SELECT term FROM appeal_emerging_terms WHERE year = 2025
		UNION ALL SELECT phrase FROM appeal_new_phrases WHERE year = 2025`)
	ok := false
	for _, p := range strings.Fields(found) {
		if strings.Contains(p, demo.PlantedProblem) || len([]rune(p)) >= 3 && strings.Contains(demo.PlantedProblem, p) {
			ok = true
		}
	}
	if !ok {
		t.Errorf("planted problem %s not among the emerging terms and new phrases of 2025: %q", demo.PlantedProblem, found)
	}

	// The masked text was masked: details were there to mask.
	if n := textOf(`SELECT count(*) FROM appeal_text_docs WHERE contains(txt, '〔已遮蔽〕')`); n == "0\n" {
		t.Errorf("no masked detail in appeal_text_docs")
	}

	// Every table in main, rejects (whose lines of rejected appeals are masked) included; the
	// clean view appeals is not a table (its raw content is out of analysts' reach).
	tables := strings.Fields(textOf(`SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' ORDER BY 1`))
	if len(tables) < 20 {
		t.Fatalf("only %d tables", len(tables))
	}
	for _, name := range tables {
		check("table "+name, textOf(`SELECT CAST(COLUMNS(*) AS VARCHAR) FROM "`+name+`"`))
	}
	// And every view model (appeal_text_docs and appeal_text_matches among them, read here
	// without the run's variables, as any DuckDB shell would); not the sources' clean views
	// over raw.*, which analysts read only through the sandbox.
	views := strings.Fields(textOf(`SELECT view_name FROM duckdb_views() WHERE schema_name = 'main' AND NOT internal
		AND NOT regexp_matches(sql, '\braw\.') ORDER BY 1`))
	if !slices.Contains(views, "appeal_text_docs") || !slices.Contains(views, "appeal_text_matches") {
		t.Fatalf("views %v: the text views are missing", views)
	}
	for _, name := range views {
		check("view "+name, textOf(`SELECT CAST(COLUMNS(*) AS VARCHAR) FROM "`+name+`"`))
	}

	// Every file of the site (pages, CSV, Arrow; workbooks unzipped; Parquet read back) and
	// the single file.
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if strings.HasPrefix(rel, "data"+string(filepath.Separator)) || strings.Contains(rel, ".duckdb") || strings.Contains(rel, ".lock") ||
			strings.Contains(rel, ".landing") {
			return nil // the input files, the database
		}
		switch filepath.Ext(p) {
		case ".xlsx":
			z, err := zip.OpenReader(p)
			if err != nil {
				return err
			}
			defer z.Close()
			for _, f := range z.File {
				r, err := f.Open()
				if err != nil {
					return err
				}
				b, _ := io.ReadAll(r)
				r.Close()
				check(rel+":"+f.Name, string(b))
			}
		case ".parquet":
			pq, err := sql.Open("duckdb", "")
			if err != nil {
				return err
			}
			defer pq.Close()
			saved := db
			db = pq
			check(rel, textOf(`SELECT CAST(COLUMNS(*) AS VARCHAR) FROM read_parquet('`+strings.ReplaceAll(p, "'", "''")+`')`))
			db = saved
		default:
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			check(rel, string(b))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
