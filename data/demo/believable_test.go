package demo

import (
	"encoding/csv"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"

	"bluebook/data"
)

// sizeRules reads data/size_rules.csv and data/size_rule_prefixes.csv: the
// thresholds per rule (x = employees, y = revenue in 万元, z = assets, which the
// registry lacks) and the rule of each 2- or 4-digit industry prefix.
func sizeRules(t *testing.T) (map[string][9]float64, map[string]string) {
	t.Helper()
	read := func(name string) [][]string {
		f, err := data.FS().Open(name)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		recs, err := csv.NewReader(f).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		return recs[1:]
	}
	rules := map[string][9]float64{}
	for _, r := range read("size_rules.csv") {
		var th [9]float64
		for k := range th {
			th[k] = math.NaN()
			if v, err := strconv.ParseFloat(r[2+k], 64); err == nil {
				th[k] = v
			}
		}
		rules[r[0]] = th
	}
	prefixes := map[string]string{}
	for _, r := range read("size_rule_prefixes.csv") {
		prefixes[r[0]] = r[1]
	}
	return rules, prefixes
}

// sizeClass classifies like queries/market/market_entities.sql (2017 rules):
// 微 when one indicator is below the small floor, 未知 when a needed one is
// missing, else the largest class whose every threshold is met.
func sizeClass(rules map[string][9]float64, prefixes map[string]string, industry string, emp, rev float64) string {
	digits := strings.TrimLeft(industry, "ABCDEFGHIJKLMNOPQRST")
	rule := "other"
	if len(digits) >= 4 && prefixes[digits[:4]] != "" {
		rule = prefixes[digits[:4]]
	} else if len(digits) >= 2 && prefixes[digits[:2]] != "" {
		rule = prefixes[digits[:2]]
	}
	th := rules[rule]
	val := [3]float64{emp, rev, math.NaN()}
	set := func(i int) bool { return !math.IsNaN(th[i]) }
	for k := range 3 {
		if set(6+k) && !math.IsNaN(val[k]) && val[k] < th[6+k] {
			return "微"
		}
	}
	for k := range 3 {
		if set(6+k) && math.IsNaN(val[k]) {
			return "未知"
		}
	}
	meets := func(base int) bool {
		for k := range 3 {
			if set(base+k) && !(val[k] >= th[base+k]) {
				return false
			}
		}
		return true
	}
	switch {
	case meets(0):
		return "大"
	case meets(3):
		return "中"
	}
	return "小"
}

// Documented ranges (README.md, the demo data) of the shares of the
// innovation declarers by GB/T 4754 section: manufacturing, information
// technology, scientific and technical services, and the rest together; the
// sections that do no R&D never declare.
var declarerShares = map[string][2]float64{
	"C": {0.45, 0.65},
	"I": {0.10, 0.22},
	"M": {0.08, 0.20},
	"*": {0.05, 0.25},
}

