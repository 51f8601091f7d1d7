-- description: Monitoring and early warning (docs/monitoring.md): for every month × indicator × scope of monitor_counts, the seasonal baseline (median of the same calendar month and its two neighbours in each of the three previous years, at least baseline_min_months of the 9 inside the data), the level correction (median residual of the 24 months before), σ = max(mad_scale × MAD of those residuals, √max(baseline, 1)), expected = baseline + level correction, z = (value − expected) / σ signed so that the adverse direction is positive, and the level: red when z ≥ red_z, yellow when z ≥ yellow_z, none when baseline < min_baseline. expected, sigma and z are NULL when fewer than min_residuals residuals are available. Thresholds: seeds/monitor_thresholds.csv; directions: seeds/monitor_indicators.csv.
-- grain: one row per month × indicator × scope
-- unit: value, baseline, expected, sigma = 户 or 件 per month; z = standard deviations
-- check: unique(month, indicator, scope, scope_code)
-- check: not_null(month, indicator, scope, scope_code, scope_name, value)
-- check: accepted_values(level, 'red', 'yellow')
WITH p AS (
    SELECT
        max(value) FILTER (WHERE name = 'red_z') AS red_z,
        max(value) FILTER (WHERE name = 'yellow_z') AS yellow_z,
        max(value) FILTER (WHERE name = 'min_baseline') AS min_baseline,
        max(value) FILTER (WHERE name = 'min_residuals') AS min_residuals,
        max(value) FILTER (WHERE name = 'mad_scale') AS mad_scale,
        max(value) FILTER (WHERE name = 'baseline_min_months') AS min_months
    FROM monitor_thresholds
),
c AS (
    SELECT *, year(month) * 12 + month(month) - 1 AS mi
    FROM monitor_counts
),
-- the same calendar month and its two neighbours, 1, 2 and 3 years before
lags AS (
    SELECT unnest([11, 12, 13, 23, 24, 25, 35, 36, 37]) AS lag
),
-- (materialized, so that the month looked up is a join key: otherwise the planner joins each
-- month with its whole series first)
wanted AS MATERIALIZED (
    SELECT c.indicator, c.scope, c.scope_code, c.mi, c.mi - l.lag AS hmi
    FROM c
    CROSS JOIN lags l
),
hist AS (
    SELECT w.indicator, w.scope, w.scope_code, w.mi, median(h.value) AS baseline, count(*) AS n_months
    FROM wanted w
    JOIN c h ON h.indicator = w.indicator AND h.scope = w.scope AND h.scope_code = w.scope_code AND h.mi = w.hmi
    GROUP BY ALL
),
based AS (
    SELECT
        c.*,
        CASE WHEN h.n_months >= p.min_months THEN CAST(h.baseline AS DOUBLE) END AS baseline
    FROM c
    CROSS JOIN p
    LEFT JOIN hist h USING (indicator, scope, scope_code, mi)
),
resid AS (
    SELECT *, value - baseline AS r
    FROM based
),
-- the residuals of the 24 months before m (a NULL residual, a month without baseline, is skipped)
levelled AS (
    SELECT
        *,
        median(r) OVER w AS level_correction,
        mad(r) OVER w AS mad_r,
        count(r) OVER w AS n_resid
    FROM resid
    WINDOW w AS (PARTITION BY indicator, scope, scope_code ORDER BY mi RANGE BETWEEN 24 PRECEDING AND 1 PRECEDING)
),
scored AS (
    SELECT
        l.*,
        CASE WHEN l.baseline IS NOT NULL AND l.n_resid >= p.min_residuals THEN l.baseline + l.level_correction END AS expected,
        CASE WHEN l.baseline IS NOT NULL AND l.n_resid >= p.min_residuals
             THEN greatest(p.mad_scale * l.mad_r, sqrt(greatest(l.baseline, 1))) END AS sigma,
        CASE i.adverse WHEN 'down' THEN -1 ELSE 1 END AS sign
    FROM levelled l
    CROSS JOIN p
    JOIN monitor_indicators i USING (indicator)
),
judged AS (
    SELECT *, sign * (value - expected) / sigma AS z
    FROM scored
)
SELECT
    j.month,
    j.indicator,
    j.scope,
    j.scope_code,
    j.scope_name,
    j.value,
    j.baseline,
    j.expected,
    j.sigma,
    j.z,
    CASE
        WHEN j.z IS NULL OR j.baseline < p.min_baseline THEN NULL
        WHEN j.z >= p.red_z THEN 'red'
        WHEN j.z >= p.yellow_z THEN 'yellow'
    END AS level
FROM judged j
CROSS JOIN p
ORDER BY j.indicator, j.scope, j.scope_code, j.month
