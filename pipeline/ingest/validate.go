package ingest

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"bluebook/duck"
)

// params collects the values bound to a generated statement as $1, $2, …
type params struct{ args []any }

// p binds v and returns its placeholder.
func (ps *params) p(v any) string {
	ps.args = append(ps.args, v)
	return "$" + strconv.Itoa(len(ps.args))
}

// inList returns a condition that is true when expr is one of vals (NULL when expr is
// NULL). It is a CASE, not `expr IN (…)`: DuckDB rewrites an IN list into a join, which
// costs half a second per million rows.
func (ps *params) inList(expr string, vals []string) string {
	if len(vals) == 0 {
		return "false"
	}
	var b strings.Builder
	b.WriteString("CASE WHEN " + expr + " IS NULL THEN NULL")
	for _, v := range vals {
		b.WriteString(" WHEN " + expr + " = " + ps.p(v) + " THEN true")
	}
	b.WriteString(" ELSE false END")
	return b.String()
}

// check is one rule tested on a row: the first check that holds, in order, rejects it.
type check struct {
	rule   string
	column string // "" for a whole-row rule
	cond   string // SQL condition over the inner select
	value  string // SQL expression of the offending value
}

// validation is the generated SQL for one source.
type validation struct {
	trimmed []string // trimmed values s_… over the raw text r
	inner   []string // typed values p_… over the trimmed ones
	checks  []check
	clean   map[string]string // expressions of the stored columns over the validated rows v, by name
}

// trimExpr trims the spaces around x and turns an empty value into NULL. trim() copies
// every string, which costs more than all the parsing; most values have no spaces to trim.
func trimExpr(x string) string {
	return "CASE WHEN starts_with(" + x + ", ' ') OR ends_with(" + x + ", ' ') THEN nullif(trim(" + x + "), '') ELSE nullif(" + x + ", '') END"
}

// sv is the trimmed value of column c, NULL when empty; code columns are also upper-cased.
func sv(c string) string { return "s_" + c }

// pv is the typed value of column c.
func pv(c string) string { return "p_" + c }

// rawv is the original value of column c.
func rawv(c string) string { return "r." + duck.Ident(c) }

// dateExpr parses the trimmed text s as a date: 2025-03-07, 2025/3/7, 20250307,
// 2025年3月7日, each optionally followed by a midnight time.
func dateExpr(s string) string {
	return "coalesce(TRY_CAST(" + s + " AS DATE), CAST(try_strptime(" + s +
		", ['%Y%m%d', '%Y年%m月%d日', '%Y.%m.%d', '%Y-%m-%d 00:00:00', '%Y/%m/%d 00:00:00', '%Y-%m-%d 00:00', '%Y/%m/%d 00:00']) AS DATE))"
}

// timestampExpr parses s as a timestamp: a date as in dateExpr with an optional HH:MM[:SS].
func timestampExpr(s string) string {
	return "coalesce(TRY_CAST(" + s + " AS TIMESTAMP), try_strptime(" + s +
		", ['%Y%m%d', '%Y%m%d %H:%M:%S', '%Y%m%d %H:%M', '%Y年%m月%d日', '%Y年%m月%d日 %H:%M:%S', '%Y年%m月%d日 %H:%M', '%Y年%m月%d日%H:%M:%S', '%Y年%m月%d日%H:%M', '%Y/%m/%d %H:%M', '%Y.%m.%d', '%Y.%m.%d %H:%M:%S', '%Y.%m.%d %H:%M']))"
}

// integerExpr parses s as a whole number; `12.0` is accepted, `12.5` is not. (A cast
// through DECIMAL(38,6) would be a hundred times slower: it computes in 128 bits.)
func integerExpr(s, typ string) string {
	return "CASE WHEN contains(" + s + ", '.') THEN CASE WHEN regexp_full_match(" + s + ", '[+-]?[0-9]+\\.0*') THEN TRY_CAST(split_part(" + s + ", '.', 1) AS " + typ + ") END ELSE TRY_CAST(" + s + " AS " + typ + ") END"
}

