package duck

import (
	"database/sql"
	"database/sql/driver"
	"fmt"

	"github.com/duckdb/duckdb-go/v2"
)

// Append appends rows to catalog.schema.table ("" for the database's own catalog, "temp"
// for a temporary table) through DuckDB's Appender on conn: fill calls add once per row,
// with one value per column in the table's order. The rows are flushed when fill returns;
// fill's error comes first.
func Append(conn *sql.Conn, catalog, schema, table string, fill func(add func(...driver.Value) error) error) error {
	return conn.Raw(func(dc any) error {
		a, err := duckdb.NewAppender(dc.(driver.Conn), catalog, schema, table)
		if err != nil {
			return fmt.Errorf("appender for %s: %w", table, err)
		}
		ferr := fill(a.AppendRow)
		cerr := a.Close()
		if ferr != nil {
			return ferr
		}
		return cerr
	})
}
