package pipeline

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	_ "github.com/duckdb/duckdb-go/v2" // registers the "duckdb" driver
)

// ErrLocked reports that another process holds the database file.
var ErrLocked = errors.New("the database is in use by another bluebook process")

var lockHolder = regexp.MustCompile(`\(PID (\d+)\)`)

// openDB opens the DuckDB file at path ("" = in memory) with one connection, so that
// session state such as variables applies to every statement. No extension is ever
// downloaded.
func openDB(ctx context.Context, path string, cfg Config, readOnly bool) (*sql.DB, error) {
	if path != "" {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return nil, fmt.Errorf("create folder for %s: %w", path, err)
		}
	}
	dsn := path + "?autoinstall_known_extensions=false&autoload_known_extensions=true"
	if readOnly {
		dsn += "&access_mode=READ_ONLY"
	}
	db, err := sql.Open("duckdb", dsn)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxLifetime(0)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		if strings.Contains(err.Error(), "Could not set lock") || strings.Contains(err.Error(), "Conflicting lock") {
			holder := ""
			if g := lockHolder.FindStringSubmatch(err.Error()); g != nil {
				holder = " (PID " + g[1] + ")"
			}
			return nil, fmt.Errorf("%w%s: %s; wait for it to finish (see `bluebook status`)", ErrLocked, holder, path)
		}
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if cfg.MemoryLimit != "" {
		if _, err := db.ExecContext(ctx, "SET memory_limit = ?", cfg.MemoryLimit); err != nil {
			db.Close()
			return nil, fmt.Errorf("%w: memory_limit %q: %v", ErrConfig, cfg.MemoryLimit, err)
		}
	}
	if cfg.Threads > 0 {
		if _, err := db.ExecContext(ctx, "SET threads = "+strconv.Itoa(cfg.Threads)); err != nil {
			db.Close()
			return nil, fmt.Errorf("%w: threads %d: %v", ErrConfig, cfg.Threads, err)
		}
	}
	return db, nil
}

// setVariables makes the run's parameters available to SQL as getvariable('name').
func setVariables(ctx context.Context, db *sql.DB, cfg Config) error {
	vars := []struct {
		name string
		val  any
	}{
		{"year", cfg.Year},
		{"prev_year", cfg.Year - 1},
		{"cutoff", cfg.Cutoff().Format("2006-01-02")},
		{"as_of", cfg.AsOf.Format("2006-01-02")},
		{"city", cfg.City},
	}
	for _, v := range vars {
		q := "SET VARIABLE " + quoteIdent(v.name) + " = ?"
		if v.name == "cutoff" || v.name == "as_of" {
			q = "SET VARIABLE " + quoteIdent(v.name) + " = CAST(? AS DATE)"
		}
		if _, err := db.ExecContext(ctx, q, v.val); err != nil {
			return fmt.Errorf("set variable %s: %w", v.name, err)
		}
	}
	for name, val := range cfg.Params {
		if !identifier.MatchString(name) {
			return fmt.Errorf("%w: params.%s: a parameter name is letters, digits and _", ErrConfig, name)
		}
		if _, err := db.ExecContext(ctx, "SET VARIABLE "+quoteIdent(name)+" = ?", val); err != nil {
			return fmt.Errorf("set variable %s: %w", name, err)
		}
	}
	return nil
}
