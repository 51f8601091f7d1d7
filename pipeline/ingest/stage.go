package ingest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"bluebook/diag"
	"bluebook/duck"
)

// stage writes the rows of one source into its staging rows table, file after file, each in
// one INSERT … SELECT that reads the file, computes the typed values, the flags and the first
// failing check of every row (see buildValidation), so that the data is written once.
//
// Rows are appended in the order of the files (byte order of their names) and, within a
// file, in the order of its records (DuckDB preserves insertion order through scans and
// projections, with preserve_insertion_order; not through joins, so the INSERT has none), so
// that the rowid of a row minus the rowid of its file's first row (_base) is its record
// number, and rowid order is the (file, line) order that duplicate resolution needs.
type stage struct {
	src    Source
	asOf   time.Time
	conn   *sql.Conn
	next   int64           // rowid of the next row appended
	extras map[string]bool // extra columns already added to the table
	sets   map[string]bool // see fileRules.parentSets
	limits Limits          // with defaults (see Limits.withDefaults)
}

// table is the quoted name of the staging rows table.
func (s *stage) table() string { return "raw." + duck.Ident(stagingName(s.src)) }

// errNumbering reports rows that did not take the rowids stage expected: their lines would be wrong.
var errNumbering = errors.New("internal error: rows appended out of place")

// relation is where the rows of one file or sheet come from: a FROM clause whose alias is
// t, and SQL over t for the text of each header position and for the row's line, whether it
// is malformed and its original text.
type relation struct {
	from      string           // e.g. read_csv(…) t
	col       func(int) string // text of header position i (empty text or NULL for an empty cell)
	line      string           // editor line, or "NULL" when rowid − _base + 2 is the line
	malformed string           // "false" or a condition over t
	raw       string           // original text of the row, over the passed columns _p0, …; "NULL" when unknown
	keepRaw   bool             // keep raw for every row (a duplicate may lose later); else for rejected rows only
	pass      []string         // columns of t the raw text needs, passed through as _p0, _p1, …
	order     string           // "" or SQL over t giving the order in which to append the rows
	file      string           // "" or SQL over t of the row's source_file, for several files read at once
	base      string           // with file: SQL over t of the row's _base; the caller checks the rowids
	noTrim    bool             // no value has a space at either end
}

// addExtraColumns adds the staging table columns for headers that map to no canonical column.
func (s *stage) addExtraColumns(ctx context.Context, m *headerMap) error {
	for _, e := range m.extras {
		if s.extras[e.name] {
			continue
		}
		q := fmt.Sprintf("ALTER TABLE %s ADD COLUMN IF NOT EXISTS %s VARCHAR", s.table(), duck.Ident(e.name))
		if _, err := s.conn.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("add raw column %s: %w", e.name, err)
		}
		s.extras[e.name] = true
	}
	return nil
}

