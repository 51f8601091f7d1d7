-- description: What chapter 91_quality shows as its query problems, computed here: the chapter's block only selects (and orders) these columns.
-- chapter: 91_quality
-- check: unique(source_label)
-- check: not_null(source_label)
SELECT
  source,
  src.keys,
  -- the source's Chinese title and its place, from the source contract (ref_sources)
  coalesce(src.titles[list_position(src.keys, source)], source) AS source_label,
  count(*) AS files,
  sum(rows_read)::BIGINT AS rows_read,
  sum(duplicates)::BIGINT AS duplicates,
  sum(invalid_uscc)::BIGINT AS invalid_uscc,
  sum(orphans)::BIGINT AS orphans,
  sum(rows_rejected)::DOUBLE / nullif(sum(rows_read), 0) AS rejected_share
FROM quality_files
CROSS JOIN (SELECT list(source ORDER BY source_order) AS keys, list(source_title ORDER BY source_order) AS titles
  FROM (SELECT DISTINCT source, source_title, source_order FROM ref_sources)) src
GROUP BY source, src.keys, src.titles
ORDER BY list_position(src.keys, source) NULLS LAST
