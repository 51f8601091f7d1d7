package ingest

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"time"
)

//go:generate go test -run TestContractDoc -update .

// ContractDoc renders docs/sources.md, the data contract, from the definitions the ingest
// runs on: Sources() (folders, columns, Chinese headers, types, required columns, ranges,
// flag columns, duplicate keys), the closed lists of values, the checks buildValidation
// generates for each source in the order it applies them, and the bookkeeping tables'
// DDL. Only the general rules are prose, in contractIntro and contractOutro below.
// TestContractDoc fails when docs/sources.md differs from what this returns.
func ContractDoc() []byte {
	var b bytes.Buffer
	b.WriteString(contractIntro)
	b.WriteString("Rule identifiers in `rejects.rule`, with the Chinese label the data-quality appendix prints (table `ref_reject_rules`):\n\n| rule | 名称 | meaning |\n|---|---|---|\n")
	for _, r := range RejectRules() {
		fmt.Fprintf(&b, "| `%s` | %s | %s |\n", r.Name, r.Title, cell(r.Doc))
	}

	b.WriteString("\n## The sources at a glance\n\n")
	b.WriteString("| folder | 名称 | required | clean table key (duplicates rejected) |\n|---|---|---|---|\n")
	for _, s := range Sources() {
		req := "optional"
		if s.Required {
			req = "**required**"
		}
		key := "none"
		if len(s.Key) > 0 {
			key = "`" + strings.Join(s.Key, "`, `") + "`"
		}
		fmt.Fprintf(&b, "| `%s/` | %s | %s | %s |\n", s.Name, s.Title, req, key)
	}

	for _, s := range Sources() {
		writeSource(&b, s)
	}

	b.WriteString("\n## Columns every clean table ends with\n\n| column | 名称 | DuckDB type | meaning |\n|---|---|---|---|\n")
	for _, f := range commonExtra() {
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", f.Name, f.Title, f.Type, cell(f.Doc))
	}

	b.WriteString("\n## Bookkeeping tables\n\nIngest also leaves these tables (their columns as created):\n\n")
	for _, ddl := range bookkeepingDDL() {
		m := createTable.FindStringSubmatch(ddl)
		if m == nil {
			continue
		}
		cols := strings.Join(strings.Fields(m[2]), " ")
		fmt.Fprintf(&b, "- `%s`: %s\n", m[1], cols)
	}
	b.WriteString(contractOutro)
	return b.Bytes()
}

var createTable = regexp.MustCompile(`(?s)^CREATE TABLE IF NOT EXISTS main\.(\w+) \((.*)\)$`)

