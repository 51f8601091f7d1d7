// Package pipeline runs bluebook's stages: ingest the data folder into DuckDB, build the
// analysts' SQL models in dependency order, run the data checks, and render the report.
package pipeline

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"bluebook/pipeline/ingest"
	"bluebook/reports"
)

// Result is what a run did.
type Result struct {
	RunID   string
	Skipped bool // nothing changed since the last successful run
	Ingest  ingest.Result
	Models  []ModelRun
	Checks  []CheckResult
	Report  string // path of index.html
}

// ErrRunFailed marks a failed stage (exit code 1).
var ErrRunFailed = errors.New("run failed")

func newRunID(now time.Time) string {
	b := make([]byte, 3)
	rand.Read(b)
	return now.Format("20060102-150405") + "-" + hex.EncodeToString(b)
}

func (c Config) logger() *slog.Logger {
	if c.Logger != nil {
		return c.Logger
	}
	return slog.New(slog.DiscardHandler)
}

// validate checks what every stage needs before anything starts.
func (c Config) validate(needData bool) error {
	if c.Year < 1990 || c.Year > 2100 {
		return fmt.Errorf("%w: year %d is out of range", ErrConfig, c.Year)
	}
	if c.AsOf.IsZero() {
		return fmt.Errorf("%w: no extraction date (--as-of)", ErrConfig)
	}
	if c.AsOf.Year() < c.Year {
		return fmt.Errorf("%w: the extraction date %s is before edition year %d began", ErrConfig, c.AsOf.Format("2006-01-02"), c.Year)
	}
	if needData {
		st, err := os.Stat(c.DataDir)
		if err != nil || !st.IsDir() {
			return fmt.Errorf("%w: data folder %q does not exist (--data)", ErrConfig, c.DataDir)
		}
	}
	return nil
}

// Run executes every stage: ingest, models, checks, render. It holds the database's lock
// for its whole length, records itself in the run ledger, and does nothing but record a
// skipped run when no input, query, template or setting changed since the last success.
func Run(ctx context.Context, cfg Config) (*Result, error) {
	res, err := run(ctx, cfg)
	AttachSource(cfg, err)
	return res, err
}

