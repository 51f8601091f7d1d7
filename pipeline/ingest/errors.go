package ingest

import (
	"errors"
	"fmt"

	"bluebook/diag"
)

// A problem with one input file is a *diag.Error with Data set, printed as
// `path:line:col: message` when the position is known (line is the editor line, or
// `Sheet1!3` in a workbook) and `path: message` otherwise. Its Path is below the data
// folder (`registry/export_2025.csv`).

// fileError is err as a problem with the whole of data file rel.
func fileError(rel string, err error) *diag.Error {
	return &diag.Error{Path: rel, Err: err, Data: true}
}

// atFile returns err as a problem of file rel: a *diag.Error without a path (a position
// found by the CSV scan) gets rel, anything else is wrapped.
func atFile(rel string, err error) error {
	var fe *diag.Error
	if errors.As(err, &fe) && fe.Path == "" {
		fe.Path = rel
		return fe
	}
	return fileError(rel, err)
}

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
