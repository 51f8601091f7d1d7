package pipeline

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
)

// tableRef is one table a model's SQL reads, as DuckDB's parser saw it.
type tableRef struct {
	Schema, Name string
	Offset       int // byte offset in the file
}

// parseRefs asks DuckDB's own parser for the tables a SELECT reads: BASE_TABLE nodes
// minus the names of its CTEs.
func parseRefs(ctx context.Context, db *sql.DB, m *Model) ([]tableRef, error) {
	var raw string
	if err := db.QueryRowContext(ctx, "SELECT CAST(json_serialize_sql(CAST(? AS VARCHAR)) AS VARCHAR)", body(m.SQL)).Scan(&raw); err != nil {
		return nil, &FileError{Path: m.Path, Line: 1, Col: 1, Err: fmt.Errorf("parse: %s", cleanDuckErr(err))}
	}
	var doc struct {
		Error        bool            `json:"error"`
		ErrorMessage string          `json:"error_message"`
		ErrorType    string          `json:"error_type"`
		Position     json.RawMessage `json:"position"`
		Statements   []any           `json:"statements"`
	}
	if err := json.Unmarshal([]byte(raw), &doc); err != nil {
		return nil, fmt.Errorf("%s: read parser output: %w", m.Path, err)
	}
	if doc.Error {
		fe := &FileError{Path: m.Path, Err: errors.New(cleanMessage(doc.ErrorMessage))}
		if strings.Contains(doc.ErrorMessage, "Only SELECT statements") {
			fe.Err = errors.New("a model must be a single SELECT (WITH allowed); write other statements elsewhere")
		}
		if off, err := strconvJSON(doc.Position); err == nil {
			fe.Line, fe.Col = position(m.SQL, off)
		}
		return nil, fe
	}
	if len(doc.Statements) != 1 {
		return nil, &FileError{Path: m.Path, Line: 1, Col: 1, Err: fmt.Errorf("a model must be exactly one SELECT, found %d statements", len(doc.Statements))}
	}
	ctes := map[string]bool{}
	var refs []tableRef
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if cm, ok := x["cte_map"].(map[string]any); ok {
				if list, ok := cm["map"].([]any); ok {
					for _, e := range list {
						if kv, ok := e.(map[string]any); ok {
							if k, ok := kv["key"].(string); ok {
								ctes[strings.ToLower(k)] = true
							}
						}
					}
				}
			}
			if x["type"] == "BASE_TABLE" {
				name, _ := x["table_name"].(string)
				schema, _ := x["schema_name"].(string)
				off := -1
				if f, ok := x["query_location"].(float64); ok && f < 1e15 {
					off = int(f)
				}
				refs = append(refs, tableRef{Schema: schema, Name: name, Offset: off})
			}
			for _, c := range x {
				walk(c)
			}
		case []any:
			for _, c := range x {
				walk(c)
			}
		}
	}
	walk(doc.Statements)
	var out []tableRef
	for _, r := range refs {
		if r.Schema == "" && ctes[strings.ToLower(r.Name)] {
			continue
		}
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Offset < out[j].Offset })
	return out, nil
}

func strconvJSON(raw json.RawMessage) (int, error) {
	var n int
	if err := json.Unmarshal(raw, &n); err == nil {
		return n, nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return 0, err
	}
	_, err := fmt.Sscan(s, &n)
	return n, err
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
		refs, err := parseRefs(ctx, db, m)
		if err != nil {
			errs = append(errs, err)
			p.Unresolved[m.Name] = true
			continue
		}
		deps := map[string]bool{}
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
			line, col := position(m.SQL, r.Offset)
			p.Unresolved[m.Name] = true
			errs = append(errs, &FileError{Path: m.Path, Line: line, Col: col,
				Err: fmt.Errorf("unknown table %q: it is not a model in queries/, a seed in queries/seeds/ or a source table%s", full, suggest(full, p, known))})
		}
		delete(deps, m.Name)
		m.Deps = m.Deps[:0]
		for d := range deps {
			m.Deps = append(m.Deps, d)
		}
		sort.Strings(m.Deps)
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

// suggest names the closest known table, if any is close.
func suggest(name string, p *Project, known map[string]bool) string {
	best, bestD := "", 3
	try := func(c string) {
		if d := editDistance(name, c); d < bestD {
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

func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur := make([]int, len(rb)+1)
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(rb)]
}

// sortModels orders models so each comes after the models it reads; a cycle is an error
// that prints the cycle.
func (p *Project) sortModels() error {
	const (
		white = iota
		grey
		black
	)
	color := map[string]int{}
	var order []*Model
	var stack []string
	var visit func(m *Model) error
	visit = func(m *Model) error {
		switch color[m.Name] {
		case black:
			return nil
		case grey:
			i := len(stack) - 1
			for i >= 0 && stack[i] != m.Name {
				i--
			}
			cycle := append(append([]string{}, stack[i:]...), m.Name)
			return &FileError{Path: m.Path, Line: 1, Col: 1, Err: fmt.Errorf("dependency cycle: %s", strings.Join(cycle, " -> "))}
		}
		color[m.Name] = grey
		stack = append(stack, m.Name)
		for _, d := range m.Deps {
			if dm := p.byName[d]; dm != nil {
				if err := visit(dm); err != nil {
					return err
				}
			}
		}
		stack = stack[:len(stack)-1]
		color[m.Name] = black
		order = append(order, m)
		return nil
	}
	for _, m := range p.Models {
		if err := visit(m); err != nil {
			return err
		}
	}
	p.Models = order
	return nil
}

// Select returns the models chosen by spec, in dependency order: "name", "name+" (with
// its descendants), "+name" (with its ancestors); several specs separated by spaces or commas.
func (p *Project) Select(spec string) ([]*Model, error) {
	if strings.TrimSpace(spec) == "" {
		return p.Models, nil
	}
	chosen := map[string]bool{}
	for _, s := range strings.FieldsFunc(spec, func(r rune) bool { return r == ',' || r == ' ' }) {
		up := strings.HasPrefix(s, "+")
		down := strings.HasSuffix(s, "+")
		name := strings.TrimSuffix(strings.TrimPrefix(s, "+"), "+")
		if p.byName[name] == nil {
			return nil, fmt.Errorf("--select %s: no model named %q%s", s, name, suggest(name, p, nil))
		}
		chosen[name] = true
		if up {
			p.ancestors(name, chosen)
		}
		if down {
			p.descendants(name, chosen)
		}
	}
	var out []*Model
	for _, m := range p.Models {
		if chosen[m.Name] {
			out = append(out, m)
		}
	}
	return out, nil
}

func (p *Project) ancestors(name string, into map[string]bool) {
	for _, d := range p.byName[name].Deps {
		if p.byName[d] != nil && !into[d] {
			into[d] = true
			p.ancestors(d, into)
		}
	}
}

func (p *Project) descendants(name string, into map[string]bool) {
	for _, m := range p.Models {
		for _, d := range m.Deps {
			if d == name && !into[m.Name] {
				into[m.Name] = true
				p.descendants(m.Name, into)
			}
		}
	}
}
