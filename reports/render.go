package reports

import (
	"bytes"
	"cmp"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"html/template"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// echartsJS is ECharts itself, installed from npm (reports/package.json, run
// `npm ci --prefix reports`) and carried in the binary so that a report
// works opened from disk with no network.
//
//go:embed node_modules/echarts/dist/echarts.min.js
var echartsJS string

// siteFS holds the page templates and the stylesheet.
//
//go:embed templates/*.html.tmpl assets/bluebook.css assets/print.css
var siteFS embed.FS

// Render writes the book b into opts.Dir: by default a site (index.html
// with the cover and contents, one page per chapter, assets/, and with
// opts.Exports a data/ folder and a 数据下载 page); with opts.SingleFile one
// self-contained index.html. data maps Query.ID to its result; a missing
// result is an error. A zero meta.Cutoff means Y-12-31. Errors in the
// templates that only the results reveal (an unknown column, a query with no
// rows) are collected and returned together as *diag.Error; nothing is
// written then.
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
	// The year is still running exactly when C is before Y-12-31; the pages
	// then say "截至 C" and {{period}} reads 1—M月.
	meta.InProgress = meta.Cutoff.Before(time.Date(meta.Year, 12, 31, 0, 0, 0, 0, time.UTC))
	var missingIDs []string
	for _, q := range b.Queries() {
		t := data[q.ID]
		if t == nil {
			missingIDs = append(missingIDs, q.ID)
			continue
		}
		if err := t.check(); err != nil {
			return fmt.Errorf("render: result of %s: %w", q.ID, err)
		}
	}
	if len(missingIDs) > 0 {
		return fmt.Errorf("render: no result for query %s", strings.Join(missingIDs, ", "))
	}
	if err := checkExports(opts.Exports); err != nil {
		return err
	}
	meta.Sources = sortSources(meta.Sources)
	tmpl, err := template.ParseFS(siteFS, "templates/*.html.tmpl")
	if err != nil {
		return fmt.Errorf("render: parse page templates: %w", err)
	}

	var errs errorList
	site := siteView{
		BookTitle: fmt.Sprintf("%s民营经济发展蓝皮书（%d）", meta.City, meta.Year),
		Meta:      meta,
		Cutoff:    chineseDate(meta.Cutoff),
		Single:    opts.SingleFile,
	}
	if meta.Report != nil {
		site.BookTitle = fmt.Sprintf("%s%s（%s）", meta.City, meta.Report.Title, meta.Report.Period)
	}
	if !meta.BuiltAt.IsZero() {
		site.Built = meta.BuiltAt.Format("2006-01-02 15:04")
	}
	var chapters []*chapterView
	for _, c := range b.chapters {
		r := &resolver{meta: meta, data: data, c: c, errs: &errs, single: opts.SingleFile}
		chapters = append(chapters, r.chapter())
	}
	if err := errs.err(); err != nil {
		return err
	}
	css, err := siteFS.ReadFile("assets/bluebook.css")
	if err != nil {
		return fmt.Errorf("render: %w", err)
	}
	if opts.SingleFile {
		return renderSingle(tmpl, site, chapters, css, opts.Dir)
	}

	files := map[string][]byte{
		"assets/bluebook.css":   css,
		"assets/echarts.min.js": []byte(echartsJS),
	}
	var dataPage *dataPageView
	if len(opts.Exports) > 0 {
		dataPage, err = writeExports(opts.Exports, files, opts.Dir)
		if err != nil {
			return err
		}
		site.DataPage = "data.html"
	}
	var buf bytes.Buffer
	if err := tmpl.ExecuteTemplate(&buf, "index", pageView{siteView: site, Chapters: chapters}); err != nil {
		return fmt.Errorf("render index.html: %w", err)
	}
	files["index.html"] = bytes.Clone(buf.Bytes())
	for i, c := range chapters {
		p := pageView{siteView: site, Chapter: c, Chapters: chapters}
		if i > 0 {
			p.Prev = chapters[i-1]
		}
		if i+1 < len(chapters) {
			p.Next = chapters[i+1]
		}
		js, err := chartsJSON(c.charts)
		if err != nil {
			return fmt.Errorf("render %s: %w", c.Page, err)
		}
		p.ChartsJS = js
		p.MapJS = mapJS(meta.Map, c.hasMap)
		buf.Reset()
		if err := tmpl.ExecuteTemplate(&buf, "chapter", p); err != nil {
			return fmt.Errorf("render %s: %w", c.Page, err)
		}
		files[c.Page] = bytes.Clone(buf.Bytes())
	}
	if dataPage != nil {
		p := pageView{siteView: site, Chapters: chapters, Data: dataPage}
		if len(chapters) > 0 {
			p.Prev = chapters[len(chapters)-1]
		}
		buf.Reset()
		if err := tmpl.ExecuteTemplate(&buf, "data", p); err != nil {
			return fmt.Errorf("render data.html: %w", err)
		}
		files["data.html"] = bytes.Clone(buf.Bytes())
	}
	return writeFiles(opts.Dir, files)
}

