package demo

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"

	"bluebook/data/uscc"
)

var testAsOf = time.Date(2026, 10, 31, 0, 0, 0, 0, time.UTC)

// generate writes a data set into a fresh temporary folder.
func generate(t testing.TB, scale int, seed uint64) (string, Summary) {
	t.Helper()
	dir := t.TempDir()
	sum, err := Generate(context.Background(), Options{Dir: dir, Scale: scale, Seed: seed, AsOf: testAsOf})
	if err != nil {
		t.Fatalf("Generate: %v", err)
	}
	return dir, sum
}

// readTree returns every file below dir by slash-separated relative path.
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		files[filepath.ToSlash(rel)] = b
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// table is a CSV file read back: header and records, records[i] being line i+2.
type table struct {
	header  []string
	records [][]string
}

// col returns the index of the column named name.
func (tb *table) col(t *testing.T, name string) int {
	t.Helper()
	i := slices.Index(tb.header, name)
	if i < 0 {
		t.Fatalf("no column %q in %v", name, tb.header)
	}
	return i
}

// readTable reads dir/rel, decoding GBK for the donations.
func readTable(t *testing.T, dir, rel string) *table {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	if strings.HasPrefix(rel, "donations/") {
		if b, err = io.ReadAll(simplifiedchinese.GBK.NewDecoder().Reader(bytes.NewReader(b))); err != nil {
			t.Fatalf("decode %s as GBK: %v", rel, err)
		}
	}
	if bytes.Contains(b, []byte("\r")) {
		t.Errorf("%s: CR in file, want LF line ends", rel)
	}
	r := csv.NewReader(bytes.NewReader(b))
	r.FieldsPerRecord = -1
	all, err := r.ReadAll()
	if err != nil {
		t.Fatalf("read %s: %v", rel, err)
	}
	if n := bytes.Count(b, []byte("\n")); n != len(all) {
		t.Fatalf("%s: %d lines but %d records: a field spans lines", rel, n, len(all))
	}
	return &table{header: all[0], records: all[1:]}
}

// plantedLines returns the planted lines per file.
func plantedLines(sum Summary) map[string]map[int]Planted {
	m := map[string]map[int]Planted{}
	for _, p := range sum.Planted {
		if m[p.File] == nil {
			m[p.File] = map[int]Planted{}
		}
		m[p.File][p.Line] = p
	}
	return m
}

func TestDeterministic(t *testing.T) {
	dirA, sumA := generate(t, 2000, 42)
	dirB, sumB := generate(t, 2000, 42)
	a, b := readTree(t, dirA), readTree(t, dirB)
	if len(a) != len(b) {
		t.Fatalf("%d files vs %d", len(a), len(b))
	}
	for name, data := range a {
		if !bytes.Equal(data, b[name]) {
			t.Errorf("%s differs between two runs with the same options", name)
		}
	}
	if !reflect.DeepEqual(sumA, sumB) {
		t.Errorf("summaries differ:\n%+v\n%+v", sumA, sumB)
	}
	var files []string
	for name := range a {
		files = append(files, name)
	}
	slices.Sort(files)
	want := slices.Clone(sumA.Files)
	slices.Sort(want)
	if !slices.Equal(files, want) {
		t.Errorf("files on disk %v, Summary.Files %v", files, want)
	}

	dirC, _ := generate(t, 2000, 43)
	c := readTree(t, dirC)
	for _, name := range []string{"registry/registry.csv", "appeals/appeals_2025.csv", "donations/donations.csv", "innovation/innovation.csv"} {
		if bytes.Equal(a[name], c[name]) {
			t.Errorf("%s is the same for seeds 42 and 43", name)
		}
	}
}

