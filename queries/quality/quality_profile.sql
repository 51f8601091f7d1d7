-- description: One pass over every clean source table, per source file: rows loaded, non-null count of every column, rows carrying each quality flag, and the earliest and latest value of each date column. The quality_* tables of the data-quality appendix read it.
-- grain: one row per source × file × measure × column
-- unit: rows; dates
WITH
reg AS MATERIALIZED (
    SELECT
        source_file AS file,
        count(*) AS n_rows,
        count(COLUMNS(* EXCLUDE (source_file, source_line))) AS "nn_\0",
        count(*) FILTER (WHERE NOT uscc_valid) AS fl_uscc_invalid,
        count(*) FILTER (WHERE unknown_district) AS fl_unknown_district,
        count(*) FILTER (WHERE industry_section = '?') AS fl_unknown_section,
        count(*) FILTER (WHERE unknown_chamber) AS fl_unknown_chamber,
        count(*) FILTER (WHERE missing_cancelled_on) AS fl_missing_cancelled_on,
        min(established_on) AS mn_established_on, max(established_on) AS mx_established_on,
        min(cancelled_on) AS mn_cancelled_on, max(cancelled_on) AS mx_cancelled_on,
        min(approved_on) AS mn_approved_on, max(approved_on) AS mx_approved_on
    FROM registry
    GROUP BY ALL
),
app AS MATERIALIZED (
    SELECT
        source_file AS file,
        count(*) AS n_rows,
        count(COLUMNS(* EXCLUDE (source_file, source_line))) AS "nn_\0",
        count(*) FILTER (WHERE orphan) AS fl_orphan,
        count(*) FILTER (WHERE unknown_category) AS fl_unknown_category,
        CAST(min(submitted_at) AS DATE) AS mn_submitted_at, CAST(max(submitted_at) AS DATE) AS mx_submitted_at,
        CAST(min(responded_at) AS DATE) AS mn_responded_at, CAST(max(responded_at) AS DATE) AS mx_responded_at,
        CAST(min(closed_at) AS DATE) AS mn_closed_at, CAST(max(closed_at) AS DATE) AS mx_closed_at
    FROM appeals
    GROUP BY ALL
),
inn AS MATERIALIZED (
    SELECT
        source_file AS file,
        count(*) AS n_rows,
        count(COLUMNS(* EXCLUDE (source_file, source_line))) AS "nn_\0",
        count(*) FILTER (WHERE orphan) AS fl_orphan,
        make_date(min(year), 1, 1) AS mn_year, make_date(max(year), 12, 31) AS mx_year
    FROM innovation
    GROUP BY ALL
),
don AS MATERIALIZED (
    SELECT
        source_file AS file,
        count(*) AS n_rows,
        count(COLUMNS(* EXCLUDE (source_file, source_line))) AS "nn_\0",
        count(*) FILTER (WHERE orphan) AS fl_orphan,
        count(*) FILTER (WHERE unknown_program) AS fl_unknown_program,
        min(donated_on) AS mn_donated_on, max(donated_on) AS mx_donated_on
    FROM donations
    GROUP BY ALL
),
cha AS MATERIALIZED (
    SELECT
        source_file AS file,
        count(*) AS n_rows,
        count(COLUMNS(* EXCLUDE (source_file, source_line))) AS "nn_\0",
        min(established_on) AS mn_established_on, max(established_on) AS mx_established_on
    FROM chambers
    GROUP BY ALL
),
act AS MATERIALIZED (
    SELECT
        source_file AS file,
        count(*) AS n_rows,
        count(COLUMNS(* EXCLUDE (source_file, source_line))) AS "nn_\0",
        count(*) FILTER (WHERE orphan) AS fl_orphan,
        count(*) FILTER (WHERE unknown_chamber) AS fl_unknown_chamber,
        min(held_on) AS mn_held_on, max(held_on) AS mx_held_on
    FROM chamber_activities
    GROUP BY ALL
),
fee AS MATERIALIZED (
    SELECT
        source_file AS file,
        count(*) AS n_rows,
        count(COLUMNS(* EXCLUDE (source_file, source_line))) AS "nn_\0",
        make_date(min(year), 1, 1) AS mn_year, make_date(max(year), 12, 31) AS mx_year
    FROM chamber_fees
    GROUP BY ALL
),
dis AS MATERIALIZED (
    SELECT
        source_file AS file,
        count(*) AS n_rows,
        count(COLUMNS(* EXCLUDE (source_file, source_line))) AS "nn_\0"
    FROM districts
    GROUP BY ALL
),
counts AS (
    SELECT 'registry' AS source, file, n_rows, 'non_null' AS measure, column_name, n
    FROM (UNPIVOT (SELECT file, n_rows, COLUMNS('^nn_') FROM reg) ON COLUMNS('^nn_') INTO NAME column_name VALUE n)
    UNION ALL SELECT 'registry', file, n_rows, 'flag', column_name, n
    FROM (UNPIVOT (SELECT file, n_rows, COLUMNS('^fl_') FROM reg) ON COLUMNS('^fl_') INTO NAME column_name VALUE n)
    UNION ALL SELECT 'appeals', file, n_rows, 'non_null', column_name, n
    FROM (UNPIVOT (SELECT file, n_rows, COLUMNS('^nn_') FROM app) ON COLUMNS('^nn_') INTO NAME column_name VALUE n)
    UNION ALL SELECT 'appeals', file, n_rows, 'flag', column_name, n
    FROM (UNPIVOT (SELECT file, n_rows, COLUMNS('^fl_') FROM app) ON COLUMNS('^fl_') INTO NAME column_name VALUE n)
    UNION ALL SELECT 'innovation', file, n_rows, 'non_null', column_name, n
    FROM (UNPIVOT (SELECT file, n_rows, COLUMNS('^nn_') FROM inn) ON COLUMNS('^nn_') INTO NAME column_name VALUE n)
    UNION ALL SELECT 'innovation', file, n_rows, 'flag', column_name, n
    FROM (UNPIVOT (SELECT file, n_rows, COLUMNS('^fl_') FROM inn) ON COLUMNS('^fl_') INTO NAME column_name VALUE n)
    UNION ALL SELECT 'donations', file, n_rows, 'non_null', column_name, n
    FROM (UNPIVOT (SELECT file, n_rows, COLUMNS('^nn_') FROM don) ON COLUMNS('^nn_') INTO NAME column_name VALUE n)
    UNION ALL SELECT 'donations', file, n_rows, 'flag', column_name, n
    FROM (UNPIVOT (SELECT file, n_rows, COLUMNS('^fl_') FROM don) ON COLUMNS('^fl_') INTO NAME column_name VALUE n)
    UNION ALL SELECT 'chambers', file, n_rows, 'non_null', column_name, n
    FROM (UNPIVOT (SELECT file, n_rows, COLUMNS('^nn_') FROM cha) ON COLUMNS('^nn_') INTO NAME column_name VALUE n)
    UNION ALL SELECT 'chamber_activities', file, n_rows, 'non_null', column_name, n
    FROM (UNPIVOT (SELECT file, n_rows, COLUMNS('^nn_') FROM act) ON COLUMNS('^nn_') INTO NAME column_name VALUE n)
    UNION ALL SELECT 'chamber_activities', file, n_rows, 'flag', column_name, n
    FROM (UNPIVOT (SELECT file, n_rows, COLUMNS('^fl_') FROM act) ON COLUMNS('^fl_') INTO NAME column_name VALUE n)
    UNION ALL SELECT 'chamber_fees', file, n_rows, 'non_null', column_name, n
    FROM (UNPIVOT (SELECT file, n_rows, COLUMNS('^nn_') FROM fee) ON COLUMNS('^nn_') INTO NAME column_name VALUE n)
    UNION ALL SELECT 'districts', file, n_rows, 'non_null', column_name, n
    FROM (UNPIVOT (SELECT file, n_rows, COLUMNS('^nn_') FROM dis) ON COLUMNS('^nn_') INTO NAME column_name VALUE n)
),
dates AS (
    SELECT 'registry' AS source, file, n_rows, column_name, earliest, latest
    FROM reg UNPIVOT INCLUDE NULLS ((earliest, latest) FOR column_name IN (
        (mn_established_on, mx_established_on) AS established_on,
        (mn_cancelled_on, mx_cancelled_on) AS cancelled_on,
        (mn_approved_on, mx_approved_on) AS approved_on))
    UNION ALL SELECT 'appeals', file, n_rows, column_name, earliest, latest
    FROM app UNPIVOT INCLUDE NULLS ((earliest, latest) FOR column_name IN (
        (mn_submitted_at, mx_submitted_at) AS submitted_at,
        (mn_responded_at, mx_responded_at) AS responded_at,
        (mn_closed_at, mx_closed_at) AS closed_at))
    UNION ALL SELECT 'innovation', file, n_rows, 'year', mn_year, mx_year FROM inn
    UNION ALL SELECT 'donations', file, n_rows, 'donated_on', mn_donated_on, mx_donated_on FROM don
    UNION ALL SELECT 'chambers', file, n_rows, 'established_on', mn_established_on, mx_established_on FROM cha
    UNION ALL SELECT 'chamber_activities', file, n_rows, 'held_on', mn_held_on, mx_held_on FROM act
    UNION ALL SELECT 'chamber_fees', file, n_rows, 'year', mn_year, mx_year FROM fee
)
SELECT
    source,
    file,
    n_rows AS rows_loaded,
    measure,
    regexp_replace(column_name, '^(nn|fl)_', '') AS column_name,
    CAST(n AS BIGINT) AS n,
    CAST(NULL AS DATE) AS earliest,
    CAST(NULL AS DATE) AS latest
FROM counts
UNION ALL
SELECT source, file, n_rows, 'dates', column_name, NULL, CAST(earliest AS DATE), CAST(latest AS DATE)
FROM dates
