-- description: What chapter 06_monitor shows as its query alerts: the alerts (monitor_alerts) of every quarter, numbered within their quarter newest first, red before yellow within a month, then by z. The chapter picks one quarter: the last complete one (is_latest) or the one `bluebook monitor --quarter` names.
-- chapter: 06_monitor
-- grain: one row per alert
-- check: unique(quarter_end, n)
-- check: not_null(quarter_end, is_latest, n, month_label, scope_name, indicator_title, value, level_name, sentence)
WITH a AS (
  SELECT a.*, CAST(date_trunc('quarter', a.month) + INTERVAL 2 MONTH AS DATE) AS quarter_end
  FROM monitor_alerts a
)
SELECT
  a.quarter_end,
  coalesce(q.is_latest, false) AS is_latest,
  row_number() OVER (PARTITION BY a.quarter_end
    ORDER BY a.month DESC, CASE a.level WHEN 'red' THEN 0 ELSE 1 END, a.z DESC, a.indicator, a.scope_code) AS n,
  a.month,
  a.indicator,
  a.scope,
  a.scope_code,
  year(a.month) || '年' || month(a.month) || '月' AS month_label,
  a.scope_name,
  a.indicator_title,
  a.value,
  a.expected,
  a.z,
  a.level,
  a.level_name,
  a.sentence
FROM a
LEFT JOIN report_monitor_quarters q USING (quarter_end)
ORDER BY a.quarter_end, n
