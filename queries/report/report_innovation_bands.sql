-- description: What chapter 03_innovation shows as its query bands, computed here: the chapter's block only selects (and orders) these columns.
-- chapter: 03_innovation
-- grain: one row (the chapter reads its first row)
SELECT
  max(name) FILTER (WHERE band = 1) AS band1,
  max(name) FILTER (WHERE band = 2) AS band2,
  max(name) FILTER (WHERE band = 3) AS band3,
  max(incentive_share) FILTER (WHERE band = 1) AS share1,
  -- a parameter as set: 10%, not 10.0%
  round(max(incentive_share) FILTER (WHERE band = 1) * 100, 4) AS share1_pct,
  (SELECT CAST(value AS DOUBLE) FROM thresholds WHERE name = 'rd_min_revenue') AS min_revenue
FROM rd_intensity_bands