// groupedExpr removes the thousands separators of a number written like 1,234,567.89
// (as spreadsheets export formatted cells); anything else is left for the cast to judge.
func groupedExpr(s string) string {
	return "CASE WHEN contains(" + s + ", ',') AND regexp_full_match(" + s + ", '[+-]?[0-9]{1,3}(,[0-9]{3})+(\\.[0-9]*)?') THEN replace(" + s + ", ',', '') ELSE " + s + " END"
}

// boolExpr parses s as a boolean: 是/否, Y/N, 1/0, true/false, yes/no in any case.
func boolExpr(s string) string {
	// 是 and 否 first, without lower(), which copies every value.
	return "CASE " + s + " WHEN '是' THEN true WHEN '否' THEN false ELSE CASE lower(" + s + ") WHEN 'y' THEN true WHEN 'yes' THEN true WHEN '1' THEN true WHEN 'true' THEN true WHEN 't' THEN true " +
		"WHEN 'n' THEN false WHEN 'no' THEN false WHEN '0' THEN false WHEN 'false' THEN false WHEN 'f' THEN false END END"
}

// mapExpr maps s through pairs (accepted value → canonical value) to a value of
// enumType(pairs); anything else is NULL.
func (ps *params) mapExpr(s string, pairs [][2]string) string {
	var b strings.Builder
	typ := enumType(pairs)
	b.WriteString("CASE " + s)
	for _, p := range pairs {
		b.WriteString(" WHEN " + ps.p(p[0]) + " THEN CAST(" + ps.p(p[1]) + " AS " + typ + ")")
	}
	b.WriteString(" END")
	return b.String()
}

// mappedColumns gives the columns of src whose accepted values map onto a closed list of
// canonical values (anything else is rejected as unknown_value), with the mapping.
func mappedColumns(src Source) map[string][][2]string {
	out := map[string][][2]string{}
	for _, c := range src.Columns {
		if len(c.Values) > 0 {
			out[c.Name] = c.Values
		}
	}
	return out
}

// enumType is the SQL type ENUM of the canonical values of pairs, in their first order. A
// rows table stores a mapped column as this ENUM (1 byte a row) and its views cast it to
// text: a text column, even of a few distinct values, costs two to three times as much to
// write (BenchmarkColumnWrite).
func enumType(pairs [][2]string) string {
	var vals []string
	for _, p := range pairs {
		if v := duck.Literal(p[1]); !slices.Contains(vals, v) {
			vals = append(vals, v)
		}
	}
	return "ENUM(" + strings.Join(vals, ", ") + ")"
}

// divisionExpr is the 2-digit GB/T 4754 division of industry code c (an optional letter,
// then 2-4 digits), NULL when c has another form. (A regular expression: ltrim with a set
// of characters, tried instead, costs seven times more in DuckDB 1.5.)
func divisionExpr(c string) string {
	return "nullif(regexp_extract(" + c + ", '^[A-Za-z]?([0-9]{2})[0-9]{0,2}$', 1), '')"
}

// usccCheckExpr classifies the credit code u through the Go function bluebook_uscc_check
// (see usccCheck): 0 valid, 1 bad_uscc, 2 wrong check character.
func usccCheckExpr(u string) string {
	return usccFunc + "(" + u + ")"
}

// parentSetType is the ENUM type holding the values of a reference with Enum (the district
// codes and chamber ids while the registry loads): a cast to it is a hash lookup that keeps
// the order of the rows, where IN (SELECT …) is a join that does not, so the registry's
// unknown_district and unknown_chamber are set by its INSERT instead of a later UPDATE of
// every row. It returns the type's name and the query of its values.
func parentSetType(ref *Ref) (name, values string) {
	col := duck.Ident(ref.Column)
	return "bluebook_ingest_" + ref.Source, "SELECT DISTINCT " + col + " FROM main." + duck.Ident(ref.Source) + " WHERE " + col + " IS NOT NULL"
}