func TestLayout(t *testing.T) {
	dir, sum := generate(t, 2000, 1)
	wantFiles := []string{
		"appeals/appeals_2021.csv", "appeals/appeals_2022.csv", "appeals/appeals_2023.csv", "appeals/appeals_2024.csv",
		"appeals/appeals_2025.csv", "appeals/appeals_2026.csv", "chamber_activities/chamber_activities.csv",
		"chamber_fees/chamber_fees.csv", "chambers/chambers.csv", "districts/districts.csv", "donations/donations.csv",
		"innovation/innovation.csv", "map/districts.geojson", "planted.csv", "registry/registry.csv",
	}
	got := slices.Clone(sum.Files)
	slices.Sort(got)
	if !slices.Equal(got, wantFiles) {
		t.Errorf("files = %v, want %v", got, wantFiles)
	}
	if sum.Files[len(sum.Files)-1] != "planted.csv" {
		t.Errorf("planted.csv is not last in %v", sum.Files)
	}
	headers := map[string]string{
		"registry/registry.csv":                     "统一社会信用代码,企业名称,经济类型,企业类型,行业代码,所属区县代码,成立日期,登记状态,注销日期,核准日期,注册资本（万元）,从业人数,营业收入（万元）,专精特新等级,高新技术企业,所属商会编号",
		"appeals/appeals_2023.csv":                  "诉求编号,统一社会信用代码,提报时间,诉求类别,是否共性诉求,提报渠道,承办部门,首次响应时间,办结时间,满意度,诉求内容",
		"innovation/innovation.csv":                 "统一社会信用代码,年度,研发费用（万元）,营业收入（万元）,研发人员数,职工总数,发明专利授权数,其他知识产权数,主导制定标准数,技术合同成交额（万元）,股权融资额（万元）",
		"donations/donations.csv":                   "捐赠编号,统一社会信用代码,捐赠日期,捐赠金额（元）,捐赠形式,公益项目类别,受赠方,是否到账",
		"chambers/chambers.csv":                     "商会编号,商会名称,商会类型,成立日期,会员数",
		"chamber_activities/chamber_activities.csv": "商会编号,活动日期,活动类型,参加人数",
		"chamber_fees/chamber_fees.csv":             "商会编号,年度,应收会费（万元）,实收会费（万元）",
		"districts/districts.csv":                   "区划代码,区县名称",
		"planted.csv":                               "source,file,line,column,rule,month,scope,scope_code",
	}
	for rel, want := range headers {
		tb := readTable(t, dir, rel)
		if got := strings.Join(tb.header, ","); got != want {
			t.Errorf("%s header = %s, want %s", rel, got, want)
		}
	}
	raw, err := os.ReadFile(filepath.Join(dir, "donations", "donations.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.HasPrefix(raw, []byte("捐赠编号")) {
		t.Error("donations.csv is UTF-8, want GBK")
	}
	d := readTable(t, dir, "districts/districts.csv")
	if len(d.records) != 7 {
		t.Errorf("districts.csv has %d rows, want 7", len(d.records))
	}
	for i, dist := range Districts() {
		if r := d.records[i]; r[0] != dist.Code || r[1] != dist.Name {
			t.Errorf("districts.csv row %d = %v, want %v", i+2, r, dist)
		}
	}
	for src, n := range sum.Rows {
		if n <= 0 {
			t.Errorf("Rows[%s] = %d", src, n)
		}
	}
}

// datePattern accepts the date styles of docs/sources.md used by the generator.
var datePattern = regexp.MustCompile(`^(\d{4})(?:-(\d{2})-(\d{2})|/(\d{1,2})/(\d{1,2})|(\d{2})(\d{2})|年(\d{1,2})月(\d{1,2})日)(?: (\d{1,2}):(\d{2})(?::(\d{2}))?)?$`)

// parseDate parses a date or timestamp cell to its calendar date.
func parseDate(s string) (time.Time, bool) {
	m := datePattern.FindStringSubmatch(s)
	if m == nil {
		return time.Time{}, false
	}
	y, _ := strconv.Atoi(m[1])
	var mo, d int
	for i := 2; i < 10; i += 2 {
		if m[i] != "" {
			mo, _ = strconv.Atoi(m[i])
			d, _ = strconv.Atoi(m[i+1])
		}
	}
	t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
	if t.Month() != time.Month(mo) || t.Day() != d {
		return time.Time{}, false
	}
	if m[10] != "" {
		h, _ := strconv.Atoi(m[10])
		mi, _ := strconv.Atoi(m[11])
		sec := 0
		if m[12] != "" {
			sec, _ = strconv.Atoi(m[12])
		}
		if h > 23 || mi > 59 || sec > 59 {
			return time.Time{}, false
		}
		t = t.Add(time.Duration(h)*time.Hour + time.Duration(mi)*time.Minute + time.Duration(sec)*time.Second)
	}
	return t, true
}

// ownerships of docs/sources.md with aliases.
var ownerships = []string{"民营", "私营", "民营企业", "个体", "个体工商户", "国有", "集体", "外资", "外商投资", "港澳台"}

// TestCleanRows checks every row that is not planted against the rules of
// docs/sources.md: it must load without a reject or a flag.
func TestCleanRows(t *testing.T) {
	dir, sum := generate(t, 3000, 5)
	planted := plantedLines(sum)
	asOf := testAsOf
	districts := map[string]bool{}
	for _, d := range Districts() {
		districts[d.Code] = true
	}
	isPlanted := func(rel string, i int) bool { _, ok := planted[rel][i+2]; return ok }
	checkDate := func(rel string, i int, col, v string, required bool) time.Time {
		t.Helper()
		if v == "" {
			if required {
				t.Errorf("%s:%d: %s empty", rel, i+2, col)
			}
			return time.Time{}
		}
		d, ok := parseDate(v)
		if !ok {
			t.Errorf("%s:%d: %s = %q is not a date", rel, i+2, col, v)
		} else if d.After(asOf.Add(24*time.Hour - time.Second)) {
			t.Errorf("%s:%d: %s = %q is after the as-of date", rel, i+2, col, v)
		} else if d.Before(time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("%s:%d: %s = %q is implausibly early", rel, i+2, col, v)
		}
		return d
	}

	// Registry.
	reg := readTable(t, dir, "registry/registry.csv")
	codes := map[string]bool{}
	chambers := map[string]bool{}
	for _, r := range readTable(t, dir, "chambers/chambers.csv").records {
		chambers[r[0]] = true
	}
	const rel = "registry/registry.csv"
	for i, r := range reg.records {
		if isPlanted(rel, i) {
			continue
		}
		if len(r) != len(reg.header) {
			t.Fatalf("%s:%d: %d fields", rel, i+2, len(r))
		}
		if !uscc.Valid(r[0]) {
			t.Errorf("%s:%d: invalid credit code %q", rel, i+2, r[0])
		}
		if codes[r[0]] {
			t.Errorf("%s:%d: credit code %q repeated", rel, i+2, r[0])
		}
		codes[r[0]] = true
		if r[1] == "" {
			t.Errorf("%s:%d: empty name", rel, i+2)
		}
		if !slices.Contains(ownerships, r[2]) {
			t.Errorf("%s:%d: ownership %q", rel, i+2, r[2])
		}
		if (r[0][1] == '2') != strings.HasPrefix(r[2], "个体") {
			t.Errorf("%s:%d: code %s does not match ownership %s", rel, i+2, r[0], r[2])
		}
		ind := strings.TrimLeft(r[4], "ABCDEFGHIJKLMNOPQRST")
		if len(ind) < 2 || len(ind) > 4 {
			t.Errorf("%s:%d: industry code %q", rel, i+2, r[4])
		} else if div, _ := strconv.Atoi(ind[:2]); sectionOf(div) == 0 || (ind != r[4] && r[4][:1] != string(sectionOf(div))) {
			t.Errorf("%s:%d: industry code %q", rel, i+2, r[4])
		}
		if !districts[r[5]] {
			t.Errorf("%s:%d: district %q", rel, i+2, r[5])
		}
		est := checkDate(rel, i, "成立日期", r[6], true)
		status := r[7]
		gone := strings.HasPrefix(status, "注销") || strings.HasPrefix(status, "撤销") || strings.HasPrefix(status, "吊销") || status == "迁出"
		cancelled := checkDate(rel, i, "注销日期", r[8], gone)
		if !gone && r[8] != "" {
			t.Errorf("%s:%d: status %s with a cancellation date", rel, i+2, status)
		}
		if !cancelled.IsZero() && cancelled.Before(est) {
			t.Errorf("%s:%d: cancelled %s before established %s", rel, i+2, r[8], r[6])
		}
		checkDate(rel, i, "核准日期", r[9], false)
		for _, c := range []int{10, 11, 12} {
			if r[c] == "" {
				continue
			}
			if v, err := strconv.ParseFloat(r[c], 64); err != nil || v < 0 {
				t.Errorf("%s:%d: %s = %q", rel, i+2, reg.header[c], r[c])
			}
		}
		if r[15] != "" && !chambers[r[15]] {
			t.Errorf("%s:%d: unknown chamber %q", rel, i+2, r[15])
		}
	}
	if len(codes) < 2900 {
		t.Errorf("only %d clean registry rows", len(codes))
	}

	// Appeals.
	ids := map[string]bool{}
	categories := []string{"融资信贷", "用工人才", "市场准入", "政策落实", "知识产权", "要素保障", "账款拖欠", "涉企执法", "税费", "法律权益", "科技创新", "其他"}
	for y := 2021; y <= 2026; y++ {
		rel := "appeals/appeals_" + strconv.Itoa(y) + ".csv"
		tb := readTable(t, dir, rel)
		for i, r := range tb.records {
			if isPlanted(rel, i) {
				continue
			}
			if !uscc.Valid(r[1]) || !codes[r[1]] {
				t.Errorf("%s:%d: credit code %q not in the registry", rel, i+2, r[1])
			}
			if ids[r[0]] {
				t.Errorf("%s:%d: appeal id %s repeated", rel, i+2, r[0])
			}
			ids[r[0]] = true
			sub := checkDate(rel, i, "提报时间", r[2], true)
			if sub.Year() != y {
				t.Errorf("%s:%d: submitted %s in the file of %d", rel, i+2, r[2], y)
			}
			if !slices.Contains(categories, r[3]) {
				t.Errorf("%s:%d: category %q", rel, i+2, r[3])
			}
			resp := checkDate(rel, i, "首次响应时间", r[7], false)
			closed := checkDate(rel, i, "办结时间", r[8], false)
			if !resp.IsZero() && resp.Before(sub) || !closed.IsZero() && closed.Before(sub) {
				t.Errorf("%s:%d: responded %q or closed %q before submitted %q", rel, i+2, r[7], r[8], r[2])
			}
			if !closed.IsZero() && (resp.IsZero() || closed.Before(resp)) {
				t.Errorf("%s:%d: closed %q without or before the response %q", rel, i+2, r[8], r[7])
			}
			if !slices.Contains([]string{"", "满意", "基本满意", "不满意", "5", "4", "3", "2", "1"}, r[9]) {
				t.Errorf("%s:%d: satisfaction %q", rel, i+2, r[9])
			}
		}
	}

	// Innovation.
	inn := readTable(t, dir, "innovation/innovation.csv")
	keys := map[string]bool{}
	for i, r := range inn.records {
		const rel = "innovation/innovation.csv"
		if isPlanted(rel, i) {
			continue
		}
		if !codes[r[0]] {
			t.Errorf("%s:%d: credit code %q not in the registry", rel, i+2, r[0])
		}
		if keys[r[0]+r[1]] {
			t.Errorf("%s:%d: (uscc, year) repeated", rel, i+2)
		}
		keys[r[0]+r[1]] = true
		if y, _ := strconv.Atoi(r[1]); y < 2020 || y > 2025 {
			t.Errorf("%s:%d: year %s", rel, i+2, r[1])
		}
		rd, _ := strconv.Atoi(r[4])
		staff, _ := strconv.Atoi(r[5])
		if rd > staff {
			t.Errorf("%s:%d: rd_staff %d > staff %d", rel, i+2, rd, staff)
		}
	}

	// Donations.
	don := readTable(t, dir, "donations/donations.csv")
	programs := []string{"万企兴万村", "光彩事业", "教育", "医疗", "救灾", "扶老助残", "其他"}
	ids = map[string]bool{}
	for i, r := range don.records {
		const rel = "donations/donations.csv"
		if isPlanted(rel, i) {
			continue
		}
		if !codes[r[1]] {
			t.Errorf("%s:%d: credit code %q not in the registry", rel, i+2, r[1])
		}
		if ids[r[0]] {
			t.Errorf("%s:%d: donation id repeated", rel, i+2)
		}
		ids[r[0]] = true
		d := checkDate(rel, i, "捐赠日期", r[2], true)
		if d.Year() < 2021 {
			t.Errorf("%s:%d: donated %s before 2021", rel, i+2, r[2])
		}
		if v, err := strconv.ParseFloat(r[3], 64); err != nil || v <= 0 {
			t.Errorf("%s:%d: amount %q", rel, i+2, r[3])
		}
		if !slices.Contains(programs, r[5]) {
			t.Errorf("%s:%d: program %q", rel, i+2, r[5])
		}
	}

	// Chambers.
	act := readTable(t, dir, "chamber_activities/chamber_activities.csv")
	for i, r := range act.records {
		const rel = "chamber_activities/chamber_activities.csv"
		if isPlanted(rel, i) {
			continue
		}
		if !chambers[r[0]] {
			t.Errorf("%s:%d: unknown chamber %q", rel, i+2, r[0])
		}
		checkDate(rel, i, "活动日期", r[1], true)
	}
	for i, r := range readTable(t, dir, "chambers/chambers.csv").records {
		checkDate("chambers/chambers.csv", i, "成立日期", r[3], true)
	}
	for _, r := range readTable(t, dir, "chamber_fees/chamber_fees.csv").records {
		due, _ := strconv.ParseFloat(r[2], 64)
		got, _ := strconv.ParseFloat(r[3], 64)
		if !chambers[r[0]] || due <= 0 || got < 0.39*due || got > due {
			t.Errorf("chamber_fees: %v", r)
		}
	}
}

// TestPlanted checks that planted.csv and Summary.Planted point at lines that
// hold the planted problem.
func TestPlanted(t *testing.T) {
	dir, sum := generate(t, 2000, 9)
	pl := readTable(t, dir, "planted.csv")
	if len(pl.records) != len(sum.Planted)+len(sum.Anomalies) {
		t.Fatalf("planted.csv has %d rows, Summary %d planted rows and %d anomalies", len(pl.records), len(sum.Planted), len(sum.Anomalies))
	}
	for i, p := range sum.Planted {
		want := []string{p.Source, p.File, strconv.Itoa(p.Line), p.Column, p.Rule, "", "", ""}
		if !slices.Equal(pl.records[i], want) {
			t.Errorf("planted.csv row %d = %v, want %v", i+2, pl.records[i], want)
		}
	}
	for i, a := range sum.Anomalies {
		want := []string{a.Source, a.File, "", a.Indicator, a.Kind, a.Month.Format("2006-01"), a.Scope, a.ScopeCode}
		if r := pl.records[len(sum.Planted)+i]; !slices.Equal(r, want) {
			t.Errorf("planted.csv row %d = %v, want %v", len(sum.Planted)+i+2, r, want)
		}
	}

	wantRules := map[string][]string{
		"registry": {"bad_uscc", "bad_uscc", "date_order", "duplicate_uscc", "future_date", "industry_section", "malformed_row",
			"missing_cancelled_on", "missing_required", "out_of_range", "bad_value", "unknown_chamber", "unknown_district", "unknown_value", "uscc_check"},
		"appeals":            {"bad_value", "date_order", "duplicate_id", "emerging_phrase", "orphan", "unknown_category"},
		"innovation":         {"duplicate_id", "orphan", "out_of_range"},
		"donations":          {"duplicate_id", "missing_required", "orphan", "out_of_range", "unknown_program"},
		"chamber_activities": {"unknown_chamber"},
	}
	got := map[string][]string{}
	for _, p := range sum.Planted {
		got[p.Source] = append(got[p.Source], p.Rule)
	}
	for src, rules := range wantRules {
		slices.Sort(rules)
		slices.Sort(got[src])
		if !slices.Equal(got[src], rules) {
			t.Errorf("planted rules of %s = %v, want %v", src, got[src], rules)
		}
	}

	tables := map[string]*table{}
	registry := map[string]bool{}
	reg := readTable(t, dir, "registry/registry.csv")
	for _, r := range reg.records {
		registry[r[0]] = true
	}
	districts := map[string]bool{}
	for _, d := range Districts() {
		districts[d.Code] = true
	}
	for _, p := range sum.Planted {
		tb := tables[p.File]
		if tb == nil {
			tb = readTable(t, dir, p.File)
			tables[p.File] = tb
		}
		if p.Line < 2 || p.Line-2 >= len(tb.records) {
			t.Errorf("%+v: no such line", p)
			continue
		}
		r := tb.records[p.Line-2]
		if p.Rule == "malformed_row" {
			if len(r) == len(tb.header) {
				t.Errorf("%+v: line has %d fields, want a different count", p, len(r))
			}
			continue
		}
		if len(r) != len(tb.header) {
			t.Errorf("%+v: line has %d fields", p, len(r))
			continue
		}
		v := r[tb.col(t, p.Column)]
		earlier := func(col int) bool {
			for _, e := range tb.records[:p.Line-2] {
				if e[col] == r[col] {
					return true
				}
			}
			return false
		}
		ok := true
		switch p.Rule {
		case "bad_uscc":
			ok = !uscc.WellFormed(v)
		case "uscc_check":
			ok = uscc.WellFormed(v) && !uscc.Valid(v)
		case "missing_required":
			ok = v == ""
		case "unknown_value":
			ok = !slices.Contains(ownerships, v)
		case "bad_value":
			_, parsed := parseDate(v)
			ok = !parsed
		case "out_of_range":
			switch p.Source {
			case "innovation":
				rd, _ := strconv.Atoi(v)
				staff, _ := strconv.Atoi(r[tb.col(t, "职工总数")])
				ok = rd > staff
			case "donations":
				f, err := strconv.ParseFloat(v, 64)
				ok = err == nil && f <= 0
			default:
				f, err := strconv.ParseFloat(v, 64)
				ok = err == nil && f < 0
			}
		case "date_order":
			before := map[string]string{"registry": "成立日期", "appeals": "提报时间"}[p.Source]
			a, okA := parseDate(v)
			b, okB := parseDate(r[tb.col(t, before)])
			ok = okA && okB && a.Before(b)
		case "future_date":
			d, parsed := parseDate(v)
			ok = parsed && d.After(testAsOf)
		case "duplicate_uscc":
			// the same row as an earlier one but for a missing 核准日期, so this line loses
			ok = r[tb.col(t, "核准日期")] == "" && slices.ContainsFunc(tb.records[:p.Line-2], func(e []string) bool {
				return e[0] == r[0] && slices.Equal(e[:9], r[:9]) && e[tb.col(t, "核准日期")] != ""
			})
		case "duplicate_id":
			switch p.Source {
			case "innovation":
				ok = slices.ContainsFunc(tb.records[:p.Line-2], func(e []string) bool { return e[0] == r[0] && e[1] == r[1] })
			default:
				ok = earlier(0)
			}
		case "unknown_district":
			ok = !districts[v]
		case "industry_section":
			div, _ := strconv.Atoi(strings.TrimLeft(v, "ABCDEFGHIJKLMNOPQRST")[:2])
			ok = sectionOf(div) == 0
		case "orphan":
			ok = uscc.Valid(v) && !registry[v]
		case "unknown_category":
			ok = !slices.Contains([]string{"融资信贷", "用工人才", "市场准入", "政策落实", "知识产权", "要素保障", "账款拖欠", "涉企执法", "税费", "法律权益", "科技创新", "其他"}, v)
		case "unknown_program":
			ok = !slices.Contains([]string{"万企兴万村", "光彩事业", "教育", "医疗", "救灾", "扶老助残", "其他"}, v)
		case "missing_cancelled_on":
			ok = v == "" && r[tb.col(t, "登记状态")] == "注销"
		case "emerging_phrase":
			ok = strings.Contains(v, PlantedProblem)
		case "unknown_chamber":
			chambers := readTable(t, dir, "chambers/chambers.csv")
			ok = v != "" && !slices.ContainsFunc(chambers.records, func(c []string) bool { return c[0] == v })
		default:
			t.Errorf("%+v: unexpected rule", p)
		}
		if !ok {
			t.Errorf("%+v: line %v does not show the problem (value %q)", p, r, v)
		}
	}
}

func TestRowsScale(t *testing.T) {
	_, small := generate(t, 50000, 3)
	_, large := generate(t, 200000, 3)
	// (appeals: 5% of the register, but at least monitorAppeals below 100,000: checked below)
	for src, lo := range map[string]float64{"registry": 3.9, "innovation": 3, "donations": 2.5, "chambers": 3.9} {
		ratio := float64(large.Rows[src]) / float64(small.Rows[src])
		if ratio < lo || ratio > 16/lo {
			t.Errorf("%s: %d rows at scale 200000, %d at 50000: ratio %.2f", src, large.Rows[src], small.Rows[src], ratio)
		}
	}
	if n := large.Rows["registry"]; n < 200000 || n > 200020 {
		t.Errorf("registry rows = %d at scale 200000", n)
	}
	if n := large.Rows["appeals"]; n != 10000+5 {
		t.Errorf("appeals rows = %d at scale 200000, want 10000 + 5 planted", n)
	}
	if n := small.Rows["appeals"]; n != monitorAppeals+5 {
		t.Errorf("appeals rows = %d at scale 50000, want the floor of %d + 5 planted", n, monitorAppeals)
	}
	if n := large.Rows["innovation"]; n < 2000*2 || n > 2000*6 {
		t.Errorf("innovation rows = %d at scale 200000, want about 2000 declarants × 2…6 years", n)
	}
	if n := large.Rows["donations"]; n < 13000/2 || n > 13000*2 {
		t.Errorf("donations rows = %d at scale 200000, want about 0.065 × scale = 13000", n)
	}
	_, tiny := generate(t, MinScale, 3)
	if tiny.Rows["appeals"] < 300 || tiny.Rows["donations"] < 100 {
		t.Errorf("tiny scale rows %v, want at least 300 appeals and some donations", tiny.Rows)
	}
	if len(tiny.Planted) != len(small.Planted) {
		t.Errorf("tiny scale has %d planted rows, scale 50000 %d", len(tiny.Planted), len(small.Planted))
	}
}

func TestTinyScalePlanted(t *testing.T) {
	for seed := uint64(0); seed < 5; seed++ {
		dir, sum := generate(t, MinScale, seed)
		if len(sum.Planted) != 30 { // 29 dirty rows and the first appeal about the planted new problem
			t.Errorf("seed %d: %d planted rows, want 30", seed, len(sum.Planted))
		}
		for _, p := range sum.Planted {
			tb := readTable(t, dir, p.File)
			if p.Line < 2 || p.Line-2 >= len(tb.records) {
				t.Errorf("seed %d: %+v: no such line", seed, p)
			}
		}
	}
}

func TestOptions(t *testing.T) {
	ctx := context.Background()
	for _, opt := range []Options{
		{Dir: "", Scale: 1000},
		{Dir: t.TempDir(), Scale: 10},
		{Dir: t.TempDir(), Scale: MaxScale + 1},
		{Dir: t.TempDir(), Scale: 1000, AsOf: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)},
	} {
		if _, err := Generate(ctx, opt); err == nil {
			t.Errorf("Generate(%+v) succeeded, want an error", opt)
		}
	}

	// A stray file in a source folder would be read by the pipeline.
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "registry"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "registry", "old.csv"), []byte("x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Generate(ctx, Options{Dir: dir, Scale: 1000}); err == nil || !strings.Contains(err.Error(), "old.csv") {
		t.Errorf("Generate into a folder with a stray file: err = %v, want one naming old.csv", err)
	}

	// Regenerating into the same folder is fine, and the default as-of date is 2026-10-31.
	dir = t.TempDir()
	for range 2 {
		sum, err := Generate(ctx, Options{Dir: dir, Scale: 1000})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(sum.Files, "appeals/appeals_2026.csv") || slices.Contains(sum.Files, "appeals/appeals_2027.csv") {
			t.Errorf("files %v, want appeals up to 2026", sum.Files)
		}
	}

	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := Generate(cctx, Options{Dir: t.TempDir(), Scale: 1000}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled Generate: err = %v, want context.Canceled", err)
	}
}