func writeSource(b *bytes.Buffer, s Source) {
	fmt.Fprintf(b, "\n## `%s` — %s\n\n", s.Name, s.Title)
	req := "Optional: a data folder without it is fine."
	if s.Required {
		req = "Required: a run fails when the folder is missing."
	}
	b.WriteString(req)
	if s.Doc != "" {
		fmt.Fprintf(b, " %s.", upperFirst(s.Doc))
	}
	if len(s.Key) > 0 {
		fmt.Fprintf(b, " Key: `%s`.", strings.Join(s.Key, "`, `"))
	}
	b.WriteString("\n\n| column | accepted headers besides the column name | type | DuckDB type | required | notes |\n|---|---|---|---|---|---|\n")
	for _, c := range s.Columns {
		req := ""
		if c.Required {
			req = "yes"
		}
		fmt.Fprintf(b, "| `%s` | %s | %s | %s | %s | %s |\n", c.Name, strings.Join(c.Aliases, ", "), c.Type, c.Type.SQLType(), req, cell(strings.Join(columnNotes(c), "; ")))
	}
	if len(s.Extra) > 0 {
		b.WriteString("\nColumns the clean table adds (a flag column flags a row when the condition holds):\n\n| column | 名称 | DuckDB type | meaning | flags when |\n|---|---|---|---|---|\n")
		for _, f := range s.Extra {
			when := ""
			if f.Flags != "" {
				when = "`" + fmt.Sprintf(f.Flags, f.Name) + "`"
			}
			fmt.Fprintf(b, "| `%s` | %s | %s | %s | %s |\n", f.Name, f.Title, f.Type, cell(f.Doc), when)
		}
	}
	for _, c := range s.Columns {
		if len(c.Values) > 0 {
			fmt.Fprintf(b, "\nClosed list of `%s` (a value outside it is rejected as `unknown_value`; an empty cell is NULL): %s.\n", c.Name, mappingText(c.Values))
		}
	}
	for _, c := range s.Columns {
		if fb := c.Fallback; fb != nil {
			fmt.Fprintf(b, "\nClosed list of `%s` (an empty cell or a value outside it becomes %s and sets `%s`): %s.\n", c.Name, fb.Other, fb.Flag, strings.Join(fb.Values, ", "))
		}
	}

	b.WriteString("\nChecks, in the order they are applied (a row is rejected under the first it fails):\n\n")
	v := buildValidation(s, fileRules{asOf: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)}, &params{})
	for i, c := range v.checks {
		col := ""
		if c.column != "" {
			col = " `" + c.column + "`"
		}
		fmt.Fprintf(b, "%d. `%s`%s: %s\n", i+1, c.rule, col, checkText(s, c))
	}
	dup := s.dupRule()
	if len(s.Key) > 0 {
		fmt.Fprintf(b, "%d. `%s` `%s`: the key repeats; among the rows that passed every check above, one is kept and the others are rejected (see \"Duplicates\").\n",
			len(v.checks)+1, dup, strings.Join(s.Key, ","))
	}
}

// checkText says in words what a generated check rejects.
func checkText(s Source, c check) string {
	col, _ := s.Column(c.column)
	switch c.rule {
	case "malformed_row":
		return "the line has more or fewer fields than the header, or a quoted field is still open at the end of the file (CSV)."
	case "missing_required":
		return "the value is empty."
	case "bad_value":
		if c.column == "" {
			return "a value holds bytes that cannot be decoded in the file's encoding (CSV; they read as U+FFFD, the value shown is the first such)."
		}
		if col.Pattern != "" && strings.Contains(c.cond, "regexp_full_match") {
			return "the value does not match `" + col.Pattern + "` (the whole value)."
		}
		return "the value cannot be read as " + typeWords[col.Type] + "."
	case codeRules[col.Rule].reject:
		return codeRules[col.Rule].rejectDoc
	case "unknown_value":
		return "the value is not in the closed list above."
	case "out_of_range", "date_order":
		cond := strings.NewReplacer("p_", "", "s_", "").Replace(c.cond)
		return "rejected when `" + cond + "`."
	case "future_date":
		return "the date is after the extraction date (`--as-of`)."
	}
	return "see the rule table."
}

var typeWords = map[Type]string{
	Date: "a date", Timestamp: "a date and time", Money: "an amount", Integer: "a whole number",
	Year: "a year", Boolean: "yes or no", Text: "text", Code: "text",
}

// mappingText lists the canonical values, each with the other spellings accepted for it.
func mappingText(pairs [][2]string) string {
	var order []string
	accepted := map[string][]string{}
	for _, p := range pairs {
		if _, ok := accepted[p[1]]; !ok {
			order = append(order, p[1])
			accepted[p[1]] = nil
		}
		if p[0] != p[1] {
			accepted[p[1]] = append(accepted[p[1]], p[0])
		}
	}
	var parts []string
	for _, v := range order {
		if len(accepted[v]) == 0 {
			parts = append(parts, v)
			continue
		}
		parts = append(parts, v+" (also "+strings.Join(accepted[v], ", ")+")")
	}
	return strings.Join(parts, "; ")
}

