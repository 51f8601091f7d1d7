-- description: What chapter 03_innovation shows as its query summary, computed here: the chapter's block only selects (and orders) these columns.
-- chapter: 03_innovation
-- grain: one row (the chapter reads its first row)
SELECT
  s.declarations,
  s.ranked,
  s.declarations - s.ranked AS unranked,
  s.rd_expense,
  s.revenue,
  s.rd_intensity,
  s.invention_patents,
  s.other_ip,
  s.standards,
  s.mean_points,
  s.median_points,
  s.intensity_ranked,
  s.incentive,
  s.rd_expense_growth,
  s.rd_intensity - p.rd_intensity AS intensity_change,
  s.invention_patents::DOUBLE / nullif(p.invention_patents, 0) - 1 AS patents_growth,
  s.mean_points - p.mean_points AS mean_points_change,
  abs(s.mean_points - p.mean_points) AS mean_points_diff,
  CASE WHEN s.mean_points >= p.mean_points THEN '提高' ELSE '降低' END AS mean_points_word,
  CASE WHEN s.declarations = 0
    THEN '截至' || strftime(CAST(getvariable('cutoff') AS DATE), '%Y年%-m月%-d日') || '，' || s.year || '年度创新积分申报数据尚未报送，本章各项指标暂缺。'
    ELSE '' END AS no_data_note
FROM innovation_summary s
LEFT JOIN innovation_summary p ON p.year = s.year - 1
WHERE s.year = getvariable('year')