func TestProgress(t *testing.T) {
	var calls, last, total int64
	_, err := Generate(context.Background(), Options{Dir: t.TempDir(), Scale: 20000, Seed: 1, Progress: func(done, tot int64) {
		calls++
		if done < last || (total != 0 && tot != total) {
			t.Errorf("progress (%d, %d) after (%d, %d)", done, tot, last, total)
		}
		last, total = done, tot
	}})
	if err != nil {
		t.Fatal(err)
	}
	if last != total || total == 0 {
		t.Errorf("last progress (%d, %d), want done = total", last, total)
	}
	if calls < 10 || calls > 110 {
		t.Errorf("%d progress calls, want about 100", calls)
	}
}

func TestAsOfRespected(t *testing.T) {
	asOf := time.Date(2024, 6, 30, 0, 0, 0, 0, time.UTC)
	dir := t.TempDir()
	sum, err := Generate(context.Background(), Options{Dir: dir, Scale: 3000, Seed: 2, AsOf: asOf})
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(sum.Files, "appeals/appeals_2025.csv") {
		t.Error("appeals of 2025 with as-of 2024-06-30")
	}
	planted := plantedLines(sum)
	for _, rel := range sum.Files {
		if rel == "planted.csv" || !strings.HasSuffix(rel, ".csv") {
			continue
		}
		tb := readTable(t, dir, rel)
		for i, r := range tb.records {
			if _, ok := planted[rel][i+2]; ok {
				continue
			}
			for c, v := range r {
				if d, ok := parseDate(v); ok && len(v) >= 8 && d.After(asOf.Add(24*time.Hour-time.Second)) {
					t.Errorf("%s:%d: %s = %s after the as-of date", rel, i+2, tb.header[c], v)
				}
			}
			if c := slices.Index(tb.header, "年度"); c >= 0 && rel == "innovation/innovation.csv" {
				if y, _ := strconv.Atoi(r[c]); y > 2023 {
					t.Errorf("%s:%d: declaration year %d with as-of 2024-06-30", rel, i+2, y)
				}
			}
		}
	}
}

