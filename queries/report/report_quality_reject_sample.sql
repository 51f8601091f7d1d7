-- description: What chapter 91_quality shows as its query reject_sample, computed here: the chapter's block only selects (and orders) these columns.
-- chapter: 91_quality
-- Never the raw line: it may hold an appeal's content or a person's data. A value
-- of a free-text column (诉求内容, 受赠方) is not shown either.
SELECT
  file,
  source,
  list_position(src.keys, source) AS source_order,
  -- the source's Chinese title and its place, from the source contract (ref_sources)
  coalesce(src.titles[list_position(src.keys, source)], source) AS source_label,
  CASE WHEN starts_with(file, source || '/') THEN substr(file, length(source) + 2) ELSE file END AS file_name,
  line,
  CASE WHEN column_name IS NULL THEN '（整行）' ELSE array_to_string(list_transform(string_split(column_name, ','),
    c -> coalesce(ti.title_values[list_position(ti.title_keys, trim(c))], '其他字段')), '、') END AS column_title,
  -- the rule's Chinese label, from the source contract (ref_reject_rules)
  coalesce(rr.titles[list_position(rr.keys, rule)], rule) AS rule_label,
  CASE
    WHEN column_name IS NULL THEN '—'
    WHEN list_has_any(string_split(column_name, ','), (SELECT list(column_name) FROM ref_sources WHERE personal)) THEN '（不予显示）'
    ELSE coalesce(left(value, 40), '（空）')
  END AS shown_value
FROM rejects
CROSS JOIN (SELECT list(rule ORDER BY position) AS keys, list(title ORDER BY position) AS titles FROM ref_reject_rules) rr
CROSS JOIN (SELECT list(source ORDER BY source_order) AS keys, list(source_title ORDER BY source_order) AS titles
  FROM (SELECT DISTINCT source, source_title, source_order FROM ref_sources)) src
CROSS JOIN (SELECT list("column") AS title_keys, list(title) AS title_values FROM column_titles) ti
ORDER BY list_position(src.keys, source) NULLS LAST,
  file, TRY_CAST(line AS BIGINT) NULLS LAST, line
LIMIT 30