// insert appends the rows of rel, mapped through the header m, validated and typed, to the
// staging table; prefix is the sheet prefix of a workbook's lines ("Sheet1!"), args the
// values rel binds ($1 … $len(args)). It returns the number of rows appended.
func (s *stage) insert(ctx context.Context, fl *fileLoad, m *headerMap, prefix string, rel relation, args []any) (int64, error) {
	if err := s.addExtraColumns(ctx, m); err != nil {
		return 0, err
	}
	ps := &params{args: append([]any(nil), args...)}
	fc := fileRules{asOf: s.asOf, scaled: map[string]bool{}, absent: map[string]bool{}, noTrim: rel.noTrim, parentSets: s.sets, badText: fl.badText}
	if fl.badText {
		for _, e := range m.extras {
			fc.badExtras = append(fc.badExtras, e.name)
		}
	}
	// The text of every canonical column (NULL when the file lacks it) and of the extra columns.
	var sel []string
	for _, c := range s.src.Columns {
		pos := m.cols[c.Name]
		switch len(pos) {
		case 0:
			fl.missing = append(fl.missing, partCol{part{fl.rel, prefix}, c.Name})
			if c.IfAbsent != "" {
				fc.absent[c.Name] = true
			}
			sel = append(sel, "NULL::VARCHAR AS "+duck.Ident(c.Name))
			continue
		case 1:
			sel = append(sel, rel.col(pos[0])+" AS "+duck.Ident(c.Name))
		default:
			// Several headers map to one column: the first non-empty value in header order.
			var parts []string
			for _, p := range pos {
				parts = append(parts, "CASE WHEN trim("+rel.col(p)+") <> '' THEN "+rel.col(p)+" END")
			}
			sel = append(sel, "coalesce("+strings.Join(parts, ", ")+") AS "+duck.Ident(c.Name))
		}
		if m.scale[c.Name] {
			fc.scaled[c.Name] = true
		}
	}
	var extras []string
	for _, e := range m.extras {
		sel = append(sel, "nullif("+rel.col(e.pos)+", '') AS "+duck.Ident(e.name))
		extras = append(extras, "v."+duck.Ident(e.name))
	}
	file, base := rel.file, rel.base
	if file == "" {
		file, base = ps.p(fl.rel), strconv.FormatInt(s.next, 10)
	}
	sel = append(sel, file+" AS source_file", "CAST("+rel.line+" AS VARCHAR) AS _line",
		"CAST("+base+" AS BIGINT) AS _base", "("+rel.malformed+") AS _malformed")
	raw := rel.raw
	for i, p := range rel.pass {
		sel = append(sel, p+" AS _p"+strconv.Itoa(i))
	}
	order := ""
	if rel.order != "" {
		sel = append(sel, rel.order+" AS _order")
		order = " ORDER BY v._order"
	}

	v := buildValidation(s.src, fc, ps)
	// _k: the first check that holds. Most rows pass every check: one OR of them all (which
	// DuckDB evaluates far faster than a CASE of as many branches) lets those rows skip the CASE.
	var ks, chain, val strings.Builder
	ks.WriteString("CASE WHEN NOT coalesce(")
	val.WriteString("CASE WHEN _k IS NOT NULL THEN CASE _k")
	for i, c := range v.checks {
		if i > 0 {
			ks.WriteString(" OR ")
		}
		ks.WriteString("(" + c.cond + ")")
		fmt.Fprintf(&chain, " WHEN %s THEN %d", c.cond, i+1)
		fmt.Fprintf(&val, " WHEN %d THEN %s", i+1, c.value)
	}
	ks.WriteString(", false) THEN NULL ELSE CASE" + chain.String() + " END END")
	val.WriteString(" END END")
	var cols, out []string
	for _, c := range storedColumns(s.src) {
		e, ok := v.clean[c.Name]
		if !ok {
			return 0, fmt.Errorf("internal error: no expression for column %s of %s", c.Name, s.src.Name)
		}
		cols = append(cols, duck.Ident(c.Name))
		out = append(out, e)
	}
	cols = append(cols, "source_file", "_base", "_k", "_text")
	for _, e := range m.extras {
		cols = append(cols, duck.Ident(e.name))
	}
	// _text is NULL unless the row has a line of its own, was rejected or keeps its raw text.
	empty := "v._line IS NULL AND v._k IS NULL"
	if rel.keepRaw {
		empty += " AND (" + raw + ") IS NULL"
	} else {
		raw = "CASE WHEN v._k IS NOT NULL THEN " + raw + " END"
	}
	text := "CASE WHEN " + empty + " THEN NULL ELSE [v._line, v._val, " + raw + "] END"
	out = append(out, "v.source_file", "v._base", "v._k", text)
	out = append(out, extras...)
	q := fmt.Sprintf(`INSERT INTO %s (%s)
SELECT %s FROM (
  SELECT *, %s AS _val FROM (
    SELECT *, %s AS _k FROM (
      SELECT *, %s FROM (
        SELECT r.*, %s FROM (
          SELECT %s FROM %s) r) r) r) r) v%s`,
		s.table(), strings.Join(cols, ", "), strings.Join(out, ", "), val.String(), ks.String(),
		strings.Join(v.inner, ", "), strings.Join(v.trimmed, ", "), strings.Join(sel, ", "), rel.from, order)
	res, err := s.conn.ExecContext(ctx, q, ps.args...)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, err
	}
	// The rows must have taken the rowids next … next+n−1, or their lines would be wrong
	// (with several files, the caller checks each file's rows).
	if n > 0 && rel.file == "" {
		var lo, hi, cnt sql.NullInt64
		if err := s.conn.QueryRowContext(ctx, fmt.Sprintf("SELECT min(rowid), max(rowid), count(*) FROM %s WHERE rowid >= $1", s.table()), s.next).Scan(&lo, &hi, &cnt); err != nil {
			return 0, err
		}
		if lo.Int64 != s.next || hi.Int64 != s.next+n-1 || cnt.Int64 != n {
			return 0, fmt.Errorf("%w: %s: %d rows took rowids %d…%d, expected from %d", errNumbering, diag.Printable(fl.rel), n, lo.Int64, hi.Int64, s.next)
		}
	}
	s.next += n
	return n, nil
}

// discard marks the n rows appended last as discarded (_k = −1): they stay in the table, so
// that the rowids of later rows stay where stage.next says, but count nowhere.
func (s *stage) discard(ctx context.Context, n int64) error {
	_, err := s.conn.ExecContext(ctx, fmt.Sprintf("UPDATE %s SET _k = -1 WHERE rowid >= $1", s.table()), s.next-n)
	return err
}
