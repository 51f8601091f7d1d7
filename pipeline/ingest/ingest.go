package ingest

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"database/sql/driver"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"bluebook/diag"
	"bluebook/duck"
)

// fingerprintVersion changes whenever the rules or the rows tables change, so that an
// upgrade re-reads every source (v3: status, industry_division and industry_section derived
// by the views; v5: appeals.content_masked; v6: the name rule of the mask keeps 联系人 whole;
// v7: internationalised e-mail addresses and names after a label masked; v8:
// registry.name_tail).
const fingerprintVersion = "ingest-v8"

// District is one configured district (GB/T 2260 code and name).
type District struct{ Code, Name string }

// Options configures Run.
type Options struct {
	DataDir        string                                 // <data>, holding one folder per source
	AsOf           time.Time                              // extraction date E (future_date rule); zero = today
	Districts      []District                             // configured districts; replaced by the districts source when present
	Encoding       map[string]string                      // per-source override: "utf-8", "gbk", "gb18030"; empty = detect
	MaxRejectShare float64                                // a source whose rejected share exceeds it fails the run; 0 = no rejected row allowed
	LandingDir     string                                 // "" = no landing copy; else each ingested file is copied once to LandingDir/<sha256><ext>
	Force          bool                                   // ignore the incremental skip
	Logger         *slog.Logger                           // nil = discard
	Progress       func(source string, done, total int64) // optional; bytes read of the source's files
	TempDir        string                                 // where GBK files are transcoded; "" = os.TempDir()
	Limits         Limits                                 // what one file may cost to read; a zero field takes its default
}

// SourceResult is what Run did with one source.
type SourceResult struct {
	Name         string
	Files        int64
	RowsRead     int64
	RowsLoaded   int64
	RowsRejected int64
	RowsFlagged  int64
	Skipped      bool // unchanged since the last successful ingest: not read again
	Missing      bool // the folder does not exist (an optional source)
	Elapsed      time.Duration
}

// Result is what Run did.
type Result struct {
	Sources []SourceResult
	Changed bool // any source re-read
}

// run is the state of one Run call.
type run struct {
	opt  Options
	conn *sql.Conn
	log  *slog.Logger
	now  time.Time
}

// Run ingests every source found under opt.DataDir into db: a rows table per source
// (raw.<source>_rows) with every row read, typed and flagged, the clean table main.<source>
// and raw.<source> as views over it, the rejects, and the
// ingest_files ledger. It returns a *diag.Error naming the file (and line and column where
// relevant) when a file cannot be read, a required column is missing or a file of another
// type sits in a source folder, and a *SourceError when a required source folder is missing
// or a source's rejected share passes MaxRejectShare.
func Run(ctx context.Context, db *sql.DB, opt Options) (Result, error) {
	if opt.AsOf.IsZero() {
		opt.AsOf = time.Now()
	}
	if err := opt.Limits.Validate(); err != nil {
		return Result{}, fmt.Errorf("ingest: %w", err)
	}
	opt.Limits = opt.Limits.withDefaults()
	r := &run{opt: opt, log: opt.Logger, now: time.Now()}
	if r.log == nil {
		r.log = slog.New(slog.DiscardHandler)
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return Result{}, fmt.Errorf("ingest: %w", err)
	}
	defer conn.Close()
	r.conn = conn
	if err := registerFunctions(conn); err != nil {
		return Result{}, err
	}
	// Rows are numbered by rowid (see stage), which needs DuckDB to append them in the order
	// they are read: the default, but a global setting that a configuration may change.
	var preserve bool
	if err := conn.QueryRowContext(ctx, "SELECT current_setting('preserve_insertion_order')").Scan(&preserve); err != nil {
		return Result{}, fmt.Errorf("ingest: %w", err)
	}
	if !preserve {
		if _, err := conn.ExecContext(ctx, "SET preserve_insertion_order = true"); err != nil {
			return Result{}, fmt.Errorf("ingest: %w", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), "SET preserve_insertion_order = false")
	}
	// The connection goes back to the pool: leave no temp table on it.
	defer r.dropTemp(ctx)
	if err := CreateEmpty(ctx, db); err != nil {
		return Result{}, err
	}
	var res Result
	var shareErrs []error
	for _, src := range Sources() {
		sr, err := r.source(ctx, src)
		if err != nil {
			var se *shareError
			if !errors.As(err, &se) {
				return res, err
			}
			shareErrs = append(shareErrs, se.SourceError)
		}
		res.Sources = append(res.Sources, sr)
		if !sr.Skipped {
			res.Changed = true
		}
	}
	if err := r.refreshFlags(ctx); err != nil {
		return res, err
	}
	// Flags may have changed in sources that were not read again.
	for i := range res.Sources {
		if err := r.conn.QueryRowContext(ctx, "SELECT coalesce(sum(rows_flagged), 0) FROM main.ingest_files WHERE source = $1",
			res.Sources[i].Name).Scan(&res.Sources[i].RowsFlagged); err != nil {
			return res, fmt.Errorf("ingest: count flags: %w", err)
		}
	}
	return res, errors.Join(shareErrs...)
}

// shareError marks a rejected share above the limit: the source is loaded, the run fails.
type shareError struct{ *SourceError }

