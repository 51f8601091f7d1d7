package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"bluebook/data/demo"
	"bluebook/diag"
	"bluebook/pipeline"
	"bluebook/queries"
	"bluebook/reports"
)

// Exit codes (documented in README.md).
const (
	exitOK        = 0
	exitFailed    = 1 // a run or a command failed
	exitUsage     = 2 // usage or configuration error
	exitCheck     = 3 // a data check of severity error failed
	exitLocked    = 4 // another run holds the database
	demoAsOf      = "2026-10-31"
	defaultScale  = 20000
	defaultSeed   = 1
	dateLayout    = "2006-01-02"
	projectConfig = "bluebook.toml"
)

// command is one subcommand: its flags are registered on fs, then run is called.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, env *env, args []string) error
}

// env carries the writers and the common flags of a call.
type env struct {
	stdout, stderr io.Writer
	logger         *slog.Logger
	hook           func(point string) // test instrumentation only; nil in production
}

func commands() []command {
	return []command{
		{"demo", "generate demo data (unless present), run every stage, print the report's path", cmdDemo},
		{"run", "run every stage on real data: ingest, models, checks, render", cmdRun},
		{"generate", "write demo data only", cmdGenerate},
		{"query", "run one SQL statement against the database and print the result", cmdQuery},
		{"check", "parse and bind every query without data; print every error as path:line:col", cmdCheck},
		{"build", "build models (--select name, name+, +name, +name+, comma lists)", cmdBuild},
		{"test", "run the data checks (--select as build); print a summary and the first offending rows of each failed check", cmdTest},
		{"show", "print a model's rows (--where COND, --limit N)", cmdShow},
		{"lineage", "print the dependency graph of sources, seeds, models, checks and chapters (--select as build)", cmdLineage},
		{"publish", "freeze the edition of --year into editions/ (never overwritten; --revision for a new revision)", cmdPublish},
		{"schedule", "run the nightly job in-process on a cron schedule (for hosts without cron)", cmdSchedule},
		{"serve", "serve the report with live reload while you edit queries/ and reports/chapters/", cmdServe},
		{"monitor", "render the quarterly monitoring report (运行监测) from the database a run left (read-only)", cmdMonitor},
		{"pdf", "print a report to PDF through headless Chromium", cmdPDF},
		{"bench", "measure every stage at a scale against bare DuckDB (see BENCHMARKS.md)", cmdBench},
		{"history", "print the run ledger (--last N)", cmdHistory},
		{"status", "say whether a run holds the database and how the last runs went", cmdStatus},
		{"init", "write the shipped queries/, reports/chapters/ and bluebook.toml into a project folder", cmdInit},
		{"recover", "rebuild a database that cannot be opened (damaged files are moved aside, never deleted)", cmdRecover},
		{"version", "print the version", cmdVersion},
	}
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "bluebook builds a city's annual private-economy blue book (民营经济发展蓝皮书).")
	fmt.Fprintln(w, "\nUsage: bluebook <command> [flags]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nEvery command takes --project DIR and --help. Exit codes: 0 success, 1 a run or command failed, 2 usage or configuration error, 3 a data check of severity error failed, 4 the database is held by another run.")
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return runEnv(ctx, &env{stdout: stdout, stderr: stderr}, args)
}

func runEnv(ctx context.Context, e *env, args []string) int {
	stdout, stderr := e.stdout, e.stderr
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stdout)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		err := c.run(ctx, e, args[1:])
		writePeak() // for bench, which started this process
		return report(stderr, err)
	}
	fmt.Fprintf(stderr, "bluebook: unknown command %q\n\n", args[0])
	usage(stderr)
	return exitUsage
}

// report prints err and maps it to an exit code.
func report(w io.Writer, err error) int {
	if err == nil {
		return exitOK
	}
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	err = pipeline.Advise(err)
	var ue usageError
	switch {
	case errors.As(err, &ue):
		fmt.Fprintf(w, "bluebook: %v\n", err)
		return exitUsage
	case errors.Is(err, pipeline.ErrLocked):
		fmt.Fprintf(w, "bluebook: %v\n", err)
		return exitLocked
	case errors.Is(err, pipeline.ErrCheckFailed):
		fmt.Fprintf(w, "bluebook: %v\n", err)
		return exitCheck
	case errors.Is(err, pipeline.ErrConfig):
		fmt.Fprintf(w, "bluebook: %v\n", err)
		return exitUsage
	}
	// Mistakes in analysts' files print as path:line:col: message, with nothing before
	// the path (so that editors jump to the place), then an exact count.
	if diags, ok := pipeline.Diagnostics(err); ok {
		printDiagnostics(w, diags)
		fmt.Fprintln(w, diag.Count(len(diags), "error"))
		return exitFailed
	}
	// Wrapped (run failed: models: …): the places first, then what failed.
	if diags, context, ok := pipeline.WrappedDiagnostics(err); ok {
		printDiagnostics(w, diags)
		fmt.Fprintf(w, "bluebook: %s (%s)\n", context, diag.Count(len(diags), "error"))
		return exitFailed
	}
	var list pipeline.ErrorList
	if errors.As(err, &list) {
		for _, e := range list {
			fmt.Fprintln(w, e)
		}
		fmt.Fprintf(w, "bluebook: %s\n", diag.Count(len(list), "error"))
		return exitFailed
	}
	fmt.Fprintf(w, "bluebook: %v\n", err)
	return exitFailed
}

