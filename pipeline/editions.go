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
	"testing/fstest"
	"time"

	"bluebook/duck"
)

// An edition is the frozen, official copy of a year's blue book: the report, every
// indicator table as Parquet, the input hashes, the queries, templates and configuration
// the run used (from the run's own frozen copy, see freezeProject), and a manifest. It is never overwritten; publishing a year again makes a revision
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
	// Files are the queries, chapters, seeds and configuration the run used, as written
	// into the edition (queries/…, reports/…, bluebook.toml, settings.json).
	Files []EditionFile `json:"files"`
}

// EditionFile is one project file of the run, frozen in the edition.
type EditionFile struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
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

// editionsReadable fails when the editions folder exists but cannot be listed: latestEdition
// would then see no edition, and publish a revision 1 twice or compare with nothing.
func editionsReadable(dir string) error {
	if _, err := os.ReadDir(dir); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("read the editions folder: %w", err)
	}
	return nil
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
// successful run of that year. The edition's queries, chapters, seeds and configuration are
// those that run used, as it froze them when it started (see freezeProject), never the
// files on disk now: an edit made after the run does not reach the edition. Publish refuses
// when that run's files were not kept, or when a later run may have changed the database or
// the report since.
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
	var asOf, started time.Time
	err = db.QueryRowContext(ctx, `SELECT id, fingerprint, coalesce(report, ''), as_of, started FROM runs
		WHERE status = ? AND year = ? ORDER BY started DESC LIMIT 1`, StatusSuccess, cfg.Year).Scan(&m.RunID, &m.Fingerprint, &report, &asOf, &started)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("%w: no successful run of edition %d in %s; run `bluebook run --year %d` first", ErrConfig, cfg.Year, cfg.DBPath, cfg.Year)
	} else if err != nil {
		return nil, fmt.Errorf("read runs: %w", err)
	}
	// A later run that did more than skip may have replaced sources, tables or the report:
	// what the database holds is then no longer what the run to freeze produced.
	var laterID, laterStatus string
	var laterYear sql.NullInt64
	err = db.QueryRowContext(ctx, `SELECT id, status, year FROM runs WHERE started > ? AND id <> ? AND status <> ?
		ORDER BY started DESC LIMIT 1`, started, m.RunID, StatusSkipped).Scan(&laterID, &laterStatus, &laterYear)
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return nil, fmt.Errorf("read runs: %w", err)
	case laterYear.Valid && int(laterYear.Int64) != cfg.Year && (laterStatus == StatusSuccess || laterStatus == StatusCheckFailed):
		return nil, fmt.Errorf("%w: the database now holds edition %d; run `bluebook run --year %d` again before publishing it", ErrConfig, laterYear.Int64, cfg.Year)
	default:
		return nil, fmt.Errorf("%w: run %s (%s) came after run %s, the last successful run of edition %d, and may have changed the database or the report; run `bluebook run --year %d` again before publishing it",
			ErrConfig, laterID, laterStatus, m.RunID, cfg.Year, cfg.Year)
	}
	files, err := runSnapshot(ctx, db, m.RunID)
	if err != nil {
		return nil, err
	}
	if len(files["queries"]) == 0 || len(files["reports"]) == 0 {
		return nil, fmt.Errorf("%w: the queries and chapters that run %s used were not kept (it was made by a bluebook that did not record them, or the run history was rebuilt), so its edition cannot be frozen; run `bluebook run --year %d --force` and publish again",
			ErrConfig, m.RunID, cfg.Year)
	}
	m.AsOf = asOf.Format("2006-01-02")
	c := cfg
	c.AsOf = asOf
	m.Cutoff = c.Cutoff().Format("2006-01-02")

	dir := cfg.editionsDir()
	if err := editionsReadable(dir); err != nil {
		return nil, err
	}
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

	// The report as the run built it: every page names the run that built it.
	if report == "" {
		report = filepath.Join(absPath(cfg.OutDir), "index.html")
	}
	index, err := os.ReadFile(report)
	if err != nil {
		return nil, fmt.Errorf("%w: the report of run %s: %v", ErrConfig, m.RunID, err)
	}
	if !strings.Contains(string(index), m.RunID) {
		return nil, fmt.Errorf("%w: %s was not built by run %s (another run wrote that folder since); run `bluebook run --year %d` again before publishing it", ErrConfig, report, m.RunID, cfg.Year)
	}
	if err := copyTree(os.DirFS(filepath.Dir(report)), filepath.Join(tmp, "report")); err != nil {
		return nil, fmt.Errorf("copy report %s: %w", filepath.Dir(report), err)
	}
	// The queries, chapters, seeds and configuration of the run.
	for _, tree := range []string{"queries", "reports", "config"} {
		for _, f := range files[tree] {
			target := filepath.Join(tmp, filepath.FromSlash(f.Path))
			if tree != "config" {
				target = filepath.Join(tmp, tree, filepath.FromSlash(f.Path))
			}
			if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
				return nil, err
			}
			if err := os.WriteFile(target, f.content, 0o644); err != nil {
				return nil, fmt.Errorf("write %s: %w", target, err)
			}
			rel, _ := filepath.Rel(tmp, target)
			m.Files = append(m.Files, EditionFile{Path: filepath.ToSlash(rel), SHA256: f.SHA256})
		}
	}
	// Every indicator table as Parquet: the table models of the run's own queries.
	proj, err := LoadProject(files.dir("queries"), "queries")
	if err != nil {
		return nil, fmt.Errorf("the queries of run %s: %w", m.RunID, err)
	}
	if err := os.MkdirAll(filepath.Join(tmp, "tables"), 0o755); err != nil {
		return nil, err
	}
	for _, mod := range proj.Models {
		if mod.Materialize != "table" {
			continue
		}
		file := filepath.Join("tables", mod.Name+".parquet")
		if _, err := db.ExecContext(ctx, "COPY (SELECT * FROM "+duck.Ident(mod.Name)+") TO '"+strings.ReplaceAll(filepath.Join(tmp, file), "'", "''")+"' (FORMAT parquet)"); err != nil {
			return nil, fmt.Errorf("export %s: %w", mod.Name, err)
		}
		t := EditionTable{Name: mod.Name, File: filepath.ToSlash(file)}
		if err := db.QueryRowContext(ctx, "SELECT count(*) FROM "+duck.Ident(mod.Name)).Scan(&t.Rows); err != nil {
			return nil, fmt.Errorf("count %s: %w", mod.Name, err)
		}
		if t.SHA256, err = fileSHA256(filepath.Join(tmp, file)); err != nil {
			return nil, fmt.Errorf("hash %s: %w", file, err)
		}
		m.Tables = append(m.Tables, t)
	}
	// The input files' hashes.
	var inputs string
	if err := db.QueryRowContext(ctx, `SELECT coalesce(to_json(list({'source': source, 'file': file, 'sha256': sha256, 'bytes': bytes, 'rows_read': rows_read, 'rows_rejected': rows_rejected} ORDER BY source, file))::VARCHAR, '[]') FROM ingest_files`).Scan(&inputs); err != nil {
		return nil, fmt.Errorf("read ingest_files: %w", err)
	}
	m.Inputs = json.RawMessage(inputs)
	mb, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("manifest: %w", err)
	}
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
		if err := editionsReadable(cfg.editionsDir()); err != nil {
			return "", err
		}
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
		q := "CREATE OR REPLACE VIEW published." + duck.Ident(name) + " AS SELECT * FROM main." + duck.Ident(name) + " WHERE false"
		if folder != "" {
			p := filepath.Join(folder, "tables", name+".parquet")
			if _, err := os.Stat(p); err == nil {
				q = "CREATE OR REPLACE VIEW published." + duck.Ident(name) + " AS SELECT * FROM read_parquet(" + duck.Literal(p) + ")"
			}
		}
		if _, err := db.ExecContext(ctx, q); err != nil {
			return "", fmt.Errorf("attach published %s: %w", name, err)
		}
	}
	return folder, nil
}

