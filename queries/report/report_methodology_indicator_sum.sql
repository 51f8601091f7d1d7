-- description: What chapter 90_methodology shows as its query indicator_sum, computed here: the chapter's block only selects (and orders) these columns.
-- chapter: 90_methodology
-- grain: one row (the chapter reads its first row)
SELECT
  sum(weight) AS total,
  sum(weight) FILTER (WHERE upper(code) LIKE 'T%') AS tech,
  sum(weight) FILTER (WHERE upper(code) LIKE 'G%') AS growth,
  sum(weight) FILTER (WHERE upper(code) LIKE 'S%') AS status
FROM innovation_indicators
