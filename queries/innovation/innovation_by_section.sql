-- description: Private innovation declarations of the edition year Y by GB/T 4754 section of the registry (unknown division '?' = 未知行业): declarants, R&D expense, revenue, R&D intensity, patents, mean points, enterprises on the incentive list.
-- grain: one row per section
-- unit: money in 万元; intensity a fraction; points 0-100
-- check: unique(section)
SELECT year, key AS section, label AS section_name, * EXCLUDE (year, dimension, key, label)
FROM innovation_breakdowns
WHERE dimension = 'section'
ORDER BY key
