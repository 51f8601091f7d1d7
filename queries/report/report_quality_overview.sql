-- description: What chapter 91_quality shows as its query overview, computed here: the chapter's block only selects (and orders) these columns.
-- chapter: 91_quality
-- grain: one row (the chapter reads its first row)
SELECT
  count(*) AS files,
  count(DISTINCT source) AS sources,
  sum(rows_read)::BIGINT AS rows_read,
  sum(rows_loaded)::BIGINT AS rows_loaded,
  sum(rows_rejected)::BIGINT AS rows_rejected,
  sum(rows_flagged)::BIGINT AS rows_flagged,
  sum(rows_rejected)::DOUBLE / nullif(sum(rows_read), 0) AS rejected_share,
  sum(rows_flagged)::DOUBLE / nullif(sum(rows_loaded), 0) AS flagged_share,
  count(*) FILTER (WHERE NOT balanced) AS unbalanced,
  CASE WHEN count(*) FILTER (WHERE NOT balanced) = 0
    THEN '各文件读入行数均等于载入行数与剔除行数之和，无记录遗漏'
    ELSE count(*) FILTER (WHERE NOT balanced) || '个文件读入行数与载入、剔除行数之和不符，需核查' END AS balance_phrase
FROM quality_files
