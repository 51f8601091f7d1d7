package duck

import "testing"

// TestQuote: what Ident and Literal quote, DuckDB reads back unchanged, whatever quotes,
// spaces or Chinese the text holds.
func TestQuote(t *testing.T) {
	t.Parallel()
	db := memDB(t)
	for _, s := range []string{"plain", `a"b`, "it's", `'"; DROP TABLE x; --`, "民营 经济", ""} {
		var got string
		if err := db.QueryRow("SELECT " + Literal(s)).Scan(&got); err != nil || got != s {
			t.Errorf("Literal(%q): read back %q, %v", s, got, err)
		}
		if s == "" {
			continue
		}
		if err := db.QueryRow("SELECT column_name FROM (DESCRIBE SELECT 1 AS " + Ident(s) + ")").Scan(&got); err != nil || got != s {
			t.Errorf("Ident(%q): read back %q, %v", s, got, err)
		}
	}
}
