package pipeline

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// An edition is the frozen, official copy of a year's blue book: the report, every
// indicator table as Parquet, the input hashes, the queries, templates and configuration
// used, and a manifest. It is never overwritten; publishing a year again makes a revision
// beside it (2025, 2025-r2, 2025-r3, ...).

// Manifest describes an edition.
type Manifest struct {
	Year        int             `json:"year"`
	Revision    int             `json:"revision"`
	Folder      string          `json:"folder"`
	PublishedAt time.Time       `json:"published_at"`
	RunID       string          `json:"run_id"`
	Version     string          `json:"bluebook_version"`
	Fingerprint string          `json:"fingerprint"`
	Cutoff      string          `json:"cutoff"`
	AsOf        string          `json:"as_of"`
	Tables      []EditionTable  `json:"tables"`
	Inputs      json.RawMessage `json:"inputs"`
}

// EditionTable is one frozen indicator table.
type EditionTable struct {
	Name   string `json:"name"`
	File   string `json:"file"`
	Rows   int64  `json:"rows"`
	SHA256 string `json:"sha256"`
}

// ErrEditionExists reports an attempt to overwrite a published edition.
var ErrEditionExists = errors.New("edition already published")

var editionDir = regexp.MustCompile(`^(\d{4})(?:-r(\d+))?$`)

// EditionsDir is where editions live: cfg.EditionsDir, or editions/ beside the database.
func (c Config) editionsDir() string {
	if c.EditionsDir != "" {
		return c.EditionsDir
	}
	return filepath.Join(filepath.Dir(absPath(c.DBPath)), "editions")
}

// latestEdition returns the folder of the newest revision of year's edition, or "".
func latestEdition(dir string, year int) (string, int) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", 0
	}
	best, bestRev := "", 0
	for _, e := range entries {
		g := editionDir.FindStringSubmatch(e.Name())
		if g == nil || !e.IsDir() || g[1] != strconv.Itoa(year) {
			continue
		}
		rev := 1
		if g[2] != "" {
			rev, _ = strconv.Atoi(g[2])
		}
		if _, err := os.Stat(filepath.Join(dir, e.Name(), "manifest.json")); err != nil {
			continue // an unfinished publication
		}
		if rev > bestRev {
			best, bestRev = filepath.Join(dir, e.Name()), rev
		}
	}
	return best, bestRev
}

