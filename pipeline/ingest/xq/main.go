// Command xq is a scratch query runner (temporary).
package main

import (
	"database/sql"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"
)

func main() {
	db, err := sql.Open("duckdb", os.Getenv("DB")+"?autoinstall_known_extensions=false")
	if err != nil {
		panic(err)
	}
	b, _ := io.ReadAll(os.Stdin)
	for _, q := range strings.Split(string(b), ";;") {
		q = strings.TrimSpace(q)
		if q == "" {
			continue
		}
		fmt.Println(">>", q[:min(len(q), 150)])
		t0 := time.Now()
		rows, err := db.Query(q)
		if err != nil {
			fmt.Println("ERR:", err)
			continue
		}
		cols, _ := rows.Columns()
		fmt.Println(strings.Join(cols, " | "))
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			rows.Scan(ptrs...)
			s := make([]string, len(vals))
			for i, v := range vals {
				s[i] = fmt.Sprintf("%v", v)
			}
			fmt.Println(strings.Join(s, " | "))
		}
		rows.Close()
		fmt.Println("elapsed", time.Since(t0))
	}
}