// TestRegenerateEntity checks the promise that an entity is a pure function
// of (Seed, index): the registry line of index i is regenerated alone.
func TestRegenerateEntity(t *testing.T) {
	dir, sum := generate(t, 2000, 11)
	g, err := newGen(context.Background(), Options{Dir: t.TempDir(), Scale: 2000, Seed: 11, AsOf: testAsOf})
	if err != nil {
		t.Fatal(err)
	}
	reg := readTable(t, dir, "registry/registry.csv")
	planted := plantedLines(sum)["registry/registry.csv"]
	x := newRnd()
	idx := int64(0)
	for i, rec := range reg.records {
		if _, ok := planted[i+2]; ok {
			continue
		}
		if idx%97 == 0 {
			var e entity
			var r row
			g.core(x, idx, &e)
			g.registryRow(x, &e, &r)
			if got := r.strings(); !slices.Equal(got, rec) {
				t.Errorf("entity %d regenerated as %v, file has %v", idx, got, rec)
			}
		}
		idx++
	}
}

func TestCodeBijection(t *testing.T) {
	gcd := func(a, b uint64) uint64 {
		for b != 0 {
			a, b = b, a%b
		}
		return a
	}
	if gcd(newMul, newSpace) != 1 || gcd(oldMul, oldSpace) != 1 {
		t.Fatal("multipliers are not coprime with their spaces")
	}
	if uint64(maxIndex)*newMul/newMul != uint64(maxIndex) || uint64(maxIndex)*oldMul/oldMul != uint64(maxIndex) {
		t.Fatal("index × multiplier overflows")
	}
	if MaxScale+extraCount > maxIndex {
		t.Fatal("MaxScale leaves no room for the extra indexes")
	}
}

