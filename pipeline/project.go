package pipeline

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"bluebook/diag"
)

// modelName is the contract for a model's file name: its stem becomes a table name.
var modelName = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// headerLine matches a metadata comment such as "-- materialize: view".
var headerLine = regexp.MustCompile(`^--\s*([a-z_]+)\s*:\s*(.*?)\s*$`)

// Model is one analyst's SQL file: a single SELECT materialised under its file stem.
type Model struct {
	Name        string
	Path        string // as shown to the analyst, e.g. queries/market/market_summary.sql
	SQL         string // the whole file, header comments included
	Description string
	Materialize string // "table" or "view"
	Checks      []CheckSpec
	Deps        []string       // models, seeds and tables it reads, filled by Resolve
	depAt       map[string]int // byte offset in SQL where it first reads each table
}

// Seed is a CSV file under queries/seeds/ loaded as a table named after its stem.
type Seed struct {
	Name string
	Path string
	Data []byte
}

// Project is the parsed queries/ folder: models, seeds and custom checks.
type Project struct {
	Models []*Model // in dependency order once Resolve has run
	Seeds  []*Seed
	Checks []*CustomCheck
	// Unresolved names the models whose SQL did not parse or reads an unknown table.
	Unresolved map[string]bool
	byName     map[string]*Model
	// appealText is what the appeal text step of prepareModels did (textmatch.go).
	appealText appealTextResult
}

// Model returns the model called name, or nil.
func (p *Project) Model(name string) *Model { return p.byName[name] }

