package duck

import (
	"context"
	"slices"
	"strings"
	"testing"
)

// collect walks a tree and returns every node, in no particular order.
func collect(v any) []Node {
	var out []Node
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case Node:
			walk(map[string]any(x))
		case map[string]any:
			out = append(out, Node(x))
			for _, c := range x {
				walk(c)
			}
		case []any:
			for _, c := range x {
				walk(c)
			}
		}
	}
	walk(v)
	return out
}

// TestTree pins the shape of json_serialize_sql's tree that pipeline/access.go (what
// analysts' SQL may read) and the model DAG rely on: every node kind and field the Node
// accessors read, with byte offsets after Chinese text.
func TestTree(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := memDB(t)
	text := `-- 说明：中文
WITH recent AS (SELECT * EXCLUDE (content) FROM appeals WHERE content IS NOT NULL)
SELECT r.uscc, count(a.content), count(DISTINCT a.content), COLUMNS('x.*'), a.*
FROM main.registry AS r JOIN recent a ON r.uscc = a.uscc, range(3), cat.s.t, published.p
WHERE r.uscc IN (SELECT uscc FROM raw.registry)`
	p, err := Parse(ctx, db, text)
	if err != nil || p.Failed || len(p.Statements) != 1 {
		t.Fatalf("Parse: %+v, %v", p, err)
	}
	nodes := collect(p.Statements[0])
	find := func(match func(Node) bool) []Node {
		var out []Node
		for _, n := range nodes {
			if match(n) {
				out = append(out, n)
			}
		}
		return out
	}
	// CTEs and the SELECT nodes.
	var ctes []string
	for _, n := range nodes {
		ctes = append(ctes, n.CTENames()...)
	}
	if !slices.Equal(ctes, []string{"recent"}) {
		t.Errorf("CTE names %q", ctes)
	}
	if n := len(find(func(n Node) bool { return n.Type() == SelectNode })); n != 3 {
		t.Errorf("%d SELECT nodes, want 3 (main, CTE, subquery)", n)
	}
	// Base tables, with catalog, schema, alias and byte offsets.
	var tables []string
	for _, n := range find(func(n Node) bool { return n.Type() == BaseTable }) {
		c, s, name, alias := n.Table()
		if got := text[n.Offset():]; !strings.HasPrefix(got, strings.TrimPrefix(strings.Join([]string{c, s, name}, "."), ".")) && !strings.HasPrefix(got, name) {
			t.Errorf("table %s.%s.%s at byte %d, where the text reads %.20q", c, s, name, n.Offset(), got)
		}
		tables = append(tables, c+"|"+s+"|"+name+"|"+alias)
	}
	slices.Sort(tables)
	want := []string{"cat|s|t|", "|main|registry|r", "|published|p|", "|raw|registry|", "||appeals|", "||recent|a"}
	slices.Sort(want)
	if !slices.Equal(tables, want) {
		t.Errorf("base tables\n%q, want\n%q", tables, want)
	}
	// The FROM clause: a join with its two sides.
	var joins int
	for _, n := range find(func(n Node) bool { return n.Type() == SelectNode }) {
		if f, ok := n.Fields()[FromTable].(map[string]any); ok && Node(f).Type() == Join {
			joins++
			if _, ok := f[Left].(map[string]any); !ok {
				t.Error("a JOIN without its left side")
			}
			if _, ok := f[Right].(map[string]any); !ok {
				t.Error("a JOIN without its right side")
			}
		}
	}
	if joins != 1 {
		t.Errorf("%d SELECTs FROM a join, want 1", joins)
	}
	// A table function and its name.
	if fs := find(func(n Node) bool { return n.Type() == TableFunction }); len(fs) != 1 || fs[0].FunctionName() != "range" {
		t.Errorf("table functions: %v", fs)
	}
	// Column references, as written.
	var cols []string
	for _, n := range find(func(n Node) bool { return n.Class() == ColumnRef }) {
		cols = append(cols, strings.Join(n.ColumnNames(), "."))
	}
	for _, c := range []string{"r.uscc", "a.content", "content", "uscc"} {
		if !slices.Contains(cols, c) {
			t.Errorf("no column reference %s in %q", c, cols)
		}
	}
	// count(x) and count(DISTINCT x), with their operands under Arguments.
	var counts []bool
	for _, n := range find(func(n Node) bool { return n.Class() == Function && n.FunctionName() == "count" }) {
		counts = append(counts, n.Distinct())
		if args, ok := n.Fields()[Arguments].([]any); !ok || len(args) != 1 {
			t.Errorf("count's operands: %v", n.Fields()[Arguments])
		}
	}
	slices.SortFunc(counts, func(a, b bool) int {
		if a == b {
			return 0
		} else if a {
			return 1
		}
		return -1
	})
	if !slices.Equal(counts, []bool{false, true}) {
		t.Errorf("count and count(DISTINCT): %v", counts)
	}
	// IS NOT NULL, with its operand under Arguments.
	if ns := find(func(n Node) bool { return n.Type() == IsNotNull }); len(ns) != 1 || ns[0].Fields()[Arguments] == nil {
		t.Errorf("IS NOT NULL nodes: %v", ns)
	}
	// Stars: * EXCLUDE, COLUMNS('re') and a qualified a.*.
	var stars []string
	for _, n := range find(func(n Node) bool { return n.Class() == Star }) {
		rel, regex, ex := n.StarOf()
		stars = append(stars, rel+"|"+map[bool]string{true: "re", false: ""}[regex]+"|"+strings.Join(ex, ","))
	}
	slices.Sort(stars)
	if want := []string{"a||", "|re|", "||content"}; !slices.Equal(stars, want) {
		t.Errorf("stars %q, want %q", stars, want)
	}
	if off := FirstOffset(p.Statements[0]); off < 0 || !strings.HasPrefix(text[off:], "SELECT") && !strings.HasPrefix(text[off:], "recent") && !strings.HasPrefix(text[off:], "*") {
		t.Errorf("FirstOffset = %d (%.20q)", off, text[max(off, 0):])
	}
}

