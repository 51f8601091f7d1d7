package ingest

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// hostile is one row of the conformance test: the base row of its source (the contract's
// examples) with one value changed, and what the contract says must become of it.
type hostile struct {
	column string            // the column whose value is hostile
	value  string            // its value
	set    map[string]string // other values the case needs
	reject string            // the reject rule expected, naming column (or the key for a duplicate)
	rejCol string            // the column the reject names, when not column
	flag   string            // else the flag column expected set (its ref_sources.flag_when holds)
	cond   string            // else a condition over the clean row that must hold
	why    string            // the contract's field the case comes from
}

// codeRuleCases are the hostile values of the rules that need code (codeRules): a rule
// without a case fails TestContractConformance.
var codeRuleCases = map[string][]hostile{
	"uscc_check": {
		{value: "12345", reject: "bad_uscc"},
		{value: "91990100MA12345676", flag: "uscc_valid"}, // wrong check character
	},
	"registration_status": {
		{value: "吊销，已注销", set: map[string]string{"cancelled_on": "2022-01-01"}, cond: "status = 'cancelled' AND status_raw = '吊销，已注销' AND NOT missing_cancelled_on"},
		{value: "迁出", set: map[string]string{"cancelled_on": "2022-01-01"}, cond: "status = 'moved_out'"},
	},
	"industry_code": {
		{value: "Z99", flag: "industry_section"},
		{value: "3911", cond: "industry_division = '39' AND industry_section = 'C'"},
	},
	"closed_needs_date": {
		{value: "", set: map[string]string{"status": "注销"}, flag: "missing_cancelled_on"},
	},
	"name_tail": {
		{value: "示例省示例市（集团）数据出境评有限公司（筹）", cond: "name_tail = '据出境评'"},
		{value: "华信(上海)科技股份有限公司", cond: "name_tail = '华信科技'"},
		{value: "（未闭合示例市某某合伙企业", cond: "name_tail = '例市某某'"},
		{value: "小店", cond: "name_tail = '小'"},
		{value: "俱乐部", cond: "name_tail = '俱乐'"},
		{value: "股份有限公司", cond: "name_tail = ''"},
		{value: "示例市数据出境评估有限合伙企业", cond: "name_tail = '出境评估'"},
	},
}

// contractCases derives the hostile rows of source s from its contract: for every column,
// one row breaking each rule it declares.
func contractCases(t *testing.T, s Source) []hostile {
	var out []hostile
	for _, c := range s.Columns {
		add := func(h hostile) {
			h.column = c.Name
			if h.reject != "" && h.why == "" {
				h.why = h.reject
			}
			out = append(out, h)
		}
		if c.Required {
			add(hostile{value: "", reject: "missing_required", why: "Required"})
		}
		switch c.Type {
		case Date, Timestamp, Money, Integer, Year, Boolean:
			add(hostile{value: "不是值", reject: "bad_value", why: "Type"})
		}
		if c.Pattern != "" {
			add(hostile{value: "12a", reject: "bad_value", why: "Pattern"})
		}
		if len(c.Values) > 0 {
			add(hostile{value: "不在清单内", reject: "unknown_value", why: "Values"})
		}
		switch c.Range {
		case NonNegative:
			add(hostile{value: "-1", reject: "out_of_range", why: "Range"})
		case Positive:
			add(hostile{value: "0", reject: "out_of_range", why: "Range"})
		}
		if c.AtLeast != "" {
			other, _ := s.Column(c.AtLeast)
			n, err := strconv.Atoi(other.Example)
			if err != nil || n < 1 {
				t.Fatalf("%s.%s: AtLeast %s needs a positive example", s.Name, c.Name, c.AtLeast)
			}
			add(hostile{value: strconv.Itoa(n - 1), reject: "out_of_range", why: "AtLeast"})
		}
		if c.After != "" {
			add(hostile{value: "1990-01-01", reject: "date_order", why: "After"})
		}
		if c.Type == Date || c.Type == Timestamp {
			// The columns that may not precede this one are left empty, or their date_order
			// would come first.
			set := map[string]string{}
			for _, d := range s.Columns {
				if d.After == c.Name {
					set[d.Name] = ""
				}
			}
			add(hostile{value: "2999-01-01", set: set, reject: "future_date", why: "future date"})
		}
		if fb := c.Fallback; fb != nil {
			add(hostile{value: "不在清单内", flag: fb.Flag, why: "Fallback"})
			add(hostile{value: "不在清单内", cond: c.Name + " = '" + fb.Other + "'", why: "Fallback"})
		}
		if r := c.Ref; r != nil {
			for _, f := range r.Flags {
				add(hostile{value: "NOTTHERE", flag: f, why: "Ref"})
				if !c.Required && r.IfEmpty {
					add(hostile{value: "", flag: f, why: "Ref.IfEmpty"})
				}
			}
		}
		if c.Masked != "" {
			add(hostile{value: "请王经理回电13812345678", cond: "NOT contains(" + c.Masked + ", '13812345678')", why: "Masked"})
			// Rejected, its line in rejects.raw is masked too (checked below).
			for _, d := range s.Columns {
				if d.Required && d.Name != c.Name {
					add(hostile{value: "请王经理回电13812345678", set: map[string]string{d.Name: ""}, reject: "missing_required", rejCol: d.Name, why: "Masked"})
					break
				}
			}
		}
		if c.Rule != "" {
			cases, ok := codeRuleCases[c.Rule]
			if !ok {
				t.Errorf("%s.%s: rule %s has no case in codeRuleCases", s.Name, c.Name, c.Rule)
			}
			for _, h := range cases {
				h.why = "Rule " + c.Rule
				add(h)
			}
		}
	}
	if len(s.Key) > 0 {
		out = append(out, hostile{column: "", reject: s.dupRule(), why: "Key"})
	}
	return out
}

