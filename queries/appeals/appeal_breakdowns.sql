-- description: Appeal KPIs of the edition year Y (as at C) by category, by handling department, by district (through the registry; appeals of enterprises not in the registry are 未知, registry districts outside the configured list 其他) and common vs individual, in one pass; the appeal_by_* tables read it.
-- grain: one row per dimension × key
-- unit: rates are fractions 0-1; response times in working days
-- check: not_null(dimension, key, label)
-- check: unique(dimension, key)
WITH y AS (
    SELECT
        a.*,
        CASE
            WHEN NOT a.in_registry THEN '未知'
            WHEN d.district_code IS NULL THEN '其他'
            ELSE d.district_code
        END AS district_key,
        CASE
            WHEN NOT a.in_registry THEN '未知'
            WHEN d.district_code IS NULL THEN '其他'
            ELSE d.name
        END AS district_name,
        CASE WHEN a.is_common THEN '共性诉求' ELSE '个性诉求' END AS kind
    FROM appeal_deadlines a
    LEFT JOIN districts d ON d.district_code = a.district_code
    WHERE a.year = getvariable('year')
),
g AS (
    SELECT
        CASE
            WHEN GROUPING(category) = 0 THEN 'category'
            WHEN GROUPING(department) = 0 THEN 'department'
            WHEN GROUPING(district_key, district_name) = 0 THEN 'district'
            ELSE 'kind'
        END AS dimension,
        coalesce(category, department, district_key, kind) AS key,
        coalesce(category, department, district_name, kind) AS label,
        count(*) AS received,
        count(*) FILTER (WHERE is_common) AS common_received,
        count(*) FILTER (WHERE is_common AND outcome = 'on_time') AS common_on_time,
        count(*) FILTER (WHERE is_common AND outcome = 'late') AS common_late,
        count(*) FILTER (WHERE is_common AND outcome = 'not_yet_due') AS not_yet_due,
        count(*) FILTER (WHERE outcome = 'on_time') AS all_on_time,
        count(*) FILTER (WHERE outcome = 'late') AS all_late,
        count(*) FILTER (WHERE responded) AS responded,
        count(*) FILTER (WHERE closed) AS closed,
        count(*) FILTER (WHERE rated) AS rated,
        count(*) FILTER (WHERE rated AND satisfaction IN ('满意', '基本满意')) AS satisfied,
        quantile_cont(response_workdays, 0.5) AS median_response_workdays,
        quantile_cont(response_workdays, 0.9) AS p90_response_workdays
    FROM y
    GROUP BY GROUPING SETS ((category), (department), (district_key, district_name), (kind))
)
SELECT
    CAST(getvariable('year') AS INTEGER) AS year,
    dimension,
    key,
    label,
    received,
    received / nullif(sum(received) OVER (PARTITION BY dimension), 0) AS share,
    common_received,
    common_on_time,
    common_late,
    common_on_time + common_late AS common_due,
    common_on_time / nullif(common_on_time + common_late, 0) AS on_time_rate,
    not_yet_due,
    -- over every appeal with an outcome, common or not: the 15-working-day yardstick applied to all (used for the common vs individual comparison)
    all_on_time / nullif(all_on_time + all_late, 0) AS on_time_rate_all,
    responded,
    closed,
    closed / nullif(received, 0) AS closure_rate,
    rated,
    satisfied / nullif(rated, 0) AS satisfaction_rate,
    median_response_workdays,
    p90_response_workdays
FROM g
ORDER BY dimension, received DESC, key
