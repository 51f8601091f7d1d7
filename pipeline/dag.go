package pipeline

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"

	"bluebook/diag"
	"bluebook/reports"
)

// tableRef is one table a model's SQL reads, as DuckDB's parser saw it.
type tableRef struct {
	Schema, Name string
	Offset       int // byte offset in the file
}

// parseRefs asks DuckDB's own parser for the tables a model reads (BASE_TABLE nodes
// minus the names of its CTEs), checking on the way that the model is one SELECT reading
// only what analyst SQL may read (see analyze).
func parseRefs(ctx context.Context, db *sql.DB, m *Model) ([]tableRef, []error) {
	return analyze(ctx, db, m.Path, m.SQL, body(m.SQL), "a model")
}

// Resolve reads every model's dependencies with DuckDB's parser, checks that each
// reference is a model, a seed or a table in known (sources, reference tables), and sorts
// the models in dependency order. Every problem is returned at once.
func (p *Project) Resolve(ctx context.Context, db *sql.DB, known map[string]bool) error {
	var errs ErrorList
	seeds := map[string]bool{}
	for _, s := range p.Seeds {
		seeds[s.Name] = true
	}
	p.Unresolved = map[string]bool{}
	for _, m := range p.Models {
		refs, ferrs := parseRefs(ctx, db, m)
		if len(ferrs) > 0 {
			errs = append(errs, ferrs...)
			p.Unresolved[m.Name] = true
			continue
		}
		deps, rerrs := p.resolveRefs(m.Path, m.SQL, refs, seeds, known)
		if len(rerrs) > 0 {
			errs = append(errs, rerrs...)
			p.Unresolved[m.Name] = true
		}
		m.depAt = map[string]int{}
		for _, r := range refs {
			name := strings.ToLower(r.Name)
			if _, seen := m.depAt[name]; !seen && (r.Schema == "" || r.Schema == "main") {
				m.depAt[name] = r.Offset
			}
		}
		if deps[m.Name] {
			line, col := position(m.SQL, m.depAt[m.Name])
			errs = append(errs, &diag.Error{Path: m.Path, Line: line, Col: col,
				Err: fmt.Errorf("model %s reads itself (table %q is the table this file builds); read the tables it is built from instead", m.Name, m.Name)})
			p.Unresolved[m.Name] = true
		}
		delete(deps, m.Name)
		m.Deps = m.Deps[:0]
		for d := range deps {
			m.Deps = append(m.Deps, d)
		}
		sort.Strings(m.Deps)
	}
	// A custom check runs as a subquery: it too must be one SELECT reading what queries may.
	for _, c := range p.Checks {
		refs, ferrs := analyze(ctx, db, c.Path, c.SQL, body(c.SQL), "a check")
		errs = append(errs, ferrs...)
		if len(ferrs) == 0 {
			_, rerrs := p.resolveRefs(c.Path, c.SQL, refs, seeds, known)
			errs = append(errs, rerrs...)
		}
	}
	if err := errs.Err(); err != nil {
		// Still order the models, so that `check` can bind the ones that resolved.
		if serr := p.sortModels(); serr != nil {
			errs = append(errs, serr)
		}
		return errs.Err()
	}
	return p.sortModels()
}

// resolveRefs checks that every table a file reads is a model, a seed or a table in
// known, and returns the names it depends on.
func (p *Project) resolveRefs(path, text string, refs []tableRef, seeds, known map[string]bool) (map[string]bool, []error) {
	deps := map[string]bool{}
	var errs []error
	for _, r := range refs {
		name := strings.ToLower(r.Name)
		full := name
		if r.Schema != "" && r.Schema != "main" {
			full = strings.ToLower(r.Schema) + "." + name
		}
		switch {
		case r.Schema == "" || r.Schema == "main":
			if p.byName[name] != nil || seeds[name] || known[name] {
				deps[name] = true
				continue
			}
		default:
			if known[full] {
				deps[full] = true
				continue
			}
		}
		line, col := position(text, r.Offset)
		errs = append(errs, &diag.Error{Path: path, Line: line, Col: col,
			Err: fmt.Errorf("unknown table %q: it is not a model in queries/, a seed in queries/seeds/ or a source table%s", full, suggest(full, p, known))})
	}
	return deps, errs
}

// suggest names the closest known table, if any is close.
func suggest(name string, p *Project, known map[string]bool) string {
	best, bestD := "", 3
	try := func(c string) {
		if d := reports.EditDistance(name, c); d < bestD {
			best, bestD = c, d
		}
	}
	for n := range p.byName {
		try(n)
	}
	for _, s := range p.Seeds {
		try(s.Name)
	}
	for k := range known {
		try(k)
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf("; did you mean %q?", best)
}

// sortModels orders models so each comes after the models it reads. A cycle is reported
// once, at the place where its first model reads the next one; the models on it are marked
// unresolved (so that check skips them and what reads them) and the others still ordered.
func (p *Project) sortModels() error {
	const (
		white = iota
		grey
		black
	)
	color := map[string]int{}
	var order []*Model
	var stack []string
	var errs ErrorList
	var visit func(m *Model)
	visit = func(m *Model) {
		switch color[m.Name] {
		case black:
			return
		case grey:
			i := len(stack) - 1
			for i >= 0 && stack[i] != m.Name {
				i--
			}
			cycle := append(append([]string{}, stack[i:]...), m.Name)
			if p.Unresolved == nil {
				p.Unresolved = map[string]bool{}
			}
			for _, n := range cycle {
				p.Unresolved[n] = true
			}
			line, col := 1, 1
			if off, ok := m.depAt[cycle[1]]; ok {
				line, col = position(m.SQL, off)
			}
			errs = append(errs, &diag.Error{Path: m.Path, Line: line, Col: col,
				Err: fmt.Errorf("dependency cycle: %s (a model cannot read, directly or not, a model that reads it)", strings.Join(cycle, " -> "))})
			return
		}
		color[m.Name] = grey
		stack = append(stack, m.Name)
		for _, d := range m.Deps {
			if dm := p.byName[d]; dm != nil {
				visit(dm)
			}
		}
		stack = stack[:len(stack)-1]
		color[m.Name] = black
		order = append(order, m)
	}
	for _, m := range p.Models {
		visit(m)
	}
	p.Models = order
	return errs.Err()
}
