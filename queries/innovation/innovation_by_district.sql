-- description: Private innovation declarations of the edition year Y by district (a district outside the configured list = 其他): declarants, R&D expense, revenue, R&D intensity, patents, mean points, enterprises on the incentive list.
-- grain: one row per district
-- unit: money in 万元; intensity a fraction; points 0-100
-- check: unique(district_code)
SELECT year, key AS district_code, label AS district_name, * EXCLUDE (year, dimension, key, label)
FROM innovation_breakdowns
WHERE dimension = 'district'
ORDER BY key = '其他', key
