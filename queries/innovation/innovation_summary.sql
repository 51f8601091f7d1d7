-- description: Innovation declarations per year Y-4..Y: declarations, ranked (private) declarations, total R&D expense and revenue of the private declarants, city R&D intensity Σ R&D / Σ revenue over them, patents and other IP, mean and median points, enterprises on the R&D-intensity incentive list.
-- grain: one row per year
-- unit: money in 万元; intensity a fraction; points 0-100
-- check: unique(year)
WITH years AS (
    SELECT CAST(y AS INTEGER) AS year FROM range(getvariable('year') - 4, getvariable('year') + 1) t(y)
),
p AS (
    SELECT
        year,
        count(*) AS declarations,
        count(*) FILTER (WHERE ranked) AS ranked,
        count(*) FILTER (WHERE p.orphan) AS orphans,
        -- the declared amounts: innovation_points leaves those of 个体工商户 out, the totals count them
        sum(i.rd_expense) FILTER (WHERE ranked) AS rd_expense,
        sum(i.revenue) FILTER (WHERE ranked) AS revenue,
        CAST(sum(p.invention_patents) FILTER (WHERE ranked) AS BIGINT) AS invention_patents,
        CAST(sum(p.other_ip) FILTER (WHERE ranked) AS BIGINT) AS other_ip,
        CAST(sum(p.standards) FILTER (WHERE ranked) AS BIGINT) AS standards,
        avg(points) FILTER (WHERE ranked) AS mean_points,
        quantile_cont(points, 0.5) FILTER (WHERE ranked) AS median_points
    FROM innovation_points p
    JOIN innovation i USING (uscc, year)
    GROUP BY year
),
inc AS (
    SELECT year, count(*) FILTER (WHERE incentive) AS incentive, count(*) AS intensity_ranked
    FROM rd_intensity_ranking
    GROUP BY year
)
SELECT
    y.year,
    coalesce(p.declarations, 0) AS declarations,
    coalesce(p.ranked, 0) AS ranked,
    coalesce(p.orphans, 0) AS orphans,
    coalesce(p.rd_expense, 0) AS rd_expense,
    coalesce(p.revenue, 0) AS revenue,
    p.rd_expense / nullif(p.revenue, 0) AS rd_intensity,
    coalesce(p.invention_patents, 0) AS invention_patents,
    coalesce(p.other_ip, 0) AS other_ip,
    coalesce(p.standards, 0) AS standards,
    p.mean_points,
    p.median_points,
    coalesce(i.intensity_ranked, 0) AS intensity_ranked,
    coalesce(i.incentive, 0) AS incentive,
    p.rd_expense / nullif(lag(p.rd_expense) OVER (ORDER BY y.year), 0) - 1 AS rd_expense_growth
FROM years y
LEFT JOIN p ON p.year = y.year
LEFT JOIN inc i ON i.year = y.year
ORDER BY y.year
