package ingest

import (
	"errors"
	"fmt"
	"strconv"
	"unicode/utf8"
)

// FileError is a problem with one input file, printed as `path:line:col: message` when the
// position is known (line is the editor line, or `Sheet1!3` in a workbook) and `path: message`
// otherwise. Path is below the data folder (`registry/export_2025.csv`).
type FileError struct {
	Path string
	Line string // "" when the problem concerns the whole file
	Col  int
	Err  error
}

// Error implements error. A path or sheet name holding a line break, a terminal escape or
// any other unprintable character is quoted (see printableName), so that it cannot forge a
// line of a log.
func (e *FileError) Error() string {
	path, line := printableName(e.Path), printableName(e.Line)
	switch {
	case e.Line != "" && e.Col > 0:
		return fmt.Sprintf("%s:%s:%d: %v", path, line, e.Col, e.Err)
	case e.Line != "":
		return fmt.Sprintf("%s:%s: %v", path, line, e.Err)
	}
	return fmt.Sprintf("%s: %v", path, e.Err)
}

// atFile returns err as a *FileError of file rel: a *FileError without a path (a position
// found by the CSV scan) gets rel, anything else is wrapped.
func atFile(rel string, err error) error {
	var fe *FileError
	if errors.As(err, &fe) && fe.Path == "" {
		fe.Path = rel
		return fe
	}
	return &FileError{Path: rel, Err: err}
}

// printableName returns a file or sheet name as it is when every character of it prints,
// else quoted as a Go string literal (strconv.Quote: "a\nb", "\x1b[31m").
func printableName(s string) string {
	for _, r := range s {
		if r == utf8.RuneError || !strconv.IsPrint(r) {
			return strconv.Quote(s)
		}
	}
	return s
}

// Unwrap returns the underlying error.
func (e *FileError) Unwrap() error { return e.Err }

// SourceError is a problem with a whole source: a missing required folder, or a share of
// rejected rows above Options.MaxRejectShare.
type SourceError struct {
	Source string // source name, e.g. "registry"
	Err    error
}

// Error implements error.
func (e *SourceError) Error() string { return fmt.Sprintf("source %s: %v", e.Source, e.Err) }

// Unwrap returns the underlying error.
func (e *SourceError) Unwrap() error { return e.Err }
