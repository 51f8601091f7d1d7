package pipeline

import (
	"context"
	"fmt"
	"path"
	"regexp"
	"sort"
	"strings"

	"bluebook/pipeline/ingest"
	"bluebook/reports"
)

// The lineage graph holds what analysts write and what it reads, as dbt's lineage with
// its exposures: sources, seeds and reference tables; models; checks (a model's
// `-- check:` lines and the files in queries/checks/); chapters (what their sql blocks
// read). A check is named check:NAME (NAME as `bluebook test` prints it), a chapter
// chapter:STEM (chapter:01_market); any other node by its table name.

// lineageNode is a model, a check or a chapter: a node that reads others.
type lineageNode struct {
	id     string
	kind   string // model, check or chapter
	detail string // what the text format prints after the name: "table, queries/x.sql", "check, error, queries/x.sql:3"
	deps   []string
}

// lineageGraph reads the project's models, checks and chapters (models in dependency
// order, then checks, then chapters in book order).
func lineageGraph(ctx context.Context, cfg Config) ([]lineageNode, map[string]string, error) {
	db, err := openDB(ctx, "", cfg, false)
	if err != nil {
		return nil, nil, err
	}
	defer db.Close()
	if err := ingest.CreateEmpty(ctx, db); err != nil {
		return nil, nil, err
	}
	proj, err := prepareModels(ctx, db, cfg)
	if err != nil {
		return nil, nil, err
	}
	kinds := map[string]string{}
	for _, s := range proj.Seeds {
		kinds[s.Name] = "seed"
	}
	var nodes []lineageNode
	for _, m := range proj.Models {
		kinds[m.Name] = "model"
		nodes = append(nodes, lineageNode{id: m.Name, kind: "model", detail: m.Materialize + ", " + m.Path, deps: m.Deps})
	}
	for _, m := range proj.Models {
		for _, c := range m.Checks {
			deps := []string{m.Name}
			if c.Kind == "relationships" {
				if t := strings.ToLower(strings.SplitN(c.Args[1], ".", 2)[0]); t != m.Name {
					deps = append(deps, t)
				}
			}
			nodes = append(nodes, lineageNode{id: "check:" + c.Name(), kind: "check",
				detail: fmt.Sprintf("check, %s, %s:%d", c.Severity, c.Path, c.Line), deps: deps})
		}
	}
	known, err := existingTables(ctx, db, proj)
	if err != nil {
		return nil, nil, err
	}
	seeds := seedNames(proj)
	var errs ErrorList
	for _, c := range proj.Checks {
		refs, ferrs := analyze(ctx, db, c.Path, c.SQL, body(c.SQL), "a check")
		deps, rerrs := map[string]bool{}, []error(nil)
		if len(ferrs) == 0 {
			deps, rerrs = proj.resolveRefs(c.Path, c.SQL, refs, seeds, known)
		}
		errs = append(errs, ferrs...)
		errs = append(errs, rerrs...)
		nodes = append(nodes, lineageNode{id: "check:" + c.Name, kind: "check", detail: "check, " + c.Severity + ", " + c.Path, deps: sortedKeys(deps)})
	}
	book, err := reports.Load(cfg.Reports)
	if err != nil {
		errs = append(errs, chapterErrors(err, cfg.ReportsDir))
		return nil, nil, errs.Err()
	}
	reads := map[string]map[string]bool{}
	for _, q := range book.Queries() {
		stem := strings.TrimSuffix(path.Base(q.File), path.Ext(q.File))
		if reads[stem] == nil {
			reads[stem] = map[string]bool{}
		}
		if ferrs := checkQuery(ctx, db, cfg, q); len(ferrs) > 0 {
			errs = append(errs, ferrs...)
			continue
		}
		refs, _ := analyze(ctx, db, q.File, q.SQL, q.SQL, "a chapter's query")
		for _, r := range refs {
			name := strings.ToLower(r.Name)
			if r.Schema != "" && !strings.EqualFold(r.Schema, "main") {
				name = strings.ToLower(r.Schema) + "." + name
			}
			reads[stem][name] = true
		}
	}
	if err := errs.Err(); err != nil {
		return nil, nil, err
	}
	for _, stem := range book.Chapters() {
		nodes = append(nodes, lineageNode{id: "chapter:" + stem, kind: "chapter",
			detail: "chapter, " + path.Join(cfg.ReportsDir, "chapters", stem+".md"), deps: sortedKeys(reads[stem])})
	}
	for _, n := range nodes {
		kinds[n.id] = n.kind
	}
	return nodes, kinds, nil
}

