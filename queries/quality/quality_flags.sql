-- description: Rows kept but flagged, per source, file and flag: uscc_invalid (wrong check character), orphan, unknown_district, unknown_section (industry_section '?'), unknown_category, unknown_program, unknown_chamber, missing_cancelled_on; with the share of the file's loaded rows.
-- grain: one row per source × file × flag
-- unit: rows; share a fraction
-- check: unique(source, file, flag)
SELECT
    source,
    file,
    column_name AS flag,
    n AS rows_flagged,
    n / nullif(rows_loaded, 0) AS share
FROM quality_profile
WHERE measure = 'flag'
ORDER BY source, file, flag