// What a run read of the project is frozen when it starts. freezeProject reads the queries
// (models, checks, seeds) and the reports folder (chapters, templates) once into memory,
// the run's stages read that copy instead of the folders, and the copy is stored in the
// database, content-addressed: file_blobs holds each distinct content once (by SHA-256), and
// run_files lists the files each run used. A run that changes nothing adds only its list.
// Publish writes an edition's queries/, reports/ and configuration from there.
const snapshotDDL = `
CREATE TABLE IF NOT EXISTS file_blobs (sha256 VARCHAR PRIMARY KEY, content BLOB);
CREATE TABLE IF NOT EXISTS run_files (run_id VARCHAR, tree VARCHAR, path VARCHAR, sha256 VARCHAR)`

// snapshotFile is one file of a run's frozen project.
type snapshotFile struct {
	Path, SHA256 string
	content      []byte
}

// snapshot holds a run's frozen files by tree: "queries", "reports" and "config"
// (bluebook.toml when there is one, settings.json always, calendar.csv when configured).
type snapshot map[string][]snapshotFile

// fs returns one tree as a file system.
func (s snapshot) dir(tree string) fs.FS {
	m := fstest.MapFS{}
	for _, f := range s[tree] {
		m[f.Path] = &fstest.MapFile{Data: f.content, Mode: 0o444}
	}
	return m
}

