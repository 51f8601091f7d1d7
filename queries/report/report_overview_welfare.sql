-- description: What chapter 00_overview shows as its query welfare, computed here: the chapter's block only selects (and orders) these columns.
-- chapter: 00_overview
-- grain: one row (the chapter reads its first row)
WITH p AS (
  SELECT
    CAST(getvariable('year') AS INTEGER) AS y,
    CAST(getvariable('cutoff') AS DATE) AS c,
    CAST(CAST(getvariable('cutoff') AS DATE) - INTERVAL 1 YEAR AS DATE) AS c1
), same AS (
  SELECT
    sum(w.amount) FILTER (WHERE w.donated_on BETWEEN make_date(p.y, 1, 1) AND p.c) AS amount_cur,
    sum(w.amount) FILTER (WHERE w.donated_on BETWEEN make_date(p.y - 1, 1, 1) AND p.c1) AS amount_prev
  FROM welfare_donations w, p
)
SELECT
  s.total_amount,
  same.amount_cur / nullif(same.amount_prev, 0) - 1 AS amount_growth,
  s.donors,
  s.rural_enterprises,
  s.rural_amount,
  coalesce(s.index_enterprises, 0) AS index_enterprises,
  (SELECT count(*) FROM public_welfare_index WHERE index >= 60) AS four_star_plus
FROM welfare_summary s
CROSS JOIN same
WHERE s.year = getvariable('year')