// listFiles returns the files of a source folder in byte order of their names. Hidden files
// (a leading '.', such as .DS_Store) and Office lock files (~$…) are ignored; anything else
// that is not .csv, .xlsx or .parquet is an error, as is a sub-folder.
func listFiles(dataDir, source string) ([]string, error) {
	entries, err := os.ReadDir(filepath.Join(dataDir, source))
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") || strings.HasPrefix(name, "~$") {
			continue
		}
		rel := source + "/" + name
		if e.IsDir() {
			return nil, fileError(rel, errors.New("a folder inside a source folder; every file of a source sits directly in its folder"))
		}
		switch strings.ToLower(filepath.Ext(name)) {
		case ".csv", ".xlsx", ".parquet":
			out = append(out, name)
		default:
			return nil, fileError(rel, fmt.Errorf("file type %q is not accepted in a source folder (use .csv, .xlsx or .parquet, or move the file out)", filepath.Ext(name)))
		}
	}
	sort.Strings(out)
	return out, nil
}

// source ingests one source, or skips it when its files have not changed.
func (r *run) source(ctx context.Context, src Source) (SourceResult, error) {
	sr := SourceResult{Name: src.Name}
	dir := filepath.Join(r.opt.DataDir, src.Name)
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		if src.Required {
			return sr, &SourceError{Source: src.Name, Err: fmt.Errorf("required folder %s is missing", diag.Printable(dir))}
		}
		sr.Missing = true
		return sr, r.missing(ctx, src, &sr)
	}
	names, err := listFiles(r.opt.DataDir, src.Name)
	if err != nil {
		return sr, err
	}
	if len(names) == 0 && src.Required {
		return sr, &SourceError{Source: src.Name, Err: fmt.Errorf("required folder %s has no .csv, .xlsx or .parquet file", diag.Printable(dir))}
	}
	sr.Files = int64(len(names))
	var total int64
	for _, n := range names {
		if st, err := os.Stat(filepath.Join(dir, n)); err == nil {
			total += st.Size()
		}
	}
	progress := func(base int64) func(int64) {
		if r.opt.Progress == nil {
			return nil
		}
		return func(done int64) { r.opt.Progress(src.Name, base+done, total) }
	}

	// Incremental skip: hash the files only when an earlier ingest left a fingerprint.
	stored, err := r.stored(ctx, src.Name)
	if err != nil {
		return sr, err
	}
	known := map[string]string{}
	if stored != "" && !r.opt.Force {
		var hashes []string
		for _, n := range names {
			h, err := hashFile(filepath.Join(dir, n))
			if err != nil {
				return sr, fileError(src.Name+"/"+n, err)
			}
			hashes = append(hashes, h)
			known[n] = h
		}
		if r.fingerprint(src, names, hashes) == stored {
			sr.Skipped = true
			err := r.conn.QueryRowContext(ctx, `SELECT coalesce(sum(rows_read), 0), coalesce(sum(rows_loaded), 0), coalesce(sum(rows_rejected), 0)
				FROM main.ingest_files WHERE source = $1`, src.Name).Scan(&sr.RowsRead, &sr.RowsLoaded, &sr.RowsRejected)
			if err != nil {
				return sr, err
			}
			r.log.Info("ingest: unchanged, skipped", "source", src.Name, "files", len(names))
			// The limit may be tighter than when the source was read: check it again.
			return sr, r.checkShare(ctx, sr, "main.rejects")
		}
	}

	// The new rows table is built under a staging name, with the rejects and the ledger in
	// temp tables, and replaces the old one in one short transaction at the end: a source
	// is replaced whole or not at all, without paying for a long transaction.
	start := time.Now()
	defer r.dropStaging(ctx, src)
	var files []string
	for _, n := range names {
		files = append(files, src.Name+"/"+n)
	}
	if err := createRowsTable(ctx, r.conn, src, stagingName(src), files); err != nil {
		return sr, fmt.Errorf("ingest %s: %w", src.Name, err)
	}
	stmts := []string{
		"CREATE OR REPLACE TEMP TABLE _ingest_rejects AS SELECT * FROM main.rejects LIMIT 0",
		"CREATE OR REPLACE TEMP TABLE _ingest_files AS SELECT * FROM main.ingest_files LIMIT 0",
		"CREATE OR REPLACE TEMP TABLE _ingest_skipped_sheets AS SELECT * FROM main.ingest_skipped_sheets LIMIT 0",
	}
	if err := execAll(ctx, r.conn, stmts); err != nil {
		return sr, fmt.Errorf("ingest %s: %w", src.Name, err)
	}
	st := &stage{src: src, asOf: r.opt.AsOf, conn: r.conn, extras: map[string]bool{}, limits: r.opt.Limits}
	if hasEnumRefs(src) {
		if st.sets, err = r.parentSets(ctx, src); err != nil {
			return sr, err
		}
		defer r.dropParentSets(ctx, src)
	}
	var loads []*fileLoad
	var done int64
	// CSV files are scanned one by one; those that follow each other and share a header are
	// loaded together (see loadCSVGroup).
	var group []*csvFile
	flush := func() error {
		if len(group) == 0 {
			return nil
		}
		err := loadCSVGroup(ctx, st, r.log, group)
		group = group[:0]
		return err
	}
	for _, n := range names {
		fl := &fileLoad{rel: src.Name + "/" + n, abs: filepath.Join(dir, n)}
		var err error
		switch strings.ToLower(filepath.Ext(n)) {
		case ".csv":
			var cf *csvFile
			cf, err = scanCSVFile(src, r.log, fl, r.opt.Encoding[src.Name], known[n], r.opt.TempDir, r.opt.Limits, progress(done))
			// Its UTF-8 copy, if any, may be replaced while it loads (see loadCSV).
			defer fl.removeTemp()
			if err != nil {
				break
			}
			if len(group) > 0 && !(cf.groupable() && group[0].groupable() && slices.Equal(cf.sc.header, group[0].sc.header)) {
				err = flush()
			}
			group = append(group, cf)
		case ".xlsx":
			if err = flush(); err == nil {
				err = loadXLSX(ctx, st, fl)
			}
		case ".parquet":
			if err = flush(); err == nil {
				err = loadParquet(ctx, st, fl)
			}
		}
		if err != nil {
			return sr, err
		}
		r.log.Debug("ingest: file read", "file", fl.rel, "elapsed", time.Since(start))
		done += fl.bytes
		if r.opt.Progress != nil {
			r.opt.Progress(src.Name, done, total)
		}
		loads = append(loads, fl)
	}
	if err := flush(); err != nil {
		return sr, err
	}
	for _, fl := range loads {
		if fl.hash != nil {
			if err := fl.hash(); err != nil {
				return sr, err
			}
		}
		if err := r.land(fl); err != nil {
			return sr, err
		}
	}
	if err := r.validate(ctx, src, loads); err != nil {
		return sr, err
	}
	t1 := time.Now()
	if err := r.ledger(ctx, src, loads); err != nil {
		return sr, err
	}
	r.log.Debug("ingest: ledger", "source", src.Name, "elapsed", time.Since(t1))
	err = r.conn.QueryRowContext(ctx, `SELECT coalesce(sum(rows_read), 0), coalesce(sum(rows_loaded), 0), coalesce(sum(rows_rejected), 0)
		FROM temp._ingest_files`).Scan(&sr.RowsRead, &sr.RowsLoaded, &sr.RowsRejected)
	if err != nil {
		return sr, err
	}
	shareErr := r.checkShare(ctx, sr, "temp._ingest_rejects")
	var se *shareError
	if shareErr != nil && !errors.As(shareErr, &se) {
		return sr, shareErr
	}
	// A source over the reject limit is loaded all the same (the quality appendix shows
	// why) but leaves no fingerprint, so the next run reads it again.
	fp := ""
	if shareErr == nil {
		var hashes []string
		for _, fl := range loads {
			hashes = append(hashes, fl.sha256)
		}
		fp = r.fingerprint(src, names, hashes)
	}
	if err := r.swap(ctx, src, fp); err != nil {
		return sr, err
	}
	sr.Elapsed = time.Since(start)
	r.log.Info("ingest: source read", "source", src.Name, "files", len(names), "rows", sr.RowsRead,
		"loaded", sr.RowsLoaded, "rejected", sr.RowsRejected, "elapsed", time.Since(start).Round(time.Millisecond))
	return sr, shareErr
}

