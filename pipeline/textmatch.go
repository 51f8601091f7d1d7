package pipeline

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"hash/fnv"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"bluebook/duck"
)

// The appeal text analysis in Go (docs/text-analysis.md §3-4, BENCHMARKS.md "Appeal text
// analysis"). Lexicon matching and phrase counting are one scan of the masked texts, done
// between ingest and the models by prepareAppealText; the SQL models read its tables:
//
//   - appeal_text_cache(text_hash, lexicon, term_id): the terms a masked text mentions, keyed
//     by DuckDB's hash() of the text and the lexicon's version (term_id NULL: none). Kept
//     across runs: a run computes only the texts it has not seen under this lexicon.
//   - appeal_text_terms(term_id, term, topic): the counted (term, topic) pairs of the lexicon
//     in force (不计 is matched but never counted).
//   - appeal_text_phrase_counts(phrase, appeals, prev_appeals, enterprises): the phrases of
//     appeal_new_phrases that pass its thresholds of appeals in Y and of enterprises (only
//     those are stored: nothing raised by fewer than min_enterprises enterprises).
//   - appeal_text_state: the lexicon version the cache is read with and the key of what the
//     tables were made from (a digest of appeal_text_docs, the year, the lexicon and the
//     params): when it did not change, the step does nothing else.
//
// No table holds an appeal's text: only hashes, term ids and thresholded phrases.
//
// The definitions stay where analysts read them: the step runs the SQL of the models
// appeal_text_docs (which appeals) and appeal_text_lexicon (the surface forms and what
// contains them) as they are in the project.

const appealTextDDL = `
CREATE TABLE IF NOT EXISTS appeal_text_cache (text_hash UBIGINT NOT NULL, lexicon BIGINT NOT NULL, term_id INTEGER);
CREATE TABLE IF NOT EXISTS appeal_text_terms (term_id INTEGER NOT NULL, term VARCHAR NOT NULL, topic VARCHAR NOT NULL);
CREATE TABLE IF NOT EXISTS appeal_text_phrase_counts (phrase VARCHAR NOT NULL, appeals BIGINT NOT NULL, prev_appeals BIGINT NOT NULL, enterprises BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS appeal_text_state (lexicon BIGINT, phrases_key BIGINT, texts BIGINT, texts_computed BIGINT);
ALTER TABLE appeal_text_state ADD COLUMN IF NOT EXISTS texts BIGINT;
`

// ignoredTopic marks boilerplate lexicon entries: matched, never counted.
const ignoredTopic = "不计"

// maskToken is what ingest leaves for a piece of personal data; phrases never span it.
const maskToken = "〔已遮蔽〕"

// appealTextResult says what prepareAppealText did.
type appealTextResult struct {
	Texts    int  // distinct texts of the appeals analysed
	Computed int  // of them, matched now (the others came from the cache)
	Phrases  bool // phrase counts recomputed
	// Unchanged: the key of the texts, the lexicon and the parameters is the one the
	// tables were made with; nothing was read or written.
	Unchanged bool
	By        string        // what the key was made from: "ingest fingerprint" or "digest"
	Elapsed   time.Duration // the step's time
}

type textParams struct {
	lo, hi                    int
	minAppeals, minEnterprise float64
	ok                        bool
}

