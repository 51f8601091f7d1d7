package reports

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"html/template"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// echartsJS is ECharts itself, installed from npm (reports/package.json, run
// `npm ci --prefix reports`) and carried in the binary so that a report
// works opened from disk with no network.
//
//go:embed node_modules/echarts/dist/echarts.min.js
var echartsJS string

// siteFS holds the page templates and the stylesheet.
//
//go:embed templates/*.html.tmpl assets/bluebook.css
var siteFS embed.FS

// Render writes the site for b into opts.Dir: index.html (cover and
// contents), one page per chapter, and assets/. data maps Query.ID to its
// result; a missing result is an error. A zero meta.Cutoff means Y-12-31. Errors in the templates that only
// the results reveal (an unknown column, a query with no rows) are collected
// and returned together as *FileError; nothing is written then.
func Render(b *Book, data map[string]*Table, meta Meta, opts Options) error {
	if opts.Dir == "" {
		return errors.New("render: no output folder given")
	}
	if meta.City == "" || meta.Year == 0 {
		return errors.New("render: meta needs a city and an edition year")
	}
	if meta.Cutoff.IsZero() {
		meta.Cutoff = time.Date(meta.Year, 12, 31, 0, 0, 0, 0, time.UTC)
	}
	var missingIDs []string
	for _, q := range b.Queries() {
		t := data[q.ID]
		if t == nil {
			missingIDs = append(missingIDs, q.ID)
			continue
		}
		for i, row := range t.Rows {
			if len(row) != len(t.Columns) {
				return fmt.Errorf("render: result of %s: row %d has %d values for %d columns", q.ID, i+1, len(row), len(t.Columns))
			}
		}
	}
	if len(missingIDs) > 0 {
		return fmt.Errorf("render: no result for query %s", strings.Join(missingIDs, ", "))
	}
	tmpl, err := template.ParseFS(siteFS, "templates/*.html.tmpl")
	if err != nil {
		return fmt.Errorf("render: parse page templates: %w", err)
	}

	var errs errorList
	site := siteView{
		BookTitle: fmt.Sprintf("%s民营经济发展蓝皮书（%d）", meta.City, meta.Year),
		Meta:      meta,
		Cutoff:    chineseDate(meta.Cutoff),
	}
	if !meta.BuiltAt.IsZero() {
		site.Built = meta.BuiltAt.Format("2006-01-02 15:04")
	}
	var chapters []*chapterView
	for _, c := range b.chapters {
		r := &resolver{meta: meta, data: data, c: c, errs: &errs}
		chapters = append(chapters, r.chapter())
	}
	if err := errs.err(); err != nil {
		return err
	}

	pages := map[string][]byte{}
	var buf bytes.Buffer
	if err := tmpl.ExecuteTemplate(&buf, "index", pageView{siteView: site, Chapters: chapters}); err != nil {
		return fmt.Errorf("render index.html: %w", err)
	}
	pages["index.html"] = bytes.Clone(buf.Bytes())
	for i, c := range chapters {
		p := pageView{siteView: site, Chapter: c, Chapters: chapters}
		if i > 0 {
			p.Prev = chapters[i-1]
		}
		if i+1 < len(chapters) {
			p.Next = chapters[i+1]
		}
		js, err := json.Marshal(c.charts) // escapes <, > and & as \u003c…, so no value can end the script
		if err != nil {
			return fmt.Errorf("render %s: chart options: %w", c.Page, err)
		}
		if c.charts == nil {
			js = []byte("[]")
		}
		p.ChartsJS = template.JS(js)
		buf.Reset()
		if err := tmpl.ExecuteTemplate(&buf, "chapter", p); err != nil {
			return fmt.Errorf("render %s: %w", c.Page, err)
		}
		pages[c.Page] = bytes.Clone(buf.Bytes())
	}
	return writeSite(opts.Dir, pages)
}

// writeSite writes the pages and the assets into dir.
func writeSite(dir string, pages map[string][]byte) error {
	if err := os.MkdirAll(filepath.Join(dir, "assets"), 0o755); err != nil {
		return fmt.Errorf("render: %w", err)
	}
	css, err := siteFS.ReadFile("assets/bluebook.css")
	if err != nil {
		return fmt.Errorf("render: %w", err)
	}
	pages["assets/bluebook.css"] = css
	pages["assets/echarts.min.js"] = []byte(echartsJS)
	for name, content := range pages {
		if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(name)), content, 0o644); err != nil {
			return fmt.Errorf("render: %w", err)
		}
	}
	return nil
}

