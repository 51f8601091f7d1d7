-- description: The data-quality table per source and file: encoding, size and SHA-256 content hash, rows read, loaded, rejected and flagged (rows read = loaded + rejected), rejected duplicates, invalid credit codes (rejected as bad_uscc or flagged with a wrong check character) and orphans (credit code or chamber not in the registry or directory).
-- grain: one row per source file
-- unit: rows
-- check: unique(source, file)
WITH rej AS (
    SELECT
        source,
        file,
        count(*) FILTER (WHERE rule IN ('duplicate_uscc', 'duplicate_id')) AS duplicates,
        count(*) FILTER (WHERE rule = 'bad_uscc') AS bad_uscc
    FROM rejects
    GROUP BY ALL
),
fl AS (
    SELECT
        source,
        file,
        CAST(sum(n) FILTER (WHERE column_name = 'orphan') AS BIGINT) AS orphans,
        CAST(sum(n) FILTER (WHERE column_name = 'uscc_invalid') AS BIGINT) AS uscc_invalid
    FROM quality_profile
    WHERE measure = 'flag'
    GROUP BY ALL
)
SELECT
    f.source,
    f.file,
    f.encoding,
    f.bytes,
    f.sha256,
    f.rows_read,
    f.rows_loaded,
    f.rows_rejected,
    f.rows_flagged,
    f.rows_read = f.rows_loaded + f.rows_rejected AS balanced,
    coalesce(r.duplicates, 0) AS duplicates,
    coalesce(r.bad_uscc, 0) + coalesce(fl.uscc_invalid, 0) AS invalid_uscc,
    coalesce(fl.orphans, 0) AS orphans,
    f.ingested_at
FROM ingest_files f
LEFT JOIN rej r ON r.source = f.source AND r.file = f.file
LEFT JOIN fl ON fl.source = f.source AND fl.file = f.file
ORDER BY f.source, f.file
