-- description: Appeals of the edition year Y by the district of the enterprise in the registry (not in the registry = 未知; a district outside the configured list = 其他), KPIs as at C.
-- grain: one row per district
-- unit: rates are fractions 0-1; response times in working days
-- check: unique(district_code)
SELECT year, key AS district_code, label AS district_name, * EXCLUDE (year, dimension, key, label, on_time_rate_all)
FROM appeal_breakdowns
WHERE dimension = 'district'
ORDER BY key IN ('其他', '未知'), key