// printDiagnostics prints each mistake as path:line:col: message, then (where the file's
// line is known) that line and a caret under the column.
func printDiagnostics(w io.Writer, diags []error) {
	for _, d := range diags {
		fmt.Fprintln(w, d)
		var fe *diag.Error
		if errors.As(d, &fe) {
			if x := pipeline.Excerpt(fe); x != "" {
				fmt.Fprintln(w, x)
			}
		}
	}
}

type usageError struct{ msg string }

func (u usageError) Error() string { return u.msg }

// common are the flags every command shares.
type common struct {
	project   string
	config    string
	logFormat string
	quiet     bool
	verbose   bool
}

func newFlags(e *env, name, synopsis string) (*flag.FlagSet, *common) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	c := &common{}
	fs.StringVar(&c.project, "project", ".", "project folder holding queries/, reports/ and bluebook.toml")
	fs.StringVar(&c.config, "config", "", "configuration file (default: PROJECT/bluebook.toml when present)")
	fs.StringVar(&c.logFormat, "log-format", "text", "log format: text or json")
	fs.BoolVar(&c.quiet, "quiet", false, "log warnings and errors only")
	fs.BoolVar(&c.verbose, "verbose", false, "log details too (timings inside stages)")
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "Usage: bluebook %s\n\nFlags:\n", synopsis)
		fs.PrintDefaults()
	}
	return fs, c
}

// parse parses the command line, then builds the pipeline configuration.
func (c *common) parse(e *env, fs *flag.FlagSet, args []string) (pipeline.Config, error) {
	if err := parse(fs, args); err != nil {
		return pipeline.Config{}, err
	}
	return c.pipelineConfig(e)
}

func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err.Error()}
	}
	return nil
}

// config builds the pipeline configuration from the common flags and bluebook.toml.
func (c *common) pipelineConfig(e *env) (pipeline.Config, error) {
	level := slog.LevelInfo
	if c.quiet {
		level = slog.LevelWarn
	}
	if c.verbose {
		level = slog.LevelDebug
	}
	opts := &slog.HandlerOptions{Level: level}
	switch c.logFormat {
	case "json":
		e.logger = slog.New(slog.NewJSONHandler(e.stderr, opts))
	case "text", "":
		e.logger = slog.New(slog.NewTextHandler(e.stderr, opts))
	default:
		return pipeline.Config{}, usageError{"--log-format must be text or json"}
	}
	path, optional := c.config, false
	if path == "" {
		path, optional = filepath.Join(c.project, projectConfig), true
	}
	fc, err := pipeline.ReadFileConfig(path, optional)
	if err != nil {
		return pipeline.Config{}, err
	}
	cfg := pipeline.Config{
		ProjectDir:     c.project,
		ConfigFile:     path,
		DataDir:        fc.Data,
		DBPath:         fc.DB,
		OutDir:         fc.Out,
		SingleFile:     fc.SingleFile,
		Year:           fc.Year,
		City:           fc.City,
		Districts:      fc.Districts,
		Encoding:       fc.Encoding,
		MaxRejectShare: pipeline.DefaultMaxRejectShare,
		Landing:        true,
		Calendar:       fc.Calendar,
		Params:         fc.Params,
		MemoryLimit:    fc.MemoryLimit,
		Threads:        fc.Threads,
		Limits:         fc.Limits,
		Book:           fc.Book,
		MapApproval:    fc.MapApproval,
		MapMaxBytes:    fc.MapMaxBytes,
		Version:        buildVersion(),
		Hook:           e.hook,
		Logger:         e.logger,
	}
	if fc.MaxRejectShare != nil {
		cfg.MaxRejectShare = *fc.MaxRejectShare
	}
	if fc.Landing != nil {
		cfg.Landing = *fc.Landing
	}
	if cfg.City == "" {
		cfg.City = "本市"
	}
	cfg.Queries, cfg.QueriesDir = projectFS(c.project, "queries", "queries", queries.FS())
	cfg.Reports, cfg.ReportsDir = projectFS(c.project, "reports", "reports/chapters", reports.DefaultFS())
	return cfg, nil
}

