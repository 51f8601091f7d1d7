-- description: What chapter 06_monitor shows as its query t: the thresholds in force (seeds/monitor_thresholds.csv) in one row, for the chapter's text and method note.
-- chapter: 06_monitor
-- grain: one row (the chapter reads its first row)
-- check: not_null(red_z, yellow_z, min_baseline, min_residuals, mad_scale, min_months)
SELECT
  max(value) FILTER (WHERE name = 'red_z') AS red_z,
  max(value) FILTER (WHERE name = 'yellow_z') AS yellow_z,
  max(value) FILTER (WHERE name = 'min_baseline') AS min_baseline,
  max(value) FILTER (WHERE name = 'min_residuals') AS min_residuals,
  regexp_replace(CAST(max(value) FILTER (WHERE name = 'mad_scale') AS VARCHAR), '\.0$', '') AS mad_scale,
  max(value) FILTER (WHERE name = 'baseline_min_months') AS min_months
FROM monitor_thresholds
