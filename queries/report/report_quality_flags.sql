-- description: What chapter 91_quality shows as its query flags, computed here: the chapter's block only selects (and orders) these columns.
-- chapter: 91_quality
SELECT
  flag,
  file,
  source,
  src.keys,
  -- the source's Chinese title and its place, from the source contract (ref_sources)
  coalesce(src.titles[list_position(src.keys, source)], source) AS source_label,
  CASE WHEN starts_with(file, source || '/') THEN substr(file, length(source) + 2) ELSE file END AS file_name,
  CASE flag
    WHEN 'uscc_invalid' THEN '信用代码校验位错误' WHEN 'orphan' THEN '登记中查无此企业（商会）'
    WHEN 'unknown_district' THEN '区划代码不在本市名录' WHEN 'unknown_section' THEN '行业代码无法识别'
    WHEN 'unknown_category' THEN '诉求类别不规范，归入“其他”' WHEN 'unknown_program' THEN '项目类别不规范，归入“其他”'
    WHEN 'unknown_chamber' THEN '商会编号不在名录' WHEN 'missing_cancelled_on' THEN '已退出但缺少退出日期'
    ELSE flag END AS flag_label,
  rows_flagged,
  share
FROM quality_flags
CROSS JOIN (SELECT list(source ORDER BY source_order) AS keys, list(source_title ORDER BY source_order) AS titles
  FROM (SELECT DISTINCT source, source_title, source_order FROM ref_sources)) src
WHERE rows_flagged > 0
ORDER BY list_position(src.keys, source) NULLS LAST, file, flag
