-- description: What chapter 06_monitor shows as its query p, for every quarter the monitoring can report (docs/monitoring.md): the last complete month of the data, the quarter's alerts by level, and the series judged in its status month. The book shows the last complete quarter (is_latest) with the status of the last complete month (the columns *_last_month); `bluebook monitor --quarter` names a quarter (the variable monitor_quarter_end) and shows the status of its last month (the columns *_quarter_end). The chapter only picks the row and those columns.
-- chapter: 06_monitor
-- grain: one row per quarter from the first month of monitor_series (or the last complete quarter, if earlier) to the quarter of its last month
-- check: unique(quarter_end)
-- check: not_null(quarter_end, is_latest, last_month, q_start, q_label, alerts, red, yellow)
WITH l AS (
  SELECT
    min(month) AS first_month,
    max(month) AS last_month,
    -- the last complete quarter: the last one whose last month is complete
    CAST(date_trunc('quarter', max(month) + INTERVAL 1 MONTH) - INTERVAL 1 MONTH AS DATE) AS latest_end
  FROM monitor_series
),
q AS (
  -- a quarter is named by the first day of its last month
  SELECT CAST(g.generate_series AS DATE) AS quarter_end, l.*
  FROM l, generate_series(
    least(l.latest_end, CAST(date_trunc('quarter', l.first_month) + INTERVAL 2 MONTH AS DATE)),
    CAST(date_trunc('quarter', l.last_month) + INTERVAL 2 MONTH AS DATE),
    INTERVAL 3 MONTH) g
  WHERE l.last_month IS NOT NULL
),
mb AS (SELECT value AS v FROM monitor_thresholds WHERE name = 'min_baseline'),
-- per month: the series and those judged (a z and a baseline of at least min_baseline)
m AS (
  SELECT s.month, count(*) AS series, count(*) FILTER (WHERE s.z IS NOT NULL AND s.baseline >= mb.v) AS judged
  FROM monitor_series s, mb
  GROUP BY s.month
),
a AS (
  SELECT
    CAST(date_trunc('quarter', month) + INTERVAL 2 MONTH AS DATE) AS quarter_end,
    count(*) AS alerts,
    count(*) FILTER (WHERE level = 'red') AS red,
    count(*) FILTER (WHERE level = 'yellow') AS yellow
  FROM monitor_alerts
  GROUP BY ALL
)
SELECT
  q.quarter_end,
  q.quarter_end = q.latest_end AS is_latest,
  q.last_month,
  year(q.last_month) || '年' || month(q.last_month) || '月' AS data_label,
  CAST(q.quarter_end - INTERVAL 2 MONTH AS DATE) AS q_start,
  year(q.quarter_end) || '年第' || ['一', '二', '三', '四'][quarter(q.quarter_end)] || '季度' AS q_label,
  coalesce(a.alerts, 0) AS alerts,
  coalesce(a.red, 0) AS red,
  coalesce(a.yellow, 0) AS yellow,
  -- the status table of the last complete month (the book)
  year(q.last_month) || '年' || month(q.last_month) || '月' AS label_last_month,
  coalesce(ml.series, 0) AS series_last_month,
  coalesce(ml.judged, 0) AS judged_last_month,
  -- the status table of the quarter's last month (the quarterly report)
  year(q.quarter_end) || '年' || month(q.quarter_end) || '月' AS label_quarter_end,
  coalesce(mq.series, 0) AS series_quarter_end,
  coalesce(mq.judged, 0) AS judged_quarter_end
FROM q
LEFT JOIN a USING (quarter_end)
LEFT JOIN m ml ON ml.month = q.last_month
LEFT JOIN m mq ON mq.month = q.quarter_end
ORDER BY q.quarter_end