// swap replaces the tables of src with the staging ones, and its rows of rejects,
// ingest_files, ingest_skipped_sheets and ingest_state, in one transaction.
func (r *run) swap(ctx context.Context, src Source, fingerprint string) (err error) {
	if _, err := r.conn.ExecContext(ctx, "BEGIN TRANSACTION"); err != nil {
		return fmt.Errorf("ingest %s: %w", src.Name, err)
	}
	defer func() {
		if err != nil {
			if _, rerr := r.conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK"); rerr != nil {
				r.log.Warn("ingest: rollback failed", "source", src.Name, "err", rerr)
			}
		}
	}()
	for _, rel := range [][2]string{{"main", src.Name}, {"raw", src.Name}, {"raw", rowsName(src)}} {
		if err := dropRelation(ctx, r.conn, rel[0], rel[1]); err != nil {
			return fmt.Errorf("ingest %s: replace tables: %w", src.Name, err)
		}
	}
	stmts := []string{
		"ALTER TABLE raw." + duck.Ident(stagingName(src)) + " RENAME TO " + duck.Ident(rowsName(src)),
		cleanView(src),
		rawView(src),
	}
	if err := execAll(ctx, r.conn, stmts); err != nil {
		return fmt.Errorf("ingest %s: replace tables: %w", src.Name, err)
	}
	for _, t := range []string{"rejects", "ingest_files", "ingest_skipped_sheets", "ingest_state"} {
		if _, err := r.conn.ExecContext(ctx, "DELETE FROM main."+t+" WHERE source = $1", src.Name); err != nil {
			return fmt.Errorf("ingest %s: %w", src.Name, err)
		}
		if t == "ingest_state" {
			continue
		}
		if _, err := r.conn.ExecContext(ctx, "INSERT INTO main."+t+" SELECT * FROM temp._ingest_"+strings.TrimPrefix(t, "ingest_")); err != nil {
			return fmt.Errorf("ingest %s: %w", src.Name, err)
		}
	}
	if fingerprint != "" {
		parents, err := r.parentsKey(ctx, src.Name)
		if err != nil {
			return err
		}
		if _, err := r.conn.ExecContext(ctx, "INSERT INTO main.ingest_state VALUES ($1, $2, $3, $4)", src.Name, fingerprint, r.now, parents); err != nil {
			return fmt.Errorf("ingest %s: %w", src.Name, err)
		}
	}
	if _, err := r.conn.ExecContext(ctx, "COMMIT"); err != nil {
		return fmt.Errorf("ingest %s: commit: %w", src.Name, err)
	}
	return nil
}

