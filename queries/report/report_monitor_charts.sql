-- description: What chapter 06_monitor shows as its query slots: for every quarter, which of the up to 12 trend charts are drawn, their titles and units. One chart per series (scope × indicator) with an alert in the quarter, in the order of its first alert in the alerts table (report_monitor_alerts.n); a series alerted in two months of the quarter has one chart, titled with both. more = the alerts of the quarter whose series has no chart.
-- chapter: 06_monitor
-- grain: one row per quarter of report_monitor_quarters
-- check: unique(quarter_end)
-- check: not_null(quarter_end, is_latest, more)
WITH s AS (
  -- the series of each quarter's alerts, ranked by their first alert
  SELECT
    a.quarter_end, a.indicator, a.scope, a.scope_code,
    min(a.n) AS first_n,
    count(*) AS alerts,
    any_value(a.scope_name) AS scope_name,
    any_value(a.indicator_title) AS indicator_title,
    string_agg(a.month_label || a.level_name, '、' ORDER BY a.n) AS months
  FROM report_monitor_alerts a
  GROUP BY a.quarter_end, a.indicator, a.scope, a.scope_code
),
r AS (
  SELECT s.*, i.unit,
    row_number() OVER (PARTITION BY s.quarter_end ORDER BY s.first_n) AS slot,
    s.scope_name || s.indicator_title || '（' || s.months || '预警）' AS title
  FROM s JOIN monitor_indicators i USING (indicator)
)
SELECT
  q.quarter_end,
  q.is_latest,
  count(r.slot) FILTER (WHERE r.slot = 1) > 0 AS has1, max(r.title) FILTER (WHERE r.slot = 1) AS title1, max(r.unit) FILTER (WHERE r.slot = 1) AS unit1,
  count(r.slot) FILTER (WHERE r.slot = 2) > 0 AS has2, max(r.title) FILTER (WHERE r.slot = 2) AS title2, max(r.unit) FILTER (WHERE r.slot = 2) AS unit2,
  count(r.slot) FILTER (WHERE r.slot = 3) > 0 AS has3, max(r.title) FILTER (WHERE r.slot = 3) AS title3, max(r.unit) FILTER (WHERE r.slot = 3) AS unit3,
  count(r.slot) FILTER (WHERE r.slot = 4) > 0 AS has4, max(r.title) FILTER (WHERE r.slot = 4) AS title4, max(r.unit) FILTER (WHERE r.slot = 4) AS unit4,
  count(r.slot) FILTER (WHERE r.slot = 5) > 0 AS has5, max(r.title) FILTER (WHERE r.slot = 5) AS title5, max(r.unit) FILTER (WHERE r.slot = 5) AS unit5,
  count(r.slot) FILTER (WHERE r.slot = 6) > 0 AS has6, max(r.title) FILTER (WHERE r.slot = 6) AS title6, max(r.unit) FILTER (WHERE r.slot = 6) AS unit6,
  count(r.slot) FILTER (WHERE r.slot = 7) > 0 AS has7, max(r.title) FILTER (WHERE r.slot = 7) AS title7, max(r.unit) FILTER (WHERE r.slot = 7) AS unit7,
  count(r.slot) FILTER (WHERE r.slot = 8) > 0 AS has8, max(r.title) FILTER (WHERE r.slot = 8) AS title8, max(r.unit) FILTER (WHERE r.slot = 8) AS unit8,
  count(r.slot) FILTER (WHERE r.slot = 9) > 0 AS has9, max(r.title) FILTER (WHERE r.slot = 9) AS title9, max(r.unit) FILTER (WHERE r.slot = 9) AS unit9,
  count(r.slot) FILTER (WHERE r.slot = 10) > 0 AS has10, max(r.title) FILTER (WHERE r.slot = 10) AS title10, max(r.unit) FILTER (WHERE r.slot = 10) AS unit10,
  count(r.slot) FILTER (WHERE r.slot = 11) > 0 AS has11, max(r.title) FILTER (WHERE r.slot = 11) AS title11, max(r.unit) FILTER (WHERE r.slot = 11) AS unit11,
  count(r.slot) FILTER (WHERE r.slot = 12) > 0 AS has12, max(r.title) FILTER (WHERE r.slot = 12) AS title12, max(r.unit) FILTER (WHERE r.slot = 12) AS unit12,
  coalesce(sum(r.alerts) FILTER (WHERE r.slot > 12), 0) AS more
FROM report_monitor_quarters q
LEFT JOIN r USING (quarter_end)
GROUP BY q.quarter_end, q.is_latest
ORDER BY q.quarter_end
