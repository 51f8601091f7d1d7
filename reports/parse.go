package reports

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// pos is a place in a template: 1-based line and column (in characters).
type pos struct{ line, col int }

// chapter is one parsed chapter template.
type chapter struct {
	file   string // path in the fs.FS, e.g. chapters/01_market.md
	stem   string // 01_market
	number int    // 1, from the NN prefix; numbers the figures and tables
	title  text
	blocks []block
	// queries are the chapter's SQL blocks in order; names maps a query's
	// short name to its index in queries.
	queries []Query
	names   map[string]int
}

// text is a run of literal text and value references such as {{q.col | pct}}.
type text []span

// span is one piece of a text: a literal or a reference. Spans of one
// optional part, written [[…]], share a group number (0: not optional): the
// part is left out when a value in it is NULL.
type span struct {
	lit   string
	ref   *ref
	group int
}

// ref is one {{...}} reference in a template.
type ref struct {
	at       pos    // of the "{{"
	src      string // as written, for messages
	builtin  string // city, year, cutoff, prev_year, as_of, period; or "" for a query value
	query    string
	queryAt  pos
	column   string
	columnAt pos
	format   string
	formatAt pos
}

// blockKind says what a block is.
type blockKind int

const (
	blockHeading blockKind = iota
	blockParagraph
	blockList
	blockQuote
	blockPipeTable
	blockRule
	blockPre
	blockChart
	blockTable
	blockKPI
)

// block is one block of a chapter in reading order.
type block struct {
	kind    blockKind
	at      pos
	level   int    // heading level, 2..4
	ordered bool   // list
	text    text   // heading, paragraph, quote
	items   []text // list items
	rows    [][]text
	pre     string
	chart   *chartSpec
	table   *tableSpec
	kpis    []kpiSpec
	conds   []cond // every one must hold for the block to be shown
}

// kpiSpec is one headline figure of a ```kpi block: a label, the value
// (with its unit) and, optionally, its change on the year before and a note.
type kpiSpec struct {
	at     pos
	label  text
	value  text
	change text
	note   text
}

// field is a column name in a directive, with where it was written.
type field struct {
	name string
	at   pos
}

// chartSpec is a parsed ```chart block.
type chartSpec struct {
	at          pos
	kind        string // line, bar, hbar, stackbar, pie, rose, heatmap, linebar, band, map
	fallback    string // map: the kind drawn when the data folder has no district map (bar or hbar)
	kindAt      pos
	title       text
	data        string
	dataAt      pos
	x           field
	y           []field
	line        []field // linebar: the series drawn as a line on the right axis
	value       field   // heatmap
	series      field   // long-format column pivoted into one series per value
	seriesNames []string
	namesAt     pos
	xName       string // the axis names as the chart is drawn: set from the templates below
	yName       string // when the figure is rendered
	y2Name      string
	axisNames   [3]text // x_name, y_name, y2_name, which may hold {{query.column}} (a unit)
	format      string  // of the y values
	lineFormat  string  // of the line values (linebar)
	height      int
	note        text
}

// tableSpec is a parsed ```table block.
type tableSpec struct {
	at      pos
	title   text
	data    string
	dataAt  pos
	columns []tableColumn // empty: every column, headed by its name
	limit   int
	note    text
	empty   text // shown in place of the rows when the query returns none
}

// tableColumn is one entry of a table's columns: list.
type tableColumn struct {
	field
	header string
	format string
}

var (
	queryName  = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	headingRe  = regexp.MustCompile(`^(#{1,6})\s+(.*)$`)
	orderedRe  = regexp.MustCompile(`^[0-9]{1,3}[.)]\s+`)
	bulletRe   = regexp.MustCompile(`^[-*+]\s+`)
	ruleRe     = regexp.MustCompile(`^(-{3,}|\*{3,}|_{3,})$`)
	tableSepRe = regexp.MustCompile(`^\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?$`)
)

// parser reads one chapter template.
type parser struct {
	file   string
	lines  []string
	errs   *errorList
	c      *chapter
	conds  []cond // the {{if}}s open at the current line
	groups int    // the [[ ]] parts numbered so far
}

func (p *parser) errorf(at pos, format string, args ...any) {
	p.errs.add(p.file, at, format, args...)
}

