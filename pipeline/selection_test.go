package pipeline

import (
	"strings"
	"testing"
	"testing/fstest"
)

// TestSelect: build's and test's --select (Project.Select) read one syntax: name, name+,
// +name, +name+, and lists separated by commas or spaces; an unknown name gets the closest
// model as a suggestion.
func TestSelect(t *testing.T) {
	// registry -> market_entities -> market_cube -> market_summary -> market_growth
	//                                           \-> market_by_district
	// appeal_kpis stands apart.
	files := fstest.MapFS{}
	for _, n := range []string{"market_entities", "market_cube", "market_summary", "market_growth", "market_by_district", "appeal_kpis"} {
		files[n+".sql"] = &fstest.MapFile{Data: []byte("SELECT 1 AS x\n")}
	}
	p, err := LoadProject(files, "queries")
	if err != nil {
		t.Fatal(err)
	}
	deps := map[string][]string{
		"market_entities":    {"registry"},
		"market_cube":        {"market_entities"},
		"market_summary":     {"market_cube"},
		"market_growth":      {"market_summary"},
		"market_by_district": {"market_cube"},
	}
	for n, d := range deps {
		p.Model(n).Deps = d
	}
	if err := p.sortModels(); err != nil {
		t.Fatal(err)
	}
	for spec, want := range map[string]string{
		"":                                 "appeal_kpis market_entities market_cube market_by_district market_summary market_growth",
		"market_summary":                   "market_summary",
		"market_summary+":                  "market_summary market_growth",
		"+market_summary":                  "market_entities market_cube market_summary",
		"+market_summary+":                 "market_entities market_cube market_summary market_growth",
		"market_cube+":                     "market_cube market_by_district market_summary market_growth",
		"appeal_kpis,market_growth":        "appeal_kpis market_growth",
		"appeal_kpis, +market_by_district": "appeal_kpis market_entities market_cube market_by_district",
		"market_growth appeal_kpis":        "appeal_kpis market_growth",
	} {
		got, err := p.Select(spec)
		if err != nil {
			t.Errorf("Select(%q): %v", spec, err)
			continue
		}
		var names []string
		for _, m := range got {
			names = append(names, m.Name)
		}
		if strings.Join(names, " ") != want {
			t.Errorf("Select(%q) = %s, want %s", spec, strings.Join(names, " "), want)
		}
	}
	for spec, want := range map[string]string{
		"market_sumary+": `--select market_sumary+: no model named "market_sumary"; did you mean "market_summary"?`,
		"a,+":            "--select +: write name, name+",
		"a++b":           "--select a++b: write name",
	} {
		if _, err := p.Select(spec); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Select(%q): error %v, want %q", spec, err, want)
		}
	}
}
