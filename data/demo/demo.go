// Package demo writes deterministic demo data for the fictional city 示例市:
// every source of docs/sources.md as CSV files, with a few planted dirty rows per
// source that the pipeline must reject or flag.
//
// The generator streams: memory stays flat whatever the scale. Every record is
// a pure function of (Options.Seed, its index), drawn from its own PCG stream,
// so that a source can sample an entity index and regenerate the entity's
// credit code, ownership, district and dates without keeping the registry in
// memory. The same Options give the same bytes in every file.
package demo

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// City is the name of the fictional city of the demo data.
const City = "示例市"

// cityCode is the fictional GB/T 2260 code of 示例市.
const cityCode = "990100"

// District is a district or county of 示例市 with its fictional GB/T 2260 code.
type District struct {
	Code, Name string
}

// Districts returns the 7 districts and counties of 示例市.
func Districts() []District {
	return []District{
		{"990102", "东湖区"},
		{"990103", "西山区"},
		{"990104", "南港区"},
		{"990105", "北岭区"},
		{"990111", "高新区"},
		{"990121", "临江县"},
		{"990122", "青石县"},
	}
}

// districtWeights are the shares of the register per district, in the order
// of Districts.
const districtWeights = "0:22 1:16 2:15 3:12 4:13 5:12 6:10"

// Options configures Generate.
type Options struct {
	Dir      string                  // output folder; sources go to Dir/<source>/...
	Scale    int                     // registry rows (approx; planted dirty rows add a few)
	Seed     uint64                  // same Options, same bytes
	AsOf     time.Time               // extraction date; no date in the data is after it, except planted future_date rows. Zero means 2026-10-31.
	Progress func(done, total int64) // optional; called about every 1% of the work, and at the end with done = total
	// NoAnomalies leaves out the anomalies planted for the monitoring (see Anomaly): the
	// data of a stable city, to measure false alarms on.
	NoAnomalies bool
}

// Summary describes what Generate wrote.
type Summary struct {
	Files     []string         // paths relative to Dir, slash-separated, planted.csv last
	Rows      map[string]int64 // data rows (header excluded, planted rows included) per source
	Planted   []Planted
	Anomalies []Anomaly // listed in planted.csv after the planted rows
}

// Planted is one planted dirty row. Rule is the reject rule of docs/sources.md, or
// for a flag the flag's name: uscc_check (uscc_valid=false), orphan,
// unknown_district, industry_section, unknown_category, unknown_program,
// missing_cancelled_on, unknown_chamber; or emerging_phrase for the first appeal of the
// edition year about the new problem planted in the appeal texts (PlantedProblem), which the
// text analysis must find as an emerging term or a new phrase.
type Planted struct {
	Source string
	File   string // relative to Dir, slash-separated
	Line   int    // as a text editor shows it; the header is line 1
	Column string // the header of the offending column, "" for a malformed row
	Rule   string
}

// Limits of Options.Scale.
const (
	MinScale = 100
	MaxScale = 100_000_000 // a province's registry
)

// Entity indexes past Scale serve planted rows and orphans: their codes are
// valid but in no registry row (or only in a planted one).
const (
	extraRegistry = 0   // planted registry rows: Scale+0 …
	extraOrphan   = 100 // orphan codes in other sources: Scale+100 …
	extraCount    = 200
)

// gen holds the state of one Generate call.
type gen struct {
	ctx       context.Context
	opt       Options
	n         int64 // registry entities
	seed      uint64
	asOf      day
	flowStart day // first day of the flows (appeals, donations, activities)
	estStart  day // earliest establishment date
	estRate   float64
	estExpm1  float64
	// newStyleFrom is the day from which codes carry "MA…" bodies.
	newStyleFrom   day
	newOff, oldOff uint64
	cal            *calendar
	v              *vocab
	districts      []District
	districtPick   *choice
	nChambers      int
	pInno          float64     // base probability that a private enterprise declares innovation points
	innoSection    [20]float64 // factor on pInno per section (innoBySection)
	pDonor         [numOwnership]float64
	anom           *anomalies // the planted anomalies of the monitoring, nil without
	sinks          []*sink
	free           chan *chunk // written registry chunks, for reuse
	files          []string
	rows           map[string]int64
	planted        []Planted
	done, total    int64
	nextTick       int64
	reported       int64 // done at the last progress report
	tickStep       int64
}

