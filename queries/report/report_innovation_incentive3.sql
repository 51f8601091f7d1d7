-- description: What chapter 03_innovation shows as its query incentive3, computed here: the chapter's block only selects (and orders) these columns.
-- chapter: 03_innovation
-- grain: one row (the chapter reads its first row)
SELECT r.band_rank, r.name, coalesce(d.name, '其他') AS district_name, r.revenue, r.rd_expense, r.intensity
FROM rd_intensity_ranking r
LEFT JOIN districts d ON d.district_code = r.district_code
WHERE r.year = getvariable('year') AND r.band = 3 AND r.incentive
ORDER BY r.band_rank
