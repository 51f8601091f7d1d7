-- description: What chapter 91_quality shows as its query nulls, computed here: the chapter's block only selects (and orders) these columns.
-- chapter: 91_quality
SELECT
  q.source,
  src.keys,
  -- the source's Chinese title and its place, from the source contract (ref_sources)
  coalesce(src.titles[list_position(src.keys, source)], source) AS source_label,
  q.column_name,
  coalesce(t.title, '其他字段') AS column_title,
  CASE WHEN q.required THEN '是' ELSE '否' END AS required,
  q.rows_loaded,
  q.nulls,
  q.null_share,
  q.rejected_missing
FROM quality_nulls q
CROSS JOIN (SELECT list(source ORDER BY source_order) AS keys, list(source_title ORDER BY source_order) AS titles
  FROM (SELECT DISTINCT source, source_title, source_order FROM ref_sources)) src
LEFT JOIN column_titles t ON t."column" = q.column_name
WHERE q.nulls > 0 OR q.rejected_missing > 0
ORDER BY list_position(src.keys, q.source) NULLS LAST, q.null_share DESC, q.column_name
