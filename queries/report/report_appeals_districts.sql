-- description: What chapter 02_appeals shows as its query districts, computed here: the chapter's block only selects (and orders) these columns.
-- chapter: 02_appeals
-- check: unique(district_name)
-- check: not_null(district_name)
WITH s AS (
  SELECT district_name, stock FROM market_by_district WHERE year = getvariable('year')
)
SELECT
  a.district_code,
  a.district_name,
  a.received,
  a.share,
  a.received * 10000.0 / nullif(s.stock, 0) AS per_10k,
  a.on_time_rate,
  a.closure_rate,
  a.satisfaction_rate,
  a.median_response_workdays
FROM appeal_by_district a
LEFT JOIN s ON s.district_name = a.district_name
ORDER BY a.district_code IN ('其他', '未知'), a.district_code
