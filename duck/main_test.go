package duck

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"os"
	"testing"
)

// TestMain doubles as a second process holding a database file open (see
// TestOpenLockedByAnotherProcess): with BLUEBOOK_DUCK_HOLD=<path> it opens the file,
// prints "HELD" and waits until its standard input closes.
func TestMain(m *testing.M) {
	if path := os.Getenv("BLUEBOOK_DUCK_HOLD"); path != "" {
		db, err := Open(context.Background(), Options{Path: path})
		if err == nil {
			err = db.Ping()
		}
		if err != nil {
			fmt.Println("ERROR", err)
			os.Exit(1)
		}
		fmt.Println("HELD")
		bufio.NewReader(os.Stdin).ReadString('\n')
		db.Close()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// memDB opens an in-memory database with bluebook's settings, closed with the test.
func memDB(t *testing.T) *sql.DB {
	t.Helper()
	db, err := Open(context.Background(), Options{MemoryLimit: "1GiB", Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// setting returns current_setting(name) as text.
func setting(t *testing.T, db *sql.DB, name string) string {
	t.Helper()
	var v string
	if err := db.QueryRow("SELECT CAST(current_setting(?) AS VARCHAR)", name).Scan(&v); err != nil {
		t.Fatalf("current_setting(%s): %v", name, err)
	}
	return v
}
