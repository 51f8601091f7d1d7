-- description: Appeals of the edition year Y by handling department (承办部门; none given = 未注明), KPIs as at C, largest first.
-- grain: one row per department
-- unit: rates are fractions 0-1; response times in working days
-- check: unique(department)
SELECT
    year,
    key AS department,
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
WHERE dimension = 'department'
ORDER BY received DESC, department