// parentFlagExpr is the flag a reference with Enum of column c sets for value x (an empty
// value gives Ref.IfEmpty; see parentFlagsSet). Without a list, every value is unknown.
func parentFlagExpr(fc fileRules, c Column, x string) string {
	unknown := "true"
	if fc.parentSets[c.Name] {
		name, _ := parentSetType(c.Ref)
		unknown = "TRY_CAST(" + x + " AS " + name + ") IS NULL"
	}
	if !c.Ref.IfEmpty {
		return "CASE WHEN " + x + " IS NULL THEN false ELSE " + unknown + " END"
	}
	return "(" + unknown + ")"
}

// statusExpr maps the registration status text s (NULL when empty) to active, revoked,
// cancelled, moved_out or other.
func statusExpr(s string) string {
	return "CASE WHEN " + s + " IS NULL THEN 'other'" +
		" WHEN starts_with(" + s + ", '吊销') AND contains(" + s + ", '已注销') THEN 'cancelled'" +
		" WHEN starts_with(" + s + ", '吊销') THEN 'revoked'" +
		" WHEN starts_with(" + s + ", '注销') OR starts_with(" + s + ", '撤销') THEN 'cancelled'" +
		" WHEN starts_with(" + s + ", '迁出') THEN 'moved_out'" +
		" WHEN starts_with(" + s + ", '存续') OR starts_with(" + s + ", '在业') OR starts_with(" + s + ", '在营') OR starts_with(" + s + ", '开业') OR starts_with(" + s + ", '在册') THEN 'active'" +
		" ELSE coalesce(CASE lower(" + s + ") WHEN 'active' THEN 'active' WHEN 'revoked' THEN 'revoked' WHEN 'cancelled' THEN 'cancelled' WHEN 'moved_out' THEN 'moved_out' END, 'other') END"
}

// statusCodes are the registry statuses in the order of their codes (1 = active).
var statusCodes = []string{"active", "revoked", "cancelled", "moved_out", "other"}

// statusCodeExpr is the code of status name s; statusNameExpr the name of status code c.
func statusCodeExpr(s string) string { return statusCase(s, true) }

func statusNameExpr(c string) string { return statusCase(c, false) }

// statusCase maps x between statusCodes' names and codes, to the code when toCode.
func statusCase(x string, toCode bool) string {
	var b strings.Builder
	b.WriteString("CASE " + x)
	for i, n := range statusCodes {
		name, code := "'"+n+"'", strconv.Itoa(i+1)
		if toCode {
			b.WriteString(" WHEN " + name + " THEN " + code)
		} else {
			b.WriteString(" WHEN " + code + " THEN " + name)
		}
	}
	b.WriteString(" END")
	return b.String()
}

// sectionNumberExpr derives the GB/T 4754 section letter from the division as a number
// ('?' when unknown): the letter at position d of a constant list of the sections of
// divisions 1-97 (position 0, past the end and NULL give NULL, hence '?'). A CASE of
// BETWEENs, one per section, tried first, cost a third more CPU in a scan that groups
// 10⁷ registry rows by section (monitor_counts): up to 40 comparisons a row.
func sectionNumberExpr(d string) string {
	var letters []string
	for _, s := range sectionRanges() {
		for len(letters) < s.Last {
			letter := "?"
			if len(letters)+1 >= s.First {
				letter = s.Section
			}
			letters = append(letters, "'"+letter+"'")
		}
	}
	return "coalesce([" + strings.Join(letters, ", ") + "][" + d + "], '?')"
}

// fileRules carries what the rules need to know of one file or sheet besides its columns.
type fileRules struct {
	asOf       time.Time
	scaled     map[string]bool // money columns whose header unit was 元
	absent     map[string]bool // the columns with Column.IfAbsent the file lacks: every row takes that value
	noTrim     bool            // no value has a space at either end (the pre-scan saw none)
	parentSets map[string]bool // the ENUM types of the references with Enum exist (see run.parentSets), by column
	badText    bool            // some bytes of the file could not be decoded and read as U+FFFD (see utf8Fixer)
	badExtras  []string        // with badText: the file's columns that map to no canonical column
}

