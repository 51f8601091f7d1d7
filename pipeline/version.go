package pipeline

import (
	"context"

	"bluebook/duck"
)

// DuckDBVersions returns the version of the DuckDB library linked in, as DuckDB itself
// reports it, and of the Go driver, from the build information: nothing is hard-coded, so
// an upgrade (a go.mod change) shows at once in `bluebook version` and in the ledger.
func DuckDBVersions(ctx context.Context) (library, driver string, err error) {
	driver = duck.DriverVersion()
	db, err := openDB(ctx, "", Config{}, false)
	if err != nil {
		return "", driver, err
	}
	defer db.Close()
	library, err = duck.LibraryVersion(ctx, db)
	return library, driver, err
}
