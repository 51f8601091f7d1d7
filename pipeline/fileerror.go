package pipeline

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
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
	return fmt.Sprintf("%s:%d:%d: %v", Printable(e.Path), line, col, e.Err)
}

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

// memoryAdvice is what to do when DuckDB runs out of memory: its own message suggests SQL
// settings, which bluebook takes from bluebook.toml.
const memoryAdvice = "DuckDB ran out of memory: raise memory_limit in bluebook.toml (default: half the RAM), lower threads, or free memory on the machine"

// Advise returns err with advice appended when its text shows a known cause: DuckDB out of
// memory names the memory_limit key. Any other error is returned as it is.
func Advise(err error) error {
	if err == nil || AdviseText(err.Error()) == err.Error() {
		return err
	}
	return &advisedError{err: err, advice: memoryAdvice}
}

// AdviseText is Advise for an error's text (as the run ledger keeps it).
func AdviseText(msg string) string {
	if strings.Contains(msg, "Out of Memory Error") && !strings.Contains(msg, memoryAdvice) {
		return msg + " (" + memoryAdvice + ")"
	}
	return msg
}

// advisedError is an error with advice appended to its text.
type advisedError struct {
	err    error
	advice string
}

func (e *advisedError) Error() string { return e.err.Error() + " (" + e.advice + ")" }

func (e *advisedError) Unwrap() error { return e.err }

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
