-- description: Rejected rows by source, file and rule, with the columns that broke it (a row is rejected once, under the first rule it breaks).
-- grain: one row per source × file × rule
-- unit: rows
-- check: unique(source, file, rule)
SELECT
    source,
    file,
    rule,
    count(*) AS rows_rejected,
    string_agg(DISTINCT column_name, ', ' ORDER BY column_name) AS columns
FROM rejects
GROUP BY ALL
ORDER BY source, file, rule
