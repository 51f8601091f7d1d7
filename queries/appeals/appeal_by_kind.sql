-- description: Appeals of the edition year Y, common (共性) vs individual (个性), KPIs as at C; on_time_rate_all applies the same working-day deadline to both kinds for comparison.
-- grain: one row per kind
-- unit: rates are fractions 0-1; response times in working days
-- check: accepted_values(kind, '共性诉求', '个性诉求')
SELECT year, key AS kind, * EXCLUDE (year, dimension, key, label, on_time_rate_all) REPLACE (on_time_rate_all AS on_time_rate)
FROM appeal_breakdowns
WHERE dimension = 'kind'
ORDER BY key = '个性诉求', key