// parseChapter parses the template src of file; errors go to errs.
func parseChapter(file, stem string, number int, src string, errs *errorList) *chapter {
	src = strings.TrimPrefix(src, "\uFEFF")
	src = strings.ReplaceAll(src, "\r\n", "\n")
	p := &parser{file: file, lines: strings.Split(src, "\n"), errs: errs,
		c: &chapter{file: file, stem: stem, number: number, names: map[string]int{}}}
	for i, l := range p.lines {
		if strings.ContainsRune(l, 0) || !utf8.ValidString(l) {
			p.errorf(pos{i + 1, 1}, "line is not valid UTF-8 text; save the file as UTF-8")
			p.lines[i] = strings.ToValidUTF8(strings.ReplaceAll(l, "\x00", ""), "\uFFFD")
		}
	}
	first := p.lines[0]
	if m := headingRe.FindStringSubmatch(first); m != nil && m[1] == "#" && strings.TrimSpace(m[2]) != "" {
		p.c.title = p.parseText(m[2], pos{1, runeCol(first, m[2])})
	} else {
		p.errorf(pos{1, 1}, "the first line must be the chapter title, e.g. \"# 第一章 市场主体\"")
	}
	p.parseBlocks(1)
	for _, c := range p.conds {
		p.errorf(c.at, "{{if}} is never closed; end it with a line holding only {{end}}")
	}
	p.checkRefs()
	return p.c
}

// cond is one {{if q.col}} around blocks: they are shown only when the value
// (the column of the query's first row) is true, a non-zero number or a
// non-empty text; after {{else}}, only when it is not.
type cond struct {
	at     pos
	ref    *ref
	negate bool
	inElse bool
}

// controlRe matches a line holding only {{if q.col}}, {{if not q.col}},
// {{else}} or {{end}}.
var controlRe = regexp.MustCompile(`^\{\{\s*(if|else|end)\b\s*(.*?)\s*\}\}$`)

// add appends a block under the conditions open at this point.
func (p *parser) add(b block) {
	b.conds = slices.Clone(p.conds)
	p.c.blocks = append(p.c.blocks, b)
}

// control handles a {{if}}, {{else}} or {{end}} line.
func (p *parser) control(line string, lineNo int) {
	t := strings.TrimSpace(line)
	m := controlRe.FindStringSubmatch(t)
	at := pos{lineNo, runeCol(line, t)}
	switch m[1] {
	case "if":
		expr := m[2]
		negate := false
		if rest, ok := strings.CutPrefix(expr, "not "); ok {
			negate, expr = true, strings.TrimSpace(rest)
		}
		exprAt := pos{lineNo, at.col + utf8.RuneCountInString(t[:strings.Index(t, expr)])}
		if expr == "" || !strings.Contains(expr, ".") || strings.ContainsAny(expr, " |") {
			p.errorf(exprAt, "write {{if query.column}} or {{if not query.column}}")
			expr = ""
		}
		c := cond{at: at, negate: negate}
		if expr != "" {
			c.ref = p.parseRef(expr, pos{lineNo, exprAt.col - 2})
			c.ref.src = "{{if " + m[2] + "}}"
		}
		p.conds = append(p.conds, c)
	case "else":
		if m[2] != "" {
			p.errorf(at, "{{else}} takes nothing after it")
		}
		if len(p.conds) == 0 {
			p.errorf(at, "{{else}} without an open {{if}}")
			return
		}
		if top := p.conds[len(p.conds)-1]; top.inElse {
			p.errorf(at, "a second {{else}} for the {{if}} of line %d", top.at.line)
			return
		}
		top := &p.conds[len(p.conds)-1]
		top.negate, top.inElse = !top.negate, true
	case "end":
		if m[2] != "" {
			p.errorf(at, "{{end}} takes nothing after it")
		}
		if len(p.conds) == 0 {
			p.errorf(at, "{{end}} without an open {{if}}")
			return
		}
		p.conds = p.conds[:len(p.conds)-1]
	}
}

