package ingest

import "fmt"

// FileError is a problem with one input file, printed as `path:line:col: message` when the
// position is known (line is the editor line, or `Sheet1!3` in a workbook) and `path: message`
// otherwise. Path is below the data folder (`registry/export_2025.csv`).
type FileError struct {
	Path string
	Line string // "" when the problem concerns the whole file
	Col  int
	Err  error
}

// Error implements error.
func (e *FileError) Error() string {
	switch {
	case e.Line != "" && e.Col > 0:
		return fmt.Sprintf("%s:%s:%d: %v", e.Path, e.Line, e.Col, e.Err)
	case e.Line != "":
		return fmt.Sprintf("%s:%s: %v", e.Path, e.Line, e.Err)
	}
	return fmt.Sprintf("%s: %v", e.Path, e.Err)
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
