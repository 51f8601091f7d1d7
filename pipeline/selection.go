package pipeline

import (
	"fmt"
	"strings"
)

// One selection syntax for build, test and lineage (--select), read by selectNodes:
//
//	name     the node alone
//	name+    the node and everything downstream of it (what reads it, at any depth)
//	+name    the node and everything upstream of it (what it reads, at any depth)
//	+name+   both
//
// Several terms are separated by commas or spaces; the selection is their union. An
// empty spec selects every node. build and test select models; lineage selects any node
// of its graph (sources, seeds, models, checks, chapters).

// selector is one term of a --select spec.
type selector struct {
	term     string // as written, e.g. "+market_summary+"
	name     string
	up, down bool
}

// parseSelection splits a --select spec into its terms.
func parseSelection(spec string) ([]selector, error) {
	var out []selector
	for _, s := range strings.FieldsFunc(spec, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
		sel := selector{term: s, up: strings.HasPrefix(s, "+"), down: strings.HasSuffix(s, "+")}
		sel.name = strings.TrimSuffix(strings.TrimPrefix(s, "+"), "+")
		if sel.name == "" || strings.Contains(sel.name, "+") {
			return nil, fmt.Errorf("--select %s: write name, name+ (with what reads it), +name (with what it reads) or +name+", s)
		}
		out = append(out, sel)
	}
	return out, nil
}

// selectNodes returns the nodes of a graph that spec selects. parents maps every node to
// the nodes it reads (a node it reads that is not a key is a leaf). unknown explains a
// name that is no node ("no model named ..."), with a suggestion; nil when every node is
// selected (an empty spec).
func selectNodes(spec string, parents map[string][]string, unknown func(name string) string) (map[string]bool, error) {
	sels, err := parseSelection(spec)
	if err != nil {
		return nil, err
	}
	if len(sels) == 0 {
		return nil, nil
	}
	children := map[string][]string{}
	for n, ps := range parents {
		for _, p := range ps {
			children[p] = append(children[p], n)
		}
	}
	var reach func(n string, edges map[string][]string, into map[string]bool)
	reach = func(n string, edges map[string][]string, into map[string]bool) {
		for _, m := range edges[n] {
			if !into[m] {
				into[m] = true
				reach(m, edges, into)
			}
		}
	}
	chosen := map[string]bool{}
	for _, s := range sels {
		name := s.name
		if _, ok := parents[name]; !ok {
			if _, ok := children[name]; !ok {
				return nil, fmt.Errorf("--select %s: %s", s.term, unknown(name))
			}
		}
		chosen[name] = true
		if s.up {
			reach(name, parents, chosen)
		}
		if s.down {
			reach(name, children, chosen)
		}
	}
	return chosen, nil
}

// modelGraph is the models of p and the models each reads (what build and test select from).
func (p *Project) modelGraph() map[string][]string {
	g := map[string][]string{}
	for _, m := range p.Models {
		var deps []string
		for _, d := range m.Deps {
			if p.byName[d] != nil {
				deps = append(deps, d)
			}
		}
		g[m.Name] = deps
	}
	return g
}

// Select returns the models spec chooses (see selectNodes), in dependency order; an
// empty spec chooses every model.
func (p *Project) Select(spec string) ([]*Model, error) {
	chosen, err := selectNodes(spec, p.modelGraph(), func(name string) string {
		return fmt.Sprintf("no model named %q%s", name, suggest(name, p, nil))
	})
	if err != nil {
		return nil, err
	}
	if chosen == nil {
		return p.Models, nil
	}
	var out []*Model
	for _, m := range p.Models {
		if chosen[m.Name] {
			out = append(out, m)
		}
	}
	return out, nil
}