// dropTemp drops the temp tables of this run from its connection.
func (r *run) dropTemp(ctx context.Context) {
	ctx = context.WithoutCancel(ctx)
	rows, err := r.conn.QueryContext(ctx, `SELECT table_name FROM duckdb_tables() WHERE temporary AND starts_with(table_name, '_ingest_')`)
	if err != nil {
		r.log.Warn("ingest: list temp tables", "err", err)
		return
	}
	var names []string
	for rows.Next() {
		var n string
		if rows.Scan(&n) == nil {
			names = append(names, n)
		}
	}
	rows.Close()
	for _, n := range names {
		if _, err := r.conn.ExecContext(ctx, "DROP TABLE IF EXISTS temp."+duck.Ident(n)); err != nil {
			r.log.Warn("ingest: drop temp table", "table", n, "err", err)
		}
	}
}

// dropStaging removes what an ingest of src left under staging names (nothing after a
// successful swap).
func (r *run) dropStaging(ctx context.Context, src Source) {
	ctx = context.WithoutCancel(ctx)
	for _, q := range []string{
		"DROP TABLE IF EXISTS raw." + duck.Ident(stagingName(src)),
		"DROP TABLE IF EXISTS main." + duck.Ident(stagingName(src)), // left by an earlier version
	} {
		if _, err := r.conn.ExecContext(ctx, q); err != nil {
			r.log.Warn("ingest: drop staging table", "source", src.Name, "err", err)
		}
	}
}

// stored returns the fingerprint the last successful ingest of source left, "" when there
// is none or when its rows table or clean view has gone.
func (r *run) stored(ctx context.Context, source string) (string, error) {
	var fp string
	err := r.conn.QueryRowContext(ctx, `SELECT s.fingerprint FROM main.ingest_state s
		WHERE s.source = $1
		AND EXISTS (SELECT 1 FROM duckdb_tables() t WHERE t.database_name = current_database() AND t.schema_name = 'raw' AND t.table_name = s.source || '_rows' AND NOT t.temporary)
		AND EXISTS (SELECT 1 FROM duckdb_views() v WHERE v.database_name = current_database() AND v.schema_name = 'main' AND v.view_name = s.source AND NOT v.temporary)`,
		source).Scan(&fp)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("ingest: read state: %w", err)
	}
	return fp, nil
}

// missing leaves the tables of an absent optional source empty (districts: the configured
// list), unless the last run found it absent too with the same configuration.
func (r *run) missing(ctx context.Context, src Source, sr *SourceResult) error {
	defer r.dropStaging(ctx, src)
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00missing\x00", fingerprintVersion, src.Name)
	if fill, ok := absentFills[src.WhenAbsent]; ok {
		fill.fingerprint(r, h)
	}
	fp := hex.EncodeToString(h.Sum(nil))
	stored, err := r.stored(ctx, src.Name)
	if err != nil {
		return err
	}
	if stored == fp && !r.opt.Force {
		sr.Skipped = true
		return nil
	}
	if err := r.empty(ctx, src); err != nil {
		return err
	}
	parents, err := r.parentsKey(ctx, src.Name)
	if err != nil {
		return err
	}
	_, err = r.conn.ExecContext(ctx, "INSERT INTO main.ingest_state VALUES ($1, $2, $3, $4)", src.Name, fp, r.now, parents)
	return err
}

// fingerprint identifies the inputs of one source: its files and the options that change
// what the clean table holds.
func (r *run) fingerprint(src Source, names, hashes []string) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00%s\x00", fingerprintVersion, src.Name, r.opt.AsOf.Format("2006-01-02"), r.opt.Encoding[src.Name])
	// The limits decide which files are refused: tightened, every file is checked again.
	fmt.Fprintf(h, "limits %+v\x00", r.opt.Limits)
	for i, n := range names {
		fmt.Fprintf(h, "%s\x00%s\x00", n, hashes[i])
	}
	return hex.EncodeToString(h.Sum(nil))
}

// hashFile returns the sha256 of a file's content.
func hashFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// land copies an ingested file to LandingDir/<sha256><ext> once; inputs are never modified.
func (r *run) land(fl *fileLoad) error {
	if r.opt.LandingDir == "" || fl.sha256 == "" {
		return nil
	}
	dst := filepath.Join(r.opt.LandingDir, fl.sha256+strings.ToLower(filepath.Ext(fl.abs)))
	if _, err := os.Stat(dst); err == nil {
		return nil
	}
	if err := os.MkdirAll(r.opt.LandingDir, 0o755); err != nil {
		return fmt.Errorf("landing: %w", err)
	}
	in, err := os.Open(fl.abs)
	if err != nil {
		return fileError(fl.rel, err)
	}
	defer in.Close()
	tmp, err := os.CreateTemp(r.opt.LandingDir, ".landing-*")
	if err != nil {
		return fmt.Errorf("landing: %w", err)
	}
	if _, err := io.Copy(tmp, in); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return fmt.Errorf("landing %s: %w", diag.Printable(fl.rel), err)
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("landing %s: %w", diag.Printable(fl.rel), err)
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("landing %s: %w", diag.Printable(fl.rel), err)
	}
	return nil
}