// sortSources returns the sources in their Order (the source contract's: the four the
// book is built on, then the optional ones), those without one last by name.
func sortSources(src []Source) []Source {
	out := slices.Clone(src)
	rank := func(s Source) int {
		if s.Order > 0 {
			return s.Order
		}
		return math.MaxInt
	}
	slices.SortStableFunc(out, func(a, b Source) int {
		return cmp.Or(cmp.Compare(rank(a), rank(b)), cmp.Compare(a.Name, b.Name))
	})
	return out
}

// check reports a row whose length does not match the columns.
func (t *Table) check() error {
	for i, row := range t.Rows {
		if len(row) != len(t.Columns) {
			return fmt.Errorf("row %d has %d values for %d columns", i+1, len(row), len(t.Columns))
		}
	}
	return nil
}

// chartsJSON is the charts' options as a script literal. json.Marshal
// escapes <, > and & as \u003c…, so no value from the data can end the
// script.
func chartsJSON(charts []chartPayload) (template.JS, error) {
	if len(charts) == 0 {
		return "[]", nil
	}
	js, err := json.Marshal(charts)
	if err != nil {
		return "", fmt.Errorf("chart options: %w", err)
	}
	return template.JS(js), nil
}

// renderSingle writes the whole book as one self-contained index.html.
func renderSingle(tmpl *template.Template, site siteView, chapters []*chapterView, css []byte, dir string) error {
	var all []chartPayload
	for _, c := range chapters {
		all = append(all, c.charts...)
	}
	js, err := chartsJSON(all)
	if err != nil {
		return fmt.Errorf("render: %w", err)
	}
	site.CSS = template.CSS(css)
	printCSS, err := siteFS.ReadFile("assets/print.css")
	if err != nil {
		return fmt.Errorf("render: %w", err)
	}
	site.PrintCSS = template.CSS(printCSS)
	site.RunningHeads = runningHeads(site.BookTitle, site.Meta.Demo, chapters)
	// A script element ends at the first "</script"; ECharts has none, but
	// an update could bring one inside a string, where "<\/" means the same.
	site.EChartsJS = template.JS(scriptEnd.ReplaceAllString(echartsJS, `<\/$1`))
	var buf bytes.Buffer
	hasMap := false
	for _, c := range chapters {
		hasMap = hasMap || c.hasMap
	}
	if err := tmpl.ExecuteTemplate(&buf, "single", pageView{siteView: site, Chapters: chapters, ChartsJS: js, MapJS: mapJS(site.Meta.Map, hasMap)}); err != nil {
		return fmt.Errorf("render single file: %w", err)
	}
	return writeFiles(dir, map[string][]byte{"index.html": buf.Bytes()})
}

var scriptEnd = regexp.MustCompile(`(?i)</(script)`)

// mapJS is the district map's GeoJSON as a script literal when a chart of the
// page draws it, else null. LoadDistrictMap wrote it with json.Marshal, which
// escapes <, > and & as \u003c…, so no district name can end the script.
func mapJS(m *DistrictMap, used bool) template.JS {
	if m == nil || !used {
		return "null"
	}
	return template.JS(m.GeoJSON)
}