// parseBlocks parses the lines from index i on.
func (p *parser) parseBlocks(i int) {
	for i < len(p.lines) {
		line := p.lines[i]
		t := strings.TrimSpace(line)
		at := pos{i + 1, runeCol(line, t)}
		switch {
		case t == "":
			i++
		case controlRe.MatchString(t):
			p.control(line, i+1)
			i++
		case strings.HasPrefix(t, "```"):
			i = p.parseFence(i)
		case headingRe.MatchString(t):
			m := headingRe.FindStringSubmatch(t)
			level := len(m[1])
			if level == 1 {
				p.errorf(at, "only the first line may be a level-1 heading (#); use ## for a section")
			} else if level > 4 {
				p.errorf(at, "headings go down to #### only")
			}
			p.add(block{kind: blockHeading, at: at, level: level,
				text: p.parseText(m[2], pos{at.line, runeCol(line, m[2])})})
			i++
		case ruleRe.MatchString(t):
			p.add(block{kind: blockRule, at: at})
			i++
		case bulletRe.MatchString(t) || orderedRe.MatchString(t):
			i = p.parseList(i)
		case strings.HasPrefix(t, ">"):
			start := i
			var lines []text
			for i < len(p.lines) && strings.HasPrefix(strings.TrimSpace(p.lines[i]), ">") {
				l := p.lines[i]
				body := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(l), ">"))
				lines = append(lines, p.parseText(body, pos{i + 1, runeCol(l, body)}))
				i++
			}
			p.add(block{kind: blockQuote, at: pos{start + 1, 1}, text: joinLines(lines)})
		case strings.HasPrefix(t, "|") && i+1 < len(p.lines) && tableSepRe.MatchString(strings.TrimSpace(p.lines[i+1])):
			i = p.parsePipeTable(i)
		default:
			var lines []text
			for i < len(p.lines) {
				l := p.lines[i]
				lt := strings.TrimSpace(l)
				if lt == "" || (len(lines) > 0 && startsBlock(lt)) {
					break
				}
				lines = append(lines, p.parseText(lt, pos{i + 1, runeCol(l, lt)}))
				i++
			}
			p.add(block{kind: blockParagraph, at: at, text: joinLines(lines)})
		}
	}
}

// startsBlock reports whether a trimmed line starts a block other than a paragraph.
func startsBlock(t string) bool {
	return controlRe.MatchString(t) || strings.HasPrefix(t, "```") || headingRe.MatchString(t) || bulletRe.MatchString(t) ||
		orderedRe.MatchString(t) || strings.HasPrefix(t, ">") || ruleRe.MatchString(t) || strings.HasPrefix(t, "|")
}

// parseList parses a bullet or numbered list starting at line i; lines
// indented under an item continue it.
func (p *parser) parseList(i int) int {
	first := strings.TrimSpace(p.lines[i])
	b := block{kind: blockList, at: pos{i + 1, runeCol(p.lines[i], first)}, ordered: orderedRe.MatchString(first)}
	var item []text
	flush := func() {
		if item != nil {
			b.items = append(b.items, joinLines(item))
			item = nil
		}
	}
	for i < len(p.lines) {
		l := p.lines[i]
		t := strings.TrimSpace(l)
		if t == "" {
			break
		}
		marker := bulletRe
		if b.ordered {
			marker = orderedRe
		}
		if m := marker.FindString(t); m != "" {
			flush()
			body := t[len(m):]
			item = append(item, p.parseText(body, pos{i + 1, runeCol(l, body)}))
		} else if item != nil && (l[0] == ' ' || l[0] == '\t') && !startsBlock(t) {
			item = append(item, p.parseText(t, pos{i + 1, runeCol(l, t)}))
		} else {
			break
		}
		i++
	}
	flush()
	p.add(b)
	return i
}

// parsePipeTable parses a Markdown pipe table starting at line i (header,
// separator, rows).
func (p *parser) parsePipeTable(i int) int {
	b := block{kind: blockPipeTable, at: pos{i + 1, 1}}
	row := func(i int) []text {
		l := p.lines[i]
		t := strings.TrimSpace(l)
		t = strings.TrimSuffix(strings.TrimPrefix(t, "|"), "|")
		var cells []text
		for _, c := range strings.Split(t, "|") {
			c = strings.TrimSpace(c)
			cells = append(cells, p.parseText(c, pos{i + 1, runeCol(l, c)}))
		}
		return cells
	}
	b.rows = append(b.rows, row(i))
	i += 2
	for i < len(p.lines) && strings.HasPrefix(strings.TrimSpace(p.lines[i]), "|") {
		b.rows = append(b.rows, row(i))
		i++
	}
	p.add(b)
	return i
}

