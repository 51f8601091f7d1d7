package duck

import "strings"

// Ident quotes a SQL identifier: "name", with any " doubled. Identifiers come from the
// project's own definitions or from names checked against a pattern; quoting is a second
// guard.
func Ident(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// Literal quotes a SQL string literal: 'text', with any ' doubled. It is for what DuckDB
// cannot take as a parameter (file paths in COPY, ATTACH and SET, generated names); data
// values are bound as parameters instead.
func Literal(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
