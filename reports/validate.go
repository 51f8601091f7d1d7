package reports

import (
	"fmt"
	"strings"
)

// ColumnKind is what a query's result column holds, as far as a chapter cares.
type ColumnKind int

// The kinds of a column, from its SQL type.
const (
	KindOther  ColumnKind = iota // lists, structs, blobs…
	KindNumber                   // integers, decimals, floats
	KindText                     // VARCHAR, ENUM
	KindDate                     // DATE, TIMESTAMP
	KindBool                     // BOOLEAN
)

func (k ColumnKind) String() string {
	switch k {
	case KindNumber:
		return "numbers"
	case KindText:
		return "text"
	case KindDate:
		return "dates"
	case KindBool:
		return "true/false values"
	}
	return "values of another type"
}

// Schema is a query's result columns, as DuckDB binds them without data.
type Schema struct {
	Columns []string
	Kinds   []ColumnKind // one per column
}

func (s Schema) kind(name string) (ColumnKind, bool) {
	for i, c := range s.Columns {
		if c == name {
			return s.Kinds[i], true
		}
	}
	return KindOther, false
}

// Validate checks the chapters against the result columns of their queries, without
// data: every {{query.col | format}} and {{if query.col}}, chart and table block names a
// column its query returns, a chart's values are numbers, and a format fits the type of
// its column. schemas maps Query.ID to its result; a query without one (it failed to
// bind, and that was reported) is skipped. Every mistake is returned at once, each a
// *diag.Error at its place.
func (b *Book) Validate(schemas map[string]Schema) error {
	var errs errorList
	for _, c := range b.chapters {
		v := &validator{c: c, schemas: schemas, errs: &errs}
		v.chapter()
	}
	return errs.err()
}

type validator struct {
	c       *chapter
	schemas map[string]Schema
	errs    *errorList
}

func (v *validator) schema(query string) (Schema, bool) {
	s, ok := v.schemas[v.c.stem+"."+query]
	return s, ok
}

// column checks that query returns column, reported at at; it returns the column's kind.
func (v *validator) column(query, column string, at pos) (ColumnKind, bool) {
	s, ok := v.schema(query)
	if !ok {
		return KindOther, false
	}
	k, found := s.kind(column)
	if !found {
		e := v.errs.add(v.c.file, at, "query %s has no column %q (it has: %s)", query, column, strings.Join(s.Columns, ", "))
		if c := closestName(column, s.Columns); c != "" {
			e.Hint = fmt.Sprintf("did you mean %q?", c)
		}
		return KindOther, false
	}
	return k, true
}

// format checks that a value of kind k can be shown with format f.
func (v *validator) format(f string, k ColumnKind, column string, at pos) {
	switch {
	case f == "" || k == KindOther:
	case f == "date":
		if k != KindDate && k != KindText {
			v.errs.add(v.c.file, at, "format date needs a date, but column %s holds %s", column, k)
		}
	default:
		if k != KindNumber {
			v.errs.add(v.c.file, at, "format %s needs a number, but column %s holds %s", f, column, k)
		}
	}
}

func (v *validator) ref(r *ref) {
	if r == nil || r.builtin != "" {
		return
	}
	if k, ok := v.column(r.query, r.column, r.columnAt); ok {
		v.format(r.format, k, r.column, r.formatAt)
	}
}

func (v *validator) text(t text) {
	for _, s := range t {
		v.ref(s.ref)
	}
}

// numbers checks chart fields that must hold numbers, shown with format.
func (v *validator) numbers(data string, fields []field, format string) {
	for _, f := range fields {
		if f.name == "" {
			continue
		}
		k, ok := v.column(data, f.name, f.at)
		if !ok {
			continue
		}
		if k != KindNumber {
			v.errs.add(v.c.file, f.at, "column %q holds %s; a chart needs numbers", f.name, k)
			continue
		}
		v.format(format, k, f.name, f.at)
	}
}