func (s snapshot) add(tree, path string, content []byte) {
	sum := sha256.Sum256(content)
	s[tree] = append(s[tree], snapshotFile{Path: path, SHA256: hex.EncodeToString(sum[:]), content: content})
}

// freezeProject reads the project files run runID is about to use, stores them in the
// database and returns cfg reading its queries and reports from that frozen copy, so that
// what the run used and what an edition of it holds are the same bytes whatever is edited
// on disk meanwhile. The calendar file named by calendar = is read again by the models
// stage; its copy here is taken at the start of the run.
func freezeProject(ctx context.Context, db *sql.DB, cfg Config, runID string) (Config, error) {
	snap := snapshot{}
	for _, tree := range []struct {
		name string
		fsys fs.FS
	}{{"queries", cfg.Queries}, {"reports", cfg.Reports}} {
		if tree.fsys == nil {
			continue
		}
		err := fs.WalkDir(tree.fsys, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if p != "." && (d.Name() == "node_modules" || d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) {
					return fs.SkipDir // npm's packages, Go test fixtures, editor and VCS folders
				}
				return nil
			}
			if strings.HasSuffix(p, ".go") {
				return nil // bluebook's own code, in the binary
			}
			b, err := fs.ReadFile(tree.fsys, p)
			if err != nil {
				return err
			}
			snap.add(tree.name, p, b)
			return nil
		})
		if err != nil {
			return cfg, fmt.Errorf("read %s: %w", tree.name, err)
		}
	}
	if cfg.ConfigFile != "" {
		b, err := os.ReadFile(cfg.ConfigFile)
		switch {
		case err == nil:
			snap.add("config", "bluebook.toml", b)
		case !errors.Is(err, fs.ErrNotExist): // an optional bluebook.toml may be absent
			return cfg, fmt.Errorf("read %s: %w", cfg.ConfigFile, err)
		}
	}
	if cfg.Calendar != "" {
		b, err := os.ReadFile(cfg.Calendar)
		if err != nil {
			return cfg, fmt.Errorf("%w: calendar: %v", ErrConfig, err)
		}
		snap.add("config", "calendar.csv", b)
	}
	settings, err := json.MarshalIndent(runSettings(cfg), "", "  ")
	if err != nil {
		return cfg, fmt.Errorf("record the run's settings: %w", err)
	}
	snap.add("config", "settings.json", append(settings, '\n'))
	if err := storeSnapshot(ctx, db, runID, snap); err != nil {
		return cfg, err
	}
	if cfg.Queries != nil {
		cfg.Queries = snap.dir("queries")
	}
	if cfg.Reports != nil {
		cfg.Reports = snap.dir("reports")
	}
	return cfg, nil
}

