package pipeline

import (
	"io/fs"
	"strings"
	"unicode"
	"unicode/utf8"

	"bluebook/diag"
	"bluebook/duck"
)

// An error in an analyst's file prints as path:line:col: message, then the line of the
// file and a caret under the column, as compilers do:
//
//	queries/market/x.sql:3:18: Binder Error: Referenced column "stok" not found …
//	    SELECT 年份, stok FROM market_summary
//	                 ^
//
// The column counts characters; the caret is placed by display width in a terminal (a
// Chinese character or an emoji two columns, a combining mark none), and a tab before it
// is kept as a tab, so that the caret lines up whatever the tab width.

// excerptIndent is the indent of the source line and of the caret line.
const excerptIndent = "    "

// excerptSpan is how many columns of a long line are shown on each side of the caret.
const excerptSpan = 60

// Excerpt returns the source line of e and, under it, a caret at its column (two lines,
// each indented), or "" when the line is not known.
func Excerpt(e *diag.Error) string {
	if e.Source == "" || e.Line < 1 {
		return ""
	}
	return excerpt(e.Source, max(e.Col, 1))
}

// excerpt renders line with a caret under character col (1-based; past the end puts the
// caret after the last character). A line wider than twice excerptSpan is cut around the
// caret, "..." marking what is left out.
func excerpt(line string, col int) string {
	line = printableLine(line)
	at := len(line) // byte offset of the caret's character
	n := 1
	for i := range line {
		if n == col {
			at = i
			break
		}
		n++
	}
	// Clusters (a character with its combining marks, an emoji sequence) stay whole: the
	// caret goes under the cluster holding its character.
	type cluster struct{ start, end, width int }
	var cs []cluster
	caret := -1 // index in cs of the caret's cluster; len(cs) when past the end
	for i := 0; i < len(line); {
		next, w := duck.NextCluster(line, i)
		if line[i] == '\t' {
			w = 0
		}
		if caret < 0 && at < next {
			caret = len(cs)
		}
		cs = append(cs, cluster{i, next, w})
		i = next
	}
	if caret < 0 {
		caret = len(cs)
	}
	// The window of clusters shown: all of them unless the line is long.
	from, to := 0, len(cs)
	left := 0
	for i := caret - 1; i >= 0; i-- {
		if left += cs[i].width; left > excerptSpan && cs[i].start > 0 {
			from = i + 1
			break
		}
	}
	right := 0
	for i := caret; i < len(cs); i++ {
		if right += cs[i].width; right > excerptSpan {
			to = i
			break
		}
	}
	var src, pad strings.Builder
	src.WriteString(excerptIndent)
	pad.WriteString(excerptIndent)
	if from > 0 {
		src.WriteString("...")
		pad.WriteString("   ")
	}
	for i := from; i < to; i++ {
		c := cs[i]
		src.WriteString(line[c.start:c.end])
		if i >= caret {
			continue
		}
		if line[c.start] == '\t' {
			pad.WriteByte('\t')
		} else {
			pad.WriteString(strings.Repeat(" ", c.width))
		}
	}
	if to < len(cs) {
		src.WriteString("...")
	}
	return strings.TrimRight(src.String(), " \t") + "\n" + pad.String() + "^"
}

// printableLine returns line with every control character but a tab, and every
// bidirectional override, replaced by U+FFFD: a file's text, printed raw, could move the
// cursor or reorder what the terminal shows.
func printableLine(line string) string {
	line = strings.TrimSuffix(line, "\r")
	bad := func(r rune) bool {
		return r != '\t' && unicode.Is(unicode.Cc, r) || r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069 || r == utf8.RuneError
	}
	if strings.IndexFunc(line, bad) < 0 {
		return line
	}
	return strings.Map(func(r rune) rune {
		if bad(r) {
			return '\uFFFD'
		}
		return r
	}, line)
}

// AttachSource fills the Source line of every mistake in an analyst's file that err holds
// (at any depth), reading the file from the project's queries/ or reports/ folder as cfg
// gives them. Errors in other files (data files, --where) are left as they are.
func AttachSource(cfg Config, err error) {
	if err == nil {
		return
	}
	files := map[string][]string{} // "q:" or "r:" + path -> lines
	lineOf := func(fsys fs.FS, key, name string, n int) string {
		if fsys == nil || n < 1 {
			return ""
		}
		lines, ok := files[key+name]
		if !ok {
			if b, err := fs.ReadFile(fsys, name); err == nil {
				lines = strings.Split(strings.TrimPrefix(string(b), "\uFEFF"), "\n")
			}
			files[key+name] = lines
		}
		if n > len(lines) {
			return ""
		}
		return strings.TrimSuffix(lines[n-1], "\r")
	}
	fill := func(p string, line int) string {
		if rest, ok := strings.CutPrefix(p, cfg.QueriesDir+"/"); ok && cfg.QueriesDir != "" {
			return lineOf(cfg.Queries, "q:", rest, line)
		}
		// Chapter paths: under the reports folder as cfg names it, or as reportsFolder does.
		for _, dir := range []string{cfg.ReportsDir, reportsFolder} {
			if rest, ok := strings.CutPrefix(p, dir+"/"); ok && dir != "" {
				return lineOf(cfg.Reports, "r:", rest, line)
			}
		}
		return ""
	}
	walkDiagnostics(err, func(x *diag.Error) {
		if x.Source == "" && !x.Data {
			x.Source = fill(x.Path, x.Line)
		}
	})
}
