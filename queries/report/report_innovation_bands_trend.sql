-- description: What chapter 03_innovation shows as its query bands_trend, computed here: the chapter's block only selects (and orders) these columns.
-- chapter: 03_innovation
-- grain: one row per year and R&D intensity band
-- check: unique(year, band)
-- check: not_null(year, band)
SELECT
  y.year,
  b.band,
  CAST(y.year AS VARCHAR) || '年' AS year_label,
  b.name AS band_name,
  count(r.uscc) AS enterprises
FROM (SELECT DISTINCT year FROM innovation_summary) y
CROSS JOIN rd_intensity_bands b
LEFT JOIN rd_intensity_ranking r ON r.band = b.band AND r.year = y.year
GROUP BY y.year, b.band, b.name
ORDER BY y.year, b.band