// buildValidation generates the typed values, the checks in rule order, and the clean
// columns of src for the rows of one file or sheet; the values it binds go to ps.
func buildValidation(src Source, fc fileRules, ps *params) *validation {
	v := &validation{clean: map[string]string{}}
	asOf := "CAST(" + ps.p(fc.asOf.Format("2006-01-02")) + " AS DATE)"

	// Inner select: trimmed and typed values of every column.
	for _, c := range src.Columns {
		s := trimExpr(rawv(c.Name))
		if fc.noTrim {
			s = "nullif(" + rawv(c.Name) + ", '')"
		}
		if c.Type == Code {
			s = "upper(" + s + ")"
		}
		v.trimmed = append(v.trimmed, s+" AS "+sv(c.Name))
		x := sv(c.Name)
		var p string
		switch c.Type {
		case Date:
			p = dateExpr(x)
		case Timestamp:
			p = timestampExpr(x)
		case Money:
			x = groupedExpr(x)
			p = "TRY_CAST(" + x + " AS DECIMAL(18,6))"
			if fc.scaled[c.Name] {
				// 元 to 万元. A text cast to DECIMAL(30,6) costs microseconds a value in
				// DuckDB 1.5: it is taken only for values of 10¹² 元 and more.
				p = "CASE WHEN " + p + " IS NOT NULL THEN CAST(" + p + " * 0.0001 AS DECIMAL(18,6)) ELSE TRY_CAST(TRY_CAST(" + x + " AS DECIMAL(30,6)) * 0.0001 AS DECIMAL(18,6)) END"
			}
		case Integer:
			p = integerExpr(groupedExpr(x), "BIGINT")
		case Year:
			p = integerExpr("rtrim("+x+", '年')", "INTEGER")
		case Boolean:
			p = boolExpr(x)
		}
		if p != "" {
			v.inner = append(v.inner, p+" AS "+pv(c.Name))
		}
	}
	// The typed values of the rules that need code.
	for _, c := range src.Columns {
		if r := codeRules[c.Rule]; r.typed != nil {
			v.inner = append(v.inner, r.typed(c))
		}
	}
	enums := mappedColumns(src)
	for _, c := range src.Columns {
		if pairs, ok := enums[c.Name]; ok {
			v.inner = append(v.inner, ps.mapExpr(sv(c.Name), pairs)+" AS "+pv(c.Name))
		}
	}

	// Checks, in the order of the rule table (a malformed row first: its fields are not
	// where the header says, so no other rule can be judged on it).
	add := func(rule, col, cond string) {
		val := "NULL"
		if col != "" {
			val = rawv(col)
		}
		v.checks = append(v.checks, check{rule: rule, column: col, cond: cond, value: val})
	}
	add("malformed_row", "", "r._malformed")
	// A row holding bytes that could not be decoded (read as U+FFFD, see utf8Fixer) is
	// rejected as bad_value, with the first such value, before any rule judges the text
	// around them. The check exists for every file, false where nothing was replaced, so that
	// the number of a check means the same in every file.
	badCond, badVal := "false", "NULL"
	if fc.badText {
		var conds, vals []string
		for _, c := range src.Columns {
			conds = append(conds, "coalesce(contains("+rawv(c.Name)+", '\uFFFD'), false)")
			vals = append(vals, " WHEN contains("+rawv(c.Name)+", '\uFFFD') THEN "+rawv(c.Name))
		}
		for _, e := range fc.badExtras {
			conds = append(conds, "coalesce(contains("+rawv(e)+", '\uFFFD'), false)")
			vals = append(vals, " WHEN contains("+rawv(e)+", '\uFFFD') THEN "+rawv(e))
		}
		badCond, badVal = strings.Join(conds, " OR "), "CASE"+strings.Join(vals, "")+" END"
	}
	v.checks = append(v.checks, check{rule: "bad_value", cond: badCond, value: badVal})
	for _, c := range src.Columns {
		if c.Required {
			add("missing_required", c.Name, sv(c.Name)+" IS NULL")
		}
	}
	for _, c := range src.Columns {
		switch c.Type {
		case Date, Timestamp, Money, Integer, Year, Boolean:
			add("bad_value", c.Name, sv(c.Name)+" IS NOT NULL AND "+pv(c.Name)+" IS NULL")
		}
		if c.Pattern != "" {
			add("bad_value", c.Name, "NOT regexp_full_match("+sv(c.Name)+", "+duck.Literal(c.Pattern)+")")
		}
	}
	for _, c := range src.Columns {
		if r := codeRules[c.Rule]; r.reject != "" {
			add(r.reject, c.Name, r.rejectCond(c))
		}
	}
	for _, c := range src.Columns {
		if _, ok := enums[c.Name]; ok {
			add("unknown_value", c.Name, sv(c.Name)+" IS NOT NULL AND "+pv(c.Name)+" IS NULL")
		}
	}
	for _, c := range src.Columns {
		switch c.Range {
		case NonNegative:
			add("out_of_range", c.Name, pv(c.Name)+" < 0")
		case Positive:
			add("out_of_range", c.Name, pv(c.Name)+" <= 0")
		}
		if c.AtLeast != "" {
			add("out_of_range", c.Name, pv(c.Name)+" < "+pv(c.AtLeast))
		}
	}
	for _, c := range src.Columns {
		if c.After != "" {
			add("date_order", c.Name, pv(c.Name)+" < "+pv(c.After))
		}
	}
	for _, c := range src.Columns {
		switch c.Type {
		case Date:
			add("future_date", c.Name, pv(c.Name)+" > "+asOf)
		case Timestamp:
			add("future_date", c.Name, "CAST("+pv(c.Name)+" AS DATE) > "+asOf)
		}
	}

	// Clean columns over the validated rows v.
	for _, c := range src.Columns {
		e := "v." + sv(c.Name)
		switch {
		case c.IfAbsent != "" && fc.absent[c.Name]:
			e = c.IfAbsent
		case c.Type == Boolean:
			e = "coalesce(v." + pv(c.Name) + ", false)"
		case c.Type != Text && c.Type != Code:
			e = "v." + pv(c.Name)
		case enums[c.Name] != nil:
			v.clean["_"+c.Name] = "v." + pv(c.Name) // stored as an ENUM (see derivedColumns)
			continue
		case c.Fallback != nil:
			e = "CASE WHEN " + ps.inList("v."+sv(c.Name), c.Fallback.Values) + " THEN v." + sv(c.Name) + " ELSE " + duck.Literal(c.Fallback.Other) + " END"
		}
		v.clean[c.Name] = e
	}
	// The flags and derived columns, column by column. The flags that compare with another
	// source (Ref) are left NULL unless the reference has Enum: they are set once the files
	// are in, by parentFlagsSet. A join here would cost a hash table of the other source per
	// file, and DuckDB does not keep the order of the rows through a join, which the
	// numbering of the rows needs (see stage).
	for _, c := range src.Columns {
		if r := codeRules[c.Rule]; r.clean != nil {
			for k, e := range r.clean(c) {
				v.clean[k] = e
			}
		}
		if c.Masked != "" {
			v.clean[c.Masked] = maskFunc + "(v." + sv(c.Name) + ")"
		}
		if c.Ref != nil {
			for _, f := range c.Ref.Flags {
				if c.Ref.Enum {
					v.clean[f] = parentFlagExpr(fc, c, "v."+sv(c.Name))
				} else {
					v.clean[f] = "NULL::BOOLEAN"
				}
			}
		}
		if c.Fallback != nil {
			v.clean[c.Fallback.Flag] = "NOT coalesce(" + ps.inList("v."+sv(c.Name), c.Fallback.Values) + ", false)"
		}
		if c.AbsentFlag != "" {
			v.clean[c.AbsentFlag] = fmt.Sprintf("%v", fc.absent[c.Name])
		}
	}
	return v
}

// dupOrder is the window order that puts the winner of duplicate resolution first.
func dupOrder(src Source) string {
	if src.KeepLatest != "" {
		return duck.Ident(src.KeepLatest) + " DESC NULLS LAST, rowid DESC"
	}
	return "rowid"
}

// flagCondition is true for a clean row that carries any flag of src.
func flagCondition(src Source) string {
	var conds []string
	for _, f := range src.Extra {
		if f.Flags != "" {
			conds = append(conds, fmt.Sprintf(f.Flags, cleanExpr(src, f.Name)))
		}
	}
	if len(conds) == 0 {
		return "false"
	}
	return strings.Join(conds, " OR ")
}
