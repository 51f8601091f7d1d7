package ingest

import (
	"strconv"
	"strings"
	"unicode/utf8"
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
	// The enterprise name: the end of its stem is kept for the text analysis.
	"name_tail": {
		Doc: "the last 4 characters of the name without its bracketed parts and its organisational suffix (有限公司, 店 …) are kept in name_tail, so that the text analysis finds the few names whose core may be in a new phrase without working on every name (docs/text-analysis.md)",
		clean: func(c Column) map[string]string {
			return map[string]string{"name_tail": NameTailExpr("v." + sv(c.Name))}
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

// nameSuffixes are the organisational suffixes a registered name's core goes without
// (docs/text-analysis.md §4), longest first: a name ending in 有限合伙企业 loses all of it,
// not only 合伙企业.
var nameSuffixes = []string{"股份有限公司", "有限责任公司", "个人独资企业", "普通合伙企业", "有限合伙企业", "有限公司", "合伙企业", "分公司", "店", "部"}

// NameSuffixes is nameSuffixes as an anchored alternation (the leftmost match is the
// longest listed suffix a name ends with), as appeal_new_phrases writes it too
// (TestNameCoreSuffixesAgree).
var NameSuffixes = "(" + strings.Join(nameSuffixes, "|") + ")$"

// NameStemExpr is the SQL of the stem of name n: without its bracketed parts (from an
// opening bracket of either width to the next closing one) and then without its
// organisational suffix. (contains is far cheaper than a regular expression, and few
// names have brackets.)
func NameStemExpr(n string) string {
	return "regexp_replace(CASE WHEN contains(" + n + ", '(') OR contains(" + n + ", '（') THEN regexp_replace(" + n +
		", '[（(][^）)]*[）)]', '', 'g') ELSE " + n + " END, '" + NameSuffixes + "', '')"
}

// NameTailExpr is the SQL of registry.name_tail for name n: the last 4 characters of its
// stem (all of it when shorter). The core of a name (its stem without the division prefix,
// cut from the front) ends where the stem ends, so a name whose core is a text of 4
// characters or more has the last 4 of them as its tail: appeal_new_phrases looks only at
// those names. A name without brackets (nearly all) is cut without a regular expression:
// the first suffix of nameSuffixes it ends with (the longest) is found by ends_with, and
// substring with a negative start takes the 4 characters before it (fewer when the name is
// short, as right() would): about half the cost of right(NameStemExpr(n), 4), with the same
// result (TestNameTailExpr).
func NameTailExpr(n string) string {
	var b strings.Builder
	b.WriteString("CASE WHEN contains(" + n + ", '(') OR contains(" + n + ", '（') THEN right(" + NameStemExpr(n) + ", 4)")
	for _, s := range nameSuffixes {
		b.WriteString(" WHEN ends_with(" + n + ", '" + s + "') THEN substring(" + n + ", -" + strconv.Itoa(utf8.RuneCountInString(s)+4) + ", 4)")
	}
	b.WriteString(" ELSE substring(" + n + ", -4, 4) END")
	return b.String()
}