// runSettings is the configuration a run used after flags and bluebook.toml were merged.
func runSettings(cfg Config) any {
	return struct {
		Year           int               `json:"year"`
		AsOf           string            `json:"as_of"`
		Cutoff         string            `json:"cutoff"`
		City           string            `json:"city"`
		Districts      []District        `json:"districts"`
		Encoding       map[string]string `json:"encoding"`
		MaxRejectShare float64           `json:"max_reject_share"`
		Landing        bool              `json:"landing"`
		Calendar       string            `json:"calendar,omitempty"`
		Params         map[string]any    `json:"params"`
		MemoryLimit    string            `json:"memory_limit,omitempty"`
		Threads        int               `json:"threads,omitempty"`
		Demo           bool              `json:"demo"`
		Version        string            `json:"bluebook_version"`
		Queries        string            `json:"queries"`
		Reports        string            `json:"reports"`
	}{cfg.Year, cfg.AsOf.Format("2006-01-02"), cfg.Cutoff().Format("2006-01-02"), cfg.City, cfg.Districts, cfg.Encoding,
		cfg.MaxRejectShare, cfg.Landing, cfg.Calendar, cfg.Params, cfg.MemoryLimit, cfg.Threads, cfg.Demo, cfg.Version,
		cfg.QueriesDir, cfg.ReportsDir}
}

// storeSnapshot records snap as run runID's files, in one transaction.
func storeSnapshot(ctx context.Context, db *sql.DB, runID string, snap snapshot) error {
	if _, err := db.ExecContext(ctx, snapshotDDL); err != nil {
		return fmt.Errorf("create run_files: %w", err)
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for tree, files := range snap {
		for _, f := range files {
			if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO file_blobs VALUES (?, ?)`, f.SHA256, f.content); err != nil {
				return fmt.Errorf("record %s/%s: %w", tree, f.Path, err)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO run_files VALUES (?, ?, ?, ?)`, runID, tree, f.Path, f.SHA256); err != nil {
				return fmt.Errorf("record %s/%s: %w", tree, f.Path, err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("record the run's files: %w", err)
	}
	return nil
}

// runSnapshot reads back the files run runID used; an empty snapshot when none were kept.
// A file whose content is missing or does not match its hash is an error.
func runSnapshot(ctx context.Context, db *sql.DB, runID string) (snapshot, error) {
	snap := snapshot{}
	var exists bool
	if err := db.QueryRowContext(ctx, `SELECT count(*) = 2 FROM duckdb_tables() WHERE schema_name = 'main' AND table_name IN ('run_files', 'file_blobs')`).Scan(&exists); err != nil {
		return nil, fmt.Errorf("read run_files: %w", err)
	}
	if !exists {
		return snap, nil
	}
	rows, err := db.QueryContext(ctx, `SELECT f.tree, f.path, f.sha256, b.content FROM run_files f LEFT JOIN file_blobs b USING (sha256)
		WHERE f.run_id = ? ORDER BY f.tree, f.path`, runID)
	if err != nil {
		return nil, fmt.Errorf("read run_files: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var tree string
		var f snapshotFile
		if err := rows.Scan(&tree, &f.Path, &f.SHA256, &f.content); err != nil {
			return nil, fmt.Errorf("read run_files: %w", err)
		}
		if sum := sha256.Sum256(f.content); f.content == nil || hex.EncodeToString(sum[:]) != f.SHA256 {
			return nil, fmt.Errorf("%w: the copy of %s/%s kept for run %s is missing or damaged (SHA-256 %s); run `bluebook run --force` and publish again", ErrConfig, tree, f.Path, runID, f.SHA256)
		}
		snap[tree] = append(snap[tree], f)
	}
	return snap, rows.Err()
}
