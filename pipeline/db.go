package pipeline

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/duckdb/duckdb-go/v2"
)

// ErrLocked reports that another process holds the database file.
var ErrLocked = errors.New("the database is in use by another bluebook process")

var lockHolder = regexp.MustCompile(`\(PID (\d+)\)`)

// openDB opens the DuckDB file at path ("" = in memory). Every connection of the pool
// starts with the run's variables set (getvariable('year') and the rest), so any statement
// sees them whichever connection serves it. No extension is ever downloaded.
func openDB(ctx context.Context, path string, cfg Config, readOnly bool) (*sql.DB, error) {
	if path != "" && !readOnly {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return nil, fmt.Errorf("create folder for %s: %w", path, err)
		}
	}
	dsn := path + "?autoinstall_known_extensions=false&autoload_known_extensions=true"
	if readOnly {
		dsn += "&access_mode=READ_ONLY"
	}
	vars, err := variables(cfg)
	if err != nil {
		return nil, err
	}
	connector, err := duckdb.NewConnector(dsn, func(x driver.ExecerContext) error {
		for _, v := range vars {
			if _, err := x.ExecContext(ctx, v.sql, []driver.NamedValue{{Ordinal: 1, Value: v.val}}); err != nil {
				return fmt.Errorf("set variable %s: %w", v.name, err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, openError(path, err)
	}
	db := sql.OpenDB(connector)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, openError(path, err)
	}
	limit := cfg.MemoryLimit
	if limit == "" && !readOnly {
		// Half the RAM by default (DuckDB's own default is 80%), leaving room for the
		// rest of the machine; larger work spills to <db>.tmp/.
		if ram := totalRAM(); ram > 0 {
			limit = strconv.FormatUint(ram/2/(1<<20), 10) + "MiB"
		}
	}
	if limit != "" {
		if _, err := db.ExecContext(ctx, "SET memory_limit = ?", limit); err != nil {
			db.Close()
			return nil, fmt.Errorf("%w: memory_limit %q: %v", ErrConfig, limit, err)
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

// openError says plainly when another process holds the file, instead of DuckDB's raw
// lock message.
func openError(path string, err error) error {
	msg := err.Error()
	if strings.Contains(msg, "Could not set lock") || strings.Contains(msg, "Conflicting lock") {
		holder := ""
		if g := lockHolder.FindStringSubmatch(msg); g != nil {
			holder = " (PID " + g[1] + ")"
		}
		return fmt.Errorf("%w%s: %s; wait for it to finish (see `bluebook status`)", ErrLocked, holder, path)
	}
	if d := damaged(path, err); d != nil {
		return d
	}
	return fmt.Errorf("open %s: %w", path, err)
}

type variable struct {
	name, sql string
	val       any
}

// variables lists the run's parameters, available to SQL as getvariable('name').
func variables(cfg Config) ([]variable, error) {
	var vs []variable
	add := func(name string, val any, typ string) {
		q := "SET VARIABLE " + quoteIdent(name) + " = ?"
		if typ != "" {
			q = "SET VARIABLE " + quoteIdent(name) + " = CAST(? AS " + typ + ")"
		}
		vs = append(vs, variable{name, q, val})
	}
	if cfg.Year != 0 {
		add("year", int64(cfg.Year), "")
		add("prev_year", int64(cfg.Year-1), "")
	}
	if !cfg.AsOf.IsZero() && cfg.Year != 0 {
		add("cutoff", cfg.Cutoff().Format("2006-01-02"), "DATE")
		add("as_of", cfg.AsOf.Format("2006-01-02"), "DATE")
	}
	if cfg.City != "" {
		add("city", cfg.City, "")
	}
	names := make([]string, 0, len(cfg.Params))
	for name := range cfg.Params {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if !identifier.MatchString(name) {
			return nil, fmt.Errorf("%w: params.%s: a parameter name is letters, digits and _", ErrConfig, name)
		}
		add(name, cfg.Params[name], "")
	}
	return vs, nil
}
