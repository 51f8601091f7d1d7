package pipeline

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"bluebook/pipeline/ingest"
	"bluebook/reports"
)

// Check parses and binds every model and every report query against empty source tables,
// in dependency order, without data, and returns every error at once.
func Check(ctx context.Context, cfg Config) error {
	db, err := openDB(ctx, "", cfg, false)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := ingest.CreateEmpty(ctx, db); err != nil {
		return fmt.Errorf("create empty source tables: %w", err)
	}
	var errs ErrorList
	failed := map[string]bool{}
	proj, err := prepareModels(ctx, db, cfg)
	if err != nil {
		if proj == nil || proj.Unresolved == nil {
			return err
		}
		// Report these, then bind every model that does not depend on them.
		var list ErrorList
		if errors.As(err, &list) {
			errs = append(errs, list...)
		} else {
			errs = append(errs, err)
		}
		for name := range proj.Unresolved {
			failed[name] = true
		}
	}
	// Chapter queries are parsed before anything runs; one that breaks a rule is not run.
	book, bookErr := reports.Load(cfg.Reports)
	badQuery := map[string]bool{}
	if bookErr == nil {
		for _, q := range book.Queries() {
			if ferrs := checkQuery(ctx, db, cfg, q); len(ferrs) > 0 {
				errs = append(errs, ferrs...)
				badQuery[q.ID] = true
			}
		}
	}
	if err := lockDown(ctx, db, cfg); err != nil {
		return err
	}
	for _, m := range proj.Models {
		if failed[m.Name] {
			continue
		}
		blocked := ""
		for _, d := range m.Deps {
			if failed[d] {
				blocked = d
			}
		}
		if blocked != "" {
			failed[m.Name] = true // its own errors show once the model it reads is fixed
			continue
		}
		if err := materialize(ctx, db, m); err != nil {
			errs = append(errs, err)
			failed[m.Name] = true
		}
	}
	if bookErr != nil {
		errs = append(errs, bookErr)
	} else if len(failed) == 0 {
		if _, err := attachPublished(ctx, db, cfg, proj); err != nil {
			return err
		}
		if err := ensureCheckResults(ctx, db); err != nil {
			return err
		}
		if err := ensureLedger(ctx, db); err != nil {
			return err
		}
		for _, q := range book.Queries() {
			if badQuery[q.ID] {
				continue
			}
			if _, err := queryTable(ctx, db, q.SQL); err != nil {
				fe := mapDuckErr(err, path.Join(cfg.ReportsDir, q.File), q.SQL, 0)
				var f *FileError
				if errors.As(fe, &f) {
					f.Line = max(f.Line, 1) + q.Line - 1
				}
				errs = append(errs, fe)
			}
		}
	}
	return errs.Err()
}

// Build runs the selected models (and nothing else) against the database.
func Build(ctx context.Context, cfg Config, spec string) ([]ModelRun, error) {
	db, proj, err := openProject(ctx, cfg.DBPath, cfg)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	if err := lockDown(ctx, db, cfg); err != nil {
		return nil, err
	}
	models, err := proj.Select(spec)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrConfig, err)
	}
	runs, err := buildModels(ctx, db, models, nil)
	if err != nil {
		return runs, fmt.Errorf("build failed: %w", err)
	}
	return runs, nil
}

// Test runs every data check against the database.
func Test(ctx context.Context, cfg Config) ([]CheckResult, error) {
	db, proj, err := openProject(ctx, cfg.DBPath, cfg)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	if err := lockDown(ctx, db, cfg); err != nil {
		return nil, err
	}
	res, err := runChecks(ctx, db, proj, "test-"+time.Now().Format("20060102-150405"))
	if err != nil {
		return res, err
	}
	for _, r := range res {
		if r.Status != "pass" && r.Severity == "error" {
			return res, ErrCheckFailed
		}
	}
	return res, nil
}

