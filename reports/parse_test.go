package reports

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"bluebook/diag"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./reports/ -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs (run with -update to accept):\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

// TestLoadErrors checks that every error of every file is reported at once,
// each at its exact path:line:col.
func TestLoadErrors(t *testing.T) {
	_, err := Load(os.DirFS("testdata/bad"))
	if err == nil {
		t.Fatal("Load succeeded on broken templates")
	}
	var fe *diag.Error
	if !errors.As(err, &fe) {
		t.Fatalf("error %v is not a *diag.Error", err)
	}
	golden(t, "bad.golden", err.Error()+"\n")
}

// forbidden are what a chapter's SQL must never read: the appeals source
// table (it holds the appeals' content), its content column, the raw line
// of a rejected row and a donation's recipient (personal data).
var forbidden = regexp.MustCompile(`(?i)\b(from|join)\s+appeals\b|\bcontent\b|\braw\b|\brecipient\b`)

func TestLoadDefault(t *testing.T) {
	b, err := Load(DefaultFS())
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"00_overview", "01_market", "02_appeals", "03_innovation", "04_welfare", "05_chambers", "06_monitor", "90_methodology", "91_quality"}
	if got := b.Chapters(); !slices.Equal(got, want) {
		t.Fatalf("chapters = %v, want %v", got, want)
	}
	seen := map[string]bool{}
	for _, q := range b.Queries() {
		if seen[q.ID] {
			t.Errorf("duplicate query ID %s", q.ID)
		}
		seen[q.ID] = true
		// Comments and string literals may name what is left out (the
		// reject sample masks the values of 'content' and 'recipient').
		code := regexp.MustCompile(`--[^\n]*|'[^']*'`).ReplaceAllString(q.SQL, "")
		if m := forbidden.FindString(code); m != "" {
			t.Errorf("%s reads %q: appeal contents, raw rejected rows and personal data never reach a report", q.ID, m)
		}
		src, err := DefaultFS().(interface {
			ReadFile(string) ([]byte, error)
		}).ReadFile(q.File)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(string(src), "\n")
		if first := strings.SplitN(q.SQL, "\n", 2)[0]; lines[q.Line-1] != first {
			t.Errorf("%s: line %d is %q, want the first SQL line %q", q.ID, q.Line, lines[q.Line-1], first)
		}
	}
}

func TestQueries(t *testing.T) {
	fsys := fstest.MapFS{
		"chapters/02_b.md": {Data: []byte("# 乙\n\n```sql one\n\nSELECT 1 AS x\n```\n\n{{one.x}}\n")},
		"chapters/01_a.md": {Data: []byte("# 甲\r\n\r\n```sql first\r\nSELECT 2 AS y\r\n  FROM t\r\n```\r\n```sql second\r\nSELECT 3\r\n```\r\n")},
		"chapters/.keep":   {Data: nil},
	}
	b, err := Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	want := []Query{
		{ID: "01_a.first", SQL: "SELECT 2 AS y\n  FROM t", File: "chapters/01_a.md", Line: 4},
		{ID: "01_a.second", SQL: "SELECT 3", File: "chapters/01_a.md", Line: 8},
		{ID: "02_b.one", SQL: "SELECT 1 AS x", File: "chapters/02_b.md", Line: 5},
	}
	got := b.Queries()
	if len(got) != len(want) {
		t.Fatalf("got %d queries %+v, want %d", len(got), got, len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("query %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestLoadNoChapters(t *testing.T) {
	if _, err := Load(fstest.MapFS{"other/x.md": {}}); err == nil {
		t.Error("Load without chapters/ succeeded")
	}
	if _, err := Load(fstest.MapFS{"chapters/.keep": {}}); err == nil {
		t.Error("Load with an empty chapters/ succeeded")
	}
}

func TestParseTextPositions(t *testing.T) {
	var errs errorList
	p := &parser{file: "f.md", errs: &errs, c: &chapter{names: map[string]int{}}}
	txt := p.parseText("截至{{cutoff}}，存量{{ s.stock | count }}户", pos{7, 3})
	if len(errs) != 0 {
		t.Fatal(errs.err())
	}
	var refs []*ref
	for _, s := range txt {
		if s.ref != nil {
			refs = append(refs, s.ref)
		}
	}
	if len(refs) != 2 {
		t.Fatalf("got %d refs", len(refs))
	}
	r := refs[1]
	// "截至{{cutoff}}，存量" is 15 characters, so the second {{ is at column 3+15.
	if r.at != (pos{7, 18}) || r.queryAt != (pos{7, 21}) || r.columnAt != (pos{7, 23}) || r.formatAt != (pos{7, 31}) {
		t.Errorf("positions: at %v query %v column %v format %v", r.at, r.queryAt, r.columnAt, r.formatAt)
	}
	if r.query != "s" || r.column != "stock" || r.format != "count" {
		t.Errorf("parsed %+v", r)
	}
}
