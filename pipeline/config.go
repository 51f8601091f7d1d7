package pipeline

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"bluebook/pipeline/ingest"
	"bluebook/reports"
)

// Config is everything a bluebook command needs; main builds it from the command line
// and the project's bluebook.toml and passes it down.
type Config struct {
	ProjectDir string // folder holding queries/, reports/ and bluebook.toml
	Queries    fs.FS  // the queries/ folder (the embedded defaults when the project has none)
	QueriesDir string // its path as shown in messages, e.g. "queries"
	Reports    fs.FS  // the reports/ folder holding chapters/ (the embedded defaults when absent)
	ReportsDir string

	DataDir string // input data: one folder per source
	DBPath  string // the DuckDB file; "" = in memory
	OutDir  string // the report folder
	// SingleFile, when set, is where the whole report is also written as one
	// self-contained HTML file.
	SingleFile string

	Year      int       // edition year Y
	AsOf      time.Time // extraction date E
	City      string
	Districts []District
	Demo      bool // the data are generated demo data; the report says so

	Encoding       map[string]string // per-source CSV encoding override
	MaxRejectShare float64           // the largest rejected share of a source's rows that passes; 0 allows none
	Landing        bool              // keep a copy of every ingested file beside the database
	Calendar       string            // optional path of an extended holiday calendar CSV
	Params         map[string]any
	MemoryLimit    string        // DuckDB memory_limit, e.g. "8GB"; "" = DuckDB's default
	Threads        int           // DuckDB threads; 0 = DuckDB's default
	Limits         ingest.Limits // [limits]: what one input file may cost to read (zero fields: ingest.DefaultLimits)
	Book           BookConfig    // [book]: the printed book's 编委会 and 前言 (optional)
	// MapApproval is the approval number (审图号) printed below every district map;
	// the map itself is the data folder's map/districts.geojson, when there is one.
	MapApproval string
	MapMaxBytes int64  // the largest district map file read; 0 = reports.DefaultMapMaxBytes
	Force       bool   // rebuild even when nothing changed
	EditionsDir string // frozen editions; "" = editions/ beside the database
	ConfigFile  string // the bluebook.toml read, copied into editions
	Preview     bool   // serve: pages only, no downloads or single file, for a fast refresh
	Trigger     string // what started the run (run, demo, schedule, serve), for the ledger
	Progress    func(stage string, done, total int64)
	// Hook, when set, is called at fixed points of a run ("ingest:<source>",
	// "model:<name>", "render:publish"); the crash-safety tests use it to kill a run
	// at a known point. Production leaves it nil.
	Hook func(point string)

	Version string
	Logger  *slog.Logger
}

// District is one district of the configured city.
type District struct {
	Code string `toml:"code"`
	Name string `toml:"name"`
}

// Cutoff is C: Y-12-31, or E when E is earlier.
func (c Config) Cutoff() time.Time {
	end := time.Date(c.Year, 12, 31, 0, 0, 0, 0, time.UTC)
	if c.AsOf.Before(end) {
		return c.AsOf
	}
	return end
}

// FileConfig is bluebook.toml. Every key is optional.
type FileConfig struct {
	City           string            `toml:"city"`
	Year           int               `toml:"year"`
	Data           string            `toml:"data"`
	DB             string            `toml:"db"`
	Out            string            `toml:"out"`
	SingleFile     string            `toml:"single_file"`
	Districts      []District        `toml:"districts"`
	Encoding       map[string]string `toml:"encoding"`
	MaxRejectShare *float64          `toml:"max_reject_share"`
	Landing        *bool             `toml:"landing"`
	Calendar       string            `toml:"calendar"`
	Editions       string            `toml:"editions"`
	MemoryLimit    string            `toml:"memory_limit"`
	Threads        int               `toml:"threads"`
	Params         map[string]any    `toml:"params"`
	Limits         ingest.Limits     `toml:"limits"`
	Book           BookConfig        `toml:"book"`
	MapApproval    string            `toml:"map_approval"`
	MapMaxBytes    int64             `toml:"map_max_bytes"`
}

// BookConfig is [book]: the printed book's optional front matter, its 编委会 page
// (committee) and 前言 page (preface: paragraphs separated by a blank line).
type BookConfig struct {
	Committee []CommitteeRole `toml:"committee"`
	Preface   string          `toml:"preface"`
}

// CommitteeRole is one line of the 编委会 page: a role and the people in it.
type CommitteeRole struct {
	Role  string   `toml:"role"`
	Names []string `toml:"names"`
}

// PrefaceParagraphs splits the preface at blank lines; the line breaks inside a paragraph
// are dropped (Chinese text needs no space where a line was wrapped).
func (b BookConfig) PrefaceParagraphs() []string {
	var out []string
	for _, p := range strings.Split(strings.ReplaceAll(b.Preface, "\r\n", "\n"), "\n\n") {
		var lines []string
		for _, l := range strings.Split(p, "\n") {
			if l = strings.TrimSpace(l); l != "" {
				lines = append(lines, l)
			}
		}
		if len(lines) > 0 {
			out = append(out, strings.Join(lines, ""))
		}
	}
	return out
}

// ErrConfig marks a configuration or usage error (exit code 2).
var ErrConfig = errors.New("configuration error")

// DefaultMaxRejectShare is max_reject_share when neither bluebook.toml nor the command
// line sets it.
const DefaultMaxRejectShare = 0.05

