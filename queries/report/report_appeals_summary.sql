-- description: What chapter 02_appeals shows as its query summary, computed here: the chapter's block only selects (and orders) these columns.
-- chapter: 02_appeals
-- grain: one row (the chapter reads its first row)
WITH p AS (
  SELECT
    CAST(getvariable('year') AS INTEGER) AS y,
    CAST(getvariable('cutoff') AS DATE) AS c,
    CAST(CAST(getvariable('cutoff') AS DATE) - INTERVAL 1 YEAR AS DATE) AS c1
), same AS (
  -- received in the same period of the year before (the whole year once Y is over)
  SELECT
    count(*) FILTER (WHERE a.submitted_on BETWEEN make_date(p.y, 1, 1) AND p.c) AS received_cur,
    count(*) FILTER (WHERE a.submitted_on BETWEEN make_date(p.y - 1, 1, 1) AND p.c1) AS received_prev
  FROM appeal_deadlines a, p
)
SELECT
  k.received,
  k.common_received,
  k.received - k.common_received AS individual_received,
  k.common_received::DOUBLE / nullif(k.received, 0) AS common_share,
  k.common_due,
  k.common_on_time,
  k.common_late,
  k.on_time_rate,
  k.not_yet_due,
  CASE WHEN k.not_yet_due > 0
    THEN '；另有' || k.not_yet_due || '件截至' || strftime(p.c, '%Y年%-m月%-d日') || '尚未到响应时限，未计入'
    ELSE '' END AS not_yet_due_phrase,
  k.responded,
  k.closed,
  k.closure_rate,
  k.rated,
  k.satisfaction_rate,
  k.median_response_workdays,
  k.p90_response_workdays,
  k.on_time_rate - k1.on_time_rate AS on_time_change,
  k.closure_rate - k1.closure_rate AS closure_change,
  k.satisfaction_rate - k1.satisfaction_rate AS satisfaction_change,
  same.received_cur::DOUBLE / nullif(same.received_prev, 0) - 1 AS received_growth,
  CASE WHEN p.c < make_date(p.y, 12, 31) THEN '（年度尚未结束，部分诉求仍在办理之中，办结率、满意率将随办理进度变化）' ELSE '' END AS running_note
FROM appeal_kpis k
LEFT JOIN appeal_kpis k1 ON k1.year = k.year - 1
CROSS JOIN same
CROSS JOIN p
WHERE k.year = p.y
