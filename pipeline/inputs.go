package pipeline

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"strings"

	"bluebook/pipeline/ingest"
)

// Model input keys: a run keeps a model's table from the run before when nothing the table
// was made from changed (docs/architecture.md; docs/text-analysis.md §3, "Runs where no
// appeal changed"). A model's
// key is a hash of its SQL, bluebook's version, the run's settings and variables, and the key
// of every table it reads:
//
//   - a model: that model's key;
//   - a seed: its content;
//   - a source: the fingerprint its last ingest left (files, as-of date, ingest rules), and
//     the fingerprints of the sources its flags are computed from when the model may read a
//     flag (it names orphan, unknown_district or unknown_chamber, or has a '*');
//   - the appeal text step's tables: the key the step was last brought up to date with.
//
// Anything else a model reads (reference tables, the ledger, a source without a
// fingerprint) has no key, and then neither has the model nor any model that reads it; nor
// has a model that calls a function of the clock or of chance (now(), random() …). Those are
// built on every run, as before. The keys a run built its tables with are kept in model_inputs; any other
// way a model is built (build --select, serve, check) deletes its row, so a table is kept
// only when it was made from exactly the inputs the key names.

const modelInputsDDL = `CREATE TABLE IF NOT EXISTS model_inputs (model VARCHAR NOT NULL, key VARCHAR NOT NULL, rows BIGINT)`

// volatileFunctions are the beginnings of SQL functions whose result depends on when or by
// chance, not on the tables read: a model that names one has no key.
var volatileFunctions = []string{"now(", "today(", "current_", "get_current", "random(", "uuid(", "setseed("}

// parentFlagColumns are the source columns whose values depend on other sources.
var parentFlagColumns = []string{"orphan", "unknown_district", "unknown_chamber"}

// modelInputKeys returns the input key of every model of proj that has one (see above).
// It needs proj resolved and the appeal text step done.
func modelInputKeys(ctx context.Context, db *sql.DB, proj *Project, cfg Config) (map[string]string, error) {
	leaves, err := leafKeys(ctx, db, proj)
	if err != nil {
		return nil, err
	}
	base, err := runKeyBase(cfg)
	if err != nil {
		return nil, err
	}
	keys := map[string]string{}
	for _, m := range proj.Models { // dependency order
		if k := modelKey(m, base, leaves, keys, proj); k != "" {
			keys[m.Name] = k
		}
	}
	return keys, nil
}

// sourceKey is what a source contributes to a key: its fingerprint, and its parents' when
// flags count.
type sourceKey struct{ fingerprint, parents string }

// leafInputs are the keys of what models read that is not a model.
type leafInputs struct {
	seeds   map[string]string
	sources map[string]sourceKey
	text    string // the appeal text step's tables
}

func leafKeys(ctx context.Context, db *sql.DB, proj *Project) (*leafInputs, error) {
	l := &leafInputs{seeds: map[string]string{}, sources: map[string]sourceKey{}}
	for _, s := range proj.Seeds {
		h := sha256.Sum256(s.Data)
		l.seeds[strings.ToLower(s.Name)] = hex.EncodeToString(h[:])
	}
	isSource := map[string]bool{}
	for _, s := range ingest.Sources() {
		isSource[s.Name] = true
	}
	rows, err := db.QueryContext(ctx, "SELECT source, fingerprint, coalesce(parents, '') FROM main.ingest_state")
	if err == nil {
		defer rows.Close()
		for rows.Next() {
			var src, fp, parents string
			if err := rows.Scan(&src, &fp, &parents); err != nil {
				return nil, fmt.Errorf("read ingest state: %w", err)
			}
			if isSource[src] && fp != "" {
				l.sources[src] = sourceKey{fp, parents}
			}
		}
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("read ingest state: %w", err)
		}
	} // no ingest_state (a database built without ingest): no source has a key
	var lex, key sql.NullInt64
	if err := db.QueryRowContext(ctx, "SELECT lexicon, phrases_key FROM appeal_text_state").Scan(&lex, &key); err == nil && lex.Valid && key.Valid {
		l.text = fmt.Sprintf("text %d %d", lex.Int64, key.Int64)
	}
	return l, nil
}

// appealTextTables are the tables the appeal text step writes (textmatch.go).
var appealTextTables = map[string]bool{"appeal_text_cache": true, "appeal_text_terms": true, "appeal_text_phrase_counts": true, "appeal_text_state": true}

// runKeyBase is the part of every key that is the run's: bluebook's version, the settings
// and the variables models read through getvariable().
func runKeyBase(cfg Config) (string, error) {
	vars, err := variables(cfg)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	fmt.Fprintf(h, "version %s\nconfig %s\n", cfg.Version, configHash(cfg))
	for _, v := range vars {
		fmt.Fprintf(h, "var %s %T %v\n", v.Name, v.Arg, v.Arg)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// modelKey is the input key of m ("" when it has none), from the keys of the models before
// it in dependency order.
func modelKey(m *Model, base string, l *leafInputs, models map[string]string, proj *Project) string {
	if proj.Unresolved == nil || proj.Unresolved[m.Name] {
		return "" // not resolved: its dependencies are not known
	}
	lower := strings.ToLower(m.SQL)
	for _, f := range volatileFunctions {
		if strings.Contains(lower, f) {
			return "" // its result may differ from one run to the next whatever it reads
		}
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s\nmodel %s %s\n%s\n", base, m.Name, m.Materialize, m.SQL)
	flags := strings.Contains(lower, "*")
	for _, c := range parentFlagColumns {
		flags = flags || strings.Contains(lower, c)
	}
	for _, d := range m.Deps { // sorted by Resolve
		switch {
		case proj.Model(d) != nil:
			k, ok := models[d]
			if !ok {
				return ""
			}
			fmt.Fprintf(h, "model %s %s\n", d, k)
		case l.seeds[d] != "":
			fmt.Fprintf(h, "seed %s %s\n", d, l.seeds[d])
		case l.sources[d].fingerprint != "":
			s := l.sources[d]
			fmt.Fprintf(h, "source %s %s\n", d, s.fingerprint)
			if flags {
				fmt.Fprintf(h, "parents %s\n", s.parents)
			}
		case appealTextTables[d] && l.text != "":
			fmt.Fprintf(h, "%s %s\n", d, l.text)
		default:
			return ""
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}
