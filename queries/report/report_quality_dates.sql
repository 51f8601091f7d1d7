-- description: What chapter 91_quality shows as its query dates, computed here: the chapter's block only selects (and orders) these columns.
-- chapter: 91_quality
SELECT
  d.column_name,
  file,
  source,
  src.keys,
  -- the source's Chinese title and its place, from the source contract (ref_sources)
  coalesce(src.titles[list_position(src.keys, source)], source) AS source_label,
  CASE WHEN starts_with(file, source || '/') THEN substr(file, length(source) + 2) ELSE file END AS file_name,
  coalesce(t.title, '其他字段') AS column_title,
  d.earliest,
  d.latest,
  -- a year column (innovation, chamber fees) is kept as 1 January .. 31 December of its
  -- years: printed as years, not as dates
  CASE WHEN d.column_name = 'year' THEN strftime(d.earliest, '%Y年') ELSE strftime(d.earliest, '%Y年%-m月%-d日') END AS earliest_text,
  CASE WHEN d.column_name = 'year' THEN strftime(d.latest, '%Y年') ELSE strftime(d.latest, '%Y年%-m月%-d日') END AS latest_text
FROM quality_dates d
CROSS JOIN (SELECT list(source ORDER BY source_order) AS keys, list(source_title ORDER BY source_order) AS titles
  FROM (SELECT DISTINCT source, source_title, source_order FROM ref_sources)) src
LEFT JOIN column_titles t ON t."column" = d.column_name
ORDER BY list_position(src.keys, source) NULLS LAST, file, d.column_name
