package pipeline

import (
	"path"
	"strings"
	"unicode/utf8"

	"bluebook/diag"
	"bluebook/duck"
)

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

// ErrorList collects every error found in a pass so they can be printed at once.
type ErrorList []error

func (l ErrorList) Error() string {
	parts := make([]string, len(l))
	for i, e := range l {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "\n")
}

// Unwrap lets errors.As find a *diag.Error inside the list.
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
	diag.Sort(flat)
	return ErrorList(flat)
}

// flatten returns the errors an ErrorList or errors.Join holds, at any depth.
func flatten(errs []error) []error {
	var out []error
	for _, e := range errs {
		switch x := e.(type) {
		case nil:
		case ErrorList:
			out = append(out, flatten(x)...)
		case interface{ Unwrap() []error }:
			if isJoin(e) {
				out = append(out, flatten(x.Unwrap())...)
				continue
			}
			out = append(out, e)
		default:
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
// paths (chapters/NN_name.md) are relative to, where no Config says otherwise.
const reportsFolder = "reports"

// chapterErrors gives the chapter errors in err, whose paths the reports package makes
// relative to the reports folder (chapters/01_market.md), paths relative to the project
// folder: under dir, the reports folder as messages show it (cfg.ReportsDir). Every
// *diag.Error in err must come from the reports package, and err is passed here once.
func chapterErrors(err error, dir string) error {
	walkDiagnostics(err, func(x *diag.Error) { x.Path = path.Join(dir, x.Path) })
	return err
}

// Diagnostics returns the mistakes in users' files (*diag.Error) that err is made of (err itself, or
// the errors of an ErrorList or errors.Join), sorted by path, line and column, each
// printing as path:line:col: message; ok is false when err is anything else (then the
// list is nil).
func Diagnostics(err error) (list []error, ok bool) {
	if err == nil {
		return nil, false
	}
	flat := dedupe(flatten([]error{err}))
	for _, e := range flat {
		if _, isFile := e.(*diag.Error); !isFile {
			return nil, false
		}
	}
	diag.Sort(flat)
	return flat, true
}

// WrappedDiagnostics finds, inside err, the mistakes in users' files that made a command
// fail (as `run failed: models: <errors>`, or `run failed: ingest: <a data file's
// error>`): it returns them sorted (see Diagnostics) and the words wrapped around them
// ("run failed: models"); ok is false when err holds none.
func WrappedDiagnostics(err error) (list []error, context string, ok bool) {
	inner := err
	for inner != nil {
		if l, ok := Diagnostics(inner); ok {
			// The words around them: those before, and any after (advice appended by Advise).
			whole, text := err.Error(), inner.Error()
			context = whole
			if i := strings.LastIndex(whole, text); i >= 0 {
				context = strings.TrimSuffix(whole[:i], ": ") + whole[i+len(text):]
			}
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

// walkDiagnostics calls f for each mistake in a user's file in err's tree (at any depth,
// whatever wraps them), in order; it does not look inside a *diag.Error.
func walkDiagnostics(err error, f func(*diag.Error)) {
	switch x := err.(type) {
	case *diag.Error:
		f(x)
	case interface{ Unwrap() []error }:
		for _, c := range x.Unwrap() {
			walkDiagnostics(c, f)
		}
	case interface{ Unwrap() error }:
		if c := x.Unwrap(); c != nil {
			walkDiagnostics(c, f)
		}
	}
}

// DiagnosticText is err as the preview shows it: when err holds mistakes in users' files
// (at any depth, whatever wraps them), those alone, one per line as path:line:col: message
// followed by its source line and caret where known, sorted; otherwise err's own text.
func DiagnosticText(err error) string {
	if err == nil {
		return ""
	}
	var found []error
	walkDiagnostics(err, func(x *diag.Error) { found = append(found, x) })
	if len(found) == 0 {
		return err.Error()
	}
	diag.Sort(found)
	var b strings.Builder
	for i, e := range dedupe(found) {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
		if x := Excerpt(e.(*diag.Error)); x != "" {
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
