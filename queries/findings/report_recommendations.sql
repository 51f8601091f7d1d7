-- description: The 对策建议 of the edition (docs/methodology.md §10): the recommendations of seeds/recommendations.csv whose key matches a finding of report_findings — the finding's indicator (or * for every edition) and when: worse (the indicator moved against its better direction), better (with it), any (moved either way), always — one per title (the highest priority), in order of priority: every always row, and the others up to six in all. indicator and rule name the finding that selected it.
-- grain: one row per recommendation shown
-- check: unique(title)
-- check: not_null(rank, title, text)
WITH rec AS (
    SELECT row_number() OVER () AS ord, trim(indicator) AS indicator, trim("when") AS cond,
        CAST(priority AS INTEGER) AS priority, trim(title) AS title, trim(text) AS text
    FROM recommendations
),
-- the best finding of each indicator decides its signal
f AS (
    SELECT indicator, rule, signal, size FROM report_findings WHERE best
),
matched AS (
    SELECT r.*, f.rule AS finding_rule, f.size
    FROM rec r
    JOIN f ON (r.indicator = '*' OR r.indicator = f.indicator) AND (r.cond = 'any' OR r.cond = f.signal)
    UNION ALL
    SELECT r.*, NULL, NULL FROM rec r WHERE r.cond = 'always'
),
one AS (
    SELECT * FROM matched
    QUALIFY row_number() OVER (PARTITION BY title ORDER BY priority DESC, size DESC NULLS LAST, ord) = 1
),
-- the recommendations of every edition (always) are kept; the others fill the rest of six
picked AS (
    SELECT * FROM one
    QUALIFY cond = 'always'
        OR row_number() OVER (PARTITION BY cond = 'always' ORDER BY priority DESC, ord)
           <= 6 - (SELECT count(*) FROM one WHERE cond = 'always')
)
SELECT
    CAST(row_number() OVER (ORDER BY priority DESC, ord) AS INTEGER) AS rank,
    title, text, priority,
    CASE WHEN indicator = '*' THEN NULL ELSE indicator END AS indicator,
    finding_rule AS rule
FROM picked
ORDER BY rank
