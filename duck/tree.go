package duck

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
)

// DuckDB's syntax tree, as json_serialize_sql gives it. bluebook reads dependencies and
// what analysts' SQL may read from it, never from the SQL text. The field names and node
// kinds below are DuckDB's; TestTree pins each one read here.

// Parsed is the parse of one SQL text.
type Parsed struct {
	Statements []Node
	// Failed says the text does not parse or holds a statement other than SELECT, Error
	// is DuckDB's message, ErrorOffset the byte offset of the error in the text (-1 when
	// DuckDB names none), and NotSelect says the text holds a statement of another kind
	// (json_serialize_sql serializes SELECTs only).
	Failed      bool
	Error       string
	ErrorOffset int
	NotSelect   bool
}

// Parse parses text with DuckDB's parser, without running it or binding any name.
func Parse(ctx context.Context, db *sql.DB, text string) (*Parsed, error) {
	var raw string
	if err := db.QueryRowContext(ctx, "SELECT CAST(json_serialize_sql(CAST(? AS VARCHAR)) AS VARCHAR)", text).Scan(&raw); err != nil {
		return nil, err
	}
	var doc struct {
		Error        bool            `json:"error"`
		ErrorMessage string          `json:"error_message"`
		Position     json.RawMessage `json:"position"`
		Statements   []any           `json:"statements"`
	}
	if err := json.Unmarshal([]byte(raw), &doc); err != nil {
		return nil, fmt.Errorf("read parser output: %w", err)
	}
	p := &Parsed{ErrorOffset: -1}
	if doc.Error {
		p.Failed, p.Error = true, doc.ErrorMessage
		p.NotSelect = strings.Contains(doc.ErrorMessage, "Only SELECT statements")
		if off, err := jsonInt(doc.Position); err == nil {
			// The parser reports a character offset (query_location elsewhere is in bytes).
			p.ErrorOffset = ByteOffset(text, off)
		}
		return p, nil
	}
	for _, s := range doc.Statements {
		if n, ok := s.(map[string]any); ok {
			p.Statements = append(p.Statements, Node(n))
		}
	}
	return p, nil
}

// jsonInt reads a number json_serialize_sql writes as a number or as a string.
func jsonInt(raw json.RawMessage) (int, error) {
	var n int
	if err := json.Unmarshal(raw, &n); err == nil {
		return n, nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return 0, err
	}
	_, err := fmt.Sscan(s, &n)
	return n, err
}

// Node is one node of the tree: a statement, a query node, a table reference or an
// expression.
type Node map[string]any

// The node kinds bluebook reads: Type for query nodes and table references, Class for
// expressions.
const (
	SelectNode    = "SELECT_NODE"
	BaseTable     = "BASE_TABLE"
	TableFunction = "TABLE_FUNCTION"
	ShowRef       = "SHOW_REF" // SUMMARIZE, DESCRIBE, SHOW
	Join          = "JOIN"
	IsNull        = "OPERATOR_IS_NULL"
	IsNotNull     = "OPERATOR_IS_NOT_NULL"
	ColumnRef     = "COLUMN_REF"
	Star          = "STAR" // * and COLUMNS(...)
	Function      = "FUNCTION"
	Window        = "WINDOW" // row_number() OVER (…), sum(x) OVER (…)
)

// GroupBy is the key of a SelectNode's GROUP BY expressions in Fields.
const GroupBy = "group_expressions"

// GroupByAll reports a SelectNode written with GROUP BY ALL (its GroupBy list is empty).
func (n Node) GroupByAll() bool { return n.str("aggregate_handling") == "FORCE_AGGREGATES" }

func (n Node) str(key string) string { s, _ := n[key].(string); return s }

// Type is a query node's or table reference's kind (SelectNode, BaseTable, …), or an
// expression's (IsNull, …).
func (n Node) Type() string { return n.str("type") }

// Class is an expression's class (ColumnRef, Star, Function), "" for other nodes.
func (n Node) Class() string { return n.str("class") }

// Offset is the byte offset in the text where the node starts, or -1.
func (n Node) Offset() int {
	if f, ok := n["query_location"].(float64); ok && f < 1e15 {
		return int(f)
	}
	return -1
}

// Table returns a BaseTable's catalog, schema, name and alias ("" when not written).
func (n Node) Table() (catalog, schema, name, alias string) {
	return n.str("catalog_name"), n.str("schema_name"), n.str("table_name"), n.str("alias")
}

// FunctionName is the name of a Function or Window expression or of a TableFunction's
// call (count(*) is count_star).
func (n Node) FunctionName() string {
	if f, ok := n["function"].(map[string]any); ok {
		return Node(f).str("function_name")
	}
	return n.str("function_name")
}

// Distinct reports a Function written with DISTINCT (count(DISTINCT x)).
func (n Node) Distinct() bool { d, _ := n["distinct"].(bool); return d }

// ColumnNames are the parts of a ColumnRef: [column] or [table, column], as written.
func (n Node) ColumnNames() []string {
	var out []string
	if list, ok := n["column_names"].([]any); ok {
		for _, x := range list {
			s, _ := x.(string)
			out = append(out, s)
		}
	}
	return out
}

// StarOf returns what a Star reads: the table it is qualified with ("" for a bare *),
// whether it selects by regular expression (COLUMNS('re')), and the columns it excludes.
func (n Node) StarOf() (relation string, regex bool, excluded []string) {
	if list, ok := n["exclude_list"].([]any); ok {
		for _, e := range list {
			if s, ok := e.(string); ok {
				excluded = append(excluded, s)
			}
		}
	}
	if list, ok := n["qualified_exclude_list"].([]any); ok {
		for _, e := range list {
			if m, ok := e.(map[string]any); ok {
				if s, ok := m["column"].(string); ok {
					excluded = append(excluded, s)
				}
			}
		}
	}
	return n.str("relation_name"), n["expr"] != nil, excluded
}

// CTENames are the names a node's WITH clause defines.
func (n Node) CTENames() []string {
	var out []string
	if cm, ok := n["cte_map"].(map[string]any); ok {
		if list, ok := cm["map"].([]any); ok {
			for _, e := range list {
				if kv, ok := e.(map[string]any); ok {
					if k, ok := kv["key"].(string); ok {
						out = append(out, k)
					}
				}
			}
		}
	}
	return out
}

// Fields returns the node's fields by name, each a Node, a list or a plain value, for a
// walk over the whole tree.
func (n Node) Fields() map[string]any { return n }

// Arguments are the key of a Function's or an IsNull's operands in Fields.
const Arguments = "children"

// FromTable is the key of a SelectNode's FROM clause in Fields; a Join has Left and
// Right.
const (
	FromTable = "from_table"
	Left      = "left"
	Right     = "right"
)

// Subtrees of a Star that hold expressions (COLUMNS(lambda), * REPLACE (…)).
var StarSubtrees = []string{"expr", "replace_list"}

// FirstOffset returns the smallest Offset in a tree, or -1.
func FirstOffset(v any) int {
	best := -1
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if off := Node(x).Offset(); off >= 0 && (best < 0 || off < best) {
				best = off
			}
			for _, c := range x {
				walk(c)
			}
		case Node:
			walk(map[string]any(x))
		case []any:
			for _, c := range x {
				walk(c)
			}
		}
	}
	walk(v)
	return best
}
