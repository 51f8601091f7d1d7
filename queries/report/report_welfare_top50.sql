-- description: What chapter 04_welfare shows as its query top50, computed here: the chapter's block only selects (and orders) these columns.
-- chapter: 04_welfare
-- check: unique(rank)
-- check: not_null(rank)
SELECT
  i.rank,
  i.name,
  coalesce(d.name, '其他') AS district_name,
  i.index,
  i.stars,
  i.total_amount,
  i.rural_amount,
  CAST(i.d3_raw AS INTEGER) AS years_giving,
  CAST(i.d5_raw AS INTEGER) AS programs
FROM public_welfare_index i
LEFT JOIN districts d ON d.district_code = i.district_code
WHERE i.rank <= 50
ORDER BY i.rank
