package pipeline

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"

	"bluebook/diag"
	"bluebook/duck"
	"bluebook/pipeline/ingest"
)

// What analyst SQL (models, checks, chapter queries) may read, decided on DuckDB's own
// parse tree (json_serialize_sql), never on the SQL text: one SELECT; tables of the main
// schema (sources, models, seeds, reference tables) and published.*; a few table
// functions that read no table and no file; no personal column.

// personalColumns are the free-text columns that hold personal data, per table: those the
// source contract marks Personal (appeals.content, donations.recipient), and rejects.raw.
// They stay in the database (ingest needs them, and the masked text is derived from them)
// but no analyst query may read them: neither by name, nor through *, nor as a whole row.
// The masked text of an appeal is content_masked (docs/text-analysis.md).
var personalColumns = func() map[string]map[string]string {
	out := map[string]map[string]string{
		"rejects": {"raw": "a rejected row's raw line may hold an appeal's text or a person's data; use column_name and value"},
	}
	for _, s := range ingest.Sources() {
		for _, c := range s.Columns {
			if c.Personal != "" {
				if out[s.Name] == nil {
					out[s.Name] = map[string]string{}
				}
				out[s.Name][c.Name] = c.Personal
			}
		}
	}
	return out
}()

// contactColumns are column names that hold a person's contact details in any source
// table, should a source ever carry one.
var contactColumns = []string{"contact", "contact_person", "contact_name", "phone", "mobile", "telephone", "email", "id_number", "legal_representative"}

// sourceTables are the clean source tables ingest creates in the main schema (one per
// source of the contract), and rejects.
var sourceTables = func() []string {
	var out []string
	for _, s := range ingest.Sources() {
		out = append(out, s.Name)
	}
	return append(out, "rejects")
}()

// tableFunctions are the table functions analyst SQL may call: they read no table and
// no file. query() and query_table() are left out on purpose: they run SQL given as a
// string, which the parse tree cannot see.
var tableFunctions = map[string]bool{
	"range": true, "generate_series": true, "unnest": true, "json_each": true, "json_tree": true,
	"duckdb_settings": true, "duckdb_functions": true, "duckdb_types": true, "duckdb_keywords": true,
}

// errReadFiles is the message for any attempt to read or write a file from analyst SQL.
const errReadFiles = "reading files is not allowed in queries; put the file in the data folder as a source"

// isFileFunction reports whether a table function reads files.
func isFileFunction(name string) bool {
	return strings.HasPrefix(name, "read_") || strings.HasSuffix(name, "_scan") || strings.HasPrefix(name, "parquet_") ||
		strings.HasPrefix(name, "iceberg_") || strings.HasPrefix(name, "delta_") || name == "glob" || name == "sniff_csv"
}

// personalOf returns the personal columns of table (main schema), with why each is closed.
func personalOf(table string) map[string]string {
	out := map[string]string{}
	for c, why := range personalColumns[table] {
		out[c] = why
	}
	for _, s := range sourceTables {
		if s == table {
			for _, c := range contactColumns {
				out[c] = "contact details of a person are never read by queries"
			}
		}
	}
	return out
}

// issue is a rule broken at a byte offset of the analyst's text.
type issue struct {
	off int
	msg string
}

// scopeTable is a protected table in the FROM clause of a SELECT.
type scopeTable struct {
	name, alias string
	personal    map[string]string
}

// refers reports whether qualifier names t.
func (t scopeTable) refers(qualifier string) bool {
	if t.alias != "" {
		return qualifier == t.alias
	}
	return qualifier == t.name
}

// analyzer walks one statement's parse tree.
type analyzer struct {
	ctes   map[string]bool
	refs   []tableRef
	issues []issue
}