// run is Run before the source lines of its errors are attached (AttachSource).
func run(ctx context.Context, cfg Config) (*Result, error) {
	if err := cfg.validate(true); err != nil {
		return nil, err
	}
	// A broken district map fails now, not after the ingest (its districts are matched at render).
	if _, err := loadMap(cfg, nil); err != nil {
		return nil, err
	}
	log := cfg.logger()
	start := time.Now()
	res := &Result{RunID: newRunID(start)}
	if cfg.DBPath != "" {
		lock, err := AcquireLock(cfg.DBPath, LockInfo{PID: os.Getpid(), Started: start, RunID: res.RunID, Command: cfg.trigger()})
		if err != nil {
			return nil, err
		}
		defer lock.Release()
	}
	// One writer per report folder too: two runs with different databases must not
	// publish into one folder at once.
	outLock, err := AcquireOutLock(absPath(cfg.OutDir), LockInfo{PID: os.Getpid(), Started: start, RunID: res.RunID, Command: cfg.trigger()})
	if err != nil {
		return nil, err
	}
	defer outLock.Release()
	if err := recoverSwap(absPath(cfg.OutDir)); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrRunFailed, err)
	}
	db, err := openDB(ctx, cfg.DBPath, cfg, false)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	if err := ensureLedger(ctx, db); err != nil {
		return nil, err
	}
	if err := applyPendingOutcome(ctx, db, cfg.DBPath); err != nil {
		log.Warn("the outcome a previous run left beside the database could not be recorded", "err", err)
	}
	if n, err := markKilled(ctx, db); err != nil {
		return nil, err
	} else if n > 0 {
		log.Warn("previous run did not finish (killed or crashed); its lock was released by the system and is taken over", "runs", n)
	}
	fp, err := fingerprint(cfg)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrRunFailed, err)
	}
	res.Report = filepath.Join(absPath(cfg.OutDir), "index.html")
	if !cfg.Force {
		var last string
		// A database rebuilt by recover holds no models: no earlier success counts.
		err := db.QueryRowContext(ctx, `SELECT fingerprint FROM runs WHERE status IN (?, ?) ORDER BY started DESC LIMIT 1`, StatusSuccess, StatusRecovered).Scan(&last)
		_, statErr := os.Stat(res.Report)
		if statErr == nil && cfg.SingleFile != "" {
			_, statErr = os.Stat(cfg.SingleFile)
		}
		if err == nil && last == fp && statErr == nil {
			res.Skipped = true
			_, err := db.ExecContext(ctx, `INSERT INTO runs (id, started, finished, status, trigger, version, config_hash, fingerprint, year, as_of, pid, report)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, res.RunID, start, time.Now(), StatusSkipped, cfg.trigger(), cfg.Version,
				configHash(cfg), fp, cfg.Year, cfg.AsOf, os.Getpid(), res.Report)
			if err != nil {
				return res, fmt.Errorf("record skipped run: %w", err)
			}
			log.Info("nothing changed since the last successful run; skipped", "run", res.RunID, "duration", time.Since(start).Round(time.Millisecond), "report", res.Report)
			return res, nil
		}
	}
	// The run reads its queries and chapters from a copy stored for it; editions publish that copy.
	if cfg, err = freezeProject(ctx, db, cfg, res.RunID); err != nil {
		return res, fmt.Errorf("%w: %w", ErrRunFailed, err)
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO runs (id, started, status, trigger, version, config_hash, fingerprint, year, as_of, pid)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, res.RunID, start, StatusRunning, cfg.trigger(), cfg.Version, configHash(cfg), fp, cfg.Year, cfg.AsOf, os.Getpid()); err != nil {
		return res, fmt.Errorf("record run: %w", err)
	}
	// Room for the outcome, taken now: a run that fills the disk can still say so.
	outcome, err := reserveOutcome(cfg.DBPath)
	if err != nil {
		return res, fmt.Errorf("%w: %w", ErrRunFailed, err)
	}
	runErr := runStages(ctx, db, cfg, res)
	status := StatusSuccess
	msg := ""
	switch {
	case runErr != nil && ctx.Err() != nil:
		// Stopped by SIGTERM or SIGINT: record it before exiting.
		status, msg = StatusInterrupted, "stopped by a signal before it finished"
		res.Report = ""
		runErr = fmt.Errorf("%w: stopped by a signal before it finished; recorded in the ledger as %s", ErrInterrupted, StatusInterrupted)
	case errors.Is(runErr, ErrCheckFailed):
		status, msg = StatusCheckFailed, runErr.Error()
	case runErr != nil:
		status, msg = StatusFailed, runErr.Error()
		res.Report = ""
	}
	// The ledger is written even when the run's context was cancelled by a signal.
	wctx := context.WithoutCancel(ctx)
	var inputs string
	db.QueryRowContext(wctx, `SELECT coalesce(to_json(list({'source': source, 'file': file, 'sha256': sha256} ORDER BY source, file))::VARCHAR, '[]') FROM ingest_files`).Scan(&inputs)
	if _, err := db.ExecContext(wctx, `UPDATE runs SET finished = ?, status = ?, error = ?, input_files = ?, report = ? WHERE id = ?`,
		time.Now(), status, msg, inputs, res.Report, res.RunID); err != nil {
		// The database cannot take the outcome (a full disk, an invalidated database): keep
		// it in a small file beside the database, which the next run writes to the ledger.
		if perr := outcome.write(pendingOutcome{RunID: res.RunID, Status: status, Error: msg, Finished: time.Now()}); perr != nil {
			log.Error("the run's outcome could not be recorded", "run", res.RunID, "status", status, "err", err, "file_err", perr)
		}
		if runErr == nil {
			runErr = fmt.Errorf("record run: %w", err)
		}
		outcome.close()
	} else {
		outcome.discard()
	}
	if runErr == nil {
		log.Info("run done", "run", res.RunID, "duration", time.Since(start).Round(time.Millisecond), "report", res.Report)
	}
	return res, runErr
}

func (c Config) hook(point string) {
	if c.Hook != nil {
		c.Hook(point)
	}
}

func (c Config) trigger() string {
	if c.Trigger == "" {
		return "run"
	}
	return c.Trigger
}

// runStages runs ingest, models, checks and render, recording each in stage_runs.
func runStages(ctx context.Context, db *sql.DB, cfg Config, res *Result) error {
	log := cfg.logger()
	var err error
	// Stage 1: ingest.
	t0 := time.Now()
	landing := ""
	if cfg.Landing && cfg.DBPath != "" {
		landing = strings.TrimSuffix(cfg.DBPath, ".duckdb") + ".landing"
	}
	var districts []ingest.District
	for _, d := range cfg.Districts {
		districts = append(districts, ingest.District{Code: d.Code, Name: d.Name})
	}
	res.Ingest, err = ingest.Run(ctx, db, ingest.Options{
		DataDir: cfg.DataDir, AsOf: cfg.AsOf, Districts: districts, Encoding: cfg.Encoding,
		MaxRejectShare: cfg.MaxRejectShare, LandingDir: landing, Force: cfg.Force, Logger: log, Limits: cfg.Limits,
		Progress: func(source string, done, total int64) {
			cfg.hook("ingest:" + source)
			if cfg.Progress != nil {
				cfg.Progress(source, done, total)
			}
		},
	})
	if err != nil {
		recordStage(ctx, db, res.RunID, "ingest", "", 0, time.Since(t0), err)
		return fmt.Errorf("%w: ingest: %w", ErrRunFailed, err)
	}
	var loaded, rejected int64
	for _, s := range res.Ingest.Sources {
		loaded += s.RowsLoaded
		rejected += s.RowsRejected
		recordStage(ctx, db, res.RunID, "ingest", s.Name, s.RowsLoaded, s.Elapsed, nil)
	}
	recordStage(ctx, db, res.RunID, "ingest", "", loaded, time.Since(t0), nil)
	if landing != "" {
		// Which landing copy is which file, for `bluebook recover`.
		if err := writeLandingManifest(ctx, db, cfg, landing); err != nil {
			return fmt.Errorf("%w: ingest: %w", ErrRunFailed, err)
		}
	}
	log.Info("stage done", "stage", "ingest", "duration", time.Since(t0).Round(time.Millisecond), "rows", loaded, "rejected", rejected)

	// Stage 2: models.
	t0 = time.Now()
	err = sandbox(ctx, db, cfg) // from here on, analyst SQL: no files, settings locked
	var proj *Project
	if err == nil {
		proj, err = prepareModels(ctx, db, cfg)
	}
	if err == nil {
		err = checkCalendar(ctx, db, cfg)
	}
	log.Debug("models: prepared", "elapsed", time.Since(t0))
	if err == nil {
		if t := proj.appealText; t.Unchanged {
			log.Info("appeal text: no appeal text, lexicon entry or parameter changed; step skipped", "texts", t.Texts, "by", t.By, "elapsed", t.Elapsed.Round(time.Millisecond))
		} else if t.By != "" {
			log.Info("appeal text: step done", "texts", t.Texts, "computed", t.Computed, "phrases_recomputed", t.Phrases, "elapsed", t.Elapsed.Round(time.Millisecond))
		}
	}
	var keys map[string]string
	if err == nil && !cfg.Force {
		// Tables made from the same inputs as in the run before are kept (inputs.go).
		keys, err = modelInputKeys(ctx, db, proj, cfg)
	}
	if err == nil {
		res.Models, err = buildModelsReusing(ctx, db, proj.Models, cfg.hook, keys)
		reused := 0
		for _, m := range res.Models {
			if m.Reused {
				reused++
				recordStageStatus(ctx, db, res.RunID, "models", m.Name, m.Rows, m.Duration, "reused", "")
				continue
			}
			recordStage(ctx, db, res.RunID, "models", m.Name, m.Rows, m.Duration, m.Err)
		}
		if reused > 0 {
			log.Info("models: tables kept, their inputs unchanged", "reused", reused, "of", len(res.Models))
		}
	}
	if err != nil {
		recordStage(ctx, db, res.RunID, "models", "", 0, time.Since(t0), err)
		return fmt.Errorf("%w: models: %w", ErrRunFailed, err)
	}
	var rows int64
	for _, m := range res.Models {
		rows += max(m.Rows, 0)
	}
	recordStage(ctx, db, res.RunID, "models", "", rows, time.Since(t0), nil)
	log.Info("stage done", "stage", "models", "duration", time.Since(t0).Round(time.Millisecond), "models", len(res.Models), "rows", rows)

	// Stage 3: checks.
	t0 = time.Now()
	res.Checks, err = runChecks(ctx, db, proj, res.RunID, keys)
	if err != nil {
		recordStage(ctx, db, res.RunID, "checks", "", 0, time.Since(t0), err)
		return fmt.Errorf("%w: checks: %w", ErrRunFailed, err)
	}
	failed, kept := 0, 0
	for _, c := range res.Checks {
		if c.Kept {
			kept++
		}
		if c.Status != "pass" && c.Severity == "error" {
			failed++
			log.Error("check failed", "check", c.Name, "path", c.Path, "line", c.Line, "message", c.Message)
		} else if c.Status != "pass" {
			log.Warn("check failed", "check", c.Name, "severity", c.Severity, "message", c.Message)
		}
	}
	recordStage(ctx, db, res.RunID, "checks", "", int64(len(res.Checks)), time.Since(t0), nil)
	log.Info("stage done", "stage", "checks", "duration", time.Since(t0).Round(time.Millisecond), "checks", len(res.Checks), "kept", kept, "failed", failed)

	// Stage 4: render.
	t0 = time.Now()
	err = render(ctx, db, cfg, proj, res)
	recordStage(ctx, db, res.RunID, "render", "", 0, time.Since(t0), err)
	if err != nil {
		return fmt.Errorf("%w: render: %w", ErrRunFailed, err)
	}
	log.Info("stage done", "stage", "render", "duration", time.Since(t0).Round(time.Millisecond))
	if failed > 0 {
		return fmt.Errorf("%w: %d data checks of severity error failed (see the quality appendix)", ErrCheckFailed, failed)
	}
	return nil
}

// loadMap reads the data folder's district map (map/districts.geojson), nil when there
// is none; districts are those its features must match (nil: check the file's
// structure only, as Run does before it ingests anything).
func loadMap(cfg Config, districts []reports.MapDistrict) (*reports.DistrictMap, error) {
	p := filepath.Join(cfg.DataDir, filepath.FromSlash(reports.MapFile))
	if _, err := os.Stat(p); errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	m, err := reports.LoadDistrictMap(p, cfg.MapMaxBytes, districts)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrConfig, err)
	}
	m.Approval = cfg.MapApproval
	if districts != nil && m.Approval == "" && !cfg.Demo {
		cfg.logger().Warn("the district map has no approval number (map_approval in bluebook.toml); the report prints it as a sketch map", "map", p)
	}
	return m, nil
}

// render loads the templates and writes the report.
func render(ctx context.Context, db *sql.DB, cfg Config, proj *Project, res *Result) error {
	book, err := reports.Load(cfg.Reports)
	if err != nil {
		return fmt.Errorf("report templates: %w", chapterErrors(err, cfg.ReportsDir))
	}
	meta, err := reportMeta(ctx, db, cfg, res)
	if err != nil {
		return err
	}
	if _, err := attachPublished(ctx, db, cfg, proj); err != nil {
		return err
	}
	return renderReport(ctx, db, cfg, book, meta)
}

// openProject opens the database at path (closed again on failure) and prepares the
// project's models on it (see prepareModels).
func openProject(ctx context.Context, path string, cfg Config) (*sql.DB, *Project, error) {
	db, err := openDB(ctx, path, cfg, false)
	if err != nil {
		return nil, nil, err
	}
	proj, err := prepareModels(ctx, db, cfg)
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	return db, proj, nil
}

// prepareModels loads the reference tables, the project's seeds and models, sets the run's
// variables and resolves the models' dependencies.
func prepareModels(ctx context.Context, db *sql.DB, cfg Config) (*Project, error) {
	// A database last ingested by an older bluebook lacks the columns the contract has since
	// gained; say so once, instead of a binding error in each model that reads one.
	missing, err := ingest.MissingColumns(ctx, db)
	if err != nil {
		return nil, err
	}
	if len(missing) > 0 {
		more := ""
		if len(missing) > 5 {
			missing, more = missing[:5], fmt.Sprintf(" and %d more", len(missing)-5)
		}
		return nil, fmt.Errorf("the database was ingested by an older bluebook: it lacks %s%s of the source contract (docs/sources.md); run `bluebook run` once, which reads the sources again", strings.Join(missing, ", "), more)
	}
	if err := loadReference(ctx, db, cfg); err != nil {
		return nil, err
	}
	proj, err := LoadProject(cfg.Queries, cfg.QueriesDir)
	if err != nil {
		return nil, err
	}
	if err := loadSeeds(ctx, db, proj); err != nil {
		return nil, err
	}
	// The appeal text analysis's Go step: its tables, which the text models read, exist
	// (empty without data) before the models are resolved, and are brought up to date once
	// they are, with the dependencies of appeal_text_docs known (textmatch.go).
	if err := createAppealTextTables(ctx, db); err != nil {
		return nil, err
	}
	// The run's record of its checks exists (empty on a new database) before the models are
	// resolved: the quality appendix's views (report_quality_checks…) read it when the
	// chapter is rendered, after the checks ran.
	if err := ensureCheckResults(ctx, db); err != nil {
		return nil, err
	}
	known, err := existingTables(ctx, db, proj)
	if err != nil {
		return nil, err
	}
	rerr := proj.Resolve(ctx, db, known)
	if proj.appealText, err = prepareAppealText(ctx, db, proj, cfg); err != nil {
		return nil, err
	}
	if rerr != nil {
		return proj, rerr // the project, for check to go on binding what resolved
	}
	return proj, nil
}

// existingTables lists the tables and views in the database that are not models: source
// tables, reference tables, seeds and the pipeline's own tables.
func existingTables(ctx context.Context, db *sql.DB, p *Project) (map[string]bool, error) {
	rows, err := db.QueryContext(ctx, `SELECT schema_name, table_name FROM duckdb_tables() WHERE NOT internal
		UNION ALL SELECT schema_name, view_name FROM duckdb_views() WHERE NOT internal`)
	if err != nil {
		return nil, fmt.Errorf("list tables: %w", err)
	}
	defer rows.Close()
	known := map[string]bool{}
	for rows.Next() {
		var schema, name string
		if err := rows.Scan(&schema, &name); err != nil {
			return nil, err
		}
		name = strings.ToLower(name)
		if schema != "main" {
			known[strings.ToLower(schema)+"."+name] = true
			continue
		}
		if p.Model(name) == nil {
			known[name] = true
		}
	}
	return known, rows.Err()
}

// checkCalendar fails the run when the working-day calendar does not cover a year the
// appeals need: deadlines are never guessed. A year is covered when its State Council
// notice is present, which always gives 1 January as an official day off.
func checkCalendar(ctx context.Context, db *sql.DB, cfg Config) error {
	rows, err := db.QueryContext(ctx, `SELECT DISTINCT CAST(year(date) AS INTEGER) FROM ref_holidays
		WHERE kind = 'off' AND month(date) = 1 AND day(date) = 1`)
	if err != nil {
		return fmt.Errorf("read calendar: %w", err)
	}
	covered := map[int]bool{}
	for rows.Next() {
		var y int
		if err := rows.Scan(&y); err != nil {
			rows.Close()
			return err
		}
		covered[y] = true
	}
	rows.Close()
	var lo, hi sql.NullTime
	if err := db.QueryRowContext(ctx, `SELECT min(submitted_at), max(submitted_at) FROM appeals`).Scan(&lo, &hi); err != nil {
		return fmt.Errorf("read appeal dates: %w", err)
	}
	file := "data/cn_holidays.csv (or the file named by calendar = in bluebook.toml)"
	if cfg.Calendar != "" {
		file = cfg.Calendar
	}
	need := func(y int, why string) error {
		if !covered[y] {
			return fmt.Errorf("%w: the working-day calendar has no official holidays for %d (%s); add the State Council's %d holiday notice to %s", ErrRunFailed, y, why, y, file)
		}
		return nil
	}
	if lo.Valid {
		// A deadline falls at most about five weeks after submission.
		last := hi.Time.AddDate(0, 0, 40).Year()
		for y := lo.Time.Year(); y <= last; y++ {
			why := "appeals submitted in " + strconv.Itoa(y)
			if y > hi.Time.Year() {
				why = "deadlines of appeals submitted up to " + hi.Time.Format("2006-01-02")
			}
			if err := need(y, why); err != nil {
				return err
			}
		}
	}
	return need(cfg.Cutoff().Year(), "the cut-off date")
}

// reportMeta gathers what the cover says about the run and its sources.
func reportMeta(ctx context.Context, db *sql.DB, cfg Config, res *Result) (reports.Meta, error) {
	m := reports.Meta{
		City: cfg.City, Year: cfg.Year, Cutoff: cfg.Cutoff(), AsOf: cfg.AsOf,
		InProgress: cfg.Cutoff().Before(time.Date(cfg.Year, 12, 31, 0, 0, 0, 0, time.UTC)),
		Demo:       cfg.Demo, RunID: res.RunID, BuiltAt: time.Now(), Version: cfg.Version,
		Palette: map[string]string{},
		Preface: cfg.Book.PrefaceParagraphs(),
	}
	for _, r := range cfg.Book.Committee {
		m.Committee = append(m.Committee, reports.CommitteeRole{Role: r.Role, Names: r.Names})
	}
	contract := map[string]ingest.Source{}
	for _, s := range ingest.Sources() {
		contract[s.Name] = s
	}
	rows, err := db.QueryContext(ctx, `SELECT source, count(*), sum(rows_loaded), sum(rows_rejected) FROM ingest_files GROUP BY source ORDER BY source`)
	if err != nil {
		return m, fmt.Errorf("read ingest_files: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var s reports.Source
		if err := rows.Scan(&s.Name, &s.Files, &s.Rows, &s.Rejected); err != nil {
			return m, err
		}
		s.Label, s.Order = contract[s.Name].Title, contract[s.Name].Order
		m.Sources = append(m.Sources, s)
	}
	if err := rows.Err(); err != nil {
		return m, err
	}
	// A district keeps its colour in every chart: colours follow the district order.
	palette := []string{"#1f3a68", "#c23531", "#2f8f5b", "#d48265", "#6a4c93", "#e0a526", "#3a8fb7", "#7f7f7f", "#a0522d", "#5b8c00"}
	drows, err := db.QueryContext(ctx, `SELECT district_code, name FROM districts ORDER BY district_code`)
	if err != nil {
		return m, fmt.Errorf("read districts: %w", err)
	}
	defer drows.Close()
	var districts []reports.MapDistrict
	for drows.Next() {
		var d reports.MapDistrict
		if err := drows.Scan(&d.Code, &d.Name); err != nil {
			return m, err
		}
		m.Palette[d.Name] = palette[len(districts)%len(palette)]
		districts = append(districts, d)
	}
	if err := drows.Err(); err != nil {
		return m, err
	}
	if m.Map, err = loadMap(cfg, districts); err != nil {
		return m, err
	}
	m.Palette["其他"] = "#9e9e9e" // entities outside the configured districts
	m.Palette["未知"] = "#bdbdbd"
	return m, nil
}