// keyVariant returns a value of key column c for row n of a file, unique per n (n = 0: the
// example itself).
func keyVariant(t *testing.T, c Column, n int) string {
	if n == 0 {
		return c.Example
	}
	switch {
	case c.Rule == "uscc_check":
		base := fmt.Sprintf("91990100MA%07d", n)
		for _, ch := range usccAlphabet {
			if usccCheck(base+string(ch)) == usccOK {
				return base + string(ch)
			}
		}
		t.Fatalf("no check character for %s", base)
	case c.Pattern != "":
		return fmt.Sprintf("%06d", 100000+n)
	case c.Type == Year:
		return strconv.Itoa(1900 + n)
	}
	return c.Example + "-" + strconv.Itoa(n)
}

// TestContractConformance: for every source and every column of the contract, a row that
// breaks each rule the contract declares for it is rejected under that rule, or loaded with
// the flag the contract names (read from ref_sources.flag_when); the row of the contract's
// examples itself loads clean, without a flag, in every source. The cases are derived from
// Sources(): a new column or rule gets its hostile rows without a change here (a rule that
// needs code, in codeRuleCases).
func TestContractConformance(t *testing.T) {
	dir := t.TempDir()
	type expect struct {
		source string
		line   int
		h      hostile
	}
	var expects []expect
	for _, s := range Sources() {
		var buf bytes.Buffer
		w := csv.NewWriter(&buf)
		var header []string
		for _, c := range s.Columns {
			header = append(header, c.Title())
		}
		w.Write(header)
		lastKey := ""
		if len(s.Key) > 0 {
			lastKey = s.Key[len(s.Key)-1]
		}
		row := func(n int, h hostile) []string {
			var rec []string
			for _, c := range s.Columns {
				v := c.Example
				if c.Name == lastKey {
					v = keyVariant(t, c, n)
				}
				if x, ok := h.set[c.Name]; ok {
					v = x
				}
				if c.Name == h.column {
					v = h.value
				}
				rec = append(rec, v)
			}
			return rec
		}
		w.Write(row(0, hostile{}))
		for i, h := range contractCases(t, s) {
			n := i + 1
			if h.reject == s.dupRule() && h.column == "" {
				n = 0 // the base row again: it loses
				if s.KeepLatest != "" {
					h.set = map[string]string{s.KeepLatest: "1990-01-01"}
				}
			}
			w.Write(row(n, h))
			expects = append(expects, expect{s.Name, i + 3, h})
		}
		w.Flush()
		writeFile(t, dir, s.Name+"/contract.csv", buf.Bytes())
	}
	// A file without a column that has IfAbsent.
	for _, s := range Sources() {
		for _, c := range s.Columns {
			if c.IfAbsent == "" {
				continue
			}
			var header, rec []string
			for _, d := range s.Columns {
				if d.Name == c.Name {
					continue
				}
				header, rec = append(header, d.Title()), append(rec, d.Example)
				if slices.Contains(s.Key, d.Name) {
					rec[len(rec)-1] = keyVariant(t, d, 9999)
				}
			}
			writeFile(t, dir, s.Name+"/zz_no_"+c.Name+".csv", []byte(strings.Join(header, ",")+"\n"+strings.Join(rec, ",")+"\n"))
			expects = append(expects, expect{s.Name, 2, hostile{column: c.Name, cond: c.AbsentFlag + " AND " + c.Name + " = " + c.IfAbsent, why: "IfAbsent"}})
		}
	}

	db := openDB(t)
	if _, err := runIngest(t, db, dir, func(o *Options) { o.Districts = nil }); err != nil {
		t.Fatal(err)
	}
	flagWhen := map[string]string{} // source.flag → condition
	var anyFlag = map[string][]string{}
	for _, r := range query(t, db, "SELECT source, column_name, flag_when FROM ref_sources WHERE flag_when <> '' ORDER BY source, column_order") {
		p := strings.Split(r, "|")
		flagWhen[p[0]+"."+p[1]] = p[2]
		anyFlag[p[0]] = append(anyFlag[p[0]], "("+p[2]+")")
	}
	n := 0
	for _, s := range Sources() {
		// The row of examples loads, unflagged.
		cond := "false"
		if len(anyFlag[s.Name]) > 0 {
			cond = strings.Join(anyFlag[s.Name], " OR ")
		}
		got := query(t, db, "SELECT count(*), count(*) FILTER (WHERE "+cond+") FROM main."+s.Name+" WHERE source_file = $1 AND source_line = '2'", s.Name+"/contract.csv")
		if got[0] != "1|0" {
			t.Errorf("%s: the row of the contract's examples: %s (loaded|flagged), want 1|0 (rejects: %v)", s.Name, got[0],
				query(t, db, "SELECT rule, column_name, value FROM rejects WHERE source = $1 AND file = $2 AND line = '2'", s.Name, s.Name+"/contract.csv"))
		}
	}
	for _, e := range expects {
		n++
		file := e.source + "/contract.csv"
		if e.h.why == "IfAbsent" {
			file = e.source + "/zz_no_" + e.h.column + ".csv"
		}
		line := strconv.Itoa(e.line)
		what := fmt.Sprintf("%s.%s = %q (%s), line %s", e.source, e.h.column, e.h.value, e.h.why, line)
		rejected := query(t, db, "SELECT rule || ':' || coalesce(column_name, '') FROM rejects WHERE source = $1 AND file = $2 AND line = $3", e.source, file, line)
		if e.h.reject != "" {
			col := e.h.column
			if e.h.rejCol != "" {
				col = e.h.rejCol
			}
			if col == "" {
				col = strings.Join(Sources()[slices.IndexFunc(Sources(), func(x Source) bool { return x.Name == e.source })].Key, ",")
			}
			if want := e.h.reject + ":" + col; len(rejected) != 1 || rejected[0] != want {
				t.Errorf("%s: rejects %v, want %s", what, rejected, want)
			}
			continue
		}
		if len(rejected) != 0 {
			t.Errorf("%s: rejected %v, want it loaded", what, rejected)
			continue
		}
		var conds []string
		if e.h.flag != "" {
			fw, ok := flagWhen[e.source+"."+e.h.flag]
			if !ok {
				t.Errorf("%s: ref_sources has no flag_when for flag %s", what, e.h.flag)
				continue
			}
			conds = append(conds, fw)
		}
		if e.h.cond != "" {
			conds = append(conds, e.h.cond)
		}
		got := query(t, db, "SELECT count(*) FROM main."+e.source+" WHERE source_file = $1 AND source_line = $2 AND ("+strings.Join(conds, ") AND (")+")", file, line)
		if got[0] != "1" {
			t.Errorf("%s: the loaded row does not satisfy %s", what, strings.Join(conds, " AND "))
		}
	}
	// A rejected row of a source with a masked text has its raw line masked too.
	for _, r := range query(t, db, "SELECT source, line FROM rejects WHERE contains(raw, '13812345678')") {
		t.Errorf("rejects.raw of %s holds the phone number unmasked", r)
	}
	if got := query(t, db, "SELECT count(*) FROM rejects WHERE contains(raw, '回电')"); got[0] == "0" {
		t.Errorf("no rejected row with a masked text was checked")
	}
	if n < 100 {
		t.Errorf("only %d hostile rows were checked", n)
	}
	t.Logf("%d hostile rows checked", n)
}
