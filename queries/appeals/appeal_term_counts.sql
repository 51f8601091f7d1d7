-- description: Lexicon terms in the appeals of Y−1 and Y (docs/text-analysis.md): appeals mentioning the term (once per appeal), distinct enterprises, share = appeals / appeals with text that year. A term raised by fewer enterprises than the disclosure threshold (appeal_text_params.min_enterprises) is absent.
-- grain: one row per year and term
-- unit: share is a fraction 0-1
-- check: unique(year, term)
-- check: not_null(year, term, topic, appeals, enterprises, share)
WITH n AS (
    SELECT year, count(*) AS docs FROM appeal_text_docs GROUP BY year
),
-- appeal_text_matches has one row per appeal and term (its grain, checked), so count(*) is
-- the number of appeals that mention the term, without the cost of a DISTINCT.
t AS (
    SELECT year, term, min(topic) AS topic, count(*) AS appeals, count(DISTINCT uscc) AS enterprises
    FROM appeal_text_matches
    GROUP BY year, term
)
SELECT t.year, t.term, t.topic, t.appeals, t.enterprises, t.appeals / n.docs AS share
FROM t
JOIN n USING (year)
WHERE t.enterprises >= (SELECT value FROM appeal_text_params WHERE name = 'min_enterprises')
ORDER BY t.year DESC, t.appeals DESC, t.term
