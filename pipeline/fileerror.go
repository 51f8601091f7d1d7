package pipeline

import (
	"errors"
	"fmt"
	"path"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"bluebook/duck"
	"bluebook/reports"
)

// FileError is a mistake in an analyst's file, printed as path:line:col: message (Error),
// then, where the file's line is known, that line and a caret under the column (Excerpt).
type FileError struct {
	Path string
	Line int // 1-based; 0 when unknown
	Col  int // 1-based, in characters; 0 when unknown
	Err  error
	// Source is the text of line Line (without its line break), filled by AttachSource;
	// "" when unknown.
	Source string
	// Warning marks a mistake that does not stop anything (printed as path:line:col:
	// warning: message); `check` reports it and still succeeds.
	Warning bool
}

func (e *FileError) Error() string {
	line, col := e.Line, e.Col
	if line < 1 {
		line = 1
	}
	if col < 1 {
		col = 1
	}
	if e.Warning {
		return fmt.Sprintf("%s:%d:%d: warning: %v", Printable(e.Path), line, col, e.Err)
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
	if duck.OutOfMemory(msg) && !strings.Contains(msg, memoryAdvice) {
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

// Err returns nil for an empty list, the single error for one, and otherwise the list
// flattened (a list or errors.Join inside it gives its own errors) and sorted by path,
// line and column, errors without a place last.
func (l ErrorList) Err() error {
	flat := dedupe(flatten(l))
	switch len(flat) {
	case 0:
		return nil
	case 1:
		return flat[0]
	}
	sortByPlace(flat)
	return ErrorList(flat)
}

// flatten returns the errors an ErrorList or errors.Join holds, at any depth, with
// every chapter error (*reports.FileError) turned into a *FileError under reports/.
func flatten(errs []error) []error {
	var out []error
	for _, e := range errs {
		switch x := e.(type) {
		case nil:
		case ErrorList:
			out = append(out, flatten(x)...)
		case interface{ Unwrap() []error }:
			if _, isFile := e.(*FileError); !isFile && isJoin(e) {
				out = append(out, flatten(x.Unwrap())...)
				continue
			}
			out = append(out, e)
		default:
			var re *reports.FileError
			if errors.As(e, &re) && e == error(re) {
				out = append(out, fromChapter(re))
				continue
			}
			out = append(out, e)
		}
	}
	return out
}

// dedupe drops an error whose text repeats one before it (found by two passes).
func dedupe(errs []error) []error {
	seen := map[string]bool{}
	out := errs[:0:0]
	for _, e := range errs {
		if !seen[e.Error()] {
			seen[e.Error()] = true
			out = append(out, e)
		}
	}
	return out
}

// isJoin reports whether e is what errors.Join returns (its text is its errors' texts,
// one per line), not an error that wraps several with words of its own.
func isJoin(e error) bool {
	var parts []string
	for _, x := range e.(interface{ Unwrap() []error }).Unwrap() {
		parts = append(parts, x.Error())
	}
	return e.Error() == strings.Join(parts, "\n")
}

// reportsFolder is how messages name the project's reports/ folder, which chapter
// paths (chapters/NN_name.md) are relative to.
const reportsFolder = "reports"

// fromChapter is a chapter error as a *FileError, its path relative to the project folder.
func fromChapter(e *reports.FileError) *FileError {
	return &FileError{Path: path.Join(reportsFolder, e.Path), Line: e.Line, Col: e.Col, Err: e.Err, Source: e.Source}
}

// sortByPlace orders errors by path, line and column; errors without a place keep their
// order, after the others.
func sortByPlace(l []error) {
	sort.SliceStable(l, func(i, j int) bool {
		var a, b *FileError
		ai, bi := errors.As(l[i], &a), errors.As(l[j], &b)
		if !ai || !bi {
			return ai && !bi
		}
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
}

// Diagnostics returns the mistakes in analysts' files that err is made of (err itself, or
// the errors of an ErrorList or errors.Join), sorted by path, line and column, each
// printing as path:line:col: message; ok is false when err is anything else (then the
// list is nil).
func Diagnostics(err error) (list []error, ok bool) {
	if err == nil {
		return nil, false
	}
	flat := dedupe(flatten([]error{err}))
	for _, e := range flat {
		if _, isFile := e.(*FileError); !isFile {
			return nil, false
		}
	}
	sortByPlace(flat)
	return flat, true
}

// WrappedDiagnostics finds, inside err, the mistakes in analysts' files that made a
// command fail (as `run failed: models: <errors>`): it returns them sorted (see
// Diagnostics) and the words wrapped around them ("run failed: models"); ok is false when
// err holds none.
func WrappedDiagnostics(err error) (list []error, context string, ok bool) {
	inner := err
	for inner != nil {
		if l, ok := Diagnostics(inner); ok {
			context = strings.TrimSuffix(strings.TrimSuffix(err.Error(), inner.Error()), ": ")
			return l, context, true
		}
		switch x := inner.(type) {
		case interface{ Unwrap() []error }:
			var next error
			for _, c := range x.Unwrap() {
				if _, _, ok := WrappedDiagnostics(c); ok {
					next = c
				}
			}
			inner = next
		case interface{ Unwrap() error }:
			inner = x.Unwrap()
		default:
			inner = nil
		}
	}
	return nil, "", false
}

// walkFileErrors calls pf or rf for each mistake in analysts' files in err's tree (at any
// depth, whatever wraps them), in order; it does not look inside a file error.
func walkFileErrors(err error, pf func(*FileError), rf func(*reports.FileError)) {
	switch x := err.(type) {
	case *FileError:
		pf(x)
	case *reports.FileError:
		rf(x)
	case interface{ Unwrap() []error }:
		for _, c := range x.Unwrap() {
			walkFileErrors(c, pf, rf)
		}
	case interface{ Unwrap() error }:
		if c := x.Unwrap(); c != nil {
			walkFileErrors(c, pf, rf)
		}
	}
}

// DiagnosticText is err as the preview shows it: when err holds mistakes in analysts'
// files (at any depth, whatever wraps them), those alone, one per line as
// path:line:col: message (chapter paths relative to the project folder), sorted; otherwise
// err's own text.
func DiagnosticText(err error) string {
	if err == nil {
		return ""
	}
	var found []error
	walkFileErrors(err, func(x *FileError) { found = append(found, x) },
		func(x *reports.FileError) { found = append(found, fromChapter(x)) })
	if len(found) == 0 {
		return err.Error()
	}
	sortByPlace(found)
	var b strings.Builder
	for i, e := range dedupe(found) {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
		if x := e.(*FileError).Excerpt(); x != "" {
			b.WriteString("\n" + x)
		}
	}
	return b.String()
}

// position converts a byte offset in text into a 1-based line and column (columns count
// characters, as editors do; a byte-order mark at the start of the file is not one).
func position(text string, offset int) (line, col int) {
	if offset < 0 || offset > len(text) {
		return 0, 0
	}
	line = 1 + strings.Count(text[:offset], "\n")
	start := strings.LastIndexByte(text[:offset], '\n') + 1
	if start == 0 && strings.HasPrefix(text, "\uFEFF") && offset >= len("\uFEFF") {
		start = len("\uFEFF")
	}
	col = 1 + utf8.RuneCountInString(text[start:offset])
	return line, col
}