// parseFence parses a fenced block opening at line i and returns the index
// of the line after it.
func (p *parser) parseFence(i int) int {
	open := p.lines[i]
	t := strings.TrimSpace(open)
	at := pos{i + 1, runeCol(open, t)}
	info := strings.TrimSpace(strings.TrimLeft(t, "`"))
	infoAt := pos{i + 1, runeCol(open, info)}
	end := i + 1
	for end < len(p.lines) && strings.TrimSpace(p.lines[end]) != "```" {
		end++
	}
	if end == len(p.lines) {
		p.errorf(at, "``` block is never closed; end it with a line holding only ```")
		return end
	}
	body := p.lines[i+1 : end]
	words := strings.Fields(info)
	kind := ""
	if len(words) > 0 {
		kind = words[0]
	}
	switch kind {
	case "sql":
		p.parseSQL(words, infoAt, body, i+2)
	case "chart":
		if len(words) > 1 {
			p.errorf(infoAt, "```chart takes no name; write the keys on the lines below it")
		}
		p.add(block{kind: blockChart, at: at, chart: p.parseChart(at, body, i+2)})
	case "table":
		if len(words) > 1 {
			p.errorf(infoAt, "```table takes no name; write the keys on the lines below it")
		}
		p.add(block{kind: blockTable, at: at, table: p.parseTable(at, body, i+2)})
	case "kpi":
		if len(words) > 1 {
			p.errorf(infoAt, "```kpi takes no name; write the keys on the lines below it")
		}
		p.add(block{kind: blockKPI, at: at, kpis: p.parseKPI(at, body, i+2)})
	case "", "text":
		p.add(block{kind: blockPre, at: at, pre: strings.Join(body, "\n")})
	default:
		p.errorf(infoAt, "unknown directive ```%s; a block is ```sql NAME, ```chart, ```table, ```kpi or ```text", kind)
	}
	return end + 1
}

// parseSQL records a ```sql NAME block whose body starts on line bodyLine.
func (p *parser) parseSQL(words []string, at pos, body []string, bodyLine int) {
	if len(words) != 2 {
		p.errorf(at, "a query block needs one name: ```sql NAME (lower-case letters, digits, _)")
		return
	}
	name := words[1]
	nameAt := pos{at.line, at.col + utf8.RuneCountInString("sql ")}
	if !queryName.MatchString(name) {
		p.errorf(nameAt, "bad query name %q: use lower-case letters, digits and _, starting with a letter", name)
		return
	}
	if _, dup := p.c.names[name]; dup {
		p.errorf(nameAt, "query %s is declared twice in this chapter", name)
		return
	}
	// Leading blank lines move the reported first line down to the SQL itself.
	for len(body) > 0 && strings.TrimSpace(body[0]) == "" {
		body = body[1:]
		bodyLine++
	}
	sql := strings.TrimRight(strings.Join(body, "\n"), " \t\n")
	if sql == "" {
		p.errorf(nameAt, "query %s is empty", name)
		return
	}
	p.c.names[name] = len(p.c.queries)
	p.c.queries = append(p.c.queries, Query{ID: p.c.stem + "." + name, SQL: sql, File: p.file, Line: bodyLine})
}

// kv is one "key: value" line of a chart or table block.
type kv struct {
	key   string
	keyAt pos
	val   string
	valAt pos
}

var keyRe = regexp.MustCompile(`^([A-Za-z_][A-Za-z0-9_]*)\s*[:：]\s*`)

// parseKV reads the key: value lines of a directive block. Blank lines and
// comments (# to the end of the line, after a space) are skipped; a key
// given twice is an error.
func (p *parser) parseKV(kind string, body []string, firstLine int, keys string) map[string]kv {
	known := strings.Fields(keys)
	out := map[string]kv{}
	for j, l := range body {
		line := firstLine + j
		t := stripComment(l)
		if t == "" {
			continue
		}
		at := pos{line, runeCol(l, t)}
		m := keyRe.FindStringSubmatch(t)
		if m == nil {
			p.errorf(at, "expected \"key: value\" in the %s block", kind)
			continue
		}
		key := m[1]
		if !slices.Contains(known, key) {
			p.errorf(at, "unknown key %q in the %s block (known: %s)", key, kind, strings.Join(known, ", "))
			continue
		}
		if _, dup := out[key]; dup {
			p.errorf(at, "key %q is given twice", key)
			continue
		}
		val := t[len(m[0]):]
		out[key] = kv{key: key, keyAt: at, val: val, valAt: pos{line, at.col + utf8.RuneCountInString(m[0])}}
	}
	return out
}

// stripComment trims a directive line and drops a # comment that starts the
// line or follows a space.
func stripComment(l string) string {
	t := strings.TrimSpace(l)
	if strings.HasPrefix(t, "#") {
		return ""
	}
	for i := 1; i < len(t); i++ {
		if t[i] == '#' && (t[i-1] == ' ' || t[i-1] == '\t') {
			return strings.TrimSpace(t[:i])
		}
	}
	return t
}

