-- description: What chapter 04_welfare shows as its query summary, computed here: the chapter's block only selects (and orders) these columns.
-- chapter: 04_welfare
-- grain: one row (the chapter reads its first row)
WITH p AS (
  SELECT
    CAST(getvariable('year') AS INTEGER) AS y,
    CAST(getvariable('cutoff') AS DATE) AS c,
    CAST(CAST(getvariable('cutoff') AS DATE) - INTERVAL 1 YEAR AS DATE) AS c1
), same AS (
  -- the same period of the year before (the whole year once Y is over)
  SELECT
    sum(w.amount) FILTER (WHERE w.donated_on BETWEEN make_date(p.y, 1, 1) AND p.c) AS amount_cur,
    sum(w.amount) FILTER (WHERE w.donated_on BETWEEN make_date(p.y - 1, 1, 1) AND p.c1) AS amount_prev,
    count(DISTINCT w.uscc) FILTER (WHERE w.donated_on BETWEEN make_date(p.y - 1, 1, 1) AND p.c1) AS donors_prev,
    sum(w.amount) FILTER (WHERE w.program = '万企兴万村' AND w.donated_on BETWEEN make_date(p.y - 1, 1, 1) AND p.c1) AS rural_prev
  FROM welfare_donations w, p
)
SELECT
  s.total_amount,
  s.donations,
  s.donors,
  s.rural_enterprises,
  s.rural_amount,
  s.rural_amount / nullif(s.total_amount, 0) AS rural_share,
  coalesce(s.index_enterprises, 0) AS index_enterprises,
  s.total_amount / nullif(s.donors, 0) AS per_donor,
  same.amount_cur / nullif(same.amount_prev, 0) - 1 AS amount_growth,
  s.rural_amount / nullif(same.rural_prev, 0) - 1 AS rural_growth,
  abs(s.donors - same.donors_prev) AS donors_diff,
  CASE WHEN s.donors > same.donors_prev THEN '增加' || (s.donors - same.donors_prev) || '家'
       WHEN s.donors < same.donors_prev THEN '减少' || (same.donors_prev - s.donors) || '家'
       ELSE '持平' END AS donors_change
FROM welfare_summary s
CROSS JOIN same
WHERE s.year = getvariable('year')