// projectFS returns the project's folder sub when it has marker inside, else the
// embedded defaults.
func projectFS(project, sub, marker string, fallback fs.FS) (fs.FS, string) {
	if st, err := os.Stat(filepath.Join(project, marker)); err == nil && st.IsDir() {
		return os.DirFS(filepath.Join(project, sub)), sub // messages give paths relative to the project
	}
	return fallback, "(built-in " + sub + ")"
}

func parseDate(flagName, s string) (time.Time, error) {
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return t, usageError{fmt.Sprintf("--%s %q: use YYYY-MM-DD", flagName, s)}
	}
	return t, nil
}

// stageFlags are the flags of commands that build the edition.
type stageFlags struct {
	year           int
	asOf           string
	maxRejectShare *float64 // nil: not given
	force          bool
	noLanding      bool
}

func (s *stageFlags) register(fs *flag.FlagSet) {
	fs.IntVar(&s.year, "year", 0, "edition year Y (default: the last finished year before --as-of)")
	fs.StringVar(&s.asOf, "as-of", "", "extraction date E, YYYY-MM-DD (default: today)")
	fs.Func("max-reject-share", "fail when a source's rejected share passes this, 0 to 1; 0 allows no rejected row (default 0.05, or max_reject_share in bluebook.toml)", func(v string) error {
		x, err := strconv.ParseFloat(v, 64)
		if err != nil || !(x >= 0 && x <= 1) {
			return errors.New("must be a number from 0 to 1")
		}
		s.maxRejectShare = &x
		return nil
	})
	fs.BoolVar(&s.force, "force", false, "re-read every input even when unchanged")
	fs.BoolVar(&s.noLanding, "no-landing", false, "do not keep a copy of each input file beside the database")
}

// registerDates registers --year and --as-of only: what a command that reads no data
// (check) or only the database (build, test) needs to set getvariable('year') and the dates.
func (s *stageFlags) registerDates(fs *flag.FlagSet) {
	fs.IntVar(&s.year, "year", 0, "edition year Y (default: the last finished year before --as-of)")
	fs.StringVar(&s.asOf, "as-of", "", "extraction date E, YYYY-MM-DD (default: today)")
}

func (s *stageFlags) apply(cfg *pipeline.Config, defaultAsOf string) error {
	asOf := s.asOf
	if asOf == "" {
		asOf = defaultAsOf
	}
	if asOf == "" {
		cfg.AsOf = time.Now().UTC().Truncate(24 * time.Hour)
	} else {
		t, err := parseDate("as-of", asOf)
		if err != nil {
			return err
		}
		cfg.AsOf = t
	}
	if s.year != 0 {
		cfg.Year = s.year
	}
	if cfg.Year == 0 {
		cfg.Year = pipeline.LastFinishedYear(cfg.AsOf)
	}
	if s.maxRejectShare != nil {
		cfg.MaxRejectShare = *s.maxRejectShare
	}
	cfg.Force = s.force
	if s.noLanding {
		cfg.Landing = false
	}
	return nil
}

// runFlags are the flags of the commands that run every stage (run, schedule).
type runFlags struct {
	stageFlags
	data, db, out, singleFile string
}

func (r *runFlags) register(fs *flag.FlagSet) {
	r.stageFlags.register(fs)
	fs.StringVar(&r.data, "data", "", "input data folder: one sub-folder per source (registry/, appeals/, ...)")
	fs.StringVar(&r.db, "db", "", "DuckDB database file")
	fs.StringVar(&r.out, "out", "", "report folder")
	fs.StringVar(&r.singleFile, "single-file", "", "also write the whole report as one self-contained HTML file here")
}

