-- description: What chapter 91_quality shows as its query rejects_by_file, computed here: the chapter's block only selects (and orders) these columns.
-- chapter: 91_quality
SELECT
  file,
  source,
  src.keys,
  -- the source's Chinese title and its place, from the source contract (ref_sources)
  coalesce(src.titles[list_position(src.keys, source)], source) AS source_label,
  CASE WHEN starts_with(file, source || '/') THEN substr(file, length(source) + 2) ELSE file END AS file_name,
  -- the rule's Chinese label, from the source contract (ref_reject_rules)
  coalesce(rr.titles[list_position(rr.keys, rule)], rule) AS rule_label,
  rule,
  CASE WHEN columns IS NULL THEN '（整行）' ELSE array_to_string(list_transform(string_split(columns, ','),
    c -> coalesce(ti.title_values[list_position(ti.title_keys, trim(c))], '其他字段')), '、') END AS columns,
  rows_rejected
FROM quality_rejects
CROSS JOIN (SELECT list(rule ORDER BY position) AS keys, list(title ORDER BY position) AS titles FROM ref_reject_rules) rr
CROSS JOIN (SELECT list(source ORDER BY source_order) AS keys, list(source_title ORDER BY source_order) AS titles
  FROM (SELECT DISTINCT source, source_title, source_order FROM ref_sources)) src
CROSS JOIN (SELECT list("column") AS title_keys, list(title) AS title_values FROM column_titles) ti
ORDER BY list_position(src.keys, source) NULLS LAST, file, rows_rejected DESC, rule