// categories checks chart fields of any type.
func (v *validator) categories(data string, fields ...field) {
	for _, f := range fields {
		if f.name != "" {
			v.column(data, f.name, f.at)
		}
	}
}

func (v *validator) chapter() {
	v.text(v.c.title)
	for _, b := range v.c.blocks {
		v.text(b.text)
		for _, it := range b.items {
			v.text(it)
		}
		for _, row := range b.rows {
			for _, cell := range row {
				v.text(cell)
			}
		}
		for _, c := range b.conds {
			v.ref(c.ref)
		}
		for _, k := range b.kpis {
			v.text(k.label)
			v.text(k.value)
			v.text(k.change)
			v.text(k.note)
		}
		if s := b.chart; s != nil {
			v.text(s.title)
			v.text(s.note)
			for _, t := range s.axisNames {
				v.text(t)
			}
			v.chart(s)
		}
		if s := b.table; s != nil {
			v.text(s.title)
			v.text(s.note)
			v.text(s.empty)
			for _, c := range s.columns {
				if k, ok := v.column(s.data, c.name, c.at); ok {
					v.format(c.format, k, c.name, c.at)
				}
			}
		}
	}
}

// chart checks a chart's fields as its kind reads them (see chartBuilder.build).
func (v *validator) chart(s *chartSpec) {
	if _, ok := v.schema(s.data); !ok {
		return
	}
	switch s.kind {
	case "heatmap":
		var y field
		if len(s.y) > 0 {
			y = s.y[0]
		}
		v.categories(s.data, s.x, y)
		v.numbers(s.data, []field{s.value}, s.format)
	case "pie", "rose":
		v.categories(s.data, s.x)
		if len(s.y) > 0 {
			v.numbers(s.data, s.y[:1], s.format)
		}
	default:
		v.categories(s.data, s.x, s.series)
		v.numbers(s.data, s.y, s.format)
		v.numbers(s.data, s.line, s.lineFormat)
	}
}

// KindOf says what a column of the DuckDB type typ (as database/sql names it: INTEGER,
// DECIMAL(18,2), VARCHAR, DATE, ENUM…) holds.
func KindOf(typ string) ColumnKind {
	t := strings.ToUpper(typ)
	if i := strings.IndexByte(t, '('); i >= 0 {
		t = t[:i]
	}
	switch t {
	case "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER",
		"UBIGINT", "UHUGEINT", "FLOAT", "DOUBLE", "DECIMAL", "REAL":
		return KindNumber
	case "VARCHAR", "ENUM", "UUID":
		return KindText
	case "DATE", "TIMESTAMP", "TIMESTAMPTZ", "TIMESTAMP_S", "TIMESTAMP_MS", "TIMESTAMP_NS":
		return KindDate
	case "BOOLEAN":
		return KindBool
	}
	return KindOther
}

// String is for messages in tests.
func (s Schema) String() string {
	parts := make([]string, len(s.Columns))
	for i, c := range s.Columns {
		parts[i] = fmt.Sprintf("%s %s", c, s.Kinds[i])
	}
	return strings.Join(parts, ", ")
}

// Closest suggests the name of names nearest to name by edit distance, ignoring case,
// when one is near: "; did you mean …?", or "". The pipeline's messages use it too.
func Closest(name string, names []string) string {
	best := closestName(name, names)
	if best == "" {
		return ""
	}
	return fmt.Sprintf("; did you mean %q?", best)
}

// closestName is the name of names nearest to name by edit distance, ignoring case, when
// one is near, else "".
func closestName(name string, names []string) string {
	best, bestD := "", 3
	for _, n := range names {
		if d := EditDistance(strings.ToLower(name), strings.ToLower(n)); d < bestD && d < max(2, len([]rune(name))/2) {
			best, bestD = n, d
		}
	}
	return best
}

// EditDistance is the Levenshtein distance between a and b, in characters.
func EditDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur := make([]int, len(rb)+1)
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(rb)]
}