func (r *runFlags) apply(cfg *pipeline.Config, command string) error {
	if r.data != "" {
		cfg.DataDir = r.data
	}
	if r.db != "" {
		cfg.DBPath = r.db
	}
	if r.out != "" {
		cfg.OutDir = r.out
	}
	if r.singleFile != "" {
		cfg.SingleFile = r.singleFile
	}
	var missing []string
	for name, v := range map[string]string{"--data": cfg.DataDir, "--db": cfg.DBPath, "--out": cfg.OutDir} {
		if v == "" {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return usageError{command + " needs " + strings.Join(missing, ", ") + " (or data/db/out in bluebook.toml)"}
	}
	if st, err := os.Stat(cfg.DataDir); err != nil || !st.IsDir() {
		return usageError{fmt.Sprintf("--data %s: no such folder", cfg.DataDir)}
	}
	if err := dbFolder(cfg.DBPath, r.db != ""); err != nil {
		return err
	}
	return r.stageFlags.apply(cfg, "")
}

func cmdRun(ctx context.Context, e *env, args []string) error {
	fs, c := newFlags(e, "run", "run --data DIR --db FILE --out DIR [--year Y] [--as-of DATE] [--config FILE]")
	var rf runFlags
	rf.register(fs)
	cfg, err := c.parse(e, fs, args)
	if err != nil {
		return err
	}
	if err := rf.apply(&cfg, "run"); err != nil {
		return err
	}
	cfg.Trigger = "run"
	bar := newProgressBar(e.stderr)
	cfg.Progress = func(source string, done, total int64) { bar.update("ingest "+source, done, total) }
	res, err := pipeline.Run(ctx, cfg)
	bar.done()
	if res != nil && res.Report != "" {
		fmt.Fprintln(e.stdout, res.Report)
	}
	return err
}

func cmdDemo(ctx context.Context, e *env, args []string) error {
	fs, c := newFlags(e, "demo", "demo [--dir DIR] [--scale N] [--no-anomalies]")
	dir := fs.String("dir", "demo", "folder for the demo: DIR/data, DIR/bluebook.duckdb, DIR/site")
	scale := fs.Int("scale", defaultScale, "registry rows to generate (other sources in proportion)")
	seed := fs.Uint64("seed", defaultSeed, "random seed of the generator")
	force := fs.Bool("force", false, "rebuild even when nothing changed")
	noAnomalies := fs.Bool("no-anomalies", false, "generate the demo data without the anomalies planted for the monitoring")
	cfg, err := c.parse(e, fs, args)
	if err != nil {
		return err
	}
	cfg.Force = *force
	dataDir := filepath.Join(*dir, "data")
	asOf, _ := time.Parse(dateLayout, demoAsOf)
	if _, err := os.Stat(dataDir); err != nil {
		e.logger.Info("generating demo data", "dir", dataDir, "scale", *scale, "seed", *seed)
		bar := newProgressBar(e.stderr)
		_, err := demo.Generate(ctx, demo.Options{Dir: dataDir, Scale: *scale, Seed: *seed, AsOf: asOf, NoAnomalies: *noAnomalies,
			Progress: func(done, total int64) { bar.update("generate", done, total) }})
		bar.done()
		if err != nil {
			return fmt.Errorf("generate demo data: %w", err)
		}
	} else {
		e.logger.Info("using existing demo data", "dir", dataDir)
	}
	cfg.DataDir = dataDir
	cfg.DBPath = filepath.Join(*dir, "bluebook.duckdb")
	cfg.OutDir = filepath.Join(*dir, "site")
	cfg.SingleFile = filepath.Join(*dir, "bluebook.html")
	cfg.AsOf = asOf
	cfg.Year = pipeline.LastFinishedYear(asOf)
	cfg.City = demo.City
	cfg.Demo = true
	cfg.Trigger = "demo"
	bar := newProgressBar(e.stderr)
	cfg.Progress = func(source string, done, total int64) { bar.update("ingest "+source, done, total) }
	defer bar.done()
	cfg.Districts = nil
	for _, d := range demo.Districts() {
		cfg.Districts = append(cfg.Districts, pipeline.District{Code: d.Code, Name: d.Name})
	}
	res, err := pipeline.Run(ctx, cfg)
	if res != nil && res.Report != "" {
		fmt.Fprintln(e.stdout, res.Report)
	}
	return err
}

func cmdGenerate(ctx context.Context, e *env, args []string) error {
	fs, _ := newFlags(e, "generate", "generate --out DIR [--scale N] [--seed S] [--as-of DATE] [--no-anomalies]")
	out := fs.String("out", "", "output folder")
	scale := fs.Int("scale", defaultScale, "registry rows (other sources in proportion)")
	seed := fs.Uint64("seed", defaultSeed, "random seed; the same seed gives the same bytes")
	asOfS := fs.String("as-of", demoAsOf, "extraction date of the generated data")
	noAnomalies := fs.Bool("no-anomalies", false, "leave out the anomalies planted for the monitoring (listed in planted.csv)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return usageError{"generate needs --out DIR"}
	}
	if *scale < 1 {
		return usageError{"--scale must be at least 1"}
	}
	asOf, err := parseDate("as-of", *asOfS)
	if err != nil {
		return err
	}
	bar := newProgressBar(e.stderr)
	sum, err := demo.Generate(ctx, demo.Options{Dir: *out, Scale: *scale, Seed: *seed, AsOf: asOf, NoAnomalies: *noAnomalies,
		Progress: func(done, total int64) { bar.update("generate", done, total) }})
	bar.done()
	if err != nil {
		return err
	}
	names := make([]string, 0, len(sum.Rows))
	for k := range sum.Rows {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		fmt.Fprintf(e.stdout, "%-20s %d rows\n", k, sum.Rows[k])
	}
	return nil
}

func cmdQuery(ctx context.Context, e *env, args []string) error {
	fs, c := newFlags(e, "query", `query --db FILE [--format table|csv|json] "SQL"`)
	dbPath := fs.String("db", "", "DuckDB database file")
	format := fs.String("format", "table", "output format: table, csv or json")
	year := fs.Int("year", 0, "edition year for getvariable('year') (default: the last finished year)")
	cfg, err := c.parse(e, fs, args)
	if err != nil {
		return err
	}
	if err := dbFlag(&cfg, *dbPath, "query"); err != nil {
		return err
	}
	if _, err := os.Stat(cfg.DBPath); err != nil {
		return usageError{fmt.Sprintf("--db %s: no such database file", cfg.DBPath)}
	}
	if fs.NArg() != 1 {
		return usageError{`query takes exactly one SQL argument, e.g. bluebook query --db demo/bluebook.duckdb "SELECT * FROM market_summary"`}
	}
	cfg.AsOf = time.Now().UTC()
	if *year != 0 {
		cfg.Year = *year
	} else if cfg.Year == 0 {
		cfg.Year = pipeline.LastFinishedYear(cfg.AsOf)
	}
	return pipeline.Query(ctx, cfg, fs.Arg(0), *format, e.stdout)
}

func cmdCheck(ctx context.Context, e *env, args []string) error {
	fs, c := newFlags(e, "check", "check [--project DIR] [--year Y] [--as-of DATE]")
	var st stageFlags
	st.registerDates(fs)
	cfg, err := c.parse(e, fs, args)
	if err != nil {
		return err
	}
	if err := st.apply(&cfg, ""); err != nil {
		return err
	}
	warnings, err := pipeline.Check(ctx, cfg)
	// Warnings (a chapter's query that computes) print first, as path:line:col: warning: …
	printDiagnostics(e.stderr, warnings)
	if err != nil {
		return err
	}
	if len(warnings) > 0 {
		fmt.Fprintln(e.stderr, diag.Count(len(warnings), "warning"))
	}
	fmt.Fprintln(e.stdout, "ok: every model and report query parses and binds")
	return nil
}

func cmdBuild(ctx context.Context, e *env, args []string) error {
	fs, c := newFlags(e, "build", "build --db FILE [--select SPEC]")
	var st stageFlags
	st.register(fs)
	dbPath := fs.String("db", "", "DuckDB database file (ingested by a previous run)")
	sel := fs.String("select", "", selectHelp("models to build"))
	cfg, err := c.parse(e, fs, args)
	if err != nil {
		return err
	}
	if err := dbFlag(&cfg, *dbPath, "build"); err != nil {
		return err
	}
	if err := st.apply(&cfg, ""); err != nil {
		return err
	}
	runs, err := pipeline.Build(ctx, cfg, *sel)
	for _, r := range runs {
		status := "ok"
		if r.Err != nil {
			status = "FAILED"
		}
		rows := fmt.Sprintf("%10d rows", r.Rows)
		if r.Rows < 0 {
			rows = fmt.Sprintf("%15s", "view")
		}
		fmt.Fprintf(e.stdout, "%-32s %-6s %s  %v\n", r.Name, status, rows, r.Duration.Round(time.Millisecond))
	}
	return err
}

// selectHelp is the help of a --select flag: one syntax for build, test and lineage.
func selectHelp(what string) string {
	return what + ": name, name+ (with what reads it), +name (with what it reads), +name+ (both); several separated by commas; default all"
}

func cmdTest(ctx context.Context, e *env, args []string) error {
	fs, c := newFlags(e, "test", "test --db FILE [--select SPEC]")
	var st stageFlags
	st.registerDates(fs)
	dbPath := fs.String("db", "", "DuckDB database file")
	sel := fs.String("select", "", selectHelp("models whose checks to run (their header checks and the checks in queries/checks/ reading them)"))
	cfg, err := c.parse(e, fs, args)
	if err != nil {
		return err
	}
	if err := dbFlag(&cfg, *dbPath, "test"); err != nil {
		return err
	}
	if err := st.apply(&cfg, ""); err != nil {
		return err
	}
	res, err := pipeline.Test(ctx, cfg, *sel)
	for _, r := range res {
		fmt.Fprintf(e.stdout, "%-5s %-5s %s  %s:%d  %s\n", strings.ToUpper(r.Status), r.Severity, r.Name, r.Path, r.Line, r.Message)
		if werr := pipeline.WriteSample(e.stdout, r); werr != nil {
			return werr
		}
	}
	if len(res) > 0 {
		fmt.Fprintln(e.stdout, pipeline.TestSummary(res))
	}
	return err
}

func cmdShow(ctx context.Context, e *env, args []string) error {
	fs, c := newFlags(e, "show", "show --db FILE MODEL [--where COND] [--limit N]")
	var st stageFlags
	st.registerDates(fs)
	dbPath := fs.String("db", "", "DuckDB database file (built by a run or build)")
	where := fs.String("where", "", "SQL condition on the model's columns, e.g. \"year = 2025\"")
	limit := fs.Int("limit", 10, "rows to print at most")
	// The model may come before, between or after the flags.
	var names []string
	for rest := args; ; {
		if err := parse(fs, rest); err != nil {
			return err
		}
		if fs.NArg() == 0 {
			break
		}
		names, rest = append(names, fs.Arg(0)), fs.Args()[1:]
	}
	if len(names) != 1 {
		return usageError{"show takes one model name, e.g. bluebook show --db demo/bluebook.duckdb market_summary --limit 5"}
	}
	model := names[0]
	cfg, err := c.pipelineConfig(e)
	if err != nil {
		return err
	}
	if err := dbFlag(&cfg, *dbPath, "show"); err != nil {
		return err
	}
	if err := st.apply(&cfg, ""); err != nil {
		return err
	}
	return pipeline.Show(ctx, cfg, model, *where, *limit, e.stdout)
}

func cmdLineage(ctx context.Context, e *env, args []string) error {
	fs, c := newFlags(e, "lineage", "lineage [--format text|mermaid|dot] [--select SPEC]")
	format := fs.String("format", "text", "text, mermaid or dot")
	sel := fs.String("select", "", selectHelp("nodes to show (models, sources, seeds, check:NAME, chapter:STEM)"))
	cfg, err := c.parse(e, fs, args)
	if err != nil {
		return err
	}
	cfg.AsOf = time.Now().UTC()
	if cfg.Year == 0 {
		cfg.Year = pipeline.LastFinishedYear(cfg.AsOf)
	}
	out, err := pipeline.Lineage(ctx, cfg, *format, *sel)
	if err != nil {
		return err
	}
	fmt.Fprint(e.stdout, out)
	return nil
}

func cmdInit(ctx context.Context, e *env, args []string) error {
	flags, c := newFlags(e, "init", "init [--project DIR]")
	if err := parse(flags, args); err != nil {
		return err
	}
	write := func(src fs.FS, dst string) error {
		return fsWalkCopy(src, dst, e.stdout)
	}
	if err := write(queries.FS(), filepath.Join(c.project, "queries")); err != nil {
		return err
	}
	if err := write(reports.DefaultFS(), filepath.Join(c.project, "reports")); err != nil {
		return err
	}
	cfgPath := filepath.Join(c.project, projectConfig)
	if _, err := os.Stat(cfgPath); err == nil {
		fmt.Fprintf(e.stdout, "kept %s\n", cfgPath)
		return nil
	}
	if err := os.WriteFile(cfgPath, []byte(sampleConfig), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "wrote %s\n", cfgPath)
	return nil
}

// fsWalkCopy copies every file of src into dst, never overwriting an existing file.
func fsWalkCopy(src fs.FS, dst string, w io.Writer) error {
	return fs.WalkDir(src, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		target := filepath.Join(dst, filepath.FromSlash(p))
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if strings.HasSuffix(p, ".go") {
			return nil
		}
		if _, err := os.Stat(target); err == nil {
			fmt.Fprintf(w, "kept %s\n", target)
			return nil
		}
		b, err := fs.ReadFile(src, p)
		if err != nil {
			return err
		}
		if err := os.WriteFile(target, b, 0o644); err != nil {
			return err
		}
		fmt.Fprintf(w, "wrote %s\n", target)
		return nil
	})
}

