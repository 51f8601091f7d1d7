package duck

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/width"
)

// DuckDB's error messages, as bluebook reads them. An error raised by SQL text ends with
// the failing line, "LINE n: <text>", and a caret under the place, placed by display
// width (a CJK character or an emoji takes two columns, a tab or a BOM none); the text
// may be shortened with "..." on either side.
//
// A binder or catalog error locates its place by byte offset. A parser error locates it
// by character offset, which DuckDB's own LINE/caret rendering takes for a byte offset:
// after multibyte text its caret (even its line) is early. The place it rendered is
// therefore read back as a character offset and converted.

var lineMark = regexp.MustCompile(`(?m)^LINE (\d+): (.*)$`)

// ErrorPlace reads where a DuckDB error message points in text, the SQL an analyst wrote,
// which ran after wrapLines lines (plain ASCII) the caller put before it. It returns the
// line in text and the byte offset of the place; off is -1 when only the line is known,
// and ok is false when the message points nowhere in text.
func ErrorPlace(msg, text string, wrapLines int) (line, off int, ok bool) {
	g := lineMark.FindStringSubmatchIndex(msg)
	if g == nil {
		return 0, -1, false
	}
	n, _ := strconv.Atoi(msg[g[2]:g[3]])
	snippet := msg[g[4]:g[5]]
	line = n - wrapLines
	lines := strings.Split(text, "\n")
	if line < 1 || line > len(lines) {
		return 0, -1, false
	}
	// The caret line follows; its offset is relative to the start of "LINE n: ".
	rest := strings.TrimPrefix(msg[g[1]:], "\n")
	caret := strings.IndexByte(strings.SplitN(rest, "\n", 2)[0], '^')
	prefix := len(msg[g[0]:g[4]])
	if caret < prefix {
		return line, -1, true
	}
	src := strings.TrimSuffix(lines[line-1], "\r")
	b, found := caretByte(src, snippet, caret-prefix)
	if !found {
		return line, -1, true
	}
	lineStart := 0
	for _, l := range lines[:line-1] {
		lineStart += len(l) + 1
	}
	if strings.HasPrefix(msg, "Parser Error") {
		return line, parserErrorByte(text, lineStart+b, msg), true
	}
	return line, lineStart + b, true
}

var nearToken = regexp.MustCompile(`at or near "(.+?)"`)

// parserErrorByte returns the byte offset in text of a parser error that DuckDB rendered
// at "byte" rendered: really the error's character offset (a byte-order mark not counted),
// moved on to the next character when it fell inside a multibyte one. The token the
// message names ("at or near \"FROM\"") is looked for at the character offset and up to
// three characters before it.
func parserErrorByte(text string, rendered int, msg string) int {
	hi := byteOffsetSkipping(text, rendered)
	g := nearToken.FindStringSubmatch(msg)
	if g == nil {
		return hi
	}
	lo := byteOffsetSkipping(text, max(rendered-3, 0))
	for p := hi; p >= lo; p-- {
		if p < len(text) && utf8.RuneStart(text[p]) && strings.HasPrefix(text[p:], g[1]) {
			return p
		}
	}
	return hi
}

// byteOffsetSkipping is byteOffset for a character offset that does not count
// byte-order marks (as DuckDB's parser, run on a statement, counts them).
func byteOffsetSkipping(text string, chars int) int {
	n := 0
	for i, r := range text {
		if n == chars {
			return i
		}
		if r != '\uFEFF' {
			n++
		}
	}
	return len(text)
}

// caretByte returns the byte offset in src (one line of the analyst's text) of the
// character under DuckDB's caret: snippet is the part of the line DuckDB printed (with
// "..." where it shortened it) and width the caret's display column within it. (A
// shortened snippet found twice in the line is taken at its first place.)
func caretByte(src, snippet string, width int) (int, bool) {
	trimmed := strings.TrimPrefix(snippet, "...")
	shift := len(snippet) - len(trimmed) // the leading "..." is three columns wide
	trimmed = strings.TrimSuffix(trimmed, "...")
	if shift == 0 {
		return walkWidth(src, 0, 0, width), true // DuckDB printed the line from its start
	}
	first := strings.Index(src, trimmed)
	if first < 0 {
		return 0, false
	}
	return walkWidth(src, first, shift, width), true
}

