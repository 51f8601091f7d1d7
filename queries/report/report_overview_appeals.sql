-- description: What chapter 00_overview shows as its query appeals, computed here: the edition year's appeal figures, the growth of appeals received against the same period a year earlier (chapter 2's, report_appeals_summary) and the largest category; the chapter adds only the comparison with last year's published edition (published.appeal_kpis), which exists at render time.
-- chapter: 00_overview
-- grain: one row (the chapter reads its first row)
-- check: not_null(year)
SELECT
  k.year,
  k.received,
  s.received_growth, -- against the same period a year earlier
  k.on_time_rate,
  k.closure_rate,
  k.closure_rate - k1.closure_rate AS closure_change,
  k.satisfaction_rate,
  k.median_response_workdays,
  -- last year's rates as recomputed today: the base of a change when no edition of last
  -- year was published
  k1.on_time_rate AS prev_on_time_rate,
  k1.satisfaction_rate AS prev_satisfaction_rate,
  (SELECT category FROM appeal_by_category ORDER BY received DESC, category LIMIT 1) AS top_category,
  (SELECT share FROM appeal_by_category ORDER BY received DESC, category LIMIT 1) AS top_category_share
FROM appeal_kpis k
LEFT JOIN appeal_kpis k1 ON k1.year = k.year - 1
CROSS JOIN report_appeals_summary s
WHERE k.year = getvariable('year')
