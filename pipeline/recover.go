package pipeline

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"bluebook/duck"
	"bluebook/pipeline/ingest"
)

// ErrDamaged marks a database file that DuckDB cannot open (a torn or unreplayable WAL, a
// flipped byte, a truncated file). `bluebook recover` is the remedy.
var ErrDamaged = errors.New("the database cannot be opened")

// DamagedError names a database that cannot be opened, why, and the remedy.
type DamagedError struct {
	Path   string
	Reason string // DuckDB's message
}

func (e *DamagedError) Error() string {
	return fmt.Sprintf("the database %s cannot be opened: %s\n"+
		"It was damaged, for example by a crash during a write or a full disk. Run\n"+
		"    bluebook recover --db %s\n"+
		"to move the damaged files aside (nothing is deleted) and rebuild the database from its landing copies; editions and, where readable, the run history are kept.",
		e.Path, e.Reason, e.Path)
}

func (e *DamagedError) Unwrap() error { return ErrDamaged }

// damaged returns a *DamagedError when err, from opening path, says the file is damaged
// (duck.Damaged).
func damaged(path string, err error) error {
	if reason, ok := duck.Damaged(err); ok {
		return &DamagedError{Path: path, Reason: reason}
	}
	return nil
}

// landingManifest lists which landing copy is which input file, so that a database can be
// rebuilt from the landing folder alone (the copies are named by their SHA-256).
type landingManifest struct {
	Year    int            `json:"year"`
	AsOf    string         `json:"as_of"`
	Written time.Time      `json:"written"`
	Files   []landingEntry `json:"files"`
}

type landingEntry struct {
	Source string `json:"source"`
	File   string `json:"file"` // <source>/<name>, as in ingest_files
	SHA256 string `json:"sha256"`
}

const landingManifestName = "manifest.json"

func landingDir(dbPath string) string { return strings.TrimSuffix(dbPath, ".duckdb") + ".landing" }

