// Package reports turns the blue book's chapter templates (Markdown with
// query, chart and table directives, in chapters/NN_name.md) into a static
// HTML site with ECharts charts.
//
// It never touches a database: Load parses the templates and lists the SQL
// queries they declare, the pipeline runs them, and Render writes the site
// from the results handed over as plain Go values. The template language is
// described in README.md beside this file.
package reports

import (
	"cmp"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strconv"
	"time"

	"bluebook/diag"
)

// defaultChapters holds the shipped chapter templates.
//
//go:embed chapters/*.md
var defaultChapters embed.FS

// DefaultFS is the shipped report (embedded chapters), laid out like a
// project's reports/ folder, used when a project has no reports/chapters.
func DefaultFS() fs.FS { return defaultChapters }

// Table is one query result.
type Table struct {
	Columns []string
	Rows    [][]any // cell values: nil, bool, int64, float64, string, time.Time (dates)
}

// column returns the index of the named column, or -1.
func (t *Table) column(name string) int {
	return slices.Index(t.Columns, name)
}

// Query is one named SQL block declared by a chapter template.
type Query struct {
	ID   string // "<chapter stem>.<name>", e.g. "01_market.summary"; unique
	SQL  string
	File string // path as given in the fs.FS, e.g. "chapters/01_market.md"
	Line int    // line of the first SQL line in File
}

// Book is the parsed report: chapters in file-name order.
type Book struct {
	chapters []*chapter
}

// Queries returns every query the chapters declare, chapter by chapter in
// the order they are written.
func (b *Book) Queries() []Query {
	var qs []Query
	for _, c := range b.chapters {
		qs = append(qs, c.queries...)
	}
	return qs
}

// Chapters returns the stems of the chapters in order, e.g. "01_market".
func (b *Book) Chapters() []string {
	stems := make([]string, len(b.chapters))
	for i, c := range b.chapters {
		stems[i] = c.stem
	}
	return stems
}

// Source is one data source as listed on the cover.
type Source struct {
	Name     string // folder name, e.g. "registry"
	Label    string // Chinese name, e.g. "市场主体登记"
	Order    int    // place in the list of sources (1 first; 0 unknown: last, by name)
	Files    int64
	Rows     int64
	Rejected int64
}

// Meta is what the pages say about the edition and the run that built it.
type Meta struct {
	City       string    // 示例市
	Year       int       // edition year Y
	Cutoff     time.Time // C
	AsOf       time.Time // extraction date E
	InProgress bool      // Cutoff < Y-12-31: every page says "截至 C"
	Demo       bool      // the data are demo data: every page says so plainly
	RunID      string
	BuiltAt    time.Time
	Version    string
	Sources    []Source // for the cover
	// Palette maps a category value (a district name, say) to a CSS colour;
	// a chart series or pie slice named after a key gets that colour, so a
	// district keeps its colour in every chart.
	Palette map[string]string
	// Report names a report other than the annual blue book (the quarterly monitoring
	// report of `bluebook monitor`); nil for the blue book.
	Report *ReportTitle
	// Committee (编委会) and Preface (前言, one string per paragraph) open the printed
	// book when set (bluebook.toml's [book]); the screen shows neither.
	Committee []CommitteeRole
	Preface   []string
	// Map is the city's district map (LoadDistrictMap), nil without one: charts
	// of type map draw it, else they are drawn as bar charts.
	Map *DistrictMap
}

// CommitteeRole is one line of the 编委会 page: a role (主任, 副主任, 委员 …) and its people.
type CommitteeRole struct {
	Role  string
	Names []string
}

// ReportTitle is the title of a report other than the blue book: the cover shows Series,
// then City+Title with Period beside it, then English; pages carry City+Title（Period）.
type ReportTitle struct {
	Title   string // 民营经济运行监测季度报告
	Period  string // 2026年第三季度
	Series  string // 运行监测 · ECONOMIC MONITORING
	English string // Quarterly Monitoring Report on the Private Economy
}