// Lineage returns the lineage graph (sources, seeds, models, checks and chapters) as
// text, mermaid or dot; spec selects part of it with build's selection syntax
// (market_summary+ is the model and everything that reads it: models, checks, chapters).
func Lineage(ctx context.Context, cfg Config, format, spec string) (string, error) {
	out, err := lineage(ctx, cfg, format, spec)
	AttachSource(cfg, err)
	return out, err
}

// lineage is Lineage before the source lines of its errors are attached (AttachSource).
func lineage(ctx context.Context, cfg Config, format, spec string) (string, error) {
	switch format {
	case "", "text", "mermaid", "dot":
	default:
		return "", fmt.Errorf("%w: --format must be text, mermaid or dot", ErrConfig)
	}
	nodes, kinds, err := lineageGraph(ctx, cfg)
	if err != nil {
		return "", err
	}
	parents := map[string][]string{}
	for _, n := range nodes {
		parents[n.id] = n.deps
	}
	chosen, err := selectNodes(spec, parents, func(name string) string {
		var all []string
		for _, n := range nodes {
			all = append(all, n.id)
			all = append(all, n.deps...)
		}
		return fmt.Sprintf("no model, seed, source, check or chapter named %q (checks are named check:NAME, chapters chapter:STEM)%s", name, reports.Closest(name, all))
	})
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrConfig, err)
	}
	in := func(id string) bool { return chosen == nil || chosen[id] }
	kind := func(n string) string {
		switch {
		case kinds[n] != "":
			return kinds[n]
		case strings.HasPrefix(n, "published."):
			return "published"
		case strings.HasPrefix(n, "ref_"):
			return "reference"
		}
		return "source"
	}
	// edges calls edge for every dependency between two chosen nodes and returns the
	// nodes shown (the chosen ones and what they depend on among the chosen).
	edges := func(edge func(from, to string)) map[string]bool {
		shown := map[string]bool{}
		for _, n := range nodes {
			if !in(n.id) {
				continue
			}
			shown[n.id] = true
			for _, d := range n.deps {
				if in(d) {
					shown[d] = true
					edge(d, n.id)
				}
			}
		}
		return shown
	}
	var b strings.Builder
	switch format {
	case "", "text":
		for _, n := range nodes {
			if !in(n.id) {
				continue
			}
			fmt.Fprintf(&b, "%s (%s)\n", n.id, n.detail)
			for _, d := range n.deps {
				fmt.Fprintf(&b, "  <- %s [%s]\n", d, kind(d))
			}
		}
	case "mermaid":
		b.WriteString("graph LR\n")
		ids := mermaidIDs{}
		shown := edges(func(from, to string) { fmt.Fprintf(&b, "  %s --> %s\n", ids.of(from), ids.of(to)) })
		for _, n := range sortedKeys(shown) {
			shape := map[string]string{"model": `["%s"]`, "seed": `[/"%s"/]`, "reference": `[/"%s"/]`, "source": `[("%s")]`,
				"published": `[("%s")]`, "check": `>"%s"]`, "chapter": `{{"%s"}}`}[kind(n)]
			fmt.Fprintf(&b, "  %s"+shape+"\n", ids.of(n), strings.ReplaceAll(n, `"`, "#quot;"))
		}
	case "dot":
		b.WriteString("digraph lineage {\n  rankdir=LR;\n")
		shown := edges(func(from, to string) { fmt.Fprintf(&b, "  %q -> %q;\n", from, to) })
		for _, n := range sortedKeys(shown) {
			shape := map[string]string{"model": "box", "seed": "note", "reference": "note", "source": "cylinder",
				"published": "cylinder", "check": "diamond", "chapter": "tab"}[kind(n)]
			fmt.Fprintf(&b, "  %q [shape=%s];\n", n, shape)
		}
		b.WriteString("}\n")
	}
	return b.String(), nil
}

var notMermaidID = regexp.MustCompile(`[^A-Za-z0-9_]+`)

// mermaidIDs gives each node a mermaid identifier: its name with every run of other
// characters than letters, digits and _ made one _, made unique by a number.
type mermaidIDs map[string]string

func (m mermaidIDs) of(name string) string {
	if id, ok := m[name]; ok {
		return id
	}
	id := strings.Trim(notMermaidID.ReplaceAllString(name, "_"), "_")
	taken := map[string]bool{}
	for _, v := range m {
		taken[v] = true
	}
	for i := 2; taken[id]; i++ {
		id = fmt.Sprintf("%s_%d", strings.TrimSuffix(id, fmt.Sprintf("_%d", i-1)), i)
	}
	m[name] = id
	return id
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