// splitList splits a comma-separated value (ASCII or full-width commas) into
// trimmed items with their positions.
func splitList(v kv) []field {
	var out []field
	col := v.valAt.col
	start := 0
	runes := []rune(v.val)
	for i := 0; i <= len(runes); i++ {
		if i == len(runes) || runes[i] == ',' || runes[i] == '，' {
			raw := string(runes[start:i])
			item := strings.TrimSpace(raw)
			lead := utf8.RuneCountInString(raw) - utf8.RuneCountInString(strings.TrimLeft(raw, " \t"))
			out = append(out, field{name: item, at: pos{v.valAt.line, col + start + lead}})
			start = i + 1
		}
	}
	return out
}

// chartKeys are the keys of a ```chart block; chartKinds its types.
const (
	chartKeys  = "type title data x y line value series series_names x_name y_name y2_name format line_format height note fallback"
	chartKinds = "line bar hbar stackbar pie rose heatmap linebar band map"
)

// parseChart parses the body of a ```chart block opened at at.
func (p *parser) parseChart(at pos, body []string, firstLine int) *chartSpec {
	kvs := p.parseKV("chart", body, firstLine, chartKeys)
	s := &chartSpec{at: at}
	need := func(key string) (kv, bool) {
		v, has := kvs[key]
		if !has || v.val == "" {
			p.errorf(at, "chart block is missing the key %q", key)
		}
		return v, has && v.val != ""
	}
	if v, has := need("type"); has {
		s.kind, s.kindAt = v.val, v.valAt
		if !slices.Contains(strings.Fields(chartKinds), v.val) {
			p.errorf(v.valAt, "bad chart type %q (known: %s)", v.val, strings.Join(strings.Fields(chartKinds), ", "))
		}
	}
	if v, has := need("title"); has {
		s.title = p.parseText(v.val, v.valAt)
	}
	if v, has := need("data"); has {
		s.data, s.dataAt = v.val, v.valAt
	}
	if v, has := need("x"); has {
		s.x = p.oneField(v)
	}
	if v, has := need("y"); has {
		s.y = p.fields(v)
	}
	if v, has := kvs["note"]; has {
		s.note = p.parseText(v.val, v.valAt)
	}
	for i, k := range []string{"x_name", "y_name", "y2_name"} {
		if v, has := kvs[k]; has && v.val != "" {
			s.axisNames[i] = p.parseText(v.val, v.valAt)
		}
	}
	for _, k := range []string{"format", "line_format"} {
		if v, has := kvs[k]; has {
			if !chartFormat(v.val) {
				p.errorf(v.valAt, "bad %s %q for a chart (known: count, money, pct, int, num1, num2)", k, v.val)
			}
		}
	}
	s.format, s.lineFormat = kvs["format"].val, kvs["line_format"].val
	if v, has := kvs["height"]; has {
		h, err := strconv.Atoi(strings.TrimSuffix(v.val, "px"))
		if err != nil || h < 120 || h > 1600 {
			p.errorf(v.valAt, "height must be a number of pixels between 120 and 1600, got %q", v.val)
		}
		s.height = h
	}
	if v, has := kvs["series"]; has {
		s.series = p.oneField(v)
	}
	if v, has := kvs["value"]; has {
		s.value = p.oneField(v)
	}
	if v, has := kvs["line"]; has {
		s.line = p.fields(v)
	}
	// Keys that belong to one chart type only.
	only := func(key, kind string) {
		if v, has := kvs[key]; has && s.kind != kind && s.kind != "" {
			p.errorf(v.keyAt, "key %q is only for %s charts", key, kind)
		}
	}
	only("value", "heatmap")
	only("line", "linebar")
	only("y2_name", "linebar")
	only("line_format", "linebar")
	only("fallback", "map")
	switch s.kind {
	case "map":
		// x is the district name column; without a district map the chart is drawn as its fallback.
		s.fallback = "bar"
		if v, has := kvs["fallback"]; has {
			if v.val != "bar" && v.val != "hbar" {
				p.errorf(v.valAt, "bad fallback %q for a map (known: bar, hbar)", v.val)
			}
			s.fallback = v.val
		}
		if len(s.y) > 1 {
			p.errorf(s.y[1].at, "a map takes one y column (the value of each district)")
		}
	case "heatmap":
		need("value")
		if len(s.y) > 1 {
			p.errorf(s.y[1].at, "a heatmap takes one y column (the row category)")
		}
	case "linebar":
		need("line")
	case "band":
		if len(s.y) != 4 && len(s.y) > 0 {
			p.errorf(s.y[0].at, "a band chart takes four y columns: value, expected, lower, upper")
		}
	case "pie", "rose":
		if len(s.y) > 1 {
			p.errorf(s.y[1].at, "a %s chart takes one y column (the slice value)", s.kind)
		}
	}
	if v, has := kvs["series"]; has {
		switch s.kind {
		case "pie", "rose", "heatmap", "linebar", "band", "map":
			p.errorf(v.keyAt, "key \"series\" does not apply to %s charts", s.kind)
		}
		if len(s.y) > 1 {
			p.errorf(s.y[1].at, "with series: give one y column (the value to pivot)")
		}
	}
	if v, has := kvs["series_names"]; has {
		names := splitList(v)
		for _, n := range names {
			s.seriesNames = append(s.seriesNames, n.name)
		}
		s.namesAt = v.valAt
		switch {
		case kvs["series"].val != "":
			p.errorf(v.keyAt, "series_names cannot be used with series: (the names come from the data)")
		case len(names) != len(s.y)+len(s.line) && len(s.y) > 0:
			p.errorf(v.valAt, "series_names gives %d names for %d series", len(names), len(s.y)+len(s.line))
		}
	}
	return s
}

