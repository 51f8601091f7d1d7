package reports

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

var testDistricts = []MapDistrict{{"990102", "东湖区"}, {"990103", "西山区"}, {"990104", `南<b>&"港区`}}

// square returns a GeoJSON Polygon feature: a unit square at (x, y) with the given properties.
func square(x, y float64, props string) string {
	ring, _ := json.Marshal([][][2]float64{{{x, y}, {x + 1, y}, {x + 1, y + 1}, {x, y + 1}, {x, y}}})
	return `{"type":"Feature","properties":` + props + `,"geometry":{"type":"Polygon","coordinates":` + string(ring) + `}}`
}

func collection(features ...string) string {
	return `{"type":"FeatureCollection","features":[` + strings.Join(features, ",") + "]}"
}

// writeMap writes text as a map file in a temporary folder and returns its path.
func writeMap(t *testing.T, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "districts.geojson")
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestLoadDistrictMap: a valid map matches its features by code or by name (a numeric adcode
// too) and keeps only geometry and the districts' own names; every invalid file is rejected
// with an error that names the file and what is wrong.
func TestLoadDistrictMap(t *testing.T) {
	good := collection(square(120, 30, `{"code":"990102","name":"旧名"}`), square(121, 30, `{"name":"西山区"}`),
		square(122, 30, `{"adcode":990104,"extra":"<script>"}`))
	p := writeMap(t, good)
	m, err := LoadDistrictMap(p, 0, testDistricts)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(m.Names, ","); got != `东湖区,西山区,南<b>&"港区` {
		t.Errorf("names %s", got)
	}
	if s := string(m.GeoJSON); strings.Contains(s, "旧名") || strings.Contains(s, "extra") || strings.Contains(s, "<") {
		t.Errorf("GeoJSON keeps the file's own properties or an unescaped <: %s", s)
	}
	if _, err := LoadDistrictMap(p, 0, nil); err != nil {
		t.Errorf("structure check: %v", err)
	}

	cases := []struct{ name, text, want string }{
		{"bad JSON", "{\"type\": \"FeatureCollection\",\n \"features\": [,]}", "not valid JSON at line 2, column 15"},
		{"not JSON at all", "<svg/>", "not valid JSON at line 1"},
		{"wrong type", `{"type":"Feature","features":[]}`, `top-level type is "Feature"`},
		{"features not a list", `{"type":"FeatureCollection","features":{}}`, "not a GeoJSON FeatureCollection"},
		{"no features", collection(), "no features"},
		{"unknown district", collection(square(120, 30, `{"code":"990199","name":"月亮区"}`)), `feature 1 (code "990199", name "月亮区") is no district of the city`},
		{"no code nor name", collection(square(120, 30, `{}`)), "feature 1 has neither a code nor a name"},
		{"duplicate", collection(square(120, 30, `{"code":"990102"}`), square(121, 30, `{"name":"东湖区"}`)), "features 1 and 2 are both district 990102 东湖区"},
		{"point", collection(`{"type":"Feature","properties":{"name":"东湖区"},"geometry":{"type":"Point","coordinates":[120,30]}}`), `geometry type "Point"`},
		{"no geometry", collection(`{"type":"Feature","properties":{"name":"东湖区"},"geometry":null}`), "has no geometry"},
		{"open ring", collection(`{"type":"Feature","properties":{"name":"东湖区"},"geometry":{"type":"Polygon","coordinates":[[[120,30],[121,30],[120,30]]]}}`), "needs at least 4"},
		{"latitude out of range", collection(square(120, 95, `{"name":"东湖区"}`)), "within ±180, ±90"},
		{"feature type", collection(`{"type":"Point","properties":{"name":"东湖区"}}`), `feature 1 has type "Point"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := writeMap(t, c.text)
			_, err := LoadDistrictMap(p, 0, testDistricts)
			if err == nil || !strings.Contains(err.Error(), p) || !strings.Contains(err.Error(), c.want) {
				t.Errorf("got %v, want an error naming %s and saying %q", err, p, c.want)
			}
		})
	}
	p = writeMap(t, good)
	if _, err := LoadDistrictMap(p, 100, testDistricts); err == nil || !strings.Contains(err.Error(), p) ||
		!strings.Contains(err.Error(), "more than the limit of 100") || !strings.Contains(err.Error(), "map_max_bytes") {
		t.Errorf("oversize: got %v", err)
	}
}

// TestRenderMap renders a chart of type map with and without a district map: with one, the
// page registers the map (names escaped in the script, and in the HTML of the data table),
// draws a map series, prints the approval number below it and names in the note the row the
// map cannot place; without one, the same block is a bar chart and nothing of a map appears.
func TestRenderMap(t *testing.T) {
	src := "# 第一章 市场主体\n\n```sql d\nSELECT 1\n```\n" +
		"```chart\ntype: map\ntitle: 各区新设主体\ndata: d\nx: district_name\ny: new\nseries_names: 新设主体\ny_name: 户\nformat: count\nnote: 注：按所在区统计。\n```\n"
	b, err := Load(fstest.MapFS{"chapters/01_m.md": {Data: []byte(src)}})
	if err != nil {
		t.Fatal(err)
	}
	data := map[string]*Table{"01_m.d": table("district_name,new",
		[]any{"东湖区", int64(120)}, []any{`南<b>&"港区`, int64(80)}, []any{"西山区", int64(40)}, []any{"未知", int64(3)})}
	m, err := LoadDistrictMap(writeMap(t, collection(square(120, 30, `{"code":"990102"}`), square(121, 30, `{"code":"990103"}`),
		square(122, 30, `{"code":"990104"}`))), 0, testDistricts)
	if err != nil {
		t.Fatal(err)
	}
	m.Approval = "GS(2026)0001号"
	for _, withMap := range []bool{true, false} {
		meta := Meta{City: "示例市", Year: 2025}
		if withMap {
			meta.Map = m
		}
		for _, single := range []bool{false, true} {
			dir := t.TempDir()
			if err := Render(b, data, meta, Options{Dir: dir, SingleFile: single}); err != nil {
				t.Fatal(err)
			}
			name := "01_m.html"
			if single {
				name = "index.html"
			}
			page := readFile(t, dir, name)
			hasMap := strings.Contains(page, `echarts.registerMap("districts", districtMap)`) && !strings.Contains(page, "var districtMap = null")
			if hasMap != withMap {
				t.Errorf("map %v, single %v: page registers a map: %v", withMap, single, hasMap)
			}
			if strings.Contains(page, `"type":"map"`) != withMap || strings.Contains(page, `"type":"bar"`) == withMap {
				t.Errorf("map %v, single %v: want a map series %v, a bar series %v", withMap, single, withMap, !withMap)
			}
			if strings.Contains(page, "审图号：GS(2026)0001号") != withMap {
				t.Errorf("map %v, single %v: approval number shown: %v", withMap, single, !withMap)
			}
			if strings.Contains(page, "地图未标示未知（3户）") != withMap {
				t.Errorf("map %v, single %v: the note on the row off the map", withMap, single)
			}
			if strings.Contains(page, "<b>") {
				t.Errorf("map %v, single %v: a district name is not escaped", withMap, single)
			}
			if !strings.Contains(page, "南&lt;b&gt;&amp;&#34;港区") {
				t.Errorf("map %v, single %v: the data table lacks the escaped name", withMap, single)
			}
		}
	}
	// A map chart's keys are checked like any other's.
	bad := strings.Replace(src, "type: map\n", "type: map\nfallback: pie\n", 1)
	if _, err := Load(fstest.MapFS{"chapters/01_m.md": {Data: []byte(bad)}}); err == nil || !strings.Contains(err.Error(), `bad fallback "pie"`) {
		t.Errorf("fallback pie: got %v", err)
	}
	bad = strings.Replace(src, "type: map\n", "type: bar\nfallback: hbar\n", 1)
	if _, err := Load(fstest.MapFS{"chapters/01_m.md": {Data: []byte(bad)}}); err == nil || !strings.Contains(err.Error(), `only for map charts`) {
		t.Errorf("fallback on a bar chart: got %v", err)
	}
}
