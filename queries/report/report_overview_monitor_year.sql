-- description: What chapter 00_overview shows as its query monitor_year, computed here: the chapter's block only selects (and orders) these columns.
-- chapter: 00_overview
-- grain: one row (the chapter reads its first row)
-- the red alerts of the monitoring (chapter 6) in the edition year, newest first
WITH r AS (
  SELECT sentence, month, z FROM monitor_alerts
  WHERE level = 'red' AND year(month) = getvariable('year') AND month <= CAST(getvariable('cutoff') AS DATE)
)
SELECT
  count(*) AS red,
  string_agg(regexp_replace(sentence, '，红色预警$', ''), '；' ORDER BY month DESC, z DESC) FILTER (WHERE rn <= 3) AS top,
  CASE WHEN count(*) > 3 THEN '等' ELSE '' END AS more
FROM (SELECT *, row_number() OVER (ORDER BY month DESC, z DESC) AS rn FROM r)