// columnNotes says in words what the contract requires of column c besides its type: the
// notes column of docs/sources.md and ref_sources.rules.
func columnNotes(c Column) []string {
	var out []string
	if c.Type == Money {
		out = append(out, "万元")
	}
	switch c.Range {
	case NonNegative:
		out = append(out, "≥ 0")
	case Positive:
		out = append(out, "> 0")
	}
	if c.AtLeast != "" {
		out = append(out, "≥ "+c.AtLeast+" (else out_of_range)")
	}
	if c.After != "" {
		out = append(out, "not before "+c.After+" (else date_order)")
	}
	if c.Pattern != "" {
		out = append(out, "matches "+c.Pattern+" (else bad_value)")
	}
	if len(c.Values) > 0 {
		out = append(out, "closed list below; other → unknown_value")
	}
	if fb := c.Fallback; fb != nil {
		out = append(out, "closed list below; other → "+fb.Other+" and "+fb.Flag)
	}
	if r := c.Ref; r != nil {
		empty := ""
		if !c.Required {
			empty = fmt.Sprintf(" (an empty cell: %v)", r.IfEmpty)
		}
		out = append(out, "not in "+r.Source+"."+r.Column+" → "+strings.Join(r.Flags, ", ")+empty)
	}
	if c.Rule != "" {
		out = append(out, codeRules[c.Rule].Doc)
	}
	if c.Masked != "" {
		out = append(out, "masked into "+c.Masked)
	}
	if c.Personal != "" {
		out = append(out, "closed to analyst SQL")
	}
	if c.IfAbsent != "" {
		out = append(out, "a file without the column: "+c.IfAbsent+" and "+c.AbsentFlag)
	}
	if c.Doc != "" {
		out = append(out, c.Doc)
	}
	return out
}

func join(a, b string) string {
	if b == "" {
		return a
	}
	return a + "; " + b
}

func cell(s string) string { return strings.ReplaceAll(s, "|", "\\|") }

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