// TestBelievableDemo holds the demo to what a real city's data look like: no
// 个体工商户 declares innovation points; the declarers' industries have
// realistic shares; R&D never exceeds revenue; a declarer's revenue of the
// last year is the registry's, so its size class is the same under the rules
// of data/size_rules.csv; size classes of the enterprises have realistic
// shares; revenue is heavy-tailed and differs by industry as it should.
func TestBelievableDemo(t *testing.T) {
	dir, sum := generate(t, 200000, 11)
	planted := plantedLines(sum)
	rules, prefixes := sizeRules(t)
	type regRow struct {
		own, industry string
		emp, rev      float64
	}
	parse := func(s string) float64 {
		if s == "" {
			return math.NaN()
		}
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return math.NaN()
		}
		return v
	}
	reg := readTable(t, dir, "registry/registry.csv")
	rows := map[string]regRow{}
	classes := map[string]int{}
	enterprises := 0
	var wholesale, catering []float64
	for i, r := range reg.records {
		if _, ok := planted["registry/registry.csv"][i+2]; ok || len(r) != len(reg.header) {
			continue
		}
		rr := regRow{own: r[regOwnership], industry: r[regIndustry], emp: parse(r[11]), rev: parse(r[12])}
		rows[r[regCode]] = rr
		if strings.HasPrefix(rr.own, "个体") {
			continue
		}
		enterprises++
		classes[sizeClass(rules, prefixes, rr.industry, rr.emp, rr.rev)]++
		if rr.emp > 0 && rr.rev > 0 {
			div := strings.TrimLeft(rr.industry, "ABCDEFGHIJKLMNOPQRST")[:2]
			switch div {
			case "51":
				wholesale = append(wholesale, rr.rev/rr.emp)
			case "61", "62":
				catering = append(catering, rr.rev/rr.emp)
			}
		}
	}
	// Size classes of the enterprises with both measures (China's economic
	// census: about 9 in 10 micro, some 1 in 1000 large).
	known := enterprises - classes["未知"]
	for class, rng := range map[string][2]float64{"微": {0.70, 0.95}, "小": {0.04, 0.25}, "中": {0.003, 0.05}, "大": {0.0002, 0.01}} {
		if share := float64(classes[class]) / float64(known); share < rng[0] || share > rng[1] {
			t.Errorf("size class %s: %.4f of the classified enterprises, want %.4f…%.4f (%v)", class, share, rng[0], rng[1], classes)
		}
	}
	median := func(v []float64) float64 { slices.Sort(v); return v[len(v)/2] }
	if w, c := median(wholesale), median(catering); w < 5*c {
		t.Errorf("median revenue per employee: wholesale %.1f万元, catering %.1f万元; wholesale should turn over far more", w, c)
	}

	inn := readTable(t, dir, "innovation/innovation.csv")
	declarers := map[string]string{} // code → section
	lastYear := strconv.Itoa(testAsOf.Year() - 1)
	matched := 0
	for i, r := range inn.records {
		if _, ok := planted["innovation/innovation.csv"][i+2]; ok {
			continue
		}
		rr, ok := rows[r[0]]
		if !ok {
			t.Fatalf("innovation line %d: %s not in the registry", i+2, r[0])
		}
		if strings.HasPrefix(rr.own, "个体") || r[0][1] == '2' {
			t.Errorf("innovation line %d: %s is a 个体工商户 (%s)", i+2, r[0], rr.own)
		}
		rd, rev := parse(r[2]), parse(r[3])
		if !(rd >= 0 && rd <= rev) {
			t.Errorf("innovation line %d: R&D %s above revenue %s", i+2, r[2], r[3])
		}
		div, _ := strconv.Atoi(strings.TrimLeft(rr.industry, "ABCDEFGHIJKLMNOPQRST")[:2])
		declarers[r[0]] = string(sectionOf(div))
		if r[1] == lastYear && rr.rev > 0 {
			matched++
			if math.Abs(rev-rr.rev) > 0.01 {
				t.Errorf("innovation line %d: revenue %s in %s, registry %.4f", i+2, r[3], lastYear, rr.rev)
			}
			if a, b := sizeClass(rules, prefixes, rr.industry, rr.emp, rev), sizeClass(rules, prefixes, rr.industry, rr.emp, rr.rev); a != b {
				t.Errorf("innovation line %d: size class %s by the declaration, %s by the registry", i+2, a, b)
			}
		}
	}
	if len(declarers) < 1000 || matched < 300 {
		t.Fatalf("%d declarers, %d declarations of %s with a registry revenue: too few to judge", len(declarers), matched, lastYear)
	}
	bySection := map[string]int{}
	for _, s := range declarers {
		switch s {
		case "C", "I", "M":
			bySection[s]++
		case "H", "J", "K", "O", "S":
			t.Errorf("a declarer in section %s, which does no R&D", s)
		default:
			bySection["*"]++
		}
	}
	for s, rng := range declarerShares {
		if share := float64(bySection[s]) / float64(len(declarers)); share < rng[0] || share > rng[1] {
			t.Errorf("declarers of section %s: %.3f, want %.2f…%.2f (%v of %d)", s, share, rng[0], rng[1], bySection, len(declarers))
		}
	}
	t.Logf("%d declarers %v; size classes %v", len(declarers), bySection, classes)
}