const sampleConfig = `# bluebook configuration. Every key is optional; command-line flags override it.
city = "本市"
# year = 2025                 # edition year (default: the last finished year)
# data = "data"               # input folder, one sub-folder per source
# db = "bluebook.duckdb"
# out = "site"
max_reject_share = 0.05       # a source with a larger share of rejected rows fails the run; 0 allows none
landing = true                # keep a copy of every ingested file beside the database
# memory_limit = "8GB"        # DuckDB memory_limit (default: half the RAM; larger work spills to <db>.tmp/)
# threads = 2                 # at least 1; leave it out for one per core
# map_approval = "GS（2026）1234号"  # 审图号 printed below the district maps (data folder's map/districts.geojson)
# map_max_bytes = 5242880     # the largest district map file read

# [encoding]                  # CSV encoding per source when detection is not enough
# donations = "gbk"

# [[districts]]               # the city's districts (a districts/ source folder overrides)
# code = "990102"
# name = "东湖区"

# [params]                    # extra values for SQL: getvariable('name') (not year, prev_year, cutoff, as_of, city)
# welfare_threshold = 10

# [book]                      # the printed book's front matter (bluebook pdf); each page only when set
# committee = [{ role = "主任", names = ["王建国"] }, { role = "委员", names = ["李明", "赵小红"] }]   # 编委会
# preface = """
# 前言的第一段。
#
# 第二段。
# """

# [limits]                    # what one input file may cost to read (the defaults shown); a file over one fails the run
# max_field_chars = 32767     # a CSV field or workbook cell, in characters
# max_columns = 1000          # fields of a CSV record, cells of a sheet row, Parquet columns
# max_line_bytes = 2097152    # a CSV record, in bytes
# max_workbook_bytes = 1073741824  # an .xlsx file's parts, uncompressed
# max_compression_ratio = 100 # of an .xlsx part over 1 MiB
`