// walkWidth returns the byte offset in src of the first visible character at display
// column width or past it, counting from byte start at column w. DuckDB prints a
// byte-order mark as a space.
func walkWidth(src string, start, w, width int) int {
	i := start
	for i < len(src) {
		next, cw := nextCluster(src, i)
		if w >= width && cw > 0 {
			return i
		}
		w += cw
		i = next
	}
	return len(src)
}

// nextCluster returns where the character cluster starting at byte i of s ends and how
// many terminal columns DuckDB gives it (utf8proc's width of its first code point): a
// base character with its combining marks, variation selectors, emoji modifiers and
// zero-width-joined parts, or a pair of regional indicators (a flag).
func nextCluster(s string, i int) (int, int) {
	r, size := utf8.DecodeRuneInString(s[i:])
	w := runeWidth(r)
	j := i + size
	regional := isRegional(r)
	for j < len(s) {
		r2, size2 := utf8.DecodeRuneInString(s[j:])
		switch {
		case r2 == 0x200D: // zero-width joiner: it and the next character join the cluster
			j += size2
			if j < len(s) {
				_, size3 := utf8.DecodeRuneInString(s[j:])
				j += size3
			}
			continue
		case extendsCluster(r2):
			j += size2
			continue
		case regional && isRegional(r2):
			j += size2
			regional = false
			continue
		}
		break
	}
	return j, w
}

func isRegional(r rune) bool { return r >= 0x1F1E6 && r <= 0x1F1FF }

// extendsCluster reports whether r belongs to the character before it.
func extendsCluster(r rune) bool {
	return unicode.In(r, unicode.Mn, unicode.Me, unicode.Mc) ||
		r >= 0xFE00 && r <= 0xFE0F || r >= 0xE0100 && r <= 0xE01EF || // variation selectors
		r >= 0x1F3FB && r <= 0x1F3FF || // emoji skin-tone modifiers
		r >= 0xE0020 && r <= 0xE007F // tag characters
}

// runeWidth is the number of terminal columns r takes as DuckDB counts them: none for
// control and format characters (a tab, a zero-width space), two for East Asian wide and fullwidth
// characters and emoji, one otherwise.
func runeWidth(r rune) int {
	switch {
	case r == '\uFEFF': // a byte-order mark, printed as a space
		return 1
	case unicode.In(r, unicode.Cc, unicode.Cf, unicode.Mn, unicode.Me):
		return 0
	}
	switch width.LookupRune(r).Kind() {
	case width.EastAsianWide, width.EastAsianFullwidth:
		return 2
	}
	return 1
}

// DisplayWidth is the number of terminal columns s takes (see runeWidth).
func DisplayWidth(s string) int {
	w := 0
	for i := 0; i < len(s); {
		next, cw := nextCluster(s, i)
		w += cw
		i = next
	}
	return w
}

// ByteOffset converts a character (code point) offset in text, as DuckDB's parser reports
// a syntax error's place, into a byte offset.
func ByteOffset(text string, chars int) int {
	if chars <= 0 {
		return 0
	}
	n := 0
	for i := range text {
		if n == chars {
			return i
		}
		n++
	}
	return len(text)
}

// CleanMessage keeps DuckDB's explanation and drops its LINE/caret context, which
// the caller replaces by the analyst's own position.
func CleanMessage(msg string) string {
	if i := strings.Index(msg, "\n\nLINE "); i >= 0 {
		msg = msg[:i]
	} else if i := strings.Index(msg, "\nLINE "); i >= 0 {
		msg = msg[:i]
	}
	return strings.Join(strings.Fields(strings.ReplaceAll(msg, "\n", " ")), " ")
}

