package ingest

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestContractDoc fails when docs/sources.md is not what ContractDoc generates from the
// source definitions: a column, header, type, rule or flag changed in sources.go or
// validate.go without the contract being regenerated. Regenerate it with -update (above)
// and commit docs/sources.md with the change:
//
//	go generate ./pipeline/ingest
//
// which runs `go test -run TestContractDoc -update .` in pipeline/ingest (the -update flag
// is declared in schema_test.go; with it this test writes the file instead of comparing).
func TestContractDoc(t *testing.T) {
	path := filepath.Join("..", "..", "docs", "sources.md")
	want := ContractDoc()
	if *update {
		if err := os.WriteFile(path, want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v; generate it with `go generate ./pipeline/ingest`", err)
	}
	if !bytes.Equal(got, want) {
		gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
		line := 0
		for line < len(gl) && line < len(wl) && gl[line] == wl[line] {
			line++
		}
		first := func(l []string) string {
			if line < len(l) {
				return l[line]
			}
			return "(end of file)"
		}
		t.Fatalf("docs/sources.md is stale from line %d:\n  file:      %s\n  generated: %s\nregenerate it with `go generate ./pipeline/ingest` (or `go test ./pipeline/ingest -run TestContractDoc -update`) and commit it",
			line+1, first(gl), first(wl))
	}
}

// TestContractDocCoversSources: every source, column, Chinese header and flag column of the
// definitions appears in the generated contract.
func TestContractDocCoversSources(t *testing.T) {
	doc := string(ContractDoc())
	for _, s := range Sources() {
		if !strings.Contains(doc, "## `"+s.Name+"` — "+s.Title) {
			t.Errorf("no section for source %s", s.Name)
		}
		for _, c := range s.Columns {
			if !strings.Contains(doc, "| `"+c.Name+"` |") {
				t.Errorf("%s.%s missing", s.Name, c.Name)
			}
			for _, a := range c.Aliases {
				if !strings.Contains(doc, a) {
					t.Errorf("%s.%s: header %s missing", s.Name, c.Name, a)
				}
			}
		}
		for _, f := range s.Extra {
			if !strings.Contains(doc, "| `"+f.Name+"` | "+f.Title+" | "+f.Type+" |") {
				t.Errorf("%s flag %s missing", s.Name, f.Name)
			}
		}
	}
}