// Generate writes the demo data set described by opt into opt.Dir and
// planted.csv beside the source folders. It refuses to write into a source
// folder that holds files it would not overwrite, since the pipeline unions
// every file of a source folder.
func Generate(ctx context.Context, opt Options) (Summary, error) {
	g, err := newGen(ctx, opt)
	if err != nil {
		return Summary{}, err
	}
	if err := g.run(); err != nil {
		for _, s := range g.sinks {
			s.abort()
		}
		return Summary{}, fmt.Errorf("demo data in %s: %w", opt.Dir, err)
	}
	return Summary{Files: g.files, Rows: g.rows, Planted: g.planted, Anomalies: g.anomalyList()}, nil
}

// newGen validates opt and prepares the tables of a run.
func newGen(ctx context.Context, opt Options) (*gen, error) {
	if opt.Dir == "" {
		return nil, errors.New("demo: no output folder")
	}
	if opt.Scale < MinScale || opt.Scale > MaxScale {
		return nil, fmt.Errorf("demo: scale %d outside %d…%d", opt.Scale, MinScale, MaxScale)
	}
	if opt.AsOf.IsZero() {
		opt.AsOf = time.Date(2026, 10, 31, 0, 0, 0, 0, time.UTC)
	}
	g := &gen{
		ctx:          ctx,
		opt:          opt,
		n:            int64(opt.Scale),
		seed:         opt.Seed,
		asOf:         dayOfTime(opt.AsOf),
		flowStart:    dayOf(2021, 1, 1),
		estStart:     dayOf(1995, 1, 1),
		newStyleFrom: dayOf(2015, 10, 1),
		districts:    Districts(),
		rows:         map[string]int64{},
	}
	if g.asOf < dayOf(2021, 7, 1) || g.asOf > dayOf(2099, 12, 31) {
		return nil, fmt.Errorf("demo: as-of date %s outside 2021-07-01…2099-12-31", opt.AsOf.Format(time.DateOnly))
	}
	g.estRate = math.Log(1.09) / 365.25
	g.estExpm1 = math.Expm1(g.estRate * float64(g.asOf-g.estStart))
	g.newOff = mix(g.seed^saltRegistry) % newSpace
	g.oldOff = mix(g.seed^saltRegistry^1) % oldSpace
	var err error
	if g.cal, err = newCalendar(g.flowStart-10, g.asOf+400); err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	if g.v, err = newVocab(); err != nil {
		return nil, err
	}
	g.anom = g.newAnomalies()
	if g.districtPick, err = parseChoice(districtWeights); err != nil {
		return nil, fmt.Errorf("demo: district weights: %w", err)
	}
	g.nChambers = max(20, opt.Scale/2500)

	// About 1% of entities, all private enterprises, declare innovation points
	// (at least 30; innoCalib offsets the preferences of sideFlags for
	// specialised, high-tech and larger enterprises), and about 1% donate (at
	// least 60 donors, about 6 donations each, at least one in each year they
	// give in, so about 0.065 × Scale donations), mostly the larger firms
	// (sizeWeight): at the demo's default
	// scale some 150 enterprises give in a year and a few dozen reach the
	// public-welfare index's threshold of 10 万元.
	const innoCalib, donorCalib = 2.0, 1.0
	inno := max(30, 0.01*float64(g.n)) / innoCalib
	g.pInno = inno / (float64(g.n) * (ownCumPrivate - ownCumIndividual))
	g.innoSection = innoBySection(g.v)
	donors := max(60, 0.01*float64(g.n)) / donorCalib
	// Not capped at 1: sideFlags multiplies by sizeWeight, mostly below 1, so that the
	// floor of donors holds at tiny scales too.
	g.pDonor[ownPrivate] = donors * 0.9 / (float64(g.n) * (ownCumPrivate - ownCumIndividual))
	g.pDonor[ownIndividual] = donors * 0.1 / (float64(g.n) * ownCumIndividual)

	if err := g.checkFolders(); err != nil {
		return nil, err
	}
	return g, nil
}

// sourceFiles returns the files Generate writes, per source folder.
func (g *gen) sourceFiles() map[string][]string {
	var appeals []string
	for y := g.flowStart.year(); y <= g.asOf.year(); y++ {
		appeals = append(appeals, "appeals_"+strconv.Itoa(y)+".csv")
	}
	return map[string][]string{
		"registry":           {"registry.csv"},
		"appeals":            appeals,
		"innovation":         {"innovation.csv"},
		"donations":          {"donations.csv"},
		"chambers":           {"chambers.csv"},
		"chamber_activities": {"chamber_activities.csv"},
		"chamber_fees":       {"chamber_fees.csv"},
		"districts":          {"districts.csv"},
		"map":                {"districts.geojson"}, // not a source: the report's district map
	}
}