// dbFlag resolves --db against bluebook.toml for the read-only commands.
func dbFlag(cfg *pipeline.Config, flagValue, command string) error {
	if flagValue != "" {
		cfg.DBPath = flagValue
	}
	if cfg.DBPath == "" {
		return usageError{command + " needs --db FILE (or db in bluebook.toml)"}
	}
	return dbFolder(cfg.DBPath, flagValue != "")
}

// dbFolder fails with a usage error naming --db (or the db key of bluebook.toml) when the
// database's folder does not exist: bluebook creates the database file, not the folders
// above it, where a mistyped path would scatter a new database, its lock and its landing.
func dbFolder(path string, fromFlag bool) error {
	dir := filepath.Dir(path)
	if st, err := os.Stat(dir); err == nil && st.IsDir() {
		return nil
	}
	name := "--db"
	if !fromFlag {
		name = "db (bluebook.toml)"
	}
	return usageError{fmt.Sprintf("%s %s: the folder %s does not exist; create it or correct the path", name, path, dir)}
}

func cmdPublish(ctx context.Context, e *env, args []string) error {
	fs, c := newFlags(e, "publish", "publish --year Y --db FILE [--out DIR] [--revision] [--editions DIR]")
	year := fs.Int("year", 0, "edition year to freeze (required)")
	dbPath := fs.String("db", "", "DuckDB database file")
	out := fs.String("out", "", "report folder of the run (default: as recorded by the run)")
	editions := fs.String("editions", "", "editions folder (default: editions/ beside the database)")
	revision := fs.Bool("revision", false, "publish a new revision of a year already published")
	cfg, err := c.parse(e, fs, args)
	if err != nil {
		return err
	}
	if *year == 0 {
		return usageError{"publish needs --year Y"}
	}
	cfg.Year = *year
	if err := dbFlag(&cfg, *dbPath, "publish"); err != nil {
		return err
	}
	if *out != "" {
		cfg.OutDir = *out
	}
	if *editions != "" {
		cfg.EditionsDir = *editions
	}
	m, err := pipeline.Publish(ctx, cfg, *revision)
	if err != nil {
		if errors.Is(err, pipeline.ErrEditionExists) {
			return usageError{err.Error()}
		}
		return err
	}
	fmt.Fprintf(e.stdout, "published edition %d revision %d (run %s, %d tables) in %s\n", m.Year, m.Revision, m.RunID, len(m.Tables), cfg.EditionPath(m.Folder))
	return nil
}

