-- description: Appeals of the edition year Y by handling department (承办部门; none given = 未注明), KPIs as at C, largest first.
-- grain: one row per department
-- unit: rates are fractions 0-1; response times in working days
-- check: unique(department)
SELECT year, key AS department, * EXCLUDE (year, dimension, key, label, on_time_rate_all)
FROM appeal_breakdowns
WHERE dimension = 'department'
ORDER BY received DESC, department
