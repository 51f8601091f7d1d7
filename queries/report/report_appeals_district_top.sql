-- description: What chapter 02_appeals shows as its query district_top, computed here: the chapter's block only selects (and orders) these columns.
-- chapter: 02_appeals
-- grain: one row (the chapter reads its first row)
WITH s AS (
  SELECT district_name, stock FROM market_by_district WHERE year = getvariable('year')
), d AS (
  SELECT a.district_name, a.received, a.share, a.received * 10000.0 / nullif(s.stock, 0) AS per_10k
  FROM appeal_by_district a
  JOIN s ON s.district_name = a.district_name
  WHERE a.district_code NOT IN ('其他', '未知')
)
SELECT
  arg_max(district_name, received) AS most_name,
  max(received) AS most_received,
  arg_max(share, received) AS most_share,
  arg_max(district_name, per_10k) AS dense_name,
  max(per_10k) AS dense_per_10k
FROM d