// checkFolders fails when a source folder holds an entry Generate would not
// overwrite: the pipeline would union it with the new files.
func (g *gen) checkFolders() error {
	for source, files := range g.sourceFiles() {
		dir := filepath.Join(g.opt.Dir, source)
		entries, err := os.ReadDir(dir)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return fmt.Errorf("demo: read %s: %w", dir, err)
		}
		for _, e := range entries {
			if !slices.Contains(files, e.Name()) {
				return fmt.Errorf("demo: %s holds %s, which the generator would not overwrite and the pipeline would read; use an empty folder",
					dir, e.Name())
			}
		}
	}
	return nil
}

// run writes every source.
func (g *gen) run() error {
	nAppeals := g.appealCount()
	g.total = g.n + nAppeals + int64(g.nChambers)
	g.tickStep = max(1, g.total/100)
	g.nextTick = g.tickStep
	if g.opt.Progress != nil {
		g.opt.Progress(0, g.total)
	}
	if err := g.writeRegistry(); err != nil {
		return err
	}
	if err := g.writeAppeals(nAppeals); err != nil {
		return err
	}
	if err := g.writeChambers(); err != nil {
		return err
	}
	if err := g.writeDistricts(); err != nil {
		return err
	}
	if err := g.writeMap(); err != nil {
		return err
	}
	slices.SortStableFunc(g.planted, func(a, b Planted) int {
		if c := strings.Compare(a.File, b.File); c != 0 {
			return c
		}
		return a.Line - b.Line
	})
	if err := g.writePlanted(); err != nil {
		return err
	}
	if g.opt.Progress != nil && g.reported != g.total {
		g.opt.Progress(g.total, g.total)
	}
	return nil
}

// open creates the file rel of source and registers it for the summary.
func (g *gen) open(source, name string, gbk bool, header []string) (*sink, error) {
	rel := source + "/" + name
	s, err := newSink(g.opt.Dir, source, rel, gbk, header)
	if err != nil {
		return nil, err
	}
	g.sinks = append(g.sinks, s)
	g.files = append(g.files, rel)
	return s, nil
}

// finish closes s and counts its rows.
func (g *gen) finish(s *sink) error {
	g.rows[s.source] += s.rows
	return s.finish()
}

// plant records that the last line written to s is a planted dirty row.
func (g *gen) plant(s *sink, column, rule string) {
	g.planted = append(g.planted, Planted{Source: s.source, File: s.rel, Line: int(s.line), Column: column, Rule: rule})
}

// tick counts n units of work done and reports progress about every 1%.
func (g *gen) tick(n int64) {
	g.done += n
	if g.done >= g.nextTick {
		if g.opt.Progress != nil {
			g.opt.Progress(g.done, g.total)
			g.reported = g.done
		}
		g.nextTick = g.done + g.tickStep
	}
}

// check returns the context's error or the first write error of a sink.
func (g *gen) check() error {
	if err := g.ctx.Err(); err != nil {
		return err
	}
	for _, s := range g.sinks {
		if s.err != nil {
			return fmt.Errorf("write %s: %w", s.rel, s.err)
		}
	}
	return nil
}

// writeDistricts writes districts/districts.csv.
func (g *gen) writeDistricts() error {
	s, err := g.open("districts", "districts.csv", false, []string{"区划代码", "区县名称"})
	if err != nil {
		return err
	}
	for _, d := range g.districts {
		s.writeStrings([]string{d.Code, d.Name})
	}
	return g.finish(s)
}

// writePlanted writes planted.csv at the top of Dir: the planted rows (month, scope and
// scope_code empty), then the planted anomalies of the monitoring (line empty, column = the
// indicator, rule = the kind of anomaly, month = YYYY-MM).
func (g *gen) writePlanted() error {
	s, err := newSink(g.opt.Dir, "", "planted.csv", false, []string{"source", "file", "line", "column", "rule", "month", "scope", "scope_code"})
	if err != nil {
		return err
	}
	g.sinks = append(g.sinks, s)
	for _, p := range g.planted {
		s.writeStrings([]string{p.Source, p.File, strconv.Itoa(p.Line), p.Column, p.Rule, "", "", ""})
	}
	for _, a := range g.anomalyList() {
		s.writeStrings([]string{a.Source, a.File, "", a.Indicator, a.Kind, a.Month.Format("2006-01"), a.Scope, a.ScopeCode})
	}
	g.files = append(g.files, "planted.csv")
	return s.finish()
}
