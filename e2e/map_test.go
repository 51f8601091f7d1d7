package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDemoDistrictMap: the demo writes a fictional map of its districts, and the market and
// appeals chapters draw it (the approval line below it); a broken map file stops a run before
// the ingest with an error naming the file and what is wrong; without the file the two
// charts are bar charts again.
func TestDemoDistrictMap(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("slow: runs on generated demo data (go test without -short runs it)")
	}
	dir := t.TempDir()
	if code, _, errs := bluebook(t, "demo", "--dir", dir, "--scale", "2000", "--quiet"); code != 0 {
		t.Fatalf("demo: %s", errs)
	}
	site := filepath.Join(dir, "site")
	for _, page := range []string{"01_market.html", "02_appeals.html"} {
		b, err := os.ReadFile(filepath.Join(site, page))
		if err != nil {
			t.Fatal(err)
		}
		s := string(b)
		if strings.Contains(s, "var districtMap = null") || !strings.Contains(s, `"type":"map"`) || !strings.Contains(s, `"name":"东湖区"`) ||
			!strings.Contains(s, "本图为演示数据的虚构区划示意图，无审图号。") {
			t.Errorf("%s does not draw the demo's district map", page)
		}
	}
	mapFile := filepath.Join(dir, "data", "map", "districts.geojson")
	run := func() (int, string) {
		code, _, errs := bluebook(t, "run", "--data", filepath.Join(dir, "data"), "--db", filepath.Join(dir, "bluebook.duckdb"),
			"--out", site, "--as-of", "2026-10-31", "--quiet")
		return code, errs
	}
	if err := os.WriteFile(mapFile, []byte(`{"type":"FeatureCollection","features":[{"type":"Feature",}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, errs := run(); code != exitUsage || !strings.Contains(errs, mapFile) || !strings.Contains(errs, "not valid JSON at line 1, column 59") ||
		strings.Contains(errs, "stage done") {
		t.Errorf("broken map: exit %d: %s", code, errs)
	}
	if err := os.Remove(mapFile); err != nil {
		t.Fatal(err)
	}
	if code, errs := run(); code != 0 {
		t.Fatalf("run without a map: exit %d: %s", code, errs)
	}
	b, err := os.ReadFile(filepath.Join(site, "01_market.html"))
	if err != nil {
		t.Fatal(err)
	}
	if s := string(b); !strings.Contains(s, "var districtMap = null") || strings.Contains(s, `"type":"map"`) || strings.Contains(s, "审图号") {
		t.Errorf("01_market.html still draws a map without the map file")
	}
}
