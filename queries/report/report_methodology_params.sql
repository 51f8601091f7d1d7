-- description: What chapter 90_methodology shows as its query params, computed here: the chapter's block only selects (and orders) these columns.
-- chapter: 90_methodology
-- grain: one row (the chapter reads its first row)
SELECT
  max(value) FILTER (WHERE name = 'appeal_deadline_workdays')::INTEGER AS deadline_workdays,
  max(value) FILTER (WHERE name = 'welfare_min_donation') AS welfare_min,
  max(value) FILTER (WHERE name = 'welfare_clip_low') AS clip_low,
  max(value) FILTER (WHERE name = 'welfare_clip_high') AS clip_high,
  printf('%g', 100 * max(value) FILTER (WHERE name = 'welfare_clip_low')) AS clip_low_p,
  printf('%g', 100 * max(value) FILTER (WHERE name = 'welfare_clip_high')) AS clip_high_p,
  max(value) FILTER (WHERE name = 'rd_min_revenue') AS rd_min_revenue,
  max(value) FILTER (WHERE name = 'chamber_min_activities')::INTEGER AS chamber_min_activities
FROM (SELECT name, CAST(value AS DOUBLE) AS value FROM thresholds)