// writeFiles writes files (slash-separated names) into dir.
func writeFiles(dir string, files map[string][]byte) error {
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return fmt.Errorf("render: %w", err)
		}
		if err := os.WriteFile(p, content, 0o644); err != nil {
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
	Single    bool         // one self-contained file
	CSS       template.CSS // the stylesheet, inline in the single file
	PrintCSS  template.CSS // the printed book's stylesheet (assets/print.css), inline in the single file
	// RunningHeads names each chapter's printed pages and heads them with its title (print.go).
	RunningHeads template.CSS
	EChartsJS    template.JS // ECharts, inline in the single file
	DataPage     string      // "data.html" when the site offers downloads
}

// pageView is the data of one page.
type pageView struct {
	siteView
	Chapters   []*chapterView
	Chapter    *chapterView
	Prev, Next *chapterView
	ChartsJS   template.JS
	MapJS      template.JS // the district map's GeoJSON for echarts.registerMap, "null" when no chart draws it
	Data       *dataPageView
}

// chapterView is a rendered chapter.
type chapterView struct {
	Stem    string // 01_market: the chapter's anchor in the single file
	Page    string // 01_market.html
	Href    string // where a link to the chapter goes: the page, or #stem in the single file
	Title   string
	Blocks  []blockView
	Figures []captionView
	Tables  []captionView
	charts  []chartPayload
	hasMap  bool // a chart draws the district map: the page registers it
}

// captionView is one entry of a chapter's list of figures or tables.
type captionView struct {
	ID, Label, Title, Href string
}

// blockView is one block of a chapter page: HTML made by the Markdown
// renderer (every character escaped), a figure, a table or headline figures.
type blockView struct {
	HTML   template.HTML
	Figure *figureView
	Table  *tableView
	KPIs   []kpiView
}

// kpiView is one headline figure: the number large, its unit small.
type kpiView struct {
	Label, Num, Unit, Change, Trend, Note string // Trend: up, down or flat
}