// Publish freezes the edition of cfg.Year from the database and the report of the last
// successful run of that year.
func Publish(ctx context.Context, cfg Config, revision bool) (*Manifest, error) {
	if cfg.DBPath == "" {
		return nil, fmt.Errorf("%w: publish needs --db", ErrConfig)
	}
	lock, err := AcquireLock(cfg.DBPath, LockInfo{PID: os.Getpid(), Started: time.Now(), Command: "publish"})
	if err != nil {
		return nil, err
	}
	defer lock.Release()
	db, err := openDB(ctx, cfg.DBPath, cfg, false)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	if err := ensureLedger(ctx, db); err != nil {
		return nil, err
	}
	m := &Manifest{Year: cfg.Year, PublishedAt: time.Now(), Version: cfg.Version}
	var report string
	var asOf time.Time
	err = db.QueryRowContext(ctx, `SELECT id, fingerprint, report, as_of FROM runs
		WHERE status = ? AND year = ? ORDER BY started DESC LIMIT 1`, StatusSuccess, cfg.Year).Scan(&m.RunID, &m.Fingerprint, &report, &asOf)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("%w: no successful run of edition %d in %s; run `bluebook run --year %d` first", ErrConfig, cfg.Year, cfg.DBPath, cfg.Year)
	} else if err != nil {
		return nil, fmt.Errorf("read runs: %w", err)
	}
	var lastYear int
	db.QueryRowContext(ctx, `SELECT year FROM runs WHERE status IN (?, ?) ORDER BY started DESC LIMIT 1`, StatusSuccess, StatusCheckFailed).Scan(&lastYear)
	if lastYear != cfg.Year {
		return nil, fmt.Errorf("%w: the database now holds edition %d; run `bluebook run --year %d` again before publishing it", ErrConfig, lastYear, cfg.Year)
	}
	m.AsOf = asOf.Format("2006-01-02")
	c := cfg
	c.AsOf = asOf
	m.Cutoff = c.Cutoff().Format("2006-01-02")

	dir := cfg.editionsDir()
	_, rev := latestEdition(dir, cfg.Year)
	name := strconv.Itoa(cfg.Year)
	switch {
	case rev > 0 && !revision:
		return nil, fmt.Errorf("%w: %s already holds edition %d; an edition is never overwritten — publish a revision with --revision", ErrEditionExists, dir, cfg.Year)
	case rev > 0:
		m.Revision = rev + 1
		name = fmt.Sprintf("%d-r%d", cfg.Year, m.Revision)
	default:
		m.Revision = 1
	}
	m.Folder = name
	final := filepath.Join(dir, name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create %s: %w", dir, err)
	}
	tmp, err := os.MkdirTemp(dir, "."+name+".publishing-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)

	// The report as the last successful run of the year published it.
	if report == "" {
		report = filepath.Join(absPath(cfg.OutDir), "index.html")
	}
	if err := copyTree(os.DirFS(filepath.Dir(report)), filepath.Join(tmp, "report")); err != nil {
		return nil, fmt.Errorf("copy report %s: %w", filepath.Dir(report), err)
	}
	// Every indicator table as Parquet.
	proj, err := LoadProject(cfg.Queries, cfg.QueriesDir)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Join(tmp, "tables"), 0o755); err != nil {
		return nil, err
	}
	for _, mod := range proj.Models {
		if mod.Materialize != "table" {
			continue
		}
		file := filepath.Join("tables", mod.Name+".parquet")
		if _, err := db.ExecContext(ctx, "COPY (SELECT * FROM "+quoteIdent(mod.Name)+") TO '"+strings.ReplaceAll(filepath.Join(tmp, file), "'", "''")+"' (FORMAT parquet)"); err != nil {
			return nil, fmt.Errorf("export %s: %w", mod.Name, err)
		}
		t := EditionTable{Name: mod.Name, File: filepath.ToSlash(file)}
		db.QueryRowContext(ctx, "SELECT count(*) FROM "+quoteIdent(mod.Name)).Scan(&t.Rows)
		t.SHA256, _ = fileSHA256(filepath.Join(tmp, file))
		m.Tables = append(m.Tables, t)
	}
	// Input hashes, queries, templates, configuration.
	var inputs string
	db.QueryRowContext(ctx, `SELECT coalesce(to_json(list({'source': source, 'file': file, 'sha256': sha256, 'bytes': bytes, 'rows_read': rows_read, 'rows_rejected': rows_rejected} ORDER BY source, file))::VARCHAR, '[]') FROM ingest_files`).Scan(&inputs)
	m.Inputs = json.RawMessage(inputs)
	if err := copyTree(cfg.Queries, filepath.Join(tmp, "queries")); err != nil {
		return nil, fmt.Errorf("copy queries: %w", err)
	}
	if err := copyTree(cfg.Reports, filepath.Join(tmp, "reports")); err != nil {
		return nil, fmt.Errorf("copy templates: %w", err)
	}
	if cfg.ConfigFile != "" {
		if b, err := os.ReadFile(cfg.ConfigFile); err == nil {
			os.WriteFile(filepath.Join(tmp, "bluebook.toml"), b, 0o644)
		}
	}
	mb, _ := json.MarshalIndent(m, "", "  ")
	if err := os.WriteFile(filepath.Join(tmp, "manifest.json"), append(mb, '\n'), 0o444); err != nil {
		return nil, err
	}
	if err := os.Rename(tmp, final); err != nil {
		return nil, fmt.Errorf("publish %s: %w", final, err)
	}
	return m, nil
}

func fileSHA256(path string) (string, error) {
	h := sha256.New()
	if err := hashFile(h, path); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// copyTree copies every regular file of src (Go files excepted) into dst.
func copyTree(src fs.FS, dst string) error {
	return fs.WalkDir(src, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		target := filepath.Join(dst, filepath.FromSlash(p))
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if strings.HasSuffix(p, ".go") || strings.Contains(p, "node_modules") {
			return nil
		}
		in, err := src.Open(p)
		if err != nil {
			return err
		}
		defer in.Close()
		return copyTo(target, in)
	})
}

// attachPublished creates the schema published with one view per table model: the frozen
// figures of the previous year's newest edition when there is one, else an empty view of
// the same shape. Chapters compare today's recomputation of last year with what was
// published, and footnote any revision (上年数据已修订).
func attachPublished(ctx context.Context, db *sql.DB, cfg Config, proj *Project) (string, error) {
	if _, err := db.ExecContext(ctx, "CREATE SCHEMA IF NOT EXISTS published"); err != nil {
		return "", err
	}
	folder := ""
	if cfg.DBPath != "" {
		folder, _ = latestEdition(cfg.editionsDir(), cfg.Year-1)
	}
	names := make([]string, 0, len(proj.Models))
	for _, m := range proj.Models {
		if m.Materialize == "table" {
			names = append(names, m.Name)
		}
	}
	sort.Strings(names)
	for _, name := range names {
		q := "CREATE OR REPLACE VIEW published." + quoteIdent(name) + " AS SELECT * FROM main." + quoteIdent(name) + " WHERE false"
		if folder != "" {
			p := filepath.Join(folder, "tables", name+".parquet")
			if _, err := os.Stat(p); err == nil {
				q = "CREATE OR REPLACE VIEW published." + quoteIdent(name) + " AS SELECT * FROM read_parquet('" + strings.ReplaceAll(p, "'", "''") + "')"
			}
		}
		if _, err := db.ExecContext(ctx, q); err != nil {
			return "", fmt.Errorf("attach published %s: %w", name, err)
		}
	}
	return folder, nil
}
