-- description: Appeals of the edition year Y by category (诉求类别), KPIs as at C, largest first.
-- grain: one row per category
-- unit: rates are fractions 0-1; response times in working days
-- check: unique(category)
SELECT
    year,
    key AS category,
    received,
    share,
    common_received,
    common_on_time,
    common_due,
    on_time_rate,
    not_yet_due,
    closed,
    closure_rate,
    rated,
    satisfaction_rate,
    median_response_workdays,
    p90_response_workdays
FROM appeal_breakdowns
WHERE dimension = 'category'
ORDER BY received DESC, category