// Lineage returns the dependency graph of sources, seeds and models as text, mermaid or dot.
func Lineage(ctx context.Context, cfg Config, format string) (string, error) {
	db, err := openDB(ctx, "", cfg, false)
	if err != nil {
		return "", err
	}
	defer db.Close()
	if err := ingest.CreateEmpty(ctx, db); err != nil {
		return "", err
	}
	proj, err := prepareModels(ctx, db, cfg)
	if err != nil {
		return "", err
	}
	seeds := map[string]bool{}
	for _, s := range proj.Seeds {
		seeds[s.Name] = true
	}
	kind := func(n string) string {
		switch {
		case proj.Model(n) != nil:
			return "model"
		case seeds[n]:
			return "seed"
		case strings.HasPrefix(n, "ref_"):
			return "reference"
		}
		return "source"
	}
	var b strings.Builder
	switch format {
	case "", "text":
		for _, m := range proj.Models {
			fmt.Fprintf(&b, "%s (%s, %s)\n", m.Name, m.Materialize, m.Path)
			for _, d := range m.Deps {
				fmt.Fprintf(&b, "  <- %s [%s]\n", d, kind(d))
			}
		}
	case "mermaid":
		b.WriteString("graph LR\n")
		nodes := map[string]bool{}
		for _, m := range proj.Models {
			nodes[m.Name] = true
			for _, d := range m.Deps {
				nodes[d] = true
				fmt.Fprintf(&b, "  %s --> %s\n", mermaidID(d), mermaidID(m.Name))
			}
		}
		names := sortedKeys(nodes)
		for _, n := range names {
			shape := map[string]string{"model": "[%s]", "seed": "[/%s/]", "reference": "[/%s/]", "source": "[(%s)]"}[kind(n)]
			fmt.Fprintf(&b, "  %s"+shape+"\n", mermaidID(n), n)
		}
	case "dot":
		b.WriteString("digraph lineage {\n  rankdir=LR;\n")
		nodes := map[string]bool{}
		for _, m := range proj.Models {
			nodes[m.Name] = true
			for _, d := range m.Deps {
				nodes[d] = true
				fmt.Fprintf(&b, "  %q -> %q;\n", d, m.Name)
			}
		}
		for _, n := range sortedKeys(nodes) {
			shape := map[string]string{"model": "box", "seed": "note", "reference": "note", "source": "cylinder"}[kind(n)]
			fmt.Fprintf(&b, "  %q [shape=%s];\n", n, shape)
		}
		b.WriteString("}\n")
	default:
		return "", fmt.Errorf("%w: --format must be text, mermaid or dot", ErrConfig)
	}
	return b.String(), nil
}

func mermaidID(s string) string { return strings.ReplaceAll(s, ".", "__") }

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Query runs one SQL statement against the database read-only and prints the result as
// table, csv (with a header row) or json (an array of objects).
func Query(ctx context.Context, cfg Config, q, format string, w io.Writer) error {
	if err := CheckLock(cfg.DBPath); err != nil {
		return err
	}
	db, err := openDB(ctx, cfg.DBPath, cfg, true)
	if err != nil {
		return err
	}
	defer db.Close()
	t, err := queryTable(ctx, db, q)
	if err != nil {
		return fmt.Errorf("query failed: %s", cleanDuckErr(err))
	}
	return writeTable(w, t, format)
}

func writeTable(w io.Writer, t *reports.Table, format string) error {
	cell := func(v any) string {
		switch x := v.(type) {
		case nil:
			return ""
		case time.Time:
			if x.Hour() == 0 && x.Minute() == 0 && x.Second() == 0 && x.Nanosecond() == 0 {
				return x.Format("2006-01-02")
			}
			return x.Format("2006-01-02 15:04:05")
		case float64:
			return fmt.Sprint(x)
		}
		return fmt.Sprint(v)
	}
	switch format {
	case "csv":
		cw := csv.NewWriter(w)
		cw.Write(t.Columns)
		for _, r := range t.Rows {
			rec := make([]string, len(r))
			for i, v := range r {
				rec[i] = cell(v)
			}
			cw.Write(rec)
		}
		cw.Flush()
		return cw.Error()
	case "json":
		out := make([]map[string]any, 0, len(t.Rows))
		for _, r := range t.Rows {
			o := map[string]any{}
			for i, c := range t.Columns {
				if tv, ok := r[i].(time.Time); ok {
					o[c] = cell(tv)
				} else {
					o[c] = r[i]
				}
			}
			out = append(out, o)
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(out)
	case "", "table":
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, strings.Join(t.Columns, "\t"))
		for _, r := range t.Rows {
			rec := make([]string, len(r))
			for i, v := range r {
				rec[i] = cell(v)
				if v == nil {
					rec[i] = "NULL"
				}
			}
			fmt.Fprintln(tw, strings.Join(rec, "\t"))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		fmt.Fprintf(w, "(%d rows)\n", len(t.Rows))
		return nil
	}
	return fmt.Errorf("%w: --format must be table, csv or json", ErrConfig)
}