// figureView is a numbered chart with its data.
type figureView struct {
	ID, Label, Title, Note string
	MapNote                string // below a map: its approval number (审图号)
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
	// single renders for the single-file book: links to pages become anchors.
	single bool
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
	case "period":
		return periodLabel(r.meta)
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

// missing reports whether a value of t is NULL (or not a number: NaN, ±Inf).
// Errors are reported by value, not here.
func (r *resolver) missing(t text) bool {
	for _, s := range t {
		if s.ref == nil || s.ref.builtin != "" {
			continue
		}
		tab := r.table(s.ref.query)
		if tab == nil || len(tab.Rows) == 0 {
			continue
		}
		if ci := tab.column(s.ref.column); ci >= 0 {
			v := tab.Rows[0][ci]
			if v == nil {
				return true
			}
			if f, ok := v.(float64); ok && (math.IsNaN(f) || math.IsInf(f, 0)) {
				return true
			}
		}
	}
	return false
}

// dropped returns the optional parts ([[…]]) of t that hold a NULL value.
func (r *resolver) dropped(t text) map[int]bool {
	var out map[int]bool
	for _, s := range t {
		if s.group != 0 && s.ref != nil && r.missing(text{s}) {
			if out == nil {
				out = map[int]bool{}
			}
			out[s.group] = true
		}
	}
	return out
}

// plain renders a text as plain text (captions, titles).
func (r *resolver) plain(t text) string {
	var b strings.Builder
	drop := r.dropped(t)
	for _, s := range t {
		if drop[s.group] {
			continue
		}
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
	drop := r.dropped(t)
	for _, s := range t {
		if drop[s.group] {
			continue
		}
		if s.ref != nil {
			b.WriteString(placeholder(len(vals)))
			vals = append(vals, html.EscapeString(r.value(s.ref)))
		} else {
			b.WriteString(s.lit)
		}
	}
	var link func(string) string
	if r.single {
		link = anchorLink
	}
	return template.HTML(inlineHTML(b.String(), vals, link))
}

// chapter renders the whole chapter.
func (r *resolver) chapter() *chapterView {
	c := r.c
	v := &chapterView{Stem: c.stem, Page: c.stem + ".html", Href: c.stem + ".html", Title: r.plain(c.title)}
	if r.single {
		v.Href = "#" + c.stem
	}
	href := func(id string) string {
		if r.single {
			return "#" + id
		}
		return v.Page + "#" + id
	}
	var list *block // the list just rendered, to continue it past a hidden block
	for _, b := range c.blocks {
		if !r.holds(b.conds) {
			continue // and takes no figure or table number
		}
		if b.kind == blockList && list != nil && list.ordered == b.ordered {
			// A list split by {{if}} lines is one list.
			merged := *list
			merged.items = append(slices.Clone(list.items), b.items...)
			list = &merged
			v.Blocks[len(v.Blocks)-1] = blockView{HTML: r.markdown(merged)}
			continue
		}
		list = nil
		if b.kind == blockList {
			list = &b
		}
		switch b.kind {
		case blockChart:
			f := r.figure(b.chart, len(v.Figures)+1, v)
			v.Figures = append(v.Figures, captionView{ID: f.ID, Label: f.Label, Title: f.Title, Href: href(f.ID)})
			v.Blocks = append(v.Blocks, blockView{Figure: f})
		case blockTable:
			t := r.tableBlock(b.table, len(v.Tables)+1)
			v.Tables = append(v.Tables, captionView{ID: t.ID, Label: t.Label, Title: t.Title, Href: href(t.ID)})
			v.Blocks = append(v.Blocks, blockView{Table: t})
		case blockKPI:
			v.Blocks = append(v.Blocks, blockView{KPIs: r.kpis(b.kpis)})
		default:
			v.Blocks = append(v.Blocks, blockView{HTML: r.markdown(b)})
		}
	}
	return v
}

// holds reports whether every condition of a block holds.
func (r *resolver) holds(conds []cond) bool {
	for _, c := range conds {
		if c.ref == nil {
			continue // reported when loading
		}
		if r.truthy(c.ref) == c.negate {
			return false
		}
	}
	return true
}

// truthy reads the value a condition tests: true, a non-zero number, a
// non-empty text or a date. NULL and a query with no rows are false.
func (r *resolver) truthy(ref *ref) bool {
	t := r.table(ref.query)
	if t == nil {
		return false
	}
	ci := t.column(ref.column)
	if ci < 0 {
		r.fail(ref.columnAt, "query %s has no column %q (it has: %s)", ref.query, ref.column, strings.Join(t.Columns, ", "))
		return false
	}
	if len(t.Rows) == 0 {
		return false
	}
	switch v := t.Rows[0][ci].(type) {
	case nil:
		return false
	case bool:
		return v
	case string:
		return v != ""
	case time.Time:
		return true
	default:
		f, ok := toFloat(v)
		return ok && f != 0 && !math.IsNaN(f)
	}
}

// kpis renders the cards of a ```kpi block.
func (r *resolver) kpis(specs []kpiSpec) []kpiView {
	var out []kpiView
	for _, k := range specs {
		num, unit := splitUnit(r.plain(k.value))
		// A change or note with a missing value (no figure for the year
		// before, say) is left out rather than printed as "同比—".
		change, note := r.plain(k.change), r.plain(k.note)
		if r.missing(k.change) {
			change = ""
		}
		if r.missing(k.note) {
			note = ""
		}
		if r.missing(k.value) {
			num, unit = missing, ""
		}
		out = append(out, kpiView{Label: r.plain(k.label), Num: num, Unit: unit,
			Change: change, Trend: trendOf(change), Note: note})
	}
	return out
}

// splitUnit splits a headline value such as 1.42万户 into the number (1.42)
// and the unit written after it (万户), so the number can be set large.
func splitUnit(s string) (num, unit string) {
	i := len(s)
	for i > 0 {
		r, size := utf8.DecodeLastRuneInString(s[:i])
		if !wide(r) || r == '％' {
			break
		}
		i -= size
	}
	if i == 0 {
		return s, ""
	}
	return s[:i], s[i:]
}

// trendOf reads the direction of a change phrase made by the change and pp
// formats (增长/上升, 下降/回落, 持平).
func trendOf(change string) string {
	iu := firstIndex(change, "增长", "上升", "增加", "提高")
	id := firstIndex(change, "下降", "回落", "减少", "降低")
	switch {
	case iu >= 0 && (id < 0 || iu < id):
		return "up"
	case id >= 0:
		return "down"
	}
	return "flat"
}

// firstIndex returns the first position in s of any of words, or -1.
func firstIndex(s string, words ...string) int {
	best := -1
	for _, w := range words {
		if i := strings.Index(s, w); i >= 0 && (best < 0 || i < best) {
			best = i
		}
	}
	return best
}

// periodLabel is the part of the edition year the figures cover: 全年, or
// 1—10月 (1月1日—10月15日 when C is not the last day of a month) while the
// year is still running.
func periodLabel(m Meta) string {
	if !m.InProgress {
		return "全年"
	}
	c := m.Cutoff
	if c.AddDate(0, 0, 1).Month() != c.Month() {
		if c.Month() == time.January {
			return "1月"
		}
		return fmt.Sprintf("1—%d月", int(c.Month()))
	}
	return fmt.Sprintf("1月1日—%d月%d日", int(c.Month()), c.Day())
}

// anchorLink turns a link to a chapter page into an anchor of the
// single-file book: 02_appeals.html#fig-2-1 → #fig-2-1, 02_appeals.html →
// #02_appeals, index.html → #toc. Other links stay as they are.
func anchorLink(u string) string {
	page, frag, _ := strings.Cut(u, "#")
	switch {
	case page == "index.html":
		if frag != "" {
			return "#" + frag
		}
		return "#toc"
	case chapterPage.MatchString(page):
		if frag != "" {
			return "#" + frag
		}
		return "#" + strings.TrimSuffix(page, ".html")
	}
	return u
}

var chapterPage = regexp.MustCompile(`^[0-9]{2}_[a-z][a-z0-9_]*\.html$`)

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
		Label:  fmt.Sprintf("图 %s-%d", r.c.prefix(), n),
		Title:  r.plain(spec.title),
		Note:   r.plain(spec.note),
		Height: spec.height,
	}
	t := r.table(spec.data)
	if t == nil {
		return f
	}
	kind := spec.kind
	if kind == "map" {
		if r.meta.Map == nil {
			kind = spec.fallback
		} else {
			f.MapNote = "审图号：" + r.meta.Map.Approval
			switch {
			case r.meta.Map.Approval != "":
			case r.meta.Demo:
				f.MapNote = "本图为演示数据的虚构区划示意图，无审图号。"
			default:
				f.MapNote = "本图为示意图，不作为区划界线依据。"
			}
			v.hasMap = true
		}
	}
	if f.Height == 0 {
		f.Height = 360
		if kind == "map" {
			f.Height = 460
		}
		if kind == "hbar" {
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
	// the axis names may name a unit from a query ({{slots.unit1}}): filled in a copy, the
	// parsed chart being shared by every render of the book
	drawn := *spec
	drawn.xName, drawn.yName, drawn.y2Name = r.plain(spec.axisNames[0]), r.plain(spec.axisNames[1]), r.plain(spec.axisNames[2])
	spec = &drawn
	cb := &chartBuilder{spec: spec, t: t, title: f.Title, palette: r.meta.Palette, fail: r.fail, geo: r.meta.Map}
	p, dt, ok := cb.build(f.ID)
	if !ok {
		return f
	}
	f.Data = dt
	if len(cb.omitted) > 0 {
		// A zero slice is left out of a pie; the note names it.
		omitted := strings.Join(cb.omitted, "")
		if f.Note == "" {
			f.Note = "注：" + omitted
		} else {
			f.Note += omitted
		}
	}
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
		Label: fmt.Sprintf("表 %s-%d", r.c.prefix(), n),
		Title: r.plain(spec.title),
		Note:  r.plain(spec.note),
	}
	tv.Data.Empty = r.plain(spec.empty)
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
	rows, rankCol, phRanks := r.placeholderRows(rows, cols, idx)
	real := len(rows) - len(phRanks)
	if real > 0 && real < len(rows) {
		tv.Data.RuleAt = real
	}
	// A NULL in a column of numbers is aligned with the numbers.
	numeric := make([]bool, len(cols))
	for i := range cols {
		for _, row := range rows {
			if _, ok := toFloat(row[idx[i]]); ok {
				numeric[i] = true
				break
			}
		}
	}
	// One number of decimals per column: a column of plain numbers (no format) shows all
	// its numbers with the decimals the most precise of them needs (at most two), so that
	// 4, 2.5 and 10.5 read 4.0, 2.5 and 10.5.
	decimals := make([]int, len(cols))
	for i, c := range cols {
		decimals[i] = -1
		if c.format != "" || i == rankCol {
			continue
		}
		for _, row := range rows {
			if _, isFloat := row[idx[i]].(float64); !isFloat {
				continue
			}
			s := plainValue(row[idx[i]])
			if dot := strings.IndexByte(s, '.'); dot >= 0 {
				decimals[i] = max(decimals[i], len(s)-dot-1)
			} else {
				decimals[i] = max(decimals[i], 0)
			}
		}
	}
	for _, row := range rows {
		var cells []cellView
		placeholder := len(tv.Data.Rows) >= real
		for i, c := range cols {
			v := row[idx[i]]
			if i == rankCol {
				// A placeholder gets no rank; the real rows are ranked without it.
				if x, isNum := toFloat(v); isNum && !placeholder {
					v = reranked(x, phRanks)
				} else if placeholder {
					cells = append(cells, cellView{Num: true})
					continue
				}
			}
			s, err := formatValue(v, c.format)
			if err != nil {
				r.fail(c.at, "column %s: %v", c.name, err)
				return tv
			}
			if x, isNum := toFloat(v); isNum && decimals[i] > 0 && !math.IsNaN(x) && !math.IsInf(x, 0) {
				s = fixed(x, decimals[i])
			}
			_, num := toFloat(v)
			cells = append(cells, cellView{Text: s, Num: num || (v == nil && numeric[i]), Short: utf8.RuneCountInString(s) <= 6})
		}
		tv.Data.Rows = append(tv.Data.Rows, cells)
	}
	return tv
}

// placeholderRows moves the rows whose label is a placeholder (其他, 未知,
// 未注明 …) after the others (docs/methodology.md §9). The label is the first
// shown column of text other than a rank. It returns the rows, the index in
// cols of the rank column (-1 without one) and the ranks the placeholder rows
// had (one entry per placeholder row, -1 for none), so that the real rows can
// be ranked without them.
func (r *resolver) placeholderRows(rows [][]any, cols []tableColumn, idx []int) ([][]any, int, []float64) {
	rankCol, label := -1, -1
	for i, c := range cols {
		if rankCol < 0 && isRankColumn(c.name, c.header) {
			rankCol = i
			continue
		}
		if label >= 0 {
			continue
		}
		for _, row := range rows {
			if v := row[idx[i]]; v != nil {
				if _, text := v.(string); text {
					label = i
				}
				break
			}
		}
	}
	if label < 0 {
		return rows, rankCol, nil
	}
	order, real := placeholdersLast(len(rows), func(i int) string { return plainValue(rows[i][idx[label]]) })
	out := make([][]any, len(rows))
	var ranks []float64
	for k, i := range order {
		out[k] = rows[i]
		if k >= real {
			rank := -1.0
			if rankCol >= 0 {
				if x, ok := toFloat(rows[i][idx[rankCol]]); ok {
					rank = x
				}
			}
			ranks = append(ranks, rank)
		}
	}
	return out, rankCol, ranks
}