// analyze parses sqlText (the analyst's text, or the part of it DuckDB should parse,
// with the same offsets) and returns the tables it reads, or every rule it breaks as a
// *diag.Error at path:line:col. what names the thing checked ("a model").
func analyze(ctx context.Context, db *sql.DB, path, text, sqlText, what string) ([]tableRef, []error) {
	doc, err := duck.Parse(ctx, db, sqlText)
	if err != nil {
		return nil, []error{&diag.Error{Path: path, Line: 1, Col: 1, Err: fmt.Errorf("parse: %s", cleanDuckErr(err))}}
	}
	if doc.Failed {
		fe := &diag.Error{Path: path, Err: errors.New(duck.CleanMessage(doc.Error))}
		if doc.NotSelect {
			fe.Err = fmt.Errorf("%s must be a single SELECT (WITH allowed); this one holds a statement of another kind (such as DELETE, DROP, COPY, ATTACH, SET, PRAGMA, CALL, INSTALL, LOAD, CREATE), which queries may not run (a PIVOT statement is not accepted either: write it with count(*) FILTER (WHERE ...) or max(...) FILTER (WHERE ...))", what)
		}
		if doc.ErrorOffset >= 0 {
			fe.Line, fe.Col = position(text, doc.ErrorOffset)
		} else {
			fe.Line, fe.Col = position(text, firstToken(sqlText))
		}
		return nil, []error{fe}
	}
	if len(doc.Statements) != 1 {
		fe := &diag.Error{Path: path, Line: 1, Col: 1, Err: fmt.Errorf("%s must be a single SELECT, found %d statements", what, len(doc.Statements))}
		if len(doc.Statements) > 1 {
			if off := duck.FirstOffset(doc.Statements[1]); off >= 0 {
				fe.Line, fe.Col = position(text, off)
			}
		}
		return nil, []error{fe}
	}
	a := &analyzer{ctes: map[string]bool{}}
	a.walk(doc.Statements[0], nil, false)
	if len(a.issues) > 0 {
		sort.SliceStable(a.issues, func(i, j int) bool { return a.issues[i].off < a.issues[j].off })
		var errs []error
		seen := map[issue]bool{}
		for _, is := range a.issues {
			if seen[is] {
				continue
			}
			seen[is] = true
			line, col := position(text, is.off)
			errs = append(errs, &diag.Error{Path: path, Line: line, Col: col, Err: errors.New(is.msg)})
		}
		return nil, errs
	}
	var out []tableRef
	for _, r := range a.refs {
		if r.Schema == "" && a.ctes[strings.ToLower(r.Name)] {
			continue
		}
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Offset < out[j].Offset })
	return out, nil
}

func (a *analyzer) add(x duck.Node, msg string) {
	a.issues = append(a.issues, issue{off: max(x.Offset(), 0), msg: msg})
}

// walk visits v; scopes holds the protected tables of each enclosing SELECT, innermost
// last. opaque is true for a column reference whose value the query cannot see: the
// direct argument of count(...) or of IS [NOT] NULL.
func (a *analyzer) walk(v any, scopes [][]scopeTable, opaque bool) {
	switch x := v.(type) {
	case []any:
		for _, c := range x {
			a.walk(c, scopes, false)
		}
		return
	case map[string]any:
		a.visit(duck.Node(x), scopes, opaque)
	case duck.Node:
		a.visit(x, scopes, opaque)
	}
}

func (a *analyzer) visit(x duck.Node, scopes [][]scopeTable, opaque bool) {
	for _, k := range x.CTENames() {
		a.ctes[strings.ToLower(k)] = true
	}
	typ, class := x.Type(), x.Class()
	switch {
	case typ == duck.SelectNode:
		var scope []scopeTable
		a.collectScope(x.Fields()[duck.FromTable], &scope)
		scopes = append(scopes[:len(scopes):len(scopes)], scope)
	case typ == duck.BaseTable:
		a.baseTable(x)
	case typ == duck.TableFunction:
		name := strings.ToLower(x.FunctionName())
		switch {
		case name == "":
		case isFileFunction(name):
			a.add(x, errReadFiles)
		case !tableFunctions[name]:
			a.add(x, fmt.Sprintf("table function %s is not allowed in queries (allowed: range, generate_series, unnest, json_each, json_tree); read tables by name", name))
		}
	case typ == duck.ShowRef:
		a.add(x, "SUMMARIZE, DESCRIBE and SHOW are not allowed in queries; write the SELECT you need")
	case class == duck.ColumnRef:
		if !opaque {
			a.columnRef(x, scopes)
		}
		return
	case class == duck.Star:
		if !opaque {
			a.star(x, scopes)
		}
		for _, k := range duck.StarSubtrees {
			a.walk(x.Fields()[k], scopes, false)
		}
		return
	case class == duck.Function:
		if strings.EqualFold(x.FunctionName(), "count") && !x.Distinct() {
			// count(col) and count(COLUMNS(*)) see whether a value is there, not what it is.
			for k, c := range x.Fields() {
				if k == duck.Arguments {
					if list, ok := c.([]any); ok {
						for _, ch := range list {
							a.walk(ch, scopes, true)
						}
					}
					continue
				}
				a.walk(c, scopes, false)
			}
			return
		}
	case typ == duck.IsNull || typ == duck.IsNotNull:
		if list, ok := x.Fields()[duck.Arguments].([]any); ok {
			for _, ch := range list {
				a.walk(ch, scopes, true)
			}
		}
		return
	}
	for _, c := range x.Fields() {
		a.walk(c, scopes, false)
	}
}