func cmdSchedule(ctx context.Context, e *env, args []string) error {
	fs, c := newFlags(e, "schedule", `schedule --cron "0 2 * * *" --data DIR --db FILE --out DIR`)
	var rf runFlags
	rf.register(fs)
	spec := fs.String("cron", "0 2 * * *", "when to run, in cron syntax (minute hour day month weekday), local time")
	cfg, err := c.parse(e, fs, args)
	if err != nil {
		return err
	}
	if err := rf.apply(&cfg, "schedule"); err != nil {
		return err
	}
	cfg.Trigger = "schedule"
	return schedule(ctx, e, cfg, rf, *spec)
}

func cmdHistory(ctx context.Context, e *env, args []string) error {
	fs, c := newFlags(e, "history", "history --db FILE [--last N] [--run ID]")
	dbPath := fs.String("db", "", "DuckDB database file")
	last := fs.Int("last", 20, "how many runs to show, newest first")
	runID := fs.String("run", "", "show the stages of this run")
	cfg, err := c.parse(e, fs, args)
	if err != nil {
		return err
	}
	if err := dbFlag(&cfg, *dbPath, "history"); err != nil {
		return err
	}
	if *runID != "" {
		stages, err := pipeline.Stages(ctx, cfg, *runID)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "STAGE\tMODEL\tSTATUS\tROWS\tDURATION\tERROR")
		for _, s := range stages {
			rows := fmt.Sprint(s.Rows)
			if s.Rows < 0 {
				rows = "view"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%.0f ms\t%s\n", s.Stage, s.Model, s.Status, rows, s.DurationMS, diag.Printable(pipeline.AdviseText(s.Error)))
		}
		return tw.Flush()
	}
	runs, err := pipeline.History(ctx, cfg, *last)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "RUN\tSTARTED\tDURATION\tSTATUS\tTRIGGER\tYEAR\tVERSION\tERROR")
	for _, r := range runs {
		dur := "-"
		if r.Finished.Valid {
			dur = r.Finished.Time.Sub(r.Started).Round(time.Millisecond).String()
		}
		// A file name in an error may hold a line break or a terminal escape: quoted.
		msg := diag.Printable(pipeline.AdviseText(r.Error))
		if len([]rune(msg)) > 80 {
			msg = string([]rune(msg)[:80]) + "…"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%s\t%s\n", r.ID, r.Started.Format("2006-01-02 15:04:05"), dur, r.Status, r.Trigger, r.Year, r.Version, msg)
	}
	return tw.Flush()
}