// empty leaves the tables of a missing optional source empty (districts: the configured list).
func (r *run) empty(ctx context.Context, src Source) error {
	for _, rel := range [][2]string{{"main", src.Name}, {"raw", src.Name}} {
		if err := dropRelation(ctx, r.conn, rel[0], rel[1]); err != nil {
			return fmt.Errorf("ingest %s: %w", src.Name, err)
		}
	}
	stmts := []string{rowsDDL(src, rowsName(src), "VARCHAR", true), cleanView(src), rawView(src)}
	if err := execAll(ctx, r.conn, stmts); err != nil {
		return fmt.Errorf("ingest %s: %w", src.Name, err)
	}
	for _, q := range []string{"DELETE FROM main.rejects WHERE source = $1", "DELETE FROM main.ingest_files WHERE source = $1",
		"DELETE FROM main.ingest_skipped_sheets WHERE source = $1", "DELETE FROM main.ingest_state WHERE source = $1"} {
		if _, err := r.conn.ExecContext(ctx, q, src.Name); err != nil {
			return err
		}
	}
	if fill, ok := absentFills[src.WhenAbsent]; ok {
		return fill.fill(ctx, r)
	}
	return nil
}

// absentFill is what fills the clean table of a missing optional source (Source.WhenAbsent).
type absentFill struct {
	fingerprint func(r *run, h io.Writer)               // writes what the filled table depends on
	fill        func(ctx context.Context, r *run) error // inserts its rows into the rows table
}

// absentFills are the fills of missing sources, by the name Source.WhenAbsent gives.
var absentFills = map[string]absentFill{
	// districts/ missing: the districts of the configuration (Options.Districts).
	"configured_districts": {
		fingerprint: func(r *run, h io.Writer) {
			for _, d := range r.opt.Districts {
				fmt.Fprintf(h, "%s\x00%s\x00", d.Code, d.Name)
			}
		},
		fill: func(ctx context.Context, r *run) error {
			for _, d := range r.opt.Districts {
				if _, err := r.conn.ExecContext(ctx, "INSERT INTO raw.districts_rows (district_code, name) VALUES ($1, $2)", d.Code, d.Name); err != nil {
					return fmt.Errorf("ingest: configured districts: %w", err)
				}
			}
			return nil
		},
	},
}

