package pipeline

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"bluebook/diag"
	"bluebook/reports"
)

// The findings of the report (docs/methodology.md §12) are driven by three seeds that
// analysts edit: the indicator catalogue, the rule table and the recommendations. A typo in
// any of them (an unknown indicator, a finding kind or placeholder that does not exist)
// would silently drop findings, so `check` and every run report it at file:line:col.
const (
	seedFindingIndicators = "finding_indicators"
	seedFindingRules      = "finding_rules"
	seedRecommendations   = "recommendations"
)

var (
	findingKinds        = []string{"change_1y", "change_5y", "record_high", "record_low", "turn_up", "turn_down", "from_peak"}
	findingFormats      = []string{"count", "money", "pct"}
	findingKindsOfValue = []string{"stock", "flow"}
	findingDirections   = []string{"up", "down", "any"}
	recommendationWhens = []string{"worse", "better", "any", "always"}
	findingPlaceholders = []string{"title", "year", "value", "base_year", "base", "change", "change_1y", "prev_change", "first_year", "direction"}
	placeholderPattern  = regexp.MustCompile(`\{([^{}]*)\}`)
)

// csvCell is one cell of a seed with its position.
type csvCell struct {
	v         string
	line, col int
	present   bool // the record has the field (a short record lacks its last ones)
}

