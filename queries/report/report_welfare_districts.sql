-- description: What chapter 04_welfare shows as its query districts, computed here: the chapter's block only selects (and orders) these columns.
-- chapter: 04_welfare
-- grain: one row per district (those without donations too)
-- check: unique(district_code)
-- check: not_null(district_code)
-- every district, those without donations too
WITH d AS (
  SELECT district_code, name AS district_name FROM districts
  UNION ALL
  SELECT '其他', '其他' WHERE EXISTS (SELECT 1 FROM welfare_by_district WHERE district_code = '其他')
)
SELECT
  d.district_code,
  d.district_name,
  coalesce(w.amount, 0) AS amount,
  coalesce(w.share, 0) AS share,
  coalesce(w.donors, 0) AS donors,
  coalesce(w.rural_amount, 0) AS rural_amount,
  coalesce(w.index_enterprises, 0) AS index_enterprises,
  w.mean_index
FROM d
LEFT JOIN welfare_by_district w ON w.district_code = d.district_code
ORDER BY d.district_code = '其他', d.district_code
