-- description: Topics of the appeals of Y−1 and Y (docs/text-analysis.md): appeals mentioning any term of the topic, distinct enterprises, share of the appeals with text, and for Y the change of the share against Y−1 in percentage points (a topic not seen in Y−1 counts 0 there; NULL when Y−1 has no appeal with text). A topic raised by fewer enterprises than the disclosure threshold is absent.
-- grain: one row per year and topic
-- unit: share is a fraction 0-1; share_change_pp in percentage points
-- check: unique(year, topic)
-- check: not_null(year, topic, appeals, enterprises, share)
WITH n AS (
    SELECT year, count(*) AS docs FROM appeal_text_docs GROUP BY year
),
t AS (
    SELECT m.year, m.topic, count(DISTINCT m.appeal_id) AS appeals, count(DISTINCT m.uscc) AS enterprises,
           count(DISTINCT m.appeal_id) / any_value(n.docs) AS share
    FROM appeal_text_matches m
    JOIN n USING (year)
    GROUP BY m.year, m.topic
)
SELECT
    t.year,
    t.topic,
    t.appeals,
    t.enterprises,
    t.share,
    CASE WHEN t.year = getvariable('year') AND pn.docs IS NOT NULL
         THEN 100 * (t.share - coalesce(p.share, 0)) END AS share_change_pp
FROM t
LEFT JOIN t p ON p.topic = t.topic AND p.year = t.year - 1
LEFT JOIN n pn ON pn.year = t.year - 1
WHERE t.enterprises >= (SELECT value FROM appeal_text_params WHERE name = 'min_enterprises')
ORDER BY t.year DESC, t.appeals DESC, t.topic
