-- description: What chapter 00_overview shows as its query issues, computed here: the chapter's block only selects (and orders) these columns.
-- chapter: 00_overview
-- grain: one row (the chapter reads its first row)
SELECT
  (SELECT CASE WHEN sum(stock) FILTER (WHERE size_class IN ('小', '微'))::DOUBLE / nullif(sum(stock) FILTER (WHERE size_class <> '未知'), 0) >= 0.9
            THEN '主体规模以小微为主。' ELSE '主体规模结构。' END
     FROM market_by_size WHERE year = getvariable('year')) AS h_size,
  (SELECT CASE WHEN on_time_rate < 0.95 THEN '诉求响应时效仍有提升空间。' ELSE '诉求响应时效保持较高水平。' END
     FROM appeal_kpis WHERE year = getvariable('year')) AS h_timely,
  (SELECT CASE WHEN common_late > 0 THEN '仍有' || common_late || '件共性诉求超时响应' ELSE '已到期的共性诉求均按时响应' END
     FROM appeal_kpis WHERE year = getvariable('year')) AS late_phrase,
  coalesce((SELECT '；响应用时最长的' || category || '类诉求，中位数为' || printf('%g', median_response_workdays) || '个工作日'
     FROM appeal_by_category WHERE received >= 10 AND median_response_workdays IS NOT NULL
     ORDER BY median_response_workdays DESC, received DESC, category LIMIT 1), '') AS slow_phrase,
  (SELECT count(*) FILTER (WHERE points >= 60)::DOUBLE / nullif(count(*), 0)
     FROM innovation_points WHERE ranked AND year = getvariable('year')) AS high_points_share,
  (SELECT CASE WHEN count(*) FILTER (WHERE points >= 60)::DOUBLE / nullif(count(*), 0) < 0.2 THEN '高水平创新主体偏少。' ELSE '创新主体梯队。' END
     FROM innovation_points WHERE ranked AND year = getvariable('year')) AS h_innovation,
  (SELECT CASE WHEN sum(stock) FILTER (WHERE size_class = '未知')::DOUBLE / nullif(sum(stock), 0) >= 0.05
            THEN '统计基础有待夯实。' ELSE '统计基础。' END
     FROM market_by_size WHERE year = getvariable('year')) AS h_data,
  (SELECT sum(rows_rejected)::DOUBLE / nullif(sum(rows_read), 0) FROM quality_files) AS rejected_share
