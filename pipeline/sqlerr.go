package pipeline

import (
	"errors"
	"fmt"
	"strings"

	"bluebook/diag"
	"bluebook/duck"
)

// mapDuckErr turns a DuckDB error raised by SQL that wraps an analyst's file into a
// *diag.Error at the analyst's line and column (duck.ErrorPlace reads the place from
// DuckDB's message). wrapLines is the number of lines (plain ASCII) the pipeline put
// before the file's first line.
func mapDuckErr(err error, path, text string, wrapLines int) error {
	msg := err.Error()
	fe := &diag.Error{Path: path, Err: errors.New(explainTypes(explainLocked(duck.CleanMessage(msg))))}
	line, off, ok := duck.ErrorPlace(msg, text, wrapLines)
	switch {
	case !ok:
	case off < 0:
		fe.Line, fe.Col = line, 1
	default:
		fe.Line, fe.Col = position(text, off)
	}
	return fe
}

// explainTypes rewrites DuckDB's "No function matches … '-(DATE, VARCHAR)'" (followed by
// every candidate it knows) in plain words: which operand or argument has which type, and
// how to make them fit.
func explainTypes(msg string) string {
	name, types, start, ok := duck.NoFunctionMatch(msg)
	if !ok {
		return msg
	}
	var b strings.Builder
	operator := len(types) == 2 && strings.Trim(name, "+-*/%|<>=!^") == ""
	if operator {
		fmt.Fprintf(&b, "%s cannot be applied to these operands: the left one is %s, the right one %s",
			name, typeWords(types[0]), typeWords(types[1]))
	} else {
		words := make([]string, len(types))
		for i, t := range types {
			words[i] = typeWords(t)
		}
		fmt.Fprintf(&b, "%s() takes no arguments of these types: %s", name, strings.Join(words, ", "))
	}
	if hasType(types, "DATE") && hasType(types, "VARCHAR") {
		b.WriteString("; turn the text into a date first (CAST(x AS DATE)); for the days between two dates use date_diff('day', start, end)")
	} else if hasType(types, "VARCHAR") {
		b.WriteString("; cast the text to the type you mean, e.g. CAST(x AS INTEGER) or CAST(x AS DATE)")
	} else {
		b.WriteString("; add an explicit CAST")
	}
	return msg[:start] + b.String()
}

func hasType(types []string, t string) bool {
	for _, x := range types {
		if x == t {
			return true
		}
	}
	return false
}

// typeWords names a DuckDB type for an analyst: "text (VARCHAR)", "a date (DATE)".
func typeWords(t string) string {
	base := t
	if i := strings.IndexByte(base, '('); i >= 0 {
		base = base[:i]
	}
	switch base {
	case "VARCHAR":
		return "text (VARCHAR)"
	case "DATE":
		return "a date (DATE)"
	case "TIMESTAMP", "TIMESTAMP WITH TIME ZONE":
		return "a timestamp (" + t + ")"
	case "INTERVAL":
		return "an interval (INTERVAL)"
	case "BOOLEAN":
		return "true/false (BOOLEAN)"
	case "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "DOUBLE", "FLOAT", "DECIMAL", "UBIGINT", "UINTEGER":
		return "a number (" + t + ")"
	}
	return t
}

// cleanDuckErr is cleanMessage for an error.
func cleanDuckErr(err error) string { return duck.CleanMessage(err.Error()) }

// explainLocked says in an analyst's words what the locked-down database refused (see
// lockDown); other messages pass unchanged.
func explainLocked(msg string) string {
	switch {
	case duck.RefusedFileAccess(msg):
		return errReadFiles
	case duck.RefusedSetting(msg):
		return "changing settings is not allowed in queries"
	}
	return msg
}