// oneField reads a value that must be a single column name.
func (p *parser) oneField(v kv) field {
	fs := p.fields(v)
	if len(fs) != 1 {
		p.errorf(v.valAt, "key %q takes one column name", v.key)
		return field{}
	}
	return fs[0]
}

// fields reads a comma-separated list of column names.
func (p *parser) fields(v kv) []field {
	fs := splitList(v)
	for _, f := range fs {
		if f.name == "" {
			p.errorf(f.at, "empty column name in %q", v.key)
		}
	}
	return fs
}

// parseKPI parses the body of a ```kpi block opened at at: cards of
// label, value, change and note lines, each card starting with its label.
func (p *parser) parseKPI(at pos, body []string, firstLine int) []kpiSpec {
	var cards []kpiSpec
	for j, l := range body {
		line := firstLine + j
		t := stripComment(l)
		if t == "" {
			continue
		}
		lat := pos{line, runeCol(l, t)}
		m := keyRe.FindStringSubmatch(t)
		if m == nil {
			p.errorf(lat, "expected \"key: value\" in the kpi block (keys: label, value, change, note)")
			continue
		}
		key, val := m[1], t[len(m[0]):]
		valAt := pos{line, lat.col + utf8.RuneCountInString(m[0])}
		if key == "label" {
			cards = append(cards, kpiSpec{at: lat, label: p.parseText(val, valAt)})
			continue
		}
		if len(cards) == 0 {
			p.errorf(lat, "a kpi card starts with its label: line; %q comes before any label", key)
			continue
		}
		c := &cards[len(cards)-1]
		var dst *text
		switch key {
		case "value":
			dst = &c.value
		case "change":
			dst = &c.change
		case "note":
			dst = &c.note
		default:
			p.errorf(lat, "unknown key %q in the kpi block (known: label, value, change, note)", key)
			continue
		}
		if *dst != nil {
			p.errorf(lat, "key %q is given twice for the card %q", key, plainText(c.label))
			continue
		}
		*dst = p.parseText(val, valAt)
		if *dst == nil {
			*dst = text{}
		}
	}
	if len(cards) == 0 {
		p.errorf(at, "kpi block has no cards; write label: and value: lines")
	}
	for _, c := range cards {
		if len(c.value) == 0 {
			p.errorf(c.at, "kpi card %q has no value: line", plainText(c.label))
		}
	}
	return cards
}

// plainText returns the literal parts of t, for messages.
func plainText(t text) string {
	var b strings.Builder
	for _, s := range t {
		if s.ref != nil {
			b.WriteString(s.ref.src)
		} else {
			b.WriteString(s.lit)
		}
	}
	return b.String()
}

// tableKeys are the keys of a ```table block.
const tableKeys = "title data columns limit note empty"

