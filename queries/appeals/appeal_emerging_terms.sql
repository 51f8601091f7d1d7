-- description: Emerging lexicon terms of Y against Y−1 (docs/text-analysis.md): y = appeals mentioning the term in Y out of N with text, x in Y−1 out of M; δ = logit((y + 0.5)/(N + 1)) − logit((x + 0.5)/(M + 1)), σ² = 1/(y + 0.5) + 1/(N − y + 0.5) + 1/(x + 0.5) + 1/(M − x + 0.5), z = δ/σ. Kept when z ≥ 1.96, y ≥ 10 and at least the disclosure threshold of distinct enterprises (appeal_text_params); none when Y−1 has no appeal with text.
-- grain: one row per emerging term
-- check: unique(term)
-- check: not_null(year, term, appeals, prev_appeals, enterprises, z)
WITH par AS (
    SELECT
        max(value) FILTER (WHERE name = 'min_enterprises') AS min_enterprises,
        max(value) FILTER (WHERE name = 'emerging_z') AS min_z,
        max(value) FILTER (WHERE name = 'emerging_min_appeals') AS min_appeals
    FROM appeal_text_params
),
n AS (
    SELECT count(*) FILTER (WHERE year = getvariable('year')) AS n,
           count(*) FILTER (WHERE year = getvariable('prev_year')) AS m
    FROM appeal_text_docs
),
-- One row of appeal_text_matches per appeal and term (its grain, checked): count(*) counts
-- appeals.
c AS (
    SELECT term,
           count(*) FILTER (WHERE year = getvariable('year')) AS y,
           count(*) FILTER (WHERE year = getvariable('prev_year')) AS x,
           count(DISTINCT uscc) FILTER (WHERE year = getvariable('year')) AS enterprises
    FROM appeal_text_matches
    GROUP BY term
),
z AS (
    SELECT c.*,
           (ln((y + 0.5) / (n.n - y + 0.5)) - ln((x + 0.5) / (n.m - x + 0.5)))
             / sqrt(1 / (y + 0.5) + 1 / (n.n - y + 0.5) + 1 / (x + 0.5) + 1 / (n.m - x + 0.5)) AS z
    FROM c CROSS JOIN n
    WHERE n.m > 0 AND c.y > 0
)
SELECT CAST(getvariable('year') AS INTEGER) AS year, term, y AS appeals, x AS prev_appeals, enterprises, z
FROM z CROSS JOIN par
WHERE z >= par.min_z AND y >= par.min_appeals AND enterprises >= par.min_enterprises
ORDER BY z DESC, term
