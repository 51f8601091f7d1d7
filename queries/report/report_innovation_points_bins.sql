-- description: What chapter 03_innovation shows as its query points_bins, computed here: the chapter's block only selects (and orders) these columns.
-- chapter: 03_innovation
-- grain: one row per ten-point bin
-- check: unique(lo)
-- check: not_null(lo)
WITH bins AS (
  SELECT CAST(b AS INTEGER) AS lo FROM range(0, 100, 10) t(b)
), p AS (
  SELECT least(CAST(floor(points / 10) * 10 AS INTEGER), 90) AS lo
  FROM innovation_points
  WHERE ranked AND year = getvariable('year')
)
SELECT
  bins.lo,
  CASE WHEN bins.lo = 90 THEN '90—100分' ELSE CAST(bins.lo AS VARCHAR) || '—' || CAST(bins.lo + 10 AS VARCHAR) || '分' END AS bin_label,
  count(p.lo) AS enterprises
FROM bins
LEFT JOIN p ON p.lo = bins.lo
GROUP BY bins.lo
ORDER BY bins.lo
