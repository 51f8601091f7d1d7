-- description: Earliest and latest value of each date column per source and file (timestamps by calendar date; innovation and fee years as 1 January of the first and 31 December of the last year).
-- grain: one row per source × file × date column
-- unit: dates
-- check: unique(source, file, column_name)
SELECT source, file, column_name, rows_loaded, earliest, latest
FROM quality_profile
WHERE measure = 'dates'
ORDER BY source, file, column_name
