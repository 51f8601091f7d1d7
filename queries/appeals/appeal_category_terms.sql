-- description: Key terms of each appeal category in Y (docs/text-analysis.md): score(t, c) = (df(t, c) / N_c) × ln(1 + N / df(t)), N_c the appeals with text of category c, N all appeals with text, df the appeals mentioning t; ranked within the category by score desc, then term. A (category, term) raised by fewer enterprises than the disclosure threshold is absent and not ranked.
-- grain: one row per category and term
-- check: unique(category, term)
-- check: unique(category, rank)
-- check: not_null(year, category, term, score, rank)
WITH d AS (
    SELECT * FROM appeal_text_docs WHERE year = getvariable('year')
),
n AS (SELECT count(*) AS docs FROM d),
nc AS (SELECT category, count(*) AS docs FROM d GROUP BY category),
m AS (SELECT * FROM appeal_text_matches WHERE year = getvariable('year')),
df AS (SELECT term, count(*) AS df FROM m GROUP BY term),
dfc AS (
    SELECT category, term, count(*) AS df, count(DISTINCT uscc) AS enterprises
    FROM m GROUP BY category, term
),
s AS (
    SELECT dfc.category, dfc.term, (dfc.df / nc.docs) * ln(1 + n.docs / df.df) AS score
    FROM dfc
    JOIN nc USING (category)
    JOIN df USING (term)
    CROSS JOIN n
    WHERE dfc.enterprises >= (SELECT value FROM appeal_text_params WHERE name = 'min_enterprises')
)
SELECT
    CAST(getvariable('year') AS INTEGER) AS year,
    category,
    term,
    score,
    row_number() OVER (PARTITION BY category ORDER BY score DESC, term) AS rank
FROM s
ORDER BY category, rank
