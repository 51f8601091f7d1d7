package duck

import (
	"context"
	"database/sql/driver"
	"errors"
	"math/big"
	"testing"
	"time"
)

// TestAppend: rows appended to a main and a temp table arrive whole; an error from fill
// comes back before anything DuckDB says.
func TestAppend(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := memDB(t)
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for _, q := range []string{"CREATE TABLE m (id BIGINT, name VARCHAR)", "CREATE TEMP TABLE tt (id BIGINT, name VARCHAR)"} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	for _, target := range []struct{ catalog, table string }{{"", "m"}, {"temp", "tt"}} {
		err := Append(conn, target.catalog, "main", target.table, func(add func(...driver.Value) error) error {
			for i, s := range []string{"甲", "it's", ""} {
				if err := add(int64(i), s); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatalf("append to %s: %v", target.table, err)
		}
		var n int
		var names string
		if err := conn.QueryRowContext(ctx, "SELECT count(*), string_agg(name, '|' ORDER BY id) FROM "+Ident(target.table)).Scan(&n, &names); err != nil || n != 3 || names != "甲|it's|" {
			t.Errorf("%s holds %d rows %q, %v", target.table, n, names, err)
		}
	}
	stop := errors.New("stop")
	if err := Append(conn, "", "main", "m", func(add func(...driver.Value) error) error { return stop }); !errors.Is(err, stop) {
		t.Errorf("fill's error: got %v", err)
	}
	if err := Append(conn, "", "main", "no_such_table", func(add func(...driver.Value) error) error { return nil }); err == nil {
		t.Error("appending to a missing table succeeded")
	}
}

// TestRegisterTextFunc: a Go function of one VARCHAR, callable from SQL with each result
// type; NULL in gives NULL out without calling it; registering again replaces it.
func TestRegisterTextFunc(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := memDB(t)
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	calls := 0
	if err := RegisterTextFunc(conn, "t_len", Integer, func(s string) any { calls++; return int32(len([]rune(s))) }); err != nil {
		t.Fatal(err)
	}
	if err := RegisterTextFunc(conn, "t_up", Varchar, func(s string) any { return "<" + s + ">" }); err != nil {
		t.Fatal(err)
	}
	var n, nullLen any
	var up, typ string
	err = conn.QueryRowContext(ctx, "SELECT t_len('民营经济'), t_len(NULL), t_up('x'), typeof(t_len('a'))").Scan(&n, &nullLen, &up, &typ)
	if err != nil || n != int32(4) || nullLen != nil || up != "<x>" || typ != "INTEGER" {
		t.Errorf("t_len('民营经济'), t_len(NULL), t_up('x'), typeof = %v, %v, %q, %q, %v", n, nullLen, up, typ, err)
	}
	if calls != 1 {
		t.Errorf("the function ran %d times for one non-NULL argument", calls)
	}
	if err := RegisterTextFunc(conn, "t_up", Varchar, func(s string) any { return "[" + s + "]" }); err != nil {
		t.Fatalf("registering again: %v", err)
	}
	if err := conn.QueryRowContext(ctx, "SELECT t_up('x')").Scan(&up); err != nil || up != "[x]" {
		t.Errorf("after registering again: %q, %v", up, err)
	}
}

// TestPlain pins the Go types the driver scans DuckDB's types into, as Plain converts
// them for the report: a new driver that scans a type differently fails here.
func TestPlain(t *testing.T) {
	t.Parallel()
	db := memDB(t)
	big2 := new(big.Int).Lsh(big.NewInt(1), 70)
	f70, _ := new(big.Float).SetInt(big2).Float64()
	cases := []struct {
		sql  string
		want any
	}{
		{"NULL", nil},
		{"true", true},
		{"CAST(-3 AS TINYINT)", int64(-3)},
		{"CAST(300 AS SMALLINT)", int64(300)},
		{"CAST(70000 AS INTEGER)", int64(70000)},
		{"CAST(7 AS BIGINT)", int64(7)},
		{"CAST(200 AS UTINYINT)", int64(200)},
		{"CAST(7 AS UBIGINT)", int64(7)},
		{"CAST(12 AS HUGEINT)", int64(12)},
		{"CAST(1 AS HUGEINT) << 70", f70},
		{"CAST(1.5 AS FLOAT)", float64(1.5)},
		{"CAST(2.25 AS DOUBLE)", float64(2.25)},
		{"CAST(123.45 AS DECIMAL(10,2))", float64(123.45)},
		{"CAST(123456789012.34 AS DECIMAL(18,2))", float64(123456789012.34)},
		{"'民营'", "民营"},
		{"CAST('ab' AS BLOB)", "ab"},
		{"DATE '2025-12-31'", time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC)},
		{"[1, 2]", "[1 2]"},
	}
	for _, c := range cases {
		var v any
		if err := db.QueryRow("SELECT " + c.sql).Scan(&v); err != nil {
			t.Errorf("%s: %v", c.sql, err)
			continue
		}
		if got := Plain(v); got != c.want {
			t.Errorf("Plain(%s: %T %v) = %T %v, want %T %v", c.sql, v, v, got, got, c.want, c.want)
		}
	}
}