// baseTable records a table reference and checks its schema.
func (a *analyzer) baseTable(x duck.Node) {
	catalog, schema, name, _ := x.Table()
	a.refs = append(a.refs, tableRef{Schema: schema, Name: name, Offset: x.Offset()})
	s := strings.ToLower(schema)
	switch {
	case s == "raw":
		a.add(x, fmt.Sprintf("raw.%s holds every row as it was read, with its free texts and personal data; read the clean table %s instead", name, name))
	case s == "temp" || strings.HasPrefix(name, "_ingest"):
		a.add(x, fmt.Sprintf("%s is one of ingest's working tables, which hold rows as read; read the clean source tables instead", name))
	case catalog != "":
		a.add(x, fmt.Sprintf("%s.%s.%s: queries read tables by name (or published.name), not through a database name", catalog, schema, name))
	case s != "" && s != "main" && s != "published":
		a.add(x, fmt.Sprintf("schema %s is not readable from queries; read models, sources, seeds, reference tables and published.*", schema))
	}
}

// collectScope gathers the protected tables named in a FROM clause (through joins; a
// subquery is a SELECT of its own).
func (a *analyzer) collectScope(v any, scope *[]scopeTable) {
	m, ok := v.(map[string]any)
	if !ok {
		return
	}
	x := duck.Node(m)
	switch x.Type() {
	case duck.Join:
		a.collectScope(x.Fields()[duck.Left], scope)
		a.collectScope(x.Fields()[duck.Right], scope)
	case duck.BaseTable:
		_, schema, name, alias := x.Table()
		name = strings.ToLower(name)
		if (schema == "" && a.ctes[name]) || (schema != "" && !strings.EqualFold(schema, "main")) {
			return
		}
		if p := personalOf(name); len(p) > 0 {
			*scope = append(*scope, scopeTable{name: name, alias: strings.ToLower(alias), personal: p})
		}
	}
}

// columnRef checks a column reference against the protected tables in scope.
func (a *analyzer) columnRef(x duck.Node, scopes [][]scopeTable) {
	var names []string
	for _, n := range x.ColumnNames() {
		names = append(names, strings.ToLower(n))
	}
	if len(names) == 0 {
		return
	}
	for i := len(scopes) - 1; i >= 0; i-- {
		for _, t := range scopes[i] {
			if len(names) == 1 {
				if why, ok := t.personal[names[0]]; ok {
					a.add(x, fmt.Sprintf("%s.%s is personal data and cannot be read by queries: %s", t.name, names[0], why))
					return
				}
				if t.refers(names[0]) && len(personalColumns[t.name]) > 0 {
					a.add(x, fmt.Sprintf("%q stands for a whole row of %s, personal columns included; name the columns you need", names[0], t.name))
					return
				}
				continue
			}
			for j := 1; j < len(names); j++ {
				if why, ok := t.personal[names[j]]; ok && t.refers(names[j-1]) {
					a.add(x, fmt.Sprintf("%s.%s is personal data and cannot be read by queries: %s", t.name, names[j], why))
					return
				}
			}
		}
	}
}

// star checks * and COLUMNS(...) against the protected tables of the innermost scope.
func (a *analyzer) star(x duck.Node, scopes [][]scopeTable) {
	if len(scopes) == 0 {
		return
	}
	rel, regex, ex := x.StarOf()
	rel = strings.ToLower(rel)
	excluded := map[string]bool{}
	for _, s := range ex {
		excluded[strings.ToLower(s)] = true
	}
	for _, t := range scopes[len(scopes)-1] {
		if rel != "" && !t.refers(rel) {
			continue
		}
		// Only the columns a table really has are opened by *: contact columns are names
		// no source carries today, closed when named.
		var open []string
		for c := range personalColumns[t.name] {
			if !excluded[c] || regex {
				open = append(open, c)
			}
		}
		if len(open) == 0 {
			continue
		}
		sort.Strings(open)
		a.add(x, fmt.Sprintf("* would read %s.%s (personal data); name the columns you need, or write * EXCLUDE (%s)", t.name, strings.Join(open, ", "), strings.Join(open, ", ")))
		return
	}
}

// firstToken returns the offset of the first character of text that is neither space
// nor comment: where a statement DuckDB names no position for begins.
func firstToken(text string) int {
	i := 0
	for i < len(text) {
		switch {
		case text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n':
			i++
		case strings.HasPrefix(text[i:], "--"):
			j := strings.IndexByte(text[i:], '\n')
			if j < 0 {
				return len(text)
			}
			i += j + 1
		case strings.HasPrefix(text[i:], "/*"):
			j := strings.Index(text[i+2:], "*/")
			if j < 0 {
				return len(text)
			}
			i += j + 4
		default:
			return i
		}
	}
	return i
}