// readSeedTable reads a seed into rows of cells keyed by header name. A parse error or a
// missing column is returned as the only error.
func readSeedTable(shown string, data []byte, need []string) ([]map[string]csvCell, []error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	lines := bytes.Split(data, []byte("\n"))
	col := func(line, byteCol int) int {
		if line < 1 || line > len(lines) || byteCol < 1 || byteCol-1 > len(lines[line-1]) {
			return byteCol
		}
		return utf8.RuneCount(lines[line-1][:byteCol-1]) + 1
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		return nil, []error{&diag.Error{Path: shown, Line: 1, Col: 1, Err: fmt.Errorf("read the header: %v", err)}}
	}
	index := map[string]int{}
	for i, h := range header {
		index[strings.TrimSpace(h)] = i
	}
	for _, n := range need {
		if _, ok := index[n]; !ok {
			return nil, []error{&diag.Error{Path: shown, Line: 1, Col: 1,
				Err: fmt.Errorf("the header has no column %q (it needs: %s)", n, strings.Join(need, ", "))}}
		}
	}
	var rows []map[string]csvCell
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return rows, []error{&diag.Error{Path: shown, Line: pe.Line, Col: col(pe.Line, pe.Column), Err: pe.Err}}
			}
			return rows, []error{&diag.Error{Path: shown, Line: 1, Col: 1, Err: err}}
		}
		row := map[string]csvCell{}
		for name, i := range index {
			if i < len(rec) {
				line, c := r.FieldPos(i)
				row[name] = csvCell{v: strings.TrimSpace(rec[i]), line: line, col: col(line, c), present: true}
			} else {
				line, _ := r.FieldPos(0)
				row[name] = csvCell{line: line, col: 1}
			}
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// validateFindingSeeds checks the findings seeds against each other: every indicator named
// by a rule or a recommendation must be in the catalogue, every value in its list.
func validateFindingSeeds(seeds []*Seed) []error {
	by := map[string]*Seed{}
	for _, s := range seeds {
		by[s.Name] = s
	}
	var errs []error
	bad := func(shown string, c csvCell, format string, args ...any) {
		errs = append(errs, &diag.Error{Path: shown, Line: c.line, Col: c.col, Err: fmt.Errorf(format, args...)})
	}
	oneOf := func(shown, column string, c csvCell, allowed []string, emptyOK bool) {
		if c.v == "" && emptyOK {
			return
		}
		for _, a := range allowed {
			if c.v == a {
				return
			}
		}
		bad(shown, c, "%s %q is not one of %s%s", column, c.v, strings.Join(allowed, ", "), reports.Closest(c.v, allowed))
	}
	number := func(shown, column string, c csvCell, integer bool) {
		x, err := strconv.ParseFloat(c.v, 64)
		switch {
		case err != nil:
			bad(shown, c, "%s %q is not a number", column, c.v)
		case x < 0:
			bad(shown, c, "%s %q is negative", column, c.v)
		case integer && x != float64(int64(x)):
			bad(shown, c, "%s %q is not a whole number", column, c.v)
		}
	}

	known := map[string]bool{}
	var knownList []string
	if s := by[seedFindingIndicators]; s != nil {
		rows, rerrs := readSeedTable(s.Path, s.Data, []string{"indicator", "title", "chapter", "format", "unit", "kind", "better"})
		errs = append(errs, rerrs...)
		seen := map[string]int{}
		for _, row := range rows {
			c := row["indicator"]
			if !modelName.MatchString(c.v) {
				bad(s.Path, c, "indicator %q is not a code of lower-case letters, digits and _", c.v)
			} else if prev, ok := seen[c.v]; ok {
				bad(s.Path, c, "indicator %s is already listed on line %d; keep one of the two lines", c.v, prev)
			} else {
				seen[c.v] = c.line
				known[c.v] = true
				knownList = append(knownList, c.v)
			}
			if row["title"].v == "" {
				bad(s.Path, row["title"], "indicator %s has no title", c.v)
			}
			number(s.Path, "chapter", row["chapter"], true)
			oneOf(s.Path, "format", row["format"], findingFormats, false)
			oneOf(s.Path, "kind", row["kind"], findingKindsOfValue, false)
			oneOf(s.Path, "better", row["better"], []string{"up", "down"}, true)
		}
	}
	sort.Strings(knownList)
	indicator := func(shown string, c csvCell) {
		if c.v == "*" || known[c.v] {
			return
		}
		bad(shown, c, "unknown indicator %q: it must be * or an indicator of queries/seeds/%s.csv%s",
			c.v, seedFindingIndicators, reports.Closest(c.v, knownList))
	}
	template := func(shown, column string, c csvCell) {
		if c.v == "" {
			bad(shown, c, "%s is empty", column)
			return
		}
		for _, m := range placeholderPattern.FindAllStringSubmatch(c.v, -1) {
			ok := false
			for _, p := range findingPlaceholders {
				ok = ok || m[1] == p
			}
			if !ok {
				bad(shown, c, "%s: unknown placeholder {%s} (known: {%s})%s", column, m[1],
					strings.Join(findingPlaceholders, "}, {"), reports.Closest(m[1], findingPlaceholders))
			}
		}
		if strings.Count(c.v, "{") != strings.Count(c.v, "}") {
			bad(shown, c, "%s: a { without its } or a } without its {", column)
		}
	}

	if s := by[seedFindingRules]; s != nil {
		if by[seedFindingIndicators] == nil {
			errs = append(errs, &diag.Error{Path: s.Path, Line: 1, Col: 1, Err: fmt.Errorf("the rules need queries/seeds/%s.csv", seedFindingIndicators)})
		}
		rows, rerrs := readSeedTable(s.Path, s.Data, []string{"rule", "finding", "indicator", "format", "direction", "min_size", "priority", "head", "sentence"})
		errs = append(errs, rerrs...)
		for _, row := range rows {
			oneOf(s.Path, "finding", row["finding"], findingKinds, false)
			indicator(s.Path, row["indicator"])
			oneOf(s.Path, "format", row["format"], findingFormats, true)
			oneOf(s.Path, "direction", row["direction"], findingDirections, false)
			number(s.Path, "min_size", row["min_size"], false)
			number(s.Path, "priority", row["priority"], true)
			template(s.Path, "head", row["head"])
			template(s.Path, "sentence", row["sentence"])
		}
	}
	if s := by[seedRecommendations]; s != nil {
		rows, rerrs := readSeedTable(s.Path, s.Data, []string{"indicator", "when", "priority", "title", "text"})
		errs = append(errs, rerrs...)
		for _, row := range rows {
			indicator(s.Path, row["indicator"])
			oneOf(s.Path, "when", row["when"], recommendationWhens, false)
			number(s.Path, "priority", row["priority"], true)
			if row["title"].v == "" {
				bad(s.Path, row["title"], "title is empty")
			}
			if row["text"].v == "" {
				bad(s.Path, row["text"], "text is empty")
			}
		}
	}
	return errs
}
