-- description: What chapter 03_innovation shows as its query top50, computed here: the chapter's block only selects (and orders) these columns.
-- chapter: 03_innovation
-- check: unique(rank)
-- check: not_null(rank)
SELECT
  p.rank,
  p.name,
  coalesce(d.name, '其他') AS district_name,
  coalesce(s.name, '未知行业') AS section_name,
  p.points,
  p.rd_expense,
  p.rd_intensity,
  p.invention_patents
FROM innovation_points p
LEFT JOIN districts d ON d.district_code = p.district_code
LEFT JOIN ref_sections s ON s.section = p.industry_section
WHERE p.year = getvariable('year') AND p.rank <= 50
ORDER BY p.rank