var benchScale = flag.Int("demo.scale", 100000, "registry rows of BenchmarkGenerate")

// BenchmarkGenerate measures a whole data set at -demo.scale (default 100000)
// and reports registry rows and all rows written per second.
func BenchmarkGenerate(b *testing.B) {
	var rows, registry int64
	for b.Loop() {
		sum, err := Generate(context.Background(), Options{Dir: b.TempDir(), Scale: *benchScale, Seed: 1, AsOf: testAsOf})
		if err != nil {
			b.Fatal(err)
		}
		registry += sum.Rows["registry"]
		for _, n := range sum.Rows {
			rows += n
		}
	}
	b.ReportMetric(float64(registry)/b.Elapsed().Seconds(), "registry-rows/s")
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkRegistryRows measures one worker generating registry lines,
// without writing them.
func BenchmarkRegistryRows(b *testing.B) {
	g, err := newGen(context.Background(), Options{Dir: b.TempDir(), Scale: 1000000, Seed: 1, AsOf: testAsOf})
	if err != nil {
		b.Fatal(err)
	}
	c := &chunk{}
	x, side, e, r := newRnd(), newRnd(), &entity{}, &row{}
	n := 0
	for b.Loop() {
		c.first = int64(n%200) * chunkSize
		g.fill(c, chunkSize, x, side, e, r)
		n++
	}
	b.ReportMetric(float64(n*chunkSize)/b.Elapsed().Seconds(), "rows/s")
}
