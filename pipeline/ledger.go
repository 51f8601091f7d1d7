package pipeline

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// The run ledger: one row per run in runs, one row per stage (and per model) in
// stage_runs. Models and sources are rebuilt with CREATE OR REPLACE; these two tables are
// only ever appended to and updated, so history survives every rebuild.
const ledgerDDL = `
CREATE TABLE IF NOT EXISTS runs (
	id VARCHAR PRIMARY KEY, started TIMESTAMP, finished TIMESTAMP, status VARCHAR,
	trigger VARCHAR, version VARCHAR, config_hash VARCHAR, fingerprint VARCHAR,
	input_files VARCHAR, year INTEGER, as_of DATE, pid INTEGER, report VARCHAR, error VARCHAR);
CREATE TABLE IF NOT EXISTS stage_runs (
	run_id VARCHAR, stage VARCHAR, model VARCHAR, rows BIGINT, duration_ms DOUBLE,
	status VARCHAR, error VARCHAR, finished TIMESTAMP)`

// Run statuses recorded in runs.status.
const (
	StatusRunning     = "running"
	StatusSuccess     = "success"
	StatusFailed      = "failed"
	StatusCheckFailed = "check_failed"
	StatusSkipped     = "skipped"
	StatusKilled      = "killed"
	// StatusInterrupted is a run stopped by SIGTERM or SIGINT; it recorded itself.
	StatusInterrupted = "interrupted"
	// StatusRecovered is the row `bluebook recover` leaves: the database was rebuilt, so
	// no earlier success makes the next run a no-op.
	StatusRecovered = "recovered"
)

// ErrInterrupted marks a run stopped by SIGTERM or SIGINT (exit code 1).
var ErrInterrupted = errors.New("interrupted")

// pendingOutcome is a run's outcome that the database could not take when the run ended
// (a full disk, an invalidated database). It waits in <db>.outcome.json for the next run.
type pendingOutcome struct {
	RunID    string    `json:"run_id"`
	Status   string    `json:"status"`
	Error    string    `json:"error"`
	Finished time.Time `json:"finished"`
}

func pendingOutcomePath(dbPath string) string { return dbPath + ".outcome.json" }

// outcomeFile is <db>.outcome.json, written with its full size when the run starts, so
// that the run's outcome can still be written into it when the disk has filled up since.
type outcomeFile struct {
	f *os.File
}

// outcomeReserve is the room reserved for an outcome; a longer error text is cut.
const outcomeReserve = 16 << 10

// reserveOutcome creates <db>.outcome.json, sized for an outcome. Nil for an in-memory
// database.
func reserveOutcome(dbPath string) (*outcomeFile, error) {
	if dbPath == "" {
		return nil, nil
	}
	f, err := os.OpenFile(pendingOutcomePath(dbPath), os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return nil, fmt.Errorf("reserve %s: %w", pendingOutcomePath(dbPath), err)
	}
	// Real blocks, not a sparse file: spaces are valid JSON padding.
	if _, err := f.Write([]byte(strings.Repeat(" ", outcomeReserve))); err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, fmt.Errorf("reserve %s: %w", f.Name(), err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, fmt.Errorf("reserve %s: %w", f.Name(), err)
	}
	return &outcomeFile{f: f}, nil
}

// write records o in the reserved file, over the blocks already allocated.
func (o *outcomeFile) write(out pendingOutcome) error {
	if o == nil {
		return errors.New("no outcome file")
	}
	b, err := json.Marshal(out)
	for err == nil && len(b) > outcomeReserve {
		out.Error = string([]rune(out.Error)[:len([]rune(out.Error))*3/4]) + "…"
		b, err = json.Marshal(out)
	}
	if err != nil {
		return err
	}
	pad := append(b, []byte(strings.Repeat(" ", outcomeReserve-len(b)))...)
	if _, err := o.f.WriteAt(pad, 0); err != nil {
		return err
	}
	return o.f.Sync()
}

// discard removes the file once the ledger holds the outcome.
func (o *outcomeFile) discard() {
	if o == nil {
		return
	}
	o.f.Close()
	os.Remove(o.f.Name())
}

// close closes the file and leaves it for the next run.
func (o *outcomeFile) close() {
	if o != nil {
		o.f.Close()
	}
}

