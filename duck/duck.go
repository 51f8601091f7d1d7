// Package duck is bluebook's one seam to DuckDB: everything that depends on how DuckDB
// and its Go driver (github.com/duckdb/duckdb-go) behave lives here, and only here may
// that driver be imported (TestImportRules). It opens databases with bluebook's settings,
// locks an instance down for analysts' SQL, quotes identifiers and literals, reads the
// shape of DuckDB's error messages and of json_serialize_sql's syntax tree, appends rows
// and registers Go functions, and reports the versions linked in.
//
// Its tests pin each DuckDB behaviour bluebook relies on (message formats with their
// positions, the syntax tree's shape, what a locked-down instance refuses), so that a
// DuckDB upgrade fails here first: bump the pin in go.mod, run `go test ./duck/`, then the
// rest (docs/architecture.md, "upgrade DuckDB").
package duck