// reservedVariables are the run's own SQL variables (see variables): [params] cannot
// override them, or getvariable('year') would disagree with the edition the report names.
var reservedVariables = []string{"year", "prev_year", "cutoff", "as_of", "city"}

// ReadFileConfig reads and validates a bluebook.toml: an unknown key or a wrong type fails
// with a message naming it. A missing file is not an error when optional is true.
func ReadFileConfig(path string, optional bool) (FileConfig, error) {
	var fc FileConfig
	data, err := os.ReadFile(path)
	if err != nil {
		if optional && errors.Is(err, fs.ErrNotExist) {
			return fc, nil
		}
		return fc, fmt.Errorf("%w: read %s: %v", ErrConfig, path, err)
	}
	md, err := toml.Decode(string(data), &fc)
	if err != nil {
		var perr toml.ParseError
		if errors.As(err, &perr) {
			return fc, fmt.Errorf("%w: %s:%d:%d: %s", ErrConfig, path, perr.Position.Line, perr.Position.Col, perr.Message)
		}
		return fc, fmt.Errorf("%w: %s: %v", ErrConfig, path, err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		var keys []string
		for _, k := range und {
			keys = append(keys, k.String())
		}
		return fc, fmt.Errorf("%w: %s: unknown key %s (known: city, year, data, db, out, single_file, editions, districts, encoding, max_reject_share, landing, calendar, memory_limit, threads, params, limits, book)", ErrConfig, path, strings.Join(keys, ", "))
	}
	var sources []string
	for _, src := range ingest.Sources() {
		sources = append(sources, src.Name)
	}
	for _, src := range slices.Sorted(maps.Keys(fc.Encoding)) {
		enc := fc.Encoding[src]
		if !slices.Contains(sources, src) {
			return fc, fmt.Errorf("%w: %s: encoding.%s: no source is called %q (sources: %s)", ErrConfig, path, src, src, strings.Join(sources, ", "))
		}
		switch strings.ToLower(enc) {
		case "utf-8", "utf8", "gbk", "gb18030":
		default:
			return fc, fmt.Errorf("%w: %s: encoding.%s = %q: use utf-8, gbk or gb18030", ErrConfig, path, src, enc)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(fc.Params)) {
		if slices.Contains(reservedVariables, strings.ToLower(name)) {
			return fc, fmt.Errorf("%w: %s: params.%s: %q is set by bluebook itself and cannot be overridden (reserved: %s); use the year key or --year for the edition, city for the city",
				ErrConfig, path, name, name, strings.Join(reservedVariables, ", "))
		}
	}
	if md.IsDefined("threads") && fc.Threads <= 0 {
		return fc, fmt.Errorf("%w: %s: threads = %d: must be at least 1 (leave the key out for DuckDB's default, one per core)", ErrConfig, path, fc.Threads)
	}
	for i, d := range fc.Districts {
		if len(d.Code) != 6 || strings.Trim(d.Code, "0123456789") != "" || d.Name == "" {
			return fc, fmt.Errorf("%w: %s: districts[%d]: code must be 6 digits and name non-empty (got %q, %q)", ErrConfig, path, i, d.Code, d.Name)
		}
	}
	for i, r := range fc.Book.Committee {
		if strings.TrimSpace(r.Role) == "" || len(r.Names) == 0 {
			return fc, fmt.Errorf("%w: %s: book.committee[%d]: needs a role and at least one name (got %q, %q)", ErrConfig, path, i, r.Role, r.Names)
		}
	}
	if md.IsDefined("map_max_bytes") && fc.MapMaxBytes <= 0 {
		return fc, fmt.Errorf("%w: %s: map_max_bytes = %d: must be a positive number of bytes (leave the key out for %d)", ErrConfig, path, fc.MapMaxBytes, reports.DefaultMapMaxBytes)
	}
	if fc.MaxRejectShare != nil && !(*fc.MaxRejectShare >= 0 && *fc.MaxRejectShare <= 1) {
		return fc, fmt.Errorf("%w: %s: max_reject_share must be between 0 and 1", ErrConfig, path)
	}
	if err := fc.Limits.Validate(); err != nil {
		return fc, fmt.Errorf("%w: %s: %v", ErrConfig, path, err)
	}
	base := filepath.Dir(path)
	for _, p := range []*string{&fc.Data, &fc.DB, &fc.Out, &fc.SingleFile, &fc.Calendar, &fc.Editions} {
		if *p != "" && !filepath.IsAbs(*p) {
			*p = filepath.Join(base, *p)
		}
	}
	if fc.Calendar != "" {
		if st, err := os.Stat(fc.Calendar); err != nil || st.IsDir() {
			return fc, fmt.Errorf("%w: %s: calendar = %q: no such file", ErrConfig, path, fc.Calendar)
		}
	}
	return fc, nil
}

// EditionPath is where the edition folder named folder (Manifest.Folder, e.g. "2025-r2")
// sits: in cfg.EditionsDir, or editions/ beside the database.
func (c Config) EditionPath(folder string) string { return filepath.Join(c.editionsDir(), folder) }

// LastFinishedYear is the default edition year for an extraction date.
// Data extracted on any day of a year, the last day included, covers that year only partly.
func LastFinishedYear(asOf time.Time) int { return asOf.Year() - 1 }
