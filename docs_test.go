package main

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// repoFiles lists the files of the repository: the tracked ones when git is at hand, else
// every file below the working directory but .git and node_modules.
func repoFiles(t *testing.T) []string {
	t.Helper()
	if out, err := exec.Command("git", "ls-files", "-z").Output(); err == nil && len(out) > 0 {
		var files []string
		for _, f := range strings.Split(strings.TrimRight(string(out), "\x00"), "\x00") {
			if _, err := os.Stat(f); err == nil { // a file deleted in the working tree is not read
				files = append(files, f)
			}
		}
		return files
	}
	var files []string
	err := filepath.WalkDir(".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "node_modules") {
			return fs.SkipDir
		}
		if !d.IsDir() {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestNoReferenceOutsideRepository: a clone of the repository explains itself, so no file
// may point to the team's shared folder or to the spec files it held (the upper-case names
// below; the repository's own docs are docs/*.md, lower case).
func TestNoReferenceOutsideRepository(t *testing.T) {
	// Built from parts so that this file does not match itself.
	banned := []string{"../" + "shared", "shared" + "/docs", "shared" + "/reference",
		"INDICATORS" + ".md", "SOURCES" + ".md", "DOMAIN" + ".md", "ARCHITECTURE" + ".md", "STYLE" + ".md"}
	for _, f := range repoFiles(t) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range bytes.Split(b, []byte("\n")) {
			for _, s := range banned {
				if bytes.Contains(line, []byte(s)) {
					t.Errorf("%s:%d refers to %q, outside the repository; point to docs/ instead", f, i+1, s)
				}
			}
		}
	}
}

// TestImportRules: imports flow one way, main → pipeline → {pipeline/ingest, reports,
// data} → duck; reports and ingest use nothing else of bluebook but duck and diag (the
// diagnostics type), reports never touches DuckDB, and duck and diag import nothing of
// bluebook (docs/architecture.md).
func TestImportRules(t *testing.T) {
	rules := []struct {
		pkg     string
		allowed []string // bluebook packages it may depend on, itself included
		banned  []string // outside modules it must not depend on
	}{
		{"bluebook/reports", []string{"bluebook/reports", "bluebook/diag"}, []string{"github.com/duckdb/"}},
		{"bluebook/diag", []string{"bluebook/diag"}, nil},
		{"bluebook/duck", []string{"bluebook/duck"}, nil},
		{"bluebook/pipeline/ingest", []string{"bluebook/pipeline/ingest", "bluebook/duck", "bluebook/diag"}, nil},
		{"bluebook/queries", []string{"bluebook/queries"}, nil},
		{"bluebook/data", []string{"bluebook/data"}, nil},
		{"bluebook/data/demo", []string{"bluebook/data/demo", "bluebook/data/uscc"}, nil},
		{"bluebook/pipeline", []string{"bluebook/pipeline", "bluebook/pipeline/ingest", "bluebook/reports", "bluebook/data", "bluebook/duck", "bluebook/diag"}, nil},
	}
	for _, r := range rules {
		out, err := exec.Command("go", "list", "-deps", r.pkg).Output()
		if err != nil {
			t.Fatalf("go list -deps %s: %v", r.pkg, err)
		}
		for _, dep := range strings.Fields(string(out)) {
			if strings.HasPrefix(dep, "bluebook") && !containsString(r.allowed, dep) {
				t.Errorf("%s depends on %s; allowed: %v (docs/architecture.md)", r.pkg, dep, r.allowed)
			}
			for _, b := range r.banned {
				if strings.HasPrefix(dep, b) {
					t.Errorf("%s depends on %s (docs/architecture.md)", r.pkg, dep)
				}
			}
		}
	}
}

// TestOnlyDuckImportsDuckDB: no package but duck, the DuckDB seam, imports the DuckDB
// driver itself (tests may, to open a database directly), so what bluebook relies on of
// DuckDB is in one place and pinned by duck's tests (docs/architecture.md, "upgrade
// DuckDB").
func TestOnlyDuckImportsDuckDB(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}} {{join .Imports " "}}`, "./...").Output()
	if err != nil {
		t.Fatalf("go list ./...: %v", err)
	}
	seen := false
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		if f[0] == "bluebook/duck" {
			seen = true
			continue
		}
		for _, imp := range f[1:] {
			if strings.HasPrefix(imp, "github.com/duckdb/") {
				t.Errorf("%s imports %s; only bluebook/duck may (docs/architecture.md)", f[0], imp)
			}
		}
	}
	if !seen {
		t.Error("go list ./... does not list bluebook/duck")
	}
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