// TestDemoFiguresAtDefaultScale holds the demo at its default scale (20,000 registry rows,
// what `bluebook demo` shows a reader) to figures a city's report can print without
// looking thin or absurd: dozens of enterprises reach the public-welfare index's threshold
// (10 万元 of verified donations in the edition year, queries/seeds/thresholds.csv), with
// amounts spread over an order of magnitude or more; the innovation declarers of the last
// year are firms of some size (no 个体工商户, none under 100 万元 of revenue, a median of
// at least 1000 万元, some above 2 亿元), whose R&D intensity is mostly 1-6 % (median 1-8
// %), and whose R&D expense is tens of 万元 or more. Three seeds, so that no figure holds
// by the luck of one draw.
func TestDemoFiguresAtDefaultScale(t *testing.T) {
	const edition = "2025" // testAsOf's year − 1
	for _, seed := range []uint64{1, 2, 3} {
		dir, sum := generate(t, 20000, seed)
		planted := plantedLines(sum)
		reg := readTable(t, dir, "registry/registry.csv")
		own := map[string]string{}
		for _, r := range reg.records {
			if len(r) == len(reg.header) {
				own[r[regCode]] = r[regOwnership]
			}
		}
		private := func(code string) bool {
			switch own[code] {
			case "民营", "私营", "民营企业", "个体", "个体工商户":
				return true
			}
			return false
		}

		// Public-welfare index: verified donations of private subjects in the edition year.
		don := readTable(t, dir, "donations/donations.csv")
		given := map[string]float64{} // 万元
		for i, r := range don.records {
			if _, ok := planted["donations/donations.csv"][i+2]; ok || len(r) != len(don.header) {
				continue
			}
			if !strings.HasPrefix(r[2], edition) || !private(r[donCode]) {
				continue
			}
			switch r[7] {
			case "是", "Y", "1":
			default:
				continue
			}
			a, err := strconv.ParseFloat(r[donAmount], 64)
			if err != nil {
				t.Fatalf("seed %d: donations line %d: amount %q", seed, i+2, r[donAmount])
			}
			given[r[donCode]] += a / 1e4
		}
		var rated []float64
		for _, a := range given {
			if a >= 10 {
				rated = append(rated, a)
			}
		}
		slices.Sort(rated)
		if len(rated) < 30 || len(rated) > 150 {
			t.Errorf("seed %d: %d enterprises reach the public-welfare index (of %d donors in %s), want a few dozen (30…150)",
				seed, len(rated), len(given), edition)
		} else if top, low := rated[len(rated)-1], rated[0]; top < 10*low {
			t.Errorf("seed %d: the rated enterprises gave %.1f…%.1f 万元, want amounts spread over an order of magnitude", seed, low, top)
		}

		// Innovation declarations of the edition year.
		inn := readTable(t, dir, "innovation/innovation.csv")
		var revenue, rd, intensity []float64
		large := 0
		for i, r := range inn.records {
			if _, ok := planted["innovation/innovation.csv"][i+2]; ok || r[innYear] != edition {
				continue
			}
			if o := own[r[0]]; strings.HasPrefix(o, "个体") {
				t.Errorf("seed %d: innovation line %d: %s is a 个体工商户", seed, i+2, r[0])
			}
			x, err1 := strconv.ParseFloat(r[2], 64)
			rev, err2 := strconv.ParseFloat(r[3], 64)
			if err1 != nil || err2 != nil || rev <= 0 {
				t.Fatalf("seed %d: innovation line %d: R&D %q, revenue %q", seed, i+2, r[2], r[3])
			}
			if rev < minDeclarerRevenue {
				t.Errorf("seed %d: innovation line %d: revenue %.2f 万元, want at least %d", seed, i+2, rev, minDeclarerRevenue)
			}
			if rev > 20000 {
				large++
			}
			revenue, rd, intensity = append(revenue, rev), append(rd, x), append(intensity, x/rev)
		}
		if len(revenue) < 100 {
			t.Fatalf("seed %d: %d declarations of %s, want well over 100 for a ranking of 50", seed, len(revenue), edition)
		}
		median := func(v []float64) float64 { slices.Sort(v); return v[len(v)/2] }
		usual := 0
		for _, x := range intensity {
			if x >= 0.01 && x <= 0.06 {
				usual++
			}
		}
		if m := median(intensity); m < 0.01 || m > 0.08 {
			t.Errorf("seed %d: median R&D intensity %.1f%%, want 1…8%%", seed, 100*m)
		}
		if share := float64(usual) / float64(len(intensity)); share < 0.6 {
			t.Errorf("seed %d: %.0f%% of the declarers at an R&D intensity of 1…6%%, want most (at least 60%%)", seed, 100*share)
		}
		if m := median(revenue); m < 1000 {
			t.Errorf("seed %d: median revenue of the declarers %.0f 万元, want at least 1000", seed, m)
		}
		if m := median(rd); m < 20 {
			t.Errorf("seed %d: median R&D expense of the declarers %.1f 万元, want tens of 万元", seed, m)
		}
		if large == 0 {
			t.Errorf("seed %d: no declarer above 2 亿元 of revenue: the top band of the R&D ranking is empty", seed)
		}
		top := 0.0
		if len(rated) > 0 {
			top = rated[len(rated)-1]
		}
		t.Logf("seed %d: %d rated welfare enterprises (the first %.1f 万元); %d declarers, median revenue %.0f 万元, R&D %.1f 万元, intensity %.1f%%, %d above 2 亿元",
			seed, len(rated), top, len(revenue), median(revenue), median(rd), 100*median(intensity), large)
	}
}
