package pipeline

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// seedRule bounds the numbers of one column of a shipped seed. Analysts edit these numbers
// (README: "Change a weight or a threshold"), and a number that cannot be right, such as a
// negative appeal deadline, is reported at its file:line:col by `check` and by every run,
// as a rejected value of the data would be, instead of silently moving every figure.
type seedRule struct {
	seed, column string
	name         string // "" = every row; else only the row whose name column is this (thresholds)
	min, max     float64
	minExclusive bool // the value must be above min (a divisor)
	integer      bool
	optional     bool // an empty cell is allowed (an open end of a band)
	what         string
}

var seedRules = []seedRule{
	{seed: "thresholds", column: "value", name: "appeal_deadline_workdays", min: 1, max: 366, integer: true, what: "a whole number of working days from 1 to 366"},
	{seed: "thresholds", column: "value", name: "chamber_min_activities", min: 0, max: math.Inf(1), integer: true, what: "a whole number of activities, 0 or more"},
	{seed: "thresholds", column: "value", name: "welfare_min_donation", min: 0, max: math.Inf(1), what: "an amount in 万元, 0 or more"},
	{seed: "thresholds", column: "value", name: "rd_min_revenue", min: 0, max: math.Inf(1), what: "an amount in 万元, 0 or more"},
	{seed: "thresholds", column: "value", name: "welfare_clip_low", min: 0, max: 1, what: "a fraction from 0 to 1"},
	{seed: "thresholds", column: "value", name: "welfare_clip_high", min: 0, max: 1, what: "a fraction from 0 to 1"},
	{seed: "innovation_indicators", column: "weight", min: 0, max: math.Inf(1), what: "a weight, 0 or more"},
	{seed: "innovation_indicators", column: "reference", min: 0, minExclusive: true, max: math.Inf(1), what: "a full-score reference above 0"},
	{seed: "welfare_components", column: "weight", min: 0, max: math.Inf(1), what: "a weight, 0 or more"},
	{seed: "rd_intensity_bands", column: "revenue_above", min: 0, max: math.Inf(1), optional: true, what: "an amount in 万元, 0 or more, or empty"},
	{seed: "rd_intensity_bands", column: "revenue_up_to", min: 0, max: math.Inf(1), optional: true, what: "an amount in 万元, 0 or more, or empty"},
	{seed: "rd_intensity_bands", column: "incentive_share", min: 0, max: 1, what: "a fraction from 0 to 1"},
	{seed: "welfare_stars", column: "min_index", min: 0, max: 100, what: "an index from 0 to 100"},
}

// validateSeed checks the seed name (its file stem) read from shown against seedRules and,
// for thresholds, that no name is listed twice. It returns one *FileError per bad cell.
func validateSeed(shown, name string, data []byte) []error {
	var rules []seedRule
	for _, r := range seedRules {
		if r.seed == name {
			rules = append(rules, r)
		}
	}
	if len(rules) == 0 {
		return nil
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	lines := bytes.Split(data, []byte("\n"))
	// col turns csv's byte column into a character column of the line.
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
		return []error{&FileError{Path: shown, Line: 1, Col: 1, Err: fmt.Errorf("read the header: %v", err)}}
	}
	index := map[string]int{}
	for i, h := range header {
		index[strings.TrimSpace(h)] = i
	}
	var errs []error
	seen := map[string]int{} // thresholds: name -> line
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				errs = append(errs, &FileError{Path: shown, Line: pe.Line, Col: col(pe.Line, pe.Column), Err: pe.Err})
				break
			}
			errs = append(errs, &FileError{Path: shown, Line: 1, Col: 1, Err: err})
			break
		}
		rowName := ""
		if i, ok := index["name"]; ok && i < len(rec) {
			rowName = strings.TrimSpace(rec[i])
		}
		if name == "thresholds" && rowName != "" {
			line, c := r.FieldPos(index["name"])
			if prev, ok := seen[rowName]; ok {
				errs = append(errs, &FileError{Path: shown, Line: line, Col: col(line, c),
					Err: fmt.Errorf("%s is already set on line %d; keep one of the two lines", rowName, prev)})
			} else {
				seen[rowName] = line
			}
		}
		for _, rule := range rules {
			i, ok := index[rule.column]
			if !ok || i >= len(rec) || (rule.name != "" && rule.name != rowName) {
				continue
			}
			line, c := r.FieldPos(i)
			if msg := rule.check(strings.TrimSpace(rec[i])); msg != "" {
				label := rule.column
				if rule.name != "" {
					label = rule.name
				}
				errs = append(errs, &FileError{Path: shown, Line: line, Col: col(line, c),
					Err: fmt.Errorf("%s = %q: %s; it must be %s", label, rec[i], msg, rule.what)})
			}
		}
	}
	return errs
}

// check returns what is wrong with the cell v, or "".
func (r seedRule) check(v string) string {
	if v == "" {
		if r.optional {
			return ""
		}
		return "empty"
	}
	x, err := strconv.ParseFloat(v, 64)
	switch {
	case err != nil || math.IsNaN(x):
		return "not a number"
	case r.integer && x != math.Trunc(x):
		return "not a whole number"
	case x < r.min, r.minExclusive && x == r.min:
		return "too small"
	case x > r.max:
		return "too large"
	}
	return ""
}
