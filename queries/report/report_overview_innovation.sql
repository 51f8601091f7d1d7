-- description: What chapter 00_overview shows as its query innovation, computed here: the chapter's block only selects (and orders) these columns.
-- chapter: 00_overview
-- grain: one row (the chapter reads its first row)
SELECT
  CASE WHEN s.declarations > 0 THEN s.rd_expense END AS rd_expense,
  CASE WHEN s.declarations > 0 THEN s.rd_expense_growth END AS rd_expense_growth,
  s.rd_intensity,
  s.rd_intensity - p.rd_intensity AS intensity_change,
  s.ranked,
  s.invention_patents,
  s.incentive,
  s.mean_points,
  CASE WHEN s.declarations = 0 THEN '年度申报数据尚未报送'
    ELSE '研发投入强度' || printf('%.1f', 100 * s.rd_intensity) || '%' END AS rd_note
FROM innovation_summary s
LEFT JOIN innovation_summary p ON p.year = s.year - 1
WHERE s.year = getvariable('year')
