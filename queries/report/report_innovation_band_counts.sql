-- description: What chapter 03_innovation shows as its query band_counts, computed here: the chapter's block only selects (and orders) these columns.
-- chapter: 03_innovation
-- check: unique(band)
-- check: not_null(band)
SELECT
  b.band,
  b.name AS band_name,
  count(r.uscc) AS ranked,
  count(r.uscc) FILTER (WHERE r.incentive) AS incentive,
  max(r.band_intensity) AS intensity, -- 个体工商户 included (their amounts are not in r)
  min(r.intensity) FILTER (WHERE r.incentive) AS threshold
FROM rd_intensity_bands b
LEFT JOIN rd_intensity_ranking r ON r.band = b.band AND r.year = getvariable('year')
GROUP BY ALL
ORDER BY b.band
