package duck

import (
	"context"
	"database/sql"
	"fmt"
	"runtime/debug"
)

// DriverModule is the Go module of the DuckDB driver, as go.mod requires it.
const DriverModule = "github.com/duckdb/duckdb-go/v2"

// DriverVersion returns the version of the Go driver linked in, from the build
// information (the go.mod pin), or "unknown".
func DriverVersion() string {
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, d := range info.Deps {
			if d.Path == DriverModule {
				if d.Replace != nil {
					return d.Replace.Version
				}
				return d.Version
			}
		}
	}
	return "unknown"
}

// LibraryVersion returns the version of the DuckDB library linked in, as DuckDB itself
// reports it ("v1.5.0").
func LibraryVersion(ctx context.Context, db *sql.DB) (string, error) {
	var v string
	if err := db.QueryRowContext(ctx, "SELECT library_version FROM pragma_version()").Scan(&v); err != nil {
		return "", fmt.Errorf("read DuckDB's version: %w", err)
	}
	return v, nil
}