// writeLandingManifest records, after a successful ingest, which landing copy holds which
// input file. It is replaced atomically.
func writeLandingManifest(ctx context.Context, db *sql.DB, cfg Config, dir string) error {
	rows, err := db.QueryContext(ctx, `SELECT source, file, sha256 FROM main.ingest_files WHERE sha256 IS NOT NULL AND sha256 <> '' ORDER BY source, file`)
	if err != nil {
		return fmt.Errorf("landing manifest: %w", err)
	}
	defer rows.Close()
	m := landingManifest{Year: cfg.Year, AsOf: cfg.AsOf.Format("2006-01-02"), Written: time.Now().UTC()}
	for rows.Next() {
		var e landingEntry
		if err := rows.Scan(&e.Source, &e.File, &e.SHA256); err != nil {
			return fmt.Errorf("landing manifest: %w", err)
		}
		m.Files = append(m.Files, e)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("landing manifest: %w", err)
	}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("landing manifest: %w", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("landing manifest: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".manifest-*")
	if err != nil {
		return fmt.Errorf("landing manifest: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return fmt.Errorf("landing manifest: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("landing manifest: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("landing manifest: %w", err)
	}
	return os.Rename(tmp.Name(), filepath.Join(dir, landingManifestName))
}

// RecoverResult says what Recover did.
type RecoverResult struct {
	Healthy     bool   // the database opened: nothing was moved
	MovedTo     string // the folder now holding the damaged files
	RunsKept    int64  // run-ledger rows salvaged from the damaged file
	FilesLoaded int    // input files rebuilt from the landing copies
	Note        string // what could not be done, in words
}

// Recover makes a database that cannot be opened usable again: it moves the damaged file
// and its WAL into <db>.damaged-<time>/ (nothing is deleted), creates a new database,
// salvages the run ledger from the damaged file where it can be read without its WAL,
// and ingests the input files again from the landing copies (<db>.landing/, named in its
// manifest.json). Editions live in their own files and are not touched. The next `run`
// then rebuilds models and report. A database that opens is left alone.
func Recover(ctx context.Context, cfg Config) (*RecoverResult, error) {
	if cfg.DBPath == "" {
		return nil, fmt.Errorf("%w: recover needs --db", ErrConfig)
	}
	path := absPath(cfg.DBPath)
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("%w: no database at %s (--db)", ErrConfig, path)
	}
	lock, err := AcquireLock(path, LockInfo{PID: os.Getpid(), Started: time.Now(), Command: "recover"})
	if err != nil {
		return nil, err
	}
	defer lock.Release()
	res := &RecoverResult{}
	if db, err := openDB(ctx, path, cfg, false); err == nil {
		db.Close()
		res.Healthy = true
		return res, nil
	} else if !errors.Is(err, ErrDamaged) {
		return nil, err
	}
	log := cfg.logger()

	// 1. Move the damaged files aside.
	res.MovedTo = path + ".damaged-" + time.Now().Format("20060102-150405")
	if err := os.Mkdir(res.MovedTo, 0o755); err != nil {
		return nil, fmt.Errorf("recover: %w", err)
	}
	for _, suffix := range []string{"", ".wal"} {
		if _, err := os.Stat(path + suffix); err == nil {
			if err := os.Rename(path+suffix, filepath.Join(res.MovedTo, filepath.Base(path)+suffix)); err != nil {
				return nil, fmt.Errorf("recover: move %s aside: %w", path+suffix, err)
			}
		}
	}
	log.Info("recover: damaged files moved aside", "folder", res.MovedTo)

	// 2. A new database, with what can be salvaged of the ledger.
	db, err := openDB(ctx, path, cfg, false)
	if err != nil {
		return res, fmt.Errorf("recover: create a new database: %w", err)
	}
	defer db.Close()
	if err := ensureLedger(ctx, db); err != nil {
		return res, err
	}
	var notes []string
	if n, err := salvageLedger(ctx, db, filepath.Join(res.MovedTo, filepath.Base(path))); err != nil {
		notes = append(notes, "the run history could not be read from the damaged file ("+cleanDuckErr(err)+")")
		log.Warn("recover: run history not salvaged", "err", err)
	} else {
		res.RunsKept = n
	}

	// 3. The inputs again, from the landing copies.
	land := landingDir(path)
	m, err := readLandingManifest(land)
	switch {
	case errors.Is(err, os.ErrNotExist):
		notes = append(notes, "no landing manifest in "+land+": the next run reads the data folder again")
	case err != nil:
		notes = append(notes, err.Error())
	default:
		n, err := ingestLanding(ctx, db, cfg, land, m)
		if err != nil {
			notes = append(notes, "the landing copies could not be loaded ("+err.Error()+"): the next run reads the data folder again")
			log.Warn("recover: landing copies not loaded", "err", err)
		}
		res.FilesLoaded = n
	}
	res.Note = strings.Join(notes, "; ")
	msg := fmt.Sprintf("database rebuilt by recover; damaged files kept in %s", res.MovedTo)
	if res.Note != "" {
		msg += "; " + res.Note
	}
	now := time.Now()
	if _, err := db.ExecContext(ctx, `INSERT INTO runs (id, started, finished, status, trigger, version, pid, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		newRunID(now), now, now, StatusRecovered, "recover", cfg.Version, os.Getpid(), msg); err != nil {
		return res, fmt.Errorf("recover: record in the ledger: %w", err)
	}
	if _, err := db.ExecContext(ctx, "CHECKPOINT"); err != nil {
		return res, fmt.Errorf("recover: checkpoint: %w", err)
	}
	return res, nil
}

// salvageLedger copies runs and stage_runs from the damaged database file (read alone,
// without its WAL, from a copy) into db. Runs that were going on are closed as killed.
func salvageLedger(ctx context.Context, db *sql.DB, damagedFile string) (int64, error) {
	tmpDir, err := os.MkdirTemp(filepath.Dir(damagedFile), "salvage-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(tmpDir)
	cp := filepath.Join(tmpDir, "copy.duckdb")
	if err := copyFile(damagedFile, cp); err != nil {
		return 0, err
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "ATTACH "+duck.Literal(cp)+" AS damaged (READ_ONLY)"); err != nil {
		return 0, err
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), "DETACH damaged")
	var n int64
	err = func() error {
		if _, err := conn.ExecContext(ctx, "BEGIN TRANSACTION"); err != nil {
			return err
		}
		if _, err := conn.ExecContext(ctx, `INSERT INTO main.runs BY NAME SELECT * FROM damaged.main.runs`); err != nil {
			return err
		}
		if _, err := conn.ExecContext(ctx, `INSERT INTO main.stage_runs BY NAME SELECT * FROM damaged.main.stage_runs`); err != nil {
			return err
		}
		// The files each run used, so that a run from before the damage can still be
		// published, when the damaged file has them.
		var frozen bool
		if err := conn.QueryRowContext(ctx, `SELECT count(*) = 2 FROM duckdb_tables() WHERE database_name = 'damaged'
			AND schema_name = 'main' AND table_name IN ('run_files', 'file_blobs')`).Scan(&frozen); err != nil {
			return err
		}
		if frozen {
			if _, err := conn.ExecContext(ctx, snapshotDDL); err != nil {
				return err
			}
			for _, q := range []string{`INSERT OR IGNORE INTO main.file_blobs BY NAME SELECT * FROM damaged.main.file_blobs`,
				`INSERT INTO main.run_files BY NAME SELECT * FROM damaged.main.run_files`} {
				if _, err := conn.ExecContext(ctx, q); err != nil {
					return err
				}
			}
		}
		if _, err := conn.ExecContext(ctx, `UPDATE main.runs SET status = ?, error = 'the process ended without finishing (killed or crashed)' WHERE status = ?`, StatusKilled, StatusRunning); err != nil {
			return err
		}
		return conn.QueryRowContext(ctx, "SELECT count(*) FROM main.runs").Scan(&n)
	}()
	if err != nil {
		conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
		return 0, err
	}
	if _, err := conn.ExecContext(ctx, "COMMIT"); err != nil {
		return 0, err
	}
	return n, nil
}

func readLandingManifest(dir string) (*landingManifest, error) {
	p := filepath.Join(dir, landingManifestName)
	b, err := os.ReadFile(p)
	if err != nil {
		return nil, err
	}
	var m landingManifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("read %s: %w", p, err)
	}
	return &m, nil
}

// ingestLanding lays the landing copies out as a data folder (hard links, or copies where
// links are not possible) and ingests it. It returns the number of files laid out.
func ingestLanding(ctx context.Context, db *sql.DB, cfg Config, land string, m *landingManifest) (int, error) {
	data, err := os.MkdirTemp(filepath.Dir(land), ".recover-data-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(data)
	n := 0
	for _, e := range m.Files {
		src, name, ok := strings.Cut(e.File, "/")
		if !ok || src != e.Source || name == "" || name != filepath.Base(name) || strings.HasPrefix(name, ".") || len(e.SHA256) != 64 {
			return n, fmt.Errorf("%s: entry %q is not a file of a source", filepath.Join(land, landingManifestName), e.File)
		}
		copyName := e.SHA256 + strings.ToLower(filepath.Ext(name))
		dst := filepath.Join(data, src, name)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return n, err
		}
		if err := os.Link(filepath.Join(land, copyName), dst); err != nil {
			if err := copyFile(filepath.Join(land, copyName), dst); err != nil {
				return n, fmt.Errorf("landing copy of %s: %w", e.File, err)
			}
		}
		n++
	}
	if m.AsOf != "" {
		if t, err := time.Parse("2006-01-02", m.AsOf); err == nil {
			cfg.AsOf = t
		}
	}
	if m.Year != 0 {
		cfg.Year = m.Year
	}
	var districts []ingest.District
	for _, d := range cfg.Districts {
		districts = append(districts, ingest.District{Code: d.Code, Name: d.Name})
	}
	// Landing is off: the copies are already there.
	_, err = ingest.Run(ctx, db, ingest.Options{DataDir: data, AsOf: cfg.AsOf, Districts: districts, Encoding: cfg.Encoding,
		MaxRejectShare: 1, Logger: cfg.logger(), Force: true})
	return n, err
}
