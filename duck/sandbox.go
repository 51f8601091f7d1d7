package duck

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// LockDown seals db's instance for analysts' SQL: no file or network access except the
// exact files of allowed, no extension installs, no setting changes. DuckDB's settings
// belong to the database instance, not to a connection, so the whole pool stays locked
// until the instance closes. allowed_directories is not used: in DuckDB 1.5 a path such
// as "<allowed>/../x" passes its prefix test, while allowed_paths names exact files,
// which DuckDB normalises before comparing.
func LockDown(ctx context.Context, db *sql.DB, allowed []string) error {
	var list []string
	for _, p := range allowed {
		list = append(list, Literal(p))
	}
	for _, q := range []string{
		"SET autoinstall_known_extensions = false",
		"SET allowed_paths = [" + strings.Join(list, ", ") + "]",
		"SET enable_external_access = false",
		"SET lock_configuration = true",
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("lock the database down for analyst SQL (%s): %w", q, err)
		}
	}
	return nil
}

// IsLockedDown reports whether LockDown already ran on db's instance.
func IsLockedDown(ctx context.Context, db *sql.DB) (bool, error) {
	var v string
	if err := db.QueryRowContext(ctx, "SELECT CAST(current_setting('lock_configuration') AS VARCHAR)").Scan(&v); err != nil {
		return false, fmt.Errorf("read lock_configuration: %w", err)
	}
	return v == "true", nil
}

// AllowedPaths returns the files a locked-down instance may still read and write.
func AllowedPaths(ctx context.Context, db *sql.DB) ([]string, error) {
	var paths []string
	rows, err := db.QueryContext(ctx, "SELECT unnest(CAST(current_setting('allowed_paths') AS VARCHAR[]))")
	if err != nil {
		return nil, fmt.Errorf("read allowed_paths: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			return nil, err
		}
		paths = append(paths, p)
	}
	return paths, rows.Err()
}