// validate finishes the rows of src once every file is in the staging rows table: the
// notes of files without a verified column, duplicate resolution, and the rejects.
func (r *run) validate(ctx context.Context, src Source, loads []*fileLoad) error {
	for _, col := range src.Columns {
		if col.AbsentNote == "" {
			continue
		}
		for _, fl := range loads {
			var sheets []string
			whole := false
			for _, c := range fl.missing {
				if c.col == col.Name {
					if c.prefix != "" {
						sheets = append(sheets, strings.TrimSuffix(c.prefix, "!"))
					} else {
						whole = true
					}
				}
			}
			switch {
			case len(sheets) > 0:
				fl.note = "no " + col.Name + " column in sheet " + strings.Join(sheets, ", ") + ": every row there " + col.AbsentNote
			case whole:
				fl.note = "no " + col.Name + " column: every row " + col.AbsentNote
			}
		}
	}
	table := "raw." + duck.Ident(stagingName(src))

	// Duplicate resolution among the rows that passed every other check: the losers get
	// _k = 0. Only the keys whose hash repeats are ranked (grouping by a hash is cheaper
	// than by the text; a collision only ranks a few more rows, by their real key).
	if len(src.Key) > 0 {
		var keys []string
		for _, k := range src.Key {
			keys = append(keys, duck.Ident(k))
		}
		kl := strings.Join(keys, ", ")
		q := fmt.Sprintf(`UPDATE %s SET _k = 0 WHERE rowid IN (
  SELECT rid FROM (
    SELECT rowid AS rid, row_number() OVER (PARTITION BY %s ORDER BY %s) AS rn
    FROM %s WHERE _k IS NULL AND hash(%s) IN (
      SELECT hash(%s) FROM %s WHERE _k IS NULL GROUP BY 1 HAVING count(*) > 1)
  ) WHERE rn > 1)`, table, kl, dupOrder(src), table, kl, kl, table)
		t0 := time.Now()
		if _, err := r.conn.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("ingest %s: duplicates: %w", src.Name, err)
		}
		r.log.Debug("ingest: duplicates", "source", src.Name, "elapsed", time.Since(t0))
	}

	// The flags that compare with another source, left NULL by the INSERTs (but the
	// registry's, see parentSetTypes), in one UPDATE of the rows that passed.
	if set := parentFlagsSet(src, table, false); set != "" {
		t0 := time.Now()
		if _, err := r.conn.ExecContext(ctx, fmt.Sprintf("UPDATE %s SET %s WHERE _k IS NULL", table, set)); err != nil {
			return fmt.Errorf("ingest %s: flags: %w", src.Name, err)
		}
		r.log.Debug("ingest: flags", "source", src.Name, "elapsed", time.Since(t0))
	}

	// The rejects, in file and line order.
	v := buildValidation(src, fileRules{asOf: r.opt.AsOf}, &params{})
	rp := &params{}
	srcName := rp.p(src.Name)
	var rule, col strings.Builder
	rule.WriteString("CASE r._k")
	col.WriteString("CASE r._k")
	for i, c := range v.checks {
		colName := "NULL"
		if c.column != "" {
			colName = rp.p(c.column)
		}
		fmt.Fprintf(&rule, " WHEN %d THEN %s", i+1, rp.p(c.rule))
		fmt.Fprintf(&col, " WHEN %d THEN %s", i+1, colName)
	}
	dupRule := src.dupRule()
	var keyVals []string
	for _, k := range src.Key {
		keyVals = append(keyVals, "CAST(r."+duck.Ident(k)+" AS VARCHAR)")
	}
	keyVal := "NULL"
	if len(keyVals) > 0 {
		keyVal = "concat_ws(',', " + strings.Join(keyVals, ", ") + ")"
	}
	fmt.Fprintf(&rule, " WHEN 0 THEN %s END", rp.p(dupRule))
	fmt.Fprintf(&col, " WHEN 0 THEN %s END", rp.p(strings.Join(src.Key, ",")))
	q := fmt.Sprintf(`INSERT INTO temp._ingest_rejects (source, file, line, column_name, rule, value, raw)
SELECT %s, CAST(r.source_file AS VARCHAR), %s, %s, %s, CASE WHEN r._k = 0 THEN %s ELSE r.%s END, r.%s
FROM %s r WHERE r._k >= 0
ORDER BY r.rowid`, srcName, lineExpr, col.String(), rule.String(), keyVal, textValue, textRaw, table)
	t0 := time.Now()
	if _, err := r.conn.ExecContext(ctx, q, rp.args...); err != nil {
		return fmt.Errorf("ingest %s: rejects: %w", src.Name, err)
	}
	r.log.Debug("ingest: rejects", "source", src.Name, "elapsed", time.Since(t0))
	t0 = time.Now()
	if err := r.fillRawText(ctx, src, loads); err != nil {
		return err
	}
	if hasMasked(src) {
		// A rejected line of a source with a masked text (an appeal) holds that text: masked
		// like content_masked (see maskText), so that rejects, which analysts read, holds no
		// phone or identity number.
		if _, err := r.conn.ExecContext(ctx, "UPDATE temp._ingest_rejects SET raw = "+maskFunc+"(raw) WHERE source = $1 AND raw IS NOT NULL", src.Name); err != nil {
			return fmt.Errorf("ingest %s: mask rejected lines: %w", src.Name, err)
		}
	}
	r.log.Debug("ingest: raw text", "source", src.Name, "elapsed", time.Since(t0))
	return nil
}

