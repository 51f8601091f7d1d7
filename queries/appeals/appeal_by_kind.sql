-- description: Appeals of the edition year Y, common (共性) vs individual (个性), KPIs as at C; on_time_rate_all applies the same working-day deadline to both kinds for comparison.
-- grain: one row per kind
-- unit: rates are fractions 0-1; response times in working days
-- check: accepted_values(kind, '共性诉求', '个性诉求')
SELECT
    year,
    key AS kind,
    received,
    share,
    on_time_rate_all AS on_time_rate,
    responded,
    closed,
    closure_rate,
    rated,
    satisfaction_rate,
    median_response_workdays,
    p90_response_workdays
FROM appeal_breakdowns
WHERE dimension = 'kind'
ORDER BY key = '个性诉求', key