// applyPendingOutcome records in the ledger the outcome a previous run left in a file,
// then removes the file. It runs before markKilled, so such a run is not taken for killed.
func applyPendingOutcome(ctx context.Context, db *sql.DB, dbPath string) error {
	if dbPath == "" {
		return nil
	}
	path := pendingOutcomePath(dbPath)
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	var o pendingOutcome
	if strings.TrimSpace(string(b)) == "" {
		return os.Remove(path) // reserved by a run that was killed: markKilled closes it
	}
	if err := json.Unmarshal(b, &o); err != nil {
		os.Remove(path)
		return fmt.Errorf("read %s: %w", path, err)
	}
	if _, err := db.ExecContext(ctx, `UPDATE runs SET finished = ?, status = ?, error = ? WHERE id = ? AND status = ?`,
		o.Finished, o.Status, o.Error, o.RunID, StatusRunning); err != nil {
		return fmt.Errorf("record the outcome of run %s: %w", o.RunID, err)
	}
	return os.Remove(path)
}

func ensureLedger(ctx context.Context, db *sql.DB) error {
	if _, err := db.ExecContext(ctx, ledgerDDL); err != nil {
		return fmt.Errorf("create run ledger: %w", err)
	}
	return nil
}

// markKilled closes the ledger rows of runs that died without finishing. It is called
// while holding the lock, so no live run owns them.
func markKilled(ctx context.Context, db *sql.DB) (int64, error) {
	r, err := db.ExecContext(ctx, `UPDATE runs SET status = ?, error = 'the process ended without finishing (killed or crashed)'
		WHERE status = ?`, StatusKilled, StatusRunning)
	if err != nil {
		return 0, fmt.Errorf("close abandoned runs: %w", err)
	}
	return r.RowsAffected()
}

func recordStage(ctx context.Context, db *sql.DB, runID, stage, model string, rows int64, d time.Duration, err error) {
	status, msg := "ok", ""
	if err != nil {
		status, msg = "failed", err.Error()
	}
	recordStageStatus(ctx, db, runID, stage, model, rows, d, status, msg)
}

