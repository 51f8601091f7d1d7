-- description: New phrases of Y (docs/text-analysis.md; how the lexicon grows): runs of 2-6 Han characters of the masked text that are not lexicon terms, counted by appeals and enterprises in Y and Y−1 and scored like emerging terms; kept when emerging (z ≥ 1.96, y ≥ 10, at least the disclosure threshold of enterprises), dropped when they contain the core of a registered enterprise's name (its name without division prefix and organisational suffix) of 4 characters or more (looked up only for the names whose registry.name_tail ends a piece), chains of overlapping 6-character phrases with about the same appeals joined into the longer expression they spell (counted again; a chain that starts inside a word grown to the left while it keeps most of its appeals), then reduced to maximal phrases (a phrase is dropped when a longer kept phrase containing it has at least 80 % of its appeals).
-- grain: one row per phrase
-- check: unique(phrase)
-- check: not_null(year, phrase, appeals, prev_appeals, enterprises, z)
WITH RECURSIVE par AS (
    SELECT
        max(value) FILTER (WHERE name = 'min_enterprises') AS min_enterprises,
        max(value) FILTER (WHERE name = 'emerging_z') AS min_z,
        max(value) FILTER (WHERE name = 'emerging_min_appeals') AS min_appeals,
        CAST(max(value) FILTER (WHERE name = 'phrase_min_chars') AS INTEGER) AS lo,
        CAST(max(value) FILTER (WHERE name = 'phrase_max_chars') AS INTEGER) AS hi,
        max(value) FILTER (WHERE name = 'phrase_keep_share') AS keep_share,
        CAST(max(value) FILTER (WHERE name = 'name_core_min_chars') AS INTEGER) AS core_min
    FROM appeal_text_params
),
n AS (
    SELECT count(*) FILTER (WHERE year = getvariable('year')) AS n,
           count(*) FILTER (WHERE year = getvariable('prev_year')) AS m
    FROM appeal_text_docs
),
-- The phrases of each appeal (substrings of 2-6 characters of its runs of Han characters,
-- the mask token cut out first, so that 已遮蔽 is never a phrase) are made and counted in
-- Go before the models, in one scan of the texts (pipeline/textmatch.go): per phrase the
-- appeals of Y and Y-1 that contain it (once per appeal) and the distinct enterprises of
-- Y. appeal_text_phrase_counts keeps only the phrases with at least emerging_min_appeals
-- appeals and min_enterprises enterprises in Y, the thresholds applied below anyway.
c AS (
    SELECT phrase, appeals AS y, prev_appeals AS x, enterprises
    FROM appeal_text_phrase_counts
    WHERE appeals >= (SELECT min_appeals FROM par)
),
windows AS (
    SELECT phrase, y, x, enterprises, z
    FROM (
        SELECT c.*,
               (ln((y + 0.5) / (n.n - y + 0.5)) - ln((x + 0.5) / (n.m - x + 0.5)))
                 / sqrt(1 / (y + 0.5) + 1 / (n.n - y + 0.5) + 1 / (x + 0.5) + 1 / (n.m - x + 0.5)) AS z
        FROM c CROSS JOIN n
        WHERE n.m > 0
    ) CROSS JOIN par
    WHERE z >= par.min_z AND enterprises >= par.min_enterprises
      -- Not in the lexicon: neither a surface form nor a piece of one.
      AND NOT EXISTS (SELECT 1 FROM appeal_text_lexicon l WHERE contains(l.surface, phrase))
),
-- A phrase is at most phrase_max_chars long, so a longer new expression shows as a chain of
-- overlapping phrases of that length with about the same appeals (数据出境安全, 据出境安全评,
-- 出境安全评估 for 数据出境安全评估). Each chain (a phrase linked to the one that continues it
-- by one character, both with at least phrase_keep_share of each other's appeals, where no
-- phrase has two such successors or predecessors) is joined into the expression it spells,
-- which is counted again over the texts like any phrase and, when it is emerging too, joins
-- the phrases below; the reduction to maximal phrases then drops the pieces of the chain.
link AS (
    SELECT a.phrase AS p, b.phrase AS q
    FROM windows a, windows b, par
    WHERE length(a.phrase) = par.hi AND length(b.phrase) = par.hi AND a.phrase <> b.phrase
      AND substr(a.phrase, 2) = left(b.phrase, par.hi - 1)
      AND b.y >= par.keep_share * a.y AND a.y >= par.keep_share * b.y
),
chain_link AS (
    SELECT p, q FROM link
    WHERE p IN (SELECT p FROM link GROUP BY p HAVING count(*) = 1)
      AND q IN (SELECT q FROM link GROUP BY q HAVING count(*) = 1)
),
chain(head, expr, last, steps) AS (
    SELECT p, p, p, 0 FROM chain_link WHERE p NOT IN (SELECT q FROM chain_link)
    UNION ALL
    SELECT c.head, c.expr || right(l.q, 1), l.q, c.steps + 1
    FROM chain c JOIN chain_link l ON l.p = c.last
    WHERE c.steps < 64
),
joined AS (
    SELECT arg_max(expr, steps) AS phrase FROM chain GROUP BY head
),
-- A chain can start in the middle of a word: when the expression before it is more frequent
-- (数据出境安全评估 in more appeals than 数据出境安全评估周期较长), the link from its last phrase
-- into the chain fails, and the chain starts at 境安全评估周. So a joined expression is also
-- grown one character further left at a time, over the phrase before its first one (the one
-- that ends where it starts, the only such phrase, in at least as many appeals), as far as
-- that goes; the longest expression is counted again over the texts and replaces the joined
-- one when it keeps at least phrase_keep_share of its appeals of Y.
back AS (
    SELECT q.phrase AS q, any_value(p.phrase) AS p
    FROM windows p, windows q, par
    WHERE length(p.phrase) = par.hi AND length(q.phrase) = par.hi AND p.phrase <> q.phrase
      AND substr(p.phrase, 2) = left(q.phrase, par.hi - 1) AND p.y >= q.y
    GROUP BY q.phrase
    HAVING count(*) = 1
),
grown(base, phrase, first, steps) AS (
    SELECT phrase, phrase, left(phrase, (SELECT hi FROM par)), 0 FROM joined
    UNION ALL
    SELECT g.base, left(b.p, 1) || g.phrase, b.p, g.steps + 1
    FROM grown g JOIN back b ON b.q = g.first
    WHERE g.steps < 64
),
-- The texts once each (appeals repeat texts: 402,208 appeals with text hold 180,852 distinct
-- texts in the generator's data), with their appeals of Y and Y − 1 and their enterprises of
-- Y, so that each expression below is looked for once per text, not once per appeal.
texts AS (
    SELECT txt,
           count(*) FILTER (WHERE year = getvariable('year')) AS y,
           count(*) FILTER (WHERE year = getvariable('prev_year')) AS x,
           coalesce(list(DISTINCT uscc) FILTER (WHERE year = getvariable('year')), []) AS ents
    FROM appeal_text_docs
    GROUP BY txt
),
grown_counts AS (
    SELECT g.base, g.phrase, g.steps,
           CAST(sum(t.y) AS BIGINT) AS y,
           CAST(sum(t.x) AS BIGINT) AS x,
           length(list_distinct(flatten(list(t.ents)))) AS enterprises
    FROM (
        -- the joined expression and the longest it grows into, the steps between not counted
        -- (each count reads every text)
        SELECT base, phrase, steps FROM grown WHERE steps = 0
        UNION ALL
        SELECT base, arg_max(phrase, steps), max(steps) FROM grown WHERE steps > 0 GROUP BY base
    ) g
    JOIN texts t ON contains(t.txt, g.phrase)
    GROUP BY g.base, g.phrase, g.steps
),
joined_counts AS (
    SELECT phrase, y, x, enterprises
    FROM (
        SELECT *, max(y) FILTER (WHERE steps = 0) OVER (PARTITION BY base) AS base_y
        FROM grown_counts
    ) CROSS JOIN par
    WHERE y >= par.keep_share * base_y
    QUALIFY row_number() OVER (PARTITION BY base ORDER BY steps DESC) = 1
),
emerging AS (
    SELECT * FROM windows
    UNION ALL
    SELECT phrase, y, x, enterprises, z
    FROM (
        SELECT j.*,
               (ln((y + 0.5) / (n.n - y + 0.5)) - ln((x + 0.5) / (n.m - x + 0.5)))
                 / sqrt(1 / (y + 0.5) + 1 / (n.n - y + 0.5) + 1 / (x + 0.5) + 1 / (n.m - x + 0.5)) AS z
        FROM joined_counts j CROSS JOIN n
    ) CROSS JOIN par
    WHERE y >= par.min_appeals AND z >= par.min_z AND enterprises >= par.min_enterprises
      AND NOT EXISTS (SELECT 1 FROM appeal_text_lexicon l WHERE contains(l.surface, phrase))
),
pieces AS (
    SELECT e.phrase, substr(e.phrase, s, k) AS piece
    FROM emerging e, par,
         LATERAL (SELECT unnest(range(par.core_min, length(e.phrase) + 1)) AS k),
         LATERAL (SELECT unnest(range(1, length(e.phrase) - k + 2)) AS s)
),
-- Cores of registered names: without bracketed parts, the administrative-division prefix
-- (…省, …市, …区, …县) and the organisational suffix. Working that out for every name of a
-- large registry costs seconds, and few names matter: a core ends where the name without
-- brackets and suffix ends (the prefix is cut from the front, and it ends in 省, 区, 市, 州,
-- 盟, 县 or 旗, none of which is in a suffix, so cutting it first cannot change the suffix
-- cut), so a name whose core is a piece ends, brackets and suffix cut, like that piece.
-- Ingest keeps the last 4 characters of that stem in registry.name_tail, so only the names
-- whose tail is the end of a piece (its last 4 characters, or its last core_min when
-- core_min is below 4) get the whole computation.
candidates AS (
    SELECT name
    FROM registry
    WHERE (SELECT core_min FROM par) >= 4
      AND name_tail IN (SELECT right(piece, 4) FROM pieces)
    UNION ALL
    SELECT name
    FROM registry
    WHERE (SELECT core_min FROM par) < 4
      AND right(name_tail, (SELECT core_min FROM par)) IN (SELECT right(piece, (SELECT core_min FROM par)) FROM pieces)
),
cores AS (
    SELECT DISTINCT core
    FROM (
        SELECT regexp_replace(
                 regexp_replace(
                   regexp_replace(name, '[（(][^）)]*[）)]', '', 'g'),
                   '^(\p{Han}{2,3}(省|自治区))?(\p{Han}{2,4}?(市|自治州|州|盟))?(\p{Han}{1,4}?(区|县|旗))?', ''),
                 '(股份有限公司|有限责任公司|个人独资企业|普通合伙企业|有限合伙企业|有限公司|合伙企业|分公司|店|部)$', '') AS core
        FROM candidates
    )
    WHERE length(core) >= (SELECT core_min FROM par)
),
named AS (
    SELECT DISTINCT p.phrase FROM pieces p JOIN cores c ON c.core = p.piece
),
-- A 不计 entry with one character more (企业不, 企业需), or two 不计 entries side by side
-- (希望给予), says nothing of what an appeal is about: not a phrase. It still takes part in
-- the reduction to maximal phrases (so that its own pieces, 业不, go with it), and is left
-- out at the end.
boiler AS (
    SELECT surface FROM appeal_text_lexicon WHERE topic = '不计'
),
filler AS (
    SELECT DISTINCT e.phrase
    FROM emerging e JOIN boiler b
      ON (starts_with(e.phrase, b.surface)
          AND (length(e.phrase) - length(b.surface) <= 1
               OR substr(e.phrase, length(b.surface) + 1) IN (SELECT surface FROM boiler)))
      OR (ends_with(e.phrase, b.surface)
          AND (length(e.phrase) - length(b.surface) <= 1
               OR left(e.phrase, length(e.phrase) - length(b.surface)) IN (SELECT surface FROM boiler)))
),
kept AS (
    SELECT * FROM emerging
    WHERE phrase NOT IN (SELECT phrase FROM named)
)
SELECT CAST(getvariable('year') AS INTEGER) AS year, a.phrase, a.y AS appeals, a.x AS prev_appeals, a.enterprises, a.z
FROM kept a
WHERE a.phrase NOT IN (SELECT phrase FROM filler)
  AND NOT EXISTS (
    SELECT 1 FROM kept b, par
    WHERE length(b.phrase) > length(a.phrase) AND contains(b.phrase, a.phrase) AND b.y >= par.keep_share * a.y
)
ORDER BY a.z DESC, a.phrase
