package e2e

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestVersionFromBuild: `bluebook version` names the DuckDB library as DuckDB reports it
// and the driver go.mod pins, so an upgrade is a go.mod change and nothing else.
func TestVersionFromBuild(t *testing.T) {
	t.Parallel()
	mod, err := os.ReadFile(filepath.Join("..", "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`github.com/duckdb/duckdb-go/v2 (v\S+)`).FindSubmatch(mod)
	if m == nil {
		t.Fatal("go.mod does not require duckdb-go")
	}
	code, out, errs := bluebook(t, "version")
	if code != 0 {
		t.Fatalf("version: exit %d: %s", code, errs)
	}
	want := regexp.MustCompile(`^bluebook \S+ \(DuckDB v\d+\.\d+\.\d+ via duckdb-go ` + regexp.QuoteMeta(string(m[1])) + `, ECharts \d+\.\d+\.\d+\)\n$`)
	if !want.MatchString(out) {
		t.Errorf("version prints %q; want the versions of the build (duckdb-go %s)", out, m[1])
	}
	if strings.Contains(out, "unknown") {
		t.Errorf("a version is unknown: %q", out)
	}
}