// Options says where and what Render writes.
type Options struct {
	// Dir is the output folder. A site holds index.html, one page per
	// chapter, assets/ and, with Exports, data/ and data.html; with
	// SingleFile it holds index.html only.
	Dir string
	// SingleFile writes the whole book as one self-contained index.html:
	// every chapter, the stylesheet and ECharts inline, the table of
	// contents as in-page anchors. Exports are not written then (the page
	// says the downloads come with the site).
	SingleFile bool
	// Exports are the tables offered for download on the site's 数据下载
	// page, each as data/<Name>.csv, data/<Name>.arrow and a sheet of
	// data/bluebook-tables.xlsx.
	Exports []Export
}

// Export is one table offered for download.
type Export struct {
	Name  string // file stem: lower-case letters, digits and _, e.g. "public_welfare_index"
	Title string // 中文标题, e.g. "民营企业公益指数" (the sheet name in the workbook)
	Table *Table
	// Stream, instead of Table, is a table too large to hold in memory (stream.go).
	Stream *Stream
	// Titles maps a column to its Chinese title for the CSV and workbook
	// headers (the pipeline fills it from queries/seeds/column_titles.csv);
	// a column without one is headed by its own name.
	Titles map[string]string
	// Parquet says the pipeline writes data/<Name>.parquet itself, so the
	// download page links it.
	Parquet bool
}

// errorList collects the mistakes found in chapter files and joins them, sorted by
// position. Their paths are relative to the reports folder (chapters/01_market.md); the
// pipeline puts them under the project's reports folder.
type errorList []*diag.Error

// add records a mistake at p in file path and returns it (to give it a Hint).
func (l *errorList) add(path string, p pos, format string, args ...any) *diag.Error {
	e := &diag.Error{Path: path, Line: p.line, Col: p.col, Err: fmt.Errorf(format, args...)}
	*l = append(*l, e)
	return e
}

func (l errorList) err() error {
	if len(l) == 0 {
		return nil
	}
	errs := make([]error, len(l))
	for i, e := range l {
		errs[i] = e
	}
	diag.Sort(errs)
	return errors.Join(errs...)
}

// chapterName is the contract for a chapter file: two digits that order the
// chapters and number their figures, an underscore, a lower-case name.
var chapterName = regexp.MustCompile(`^([0-9]{2})_([a-z][a-z0-9_]*)\.md$`)

// Load parses every chapters/*.md in fsys (the project's reports/ folder, or
// DefaultFS). Errors are collected over all files and returned at once, each
// a *diag.Error, with the book as far as it parsed (nil when no chapter could be read).
func Load(fsys fs.FS) (*Book, error) {
	entries, err := fs.ReadDir(fsys, "chapters")
	if err != nil {
		return nil, fmt.Errorf("load chapters: %w", err)
	}
	var errs errorList
	b := &Book{}
	numbers := map[int]string{}
	for _, e := range entries {
		name := e.Name()
		if name[0] == '.' {
			continue // editor and VCS files such as .gitkeep
		}
		file := path.Join("chapters", name)
		m := chapterName.FindStringSubmatch(name)
		if m == nil || e.IsDir() {
			errs.add(file, pos{1, 1}, "chapters/ holds only chapter files named NN_name.md (two digits, underscore, lower-case letters, digits and _), e.g. 01_market.md")
			continue
		}
		num, _ := strconv.Atoi(m[1])
		if other, dup := numbers[num]; dup {
			errs.add(file, pos{1, 1}, "chapter number %s is also used by %s; each chapter needs its own number", m[1], other)
			continue
		}
		numbers[num] = file
		src, err := fs.ReadFile(fsys, file)
		if err != nil {
			return nil, fmt.Errorf("load %s: %w", file, err)
		}
		b.chapters = append(b.chapters, parseChapter(file, name[:len(name)-len(".md")], num, string(src), &errs))
	}
	if len(b.chapters) == 0 && len(errs) == 0 {
		return nil, errors.New("load chapters: chapters/ has no NN_name.md files")
	}
	slices.SortFunc(b.chapters, func(a, b *chapter) int { return cmp.Compare(a.stem, b.stem) })
	// With errors the book read so far comes too, so that check can go on with the
	// queries and blocks that did parse.
	return b, errs.err()
}
