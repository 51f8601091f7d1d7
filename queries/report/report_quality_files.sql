-- description: What chapter 91_quality shows as its query files, computed here: the chapter's block only selects (and orders) these columns.
-- chapter: 91_quality
SELECT
  file,
  source,
  src.keys,
  -- the source's Chinese title and its place, from the source contract (ref_sources)
  coalesce(src.titles[list_position(src.keys, source)], source) AS source_label,
  -- the path below the source's folder: the source column already names the folder
  CASE WHEN starts_with(file, source || '/') THEN substr(file, length(source) + 2) ELSE file END AS file_name,
  upper(encoding) AS encoding,
  rows_read,
  rows_loaded,
  rows_rejected,
  rows_flagged,
  left(sha256, 12) AS hash
FROM quality_files
CROSS JOIN (SELECT list(source ORDER BY source_order) AS keys, list(source_title ORDER BY source_order) AS titles
  FROM (SELECT DISTINCT source, source_title, source_order FROM ref_sources)) src
ORDER BY list_position(src.keys, source) NULLS LAST, file