// parseTable parses the body of a ```table block opened at at.
func (p *parser) parseTable(at pos, body []string, firstLine int) *tableSpec {
	kvs := p.parseKV("table", body, firstLine, tableKeys)
	s := &tableSpec{at: at}
	for _, k := range []string{"title", "data"} {
		if kvs[k].val == "" {
			p.errorf(at, "table block is missing the key %q", k)
		}
	}
	if v, has := kvs["title"]; has {
		s.title = p.parseText(v.val, v.valAt)
	}
	s.data, s.dataAt = kvs["data"].val, kvs["data"].valAt
	if v, has := kvs["note"]; has {
		s.note = p.parseText(v.val, v.valAt)
	}
	if v, has := kvs["empty"]; has {
		s.empty = p.parseText(v.val, v.valAt)
	}
	if v, has := kvs["limit"]; has {
		n, err := strconv.Atoi(v.val)
		if err != nil || n < 1 {
			p.errorf(v.valAt, "limit must be a positive number of rows, got %q", v.val)
		}
		s.limit = n
	}
	if v, has := kvs["columns"]; has {
		for _, f := range splitList(v) {
			c := tableColumn{field: f, header: f.name}
			if name, header, found := strings.Cut(f.name, "="); found {
				c.name, c.header = strings.TrimSpace(name), strings.TrimSpace(header)
				if i := strings.LastIndexAny(c.header, ":："); i >= 0 {
					fmtName := strings.TrimSpace(c.header[i:])
					fmtName = strings.TrimLeft(fmtName, ":：")
					fmtAt := pos{f.at.line, f.at.col + utf8.RuneCountInString(f.name[:strings.LastIndexAny(f.name, ":：")]) + 1}
					if !knownFormat(fmtName) {
						p.errorf(fmtAt, "unknown format %q (known: %s)", fmtName, formatNames)
					}
					c.format = fmtName
					c.header = strings.TrimSpace(c.header[:i])
				}
			}
			if c.name == "" || c.header == "" {
				p.errorf(f.at, "a column is written column=标题 or column=标题:format")
			}
			s.columns = append(s.columns, c)
		}
	}
	return s
}

// parseText splits s, which starts at at, into literals and {{...}} references.
func (p *parser) parseText(s string, at pos) text {
	var out text
	col := at.col
	group := 0 // the [[ ]] open here, 0 for none
	var groupAt pos
	for s != "" {
		i := firstOf(s, "{{", "[[", "]]")
		if i < 0 {
			out = append(out, span{lit: s, group: group})
			break
		}
		if i > 0 {
			out = append(out, span{lit: s[:i], group: group})
			col += utf8.RuneCountInString(s[:i])
			s = s[i:]
		}
		here := pos{at.line, col}
		switch {
		case strings.HasPrefix(s, "[["):
			if group != 0 {
				p.errorf(here, "[[ inside [[ ]]; an optional part cannot hold another")
			} else {
				p.groups++
				group, groupAt = p.groups, here
			}
			s, col = s[2:], col+2
		case strings.HasPrefix(s, "]]"):
			if group == 0 {
				p.errorf(here, "]] without [[ before it on this line")
			}
			group = 0
			s, col = s[2:], col+2
		default:
			j := strings.Index(s, "}}")
			if j < 0 {
				p.errorf(here, "{{ is never closed with }}")
				return out
			}
			r := p.parseRef(s[2:j], here)
			r.src = s[:j+2]
			out = append(out, span{ref: r, group: group})
			col += utf8.RuneCountInString(s[:j+2])
			s = s[j+2:]
		}
	}
	if group != 0 {
		p.errorf(groupAt, "[[ is never closed with ]] on this line")
	}
	return out
}

// firstOf returns the index of the first of the words in s, or -1.
func firstOf(s string, words ...string) int {
	best := -1
	for _, w := range words {
		if i := strings.Index(s, w); i >= 0 && (best < 0 || i < best) {
			best = i
		}
	}
	return best
}

// builtins are the values a template names without a query.
const builtins = "city year prev_year cutoff as_of period"

// parseRef parses the inside of {{...}} found at at.
func (p *parser) parseRef(inner string, at pos) *ref {
	r := &ref{at: at}
	base := at.col + 2 // first character inside the braces
	expr, format, hasFormat := strings.Cut(inner, "|")
	exprAt := base + leadingRunes(expr)
	expr = strings.TrimSpace(expr)
	if hasFormat {
		r.formatAt = pos{at.line, base + utf8.RuneCountInString(inner[:len(inner)-len(format)]) + leadingRunes(format)}
		r.format = strings.TrimSpace(format)
		if !knownFormat(r.format) {
			p.errorf(r.formatAt, "unknown format %q (known: %s)", r.format, formatNames)
		}
	}
	name, column, hasDot := strings.Cut(expr, ".")
	switch {
	case expr == "":
		p.errorf(at, "empty {{ }}; write {{query.column}} or a built-in (%s)", strings.Join(strings.Fields(builtins), ", "))
	case !hasDot:
		if !slices.Contains(strings.Fields(builtins), expr) {
			p.errorf(pos{at.line, exprAt}, "unknown value %q: write {{query.column}} or a built-in (%s)", expr, strings.Join(strings.Fields(builtins), ", "))
		}
		r.builtin = expr
		if hasFormat {
			p.errorf(r.formatAt, "built-in %s takes no format", expr)
		}
	default:
		r.query, r.queryAt = name, pos{at.line, exprAt}
		r.column = strings.TrimSpace(column)
		r.columnAt = pos{at.line, exprAt + utf8.RuneCountInString(name) + 1}
		if r.column == "" || strings.ContainsAny(r.column, " \t.") {
			p.errorf(r.columnAt, "bad column in %q: write {{query.column}}", expr)
		}
	}
	return r
}