const contractIntro = `<!-- Generated by ContractDoc in pipeline/ingest/contractdoc.go from the source
definitions in pipeline/ingest/sources.go. Do not edit: change the definitions (or the
prose in contractdoc.go) and run ` + "`go generate ./pipeline/ingest`" + `. -->

# Data contract: the input sources

This is what ` + "`bluebook run --data DIR`" + ` accepts and what it makes of it. The tables
below are generated from the definitions the ingest runs on, so they say exactly what the
code does; the general rules are written by hand.

## Layout of a data folder

A data folder holds one sub-folder per source, named after it. Every ` + "`.csv`" + `, ` + "`.xlsx`" + ` and
` + "`.parquet`" + ` file in a sub-folder belongs to that source and the files are read together
(unioned); a file of any other type there is an error, not silently skipped. The four
sources the blue book cannot do without are required; the others are optional.

## General rules

- **Encodings and formats.** CSV files may be UTF-8, UTF-8 with a byte-order mark, or GBK
  (read as GB18030, its superset); the encoding is detected, or fixed per source with
  ` + "`encoding`" + ` in ` + "`bluebook.toml`" + `. Workbooks: every sheet is read whose first non-empty row
  maps onto the source's required columns; the other sheets are listed in
  ` + "`ingest_skipped_sheets`" + ` and in the report's data-quality appendix. Parquet columns are
  read as text and then follow the same rules.
- **Headers.** A header matches a column when it is the column's name or one of its Chinese
  headers, ignoring case, surrounding spaces, full-width versus half-width brackets and a
  unit in brackets: ` + "`注册资本（万元）`, `注册资本(万元)` and `注册资本`" + ` are the same header. A
  header that matches no column is kept in the raw table and ignored downstream. A missing
  required column fails that file with a message naming the file, the column and the
  headers it accepts. When two headers of one file map onto the same column (` + "`注销日期`" + ` and
  ` + "`吊销日期`" + `), the first non-empty value in header order is used.
- **Values.** Every value is trimmed; an empty cell in an optional column is NULL. Credit
  codes (type ` + "`code`" + `) are also upper-cased before any rule looks at them. Dates may be
  written ` + "`2025-03-07`, `2025/3/7`, `20250307`, `2025年3月7日`" + ` or be Excel date cells; date-times
  add ` + "`HH:MM`" + ` or ` + "`HH:MM:SS`" + `. Yes/no columns accept 是/否, Y/N, 1/0 and true/false in any case.
  Numbers may carry thousands separators (` + "`1,234.5`" + `).
- **Money** is in 万元 (ten thousand yuan) and exact (DECIMAL(18,6), never binary floating
  point). A money header whose unit is 元 (` + "`捐赠金额（元）`" + `) is divided by 10,000; any other
  unit in brackets on a money column is an error naming the file and the header.
- **A non-empty value that cannot be read as its type is rejected** (` + "`bad_value`" + `), in an
  optional column as much as in a required one.
- **Reject or flag.** A row that breaks a rejecting rule goes to the table ` + "`rejects`" + ` with its
  file, line, column, rule, offending value and original text, and not into the clean table.
  A flagging rule keeps the row and sets a flag column. Nothing disappears without a trace:
  for every file, rows read = rows loaded + rows rejected (` + "`ingest_files`" + `).
- **One rule per rejected row.** A row that breaks several rules is rejected once, under
  the first check in the source's list below.
- **Duplicates** are resolved last, among the rows that passed every other check. For
  ` + "`appeal_id`, `donation_id`, `chamber_id`, `district_code` and (`uscc`, `year`)" + ` the first
  occurrence wins, by file name in byte order, then line; the later ones are rejected as
  ` + "`duplicate_id`" + ` (for (` + "`uscc`, `year`" + `) the reject names column ` + "`uscc,year`" + ` and value
  ` + "`<uscc>,<year>`" + `). In the registry, the row with the latest ` + "`approved_on`" + ` wins (a missing
  date is older than any), then the latest file name in byte order, then the last line; the
  others are rejected as ` + "`duplicate_uscc`" + `.
- **References between sources** only flag: an appeal, innovation declaration or donation
  whose credit code is not in the clean registry sets ` + "`orphan`" + `; a registry district not
  among the configured districts (or ` + "`districts/`" + `) sets ` + "`unknown_district`" + `; a chamber id
  not in ` + "`chambers`" + ` sets ` + "`unknown_chamber`" + `.
- **Registration status** (` + "`registry.status`" + `) is matched on its leading word, whatever
  qualifier follows: 存续, 在业, 在营, 开业 or 在册 → ` + "`active`" + `; 吊销 → ` + "`revoked`" + `, except
  吊销，已注销 → ` + "`cancelled`" + `; 注销 or 撤销 → ` + "`cancelled`" + `; 迁出 → ` + "`moved_out`" + `; anything else
  (停业, 清算, …) and an empty status → ` + "`other`" + `, which counts as alive. The text as given is
  kept in ` + "`status_raw`" + `.
- **Industry.** ` + "`industry_code`" + ` is a GB/T 4754-2017 code of 2 to 4 digits, optionally
  preceded by its section letter (` + "`C3911`" + `); the 2-digit division and its section (门类) are
  derived from it (` + "`?`" + ` when the division is unknown). See docs/domain.md.
- **Donations without a ` + "`verified`" + ` column** count every row as verified (the flag
  ` + "`verified_assumed`" + ` says so, and the data-quality appendix too); an empty cell in a
  present column means not verified.
- **Appeal texts.** ` + "`appeals.content`" + ` is masked at ingest (` + "`content_masked`" + `): models,
  checks and chapters read only the masked text, and the raw text is never published. See
  docs/text-analysis.md.
- **Line numbers** in ` + "`rejects.line`" + ` and ` + "`source_line`" + ` are what a text editor shows, the
  header being line 1; a workbook row is ` + "`Sheet1!17`" + `; a Parquet row is its number (1, 2, …).

`

