-- description: Null share of each canonical column per source (loaded rows), whether the column is required, and the rows rejected because that required value was empty (missing_required).
-- grain: one row per source × column
-- unit: rows; share a fraction
-- check: unique(source, column_name)
WITH canonical AS (
    -- the columns of the source files, from the source contract
    SELECT source, column_name, required, column_order AS position
    FROM ref_sources
    WHERE kind = 'input'
),
loaded AS (
    SELECT source, column_name, CAST(sum(rows_loaded) AS BIGINT) AS rows_loaded, CAST(sum(n) AS BIGINT) AS non_null
    FROM quality_profile
    WHERE measure = 'non_null'
    GROUP BY ALL
),
missing AS (
    SELECT source, column_name, count(*) AS rejected_missing
    FROM rejects
    WHERE rule = 'missing_required'
    GROUP BY ALL
)
SELECT
    c.source,
    c.column_name,
    c.required,
    coalesce(l.rows_loaded, 0) AS rows_loaded,
    coalesce(l.rows_loaded - l.non_null, 0) AS nulls,
    (l.rows_loaded - l.non_null) / nullif(l.rows_loaded, 0) AS null_share,
    coalesce(m.rejected_missing, 0) AS rejected_missing
FROM canonical c
LEFT JOIN loaded l ON l.source = c.source AND l.column_name = c.column_name
LEFT JOIN missing m ON m.source = c.source AND m.column_name = c.column_name
ORDER BY c.source, c.position