// TestParseErrors pins how json_serialize_sql reports what it cannot serialize: a syntax
// error at a character offset (converted to bytes), a statement other than SELECT, and
// SUMMARIZE as a SHOW_REF inside a SELECT.
func TestParseErrors(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := memDB(t)
	text := "-- 中文说明\nSELECT '民营' FROM FROM reg"
	p, err := Parse(ctx, db, text)
	if err != nil || !p.Failed || p.NotSelect {
		t.Fatalf("a syntax error: %+v, %v", p, err)
	}
	if !strings.Contains(p.Error, "syntax error") || p.ErrorOffset < 0 || !strings.HasPrefix(text[p.ErrorOffset:], "FROM reg") {
		t.Errorf("syntax error %q at byte %d, want the second FROM (byte %d)", p.Error, p.ErrorOffset, strings.LastIndex(text, "FROM"))
	}
	for _, q := range []string{"DELETE FROM reg", "COPY reg TO 'x.csv'", "ATTACH 'x.duckdb'", "SET threads = 1", "PIVOT reg ON a USING sum(b)"} {
		p, err := Parse(ctx, db, q)
		if err != nil || !p.Failed || !p.NotSelect {
			t.Errorf("%s: %+v, %v; want NotSelect", q, p, err)
		}
	}
	p, err = Parse(ctx, db, "SELECT 1; SELECT 2 FROM reg")
	if err != nil || p.Failed || len(p.Statements) != 2 || FirstOffset(p.Statements[1]) != strings.Index("SELECT 1; SELECT 2 FROM reg", "2 FROM") {
		t.Errorf("two statements: %+v, %v, second at %d", p, err, FirstOffset(p.Statements[1]))
	}
	p, err = Parse(ctx, db, "SELECT * FROM (SUMMARIZE reg)")
	if err != nil || p.Failed {
		t.Fatalf("SUMMARIZE in a subquery: %+v, %v", p, err)
	}
	if len(slices.DeleteFunc(collect(p.Statements[0]), func(n Node) bool { return n.Type() != ShowRef })) != 1 {
		t.Error("SUMMARIZE is no SHOW_REF node")
	}
}

// TestTreeComputes pins what pipeline/chapterrules.go reads to find a chapter's query that
// computes over rows: GroupBy with its offset, GroupByAll, Window with its name and offset,
// aggregates as Functions (count(*) as count_star), after Chinese text.
func TestTreeComputes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := memDB(t)
	text := "SELECT '中文' AS 名称, count(*), row_number() OVER (ORDER BY a) FROM t GROUP BY a"
	p, err := Parse(ctx, db, text)
	if err != nil || p.Failed || len(p.Statements) != 1 {
		t.Fatalf("Parse: %+v, %v", p, err)
	}
	var sel, win, cnt Node
	for _, n := range collect(p.Statements[0]) {
		switch {
		case n.Type() == SelectNode:
			sel = n
		case n.Class() == Window:
			win = n
		case n.Class() == Function && n.FunctionName() == "count_star":
			cnt = n
		}
	}
	if sel == nil || win == nil || cnt == nil {
		t.Fatalf("select %v, window %v, count_star %v", sel != nil, win != nil, cnt != nil)
	}
	groups, _ := sel.Fields()[GroupBy].([]any)
	if len(groups) != 1 || FirstOffset(groups[0]) != strings.LastIndex(text, "a") {
		t.Errorf("GROUP BY: %v at %d", groups, FirstOffset(groups))
	}
	if sel.GroupByAll() {
		t.Error("GROUP BY a read as GROUP BY ALL")
	}
	if win.FunctionName() != "row_number" || win.Offset() != strings.Index(text, "row_number") {
		t.Errorf("window %q at %d", win.FunctionName(), win.Offset())
	}
	if cnt.Offset() != strings.Index(text, "count") {
		t.Errorf("count(*) at %d", cnt.Offset())
	}
	all, err := Parse(ctx, db, "SELECT a, sum(b) FROM t GROUP BY ALL")
	if err != nil || all.Failed {
		t.Fatal(err)
	}
	for _, n := range collect(all.Statements[0]) {
		if n.Type() == SelectNode && !n.GroupByAll() {
			t.Error("GROUP BY ALL not seen")
		}
	}
}