// siteView is what every page shows about the book.
type siteView struct {
	BookTitle string
	Meta      Meta
	Cutoff    string // C in Chinese
	Built     string
}

// pageView is the data of one page.
type pageView struct {
	siteView
	Chapters   []*chapterView
	Chapter    *chapterView
	Prev, Next *chapterView
	ChartsJS   template.JS
}

// chapterView is a rendered chapter.
type chapterView struct {
	Page    string // 01_market.html
	Title   string
	Blocks  []blockView
	Figures []captionView
	Tables  []captionView
	charts  []chartPayload
}

// captionView is one entry of a chapter's list of figures or tables.
type captionView struct {
	ID, Label, Title string
}

// blockView is one block of a chapter page: HTML made by the Markdown
// renderer (every character escaped), a figure or a table.
type blockView struct {
	HTML   template.HTML
	Figure *figureView
	Table  *tableView
}

// figureView is a numbered chart with its data.
type figureView struct {
	ID, Label, Title, Note string
	Height                 int
	Empty                  bool
	Data                   dataTable
}

// tableView is a numbered table.
type tableView struct {
	ID, Label, Title, Note string
	Data                   dataTable
}

// resolver renders one chapter, looking values up in the query results.
type resolver struct {
	meta Meta
	data map[string]*Table
	c    *chapter
	errs *errorList
}

func (r *resolver) fail(at pos, format string, args ...any) {
	r.errs.add(r.c.file, at, format, args...)
}

func (r *resolver) table(query string) *Table {
	return r.data[r.c.stem+"."+query]
}

// value returns the text of a reference.
func (r *resolver) value(ref *ref) string {
	switch ref.builtin {
	case "city":
		return r.meta.City
	case "year":
		return strconv.Itoa(r.meta.Year)
	case "prev_year":
		return strconv.Itoa(r.meta.Year - 1)
	case "cutoff":
		return chineseDate(r.meta.Cutoff)
	case "as_of":
		return chineseDate(r.meta.AsOf)
	}
	t := r.table(ref.query)
	if t == nil {
		return "" // reported when loading
	}
	ci := t.column(ref.column)
	if ci < 0 {
		r.fail(ref.columnAt, "query %s has no column %q (it has: %s)", ref.query, ref.column, strings.Join(t.Columns, ", "))
		return ""
	}
	if len(t.Rows) == 0 {
		r.fail(ref.at, "query %s returned no rows, so %s has no value", ref.query, ref.src)
		return ""
	}
	s, err := formatValue(t.Rows[0][ci], ref.format)
	if err != nil {
		r.fail(ref.formatAt, "%s: column %s: %v", ref.src, ref.column, err)
		return ""
	}
	return s
}

// plain renders a text as plain text (captions, titles).
func (r *resolver) plain(t text) string {
	var b strings.Builder
	for _, s := range t {
		if s.ref != nil {
			b.WriteString(r.value(s.ref))
		} else {
			b.WriteString(s.lit)
		}
	}
	return b.String()
}

// inline renders a text as inline Markdown; values are escaped and take no
// part in the Markdown.
func (r *resolver) inline(t text) template.HTML {
	var b strings.Builder
	var vals []string
	for _, s := range t {
		if s.ref != nil {
			b.WriteString(placeholder(len(vals)))
			vals = append(vals, html.EscapeString(r.value(s.ref)))
		} else {
			b.WriteString(s.lit)
		}
	}
	return template.HTML(inlineHTML(b.String(), vals))
}

// chapter renders the whole chapter.
func (r *resolver) chapter() *chapterView {
	c := r.c
	v := &chapterView{Page: c.stem + ".html", Title: r.plain(c.title)}
	for _, b := range c.blocks {
		switch b.kind {
		case blockChart:
			f := r.figure(b.chart, len(v.Figures)+1, v)
			v.Figures = append(v.Figures, captionView{ID: f.ID, Label: f.Label, Title: f.Title})
			v.Blocks = append(v.Blocks, blockView{Figure: f})
		case blockTable:
			t := r.tableBlock(b.table, len(v.Tables)+1)
			v.Tables = append(v.Tables, captionView{ID: t.ID, Label: t.Label, Title: t.Title})
			v.Blocks = append(v.Blocks, blockView{Table: t})
		default:
			v.Blocks = append(v.Blocks, blockView{HTML: r.markdown(b)})
		}
	}
	return v
}

