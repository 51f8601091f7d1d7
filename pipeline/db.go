package pipeline

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"

	"bluebook/duck"
)

// ErrLocked reports that another process holds the database file.
var ErrLocked = errors.New("the database is in use by another bluebook process")

// openDB opens the DuckDB file at path ("" = in memory) with the run's settings. Every
// connection of the pool starts with the run's variables set (getvariable('year') and the
// rest), so any statement sees them whichever connection serves it. No extension is ever
// downloaded.
func openDB(ctx context.Context, path string, cfg Config, readOnly bool) (*sql.DB, error) {
	if path != "" && !readOnly {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return nil, fmt.Errorf("create folder for %s: %w", path, err)
		}
	}
	vars, err := variables(cfg)
	if err != nil {
		return nil, err
	}
	limit := cfg.MemoryLimit
	if limit == "" && !readOnly {
		// Half the RAM by default (DuckDB's own default is 80%), leaving room for the
		// rest of the machine; larger work spills to <db>.tmp/.
		if ram := totalRAM(); ram > 0 {
			limit = strconv.FormatUint(ram/2/(1<<20), 10) + "MiB"
		}
	}
	db, err := duck.Open(ctx, duck.Options{Path: path, ReadOnly: readOnly, MemoryLimit: limit, Threads: cfg.Threads, Init: vars})
	var oe *duck.OpenError
	var se *duck.SettingError
	switch {
	case errors.As(err, &oe):
		return nil, openError(path, oe.Err)
	case errors.As(err, &se):
		return nil, fmt.Errorf("%w: %v", ErrConfig, se)
	case err != nil:
		return nil, err
	}
	return db, nil
}

// openError says plainly when another process holds the file, instead of DuckDB's raw
// lock message.
func openError(path string, err error) error {
	if pid, locked := duck.LockedBy(err); locked {
		holder := ""
		if pid != "" {
			holder = " (PID " + pid + ")"
		}
		return fmt.Errorf("%w%s: %s; wait for it to finish (see `bluebook status`)", ErrLocked, holder, path)
	}
	if d := damaged(path, err); d != nil {
		return d
	}
	return fmt.Errorf("open %s: %w", path, err)
}

// variables lists the run's parameters, available to SQL as getvariable('name').
func variables(cfg Config) ([]duck.Statement, error) {
	var vs []duck.Statement
	add := func(name string, val any, typ string) {
		q := "SET VARIABLE " + duck.Ident(name) + " = ?"
		if typ != "" {
			q = "SET VARIABLE " + duck.Ident(name) + " = CAST(? AS " + typ + ")"
		}
		vs = append(vs, duck.Statement{Name: name, SQL: q, Arg: val})
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