// recordStageStatus is recordStage with the status given: ok, failed, or reused (a model
// whose table was kept, its inputs unchanged).
func recordStageStatus(ctx context.Context, db *sql.DB, runID, stage, model string, rows int64, d time.Duration, status, msg string) {
	var nrows any = rows
	if rows < 0 {
		nrows = nil // a view
	}
	if _, werr := db.ExecContext(context.WithoutCancel(ctx), `INSERT INTO stage_runs VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		runID, stage, model, nrows, float64(d.Microseconds())/1000, status, msg, time.Now()); werr != nil {
		// The stage itself went as err says; only its line in the history is lost.
		slog.Warn("could not record a stage in stage_runs", "run", runID, "stage", stage, "model", model, "err", werr)
	}
}

// fingerprint summarises everything a run's output depends on: the input files (name,
// size, modification time: no file is read, so it costs milliseconds at any scale), the
// queries, the report templates, the configuration that matters and bluebook's version.
func fingerprint(cfg Config) (string, error) {
	h := sha256.New()
	fmt.Fprintf(h, "version %s\nyear %d\ncutoff %s\ncity %s\nreject %v\nparams %v\nencoding %v\ndistricts %v\ndemo %v\nout %s\nsingle %s\n",
		cfg.Version, cfg.Year, cfg.Cutoff().Format("2006-01-02"), cfg.City, cfg.MaxRejectShare,
		sortedMap(cfg.Params), sortedMap(cfg.Encoding), cfg.Districts, cfg.Demo, absPath(cfg.OutDir), cfg.SingleFile)
	fmt.Fprintf(h, "limits %+v\n", cfg.Limits)
	fmt.Fprintf(h, "map %q %d\n", cfg.MapApproval, cfg.MapMaxBytes)
	if cfg.Calendar != "" {
		if err := hashFile(h, cfg.Calendar); err != nil {
			return "", err
		}
	}
	err := filepath.WalkDir(cfg.DataDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(cfg.DataDir, p)
		fmt.Fprintf(h, "data %s %d %d\n", filepath.ToSlash(rel), info.Size(), info.ModTime().UnixNano())
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("scan %s: %w", cfg.DataDir, err)
	}
	for _, tree := range []struct {
		name string
		fsys fs.FS
	}{{"queries", cfg.Queries}, {"reports", cfg.Reports}} {
		if tree.fsys == nil {
			continue
		}
		err := fs.WalkDir(tree.fsys, ".", func(p string, d fs.DirEntry, err error) error {
			if err == nil && d.IsDir() && d.Name() == "node_modules" {
				return fs.SkipDir // npm's packages (60 MB in the repository); the ECharts used is in the binary
			}
			if err != nil || d.IsDir() {
				return err
			}
			b, err := fs.ReadFile(tree.fsys, p)
			if err != nil {
				return err
			}
			fmt.Fprintf(h, "%s %s %d\n", tree.name, p, len(b))
			h.Write(b)
			return nil
		})
		if err != nil {
			return "", fmt.Errorf("scan %s: %w", tree.name, err)
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func hashFile(w io.Writer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(w, f)
	return err
}

func sortedMap[V any](m map[string]V) []string {
	var out []string
	for k, v := range m {
		out = append(out, fmt.Sprintf("%s=%v", k, v))
	}
	sort.Strings(out)
	return out
}

// configHash identifies the configuration of a run in the ledger.
func configHash(cfg Config) string {
	b, _ := json.Marshal(struct {
		Year           int
		Cutoff         string
		City           string
		Districts      []District
		Encoding       map[string]string
		MaxRejectShare float64
		Params         map[string]any
		Calendar       string
	}{cfg.Year, cfg.Cutoff().Format("2006-01-02"), cfg.City, cfg.Districts, cfg.Encoding, cfg.MaxRejectShare, cfg.Params, cfg.Calendar})
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:8])
}

// RunRecord is one row of the ledger, as history and status print it.
type RunRecord struct {
	ID, Status, Trigger, Version, Report, Error string
	Started                                     time.Time
	Finished                                    sql.NullTime
	Year                                        int
	PID                                         int
}

// History returns the last n runs, newest first.
func History(ctx context.Context, cfg Config, n int) ([]RunRecord, error) {
	if err := CheckLock(cfg.DBPath); err != nil {
		return nil, err
	}
	if _, err := os.Stat(cfg.DBPath); err != nil {
		return nil, fmt.Errorf("%w: no database at %s (has bluebook run yet?)", ErrConfig, cfg.DBPath)
	}
	db, err := openDB(ctx, cfg.DBPath, Config{}, true)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	var exists bool
	if err := db.QueryRowContext(ctx, `SELECT count(*) > 0 FROM duckdb_tables() WHERE table_name = 'runs'`).Scan(&exists); err != nil || !exists {
		return nil, err
	}
	rows, err := db.QueryContext(ctx, `SELECT id, status, coalesce(trigger, ''), coalesce(version, ''), coalesce(report, ''),
		coalesce(error, ''), started, finished, coalesce(year, 0), coalesce(pid, 0) FROM runs ORDER BY started DESC LIMIT ?`, n)
	if err != nil {
		return nil, fmt.Errorf("read runs: %w", err)
	}
	defer rows.Close()
	var out []RunRecord
	for rows.Next() {
		var r RunRecord
		if err := rows.Scan(&r.ID, &r.Status, &r.Trigger, &r.Version, &r.Report, &r.Error, &r.Started, &r.Finished, &r.Year, &r.PID); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// StageRecord is one row of stage_runs.
type StageRecord struct {
	Stage, Model, Status, Error string
	Rows                        int64 // -1: a view (no rows of its own)
	DurationMS                  float64
}

// Stages returns the stage rows of one run.
func Stages(ctx context.Context, cfg Config, runID string) ([]StageRecord, error) {
	db, err := openDB(ctx, cfg.DBPath, Config{}, true)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, `SELECT stage, coalesce(model, ''), status, coalesce(error, ''), coalesce(rows, -1), duration_ms
		FROM stage_runs WHERE run_id = ? ORDER BY finished`, runID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []StageRecord
	for rows.Next() {
		var s StageRecord
		if err := rows.Scan(&s.Stage, &s.Model, &s.Status, &s.Error, &s.Rows, &s.DurationMS); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
