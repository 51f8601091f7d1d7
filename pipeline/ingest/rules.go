package ingest

import (
	"strconv"
)

// codeRule is a rule the contract cannot state as data: a column names it (Column.Rule) and
// it adds to what buildValidation generates for that column. Each is written once, here.
type codeRule struct {
	Doc string // what it does, for the contract and ref_sources
	// typed is an extra typed value of the inner select ("expr AS p_…"), or "".
	typed func(c Column) string
	// reject is a rule that rejects a row (placed after the bad_value checks), with its
	// condition over the inner select; "" for none.
	reject     string
	rejectCond func(c Column) string
	rejectDoc  string
	// clean gives clean columns (or the stored columns in their place) over the validated rows v.
	clean func(c Column) map[string]string
	// derived gives clean columns the views compute from a stored code (see derivedColumn).
	derived func(c Column) map[string]derivedColumn
}

// codeRules are the rules that need code, by the name a column gives in Column.Rule.
var codeRules = map[string]codeRule{
	// The credit code: a wrong form is rejected, a wrong check character only flagged.
	"uscc_check": {
		Doc:        "18 characters of the credit-code alphabet with digits in places 3-8, else rejected as bad_uscc; a wrong check character sets uscc_valid = false (usccCheck)",
		typed:      func(c Column) string { return usccCheckExpr(sv(c.Name)) + " AS " + pv("uscc_check") },
		reject:     "bad_uscc",
		rejectCond: func(c Column) string { return pv("uscc_check") + " = " + strconv.Itoa(usccBadForm) },
		rejectDoc:  "not 18 characters of the credit-code alphabet `0-9 A-H J-N P-R T U W-Y` with digits in places 3-8 (a wrong check character only flags the row).",
		clean: func(c Column) map[string]string {
			return map[string]string{"uscc_valid": "coalesce(v." + pv("uscc_check") + " = " + strconv.Itoa(usccOK) + ", false)"}
		},
	},
	// The registration status, matched on its leading word (statusExpr), stored as a 1-byte code.
	"registration_status": {
		Doc:   "mapped on its leading word to active, revoked, cancelled, moved_out or other (statusExpr); the text as given is kept in status_raw",
		typed: func(c Column) string { return statusExpr(sv(c.Name)) + " AS " + pv(c.Name) },
		clean: func(c Column) map[string]string {
			return map[string]string{"status_raw": "v." + sv(c.Name), "_status": statusCodeExpr("v." + pv(c.Name))}
		},
		derived: func(c Column) map[string]derivedColumn {
			return map[string]derivedColumn{c.Name: {expr: statusNameExpr("_status"), stored: &Flag{"_status", "UTINYINT", "status as a number (see statusCodes)", "", ""}}}
		},
	},
	// The GB/T 4754 industry code: its division and section are derived.
	"industry_code": {
		Doc:   "the 2-digit division (industry_division) and the section letter (industry_section, '?' when the division is unknown) are derived from it",
		typed: func(c Column) string { return divisionExpr(sv(c.Name)) + " AS " + pv("industry_division") },
		clean: func(c Column) map[string]string {
			return map[string]string{"_division": "CAST(v." + pv("industry_division") + " AS UTINYINT)"}
		},
		derived: func(c Column) map[string]derivedColumn {
			return map[string]derivedColumn{
				"industry_division": {expr: "lpad(CAST(_division AS VARCHAR), 2, '0')", stored: &Flag{"_division", "UTINYINT", "2-digit division as a number", "", ""}},
				"industry_section":  {expr: sectionNumberExpr("_division")},
			}
		},
	},
	// A closed registration needs the date it closed (the registration_status rule gives p_status).
	"closed_needs_date": {
		Doc: "a revoked, cancelled or moved-out entity without it sets missing_cancelled_on",
		clean: func(c Column) map[string]string {
			return map[string]string{"missing_cancelled_on": "(v." + pv("status") + " IN ('revoked', 'cancelled', 'moved_out') AND v." + pv(c.Name) + " IS NULL)"}
		},
	},
}