// fillRawText puts the original text of rejected rows read by the CSV fast path into
// rejects.raw, from the lines (or spans) the pre-scan found.
func (r *run) fillRawText(ctx context.Context, src Source, loads []*fileLoad) error {
	byFile := map[string]*fileLoad{}
	for _, fl := range loads {
		if fl.scan != nil {
			byFile[fl.rel] = fl
		}
	}
	if len(byFile) == 0 {
		return nil
	}
	rows, err := r.conn.QueryContext(ctx, fmt.Sprintf(`SELECT CAST(v.source_file AS VARCHAR), v.rowid - v._base FROM raw.%s v
		WHERE v._k >= 0 AND v.%s IS NULL`, duck.Ident(stagingName(src)), textRaw))
	if err != nil {
		return fmt.Errorf("ingest %s: rejected rows: %w", src.Name, err)
	}
	want := map[string][]int64{}
	for rows.Next() {
		var f string
		var n int64
		if err := rows.Scan(&f, &n); err != nil {
			rows.Close()
			return err
		}
		if byFile[f] != nil {
			want[f] = append(want[f], n)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if len(want) == 0 {
		return nil
	}
	if _, err := r.conn.ExecContext(ctx, "CREATE OR REPLACE TEMP TABLE _ingest_rawtext (file VARCHAR, row BIGINT, line VARCHAR, raw VARCHAR)"); err != nil {
		return err
	}
	err = appendRows(r.conn, "_ingest_rawtext", func(add func(...driver.Value) error) error {
		for f, recs := range want {
			sort.Slice(recs, func(i, j int) bool { return recs[i] < recs[j] })
			texts, err := byFile[f].scan.recordText(recs)
			if err != nil {
				return fileError(f, err)
			}
			for _, rec := range recs {
				if err := add(f, rec, strconv.FormatInt(byFile[f].scan.line(rec), 10), texts[rec]); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	_, err = r.conn.ExecContext(ctx, `UPDATE temp._ingest_rejects SET raw = t.raw FROM temp._ingest_rawtext t
		WHERE _ingest_rejects.file = t.file AND _ingest_rejects.line = t.line AND _ingest_rejects.raw IS NULL`)
	if err != nil {
		return fmt.Errorf("ingest %s: rejects raw text: %w", src.Name, err)
	}
	_, err = r.conn.ExecContext(ctx, "DROP TABLE temp._ingest_rawtext")
	return err
}

// ledger writes the ingest_files rows of a source that was read, and its skipped sheets,
// from one pass over the staging rows table.
func (r *run) ledger(ctx context.Context, src Source, loads []*fileLoad) error {
	type counts struct{ loaded, rejected, flagged int64 }
	byFile := map[string]*counts{}
	rows, err := r.conn.QueryContext(ctx, fmt.Sprintf(`SELECT `+fileExpr+`, count(*) FILTER (WHERE _k IS NULL),
		count(*) FILTER (WHERE _k >= 0), count(*) FILTER (WHERE _k IS NULL AND (%s))
		FROM raw.%s GROUP BY source_file`, flagCondition(src), duck.Ident(stagingName(src))))
	if err != nil {
		return fmt.Errorf("ingest %s: ledger: %w", src.Name, err)
	}
	for rows.Next() {
		var f sql.NullString
		c := &counts{}
		if err := rows.Scan(&f, &c.loaded, &c.rejected, &c.flagged); err != nil {
			rows.Close()
			return err
		}
		byFile[f.String] = c
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	var bad []string
	err = appendRows(r.conn, "_ingest_files", func(add func(...driver.Value) error) error {
		for _, fl := range loads {
			var note any
			if fl.note != "" {
				note = fl.note
			}
			c := byFile[fl.rel]
			if c == nil {
				c = &counts{}
			}
			// Every input row is accounted for: read = loaded + rejected.
			if fl.rows != c.loaded+c.rejected {
				bad = append(bad, diag.Printable(fl.rel))
			}
			if err := add(src.Name, fl.rel, fl.sha256, fl.bytes, fl.encoding, fl.rows, c.loaded, c.rejected, c.flagged, r.now, note); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("ingest %s: ledger: %w", src.Name, err)
	}
	for _, fl := range loads {
		for _, s := range fl.skipped {
			if _, err := r.conn.ExecContext(ctx, "INSERT INTO temp._ingest_skipped_sheets VALUES ($1, $2, $3, $4)", src.Name, fl.rel, s.sheet, s.reason); err != nil {
				return err
			}
		}
	}
	if len(bad) > 0 {
		return &SourceError{Source: src.Name, Err: fmt.Errorf("internal error: rows read ≠ loaded + rejected in %s", strings.Join(bad, ", "))}
	}
	return nil
}

// checkShare returns a *shareError when the rejected share of sr passes MaxRejectShare;
// rejects is the table holding the source's rejected rows.
func (r *run) checkShare(ctx context.Context, sr SourceResult, rejects string) error {
	if sr.RowsRead == 0 {
		return nil
	}
	share := float64(sr.RowsRejected) / float64(sr.RowsRead)
	if share <= r.opt.MaxRejectShare {
		return nil
	}
	top, err := r.topRules(ctx, rejects, sr.Name)
	if err != nil {
		return err
	}
	return &shareError{&SourceError{Source: sr.Name, Err: fmt.Errorf("%.1f%% of %d rows rejected, above the limit of %.1f%% (%s)",
		100*share, sr.RowsRead, 100*r.opt.MaxRejectShare, top)}}
}

// topRules names the most frequent reject rules of a source in the table rejects, for the
// share error.
func (r *run) topRules(ctx context.Context, rejects, source string) (string, error) {
	rows, err := r.conn.QueryContext(ctx, `SELECT rule, count(*) AS n FROM `+rejects+` WHERE source = $1
		GROUP BY rule ORDER BY n DESC, rule LIMIT 3`, source)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var parts []string
	for rows.Next() {
		var rule string
		var n int64
		if err := rows.Scan(&rule, &n); err != nil {
			return "", err
		}
		parts = append(parts, fmt.Sprintf("%s: %d", rule, n))
	}
	return "top rules: " + strings.Join(parts, ", "), rows.Err()
}

// parentsOf names the sources whose content the flags of source depend on (Column.Ref).
func parentsOf(source string) []string {
	var out []string
	for _, s := range Sources() {
		if s.Name != source {
			continue
		}
		for _, c := range s.Columns {
			if c.Ref != nil && !slices.Contains(out, c.Ref.Source) {
				out = append(out, c.Ref.Source)
			}
		}
	}
	return out
}

// hasEnumRefs says whether src has a reference with Enum (see parentSetType).
func hasEnumRefs(src Source) bool {
	for _, c := range src.Columns {
		if c.Ref != nil && c.Ref.Enum {
			return true
		}
	}
	return false
}

// hasMasked says whether src has a masked text column.
func hasMasked(src Source) bool {
	for _, c := range src.Columns {
		if c.Masked != "" {
			return true
		}
	}
	return false
}

// parentsKey identifies the current content of the sources whose content the flags of
// source depend on, from their fingerprints ("" when it has none).
func (r *run) parentsKey(ctx context.Context, source string) (string, error) {
	ps := parentsOf(source)
	if len(ps) == 0 {
		return "", nil
	}
	var key string
	err := r.conn.QueryRowContext(ctx, `SELECT coalesce(string_agg(source || '=' || fingerprint, ';' ORDER BY source), '')
		FROM main.ingest_state WHERE list_contains($1, source)`, ps).Scan(&key)
	if err != nil {
		return "", fmt.Errorf("ingest: read state: %w", err)
	}
	return key, nil
}

// parentFlagsSet is the SET clause that recomputes the flags of the rows table (raw.<name>,
// quoted) of src that depend on another source (Column.Ref: orphan, unknown_district,
// unknown_chamber), "" when it has none; those of references with Enum only when withEnum
// (their INSERT sets them). A reference to a long list (the registry) is probed with the
// source's values rather than the other way round: a hash table of the source's values is
// far cheaper to build than one of the whole registry.
func parentFlagsSet(src Source, table string, withEnum bool) string {
	var sets []string
	for _, c := range src.Columns {
		ref := c.Ref
		if ref == nil || ref.Enum && !withEnum {
			continue
		}
		col, rcol, rsrc := duck.Ident(c.Name), duck.Ident(ref.Column), "main."+duck.Ident(ref.Source)
		notIn := col + " NOT IN (SELECT " + rcol + " FROM " + rsrc + " WHERE " + rcol + " IS NOT NULL)"
		if !ref.Enum {
			notIn = col + " NOT IN (SELECT g." + rcol + " FROM " + rsrc + " g WHERE g." + rcol + " IN (SELECT " + col + " FROM " + table + " WHERE _k IS NULL))"
		}
		switch {
		case c.Required:
		case ref.IfEmpty:
			notIn = "coalesce(" + notIn + ", true)"
		default:
			notIn = "CASE WHEN " + col + " IS NULL THEN false ELSE " + notIn + " END"
		}
		for _, f := range ref.Flags {
			sets = append(sets, duck.Ident(f)+" = "+notIn)
		}
	}
	return strings.Join(sets, ",\n\t\t\t")
}

// parentSets creates the ENUM types of the references with Enum of src (see parentSetType)
// from the current contents of the sources they name, and reports, by column, which exist
// (an ENUM cannot be empty).
func (r *run) parentSets(ctx context.Context, src Source) (map[string]bool, error) {
	sets := map[string]bool{}
	for _, c := range src.Columns {
		if c.Ref == nil || !c.Ref.Enum {
			continue
		}
		name, values := parentSetType(c.Ref)
		var n int64
		if err := r.conn.QueryRowContext(ctx, "SELECT count(*) FROM ("+values+")").Scan(&n); err != nil {
			return nil, fmt.Errorf("ingest %s: %s list: %w", src.Name, c.Name, err)
		}
		if n == 0 {
			continue
		}
		if _, err := r.conn.ExecContext(ctx, "CREATE OR REPLACE TYPE "+name+" AS ENUM ("+values+")"); err != nil {
			return nil, fmt.Errorf("ingest %s: %s list: %w", src.Name, c.Name, err)
		}
		sets[c.Name] = true
	}
	return sets, nil
}

// dropParentSets drops the types parentSets created.
func (r *run) dropParentSets(ctx context.Context, src Source) {
	for _, c := range src.Columns {
		if c.Ref == nil || !c.Ref.Enum {
			continue
		}
		name, _ := parentSetType(c.Ref)
		if _, err := r.conn.ExecContext(ctx, "DROP TYPE IF EXISTS "+name); err != nil {
			r.log.Warn("ingest: drop a temporary type", "type", name, "err", err)
		}
	}
}

// refreshFlags recomputes the flags that depend on another source (orphan, unknown_district,
// unknown_chamber), and the rows_flagged counts of their files, in every source whose flags
// were computed against other contents of the sources they depend on than the current
// ones: a cheap UPDATE instead of reading the source again. This also mends flags left
// stale by a run that failed half-way.
func (r *run) refreshFlags(ctx context.Context) error {
	for _, src := range Sources() {
		set := parentFlagsSet(src, "raw."+duck.Ident(rowsName(src)), true)
		if set == "" {
			continue
		}
		var stored string
		err := r.conn.QueryRowContext(ctx, "SELECT coalesce(parents, '') FROM main.ingest_state WHERE source = $1", src.Name).Scan(&stored)
		if errors.Is(err, sql.ErrNoRows) {
			continue // not loaded successfully: it is read again next time
		}
		if err != nil {
			return fmt.Errorf("ingest: read state: %w", err)
		}
		current, err := r.parentsKey(ctx, src.Name)
		if err != nil {
			return err
		}
		if current == stored {
			continue
		}
		if _, err := r.conn.ExecContext(ctx, fmt.Sprintf("UPDATE raw.%s SET %s WHERE _k IS NULL", duck.Ident(rowsName(src)), set)); err != nil {
			return fmt.Errorf("ingest: refresh flags of %s: %w", src.Name, err)
		}
		q := fmt.Sprintf(`UPDATE main.ingest_files SET rows_flagged = coalesce((SELECT count(*) FROM raw.%s c
			WHERE CAST(c.source_file AS VARCHAR) = main.ingest_files.file AND c._k IS NULL AND (%s)), 0) WHERE source = $1`, duck.Ident(rowsName(src)), flagCondition(src))
		if _, err := r.conn.ExecContext(ctx, q, src.Name); err != nil {
			return fmt.Errorf("ingest: recount flags of %s: %w", src.Name, err)
		}
		if _, err := r.conn.ExecContext(ctx, "UPDATE main.ingest_state SET parents = $2 WHERE source = $1", src.Name, current); err != nil {
			return fmt.Errorf("ingest: write state: %w", err)
		}
		r.log.Info("ingest: flags refreshed", "source", src.Name)
	}
	return nil
}