var noMatch = regexp.MustCompile(`No function matches the given name and argument types '(.+?)\((.*?)\)'\. You might need to add explicit type casts\..*$`)

// NoFunctionMatch reads DuckDB's "No function matches the given name and argument types
// '-(DATE, VARCHAR)'. You might need to add explicit type casts. …" (followed by every
// candidate it knows), in a message cleaned by CleanMessage: the function or operator
// name, its argument types, and where in msg that explanation starts.
func NoFunctionMatch(msg string) (name string, types []string, start int, ok bool) {
	g := noMatch.FindStringSubmatchIndex(msg)
	if g == nil {
		return "", nil, 0, false
	}
	for _, t := range strings.Split(msg[g[4]:g[5]], ",") {
		types = append(types, strings.TrimSpace(t))
	}
	return msg[g[2]:g[3]], types, g[0], true
}

// RefusedFileAccess reports whether msg is a locked-down instance (LockDown) refusing to
// read or write a file or to attach a database.
func RefusedFileAccess(msg string) bool {
	return strings.Contains(msg, "disabled by configuration") || strings.Contains(msg, "file system operations are disabled")
}

// RefusedSetting reports whether msg is a locked-down instance refusing a change of
// setting.
func RefusedSetting(msg string) bool {
	return strings.Contains(msg, "the configuration has been locked")
}

var unknownFunction = regexp.MustCompile(`(Scalar|Aggregate|Table) Function with name "?([^" ]+?)"? does not exist!( Did you mean "[^"]*"\?)?`)

// UnknownFunction reads DuckDB's `Scalar Function with name coalese does not exist! Did
// you mean "acos"?`: the kind (Scalar, Aggregate or Table), the name as written, and the
// byte range in msg from the kind to the end of DuckDB's suggestion (or of the sentence).
func UnknownFunction(msg string) (kind, name string, start, end int, ok bool) {
	g := unknownFunction.FindStringSubmatchIndex(msg)
	if g == nil {
		return "", "", 0, 0, false
	}
	end = g[1]
	if g[6] >= 0 {
		end = g[7]
	}
	return msg[g[2]:g[3]], msg[g[4]:g[5]], g[0], end, true
}

// FunctionNames lists the functions of a kind (as UnknownFunction names it) that SQL may
// call by a plain name, from DuckDB's own catalog: duckdb_functions(), plus the few
// functions that are keywords of the grammar (coalesce, nullif, …), which it leaves out.
func FunctionNames(ctx context.Context, db interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, kind string) ([]string, error) {
	types := map[string]string{"Scalar": "'scalar', 'macro', 'aggregate'", "Aggregate": "'aggregate'", "Table": "'table', 'table_macro'"}[kind]
	if types == "" {
		return nil, fmt.Errorf("function kind %q", kind)
	}
	q := "SELECT DISTINCT function_name FROM duckdb_functions() WHERE function_type IN (" + types + ") AND NOT starts_with(function_name, '__') AND regexp_matches(function_name, '^[a-z_][a-z0-9_]*$')"
	if kind != "Table" {
		q += " UNION SELECT keyword_name FROM duckdb_keywords() WHERE keyword_name IN ('coalesce', 'nullif', 'grouping', 'extract', 'position', 'substring', 'trim', 'overlay')"
	}
	rows, err := db.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var f string
		if err := rows.Scan(&f); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// OutOfMemory reports whether msg is DuckDB running out of memory (memory_limit).
func OutOfMemory(msg string) bool { return strings.Contains(msg, "Out of Memory Error") }

// Missing reports whether msg says a table, view or function does not exist.
func Missing(msg string) bool { return strings.Contains(msg, "does not exist") }

// InvalidUnicode reports whether msg is read_csv refusing bytes that are not UTF-8.
func InvalidUnicode(msg string) bool { return strings.Contains(msg, "Invalid unicode") }
