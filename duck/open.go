package duck

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/duckdb/duckdb-go/v2"
)

// Options says how to open a database.
type Options struct {
	Path        string // the database file; "" for an in-memory database
	ReadOnly    bool
	MemoryLimit string // DuckDB's memory_limit, e.g. "2GiB"; "" keeps DuckDB's default
	Threads     int    // DuckDB's threads; 0 keeps DuckDB's default
	// Init runs on every new connection of the pool, each statement with its one
	// parameter (SET VARIABLE …), so any statement sees the same session state whichever
	// connection serves it.
	Init []Statement
}

// Statement is one SQL statement with one bound parameter.
type Statement struct {
	Name string // what it sets, for errors
	SQL  string
	Arg  any
}

// OpenError is a failure to open the database file itself (locked, damaged, missing
// folder); the caller turns it into advice.
type OpenError struct{ Err error }

func (e *OpenError) Error() string { return e.Err.Error() }
func (e *OpenError) Unwrap() error { return e.Err }

// SettingError is a memory_limit or threads value DuckDB refused.
type SettingError struct {
	Setting, Value string
	Err            error
}

func (e *SettingError) Error() string {
	return fmt.Sprintf("%s %s: %v", e.Setting, e.Value, e.Err)
}
func (e *SettingError) Unwrap() error { return e.Err }

// Open opens the database o describes. No extension is ever downloaded: known extensions
// (json, parquet, icu…) load from those linked in, never from the network.
func Open(ctx context.Context, o Options) (*sql.DB, error) {
	dsn := o.Path + "?autoinstall_known_extensions=false&autoload_known_extensions=true"
	if o.ReadOnly {
		dsn += "&access_mode=READ_ONLY"
	}
	connector, err := duckdb.NewConnector(dsn, func(x driver.ExecerContext) error {
		for _, s := range o.Init {
			if _, err := x.ExecContext(ctx, s.SQL, []driver.NamedValue{{Ordinal: 1, Value: s.Arg}}); err != nil {
				return fmt.Errorf("set variable %s: %w", s.Name, err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, &OpenError{err}
	}
	db := sql.OpenDB(connector)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, &OpenError{err}
	}
	if o.MemoryLimit != "" {
		if _, err := db.ExecContext(ctx, "SET memory_limit = ?", o.MemoryLimit); err != nil {
			db.Close()
			return nil, &SettingError{"memory_limit", strconv.Quote(o.MemoryLimit), err}
		}
	}
	if o.Threads > 0 {
		if _, err := db.ExecContext(ctx, "SET threads = "+strconv.Itoa(o.Threads)); err != nil {
			db.Close()
			return nil, &SettingError{"threads", strconv.Itoa(o.Threads), err}
		}
	}
	return db, nil
}

var lockHolder = regexp.MustCompile(`\(PID (\d+)\)`)

// LockedBy reports whether err, from Open, says another process holds the file, and that
// process's id when DuckDB names it ("" otherwise).
func LockedBy(err error) (pid string, locked bool) {
	msg := err.Error()
	if !strings.Contains(msg, "Could not set lock") && !strings.Contains(msg, "Conflicting lock") {
		return "", false
	}
	if g := lockHolder.FindStringSubmatch(msg); g != nil {
		return g[1], true
	}
	return "", true
}

// damagedMarks are the DuckDB messages that mean the file, not the caller, is at fault.
// They are pinned by TestDamaged.
var damagedMarks = []string{
	"Failure while replaying WAL",
	"Corrupt database file",
	"Could not read enough bytes",
	"not a valid DuckDB database file",
	"INTERNAL Error",
	"Serialization Error",
}

// Damaged reports whether err, from Open, says the database file is damaged (an
// unreplayable WAL, a flipped byte, a truncated file), with DuckDB's reason.
func Damaged(err error) (reason string, damaged bool) {
	msg := err.Error()
	for _, m := range damagedMarks {
		if strings.Contains(msg, m) {
			if i := strings.Index(msg, "could not connect to database: "); i >= 0 {
				msg = msg[i+len("could not connect to database: "):]
			}
			return msg, true
		}
	}
	return "", false
}
