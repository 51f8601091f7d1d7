-- description: What chapter 00_overview shows as its query monitor, computed here: the chapter's block only selects (and orders) these columns.
-- chapter: 00_overview
-- grain: one row (the chapter reads its first row)
-- the red alerts of the quarter chapter 6 shows in the book (the last complete quarter,
-- report_monitor_alerts.is_latest), in the chapter's order: the overview cites only alerts the
-- reader finds in chapter 6's alerts table. jun = '均' when the sentence names several alerts.
WITH r AS (
  SELECT sentence, n FROM report_monitor_alerts
  WHERE is_latest AND level = 'red'
),
q AS (SELECT q_label FROM report_monitor_quarters WHERE is_latest)
SELECT
  (SELECT q_label FROM q) AS q_label,
  count(*) AS red,
  string_agg(regexp_replace(sentence, '，红色预警$', ''), '；' ORDER BY rn) FILTER (WHERE rn <= 3) AS top,
  CASE WHEN count(*) > 3 THEN '等' ELSE '' END AS more,
  CASE WHEN count(*) > 1 THEN '均' ELSE '' END AS jun
FROM (SELECT *, row_number() OVER (ORDER BY n) AS rn FROM r)