// LoadProject reads every model, seed and check in fsys (the queries/ folder). display is
// the prefix used for paths in messages ("queries"). Every problem is collected and returned
// at once.
func LoadProject(fsys fs.FS, display string) (*Project, error) {
	p := &Project{byName: map[string]*Model{}}
	var errs ErrorList
	seen := map[string]string{} // table name -> path that defined it
	claim := func(name, where string) bool {
		if prev, ok := seen[name]; ok {
			errs = append(errs, &diag.Error{Path: where, Line: 1, Col: 1,
				Err: fmt.Errorf("table %q is already defined by %s; rename one of the files", name, prev)})
			return false
		}
		seen[name] = where
		return true
	}
	err := fs.WalkDir(fsys, ".", func(p0 string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		base := d.Name()
		if p0 != "." && strings.HasPrefix(base, ".") {
			// Hidden files and folders (editor swap files, .DS_Store, .git) are not the analyst's work.
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		shown := path.Join(display, p0)
		ext := path.Ext(base)
		stem := strings.TrimSuffix(base, ext)
		top := strings.SplitN(p0, "/", 2)[0]
		data, err := fs.ReadFile(fsys, p0)
		if err != nil {
			return fmt.Errorf("read %s: %w", shown, err)
		}
		switch {
		case ext == ".md" || base == "README" || ext == ".go":
			return nil // notes for analysts, and the Go file that embeds the shipped queries
		case top == "seeds" && ext == ".csv":
			if !modelName.MatchString(stem) {
				errs = append(errs, &diag.Error{Path: shown, Line: 1, Col: 1, Err: fmt.Errorf("seed name %q is not a valid table name: use lower-case letters, digits and _ , starting with a letter", stem)})
				return nil
			}
			if claim(stem, shown) {
				p.Seeds = append(p.Seeds, &Seed{Name: stem, Path: shown, Data: data})
			}
			errs = append(errs, validateSeed(shown, stem, data)...)
		case top == "checks" && ext == ".sql":
			c, err := parseCustomCheck(shown, stem, string(data))
			if err != nil {
				errs = append(errs, err)
				return nil
			}
			p.Checks = append(p.Checks, c)
		case ext == ".sql":
			if !modelName.MatchString(stem) {
				errs = append(errs, &diag.Error{Path: shown, Line: 1, Col: 1, Err: fmt.Errorf("model name %q is not a valid table name: use lower-case letters, digits and _ , starting with a letter (e.g. market_summary.sql)", stem)})
				return nil
			}
			m, ferrs := parseModel(shown, stem, string(data))
			errs = append(errs, ferrs...)
			if m != nil && claim(stem, shown) {
				p.Models = append(p.Models, m)
				p.byName[stem] = m
			}
		default:
			errs = append(errs, &diag.Error{Path: shown, Line: 1, Col: 1, Err: errors.New("not a model (.sql), a seed (seeds/*.csv), a check (checks/*.sql) or a note (.md); move or rename it")})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", display, err)
	}
	sort.Slice(p.Models, func(i, j int) bool { return p.Models[i].Name < p.Models[j].Name })
	sort.Slice(p.Seeds, func(i, j int) bool { return p.Seeds[i].Name < p.Seeds[j].Name })
	sort.Slice(p.Checks, func(i, j int) bool { return p.Checks[i].Name < p.Checks[j].Name })
	errs = append(errs, validateFindingSeeds(p.Seeds)...)
	// With errors the project read so far comes too: check goes on binding the rest.
	return p, errs.Err()
}

// parseModel reads the header comments of a model file.
func parseModel(shown, name, text string) (*Model, []error) {
	m := &Model{Name: name, Path: shown, SQL: text, Materialize: "table"}
	var errs []error
	for i, line := range strings.Split(text, "\n") {
		t := strings.TrimSpace(line)
		if t == "" {
			continue
		}
		if !strings.HasPrefix(t, "--") {
			break // the header ends at the first line of SQL
		}
		g := headerLine.FindStringSubmatch(t)
		if g == nil {
			continue // a free comment
		}
		col := runeIndex(line, g[1]) + 1
		key, val := g[1], g[2]
		switch key {
		case "description":
			m.Description = val
		case "materialize":
			if val != "table" && val != "view" {
				errs = append(errs, &diag.Error{Path: shown, Line: i + 1, Col: runeIndex(line, val) + 1, Err: fmt.Errorf("materialize must be table or view, not %q", val)})
				continue
			}
			m.Materialize = val
		case "check":
			c, err := parseCheckSpec(val)
			if err != nil {
				errs = append(errs, &diag.Error{Path: shown, Line: i + 1, Col: runeIndex(line, val) + 1, Err: err})
				continue
			}
			c.Model, c.Path, c.Line = name, shown, i+1
			m.Checks = append(m.Checks, c)
		case "tags", "owner", "chapter", "grain", "unit":
			// informational keys shown by lineage and in the methodology appendix
		default:
			errs = append(errs, &diag.Error{Path: shown, Line: i + 1, Col: col, Err: fmt.Errorf("unknown header key %q (known: description, materialize, check, tags, owner, chapter, grain, unit)", key)})
		}
	}
	if strings.TrimSpace(stripComments(text)) == "" {
		errs = append(errs, &diag.Error{Path: shown, Line: 1, Col: 1, Err: errors.New("the file has no SELECT")})
		return nil, errs
	}
	return m, errs
}

// runeIndex is strings.Index counted in characters (0 when sub is not in s).
func runeIndex(s, sub string) int {
	i := strings.Index(s, sub)
	if i < 0 {
		return 0
	}
	return utf8.RuneCountInString(s[:i])
}

// stripComments removes -- line comments (outside quotes is not checked: good enough to test emptiness).
func stripComments(text string) string {
	var b strings.Builder
	for _, line := range strings.Split(text, "\n") {
		if i := strings.Index(line, "--"); i >= 0 {
			line = line[:i]
		}
		b.WriteString(line)
		b.WriteByte('\n')
	}
	return b.String()
}

// body returns the SQL ready to wrap: trailing spaces and one final semicolon removed.
func body(sql string) string {
	s := strings.TrimRight(sql, " \t\r\n")
	s = strings.TrimSuffix(s, ";")
	return s
}
