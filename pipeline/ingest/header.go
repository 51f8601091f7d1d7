package ingest

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"bluebook/diag"
)

// headerMap says where each canonical column of a source comes from in one file or sheet.
type headerMap struct {
	header []string         // the header cells as read
	cols   map[string][]int // canonical column → header positions, in header order
	scale  map[string]bool  // money column whose header unit is 元 (divide by 10,000)
	extras []extraColumn    // headers that map to no canonical column
}

// extraColumn is a header that maps to no canonical column; it is kept in the rows table.
type extraColumn struct {
	pos  int
	name string // normalised header, a safe identifier
}

// splitHeader returns the normalised name of a header cell (lower case, no spaces, no unit
// suffix) and the unit found in a trailing bracket, if any: `注册资本（万元）` → 注册资本, 万元.
func splitHeader(h string) (base, unit string) {
	h = strings.TrimPrefix(h, "\uFEFF")
	h = strings.Map(func(r rune) rune {
		switch r {
		case '（':
			return '('
		case '）':
			return ')'
		case '【':
			return '['
		case '】':
			return ']'
		}
		return r
	}, h)
	h = strings.TrimFunc(h, unicode.IsSpace)
	for _, p := range [][2]string{{"(", ")"}, {"[", "]"}} {
		if strings.HasSuffix(h, p[1]) {
			if i := strings.LastIndex(h, p[0]); i >= 0 {
				unit = strings.TrimFunc(h[i+1:len(h)-1], unicode.IsSpace)
				h = h[:i]
				break
			}
		}
	}
	base = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return unicode.ToLower(r)
	}, h)
	return base, unit
}

// extraName turns a header that maps to no canonical column into a safe column name:
// lower case, brackets normalised, every character that is not a letter, digit or
// underscore replaced by '_'.
func extraName(h string, pos int) string {
	base, unit := splitHeader(h)
	if unit != "" {
		base += "_" + unit
	}
	name := strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' {
			return unicode.ToLower(r)
		}
		return '_'
	}, base)
	name = strings.Trim(name, "_")
	if name == "" {
		name = "column_" + strconv.Itoa(pos+1)
	}
	if unicode.IsDigit([]rune(name)[0]) {
		name = "c_" + name
	}
	return name
}

// acceptedHeaders lists the canonical name and the aliases of c, for error messages.
func acceptedHeaders(c Column) string {
	return strings.Join(append([]string{c.Name}, c.Aliases...), ", ")
}

// mapHeader maps the header cells of one file or sheet onto the columns of src. The error,
// if any, is a *diag.Error naming path, the header's line (row line of sheet in a workbook,
// sheet "" otherwise) and the column of the offending header.
// Extra columns get names that no canonical, flag or provenance column has.
func mapHeader(src Source, path, sheet string, line int, header []string) (*headerMap, error) {
	keys := map[string]string{}
	for _, c := range src.Columns {
		for _, a := range append([]string{c.Name}, c.Aliases...) {
			k, _ := splitHeader(a)
			if _, dup := keys[k]; !dup {
				keys[k] = c.Name
			}
		}
	}
	m := &headerMap{header: header, cols: map[string][]int{}, scale: map[string]bool{}}
	used := map[string]bool{"source_file": true, "source_line": true, "source_row": true, "source_raw": true, "malformed": true}
	for _, c := range cleanColumns(src) {
		used[c.Name] = true
	}
	for _, n := range []string{"rejected", "rejected_value"} {
		used[n] = true
	}
	units := map[string]string{}
	for i, h := range header {
		base, unit := splitHeader(h)
		name, ok := keys[base]
		if !ok || base == "" {
			n := extraName(h, i)
			for k := 2; used[n]; k++ {
				n = extraName(h, i) + "_" + strconv.Itoa(k)
			}
			used[n] = true
			m.extras = append(m.extras, extraColumn{pos: i, name: n})
			continue
		}
		col, _ := src.Column(name)
		if col.Type == Money {
			switch unit {
			case "", "万元", "万":
				unit = "万元"
			case "元":
			default:
				return nil, &diag.Error{Path: path, Sheet: sheet, Line: line, Col: i + 1, Data: true,
					Err: fmt.Errorf("header %q: unit %q is not accepted for the money column %q (use 万元 or 元)", h, unit, name)}
			}
			if prev, seen := units[name]; seen && prev != unit {
				return nil, &diag.Error{Path: path, Sheet: sheet, Line: line, Col: i + 1, Data: true,
					Err: fmt.Errorf("header %q: unit %s differs from the unit %s of an earlier column that also maps to %q", h, unit, prev, name)}
			}
			units[name] = unit
			m.scale[name] = unit == "元"
		}
		m.cols[name] = append(m.cols[name], i)
	}
	for _, c := range src.Columns {
		if c.Required && len(m.cols[c.Name]) == 0 {
			return m, &diag.Error{Path: path, Sheet: sheet, Line: line, Col: 1, Data: true,
				Err: fmt.Errorf("missing required column %q (accepted headers: %s)", c.Name, acceptedHeaders(c))}
		}
	}
	return m, nil
}
