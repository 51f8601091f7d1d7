-- description: What chapter 04_welfare shows as its query index_mix, computed here: the chapter's block only selects (and orders) these columns.
-- chapter: 04_welfare
-- grain: one row (the chapter reads its first row)
SELECT
  count(*) AS enterprises,
  avg(index) AS mean_index,
  max(listed_total_amount) AS amount,
  max(listed_total_amount) / nullif((SELECT total_amount FROM welfare_summary WHERE year = getvariable('year')), 0) AS amount_share,
  (SELECT CAST(value AS DOUBLE) FROM thresholds WHERE name = 'welfare_min_donation') AS threshold,
  CASE WHEN count(*) > 50 THEN '前50名' ELSE '全部' || count(*) || '家入围企业' END AS listed,
  CASE WHEN count(*) > 10 THEN '前十名' ELSE '入围企业' END AS top_label,
  CASE WHEN count(*) = 0 THEN ''
    ELSE '；平均公益指数' || printf('%.1f', avg(index)) || '，' || arg_min(name, rank) || '以' || printf('%.1f', min(index) FILTER (WHERE rank = 1)) || '位居榜首' END AS top_phrase,
  CASE WHEN count(*) FILTER (WHERE d2_imputed) > 0
    THEN count(*) FILTER (WHERE d2_imputed) || '家企业缺少营业收入数据，其捐赠强度按入围企业的中位数计。'
    ELSE '' END AS imputed_note
FROM public_welfare_index
