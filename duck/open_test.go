package duck

import (
	"bufio"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// TestOpenSettings: the DSN and the settings Open applies are the ones DuckDB reports back,
// and the Init statements run on every connection of the pool.
func TestOpenSettings(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := Open(ctx, Options{MemoryLimit: "700MiB", Threads: 1, Init: []Statement{
		{Name: "year", SQL: "SET VARIABLE year = ?", Arg: int64(2025)},
		{Name: "cutoff", SQL: "SET VARIABLE cutoff = CAST(? AS DATE)", Arg: "2025-12-31"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for name, want := range map[string]string{
		"autoinstall_known_extensions": "false",
		"autoload_known_extensions":    "true",
		"threads":                      "1",
		"memory_limit":                 "700.0 MiB",
		"access_mode":                  "automatic",
	} {
		if got := setting(t, db, name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	// Several connections at once: each was initialised.
	db.SetMaxIdleConns(4)
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			conn, err := db.Conn(ctx)
			if err != nil {
				t.Error(err)
				return
			}
			defer conn.Close()
			var year int64
			var cutoff string
			if err := conn.QueryRowContext(ctx, "SELECT getvariable('year'), CAST(getvariable('cutoff') AS VARCHAR) || '/' || typeof(getvariable('cutoff'))").Scan(&year, &cutoff); err != nil {
				t.Error(err)
				return
			}
			if year != 2025 || cutoff != "2025-12-31/DATE" {
				t.Errorf("variables on a connection: year %d, cutoff %q", year, cutoff)
			}
		}()
	}
	wg.Wait()
}

// TestOpenRefusesBadSettings: a memory limit or thread count DuckDB refuses comes back as
// a *SettingError naming the setting.
func TestOpenRefusesBadSettings(t *testing.T) {
	t.Parallel()
	_, err := Open(context.Background(), Options{MemoryLimit: "lots"})
	var se *SettingError
	if !errors.As(err, &se) || se.Setting != "memory_limit" || !strings.HasPrefix(err.Error(), `memory_limit "lots": `) {
		t.Errorf("memory_limit lots: %v", err)
	}
	dir := t.TempDir()
	_, err = Open(context.Background(), Options{Path: filepath.Join(dir, "no", "such", "folder", "x.duckdb")})
	var oe *OpenError
	if !errors.As(err, &oe) {
		t.Errorf("a file in a missing folder: %v (%T), want an *OpenError", err, err)
	}
}

// TestOpenReadOnly: READ_ONLY opens refuse writes.
func TestOpenReadOnly(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "r.duckdb")
	db, err := Open(ctx, Options{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("CREATE TABLE t AS SELECT 1 AS x"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	ro, err := Open(ctx, Options{Path: path, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	if got := setting(t, ro, "access_mode"); got != "read_only" {
		t.Errorf("access_mode = %q", got)
	}
	if _, err := ro.Exec("INSERT INTO t VALUES (2)"); err == nil {
		t.Error("a read-only database accepted an INSERT")
	}
}

// TestOpenLockedByAnotherProcess pins DuckDB's message when another process holds the
// file: "Could not set lock on file … Conflicting lock is held in <program> (PID n)".
// LockedBy reads the holder's process id out of it.
func TestOpenLockedByAnotherProcess(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "held.duckdb")
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "BLUEBOOK_DUCK_HOLD="+path)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Wait()
	defer stdin.Close()
	line, _ := bufio.NewReader(stdout).ReadString('\n')
	if line != "HELD\n" {
		t.Fatalf("the holding process says %q", line)
	}
	_, err = Open(context.Background(), Options{Path: path})
	if err == nil {
		t.Fatal("opened a file another process holds")
	}
	var oe *OpenError
	if !errors.As(err, &oe) {
		t.Errorf("%v (%T), want an *OpenError", err, err)
	}
	pid, locked := LockedBy(err)
	if !locked || pid != strconv.Itoa(cmd.Process.Pid) {
		t.Errorf("LockedBy(%q) = %q, %v; want the holder's PID %d", err, pid, locked, cmd.Process.Pid)
	}
	if _, locked := LockedBy(errors.New("IO Error: Cannot open file")); locked {
		t.Error("LockedBy takes any error for a lock")
	}
}

// TestDamaged pins DuckDB's messages for a damaged file, which Damaged recognises: a
// flipped byte in the catalog, a truncated file (when a query reads the missing part), a
// file that is no database. (The
// unreplayable WAL of DuckDB 1.5.6 is pinned by the root package's TestRecover.)
func TestDamaged(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	good := filepath.Join(dir, "good.duckdb")
	db, err := Open(ctx, Options{Path: good})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("CREATE TABLE t AS SELECT range AS x, 'text ' || range AS s FROM range(100000)"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	content, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string][]byte{
		"flipped byte": append([]byte(nil), content...),
		"truncated":    content[:len(content)/2],
		"not duckdb":   []byte(strings.Repeat("not a database\n", 1000)),
	}
	cases["flipped byte"][8192+100] ^= 0xff
	for name, b := range cases {
		path := filepath.Join(dir, strings.ReplaceAll(name, " ", "_")+".duckdb")
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		db, err := Open(ctx, Options{Path: path})
		if err == nil { // DuckDB reads a truncated file's blocks when a query needs them
			var n int64
			var m string
			err = db.QueryRow("SELECT sum(x), max(s) FROM t").Scan(&n, &m)
			db.Close()
			if err == nil {
				t.Errorf("%s: opened and read", name)
				continue
			}
		}
		if reason, ok := Damaged(err); !ok || reason == "" || strings.Contains(reason, "could not connect to database: ") {
			t.Errorf("%s: Damaged(%q) = %q, %v", name, err, reason, ok)
		}
	}
	if _, ok := Damaged(errors.New("IO Error: Could not set lock on file \"x\": Conflicting lock is held in bluebook (PID 1)")); ok {
		t.Error("a lock error taken for damage")
	}
}
