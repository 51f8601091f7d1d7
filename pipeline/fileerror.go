package pipeline

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// FileError is a mistake in an analyst's file, printed as path:line:col: message.
type FileError struct {
	Path string
	Line int // 1-based; 0 when unknown
	Col  int // 1-based; 0 when unknown
	Err  error
}

func (e *FileError) Error() string {
	line, col := e.Line, e.Col
	if line < 1 {
		line = 1
	}
	if col < 1 {
		col = 1
	}
	return fmt.Sprintf("%s:%d:%d: %v", e.Path, line, col, e.Err)
}

func (e *FileError) Unwrap() error { return e.Err }

// ErrorList collects every error found in a pass so they can be printed at once.
type ErrorList []error

func (l ErrorList) Error() string {
	parts := make([]string, len(l))
	for i, e := range l {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "\n")
}

// Unwrap lets errors.As find a *FileError inside the list.
func (l ErrorList) Unwrap() []error { return l }

// Err returns nil for an empty list, the single error for one, and the sorted list otherwise.
func (l ErrorList) Err() error {
	switch len(l) {
	case 0:
		return nil
	case 1:
		return l[0]
	}
	sort.SliceStable(l, func(i, j int) bool {
		var a, b *FileError
		if errors.As(l[i], &a) && errors.As(l[j], &b) {
			if a.Path != b.Path {
				return a.Path < b.Path
			}
			if a.Line != b.Line {
				return a.Line < b.Line
			}
			return a.Col < b.Col
		}
		return false
	})
	return l
}

// position converts a byte offset in text into a 1-based line and column (columns count
// characters, as editors do).
func position(text string, offset int) (line, col int) {
	if offset < 0 || offset > len(text) {
		return 0, 0
	}
	line = 1 + strings.Count(text[:offset], "\n")
	start := strings.LastIndexByte(text[:offset], '\n') + 1
	col = 1 + len([]rune(text[start:offset]))
	return line, col
}