// markdown renders a Markdown block.
func (r *resolver) markdown(b block) template.HTML {
	var s strings.Builder
	switch b.kind {
	case blockHeading:
		fmt.Fprintf(&s, "<h%d>%s</h%d>", b.level, r.inline(b.text), b.level)
	case blockParagraph:
		fmt.Fprintf(&s, "<p>%s</p>", r.inline(b.text))
	case blockQuote:
		fmt.Fprintf(&s, "<blockquote><p>%s</p></blockquote>", r.inline(b.text))
	case blockList:
		tag := "ul"
		if b.ordered {
			tag = "ol"
		}
		s.WriteString("<" + tag + ">")
		for _, it := range b.items {
			fmt.Fprintf(&s, "<li>%s</li>", r.inline(it))
		}
		s.WriteString("</" + tag + ">")
	case blockPipeTable:
		s.WriteString(`<div class="table-wrap"><table class="three-line"><thead><tr>`)
		for _, cell := range b.rows[0] {
			fmt.Fprintf(&s, "<th>%s</th>", r.inline(cell))
		}
		s.WriteString("</tr></thead><tbody>")
		for _, row := range b.rows[1:] {
			s.WriteString("<tr>")
			for _, cell := range row {
				fmt.Fprintf(&s, "<td>%s</td>", r.inline(cell))
			}
			s.WriteString("</tr>")
		}
		s.WriteString("</tbody></table></div>")
	case blockRule:
		s.WriteString("<hr>")
	case blockPre:
		fmt.Fprintf(&s, "<pre>%s</pre>", html.EscapeString(b.pre))
	}
	return template.HTML(s.String())
}

// figure renders chart number n of the chapter and records its payload.
func (r *resolver) figure(spec *chartSpec, n int, v *chapterView) *figureView {
	f := &figureView{
		ID:     fmt.Sprintf("fig-%d-%d", r.c.number, n),
		Label:  fmt.Sprintf("图 %d-%d", r.c.number, n),
		Title:  r.plain(spec.title),
		Note:   r.plain(spec.note),
		Height: spec.height,
	}
	t := r.table(spec.data)
	if t == nil {
		return f
	}
	if f.Height == 0 {
		f.Height = 360
		if spec.kind == "hbar" {
			f.Height = max(300, 30*len(t.Rows)+70)
		}
		if spec.kind == "heatmap" {
			if i := t.column(spec.y[0].name); i >= 0 {
				rowsOf := map[string]bool{}
				for _, row := range t.Rows {
					rowsOf[plainValue(row[i])] = true
				}
				f.Height = max(280, 34*len(rowsOf)+120)
			}
		}
	}
	cb := &chartBuilder{spec: spec, t: t, title: f.Title, palette: r.meta.Palette, fail: r.fail}
	p, dt, ok := cb.build(f.ID)
	if !ok {
		return f
	}
	f.Data = dt
	if len(t.Rows) == 0 {
		f.Empty = true
		return f
	}
	v.charts = append(v.charts, p)
	return f
}

// tableBlock renders table number n of the chapter.
func (r *resolver) tableBlock(spec *tableSpec, n int) *tableView {
	tv := &tableView{
		ID:    fmt.Sprintf("tab-%d-%d", r.c.number, n),
		Label: fmt.Sprintf("表 %d-%d", r.c.number, n),
		Title: r.plain(spec.title),
		Note:  r.plain(spec.note),
	}
	t := r.table(spec.data)
	if t == nil {
		return tv
	}
	cols := spec.columns
	if len(cols) == 0 {
		for _, name := range t.Columns {
			cols = append(cols, tableColumn{field: field{name: name, at: spec.at}, header: name})
		}
	}
	idx := make([]int, len(cols))
	ok := true
	for i, c := range cols {
		idx[i] = t.column(c.name)
		if idx[i] < 0 {
			r.fail(c.at, "query %s has no column %q (it has: %s)", spec.data, c.name, strings.Join(t.Columns, ", "))
			ok = false
		}
		tv.Data.Head = append(tv.Data.Head, c.header)
	}
	if !ok {
		return tv
	}
	rows := t.Rows
	if spec.limit > 0 && len(rows) > spec.limit {
		rows = rows[:spec.limit]
	}
	for _, row := range rows {
		var cells []cellView
		for i, c := range cols {
			v := row[idx[i]]
			s, err := formatValue(v, c.format)
			if err != nil {
				r.fail(c.at, "column %s: %v", c.name, err)
				return tv
			}
			_, num := toFloat(v)
			cells = append(cells, cellView{Text: s, Num: num})
		}
		tv.Data.Rows = append(tv.Data.Rows, cells)
	}
	return tv
}
