package pipeline

import (
	"context"
	"fmt"
	"runtime/debug"
)

// DuckDBVersions returns the version of the DuckDB library linked in, as DuckDB itself
// reports it, and of the Go driver, from the build information: nothing is hard-coded, so
// an upgrade (a go.mod change) shows at once in `bluebook version` and in the ledger.
func DuckDBVersions(ctx context.Context) (library, driver string, err error) {
	driver = "unknown"
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, d := range info.Deps {
			if d.Path == "github.com/duckdb/duckdb-go/v2" {
				driver = d.Version
				if d.Replace != nil {
					driver = d.Replace.Version
				}
			}
		}
	}
	db, err := openDB(ctx, "", Config{}, false)
	if err != nil {
		return "", driver, err
	}
	defer db.Close()
	if err := db.QueryRowContext(ctx, "SELECT library_version FROM pragma_version()").Scan(&library); err != nil {
		return "", driver, fmt.Errorf("read DuckDB's version: %w", err)
	}
	return library, driver, nil
}
