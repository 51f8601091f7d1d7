// Package data holds the reference data bluebook ships (the official working-day calendar,
// GB/T 4754 sections, enterprise size thresholds) and, in data/demo, the demo-data generator.
package data

import (
	"embed"
	"io/fs"
)

//go:embed *.csv
var files embed.FS

// Table is one reference table: the CSV file File becomes the DuckDB table Name.
type Table struct {
	Name        string
	File        string
	Description string
	AllVarchar  bool // read every column as text (codes with leading zeros)
}

// Tables lists the reference tables in the order the pipeline loads them.
func Tables() []Table {
	return []Table{
		{"ref_holidays", "cn_holidays.csv", "official days off and make-up working days (State Council notices)", false},
		{"ref_sections", "gbt4754_sections.csv", "GB/T 4754-2017 sections and their division ranges", true},
		{"ref_size_rules", "size_rules.csv", "enterprise size thresholds, 2017 rules", false},
		{"ref_size_rule_prefixes", "size_rule_prefixes.csv", "size rule by industry-code prefix", true},
	}
}

// FS returns the embedded reference files.
func FS() fs.FS { return files }
