// Package diag is the diagnostics type for mistakes in the files a user gives bluebook:
// the analysts' SQL models, seeds, checks and chapters, and the data files of the sources.
// The pipeline, the reports package and ingest all report such a mistake as one *Error,
// printed as path:line:col: message, and a list of them is sorted by file and place.
//
// It holds nothing else: rendering the source line with a caret under the column needs
// the terminal width of characters, which the pipeline has (pipeline/excerpt.go).
package diag

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"unicode/utf8"
)

// Error is a mistake in a user's file at a place in it, printed as path:line:col: message
// (see Error).
type Error struct {
	// Path names the file as the user knows it: relative to the project folder for an
	// analyst's file (queries/market/x.sql, reports/chapters/01_market.md), relative to the
	// data folder for a data file (registry/export_2025.csv).
	Path string
	Line int // 1-based; 0 when unknown
	Col  int // 1-based, in characters (not bytes); 0 when unknown
	// Sheet is the sheet of a workbook whose row Line is: the place prints as Sheet!Line
	// (export.xlsx:Sheet1!3: …); "" in any other file.
	Sheet string
	Err   error
	// Source is the text of line Line (without its line break), for the source line and
	// caret printed under the error; "" when unknown. The pipeline fills it
	// (pipeline.AttachSource).
	Source string
	// Hint, when set, says how to fix the mistake; it follows the message after "; ".
	Hint string
	// Warning marks a mistake that does not stop anything (printed as
	// path:line:col: warning: message); `check` reports it and still succeeds.
	Warning bool
	// Data marks a mistake in a data file, which may concern the whole file or a whole
	// row: a place not known is then left out (path: message, path:line: message) instead
	// of printed as 1, and no source line is read for it.
	Data bool
}

// Error prints e as path:line:col: message (path:line:col: warning: message for a
// warning). An unknown line or column prints as 1, so that every mistake in an analyst's
// file has a place an editor can jump to; in a data file it is left out. A path or sheet
// name holding a character that does not print is quoted (see Printable).
func (e *Error) Error() string {
	place := Printable(e.Path)
	switch {
	case e.Data && e.Line < 1:
	case e.Data && e.Col < 1:
		place += ":" + e.line()
	default:
		place += ":" + e.line() + ":" + strconv.Itoa(max(e.Col, 1))
	}
	msg := fmt.Sprint(e.Err)
	if e.Hint != "" {
		msg += "; " + e.Hint
	}
	if e.Warning {
		return place + ": warning: " + msg
	}
	return place + ": " + msg
}

// line is the line as printed: the line number, or Sheet!row in a workbook.
func (e *Error) line() string {
	n := strconv.Itoa(max(e.Line, 1))
	if e.Sheet != "" {
		return Printable(e.Sheet + "!" + n)
	}
	return n
}

// Unwrap returns the mistake without its place.
func (e *Error) Unwrap() error { return e.Err }

// Printable returns s as it is when every character of it prints, else quoted as a Go
// string literal ("a\nb.csv", "\x1b[2J.csv"): a file name holding a line break or a
// terminal escape, printed raw, could forge a line of a log or rewrite the terminal.
func Printable(s string) string {
	for _, r := range s {
		if r == utf8.RuneError || !strconv.IsPrint(r) {
			return strconv.Quote(s)
		}
	}
	return s
}

// Sort orders errs by path, then line (a workbook's sheets by name), then column, whatever
// wraps each *Error; errors that hold none go last, in the order they came.
func Sort(errs []error) {
	slices.SortStableFunc(errs, func(x, y error) int {
		var a, b *Error
		ax, by := errors.As(x, &a), errors.As(y, &b)
		if !ax || !by {
			switch {
			case ax:
				return -1
			case by:
				return 1
			}
			return 0
		}
		return cmp.Or(cmp.Compare(a.Path, b.Path), cmp.Compare(a.Sheet, b.Sheet), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Col, b.Col))
	})
}

// Count says how many mistakes of a kind there are, exactly: Count(1, "error") is
// "1 error", Count(6, "error") "6 errors".
func Count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}