// prepareAppealText creates the text analysis tables (empty when there is nothing to
// analyse, so that the models bind) and brings them up to date with the appeals and the
// lexicon. When appeal_text_docs or appeal_text_lexicon cannot be run (a project without
// them, or an analyst's error in them) the cache is left alone and the state points at no
// lexicon, so the models see no matches; the models report their own errors.
func prepareAppealText(ctx context.Context, db *sql.DB, proj *Project, cfg Config) (appealTextResult, error) {
	var res appealTextResult
	if err := createAppealTextTables(ctx, db); err != nil {
		return res, err
	}
	docs, lexm := proj.Model("appeal_text_docs"), proj.Model("appeal_text_lexicon")
	if docs == nil || lexm == nil {
		return res, setTextState(ctx, db, 0, 0, 0, 0)
	}
	docsSQL := "(\n" + strings.TrimRight(strings.TrimSpace(docs.SQL), ";") + "\n)"
	lexSQL := "(\n" + strings.TrimRight(strings.TrimSpace(lexm.SQL), ";") + "\n)"
	log := cfg.logger()
	start := time.Now()

	par := readTextParams(ctx, db)
	lex, err := loadLexicon(ctx, db, lexSQL, par)
	if err != nil {
		log.Debug("appeal text: lexicon not read; no matches", "err", err)
		return res, setTextState(ctx, db, 0, 0, 0, 0)
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return res, err
	}
	defer conn.Close()

	// What the matches and the phrase counts are made from, as a key: when neither it nor
	// the lexicon changed since the last time, there is nothing to do. When
	// appeal_text_docs reads sources only, the key is its input key (the appeals' ingest
	// fingerprint, its SQL, the year and cut-off: inputs.go), which costs no look at the
	// texts; otherwise it is a digest of the texts it returns. (A failure here is an
	// analyst's error in appeal_text_docs, which its model reports when it is built.)
	var year, prev sql.NullInt64
	key := fnv.New64a()
	docsKey, by := "", "digest"
	if leaves, err := leafKeys(ctx, db, proj); err == nil {
		if base, err := runKeyBase(cfg); err == nil {
			docsKey = modelKey(docs, base, leaves, map[string]string{}, proj)
		}
	}
	if docsKey != "" {
		// Bound, not run: an analyst's error in it is reported by its model, as below.
		if err := conn.QueryRowContext(ctx, `SELECT CAST(getvariable('year') AS BIGINT), CAST(getvariable('prev_year') AS BIGINT)
			FROM (SELECT count(*) FROM (SELECT * FROM `+docsSQL+" d LIMIT 0))").Scan(&year, &prev); err != nil {
			log.Warn("appeal text: appeal_text_docs not run; no matches", "err", err)
			return res, setTextState(ctx, db, 0, 0, 0, 0)
		}
		fmt.Fprintf(key, "inputs %s|%d|%+v", docsKey, lex.version, par)
		by = "ingest fingerprint"
	} else {
		var digest uint64
		var n int64
		if err := conn.QueryRowContext(ctx, `SELECT coalesce(bit_xor(hash(appeal_id, uscc, year, txt)), 0), count(*),
			CAST(getvariable('year') AS BIGINT), CAST(getvariable('prev_year') AS BIGINT) FROM `+docsSQL+" d").Scan(&digest, &n, &year, &prev); err != nil {
			log.Warn("appeal text: appeal_text_docs not run; no matches", "err", err)
			return res, setTextState(ctx, db, 0, 0, 0, 0)
		}
		fmt.Fprintf(key, "%d|%d|%d|%d|%d|%+v", digest, n, year.Int64, prev.Int64, lex.version, par)
	}
	phrasesKey := int64(key.Sum64())
	var oldLex, oldKey, oldTexts sql.NullInt64
	_ = conn.QueryRowContext(ctx, "SELECT lexicon, phrases_key, texts FROM appeal_text_state").Scan(&oldLex, &oldKey, &oldTexts)
	if oldLex.Valid && oldLex.Int64 == lex.version && oldKey.Valid && oldKey.Int64 == phrasesKey {
		res.Texts = int(oldTexts.Int64)
		res.Unchanged, res.By, res.Elapsed = true, by, time.Since(start)
		log.Debug("appeal text: no appeal text, lexicon entry or parameter changed; step skipped", "texts", res.Texts, "by", by, "elapsed", time.Since(start).Round(time.Millisecond))
		return res, setTextState(ctx, db, lex.version, phrasesKey, int64(res.Texts), 0)
	}

	// The counted terms of this lexicon version.
	if _, err := conn.ExecContext(ctx, "DELETE FROM appeal_text_terms"); err != nil {
		return res, err
	}
	if err := appendTo(conn, "appeal_text_terms", func(add func(...driver.Value) error) error {
		for i, p := range lex.pairs {
			if err := add(int32(i), p[0], p[1]); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		return res, err
	}
	// One scan of the texts: the distinct ones, those not yet matched under this lexicon
	// (matched now), and the phrase counts of Y and Y − 1.
	cached := map[uint64]bool{}
	crows, err := conn.QueryContext(ctx, "SELECT DISTINCT text_hash FROM appeal_text_cache WHERE lexicon = ?", lex.version)
	if err != nil {
		return res, fmt.Errorf("appeal text: read the cache: %w", err)
	}
	for crows.Next() {
		var h uint64
		if err := crows.Scan(&h); err != nil {
			crows.Close()
			return res, err
		}
		cached[h] = true
	}
	crows.Close()
	if err := crows.Err(); err != nil {
		return res, err
	}
	type miss struct {
		h     uint64
		terms []int32
	}
	// The new texts are matched in a goroutine of their own while the scan goes on (and
	// the phrases are counted in another: countPhrases), so that the step uses both cores
	// of a small machine. Texts are matched in the order they are read.
	type text struct {
		h   uint64
		txt string
	}
	toMatch := make(chan text, 1024)
	matched := make(chan []miss, 1)
	go func() {
		m := lex.newMatcher()
		var out []miss
		for t := range toMatch {
			out = append(out, miss{t.h, m.match(t.txt)})
		}
		matched <- out
	}()
	seen := map[uint64]bool{}
	onText := func(h uint64, txt string) {
		if seen[h] {
			return
		}
		seen[h] = true
		if !cached[h] {
			toMatch <- text{h, txt}
		}
	}
	var counts []phraseCount
	phrases := par.ok && year.Valid && prev.Valid
	if phrases {
		counts, err = countPhrases(ctx, conn, docsSQL, year.Int64, prev.Int64, par, onText)
	} else {
		err = scanTexts(ctx, conn, docsSQL, onText)
	}
	close(toMatch)
	misses := <-matched
	if err != nil {
		if ctx.Err() != nil {
			return res, err
		}
		// An error of appeal_text_docs that shows only when it runs: its model reports it.
		log.Warn("appeal text: appeal_text_docs not run; no matches", "err", err)
		return res, setTextState(ctx, db, 0, 0, 0, 0)
	}
	res.Texts = len(seen)
	res.Computed = len(misses)
	// Only this lexicon's matches are kept.
	if _, err := conn.ExecContext(ctx, "DELETE FROM appeal_text_cache WHERE lexicon <> ?", lex.version); err != nil {
		return res, err
	}
	if err := appendTo(conn, "appeal_text_cache", func(add func(...driver.Value) error) error {
		for _, ms := range misses {
			if len(ms.terms) == 0 {
				if err := add(ms.h, lex.version, nil); err != nil {
					return err
				}
			}
			for _, t := range ms.terms {
				if err := add(ms.h, lex.version, t); err != nil {
					return err
				}
			}
		}
		return nil
	}); err != nil {
		return res, err
	}

	// The texts no appeal analysed now has (an edited appeal's old text, a year no longer
	// read) are dropped once they are more than a tenth of the cache: dropping them reads
	// every text again (0.5 s on 10^6 appeals), too much for every run.
	stale := 0
	for h := range cached {
		if !seen[h] {
			stale++
		}
	}
	if stale > res.Texts/10 {
		if _, err := conn.ExecContext(ctx, `DELETE FROM appeal_text_cache WHERE text_hash NOT IN (SELECT hash(txt) FROM `+docsSQL+` d)`); err != nil {
			return res, err
		}
	}

	// The phrase counts (the key changed: some text, the year, a param or the lexicon, which
	// the phrases are filtered by in SQL).
	res.Phrases = true
	if _, err := conn.ExecContext(ctx, "DELETE FROM appeal_text_phrase_counts"); err != nil {
		return res, err
	}
	if err := appendTo(conn, "appeal_text_phrase_counts", func(add func(...driver.Value) error) error {
		for _, c := range counts {
			if err := add(c.phrase, c.y, c.x, c.ent); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		return res, err
	}
	res.By, res.Elapsed = by, time.Since(start)
	log.Debug("appeal text: step done", "texts", res.Texts, "computed", res.Computed, "phrases_recomputed", res.Phrases, "elapsed", time.Since(start).Round(time.Millisecond))
	return res, setTextState(ctx, db, lex.version, phrasesKey, int64(res.Texts), int64(res.Computed))
}

// createAppealTextTables creates the tables of the step, empty, when they do not exist.
func createAppealTextTables(ctx context.Context, db *sql.DB) error {
	if _, err := db.ExecContext(ctx, appealTextDDL); err != nil {
		return fmt.Errorf("appeal text tables: %w", err)
	}
	return nil
}

func setTextState(ctx context.Context, db *sql.DB, version, phrasesKey, texts, computed int64) error {
	_, err := db.ExecContext(ctx, "DELETE FROM appeal_text_state; INSERT INTO appeal_text_state (lexicon, phrases_key, texts, texts_computed) VALUES (?, ?, ?, ?)", version, phrasesKey, texts, computed)
	if err != nil {
		return fmt.Errorf("appeal text state: %w", err)
	}
	return nil
}

// appendTo appends rows to a table of the main schema through DuckDB's Appender.
func appendTo(conn *sql.Conn, table string, fill func(add func(...driver.Value) error) error) error {
	return duck.Append(conn, "", "main", table, fill)
}

func readTextParams(ctx context.Context, db *sql.DB) textParams {
	var p textParams
	var lo, hi, ma, me sql.NullFloat64
	err := db.QueryRowContext(ctx, `SELECT
		max(CAST(value AS DOUBLE)) FILTER (WHERE name = 'phrase_min_chars'),
		max(CAST(value AS DOUBLE)) FILTER (WHERE name = 'phrase_max_chars'),
		max(CAST(value AS DOUBLE)) FILTER (WHERE name = 'emerging_min_appeals'),
		max(CAST(value AS DOUBLE)) FILTER (WHERE name = 'min_enterprises')
		FROM appeal_text_params`).Scan(&lo, &hi, &ma, &me)
	if err != nil || !lo.Valid || !hi.Valid || !ma.Valid || !me.Valid {
		return p
	}
	// The model casts the lengths to INTEGER (rounding half away from zero).
	p.lo, p.hi = max(int(roundHalfAway(lo.Float64)), 1), int(roundHalfAway(hi.Float64))
	p.minAppeals, p.minEnterprise, p.ok = ma.Float64, me.Float64, true
	return p
}

func roundHalfAway(f float64) float64 {
	if f < 0 {
		return -roundHalfAway(-f)
	}
	return float64(int64(f + 0.5))
}

// lexicon is appeal_text_lexicon as the matcher uses it.
type lexicon struct {
	surfaces []string
	pair     []int32   // per surface: index into pairs, -1 for 不计
	longer   [][]int32 // per surface: the longer surfaces containing it, in the model's order
	pairs    [][2]string
	version  int64
}

func loadLexicon(ctx context.Context, db *sql.DB, lexSQL string, par textParams) (*lexicon, error) {
	rows, err := db.QueryContext(ctx, `SELECT surface, term, topic, coalesce(array_to_string(longer, chr(31)), '')
		FROM `+lexSQL+` l ORDER BY surface`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	lx := &lexicon{}
	h := fnv.New64a()
	var terms, topics, longer []string
	for rows.Next() {
		var s, t, lg string
		var topic sql.NullString
		if err := rows.Scan(&s, &t, &topic, &lg); err != nil {
			return nil, err
		}
		// A NULL topic is never counted (topic <> '不计' is not true for it).
		tp := topic.String
		if !topic.Valid {
			tp = ignoredTopic
		}
		fmt.Fprintf(h, "%s\x1e%s\x1e%s\x1e%s\x1d", s, t, tp, lg)
		lx.surfaces = append(lx.surfaces, s)
		terms, topics, longer = append(terms, t), append(topics, tp), append(longer, lg)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	fmt.Fprintf(h, "%+v", par)
	lx.version = int64(h.Sum64())
	index := map[string]int32{}
	for i, s := range lx.surfaces {
		index[s] = int32(i)
	}
	pairIdx := map[[2]string]int32{}
	for i := range lx.surfaces {
		if topics[i] != ignoredTopic {
			pairIdx[[2]string{terms[i], topics[i]}] = 0
		}
	}
	for p := range pairIdx {
		lx.pairs = append(lx.pairs, p)
	}
	sort.Slice(lx.pairs, func(i, j int) bool {
		if lx.pairs[i][0] != lx.pairs[j][0] {
			return lx.pairs[i][0] < lx.pairs[j][0]
		}
		return lx.pairs[i][1] < lx.pairs[j][1]
	})
	for i, p := range lx.pairs {
		pairIdx[p] = int32(i)
	}
	lx.pair = make([]int32, len(lx.surfaces))
	lx.longer = make([][]int32, len(lx.surfaces))
	for i := range lx.surfaces {
		lx.pair[i] = -1
		if topics[i] != ignoredTopic {
			lx.pair[i] = pairIdx[[2]string{terms[i], topics[i]}]
		}
		if longer[i] != "" {
			for _, l := range strings.Split(longer[i], "\x1f") {
				j, ok := index[l]
				if !ok {
					return nil, fmt.Errorf("lexicon: longer form %q is no surface", l)
				}
				lx.longer[i] = append(lx.longer[i], j)
			}
		}
	}
	return lx, nil
}

// matcher finds the surfaces a text contains: at every character, the surfaces that
// start with it are compared (a trie would save little: few entries share a first
// character).
type matcher struct {
	lx      *lexicon
	byFirst map[rune][]int32
	found   []bool
	seen    []int32 // surfaces found in the current text
	pairSet []bool
}

func (lx *lexicon) newMatcher() *matcher {
	m := &matcher{lx: lx, byFirst: map[rune][]int32{}, found: make([]bool, len(lx.surfaces)), pairSet: make([]bool, len(lx.pairs))}
	for i, s := range lx.surfaces {
		r, _ := utf8.DecodeRuneInString(s)
		m.byFirst[r] = append(m.byFirst[r], int32(i))
	}
	return m
}

// match returns the counted terms (pair indices, ascending) the text mentions, exactly as
// appeal_text_matches defined it in SQL: a surface counts when the text contains it, and
// still contains it after every longer surface containing it is replaced by '|', in the
// lexicon's order.
func (m *matcher) match(txt string) []int32 {
	lx := m.lx
	m.seen = m.seen[:0]
	for i := 0; i < len(txt); {
		r, size := utf8.DecodeRuneInString(txt[i:])
		for _, s := range m.byFirst[r] {
			if !m.found[s] && strings.HasPrefix(txt[i:], lx.surfaces[s]) {
				m.found[s] = true
				m.seen = append(m.seen, s)
			}
		}
		i += size
	}
	var out []int32
	for _, s := range m.seen {
		p := lx.pair[s]
		if p < 0 || m.pairSet[p] {
			continue
		}
		ok := true
		if len(lx.longer[s]) > 0 {
			hit := false
			for _, l := range lx.longer[s] {
				if m.found[l] {
					hit = true
					break
				}
			}
			if hit { // otherwise no replacement changes the text
				acc := txt
				for _, l := range lx.longer[s] {
					acc = strings.ReplaceAll(acc, lx.surfaces[l], "|")
				}
				ok = strings.Contains(acc, lx.surfaces[s])
			}
		}
		if ok {
			m.pairSet[p] = true
			out = append(out, p)
		}
	}
	for _, s := range m.seen {
		m.found[s] = false
	}
	for _, p := range out {
		m.pairSet[p] = false
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

type phraseCount struct {
	phrase    string
	y, x, ent int64
}

// countPhrases counts, for every phrase of appeal_new_phrases (substrings of lo-hi
// characters of the runs of Han characters, the mask token cut out first), the appeals of
// year and prev that contain it (once per appeal) and the distinct enterprises of year, and
// returns those with at least minAppeals appeals and minEnterprise enterprises in year.
//
// The appeals are not read one by one: a row through database/sql costs about a
// microsecond, more than everything else the step does (BENCHMARKS.md, "Appeal text
// analysis"). DuckDB groups them by text instead, one row per distinct text with its
// appeals of year and of prev and the distinct enterprises of year that wrote it. A text is
// cut into phrases once; its appeals add to each phrase's counts. The enterprises are then
// counted enterprise by enterprise over the texts each wrote, so that a phrase counts an
// enterprise once however many of its texts contain it.
//
// Every text of appeal_text_docs, of any year, is also passed to onText with its hash().
func countPhrases(ctx context.Context, conn *sql.Conn, docsSQL string, year, prev int64, par textParams, onText func(uint64, string)) ([]phraseCount, error) {
	rows, err := conn.QueryContext(ctx, `SELECT hash(txt), txt,
		count(*) FILTER (WHERE year = ?), count(*) FILTER (WHERE year = ?),
		list(DISTINCT uscc) FILTER (WHERE year = ? AND uscc IS NOT NULL)
		FROM `+docsSQL+` d GROUP BY txt`, year, prev, year)
	if err != nil {
		return nil, fmt.Errorf("appeal text: read texts: %w", err)
	}
	defer rows.Close()
	ids := map[string]int32{}
	var y, x, lastText []int32
	// Per text of year written by an enterprise: its phrases (ids, each once); and the
	// (enterprise, text) pairs.
	var textPhrases [][]int32
	type pair struct{ ent, text int32 }
	var pairs []pair
	ents := map[string]int32{}
	textNo := int32(0)
	runs := map[string][]int32{} // the phrases of the runs of Han characters seen so far
	runsKept := 0
	const runsLimit = 1 << 24 // phrase ids kept for runs (64 MB)
	countText := func(t textRow) {
		onText(t.h, t.txt)
		if t.y == 0 && t.x == 0 {
			return
		}
		textNo++
		var list []int32
		forEachRun(t.txt, func(run string) {
			// Texts share most of their runs (a template's sentences): a run is cut into
			// phrases once, and then costs one look-up.
			runIDs, ok := runs[run]
			if !ok {
				runIDs = nil
				runPhrases(run, par.lo, par.hi, func(p string) {
					id, ok := ids[p]
					if !ok {
						id = int32(len(y))
						ids[strings.Clone(p)] = id
						y, x, lastText = append(y, 0), append(x, 0), append(lastText, 0)
					}
					runIDs = append(runIDs, id)
				})
				if runsKept+len(runIDs) <= runsLimit {
					runs[strings.Clone(run)] = runIDs
					runsKept += len(runIDs)
				}
			}
			for _, id := range runIDs {
				if lastText[id] != textNo {
					lastText[id] = textNo
					y[id] += int32(t.y)
					x[id] += int32(t.x)
					if len(t.ents) > 0 {
						list = append(list, id)
					}
				}
			}
		})
		if len(t.ents) == 0 {
			return
		}
		ti := int32(len(textPhrases))
		textPhrases = append(textPhrases, list)
		for _, u := range t.ents {
			e, ok := ents[u]
			if !ok {
				e = int32(len(ents))
				ents[u] = e
			}
			pairs = append(pairs, pair{e, ti})
		}
	}
	// The rows are read from DuckDB in a goroutine of their own, in batches, while this one
	// cuts and counts the phrases.
	const batchRows = 256
	batches := make(chan []textRow, 4)
	var scanErr error // set before batches is closed
	go func() {
		defer close(batches)
		batch := make([]textRow, 0, batchRows)
		for rows.Next() {
			var r textRow
			var list any
			if err := rows.Scan(&r.h, &r.txt, &r.y, &r.x, &list); err != nil {
				scanErr = err
				return
			}
			if l, ok := list.([]any); ok {
				for _, v := range l {
					if u, ok := v.(string); ok {
						r.ents = append(r.ents, u)
					}
				}
			}
			if batch = append(batch, r); len(batch) == batchRows {
				batches <- batch
				batch = make([]textRow, 0, batchRows)
			}
		}
		if len(batch) > 0 {
			batches <- batch
		}
		scanErr = rows.Err()
	}()
	for batch := range batches {
		for _, r := range batch {
			countText(r)
		}
	}
	if scanErr != nil {
		return nil, scanErr
	}

	// Enterprises, for the phrases with enough appeals only: each text keeps those, then the
	// texts are visited enterprise by enterprise (a counting sort of the pairs).
	frequent := func(id int32) bool { return float64(y[id]) >= par.minAppeals }
	for i, list := range textPhrases {
		k := 0
		for _, id := range list {
			if frequent(id) {
				list[k] = id
				k++
			}
		}
		textPhrases[i] = list[:k]
	}
	start := make([]int32, len(ents)+1)
	for _, p := range pairs {
		start[p.ent+1]++
	}
	for e := range len(ents) {
		start[e+1] += start[e]
	}
	byEnt := make([]int32, len(pairs))
	next := append([]int32(nil), start[:len(ents)]...)
	for _, p := range pairs {
		byEnt[next[p.ent]] = p.text
		next[p.ent]++
	}
	ent := make([]int32, len(y))
	lastEnt := lastText // reused: enterprise number + 1 of the last count
	clear(lastEnt)
	for e := range len(ents) {
		for _, ti := range byEnt[start[e]:start[e+1]] {
			for _, id := range textPhrases[ti] {
				if lastEnt[id] != int32(e)+1 {
					lastEnt[id] = int32(e) + 1
					ent[id]++
				}
			}
		}
	}
	var out []phraseCount
	for p, id := range ids {
		if frequent(id) && float64(ent[id]) >= par.minEnterprise {
			out = append(out, phraseCount{p, int64(y[id]), int64(x[id]), int64(ent[id])})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].phrase < out[j].phrase })
	return out, nil
}

// textRow is one distinct text of appeal_text_docs as countPhrases reads it: its hash(),
// its appeals of the year and of the year before, and the enterprises that wrote it in the
// year.
type textRow struct {
	h    uint64
	txt  string
	y, x int64
	ents []string
}

// scanTexts passes every distinct text of appeal_text_docs to onText with its hash().
func scanTexts(ctx context.Context, conn *sql.Conn, docsSQL string, onText func(uint64, string)) error {
	rows, err := conn.QueryContext(ctx, "SELECT DISTINCT hash(txt), txt FROM "+docsSQL+" d")
	if err != nil {
		return fmt.Errorf("appeal text: read texts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var h uint64
		var txt string
		if err := rows.Scan(&h, &txt); err != nil {
			return err
		}
		onText(h, txt)
	}
	return rows.Err()
}

// forEachRun calls f with every maximal run of Han characters of txt, once the mask token
// is cut out; runPhrases then gives the phrases of a run. Together they cut a text as
// regexp_extract_all(replace(txt, '〔已遮蔽〕', '|'), '\p{Han}+') and substr did in SQL.
func forEachRun(txt string, f func(string)) {
	if strings.Contains(txt, maskToken) {
		txt = strings.ReplaceAll(txt, maskToken, "|")
	}
	start := -1 // byte offset of the current run's first character
	for i := 0; i <= len(txt); {
		r, size := rune(-1), 1
		if i < len(txt) {
			r, size = utf8.DecodeRuneInString(txt[i:])
		}
		if r >= 0 && unicode.Is(unicode.Han, r) {
			if start < 0 {
				start = i
			}
		} else if start >= 0 {
			f(txt[start:i])
			start = -1
		}
		i += size
	}
}

// runPhrases calls f with every substring of lo-hi characters of run, a run of Han
// characters, in the order of their last character.
func runPhrases(run string, lo, hi int, f func(string)) {
	var starts [64]int // byte offsets of the last characters (ring)
	n := 0             // characters so far
	for i, r := range run {
		starts[n%64] = i
		n++
		end := i + utf8.RuneLen(r)
		// the phrases ending with this character
		for k := lo; k <= hi && k <= n; k++ {
			if k > 64 {
				break
			}
			f(run[starts[(n-k)%64]:end])
		}
	}
}