const contractOutro = `
## The contract as a table: ` + "`ref_sources`" + `

Every ingest (and ` + "`bluebook check`" + `) writes this contract into the table ` + "`ref_sources`" + `,
one row per column of every clean table, so that analysts and chapters can read it in SQL:
the source's name, Chinese title (` + "`source_title`" + `), order in the report
(` + "`source_order`" + `) and whether it is required; the column's name, Chinese title, position,
` + "`kind`" + ` (` + "`input`" + ` for a column of the files, ` + "`added`" + ` for a derived or flag column,
` + "`common`" + ` for ` + "`source_file`" + ` and ` + "`source_line`" + `), type and DuckDB type, whether it is
required, its accepted headers (` + "`aliases`" + `), range, pattern, closed list (` + "`allowed`" + `) and
fallback, the column it may not be below (` + "`at_least`" + `) or precede (` + "`not_before`" + `), the
source and column it refers to, the reject rules that can name it (` + "`rejects`" + `, as in
` + "`rejects.rule`" + `), the flags it can set (` + "`flags`" + `) and, for a flag column, the condition under
which it flags a row (` + "`flag_when`" + `), the rule that needs code (` + "`rule`" + `), whether it is part
of the duplicate key, the masked column of a text, whether analyst SQL may read it
(` + "`personal`" + `), an example value and the notes of the tables above. For instance the labels of
the sources: ` + "`SELECT DISTINCT source, source_title FROM ref_sources ORDER BY source_order`" + `.

## The district map (optional): ` + "`map/districts.geojson`" + `

Not a source: nothing of it is loaded into the database. When the data folder holds
` + "`map/districts.geojson`" + `, the market and appeals chapters draw their district charts as
maps of the districts (a choropleth) instead of bar charts; without the file the bar charts
stay. bluebook ships no map: a map published in China needs an approval number (审图号),
which ` + "`map_approval`" + ` in ` + "`bluebook.toml`" + ` prints below every map (without it the map is
captioned as a sketch, and the run logs a warning).

- **Format.** A GeoJSON ` + "`FeatureCollection`" + `, one ` + "`Feature`" + ` per district with a ` + "`Polygon`" + ` or
  ` + "`MultiPolygon`" + ` geometry of [longitude, latitude] positions (every ring closed, at least four
  positions). UTF-8, with or without a byte-order mark.
- **Matching.** A feature is the district whose 6-digit code is its property ` + "`code`" + `,
  ` + "`adcode`" + ` (a number is fine) or ` + "`district_code`" + `; failing that, whose name is its property
  ` + "`name`" + ` or ` + "`district_name`" + `. The districts are those of the run (` + "`districts`" + ` in
  ` + "`bluebook.toml`" + ` or the ` + "`districts/`" + ` source). Other properties are dropped: the page
  embeds only the geometry and the districts' own names. A district without a feature is
  left off the map and named in the figure's note, as are 其他 and 未知.
- **Size.** At most 5 MiB (` + "`map_max_bytes`" + ` in ` + "`bluebook.toml`" + ` to change it): the map is
  embedded in two chapter pages and in the single file, so reports stay offline.
- **Errors.** A file that is not JSON (with the line and column), not a FeatureCollection,
  has a feature of no known district, a district twice, a geometry that is not a polygon, a
  position out of range, or is too large stops the run before anything is read, with an
  error (exit code 2) naming the file and what is wrong. The districts are matched when the
  report is rendered.

The demo generator writes a fictional map of 示例市 (seven irregular hexagons, placed in
the open Pacific so that no real place is drawn).

## Reference data bluebook ships

- The official working-day calendar (State Council holiday notices: days off and make-up
  working days), ` + "`data/cn_holidays.csv`" + `, loaded as ` + "`ref_holidays`" + `. A project may extend
  it with ` + "`calendar = \"FILE\"`" + ` in ` + "`bluebook.toml`" + `. A year the calendar does not cover is an
  error naming the year and the file to extend, never a guess.
- GB/T 4754-2017 sections and divisions (` + "`ref_sections`" + `) and the enterprise size thresholds;
  see docs/domain.md.
- The configured city: its name and its districts' 6-digit GB/T 2260 codes
  (` + "`bluebook.toml`" + `, or the ` + "`districts/`" + ` source, which replaces them for the run).
`
