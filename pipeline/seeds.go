package pipeline

import (
	"fmt"
	"math"
	"strconv"

	"bluebook/diag"
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
// for thresholds, that no name is listed twice. It returns one *diag.Error per bad cell.
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
	rows, errs := readSeedTable(shown, data, nil)
	seen := map[string]int{} // thresholds: name -> line
	for _, row := range rows {
		rowName := row["name"].v
		if c := row["name"]; name == "thresholds" && rowName != "" {
			if prev, ok := seen[rowName]; ok {
				errs = append(errs, &diag.Error{Path: shown, Line: c.line, Col: c.col,
					Err: fmt.Errorf("%s is already set on line %d; keep one of the two lines", rowName, prev)})
			} else {
				seen[rowName] = c.line
			}
		}
		for _, rule := range rules {
			c := row[rule.column]
			if !c.present || (rule.name != "" && rule.name != rowName) {
				continue
			}
			if msg := rule.check(c.v); msg != "" {
				label := rule.column
				if rule.name != "" {
					label = rule.name
				}
				errs = append(errs, &diag.Error{Path: shown, Line: c.line, Col: c.col,
					Err: fmt.Errorf("%s = %q: %s; it must be %s", label, c.v, msg, rule.what)})
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
