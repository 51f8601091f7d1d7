-- description: What chapter 91_quality shows as its query checks: each data check of the newest run (check_results), the table by its Chinese title, the check in words with the fields' titles (column_titles), the result as 通过 / 警告 / 错误. A view: the checks run after the models are built, so it is computed when the chapter reads it (the run's render, the preview).
-- chapter: 91_quality
-- materialize: view
-- grain: one row per check of the newest run, in the order k (failed first)
-- check: not_null(model_title, level_label)
-- check: unique(k)
WITH r AS (
  SELECT * FROM check_results
  WHERE run_id = (SELECT arg_max(run_id, checked_at) FROM check_results)
    -- the chapters' own tables (queries/report/report_<chapter>_<query>) are listed only
    -- when a check on them fails
    AND NOT (regexp_matches(model, '^report_(overview|market|appeals|innovation|welfare|chambers|monitor|methodology|quality)_') AND status = 'pass')
), parts AS (
  SELECT
    r.*,
    row_number() OVER (ORDER BY status = 'pass', model, name) AS k,
    regexp_extract(name, '\.?([a-z_]+)\((.*)\)$', 1) AS kind,
    CASE regexp_extract(name, '\.?([a-z_]+)\((.*)\)$', 1)
      WHEN 'accepted_values' THEN split_part(regexp_extract(name, '\.?([a-z_]+)\((.*)\)$', 2), ',', 1)
      ELSE regexp_extract(name, '\.?([a-z_]+)\((.*)\)$', 2)
    END AS col_list
  FROM r
), cols AS (
  SELECT p.k, g.i, trim(string_split(p.col_list, ',')[g.i]) AS c, p.model
  FROM parts p, generate_series(1, len(string_split(p.col_list, ','))) g(i)
  WHERE p.col_list <> ''
), col_titles AS (
  SELECT cols.k, string_agg(coalesce(t1.title, t2.title, '相关字段'), '、' ORDER BY cols.i) AS titles
  FROM cols
  LEFT JOIN column_titles t1 ON t1."column" = cols.model || '.' || cols.c
  LEFT JOIN column_titles t2 ON t2."column" = cols.c
  GROUP BY cols.k
)
SELECT
  coalesce(e.title, CASE p.model
    WHEN 'workdays' THEN '工作日历'
    WHEN 'market_cube' THEN '市场主体分组统计'
    WHEN 'appeal_breakdowns' THEN '企业诉求分项统计'
    WHEN 'appeal_deadlines' THEN '企业诉求办理时限'
    WHEN 'appeal_text_docs' THEN '诉求文本分析（文档）'
    WHEN 'appeal_text_lexicon' THEN '诉求文本分析（词典）'
    WHEN 'appeal_text_matches' THEN '诉求文本分析（词语匹配）'
    WHEN 'innovation_breakdowns' THEN '创新积分分项统计'
    WHEN 'monitor_counts' THEN '运行监测月度计数'
    ELSE '其他数据' END) AS model_title,
  CASE p.kind
    WHEN 'unique' THEN ct.titles || '不重复'
    WHEN 'not_null' THEN ct.titles || '不为空'
    WHEN 'accepted_values' THEN ct.titles || '取值在规定范围内'
    ELSE '专项检查'
  END AS check_label,
  CASE
    WHEN p.status = 'pass' THEN '通过'
    WHEN p.status = 'fail' AND p.severity = 'error' THEN '错误'
    WHEN p.status = 'fail' THEN '警告'
    ELSE '无法执行'
  END AS level_label,
  p.failing_rows,
  p.k
FROM parts p
LEFT JOIN col_titles ct ON ct.k = p.k
LEFT JOIN export_tables e ON e.name = p.model
ORDER BY p.k