func cmdStatus(ctx context.Context, e *env, args []string) error {
	fs, c := newFlags(e, "status", "status --db FILE")
	dbPath := fs.String("db", "", "DuckDB database file")
	cfg, err := c.parse(e, fs, args)
	if err != nil {
		return err
	}
	if err := dbFlag(&cfg, *dbPath, "status"); err != nil {
		return err
	}
	var locked *pipeline.LockedError
	if err := pipeline.CheckLock(cfg.DBPath); errors.As(err, &locked) {
		fmt.Fprintf(e.stdout, "running: %s\n", diag.Printable(locked.Error()))
		return nil
	}
	fmt.Fprintf(e.stdout, "idle: no run holds %s\n", diag.Printable(cfg.DBPath))
	runs, err := pipeline.History(ctx, cfg, 50)
	if err != nil {
		return err
	}
	if len(runs) == 0 {
		fmt.Fprintln(e.stdout, "no run recorded yet")
		return nil
	}
	r := runs[0]
	fmt.Fprintf(e.stdout, "last run:  %s  %s  %s\n", r.ID, r.Status, r.Started.Format("2006-01-02 15:04:05"))
	if r.Error != "" {
		fmt.Fprintf(e.stdout, "           %s\n", diag.Printable(pipeline.AdviseText(r.Error)))
	}
	for _, r := range runs {
		if r.Status == pipeline.StatusSuccess || r.Status == pipeline.StatusSkipped {
			fmt.Fprintf(e.stdout, "last good: %s  %s  report %s\n", r.ID, r.Started.Format("2006-01-02 15:04:05"), diag.Printable(r.Report))
			break
		}
	}
	return nil
}

// buildVersion is version, and for a development build ("dev") the commit it was built
// from when Go recorded it (go build in a git checkout; "+modified" for uncommitted
// changes), else the build time of the executable. The run's fingerprint holds the
// version, so a new build of bluebook is never taken for a no-op.
func buildVersion() string {
	if version != "dev" {
		return version
	}
	if info, ok := debug.ReadBuildInfo(); ok {
		var rev, modified string
		for _, s := range info.Settings {
			switch {
			case s.Key == "vcs.revision":
				rev = s.Value
			case s.Key == "vcs.modified" && s.Value == "true":
				modified = "+modified"
			}
		}
		if len(rev) >= 12 {
			return version + "-" + rev[:12] + modified
		}
	}
	if exe, err := os.Executable(); err == nil {
		if st, err := os.Stat(exe); err == nil {
			return version + "-" + st.ModTime().UTC().Format("20060102T150405")
		}
	}
	return version
}

func cmdVersion(ctx context.Context, e *env, args []string) error {
	fs, _ := newFlags(e, "version", "version")
	if err := parse(fs, args); err != nil {
		return err
	}
	library, driver, err := pipeline.DuckDBVersions(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "bluebook %s (DuckDB %s via duckdb-go %s, ECharts %s)\n", buildVersion(), library, driver, reports.EChartsVersion())
	return nil
}
