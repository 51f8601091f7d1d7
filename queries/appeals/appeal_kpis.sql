-- description: Appeal KPIs for each year Y-4..Y, each year measured as at its own cut-off (31 December; C for the edition year): received, the on-time response rate of common appeals (on time / (on time + late), not-yet-due shown beside it), closure rate, satisfaction rate with the number rated, and the median and 90th percentile of the response time in working days.
-- grain: one row per year
-- unit: rates are fractions 0-1; response times in working days
-- check: unique(year)
-- check: not_null(year, received, common_due)
WITH years AS (
    SELECT CAST(y AS INTEGER) AS year
    FROM range(getvariable('year') - 4, getvariable('year') + 1) t(y)
),
per_year AS (
    SELECT
        y.year,
        least(make_date(y.year, 12, 31), CAST(getvariable('cutoff') AS DATE)) AS as_at,
        count(a.appeal_id) AS received,
        count(a.appeal_id) FILTER (WHERE a.is_common) AS common_received,
        count(a.appeal_id) FILTER (WHERE a.is_common AND a.outcome = 'on_time') AS common_on_time,
        count(a.appeal_id) FILTER (WHERE a.is_common AND a.outcome = 'late') AS common_late,
        count(a.appeal_id) FILTER (WHERE a.is_common AND a.outcome = 'not_yet_due') AS not_yet_due,
        count(a.appeal_id) FILTER (WHERE a.is_common AND a.deadline IS NULL) AS no_deadline,
        count(a.appeal_id) FILTER (WHERE a.responded) AS responded,
        count(a.appeal_id) FILTER (WHERE a.closed) AS closed,
        count(a.appeal_id) FILTER (WHERE a.rated) AS rated,
        count(a.appeal_id) FILTER (WHERE a.rated AND a.satisfaction IN ('满意', '基本满意')) AS satisfied,
        quantile_cont(a.response_workdays, 0.5) AS median_response_workdays,
        quantile_cont(a.response_workdays, 0.9) AS p90_response_workdays
    FROM years y
    LEFT JOIN appeal_deadlines a ON a.year = y.year
    GROUP BY y.year
)
SELECT
    year,
    as_at,
    received,
    common_received,
    common_on_time,
    common_late,
    common_on_time + common_late AS common_due,
    common_on_time / nullif(common_on_time + common_late, 0) AS on_time_rate,
    not_yet_due,
    no_deadline,
    responded,
    closed,
    closed / nullif(received, 0) AS closure_rate,
    rated,
    satisfied,
    satisfied / nullif(rated, 0) AS satisfaction_rate,
    median_response_workdays,
    p90_response_workdays
FROM per_year
ORDER BY year
