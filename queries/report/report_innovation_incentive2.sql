-- description: What chapter 03_innovation shows as its query incentive2, computed here: the chapter's block only selects (and orders) these columns.
-- chapter: 03_innovation
-- check: unique(band_rank)
-- check: not_null(band_rank)
SELECT r.band_rank, r.name, coalesce(d.name, '其他') AS district_name, r.revenue, r.rd_expense, r.intensity
FROM rd_intensity_ranking r
LEFT JOIN districts d ON d.district_code = r.district_code
WHERE r.year = getvariable('year') AND r.band = 2 AND r.incentive
ORDER BY r.band_rank