// checkRefs checks that every query a chapter refers to is declared in it.
// Columns can only be checked against the results, when rendering.
func (p *parser) checkRefs() {
	check := func(name string, at pos) {
		if name == "" {
			return
		}
		if _, ok := p.c.names[name]; !ok {
			p.errorf(at, "unknown query %q; this chapter declares: %s", name, p.declared())
		}
	}
	checkText := func(t text) {
		for _, s := range t {
			if s.ref != nil && s.ref.builtin == "" {
				check(s.ref.query, s.ref.queryAt)
			}
		}
	}
	checkText(p.c.title)
	for _, b := range p.c.blocks {
		checkText(b.text)
		for _, it := range b.items {
			checkText(it)
		}
		for _, row := range b.rows {
			for _, cell := range row {
				checkText(cell)
			}
		}
		if b.chart != nil {
			check(b.chart.data, b.chart.dataAt)
			checkText(b.chart.title)
			checkText(b.chart.note)
			for _, t := range b.chart.axisNames {
				checkText(t)
			}
		}
		if b.table != nil {
			check(b.table.data, b.table.dataAt)
			checkText(b.table.title)
			checkText(b.table.note)
			checkText(b.table.empty)
		}
		for _, c := range b.conds {
			if c.ref != nil {
				check(c.ref.query, c.ref.queryAt)
			}
		}
		for _, k := range b.kpis {
			checkText(k.label)
			checkText(k.value)
			checkText(k.change)
			checkText(k.note)
		}
	}
}

// declared lists the chapter's query names for an error message.
func (p *parser) declared() string {
	if len(p.c.queries) == 0 {
		return "(none; declare one with ```sql NAME)"
	}
	names := make([]string, len(p.c.queries))
	for i, q := range p.c.queries {
		names[i] = strings.TrimPrefix(q.ID, p.c.stem+".")
	}
	return strings.Join(names, ", ")
}

// joinLines joins the lines of a paragraph: with nothing between Chinese
// characters (a line break there is not a space in Chinese), with a space
// between other characters.
func joinLines(lines []text) text {
	var out text
	for i, l := range lines {
		if i > 0 && len(l) > 0 && len(out) > 0 {
			if !wide(lastRune(out)) && !wide(firstRune(l)) {
				out = append(out, span{lit: " "})
			}
		}
		out = append(out, l...)
	}
	return out
}

func lastRune(t text) rune {
	s := t[len(t)-1]
	if s.ref != nil {
		return 'x'
	}
	r, _ := utf8.DecodeLastRuneInString(s.lit)
	return r
}

func firstRune(t text) rune {
	if t[0].ref != nil {
		return 'x'
	}
	r, _ := utf8.DecodeRuneInString(t[0].lit)
	return r
}

// wide reports whether r is a CJK character or full-width punctuation.
func wide(r rune) bool {
	return r >= 0x2E80 || unicode.Is(unicode.Han, r)
}

// runeCol returns the 1-based character column at which sub starts in line;
// sub must be a substring of line (the first match is used).
func runeCol(line, sub string) int {
	i := strings.Index(line, sub)
	if i < 0 {
		return 1
	}
	return utf8.RuneCountInString(line[:i]) + 1
}

func leadingRunes(s string) int {
	return utf8.RuneCountInString(s) - utf8.RuneCountInString(strings.TrimLeft(s, " \t"))
}

// String renders a position for debugging.
func (p pos) String() string { return fmt.Sprintf("%d:%d", p.line, p.col) }

// prefix is what numbers the chapter's figures and tables: 总 for 00 (the
// general report: 图 总-1), the number for 01–89 (图 3-2), 附1, 附2, … for
// the appendices 90–99 (表 附2-1).
func (c *chapter) prefix() string {
	switch {
	case c.number == 0:
		return "总"
	case c.number >= 90:
		return "附" + strconv.Itoa(c.number-89)
	}
	return strconv.Itoa(c.number)
}
