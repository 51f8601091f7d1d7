-- description: What chapter 00_overview shows as its query index_trend, computed here: the chapter's block only selects (and orders) these columns.
-- chapter: 00_overview
-- each area's headline volume as an index, the first year = 100, to compare their paths on one
-- chart; the donations, which can move several-fold in a year, have a chart of their own
WITH m AS (
  SELECT year, stock::DOUBLE AS v FROM market_summary
), a AS (
  SELECT year, received::DOUBLE AS v FROM appeal_kpis
), i AS (
  SELECT year, CASE WHEN declarations > 0 THEN rd_expense::DOUBLE END AS v FROM innovation_summary
), all_ AS (
  SELECT '民营经济主体存量' AS series, 1 AS k, year, v FROM m
  UNION ALL SELECT '企业诉求受理量', 2, year, v FROM a
  UNION ALL SELECT '参评企业研发费用', 3, year, v FROM i
)
SELECT
  k,
  year,
  CAST(year AS VARCHAR) || '年' AS year_label,
  series,
  100 * v / nullif(first_value(v) OVER (PARTITION BY series ORDER BY year), 0) AS idx
FROM all_
WHERE year BETWEEN getvariable('year') - 4 AND getvariable('year') AND v IS NOT NULL
  -- a year still running has only part of its flows: only the stock is shown for it
  AND (k = 1 OR year < getvariable('year') OR CAST(getvariable('cutoff') AS DATE) >= make_date(year, 12, 31))
ORDER BY year, k
