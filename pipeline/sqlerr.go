package pipeline

import (
	"errors"
	"regexp"
	"strconv"
	"strings"
)

var duckLine = regexp.MustCompile(`(?m)^LINE (\d+): (.*)$`)

// mapDuckErr turns a DuckDB error raised by SQL that wraps an analyst's file into a
// *FileError at the analyst's line and column. wrapLines is the number of lines the
// pipeline put before the file's first line. DuckDB prints the failing line as
// "LINE n: <text>" with a caret under the column; the text may be shortened with "...".
func mapDuckErr(err error, path, text string, wrapLines int) error {
	msg := err.Error()
	fe := &FileError{Path: path, Err: errors.New(explainLocked(cleanMessage(msg)))}
	g := duckLine.FindStringSubmatchIndex(msg)
	if g == nil {
		return fe
	}
	n, _ := strconv.Atoi(msg[g[2]:g[3]])
	snippet := msg[g[4]:g[5]]
	line := n - wrapLines
	lines := strings.Split(text, "\n")
	if line < 1 || line > len(lines) {
		return fe
	}
	fe.Line = line
	// The caret line follows; its offset is relative to the start of "LINE n: ".
	rest := msg[g[1]:]
	rest = strings.TrimPrefix(rest, "\n")
	caret := strings.IndexByte(strings.SplitN(rest, "\n", 2)[0], '^')
	prefix := len(msg[g[0]:g[4]])
	if caret < prefix {
		fe.Col = 1
		return fe
	}
	// DuckDB places the caret by display width: a CJK character takes two columns.
	width := caret - prefix
	off := len(snippet)
	w := 0
	for i, r := range snippet {
		if w >= width {
			off = i
			break
		}
		w += runeWidth(r)
	}
	src := lines[line-1]
	trimmed := strings.TrimPrefix(snippet, "...")
	shift := len(snippet) - len(trimmed)
	trimmed = strings.TrimSuffix(trimmed, "...")
	start := strings.Index(src, trimmed)
	if start < 0 {
		start, shift = 0, 0
	}
	b := start + off - shift
	if b < 0 || b > len(src) {
		fe.Col = 1
		return fe
	}
	fe.Col = 1 + len([]rune(src[:b]))
	return fe
}

// runeWidth is the number of terminal columns r takes: two for East Asian wide characters.
func runeWidth(r rune) int {
	switch {
	case r >= 0x1100 && r <= 0x115F, r >= 0x2E80 && r <= 0xA4CF, r >= 0xAC00 && r <= 0xD7A3,
		r >= 0xF900 && r <= 0xFAFF, r >= 0xFE30 && r <= 0xFE4F, r >= 0xFF00 && r <= 0xFF60,
		r >= 0xFFE0 && r <= 0xFFE6, r >= 0x20000 && r <= 0x3FFFD:
		return 2
	}
	return 1
}

// cleanMessage keeps DuckDB's explanation and drops its LINE/caret context, which
// mapDuckErr replaces by the analyst's own position.
func cleanMessage(msg string) string {
	if i := strings.Index(msg, "\n\nLINE "); i >= 0 {
		msg = msg[:i]
	} else if i := strings.Index(msg, "\nLINE "); i >= 0 {
		msg = msg[:i]
	}
	return strings.Join(strings.Fields(strings.ReplaceAll(msg, "\n", " ")), " ")
}

// cleanDuckErr is cleanMessage for an error.
func cleanDuckErr(err error) string { return cleanMessage(err.Error()) }

// explainLocked says in an analyst's words what the locked-down database refused (see
// lockDown); other messages pass unchanged.
func explainLocked(msg string) string {
	switch {
	case strings.Contains(msg, "disabled by configuration") || strings.Contains(msg, "file system operations are disabled"):
		return errReadFiles
	case strings.Contains(msg, "the configuration has been locked"):
		return "changing settings is not allowed in queries"
	}
	return msg
}
