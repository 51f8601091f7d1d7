-- description: What chapter 06_monitor draws as its queries s1…s12: for each chart of report_monitor_charts (quarter × slot), the 36 months of its series up to its newest alert in the quarter, with the expected value and the band expected ± yellow_z × σ (its lower edge not below 0).
-- chapter: 06_monitor
-- grain: one row per quarter × chart slot (1–12) × month
-- unit: value, expected, upper, lower = the indicator's unit (户 or 件) per month
-- check: unique(quarter_end, slot, month)
-- check: not_null(quarter_end, is_latest, slot, month, value)
WITH f AS (
  -- each series with an alert in a quarter, by its first alert (the newest month of its alerts)
  SELECT a.quarter_end, a.is_latest, a.indicator, a.scope, a.scope_code, a.month AS end_month, a.n
  FROM report_monitor_alerts a
  QUALIFY row_number() OVER (PARTITION BY a.quarter_end, a.indicator, a.scope, a.scope_code ORDER BY a.n) = 1
),
c AS (
  SELECT f.*, row_number() OVER (PARTITION BY f.quarter_end ORDER BY f.n) AS slot
  FROM f
),
k AS (SELECT value AS band FROM monitor_thresholds WHERE name = 'yellow_z')
SELECT
  c.quarter_end,
  c.is_latest,
  c.slot,
  strftime(s.month, '%Y-%m') AS month,
  s.value,
  round(s.expected, 1) AS expected,
  round(s.expected + k.band * s.sigma, 1) AS upper,
  round(greatest(s.expected - k.band * s.sigma, 0), 1) AS lower
FROM c
JOIN monitor_series s USING (indicator, scope, scope_code)
CROSS JOIN k
WHERE c.slot <= 12 AND s.month BETWEEN c.end_month - INTERVAL 35 MONTH AND c.end_month
ORDER BY c.quarter_end, c.slot, s.month
